"""Migration 0002 builds awards' private streams from the facts an existing schema recorded
(under 0001 the handlers kept titles, initiative uses and ballots in tables)."""

from __future__ import annotations

from datetime import date

from contracts.awards import CouncilVoted, NominationApproved, NominationSubmitted
from contracts.envelope import CloudEvent
from services.awards import aggregates as agg
from services.awards import streams
from services.awards.app import MIGRATIONS
from services.awards.workspace import Folds
from thidua.es import migrations, store
from thidua.es.db import Pool

DEPT = "sct-gl"
SAME_AS_DOSSIER = {
    "nomination_id",
    "department_code",
    "year",
    "title",
    "nominee_kind",
    "nominee_id",
}


def _dossier(nomination_id: str, title: str) -> NominationSubmitted:
    return NominationSubmitted.model_validate(
        {
            "nomination_id": nomination_id,
            "department_code": DEPT,
            "year": 2018,
            "title": title,
            "nominee_kind": "individual",
            "nominee_id": "p1",
            "received_on": "2018-12-05",
            "achievement": "Số hóa hồ sơ",
            "evidence": {"initiative_ids": ["sk-1"]},
        }
    )


async def test_titles_counts_uses_and_ballots_become_streams(pool: Pool) -> None:
    found = migrations.load_migrations("awards", MIGRATIONS)
    await migrations.apply_migrations(pool, [m for m in found if m.version == 1])
    ldtt, cstdcs = _dossier("n1", "LDTT"), _dossier("n2", "CSTDCS")
    approved = NominationApproved.model_validate(
        {
            **ldtt.model_dump(mode="json", include=SAME_AS_DOSSIER),
            "decision_id": "qd-1",
            "decision_number": "1/QĐ-SCT",
            "decision_date": "2018-12-25",
            "authority": "department_director",
            "cash_vnd": 417000,
            "base_salary_vnd": 1390000,
            "coefficient": "0.3",
        }
    )
    vote = CouncilVoted.model_validate(
        {
            "session_id": "s1",
            "department_code": DEPT,
            "council_level": "department",
            "members_total": 9,
            "members_present": 9,
            "session_on": "2018-12-18",
            "results": [{"nomination_id": "n2", "yes_votes": 8}],
        }
    )
    source = "urn:thidua:service:awards"
    async with pool.acquire() as conn, conn.transaction():
        for stream_id, facts in (
            ("nomination:n1", [ldtt, approved]),
            ("nomination:n2", [cstdcs]),
            ("council:s1", [vote]),
        ):
            await store.append(
                conn, stream_id, 0, [CloudEvent.new(f, source=source) for f in facts]
            )
        await conn.execute(
            """INSERT INTO aw_nominations VALUES
               ('n1', $1, 2018, 'LDTT', 'individual', 'p1', 'approved', NULL),
               ('n2', $1, 2018, 'CSTDCS', 'individual', 'p1', 'submitted', NULL)""",
            DEPT,
        )
        await conn.execute(
            """INSERT INTO aw_titles (nomination_id, department_code, nominee_kind, nominee_id,
                   year, title, method, decision_id, decision_date, cash_vnd)
               VALUES ('n1', $1, 'individual', 'p1', 2018, 'LDTT', 'regular', 'qd-1', $2,
                       417000)""",
            DEPT,
            date(2018, 12, 25),
        )
        await conn.execute("INSERT INTO aw_initiative_uses VALUES ('sk-1', 'n1')")
        await conn.execute(
            "INSERT INTO aw_ballots VALUES ('n2', 's1', 'department', 9, 9, 8, '2018-12-18')"
        )

    await migrations.apply_migrations(pool, found)

    folds = Folds()
    async with pool.acquire() as conn:
        loaded = await store.load_streams(
            conn,
            [
                streams.titles("p1"),
                streams.quota(DEPT, 2018, ldtt.title),
                streams.initiative_use("sk-1"),
                streams.ballots("n2"),
            ],
        )
        assert await conn.fetchval("SELECT achievement FROM aw_titles") == "Số hóa hồ sơ"
        assert await conn.fetchval("SELECT to_regclass('aw_ballots')") is None
    [held] = folds.fold(loaded[streams.titles("p1")], agg.TITLES)
    assert (held.nomination_id, held.title, held.revoked) == ("n1", "LDTT", False)
    assert folds.fold(loaded[streams.quota(DEPT, 2018, ldtt.title)], agg.QUOTA) == 1
    assert folds.fold(loaded[streams.initiative_use("sk-1")], agg.INITIATIVE_USE) == "n1"
    ballot = folds.fold(loaded[streams.ballots("n2")], agg.BALLOTS).ballot
    assert ballot is not None and (ballot.yes_votes, ballot.members_total) == (8, 9)
    copy = loaded[streams.titles("p1")].events[0].event
    assert copy.subject == streams.titles("p1")
