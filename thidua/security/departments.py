"""Departments' Kafka accounts: each department's system authenticates as ``dept-<code>``,
writes only its own ingress topic and reads only its own refusals (``acls.department_grants``).

The registry is a JSON file in the stack's state directory (``departments.json``), beside the
secrets it describes (``secrets/kafka/``) and the client configs it writes
(``departments/<code>.properties``): it is operator state of the Kafka cluster, not business
data (a department's facts live in the services' stores), and the CLI must work while
PostgreSQL is down. Writes are serialised by an flock and replace the file atomically."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from contracts import topics
from thidua.es.kafka import KafkaPrincipal, librdkafka_config, principal_from_env
from thidua.security import acls, credentials
from thidua.security.provision import Provisioner
from thidua.settings import StackSettings

REGISTRY = "departments.json"
CONFIG_DIR = "departments"
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,48}$")

State = Literal["active", "disabled", "merged"]


class DepartmentError(Exception):
    """A request the registry refuses (unknown code, already added, bad code)."""


@dataclass(frozen=True)
class Account:
    code: str
    province: str
    ministry: str
    state: State
    created: str
    """ISO 8601, UTC."""
    rotated: str | None = None
    disabled: str | None = None
    merged_into: str | None = None
    """The successor, once ``thidua departments merge`` retired this account (issue 16)."""
    merged: str | None = None

    @property
    def username(self) -> str:
        return acls.department_user(self.code)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def display_date(stamp: str | None) -> str:
    """dd/mm/yyyy HH:MM (UTC) of an ISO stamp, or '-'."""
    if not stamp:
        return "-"
    return datetime.fromisoformat(stamp).strftime("%d/%m/%Y %H:%M")


def admin_principal(settings: StackSettings) -> KafkaPrincipal:
    """The admin: from the environment (a deployment), else the local stack's."""
    given = principal_from_env(settings.state_dir)
    if given is not None and given.username == credentials.ADMIN:
        return given
    password = credentials.read_password(settings.state_dir, credentials.ADMIN)
    if password is None:
        raise DepartmentError(
            f"no Kafka admin password in {credentials.secrets_dir(settings.state_dir)}:"
            " start the stack first (thidua stack up)"
        )
    return KafkaPrincipal(credentials.ADMIN, password)


def config_file(state_dir: Path, code: str) -> Path:
    return state_dir / CONFIG_DIR / f"{code}.properties"


def department_principal(state_dir: Path, code: str) -> KafkaPrincipal | None:
    """The department's principal as kept in the state directory (None if it has none)."""
    user = acls.department_user(code)
    password = credentials.read_password(state_dir, user)
    return KafkaPrincipal(user, password) if password else None


def render_client_config(config: dict[str, str], code: str) -> str:
    """A librdkafka properties file (``kcat -F``, confluent-kafka, any librdkafka client)."""
    lines = [
        f"# Kafka client configuration of department {code}, written by thidua.",
        "# It holds the department's password: keep it secret (mode 0600).",
        f"# Write: {topics.ingress(code)} (key: {code}). Read: {topics.rejections(code)},"
        f" consumer groups {acls.department_group_prefix(code)}*",
    ]
    if "ssl.ca.location" in config:
        lines.append("# TLS: the brokers' certificates are signed by the CA in ssl.ca.location.")
    return "\n".join([*lines, *(f"{key}={value}" for key, value in config.items()), ""])


