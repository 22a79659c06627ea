"""A decision on awards for the documents' tests (issue 18): the reporting scenario's facts
plus one decision of Sở Công Thương Gia Lai (DecisionIssued) over four dossiers, three of them
approved under it (NominationApproved with its ``decision_id``: two LĐTT and a TTLĐTT) and one
rejected (a CSTĐCS without evidence, which the decision's documents must not list), as the
awards service publishes them."""

from __future__ import annotations

from dataclasses import dataclass

from contracts import awards as aw
from contracts import registration as rg
from contracts.envelope import CloudEvent
from scenarios.seeds import GIA_LAI
from tests.integration.reporting.scenario import Feed
from tests.integration.reporting.scenario_awards import BASE_SALARY, COEFFICIENT
from tests.integration.reporting.scenario_registration import GL_CAMPAIGN

DECISION_ID = "sct-gialai/qd/2018-khen-cuoi-nam"
DECISION_NUMBER = "215/QĐ-SCT"
DECIDED_ON = "2018-12-24"
SIGNER = "Đào Thị Thu Nguyệt"


@dataclass(frozen=True)
class Expected:
    """An awardee of the decision, as the documents must name it."""

    nomination_id: str
    title: str
    name: str
    unit: str
    cash_vnd: int


# (nomination, title, kind, nominee, unit, approved)
DOSSIERS = (
    ("gl/qd-ldtt-0101", "LDTT", "individual", "sct-gialai/p-0101", "sct-gialai/p-qlcn", True),
    ("gl/qd-ldtt-0102", "LDTT", "individual", "sct-gialai/p-0102", "sct-gialai/qltt", True),
    ("gl/qd-ttldtt-vp", "TTLDTT", "collective", "sct-gialai/vp", None, True),
    ("gl/qd-cstdcs-0100", "CSTDCS", "individual", "sct-gialai/p-0100", "sct-gialai/vp", False),
)


def revocation(department: str, nomination_id: str) -> tuple[bytes, CloudEvent]:
    """An AwardRevoked of one of the decision's titles (keyed as the awards service keys it)."""
    event = CloudEvent.new(
        aw.AwardRevoked.model_validate(
            {
                "nomination_id": nomination_id,
                "department_code": department,
                "decision_number": "12/QĐ-SCT",
                "revoked_on": "2019-02-15",
                "reason": "Kê khai thành tích không trung thực",
            }
        ),
        source="urn:thidua:service:awards",
        department=department,
    )
    return f"nomination:{nomination_id}".encode(), event


def with_decision(feed: Feed) -> list[Expected]:
    """Adds the decision's facts to ``feed``; returns its awardees as expected."""
    department = feed.scenario.code(GIA_LAI)
    names: dict[str, str] = {}
    for _, event in feed.registration:
        if event.type == rg.PersonJoined.type_name():
            names[event.data["person_id"]] = event.data["full_name"]
        elif event.type == rg.UnitEstablished.type_name():
            names[event.data["unit_id"]] = event.data["name"]
        elif event.type == rg.DepartmentRegistered.type_name():
            names[event.data["department_code"]] = event.data["name"]

    def emit(payload: aw.AwardsEvent, key: str) -> None:
        event = CloudEvent.new(payload, source="urn:thidua:service:awards", department=department)
        feed.awards.append((key.encode(), event))

    expected = []
    for nid, title, kind, nominee, unit, _ in DOSSIERS:
        emit(
            aw.NominationSubmitted.model_validate(
                {
                    "nomination_id": nid,
                    "department_code": department,
                    "campaign_id": GL_CAMPAIGN,
                    "year": 2018,
                    "title": title,
                    "nominee_kind": kind,
                    "nominee_id": nominee,
                    "unit_id": unit,
                    "received_on": "2018-12-03",
                }
            ),
            f"nomination:{nid}",
        )
    emit(
        aw.DecisionIssued.model_validate(
            {
                "decision_id": DECISION_ID,
                "department_code": department,
                "number": DECISION_NUMBER,
                "issued_on": DECIDED_ON,
                "issuer": {"name": "Sở Công Thương tỉnh Gia Lai", "abbreviation": "SCT"},
                "signer": {"name": SIGNER, "position": "Phó Giám đốc", "on_behalf_of": "Giám đốc"},
                "authority": "department_director",
                "nomination_ids": [d[0] for d in DOSSIERS],
            }
        ),
        f"decision:{DECISION_ID}",
    )
    for nid, title, kind, nominee, unit, approved in DOSSIERS:
        if not approved:
            emit(
                aw.NominationRejected.model_validate(
                    {
                        "nomination_id": nid,
                        "rejected_on": DECIDED_ON,
                        "reasons": [
                            {
                                "code": "awards.cstdcs_without_evidence",
                                "message": "Thiếu minh chứng",
                            }
                        ],
                        "rule_set": "nd-91-2017",
                    }
                ),
                f"nomination:{nid}",
            )
            continue
        cash = round(COEFFICIENT[title] * BASE_SALARY)
        emit(
            aw.NominationApproved.model_validate(
                {
                    "nomination_id": nid,
                    "department_code": department,
                    "year": 2018,
                    "title": title,
                    "nominee_kind": kind,
                    "nominee_id": nominee,
                    "unit_id": unit,
                    "decision_id": DECISION_ID,
                    "decision_number": DECISION_NUMBER,
                    "decision_date": DECIDED_ON,
                    "authority": "department_director",
                    "cash_vnd": cash,
                    "base_salary_vnd": BASE_SALARY,
                    "coefficient": COEFFICIENT[title],
                    "rule_set": "nd-91-2017",
                }
            ),
            f"nomination:{nid}",
        )
        unit_name = names[unit] if unit else names[department]
        expected.append(Expected(nid, title, names[nominee], unit_name, cash))
    return expected
