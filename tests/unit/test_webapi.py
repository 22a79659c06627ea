"""The HTTP APIs' shared conventions (``thidua.es.webapi``): refusals are Vietnamese problem
details, and every OpenAPI the services publish bounds its text parameters and documents its
refusals as problems (what Schemathesis holds them to in the integration suites)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Annotated, Any, cast

import httpx
import pytest
from fastapi import FastAPI, Query

from services.notifications.http import inbox_api
from services.reporting.api import create_api
from thidua.es import webapi
from thidua.es.db import Pool
from thidua.es.ops import Metrics, ops_app


class Observed:
    name = "thu-nghiem"
    metrics = Metrics("thu-nghiem")

    async def readiness(self) -> dict[str, bool]:
        return {"database": True, "kafka": False}

    async def refresh_gauges(self) -> None:
        return None


def toy() -> FastAPI:
    app = FastAPI()
    webapi.install(app)

    @app.get("/don-vi/{unit_id}", responses=webapi.documented(404))
    async def unit(
        unit_id: Annotated[str, webapi.ID], nam: Annotated[int, Query(ge=1945)]
    ) -> dict[str, str]:
        raise webapi.not_found(f"Không tìm thấy đơn vị có mã '{unit_id}'.")

    @app.post("/ghi")
    async def write(body: dict[str, int]) -> dict[str, int]:
        return body

    return app


@pytest.fixture
async def client() -> Any:
    transport = httpx.ASGITransport(app=toy())
    async with httpx.AsyncClient(transport=transport, base_url="http://toy") as http:
        yield http


async def test_a_malformed_parameter_is_a_422_problem_naming_each_refused_input(
    client: httpx.AsyncClient,
) -> None:
    reply = await client.get("/don-vi/a%00b", params={"nam": "1900"})
    assert reply.status_code == 422
    assert reply.headers["content-type"] == webapi.PROBLEM_JSON
    problem = reply.json()
    assert problem["title"] == "Tham số không hợp lệ" and problem["status"] == 422
    assert problem["detail"] == (
        "Đường dẫn 'unit_id' không đúng định dạng; Tham số 'nam' phải từ 1945 trở lên."
    )
    assert [(e["location"], e["name"], e["code"]) for e in problem["errors"]] == [
        ("path", "unit_id", "string_pattern_mismatch"),
        ("query", "nam", "greater_than_equal"),
    ]


async def test_framework_refusals_are_problems_in_vietnamese(client: httpx.AsyncClient) -> None:
    missing = await client.get("/khong-co")
    assert (missing.status_code, missing.json()["detail"]) == (404, "Không có địa chỉ /khong-co.")
    wrong_method = await client.delete("/ghi")
    assert wrong_method.status_code == 405 and wrong_method.headers["allow"] == "POST"
    assert wrong_method.json()["title"] == "Phương thức không được hỗ trợ"
    unreadable = await client.post(
        "/ghi", content=b"\xff\xfe", headers={"content-type": "application/json"}
    )
    assert unreadable.status_code in (400, 422)
    assert unreadable.headers["content-type"] == webapi.PROBLEM_JSON
    not_json = await client.post("/ghi", content=b"{", headers={"content-type": "application/json"})
    assert not_json.status_code == 422 and not_json.json()["errors"][0]["code"] == "json_invalid"
    unknown = await client.get("/don-vi/vp", params={"nam": 2018})
    assert unknown.status_code == 404
    assert unknown.json() == {
        "type": "about:blank",
        "title": "Không tìm thấy",
        "status": 404,
        "detail": "Không tìm thấy đơn vị có mã 'vp'.",
        "instance": "/don-vi/vp",
    }


def published() -> dict[str, dict[str, Any]]:
    no_pool = cast(Pool, None)
    return {
        "reporting": create_api(no_pool).openapi(),
        "notifications": inbox_api(no_pool, dict).openapi(),
        "operations": ops_app(Observed()).openapi(),
    }


def _answers_html(operation: dict[str, Any]) -> bool:
    return "text/html" in operation["responses"].get("200", {}).get("content", {})


def operations(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def strings(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if schema.get("type") == "string":
        yield schema
    for alternative in schema.get("anyOf", []):
        yield from strings(alternative)


@pytest.mark.parametrize("api", ["reporting", "notifications", "operations"])
def test_every_text_parameter_has_a_declared_format(api: str) -> None:
    """A string parameter without a pattern or a set of values could carry NUL to PostgreSQL."""
    unbounded = [
        (label, parameter["name"])
        for label, operation in operations(published()[api])
        for parameter in operation.get("parameters", [])
        for schema in strings(parameter["schema"])
        if not ({"pattern", "enum", "format"} & schema.keys())
    ]
    assert unbounded == []


@pytest.mark.parametrize("api", ["reporting", "notifications", "operations"])
def test_every_refusal_is_documented_as_a_problem(api: str) -> None:
    schema = published()[api]
    assert "Problem" in schema["components"]["schemas"]
    refusals = {
        (label, status): list(response.get("content", {}))
        for label, operation in operations(schema)
        for status, response in operation["responses"].items()
        if status.startswith("4")
    }
    # A dashboard page refuses a visitor without a login (401) or outside the role's scope
    # (403) with a page (a link to the login), which its OpenAPI says; every other refusal,
    # and every one of the API, is a problem.
    pages = {label for label, operation in operations(schema) if _answers_html(operation)}
    assert all(
        types
        == (["text/html"] if label in pages and status in ("401", "403") else [webapi.PROBLEM_JSON])
        for (label, status), types in refusals.items()
    ), refusals
    with_parameters = [
        label for label, operation in operations(schema) if operation.get("parameters")
    ]
    assert all((label, "422") in refusals for label in with_parameters)
    assert bool(with_parameters) == (api != "operations")  # the operations take none


async def test_a_server_binds_its_port_before_it_starts_or_says_why_not() -> None:
    server = webapi.HttpServer(ops_app(Observed()), port=0)
    await server.start()
    try:
        async with httpx.AsyncClient(base_url=server.url) as client:
            ready = await client.get("/health/ready")
        assert ready.status_code == 503
        assert ready.json() == {
            "service": "thu-nghiem",
            "checks": {"database": True, "kafka": False},
        }
        taken = webapi.HttpServer(ops_app(Observed()), port=server.port)
        with pytest.raises(OSError):
            await taken.start()
    finally:
        await server.stop()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", server.port)) != 0
