"""Speech benchmark: word error rate, real-time factor and memory of the offline recogniser.

    PYTHONPATH=. .venv/bin/python bench/speech.py

espeak-ng speaks a small set of interview answers with fillers, numbers and pauses; Whisper base
(int8, 2 threads) transcribes each; WER is computed after normalising case, punctuation and numbers
(Whisper writes "40%", the reference says "forty percent"). A 60 s answer (the set's answers joined
with pauses) is timed on its own. Targets: WER <= 5% on the set, 60 s answer <= 10 s.
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from chains.speech import audio  # noqa: E402
from chains.speech.transcriber import Transcriber  # noqa: E402

ANSWERS = [
    "Um, in my last role I ran the support team of twelve people. We cut the average reply time from "
    "nine hours to two hours in one quarter.",
    "Uh, the situation was a release that kept slipping. I split the work into three milestones, you know, "
    "and we shipped on time for six months in a row.",
    "I like working with data. At the bank I built a report that, like, saved the analysts about twenty "
    "hours a week.",
    "When two colleagues disagreed about the design, I asked each of them to write one page. Um, we picked "
    "the simpler option and it cut the cost by thirty percent.",
    "My manager asked me to train four new nurses. I wrote a checklist, uh, paired each of them with a "
    "mentor, and all four passed their review in eight weeks.",
    "The customer was angry about a late delivery. I listened, apologised, and offered a refund of fifty "
    "pounds. She stayed with us and ordered again the next month.",
]
PAUSE_S = 3.5  # between the sentences of the 60 s answer
_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen"]
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()  # noqa: SIM905


def number_words(n: int) -> str:
    if n < 20:
        return _UNITS[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _UNITS[n % 10])
    if n < 1000:
        rest = n % 100
        return _UNITS[n // 100] + " hundred" + ("" if rest == 0 else " " + number_words(rest))
    return str(n)


def normalise(text: str) -> list[str]:
    text = text.lower().replace("%", " percent").replace("£", " pounds ")
    text = re.sub(r"(\d+)", lambda m: " " + number_words(int(m.group(1))) + " ", text)
    text = re.sub(r"[^a-z' ]+", " ", text).replace("apologized", "apologised")
    return text.split()


def wer(reference: str, hypothesis: str) -> tuple[int, int]:
    """(edit distance in words, reference words)."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[len(hyp)], len(ref)


def speak(text: str, folder: Path, name: str, speed: int = 150) -> np.ndarray:
    path = folder / f"{name}.wav"
    subprocess.run(["espeak-ng", "-s", str(speed), "-w", str(path), text], check=True, capture_output=True)
    return audio.from_file(path)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="coach-bench-speech-") as tmp:
        folder = Path(tmp)
        recogniser = Transcriber(folder / "data")
        started = time.perf_counter()
        recogniser.load()
        load_s = time.perf_counter() - started
        clips = [speak(text, folder, f"a{i}") for i, text in enumerate(ANSWERS)]
        errors = words = 0
        audio_s = wall_s = 0.0
        fillers_found = 0
        for text, clip in zip(ANSWERS, clips, strict=True):
            heard = recogniser.transcribe(clip)
            e, n = wer(text, heard.text)
            errors, words = errors + e, words + n
            audio_s += clip.size / audio.RATE
            wall_s += heard.seconds
            fillers_found += sum(heard.delivery.fillers.values())
            print(f"  {e}/{n}  {heard.text}")
        gap = np.zeros(int(PAUSE_S * audio.RATE), dtype=np.float32)
        long = np.concatenate([part for clip in clips for part in (clip, gap)])
        while long.size / audio.RATE < 60:
            long = np.concatenate([long, long])
        long = long[: 60 * audio.RATE]
        heard = recogniser.transcribe(long)
        slow_errors = 0
        for i, text in enumerate(ANSWERS):  # espeak-ng's voice is clearer slower: the same set at 130 wpm
            slow_errors += wer(text, recogniser.transcribe(speak(text, folder, f"s{i}", speed=130)).text)[0]
        recogniser.close()
    rate = errors / words
    fillers_said = 7  # um x2, uh x2, you know, like (the filler), um: "I like working" is no filler
    rows = [
        ("WER on 6 spoken answers (espeak-ng 150 wpm)", f"{rate:.1%}", "<= 5%", rate <= 0.05),
        ("WER, same set at 130 wpm", f"{slow_errors / words:.1%}", "<= 5%", slow_errors / words <= 0.05),
        ("real-time factor (6 answers)", f"{wall_s / audio_s:.3f}", "-", True),
        ("60 s answer: transcription", f"{heard.seconds:.1f} s", "<= 10 s", heard.seconds <= 10),
        ("60 s answer: long pauses found", str(len(heard.delivery.long_pauses)), "-", True),
        ("fillers found / said", f"{fillers_found}/{fillers_said}", "-", True),
        ("model load", f"{load_s:.1f} s", "-", True),
        ("peak RSS", f"{rss_mb():.0f} MB", "-", True),
    ]
    print("| metric | value | target | pass/fail |\n|---|---:|---|---|")
    for name, value, target, ok in rows:
        print(f"| {name} | {value} | {target} | {'pass' if ok else 'FAIL'} |")


if __name__ == "__main__":
    main()
