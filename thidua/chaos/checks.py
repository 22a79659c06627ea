"""What a chaos run counts once the system has settled, each from the outside: the Kafka topics
read with a plain consumer, the services' tables, the SMTP sink's mail directory.

- every ingress offset ends as exactly one outcome: a row of a service's inbox (accepted,
  ignored, rejected), a refusal (``rejection:<topic>/<partition>/<offset>`` stream) or a
  repeat of an id already in an inbox (duplicate); none missing, none twice;
- no event id twice on an events topic, and every stored event on one;
- every DLQ topic empty;
- every notification planned once per recipient and cause, sent once (one NotificationSent,
  one mail per e-mail delivery), none left unsent.
"""

from __future__ import annotations

import email
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from contracts import topics
from contracts.rejections import InputRejected
from thidua.es.kafka import (
    client_options,
    end_offsets,
    partitions_of,
    read_range,
    topics_matching,
)
from thidua.es.routing import PRIVATE_STREAM_PREFIX

INGRESS_SERVICES = ("registration", "awards")
EVENT_SERVICES = ("registration", "awards", "notifications")


@dataclass
class Report:
    """The counts of a run; ``problems`` lists every count that must be zero and is not."""

    counts: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def expect_zero(self, name: str, value: int) -> None:
        self.counts[name] = value
        if value:
            self.problems.append(f"{name} = {value}")


async def _topic_records(
    bootstrap: str, names: Iterable[str]
) -> dict[str, list[ConsumerRecord[bytes, bytes]]]:
    """Every record of each topic (that exists), from its beginning to its current end."""
    found: dict[str, list[ConsumerRecord[bytes, bytes]]] = {}
    consumer = AIOKafkaConsumer(**client_options(bootstrap), enable_auto_commit=False)
    await consumer.start()
    try:
        for topic, partitions in (await partitions_of(bootstrap, names)).items():
            tps = [TopicPartition(topic, p) for p in partitions]
            ends = await end_offsets(consumer, tps)
            starts = await consumer.beginning_offsets(tps)
            records = found.setdefault(topic, [])
            for tp in tps:
                records += await read_range(consumer, tp, starts[tp], ends[tp], timeout=120)
    finally:
        await consumer.stop()
    return found


async def _all_topics(bootstrap: str) -> list[str]:
    admin = AIOKafkaAdminClient(**client_options(bootstrap))
    await admin.start()
    try:
        return sorted(await admin.list_topics())
    finally:
        await admin.close()


def _refused_topic(record: ConsumerRecord[bytes, bytes]) -> str:
    """The topic a published refusal says its record came from ("" if unreadable)."""
    try:
        data = json.loads(record.value or b"").get("data", {})
    except (ValueError, AttributeError):
        return ""
    return str(data.get("topic", "")) if isinstance(data, dict) else ""


def _event_id(record: ConsumerRecord[bytes, bytes]) -> str | None:
    for key, value in record.headers or ():
        if key == "ce_id":
            return bytes(value).decode(errors="replace")
    try:
        parsed = json.loads(record.value or b"")
    except ValueError:
        return None
    return str(parsed.get("id")) if isinstance(parsed, dict) and "id" in parsed else None


async def ingress_offsets(conn: asyncpg.Connection, bootstrap: str, report: Report) -> None:
    """Each offset of each ingress topic accounted for exactly once."""
    names = [t for t in await _all_topics(bootstrap) if t.startswith(topics.INGRESS_PREFIX)]
    records = await _topic_records(bootstrap, names)
    handled: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    known_ids: set[str] = set()
    for service in INGRESS_SERVICES:
        rows = await conn.fetch(
            f"""SELECT event_id, topic || '/' || kafka_partition || '/' || kafka_offset AS at,
                       outcome FROM "{service}".inbox WHERE topic LIKE 'thidua.ingress.%'"""
        )
        # rejection:<topic>/<partition>/<offset>, then what was refused there, for some services
        refused = {
            "/".join(str(r["stream_id"]).removeprefix("rejection:").split("/")[:3])
            for r in await conn.fetch(
                f"""SELECT stream_id FROM "{service}".events
                    WHERE stream_id LIKE 'rejection:thidua.ingress.%'"""
            )
        }
        # Why the service refused what it refused, by reason code: a run that fails with a
        # rollup short says here whether the refusals were the scenario's own or a fault's.
        for r in await conn.fetch(
            f"""SELECT reason->>'code' AS code, count(*) AS n FROM "{service}".events,
                       jsonb_array_elements(envelope->'data'->'reasons') AS reason
                WHERE event_type = $1 GROUP BY 1""",
            InputRejected.type_name(),
        ):
            reasons[f"{service}: {r['code']}"] += int(r["n"])
        at_inbox = {str(r["at"]) for r in rows}
        known_ids |= {str(r["event_id"]) for r in rows}
        outcomes.update(str(r["outcome"]) for r in rows)
        outcomes["refused_unreadable"] += len(refused - at_inbox)
        handled.update(at_inbox | refused)
    total = duplicates = missing = 0
    for topic_records in records.values():
        for record in topic_records:
            total += 1
            at = f"{record.topic}/{record.partition}/{record.offset}"
            if handled[at]:
                continue
            if _event_id(record) in known_ids:
                duplicates += 1  # a repeat of an id some inbox holds: nothing to do twice
            else:
                missing += 1
    report.counts["ingress_topics"] = len(names)
    report.counts["ingress_offsets"] = total
    report.counts["ingress_outcomes"] = {**dict(sorted(outcomes.items())), "duplicate": duplicates}
    report.counts["refusal_reasons"] = dict(sorted(reasons.items()))
    report.expect_zero("ingress_offsets_unaccounted", missing)
    report.expect_zero("ingress_offsets_counted_twice", sum(n - 1 for n in handled.values()))
    accounted = sum(1 for n in handled.values() if n) + duplicates
    report.expect_zero("ingress_accounted_minus_offsets", accounted - total)


