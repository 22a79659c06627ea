"""Issue 18 item 5 on the real stack: the awards service and the notifications service, wired
by Kafka as in production, an SMTP server receiving. A decision whose 41 dossiers are all
refused reaches the department as one mail that says what was refused and lists the 41; a
redelivered refusal sends nothing more."""

from __future__ import annotations

import copy
import email
import email.policy
from collections.abc import AsyncIterator

import pytest

from contracts import topics
from contracts.awards import DecisionIssued, NominationSubmitted
from contracts.base import EventData
from contracts.common import OrgKind
from contracts.envelope import CloudEvent
from contracts.examples import GIA_LAI_2018_PLAN
from contracts.registration import (
    CampaignLaunched,
    DepartmentRegistered,
    OrganisationContactSet,
    PersonJoined,
    UnitEstablished,
)
from services.awards.app import build as build_awards
from tests.integration.notifications.conftest import Harness, Received, SmtpServer
from tests.support import as_service_role, eventually, produce, read_topic
from thidua.es.consumer import ConsumerPolicy
from thidua.es.kafka import ensure_topics
from thidua.es.service import ServiceRuntime, ServiceTopics

OFFICE = "vanphong@so-cong-thuong.gialai.gov.vn"
NOMINEES = 41
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng"]
GIVEN = ["Thị Hoa", "Văn Đức", "Thị Lan", "Minh Tuấn", "Thu Hà", "Quốc Bảo"]


def full_name(n: int) -> str:
    return f"{FAMILY[n % len(FAMILY)]} {GIVEN[n % len(GIVEN)]} {n:02d}"


@pytest.fixture
async def awards_service(
    database_url: str, bootstrap: str, uid: str, harness: Harness
) -> AsyncIterator[ServiceRuntime]:
    """Awards on a schema of its own, writing the topics the notifications under test read."""
    schema = f"test_{uid}_awards"
    runtime = build_awards(
        await as_service_role(database_url, "awards", schema),
        bootstrap,
        schema=schema,
        writes_to=ServiceTopics(
            events=harness.sources.awards,
            dlq=f"test.{uid}.awards.dlq",
            rejections=harness.sources.rejections,
        ),
        ingress_topics=[topics.ingress(uid)],
        registration_topic=harness.sources.registration,
        group_id=f"awards-{uid}",
        policy=ConsumerPolicy(max_attempts=2, backoff_seconds=0.05),
    )
    await runtime.start()
    yield runtime
    await runtime.stop()


def directory(dept: str) -> list[EventData]:
    plan = copy.deepcopy(GIA_LAI_2018_PLAN)
    plan.update(campaign_id=f"{dept}/2018/phat-dong", department_code=dept)
    plan["issuer"]["org_id"] = dept
    facts: list[EventData] = [
        DepartmentRegistered(
            department_code=dept,
            name="Sở Công Thương Gia Lai",
            province_id=f"{dept}-gl",
            ministry_id="bct",
        ),
        OrganisationContactSet(org_kind=OrgKind.DEPARTMENT, org_id=dept, email=OFFICE),
        UnitEstablished(
            unit_id=f"{dept}/qlcn",
            department_code=dept,
            name="Phòng Quản lý công nghiệp",
            kind="section",
            established_on="2015-01-01",
        ),  # type: ignore[arg-type]
        CampaignLaunched.model_validate(plan),
    ]
    facts += [
        PersonJoined(
            person_id=f"{dept}/p{n:02d}",
            department_code=dept,
            unit_id=f"{dept}/qlcn",
            full_name=full_name(n),
            sex="female" if n % 2 else "male",
            joined_on="2012-01-01",
        )  # type: ignore[arg-type]
        for n in range(NOMINEES)
    ]
    return facts


