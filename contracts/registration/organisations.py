"""The organisation directory: ministries, provinces, departments and their units, how each
changes over time (renamed, merged, dissolved: issue 16, DOMAIN.md §8), what passes to a
successor, and where an organisation wants to be told about its facts.

Apart from the people, blocs and campaigns because it is the tree everything else hangs on:
every other fact names a department, and most a unit of it.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import AnyHttpUrl, Field

from contracts.base import event_type
from contracts.common import (
    Count,
    DepartmentCode,
    DocumentRef,
    Email,
    EntityId,
    OrgKind,
    ShortText,
    Text,
    UnitKind,
)
from contracts.registration.base import RegistrationEvent

# --- directory -------------------------------------------------------------------------------


@event_type
class MinistryRegistered(RegistrationEvent):
    """A ministry (Bộ) and the sector (ngành) it heads."""

    event_name: ClassVar[str] = "MinistryRegistered"
    ministry_id: EntityId
    name: ShortText = Field(description="e.g. Bộ Công Thương.")
    sector_code: EntityId = Field(description="Sector (ngành), e.g. cong-thuong.")
    established_on: date | None = Field(
        default=None, description="Ngày thành lập; null: existed before any recorded fact."
    )
    legal_basis: DocumentRef | None = Field(default=None, description="Văn bản thành lập.")


@event_type
class ProvinceRegistered(RegistrationEvent):
    """A province or centrally-run city (tỉnh, thành phố trực thuộc trung ương)."""

    event_name: ClassVar[str] = "ProvinceRegistered"
    province_id: EntityId
    name: ShortText = Field(description="e.g. Gia Lai.")
    established_on: date | None = Field(
        default=None, description="Ngày thành lập; null: existed before any recorded fact."
    )
    legal_basis: DocumentRef | None = Field(default=None, description="Văn bản thành lập.")


@event_type
class DepartmentRegistered(RegistrationEvent):
    """A department (Sở): in exactly one province and one sector (its ministry)."""

    event_name: ClassVar[str] = "DepartmentRegistered"
    department_code: DepartmentCode
    name: ShortText = Field(description="e.g. Sở Công Thương Gia Lai.")
    province_id: EntityId
    ministry_id: EntityId
    established_on: date | None = Field(
        default=None, description="Ngày thành lập; null: existed before any recorded fact."
    )
    legal_basis: DocumentRef | None = Field(default=None, description="Văn bản thành lập.")


# --- lifecycles of ministries, provinces and departments (issue 16, DOMAIN.md §8) ------------
#
# Each is effective-dated: a fact is judged against the organisation as it stood on the fact's
# own date. A merged-away organisation keeps its history; its successor is named by the merger.


class OrgChange(RegistrationEvent):
    effective_on: date = Field(description="Ngày có hiệu lực.")
    legal_basis: DocumentRef | None = Field(
        default=None, description="Căn cứ pháp lý, e.g. Nghị quyết 202/2025/QH15."
    )


class MinistryChange(OrgChange):
    ministry_id: EntityId


@event_type
class MinistryRenamed(MinistryChange):
    """Đổi tên Bộ."""

    event_name: ClassVar[str] = "MinistryRenamed"
    name: ShortText


@event_type
class MinistryMerged(MinistryChange):
    """``ministry_id`` is merged into ``into_ministry_id`` (hợp nhất, sáp nhập Bộ) and ceases to
    exist; its sector's departments report to the successor from ``effective_on``."""

    event_name: ClassVar[str] = "MinistryMerged"
    into_ministry_id: EntityId
    legal_basis: DocumentRef = Field(description="Căn cứ pháp lý.")


@event_type
class MinistryDissolved(MinistryChange):
    """Giải thể Bộ."""

    event_name: ClassVar[str] = "MinistryDissolved"
    reason: Text | None = None


class ProvinceChange(OrgChange):
    province_id: EntityId


@event_type
class ProvinceRenamed(ProvinceChange):
    """Đổi tên tỉnh, thành phố."""

    event_name: ClassVar[str] = "ProvinceRenamed"
    name: ShortText


