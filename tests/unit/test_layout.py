"""The layout's rules (docs/architecture.md), checked on the source: who may import whom."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

PROJECT = ("core", "knowledge", "chains", "prompts", "ui", "cli")


def _imports(path: Path) -> set[str]:
    """Top-level names of every module ``path`` imports, lazily inside functions too."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def _modules(package: str) -> list[Path]:
    return sorted((REPO_ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", ["core", "knowledge", "chains", "prompts"])
def test_the_engine_and_the_postings_know_no_screen(package: str) -> None:
    offenders = [str(p.relative_to(REPO_ROOT)) for p in _modules(package) if "chainlit" in _imports(p)]
    assert offenders == []


@pytest.mark.parametrize(
    ("package", "allowed"),
    [
        ("core", {"core"}),
        ("knowledge", {"core", "knowledge"}),
        ("prompts", {"core", "prompts"}),
        ("chains", {"core", "knowledge", "prompts", "chains"}),
        ("ui", {"core", "knowledge", "prompts", "chains", "ui"}),
    ],
)
def test_each_part_imports_only_the_parts_below_it(package: str, allowed: set[str]) -> None:
    offenders = {
        str(p.relative_to(REPO_ROOT)): sorted((_imports(p) & set(PROJECT)) - allowed)
        for p in _modules(package)
    }
    assert {path: bad for path, bad in offenders.items() if bad} == {}


def test_nothing_but_the_cli_and_the_tests_import_the_cli() -> None:
    sources = [REPO_ROOT / "app.py", *(p for part in PROJECT if part != "cli" for p in _modules(part))]
    assert [str(p.relative_to(REPO_ROOT)) for p in sources if "cli" in _imports(p)] == []


def test_no_package_folder_holds_more_than_a_dozen_modules() -> None:
    folders = {p.parent for part in PROJECT for p in _modules(part)}
    crowded = {
        str(folder.relative_to(REPO_ROOT)): n
        for folder in folders
        if (n := len([p for p in folder.glob("*.py") if p.name != "__init__.py"])) > 12
    }
    assert crowded == {}
