"""The layering the code keeps: the kernel (``thidua.es``) imports no service, and no two
modules import each other, directly or around a longer cycle. Every import counts, those
inside functions and under ``TYPE_CHECKING`` too: a cycle hidden there is still two modules
that cannot be understood one without the other."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("thidua", "contracts", "services", "scenarios")


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports_of(path: Path, name: str, known: dict[str, Path]) -> set[str]:
    """The project modules ``name`` imports, anywhere in it."""
    tree = ast.parse(path.read_text())
    is_package = path.name == "__init__.py"
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            imported.add(base)
            imported |= {f"{base}.{a.name}" for a in node.names}
    return {m for m in imported if m in known and m != name}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(path, name, known) for name, path in known.items()}


def test_the_kernel_imports_no_service() -> None:
    offenders = {
        name: sorted(i for i in imports if i.startswith("services"))
        for name, imports in graph().items()
        if name.startswith("thidua.es")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_seed_and_scenario_data_stay_out_of_the_production_packages() -> None:
    """``scenarios`` (the seed plans, the simulated departments) is for tools and tests: the
    kernel, the contracts and the services never import it (the CLI and the benchmark do)."""
    offenders = {
        name: sorted(i for i in imports if i.startswith("scenarios"))
        for name, imports in graph().items()
        if name.startswith(("thidua.es", "thidua.stack", "contracts", "services"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_module_imports_itself_around_a_cycle() -> None:
    edges = graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    # A package's __init__ re-exporting its own submodules is not a cycle between modules.
    real = [c for c in cycles if not all(m.startswith(c[0] + ".") or m == c[0] for m in c)]
    assert real == []
