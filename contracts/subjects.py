"""The subjects an event concerns (người, đơn vị, hồ sơ, phong trào, sáng kiến …), read from
its data by field name: what the audit trail indexes, and what a refusal names so that the
refused event can be found under its subjects too (``InputRejected.subjects``).

The reading is by name, not by type, so it works on any payload, a refused one included (its
data may not even match its type's schema): ``person_id`` names a person wherever it appears,
``nominee_kind`` + ``nominee_id`` a person or a unit. Values that are not well-formed ids are
left out, so a refusal carrying them stays valid.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from typing import Any, Literal, cast

from pydantic import Field

from contracts.common import ENTITY_ID_PATTERN, Value

SubjectKindName = Literal[
    "person",
    "unit",
    "department",
    "province",
    "ministry",
    "bloc",
    "campaign",
    "nomination",
    "decision",
    "initiative",
    "research",
    "exemplary",
    "conference",
    "case",
]
SUBJECT_KINDS: tuple[str, ...] = SubjectKindName.__args__  # type: ignore[attr-defined]
MAX_SUBJECTS = 50
"""A refusal names at most this many subjects (a long list names the first ones)."""
MAX_DEPTH = 8
"""Subjects are looked for this deep in nested objects, no deeper."""

FIELDS: dict[str, str] = {
    "person_id": "person",
    "unit_id": "unit",
    "to_unit_id": "unit",
    "from_unit_id": "unit",
    "into_unit_id": "unit",
    "parent_unit_id": "unit",
    "organiser_unit_id": "unit",
    "department_code": "department",
    "into_department_code": "department",
    "from_department_code": "department",
    "to_department_code": "department",
    "province_id": "province",
    "into_province_id": "province",
    "ministry_id": "ministry",
    "into_ministry_id": "ministry",
    "bloc_id": "bloc",
    "campaign_id": "campaign",
    "nomination_id": "nomination",
    "nomination_ids": "nomination",
    "decision_id": "decision",
    "initiative_id": "initiative",
    "initiative_ids": "initiative",
    "research_id": "research",
    "research_ids": "research",
    "exemplary_id": "exemplary",
    "conference_id": "conference",
    "case_id": "case",
}
"""A field naming one subject (or a list of them) of a fixed kind."""
KINDED: dict[str, str] = {
    "nominee": "nominee_kind",
    "registrant": "registrant_kind",
    "subject": "subject_kind",
    "member": "member_kind",
    "org": "org_kind",
}
"""``<name>_id`` whose kind is given by a sibling field."""
KIND_NAMES = {"individual": "person", "collective": "unit"}
_ID = re.compile(ENTITY_ID_PATTERN)


class SubjectRef(Value):
    """One subject an event concerns: its kind and its id."""

    kind: SubjectKindName
    id: str = Field(pattern=ENTITY_ID_PATTERN)


def subjects_of(data: Mapping[str, Any] | None) -> list[SubjectRef]:
    """Every subject ``data`` names (nested objects and lists included), each once, in the
    order first met."""
    seen: dict[tuple[str, str], None] = {}
    for kind, value in _walk(data or {}):
        if kind in SUBJECT_KINDS and isinstance(value, str) and _ID.fullmatch(value):
            seen.setdefault((kind, value), None)
    return [_ref(k, i) for k, i in seen]


@functools.lru_cache(maxsize=1 << 16)
def _ref(kind: str, id_: str) -> SubjectRef:
    """Both checked by the caller as the model would (a known kind, an id matching the pattern
    in full): built without validating them again. Once per subject, not per record: a
    reference is immutable, and the same departments, campaigns and people recur."""
    return SubjectRef.model_construct(kind=cast(SubjectKindName, kind), id=id_)


_PLAIN = frozenset({str, int, float, bool, type(None)})
"""Types of JSON values that hold no fields (told apart without ``Mapping``'s slower check)."""


def _nested(value: object) -> bool:
    kind = type(value)
    return kind is dict or (kind not in _PLAIN and isinstance(value, Mapping))


def _walk(data: Mapping[str, Any], depth: int = 0) -> Iterator[tuple[str, object]]:
    if depth > MAX_DEPTH:  # a hostile record may nest deeper than Python recurses
        return
    for name, value in data.items():
        if name in FIELDS:
            for item in value if isinstance(value, list) else [value]:
                yield FIELDS[name], item
        elif name.endswith("_id") and (prefix := name[:-3]) in KINDED:
            kind = data.get(KINDED[prefix])
            if isinstance(kind, str):
                yield KIND_NAMES.get(kind, kind), value
        elif isinstance(value, list):
            for item in value:
                if _nested(item):
                    yield from _walk(cast(Mapping[str, Any], item), depth + 1)
        elif _nested(value):
            yield from _walk(cast(Mapping[str, Any], value), depth + 1)
