"""`xxgk rules`: the rule catalogue, from the same data the checker runs."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from xxgk.check import markdown_table, rules
from xxgk.cli import app
from xxgk.cli.common import stdout


class RulesFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


@app.command("rules")
def rules_command(
    output: Annotated[
        RulesFormat, typer.Option("--format", "-f", help="table, json, or markdown (the README's table).")
    ] = RulesFormat.table,
) -> None:
    """列出全部核查规则。Print the rule catalogue (ids, severities, scopes, sources)."""
    if output is RulesFormat.json:
        stdout.out(json.dumps([r.as_dict() for r in rules()], ensure_ascii=False, indent=2), highlight=False)
        return
    if output is RulesFormat.markdown:
        stdout.out(markdown_table(), end="", highlight=False)
        return
    table = Table(title="xxgk 核查规则 / rule catalogue", title_justify="left")
    for name in ("id", "级别 severity", "范围 scope", "规则", "rule", "来源 source"):
        table.add_column(name, overflow="fold")
    for r in rules():
        table.add_row(r.id, r.severity, r.scope, r.title_zh, r.title_en, r.source)
    stdout.print(table)
