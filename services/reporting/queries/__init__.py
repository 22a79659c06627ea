"""Rollups, forms and drill-down, read from the reporting model (never from event history).

- ``figures.py``: a scope's raw figures for a year, its half-years or phases and its parts,
  live from the counters or as of a date from the lines, in one round trip;
- ``staff.py``: denominators from the dimensions on the reference date;
- ``rollups.py``: the rollup of a unit, a department, a province or a ministry;
- ``summary.py``: what the figures say, section by section, and the targets attained (pure);
- ``drilldown.py``: the events behind a figure, the statutory forms, the dashboard's choices;
- ``economy.py``: economic targets against results (issue 17);
- ``succession.py``: predecessors, successors and the province list (issue 16);
- ``models.py``: what they answer (the API's response models).
"""

from services.reporting.queries.drilldown import (
    campaign_years,
    campaigns_in,
    facts_behind,
    lineage,
    scope_exists,
    scope_name,
    scope_place,
    statutory_form,
    unit_detail,
)
from services.reporting.queries.figures import ScopeFigures, award_counts, scope_figures
from services.reporting.queries.models import (
    SCOPE_LABELS,
    AttainmentRow,
    Child,
    Choice,
    Dossiers,
    EconomicLine,
    EconomicTotal,
    Economy,
    FactRef,
    Former,
    Initiatives,
    Lineage,
    MergedInto,
    OrgChoice,
    Part,
    Recognized,
    Registrations,
    Rollup,
    ScopeRef,
    Staff,
    TitleAwards,
    vn_date,
)
from services.reporting.queries.rollups import (
    department_rollup,
    ministry_rollup,
    province_rollup,
    rollup,
)
from services.reporting.queries.staff import reference_date, staff_by_department, unit_staff
from services.reporting.queries.succession import formers, merged_into, org_list

__all__ = [
    "SCOPE_LABELS",
    "AttainmentRow",
    "Child",
    "Choice",
    "Dossiers",
    "EconomicLine",
    "EconomicTotal",
    "Economy",
    "FactRef",
    "Former",
    "Initiatives",
    "Lineage",
    "MergedInto",
    "OrgChoice",
    "Part",
    "Recognized",
    "Registrations",
    "Rollup",
    "ScopeFigures",
    "ScopeRef",
    "Staff",
    "TitleAwards",
    "award_counts",
    "campaign_years",
    "campaigns_in",
    "department_rollup",
    "facts_behind",
    "formers",
    "lineage",
    "merged_into",
    "ministry_rollup",
    "org_list",
    "province_rollup",
    "reference_date",
    "rollup",
    "scope_exists",
    "scope_figures",
    "scope_name",
    "scope_place",
    "staff_by_department",
    "statutory_form",
    "unit_detail",
    "unit_staff",
    "vn_date",
]
