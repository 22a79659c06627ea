"""The fuzz run's world and its hand-made cases: valid traffic (with duplicates and ignored
repeats), and hostile records by order and by replay (``spoil`` spoils records on the wire)."""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from contracts import topics
from contracts.envelope import CloudEvent
from contracts.registration import (
    DepartmentRegistered,
    MinistryRegistered,
    PersonJoined,
    PersonLeft,
    PersonRoleChanged,
    ProvinceRegistered,
    UnitEstablished,
)
from contracts.rejections import GenericReason

Headers = list[tuple[str, bytes]]

ACCEPTED = "accepted"
REJECTED = "rejected"
IGNORED = "ignored"
DUPLICATE = "duplicate"

INVALID = frozenset({GenericReason.ENVELOPE_INVALID.value})
TOO_LARGE = frozenset({GenericReason.TOO_LARGE.value})


@dataclass(frozen=True)
class Expect:
    """What must become of a record: its outcome and, for a refusal, the codes its reasons
    may have (each reason's code must be one of them)."""

    outcome: str
    codes: frozenset[str] = frozenset()


@dataclass
class Case:
    kind: str
    """``valid/…`` or ``hostile/…``: what the record is."""
    department: str
    value: bytes
    expect: Expect
    headers: Headers = field(default_factory=list)
    event_id: str | None = None
    position: str | None = None
    """topic/partition/offset, once sent."""

    @property
    def hostile(self) -> bool:
        return self.kind.startswith("hostile/")


def refused(*codes: str) -> Expect:
    return Expect(REJECTED, frozenset(codes))


@dataclass(frozen=True)
class World:
    """Two departments of a ministry and a province of their own (registered by the province's
    board), two units each."""

    uid: str

    @property
    def departments(self) -> tuple[str, str]:
        return (f"{self.uid}-a", f"{self.uid}-b")

    @property
    def province(self) -> str:
        return f"{self.uid}-tinh"

    @property
    def board(self) -> str:
        """The province's board: the only one that registers the directory."""
        return topics.board(self.province)

    @property
    def ingress(self) -> list[str]:
        return [topics.ingress(d) for d in (self.board, *self.departments)]

    def unit(self, department: str, n: int = 1) -> str:
        return f"{department}/u{n}"

    def setup(self) -> list[list[tuple[str, CloudEvent]]]:
        """Reference data in rounds: each round needs the previous one accepted."""
        ministry, province, board = f"{self.uid}-bo", self.province, self.board
        reference = [
            MinistryRegistered(ministry_id=ministry, name="Bộ thử", sector_code="thu"),
            ProvinceRegistered(province_id=province, name="Tỉnh thử"),
        ]
        departments = [
            DepartmentRegistered(
                department_code=d, name=f"Sở thử {d}", province_id=province, ministry_id=ministry
            )
            for d in self.departments
        ]
        units = [
            UnitEstablished(
                unit_id=self.unit(d, n),
                department_code=d,
                name=f"Phòng {n}",
                kind="attached_unit",
                established_on=date(2015, 1, 1),
            )
            for d in self.departments
            for n in (1, 2)
        ]
        return [
            [(board, envelope(board, p)) for p in reference],
            [(board, envelope(board, p)) for p in departments],
            [(p.department_code, envelope(p.department_code, p)) for p in units],
        ]


def envelope(department: str, payload: Any, **changes: Any) -> CloudEvent:
    event = CloudEvent.new(
        payload, source=f"urn:thidua:department:{department}", department=department
    )
    return event.model_copy(update=changes) if changes else event


def raw_envelope(department: str, event_type: str, data: Any, **attributes: Any) -> dict[str, Any]:
    """A structured envelope as a JSON object (``data`` need not match ``event_type``)."""
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": f"urn:thidua:department:{department}",
        "type": event_type,
        "time": datetime.now(UTC).isoformat(),
        "department": department,
        "datacontenttype": "application/json",
        "data": data,
        **attributes,
    }


