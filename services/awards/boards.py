"""The provincial board's steps in awards (issue 17, DOMAIN rules 15, 16, 22).

A dossier for a title above a director's authority (``authority.decided_by_the_board``) is
forwarded, when the department receives it, to the board of its province
(``NominationForwarded``); from then on only that board, on its own ingress
(``<province>-board``), records the provincial council's vote (``CouncilVoted``, council level
province: rule 16's quorum, rule 15's thresholds) and the chair's decision (``DecisionIssued``,
authority provincial chair). A department that votes on or decides it is refused naming the
board's channel; a board that acts on another province's dossier, or on a title its
departments' directors decide, is refused too. After a merger of provinces the successor's
board speaks (``domain/boards.py``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from contracts import awards as a
from contracts import topics
from contracts.common import CouncilLevel, RejectionReason
from services.awards.domain import nomination as n
from services.awards.domain.boards import Board, Provinces
from services.awards.readmodels import lookups as lk
from services.awards.rules.authority import TITLE_NAMES, decided_by_the_board
from services.awards.rules.base import refusal
from services.awards.successors import departments
from thidua.es.decider import Command
from thidua.es.rejections import refuse

BOARD = "Ban Thi đua - Khen thưởng tỉnh"


def board_for(cmd: Command[Any], department: str, day: date) -> Board | None:
    """The board that speaks on ``day`` for the dossiers of ``department`` (or its successor)."""
    current = departments(cmd).successions.successor(department, day)
    provinces: Provinces | None = cmd.lookup(lk.PROVINCES, lk.ALL)
    return (provinces or Provinces()).board(current, day)


def is_forwarded(dossier: a.NominationSubmitted) -> bool:
    """Whether the dossier goes to the board (its title is above a director's authority)."""
    return decided_by_the_board(dossier.title, dossier.conferring_level)


def forward(cmd: Command[Any], dossier: a.NominationSubmitted) -> a.NominationForwarded | None:
    """The forwarding of a dossier the board decides (None: the department decides it)."""
    if not is_forwarded(dossier):
        return None
    board = board_for(cmd, dossier.department_code, dossier.received_on)
    if board is None:
        raise refuse(
            "awards.no_board",
            f"Chưa xác định được tỉnh của Sở '{dossier.department_code}': không chuyển được hồ sơ"
            f" danh hiệu {TITLE_NAMES[dossier.title]} lên {BOARD}",
            "department_code",
        )
    return a.NominationForwarded(
        nomination_id=dossier.nomination_id,
        department_code=dossier.department_code,
        board_code=board.code,
        province_id=board.province_id,
        title=dossier.title,
        forwarded_on=dossier.received_on,
    )


def board_may_act(
    cmd: Command[Any], state: n.Nomination, sender: str, day: date
) -> list[RejectionReason]:
    """Whether ``sender`` may vote on or decide the dossier on ``day``, when either is the
    board's business: the dossier's title is the board's, or the sender is a board."""
    dossier = state.dossier
    assert dossier is not None
    title = TITLE_NAMES[dossier.title]
    if not is_forwarded(dossier):
        return refusal(
            "not_for_board",
            f"Hồ sơ {dossier.nomination_id} (danh hiệu {title}) thuộc thẩm quyền của Sở "
            f"'{dossier.department_code}', không trình {BOARD}",
            "nomination_ids",
        )
    board = board_for(cmd, dossier.department_code, day)
    if board is not None and board.code == sender:
        return []
    channel = f"'{board.code}'" if board is not None else "của tỉnh"
    if topics.is_board(sender):
        return refusal(
            "foreign_board",
            f"Hồ sơ {dossier.nomination_id} của Sở '{dossier.department_code}' do {BOARD} "
            f"qua kênh {channel} xét, không phải kênh '{sender}'",
            "nomination_ids",
        )
    return refusal(
        "forwarded_to_board",
        f"Hồ sơ {dossier.nomination_id} (danh hiệu {title}) vượt thẩm quyền Giám đốc Sở, đã "
        f"chuyển {BOARD}: Hội đồng Thi đua - Khen thưởng tỉnh xét và Chủ tịch UBND tỉnh quyết "
        f"định qua kênh {channel}",
        "nomination_ids",
    )


def board_council(vote: a.CouncilVoted) -> list[RejectionReason]:
    """A board's session is the provincial council's (HĐTĐKT tỉnh)."""
    if not topics.is_board(vote.department_code) or vote.council_level is CouncilLevel.PROVINCE:
        return []
    return refusal(
        "council_level",
        f"{BOARD} ghi nhận phiên họp của Hội đồng Thi đua - Khen thưởng tỉnh (cấp tỉnh), "
        f"không phải cấp '{vote.council_level}'",
        "council_level",
    )
