"""Docs generated from code cannot drift, and no command goes undocumented (sqlite-utils' rule)."""

from __future__ import annotations

import importlib.util

from tests.paths import REPO
from typer.main import get_command

from xxgk.cli import app


def _gen_docs():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_docs", REPO / "scripts" / "gen_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_current() -> None:
    committed = (REPO / "docs" / "cli.md").read_text("utf-8")
    assert committed == _gen_docs().cli_reference(), "docs/cli.md drifted: run `make docs`"


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    commands = get_command(app).commands  # type: ignore[attr-defined]
    assert commands
    for name, command in commands.items():
        assert (command.help or "").strip(), f"xxgk {name} has no help text"
        assert f"xxgk {name}" in readme, f"xxgk {name} is not documented in README.md"
