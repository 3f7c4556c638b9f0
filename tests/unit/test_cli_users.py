from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from cli import users as users_cli
from core import users


def test_cli_users_add(tmp_path: Path) -> None:
    app = typer.Typer()
    users_cli.register(app)
    app.command("noop")(lambda: None)  # a second command keeps 'users' a subcommand
    path = tmp_path / "users.txt"
    result = CliRunner().invoke(
        app, ["users", "add", "dana", "--file", str(path), "--password-stdin"], input="dana-password\n"
    )
    assert result.exit_code == 0, result.output
    assert users.verify_password("dana-password", users.load_users(path)["dana"])
    bad = CliRunner().invoke(
        app, ["users", "add", "bad name", "--file", str(path), "--password-stdin"], input="dana-password\n"
    )
    assert bad.exit_code == 1 and "not a valid user name" in bad.output
