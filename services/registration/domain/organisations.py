"""Lifecycles of ministries, provinces and departments (issue 16, DOMAIN.md §8).

Each organisation's stream holds its registration, then its renamings, its merger into a
successor (hợp nhất, sáp nhập) or its dissolution (giải thể), each effective-dated. A fact is
judged against the organisation as it stood on the fact's own date: from the day a department
merged away, it no longer speaks (its facts are refused, naming the successor); before that
day, it still does, even when the fact is filed late.

The merger arithmetic (who succeeds whom on a day, through chains) is the kernel's
:class:`thidua.es.succession.Successions`; this module folds one organisation's stream and
states the rules and the refusals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from contracts.base import EventData
from contracts.common import OrgKind
from contracts.registration import (
    DepartmentDissolved,
    DepartmentMerged,
    DepartmentRegistered,
    DepartmentRenamed,
    MinistryDissolved,
    MinistryMerged,
    MinistryRegistered,
    MinistryRenamed,
    OrgChange,
    ProvinceDissolved,
    ProvinceMerged,
    ProvinceRegistered,
    ProvinceRenamed,
)
from services.registration.domain.common import as_of, decide_first, refuse, vn_date
from thidua.es.rejections import Refused
from thidua.es.succession import Merger, Successions, cite


def field_of(kind: OrgKind) -> str:
    """The payloads' field naming an organisation of ``kind`` (ministry, province, department)."""
    return "department_code" if kind is OrgKind.DEPARTMENT else f"{kind.value}_id"


def into_field_of(kind: OrgKind) -> str:
    return f"into_{field_of(kind)}"


NOUN = {OrgKind.MINISTRY: "Bộ", OrgKind.PROVINCE: "tỉnh", OrgKind.DEPARTMENT: "Sở"}


Registered = MinistryRegistered | ProvinceRegistered | DepartmentRegistered
Renamed = MinistryRenamed | ProvinceRenamed | DepartmentRenamed
Merged = MinistryMerged | ProvinceMerged | DepartmentMerged
Dissolved = MinistryDissolved | ProvinceDissolved | DepartmentDissolved
Change = Renamed | Merged | Dissolved

KIND_OF: dict[type[EventData], OrgKind] = {
    **dict.fromkeys((MinistryRegistered, MinistryRenamed, MinistryMerged), OrgKind.MINISTRY),
    MinistryDissolved: OrgKind.MINISTRY,
    **dict.fromkeys((ProvinceRegistered, ProvinceRenamed, ProvinceMerged), OrgKind.PROVINCE),
    ProvinceDissolved: OrgKind.PROVINCE,
    **dict.fromkeys(
        (DepartmentRegistered, DepartmentRenamed, DepartmentMerged), OrgKind.DEPARTMENT
    ),
    DepartmentDissolved: OrgKind.DEPARTMENT,
}


def code_of(fact: EventData) -> str:
    """The organisation a lifecycle fact is about."""
    return str(getattr(fact, field_of(KIND_OF[type(fact)])))


def into_of(fact: Merged) -> str:
    return str(getattr(fact, into_field_of(KIND_OF[type(fact)])))


# --- the state of one organisation -----------------------------------------------------------


@dataclass(frozen=True)
class Organisation:
    kind: OrgKind
    registered: Registered
    renamings: tuple[Renamed, ...] = ()
    merged: Merged | None = None
    dissolved: Dissolved | None = None

    @property
    def code(self) -> str:
        return code_of(self.registered)

    @property
    def province(self) -> str:
        """A department's province."""
        assert isinstance(self.registered, DepartmentRegistered)
        return self.registered.province_id

    @property
    def established_on(self) -> date | None:
        return self.registered.established_on

    @property
    def merger(self) -> Merger | None:
        if self.merged is None:
            return None
        return Merger(
            self.code, into_of(self.merged), self.merged.effective_on, cite(self.merged.legal_basis)
        )

    @property
    def ended_on(self) -> date | None:
        end = self.merged or self.dissolved
        return end.effective_on if end is not None else None

    @property
    def last_change(self) -> date | None:
        days = [c.effective_on for c in self.renamings]
        return max(days) if days else self.established_on

    def name_on(self, day: date | None) -> str:
        names = sorted((r.effective_on, r.name) for r in self.renamings)
        return as_of(self.registered.name, names, day)

    def label(self, day: date | None) -> str:
        """How a message names it: "tỉnh Bạc Liêu", "Sở Công Thương Bạc Liêu"."""
        name = self.name_on(day)
        if self.kind is OrgKind.PROVINCE and not name.casefold().startswith(("tỉnh", "thành")):
            return f"tỉnh {name}"
        return name

    def merged_by(self, day: date | None) -> Merger | None:
        """The merger in force on ``day`` (None: any recorded merger)."""
        merger = self.merger
        return merger if merger is not None and (day is None or merger.on <= day) else None

    def dissolved_by(self, day: date | None) -> Dissolved | None:
        gone = self.dissolved
        return gone if gone is not None and (day is None or gone.effective_on <= day) else None


