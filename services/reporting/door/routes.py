"""``POST /v1/departments/{code}/events``: a department posts CloudEvents over HTTP (what
became of one: ``GET /v1/departments/{code}/events/{id}``, ``services.reporting.audit``).

Who may post: a department's user or its system's client (role ``department``, claim
``department`` = ``code``), or a province's board for ``<province>-board``; anyone else gets a
403 problem, no token a 401. The events are admitted by the ingress's own checks
(``binding.py``), published on ``thidua.ingress.<code>`` (``publisher.py``) and answered 202
with their ids: the services then decide them as any other input, and refuse on
``thidua.rejections.<code>`` what the law refuses."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from contracts import topics
from contracts.common import DEPARTMENT_CODE_PATTERN
from contracts.envelope import CloudEvent
from services.reporting.door.binding import (
    BATCH_CONTENT_TYPE,
    MAX_BATCH_EVENTS,
    Unreadable,
    body_limit,
    read_request,
)
from services.reporting.door.publisher import DoorClosed, DoorPublisher
from thidua.auth import Principal
from thidua.auth import web as auth
from thidua.es import webapi
from thidua.es.intake import STRUCTURED_CONTENT_TYPE
from thidua.es.rejections import Reason

EVENTS_PATH = "/v1/departments/{code}/events"
TAG = "cổng tiếp nhận"
DepartmentCode = Annotated[
    str,
    Path(
        pattern=DEPARTMENT_CODE_PATTERN,
        description="Mã Sở (hoặc `<tỉnh>-board` của Ban Thi đua - Khen thưởng tỉnh).",
        examples=["sct-gialai"],
    ),
]


class Submitted(BaseModel):
    """What the door published (202): the events' ids, in the order posted."""

    department: str = Field(description="The department whose ingress topic took them.")
    topic: str = Field(description="thidua.ingress.<code>")
    ids: list[str] = Field(description="Each event's id, in the order posted.")


class RefusalReason(BaseModel):
    code: str = Field(description="Machine-readable reason (the ingress's codes).")
    message: str = Field(description="The reason, in Vietnamese.")
    field: str | None = Field(default=None, description="The attribute or data field at fault.")


class RefusedEvent(BaseModel):
    index: int = Field(description="The event's position in the request (0 for one event).")
    id: str | None = Field(default=None, description="Its id, when it could be read.")
    reasons: list[RefusalReason]


class DoorProblem(webapi.Problem):
    """A problem of the door: the common fields, a machine-readable ``code`` and, when events
    were refused, each one's index and reasons."""

    code: str = Field(description="Machine-readable kind of problem, e.g. door.events_refused.")
    events: list[RefusedEvent] | None = Field(
        default=None, description="Each refused event (422 door.events_refused only)."
    )


TITLES = {
    413: "Nội dung quá lớn",
    415: "Kiểu nội dung không được hỗ trợ",
    422: "Sự kiện không hợp lệ",
}


def door_problem(
    request: Request,
    status: int,
    code: str,
    detail: str,
    events: list[RefusedEvent] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = DoorProblem(
        title=TITLES.get(status) or webapi.TITLES[status],
        status=status,
        detail=detail,
        instance=request.url.path,
        code=code,
        events=events,
    )
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True),
        status_code=status,
        media_type=webapi.PROBLEM_JSON,
        headers=headers,
    )


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused (413) as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Unreadable(413, "door.body_too_large", _too_large(int(declared), limit))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Unreadable(413, "door.body_too_large", _too_large(size, limit))
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(size: int, limit: int) -> str:
    return f"Nội dung {size:,} byte vượt giới hạn {limit:,} byte.".replace(",", ".")


def _refused(refusals: dict[int, list[Reason]], ids: dict[int, str]) -> list[RefusedEvent]:
    return [
        RefusedEvent(
            index=index,
            id=ids.get(index),
            reasons=[RefusalReason(**vars(r.bounded())) for r in reasons],
        )
        for index, reasons in sorted(refusals.items())
    ]