class Departments:
    """The registry and the cluster, kept in step (the cluster first: a failure leaves the
    registry as it was, and every step is idempotent, so the command can simply be run again)."""

    def __init__(self, settings: StackSettings, provisioner: Provisioner | None = None) -> None:
        self.settings = settings
        self.state_dir = settings.state_dir
        self._provisioner = provisioner

    @property
    def provisioner(self) -> Provisioner:
        if self._provisioner is None:
            admin = admin_principal(self.settings)
            self._provisioner = Provisioner(
                self.settings.kafka_bootstrap, admin, self.settings.state_dir
            )
        return self._provisioner

    # -- the registry file ----------------------------------------------------------------

    @property
    def registry_file(self) -> Path:
        return self.state_dir / REGISTRY

    @contextlib.contextmanager
    def _locked(self) -> Iterator[dict[str, Account]]:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with open(self.state_dir / f".{REGISTRY}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            accounts = self._read()
            before = dict(accounts)
            yield accounts
            if accounts != before:
                text = json.dumps(
                    {code: asdict(a) for code, a in sorted(accounts.items())},
                    ensure_ascii=False,
                    indent=2,
                )
                draft = self.registry_file.with_name(f".{REGISTRY}.{os.getpid()}")
                draft.write_text(text + "\n")
                os.replace(draft, self.registry_file)

    def _read(self) -> dict[str, Account]:
        if not self.registry_file.is_file():
            return {}
        raw = json.loads(self.registry_file.read_text())
        return {code: Account(**fields) for code, fields in raw.items()}

    def list(self) -> list[Account]:
        return sorted(self._read().values(), key=lambda a: a.code)

    def get(self, code: str) -> Account | None:
        return self._read().get(code)

    # -- operations -----------------------------------------------------------------------

    def add(self, code: str, province: str, ministry: str, *, exist_ok: bool = False) -> Path:
        """Create the department's credential, topics and ACLs and write its client config.
        ``exist_ok``: an active department is provisioned again with its current password
        (``thidua up``), instead of refused."""
        for label, value in (("department", code), ("province", province), ("ministry", ministry)):
            if not _CODE.match(value):
                raise DepartmentError(f"invalid {label} code {value!r} (a-z, 0-9, '-')")
        if code == topics.UNROUTED:
            raise DepartmentError(f"{code!r} is reserved (the operators' unrouted refusals)")
        with self._locked() as accounts:
            known = accounts.get(code)
            if known is not None and known.state == "merged":
                if exist_ok:  # ``thidua up`` again: a retired account stays retired
                    return config_file(self.state_dir, code)
                raise DepartmentError(
                    f"department {code} merged into {known.merged_into}: its account stays"
                    " retired (the successor's account takes over)"
                )
            if known is not None and known.state == "active":
                if not exist_ok:
                    raise DepartmentError(
                        f"department {code} has an account already (rotate, or disable it first)"
                    )
                password = credentials.ensure_password(self.state_dir, known.username)
            else:
                password = credentials.replace_password(self.state_dir, acls.department_user(code))
            principal = KafkaPrincipal(acls.department_user(code), password)
            self.provisioner.create_topics(acls.department_topics(code))
            self.provisioner.set_password(principal.username, password)
            self.provisioner.grant(acls.department_grants(code))
            self.provisioner.await_login(principal)
            path = self._write_config(code, principal)
            if known is None or known.state != "active":
                accounts[code] = Account(code, province, ministry, "active", _now())
            return path

    def rotate(self, code: str) -> Path:
        """A new password: the old one stops working, the config file is written anew."""
        with self._locked() as accounts:
            known = self._active(accounts, code)
            password = credentials.new_password()
            principal = KafkaPrincipal(known.username, password)
            self.provisioner.set_password(known.username, password)
            self.provisioner.await_login(principal)
            credentials.write_secret(
                credentials.password_file(self.state_dir, known.username), password + "\n"
            )
            path = self._write_config(code, principal)
            accounts[code] = replace(known, rotated=_now())
            return path

    def disable(self, code: str) -> None:
        """Delete the credential and the ACLs (the department's topics and data stay)."""
        with self._locked() as accounts:
            known = self._active(accounts, code)
            self.provisioner.delete_user(known.username)
            self.provisioner.revoke_all(f"User:{known.username}")
            credentials.forget_password(self.state_dir, known.username)
            config_file(self.state_dir, code).unlink(missing_ok=True)
            accounts[code] = replace(known, state="disabled", disabled=_now())

    def merge(self, code: str, into: str) -> bool:
        """Retire the account of ``code``, merged into ``into`` (issue 16): its ACLs (no more
        writes to its ingress topic) and its SCRAM credential are deleted, its topics kept with
        their history, and ``into``'s principal may read them (``acls.successor_grants``).
        Idempotent; False when it had been merged into ``into`` already (the steps are applied
        again, so an interrupted merge is finished by running it again)."""
        if code == into:
            raise DepartmentError(f"a department cannot merge into itself ({code})")
        with self._locked() as accounts:
            known = accounts.get(code)
            if known is None:
                raise DepartmentError(f"no department {code} (thidua departments add)")
            if known.state == "merged" and known.merged_into != into:
                raise DepartmentError(f"department {code} merged into {known.merged_into} already")
            successor = accounts.get(into)
            if successor is None:
                raise DepartmentError(
                    f"no department {into}: add the successor first (thidua departments add)"
                )
            if successor.state != "active":
                raise DepartmentError(
                    f"department {into} is {successor.state}: the successor must be active"
                )
            self.provisioner.revoke_all(f"User:{known.username}")
            self.provisioner.delete_user(known.username)
            self.provisioner.grant(acls.successor_grants(code, into))
            credentials.forget_password(self.state_dir, known.username)
            config_file(self.state_dir, code).unlink(missing_ok=True)
            if known.state == "merged":
                return False
            accounts[code] = replace(known, state="merged", merged_into=into, merged=_now())
            return True

    @staticmethod
    def _active(accounts: dict[str, Account], code: str) -> Account:
        known = accounts.get(code)
        if known is None:
            raise DepartmentError(f"no department {code} (thidua departments add)")
        if known.state == "merged":
            raise DepartmentError(f"department {code} merged into {known.merged_into}")
        if known.state != "active":
            raise DepartmentError(f"department {code} is disabled (add it again)")
        return known

    def _write_config(self, code: str, principal: KafkaPrincipal) -> Path:
        path = config_file(self.state_dir, code)
        config = librdkafka_config(self.settings.kafka_bootstrap, principal, self.state_dir)
        if "ssl.ca.location" in config:  # the CA goes with the config to the department
            ca = path.with_name("ca.pem")
            ca.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(config["ssl.ca.location"], ca)
            config["ssl.ca.location"] = str(ca)
        credentials.write_secret(path, render_client_config(config, code))
        return path


def provision_services(settings: StackSettings, provisioner: Provisioner | None = None) -> None:
    """Every service's principal and the HTTP door's (``svc-door``; passwords kept in the state
    directory), their ACLs, and the topics the services use: what ``thidua up`` does before it
    starts them. A service's password is ``THIDUA_KAFKA_<SERVICE>_PASSWORD`` (the door's
    ``THIDUA_KAFKA_DOOR_PASSWORD``) when set (a deployment),
    else the one kept in the state directory (drawn on first use)."""
    work = provisioner or Provisioner(
        settings.kafka_bootstrap, admin_principal(settings), settings.state_dir
    )
    work.create_topics(acls.service_topics())
    accounts = [(acls.service_user(s), s, acls.service_grants(s)) for s in topics.SERVICES]
    accounts.append((acls.DOOR_USER, "door", acls.door_grants()))
    for user, name, grants in accounts:
        given = os.environ.get(f"THIDUA_KAFKA_{name.upper()}_PASSWORD")
        password = given or credentials.ensure_password(settings.state_dir, user)
        work.set_password(user, password)
        work.grant(grants)
        work.await_login(KafkaPrincipal(user, password))


def service_credentials_env(settings: StackSettings, service: str) -> dict[str, str]:
    """The environment a service process authenticates with (its password as a file)."""
    user = acls.service_user(service)
    env = {
        "THIDUA_KAFKA_USERNAME": user,
        "THIDUA_KAFKA_PASSWORD_FILE": str(credentials.password_file(settings.state_dir, user)),
    }
    if service == acls.DOOR_SERVICE:  # its process serves the HTTP door, as ``svc-door``
        door = credentials.password_file(settings.state_dir, acls.DOOR_USER)
        env["THIDUA_DOOR_KAFKA_USERNAME"] = acls.DOOR_USER
        env["THIDUA_DOOR_KAFKA_PASSWORD_FILE"] = str(door)
    return env