def fold(payloads: Iterable[EventData]) -> Organisation | None:
    state: Organisation | None = None
    for p in payloads:
        if isinstance(p, MinistryRegistered | ProvinceRegistered | DepartmentRegistered):
            state = state or Organisation(KIND_OF[type(p)], p)
        elif state is None:
            continue
        elif isinstance(p, MinistryRenamed | ProvinceRenamed | DepartmentRenamed):
            state = replace(state, renamings=(*state.renamings, p))
        elif isinstance(p, MinistryMerged | ProvinceMerged | DepartmentMerged):
            state = replace(state, merged=p)
        elif isinstance(p, MinistryDissolved | ProvinceDissolved | DepartmentDissolved):
            state = replace(state, dissolved=p)
    return state


@dataclass(frozen=True)
class Lineage:
    """The mergers from some organisations onwards (their successors' streams read in turn),
    and the organisations met on the way: what a refusal needs to name who speaks now."""

    chain: Successions = field(default_factory=Successions)
    known: dict[str, Organisation] = field(default_factory=dict)


# --- refusals --------------------------------------------------------------------------------


def unknown(kind: OrgKind, code: str, field: str | None = None) -> Refused:
    return refuse(
        f"directory.unknown_{kind.value}",
        f"{NOUN[kind].capitalize()} '{code}' chưa được đăng ký",
        field or field_of(kind),
    )


def channel(kind: OrgKind, code: str) -> str:
    """Where the successor's facts are sent, as a refusal tells the sender."""
    if kind is OrgKind.DEPARTMENT:
        return f": gửi qua kênh của Sở {code}"
    if kind is OrgKind.PROVINCE:
        return f": gửi qua kênh của Ban Thi đua - Khen thưởng tỉnh ({code}-board)"
    return ""


def merged_away(
    org: Organisation,
    day: date | None,
    lineage: Lineage,
    field: str | None = None,
    hint: str | None = None,
) -> Refused:
    """``org`` had merged away by ``day``: the refusal names its successor (and, through a
    chain, the one that speaks for it on that day), the date and the legal basis, and where to
    send instead (``hint`` replaces the default channel sentence)."""
    merger = org.merged_by(day)
    assert merger is not None
    kind = org.kind
    into = lineage.known.get(merger.into)
    into_label = into.label(day) if into is not None else f"{NOUN[kind]} {merger.into}"
    speaker = lineage.chain.successor(org.code, day)
    basis = f" theo {merger.basis}" if merger.basis else ""
    now = ""
    if speaker != merger.into:
        later = lineage.known.get(speaker)
        now = f", nay thuộc {later.label(day) if later else speaker} (mã {speaker})"
    return refuse(
        f"directory.{kind.value}_merged",
        f"{org.label(merger.on)} đã hợp nhất vào {into_label} (mã {merger.into}) từ ngày "
        f"{vn_date(merger.on)}{basis}{now}{hint if hint is not None else channel(kind, speaker)}",
        field or field_of(kind),
    )


def dissolved(org: Organisation, field: str | None = None) -> Refused:
    gone = org.dissolved
    assert gone is not None
    basis = cite(gone.legal_basis)
    return refuse(
        f"directory.{org.kind.value}_dissolved",
        f"{org.label(gone.effective_on)} đã giải thể từ ngày {vn_date(gone.effective_on)}"
        + (f" theo {basis}" if basis else ""),
        field or field_of(org.kind),
    )


def require_standing(
    org: Organisation,
    day: date | None,
    lineage: Lineage,
    field: str | None = None,
    hint: str | None = None,
) -> None:
    """``org`` still exists on ``day`` (None: whatever the date), or the refusal says why."""
    if org.merged_by(day) is not None:
        raise merged_away(org, day, lineage, field, hint)
    if org.dissolved_by(day) is not None:
        raise dissolved(org, field)


