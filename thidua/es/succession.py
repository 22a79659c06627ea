"""Who succeeds whom: the mergers of ministries, provinces and departments (issue 16).

Every service that judges or reports a fact by its organisation needs the same answers:
"had department X merged away by day D, and into whom?", "who is X's successor today?",
"which former organisations does X now include?". The services fold the registration
service's ``…Merged`` facts into a :class:`Successions` (one per kind of organisation) and ask
it; the logic is written once, here, with no I/O.

Mergers chain (A into B, later B into C): the successor of A is C, and C's predecessors are
B and A. A merger that would close a cycle is ignored (the registration service refuses it
before it is ever recorded, so this only guards the reading).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from contracts.common import DocumentRef


@dataclass(frozen=True, slots=True)
class Merger:
    """``code`` merged into ``into`` from ``on`` (inclusive), on the legal ``basis`` named."""

    code: str
    into: str
    on: date
    basis: str | None = None
    """The legal basis as officials cite it, e.g. "Nghị quyết 202/2025/QH15"."""


class Successions:
    """The mergers of one kind of organisation, by the merged-away organisation's code."""

    def __init__(self, mergers: tuple[Merger, ...] | list[Merger] = ()) -> None:
        self._merged: dict[str, Merger] = {}
        self._absorbed: dict[str, list[str]] = {}
        for merger in mergers:
            self.record(merger)

    def record(self, merger: Merger) -> bool:
        """Take a merger in; False (and nothing changes) for a repeat, a second merger of the
        same organisation, or one that would make a cycle."""
        if merger.code in self._merged or merger.code == merger.into:
            return False
        if merger.code in self._chain(merger.into):
            return False
        self._merged[merger.code] = merger
        self._absorbed.setdefault(merger.into, []).append(merger.code)
        return True

    def merger(self, code: str) -> Merger | None:
        """The merger that ended ``code``, whatever its date."""
        return self._merged.get(code)

    def merged_on(self, code: str, day: date) -> Merger | None:
        """The merger of ``code`` if it had taken effect on ``day``."""
        merger = self._merged.get(code)
        return merger if merger is not None and merger.on <= day else None

    def successor(self, code: str, day: date | None = None) -> str:
        """The organisation that speaks for ``code`` on ``day`` (today's if None): ``code``
        itself, or the end of its chain of mergers in force on that day."""
        current = code
        for merger in self._steps(code):
            if day is not None and merger.on > day:
                break
            current = merger.into
        return current

    def predecessors(self, code: str, day: date | None = None) -> list[str]:
        """Every organisation merged, directly or through others, into ``code`` (by ``day`` if
        given), nearest first."""
        found: list[str] = []
        frontier = [code]
        while frontier:
            following: list[str] = []
            for into in frontier:
                for absorbed in self._absorbed.get(into, ()):
                    if day is None or self._merged[absorbed].on <= day:
                        found.append(absorbed)
                        following.append(absorbed)
            frontier = following
        return found

    def __iter__(self) -> Iterator[Merger]:
        return iter(self._merged.values())

    def __len__(self) -> int:
        return len(self._merged)

    def _steps(self, code: str) -> Iterator[Merger]:
        seen = {code}
        merger = self._merged.get(code)
        while merger is not None and merger.into not in seen:
            yield merger
            seen.add(merger.into)
            merger = self._merged.get(merger.into)

    def _chain(self, code: str) -> set[str]:
        return {code, *(m.into for m in self._steps(code))}


# --- org-awards: the refusal that names the successor (issue 16) ------------------------------

DEPARTMENT_MERGED = "directory.department_merged"
"""The reason code of a fact from (or about) a department merged away by the fact's date."""


_KINDS = (
    "Nghị quyết",
    "Quyết định",
    "Nghị định",
    "Thông tư",
    "Chỉ thị",
    "Kế hoạch",
    "Công văn",
    "Hướng dẫn",
    "Luật",
)
_BY_SIGN = {"NQ": "Nghị quyết", "QĐ": "Quyết định", "NĐ": "Nghị định", "TT": "Thông tư"}


def cite(document: DocumentRef | None) -> str | None:
    """A legal basis as officials cite it: "Nghị quyết 202/2025/QH15" when its kind is known
    (its title, or the sign in its number: NQ, QĐ, NĐ, TT; QH for the National Assembly's
    resolutions), else "văn bản số … của …"."""
    if document is None:
        return None
    title = document.title or ""
    kind = next((k for k in _KINDS if title.casefold().startswith(k.casefold())), None)
    number = document.number
    if kind is None and number is not None:
        signs = number.upper().replace("-", "/").split("/")
        kind = next((_BY_SIGN[s] for s in signs if s in _BY_SIGN), None)
        if kind is None and any(s.startswith("QH") for s in signs):
            kind = "Nghị quyết"  # the National Assembly's (its laws' titles say "Luật")
    if number is None:
        return title
    if kind is None:
        return f"văn bản số {number} của {document.issuer}"
    return f"{kind} {number}"


def department_merged_message(
    successions: Successions, code: str, day: date, name: Callable[[str], str]
) -> str | None:
    """Why a department's fact of ``day`` is refused when the department had merged away by
    then (None if it had not): who succeeded it, from when, on what basis, and the channel to
    use instead (the end of its chain of mergers on ``day``)."""
    merger = successions.merged_on(code, day)
    if merger is None:
        return None
    channel = successions.successor(code, day)
    basis = f" theo {merger.basis}" if merger.basis else ""
    return (
        f"{name(code)} đã hợp nhất vào {name(merger.into)} (mã {merger.into}) "
        f"từ ngày {merger.on:%d/%m/%Y}{basis}: gửi qua kênh của Sở {channel}"
    )
