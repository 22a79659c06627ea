"""Payloads and envelopes drawn from the committed JSON Schemas (``contracts/schemas``, see
``contracts.generate``) with hypothesis-jsonschema, then mutated so that each record's fate is
known in advance: a wrong type or a missing required field (``data.invalid``), a payload about
another department (``producer.foreign_department``, or ``data.invalid`` where the model is
stricter than its schema), a type no department may submit, an unknown type, an envelope
missing an attribute. A record that holds NUL anywhere is refused for that first
(``envelope.invalid``)."""

from __future__ import annotations

import json
import random
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from contracts.generate import REPO_ROOT, SCHEMA_DIR
from contracts.rejections import GenericReason
from thidua.fuzz.cases import INVALID, Case, Expect, dumps, raw_envelope, refused

Json = dict[str, Any]

ENVELOPE_SCHEMA = "cloudevent.json"
SUBMITTING = ("registration", "awards")
"""The services that read departments' ingress topics."""
DATA_INVALID = GenericReason.DATA_INVALID.value


def committed_schemas(directory: Path | None = None) -> dict[str, Json]:
    """Type name (or ``cloudevent``) → its committed JSON Schema, without its examples and
    its ``$id`` (hypothesis-jsonschema would resolve local references against that URN)."""
    found: dict[str, Json] = {}
    for path in sorted((directory or REPO_ROOT / SCHEMA_DIR).glob("*.json")):
        schema = json.loads(path.read_text())
        for key in ("examples", "$id", "$schema"):  # refs are local ("#/$defs/…")
            schema.pop(key, None)
        name = schema.get("x-thidua", {}).get("type") or path.stem
        found[name] = schema
    return found


