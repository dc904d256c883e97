"""`xxgk schema`: the JSON Schema of the report format."""

from __future__ import annotations

import json

from xxgk.cli import app
from xxgk.cli.common import stdout
from xxgk.model import json_schema


@app.command("schema")
def schema_command() -> None:
    """输出年报 JSON 的 JSON Schema。Print the JSON Schema of xxgk-report/1."""
    stdout.out(json.dumps(json_schema(), ensure_ascii=False, indent=2), highlight=False)
