"""Statutory statistics forms of Circular 02/2023/TT-BNV (biểu mẫu thống kê), as data.

- 0601.N  Số phong trào thi đua: movements launched in the year, by launching level, type,
  duration and scope.
- 0602.N  Khen thưởng cấp Nhà nước: awards decided by the Prime Minister or the President.
- 0603.N  Khen thưởng cấp bộ, ban, ngành, tỉnh: awards decided by a minister or a provincial
  chair.

Approximations (what the contracts carry): the scope of a movement (phạm vi) is derived from
its launching level; "duration" is up to one year or longer, from the plan period; award rows
are the catalogue's titles (only CSTĐ toàn quốc among state-level titles, no orders or
medals yet), with columns collective / individual and by award method. Women are not broken
down here (the counters hold women by title, not by deciding authority).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from pydantic import BaseModel

Figures = Mapping[tuple[str, str], tuple[int, int]]
"""(figure, key) → (count, amount), one scope and year."""

LEVEL_LABELS = {
    "central": "Trung ương",
    "ministry": "Bộ, ngành",
    "province": "Tỉnh",
    "department": "Sở, ban, ngành",
    "city": "Thành phố",
    "commune": "Xã, phường",
    "unit": "Cơ sở",
}
KIND_LABELS = {"regular": "Thường xuyên", "topical": "Chuyên đề", "by_wave": "Theo đợt"}
DURATION_LABELS = {"up_to_1_year": "Đến 1 năm", "over_1_year": "Trên 1 năm"}
SCOPE_OF_LEVEL = {"central": "national", "ministry": "sector"}
SCOPE_LABELS = {"national": "Toàn quốc", "sector": "Ngành", "local": "Địa phương"}
METHOD_LABELS = {
    "regular": "Thường xuyên",
    "topical": "Chuyên đề",
    "sudden": "Đột xuất",
    "dedication": "Quá trình cống hiến",
    "external": "Đối ngoại",
}
TITLE_LABELS = {
    "LDTT": "Lao động tiên tiến",
    "CSTDCS": "Chiến sĩ thi đua cơ sở",
    "CSTD_BO_TINH": "Chiến sĩ thi đua bộ, ngành, tỉnh",
    "CSTD_TOAN_QUOC": "Chiến sĩ thi đua toàn quốc",
    "TTLDTT": "Tập thể lao động tiên tiến",
    "TTLDXS": "Tập thể lao động xuất sắc",
    "CO_THI_DUA": "Cờ thi đua",
    "BANG_KHEN": "Bằng khen",
    "GIAY_KHEN": "Giấy khen",
}
STATE_AUTHORITIES = frozenset({"prime_minister", "president"})
MINISTRY_PROVINCE_AUTHORITIES = frozenset({"minister", "provincial_chair"})


class FormRow(BaseModel):
    code: str
    label: str
    values: dict[str, int]


class Form(BaseModel):
    form: str
    name: str
    scope_label: str
    year: int
    columns: dict[str, str]
    rows: list[FormRow]


def form_0601(figures: Figures, *, scope_label: str, year: int) -> Form:
    by_level: dict[str, int] = defaultdict(int)
    by_kind: dict[str, int] = defaultdict(int)
    by_scope: dict[str, int] = defaultdict(int)
    for (figure, key), (count, _) in figures.items():
        if figure == "campaigns.launched":
            level, kind = key.split("|")
            by_level[level] += count
            by_kind[kind] += count
            by_scope[SCOPE_OF_LEVEL.get(level, "local")] += count
    by_duration = {
        key: count
        for (figure, key), (count, _) in figures.items()
        if figure == "campaigns.duration"
    }
    columns = {"total": "Tổng số"}
    values = {"total": sum(by_kind.values())}
    for prefix, counts, labels in (
        ("level", by_level, LEVEL_LABELS),
        ("kind", by_kind, KIND_LABELS),
        ("duration", by_duration, DURATION_LABELS),
        ("scope", by_scope, SCOPE_LABELS),
    ):
        for code, label in labels.items():
            columns[f"{prefix}.{code}"] = label
            values[f"{prefix}.{code}"] = counts.get(code, 0)
    return Form(
        form="0601.N",
        name="Số phong trào thi đua",
        scope_label=scope_label,
        year=year,
        columns=columns,
        rows=[
            FormRow(code="movements", label="Số phong trào thi đua được phát động", values=values)
        ],
    )


def _awards_form(
    figures: Figures,
    authorities: frozenset[str],
    *,
    form: str,
    name: str,
    scope_label: str,
    year: int,
) -> Form:
    columns = {"total": "Tổng số", "collective": "Tập thể", "individual": "Cá nhân"}
    columns |= {f"method.{m}": label for m, label in METHOD_LABELS.items()}
    rows: dict[str, dict[str, int]] = {}
    for (figure, key), (count, _) in sorted(figures.items()):
        if figure != "awards":
            continue
        title, nominee_kind, method, authority = key.split("|")
        if authority not in authorities:
            continue
        values = rows.setdefault(title, dict.fromkeys(columns, 0))
        values["total"] += count
        values[nominee_kind] += count
        values[f"method.{method}"] += count
    body = [
        FormRow(code=title, label=TITLE_LABELS.get(title, title), values=values)
        for title, values in sorted(rows.items())
    ]
    total = {c: sum(r.values[c] for r in body) for c in columns}
    return Form(
        form=form,
        name=name,
        scope_label=scope_label,
        year=year,
        columns=columns,
        rows=[FormRow(code="total", label="Tổng số", values=total), *body],
    )


def form_0602(figures: Figures, *, scope_label: str, year: int) -> Form:
    return _awards_form(
        figures,
        STATE_AUTHORITIES,
        form="0602.N",
        name="Số khen thưởng cấp Nhà nước",
        scope_label=scope_label,
        year=year,
    )


def form_0603(figures: Figures, *, scope_label: str, year: int) -> Form:
    return _awards_form(
        figures,
        MINISTRY_PROVINCE_AUTHORITIES,
        form="0603.N",
        name="Số khen thưởng cấp bộ, ban, ngành, tỉnh",
        scope_label=scope_label,
        year=year,
    )
