"""``thidua departments``: the departments' Kafka accounts (add, list, rotate, disable, merge)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import httpx
import typer
from confluent_kafka import KafkaException

from contracts import topics
from thidua.auth.machines import MachineLogins, login_file
from thidua.security import acls
from thidua.security.departments import (
    Account,
    DepartmentError,
    Departments,
    display_date,
    provision_services,
)
from thidua.security.kcat import kcat_command
from thidua.settings import StackSettings

T = TypeVar("T")

departments_app = typer.Typer(
    help="Departments' Kafka credentials: add, list, rotate, disable, merge.",
    no_args_is_help=True,
)


def _run(step: Callable[[Departments], T]) -> T:
    try:
        return step(Departments(StackSettings()))
    except DepartmentError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    except KafkaException as exc:
        typer.echo(f"Kafka refused or did not answer: {exc.args[0]}", err=True)
        raise typer.Exit(1) from exc


def _written(code: str, path: Path) -> None:
    typer.echo(f"department {code}: client config (secret, mode 0600) written to {path}")
    typer.echo(f"  try it: {kcat_command(f'-F {path} -L')}")


@departments_app.command("add")
def add(
    code: Annotated[str, typer.Argument(help="The department's code, e.g. sct-gialai.")],
    province: Annotated[str, typer.Option("--province", help="Its province's code.")],
    ministry: Annotated[str, typer.Option("--ministry", help="Its ministry's code.")],
) -> None:
    """Create the department's credential, ingress and rejections topics and ACLs, and write
    a client config for its system."""
    _written(code, _run(lambda d: d.add(code, province, ministry)))


@departments_app.command("list")
def list_(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Every department with an account: code, province, ministry, state, dates."""
    accounts: list[Account] = _run(lambda d: d.list())
    if as_json:
        for a in accounts:
            typer.echo(json.dumps(a.__dict__, ensure_ascii=False))
        return
    header = ("code", "province", "ministry", "state", "created", "rotated", "disabled", "into")
    rows = [header] + [
        (
            a.code,
            a.province,
            a.ministry,
            a.state,
            display_date(a.created),
            display_date(a.rotated),
            display_date(a.disabled),
            a.merged_into or "-",
        )
        for a in accounts
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for row in rows:
        typer.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


@departments_app.command("rotate")
def rotate(code: Annotated[str, typer.Argument(help="The department's code.")]) -> None:
    """A new password (the old one stops working) and a new client config."""
    _written(code, _run(lambda d: d.rotate(code)))


@departments_app.command("disable")
def disable(code: Annotated[str, typer.Argument(help="The department's code.")]) -> None:
    """Delete the department's credential and ACLs; its topics and data stay."""
    _run(lambda d: d.disable(code))
    typer.echo(f"department {code}: credential and ACLs deleted (its topics and data stay)")


@departments_app.command("merge")
def merge(
    code: Annotated[str, typer.Argument(help="The merged-away department's code.")],
    into: Annotated[str, typer.Option("--into", help="Its successor's code (an active account).")],
) -> None:
    """Retire a merged-away department's identity (issue 16): no more writes to its ingress
    topic, its Kafka login and its identity-provider logins (its system's client, its users)
    disabled; its topics and their history kept, readable by the successor. Run it again to
    finish an interrupted merge: every step is idempotent."""
    done = _run(lambda d: d.merge(code, into))
    history = ", ".join(topics.department_topics(code))
    typer.echo(f"department {code} merged into {into}{'' if done else ' (already)'}:")
    typer.echo(f"  Kafka: ACLs and SCRAM login of {acls.department_user(code)} deleted")
    typer.echo(
        f"  Kafka: kept with their history, taken over by {acls.department_user(into)}"
        f" (reads both, may file history dated before the merger on the old ingress): {history}"
    )
    try:
        retired = asyncio.run(MachineLogins().retire(code))
    except (httpx.HTTPError, PermissionError, ValueError) as exc:
        typer.echo(
            f"the identity provider refused or did not answer: {exc}; the Kafka steps are done,"
            " run the command again to disable the logins",
            err=True,
        )
        raise typer.Exit(1) from exc
    client = f"client {retired.client} disabled" if retired.client else "no client"
    users = ", ".join(retired.users) or "none"
    typer.echo(f"  identity provider: {client}; users disabled: {users}")


@departments_app.command("http-client")
def http_client(
    code: Annotated[str, typer.Argument(help="The department's code (or <province>-board).")],
    rotate: Annotated[bool, typer.Option("--rotate", help="A new secret.")] = False,
    remove: Annotated[bool, typer.Option("--remove", help="Delete the client.")] = False,
) -> None:
    """The machine login of the department's system at the HTTP door: a confidential client
    dept-<code> of the identity provider (client credentials), whose tokens may post only for
    <code>. Its secret is written to a 0600 file to hand to the department."""
    logins = MachineLogins()
    try:
        if remove:
            gone = asyncio.run(logins.remove(code))
            typer.echo(f"department {code}: HTTP client {'deleted' if gone else 'not found'}")
            return
        login = asyncio.run(logins.ensure(code, rotate=rotate))
    except (httpx.HTTPError, PermissionError, ValueError) as exc:
        typer.echo(f"the identity provider refused or did not answer: {exc}", err=True)
        raise typer.Exit(1) from exc
    path = login_file(logins.settings.state_dir, code)
    typer.echo(f"department {code}: HTTP client {login.client_id} (secret, mode 0600) in {path}")
    typer.echo(f"  token: POST {login.token_endpoint} grant_type=client_credentials")


@departments_app.command("provision-services")
def provision_services_command() -> None:
    """The services' principals, ACLs and topics (``thidua up`` does it itself; a deployment
    runs it once, as the admin, with THIDUA_KAFKA_<SERVICE>_PASSWORD set)."""
    provision_kafka(StackSettings())
    typer.echo("services' Kafka principals, ACLs and topics provisioned")


def provision_kafka(settings: StackSettings) -> None:
    """What ``thidua up`` does before it starts the services: their principals, ACLs and
    topics (the departments of its scenario follow when it publishes)."""
    try:
        provision_services(settings)
    except (DepartmentError, KafkaException) as exc:
        typer.echo(f"cannot provision Kafka principals and topics: {exc}", err=True)
        raise typer.Exit(1) from exc