def dumps(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


def binary(event: dict[str, Any]) -> tuple[bytes, Headers]:
    """The CloudEvents Kafka binding's binary mode: attributes in ``ce_`` headers."""
    headers = [
        (f"ce_{k}", str(v).encode())
        for k, v in event.items()
        if k not in ("data", "datacontenttype")
    ]
    headers.append(("content-type", b"application/json"))
    return dumps(event["data"]), headers


class Valid:
    """Valid traffic of one department: people join, change roles; some records are sent
    twice (a duplicate), some facts twice under new ids (ignored)."""

    def __init__(self, world: World, department: str, rng: random.Random) -> None:
        self.world = world
        self.department = department
        self.rng = rng
        self.joined: list[tuple[PersonJoined, Case]] = []
        self.people = 0

    def person(self, unit: int = 1, **changes: Any) -> PersonJoined:
        self.people += 1
        fields: dict[str, Any] = {
            "person_id": f"{self.department}/p{self.people}",
            "department_code": self.department,
            "unit_id": self.world.unit(self.department, unit),
            "full_name": f"Nguyễn Văn {self.people}",
            "sex": self.rng.choice(["female", "male"]),
            "position": "Chuyên viên",
            "joined_on": date(2016, 1, 1) + timedelta(days=self.rng.randrange(3000)),
        }
        return PersonJoined(**{**fields, **changes})

    def case(self, kind: str, event: CloudEvent, expect: Expect) -> Case:
        return Case(kind, self.department, event.to_json(), expect, event_id=event.id)

    def next(self) -> list[Case]:
        """One valid record (or a valid pair), chosen at random."""
        roll = self.rng.random()
        if self.joined and roll < 0.1:
            _, earlier = self.rng.choice(self.joined)
            return [
                Case(
                    "valid/same-id-same-content",
                    self.department,
                    earlier.value,
                    Expect(DUPLICATE),
                    earlier.headers,
                    earlier.event_id,
                )
            ]
        if self.joined and roll < 0.2:
            payload, _ = self.rng.choice(self.joined)
            event = envelope(self.department, payload)
            return [self.case("valid/same-fact-new-id", event, Expect(IGNORED))]
        if self.joined and roll < 0.35:
            payload, _ = self.rng.choice(self.joined)
            change = PersonRoleChanged(
                person_id=payload.person_id,
                position="Phó Trưởng phòng",
                is_leader=True,
                is_direct_worker=False,
                effective_on=payload.joined_on + timedelta(days=1 + self.rng.randrange(100)),
            )
            return [
                self.case("valid/role-changed", envelope(self.department, change), Expect(ACCEPTED))
            ]
        payload = self.person()
        event = envelope(self.department, payload)
        if roll < 0.45:
            value, headers = binary(json.loads(event.to_json()))
            made = Case(
                "valid/joined-binary", self.department, value, Expect(ACCEPTED), headers, event.id
            )
        elif roll < 0.5:
            padded = json.loads(event.to_json())
            # Unknown fields are ignored (newer producers, older consumers): within the limit.
            padded["data"]["ghi_chu_moi"] = {"x": [[["y" * 2000] * 20]] * 3}
            made = Case(
                "valid/joined-unknown-fields",
                self.department,
                dumps(padded),
                Expect(ACCEPTED),
                event_id=event.id,
            )
        else:
            made = self.case("valid/joined", event, Expect(ACCEPTED))
        self.joined.append((payload, made))
        return [made]

    def out_of_order(self) -> list[Case]:
        """Hostile by order: a departure before the arrival, a role change dated before it."""
        payload = self.person()
        left = PersonLeft(
            person_id=payload.person_id,
            unit_id=payload.unit_id,
            left_on=payload.joined_on + timedelta(days=400),
            reason="retired",
        )
        early = PersonRoleChanged(
            person_id=payload.person_id,
            position="Trưởng phòng",
            is_leader=True,
            is_direct_worker=False,
            effective_on=payload.joined_on - timedelta(days=30),
        )
        joined = self.case("valid/joined", envelope(self.department, payload), Expect(ACCEPTED))
        self.joined.append((payload, joined))
        return [
            self.case(
                "hostile/left-before-joined",
                envelope(self.department, left),
                refused("directory.unknown_person"),
            ),
            joined,
            self.case(
                "hostile/role-before-joined",
                envelope(self.department, early),
                refused("directory.effective_date_out_of_order"),
            ),
        ]

    def replay_changed(self) -> Case | None:
        """An accepted event's id again, with other content."""
        if not self.joined:
            return None
        payload, earlier = self.rng.choice(self.joined)
        assert earlier.event_id is not None
        changed = payload.model_copy(update={"full_name": payload.full_name + " (sửa)"})
        event = envelope(self.department, changed, id=earlier.event_id)
        return self.case(
            "hostile/same-id-other-content",
            event,
            refused(GenericReason.DUPLICATE_ID_CONFLICT.value),
        )
