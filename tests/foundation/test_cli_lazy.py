"""Lazy command imports (issue 16): `xxgk --help` lists every command without importing them,
and the listed summaries are the commands' own."""

from __future__ import annotations

import subprocess
import sys

import pytest

from xxgk.cli import COMMAND_HELP, COMMAND_MODULES, load_command


@pytest.mark.parametrize("name", COMMAND_MODULES)
def test_listed_summary_is_the_first_line_of_the_commands_help(name: str) -> None:
    real = load_command(name)
    assert (real.help or "").strip().splitlines()[0] == COMMAND_HELP[name]


def test_help_imports_no_command_module() -> None:
    probe = (
        "import sys\n"
        "from xxgk.cli import app\n"
        "try:\n"
        "    app(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('xxgk.extract', 'xxgk.check', 'sqlalchemy', 'xxgk.cli.audit', 'xxgk.render')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert "audit" in out and "extract" in out  # the listing itself
    assert out.strip().splitlines()[-1] == "HEAVY []"
