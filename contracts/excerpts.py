"""What names a refused event, read from its data: its top-level fields that a reader would
quote (a decision's number and date, a plan's title, a person's name …), carried by
``InputRejected.excerpt`` so that a refusal can be told in words rather than by its id.

Like ``contracts.subjects`` it reads by field name, so it works on any payload, a refused one
included (its data may not even match its type's schema); values of the wrong shape are left
out, so a refusal carrying them stays valid.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

NAMING_FIELDS = (
    "number",
    "issued_on",
    "session_on",
    "title",
    "name",
    "full_name",
    "year",
    "received_on",
    "registered_on",
    "submitted_on",
    "held_on",
    "joined_on",
    "established_on",
    "document_kind",
    "kind",
    "level",
    "authority",
)
"""The fields an excerpt may carry, in the order a reader names a thing by them."""
MAX_EXCERPT_FIELDS = len(NAMING_FIELDS)
MAX_TEXT = 200
"""A longer text is cut (with '…'): an excerpt names, it does not copy."""

Scalar = str | int | float | bool


def excerpt_of(data: Mapping[str, Any] | None) -> dict[str, Scalar] | None:
    """The naming fields of ``data`` that are plain values; None when it has none."""
    found: dict[str, Scalar] = {}
    for name in NAMING_FIELDS:
        value = (data or {}).get(name)
        if isinstance(value, str):
            found[name] = value if len(value) <= MAX_TEXT else value[: MAX_TEXT - 1] + "…"
        elif isinstance(value, bool | int) or (isinstance(value, float) and math.isfinite(value)):
            found[name] = value  # NaN and infinities would not survive JSON
    return found or None
