"""The recogniser: Whisper base (int8, CTranslate2) on the CPU, loaded lazily, run in its own worker thread.

Measured on this 2-core machine: load about 2 s (plus about 1 s joining the weights the first time
ever), about 400 MB resident; a 60 s answer takes 5.8 s (8.3 CPU seconds) on a quiet machine with beam
5 and 2 threads (bench/speech.py; docs/benchmarks.md has what beam 1, the VAD filter and a question
hint would change, and why none is used). CTranslate2 and onnxruntime (the Silero VAD) release the
GIL, so a worker thread keeps the event loop free for every other session; one worker, so two
recordings queue instead of sharing two cores and both finishing late.
"""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field

from chains.models import Delivery
from chains.speech import audio, delivery
from chains.speech.delivery import Word
from chains.speech.weights import model_dir

# The VAD's speech segments for pause finding: short padding, so a silence keeps nearly its real length.
_VAD = {"min_silence_duration_ms": 300, "speech_pad_ms": 30, "min_speech_duration_ms": 120}

Prompting = Literal["none", "initial_prompt", "hotwords"]


def decoding_prompt(question: str | None, prompting: Prompting) -> dict[str, str]:
    """The question being answered as a hint to the decoder (faster-whisper's keyword arguments).

    ``initial_prompt`` is read as text said before the answer (first 30 s window only, since each
    window is decoded without the previous one's text); ``hotwords`` goes before every window.
    """
    text = " ".join((question or "").split())
    if prompting == "none" or not text:
        return {}
    return {prompting: text}


class Transcript(BaseModel):
    """What was said and how."""

    text: str = Field(description="The words, as the recogniser wrote them.")
    delivery: Delivery
    seconds: float = Field(default=0.0, description="Wall time the transcription took.")


class Transcriber:
    """One recogniser per process, shared by every session."""

    def __init__(self, data_dir: Path, threads: int = 2, prompting: Prompting = "none") -> None:
        self.data_dir = data_dir
        self.threads = threads
        self.prompting: Prompting = prompting
        self._model: Any = None
        self._lock = threading.Lock()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="speech")

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory (if not, the next transcription loads it first)."""
        return self._model is not None

    def load(self) -> Any:
        """Load the model once (SetupError, one line, when the packaged weights are missing or damaged)."""
        with self._lock:
            if self._model is None:
                from faster_whisper import WhisperModel

                folder = model_dir(self.data_dir)
                self._model = WhisperModel(
                    str(folder), device="cpu", compute_type="int8", cpu_threads=self.threads
                )
            return self._model

    def transcribe(self, samples: np.ndarray, question: str | None = None) -> Transcript:
        """Transcribe 16 kHz samples and measure the delivery (AudioError for silence or over 5 minutes).

        ``question`` is the interview question the answer is for (a hint to the decoder, see
        ``decoding_prompt``).
        """
        started = time.perf_counter()
        duration = audio.check(samples)
        speech = speech_segments(samples)
        if not speech:
            raise audio.AudioError(audio.SILENT)
        model = self.load()
        segments, _ = model.transcribe(
            samples,
            language="en",
            beam_size=5,
            word_timestamps=True,
            condition_on_previous_text=False,  # one misheard phrase must not steer the rest
            **decoding_prompt(question, self.prompting),
        )
        texts: list[str] = []
        words: list[Word] = []
        for segment in segments:
            texts.append(segment.text.strip())
            words += [Word(w.word.strip(), float(w.start), float(w.end)) for w in segment.words or []]
        text = " ".join(t for t in texts if t)
        if not text:
            raise audio.AudioError(audio.SILENT)
        figures = delivery.measure(words, duration, speech)
        return Transcript(text=text, delivery=figures, seconds=round(time.perf_counter() - started, 2))

    def transcribe_file(self, path: Path, question: str | None = None) -> Transcript:
        """Decode and transcribe an audio file (its problems name the file, not a microphone)."""
        samples = audio.from_file(path)
        try:
            return self.transcribe(samples, question)
        except audio.AudioError as exc:
            if str(exc) == audio.SILENT:
                raise audio.AudioError(f"{path.name}: no speech was heard in it") from None
            if str(exc) == audio.TOO_LONG:
                raise audio.AudioError(
                    f"{path.name} is over 5 minutes, so it was not transcribed: answers work best at one to "
                    "three minutes"
                ) from None
            raise

    async def run(self, samples: np.ndarray, question: str | None = None) -> Transcript:
        """``transcribe`` in the worker thread, off the event loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._worker, self.transcribe, samples, question)

    async def warm(self) -> None:
        """Load the model in the worker thread."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._worker, self.load)

    def close(self) -> None:
        """Stop the worker thread."""
        self._worker.shutdown(wait=False, cancel_futures=True)


def speech_segments(samples: np.ndarray) -> list[tuple[float, float]]:
    """Where the Silero VAD (shipped inside faster-whisper) hears speech, as (start, end) seconds."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    found = get_speech_timestamps(samples, VadOptions(**_VAD))
    return [(s["start"] / audio.RATE, s["end"] / audio.RATE) for s in found]
