"""Vietnamese names for generated histories: people's names drawn by the real frequencies of
surnames, and unit names as departments have them, so that a search over a generated model
meets what it meets in a real one (a surname shared by 38% of people, common given names).

One generator for the bench's history (``thidua.bench.synthetic``) and the search's speed test
(``tests/integration/reporting/test_search_speed.py``)."""

from __future__ import annotations

import random
import unicodedata

# Surnames by their share of the population (per cent, rounded), middle and given names.
SURNAMES = {
    "Nguyễn": 38, "Trần": 11, "Lê": 9, "Phạm": 7, "Hoàng": 5, "Huỳnh": 4, "Phan": 4, "Vũ": 4,
    "Võ": 3, "Đặng": 2, "Bùi": 2, "Đỗ": 2, "Hồ": 2, "Ngô": 1, "Dương": 1, "Lý": 1, "Đào": 1,
    "Đinh": 1, "Đoàn": 1, "Lâm": 1,
}  # fmt: skip
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh", "Xuân", "Kim",
          "Hồng", "Bảo", "Gia", "Thế", "Công", "Đình", "Anh", "Mỹ", "Phương")  # fmt: skip
GIVEN = ("Hoa", "Lan", "Hùng", "Dũng", "Hà", "Mai", "Sơn", "Tuấn", "Hương", "Nga", "Hải",
         "Bình", "Đạt", "Long", "Nam", "Linh", "Trang", "Thảo", "Huy", "Khoa", "Phúc", "Yến",
         "Vy", "Ngân", "Quân", "Hiếu", "Trung", "Tâm", "Nhung", "Loan", "Cường", "Đông",
         "Giang", "Hạnh", "Hiền", "Khánh", "Lộc", "Minh", "Nhân", "Oanh", "Quyên", "Sang",
         "Thắng", "Thủy", "Tú", "Uyên", "Việt", "Xuân", "Yên", "Đức")  # fmt: skip
UNIT_WORDS = ("Văn phòng", "Phòng Kế hoạch - Tài chính", "Phòng Quản lý công nghiệp",
              "Chi cục Quản lý thị trường", "Thanh tra", "Trung tâm Khuyến công",
              "Phòng Quản lý thương mại", "Phòng Kỹ thuật an toàn - Môi trường",
              "Đội Quản lý thị trường số", "Trung tâm Xúc tiến thương mại")  # fmt: skip


def person_name(rng: random.Random) -> str:
    """Surname (by its frequency), middle name and given name."""
    surname = rng.choices(list(SURNAMES), weights=list(SURNAMES.values()))[0]
    return f"{surname} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def unit_name(n: int) -> str:
    """The ``n``-th unit's name (the kinds of unit in turn, numbered)."""
    return f"{UNIT_WORDS[n % len(UNIT_WORDS)]} {n}"


def fold_plain(name: str) -> str:
    """A name as typed without diacritics, in lower case (the search folds the stored one
    to match)."""
    plain = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in plain if not unicodedata.combining(c)).lower()
