"""The `xxgk` command: a thin Typer layer over the library. One module per command.

Each command module registers itself on `app`. A user's mistake takes one path (as in
sqlite-utils): the library raises an `XxgkError` (xxgk/errors.py) and the top-level group turns it
into one line on stderr and exit code 2 — never a traceback. Commands catch an error themselves
only to add to it (a hint, a per-file summary) or to go on with the other inputs.

Command modules are imported lazily (issue 16): `xxgk --help` lists the commands from
`COMMAND_HELP` without importing them, and `xxgk rules` imports only `xxgk.cli.rules` — not the
extractor, the database layer or the renderer. A command missing from `COMMAND_HELP` is simply
imported up front (tests/foundation/test_cli_lazy.py keeps the summaries equal to the commands'
own help).
"""

from __future__ import annotations

import importlib
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from xxgk import __version__
from xxgk.cli import help as _help
from xxgk.cli.common import fail
from xxgk.errors import XxgkError

# Command modules, imported for their @app.command registrations. Each lives in xxgk/cli/<name>.py.
COMMAND_MODULES = (
    "check",
    "rules",
    "schema",
    "extract",
    "render",
    "samples",
    "audit",
    "serve",
    "users",
    "register",
    "workdays",
    "compile",
)
# The first line of each command's help, shown by `xxgk --help` without importing the module.
COMMAND_HELP = {
    "check": "核查年报：勾稽关系、模板版本、完整性、跨年度衔接。Check reports against every rule.",
    "rules": "列出全部核查规则。Print the rule catalogue (ids, severities, scopes, sources).",
    "schema": "输出年报 JSON 的 JSON Schema。Print the JSON Schema of xxgk-report/1.",
    "extract": "读取年报（HTML/文本/Markdown/PDF/DOCX）并输出报告 JSON。Read annual reports and print report JSON.",
    "render": "把报告 JSON 渲染成测试文档。Render a report JSON into one of the layouts real reports come in.",
    "samples": "生成样本年报（多机关、多年度、各种版式、植入错误）及 manifest.json。Write a sample corpus.",
    "audit": "审计年报语料：抽取、核查、跨年度比对、输出审计报告。Audit a corpus of annual reports.",
    "serve": "网页应用与 REST API。Serve the web app and REST API (Chinese UI, English available).",
    "users": "网页应用的用户与 API 令牌。Users of the web app and API tokens.",
    "register": "依申请公开登记台账：导入、期限、核查、导出。The application register: import, deadlines, findings, export.",
    "workdays": "工作日历（法定节假日与调休上班日）。The working-day calendar: holidays and make-up working days.",
    "compile": "由登记台账生成年度报告。Compile the year's annual report from the register.",
}


def load_command(name: str) -> Any:
    """Import xxgk/cli/<name>.py and return its (click) command, as Typer builds it."""
    importlib.import_module(f"xxgk.cli.{name}")
    group = typer.main.get_command(app)
    assert isinstance(group, LazyGroup)
    command = group.commands[name]
    if isinstance(command, LazyCommand):  # the module registered nothing under that name
        raise RuntimeError(f"xxgk.cli.{name} registers no command {name!r}")
    return command


class LazyCommand(TyperCommand):
    """Stands for a command in the listing; the module is imported when the command runs."""

    rich_help_panel: str | None = None

    def __init__(self, name: str, help: str) -> None:
        super().__init__(name, help=help, short_help=help)
        self._real: Any = None

    @property
    def real(self) -> Any:
        if self._real is None:
            assert self.name is not None
            self._real = load_command(self.name)
        return self._real

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        return self.real.make_context(info_name, args, parent=parent, **extra)

    def get_help(self, ctx: Any) -> str:
        return str(self.real.get_help(ctx))


class LazyGroup(TyperGroup):
    """The top-level group: registered commands as Typer built them, the others as LazyCommand."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in COMMAND_MODULES:
            if name not in self.commands:
                self.commands[name] = LazyCommand(name, COMMAND_HELP[name])

    def invoke(self, ctx: Any) -> Any:
        """Run the command; the one error path: an XxgkError becomes `xxgk: <message>`, exit 2."""
        try:
            return super().invoke(ctx)
        except XxgkError as exc:
            fail(str(exc))

    def list_commands(self, ctx: Any) -> list[str]:
        return [n for n in COMMAND_MODULES if n in self.commands] + [
            n for n in self.commands if n not in COMMAND_MODULES
        ]


_help.apply()

app = typer.Typer(
    name="xxgk",
    cls=LazyGroup,
    help="读取、核查、审计政府信息公开工作年度报告。Read, check and audit government information disclosure annual reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"xxgk {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """读取、核查、审计政府信息公开工作年度报告。Read, check and audit government information disclosure annual reports."""


def _register() -> None:
    for name in COMMAND_MODULES:
        if name not in COMMAND_HELP:
            importlib.import_module(f"xxgk.cli.{name}")


_register()


def main() -> None:
    """Entry point of the `xxgk` script."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("xxgk: interrupted\n")
        raise SystemExit(130) from None
