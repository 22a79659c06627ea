"""Machine logins of departments' systems at the HTTP door: one confidential client
``dept-<code>`` per department in the identity provider, whose service account's tokens say
role ``department`` and ``department=<code>`` (a board's: role ``board`` and its province),
so the system posts for its own department and nothing else (``Principal.may_submit``).

The clients are made through Keycloak's admin REST API by the ``thidua-provisioner`` client
(client credentials; its service account may manage the realm's clients and nothing else).
The claims are hard-coded on the client rather than kept as attributes of its service-account
user, so one call makes the whole login; a rotation regenerates the secret, which is written
to a 0600 file for the department like its Kafka client config."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from contracts import topics
from thidua.auth.client import client_credentials
from thidua.security import credentials
from thidua.settings import StackSettings

PROVISIONER_CLIENT = "thidua-provisioner"
LOCAL_PROVISIONER_SECRET = "local-provisioner-secret"
"""The local realm's sample secret; a deployment sets THIDUA_OIDC_PROVISIONER_SECRET."""
CLIENT_PREFIX = "dept-"
AUDIENCE = "thidua"


@dataclass(frozen=True)
class MachineLogin:
    """What a department's system needs to get a token: client credentials at the issuer."""

    client_id: str
    client_secret: str
    token_endpoint: str


def client_id(code: str) -> str:
    topics.ingress(code)  # validates the code
    return f"{CLIENT_PREFIX}{code}"


def login_file(state_dir: Path, code: str) -> Path:
    return state_dir / "departments" / f"{code}.http-login.json"


def _claim(name: str, value: str, json_type: str = "String") -> dict[str, Any]:
    return {
        "name": name,
        "protocol": "openid-connect",
        "protocolMapper": "oidc-hardcoded-claim-mapper",
        "config": {
            "claim.name": name,
            "claim.value": value,
            "jsonType.label": json_type,
            "access.token.claim": "true",
            "id.token.claim": "false",
            "introspection.token.claim": "true",
        },
    }


def representation(code: str) -> dict[str, Any]:
    """The client of ``code``'s system: client credentials only, claims of its department (or,
    for ``<province>-board``, of that province's board)."""
    if topics.is_board(code):
        scope = _claim("province", code.removesuffix(topics.BOARD_SUFFIX))
        role = "board"
    else:
        scope = _claim("department", code)
        role = "department"
    return {
        "clientId": client_id(code),
        "name": f"Hệ thống của {code} (cổng tiếp nhận HTTP)",
        "enabled": True,
        "publicClient": False,
        "clientAuthenticatorType": "client-secret",
        "standardFlowEnabled": False,
        "directAccessGrantsEnabled": False,
        "serviceAccountsEnabled": True,
        "protocolMappers": [
            {
                "name": "audience thidua",
                "protocol": "openid-connect",
                "protocolMapper": "oidc-audience-mapper",
                "config": {
                    "included.custom.audience": AUDIENCE,
                    "access.token.claim": "true",
                    "id.token.claim": "false",
                    "introspection.token.claim": "true",
                },
            },
            _claim("roles", json.dumps([role]), "JSON"),
            scope,
        ],
    }


class MachineLogins:
    """The departments' clients in the realm of ``settings.oidc_issuer``."""

    def __init__(self, settings: StackSettings | None = None) -> None:
        self.settings = settings or StackSettings()
        self.issuer = self.settings.oidc_issuer
        self.admin = self.issuer.replace("/realms/", "/admin/realms/", 1)

    async def _client(self) -> httpx.AsyncClient:
        secret = os.environ.get("THIDUA_OIDC_PROVISIONER_SECRET", LOCAL_PROVISIONER_SECRET)
        token = await client_credentials(self.issuer, PROVISIONER_CLIENT, secret)
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        return httpx.AsyncClient(base_url=self.admin, headers=headers, timeout=30)

    async def ensure(self, code: str, *, rotate: bool = False) -> MachineLogin:
        """The client of ``code``, made if missing (its secret kept if it exists, unless
        ``rotate``), and its login written to the state directory (0600)."""
        async with await self._client() as admin:
            uuid = await _find(admin, code)
            if uuid is None:
                made = await admin.post("/clients", json=representation(code))
                made.raise_for_status()
                uuid = made.headers["Location"].rsplit("/", 1)[-1]
            elif rotate:
                (await admin.post(f"/clients/{uuid}/client-secret")).raise_for_status()
            answer = await admin.get(f"/clients/{uuid}/client-secret")
            answer.raise_for_status()
            secret = str(answer.json()["value"])
        login = MachineLogin(
            client_id(code), secret, f"{self.issuer}/protocol/openid-connect/token"
        )
        text = json.dumps(vars(login), indent=2) + "\n"
        credentials.write_secret(login_file(self.settings.state_dir, code), text)
        return login

    async def remove(self, code: str) -> bool:
        """Delete the client of ``code`` (its tokens stop verifying when they expire: the
        door checks the signature, not the session); False if it had none."""
        async with await self._client() as admin:
            uuid = await _find(admin, code)
            if uuid is not None:
                (await admin.delete(f"/clients/{uuid}")).raise_for_status()
        login_file(self.settings.state_dir, code).unlink(missing_ok=True)
        return uuid is not None

    async def retire(self, code: str) -> Retired:
        """Disable every login of department ``code`` merged away (issue 16): its system's
        client ``dept-<code>`` and its users (attribute ``department`` = ``code``, the
        dashboard's logins). Disabled, not deleted, so the realm keeps who they were; a token
        already issued verifies until it expires (minutes). Idempotent."""
        async with await self._client() as admin:
            client = None
            uuid = await _find(admin, code)
            if uuid is not None:
                client = client_id(code)
                await _disable(admin, f"/clients/{uuid}")
            found = await admin.get(
                "/users", params={"q": f"department:{code}", "briefRepresentation": "false"}
            )
            found.raise_for_status()
            users = []
            for user in found.json():
                if code in user.get("attributes", {}).get("department", []):
                    await _disable(admin, f"/users/{user['id']}")
                    users.append(str(user["username"]))
        login_file(self.settings.state_dir, code).unlink(missing_ok=True)
        return Retired(client, sorted(users))


@dataclass(frozen=True)
class Retired:
    """What ``MachineLogins.retire`` disabled: the system's client (None: it had none) and
    the users."""

    client: str | None
    users: list[str]


async def _disable(admin: httpx.AsyncClient, path: str) -> None:
    """Keycloak's PUT replaces the representation: read it whole, change ``enabled``."""
    found = await admin.get(path)
    found.raise_for_status()
    representation = found.json()
    if representation.get("enabled", True):
        representation["enabled"] = False
        (await admin.put(path, json=representation)).raise_for_status()


async def _find(admin: httpx.AsyncClient, code: str) -> str | None:
    found = await admin.get("/clients", params={"clientId": client_id(code)})
    found.raise_for_status()
    matches = [c for c in found.json() if c.get("clientId") == client_id(code)]
    return str(matches[0]["id"]) if matches else None
