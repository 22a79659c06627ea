"""Who is told about each fact, and in which words: pure rules over what the read copies say.

A decision gives each rule the fact and the answers of the lookups it needs; the rule returns
the recipients (:class:`Planned`), never sends or stores anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date

from contracts import awards as aw
from contracts import registration as rg
from contracts import topics
from contracts.base import EventData
from contracts.common import TitleCode
from contracts.envelope import CloudEvent
from contracts.rejections import InputRejected
from services.notifications import rules, templates
from services.notifications.domain.copies import Campaign, Initiative, Nomination
from services.notifications.domain.deliveries import Cause, Planned, to_contact, to_inbox
from services.notifications.templates import Message

Names = Callable[[str, str], str]
"""The directory's name of (kind, id); the id itself when the directory does not know it."""


# --- campaigns -------------------------------------------------------------------------------


def launch_notices(
    launch: rg.CampaignLaunched,
    units: Sequence[rules.Org],
    issuer: rules.Issuer,
    known: Iterable[rules.Org],
) -> list[Planned]:
    """Every active unit of the issuing department, and the plan's "Nơi nhận"."""
    resolved = rules.resolve_plan_recipients(launch.recipients, issuer, known)
    return [
        to_contact(o.kind, o.id, o.name, templates.campaign_launched(launch, o.name))
        for o in [*units, *resolved.orgs]
    ]


def launch_cause(campaign: Campaign) -> Cause:
    """The launch as the cause of a late unit's notice (the same delivery ids as the launch's)."""
    return Cause(
        campaign.launch_event_id,
        campaign.launch_event_id,
        None,
        campaign.department_code,
        {
            "type": rg.CampaignLaunched.type_name(),
            "id": campaign.launch_event_id,
            "subject": campaign.campaign_id,
            "data": campaign.plan,
        },
    )


def late_unit_notices(unit: rules.Org, campaign: Campaign, today: date) -> list[Planned]:
    """A unit established after its department launched a campaign still open for registration
    is told too (the directory and the campaign travel on different partitions)."""
    launch = rg.CampaignLaunched.model_validate(campaign.plan)
    deadline = launch.deadlines.registration or launch.period.end
    if campaign.closed or deadline < today:
        return []
    return [to_contact("unit", unit.id, unit.name, templates.campaign_launched(launch, unit.name))]


# --- decisions about initiatives and dossiers ------------------------------------------------


def initiative_notices(
    fact: rg.InitiativeRecognized | rg.InitiativeRejected, initiative: Initiative, names: Names
) -> list[Planned]:
    """The submitting unit (its contact) and the authors (their inbox)."""

    def text(recipient: str) -> Message:
        if isinstance(fact, rg.InitiativeRecognized):
            return templates.initiative_recognized(fact, initiative.title, recipient)
        return templates.initiative_rejected(fact, initiative.title, recipient)

    unit_name = names("unit", initiative.unit_id)
    items = [to_contact("unit", initiative.unit_id, unit_name, text(unit_name))]
    for person_id in initiative.author_ids:
        name = names("person", person_id)
        items.append(to_inbox("person", person_id, name, text(name)))
    return items


def nomination_notices(
    fact: aw.NominationApproved | aw.NominationRejected,
    submitted: Nomination | None,
    names: Names,
    is_unit: Callable[[str], bool],
    current: Callable[[str], str] = str,
) -> list[Planned]:
    """The nominee's unit (with the reasons when rejected), else the department that speaks
    for the dossier's today (``current``: its successor once it merged away); a person
    nominee's inbox too. A rejection of a dossier never seen submitted tells nobody."""
    if isinstance(fact, aw.NominationApproved):
        kind, nominee_id, unit_id = fact.nominee_kind.value, fact.nominee_id, fact.unit_id
        department = fact.department_code
    elif submitted is not None:
        kind, nominee_id, unit_id = submitted.nominee_kind, submitted.nominee_id, submitted.unit_id
        department = submitted.department_code
    else:
        return []
    individual = kind == "individual"
    if unit_id is None and not individual and is_unit(nominee_id):
        unit_id = nominee_id
    if individual:
        nominee = names("person", nominee_id)
    else:
        nominee = names("unit" if unit_id is not None else "department", nominee_id)

    def text(recipient: str) -> Message:
        if isinstance(fact, aw.NominationApproved):
            return templates.nomination_approved(fact, nominee, recipient)
        title = TitleCode(submitted.title) if submitted is not None else None
        return templates.nomination_rejected(fact, nominee, title, recipient)

    if unit_id is not None:
        name = names("unit", unit_id)
        items = [to_contact("unit", unit_id, name, text(name))]
    else:
        department = current(department)
        name = names("department", department)
        items = [to_contact("department", department, name, text(name))]
    if individual:
        items.append(to_inbox("person", nominee_id, nominee, text(nominee)))
    return items


