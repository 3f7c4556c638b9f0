"""What a person notices in a question or a model answer, as checks ``coach eval questions`` counts.

Each check is a plain function of the text (and the requirement it probes), so a check can be run on
any session, including one saved from an older version for a before/after table:
- a question: a template opening ("The role asks for", "Think of a real problem in this role"), the
  requirement quoted verbatim inside it, more than ``MAX_QUESTION_WORDS`` words, and the wording
  rules of ``chains.questions.wording.wording_problems`` (leftovers, posting-list wording, grammar);
- a model answer: placeholder phrases of the old offline scaffold, a phrase repeated three times, an
  example answer the library wrote for another question than the one asked (``foreign_example``);
- a session: the same opening on more than two questions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from chains.questions.compose import MAX_SAME_OPENING, SESSION_WINDOW, opening
from chains.questions.library import fills
from chains.questions.wording import wording_problems
from prompts.library import Competency

MAX_QUESTION_WORDS = 45
# A requirement this long (in words) quoted whole inside a question reads as pasted in; a shorter one
# ("Infusion pumps and pulse oximetry") is the name of the skill.
VERBATIM_MIN_WORDS = 7
# A phrase of this many words said this often in one answer reads as filler.
REPEAT_WORDS = 4
REPEAT_TIMES = 3

TEMPLATE_OPENINGS = re.compile(
    r"^(?:the role (?:asks for|lists|requires)|the posting (?:asks for|lists|mentions)|"
    r"think of a real problem in this role|think about how you would go about|think about the habits|"
    r"think of a team that|this role requires|tell me about (?:experience|ability|knowledge|proficiency)\b|"
    r"the job (?:asks for|lists))",
    re.IGNORECASE,
)
# Phrases of the old offline model-answer scaffold (prompts/templates/model_answer.md): a reader
# sees at once that they stand for nothing.
PLACEHOLDERS = re.compile(
    r"what i learned in my studies and practical work|improved the main metric|for example 20 percent|"
    r"by about 20 percent|in my last role i relied on|so i know what doing it well takes|"
    r"one concrete example was a project|i can meet the requirement of|arrangements like this|"
    r"is how i work, and colleagues in my last role relied on it|my education and practical experience cover|"
    r"helped my team deliver on time, and i learned|the main trade-off in|"
    r"i would measure the result of|i handled a similar situation with",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[“\"]([^”\"]{12,})[”\"]")


def _normal(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'")
    return " ".join(re.findall(r"[a-z0-9+#'/.-]+", text.lower())).strip(" .")


def quotes_requirement(question: str, requirement: str) -> bool:
    """True when the question quotes the requirement: whole, or a quoted stretch of it."""
    req = _normal(requirement)
    if len(req.split()) >= VERBATIM_MIN_WORDS and req in _normal(question):
        return True
    return any(_normal(m.group(1)) in req for m in _QUOTED.finditer(question) if _normal(m.group(1)))


def question_problems(text: str, requirement: str, from_posting: bool = False) -> list[str]:
    """What a person would notice in one question (the posting's own questions: wording only)."""
    found = wording_problems(text)
    if from_posting:
        # The posting's own wording is kept as written ("Describe an experience ..." has no '?').
        return [p for p in found if "'?'" not in p]
    if TEMPLATE_OPENINGS.search(text.strip()):
        found.append("template opening")
    if quotes_requirement(text, requirement):
        found.append("quotes the requirement verbatim")
    words = len(text.split())
    if words > MAX_QUESTION_WORDS:
        found.append(f"{words} words (over {MAX_QUESTION_WORDS})")
    return found


def repeated_phrase(answer: str) -> str:
    """A phrase of REPEAT_WORDS words said REPEAT_TIMES times or more in the answer ('' if none)."""
    tokens = re.findall(r"[a-z0-9']+", answer.lower())
    windows = (tokens[i : i + REPEAT_WORDS] for i in range(len(tokens) - REPEAT_WORDS + 1))
    grams = Counter(
        " ".join(gram) for gram in windows
        if not any(any(c.isdigit() for c in word) for word in gram)  # "plus or minus 0.05" is a figure
    )
    repeated = [g for g, count in grams.items() if count >= REPEAT_TIMES]
    return repeated[0] if repeated else ""


def answer_problems(answer: str) -> list[str]:
    """What a person would notice in a model answer: placeholders, a phrase said three times, nothing."""
    if not answer.strip():
        return ["empty model answer"]
    found: list[str] = []
    placeholder = PLACEHOLDERS.search(answer)
    if placeholder:
        found.append(f"placeholder phrase ({placeholder.group(0)!r})")
    repeated = repeated_phrase(answer)
    if repeated:
        found.append(f"phrase repeated {REPEAT_TIMES}+ times ({repeated!r})")
    return found


def same_openings(texts: Sequence[str]) -> list[str]:
    """Openings used on more than MAX_SAME_OPENING questions of one session.

    A session is any SESSION_WINDOW consecutive questions (``chains.questions.compose``).
    """
    found: dict[str, None] = {}
    heads = [opening(t) for t in texts]
    for start in range(max(len(heads) - SESSION_WINDOW + 1, 1)):
        counts = Counter(heads[start : start + SESSION_WINDOW])
        found.update({o: None for o, n in counts.items() if n > MAX_SAME_OPENING and o})
    return list(found)


def foreign_example(question: str, model_answer: str, competency: Competency | None) -> str:
    """A problem when the model answer is the competency's example for another question, else "".

    The library names the question each example answers; an example shown under a neighbouring
    question of the competency answers something else ("eight patients on a late shift" under "a
    patient refuses the falls sensor mat"), which a reader sees at once.
    """
    if competency is None or not model_answer.strip():
        return ""
    answer = model_answer.strip()
    for kind in (competency.behavioural, competency.technical, competency.situational):
        for example in kind.examples:
            if example.answer.strip() == answer and not fills(example.question, question):
                return f"model answer was written for another question: {example.question!r}"
    return ""
