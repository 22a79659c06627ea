"""A benchmark result: a figure, its unit, its baseline, and the settings it was measured with."""

from __future__ import annotations

import json
import platform
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path


def percentile(samples: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``samples``."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    baseline: str | None = None
    settings: dict[str, object] = field(default_factory=dict)


@dataclass
class Report:
    figures: list[Figure] = field(default_factory=list)
    started: float = field(default_factory=time.time)

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        print(f"  {figure.name:<44} {figure.value:>12,.1f} {figure.unit}", flush=True)
        return figure

    def value(self, name: str) -> float:
        return next(f.value for f in self.figures if f.name == name)

    def table(self) -> str:
        lines = [f"{'figure':<44} {'value':>12}  {'unit':<10} {'vs baseline':>12}"]
        for f in self.figures:
            ratio = ""
            if f.baseline is not None:
                base = self.value(f.baseline)
                ratio = f"{f.value / base:.3g}x {f.baseline}" if base else "n/a"
            lines.append(f"{f.name:<44} {f.value:>12,.1f}  {f.unit:<10} {ratio}")
        return "\n".join(lines)

    def write(self, path: Path, settings: dict[str, object] | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "started": self.started,
            "seconds": time.time() - self.started,
            "settings": settings or {},
            "machine": {"python": platform.python_version(), "cpus": _cpus()},
            "figures": [asdict(f) for f in self.figures],
        }
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def _cpus() -> int:
    import os

    return os.cpu_count() or 0
