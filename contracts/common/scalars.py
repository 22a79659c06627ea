"""Constrained scalar types shared by every contract: identifiers, texts and quantities.

Apart from the enumerations and value objects because these are the leaves every other
contract type is built from: they import nothing of the contracts. Quantities are exact
decimals on the Python side and JSON numbers on the wire.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field, PlainSerializer, StringConstraints, WithJsonSchema

# --- identifiers and texts -------------------------------------------------------------------

ENTITY_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$"
DEPARTMENT_CODE_PATTERN = r"^[a-z0-9][a-z0-9-]{0,48}$"

EntityId = Annotated[
    str,
    StringConstraints(pattern=ENTITY_ID_PATTERN),
    Field(description="Opaque identifier chosen by the producer; prefix with the department code."),
]
"""Aggregate and entity identifiers (units, people, campaigns, nominations, ...)."""

DepartmentCode = Annotated[
    str,
    StringConstraints(pattern=DEPARTMENT_CODE_PATTERN),
    Field(description="Department code, as in its ingress topic thidua.ingress.<code> (mã Sở)."),
]

DocumentNumber = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]+[/-]\S{1,80}$"),
    Field(
        description="Số hiệu văn bản, without spaces: e.g. 53/KH-SCT, 02/CT-UBND, 34-CT/TW.",
        examples=["53/KH-SCT"],
    ),
]

ReasonCode = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$", max_length=100),
    Field(
        description="Stable machine-readable code, '<area>.<reason>', "
        "e.g. registration.deadline_passed.",
    ),
]

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
"""Names: people, organisations, positions, indicators."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
"""Titles, themes, slogans, reasons."""

LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
"""Summaries and descriptions."""

FieldPath = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z_][a-z0-9_]*(\.([a-z_][a-z0-9_]*|[0-9]+))*$", max_length=200),
    Field(
        description="Dotted path of a field in the same payload, list items by index, "
        "e.g. period.end, phases.0.name.",
        examples=["period.end"],
    ),
]
"""A field of a payload, named from the payload's root."""

Email = Annotated[
    str,
    StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=320),
    Field(description="Email address."),
]

# --- numbers ---------------------------------------------------------------------------------


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


Quantity = Annotated[
    Decimal,
    Field(allow_inf_nan=False),
    PlainSerializer(_json_number, when_used="json"),
    WithJsonSchema({"type": "number"}),
]
"""An exact decimal quantity, a JSON number on the wire (e.g. 19663, 8.76, -31.2)."""

NonNegativeQuantity = Annotated[
    Decimal,
    Field(ge=0, allow_inf_nan=False),
    PlainSerializer(_json_number, when_used="json"),
    WithJsonSchema({"type": "number", "minimum": 0}),
]

Percent = Annotated[
    Decimal,
    Field(ge=0, le=100, allow_inf_nan=False),
    PlainSerializer(_json_number, when_used="json"),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 100}),
]
"""A share in percent, 0 to 100 (e.g. 70 for ~70% of the delegates)."""

DurationDays = Annotated[
    Decimal,
    Field(gt=0, le=31, allow_inf_nan=False),
    PlainSerializer(_json_number, when_used="json"),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": 31}),
]
"""How long something lasts, in days, at most a month (e.g. 0.5 for 1/2 ngày)."""

MAX_COUNT = 10_000_000
"""Counts of people, votes, staff: far above any real one, and within the read models'
``integer`` columns when summed (a headcount of 3 billion passed registration, and reporting
could not write it: asyncpg refuses it for an ``integer``, a poison record for its DLQ)."""
MAX_VND = 10**12
"""An amount in đồng: 1,000 billion, far above any award, summed within ``bigint``."""

Vnd = Annotated[
    int, Field(ge=0, le=MAX_VND, description="Amount in Vietnamese đồng (VND), integer.")
]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Year = Annotated[int, Field(ge=1945, le=2100)]
