"""What planning decisions read: the read models, through the kernel's lookups (answered for a
whole batch at once), and the private streams of the deliveries already planned.

A :class:`Reader` wraps the kernel's :class:`thidua.es.decider.Command` for one incoming fact;
nothing here does I/O: an answer not loaded yet raises :class:`thidua.es.decider.Missing`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from contracts.notifications import DeliveryPlanned
from services.notifications import rules
from services.notifications.clock import VIETNAM
from services.notifications.domain.copies import Campaign, Initiative, Nomination
from services.notifications.domain.deliveries import (
    Cause,
    Planned,
    claim_stream,
    in_inbox,
    notification_stream,
    plan,
    stored_in_inbox,
)
from services.notifications.readmodels import directory, facts, subscriptions
from services.notifications.readmodels.successions import ALL, SUCCESSIONS
from thidua.es.decider import Command, Emit
from thidua.es.succession import Successions


@dataclass(frozen=True)
class Reader:
    cmd: Command[Any]
    now: datetime

    @property
    def today(self) -> date:
        return self.now.astimezone(VIETNAM).date()

    def name(self, kind: str, org_id: str) -> str:
        found = self.cmd.lookup(directory.NAME, (kind, org_id))
        return str(found) if found else org_id

    def need_names(self, keys: Iterable[tuple[str, str]]) -> None:
        """Ask for several names in one round."""
        self.cmd.view.need_lookups(directory.NAME, keys)

    def current(self, department: str) -> str:
        """Who speaks for ``department`` today: itself, or its successor once it merged away
        (issue 16); asked with the rule's other questions (``successions`` of the rule)."""
        found: Successions | None = self.cmd.lookup(SUCCESSIONS, ALL)
        return found.successor(department, self.today) if found is not None else department

    def is_unit(self, unit_id: str) -> bool:
        return self.cmd.lookup(directory.NAME, ("unit", unit_id)) is not None

    def units(self, department: str) -> tuple[rules.Org, ...]:
        found: tuple[rules.Org, ...] = self.cmd.lookup(directory.UNITS, department)
        return found

    def issuer(self, department: str) -> rules.Issuer:
        found: rules.Issuer = self.cmd.lookup(directory.ISSUER, department)
        return found

    def known(self, department: str) -> tuple[rules.Org, ...]:
        found: tuple[rules.Org, ...] = self.cmd.lookup(directory.KNOWN, department)
        return found

    def initiative(self, initiative_id: str) -> Initiative | None:
        found: Initiative | None = self.cmd.lookup(facts.INITIATIVE, initiative_id)
        return found

    def nomination(self, nomination_id: str) -> Nomination | None:
        found: Nomination | None = self.cmd.lookup(facts.NOMINATION, nomination_id)
        return found

    def campaign(self, campaign_id: str) -> Campaign | None:
        found: Campaign | None = self.cmd.lookup(facts.CAMPAIGN, campaign_id)
        return found

    def open_campaigns(self, department: str) -> tuple[Campaign, ...]:
        found: tuple[Campaign, ...] = self.cmd.lookup(facts.OPEN_CAMPAIGNS, department)
        return found

    def subscriptions(self) -> tuple[rules.Subscription, ...]:
        found: tuple[rules.Subscription, ...] = self.cmd.lookup(
            subscriptions.BY_TYPE, self.cmd.event.type
        )
        return found

    def planned(self, cause_key: str) -> set[str]:
        """The delivery ids already claimed for ``cause_key`` (in the store, or by this batch)."""
        return {
            e.payload.notification_id
            for e in self.cmd.stream(claim_stream(cause_key)).events
            if isinstance(e.payload, DeliveryPlanned)
        }

    def plan(self, cause: Cause, items: list[Planned]) -> list[Emit]:
        """Claim the deliveries of ``cause`` not claimed yet. An organisation with no contact
        when its notice is planned is told in its in-app inbox, stored with the plan (most
        units have none); one with a contact is sent by the dispatcher, which looks the
        contact up again when it first sends. What this reads is asked for in one round:
        the cause's claims and the contacts. A delivery's own stream is not read: it begins
        with its plan (an inbox delivery's ``NotificationSent`` is appended there with it), so
        a delivery not claimed yet has an empty one."""
        if not items:
            return []
        orgs = [(i.recipient_kind, i.recipient_id) for i in items if i.channel is None]
        self.cmd.view.require([claim_stream(cause.key)], {directory.REACHABLE: orgs})
        items = [
            i
            if i.channel is not None
            or self.cmd.lookup(directory.REACHABLE, (i.recipient_kind, i.recipient_id))
            else in_inbox(i)
            for i in items
        ]
        planned = plan(cause, items, self.now, self.planned(cause.key))
        stored = [(p, stored_in_inbox(p, self.now)) for p in planned]
        inbox = [(notification_stream(p.notification_id), sent) for p, sent in stored if sent]
        self.cmd.view.new(*(stream for stream, _ in inbox))
        emits = self.cmd.emit(claim_stream(cause.key), *planned)
        for stream, sent in inbox:
            emits += self.cmd.emit(stream, sent)
        return emits
