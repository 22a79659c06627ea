"""Awards' nominations and titles as tables (``aw_nominations``, ``aw_titles``), kept from the
facts a batch decided, before their append and in its transaction: a few statements per batch.

Decisions never read these tables for awards' own rules (they read streams); they serve the
lookup "nominations of this nominee" (cases) and people looking at awards' data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from contracts.envelope import CloudEvent
from thidua.es.db import Conn
from thidua.es.routing import PRIVATE_STREAM_PREFIX

_STATUS = {
    "NominationSubmitted": "submitted",
    "NominationReturned": "returned",
    "NominationSuspended": "suspended",
    "NominationResumed": "submitted",
    "NominationApproved": "approved",
    "NominationRejected": "rejected",
    "AwardRevoked": "revoked",
    "NominationWithdrawn": "withdrawn",
}
_CASE_CLEARED = {"NominationSubmitted", "NominationResumed"}


@dataclass
class _Row:
    status: str
    case_set: bool = False
    case_id: str | None = None
    dossier: dict[str, Any] | None = None


def _name(event: CloudEvent) -> str:
    return event.type.rsplit(".", 2)[-2]


async def keep(conn: Conn, events: Sequence[CloudEvent]) -> None:
    rows: dict[str, _Row] = {}
    titles: list[dict[str, Any]] = []
    revoked: dict[str, Any] = {}
    for event in events:
        if (event.subject or "").startswith(PRIVATE_STREAM_PREFIX):
            continue  # a copy kept for decisions, not a fact of its own
        name, data = _name(event), event.data
        status = _STATUS.get(name)
        if status is None:
            continue
        row = rows.setdefault(data["nomination_id"], _Row(status))
        row.status = status
        if name == "NominationSubmitted":
            row.dossier = data
        if name in _CASE_CLEARED:
            row.case_set, row.case_id = True, None
        elif name == "NominationSuspended":
            row.case_set, row.case_id = True, data["case_id"]
        elif name == "NominationApproved":
            titles.append(data)
        elif name == "AwardRevoked":
            revoked[data["nomination_id"]] = data["revoked_on"]
    dossiers = [(k, r, r.dossier) for k, r in rows.items() if r.dossier is not None]
    if dossiers:
        # A dossier's row is written with the status and case its batch left it in (a
        # submission clears the case): updating it again at once wrote every row twice.
        await conn.execute(
            """INSERT INTO aw_nominations (nomination_id, department_code, year, title,
                   nominee_kind, nominee_id, achievement, status, case_id)
               SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[],
                   $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
               ON CONFLICT (nomination_id) DO UPDATE SET year = excluded.year,
                   title = excluded.title, nominee_kind = excluded.nominee_kind,
                   nominee_id = excluded.nominee_id, achievement = excluded.achievement,
                   status = excluded.status, case_id = excluded.case_id""",
            [k for k, _, _ in dossiers],
            [d["department_code"] for _, _, d in dossiers],
            [d["year"] for _, _, d in dossiers],
            [d["title"] for _, _, d in dossiers],
            [d["nominee_kind"] for _, _, d in dossiers],
            [d["nominee_id"] for _, _, d in dossiers],
            [d.get("achievement") for _, _, d in dossiers],
            [r.status for _, r, _ in dossiers],
            [r.case_id for _, r, _ in dossiers],
        )
    cited = [
        (kind, evidence_id, k)
        for k, _, d in dossiers
        for kind, key in (("initiative", "initiative_ids"), ("research", "research_ids"))
        for evidence_id in (d.get("evidence") or {}).get(key) or ()
    ]
    if cited:
        await conn.execute(
            """INSERT INTO aw_evidence (evidence_kind, evidence_id, nomination_id)
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
               ON CONFLICT DO NOTHING""",
            *(list(column) for column in zip(*cited, strict=True)),
        )
    moved = {k: r for k, r in rows.items() if r.dossier is None}
    if moved:
        await conn.execute(
            """UPDATE aw_nominations n SET status = u.status,
                   case_id = CASE WHEN u.case_set THEN u.case_id ELSE n.case_id END
               FROM unnest($1::text[], $2::text[], $3::bool[], $4::text[])
                   AS u(nomination_id, status, case_set, case_id)
               WHERE n.nomination_id = u.nomination_id""",
            list(moved),
            [r.status for r in moved.values()],
            [r.case_set for r in moved.values()],
            [r.case_id for r in moved.values()],
        )
    if titles:
        await conn.execute(
            """INSERT INTO aw_titles (nomination_id, department_code, nominee_kind, nominee_id,
                   year, title, method, decision_id, decision_date, cash_vnd, achievement)
               SELECT u.*, n.achievement
               FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[],
                   $6::text[], $7::text[], $8::text[], $9::date[], $10::bigint[])
                   AS u(nomination_id, department_code, nominee_kind, nominee_id, year, title,
                        method, decision_id, decision_date, cash_vnd)
               LEFT JOIN aw_nominations n USING (nomination_id)""",
            [t["nomination_id"] for t in titles],
            [t["department_code"] for t in titles],
            [t["nominee_kind"] for t in titles],
            [t["nominee_id"] for t in titles],
            [t["year"] for t in titles],
            [t["title"] for t in titles],
            [t.get("method") or "regular" for t in titles],
            [t.get("decision_id") or t["decision_number"] for t in titles],
            [_date(t["decision_date"]) for t in titles],
            [t["cash_vnd"] for t in titles],
        )
    if revoked:
        await conn.execute(
            """UPDATE aw_titles t SET revoked_on = u.revoked_on
               FROM unnest($1::text[], $2::date[]) AS u(nomination_id, revoked_on)
               WHERE t.nomination_id = u.nomination_id""",
            list(revoked),
            [_date(v) for v in revoked.values()],
        )


def _date(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) else value
