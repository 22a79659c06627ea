"""Which provincial board (Ban Thi đua - Khen thưởng tỉnh) speaks for a department's dossiers
on a day (issue 17, DOMAIN rule 22): the board of the province of the department (or of its
successor), following the provinces' mergers in force that day (after Bạc Liêu merged into Cà
Mau, Cà Mau's board decides what Bạc Liêu's departments had forwarded). Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from contracts import topics
from thidua.es.succession import Successions


@dataclass(frozen=True)
class Board:
    code: str
    """The board's code and ingress (``<province>-board``)."""
    province_id: str


@dataclass(frozen=True)
class Provinces:
    """Each department's province (as placed by its board) and the provinces' mergers."""

    of_department: Mapping[str, str] = field(default_factory=dict)
    successions: Successions = field(default_factory=Successions)

    def board(self, department: str, day: date) -> Board | None:
        """The board that speaks for ``department``'s dossiers on ``day`` (None: its province
        is not known to awards)."""
        province = self.of_department.get(department)
        if province is None:
            return None
        current = self.successions.successor(province, day)
        return Board(topics.board(current), current)
