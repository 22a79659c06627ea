"""The local stack (Kafka, PostgreSQL, Zipkin on loopback, no Docker).

`await LocalStack().up()` is idempotent and returns a StackStatus (`status["kafka"].address`,
`status.healthy`); it raises PrerequisiteMissing or StackFailed. `await LocalStack().down()`
stops what `up` started (`purge=True` also deletes the data); `await LocalStack().status()`.
"""

from thidua.stack.base import ComponentStatus, StackStatus
from thidua.stack.errors import ComponentFailed, PrerequisiteMissing, StackError
from thidua.stack.local import LocalStack, StackFailed

__all__ = [
    "ComponentFailed",
    "ComponentStatus",
    "LocalStack",
    "PrerequisiteMissing",
    "StackError",
    "StackFailed",
    "StackStatus",
]
