"""The read copies' lookups that a batch of dossiers asks: right answers, and each key a probe
of an index however many rows the table holds."""

from __future__ import annotations

from services.awards.app import MIGRATIONS
from services.awards.readmodels import lookups
from thidua.es import migrations
from thidua.es.db import Pool

FILLER = 20_000  # other registrants: a hash of the whole table would look cheap below this


async def test_registered_answers_by_campaign_or_year_and_probes_the_index(pool: Pool) -> None:
    await migrations.apply_migrations(pool, migrations.load_migrations("awards", MIGRATIONS))
    async with pool.acquire() as conn:
        await conn.execute(
            """INSERT INTO rc_campaigns (campaign_id, department_code, year, kind, period_start,
                   period_end)
               VALUES ('pt-2018-a', 'sct', 2018, 'regular', '2018-01-01', '2018-12-31'),
                      ('pt-2018-b', 'sct', 2018, 'regular', '2018-01-01', '2018-12-31'),
                      ('pt-2019', 'sct', 2019, 'regular', '2019-01-01', '2019-12-31')"""
        )
        await conn.execute(
            """INSERT INTO rc_registrations (campaign_id, registrant_kind, registrant_id,
                   department_code, registered_on, withdrawn_on)
               VALUES ('pt-2018-a', 'individual', 'p1', 'sct', '2018-02-01', NULL),
                      ('pt-2018-b', 'collective', 'u1', 'sct', '2018-02-01', NULL),
                      ('pt-2019', 'individual', 'p2', 'sct', '2019-02-01', NULL),
                      ('pt-2018-a', 'individual', 'p3', 'sct', '2018-02-01', '2018-06-01')"""
        )
        await conn.execute(
            """INSERT INTO rc_registrations (campaign_id, registrant_kind, registrant_id,
                   department_code, registered_on)
               SELECT 'pt-2018-a', 'individual', 'filler-' || i, 'sct', '2018-02-01'
               FROM generate_series(1, $1) AS i""",
            FILLER,
        )
        await conn.execute("ANALYZE rc_registrations")
        asked = [
            ("pt-2018-a", 2018, "individual", "p1"),  # to that campaign
            ("pt-2018-b", 2018, "individual", "p1"),  # not to that one
            ("", 2018, "collective", "u1"),  # to a campaign of the year
            ("", 2018, "individual", "p2"),  # only in 2019
            ("", 2019, "individual", "p2"),
            ("pt-2018-a", 2018, "individual", "p3"),  # withdrawn
            ("", 2018, "individual", "nobody"),
            *(("", 2018, "individual", f"filler-{i}") for i in range(1, 301)),
        ]
        found = await lookups.registered(conn, asked)
        assert set(found) == {
            ("pt-2018-a", 2018, "individual", "p1"),
            ("", 2018, "collective", "u1"),
            ("", 2019, "individual", "p2"),
            *(("", 2018, "individual", f"filler-{i}") for i in range(1, 301)),
        }
        columns = [list(c) for c in zip(*asked, strict=True)]
        plan = "\n".join(
            r[0] for r in await conn.fetch("EXPLAIN " + lookups.REGISTERED_SQL, *columns)
        )
    assert "rc_registrations_registrant" in plan, plan
    assert "Seq Scan on rc_registrations" not in plan, plan


async def test_ratings_asked_by_a_batch_are_probes_of_the_index(pool: Pool) -> None:
    """Eight hundred keys (a batch of dossiers asks that many) against a year's ratings: with
    PostgreSQL's default page costs (``random_page_cost`` 4) the planner hashed the whole table
    for each batch (12-15 ms at 55,000 rows); the stack's 1.1 probes the index per key."""
    await migrations.apply_migrations(pool, migrations.load_migrations("awards", MIGRATIONS))
    people = 3 * FILLER

    def subject(i: int) -> tuple[str, str]:  # ids shaped as the scenarios' are
        return ("collective" if i % 20 == 0 else "individual", f"b12345-sct-gialai/cb-{i:06d}")

    async with pool.acquire() as conn:
        await conn.executemany(
            "INSERT INTO rc_ratings (subject_kind, subject_id, year, rating)"
            " VALUES ($1, $2, $3, $4)",
            [(*subject(i), 2018, "excellent" if i % 2 else "good") for i in range(1, people + 1)],
        )
        await conn.execute("ANALYZE rc_ratings")
        asked = [(*subject(i), 2018) for i in range(1, people, people // 800)]
        absent = [(*subject(7), 2019), ("collective", "b12345-sct-gialai/cb-000007", 2018)]
        found = await lookups.rating(conn, asked + absent)
        assert set(found) == set(asked)
        assert {found[k].value for k in asked} == {"excellent", "good"}
        columns = [list(c) for c in zip(*(asked + absent), strict=True)]
        plan = "\n".join(r[0] for r in await conn.fetch("EXPLAIN " + lookups.RATING_SQL, *columns))
    assert "rc_ratings_pkey" in plan, plan
    assert "Seq Scan on rc_ratings" not in plan, plan
