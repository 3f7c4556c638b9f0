"""``coach users``: accounts for the browser app's password login."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from core.errors import CoachError
from core.users import add_user, remove_user, users_file


def register(app: typer.Typer) -> None:
    """Add ``coach users add NAME`` and ``coach users remove NAME`` to the ``coach`` command."""
    users_app = typer.Typer(help="Accounts for the browser app (password login).", no_args_is_help=True)

    @users_app.command("add")
    def add(
        name: Annotated[str, typer.Argument(help="The login name.")],
        file: Annotated[
            Path | None, typer.Option("--file", help="Users file; default COACH_USERS_FILE.")
        ] = None,
        password_stdin: Annotated[
            bool,
            typer.Option("--password-stdin", help="Read the password from standard input (for scripts)."),
        ] = False,
    ) -> None:
        """Add a user (or change their password) in the users file."""
        path = file or users_file()
        if path is None:
            typer.echo("No users file: pass --file PATH or set COACH_USERS_FILE", err=True)
            raise typer.Exit(2)
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            add_user(path, name, password)
        except CoachError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from exc
        typer.echo(f"Saved {name.strip()} in {path}")

    @users_app.command("remove")
    def remove(
        name: Annotated[str, typer.Argument(help="The login name.")],
        file: Annotated[
            Path | None, typer.Option("--file", help="Users file; default COACH_USERS_FILE.")
        ] = None,
    ) -> None:
        """Remove a user: their logins stop working at once, also in a running app."""
        path = file or users_file()
        if path is None:
            typer.echo("No users file: pass --file PATH or set COACH_USERS_FILE", err=True)
            raise typer.Exit(2)
        try:
            removed = remove_user(path, name)
        except CoachError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from exc
        if not removed:
            typer.echo(f"{name.strip()} is not in {path}", err=True)
            raise typer.Exit(1)
        typer.echo(f"Removed {name.strip()} from {path}; their open sessions are refused from now on")

    app.add_typer(users_app, name="users")
