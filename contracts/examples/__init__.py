"""One or more JSON payload examples for every event type.

They go into the generated JSON Schema and AsyncAPI documents (for departments' developers),
the tests validate and round-trip them, and other tests may reuse them as scenario data. The
campaign examples are the plans of the source documents in /work/shared/seeds (DOMAIN.md).

Import them from here (``from contracts.examples import EXAMPLES, GIA_LAI_2018_PLAN``).
``EXAMPLES`` (payload type → its examples) joins the examples kept, one owner apart from
another as the contracts are, in:

- ``organisations``: registration's directory (ministries, provinces, departments, units,
  blocs, people, contacts);
- ``campaigns``: registration's facts within a campaign or a year (plans, registrations,
  initiatives, research, ratings, discipline, corrections, economic results);
- ``awarding``: the awards service's facts (nominations, votes, decisions, exemplary models,
  conferences, the fund);
- ``notices``: notifications and refused inputs.

The seed plans are in ``regular_plan`` (Gia Lai 2018) and ``topical_plans`` (the other four),
catalogued in ``seeds`` (``SEED_PLANS``, ``SEED_FILES``); ``shared`` holds ``Json`` and the
department codes ``GL`` and ``BL``.
"""

from contracts.base import EventData
from contracts.examples.awarding import AWARDS_EXAMPLES
from contracts.examples.campaigns import CAMPAIGN_EXAMPLES
from contracts.examples.notices import NOTICE_EXAMPLES
from contracts.examples.organisations import ORGANISATION_EXAMPLES
from contracts.examples.regular_plan import GIA_LAI_2018_PLAN
from contracts.examples.seeds import SEED_FILES, SEED_PLANS
from contracts.examples.shared import BL, GL, Json
from contracts.examples.topical_plans import (
    BAC_LIEU_53_KH_SCT,
    BAC_LIEU_CITY_129_KH_UBND,
    KHANH_HOA_2020_CONFERENCE_PLAN,
    THAI_NGUYEN_60_KH_KHCN,
)

EXAMPLES: dict[type[EventData], list[Json]] = {
    **ORGANISATION_EXAMPLES,
    **CAMPAIGN_EXAMPLES,
    **AWARDS_EXAMPLES,
    **NOTICE_EXAMPLES,
}

__all__ = [
    "BAC_LIEU_53_KH_SCT",
    "BAC_LIEU_CITY_129_KH_UBND",
    "BL",
    "EXAMPLES",
    "GIA_LAI_2018_PLAN",
    "GL",
    "KHANH_HOA_2020_CONFERENCE_PLAN",
    "SEED_FILES",
    "SEED_PLANS",
    "THAI_NGUYEN_60_KH_KHCN",
    "Json",
]
