"""Awards' nominations table kept from a batch's facts: a dossier's row is written once with
the state its batch left it in, and a later move is an update in place (HOT), touching no
index."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from contracts.envelope import CloudEvent
from services.awards.app import MIGRATIONS
from services.awards.readmodels import nominations
from thidua.es import migrations
from thidua.es.db import Conn, Pool

COUNT = 400


def fact(name: str, data: dict[str, Any]) -> CloudEvent:
    return CloudEvent(
        id=f"{name}-{data['nomination_id']}",
        source="urn:thidua:service:awards",
        type=f"vn.thidua.awards.{name}.v1",
        time=datetime(2018, 12, 1, tzinfo=UTC),
        subject=f"nomination:{data['nomination_id']}",
        data=data,
    )


def dossier(n: int) -> dict[str, Any]:
    return {
        "nomination_id": f"sct/2018/n-{n:04d}",
        "department_code": "sct",
        "year": 2018,
        "title": "LDTT",
        "nominee_kind": "individual",
        "nominee_id": f"sct/cb-{n:04d}",
        "achievement": "Hoàn thành xuất sắc nhiệm vụ",
    }


async def tuples(conn: Conn) -> tuple[int, int, int]:
    """This transaction's (inserted, updated, HOT-updated) rows of aw_nominations."""
    row = await conn.fetchrow(
        """SELECT pg_stat_get_xact_tuples_inserted(c.oid), pg_stat_get_xact_tuples_updated(c.oid),
                  pg_stat_get_xact_tuples_hot_updated(c.oid)
           FROM pg_class c WHERE c.oid = 'aw_nominations'::regclass"""
    )
    assert row is not None
    return row[0], row[1], row[2]


async def test_a_dossier_is_written_once_and_its_moves_are_updated_in_place(pool: Pool) -> None:
    await migrations.apply_migrations(pool, migrations.load_migrations("awards", MIGRATIONS))
    async with pool.acquire() as conn, conn.transaction():
        # One batch: every dossier, the first half also returned and then resumed, and the
        # first hundred suspended under a case.
        batch = [fact("NominationSubmitted", dossier(n)) for n in range(COUNT)]
        for n in range(COUNT // 2):
            nomination_id = dossier(n)["nomination_id"]
            batch.append(fact("NominationReturned", {"nomination_id": nomination_id}))
            batch.append(fact("NominationResumed", {"nomination_id": nomination_id}))
        for n in range(100):
            batch.append(
                fact(
                    "NominationSuspended",
                    {"nomination_id": dossier(n)["nomination_id"], "case_id": f"case-{n}"},
                )
            )
        await nominations.keep(conn, batch)
        assert await tuples(conn) == (COUNT, 0, 0)
        rows = {
            r["nomination_id"]: (r["status"], r["case_id"])
            for r in await conn.fetch("SELECT nomination_id, status, case_id FROM aw_nominations")
        }
        assert rows[dossier(0)["nomination_id"]] == ("suspended", "case-0")
        assert rows[dossier(150)["nomination_id"]] == ("submitted", None)
        assert rows[dossier(COUNT - 1)["nomination_id"]] == ("submitted", None)

        # A later batch: the first hundred resumed (their case ends), then every nomination
        # rejected or returned: one update of each row, in place.
        later = [
            fact("NominationResumed", {"nomination_id": dossier(n)["nomination_id"]})
            for n in range(100)
        ]
        later += [
            fact(
                "NominationRejected" if n % 2 else "NominationReturned",
                {"nomination_id": dossier(n)["nomination_id"]},
            )
            for n in range(COUNT)
        ]
        await nominations.keep(conn, later)
        inserted, updated, hot = await tuples(conn)
        assert (inserted, updated) == (COUNT, COUNT)
        assert hot == updated, "an update moved its row to another page"
        found = await conn.fetch(
            "SELECT status, count(*), count(case_id) FROM aw_nominations"
            " GROUP BY status ORDER BY status"
        )
        assert [tuple(r) for r in found] == [
            ("rejected", COUNT // 2, 0),
            ("returned", COUNT // 2, 0),
        ]