def dossiers(dept: str) -> list[EventData]:
    """41 LĐTT dossiers of people who never registered for the emulation (Quy tắc 2: refused
    at the decision), and the director's decision on all of them."""
    nominations = [
        NominationSubmitted(
            nomination_id=f"{dept}/2018/ldtt-p{n:02d}",
            department_code=dept,
            campaign_id=f"{dept}/2018/phat-dong",
            year=2018,
            title="LDTT",
            nominee_kind="individual",
            nominee_id=f"{dept}/p{n:02d}",
            unit_id=f"{dept}/qlcn",
            received_on="2018-12-05",
        )  # type: ignore[arg-type]
        for n in range(NOMINEES)
    ]
    decision = DecisionIssued(
        decision_id=f"{dept}/qd-45",
        department_code=dept,
        number="45/QĐ-SCT",
        issued_on="2018-12-10",
        issuer={"org_id": dept, "name": "Sở Công Thương Gia Lai", "abbreviation": "SCT"},
        signer={"name": "Nguyễn Văn A", "position": "Giám đốc"},
        authority="department_director",
        nomination_ids=[n.nomination_id for n in nominations],
    )  # type: ignore[arg-type]
    return [*nominations, decision]


def subject(mail: Received) -> str:
    """The subject as a mail reader shows it (RFC 2047 decoded, folding undone)."""
    parsed = email.message_from_bytes(mail.message.as_bytes(), policy=email.policy.default)
    return str(parsed["Subject"])


def refusals(smtp: SmtpServer) -> list[Received]:
    return [m for m in smtp.to(OFFICE) if m.message["X-Thidua-Template"] == "input_rejected"]


async def test_a_decision_refusing_41_nominees_is_one_readable_mail_and_a_redelivery_adds_none(
    harness: Harness, awards_service: ServiceRuntime, smtp_server: SmtpServer, uid: str
) -> None:
    h, dept = harness, uid
    await h.registration(*directory(dept), department=dept)
    await eventually(
        h.count("SELECT count(*) FROM people WHERE department_code = $1", dept),
        lambda n: n == NOMINEES,
        what="the directory in notifications",
    )
    events = [CloudEvent.new(f, source="urn:sct-gl:qlkt", department=dept) for f in dossiers(dept)]
    # The dossiers are accepted (and known to notifications) before the decision, as in life:
    # the refusal and the dossiers travel on different topics.
    await produce(h.bootstrap, topics.ingress(dept), [e.to_json() for e in events[:-1]], key=b"k")
    await eventually(
        h.count("SELECT count(*) FROM nominations WHERE department_code = $1", dept),
        lambda n: n == NOMINEES,
        what="the dossiers in notifications",
    )
    await produce(h.bootstrap, topics.ingress(dept), [events[-1].to_json()], key=b"k")

    [mail] = await eventually(
        lambda: _async(refusals(smtp_server)), lambda r: len(r) >= 1, what="the refusal mail"
    )
    assert subject(mail) == f"Từ chối: Quyết định 45/QĐ-SCT ngày 10/12/2018 ({NOMINEES} người)"
    body = mail.body
    assert "Kính gửi: Sở Công Thương Gia Lai." in body
    assert f"{NOMINEES} hồ sơ sau không được chấp thuận" in body
    for n in range(NOMINEES):
        assert (
            f"{n + 1}. {full_name(n)}, Lao động tiên tiến (hồ sơ {dept}/2018/ldtt-p{n:02d})" in body
        )
    assert body.count("(mã: awards.") >= NOMINEES  # every nominee with his or her reasons

    # One refusal for the input on the department's topic; delivered again, it tells nobody.
    refusal_topic = topics.rejections_of(topics.ingress(dept), h.sources.rejections)
    [record] = await read_topic(h.bootstrap, refusal_topic)
    marker = CloudEvent.from_json(record.value or b"")
    later = marker.model_copy(
        update={"id": f"{marker.id}-b", "data": {**marker.data, "original_id": "another"}}
    )
    await ensure_topics(h.bootstrap, [refusal_topic])
    # The copy, then another refusal behind it on the same partition: once that one is
    # mailed, the copy was read before it.
    await produce(h.bootstrap, refusal_topic, [record.value or b"", later.to_json()], key=b"r")
    await eventually(
        lambda: _async(refusals(smtp_server)), lambda r: len(r) == 2, what="the later refusal"
    )
    decision = events[-1].id
    assert [m.body.count(f"Mã dữ liệu: {decision} ") for m in refusals(smtp_server)] == [1, 0]
    assert "Mã dữ liệu: another " in refusals(smtp_server)[1].body
    assert smtp_server.duplicates() == {}


async def _async(value: object) -> object:
    return value
