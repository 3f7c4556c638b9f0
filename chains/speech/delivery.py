"""Delivery figures of a spoken answer: duration, pace, filler words, long pauses and one tip.

Pure functions of the word timestamps (from the recogniser) and the speech segments (from the Silero
VAD), so they are tested on synthetic timings. None of this reaches the content score: the critique
scores the words, this only says how they were said.

Thresholds, and why:
- An interview answer should take about one to three minutes (long enough for the situation, what
  you did and the result; past three minutes interviewers stop following).
- Conversational pace is about 130-160 words a minute; under 110 drags, over 170 is hard to follow.
- A pause of a second or two to think is fine; three seconds or more reads as lost. Long pauses are
  found in the VAD's speech segments, not in word-timestamp gaps: the recogniser stretches a word's
  end over the silence after it, so word gaps miss most pauses.
- "like" counts only as a filler ("it was, like, a big deal"), never as a verb ("I like Python",
  "I'd like to") or a comparison ("looks like", "something like 20%").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from chains.models import Delivery, DeliveryOverview, LongPause

LONG_PAUSE_S = 3.0
SHORT_ANSWER_S = 45.0  # under this an answer rarely has a situation, actions and a result
LONG_ANSWER_S = 180.0
SLOW_WPM, FAST_WPM = 110.0, 170.0
MIN_WORDS_FOR_PACE = 5
FILLERS_PER_MINUTE = 3.0  # at or over this (and at least 2 in all) fillers get the tip

_SIMPLE_FILLERS = {
    "um": "um", "umm": "um", "uhm": "um", "mm": "um", "hmm": "um",
    "uh": "uh", "uhh": "uh", "er": "uh", "erm": "uh", "ah": "uh",
}
# "like" after these is the verb ("I like", "would like", "don't like").
_LIKE_VERB_BEFORE = {
    "i", "you", "we", "they", "he", "she", "would", "i'd", "we'd", "you'd", "they'd", "he'd", "she'd",
    "do", "don't", "did", "didn't", "does", "doesn't", "really", "also", "still", "to", "who", "people",
    "might", "will", "may",
}
# "like" after these compares ("looks like", "something like", "just like").
_LIKE_COMPARE_BEFORE = {
    "look", "looks", "looked", "looking", "feel", "feels", "felt", "feeling", "seem", "seems", "seemed",
    "sound", "sounds", "sounded", "something", "anything", "nothing", "just", "exactly", "more", "much",
    "things", "stuff", "tools", "languages", "not", "act", "acted",
}
# Words that commonly start what "like" compares with: without a comma, "like" before them is not a filler.
_LIKE_OBJECT_AFTER = {
    "a", "an", "the", "this", "that", "these", "those", "it", "him", "her", "them", "me", "us", "my",
    "our", "your", "their", "his", "its", "to", "what", "how",
}
# "like" after these, without a comma, is the spoken filler ("and like we", "so like", "was like").
_LIKE_FILLER_BEFORE = {"and", "so", "but", "um", "uh", "was", "were", "is", "it's", "just", "then"}
# "you know" after these is a question or a clause ("do you know", "if you know").
_YOU_KNOW_CLAUSE_BEFORE = {"do", "did", "don't", "didn't", "if", "as", "what", "would", "will", "to", "could",
                           "let", "that", "whether", "when", "so"}
_YOU_KNOW_CLAUSE_AFTER = {"how", "what", "why", "where", "when", "whether", "that", "if", "about", "the", "a",
                          "him", "her", "them", "it", "who", "which", "this", "exactly"}
_BREAK = re.compile(r"[,.;:!?\u2026-]$")
_WORD = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True)
class Word:
    """One recognised word with its timing (seconds), as the recogniser wrote it (punctuation kept)."""

    text: str
    start: float
    end: float


def _bare(text: str) -> str:
    return "".join(_WORD.findall(text.lower().replace("\u2019", "'")))


def _ends_with_break(text: str) -> bool:
    return bool(_BREAK.search(text.strip()))


def count_fillers(words: Sequence[Word]) -> dict[str, int]:
    """Filler words by kind: 'um', 'uh', 'you know', 'like' (only where it is a filler)."""
    bare = [_bare(w.text) for w in words]
    counts: Counter[str] = Counter()
    skip_next = False
    for i, token in enumerate(bare):
        if skip_next:
            skip_next = False
            continue
        prev = bare[i - 1] if i > 0 else ""
        after_break = i == 0 or _ends_with_break(words[i - 1].text)
        nxt = bare[i + 1] if i + 1 < len(bare) else ""
        if token in _SIMPLE_FILLERS:
            counts[_SIMPLE_FILLERS[token]] += 1
        elif token == "like" and _like_is_filler(prev, nxt, after_break, _ends_with_break(words[i].text)):
            counts["like"] += 1
        elif token == "you" and nxt == "know":
            know_break = _ends_with_break(words[i + 1].text)
            after = bare[i + 2] if i + 2 < len(bare) else ""
            clause = (not after_break and prev in _YOU_KNOW_CLAUSE_BEFORE) or (
                not know_break and after in _YOU_KNOW_CLAUSE_AFTER
            )
            if not clause:
                counts["you know"] += 1
                skip_next = True
    return dict(counts)


def _like_is_filler(prev: str, nxt: str, after_break: bool, before_break: bool) -> bool:
    if not after_break and (prev in _LIKE_VERB_BEFORE or prev in _LIKE_COMPARE_BEFORE):
        return False  # "I like it", "looks like rain" (a comma before would make it a filler again)
    if before_break:
        return True  # "it was, like, a big deal" / "and like, we"
    if nxt in _LIKE_OBJECT_AFTER or nxt == "":
        return False  # "like a maze", "like that": a comparison
    return after_break or prev in _LIKE_FILLER_BEFORE


def long_pauses(speech: Sequence[tuple[float, float]], threshold: float = LONG_PAUSE_S) -> list[LongPause]:
    """Silences of ``threshold`` seconds or more between speech segments (before and after speech: none)."""
    pauses = []
    for (_, end), (start, _) in zip(speech, speech[1:], strict=False):
        gap = start - end
        if gap >= threshold:
            pauses.append(LongPause(start_s=round(end, 2), length_s=round(gap, 2)))
    return pauses


def speaking_time(words: Sequence[Word], pauses: Sequence[LongPause] = ()) -> float:
    """Seconds from the first word's start to the last word's end, less the long pauses."""
    if not words:
        return 0.0
    span = words[-1].end - words[0].start
    return max(0.0, span - sum(p.length_s for p in pauses))


def words_per_minute(words: Sequence[Word], pauses: Sequence[LongPause] = ()) -> float | None:
    """Pace over the speaking time; None when too few words to tell."""
    spoken = [w for w in words if _bare(w.text)]
    seconds = speaking_time(spoken, pauses)
    if len(spoken) < MIN_WORDS_FOR_PACE or seconds <= 0:
        return None
    return round(len(spoken) * 60.0 / seconds, 1)


def _clock(seconds: float) -> str:
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def tip(
    duration_s: float,
    wpm: float | None,
    fillers: dict[str, int],
    pauses: Sequence[LongPause] | int,
    minutes_speaking: float,
) -> str:
    """The one most useful thing to change, in the order an interviewer notices them."""
    total_fillers = sum(fillers.values())
    pause_count = pauses if isinstance(pauses, int) else len(pauses)
    if duration_s > LONG_ANSWER_S:
        return (f"Aim for one to three minutes: this ran {_clock(duration_s)}; lead with the result and cut "
                "the background.")
    if total_fillers >= 2 and minutes_speaking > 0 and total_fillers / minutes_speaking >= FILLERS_PER_MINUTE:
        word, count = max(fillers.items(), key=lambda item: (item[1], item[0]))
        said = (f"You said \"{word}\" {count} times" if count >= 2 else
                f"You used {total_fillers} fillers (" + ", ".join(f'"{w}"' for w in sorted(fillers)) + ")")
        return f"{said}: when you need a moment, pause silently instead; it sounds more confident."
    if wpm is not None and wpm > FAST_WPM:
        return f"You spoke fast ({wpm:.0f} words a minute): slow to about 130-160 so each point lands."
    if wpm is not None and wpm < SLOW_WPM:
        return f"You spoke slowly ({wpm:.0f} words a minute): aim for about 130-160 to keep the listener."
    if pause_count:
        if isinstance(pauses, int):
            return (f"{pauses} long pause{'s' if pauses != 1 else ''} in all: if you lose your place, "
                    "restate the point you are making and go on.")
        first = pauses[0]
        return (f"You paused {first.length_s:.0f} s at {_clock(first.start_s)}: if you lose your place, "
                "restate the point you are making and go on.")
    if duration_s < SHORT_ANSWER_S:
        return (f"A short answer ({duration_s:.0f} s): interview answers usually take one to three minutes; "
                "give the situation, what you did and the result.")
    return "Steady delivery: keep this pace and length."


def measure(words: Sequence[Word], duration_s: float, speech: Sequence[tuple[float, float]]) -> Delivery:
    """The delivery figures of one answer: ``speech`` is the VAD's (start, end) segments in seconds."""
    pauses = long_pauses(speech)
    fillers = count_fillers(words)
    wpm = words_per_minute(words, pauses)
    minutes = speaking_time(words, pauses) / 60.0
    return Delivery(
        duration_s=round(duration_s, 2),
        words=sum(1 for w in words if _bare(w.text)),
        words_per_minute=wpm,
        fillers=fillers,
        long_pauses=pauses,
        tip=tip(duration_s, wpm, fillers, pauses, minutes),
    )