def create_door(publisher: DoorPublisher | None) -> APIRouter:
    """The door's route; without ``publisher`` (no Kafka principal for the door in this
    process) a post answers 503 ``door.closed``."""
    router = APIRouter(tags=[TAG])

    @router.post(
        EVENTS_PATH,
        status_code=202,
        response_model=Submitted,
        responses=RESPONSES,
        openapi_extra={"requestBody": REQUEST_BODY, "parameters": BINARY_HEADERS},
    )
    async def post_events(
        code: DepartmentCode,
        request: Request,
        who: Annotated[Principal, Depends(auth.authenticated)],
    ) -> Any:
        """Gửi sự kiện CloudEvents của Sở qua HTTP (binary, structured hoặc batch).

        Mỗi sự kiện được kiểm tra như khi đến qua Kafka (phong bì, loại sự kiện Sở được gửi,
        dữ liệu theo hợp đồng, kích thước) rồi đưa vào kênh `thidua.ingress.<code>`. Một lô
        được nhận trọn vẹn hoặc không nhận gì: nếu có sự kiện không hợp lệ, không sự kiện nào
        được gửi đi và câu trả lời liệt kê từng sự kiện lỗi (vị trí, lý do)."""
        if not who.may_submit(code):
            raise auth.forbidden(who, f"kênh tiếp nhận của {_whose(code)}")
        try:
            body = await read_body(request, body_limit(request.headers.get("content-type")))
            admitted = read_request(
                code, request.headers.raw, request.headers.get("content-type"), body
            )
        except Unreadable as bad:
            return door_problem(request, bad.status, bad.code, bad.detail)
        if admitted.refusals:
            total = len(admitted.events) + len(admitted.refusals)
            return door_problem(
                request,
                422,
                "door.events_refused",
                f"{len(admitted.refusals)} trong {total} sự kiện không hợp lệ;"
                " không sự kiện nào được tiếp nhận.",
                _refused(admitted.refusals, admitted.ids),
            )
        if publisher is None:
            return _closed(request)
        try:
            if not await publisher.has_topic(code):
                return door_problem(
                    request,
                    404,
                    "door.unknown_department",
                    f"{_whose(code).capitalize()} chưa được cấp kênh tiếp nhận"
                    " (thidua departments add).",
                )
            await publisher.publish(code, admitted.events)
        except DoorClosed:
            return _closed(request)
        return Submitted(
            department=code, topic=publisher.topic_of(code), ids=[e.id for e in admitted.events]
        )

    return router


def _whose(code: str) -> str:
    if topics.is_board(code):
        return f"Ban Thi đua - Khen thưởng tỉnh '{code.removesuffix(topics.BOARD_SUFFIX)}'"
    return f"Sở '{code}'"


def _closed(request: Request) -> JSONResponse:
    return door_problem(
        request,
        503,
        "door.closed",
        "Cổng tiếp nhận qua HTTP chưa được cấu hình trên máy chủ này (tài khoản Kafka của cổng).",
        headers={"Retry-After": "60"},
    )


def _problem(status: int, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {webapi.PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/DoorProblem"}}},
    }


RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _problem(400, "Nội dung lô không đọc được (door.batch_unreadable)."),
    404: _problem(404, "Sở chưa được cấp kênh tiếp nhận (door.unknown_department)."),
    413: _problem(413, "Nội dung quá lớn (door.body_too_large, door.batch_too_large)."),
    415: _problem(415, "Không phải CloudEvents (door.unsupported_content)."),
    422: _problem(
        422,
        "Sự kiện không hợp lệ (door.events_refused: từng sự kiện và lý do), lô rỗng"
        " (door.batch_empty), hoặc tham số đường dẫn sai.",
    ),
    503: _problem(503, "Kafka không trả lời, hoặc cổng chưa được cấu hình (door.closed)."),
}
_ENVELOPE = {"$ref": "#/components/schemas/CloudEvent"}
REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "description": "Một sự kiện (structured hoặc binary) hoặc một lô sự kiện (batch).",
    "content": {
        STRUCTURED_CONTENT_TYPE: {"schema": _ENVELOPE},
        BATCH_CONTENT_TYPE: {
            "schema": {
                "type": "array",
                "items": _ENVELOPE,
                "minItems": 1,
                "maxItems": MAX_BATCH_EVENTS,
            }
        },
        "application/json": {
            "schema": {"type": "object", "description": "Binary mode: the event's data."}
        },
    },
}
BINARY_HEADERS: list[dict[str, Any]] = [
    {
        "name": f"ce-{name}",
        "in": "header",
        "required": False,
        "description": f"Binary mode: the attribute `{name}` (percent-encoded). {note}",
        # Percent-encoded (HTTP binding §3.1.3.2): visible ASCII only, no NUL, no space.
        "schema": {"type": "string", "maxLength": 500, "pattern": "^[!-~]*$"},
    }
    for name, note in (
        ("specversion", "`1.0`; its presence selects binary mode."),
        ("id", "The event's id, its idempotency key."),
        ("type", "e.g. `vn.thidua.registration.UnitRegistered.v1`."),
        ("source", "The department's system."),
        ("subject", ""),
        ("time", ""),
        ("department", "The department code (extension)."),
    )
]


def document(app: FastAPI) -> None:
    """The door's schemas (its problem and the envelope) in ``app``'s OpenAPI components."""

    def amend(schema: dict[str, Any]) -> dict[str, Any]:
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, model in (("DoorProblem", DoorProblem), ("CloudEvent", CloudEvent)):
            generated = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(generated.pop("$defs", {}))
            components[name] = generated
        return schema

    webapi.amend_openapi(app, amend)
