"""Real speech: espeak-ng says an answer (fillers, numbers, a pause), Whisper base transcribes it offline.

Covers the packaged weights (joined and hash-checked into the test's data dir), `coach transcribe`,
a WAV answer in `coach practice`, and the app's record -> transcript -> score flow. Needs espeak-ng
(`make system-packages` installs it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from chains.speech import audio, weights
from chains.speech.transcriber import Transcriber
from core.errors import SetupError
from tests.unit.test_app_handlers import POSTING, Recorder, _ingest, _pick, app_module, ui  # noqa: F401

FIRST = "Um, in my last role I led a team of five engineers. Uh, we cut the release time by forty percent."
SECOND = "It was, like, a big deal for us, you know, and I like Python."


def espeak(text: str, path: Path) -> np.ndarray:
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is missing: run 'make system-packages' (apt-get install -y espeak-ng)")
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(path), text], check=True, capture_output=True)
    with wave.open(str(path)) as wav:
        rate = wav.getframerate()
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    return pcm.astype(np.float32) / 32768.0, rate  # type: ignore[return-value]


def answer_wav(folder: Path, pause_s: float = 4.0) -> Path:
    """FIRST, a silence of ``pause_s``, then SECOND, as one 22.05 kHz WAV (espeak-ng's rate)."""
    a, rate = espeak(FIRST, folder / "a.wav")
    b, _ = espeak(SECOND, folder / "b.wav")
    joined = np.concatenate([a, np.zeros(int(pause_s * rate), dtype=np.float32), b])
    out = folder / "answer.wav"
    with wave.open(str(out), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes((joined * 32767).astype("<i2").tobytes())
    return out


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return answer_wav(tmp_path_factory.mktemp("speech"))


@pytest.fixture(scope="module")
def recogniser(tmp_path_factory: pytest.TempPathFactory) -> Transcriber:
    t = Transcriber(tmp_path_factory.mktemp("data"))
    yield t
    t.close()


def test_transcript_and_delivery_of_a_spoken_answer(recogniser: Transcriber, spoken: Path) -> None:
    heard = recogniser.transcribe_file(spoken)
    text = heard.text.lower()
    for phrase in ("five engineers", "40%", "release time", "big deal", "i like python"):
        assert phrase in text.replace("5 engineers", "five engineers"), heard.text
    d = heard.delivery
    assert d.fillers == {"um": 1, "uh": 1, "like": 1, "you know": 1}  # "I like Python" is no filler
    assert len(d.long_pauses) == 1 and 3.5 <= d.long_pauses[0].length_s <= 4.6
    assert d.words_per_minute is not None and 120 < d.words_per_minute < 200
    assert 10 < d.duration_s < 25 and d.tip


def test_weights_are_joined_once_and_a_wrong_hash_fails_loudly(
    recogniser: Transcriber, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = weights.model_dir(recogniser.data_dir)  # joined by the test above
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "model.bin", "tokenizer.json",
                                                        "vocabulary.txt"]
    monkeypatch.setattr(weights, "MODEL_SHA256", "0" * 64)
    with pytest.raises(SetupError, match="wrong SHA-256"):
        weights.model_dir(tmp_path)
    assert not list((tmp_path / "speech" / "whisper-base-int8").glob("*.tmp"))
    monkeypatch.setattr(weights, "PACKAGES", ("no_such_whisper_part1", "no_such_whisper_part2"))
    with pytest.raises(SetupError, match="needs the package no-such-whisper-part1"):
        weights.model_dir(tmp_path)


def test_coach_transcribe_json(spoken: Path, recogniser: Transcriber, tmp_path: Path) -> None:
    env = {"COACH_DATA_DIR": str(recogniser.data_dir), "PATH": "/usr/bin:/bin"}
    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "cli", "transcribe", str(spoken), "--json"]
    result = subprocess.run(command, cwd=root, env={**env, "PYTHONPATH": str(root)},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"text", "duration_s", "words_per_minute", "fillers", "long_pauses"} <= set(data)
    assert data["fillers"]["um"] == 1 and len(data["long_pauses"]) == 1
    assert set(data["long_pauses"][0]) == {"start_s", "length_s"}
    bad = tmp_path / "notes.wav"
    bad.write_text("not audio")
    result = subprocess.run([sys.executable, "-m", "cli", "transcribe", str(bad)], cwd=root,
                            env={**env, "PYTHONPATH": str(root)}, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: notes.wav is not an audio file the coach can read (use WAV, MP3, FLAC, OGG or M4A)"
    )


def test_coach_practice_takes_a_wav_answer_and_shows_its_delivery(spoken: Path) -> None:
    from tests.commands import COACH
    from tests.engine_fixtures import ingest

    posting = ingest()
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [*COACH, "practice", posting.id, "--questions", "1", "--no-follow-ups"], input=f"{spoken}\n",
        cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Loading the speech model (first spoken answer only)..." in out
    heard = next(line for line in out.splitlines() if line.startswith("Heard: "))
    assert "release time" in heard.lower() and "big deal" in heard.lower(), heard
    assert re.search(r"Score \d+/100", out), out
    line = next(line for line in out.splitlines() if line.startswith("Delivery (not part of the score): "))
    assert "you know 1" in line and re.search(r"long pauses: \d\.\d s at", line), line
    assert "## Delivery (spoken answers)" in out and "- Long pauses (3 s or more): 1" in out  # the summary
    missing = subprocess.run(
        [*COACH, "practice", posting.id, "--questions", "1"], input="/nowhere/answer.wav\n/quit\n",
        cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True, text=True, timeout=600,
    )
    assert missing.returncode == 0 and "Note: /nowhere/answer.wav: no such file" in missing.stdout


def _browser_chunks(path: Path) -> list[bytes]:
    """The WAV as the browser's recorder sends it: pcm16 mono at 24 kHz, in 0.1 s chunks."""
    from scipy.signal import resample_poly

    samples, rate = espeak(FIRST, path)
    pcm = (np.clip(resample_poly(samples, audio.BROWSER_RATE, rate), -1, 1) * 32767).astype("<i2").tobytes()
    step = audio.BROWSER_RATE // 10 * 2
    return [pcm[i : i + step] for i in range(0, len(pcm), step)]


@pytest.mark.parametrize("keep", [False, True])
async def test_a_recording_is_stored_only_when_the_user_keeps_recordings(
    ui: Any, keep: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    import chainlit as cl

    from core.settings import get_settings

    monkeypatch.setenv("COACH_KEEP_RECORDINGS", "true" if keep else "false")
    get_settings.cache_clear()
    ui.app.transcriber.cache_clear()  # the recogniser is on this test's data dir
    settings = get_settings()
    chunks = _browser_chunks(tmp_path / "first.wav")
    await _pick(ui, _ingest(POSTING, "acme.txt"))
    rec: Recorder = ui.rec
    rec.reset()
    try:
        assert await ui.app.on_audio_start() is True
        for data in chunks:
            await ui.app.on_audio_chunk(cl.InputAudioChunk(isStart=False, mimeType="pcm16", elapsedTime=0.0,
                                                           data=data))
        await ui.app.on_audio_end()
    finally:
        ui.app.transcriber().close()
        ui.app.transcriber.cache_clear()
    [heard] = [m for m in rec.events("new_message") if m.get("type") == "user_message"]
    assert "release time" in heard["output"].lower(), heard["output"]
    offer = rec.last("Score this answer")["output"]
    stored = sorted(settings.data_dir.rglob("*.wav"))
    if not keep:
        assert stored == [] and not settings.recordings_dir.exists()
        assert "not stored" in offer
        return
    thread = rec.session.thread_id  # type: ignore[attr-defined]
    assert [p.parent for p in stored] == [settings.recordings_dir / thread]
    with wave.open(str(stored[0])) as wav:
        assert (wav.getframerate(), wav.getnchannels()) == (audio.RATE, 1)
        sent_s = sum(len(c) for c in chunks) / 2 / audio.BROWSER_RATE
        assert abs(wav.getnframes() / audio.RATE - sent_s) < 0.01  # the whole recording, not a part
    assert "Recordings are kept" in offer
