"""The base class of every registration payload: the owning service.

Apart so that each part of the package (organisations, people, campaigns...) builds on it
without importing another part.
"""

from __future__ import annotations

from typing import ClassVar

from contracts.base import EventData


class RegistrationEvent(EventData):
    service: ClassVar[str] = "registration"
