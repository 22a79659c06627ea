"""Notifications' decisions: for each upstream fact, who is told, as a table the kernel runs
(``decider``).

Every decision is pure. It reads the read models through lookups (answered for the whole batch
at once) and the claims of deliveries already planned, and returns ``DeliveryPlanned`` facts
on the private stream of their cause; the kernel appends them with the inbox, and the
deliveries read model (``readmodels.deliveries``) gives the dispatcher one row per fact, in the
same transaction. Read copies of the directory and of the facts the rules need are kept
set-based from each batch's inputs before any decision (``readmodels.inputs``).

Most facts tell nobody: they are routed only so that explicit subscriptions can ask for them,
and cost one lookup of the subscriptions of their type per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from contracts import awards as aw
from contracts import registration as rg
from contracts.base import EVENT_TYPES, EventData
from contracts.rejections import InputRejected
from services.notifications import funds, rules
from services.notifications.clock import Clock
from services.notifications.domain import notices
from services.notifications.domain.deliveries import Cause, Planned, claim_stream
from services.notifications.reader import Reader
from services.notifications.readmodels import (
    deliveries,
    directory,
    facts,
    inputs,
    subscriptions,
    successions,
)
from thidua.es.decider import Command, Decide, Decider, Emit

UPSTREAM = ("registration", "awards", "rejections")
"""Whose facts the service reads (every type is routed: a subscription may ask for any)."""

Question = tuple[str, Hashable]
"""A lookup's name and a key: what a decision asks of the read models."""


@dataclass(frozen=True)
class Rule:
    """Who is told about a fact on its own account (before subscriptions), and what the rule
    will ask, known from the fact alone: asked with the subscriptions, in the first round."""

    tell: Callable[[Reader, Any], list[Planned]]
    asks: Callable[[Any], Iterable[Question]] = lambda _: ()


def ask(r: Reader, *questions: Question, streams: Iterable[str] = ()) -> None:
    """Ask several lookups and streams in one round instead of one round each."""
    lookups: dict[str, list[Hashable]] = {}
    for name, key in questions:
        lookups.setdefault(name, []).append(key)
    r.cmd.view.require(streams, lookups)


# --- rules -----------------------------------------------------------------------------------


def launched(r: Reader, p: rg.CampaignLaunched) -> list[Planned]:
    """Every unit of the issuing department and the plan's "Nơi nhận", once per campaign."""
    d = p.department_code
    campaign = r.campaign(p.campaign_id)
    if campaign is not None and campaign.launch_event_id != r.cmd.event.id:
        return []  # the campaign was announced by an earlier launch
    return notices.launch_notices(p, r.units(d), r.issuer(d), r.known(d))


def initiative_decided(
    r: Reader, p: rg.InitiativeRecognized | rg.InitiativeRejected
) -> list[Planned]:
    initiative = r.initiative(p.initiative_id)
    if initiative is None:
        return []  # never seen submitted
    r.need_names([("unit", initiative.unit_id), *(("person", a) for a in initiative.author_ids)])
    return notices.initiative_notices(p, initiative, r.name)


def nomination_decided(
    r: Reader, p: aw.NominationApproved | aw.NominationRejected
) -> list[Planned]:
    submitted = r.nomination(p.nomination_id)
    if submitted is not None:
        department = r.current(submitted.department_code)
        r.need_names(nominee_names(submitted.nominee_id, submitted.unit_id, department))
    elif isinstance(p, aw.NominationApproved):
        r.need_names([("department", r.current(p.department_code))])
    return notices.nomination_notices(p, submitted, r.name, r.is_unit, r.current)


def nominee_names(nominee: str, unit: str | None, department: str) -> list[tuple[str, str]]:
    """The names a dossier's notices may use (the nominee is a person, a unit or a
    department; its unit; its department)."""
    return [
        *((kind, nominee) for kind in ("unit", "person", "department")),
        *([("unit", unit)] if unit else []),
        ("department", department),
    ]


def award_flagged(r: Reader, p: aw.AwardFlaggedForReview) -> list[Planned]:
    submitted = r.nomination(p.nomination_id)
    department = r.current(p.department_code)
    if submitted is not None:
        r.need_names(nominee_names(submitted.nominee_id, submitted.unit_id, department))
    r.need_names([("department", department)])
    return notices.flag_notices(p, submitted, r.name, r.current)


def fund_overdrawn(r: Reader, p: aw.FundOverdrawn) -> list[Planned]:
    kind, org_id = funds.owner_org(p.department_code, r.current)
    issuer = r.issuer(org_id) if kind == "department" else None
    return funds.overdrawn_notices(p, r.name, issuer, r.current)


def _fund_asks(p: aw.FundOverdrawn) -> list[Question]:
    kind, org_id = funds.owner_org(p.department_code)
    asks: list[Question] = [
        (successions.SUCCESSIONS, successions.ALL),
        (directory.NAME, (kind, org_id)),
    ]
    return asks + ([(directory.ISSUER, org_id)] if kind == "department" else [])


def input_rejected(r: Reader, p: InputRejected) -> list[Planned]:
    """One message per refused input; the dossiers it names are told by their nominees'
    names (asked with the rule's first round, the names in a second)."""
    found = {i: r.nomination(i) for i in notices.refused_items(p)}
    known = {i: n for i, n in found.items() if n is not None}
    r.need_names(
        ("person" if n.nominee_kind == "individual" else "unit", n.nominee_id)
        for n in known.values()
    )
    nominees = {i: notices.nominee_of(n, r.name) for i, n in known.items()}
    return notices.rejection_notices(p, r.name, nominees)


