"""Stream ids of the registration service's aggregates (also the Kafka key of their facts)."""

from __future__ import annotations

from contracts.common import SubjectKind


def ministry(ministry_id: str) -> str:
    return f"ministry:{ministry_id}"


def province(province_id: str) -> str:
    return f"province:{province_id}"


def department(code: str) -> str:
    return f"department:{code}"


def organisation(kind: str, code: str) -> str:
    """A ministry's, a province's or a department's stream (``kind``: ministry, province,
    department)."""
    return f"{kind}:{code}"


def unit(unit_id: str) -> str:
    return f"unit:{unit_id}"


def person(person_id: str) -> str:
    return f"person:{person_id}"


def bloc(bloc_id: str) -> str:
    return f"bloc:{bloc_id}"


def contact(kind: str, org_id: str) -> str:
    return f"contact:{kind}:{org_id}"


def campaign(campaign_id: str) -> str:
    return f"campaign:{campaign_id}"


def campaign_number(issuer: str, year: int, number: str) -> str:
    """The claim of a plan number by the campaign launched under it (rule 27); a ``claim:``
    stream stays in the store and is not published."""
    return f"claim:campaign-number:{issuer}:{year}:{number}"


def registrant(campaign_id: str, kind: SubjectKind, registrant_id: str) -> str:
    """One registrant's registrations to one campaign (unit or individual)."""
    return f"registration:{campaign_id}:{kind.value}:{registrant_id}"


def initiative(initiative_id: str) -> str:
    return f"initiative:{initiative_id}"


def research(research_id: str) -> str:
    return f"research:{research_id}"


def rating(kind: SubjectKind, subject_id: str, year: int) -> str:
    return f"rating:{kind.value}:{subject_id}:{year}"


def discipline(person_id: str) -> str:
    return f"discipline:{person_id}"


def case(case_id: str) -> str:
    return f"case:{case_id}"


def economic_result(campaign_id: str, indicator: str, start: object, end: object) -> str:
    """One indicator's result for one period of a campaign (its report, then corrections);
    ``indicator``: its matching key (``contracts.registration.indicator_key``)."""
    return f"economic:{campaign_id}:{start}:{end}:{indicator}"
