"""The `thidua` command line."""

from __future__ import annotations

import typer

from thidua.stack.cli import stack_app

app = typer.Typer(no_args_is_help=True, help="thidua: event-sourced emulation and commendation.")
app.add_typer(stack_app, name="stack")
