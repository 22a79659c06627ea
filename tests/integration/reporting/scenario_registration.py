"""The registration facts of the reporting tests' feed (``scenario.build_feed``): the seed
scenario's reference data, directories and plans, extra staff, Gia Lai's 2018 registrations
and a withdrawal, and three initiatives (two recognised, one rejected)."""

from __future__ import annotations

from contracts import registration as rg
from contracts.base import EventData
from contracts.envelope import CloudEvent
from scenarios.seeds import BAC_LIEU, GIA_LAI, KHANH_HOA, Scenario

GL_CAMPAIGN = "sct-gialai/2018/phat-dong"

# Extra staff: (department, local id, sex, unit, leader)
EXTRA_PEOPLE = (
    (GIA_LAI, "p-0100", "female", "vp", False),
    (GIA_LAI, "p-0101", "male", "p-qlcn", False),
    (GIA_LAI, "p-0102", "female", "qltt", False),
    (BAC_LIEU, "p-0110", "female", "ttkc", False),
    (KHANH_HOA, "p-0120", "female", "vp", False),
)


def registration_facts(
    sc: Scenario,
) -> tuple[list[tuple[bytes, CloudEvent]], dict[str, tuple[str, str, bool]]]:
    """The registration service's facts, keyed by their subject, and the staff: person id ->
    (department, sex, leader)."""
    gl = sc.code(GIA_LAI)
    reg: list[tuple[bytes, CloudEvent]] = []
    people: dict[str, tuple[str, str, bool]] = {}

    def r(payload: EventData, key: str, department: str | None = None) -> CloudEvent:
        event = CloudEvent.new(
            payload, source="urn:thidua:service:registration", department=department
        )
        reg.append((key.encode(), event))
        return event

    for p in sc.reference:
        r(p, "reference")
    for dept, facts in sc.directory.items():
        for p in facts:
            key = getattr(p, "person_id", None) or getattr(p, "unit_id", None) or dept
            r(p, key, dept)
            if isinstance(p, rg.PersonJoined):
                people[p.person_id] = (dept, p.sex.value, p.is_leader)
    for dept, local, sex, unit, leader in EXTRA_PEOPLE:
        pid = f"{dept}/{local}"
        code = sc.code(dept)
        r(
            rg.PersonJoined.model_validate(
                {
                    "person_id": pid,
                    "department_code": code,
                    "unit_id": f"{dept}/{unit}",
                    "full_name": f"Cán bộ {local}",
                    "sex": sex,
                    "is_leader": leader,
                    "joined_on": "2016-01-04",
                }
            ),
            pid,
            code,
        )
        people[pid] = (code, sex, leader)
    for dept, plan in sc.plans.items():
        r(plan, plan.campaign_id, dept)

    def register_unit(unit: str, on: str) -> None:
        r(
            rg.UnitRegistered.model_validate(
                {
                    "campaign_id": GL_CAMPAIGN,
                    "department_code": gl,
                    "unit_id": unit,
                    "titles": ["TTLDTT"],
                    "registered_on": on,
                }
            ),
            f"reg:{unit}",
            gl,
        )

    def register_person(person: str, unit: str, on: str) -> None:
        r(
            rg.IndividualRegistered.model_validate(
                {
                    "campaign_id": GL_CAMPAIGN,
                    "department_code": gl,
                    "person_id": person,
                    "unit_id": unit,
                    "titles": ["LDTT"],
                    "registered_on": on,
                }
            ),
            f"reg:{person}",
            gl,
        )

    register_unit("sct-gialai/vp", "2018-03-10")
    register_unit("sct-gialai/qltt", "2018-03-11")
    register_person("sct-gialai/p-0042", "sct-gialai/vp", "2018-03-12")
    register_person("sct-gialai/p-0051", "sct-gialai/p-qlcn", "2018-03-12")
    register_person("sct-gialai/p-0100", "sct-gialai/vp", "2018-04-02")
    register_person("sct-gialai/p-0101", "sct-gialai/p-qlcn", "2018-04-02")
    r(
        rg.RegistrationWithdrawn.model_validate(
            {
                "campaign_id": GL_CAMPAIGN,
                "department_code": gl,
                "registrant_kind": "individual",
                "registrant_id": "sct-gialai/p-0101",
                "withdrawn_on": "2018-06-01",
            }
        ),
        "reg:sct-gialai/p-0101",
        gl,
    )
    for init_id, kind, outcome in (
        ("sct-gialai/sk-2018-07", "management", "recognized"),
        ("sct-gialai/sk-2018-08", "technical", "recognized_province"),
        ("sct-gialai/sk-2018-09", "operational", "rejected"),
    ):
        r(
            rg.InitiativeSubmitted.model_validate(
                {
                    "initiative_id": init_id,
                    "department_code": gl,
                    "unit_id": "sct-gialai/vp",
                    "title": f"Sáng kiến {init_id}",
                    "kind": kind,
                    "scope": "unit",
                    "authors": [{"person_id": "sct-gialai/p-0042", "full_name": "Nguyễn Thị Lan"}],
                    "campaign_id": GL_CAMPAIGN,
                    "submitted_on": "2018-10-15",
                }
            ),
            init_id,
            gl,
        )
        if outcome == "rejected":
            r(
                rg.InitiativeRejected.model_validate(
                    {
                        "initiative_id": init_id,
                        "rejected_on": "2018-11-10",
                        "reasons": [
                            {
                                "code": "registration.initiative_not_applied",
                                "message": "Giải pháp chưa được áp dụng tại đơn vị",
                            }
                        ],
                    }
                ),
                init_id,
                gl,
            )
        else:
            level = "unit" if outcome == "recognized" else "ministry_province"
            r(
                rg.InitiativeRecognized.model_validate(
                    {"initiative_id": init_id, "level": level, "recognized_on": "2018-11-10"}
                ),
                init_id,
                gl,
            )
    return reg, people
