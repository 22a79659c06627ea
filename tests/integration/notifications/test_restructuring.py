"""Notifications across a merger (issue 16), through the real consumers, dispatcher and SMTP:
Sở Công Thương Gia Lai merges into another department on 01/07/2018 (a made-up date, on the
scenario's own year) and its unit passes to the successor. A dossier of the merged-away
department decided afterwards is told to the successor's contact, in its name; the unit's
people and units follow it in the read copies."""

from __future__ import annotations

from datetime import date

from contracts import registration as rg
from contracts.awards import NominationRejected, NominationSubmitted
from contracts.common import DocumentRef, OrgKind, RejectionReason
from tests.integration.notifications import scenario
from tests.integration.notifications.conftest import Harness, SmtpServer, at
from tests.support import eventually

GL = scenario.GL
SUCCESSOR, SUCCESSOR_EMAIL = "sct-gialai-moi", "vanphong@sct-moi.gialai.gov.vn"
MERGED_ON = date(2018, 7, 1)


async def test_a_merged_away_departments_dossier_is_told_to_its_successor(
    harness: Harness, smtp_server: SmtpServer
) -> None:
    h = harness
    h.clock.set(at("2018-12-20 09:00"))
    basis = DocumentRef(number="202/2018/QH14", issuer="Quốc hội")
    await h.registration(
        *scenario.department(board=False),
        *scenario.units(1),
        scenario.person(1, 1, "Nguyễn Thị Lan"),
        rg.DepartmentRegistered(
            department_code=SUCCESSOR,
            name="Sở Công Thương Gia Lai mới",
            province_id="gia-lai",
            ministry_id="bct",
        ),
        rg.OrganisationContactSet(
            org_kind=OrgKind.DEPARTMENT, org_id=SUCCESSOR, email=SUCCESSOR_EMAIL
        ),
        rg.DepartmentMerged(
            department_code=GL,
            into_department_code=SUCCESSOR,
            effective_on=MERGED_ON,
            legal_basis=basis,
        ),
        rg.UnitTransferred(
            unit_id=scenario.unit_id(1),
            from_department_code=GL,
            to_department_code=SUCCESSOR,
            effective_on=MERGED_ON,
        ),
    )
    await eventually(
        h.count(
            """SELECT (SELECT count(*) FROM department_mergers)
                    + (SELECT count(*) FROM units WHERE department_code = $1)
                    + (SELECT count(*) FROM people WHERE department_code = $1)""",
            SUCCESSOR,
        ),
        lambda n: n == 3,
        what="the merger and the transferred unit and person in the read copies",
    )
    submitted = NominationSubmitted(
        nomination_id=f"{GL}/n-1",
        department_code=GL,
        campaign_id=f"{GL}/2018/phat-dong",
        year=2018,
        title="LDTT",
        nominee_kind="individual",
        nominee_id=f"{GL}/p001",
        received_on=date(2018, 6, 20),
    )
    await h.awards(submitted, department=GL)
    await eventually(h.count("SELECT count(*) FROM nominations"), lambda n: n == 1, what="dossier")
    rejected = NominationRejected(
        nomination_id=submitted.nomination_id,
        rejected_on=date(2018, 12, 20),
        reasons=[RejectionReason(code="awards.not_registered", message="Chưa đăng ký thi đua")],
    )
    await h.awards(rejected, department=SUCCESSOR)
    await eventually(smtp_server.count, lambda n: n == 1, what="the successor's email")
    [mail] = smtp_server.to(SUCCESSOR_EMAIL)
    assert "Kính gửi: Sở Công Thương Gia Lai mới." in mail.body
    assert "Chưa đăng ký thi đua" in mail.body
    assert smtp_server.to(scenario.DEPARTMENT_EMAIL) == []
