"""Refusals: a business rule or a schema says no; the producer learns why on its own
thidua.rejections.<code>."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from contracts.common import RejectionReason

MAX_MESSAGE = 2000
"""The contract's bound of a reason's message (``contracts.common.Text``)."""
MAX_FIELD = 300
MAX_ITEM = 200


@dataclass(frozen=True)
class Reason:
    """Why an input was refused: a stable machine code, a Vietnamese message, the field."""

    code: str
    message: str
    field: str | None = None
    item: str | None = None
    """The item of a list the input carries that this reason concerns (a nomination id)."""

    def bounded(self) -> RejectionReason:
        """The reason as published, within its contract's bounds: a message or a field path
        that quotes a producer's text (a header's name, a key) may be longer, and refusing
        the refusal would leave the record to the DLQ."""
        return RejectionReason(
            code=self.code,
            message=_cut(self.message, MAX_MESSAGE),
            field=None if self.field is None else _cut(self.field, MAX_FIELD),
            item=None if self.item is None else _cut(self.item, MAX_ITEM),
        )


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Refused(Exception):
    """Raised by a handler to refuse its input; nothing the handler wrote is kept."""

    def __init__(self, reasons: Sequence[Reason]) -> None:
        if not reasons:
            raise ValueError("a rejection needs at least one reason")
        super().__init__("; ".join(f"{r.code}: {r.message}" for r in reasons))
        self.reasons = list(reasons)


def refuse(code: str, message: str, field: str | None = None) -> Refused:
    """The refusal for one reason: ``raise refuse("registration.deadline_passed", …)``."""
    return Refused([Reason(code, message, field)])


_SCHEMA_ERRORS: dict[str, str] = {
    "missing": "bắt buộc phải có",
    "extra_forbidden": "không được phép có",
    "string_type": "phải là chuỗi ký tự",
    "string_too_short": "quá ngắn (ít nhất {min_length} ký tự)",
    "string_too_long": "quá dài (nhiều nhất {max_length} ký tự)",
    "string_pattern_mismatch": "không đúng mẫu {pattern}",
    "int_type": "phải là số nguyên",
    "int_parsing": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "float_type": "phải là số",
    "float_parsing": "phải là số",
    "finite_number": "phải là số hữu hạn",
    "bool_type": "phải là true hoặc false",
    "bool_parsing": "phải là true hoặc false",
    "greater_than": "phải lớn hơn {gt}",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}",
    "less_than": "phải nhỏ hơn {lt}",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {le}",
    "date_type": "phải là ngày (YYYY-MM-DD)",
    "date_parsing": "phải là ngày (YYYY-MM-DD)",
    "date_from_datetime_parsing": "phải là ngày (YYYY-MM-DD)",
    "datetime_type": "phải là thời điểm theo RFC 3339",
    "datetime_parsing": "phải là thời điểm theo RFC 3339",
    "datetime_from_date_parsing": "phải là thời điểm theo RFC 3339",
    "timezone_aware": "phải ghi múi giờ",
    "literal_error": "phải là một trong {expected}",
    "enum": "phải là một trong {expected}",
    "list_type": "phải là danh sách",
    "too_short": "quá ít phần tử (ít nhất {min_length})",
    "too_long": "quá nhiều phần tử (nhiều nhất {max_length})",
    "dict_type": "phải là một đối tượng JSON",
    "model_type": "phải là một đối tượng JSON",
    "model_attributes_type": "phải là một đối tượng JSON",
    "json_invalid": "không phải JSON hợp lệ",
    "json_type": "không phải JSON hợp lệ",
    "union_tag_invalid": "có loại '{tag}' không được biết (chỉ nhận {expected_tags})",
    "union_tag_not_found": "thiếu trường phân loại '{discriminator}'",
}
"""Vietnamese for pydantic's error types (its own messages are English); a type not here keeps
pydantic's message, as do the contracts' own checks (``value_error``)."""


def schema_message(item: Mapping[str, Any]) -> str:
    """What is wrong with one field, in Vietnamese where the error's type is known."""
    template = _SCHEMA_ERRORS.get(str(item.get("type")))
    if template is None:
        return str(item["msg"])
    try:
        return template.format(**(item.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return str(item["msg"])


def validation_reasons(error: ValidationError, where: str) -> list[Reason]:
    """Schema errors as reasons: one per failing field, code ``<where>.invalid``."""
    reasons = []
    for item in error.errors()[:20]:
        location = ".".join(str(part) for part in item["loc"])
        reasons.append(
            Reason(
                f"{where}.invalid",
                f"Trường '{location or where}' không hợp lệ: {schema_message(item)}",
                f"{where}.{location}" if where == "data" and location else location or None,
            )
        )
    return reasons or [Reason(f"{where}.invalid", "Dữ liệu không hợp lệ")]
