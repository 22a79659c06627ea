"""Tokens from the suites' own Keycloak (the real identity provider of the local stack)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from thidua.auth.client import request_token, service_auth
from thidua.settings import StackSettings
from thidua.stack.keycloak import sample_users

CLI_CLIENT = "thidua-cli"


async def user_token(username: str, settings: StackSettings | None = None) -> str:
    """A sample user's access token (password grant of the public test/CLI client)."""
    password = {u["username"]: u["password"] for u in sample_users()}[username]
    body = await request_token(
        (settings or StackSettings()).oidc_issuer,
        {
            "grant_type": "password",
            "client_id": CLI_CLIENT,
            "username": username,
            "password": password,
            "scope": "openid",
        },
    )
    return str(body["access_token"])


async def service_token() -> str:
    """The tools' token (operator, and every province's and ministry's figures)."""
    return await service_auth().token()


# --- the matrix of roles and routes-----------------------------------------------------------

PRINCIPALS = ("anonymous", "board", "ministry", "department", "other_department", "operator")
"""Who asks: nobody, then one sample user per role (another department's too)."""
SAMPLE_USERS = {
    "board": "bantdkt-gialai",  # province gia-lai
    "ministry": "bct",  # Bộ Công Thương: sct-gialai among its departments
    "department": "sct-gialai",
    "other_department": "stc-gialai",
    "operator": "vanhanh",
}

Expected = dict[str, int]


def expect(ok: int = 200, *allowed: str, anonymous: int = 401) -> Expected:
    """``ok`` for the principals named, 403 for the others, ``anonymous`` without a token."""
    statuses = {p: (ok if p in allowed else 403) for p in PRINCIPALS}
    statuses["anonymous"] = anonymous
    return statuses


def everyone(status: int) -> Expected:
    return dict.fromkeys(PRINCIPALS, status)


READERS = ("board", "ministry", "department", "other_department")
SCT_GIALAI = ("board", "ministry", "department")
"""Who may read Sở Công Thương Gia Lai: the board of Gia Lai, the Bộ Công Thương, itself."""


def routes(app: Any) -> set[str]:
    """``METHOD /path`` of every route the app serves (HEAD aside), those of its included
    routers too (FastAPI keeps those behind the router it included; none has a prefix here)."""
    found = set()
    for route in app.routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            found |= routes(included)
        for method in getattr(route, "methods", None) or ():
            if method != "HEAD":
                found.add(f"{method} {route.path}")
    return found


async def tokens() -> dict[str, str | None]:
    """Each principal's token (None: anonymous)."""
    found: dict[str, str | None] = {"anonymous": None}
    for principal, username in SAMPLE_USERS.items():
        found[principal] = await user_token(username)
    return found


def headers(token: str | None) -> dict[str, str]:
    return {} if token is None else {"Authorization": f"Bearer {token}"}


Body = Callable[[str], dict[str, Any]]
Row = tuple[str, Expected] | tuple[str, str, Body, Expected]
"""``(url, statuses)`` for a GET, or ``(method, url, body for a principal, statuses)``."""


async def ask(client: httpx.AsyncClient, table: dict[str, Row]) -> list[str]:
    """Every row asked by every principal; what differs from the table (a 401 must also
    challenge with ``WWW-Authenticate: Bearer``)."""
    wrong = []
    who = await tokens()
    for route, row in table.items():
        method, url, body, statuses = ("GET", row[0], None, row[1]) if len(row) == 2 else row
        for principal in PRINCIPALS:
            reply = await client.request(
                method,
                url,
                headers=headers(who[principal]),
                json=None if body is None else body(principal),
            )
            status = reply.status_code
            if status == 401 and not reply.headers.get("www-authenticate", "").startswith("Bearer"):
                wrong.append(f"{route} as {principal}: 401 without a Bearer challenge")
            if status != statuses[principal]:
                wrong.append(
                    f"{route} as {principal}: {status}, not {statuses[principal]}"
                    f" ({reply.text[:200]})"
                )
    return wrong


__all__ = [
    "PRINCIPALS",
    "READERS",
    "SAMPLE_USERS",
    "SCT_GIALAI",
    "Row",
    "ask",
    "everyone",
    "expect",
    "headers",
    "routes",
    "service_auth",
    "service_token",
    "tokens",
    "user_token",
]
