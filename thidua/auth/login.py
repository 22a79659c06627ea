"""The dashboard's login: the OIDC authorization-code flow (with PKCE) through Authlib, and a
signed session cookie (Starlette's ``SessionMiddleware``: HttpOnly, SameSite=Lax) that keeps
the access token, verified on every request like a bearer token.

GET /auth/login?next=/tinh/gia-lai → the identity provider's login form
GET /auth/callback                 → back from it: the session is opened, then ``next``
GET /auth/logout                   → the session is closed here and at the provider
"""

from __future__ import annotations

import os
import secrets
from html import escape
from typing import Annotated
from urllib.parse import urlencode

from authlib.integrations.starlette_client import OAuth, OAuthError
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.middleware.sessions import SessionMiddleware

from thidua.auth.web import SESSION_TOKEN
from thidua.settings import StackSettings

DASHBOARD_CLIENT = "thidua-dashboard"
LOCAL_DASHBOARD_SECRET = "local-dashboard-secret"
"""The local realm's sample secret (deploy/keycloak); a deployment sets
``THIDUA_OIDC_DASHBOARD_SECRET``."""
SESSION_COOKIE = "thidua_session"
SESSION_SECONDS = 8 * 3600
NEXT = "next"


def install_login(app: FastAPI, settings: StackSettings | None = None) -> None:
    """Add the login routes and the session cookie to the dashboard's app."""
    settings = settings or StackSettings()
    oauth = OAuth()
    oauth.register(
        "idp",
        client_id=os.environ.get("THIDUA_OIDC_DASHBOARD_CLIENT", DASHBOARD_CLIENT),
        client_secret=os.environ.get("THIDUA_OIDC_DASHBOARD_SECRET", LOCAL_DASHBOARD_SECRET),
        server_metadata_url=f"{settings.oidc_issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid", "code_challenge_method": "S256"},
    )
    # Without THIDUA_SESSION_SECRET (local runs) each process signs with a key of its own: a
    # restart asks the user to log in again, which the provider's session makes one click.
    secret = os.environ.get("THIDUA_SESSION_SECRET") or secrets.token_urlsafe(32)
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_SECONDS,
        same_site="lax",
        https_only=os.environ.get("THIDUA_SESSION_HTTPS_ONLY", "") == "1",
    )
    app.include_router(_router(oauth))


def _safe_next(target: str | None) -> str:
    """Only a path of this site (no scheme, no host): never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _router(oauth: OAuth) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    idp = oauth.create_client("idp")

    @router.get("/auth/login")
    async def login(request: Request, next: Annotated[str | None, Query()] = None) -> Response:
        request.session[NEXT] = _safe_next(next)
        callback = str(request.url_for("auth_callback"))
        response: Response = await idp.authorize_redirect(request, callback)
        return response

    @router.get("/auth/callback", name="auth_callback")
    async def callback(request: Request) -> Response:
        try:
            token = await idp.authorize_access_token(request)
        except OAuthError as error:
            return HTMLResponse(
                '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
                "<title>Đăng nhập không thành công</title></head><body>"
                "<h1>Đăng nhập không thành công</h1>"
                f"<p>Hệ thống định danh trả lời: {_text(error.description or error.error)}.</p>"
                '<p><a id="login" href="/auth/login">Đăng nhập lại</a></p></body></html>',
                status_code=400,
            )
        target = _safe_next(request.session.pop(NEXT, None))
        request.session[SESSION_TOKEN] = token["access_token"]
        return RedirectResponse(target, status_code=303)

    @router.get("/auth/logout")
    async def logout(request: Request) -> Response:
        request.session.clear()
        metadata = await idp.load_server_metadata()
        end = metadata.get("end_session_endpoint")
        home = str(request.url_for("auth_logged_out"))
        if not end:
            return RedirectResponse(home, status_code=303)
        query = urlencode({"client_id": idp.client_id, "post_logout_redirect_uri": home})
        return RedirectResponse(f"{end}?{query}", status_code=303)

    @router.get("/auth/logged-out", name="auth_logged_out")
    async def logged_out() -> HTMLResponse:
        return HTMLResponse(
            '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
            "<title>Đã đăng xuất</title></head><body><h1>Đã đăng xuất</h1>"
            '<p><a id="login" href="/auth/login">Đăng nhập</a></p></body></html>'
        )

    return router


def _text(value: object) -> str:
    return escape(str(value))
