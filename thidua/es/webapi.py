"""What the HTTP APIs of every service share (FastAPI): refusals as problem details, bounded
text parameters, and a server started and stopped in the running event loop.

- Every refusal is an RFC 9457 problem (``application/problem+json``) with a Vietnamese
  ``title`` and ``detail``: the framework's (a parameter outside its declared format: 422, an
  unknown path: 404, a method the path does not take: 405) and the handlers' (``not_found``).
  ``install`` sets this up and states it in the app's OpenAPI, so that every status an
  operation can answer is documented there, with its content type and schema.
- Text parameters carry their bounds in their type (``Text``, ``ID``, ``CODE``): the OpenAPI
  states them and FastAPI's validation enforces them before any handler runs, so a NUL
  (which PostgreSQL cannot store), a control character or an oversize value is a 422, never a
  500.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Callable, Mapping, Sequence
from http import HTTPStatus
from typing import Annotated, Any, Literal

import uvicorn
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, StringConstraints
from starlette.exceptions import HTTPException

from contracts.common import DEPARTMENT_CODE_PATTERN, ENTITY_ID_PATTERN
from thidua.es.consumer import TRANSIENT

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
"""No NUL, no control character (what a person can type on one line)."""

ID = StringConstraints(pattern=ENTITY_ID_PATTERN)
"""An entity id, as the contracts define it (``sct-gialai/vp``, ``gia-lai``)."""
CODE = StringConstraints(pattern=DEPARTMENT_CODE_PATTERN)
"""A department code, as the contracts define it (``sct-gialai``)."""
Text = Annotated[str, StringConstraints(max_length=200, pattern=PRINTABLE)]
"""Free text of a parameter: at most 200 characters, printable."""

TITLES = {
    400: "Yêu cầu không hợp lệ",
    401: "Chưa xác thực",
    403: "Không có quyền truy cập",
    404: "Không tìm thấy",
    405: "Phương thức không được hỗ trợ",
    409: "Xung đột với trạng thái hiện tại",
    422: "Tham số không hợp lệ",
    500: "Lỗi máy chủ",
    503: "Dịch vụ tạm thời không sẵn sàng",
}
WHERE = {"query": "Tham số", "path": "Đường dẫn", "body": "Trường", "header": "Tiêu đề"}
SAYS = {
    "missing": "là bắt buộc",
    "string_too_long": "dài quá {max_length} ký tự",
    "string_too_short": "ngắn hơn {min_length} ký tự",
    "string_pattern_mismatch": "không đúng định dạng",
    "string_type": "phải là chuỗi ký tự",
    "literal_error": "phải là một trong: {expected}",
    "enum": "phải là một trong: {expected}",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "greater_than_equal": "phải từ {ge} trở lên",
    "less_than_equal": "không được lớn hơn {le}",
    "bool_parsing": "phải là true hoặc false",
    "uuid_parsing": "phải là một UUID",
    "json_invalid": "không phải JSON hợp lệ",
    "model_attributes_type": "phải là một đối tượng JSON",
    "dict_type": "phải là một đối tượng JSON",
    "list_type": "phải là một danh sách",
    "too_long": "có quá {max_length} phần tử",
    "extra_forbidden": "không được phép",
}


class ParameterProblem(BaseModel):
    """One input that was refused, for machines (``location``, ``name``, ``code``) and people."""

    location: str = Field(description="query, path, body or header.")
    name: str = Field(description="The parameter, or the field's dotted path in the body.")
    code: str = Field(description="Machine-readable reason (pydantic's error type).")
    message: str = Field(description="The reason, in Vietnamese.")


class Problem(BaseModel):
    """An RFC 9457 problem detail (``application/problem+json``)."""

    type: str = Field(default="about:blank", description="URI of the kind of problem.")
    title: str = Field(description="Short summary in Vietnamese, the same for every occurrence.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request, in Vietnamese.")
    instance: str | None = Field(default=None, description="The path that was requested.")
    errors: list[ParameterProblem] | None = Field(
        default=None, description="Each refused input (422 only)."
    )


def problem(
    status: int,
    detail: str,
    *,
    instance: str | None = None,
    errors: Sequence[ParameterProblem] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        title=TITLES.get(status, HTTPStatus(status).phrase),
        status=status,
        detail=detail,
        instance=instance,
        errors=list(errors) if errors is not None else None,
    )
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def not_found(detail: str) -> HTTPException:
    """Raise it from a handler: a 404 problem with ``detail`` (Vietnamese)."""
    return HTTPException(404, detail)


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` of a route that may answer these statuses with a problem."""
    return {status: _problem_response(status) for status in statuses}


