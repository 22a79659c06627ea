"""Who speaks for the directory: a province's board, not its departments (issue 14).

A province's board (Ban Thi đua - Khen thưởng tỉnh) publishes on the ingress topic of the code
``<province id>-board`` (``contracts.topics.board``), whose principal only the operators
create. It alone registers its province and places departments in it; ministries, which no
province owns, are registered by any province's board. Departments' systems may do none of it:
before this rule, any of them could register provinces and ministries, first come, first served.
"""

from __future__ import annotations

from contracts import topics
from contracts.rejections import GenericReason
from thidua.es.rejections import Refused, refuse


def board_of(province_id: str) -> str | None:
    """The code of ``province_id``'s board (None: the id cannot name one)."""
    try:
        return topics.board(province_id)
    except ValueError:
        return None


def require_board(ingress: str, what: str, province_id: str | None = None) -> None:
    """``ingress`` (the producing department code) must be the board of ``province_id``, or
    any province's board when the fact belongs to no province."""
    if province_id is None:
        if not topics.is_board(ingress):
            raise not_board(ingress, what, "chỉ Ban Thi đua - Khen thưởng tỉnh")
        return
    board = board_of(province_id)
    if ingress != board:
        raise not_board(
            ingress, what, f"chỉ Ban Thi đua - Khen thưởng tỉnh qua kênh '{board or '—'}'"
        )


def not_board(ingress: str, what: str, who: str) -> Refused:
    return refuse(
        GenericReason.BOARD_ONLY,
        f"Kênh của '{ingress}' không được {what}: {who} được làm việc này",
    )


def require_department_code(code: str, field: str = "department_code") -> None:
    """A department may not take a code reserved for boards or the unrouted refusals."""
    if topics.is_reserved(code):
        raise refuse(
            GenericReason.RESERVED_CODE,
            f"Mã '{code}' dành riêng cho Ban Thi đua - Khen thưởng hoặc cho hệ thống,"
            " không dùng làm mã Sở",
            field,
        )


def require_board_of(ingress: str, what: str, province_ids: list[str]) -> None:
    """``ingress`` is the board of one of ``province_ids`` (a province and its successor: after
    a merger of provinces, either board speaks for the former province's directory)."""
    allowed = [b for b in (board_of(p) for p in dict.fromkeys(province_ids)) if b is not None]
    if ingress not in allowed:
        channels = ", ".join(f"'{b}'" for b in allowed) or "—"
        raise not_board(ingress, what, f"chỉ Ban Thi đua - Khen thưởng tỉnh qua kênh {channels}")
