"""Audio checks before anything is transcribed: no audio, silence, over five minutes, not audio at all."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np
import pytest

from chains.speech import audio
from chains.speech.audio import AudioError


def tone(seconds: float, rate: int = audio.RATE, level: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (level * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


def test_browser_pcm16_at_24k_becomes_16k_float() -> None:
    pcm = (tone(2.0, rate=24000) * 32767).astype("<i2").tobytes()
    samples = audio.from_pcm16(pcm)
    assert samples.dtype == np.float32 and samples.size == 32000
    assert 0.15 < float(np.sqrt(np.mean(samples**2))) < 0.25  # the level survives resampling


def test_no_chunks_at_all_is_the_microphone_line() -> None:
    with pytest.raises(AudioError, match="allow this page to use the microphone"):
        audio.from_pcm16(b"")


def test_over_five_minutes_is_refused_before_any_work() -> None:
    with pytest.raises(AudioError, match="over 5 minutes"):
        audio.from_pcm16(b"\0\0" * (audio.BROWSER_RATE * 301))
    with pytest.raises(AudioError, match="over 5 minutes"):
        audio.check(np.zeros(audio.RATE * 301, dtype=np.float32))


def test_silence_is_refused_and_speech_level_passes() -> None:
    with pytest.raises(AudioError, match="No speech was heard"):
        audio.check(np.zeros(audio.RATE * 3, dtype=np.float32))
    with pytest.raises(AudioError, match="No speech was heard"):
        audio.check(tone(3.0, level=1e-4))  # a muted microphone's hiss
    assert audio.check(tone(3.0)) == pytest.approx(3.0)


def test_a_file_that_is_not_audio_is_one_line(tmp_path: Path) -> None:
    fake = tmp_path / "answer.wav"
    fake.write_text("this is not audio")
    with pytest.raises(AudioError, match=r"answer.wav is not an audio file the coach can read"):
        audio.from_file(fake)
    with pytest.raises(AudioError, match="no such file"):
        audio.from_file(tmp_path / "missing.wav")


def test_wav_round_trip(tmp_path: Path) -> None:
    samples = tone(1.0)
    data = audio.wav_bytes(samples)
    with wave.open(io.BytesIO(data)) as wav:
        shape = (wav.getnchannels(), wav.getsampwidth(), wav.getframerate(), wav.getnframes())
    assert shape == (1, 2, 16000, 16000)
    path = audio.write_wav(samples, tmp_path / "kept" / "a.wav")
    back = audio.from_file(path)
    assert back.size == samples.size and float(np.max(np.abs(back - samples))) < 1e-3