def draw(schemas: dict[str, Json], count: int, seed: int) -> list[tuple[str, Json]]:
    """``count`` (name, instance) pairs, each an instance of one of ``schemas`` drawn by
    hypothesis-jsonschema (the same ``seed``, the same instances)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as with_seed
    from hypothesis import strategies as st
    from hypothesis_jsonschema import from_schema

    _legacy_many()
    names = sorted(schemas)
    strategies = {n: from_schema(schemas[n]) for n in names}
    found: list[tuple[str, Json]] = []

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def collect(data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(names))
        instance = data.draw(strategies[name])
        assert isinstance(instance, dict)  # every committed schema is of an object
        found.append((name, instance))

    attempt = 0
    while len(found) < count:  # hypothesis may stop early; draw again with another seed
        with_seed(seed + attempt)(collect)()
        attempt += 1
    return found[:count]


def _legacy_many() -> None:
    """hypothesis-jsonschema 0.23.1 (the latest) draws objects with ``many(...).more()``, which
    hypothesis 6.16x replaced by ``with many(...) as elements: for _ in elements``; give it
    the old protocol on top of the new one (its only use of hypothesis' internals)."""
    from hypothesis.internal.conjecture import utils
    from hypothesis_jsonschema import _from_schema

    if hasattr(utils.many, "more") or not hasattr(utils.many, "__enter__"):
        return

    class Many:
        def __init__(self, data: Any, **sizes: Any) -> None:
            self._many = utils.many(data, **sizes)
            self._many.__enter__()
            self._steps = iter(self._many)

        def more(self) -> bool:
            if next(self._steps, StopIteration) is StopIteration:
                self._many.__exit__(None)
                return False
            return True

        def reject(self, why: str | None = None) -> None:
            self._many.reject(why)

    _from_schema.cu = SimpleNamespace(many=Many)  # type: ignore[assignment,attr-defined]


def holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(holds_nul(v) for v in value)
    return False


class Mutator:
    """Hostile records from drawn instances, for one department's ingress topic."""

    def __init__(
        self, schemas: dict[str, Json], department: str, other: str, rng: random.Random
    ) -> None:
        self.schemas = schemas
        self.department = department
        self.other = other
        self.rng = rng
        self.validators = {n: _validator(s) for n, s in schemas.items()}

    def case(self, name: str, instance: Json) -> Case:
        if name == ENVELOPE_SCHEMA.removesuffix(".json"):
            return self._envelope(instance)
        meta = self.schemas[name]["x-thidua"]
        if not meta["submittable"] or meta["service"] not in SUBMITTING:
            return self._record(
                "not-submittable",
                name,
                instance,
                refused(DATA_INVALID, GenericReason.NOT_SUBMITTABLE.value),
            )
        roll = self.rng.random()
        if roll < 0.1:
            mutated = self._out_of_range(name, instance)
            if mutated is not None:
                return self._record("schema-out-of-range", name, mutated, refused(DATA_INVALID))
        if roll < 0.35:
            mutated = self._wrong_type(name, instance)
            if mutated is not None:
                return self._record("schema-wrong-type", name, mutated, refused(DATA_INVALID))
        if roll < 0.6:
            required = self.schemas[name].get("required", [])
            if required:
                gone = self.rng.choice(required)
                mutated = {k: v for k, v in instance.items() if k != gone}
                return self._record("schema-missing-field", name, mutated, refused(DATA_INVALID))
        if roll < 0.8:
            return self._record(
                "schema-foreign-department",
                name,
                instance,
                refused(DATA_INVALID, GenericReason.FOREIGN_DEPARTMENT.value),
                department=self.other,
            )
        return self._record(
            "schema-unknown-type",
            _unknown(name, self.rng),
            instance,
            refused(GenericReason.UNKNOWN_TYPE.value),
        )

    def _record(
        self, kind: str, type_name: str, data: Json, expect: Expect, department: str | None = None
    ) -> Case:
        event = raw_envelope(department or self.department, type_name, data)
        if holds_nul(data):
            expect = refused(*INVALID)
        return Case(f"hostile/{kind}", self.department, dumps(event), expect, event_id=event["id"])

    def _envelope(self, instance: Json) -> Case:
        """A drawn envelope (its type unknown, in all likelihood) missing one attribute."""
        instance = {**instance, "id": str(uuid.uuid4())}
        required = [a for a in ("id", "source", "type", "time", "data") if a in instance]
        instance.pop(self.rng.choice(required))
        return Case(
            "hostile/schema-envelope-incomplete",
            self.department,
            dumps(instance),
            refused(*INVALID),
            event_id=instance.get("id"),
        )

    def _out_of_range(self, name: str, instance: Json) -> Json | None:
        """``instance`` with a bounded number just past its maximum (a count of billions)."""
        bounded = [
            (prop, schema["maximum"])
            for prop, declared in self.schemas[name].get("properties", {}).items()
            for schema in [declared, *declared.get("anyOf", [])]
            if isinstance(schema.get("maximum"), int)
        ]
        if not bounded:
            return None
        prop, maximum = self.rng.choice(bounded)
        return {**instance, prop: maximum + self.rng.choice([1, 10**9, 10**20])}

    def _wrong_type(self, name: str, instance: Json) -> Json | None:
        """``instance`` with one property replaced by a value of a kind its schema refuses."""
        properties = list(self.schemas[name].get("properties", {}))
        self.rng.shuffle(properties)
        for prop in properties:
            for wrong in WRONG_VALUES:
                mutated = {**instance, prop: wrong}
                if not self.validators[name].is_valid(mutated):
                    return mutated
        return None


WRONG_VALUES: list[Any] = [{"fuzz": [1]}, [{"fuzz": 1}], "fuzz", 12345]
"""Candidates for a wrong type, in order; none that pydantic would coerce where the schema
refuses it (a boolean for an integer, a number for a date)."""


def _unknown(name: str, rng: random.Random) -> str:
    parts = name.split(".")
    return rng.choice(
        [
            ".".join([*parts[:-2], parts[-2] + "Fuzz", parts[-1]]),
            ".".join([*parts[:-1], "v9"]),
            "com.example." + parts[-2],
            "vn.thidua.awards.Bogus.v1",
            "vn.thidua.registration.Bogus.v1",
            "vn.thidua.reporting.Rollup.v1",
        ]
    )


def _validator(schema: Json) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema)
