"""The checks of ``test_seed_fidelity``: where the seed documents are, the tables of what a
plan reads otherwise than its text prints (``READINGS``, ``MISPRINTS``...), reading the text,
and the two checks, a plan's values the text does not state (``value_problems``) and what the
text states and the plan lacks (``completeness_problems``)."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from contracts.common import TargetMeasure, TitleCode
from contracts.examples import SEED_FILES
from contracts.registration import CampaignLaunched

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_SEEDS = REPO_ROOT.parent / "shared" / "seeds"
KEPT_SEEDS = REPO_ROOT / "docs" / "seeds"
SEEDS_DIR = Path(
    os.environ.get("THIDUA_SEEDS_DIR") or (SHARED_SEEDS if SHARED_SEEDS.is_dir() else KEPT_SEEDS)
)


Json = dict[str, Any]
Reading = tuple[str, object]

# Fields that encode the plan in the contract's vocabulary, not the document's words.
STRUCTURAL = re.compile(
    r"^(campaign_id|department_code|document_kind|kind|launching_level|inferred\.\d+"
    r"|issuer\.(org_id|abbreviation)"
    r"|emulation_targets\.\d+\.(title|measure|comparator|basis)"
    r"|phases\.\d+\.number|conference\.kind|conference\.levels\.\d+\.level)$"
)

TITLE_NAMES = {
    TitleCode.LDTT: "lao động tiên tiến",
    TitleCode.CSTDCS: "Chiến sĩ thi đua cơ sở",
    TitleCode.TTLDTT: "Tập thể Lao động tiên tiến",
    TitleCode.TTLDXS: "Tập thể Lao động xuất sắc",
    TitleCode.CO_THI_DUA: "Cờ thi đua",
}
"""How the documents name the titles their targets count."""

MISPRINTS: dict[str, list[tuple[str, str]]] = {
    # (as the plan spells it, as the source prints it)
    "000": [("GĐ và các PGĐ", "GD và các PGD")],  # Đ lost in the text's conversion
    "001": [("khen thưởng kịp thời", "khen thường kịp thời")],
    "002": [],
    "003": [],
    "004": [
        ("lao động sáng tạo", "lao động sáng"),  # the quote is cut short in the source
        ("phấn đấu thực hiện", "phân đấu thực hiện"),
    ],
}
NUMBER_MISPRINTS: dict[str, dict[str, str]] = {
    # path → the figure as printed: 57,500 is 57.500 with the wrong separator (19.663 has the
    # right one; 57,5 billion would be absurd for a province's retail).
    "002": {"economic_targets.1.value": "57,500"},
}

READINGS: dict[str, dict[str, Reading]] = {
    # path → (the phrase of the text it is read from, the value read)
    "000": {},
    "001": {},
    "002": {
        "period.start": ("phong trào thi đua năm 2018", date(2018, 1, 1)),
        "period.end": ("đến hết năm 2018", date(2018, 12, 31)),
        "phases.0.start": ("Đợt thứ nhất: Từ đầu năm", date(2018, 1, 1)),
        "phases.1.end": ("đến hết năm 2018", date(2018, 12, 31)),
        "emulation_targets.4.value": ("Sở Công Thương phấn đấu đạt Cờ thi đua", Decimal(1)),
    },
    "003": {},
    "004": {
        "period.end": ("vào quý II/2020", date(2020, 6, 30)),
        "phases.0.start": ("Quý I năm 2020", date(2020, 1, 1)),
        "phases.0.end": ("Quý I năm 2020", date(2020, 3, 31)),
        "phases.1.start": ("vào tháng 5 năm 2020", date(2020, 5, 1)),
        "phases.1.end": ("vào tháng 5 năm 2020", date(2020, 5, 31)),
        "conference.levels.0.held_within.start": ("Quý I năm 2020", date(2020, 1, 1)),
        "conference.levels.0.held_within.end": ("Quý I năm 2020", date(2020, 3, 31)),
        "conference.levels.1.held_within.start": ("vào tháng 5 năm 2020", date(2020, 5, 1)),
        "conference.levels.1.held_within.end": ("vào tháng 5 năm 2020", date(2020, 5, 31)),
        "conference.levels.0.duration_days": ("Thời gian: 1/2 ngày vào Quý I", Decimal("0.5")),
        "conference.levels.1.duration_days": ("Thời gian: 1/2 ngày vào tháng 5", Decimal("0.5")),
        "conference.levels.0.shares_approximate": ("chiếm khoảng 70%", True),
        "conference.levels.1.shares_approximate": ("tiên tiến khoảng 70%", True),
        "conference.levels.0.report_due_days": ("sau 02 tuần kể từ ngày tổ chức", 14),
    },
}

NOT_MOVEMENTS: dict[str, set[str]] = {
    # quoted phrases of the text that name no movement, target or title of the plan
    "002": {"tự diễn biến", "tự chuyển hóa"},
}
UNQUOTED_MOVEMENTS: dict[str, list[str]] = {
    # movements the text names without quotes: each is in some sub-movement
    "002": ["ưu tiên dùng hàng Việt", "sử dụng điện tiết kiệm"],
    "003": [],
}


# --- reading the text ------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Case, spacing, quotes, emphasis and dashes do not matter."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[“”\"*_<>]", "", text)
    text = re.sub(r"\s*[\u2013\u2014-]\s*", " - ", text)
    return " ".join(text.split()).casefold()


def seed_text(seed: str) -> str:
    [name] = [f for f, key in SEED_FILES.items() if f.startswith(seed)]
    return (SEEDS_DIR / name).read_text(encoding="utf-8")


def leaves(node: object, path: str = "") -> Iterator[tuple[str, object]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaves(value, f"{path}.{index}")
    elif node is not None:
        yield path, node


def is_inferred(path: str, inferred: list[str]) -> bool:
    return any(path == mark or path.startswith(mark + ".") for mark in inferred)


def date_forms(day: date) -> list[str]:
    d, m, y = day.day, day.month, day.year
    forms = {f"{dd}/{mm}/{y}" for dd in (str(d), f"{d:02}") for mm in (str(m), f"{m:02}")}
    forms |= {f"ngày {dd} tháng {mm} năm {y}" for dd in (str(d), f"{d:02}") for mm in (str(m),)}
    return sorted(forms)


def vn_number(value: Decimal) -> str:
    """19663 → 19.663; 8.76 → 8,76."""
    sign, whole, fraction = "-" if value < 0 else "", *f"{abs(value):f}".partition(".")[::2]
    grouped = f"{int(whole):,}".replace(",", ".")
    fraction = fraction.rstrip("0")
    return sign + grouped + ("," + fraction if fraction else "")


def number_in(text: str, figure: str, before: str = "", after: str = "") -> bool:
    pattern = re.escape(before) + r"(?<![\d.,])" + re.escape(figure) + r"(?![\d]|[.,]\d)"
    return re.search(pattern + re.escape(after), text) is not None


def spelled_as_printed(value: str, seed: str) -> str:
    for ours, printed in MISPRINTS.get(seed, []):
        value = value.replace(ours, printed)
    return value


# --- the checks ------------------------------------------------------------------------------


def value_problems(seed: str, plan: Json, text: str) -> list[str]:
    """The plan's values that the text does not state (and the plan does not mark inferred)."""
    model = CampaignLaunched.model_validate(plan)
    data = model.model_dump(mode="json", exclude_defaults=False)
    flat = normalise(text)
    readings = READINGS.get(seed, {})
    problems = []
    for path, value in leaves(data):
        if STRUCTURAL.match(path) or is_inferred(path, model.inferred):
            continue
        if path in readings:
            phrase, read = readings[path]
            if normalise(phrase) not in flat:
                problems.append(f"{path}: the text has no “{phrase}”")
            elif _as_read(value, read) != read:
                problems.append(f"{path}: {value!r}, but “{phrase}” reads {read!r}")
        elif isinstance(value, bool):
            if value:
                problems.append(f"{path}: true, read from no phrase of the text")
        elif isinstance(value, int | float):
            problem = _number_problem(seed, model, path, Decimal(str(value)), flat)
            if problem:
                problems.append(problem)
        elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            if not any(normalise(form) in flat for form in date_forms(date.fromisoformat(value))):
                problems.append(f"{path}: {value} is not a date of the text")
        elif isinstance(value, str) and path == "number":
            parts = (re.escape(normalise(part)) for part in value.split("/"))
            if not re.search(r"\s*/\s*".join(parts), flat):
                problems.append(f"number: {value} is not in the text")
        elif isinstance(value, str) and normalise(spelled_as_printed(value, seed)) not in flat:
            problems.append(f"{path}: “{value}” is not in the text")
    return problems