def _launch_asks(p: rg.CampaignLaunched) -> list[Question]:
    d = p.department_code
    return [
        (facts.CAMPAIGN, p.campaign_id),
        (directory.UNITS, d),
        (directory.ISSUER, d),
        (directory.KNOWN, d),
    ]


def _approval_asks(p: aw.NominationApproved) -> list[Question]:
    names = nominee_names(p.nominee_id, p.unit_id, p.department_code)
    return [
        (facts.NOMINATION, p.nomination_id),
        (successions.SUCCESSIONS, successions.ALL),
        *((directory.NAME, n) for n in names),
    ]


def _rejected_input_asks(p: InputRejected) -> list[Question]:
    department = [(directory.NAME, ("department", p.department))] if p.department else []
    return department + [(facts.NOMINATION, i) for i in notices.refused_items(p)]


def _initiative_asks(p: rg.InitiativeRecognized | rg.InitiativeRejected) -> list[Question]:
    return [(facts.INITIATIVE, p.initiative_id)]


RULES: dict[type[EventData], Rule] = {
    rg.CampaignLaunched: Rule(launched, _launch_asks),
    rg.InitiativeRecognized: Rule(initiative_decided, _initiative_asks),
    rg.InitiativeRejected: Rule(initiative_decided, _initiative_asks),
    aw.NominationApproved: Rule(nomination_decided, _approval_asks),
    aw.NominationRejected: Rule(
        nomination_decided,
        lambda p: [
            (facts.NOMINATION, p.nomination_id),
            (successions.SUCCESSIONS, successions.ALL),
        ],
    ),
    aw.AwardFlaggedForReview: Rule(
        award_flagged,
        lambda p: [
            (facts.NOMINATION, p.nomination_id),
            (successions.SUCCESSIONS, successions.ALL),
            (directory.NAME, ("department", p.department_code)),
        ],
    ),
    InputRejected: Rule(input_rejected, _rejected_input_asks),
    aw.FundOverdrawn: Rule(fund_overdrawn, _fund_asks),
}


# --- decisions -------------------------------------------------------------------------------


def told(r: Reader, rule: Rule | None) -> list[Emit]:
    """The fact's own recipients and its subscribers, claimed on the fact's cause stream."""
    cmd = r.cmd
    payload, event = cmd.payload, cmd.event
    if rule is not None:  # one round for what the rule reads, and its cause's claims
        ask(
            r,
            (subscriptions.BY_TYPE, event.type),
            *rule.asks(payload),
            streams=[claim_stream(event.id)],
        )
    subscribed = r.subscriptions()
    items = rule.tell(r, payload) if rule is not None else []
    if not items and not subscribed:
        return []  # most facts: nobody to tell, nothing loaded but the subscriptions
    nomination_id = getattr(payload, "nomination_id", None)
    nomination = r.nomination(nomination_id) if isinstance(nomination_id, str) else None
    department = notices.event_department(event, payload, nomination)
    if subscribed:
        issuer = r.issuer(department) if department is not None else None
        scope = notices.event_scope(department, payload, nomination, issuer)
        matching = [s for s in subscribed if rules.subscription_matches(s, event.type, scope)]
        r.need_names((s.recipient_kind, s.recipient_id) for s in matching)
        items += notices.subscription_notices(event, payload, matching, scope, r.name, items)
    return r.plan(Cause.of(event, department), items)


def late_unit(r: Reader, p: rg.UnitEstablished) -> list[Emit]:
    """A unit established after its department launched an open campaign is told of it, as
    one more recipient of the launch (the same cause, hence the same delivery ids)."""
    unit = rules.Org("unit", p.unit_id, p.name)
    campaigns = r.open_campaigns(p.department_code)
    wanted = [(c, notices.late_unit_notices(unit, c, r.today)) for c in campaigns]
    r.cmd.need(*(claim_stream(c.launch_event_id) for c, items in wanted if items))
    return [e for c, items in wanted for e in r.plan(notices.launch_cause(c), items)]


def decider(clock: Clock, reminders: rules.ReminderPolicy | None = None) -> Decider:
    """The service's table: every upstream type is decided by ``told`` with its rule."""

    def route(rule: Rule | None) -> Decide:
        def decide(cmd: Command[Any]) -> list[Emit]:
            return told(Reader(cmd, clock.now()), rule)

        return decide

    def unit_established(cmd: Command[Any]) -> list[Emit]:
        r = Reader(cmd, clock.now())
        return late_unit(r, cmd.payload) + told(r, None)

    table = Decider(
        lookups={
            lookup.name: lookup
            for lookup in (
                *directory.LOOKUPS,
                *facts.LOOKUPS,
                *subscriptions.LOOKUPS,
                *successions.LOOKUPS,
            )
        },
        read_inputs=inputs.keeper(reminders or rules.ReminderPolicy()),
        inputs_kept=inputs.KEPT.__contains__,
        read_decisions=deliveries.keep_planned,
    )
    for name in sorted(EVENT_TYPES):
        kind = EVENT_TYPES[name]
        if kind.service not in UPSTREAM:
            continue
        if kind is rg.UnitEstablished:
            table.add(kind, unit_established)
        else:
            table.add(kind, route(RULES.get(kind)))
    return table
