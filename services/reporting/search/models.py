"""What the search and the records answer (the API's response models, pydantic): a page of
hits, and the record of one person or one unit.

Apart from the queries that fill them: the routes, the pages and the OpenAPI schema use these
types alone, and the search and the records share none of their reads.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field


class SearchHit(BaseModel):
    kind: Literal["person", "unit"]
    id: str
    name: str
    department_code: str
    department: str
    province_id: str
    province: str
    unit_id: str | None = None
    """A person's unit now (the last in their history)."""
    unit: str | None = None
    score: float
    """Word similarity of the query to the name (1 = the query is a whole word of it)."""


class SearchResults(BaseModel):
    q: str
    page: int
    per_page: int
    total: int
    """Hits found (people and units), at most ``CANDIDATES + 1`` of each."""
    more: bool
    """More than ``CANDIDATES`` people (or units) match: only that many were ranked; a word
    more or a filter finds the rest."""
    hits: list[SearchHit]


class Membership(BaseModel):
    unit_id: str
    unit: str
    since: date
    until: date | None


class Member(BaseModel):
    person_id: str
    full_name: str
    since: date
    until: date | None


class TitleYear(BaseModel):
    """A title in a year: held (count, net of revocations), to individuals and collectives."""

    year: int
    title: str
    label: str
    count: int
    individuals: int
    collectives: int
    revoked: int
    cash_vnd: int


class RatingYear(BaseModel):
    year: int
    rating: str
    label: str


class RegistrationRef(BaseModel):
    campaign_id: str
    campaign: str
    year: int | None
    registered_on: date | None


class InitiativeRef(BaseModel):
    initiative_id: str
    title: str | None = Field(default=None, description="Tên sáng kiến.")
    kind: str
    year: int = Field(description="Năm của phong trào, hoặc năm nộp nếu không thuộc phong trào.")
    submitted_on: date
    status: str = Field(description="Đã nộp / Được công nhận (phạm vi) / Không được công nhận.")


class ChainProgress(BaseModel):
    """How far a consecutive-year chain has come (e.g. CSTĐCS 2 of 3 years)."""

    title: str
    towards: str
    years: int
    needed: int
    up_to: int
    text: str


class OpenDiscipline(BaseModel):
    person_id: str
    level: str
    label: str
    imposed_on: date


class PersonPage(BaseModel):
    person_id: str
    full_name: str
    sex: str
    department_code: str
    department: str
    province_id: str
    province: str
    joined_on: date
    left_on: date | None
    units: list[Membership]
    ratings: list[RatingYear]
    registrations: list[RegistrationRef]
    titles: list[TitleYear]
    chains: list[ChainProgress]
    discipline: list[OpenDiscipline]
    initiatives: list[InitiativeRef] = Field(
        default_factory=list, description="Sáng kiến của người này (là tác giả hoặc đồng tác giả)."
    )


class UnitPage(BaseModel):
    unit_id: str
    name: str
    kind: str
    department_code: str
    department: str
    province_id: str
    province: str
    parent_unit_id: str | None
    established_on: date
    ended_on: date | None
    members: list[Member]
    ratings: list[RatingYear]
    registrations: list[RegistrationRef]
    initiatives: list[InitiativeRef]
    titles: list[TitleYear]
    discipline: list[OpenDiscipline]