def _as_read(value: object, read: object) -> object:
    if isinstance(read, date) and isinstance(value, str):
        return date.fromisoformat(value)
    if isinstance(read, Decimal) and isinstance(value, int | float):
        return Decimal(str(value))
    return value


def _number_problem(
    seed: str, model: CampaignLaunched, path: str, value: Decimal, flat: str
) -> str | None:
    figure = NUMBER_MISPRINTS.get(seed, {}).get(path) or vn_number(abs(value))
    plain = f"{abs(value):f}"
    found = number_in(flat, figure) or number_in(flat, plain)
    if match := re.fullmatch(r"economic_targets\.\d+\.growth_percent", path):
        word = "giảm " if value < 0 else "tăng "
        found = number_in(flat, figure, before=word, after="%")
    elif match := re.fullmatch(r"emulation_targets\.(\d+)\.value", path):
        target = model.emulation_targets[int(match.group(1))]
        if target.measure is TargetMeasure.PERCENT:
            found = number_in(flat, figure, after="%")
    elif re.fullmatch(r"conference\.levels\.\d+\.\w+_share_percent", path):
        found = number_in(flat, figure, after="%")
    return None if found else f"{path}: {value} is not a figure of the text"


def completeness_problems(seed: str, plan: Json, text: str) -> list[str]:
    """What the text states and the plan lacks."""
    model = CampaignLaunched.model_validate(plan)
    flat = normalise(text)
    problems = []
    header = re.search(r"Số:\s*(\d+)\s*/\s*(\S+)", text)
    if header and model.number != f"{header[1]}/{header[2]}":
        problems.append(f"number: {model.number}, the text: {header[1]}/{header[2]}")
    if dated := re.search(r"^\S[^\n,]*, ngày (\d+) tháng (\d+) năm (\d{4})", text, re.M):
        issued = date(int(dated[3]), int(dated[2]), int(dated[1]))
        if model.issued_on != issued:
            problems.append(f"issued_on: {model.issued_on}, the text: {issued}")
    elif model.issued_on and not any(normalise(f) in flat for f in date_forms(model.issued_on)):
        problems.append(f"issued_on: {model.issued_on} is not in the text")
    problems += _signer_problems(model, text)
    problems += _recipient_problems(seed, model, text)
    problems += _parent_problems(model, text)
    deadlines = {d for d in model.deadlines.model_dump().values() if d is not None}
    for phrase in re.finditer(r"(?:trước ngày|xét khen thưởng ngày) (\d+)/(\d+)/(\d{4})", text):
        day = date(int(phrase[3]), int(phrase[2]), int(phrase[1]))
        if day not in deadlines:
            problems.append(f"deadlines: “{phrase[0]}” is not a deadline of the plan")
    growths = {vn_number(abs(t.growth_percent)) for t in model.economic_targets if t.growth_percent}
    for growth in re.finditer(r"(?:tăng|giảm) ([\d.,]+)%", text):
        if growth[1] not in growths:
            problems.append(f"economic_targets: “{growth[0]}” is no target's growth")
    problems += _percent_problems(seed, model, text)
    problems += _movement_problems(seed, model, text)
    return problems


