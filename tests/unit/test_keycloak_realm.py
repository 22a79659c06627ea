"""The committed realm and the local sample users: what every HTTP door relies on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from thidua.stack.errors import PrerequisiteMissing
from thidua.stack.keycloak import (
    REALM_FILE,
    find_java_home,
    java_release,
    local_realm,
    sample_users,
)

ROLES = {"board", "ministry", "department", "operator"}


def test_the_realm_has_the_four_roles_and_no_user_but_the_tools_service_accounts() -> None:
    realm = local_realm()
    assert {r["name"] for r in realm["roles"]["realm"]} == ROLES
    committed = json.loads(REALM_FILE.read_text())
    assert [u["username"] for u in committed["users"]] == [
        "service-account-thidua-ops",
        "service-account-thidua-provisioner",
    ]
    assert "${THIDUA_OIDC_DASHBOARD_SECRET}" in REALM_FILE.read_text()


def test_the_provisioner_manages_clients_and_users_only_and_holds_no_thidua_role() -> None:
    """Clients for ``departments http-client``; users too for ``departments merge``, which
    disables a merged-away department's logins (issue 16)."""
    committed = json.loads(REALM_FILE.read_text())
    (account,) = [u for u in committed["users"] if u["username"].endswith("provisioner")]
    assert account["clientRoles"] == {
        "realm-management": [
            "manage-clients",
            "view-clients",
            "manage-users",
            "view-users",
            "query-users",
        ]
    }
    assert not account.get("realmRoles")
    (client,) = [c for c in committed["clients"] if c["clientId"] == "thidua-provisioner"]
    assert not client.get("protocolMappers")  # no audience thidua: no service takes its token


def test_every_client_maps_roles_scope_and_audience_into_the_token() -> None:
    for client in local_realm()["clients"]:
        if client["clientId"] == "thidua-provisioner":
            continue  # its tokens are for Keycloak's admin API only
        claims = {m["config"].get("claim.name") for m in client["protocolMappers"]}
        assert {"roles", "province", "ministry", "department"} <= claims, client["clientId"]
        audiences = [m["config"].get("included.custom.audience") for m in client["protocolMappers"]]
        assert "thidua" in audiences


def test_there_is_one_sample_user_per_role_with_its_scope() -> None:
    users = sample_users()
    assert {u["role"] for u in users} == ROLES
    by_name = {u["username"]: u for u in users}
    assert by_name["sct-gialai"]["scope"] == "department=sct-gialai"
    assert by_name["bantdkt-gialai"]["scope"] == "province=gia-lai"
    assert by_name["bct"]["scope"] == "ministry=bct"


def test_keycloak_gets_the_newest_jdk_of_21_or_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("THIDUA_KEYCLOAK_JAVA_HOME", raising=False)
    for name, version in (("jdk-17", "17.0.2"), ("jdk-21", "21.0.5"), ("jdk-25", "25.0.1")):
        (tmp_path / name / "bin").mkdir(parents=True)
        (tmp_path / name / "bin" / "java").touch()
        (tmp_path / name / "release").write_text(f'JAVA_VERSION="{version}"\n')
    assert java_release(tmp_path / "jdk-17") == 17
    assert find_java_home(tmp_path) == tmp_path / "jdk-25"
    (tmp_path / "jdk-25" / "release").unlink()
    (tmp_path / "jdk-21" / "release").unlink()
    with pytest.raises(PrerequisiteMissing):
        find_java_home(tmp_path)
