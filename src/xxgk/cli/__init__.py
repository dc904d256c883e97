"""The `xxgk` command: a thin Typer layer over the library. One module per command.

Each command module registers itself on `app`; `main` turns a user's mistake (a ReportFileError,
an unreadable file) into a one-line message and exit code 2 instead of a traceback.
"""

from __future__ import annotations

import importlib
import sys

import typer

app = typer.Typer(
    name="xxgk",
    help="读取、核查、审计政府信息公开工作年度报告。Read, check and audit government information disclosure annual reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

# Command modules, imported for their @app.command registrations. Each lives in xxgk/cli/<name>.py.
COMMAND_MODULES = (
    "check",
    "rules",
    "schema",
    "extract",
    "render",
    "samples",
    "audit",
    "register",
    "workdays",
    "compile",
)


def _register() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"xxgk.cli.{name}")


_register()


def main() -> None:
    """Entry point of the `xxgk` script."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("xxgk: interrupted\n")
        raise SystemExit(130) from None
