"""Where each process's PostgreSQL credentials come from, and how the local stack keeps them
(the roles' rights themselves are tested on the real cluster: tests/integration/test_pg_roles)."""

from __future__ import annotations

import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from thidua import dbroles
from thidua.settings import StackSettings, secret_from_env
from thidua.stack.errors import ComponentFailed
from thidua.stack.pgsetup import hba_trusts
from thidua.stack.postgres import PostgresComponent

CONNECTION_VARIABLES = (
    "THIDUA_DATABASE_URL",
    "THIDUA_API_DATABASE_URL",
    "THIDUA_PG_USER",
    "THIDUA_PG_PASSWORD",
    "THIDUA_PG_PASSWORD_FILE",
    "THIDUA_PG_API_USER",
    "THIDUA_PG_API_PASSWORD",
    "THIDUA_PG_API_PASSWORD_FILE",
    "THIDUA_PG_SECRETS_DIR",
)


@pytest.fixture
def local(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> StackSettings:
    """A local stack's settings in a state directory of its own, with no credentials set."""
    for name in CONNECTION_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("THIDUA_STATE_DIR", str(tmp_path / "state"))
    return StackSettings()


def test_a_secret_comes_from_its_variable_or_the_file_its_file_variable_names(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("THIDUA_X", raising=False)
    monkeypatch.delenv("THIDUA_X_FILE", raising=False)
    assert secret_from_env("THIDUA_X") is None
    (tmp_path / "x").write_text("from a file\n")
    monkeypatch.setenv("THIDUA_X_FILE", str(tmp_path / "x"))
    assert secret_from_env("THIDUA_X") == "from a file"
    monkeypatch.setenv("THIDUA_X", "from the variable")
    assert secret_from_env("THIDUA_X") == "from the variable"


def test_the_local_stack_generates_each_password_once_for_its_owner_only(
    local: StackSettings,
) -> None:
    first = dbroles.local_passwords(local)
    again = dbroles.local_passwords(local)

    assert first == again and set(first) == set(dbroles.ROLES)
    assert len(set(first.values())) == len(first)
    assert all(len(p) >= 40 for p in first.values())
    secrets_dir = local.state_dir / "secrets"
    assert stat.S_IMODE(secrets_dir.stat().st_mode) == 0o700
    for role in dbroles.ROLES:
        assert stat.S_IMODE(local.local_pg_password_file(role).stat().st_mode) == 0o600


def test_the_admin_connects_with_the_local_stack_password_and_shows_it_to_no_one(
    local: StackSettings,
) -> None:
    assert urlsplit(local.database_url).password is None  # before the first start
    admin = dbroles.ensure_local_password(local, local.postgres_user)

    url = urlsplit(local.database_url)
    assert (url.username, url.password) == (local.postgres_user, admin)
    shown = PostgresComponent(local).url
    assert admin not in shown and urlsplit(shown).username == local.postgres_user


def test_a_deployment_names_the_user_and_its_password_file(
    local: StackSettings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "pw").write_text("p@ss:/word%\n")
    monkeypatch.setenv("THIDUA_PG_USER", "awards")
    monkeypatch.setenv("THIDUA_PG_PASSWORD_FILE", str(tmp_path / "pw"))
    settings = StackSettings()

    url = urlsplit(dbroles.service_database_url(settings, "awards"))
    assert url.username == "awards"
    assert url.password == "p%40ss%3A%2Fword%25"  # quoted: the URL stays one URL
    assert unquote(url.password) == "p@ss:/word%"  # what asyncpg sends
    assert url.hostname == settings.postgres_host
    # Without an API role of its own, reporting's API shares the service's connection.
    assert dbroles.reader_database_url(settings) == settings.database_url


def test_locally_each_service_runs_as_its_own_role_and_the_api_as_the_reader(
    local: StackSettings,
) -> None:
    passwords = dbroles.local_passwords(local)
    for service in dbroles.SERVICE_ROLES:
        url = urlsplit(dbroles.service_database_url(local, service))
        assert (url.username, url.password) == (service, passwords[service])
    reader = urlsplit(dbroles.reader_database_url(local))
    assert (reader.username, reader.password) == (
        dbroles.READER_ROLE,
        passwords[dbroles.READER_ROLE],
    )


def test_a_process_with_a_state_directory_of_its_own_is_told_where_the_passwords_are(
    local: StackSettings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """As the e2e tests run their services: another state directory, the suites' stack."""
    dbroles.local_passwords(local)
    monkeypatch.setenv("THIDUA_STATE_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("THIDUA_PG_SECRETS_DIR", str(local.local_pg_password_file("x").parent))
    elsewhere = StackSettings()

    assert elsewhere.state_dir != local.state_dir
    assert dbroles.service_database_url(elsewhere, "awards") == dbroles.service_database_url(
        local, "awards"
    )
    assert elsewhere.database_url == local.database_url


def test_a_service_before_the_stack_ever_started_is_told_what_to_do(
    local: StackSettings,
) -> None:
    with pytest.raises(dbroles.ProvisioningError, match="thidua stack up"):
        dbroles.service_database_url(local, "registration")


def test_the_roles_job_names_every_password_it_misses(monkeypatch: pytest.MonkeyPatch) -> None:
    for role in dbroles.ROLES:
        monkeypatch.delenv(dbroles.password_variable(role), raising=False)
        monkeypatch.delenv(dbroles.password_variable(role) + "_FILE", raising=False)
    monkeypatch.setenv("THIDUA_PG_AWARDS_PASSWORD", "x")
    with pytest.raises(dbroles.ProvisioningError) as missing:
        dbroles.passwords_from_env()
    assert "THIDUA_PG_REPORTING_READER_PASSWORD" in str(missing.value)
    assert "THIDUA_PG_AWARDS_PASSWORD" not in str(missing.value)


@pytest.mark.parametrize(
    ("hba", "trusts"),
    [
        ("local all all trust\n", True),
        ("host all all 127.0.0.1/32 trust  # old default\n", True),
        ("# local all all trust\nlocal all all scram-sha-256\n", False),
        ("host all all 127.0.0.1/32 scram-sha-256\n", False),
    ],
)
def test_a_trust_line_in_pg_hba_is_found(tmp_path: Path, hba: str, trusts: bool) -> None:
    (tmp_path / "pg_hba.conf").write_text(hba)
    assert hba_trusts(tmp_path / "pg_hba.conf") is trusts


def test_a_cluster_made_with_trust_is_refused_with_what_to_do(local: StackSettings) -> None:
    component = PostgresComponent(local)
    component.data_dir.mkdir(parents=True)
    (component.data_dir / "pg_hba.conf").write_text("local all all trust\n")
    with pytest.raises(ComponentFailed, match="--purge"):
        component.refuse_trust()
    (component.data_dir / "pg_hba.conf").write_text("local all all scram-sha-256\n")
    component.refuse_trust()
