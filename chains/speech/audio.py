"""Audio in (browser pcm16 chunks or a file), 16 kHz mono float32 out, with the checks an answer needs.

Chainlit 2.12's recorder sends pcm16 mono at 24 kHz whatever ``[features.audio] sample_rate`` says
(measured), so the app's config keeps 24000 and ``BROWSER_RATE`` says the same. Files are decoded by
PyAV (a faster-whisper dependency): WAV, MP3, FLAC, OGG, M4A and the rest of what FFmpeg reads.
"""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np

from core.errors import CoachError

RATE = 16000  # what Whisper and the Silero VAD take
BROWSER_RATE = 24000
MAX_SECONDS = 300.0  # five minutes: far past a good answer (one to three), and bounds memory and time
SILENCE_RMS = 1e-3  # about -60 dBFS: a muted or disconnected microphone


class AudioError(CoachError):
    """A recording or file that cannot be transcribed as an answer; the message is one line for the user."""


TOO_LONG = (
    "The recording ran over 5 minutes, so it was not transcribed: answers work best at one to three "
    "minutes; record a shorter one (or type it)."
)
SILENT = (
    "No speech was heard in the recording: check that the right microphone is selected and not muted, "
    "then record again (or type your answer)."
)
NO_AUDIO = (
    "No audio reached the coach: allow this page to use the microphone (the icon in the address bar), "
    "then press the microphone button again, or type your answer."
)


def max_browser_bytes() -> int:
    """Bytes of pcm16 at the browser's rate in ``MAX_SECONDS`` (chunks past this are not kept)."""
    return int(MAX_SECONDS * BROWSER_RATE) * 2


def from_pcm16(data: bytes, rate: int = BROWSER_RATE) -> np.ndarray:
    """Little-endian pcm16 mono at ``rate`` as 16 kHz float32 samples."""
    if not data:
        raise AudioError(NO_AUDIO)
    if len(data) > int(MAX_SECONDS * rate) * 2:
        raise AudioError(TOO_LONG)
    samples = np.frombuffer(data[: len(data) - len(data) % 2], dtype="<i2").astype(np.float32) / 32768.0
    return resample(samples, rate)


def resample(samples: np.ndarray, rate: int) -> np.ndarray:
    """Resample to 16 kHz (polyphase: 24 kHz -> 16 kHz is 2/3 exactly)."""
    if rate == RATE:
        return samples.astype(np.float32, copy=False)
    from math import gcd

    from scipy.signal import resample_poly

    g = gcd(RATE, rate)
    return resample_poly(samples, RATE // g, rate // g).astype(np.float32)


def from_file(path: Path) -> np.ndarray:
    """Decode an audio file to 16 kHz mono; a file that is missing or not audio is one clear line."""
    if not path.is_file():
        raise AudioError(f"{path}: no such file")
    from faster_whisper.audio import decode_audio

    try:
        samples = decode_audio(str(path), sampling_rate=RATE)
    except Exception as exc:  # PyAV raises its own error types per container and codec
        raise AudioError(
            f"{path.name} is not an audio file the coach can read (use WAV, MP3, FLAC, OGG or M4A)"
        ) from exc
    if samples.size == 0:
        raise AudioError(f"{path.name} holds no audio samples (use WAV, MP3, FLAC, OGG or M4A)")
    return samples


def check(samples: np.ndarray) -> float:
    """The duration in seconds; refuses a recording over five minutes or one with no sound at all."""
    seconds = samples.size / RATE
    if seconds > MAX_SECONDS:
        raise AudioError(TOO_LONG)
    if samples.size == 0 or float(np.sqrt(np.mean(np.square(samples)))) < SILENCE_RMS:
        raise AudioError(SILENT)
    return seconds


def wav_bytes(samples: np.ndarray, rate: int = RATE) -> bytes:
    """The samples as a 16-bit mono WAV file (for a user who chose to keep recordings)."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm)
    return out.getvalue()


def write_wav(samples: np.ndarray, path: Path) -> Path:
    """Keep a recording (only called when the user opted in with COACH_KEEP_RECORDINGS)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(wav_bytes(samples))
    return path
