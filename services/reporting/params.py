"""The parameters of the reporting API and the dashboard, each with the exact set of values it
accepts, stated in the OpenAPI and enforced before a handler runs (``thidua.es.webapi``).

Ids follow the contracts' patterns; dates are either ISO (``as_of``, the API's) or
dd/mm/yyyy (``den-ngay``, the dashboard's, as officials write them), and a value that matches
a date's pattern is a date that exists (no 31/02): what the schema promises is what is served.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BeforeValidator, StringConstraints, WithJsonSchema

from contracts.common import ENTITY_ID_PATTERN
from services.reporting.presentation import parse_vn_date
from services.reporting.queries import SCOPE_LABELS, scope_place
from services.reporting.queries.succession import successor_place
from services.reporting.reader import ModelReader
from thidua.auth import Place, Principal
from thidua.auth.web import require_place
from thidua.es.db import Conn
from thidua.es.webapi import CODE, ID, Text, not_found

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DAY_MONTH = (
    r"(?:(?:0?[1-9]|1[0-9]|2[0-8])/(?:0?[1-9]|1[0-2])"
    r"|(?:29|30)/(?:0?[13-9]|1[0-2])"
    r"|31/(?:0?[13578]|1[02]))/(?:19|20)[0-9]{2}"
)
_LEAP_DAY = r"29/0?2/(?:19(?:0[48]|[2468][048]|[13579][26])|20(?:0[048]|[2468][048]|[13579][26]))"
VN_DATE_PATTERN = rf"^(?:{_DAY_MONTH}|{_LEAP_DAY})?$"
"""dd/mm/yyyy of a day that exists, 1900-2099; empty: no date."""
OPTIONAL_ID = StringConstraints(pattern=rf"^$|{ENTITY_ID_PATTERN}")
"""An id, or empty (a form's "all" choice)."""


def read_iso_date(value: object) -> object:
    if isinstance(value, str):
        try:
            if ISO_DATE.fullmatch(value):
                return date.fromisoformat(value)
        except ValueError:
            pass
        raise ValueError(f"phải là một ngày có thật theo dạng YYYY-MM-DD (nhận được '{value}')")
    return value


def read_vn_date(value: object) -> object:
    if isinstance(value, str):
        if not re.fullmatch(VN_DATE_PATTERN, value):
            raise ValueError(f"phải là một ngày có thật theo dạng dd/mm/yyyy (nhận được '{value}')")
        return parse_vn_date(value)
    return value


IsoDate = Annotated[date, BeforeValidator(read_iso_date)]
VnDate = Annotated[
    date | None,
    BeforeValidator(read_vn_date),
    WithJsonSchema({"type": "string", "pattern": VN_DATE_PATTERN}),
]

# --- the API's -------------------------------------------------------------------------------

Year = Annotated[int, Query(ge=1945, le=2100, description="Năm báo cáo.", examples=[2018])]
AsOf = Annotated[
    IsoDate | None,
    Query(description="Số liệu tính đến ngày (YYYY-MM-DD); bỏ trống = hiện tại."),
]
Id = Annotated[str, ID]
Campaign = Annotated[
    Id | None,
    Query(description="Chỉ tính một phong trào thi đua.", examples=["sct-gialai/2018/phat-dong"]),
]
ProvinceId = Annotated[str, ID, Path(description="Mã tỉnh.", examples=["gia-lai"])]
MinistryId = Annotated[str, ID, Path(description="Mã Bộ, ngành.", examples=["bct"])]
DepartmentCode = Annotated[str, CODE, Path(description="Mã Sở.", examples=["sct-gialai"])]
UnitId = Annotated[str, ID, Query(description="Mã đơn vị.", examples=["sct-gialai/vp"])]
ScopeId = Annotated[
    str, ID, Query(description="Mã tỉnh, Bộ, Sở hoặc đơn vị.", examples=["gia-lai"])
]
WithPredecessors = Annotated[
    bool,
    Query(
        description="Gồm cả các tỉnh, Bộ, Sở cũ đã hợp nhất vào (tiền thân), mỗi phần ghi rõ"
        " từ tổ chức nào; mặc định: chỉ tổ chức như trong năm báo cáo."
    ),
]
Figure = Annotated[Text | None, Query(description="Chỉ số, ví dụ awards.")]
Key = Annotated[Text | None, Query(description="Khóa của chỉ số.")]

# --- the dashboard's -------------------------------------------------------------------------

YearParam = Annotated[int | None, Query(alias="nam", ge=1945, le=2100, description="Năm.")]
AsOfParam = Annotated[
    VnDate, Query(alias="den-ngay", description="Tính đến ngày dd/mm/yyyy; bỏ trống = hiện tại.")
]
CampaignParam = Annotated[
    Annotated[str, OPTIONAL_ID] | None, Query(alias="phong-trao", description="Mã phong trào.")
]
PredecessorsParam = Annotated[
    bool,
    Query(alias="gom-tien-than", description="Gồm cả tỉnh/Bộ/Sở cũ đã hợp nhất vào (tiền thân)."),
]
UnitPage = Annotated[str, ID, Path(description="Mã đơn vị.", examples=["sct-gialai/vp"])]


async def scope_places(conn: Conn, kind: str, scope_id: str) -> list[Place] | None:
    """Where a scope sits, and (if its department, province or ministry merged away) where it
    sits today, in its successors: either lets a principal read it. None: not in the model."""
    place = await scope_place(conn, kind, scope_id)
    if place is None:
        return None
    later = await successor_place(conn, place)
    return [place] if later == place else [place, later]


async def require_scope(
    conn: Conn, kind: str, scope_id: str, principal: Principal, *, page: bool = False
) -> None:
    """A 404 problem unless the scope is in the model (a typo is not a scope of zeros), a 403
    unless it lies inside the principal's roles (or its successor's do: issue 16)."""
    refuse_unless_readable(
        await scope_places(conn, kind, scope_id), kind, scope_id, principal, page
    )


async def require_cached_scope(
    reader: ModelReader, kind: str, scope_id: str, principal: Principal, *, page: bool = False
) -> None:
    """``require_scope`` with the scope's place looked up once per model version (checked
    against the principal on every request: the answers it guards are shared)."""

    async def places(conn: Conn) -> list[Place] | None:
        return await scope_places(conn, kind, scope_id)

    found = await reader.cached(("scope place", kind, scope_id), places)
    refuse_unless_readable(found, kind, scope_id, principal, page)


def readable_orgs(listed: list[dict[str, Any]], kind: str, who: Principal) -> list[dict[str, Any]]:
    """The listed provinces (or ministries, ``OrgChoice`` as JSON) the principal may read, each
    with the former ones beneath it (who reads a successor reads its predecessors)."""
    return [item for item in listed if who.may_read(Place(kind, item["id"], **{kind: item["id"]}))]


def refuse_unless_readable(
    places: list[Place] | None, kind: str, scope_id: str, principal: Principal, page: bool
) -> None:
    if places is None:
        label = SCOPE_LABELS[kind].lower()
        raise not_found(f"Không tìm thấy {label} có mã '{scope_id}'.")
    if not any(principal.may_read(place) for place in places):
        require_place(principal, places[0], page=page)
