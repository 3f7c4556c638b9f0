"""The recogniser's decoding call: the question answered reaches the decoder only as configured.

A fake model stands in for Whisper (it records its keyword arguments and returns one segment), so this
runs in milliseconds; tests/integration/test_speech.py runs the real model.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from chains.speech import transcriber
from chains.speech.transcriber import Transcriber, decoding_prompt
from tests.unit.test_speech_audio import tone

QUESTION = "Tell me about a time you trained or mentored new staff."


class FakeWhisper:
    """Records each ``transcribe`` call's keyword arguments; hears one short sentence."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def transcribe(self, samples: np.ndarray, **options: Any) -> tuple[Any, Any]:
        self.calls.append(options)
        words = [SimpleNamespace(word=w, start=0.5 * i, end=0.5 * i + 0.4)
                 for i, w in enumerate(["I", "trained", "four", "new", "nurses."])]
        return iter([SimpleNamespace(text=" I trained four new nurses.", words=words)]), None


def test_the_question_is_a_hint_only_in_the_configured_form() -> None:
    assert decoding_prompt(QUESTION, "none") == {}
    assert decoding_prompt(QUESTION, "initial_prompt") == {"initial_prompt": QUESTION}
    assert decoding_prompt(QUESTION, "hotwords") == {"hotwords": QUESTION}
    assert decoding_prompt("  Why   this\n role? ", "hotwords") == {"hotwords": "Why this role?"}
    assert decoding_prompt("", "initial_prompt") == {} and decoding_prompt(None, "hotwords") == {}


@pytest.mark.parametrize("prompting", ["none", "initial_prompt", "hotwords"])
def test_transcribe_passes_the_question_to_the_decoder(
    prompting: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transcriber, "speech_segments", lambda samples: [(0.0, 2.5)])
    recogniser = Transcriber(tmp_path, prompting=prompting)
    fake = FakeWhisper()
    recogniser._model = fake  # loaded: no weights are read
    try:
        heard = recogniser.transcribe(tone(3.0), QUESTION)
        recogniser.transcribe(tone(3.0))  # no question known: no hint, whatever the setting
    finally:
        recogniser.close()
    assert heard.text == "I trained four new nurses." and heard.delivery.words == 5
    hinted, plain = fake.calls
    assert {k: hinted[k] for k in ("initial_prompt", "hotwords") if k in hinted} == decoding_prompt(
        QUESTION, prompting
    )
    assert "initial_prompt" not in plain and "hotwords" not in plain
    assert hinted["language"] == "en" and hinted["word_timestamps"] is True


async def test_run_in_the_worker_takes_the_question_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transcriber, "speech_segments", lambda samples: [(0.0, 2.5)])
    recogniser = Transcriber(tmp_path, prompting="initial_prompt")
    fake = FakeWhisper()
    recogniser._model = fake
    try:
        await recogniser.run(tone(3.0), QUESTION)
    finally:
        recogniser.close()
    assert fake.calls[0]["initial_prompt"] == QUESTION


def test_the_setting_is_off_by_default_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    from core.settings import Settings

    monkeypatch.delenv("COACH_SPEECH_PROMPT", raising=False)
    assert Settings(_env_file=None).speech_prompt == "none"  # type: ignore[call-arg]
    monkeypatch.setenv("COACH_SPEECH_PROMPT", "hotwords")
    assert Settings(_env_file=None).speech_prompt == "hotwords"  # type: ignore[call-arg]
    monkeypatch.setenv("COACH_SPEECH_PROMPT", "question")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)  # type: ignore[call-arg]


async def test_the_model_loads_on_first_use_in_the_worker_and_the_event_loop_keeps_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio
    import threading
    import time

    import faster_whisper

    threads: list[str] = []

    class SlowWhisper(FakeWhisper):
        def __init__(self, folder: str, **options: Any) -> None:
            super().__init__()
            time.sleep(0.3)  # blocking, as the real load and decode are (they hold a core, not the loop)
            threads.append(threading.current_thread().name)

        def transcribe(self, samples: np.ndarray, **options: Any) -> tuple[Any, Any]:
            time.sleep(0.3)
            threads.append(threading.current_thread().name)
            return super().transcribe(samples, **options)

    monkeypatch.setattr(faster_whisper, "WhisperModel", SlowWhisper)
    monkeypatch.setattr(transcriber, "model_dir", lambda data_dir: tmp_path)
    monkeypatch.setattr(transcriber, "speech_segments", lambda samples: [(0.0, 2.5)])
    recogniser = Transcriber(tmp_path)
    assert not recogniser.loaded  # nothing is loaded until the first answer
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.02)
            ticks += 1

    ticker = asyncio.create_task(tick())
    try:
        heard = await recogniser.run(tone(3.0), QUESTION)
    finally:
        ticker.cancel()
        recogniser.close()
    assert heard.text and recogniser.loaded
    assert len(threads) == 2 and all(name.startswith("speech") for name in threads)
    assert ticks >= 10  # 0.6 s of blocking work, and the loop ran all along


def test_a_file_over_five_minutes_or_silent_is_one_line_naming_it(tmp_path: Path) -> None:
    from chains.speech import audio
    from chains.speech.audio import AudioError

    long = audio.write_wav(tone(301.0), tmp_path / "long.wav")
    quiet = audio.write_wav(np.zeros(audio.RATE * 5, dtype=np.float32), tmp_path / "quiet.wav")
    recogniser = Transcriber(tmp_path)
    try:
        with pytest.raises(AudioError) as over:
            recogniser.transcribe_file(long)
        with pytest.raises(AudioError) as silent:
            recogniser.transcribe_file(quiet)
    finally:
        recogniser.close()
    assert str(over.value) == (
        "long.wav is over 5 minutes, so it was not transcribed: answers work best at one to three minutes"
    )
    assert str(silent.value) == "quiet.wav: no speech was heard in it"
    assert not recogniser.loaded  # refused before the model was needed
