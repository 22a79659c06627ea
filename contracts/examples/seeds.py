"""The seed plans as a catalogue: each by name (``SEED_PLANS``) and the source document it
is read from (``SEED_FILES``).

Each plan is its source document in /work/shared/seeds (named in SEED_FILES), read in full:
every movement, target, date, number and recipient the text states, in its own words
(tests/unit/test_seed_fidelity.py checks them against the text). What the text does not
state but a campaign needs (a period, the issuer's full name, a parent the news item leaves
out) is filled in and its field path listed in ``inferred``. "Nơi nhận" lists the recipients
without the archive line (Lưu: VT, ...).

Apart from the plans themselves (``regular_plan``, ``topical_plans``) so that a test or tool
lists them all without knowing which module holds which.
"""

from __future__ import annotations

from contracts.examples.regular_plan import GIA_LAI_2018_PLAN
from contracts.examples.shared import Json
from contracts.examples.topical_plans import (
    BAC_LIEU_53_KH_SCT,
    BAC_LIEU_CITY_129_KH_UBND,
    KHANH_HOA_2020_CONFERENCE_PLAN,
    THAI_NGUYEN_60_KH_KHCN,
)

SEED_PLANS: dict[str, Json] = {
    "002 Gia Lai 2018": GIA_LAI_2018_PLAN,
    "000 53/KH-SCT": BAC_LIEU_53_KH_SCT,
    "001 129/KH-UBND": BAC_LIEU_CITY_129_KH_UBND,
    "003 60/KH-KHCN": THAI_NGUYEN_60_KH_KHCN,
    "004 Khánh Hòa conference": KHANH_HOA_2020_CONFERENCE_PLAN,
}

SEED_FILES: dict[str, str] = {
    "000_e6fdd2ec7fbeb05b.txt": "000 53/KH-SCT",
    "001_f3976cf4a6f05f02.txt": "001 129/KH-UBND",
    "002_73bccf934d0e8e25.txt": "002 Gia Lai 2018",
    "003_798f61b7ee9d289f.txt": "003 60/KH-KHCN",
    "004_c7fc4f6aaea79dd6.txt": "004 Khánh Hòa conference",
}
"""The source document of each seed plan, a file of ../shared/seeds (the key of SEED_PLANS)."""
