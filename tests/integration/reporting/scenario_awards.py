"""The awards facts of the reporting tests' feed (``scenario.build_feed``) and the approvals
they make, to compute the figures independently: awards at department, provincial,
ministerial and state level in 2018, dossiers late, returned and rejected, a flag decided in
January 2019 and an LĐTT revoked in March 2019."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contracts import awards as aw
from contracts.base import EventData
from contracts.envelope import CloudEvent
from scenarios.seeds import BAC_LIEU, GIA_LAI, KHANH_HOA, Scenario
from tests.integration.reporting.scenario_registration import GL_CAMPAIGN

BASE_SALARY = 1_390_000
COEFFICIENT = {
    "LDTT": 0.3,
    "CSTDCS": 1.0,
    "TTLDTT": 0.8,
    "CO_THI_DUA": 8.0,
    "CSTD_TOAN_QUOC": 4.5,
    "BANG_KHEN": 1.0,
}


@dataclass(frozen=True)
class Award:
    """An approval the test expects, to compute figures independently."""

    department: str
    title: str
    nominee_kind: str
    nominee: str
    unit: str | None
    authority: str
    method: str
    decided: str
    cash: int
    revoked_on: str | None = None


def award_facts(
    sc: Scenario,
) -> tuple[list[tuple[bytes, CloudEvent]], list[Award], dict[str, str]]:
    """The awards service's facts, keyed by their nomination; the approvals as they stand (the
    revoked one marked); nomination id -> event id of its approval."""
    gl, bl, kh = sc.code(GIA_LAI), sc.code(BAC_LIEU), sc.code(KHANH_HOA)
    award_events: list[tuple[bytes, CloudEvent]] = []
    approvals: list[Award] = []
    decision_events: dict[str, str] = {}

    def a(payload: EventData, nomination: str, department: str) -> CloudEvent:
        event = CloudEvent.new(payload, source="urn:thidua:service:awards", department=department)
        award_events.append((f"nomination:{nomination}".encode(), event))
        return event

    def nominate(
        nid: str,
        dept: str,
        title: str,
        kind: str,
        nominee: str,
        unit: str | None,
        received: str,
        *,
        campaign: str | None = GL_CAMPAIGN,
        extra: dict[str, Any] | None = None,
    ) -> None:
        a(
            aw.NominationSubmitted.model_validate(
                {
                    "nomination_id": nid,
                    "department_code": dept,
                    "campaign_id": campaign,
                    "year": 2018,
                    "title": title,
                    "nominee_kind": kind,
                    "nominee_id": nominee,
                    "unit_id": unit,
                    "received_on": received,
                    **(extra or {}),
                }
            ),
            nid,
            dept,
        )

    def approve(nid: str, award: Award) -> None:
        event = a(
            aw.NominationApproved.model_validate(
                {
                    "nomination_id": nid,
                    "department_code": award.department,
                    "year": 2018,
                    "title": award.title,
                    "method": award.method,
                    "nominee_kind": award.nominee_kind,
                    "nominee_id": award.nominee,
                    "unit_id": award.unit,
                    "decision_number": f"{len(approvals) + 100}/QĐ-X",
                    "decision_date": award.decided,
                    "authority": award.authority,
                    "cash_vnd": award.cash,
                    "base_salary_vnd": BASE_SALARY,
                    "coefficient": COEFFICIENT[award.title],
                }
            ),
            nid,
            award.department,
        )
        approvals.append(award)
        decision_events[nid] = event.id

    def cash(title: str) -> int:
        return round(COEFFICIENT[title] * BASE_SALARY)

    individual_awards = (
        # (nomination, dept, title, person, unit, authority, method, received, decided)
        (
            "gl/ldtt-0042",
            gl,
            "LDTT",
            "sct-gialai/p-0042",
            "sct-gialai/vp",
            "department_director",
            "regular",
            "2018-12-01",
            "2018-12-20",
        ),
        (
            "gl/ldtt-0051",
            gl,
            "LDTT",
            "sct-gialai/p-0051",
            "sct-gialai/p-qlcn",
            "department_director",
            "regular",
            "2018-12-01",
            "2018-12-20",
        ),
        (
            "gl/ldtt-0100",
            gl,
            "LDTT",
            "sct-gialai/p-0100",
            "sct-gialai/vp",
            "department_director",
            "regular",
            "2018-12-01",
            "2018-12-20",
        ),
        (
            "gl/ldtt-0001",
            gl,
            "LDTT",
            "sct-gialai/p-0001",
            "sct-gialai/bgd",
            "department_director",
            "regular",
            "2018-12-01",
            "2018-12-20",
        ),
        (
            "gl/cstdcs-0042",
            gl,
            "CSTDCS",
            "sct-gialai/p-0042",
            "sct-gialai/vp",
            "department_director",
            "regular",
            "2018-12-05",
            "2018-12-25",
        ),
        (
            "gl/cstdtq-0042",
            gl,
            "CSTD_TOAN_QUOC",
            "sct-gialai/p-0042",
            "sct-gialai/vp",
            "prime_minister",
            "regular",
            "2018-12-05",
            "2018-12-30",
        ),
        (
            "bl/ldtt-0012",
            bl,
            "LDTT",
            "sct-baclieu/p-0012",
            "sct-baclieu/ttkc",
            "department_director",
            "regular",
            "2018-12-02",
            "2018-12-28",
        ),
        (
            "bl/bk-0012",
            bl,
            "BANG_KHEN",
            "sct-baclieu/p-0012",
            "sct-baclieu/ttkc",
            "minister",
            "sudden",
            "2018-10-02",
            "2018-10-20",
        ),
        (
            "kh/ldtt-0120",
            kh,
            "LDTT",
            "sct-khanhhoa/p-0120",
            "sct-khanhhoa/vp",
            "department_director",
            "regular",
            "2018-12-02",
            "2018-12-22",
        ),
    )
    for nid, dept, title, person, unit, authority, method, received, decided in individual_awards:
        campaign = GL_CAMPAIGN if dept == gl else None
        nominate(nid, dept, title, "individual", person, unit, received, campaign=campaign)
        approve(
            nid,
            Award(dept, title, "individual", person, unit, authority, method, decided, cash(title)),
        )
    # TTLĐTT for the Văn phòng, received a day after the dossier deadline (10/12).
    nominate(
        "gl/ttldtt-vp",
        gl,
        "TTLDTT",
        "collective",
        "sct-gialai/vp",
        "sct-gialai/vp",
        "2018-12-11",
        extra={
            "late_override": {
                "reason": "Gửi qua bưu điện đúng hạn",
                "approved_by": "Chánh Văn phòng Sở",
            }
        },
    )
    approve(
        "gl/ttldtt-vp",
        Award(
            gl,
            "TTLDTT",
            "collective",
            "sct-gialai/vp",
            "sct-gialai/vp",
            "department_director",
            "regular",
            "2018-12-26",
            cash("TTLDTT"),
        ),
    )
    # The provincial flag for the department, decided on 15/01/2019 for 2018.
    nominate(
        "gl/co-2018",
        gl,
        "CO_THI_DUA",
        "collective",
        gl,
        None,
        "2018-12-01",
        extra={"conferring_level": "province"},
    )
    approve(
        "gl/co-2018",
        Award(
            gl,
            "CO_THI_DUA",
            "collective",
            gl,
            None,
            "provincial_chair",
            "regular",
            "2019-01-15",
            cash("CO_THI_DUA"),
        ),
    )
    # TTLĐXS of the Chi cục: returned (incomplete), late.
    nominate(
        "gl/ttldxs-qltt",
        gl,
        "TTLDXS",
        "collective",
        "sct-gialai/qltt",
        "sct-gialai/qltt",
        "2018-12-12",
    )
    a(
        aw.NominationReturned.model_validate(
            {
                "nomination_id": "gl/ttldxs-qltt",
                "returned_on": "2018-12-13",
                "late": True,
                "reasons": [
                    {"code": "awards.dossier_late", "message": "Hồ sơ gửi sau hạn"},
                    {"code": "awards.dossier_incomplete", "message": "Thiếu biên bản"},
                ],
            }
        ),
        "gl/ttldxs-qltt",
        gl,
    )
    # CSTĐCS of p-0051: rejected.
    nominate(
        "gl/cstdcs-0051",
        gl,
        "CSTDCS",
        "individual",
        "sct-gialai/p-0051",
        "sct-gialai/p-qlcn",
        "2018-12-05",
    )
    a(
        aw.NominationRejected.model_validate(
            {
                "nomination_id": "gl/cstdcs-0051",
                "rejected_on": "2018-12-20",
                "reasons": [
                    {"code": "awards.cstdcs_without_evidence", "message": "Thiếu minh chứng"}
                ],
            }
        ),
        "gl/cstdcs-0051",
        gl,
    )
    # LĐTT of p-0100 revoked on 01/03/2019.
    a(
        aw.AwardRevoked.model_validate(
            {
                "nomination_id": "gl/ldtt-0100",
                "department_code": gl,
                "decision_number": "31/QĐ-SCT",
                "revoked_on": "2019-03-01",
                "reason": "Kê khai thành tích không đúng",
            }
        ),
        "gl/ldtt-0100",
        gl,
    )
    revoked = next(x for x in approvals if x.nominee == "sct-gialai/p-0100")
    approvals[approvals.index(revoked)] = Award(**{**revoked.__dict__, "revoked_on": "2019-03-01"})
    return award_events, approvals, decision_events