def flag_notices(
    fact: aw.AwardFlaggedForReview,
    submitted: Nomination | None,
    names: Names,
    current: Callable[[str], str] = str,
) -> list[Planned]:
    """An award to review (its evidence was corrected or withdrawn): the department that
    decided it (its successor once it merged away), whose standing body proposes what to
    do."""
    nominee = fact.nomination_id
    title = None
    if submitted is not None:
        kind = "person" if submitted.nominee_kind == "individual" else "unit"
        nominee, title = names(kind, submitted.nominee_id), TitleCode(submitted.title)
    department = current(fact.department_code)
    name = names("department", department)
    return [
        to_contact(
            "department", department, name, templates.award_flagged(fact, nominee, title, name)
        )
    ]


def refused_department(fact: InputRejected) -> str | None:
    """The department whose ingress topic carried the refused record: the one that may read
    the refusal (on its own rejections topic). A department the record only names is not told:
    a refusal of a record from no department's ingress is for operators alone."""
    return topics.department_of_ingress(fact.topic)


def refused_items(fact: InputRejected) -> list[str]:
    """The items a refusal names (awards: nomination ids), each once, in its order."""
    return list(dict.fromkeys(r.item for r in fact.reasons if r.item is not None))


def nominee_of(nomination: Nomination, names: Names) -> templates.Nominee:
    """A refused dossier's nominee as the directory names them."""
    individual = nomination.nominee_kind == "individual"
    name = names("person" if individual else "unit", nomination.nominee_id)
    try:
        title: TitleCode | None = TitleCode(nomination.title)
    except ValueError:
        title = None
    return templates.Nominee(name, nomination.nominee_kind, title)


def rejection_notices(
    fact: InputRejected, names: Names, nominees: Mapping[str, templates.Nominee] | None = None
) -> list[Planned]:
    """The producing department's system (its webhook first): one message for the whole
    refused input, every refused item (``nominees``: the dossiers the read copies know) with
    its reasons."""
    department = refused_department(fact)
    if department is None:
        return []
    name = names("department", department)
    message = templates.input_rejected(fact, name, nominees)
    return [to_contact("department", department, name, message, system=True)]


# --- subscriptions ---------------------------------------------------------------------------


def event_department(
    event: CloudEvent, payload: EventData, nomination: Nomination | None
) -> str | None:
    """The department an event concerns (a rejection: the producer's; a dossier: its own)."""
    department = getattr(payload, "department_code", None) or event.department
    if isinstance(payload, InputRejected):
        department = refused_department(payload)
    if nomination is not None:
        department = department or nomination.department_code
    return department if isinstance(department, str) else None


def event_scope(
    department: str | None,
    payload: EventData,
    nomination: Nomination | None,
    issuer: rules.Issuer | None,
) -> rules.EventScope:
    """Where an event belongs: its department, that department's province and ministry, and
    the units it concerns."""
    units = {u for u in (getattr(payload, "unit_id", None),) if isinstance(u, str)}
    if nomination is not None and nomination.unit_id:
        units.add(nomination.unit_id)
    province = issuer.province.id if issuer is not None and issuer.province else None
    ministry = issuer.ministry.id if issuer is not None and issuer.ministry else None
    return rules.EventScope(department, province, ministry, frozenset(units))


def subscriber_message(
    event: CloudEvent, payload: EventData, recipient: str, planned: Sequence[Planned]
) -> Message:
    """A subscriber reads the rule's text for the event when there is one."""
    if isinstance(payload, InputRejected) and not planned:
        return templates.input_rejected(payload, recipient)
    if isinstance(payload, rg.CampaignLaunched):
        return templates.campaign_launched(payload, recipient)
    if planned:
        first = planned[0].message
        body = first.body.replace(
            f"Kính gửi: {planned[0].recipient_name}.", f"Kính gửi: {recipient}.", 1
        )
        return Message(first.template, first.subject, body)
    return templates.event_notice(event.type, event.subject, recipient)


def subscription_notices(
    event: CloudEvent,
    payload: EventData,
    subscriptions: Iterable[rules.Subscription],
    scope: rules.EventScope,
    names: Names,
    planned: Sequence[Planned],
) -> list[Planned]:
    """Each subscription the event matches (type, department and the subscriber's reach)."""
    items = []
    for sub in subscriptions:
        if not rules.subscription_matches(sub, event.type, scope):
            continue
        name = names(sub.recipient_kind, sub.recipient_id)
        items.append(
            Planned(
                sub.recipient_kind,
                sub.recipient_id,
                name,
                f"subscription:{sub.subscription_id}",
                subscriber_message(event, payload, name, planned),
                sub.channel,
                sub.address,
                sub.subscription_id,
            )
        )
    return items
