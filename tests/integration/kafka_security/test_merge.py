"""A merged-away department on the real broker and identity provider (issue 16): its Kafka
identity and logins are retired, its history kept, and the successor reads it; the
``departments merge`` command says what it did and refuses what it cannot do."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from aiokafka.errors import TopicAuthorizationFailedError
from typer.testing import CliRunner

from contracts import topics
from tests.integration.kafka_security.conftest import (
    _admin_password,
    connects,
    kcat,
    needs_kcat,
    principal,
    send,
)
from tests.support import eventually, produce, read_topic
from thidua.auth.client import client_credentials, request_token
from thidua.auth.machines import (
    LOCAL_PROVISIONER_SECRET,
    PROVISIONER_CLIENT,
    MachineLogin,
    MachineLogins,
)
from thidua.cli import app
from thidua.es.kafka import KafkaPrincipal
from thidua.security import acls, credentials
from thidua.security.departments import Departments, config_file
from thidua.security.provision import Provisioner
from thidua.settings import StackSettings


async def _dashboard_user(settings: StackSettings, code: str) -> tuple[str, str]:
    """A dashboard login of department ``code`` (attribute ``department``), as an operator
    makes one in the identity provider; returns its username and password."""
    username, password = f"{code}-vanphong", f"pw-{code}-2025"
    issuer = settings.oidc_issuer
    token = await client_credentials(issuer, PROVISIONER_CLIENT, LOCAL_PROVISIONER_SECRET)
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    admin_url = issuer.replace("/realms/", "/admin/realms/", 1)
    async with httpx.AsyncClient(base_url=admin_url, headers=headers, timeout=30) as admin:
        made = await admin.post(
            "/users",
            json={
                "username": username,
                "enabled": True,
                "email": f"{username}@thidua.local",
                "emailVerified": True,
                "firstName": "Văn phòng",
                "lastName": code,
                "attributes": {"department": [code]},
                "credentials": [{"type": "password", "value": password, "temporary": False}],
            },
        )
        made.raise_for_status()
    return username, password


async def _forget_logins(settings: StackSettings, code: str, username: str) -> None:
    token = await client_credentials(
        settings.oidc_issuer, PROVISIONER_CLIENT, LOCAL_PROVISIONER_SECRET
    )
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    admin_url = settings.oidc_issuer.replace("/realms/", "/admin/realms/", 1)
    async with httpx.AsyncClient(base_url=admin_url, headers=headers, timeout=30) as admin:
        for user in (await admin.get("/users", params={"username": username})).json():
            await admin.delete(f"/users/{user['id']}")
    await MachineLogins(settings).remove(code)


async def _password_login(settings: StackSettings, username: str, password: str) -> bool:
    form = {
        "grant_type": "password",
        "client_id": "thidua-cli",
        "username": username,
        "password": password,
    }
    try:
        await request_token(settings.oidc_issuer, form)
        return True
    except PermissionError:
        return False


async def _cli(*args: str) -> Any:
    """``thidua <args>`` (it runs its own event loop: in a thread of its own here)."""
    return await asyncio.to_thread(CliRunner().invoke, app, list(args))


async def _client_login(settings: StackSettings, login: MachineLogin) -> bool:
    try:
        await client_credentials(settings.oidc_issuer, login.client_id, login.client_secret)
        return True
    except PermissionError:
        return False


@needs_kcat
async def test_merge_retires_the_old_identity_keeps_its_history_and_the_successor_reads_it(
    settings: StackSettings, bootstrap: str, departments: Departments, two: tuple[str, str]
) -> None:
    old_code, new_code = two
    old, new = principal(settings, old_code), principal(settings, new_code)
    await send(bootstrap, old, topics.ingress(old_code), b"before the merger")
    await produce(bootstrap, topics.rejections(old_code), [b"refusal of the old"])
    logins = MachineLogins(settings)
    system = await logins.ensure(old_code)
    username, password = await _dashboard_user(settings, old_code)
    try:
        assert await _client_login(settings, system)
        assert await _password_login(settings, username, password)

        result = await _cli("departments", "merge", old_code, "--into", new_code)
        assert result.exit_code == 0, result.output
        assert f"department {old_code} merged into {new_code}:" in result.output
        assert f"client dept-{old_code} disabled; users disabled: {username}" in result.output
        account = departments.get(old_code)
        assert account is not None
        assert (account.state, account.merged_into) == ("merged", new_code)

        # Kafka: the old login is refused, and it has no ACL left: even a credential set again
        # by mistake could not write the old ingress topic.
        await eventually(lambda: connects(bootstrap, old), lambda ok: not ok, what="refused")
        admin = Provisioner(
            bootstrap,
            KafkaPrincipal(credentials.ADMIN, _admin_password(settings)),
            settings.state_dir,
        )
        assert admin.acls_of(f"User:{old.username}") == []
        assert old.username not in admin.users()
        admin.set_password(old.username, old.password)
        admin.await_login(old)
        try:
            with pytest.raises(TopicAuthorizationFailedError):
                await send(bootstrap, old, topics.ingress(old_code), b"after the merger")
        finally:
            admin.delete_user(old.username)
        # The successor writes its own topic, and takes the old identity over: it reads the
        # old one's history and refusals, and may file late history on the old topic (the
        # services refuse there anything dated from the merger, naming the successor).
        await send(bootstrap, new, topics.ingress(new_code), b"the successor")
        await send(bootstrap, new, topics.ingress(old_code), b"late history of the old")
        with pytest.raises(TopicAuthorizationFailedError):
            await send(bootstrap, new, topics.rejections(old_code), b"no refusal of its own")
        for topic, wanted in (
            (topics.ingress(old_code), [b"before the merger", b"late history of the old"]),
            (topics.rejections(old_code), [b"refusal of the old"]),
        ):
            assert [r.value for r in await read_topic(bootstrap, topic)] == wanted  # operator
            group = f"{acls.department_group_prefix(new_code)}history"
            read = kcat(
                "-F", str(config_file(settings.state_dir, new_code)), "-G", group, topic,
                "-o", "beginning", "-e", "-q",
            )  # fmt: skip
            assert read.returncode == 0, read.stderr.decode()
            assert read.stdout.strip() == b"\n".join(wanted)

        # The identity provider: the system's client and the dashboard user are disabled.
        assert not await _client_login(settings, system)
        assert not await _password_login(settings, username, password)

        # Again: nothing changes, said so; unknown departments are clear errors.
        again = await _cli("departments", "merge", old_code, "--into", new_code)
        assert again.exit_code == 0 and "(already)" in again.output, again.output
        unknown = await _cli("departments", "merge", "khong-co", "--into", new_code)
        assert unknown.exit_code == 1 and "no department khong-co" in unknown.output
        nowhere = await _cli("departments", "merge", new_code, "--into", "khong-co")
        assert nowhere.exit_code == 1 and "add the successor first" in nowhere.output
        elsewhere = await _cli("departments", "merge", old_code, "--into", "x-y")
        assert elsewhere.exit_code == 1 and f"merged into {new_code} already" in elsewhere.output
        retired = await _cli("departments", "rotate", old_code)
        assert retired.exit_code == 1 and f"merged into {new_code}" in retired.output
    finally:
        await _forget_logins(settings, old_code, username)
