"""Refusals: a business rule or a schema says no; the producer learns why on its own
thidua.rejections.<code>."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


def validation_reasons(error: ValidationError, where: str) -> list[Reason]:
    """Schema errors as reasons: one per failing field, code ``<where>.invalid``."""
    reasons = []
    for item in error.errors()[:20]:
        location = ".".join(str(part) for part in item["loc"])
        reasons.append(
            Reason(
                f"{where}.invalid",
                f"Trường '{location or where}' không hợp lệ: {item['msg']}",
                f"{where}.{location}" if where == "data" and location else location or None,
            )
        )
    return reasons or [Reason(f"{where}.invalid", "Dữ liệu không hợp lệ")]
