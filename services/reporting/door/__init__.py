"""The HTTP door (cổng tiếp nhận qua HTTP): departments without a Kafka client post
CloudEvents over HTTP, in any of the binding's three modes, and the door publishes them on the
department's ingress topic as its own Kafka principal (``svc-door``), exactly as the
department's own system would. Served by reporting's API process (see docs/decisions.md)."""

from services.reporting.door.publisher import DoorPublisher, door_principal
from services.reporting.door.routes import create_door

__all__ = ["DoorPublisher", "create_door", "door_principal"]
