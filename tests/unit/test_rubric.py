"""The rubric file is typed: a missing, misspelled or unknown key fails at start and names the key."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from chains.critic.rubric import RUBRIC_PATH, RubricError, load_rubric, parse_rubric, read_rubric
from tests.conftest import REPO_ROOT


def _data() -> dict[str, Any]:
    return yaml.safe_load(RUBRIC_PATH.read_text(encoding="utf-8"))


def test_the_projects_rubric_loads_and_is_versioned() -> None:
    rubric = load_rubric()
    assert rubric.version >= 4 and rubric.bands.strong > rubric.bands.fair


def test_a_misspelled_key_fails_and_names_it() -> None:
    data = _data()
    data["caps"]["keyword_lst"] = data["caps"].pop("keyword_list")
    with pytest.raises(RubricError, match=r"caps\.keyword_l"):
        parse_rubric(data)


def test_an_unknown_top_level_key_fails_and_names_it() -> None:
    data = {**_data(), "bonus_points": 5}
    with pytest.raises(RubricError, match=r"unknown key: bonus_points"):
        parse_rubric(data)


def test_a_missing_nested_key_fails_and_names_it() -> None:
    data = copy.deepcopy(_data())
    del data["weights"]["medium"]["coverage"]
    with pytest.raises(RubricError, match=r"missing key: weights\.medium\.coverage"):
        parse_rubric(data)


def test_a_wrong_value_fails_and_names_the_key() -> None:
    data = copy.deepcopy(_data())
    data["bands"]["strong"] = "high"
    with pytest.raises(RubricError, match=r"bands\.strong"):
        parse_rubric(data)


def test_an_unreadable_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "rubric.yaml"
    path.write_text("version: [unclosed", encoding="utf-8")
    with pytest.raises(RubricError, match="Cannot read the rubric"):
        read_rubric(path)


def test_the_cli_fails_at_start_with_one_line_on_a_bad_rubric(tmp_path: Path) -> None:
    bad = _data()
    bad["cap"] = bad.pop("caps")
    path = tmp_path / "rubric.yaml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; import chains.critic.rubric as r; "
        f"r.RUBRIC_PATH = Path({str(path)!r}); sys.argv = ['coach', 'postings']; "
        "from cli.main import main; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "rubric.yaml: missing key: caps" in lines[0]
