"""The bench's settings (one value every section reads) and the heading each section prints.

Apart from the command line (``thidua.bench.__main__``, which fills them in) so that the
sections' modules, which the command line imports, can import them too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Options:
    events: int = 20_000
    size: int = 600
    per_tx: int = 10
    people: int = 1200
    warmup_people: int = 1000
    rates: tuple[float, ...] = (10.0, 100.0, 500.0)
    load_seconds: float = 15.0
    history_people: int = 130
    copies: int = 19
    queries: int = 400
    live_seconds: float = 240.0
    http_seconds: int = 15
    door_events: int = 20_000
    door_batch: int = 500
    door_concurrency: int = 4
    burst_dossiers: int = 50_000
    sections: tuple[str, ...] = (
        "raw",
        "peer",
        "pipeline",
        "burst",
        "reporting",
        "search",
        "http",
        "door",
    )


def heading(title: str) -> None:
    """The line that opens a section's output."""
    print(f"\n== {title} ==", flush=True)