def _signer_problems(model: CampaignLaunched, text: str) -> list[str]:
    if model.signer is None:
        return [] if not re.search(r"^\**(KT\. )?GIÁM ĐỐC", text, re.M) else ["signer missing"]
    last = [line.strip(" *") for line in text.splitlines() if line.strip(" *")][-1]
    problems = []
    if model.signer.name != last:
        problems.append(f"signer.name: {model.signer.name}, the text is signed {last}")
    if ("KT." in text) != (model.signer.on_behalf_of is not None):
        problems.append("signer.on_behalf_of: the text signs KT. (ký thay) when and only when")
    return problems


def _recipient_problems(seed: str, model: CampaignLaunched, text: str) -> list[str]:
    block = re.search(r"Nơi nhận:\**\s*\n(.*?)(?:\n\s*\n\s*\n|\Z)", text, re.S)
    lines = re.findall(r"^- (.+?)[;.]?\s*$", block[1], re.M) if block else []
    stated = [line for line in lines if not line.startswith("Lưu")]
    ours = [spelled_as_printed(r, seed) for r in model.recipients]
    if [normalise(r) for r in ours] != [normalise(r) for r in stated]:
        return [f"recipients: {model.recipients}, the text's Nơi nhận: {stated}"]
    return []


def _parent_problems(model: CampaignLaunched, text: str) -> list[str]:
    opening = re.search(r"^(?:Triển khai thực hiện|Thực hiện) .*$", text, re.M)
    if opening is None:
        return []
    numbers = re.findall(r"số (\d+/[^\s,;]+) ngày", opening[0])
    ours = {p.number for p in model.parents}
    return [f"parents: {n} is implemented and not a parent" for n in numbers if n not in ours]


def _plan_strings(seed: str, model: CampaignLaunched) -> list[str]:
    data = model.model_dump(mode="json")
    strings = [v for p, v in leaves(data) if isinstance(v, str) and not STRUCTURAL.match(p)]
    strings += [TITLE_NAMES[t.title] for t in model.emulation_targets if t.title in TITLE_NAMES]
    return [normalise(spelled_as_printed(s, seed)) for s in strings]


def _percent_problems(seed: str, model: CampaignLaunched, text: str) -> list[str]:
    data = model.model_dump(mode="json")
    figures = {
        vn_number(abs(Decimal(str(v))))
        for p, v in leaves(data)
        if isinstance(v, int | float) and not isinstance(v, bool)
    }
    joined = " ".join(_plan_strings(seed, model))
    return [
        f"“{m[0]}” of the text is in no value of the plan"
        for m in re.finditer(r"(\d+(?:,\d+)?)%", text)
        if m[1] not in figures and normalise(m[0]) not in joined
    ]


def _movement_problems(seed: str, model: CampaignLaunched, text: str) -> list[str]:
    strings = _plan_strings(seed, model)
    ignored = {normalise(q) for q in NOT_MOVEMENTS.get(seed, set())}
    problems = []
    for quote in re.findall(r"“([^”]+)”", text):
        for part in normalise(quote).split(";"):
            part = part.strip(" .,").removeprefix("phong trào ")
            if not part or part in ignored:
                continue
            if not any(part in s for s in strings):
                problems.append(f"“{part}” of the text is in no movement, target or title")
    movements = " | ".join(normalise(m) for m in model.sub_movements)
    for phrase in UNQUOTED_MOVEMENTS.get(seed, []):
        if normalise(phrase) not in movements:
            problems.append(f"sub_movements: none is “{phrase}”")
    return problems