async def event_ids(
    conn: asyncpg.Connection, bootstrap: str, report: Report
) -> dict[str, list[ConsumerRecord[bytes, bytes]]]:
    """No event id twice on any events topic; every stored event published."""
    refusal_topics = await topics_matching(bootstrap, topics.REJECTIONS_PATTERN)
    names = [topics.events(s) for s in EVENT_SERVICES] + refusal_topics
    records = await _topic_records(bootstrap, names)
    report.expect_zero(
        "refusals_on_another_departments_topic",
        sum(
            topics.rejections_of(_refused_topic(r)) != name
            for name in refusal_topics
            for r in records.get(name, [])
        ),
    )
    seen: Counter[str] = Counter()
    per_topic: dict[str, int] = {}
    for name, topic_records in records.items():
        ids = [_event_id(r) or f"?{r.topic}/{r.partition}/{r.offset}" for r in topic_records]
        per_topic[name] = len(ids)
        seen.update(ids)
    stored = 0
    unpublished = 0
    for service in EVENT_SERVICES:
        rows = await conn.fetch(  # claims stay in the store (``PRIVATE_STREAM_PREFIX``)
            f"""SELECT event_id FROM "{service}".events
                WHERE stream_id NOT LIKE '{PRIVATE_STREAM_PREFIX}%'"""
        )
        kept = {str(r["event_id"]) for r in rows}
        stored += len(kept)
        unpublished += len(kept - set(seen))
    report.counts["events_on_topics"] = per_topic
    report.counts["events_stored"] = stored
    report.expect_zero("event_ids_twice_on_topics", sum(n - 1 for n in seen.values() if n > 1))
    report.expect_zero("stored_events_not_published", unpublished)
    return records


async def dead_letters(bootstrap: str, report: Report) -> None:
    """Every DLQ topic empty."""
    names = [t for t in await _all_topics(bootstrap) if t.endswith(".dlq")]
    records = await _topic_records(bootstrap, names)
    report.counts["dlq_topics"] = len(names)
    report.expect_zero("dlq_records", sum(len(r) for r in records.values()))


def _mail(mail_dir: Path) -> Counter[str]:
    """Delivery id → how many mails the SMTP sink kept with it."""
    found: Counter[str] = Counter()
    for path in mail_dir.glob("*.eml") if mail_dir.is_dir() else ():
        message = email.message_from_bytes(path.read_bytes())
        found[str(message.get("X-Thidua-Delivery-Id", f"?{path.name}"))] += 1
    return found


async def notifications(
    conn: asyncpg.Connection,
    events: dict[str, list[ConsumerRecord[bytes, bytes]]],
    mail_dir: Path,
    report: Report,
) -> None:
    """Once per recipient and message: planned once, sent once, mailed once."""
    statuses = {
        str(r["status"]): int(r["n"])
        for r in await conn.fetch(
            "SELECT status, count(*) AS n FROM notifications.deliveries GROUP BY status"
        )
    }
    planned_twice = await conn.fetchval(
        """SELECT coalesce(sum(n - 1), 0) FROM (
               SELECT count(*) AS n FROM notifications.deliveries
               GROUP BY causation_event_id, template, recipient_kind, recipient_id, route
           ) AS g WHERE n > 1"""
    )
    emailed = {
        str(r["delivery_id"])
        for r in await conn.fetch(
            """SELECT delivery_id FROM notifications.deliveries
               WHERE status = 'sent' AND channel = 'email'"""
        )
    }
    sent: Counter[str] = Counter()
    unconfirmed: set[str] = set()
    for record in events.get(topics.events("notifications"), []):
        parsed = json.loads(record.value or b"{}")
        if ".NotificationSent." in f"{parsed.get('type', '')}.":
            sent[str(parsed["data"]["notification_id"])] += 1
            if parsed["data"].get("confirmed") is False:
                unconfirmed.add(str(parsed["data"]["notification_id"]))
    mails = _mail(mail_dir)
    report.counts["deliveries"] = dict(sorted(statuses.items()))
    report.counts["notifications_sent_events"] = sum(sent.values())
    report.counts["mails"] = sum(mails.values())
    report.expect_zero("deliveries_not_sent", sum(n for s, n in statuses.items() if s != "sent"))
    report.expect_zero("deliveries_planned_twice", int(planned_twice))
    report.expect_zero("notification_sent_twice", sum(n - 1 for n in sent.values() if n > 1))
    report.expect_zero("mails_twice", sum(n - 1 for n in mails.values() if n > 1))
    report.counts["sent_unconfirmed"] = len(unconfirmed)
    # Recorded as sent, never received: with a confirmation, a lie; without one, a dispatcher
    # killed between committing ``confirming`` and the final "." (sent at most once, by design).
    report.expect_zero("emails_confirmed_without_mail", len(emailed - set(mails) - unconfirmed))
    report.expect_zero("emails_unconfirmed_without_mail", len((emailed & unconfirmed) - set(mails)))
    report.expect_zero("mails_without_sent_delivery", len(set(mails) - emailed))
