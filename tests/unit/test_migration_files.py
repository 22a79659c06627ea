"""Every folder of SQL migrations loads: its files are named NNNN_description.sql and no two
share a version (branches merged side by side each add the next number: the service that
loads such a folder refuses to start, so this catches it before any stack does)."""

from __future__ import annotations

from pathlib import Path

import pytest

from thidua.es.migrations import load_migrations

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = sorted(
    {p.parent for p in ROOT.glob("services/**/sql/*.sql")}
    | {p.parent for p in ROOT.glob("thidua/**/sql/*.sql")}
)


def test_the_project_has_migration_folders() -> None:
    assert len(FOLDERS) >= 5, FOLDERS


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: str(f.relative_to(ROOT)))
def test_each_folder_loads_with_distinct_versions(folder: Path) -> None:
    found = load_migrations(folder.name, folder)
    assert [m.version for m in found] == sorted({m.version for m in found})
