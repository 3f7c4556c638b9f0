"""Interview questions and their model answers, however the posting lays them out.

Handles "Q:/A:" and "Question/Answer" labels, a question line followed by its answer lines, and the
run-together block of scraped pages where each question is glued to its answer with no separator
("...from scratch.At my previous company, I led..."). The glue itself is the signal: a sentence end
directly followed by a capital marks a switch between question and answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.text import split_sentences
from knowledge.posting import QAPair

# A sentence end glued to the next sentence: "scratch.At my", "production?I implement".
_GLUED = re.compile(r"(?<=[a-z0-9)\]\"'”’%])[.?!](?=[A-Z](?:[a-z]|[ '’]))")

# Explicit labels at the start of a line (or after a sentence end).
_Q_LABEL = re.compile(r"(?:\*\*)?(?:Q(?:uestion)?\s*\d{0,2}\s*[:.)]|Q\d{1,2}\b)(?:\*\*)?\s*", re.IGNORECASE)
_A_LABEL = re.compile(
    r"(?:\*\*)?(?:A(?:nswer)?\s*\d{0,2}\s*[:.)]|(?:model|sample|example|suggested|strong|good)\s+answer"
    r"\s*[:.)-]?)(?:\*\*)?\s*",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?:\d{1,2}[.)]|[-*•])\s+")

# How interviewers phrase a request that is a question without a question mark.
_PROMPT = re.compile(
    r"(?:describe|tell (?:me|us)|walk (?:me|us)|explain|give (?:me |us )?(?:an? |one |a specific )?"
    r"example|share (?:an?|one|your)|talk (?:me |us )?(?:about|through)|discuss|outline|imagine|"
    r"suppose|please (?:describe|explain|share|tell))\b",
    re.IGNORECASE,
)
# How answers open: the candidate speaking.
_FIRST_PERSON = re.compile(
    r"(?:I|I'm|I’m|I've|I’ve|I'd|My|We|Our|In my|At my|When I|As (?:a|the|an)|During my|Sure|Yes|No,)\b"
)


@dataclass
class _Sentence:
    text: str
    strong: bool  # starts after a line break, a glued boundary or a label: a possible switch point
    label: str = ""  # "q" or "a" when an explicit label opened it


@dataclass
class _Pair:
    question: list[str] = field(default_factory=list)
    answer: list[str] = field(default_factory=list)


def split_qa(lines: list[str]) -> list[QAPair]:
    """Question/answer pairs from the lines of an interview-questions section.

    A question is one or more sentences that ask (end with '?' or open like a prompt: "Describe...",
    "Walk me through..."); its answer is everything after it up to the next question. Questions
    without an answer are left out: there is nothing to compare against.
    """
    sentences = _sentences(lines)
    if not sentences:
        return []
    # When the block has hard boundaries (line breaks, glue, labels), a new question can only start
    # at one of them; otherwise any asking sentence after an answer starts one.
    hard = any(s.strong for s in sentences[1:])
    pairs: list[_Pair] = []
    in_answer = True  # nothing open: the first asking sentence opens a question
    for sentence in sentences:
        asking = is_asking(sentence.text)
        # On its own line, a second question after an unanswered one is a new question.
        next_question = (
            not in_answer
            and sentence.strong
            and sentence.text.endswith("?")
            and pairs[-1].question[-1].endswith("?")
        )
        if (
            sentence.label == "q"
            or next_question
            or (in_answer and asking and (sentence.strong or not hard) and sentence.label != "a")
        ):
            pairs.append(_Pair(question=[sentence.text]))
            in_answer = False
        elif not pairs:
            continue  # text before the first question: an introduction, not an answer
        elif not in_answer and sentence.label != "a" and asking and not _FIRST_PERSON.match(sentence.text):
            pairs[-1].question.append(sentence.text)
        else:
            pairs[-1].answer.append(sentence.text)
            in_answer = True
    return [
        QAPair(question=" ".join(pair.question), model_answer=" ".join(pair.answer))
        for pair in pairs
        if pair.answer
    ]


def is_asking(text: str) -> bool:
    """Whether a sentence asks: ends with '?' or opens like an interviewer's request."""
    label = _Q_LABEL.match(text)
    if label and label.end() < len(text):
        text = text[label.end() :]
    return text.rstrip().endswith("?") or (bool(_PROMPT.match(text)) and not _FIRST_PERSON.match(text))


def _sentences(lines: list[str]) -> list[_Sentence]:
    out: list[_Sentence] = []
    for line in lines:
        text = " ".join(line.split())
        label = ""
        number = _NUMBER.match(text)
        if number:
            text = text[number.end() :]
        for pattern, name in ((_Q_LABEL, "q"), (_A_LABEL, "a")):
            match = pattern.match(text)
            if match and match.end() < len(text):
                label = name
                text = text[match.end() :]
                break
        first_piece = True
        for chunk in _split_glued(text):
            for chunk_label, chunk_text in _split_labels(chunk):
                piece_label = label if first_piece else chunk_label
                first_piece = False
                for index, sentence in enumerate(split_sentences(chunk_text)):
                    opening = index == 0
                    out.append(_Sentence(sentence, strong=opening, label=piece_label if opening else ""))
    return out


def _split_glued(text: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for match in _GLUED.finditer(text):
        parts.append(text[start : match.end()])
        start = match.end()
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


# "...? A: I did" or "... Answer: I did" inside one line.
_INLINE_LABEL = re.compile(
    r"(?<=[.?!:])\s+((?:\*\*)?(?:A|Answer|Model answer|Sample answer|Q|Question)\s*\d{0,2}\s*:(?:\*\*)?)\s*"
)


def _split_labels(text: str) -> list[tuple[str, str]]:
    pieces: list[tuple[str, str]] = []
    start = 0
    label = ""
    for match in _INLINE_LABEL.finditer(text):
        pieces.append((label, text[start : match.start()]))
        label = "q" if match.group(1).lstrip("*").upper().startswith("Q") else "a"
        start = match.end()
    pieces.append((label, text[start:]))
    return [(name, piece.strip()) for name, piece in pieces if piece.strip()]
