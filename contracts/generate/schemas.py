"""The JSON Schema (2020-12) of each payload type, committed as ``schemas/<type>.json`` (the
envelope's ``dataschema`` points there), and of the CloudEvents envelope.

Apart from the AsyncAPI document, which nests the same models differently (one ``$defs`` for
every type), and from the baselines, which read the schemas rather than publish them.
"""

from __future__ import annotations

from contracts.base import EventData
from contracts.envelope import CloudEvent
from contracts.examples import EXAMPLES
from contracts.generate.layout import Json

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
ENVELOPE_ID = "urn:thidua:schema:cloudevent"


def payload_schema(cls: type[EventData]) -> Json:
    """The standalone JSON Schema of one payload type (``dataschema`` points here)."""
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": cls.schema_uri(),
        **cls.model_json_schema(),
        "examples": EXAMPLES.get(cls, []),
        "x-thidua": {
            "type": cls.type_name(),
            "service": cls.service,
            "version": cls.event_version,
            "submittable": cls.submittable,
        },
    }


def envelope_schema() -> Json:
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": ENVELOPE_ID, **CloudEvent.model_json_schema()}
