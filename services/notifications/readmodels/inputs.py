"""``read_inputs`` of the service: the read copies kept from a batch's accepted inputs, folded
per key and written with a few set-based statements, before any decision of the batch."""

from __future__ import annotations

from collections.abc import Sequence

from contracts.envelope import CloudEvent
from services.notifications import rules
from services.notifications.readmodels.conferences import ConferenceChanges
from services.notifications.readmodels.directory import DirectoryChanges
from services.notifications.readmodels.facts import FactChanges
from services.notifications.readmodels.successions import SuccessionChanges
from thidua.es.db import Conn
from thidua.es.decider import ReadModel

KEPT = frozenset(
    t.type_name()
    for t in (
        *DirectoryChanges.KEPT,
        *FactChanges.KEPT,
        *SuccessionChanges.KEPT,
        *ConferenceChanges.KEPT,
    )
)
"""The types the read copies keep (others are not parsed here)."""


def keeper(policy: rules.ReminderPolicy) -> ReadModel:
    async def keep(conn: Conn, events: Sequence[CloudEvent]) -> None:
        directory, known, moved = DirectoryChanges(), FactChanges(policy), SuccessionChanges()
        conferences = ConferenceChanges(policy)
        for event in events:
            if event.type not in KEPT:
                continue
            payload = event.payload()
            directory.add(payload)
            known.add(event, payload)
            moved.add(payload)
            conferences.add(event, payload)
        await directory.write(conn)
        await known.write(conn)
        await moved.write(conn)
        await conferences.write(conn)

    return keep
