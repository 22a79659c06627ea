"""The base classes of the awards payloads: the owning service, and a fact about one
nomination (keyed by its ``nomination_id``).

Apart so that nominations, exemplary models, corrections and the fund build on them without
importing one another.
"""

from __future__ import annotations

from typing import ClassVar

from contracts.base import EventData
from contracts.common import EntityId


class AwardsEvent(EventData):
    service: ClassVar[str] = "awards"


class NominationEvent(AwardsEvent):
    nomination_id: EntityId