def _problem_response(status: int) -> dict[str, Any]:
    return {
        "description": TITLES.get(status, HTTPStatus(status).phrase),
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


# --- install ---------------------------------------------------------------------------------


def install(app: FastAPI) -> None:
    """Answer every refusal of ``app`` as a problem, and say so in its OpenAPI."""
    app.add_exception_handler(HTTPException, _http_problem)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_problem)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _server_problem)
    for transient in TRANSIENT:  # a dependency that does not answer: try again later
        if issubclass(transient, Exception):
            app.add_exception_handler(transient, _unavailable_problem)
    amend_openapi(app, _with_problems)


def amend_openapi(app: FastAPI, amend: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    """``app``'s OpenAPI, generated once, then passed through ``amend``."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = amend(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _with_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """The 422 FastAPI documents becomes a problem, an operation with a body may answer 400
    (a body that cannot be read), and Problem joins the components."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(problem_schema.pop("$defs", {}))
    components["Problem"] = problem_schema
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            if "422" in responses:
                responses["422"] = _problem_response(422)
            if "requestBody" in operation:
                responses.setdefault("400", _problem_response(400))
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    return schema


UNREADABLE_BODY = "There was an error parsing the body"
"""FastAPI's 400 for a body that cannot be read (not UTF-8, not the declared content type)."""


async def _http_problem(request: Request, exc: HTTPException) -> JSONResponse:
    detail = exc.detail
    if detail in (HTTPStatus(exc.status_code).phrase, UNREADABLE_BODY):  # the framework's own
        detail = {
            400: "Không đọc được nội dung yêu cầu: nội dung phải là JSON (UTF-8).",
            404: f"Không có địa chỉ {request.url.path}.",
            405: f"Địa chỉ {request.url.path} không nhận phương thức {request.method}.",
        }.get(exc.status_code, TITLES.get(exc.status_code, detail))
    return problem(exc.status_code, detail, instance=request.url.path, headers=exc.headers)


async def _validation_problem(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [_parameter_problem(e) for e in exc.errors()]
    detail = "; ".join(
        f"{WHERE.get(e.location, e.location)} '{e.name}' {e.message}" for e in errors
    )
    return problem(422, detail + ".", instance=request.url.path, errors=errors)


async def _server_problem(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return problem(500, "Máy chủ gặp lỗi khi xử lý yêu cầu này.", instance=request.url.path)


async def _unavailable_problem(request: Request, exc: Exception) -> JSONResponse:
    log.warning("%s %s: a dependency is unavailable (%r)", request.method, request.url.path, exc)
    detail = "Cơ sở dữ liệu hoặc Kafka tạm thời không truy cập được; vui lòng thử lại sau."
    return problem(503, detail, instance=request.url.path, headers={"Retry-After": "5"})


def _parameter_problem(error: Any) -> ParameterProblem:
    location, *path = (str(part) for part in error.get("loc", ("body",)))
    code = str(error.get("type", "value_error"))
    context = error.get("ctx") or {}
    if code == "value_error" and "error" in context:  # our validators speak Vietnamese
        message = str(context["error"])
    else:
        message = SAYS.get(code, "không hợp lệ").format_map(_Blank(context))
    return ParameterProblem(location=location, name=".".join(path), code=code, message=message)


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


# --- serving ---------------------------------------------------------------------------------


class HttpServer:
    """An ASGI app served by uvicorn in the running event loop on ``host``:``port`` (0: any
    free port, known as ``port`` once started)."""

    def __init__(
        self,
        app: Any,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        lifespan: Literal["auto", "on", "off"] = "auto",
        log_level: str = "warning",
    ) -> None:
        self.host = host
        self.port = port
        self._server = uvicorn.Server(
            uvicorn.Config(app, host=host, port=port, lifespan=lifespan, log_level=log_level)
        )
        self._task: asyncio.Task[None] | None = None
        self._socket: socket.socket | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def start(self, timeout: float = 30.0) -> None:
        """Bind (an OSError if the port is taken), then serve once the app has started."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        self._socket = sock
        self.port = sock.getsockname()[1]
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        async with asyncio.timeout(timeout):
            while not self._server.started:
                if self._task.done():
                    self._task.result()  # what stopped it
                    raise RuntimeError(f"{self.url} stopped while starting")
                await asyncio.sleep(0.01)

    async def stop(self) -> None:
        self._server.should_exit = True
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._socket is not None:
            self._socket.close()
