"""Who is told that a decision overdrew a commendation fund (quỹ thi đua, khen thưởng; issue
18, item 4), and in which words. Pure, like ``domain/notices.py``.

The decision is recorded (the law does not stop it); the fund's owner and the provincial board
are told: a department's fund, the department (its successor once merged away) and its
province's board (the province's contact); a province's fund (kept by the board), the board."""

from __future__ import annotations

from collections.abc import Callable

from contracts import awards as aw
from contracts import topics
from services.notifications import rules
from services.notifications.domain.deliveries import Planned, to_contact
from services.notifications.rendering import render
from services.notifications.templates import Message

Names = Callable[[str, str], str]


def owner_org(owner: str, current: Callable[[str], str] = str) -> tuple[str, str]:
    """The fund's owner as a recipient: (kind, id) of the department or the province."""
    if topics.is_board(owner):
        return "province", owner.removesuffix(topics.BOARD_SUFFIX)
    return "department", current(owner)


def overdrawn_message(fact: aw.FundOverdrawn, owner: str, recipient: str) -> Message:
    subject, body = render(
        "fund_overdrawn",
        fact=fact,
        owner=owner,
        overdrawn=fact.amount_vnd - max(fact.available_vnd, 0),
        recipient=recipient,
    )
    return Message("fund_overdrawn", subject, body)


def overdrawn_notices(
    fact: aw.FundOverdrawn,
    names: Names,
    issuer: rules.Issuer | None,
    current: Callable[[str], str] = str,
) -> list[Planned]:
    kind, org_id = owner_org(fact.department_code, current)
    owner = names(kind, org_id)
    recipients = [(kind, org_id, owner)]
    if kind == "department" and issuer is not None and issuer.province is not None:
        province = issuer.province
        recipients.append((province.kind, province.id, province.name))
    return [
        to_contact(k, i, name, overdrawn_message(fact, owner, name)) for k, i, name in recipients
    ]
