"""`xxgk users add|token`: accounts of the web app and API tokens."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from xxgk.cli import app
from xxgk.cli.audit import DEFAULT_URL, DbOption, _open
from xxgk.cli.common import fail

users_app = typer.Typer(
    no_args_is_help=True, help="网页应用的用户与 API 令牌。Users of the web app and API tokens."
)
app.add_typer(users_app, name="users")


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="User name (no spaces).")],
    role: Annotated[str, typer.Option(help="admin, supervisor, office or viewer.")] = "viewer",
    agency: Annotated[str | None, typer.Option(help="The agency of an office user.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    db: DbOption = DEFAULT_URL,
) -> None:
    """Add a user; the password is read from standard input (never from the command line)."""
    from xxgk.web.accounts import add_user

    if not password_stdin:
        fail("give the password on standard input with --password-stdin")
    password = sys.stdin.readline().rstrip("\r\n")
    database = _open(db)
    try:
        account = add_user(database, name, role, password, agency)
    finally:
        database.close()
    print(f"added {account.name} ({account.role}{', ' + account.agency if account.agency else ''})")


@users_app.command("token")
def token(name: Annotated[str, typer.Argument(help="User name.")], db: DbOption = DEFAULT_URL) -> None:
    """Print a new API token for NAME (shown once; only its hash is stored)."""
    from xxgk.web.accounts import issue_token

    database = _open(db)
    try:
        print(issue_token(database, name))
    finally:
        database.close()
