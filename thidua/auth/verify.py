"""Bearer tokens verified against the identity provider's keys (PyJWT's ``PyJWKClient``).

A token counts when its RS256/ES256 signature verifies with a key of the issuer's JWKS (found
through its OpenID configuration, keys cached and refetched on an unknown ``kid``), its ``iss``
is the issuer, its ``aud`` names ``thidua`` and it has not expired.

A token verified once is remembered (bounded, least recently used first out) until it expires:
a client sends the same token with every request, and checking its signature again (with the
key lookup off the event loop) cost more than answering a cached rollup.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from typing import Any

import httpx
import jwt

from thidua.auth.principal import Principal
from thidua.settings import StackSettings

AUDIENCE = "thidua"
ALGORITHMS = ["RS256", "ES256", "PS256"]
LEEWAY_SECONDS = 10
REMEMBERED_TOKENS = 10_000


class InvalidToken(Exception):
    """The token is missing, malformed, forged, expired or for someone else (a 401)."""


class TokenVerifier:
    def __init__(self, issuer: str, audience: str = AUDIENCE) -> None:
        self.issuer = issuer.rstrip("/")
        self.audience = audience
        self._metadata: dict[str, Any] | None = None
        self._keys: jwt.PyJWKClient | None = None
        self._verified: OrderedDict[str, tuple[float, Principal]] = OrderedDict()

    @classmethod
    def from_settings(cls, settings: StackSettings | None = None) -> TokenVerifier:
        return cls((settings or StackSettings()).oidc_issuer)

    async def metadata(self) -> dict[str, Any]:
        """The issuer's OpenID configuration (fetched once)."""
        if self._metadata is None:
            url = f"{self.issuer}/.well-known/openid-configuration"
            try:
                async with httpx.AsyncClient(timeout=10) as client:
                    response = await client.get(url)
                    response.raise_for_status()
            except httpx.HTTPError as exc:  # a 503 for the caller, not a 401 or a 500
                raise ConnectionError(f"the identity provider does not answer: {exc}") from exc
            self._metadata = dict(response.json())
        return self._metadata

    async def _jwks(self) -> jwt.PyJWKClient:
        if self._keys is None:
            uri = str((await self.metadata())["jwks_uri"])
            self._keys = jwt.PyJWKClient(uri, cache_keys=True, lifespan=3600, timeout=10)
        return self._keys

    async def verify(self, token: str) -> Principal:
        """The principal of a valid token; ``InvalidToken`` otherwise."""
        known = self._verified.get(token)
        if known is not None:
            expires, principal = known
            if time.time() < expires + LEEWAY_SECONDS:
                self._verified.move_to_end(token)
                return principal
            del self._verified[token]
        try:
            keys = await self._jwks()
            # PyJWKClient fetches with urllib (blocking) on a cache miss: off the event loop.
            key = await asyncio.to_thread(keys.get_signing_key_from_jwt, token)
            claims = jwt.decode(
                token,
                key.key,
                algorithms=ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWKClientConnectionError as exc:
            raise ConnectionError(f"the identity provider's keys are unreachable: {exc}") from exc
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        principal = Principal.from_claims(claims)
        self._remember(token, float(claims["exp"]), principal)
        return principal

    def _remember(self, token: str, expires: float, principal: Principal) -> None:
        self._verified[token] = (expires, principal)
        self._verified.move_to_end(token)
        while len(self._verified) > REMEMBERED_TOKENS:
            self._verified.popitem(last=False)
