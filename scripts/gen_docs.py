"""Regenerate the docs that come from code: README's rule table and docs/cli.md (every command's --help).

Run `make docs`. tests/foundation/test_docs.py fails when the committed files differ from this output.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from typer.main import get_command
from typer.testing import CliRunner

from xxgk.check import markdown_table
from xxgk.cli import app

REPO = Path(__file__).resolve().parent.parent


def cli_reference() -> str:
    command = get_command(app)
    runner = CliRunner()
    parts = [
        "# Command reference\n",
        "Generated from the commands' own `--help` by `make docs`; do not edit by hand.\n",
    ]
    names = sorted(command.commands)  # type: ignore[attr-defined]
    for name in names:
        result = runner.invoke(
            app, [name, "--help"], env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}, prog_name="xxgk"
        )
        text = re.sub(r"[ \t]+\n", "\n", result.output).strip()
        parts.append(f"## xxgk {name}\n\n```text\n{text}\n```\n")
    return "\n".join(parts)


def replace_block(text: str, name: str, body: str) -> str:
    start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
    if start not in text or end not in text:
        raise SystemExit(f"README.md lacks the {name} markers")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return head + start + body + end + tail


def main() -> int:
    readme = REPO / "README.md"
    readme.write_text(replace_block(readme.read_text("utf-8"), "rules", markdown_table()), "utf-8")
    (REPO / "docs" / "cli.md").write_text(cli_reference(), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
