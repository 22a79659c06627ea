"""What every example module shares: the type of a JSON payload example and the codes of the
two departments most examples are about.

Apart so that the seed plans and the examples of each service use them without importing one
another.
"""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

GL = "sct-gialai"  # Sở Công Thương Gia Lai
BL = "sct-baclieu"  # Sở Công Thương Bạc Liêu
