from pathlib import Path

import pytest
from pydantic import ValidationError

from core.settings import Settings, get_settings


def test_defaults_are_offline_and_local(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COACH_DATA_DIR")
    monkeypatch.delenv("COACH_LLM")
    settings = Settings()
    assert settings.llm == "offline"
    assert settings.data_dir == Path(".data")
    assert settings.chroma_host is None
    assert settings.history_db_url.startswith("sqlite+aiosqlite:///")


def test_environment_beats_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("COACH_LLM=ollama:llama3.1\nCOACH_CHROMA_PORT=9000\n")
    monkeypatch.delenv("COACH_LLM")
    from_file = Settings()
    assert from_file.llm == "ollama:llama3.1"
    assert from_file.chroma_port == 9000
    monkeypatch.setenv("COACH_LLM", "openai:gpt-4o-mini")
    assert Settings().llm == "openai:gpt-4o-mini"


@pytest.mark.parametrize(
    ("name", "value"),
    [("COACH_LLM", "gpt-4"), ("COACH_CHROMA_PORT", "99999"), ("COACH_LLM_TIMEOUT", "-1")],
)
def test_bad_values_are_rejected_with_the_setting_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as info:
        Settings()
    assert name.removeprefix("COACH_").lower() in str(info.value)


def test_get_settings_follows_the_test_data_dir(_isolated_data_dir: Path) -> None:
    assert get_settings().data_dir == _isolated_data_dir
    assert get_settings().chroma_dir == _isolated_data_dir / "chroma"


def test_the_cli_names_a_bad_setting_in_one_line() -> None:
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-m", "cli", "postings"], cwd=root, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(root), "COACH_SPEECH_PROMPT": "question"},
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "error: COACH_SPEECH_PROMPT: Input should be 'none', 'initial_prompt' or 'hotwords'"
    )
