"""The events reporting counts, read straight from their bytes.

One discriminated union of the counted types parses a record's envelope and payload in a
single pass (pydantic's JSON parser), instead of the generic envelope and then the payload
from a dict. The envelope's attributes are checked as ``CloudEvent`` checks them. Anything
else takes the generic path, so it is treated as before: a type reporting does not count is
skipped, and a record that is not a valid event raises (the live projection dead-letters it).
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from functools import reduce
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    create_model,
)

from contracts.base import EVENT_TYPES, EventData
from contracts.envelope import CloudEvent


class Counted(NamedTuple):
    id: str
    type: str
    payload: EventData


def _envelope(model: type[EventData]) -> type[BaseModel]:
    name = model.type_name()
    fields: dict[str, Any] = {
        "specversion": (Literal["1.0"], "1.0"),
        "id": (str, Field(min_length=1, max_length=200)),
        "source": (str, Field(min_length=1, max_length=500)),
        "type": (Literal[name], ...),
        "time": (AwareDatetime, ...),
        "data": (model, ...),
    }
    created: type[BaseModel] = create_model(
        f"Envelope_{model.__name__}", __config__=ConfigDict(extra="ignore"), **fields
    )
    return created


class Reader:
    """Parses the records of the types in ``models``."""

    def __init__(self, models: Iterable[type[EventData]]) -> None:
        envelopes = [_envelope(m) for m in models]
        union: Any = Annotated[reduce(operator.or_, envelopes), Field(discriminator="type")]
        self._adapter: TypeAdapter[Any] = TypeAdapter(union)

    def read(self, raw: bytes) -> Counted | None:
        """The event of ``raw``, or None for a type reporting does not count."""
        try:
            e = self._adapter.validate_json(raw)
            return Counted(e.id, e.type, e.data)
        except ValidationError:
            event = CloudEvent.from_json(raw)  # raises for what is not a valid event
            if event.type not in EVENT_TYPES:
                return None  # another owner's newer type: nothing reporting counts yet
            return Counted(event.id, event.type, event.payload())
