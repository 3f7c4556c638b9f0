"""What a listed item asks of a candidate, judged by its wording when its heading does not say.

Used for items under headings the parser cannot name and for postings with no headings at all.
Conservative on purpose: an item that reads like none of responsibility, qualification or skill is
left as text rather than turned into a question about nothing.
"""

from __future__ import annotations

import re

from core.text import DUTY_VERBS
from knowledge.posting import RequirementKind

_PREFERRED = re.compile(
    r"\b(?:preferred|nice[ -]to[ -]have|is a plus|are a plus|a big plus|a bonus|bonus points|"
    r"ideally|desirable|desired|would be great)\b",
    re.IGNORECASE,
)
_REQUIRED_START = re.compile(
    r"(?:\d+\+?\s*(?:-\s*\d+\s*)?(?:years?|yrs)|(?:at least|minimum of|min\.?)\s+\w+\s+(?:years?|yrs)|"
    r"experience|expertise|degree|bachelor|master|ph\.?d|ba/bs|bs/ms|b\.s\.|m\.s\.|mba|"
    r"proficien|fluen|knowledge|familiar|understanding|ability|able to|capable|strong|excellent|"
    r"solid|deep|good|great|demonstrated|proven|track record|certif|licen|background|hands-on|"
    r"comfort|working knowledge|you have|you are|you've|must|a passion|passion|self-|exposure|"
    r"possession of|graduation from|completion of|successful completion|valid .{0,40}licen[cs]e|"
    r"registered|qualified|certified|willingness|available and willing|team player)",
    re.IGNORECASE,
)
_REQUIRED_ANYWHERE = re.compile(
    r"\b(?:required|must have|years of (?:professional |relevant |hands-on )?experience|\d\+ years)\b",
    re.IGNORECASE,
)
_RESPONSIBILITY_START = re.compile(r"(?:you will|you'll|you’ll|will)\b", re.IGNORECASE)
_TECH_TOKEN = re.compile(r"[A-Z][A-Za-z0-9+#./-]*|[a-z]+[A-Z+#.][A-Za-z0-9+#.]*")


def classify_item(
    text: str, *, listed: bool = True, default: RequirementKind | None = None
) -> RequirementKind | None:
    """The kind an item reads as, or ``default`` (None: not a requirement) when unclear.

    ``listed`` says the item was a list bullet; a bare short line ("Hello world") is only a skill
    when it lists several names.
    """
    if _PREFERRED.search(text):
        return RequirementKind.PREFERRED
    if _REQUIRED_START.match(text):
        return RequirementKind.REQUIRED
    first = text.split(maxsplit=1)[0].lower().strip(",:;") if text.split() else ""
    # Job descriptions write duties in the third person too ("Directs ...", "Assists ...");
    # a duty that says "when required" is still a duty.
    third = first[:-2] if first.endswith("es") else first[:-1] if first.endswith("s") else ""
    if first in DUTY_VERBS or third in DUTY_VERBS or _RESPONSIBILITY_START.match(text):
        return RequirementKind.RESPONSIBILITY
    if _REQUIRED_ANYWHERE.search(text):
        return RequirementKind.REQUIRED
    if looks_like_skills(text) and (listed or len(split_list(text)) > 1):
        return RequirementKind.SKILL
    return default


def looks_like_skills(text: str) -> bool:
    """A short name or a list of names (Python, PostgreSQL, Kubernetes), not a sentence."""
    if text.endswith((".", "!", "?")):
        return False
    parts = [part.strip() for part in re.split(r"[,;/]|\band\b", text) if part.strip()]
    if not parts or any(len(part.split()) > 4 for part in parts):
        return False
    named = sum(1 for part in parts if _is_name(part))
    return named >= max(1, len(parts) - 1)


def _is_name(part: str) -> bool:
    """A product or technology name: one word, or words that are all capitalised ("Opera PMS")."""
    words = part.split()
    if len(words) == 1:
        return bool(_TECH_TOKEN.match(words[0]) or any(ch.isdigit() or ch in "+#." for ch in words[0]))
    return all(_TECH_TOKEN.match(word) or not word[0].isalpha() for word in words)


def is_tag_cloud(text: str) -> bool:
    """A run of capitalised names with no separators ("Python Apache Spark Kafka Docker").

    Such tags cannot be told apart, so no single requirement can be made of them.
    """
    words = text.split()
    if len(words) < 6 or any(ch in text for ch in ",;:.()"):
        return False
    capitalised = sum(1 for word in words if word[0].isupper() or word[0].isdigit())
    return capitalised >= 0.8 * len(words)


def split_list(text: str) -> list[str]:
    """A skills line listing several names ("Python (FastAPI), PostgreSQL, Redis") as one per name.

    Only a real list is split: three or more short parts separated by commas or semicolons outside
    brackets, and no sentence ("Experience with Office (Word, Excel)" stays whole).
    """
    parts: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        elif char in ",;" and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    names = [re.sub(r"^(?:and|or|&)\s+", "", part.strip()) for part in parts]
    names = [name for name in names if name]
    if len(names) < 3 or text.rstrip().endswith(".") or any(len(name.split()) > 5 for name in names):
        return [text]
    return names