def overview(deliveries: Sequence[Delivery | None]) -> DeliveryOverview | None:
    """Delivery over a session's spoken answers; None when none was spoken."""
    spoken = [d for d in deliveries if d is not None]
    if not spoken:
        return None
    fillers: Counter[str] = Counter()
    for d in spoken:
        fillers.update(d.fillers)
    paced = [d for d in spoken if d.words_per_minute]
    words = sum(d.words for d in paced)
    minutes = sum(d.words / d.words_per_minute for d in paced if d.words_per_minute)
    wpm = round(words / minutes, 1) if minutes > 0 else None
    mean_duration = sum(d.duration_s for d in spoken) / len(spoken)
    pauses = sum(len(d.long_pauses) for d in spoken)
    total = dict(fillers)
    return DeliveryOverview(
        answers=len(spoken),
        mean_duration_s=round(mean_duration, 1),
        words_per_minute=wpm,
        fillers=total,
        fillers_per_minute=round(sum(total.values()) / minutes, 1) if minutes > 0 else 0.0,
        long_pauses=pauses,
        tip=tip(mean_duration, wpm, total, pauses, minutes),
    )


def fillers_line(fillers: dict[str, int]) -> str:
    """'um 2, like 1' (most first), or 'none'."""
    if not fillers:
        return "none"
    ranked = sorted(fillers.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{word} {count}" for word, count in ranked)


def overview_markdown(o: DeliveryOverview) -> str:
    """The report's delivery section (figures and fixed words only: nothing from a posting or an answer)."""
    pace = "—" if o.words_per_minute is None else f"{o.words_per_minute:.0f} words a minute"
    return "\n".join([
        "## Delivery (spoken answers)",
        "",
        f"- Spoken answers: {o.answers}, {o.mean_duration_s:.0f} s on average (aim for 60-180 s)",
        f"- Pace: {pace} (aim for about 130-160)",
        f"- Fillers: {fillers_line(o.fillers)} ({o.fillers_per_minute:.1f} a minute)",
        f"- Long pauses (3 s or more): {o.long_pauses}",
        f"- Tip: {o.tip}",
    ])