# --- decisions on the lifecycle facts --------------------------------------------------------


def decide_once(existing: EventData | None, fact: EventData, what: str) -> list[EventData]:
    """Ministries, provinces, departments: the first statement stands; a same repeat is a no-op."""
    return decide_first(existing, fact, "directory.conflicting_duplicate", what)


def _not_before_establishment(org: Organisation, fact: OrgChange) -> None:
    established = org.established_on
    if established is not None and fact.effective_on < established:
        raise refuse(
            "directory.before_establishment",
            f"Ngày {vn_date(fact.effective_on)} trước ngày thành lập {org.label(established)} "
            f"({vn_date(established)})",
            "effective_on",
        )


def _in_order(org: Organisation, fact: OrgChange) -> None:
    """A merger or a dissolution comes after the organisation's last renaming."""
    last = max((r.effective_on for r in org.renamings), default=None)
    if last is not None and fact.effective_on < last:
        raise refuse(
            "directory.effective_date_out_of_order",
            f"Ngày {vn_date(fact.effective_on)} trước thay đổi gần nhất của "
            f"{org.label(last)} ({vn_date(last)})",
            "effective_on",
        )


def decide_rename(org: Organisation, fact: Renamed, lineage: Lineage) -> list[EventData]:
    if fact in org.renamings:
        return []
    _not_before_establishment(org, fact)
    require_standing(org, fact.effective_on, lineage)
    return [] if org.name_on(fact.effective_on) == fact.name else [fact]


def decide_dissolve(org: Organisation, fact: Dissolved, lineage: Lineage) -> list[EventData]:
    if org.dissolved == fact:
        return []
    if org.dissolved is not None:
        raise refuse(
            "directory.already_dissolved",
            f"{org.label(None)} đã giải thể từ ngày {vn_date(org.dissolved.effective_on)}",
            "effective_on",
        )
    if org.merged is not None:  # whatever the date: an organisation ends once
        raise merged_away(org, None, lineage, hint="")
    _not_before_establishment(org, fact)
    _in_order(org, fact)
    return [fact]


def decide_merge(
    org: Organisation,
    into: Organisation | None,
    fact: Merged,
    lineage: Lineage,
) -> list[EventData]:
    """``lineage``: from ``org`` and from ``into`` onwards, as recorded so far."""
    kind, target, day = org.kind, into_of(fact), fact.effective_on
    if org.merged == fact:
        return []
    if org.merged is not None:
        merger = org.merger
        assert merger is not None
        raise refuse(
            "directory.already_merged",
            f"{org.label(None)} đã hợp nhất vào {NOUN[kind]} {merger.into} từ ngày "
            f"{vn_date(merger.on)}; không ghi nhận lần hợp nhất khác",
            into_field_of(kind),
        )
    if org.dissolved is not None:
        raise dissolved(org)
    _not_before_establishment(org, fact)
    _in_order(org, fact)
    if target == org.code:
        raise refuse(
            "directory.merge_into_itself",
            f"Không thể hợp nhất {org.label(day)} vào chính nó",
            into_field_of(kind),
        )
    if into is None:
        raise unknown(kind, target, into_field_of(kind))
    if into.established_on is not None and into.established_on > day:
        raise refuse(
            "directory.successor_not_established",
            f"{into.label(into.established_on)} thành lập ngày {vn_date(into.established_on)}, "
            f"sau ngày hợp nhất {vn_date(day)}",
            into_field_of(kind),
        )
    require_standing(into, day, lineage, into_field_of(kind), hint="")
    if org.code in _chain_from(lineage.chain, target):
        raise _cycle(org, target)
    return [fact]


def _chain_from(chain: Successions, code: str) -> set[str]:
    """Every organisation ``code`` merges into, whatever the dates."""
    found: set[str] = set()
    current = chain.merger(code)
    while current is not None and current.into not in found:
        found.add(current.into)
        current = chain.merger(current.into)
    return found


def _cycle(org: Organisation, target: str) -> Refused:
    return refuse(
        "directory.merge_cycle",
        f"{NOUN[org.kind].capitalize()} {target} đã (hoặc sẽ) hợp nhất vào {org.label(None)}: "
        "không thể hợp nhất vòng tròn",
        into_field_of(org.kind),
    )
