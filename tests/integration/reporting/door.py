"""The HTTP door served for a test: reporting's API with its door, publishing as ``svc-door``
(provisioned on the suites' Kafka as ``thidua up`` provisions it), and machine logins of the
test's own departments in the suites' Keycloak (``thidua.auth.machines``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx
from cloudevents.core.bindings.http import HTTPMessage

from contracts import topics
from services.reporting import app as reporting
from services.reporting.door import DoorPublisher
from tests.apifuzz import served
from thidua import dbroles
from thidua.auth.client import client_credentials
from thidua.auth.machines import MachineLogins
from thidua.es.db import create_pool
from thidua.es.kafka import KafkaPrincipal, ensure_topics
from thidua.security import acls, credentials
from thidua.security.departments import provision_services
from thidua.settings import StackSettings

EVENTS = "/v1/departments/{code}/events"


@dataclass
class Door:
    url: str
    settings: StackSettings
    logins: MachineLogins
    made: list[str] = field(default_factory=list)
    _tokens: dict[str, str] = field(default_factory=dict)

    async def token(self, code: str) -> str:
        """The access token of ``code``'s system (its client made on first use)."""
        if code not in self._tokens:
            login = await self.logins.ensure(code)
            self.made.append(code)
            answer = await client_credentials(
                self.settings.oidc_issuer, login.client_id, login.client_secret
            )
            self._tokens[code] = str(answer["access_token"])
        return self._tokens[code]

    async def post(
        self,
        code: str,
        message: HTTPMessage,
        *,
        token: str | None = None,
        as_code: str | None = None,
    ) -> httpx.Response:
        """``message`` to ``code``'s door, with the token of ``as_code``'s system (default:
        ``code``'s own), or ``token``; ``token=""`` sends none."""
        if token is None:
            token = await self.token(as_code or code)
        headers = dict(message.headers)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        async with httpx.AsyncClient(base_url=self.url, timeout=60) as client:
            return await client.post(
                EVENTS.format(code=code), headers=headers, content=message.body
            )

    async def outcome(
        self, code: str, event_id: str, *, as_code: str | None = None
    ) -> httpx.Response:
        """``GET`` what became of ``event_id`` that ``code`` sent, as ``as_code``'s system."""
        headers = {"Authorization": f"Bearer {await self.token(as_code or code)}"}
        async with httpx.AsyncClient(base_url=self.url, timeout=60) as client:
            return await client.get(f"{EVENTS.format(code=code)}/{event_id}", headers=headers)


def door_publisher(settings: StackSettings, bootstrap: str) -> DoorPublisher:
    """The door's producer as ``svc-door``, with its password as provisioning kept it."""
    password = credentials.read_password(settings.state_dir, acls.DOOR_USER)
    assert password, "svc-door is provisioned first"
    return DoorPublisher(bootstrap, KafkaPrincipal(acls.DOOR_USER, password))


@asynccontextmanager
async def door_served(
    database_url: str, bootstrap: str, uid: str, codes: Sequence[str]
) -> AsyncIterator[Door]:
    """Reporting's API with its door over an empty model of the test's own, the ingress
    topics of ``codes`` made (as ``thidua departments add`` makes them), and the machine
    logins the test asks for deleted afterwards."""
    settings = StackSettings()
    await asyncio.to_thread(provision_services, settings)  # svc-door among them
    await ensure_topics(bootstrap, [t for c in codes for t in topics.department_topics(c)])
    control = f"test_{uid}_ctl"
    await reporting.ensure_control(dbroles.local_role_url(settings, dbroles.MODELS_OWNER), control)
    pool = await create_pool(database_url, control)
    publisher = door_publisher(settings, bootstrap)
    door: Door | None = None
    try:
        api = reporting.create_api(pool, control_schema=control, door=publisher)
        async with served(api) as url:
            door = Door(url, settings, MachineLogins(settings))
            yield door
    finally:
        if door is not None:
            for code in door.made:
                await door.logins.remove(code)
        await publisher.close()
        await pool.close()
