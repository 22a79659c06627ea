"""The in-app inbox over HTTP (and subscriptions, health): a FastAPI app, its OpenAPI at
``/openapi.json``, served by uvicorn in the service's event loop.

GET  /inbox/<recipient kind>/<recipient id>[?unread=true] → {"messages": [...]}, newest first
POST /messages/<message id>/read                           → 204, or 404
POST /subscriptions      (body: SubscriptionCreated JSON)   → 201, or 200 if it existed, or
                         422 for a webhook address no webhook may go to (``WebhookAddresses``)
GET  /healthz                                              → {"status": "ok", ...}

Refusals are problem details in Vietnamese (``thidua.es.webapi``): a parameter or a body
outside its declared format is a 422 before any query runs.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Path, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from contracts.notifications import Channel, SubscriptionCreated
from services.notifications.channels import WebhookAddresses
from services.notifications.subscriptions import subscribe
from thidua.auth import Place, Principal, TokenVerifier
from thidua.auth import web as auth
from thidua.auth.principal import department_place
from thidua.auth.web import require_place
from thidua.es import webapi
from thidua.es.db import Pool

RecipientKind = Literal["department", "unit", "person", "province", "ministry", "bloc"]
RecipientId = Annotated[str, webapi.ID, Path(description="Mã người nhận.", examples=["sct-gialai"])]
MAX_MESSAGES = 200


class Recipient(BaseModel):
    kind: RecipientKind
    id: str


class InboxMessage(BaseModel):
    message_id: uuid.UUID
    template: str
    subject: str
    body: str
    event: dict[str, Any] = Field(description="The event the message is about.")
    delivered_at: datetime
    read_at: datetime | None


class Inbox(BaseModel):
    recipient: Recipient
    messages: list[InboxMessage] = Field(description=f"Newest first, at most {MAX_MESSAGES}.")


class Subscribed(BaseModel):
    subscription_id: str


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    dispatching: bool = Field(description="Whether this instance leads the deliveries.")
    sent: int = Field(description="Notifications this instance has sent since it started.")


def subscription_body(webhooks: WebhookAddresses) -> type[SubscriptionCreated]:
    """``SubscriptionCreated`` whose webhook address must match ``webhooks.pattern``, stated
    in the JSON schema too (``anyOf``), so that a refusal is a 422 before any query."""
    pattern = webhooks.pattern
    other = [c.value for c in Channel if c is not Channel.WEBHOOK]
    extra: dict[str, Any] = {
        "anyOf": [
            {"properties": {"channel": {"enum": other}}},
            {"properties": {"channel": {"const": "webhook"}, "address": {"pattern": pattern}}},
        ]
    }

    class SubscriptionRequest(SubscriptionCreated):
        __doc__ = SubscriptionCreated.__doc__
        model_config = ConfigDict(json_schema_extra=extra)

        @model_validator(mode="after")
        def _webhook_address(self) -> SubscriptionRequest:
            if self.channel is Channel.WEBHOOK:
                refusal = webhooks.refusal(self.address)
                if refusal is not None:
                    raise ValueError(refusal)
            return self

    return SubscriptionRequest


async def recipient_place(pool: Pool, kind: str, recipient_id: str) -> Place:
    """Where a recipient sits, from this service's read copy of the directory: a department, a
    unit or a person of a department; a province or a ministry is its own place; a bloc's
    province is not known here, so only the central board reaches it (``ANYWHERE``)."""
    sql = {
        "department": "SELECT department_code, province_id, ministry_id FROM departments"
        " WHERE department_code = $1",
        "unit": "SELECT d.department_code, d.province_id, d.ministry_id FROM units u"
        " JOIN departments d USING (department_code) WHERE u.unit_id = $1",
        "person": "SELECT d.department_code, d.province_id, d.ministry_id FROM people p"
        " JOIN departments d USING (department_code) WHERE p.person_id = $1",
    }.get(kind)
    if sql is None:
        known = {kind: recipient_id} if kind in ("province", "ministry") else {}
        return Place(kind, recipient_id, **known)
    row = await pool.fetchrow(sql, recipient_id)
    if row is None:  # not (yet) in the directory: nobody's scope but the central board's
        return Place(kind, recipient_id, department="?", province="?", ministry="?")
    return department_place(kind, recipient_id, row)


async def require_recipient(pool: Pool, who: Principal, kind: str, recipient_id: str) -> None:
    """A 403 unless the recipient lies inside the principal's roles."""
    require_place(who, await recipient_place(pool, kind, recipient_id))


