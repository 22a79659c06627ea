"""The Jinja2 environment of every notification text: one template per message in
``texts/<name>.txt``, with a ``subject`` block and a ``body`` block, rendered as plain text
(no HTML escaping: mails and webhooks carry text). Undefined names are errors, never blanks.

Filters: ``vn_date`` (dd/mm/yyyy), ``vnd`` (1.234.000 đồng), ``vn_number`` (1.234).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

import jinja2

SEPARATOR = "\x1e"
"""Between the subject and the body in a rendered template (``texts/base.txt``)."""
SIGNATURE = "Hệ thống quản lý thi đua, khen thưởng (thông báo tự động, vui lòng không trả lời)."


def vn_date(day: date | str) -> str:
    """dd/mm/yyyy; an ISO date string (as events carry dates) too."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return day.strftime("%d/%m/%Y")


def vn_number(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def vnd(amount: int) -> str:
    return vn_number(amount) + " đồng"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("services.notifications", "texts"),
        autoescape=False,  # plain text: mail bodies, webhook text, the in-app inbox
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        # The texts ship with the code: each is compiled once and not looked at on disk again
        # (Jinja2 would otherwise stat its file on every render, 5% of the service's CPU
        # while it tells a decision's nominees).
        auto_reload=False,
    )
    env.filters.update(vn_date=vn_date, vnd=vnd, vn_number=vn_number)
    env.globals.update(signature=SIGNATURE, separator=SEPARATOR)
    return env


def render(name: str, /, **context: Any) -> tuple[str, str]:
    """The subject (one line) and the body of ``texts/<name>.txt``."""
    text = environment().get_template(f"{name}.txt").render(context)
    subject, _, body = text.partition(SEPARATOR)
    return " ".join(subject.split()), body.strip("\n")
