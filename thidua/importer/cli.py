"""``thidua import FILE --department CODE`` (and ``--template PATH``)."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from contracts import topics
from thidua.importer.run import ACCEPTED, REFUSED, UNCHANGED, Target, import_file
from thidua.importer.template import TEMPLATE, write_template
from thidua.settings import StackSettings


def import_command(
    file: Annotated[
        Path | None, typer.Argument(help="A filled template (.xlsx)", exists=True, dir_okay=False)
    ] = None,
    department: Annotated[
        str | None, typer.Option("--department", "-d", help="The department's code")
    ] = None,
    template: Annotated[
        Path | None, typer.Option(help="Write an empty template here and stop")
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for awards")] = 300.0,
) -> None:
    """Import past titles and decisions (lịch sử khen thưởng) from the XLSX template, through
    the department's ingress topic; prints what became of each row. Importing the same file
    again changes nothing. The template: deploy/templates/lich-su-khen-thuong.xlsx."""
    if template is not None:
        write_template(template)
        typer.echo(f"Đã ghi mẫu nhập lịch sử khen thưởng: {template}")
        return
    if file is None or department is None:
        typer.echo("Cần tệp (.xlsx) và --department; mẫu: " + str(TEMPLATE), err=True)
        raise typer.Exit(2)
    try:
        topics.ingress(department)
    except ValueError:
        typer.echo(f"Mã Sở không hợp lệ: {department!r}", err=True)
        raise typer.Exit(2) from None
    settings = StackSettings()
    target = Target(settings.kafka_bootstrap, settings.database_url)
    with Progress(
        TextColumn("Nhập lịch sử khen thưởng"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=False,
    ) as bar:
        task = bar.add_task("rows", total=None)

        def show(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            outcomes = asyncio.run(
                import_file(file, department, target, timeout=timeout, progress=show)
            )
        except ValueError as exc:  # not the template
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
    counts = Counter(o.status for o in outcomes)
    for outcome in outcomes:
        if outcome.status == REFUSED:
            typer.echo(outcome.line())
    typer.echo(
        f"{file.name}: {len(outcomes)} dòng; đã nhận {counts[ACCEPTED]}, "
        f"không đổi {counts[UNCHANGED]}, từ chối {counts[REFUSED]}"
    )