@event_type
class ProvinceMerged(ProvinceChange):
    """``province_id`` is merged into ``into_province_id`` (sắp xếp đơn vị hành chính cấp tỉnh,
    e.g. Bạc Liêu into Cà Mau on 01/07/2025) and ceases to exist."""

    event_name: ClassVar[str] = "ProvinceMerged"
    into_province_id: EntityId
    legal_basis: DocumentRef = Field(description="Căn cứ pháp lý, e.g. Nghị quyết 202/2025/QH15.")


@event_type
class ProvinceDissolved(ProvinceChange):
    """Giải thể tỉnh."""

    event_name: ClassVar[str] = "ProvinceDissolved"
    reason: Text | None = None


class DepartmentChange(OrgChange):
    department_code: DepartmentCode


@event_type
class DepartmentRenamed(DepartmentChange):
    """Đổi tên Sở (e.g. Sở Nông nghiệp và PTNT → Sở Nông nghiệp và Môi trường)."""

    event_name: ClassVar[str] = "DepartmentRenamed"
    name: ShortText


@event_type
class DepartmentMerged(DepartmentChange):
    """``department_code`` is merged into ``into_department_code`` (e.g. Sở KH&ĐT into Sở Tài
    chính) and ceases to exist: its ingress refuses facts dated from ``effective_on``, naming
    the successor, whose identity takes over."""

    event_name: ClassVar[str] = "DepartmentMerged"
    into_department_code: DepartmentCode
    legal_basis: DocumentRef = Field(description="Căn cứ pháp lý.")


@event_type
class DepartmentDissolved(DepartmentChange):
    """Giải thể Sở."""

    event_name: ClassVar[str] = "DepartmentDissolved"
    reason: Text | None = None


class SuccessionEvent(RegistrationEvent):
    from_department_code: DepartmentCode = Field(description="The merged-away department.")
    to_department_code: DepartmentCode = Field(description="Its successor.")
    effective_on: date


@event_type
class UnitTransferred(SuccessionEvent):
    """A unit, with its staff and their history, passes to the successor department (tiếp nhận
    nguyên trạng đơn vị)."""

    event_name: ClassVar[str] = "UnitTransferred"
    unit_id: EntityId


@event_type
class CampaignTransferred(SuccessionEvent):
    """An open campaign passes to the successor department, which runs it from then on."""

    event_name: ClassVar[str] = "CampaignTransferred"
    campaign_id: EntityId


class UnitEvent(RegistrationEvent):
    unit_id: EntityId


@event_type
class UnitEstablished(UnitEvent):
    """A unit of a department: section, attached unit, enterprise, commune... (đơn vị)."""

    event_name: ClassVar[str] = "UnitEstablished"
    department_code: DepartmentCode
    name: ShortText
    kind: UnitKind
    parent_unit_id: EntityId | None = Field(default=None, description="Enclosing unit, if any.")
    established_on: date
    headcount: Count | None = Field(
        default=None, description="Staff count (quân số) where people are not listed one by one."
    )


@event_type
class UnitRenamed(UnitEvent):
    """Đổi tên đơn vị."""

    event_name: ClassVar[str] = "UnitRenamed"
    name: ShortText
    effective_on: date


@event_type
class UnitMerged(UnitEvent):
    """``unit_id`` is merged into ``into_unit_id`` (sáp nhập) and ceases to exist."""

    event_name: ClassVar[str] = "UnitMerged"
    into_unit_id: EntityId
    effective_on: date


@event_type
class UnitDissolved(UnitEvent):
    """Giải thể đơn vị."""

    event_name: ClassVar[str] = "UnitDissolved"
    effective_on: date
    reason: Text | None = None


@event_type
class OrganisationContactSet(RegistrationEvent):
    """Where an organisation wants to be told about its facts (email, webhook)."""

    event_name: ClassVar[str] = "OrganisationContactSet"
    org_kind: OrgKind
    org_id: EntityId = Field(description="Department code, unit id, province id, ...")
    email: Email | None = None
    webhook_url: AnyHttpUrl | None = Field(default=None, description="HTTPS endpoint for POSTs.")
    mail_digest: bool | None = Field(
        default=None,
        description="True: the organisation is mailed once a day, a digest of everything since"
        " the last one, instead of a mail per notification (issue 18); the organisation sets"
        " it with its contact. Absent or false: each notification at once.",
    )
