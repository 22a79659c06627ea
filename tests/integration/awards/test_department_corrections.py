"""Corrections on the real Kafka and PostgreSQL (issue 15), for Sở Công Thương Gia Lai, 2018:
the department corrects what it submitted to awards (a dossier withdrawn before it is decided,
an exemplary model corrected and withdrawn, a conference corrected), each refused where the
fact it corrects would be."""

from __future__ import annotations

import asyncpg

from contracts.awards import (
    ConferenceCorrected,
    ConferenceHeld,
    ExemplaryModelChosen,
    ExemplaryModelCorrected,
    ExemplaryModelWithdrawn,
    NominationWithdrawn,
)
from contracts.examples import EXAMPLES
from tests.integration.awards.conftest import (
    Year2018,
    awards_facts,
    department,
    named,
    pool_of,
    refusals,
    send,
)
from tests.integration.awards.gia_lai_2018 import director_decision, known_to_awards, nomination
from tests.support import eventually


async def original_and_correction(pool: asyncpg.Pool, stream_id: str) -> tuple[str, str]:
    """The event ids of a fact and of its latest correction as awards recorded them (the audit
    trail of the record lists both); each envelope's ``causationid`` is the department's."""
    ids = await pool.fetch(
        "SELECT event_id FROM events WHERE stream_id = $1 ORDER BY version", stream_id
    )
    assert len(ids) >= 2, f"{stream_id} has no correction"
    return ids[0]["event_id"], ids[-1]["event_id"]


async def test_a_departments_corrections_are_decided_like_the_facts_they_correct(
    awards: Year2018, bootstrap: str
) -> None:
    y, pool = awards, pool_of(awards)
    await known_to_awards(y, bootstrap)
    exemplary = {**EXAMPLES[ExemplaryModelChosen][0], "exemplary_id": y.id("dh-1")}
    exemplary.update(department_code=y.dept, subject_id=y.id("qltt"))
    conference = {**EXAMPLES[ConferenceHeld][0], "conference_id": y.id("hn-1")}
    conference.update(department_code=y.dept, campaign_id=None)
    fixing = {"corrected_on": "2019-01-05", "reason": "Ghi sai khi nhập"}
    ldtt_p1, ldtt_p2 = (nomination(y, p, "LDTT") for p in ("p1", "p2"))
    chosen = await send(
        bootstrap,
        y.ingress,
        y.dept,
        [
            ldtt_p1,
            ldtt_p2,
            ExemplaryModelChosen.model_validate(exemplary),
            ConferenceHeld.model_validate(conference),
        ],
        department(y),
    )

    def withdrawal(nomination_id: str) -> NominationWithdrawn:
        return NominationWithdrawn.model_validate(
            {
                "nomination_id": nomination_id,
                "department_code": y.dept,
                "withdrawn_on": "2018-12-12",
                "reason": "Đơn vị rút hồ sơ để bổ sung thành tích",
            }
        )

    exemplary_withdrawn = ExemplaryModelWithdrawn.model_validate(
        {
            **{k: exemplary[k] for k in ("exemplary_id", "department_code")},
            "withdrawn_on": "2019-01-06",
            "reason": "Chọn nhầm đơn vị",
        }
    )
    unchanged = ExemplaryModelCorrected.model_validate({**exemplary, **fixing})
    better = ExemplaryModelCorrected.model_validate(
        {**exemplary, **fixing, "achievement": "Dẫn đầu phong trào chống hàng giả"}
    )
    fewer = {"delegates_total": 140, "exemplary_delegates": 98, "guest_delegates": 42}
    conference_fixed = ConferenceCorrected.model_validate({**conference, **fixing, **fewer})
    unknown_conference = conference_fixed.model_copy(update={"conference_id": y.id("hn-9")})
    inputs = [
        withdrawal(ldtt_p2.nomination_id),
        withdrawal(ldtt_p2.nomination_id),  # refused: withdrawn already
        withdrawal(y.id("2018/khong-co")),  # refused: unknown
        unchanged,  # refused: changes nothing
        better,
        exemplary_withdrawn,
        exemplary_withdrawn,  # refused: withdrawn already
        better,  # refused: a withdrawn model is not corrected
        conference_fixed,
        unknown_conference,  # refused
        director_decision(y, "250", ldtt_p1.nomination_id, ldtt_p2.nomination_id),  # refused
        director_decision(y, "251", ldtt_p1.nomination_id),
        withdrawal(ldtt_p1.nomination_id),  # refused: approved, to be revoked instead
    ]
    sent = await send(bootstrap, y.ingress, y.dept, inputs, department(y))
    refused = await refusals(bootstrap, y, [sent[i] for i in (1, 2, 3, 6, 7, 9, 10, 12)])
    assert [refused[sent[i].id] for i in (1, 2, 3, 6, 7, 9, 10, 12)] == [
        {"awards.nomination_withdrawn"},
        {"awards.unknown_nomination"},
        {"awards.correction_changes_nothing"},
        {"awards.exemplary_model_withdrawn"},
        {"awards.exemplary_model_withdrawn"},
        {"awards.unknown_conference"},
        {"awards.nomination_withdrawn"},
        {"awards.nomination_approved"},
    ]
    facts = await eventually(
        lambda: awards_facts(bootstrap, y),
        lambda f: bool(named(f, "NominationApproved", ldtt_p1.nomination_id)),
        what="the LĐTT of p1 approved",
    )
    assert len(named(facts, "NominationWithdrawn", ldtt_p2.nomination_id)) == 1
    assert [
        len(named(facts, k)) for k in ("ExemplaryModelCorrected", "ExemplaryModelWithdrawn")
    ] == [1, 1]
    [corrected] = named(facts, "ConferenceCorrected")
    assert corrected.data["delegates_total"] == 140
    assert not named(facts, "NominationApproved", ldtt_p2.nomination_id)
    assert (
        await pool.fetchval(
            "SELECT status FROM aw_nominations WHERE nomination_id = $1", ldtt_p2.nomination_id
        )
        == "withdrawn"
    )
    # The audit trail of the model: its choice and its correction, both kept, each caused by
    # what the department sent.
    first, last = await original_and_correction(pool, f"exemplary:{y.id('dh-1')}")
    causes = await pool.fetch(
        """SELECT event_id, envelope->>'causationid' AS cause FROM events
           WHERE event_id = ANY($1::text[])""",
        [first, last],
    )
    assert {r["event_id"]: r["cause"] for r in causes} == {
        first: chosen[2].id,
        last: sent[5].id,
    }
