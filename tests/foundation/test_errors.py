"""One error base class (issue 10 build item 7): every error a user can see is an XxgkError, and
the CLI prints any of them as one line with exit code 2."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import typer
from typer.testing import CliRunner

import xxgk
from xxgk.audit.pipeline import AccountingError
from xxgk.cli import LazyGroup, app
from xxgk.errors import XxgkError
from xxgk.model import ReportFileError

# Not user errors: a bug in xxgk (AccountingError) must surface as a traceback.
BUGS = {AccountingError}


def _error_classes() -> set[type[BaseException]]:
    found: set[type[BaseException]] = set()
    for info in pkgutil.walk_packages(xxgk.__path__, "xxgk."):
        if info.name == "xxgk.__main__":
            continue  # importing it runs the CLI
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, BaseException) and obj.__module__.startswith("xxgk."):
                found.add(obj)
    return found


def test_every_public_error_class_derives_from_xxgk_error() -> None:
    classes = _error_classes()
    assert len(classes) > 15  # the walk saw the library (ReportFileError, RegisterError, …)
    public = {c for c in classes if not c.__name__.startswith("_")} - BUGS
    strays = sorted(f"{c.__module__}.{c.__name__}" for c in public if not issubclass(c, XxgkError))
    assert not strays, f"user-facing errors not deriving from XxgkError: {strays}"
    assert not any(issubclass(c, XxgkError) for c in BUGS)


def test_compatible_bases_are_kept() -> None:
    from xxgk.model import ReportFileError
    from xxgk.readers import NotAReportError
    from xxgk.register import RegisterError

    for cls in (ReportFileError, NotAReportError, RegisterError):
        assert issubclass(cls, ValueError) and issubclass(cls, XxgkError)


def test_any_xxgk_error_of_a_command_is_one_line_and_exit_2() -> None:
    """The path is the group's, not each command's: a command that catches nothing still fails
    cleanly; any other exception (a bug) is not swallowed."""
    probe = typer.Typer(cls=LazyGroup)

    @probe.command("boom")
    def boom(kind: str) -> None:
        if kind == "user":
            raise ReportFileError("x.json: not a report JSON")
        raise AccountingError("a bug")

    @probe.command("quiet")
    def quiet() -> None:  # a second command: Typer makes a group only of two or more
        pass

    result = CliRunner().invoke(probe, ["boom", "user"])
    assert (result.exit_code, result.stderr) == (2, "xxgk: x.json: not a report JSON\n")
    result = CliRunner().invoke(probe, ["boom", "bug"])
    assert isinstance(result.exception, AccountingError)


def test_an_xxgk_error_takes_the_one_cli_path() -> None:
    """A database error from a real command (no per-command handler): one line, exit 2."""
    result = CliRunner().invoke(app, ["workdays", "add", "2025-01-20", "3", "--db", "nosuchscheme://x"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("xxgk: "), result.stderr
    assert "Traceback" not in result.output + result.stderr
