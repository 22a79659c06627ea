"""How a batch's keys become a statement's parameters: a lookup keyed by tuples sends one
array per component, which its statement zips back together with ``unnest``.

Apart so that each module of lookups can share it without importing the package, whose
``__init__`` imports them.
"""

from __future__ import annotations

from typing import Any


def columns(keys: list[Any], width: int) -> list[list[Any]]:
    return [[k[i] for k in keys] for i in range(width)]
