"""The model's tables as the writer sees them: each table's columns with their types, in order,
and its key (``Spec``), the lines' columns and their binary types, and the lists a batch, a
replay and a reset go through (dimensions, every table of the model).

Apart from the writing (``write.py``): these are declarations that follow the migrations
(``sql/``) column for column, and the replay and the projection's reset read them too.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.reporting.readmodels.lines import LinesRow
from thidua.es import pgcopy


@dataclass(frozen=True)
class Spec:
    """A model table: its columns with their types, in order, and its key."""

    table: str
    columns: tuple[str, ...]
    key: tuple[str, ...]

    @property
    def names(self) -> list[str]:
        return [c.split()[0] for c in self.columns]

    def unnest(self) -> str:
        return ", ".join(f"${n}::{c.split()[1]}[]" for n, c in enumerate(self.columns, start=1))


MINISTRIES = Spec(
    "reporting_ministries",
    ("ministry_id text", "name text", "sector_code text", "established_on date"),
    ("ministry_id",),
)
PROVINCES = Spec(
    "reporting_provinces",
    ("province_id text", "name text", "established_on date"),
    ("province_id",),
)
DEPARTMENTS = Spec(
    "reporting_departments",
    (
        "department_code text",
        "name text",
        "province_id text",
        "ministry_id text",
        "established_on date",
    ),
    ("department_code",),
)
LIFECYCLE = Spec(
    "reporting_lifecycle",
    (
        "event_id text",
        "kind text",
        "code text",
        "change text",
        "effective_on date",
        "into_code text",
        "from_code text",
        "name text",
        "basis text",
    ),
    ("event_id",),
)
ECONOMY = Spec(
    "reporting_economy",
    (
        "event_id text",
        "kind text",
        "campaign_id text",
        "effective_on date",
        "indicator text",
        "period_start date",
        "period_end date",
        "data jsonb",
    ),
    ("event_id",),
)
FUNDS = Spec(
    "reporting_funds",
    (
        "event_id text",
        "kind text",
        "owner text",
        "year integer",
        "effective_on date",
        "amount_vnd bigint",
        "nomination_id text",
        "decision_id text",
        "decision_number text",
    ),
    ("event_id",),
)
UNITS = Spec(
    "reporting_units",
    (
        "unit_id text",
        "department_code text",
        "name text",
        "kind text",
        "parent_unit_id text",
        "established_on date",
        "ended_on date",
        "headcount integer",
    ),
    ("unit_id",),
)
PEOPLE = Spec(
    "reporting_people",
    (
        "person_id text",
        "department_code text",
        "full_name text",
        "sex text",
        "joined_on date",
        "left_on date",
        "earlier jsonb",
    ),
    ("person_id",),
)
HISTORY = Spec(
    "reporting_person_history",
    (
        "person_id text",
        "seq integer",
        "effective_on date",
        "unit_id text",
        "is_leader boolean",
        "is_direct_worker boolean",
    ),
    ("person_id", "seq"),
)
CAMPAIGNS = Spec(
    "reporting_campaigns",
    (
        "campaign_id text",
        "department_code text",
        "number text",
        "title text",
        "kind text",
        "launching_level text",
        "year integer",
        "period_start date",
        "period_end date",
        "phases jsonb",
        "emulation_targets jsonb",
        "deadlines jsonb",
        "closed_on date",
        "cancelled boolean",
    ),
    ("campaign_id",),
)
REGISTRATIONS = Spec(
    "reporting_registrations",
    ("campaign_id text", "registrant_kind text", "registrant_id text", "event_id text"),
    ("campaign_id", "registrant_kind", "registrant_id"),
)
INITIATIVES = Spec(
    "reporting_initiatives",
    (
        "initiative_id text",
        "department_code text",
        "unit_id text",
        "kind text",
        "campaign_id text",
        "submitted_on date",
        "title text",
        "authors jsonb",
    ),
    ("initiative_id",),
)
NOMINATIONS = Spec(
    "reporting_nominations",
    (
        "nomination_id text",
        "department_code text",
        "campaign_id text",
        "year integer",
        "title text",
        "nominee_kind text",
        "nominee_id text",
        "unit_id text",
        "status text",
        "award_event_id text",
        "received_on date",
    ),
    ("nomination_id",),
)
BLOCS = Spec("reporting_blocs", ("bloc_id text", "name text", "members jsonb"), ("bloc_id",))
BLOC_RANKINGS = Spec(
    "reporting_bloc_rankings",
    ("bloc_id text", "year integer", "ranked_on date", "ranking jsonb", "leader_id text"),
    ("bloc_id", "year"),
)
COUNTED = Spec("reporting_counted", ("entity text", "event_ids jsonb"), ("entity",))
FACTS = Spec(
    "reporting_facts",
    (
        "event_id text",
        "type text",
        "kind text",
        "effective_on date",
        "department_code text",
        "unit_id text",
        "person_id text",
        "campaign_id text",
        "year integer",
        "sign smallint",
        "attrs jsonb",
    ),
    ("event_id",),
)
LINES = "reporting_fact_lines"
LINES_COLUMNS = list(LinesRow._fields)
MODEL_TABLES = (
    MINISTRIES.table,
    PROVINCES.table,
    DEPARTMENTS.table,
    UNITS.table,
    PEOPLE.table,
    HISTORY.table,
    CAMPAIGNS.table,
    REGISTRATIONS.table,
    INITIATIVES.table,
    NOMINATIONS.table,
    COUNTED.table,
    LIFECYCLE.table,
    ECONOMY.table,
    FUNDS.table,
    FACTS.table,
    LINES,
    "reporting_counters",
    "reporting_dated_counters",
    "reporting_day_counters",
    "reporting_staff_changes",
)


DIMENSIONS: tuple[tuple[Spec, str], ...] = (
    (MINISTRIES, "ministries"),
    (PROVINCES, "provinces"),
    (DEPARTMENTS, "departments"),
    (UNITS, "units"),
    (PEOPLE, "people"),
    (CAMPAIGNS, "campaigns"),
    (REGISTRATIONS, "registrations"),
    (INITIATIVES, "initiatives"),
    (NOMINATIONS, "nominations"),
    (COUNTED, "counted"),
    (BLOCS, "blocs"),
    (BLOC_RANKINGS, "bloc_rankings"),
    (LIFECYCLE, "lifecycle"),
    (ECONOMY, "economy"),
    (FUNDS, "funds"),
)
"""The dimension and follow-up tables, each with the state's table that holds its rows."""
DIMENSION_TABLES = (*(spec.table for spec, _ in DIMENSIONS), HISTORY.table)


LINES_KINDS = (
    *[pgcopy.Kind.TEXT] * 5,
    pgcopy.Kind.DATE,
    *[pgcopy.Kind.TEXT] * 4,
    pgcopy.Kind.TEXT_ARRAY,
    pgcopy.Kind.TEXT_ARRAY,
    pgcopy.Kind.INT4_ARRAY,
    pgcopy.Kind.INT8_ARRAY,
)
"""The types of ``LINES_COLUMNS``, as the table declares them."""
