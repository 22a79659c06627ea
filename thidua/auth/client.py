"""Tokens for the project's own tools (``thidua up``'s scenario check, the bench, the tests):
the client-credentials grant of the ``thidua-ops`` client, whose service account is an
operator (metrics) and reads every province's and every ministry's figures (board and ministry
of ``*``, see ``principal.ANYWHERE``)."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncGenerator

import httpx

from thidua.settings import StackSettings

OPS_CLIENT = "thidua-ops"
LOCAL_OPS_SECRET = "local-ops-secret"
"""The local realm's sample secret (deploy/keycloak); a deployment sets THIDUA_OIDC_OPS_SECRET."""


async def token_endpoint(issuer: str) -> str:
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(f"{issuer}/.well-known/openid-configuration")
        response.raise_for_status()
        return str(response.json()["token_endpoint"])


async def request_token(issuer: str, form: dict[str, str]) -> dict[str, object]:
    """One grant at the issuer's token endpoint (``form``: grant_type, client_id, …)."""
    endpoint = await token_endpoint(issuer)
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(endpoint, data=form)
    if response.status_code != 200:
        raise PermissionError(
            f"{issuer} refused the {form.get('grant_type')} grant: {response.text}"
        )
    return dict(response.json())


async def client_credentials(issuer: str, client_id: str, secret: str) -> dict[str, object]:
    """A token of ``client_id``'s service account (the client-credentials grant)."""
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    return await request_token(issuer, form)


class ServiceAuth(httpx.Auth):
    """httpx authentication with the ``thidua-ops`` service account's token, renewed shortly
    before it expires."""

    def __init__(self, settings: StackSettings | None = None) -> None:
        self.issuer = (settings or StackSettings()).oidc_issuer
        self._token: str | None = None
        self._expires = 0.0

    async def token(self) -> str:
        if self._token is None or time.monotonic() > self._expires:
            secret = os.environ.get("THIDUA_OIDC_OPS_SECRET", LOCAL_OPS_SECRET)
            body = await client_credentials(self.issuer, OPS_CLIENT, secret)
            self._token = str(body["access_token"])
            lifetime = body.get("expires_in", 60)
            self._expires = time.monotonic() + max(float(str(lifetime)) - 30, 5)
        return self._token

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        request.headers["Authorization"] = f"Bearer {await self.token()}"
        yield request


_shared: dict[str, ServiceAuth] = {}


def service_auth(settings: StackSettings | None = None) -> ServiceAuth:
    """One ``ServiceAuth`` per issuer in this process, so its token is reused."""
    settings = settings or StackSettings()
    if settings.oidc_issuer not in _shared:
        _shared[settings.oidc_issuer] = ServiceAuth(settings)
    return _shared[settings.oidc_issuer]
