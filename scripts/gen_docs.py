"""Regenerate the docs that come from code: README's rule table, its examples, and docs/cli.md.

- `<!-- rules:start -->…<!-- rules:end -->`: the rule catalogue (`xxgk rules --format markdown`);
- `<!-- example: COMMAND -->` followed by a ```text block: COMMAND is run (bash, from the repo root,
  with the project's virtualenv first on PATH, after removing build/ so they show a first run) and
  the block is replaced by what it printed;
- docs/cli.md: every command's `--help`.

Run `make docs`. tests/foundation/test_docs.py fails when the rule table or docs/cli.md differ from
this output (examples include timings, so they are refreshed, not compared).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
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


EXAMPLE = re.compile(r"(<!-- example: (?P<cmd>.+?) -->\n```text\n)(?P<body>.*?)(```)", re.S)


def run_examples(text: str) -> str:
    env = {
        **os.environ,
        "COLUMNS": "100",
        "NO_COLOR": "1",
        "TERM": "dumb",
        "PATH": f"{REPO / '.venv' / 'bin'}:{os.environ['PATH']}",
    }

    def run(match: re.Match[str]) -> str:
        cmd = match["cmd"]
        done = subprocess.run(
            ["bash", "-c", cmd], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
        )
        output = re.sub(r"[ \t]+\n", "\n", done.stdout + done.stderr).rstrip() + "\n"
        return f"{match[1]}$ {cmd}\n{output}{match[4]}"

    return EXAMPLE.sub(run, text)


def main() -> int:
    readme = REPO / "README.md"
    text = replace_block(readme.read_text("utf-8"), "rules", markdown_table())
    if "--no-examples" not in sys.argv:
        shutil.rmtree(REPO / "build", ignore_errors=True)  # examples show a first run, as on a fresh clone
        text = run_examples(text)
    readme.write_text(text, "utf-8")
    (REPO / "docs" / "cli.md").write_text(cli_reference(), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
