"""The door of every HTTP API: FastAPI dependencies that turn a bearer token (or the
dashboard's login session) into a ``Principal``, and the refusals.

- no token, or one that does not verify: 401 with ``WWW-Authenticate: Bearer`` and a problem
  (``application/problem+json``, ``thidua.es.webapi``); a page of the dashboard answers the
  same status with a Vietnamese page that links to the login;
- a valid token whose roles do not cover what is asked: 403, the same way.

``install(app, verifier)`` wires an app (once, before serving); routes then declare what they
need: ``Depends(reader)`` (board, ministry or department, the scope checked by the handler
with ``require_place``), ``Depends(operator)``, or ``Depends(page_reader)`` for HTML pages.
The OpenAPI states the bearer scheme and documents 401 and 403 on every secured operation.
"""

from __future__ import annotations

from html import escape
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from thidua.auth.principal import Place, Principal
from thidua.auth.verify import InvalidToken, TokenVerifier
from thidua.es.webapi import amend_openapi, documented

SESSION_TOKEN = "access_token"
"""Where the dashboard's login keeps the access token in its (signed) session cookie."""
LOGIN_PATH = "/auth/login"

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="oidc",
    description="Mã truy cập (JWT) do hệ thống định danh (Keycloak, realm thidua) cấp.",
)

NO_TOKEN = "Cần đăng nhập: gửi mã truy cập (Authorization: Bearer …) do hệ thống định danh cấp."
BAD_TOKEN = "Mã truy cập không hợp lệ hoặc đã hết hạn; vui lòng đăng nhập lại."
SCOPE_LABELS = {
    "province": "tỉnh",
    "ministry": "Bộ, ngành",
    "department": "Sở",
    "unit": "đơn vị",
    "person": "cá nhân",
    "bloc": "cụm, khối thi đua",
}


class Refused(HTTPException):
    """A 401 or 403 of an API (answered as a problem by ``webapi``)."""


class PageRefused(HTTPException):
    """A 401 or 403 of a dashboard page (answered as a Vietnamese HTML page)."""


def _unauthenticated(detail: str, page: bool) -> HTTPException:
    challenge = 'Bearer realm="thidua"'
    if detail == BAD_TOKEN:
        challenge += ', error="invalid_token"'
    kind = PageRefused if page else Refused
    return kind(401, detail, headers={"WWW-Authenticate": challenge})


def forbidden(principal: Principal, what: str, *, page: bool = False) -> HTTPException:
    detail = f"Tài khoản {principal.describe()} không có quyền truy cập {what}."
    return (PageRefused if page else Refused)(403, detail)


def place_label(place: Place) -> str:
    return f"{SCOPE_LABELS.get(place.kind, place.kind)} '{place.id}'"


def require_place(principal: Principal, place: Place, *, page: bool = False) -> None:
    """A 403 unless ``place`` lies inside the principal's roles."""
    if not principal.may_read(place):
        raise forbidden(principal, place_label(place), page=page)


async def _principal(
    request: Request, credentials: HTTPAuthorizationCredentials | None, *, page: bool
) -> Principal:
    token = credentials.credentials if credentials is not None else None
    if token is None and "session" in request.scope:
        token = request.session.get(SESSION_TOKEN)
    if not token:
        raise _unauthenticated(NO_TOKEN, page)
    verifier: TokenVerifier = request.app.state.token_verifier
    try:
        return await verifier.verify(token)
    except InvalidToken:
        if "session" in request.scope:
            request.session.pop(SESSION_TOKEN, None)
        raise _unauthenticated(BAD_TOKEN, page) from None


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


async def authenticated(request: Request, credentials: Credentials) -> Principal:
    """Any valid token (a role is checked by the route)."""
    return await _principal(request, credentials, page=False)


async def reader(request: Request, credentials: Credentials) -> Principal:
    """A valid token of a role that reads business data (board, ministry, department)."""
    principal = await _principal(request, credentials, page=False)
    if not principal.reads_data:
        raise forbidden(principal, "số liệu thi đua, khen thưởng")
    return principal


async def page_reader(request: Request, credentials: Credentials) -> Principal:
    """``reader`` for the dashboard's pages: refusals are pages with a login link."""
    principal = await _principal(request, credentials, page=True)
    if not principal.reads_data:
        raise forbidden(principal, "số liệu thi đua, khen thưởng", page=True)
    return principal


async def operator(request: Request, credentials: Credentials) -> Principal:
    """A valid token of the operator role (operations endpoints, DLQ tools)."""
    principal = await _principal(request, credentials, page=False)
    if "operator" not in principal.roles:
        raise forbidden(principal, "các chức năng vận hành")
    return principal


Reader = Annotated[Principal, Depends(reader)]
PageReader = Annotated[Principal, Depends(page_reader)]


def install(app: FastAPI, verifier: TokenVerifier | None = None) -> None:
    """Verify tokens of ``app`` with ``verifier`` (by default the issuer of the settings)."""
    app.state.token_verifier = verifier or TokenVerifier.from_settings()
    app.add_exception_handler(PageRefused, _page_refusal)  # type: ignore[arg-type]
    amend_openapi(app, _with_refusals)


def _with_refusals(schema: dict[str, Any]) -> dict[str, Any]:
    """401 and 403 on every secured operation: problems, or pages for an operation that
    answers HTML (the dashboard's)."""
    problems = documented(401, 403)
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not operation.get("security"):
                continue
            responses = operation.setdefault("responses", {})
            html = "text/html" in responses.get("200", {}).get("content", {})
            for status, response in problems.items():
                if html:
                    response = {
                        "description": response["description"],
                        "content": {"text/html": {"schema": {"type": "string"}}},
                    }
                responses.setdefault(str(status), response)
    return schema


async def _page_refusal(request: Request, exc: PageRefused) -> HTMLResponse:
    next_path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    login = f"{LOGIN_PATH}?next={escape(quote(next_path, safe='/'))}"
    if exc.status_code == 401:
        title = "Vui lòng đăng nhập"
        action = f'<a id="login" href="{login}">Đăng nhập</a>'
    else:
        title = "Không có quyền truy cập"
        action = '<a href="/">Về trang chủ</a> · <a id="logout" href="/auth/logout">Đăng xuất</a>'
    body = (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><h1>{title}</h1><p>{escape(str(exc.detail))}</p><p>{action}</p>"
        "</body></html>"
    )
    return HTMLResponse(body, status_code=exc.status_code, headers=exc.headers)
