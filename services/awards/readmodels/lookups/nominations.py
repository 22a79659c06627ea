"""Lookups of the tables awards keeps of its own nominations (``aw_nominations``,
``aw_evidence``, kept by ``readmodels/nominations.py``): the nominations naming a nominee, and
those whose dossier cited an initiative or a research topic.

Apart from the read copy of registration's facts: they serve the consequences of a case or a
correction (which dossiers it touches), never the rules a nomination is judged by.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.awards.readmodels.lookups.params import columns
from thidua.es.db import Conn


async def nominations_of(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    """nominee id → the nominations naming them (awards' nominations table)."""
    rows = await conn.fetch(
        """SELECT nominee_id, array_agg(nomination_id ORDER BY nomination_id) AS ids
           FROM aw_nominations WHERE nominee_id = ANY($1::text[]) GROUP BY nominee_id""",
        keys,
    )
    return {r["nominee_id"]: tuple(r["ids"]) for r in rows}


async def nominations_citing(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    """(evidence kind "initiative" or "research", its id) → the nominations whose dossier
    named it."""
    rows = await conn.fetch(
        """SELECT e.evidence_kind, e.evidence_id,
                  array_agg(e.nomination_id ORDER BY e.nomination_id) AS ids
           FROM unnest($1::text[], $2::text[]) AS k(kind, id)
           JOIN aw_evidence e ON e.evidence_kind = k.kind AND e.evidence_id = k.id
           GROUP BY e.evidence_kind, e.evidence_id""",
        *columns(keys, 2),
    )
    return {(r["evidence_kind"], r["evidence_id"]): tuple(r["ids"]) for r in rows}