def inbox_api(
    pool: Pool,
    health: Callable[[], dict[str, Any]],
    webhooks: WebhookAddresses | None = None,
    verifier: TokenVerifier | None = None,
) -> FastAPI:
    """The API; every route but ``/healthz`` needs a token of a role whose scope covers the
    recipient (``thidua.auth``), verified by ``verifier`` (by default the settings' issuer)."""
    webhooks = webhooks or WebhookAddresses()
    api = FastAPI(
        title="Thi đua - Khen thưởng: thông báo",
        description="Hộp thư trong ứng dụng và đăng ký nhận thông báo.",
        version="1.0",
        docs_url=None,
        redoc_url=None,
    )
    webapi.install(api)
    auth.install(api, verifier)

    @api.get("/healthz", response_model=Health)  # liveness: open, it says nothing of anyone
    async def healthz() -> Health:
        return Health.model_validate(health())

    subscriptions_route = api.post(
        "/subscriptions",
        status_code=201,
        response_model=Subscribed,
        responses={200: {"model": Subscribed, "description": "Đã có đăng ký này từ trước."}},
    )

    async def subscriptions(who: auth.Reader, subscription: SubscriptionCreated) -> Response:
        """Đăng ký nhận thông báo (idempotent theo subscription_id). Địa chỉ webhook phải
        dùng https (http chỉ cho máy cục bộ được cho phép). Chỉ cho người nhận trong phạm vi
        của tài khoản."""
        kind = subscription.recipient_kind.value
        await require_recipient(pool, who, kind, subscription.recipient_id)
        if subscription.department_code is not None:
            await require_recipient(pool, who, "department", subscription.department_code)
        created = await subscribe(pool, subscription)
        body = Subscribed(subscription_id=subscription.subscription_id).model_dump()
        return JSONResponse(body, status_code=201 if created else 200)

    # The body is checked (and documented) with this process's webhook addresses.
    subscriptions.__annotations__["subscription"] = subscription_body(webhooks)
    subscriptions_route(subscriptions)

    @api.post("/messages/{message_id}/read", status_code=204, responses=webapi.documented(404))
    async def mark_read(who: auth.Reader, message_id: uuid.UUID) -> Response:
        """Đánh dấu một thông báo đã đọc."""
        row = await pool.fetchrow(
            "SELECT recipient_kind, recipient_id FROM inbox_messages WHERE message_id = $1",
            message_id,
        )
        if row is None:
            raise webapi.not_found(f"Không có thông báo {message_id}.")
        await require_recipient(pool, who, row["recipient_kind"], row["recipient_id"])
        done = await pool.execute(
            """UPDATE inbox_messages SET read_at = coalesce(read_at, now())
               WHERE message_id = $1""",
            message_id,
        )
        if not done.endswith(" 1"):
            raise webapi.not_found(f"Không có thông báo {message_id}.")
        return Response(status_code=204)

    @api.get("/inbox/{recipient_kind}/{recipient_id:path}", response_model=Inbox)
    async def inbox(
        who: auth.Reader,
        recipient_kind: RecipientKind,
        recipient_id: RecipientId,
        unread: Annotated[bool, Query(description="Chỉ những thông báo chưa đọc.")] = False,
    ) -> Inbox:
        """Hộp thư của một người, đơn vị hay tổ chức: mới nhất trước."""
        await require_recipient(pool, who, recipient_kind, recipient_id)
        rows = await pool.fetch(
            """SELECT message_id, template, subject, body, data, delivered_at, read_at
               FROM inbox_messages WHERE recipient_kind = $1 AND recipient_id = $2
               AND (NOT $3 OR read_at IS NULL) ORDER BY delivered_at DESC LIMIT $4""",
            recipient_kind,
            recipient_id,
            unread,
            MAX_MESSAGES,
        )
        return Inbox(
            recipient=Recipient(kind=recipient_kind, id=recipient_id),
            messages=[
                InboxMessage(
                    message_id=r["message_id"],
                    template=r["template"],
                    subject=r["subject"],
                    body=r["body"],
                    event=json.loads(r["data"]),
                    delivered_at=r["delivered_at"],
                    read_at=r["read_at"],
                )
                for r in rows
            ],
        )

    return api


class InboxServer:
    """The inbox API served on ``host``:``port`` (0: any free port) in the running loop."""

    def __init__(
        self,
        pool: Pool,
        host: str,
        port: int,
        health: Callable[[], dict[str, Any]],
        webhooks: WebhookAddresses | None = None,
    ) -> None:
        self.app = inbox_api(pool, health, webhooks)
        self._server = webapi.HttpServer(self.app, host, port)

    async def start(self) -> None:
        await self._server.start()

    async def stop(self) -> None:
        await self._server.stop()

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def url(self) -> str:
        return self._server.url
