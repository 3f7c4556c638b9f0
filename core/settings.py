"""One typed settings object, read from the environment (prefix ``COACH_``) and ``.env``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.errors import SetupError


class Settings(BaseSettings):
    """Configuration of the coach. Every field can be set as ``COACH_<NAME>`` or in ``.env``."""

    model_config = SettingsConfigDict(
        env_prefix="COACH_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(
        default=Path(".data"),
        description="Where the Chroma store, chat history and session checkpoints live.",
    )
    cache_dir: Path = Field(
        default_factory=lambda: Path.home() / ".cache" / "interview-coach",
        description="Derived files safe to share and delete: the competency library's embeddings, "
        "keyed by the library's text and the model (computing them costs 5-25 s per process).",
    )
    embeddings_model: Path | None = Field(
        default=None,
        description="A local sentence-transformers folder; default: the packaged all-MiniLM-L6-v2.",
    )
    embed_threads: int = Field(
        default=1, ge=1, le=64, description="Torch threads for embeddings (1 is fastest under load)."
    )
    scoring_processes: int = Field(
        default=1, ge=0, le=16,
        description="Processes that score answers in the browser app (0: in the app's own process).",
    )
    chroma_host: str | None = Field(
        default=None, description="Chroma server host; unset means the embedded store under data_dir."
    )
    chroma_port: int = Field(default=8000, ge=1, le=65535, description="Chroma server port.")
    llm: str = Field(
        default="offline",
        description="'offline' or 'provider:model' (openai:gpt-4o-mini, anthropic:..., ollama:llama3.1).",
    )
    llm_base_url: str | None = Field(
        default=None, description="OpenAI-compatible base URL (llama.cpp, vLLM, LM Studio)."
    )
    llm_api_key: str | None = Field(default=None, description="API key for the LLM provider, if needed.")
    llm_timeout: float = Field(default=30.0, gt=0, description="Seconds before an LLM call is abandoned.")
    llm_retries: int = Field(default=1, ge=0, le=5, description="Retries of a failed LLM call.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL for chat history; default SQLite under data_dir (PostgreSQL by URL).",
    )
    users_file: Path | None = Field(
        default=None, description="Users file (one 'name:hash' per line) that turns on password login."
    )
    max_file_bytes: int = Field(default=2 * 1024 * 1024, gt=0, description="Largest posting file accepted.")
    allow_open_local_mode: bool = Field(
        default=False,
        description="Allow --host on a non-loopback address without a users file (everyone who reaches "
        "it is the local user); off: the app refuses to start so.",
    )
    keep_recordings: bool = Field(
        default=False,
        description="Keep each spoken answer as a WAV under data_dir/recordings (off: audio is transcribed "
        "in memory and dropped).",
    )
    speech_threads: int = Field(default=2, ge=1, le=64, description="CPU threads of the speech recogniser.")
    speech_prompt: Literal["none", "initial_prompt", "hotwords"] = Field(
        default="none",
        description="Pass the question being answered to the speech decoder as faster-whisper's "
        "initial_prompt or hotwords. Off: on the speech bench either one helped one set and hurt the "
        "other (docs/benchmarks.md).",
    )

    @field_validator("llm")
    @classmethod
    def _llm_form(cls, value: str) -> str:
        value = value.strip()
        if value != "offline" and ":" not in value:
            raise ValueError("COACH_LLM must be 'offline' or 'provider:model', e.g. 'openai:gpt-4o-mini'")
        return value

    @property
    def chroma_dir(self) -> Path:
        """Folder of the embedded Chroma store."""
        return self.data_dir / "chroma"

    @property
    def checkpoint_db(self) -> Path:
        """SQLite file of the LangGraph checkpointer (practice sessions)."""
        return self.data_dir / "sessions.sqlite"

    @property
    def recordings_dir(self) -> Path:
        """Where spoken answers are kept, only when ``keep_recordings`` is on."""
        return self.data_dir / "recordings"

    @property
    def history_db_url(self) -> str:
        """SQLAlchemy URL of Chainlit's chat history."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'history.sqlite').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests call ``get_settings.cache_clear()`` after changing the env)."""
    return Settings()


def check_settings() -> Settings:
    """The settings, or a ``SetupError`` with one line naming each bad ``COACH_*`` value."""
    try:
        return get_settings()
    except ValidationError as exc:
        problems = [
            "COACH_" + "_".join(str(part) for part in error["loc"]).upper() + ": " + error["msg"]
            for error in exc.errors()
        ]
        raise SetupError("; ".join(problems)) from None
