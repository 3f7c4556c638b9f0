"""Plain English text tools every part shares: words, stop words, a stemmer, sentences, a verb lexicon.

One of each, so the parser, the question wording and the critic cannot disagree about what a sentence,
a content word or a verb is. All pure string work: deterministic and linear in the text length.
"""

from __future__ import annotations

import re
from functools import lru_cache


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words and filler that carry no evidence about what a candidate did or knows.
STOPWORDS = _wordset(
    """
    a about above after again against all also am an and any are aren't as at be because been before
    being below between both but by can can't cannot could couldn't did didn't do does doesn't doing
    don't down during each either else etc even ever every few for from further get gets got had
    hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him
    himself his how how's however i i'd i'll i'm i've if in into is isn't it it's its itself just
    let's like likely many may maybe me might more most much must mustn't my myself neither nor now
    of off on once one only onto or other ought our ours ourselves out over own per perhaps quite
    rather really same shall shan't she she'd she'll she's should shouldn't since so some such than
    that that's the their theirs them themselves then there there's therefore these they they'd
    they'll they're they've thing things this those though through thus to too under until up upon
    us very via was wasn't we we'd we'll we're we've were weren't what what's whatever when when's
    where where's whether which while who who's whom whose why why's will with within without won't
    would wouldn't yes yet you you'd you'll you're you've your yours yourself yourselves
    """
)

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?(?:[.+#][a-z0-9+#]+)*")


def words(text: str) -> list[str]:
    """Lower-cased word tokens (keeps 'c++', 'node.js', 'don't')."""
    return _WORD.findall(text.lower().replace("’", "'"))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix-stripping stem, enough to match 'measured'/'measure'/'measuring'/'measures'."""
    w = word.lower()
    if len(w) <= 3 or not w.isalpha():
        return w
    for suffix, keep in (
        ("ational", "ate"), ("ization", "ize"), ("isation", "ize"), ("fulness", "ful"), ("iveness", "ive"),
        ("ements", ""), ("ement", ""), ("ments", ""), ("ment", ""), ("ities", ""), ("ity", ""),
        ("ness", ""), ("ings", ""), ("ing", ""), ("ies", "y"), ("ied", "y"), ("edly", ""), ("ed", ""),
        ("ers", ""), ("er", ""), ("ly", ""), ("es", ""), ("s", ""), ("e", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: len(w) - len(suffix)] + keep
            break
    # "stopp" (stopped) -> "stop": undouble a final consonant left by the suffix.
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    return w


def content_words(text: str) -> list[str]:
    """Words that carry meaning: not stop words, not single letters unless they are digits."""
    return [w for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def content_stems(text: str) -> set[str]:
    """The set of stems of a text's content words."""
    return {stem(w) for w in content_words(text)}


# --- sentences --------------------------------------------------------------------------------------

# A sentence ends at . ! or ? (and any closing quote or bracket) before space and a capital or digit,
# or an opening quote/bracket and one; a blank line or a bullet line also ends one. Never inside a
# decimal like 2.5 (no space follows its point), nor after an abbreviation or initials.
_SENTENCE_END = re.compile(r"([.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_BLOCK_END = re.compile(r"\n\s*\n|\n\s*(?=[-*•\d]+[.)]?\s)")
_ABBREVIATIONS = _wordset(
    "e.g i.e etc vs mr mrs ms dr prof inc ltd co corp jr sr st no approx incl dept est fig al min max"
)
_INITIALS = re.compile(r"(?:\b[A-Za-z]\.){1,3}$")


def split_sentences(text: str, *, at_semicolons: bool = False) -> list[str]:
    """Sentences and bullet items, stripped, in order (only pieces with a word in them).

    ``at_semicolons`` also ends a piece at "; ", for readers that weigh clauses one by one (the critic).
    """
    pieces: list[str] = []
    for block in _BLOCK_END.split(text):
        start = 0
        for match in _SENTENCE_END.finditer(block):
            end = match.end(1)
            before = block[max(start, end - 12) : end - 1].rsplit(" ", 1)
            word = before[-1].lower()
            # "300 ms." ends a sentence: after a number, "ms" is milliseconds, not "Ms."
            unit = word == "ms" and len(before) > 1 and before[-2][-1:].isdigit()
            if not unit and (word in _ABBREVIATIONS or _INITIALS.search(block[max(start, end - 8) : end])):
                continue
            pieces.append(block[start : match.end()])
            start = match.end()
        pieces.append(block[start:])
    if at_semicolons:
        pieces = [part for piece in pieces for part in re.split(r";\s+", piece)]
    return [piece.strip() for piece in pieces if piece.strip() and words(piece)]


# --- verbs ------------------------------------------------------------------------------------------

# Just enough English verb inflection to word questions from posting phrases: postings state
# requirements as imperatives ("Build and maintain ..."), gerunds ("Experience selling ...") or after
# "Ability to"; questions need the past, the gerund and the base form. A lexicon of the verbs postings
# use, with their irregular forms, keeps this exact; the spelling rules cover the rest.

IRREGULAR_PAST: dict[str, str] = {
    "be": "was", "become": "became", "begin": "began", "bring": "brought", "build": "built",
    "buy": "bought", "choose": "chose", "come": "came", "cut": "cut", "deal": "dealt", "do": "did",
    "draw": "drew", "drive": "drove", "feel": "felt", "find": "found", "get": "got", "give": "gave",
    "go": "went", "grow": "grew", "have": "had", "hear": "heard", "hold": "held", "keep": "kept",
    "know": "knew", "lead": "led", "leave": "left", "lend": "lent", "let": "let",
    "make": "made", "meet": "met", "oversee": "oversaw", "overcome": "overcame", "pay": "paid",
    "proofread": "proofread", "put": "put", "read": "read", "rebuild": "rebuilt", "rethink": "rethought",
    "rewrite": "rewrote",
    "run": "ran", "say": "said", "see": "saw", "seek": "sought", "sell": "sold", "send": "sent",
    "set": "set", "show": "showed", "speak": "spoke", "spend": "spent",
    "split": "split", "stand": "stood", "take": "took", "teach": "taught", "tell": "told",
    "think": "thought", "undergo": "underwent", "understand": "understood", "undertake": "undertook",
    "upset": "upset", "win": "won", "withstand": "withstood", "write": "wrote",
}

# Regular verbs that postings use; with IRREGULAR_PAST this is the lexicon the normaliser trusts.
_REGULAR_WORDS = """
accelerate accept achieve acquire act adapt address adjust administer adopt advise advocate align
allocate analyse analyze answer anticipate apply architect arrange articulate assess assign assist
attend audit author automate balance benchmark brief broker budget calculate champion change check
clarify close coach coordinate collaborate collect combine commit communicate compare compile
complete comply compose conduct configure consolidate consult contribute control convert convince
craft create curate debug decide define delegate deliver demonstrate deploy design detect determine
develop devise diagnose direct discover document draft edit educate eliminate empower enable
encourage engage engineer enhance ensure escalate establish estimate evaluate evangelize examine
execute expand experiment explain explore extend facilitate finalize fix focus forecast foster
frame gather generate govern guide handle help hire host identify implement improve increase
influence inform initiate innovate inspect inspire install instrument integrate interact interpret
interview introduce investigate iterate join judge launch liaise listen load locate maintain manage
map market master measure mentor merge migrate minimize mitigate model modernize monitor motivate
move navigate negotiate network obtain onboard operate optimise optimize orchestrate organise
organize outline own partner perform pilot pitch plan prepare present prioritise prioritize process
procure produce program promote propose protect prototype provide publish pursue qualify question
raise rank reach recommend reconcile record recruit reduce refactor refine release remediate report
represent research resolve respond restore review revise scale schedule scope screen secure segment
serve service ship simplify solve source staff standardize start steer store streamline strengthen
structure study submit summarise summarize supervise supplement support survey sustain tackle
tailor target test track train transform translate travel triage troubleshoot tune update upgrade
use validate vend verify visualize volunteer work proofread multitask display leverage shape
participate attend deploy coordinate escalate troubleshoot assist partner
share exchange turn call ask talk treat watch look follow contact connect
book care clean cook greet inspect pack pick repair sort stock visit welcome log order specify
certify notify justify modify classify quantify rectify supply accompany
remain stay carry issue
enter dispatch query relay transmit calibrate dispense decontaminate sterilise sterilize deputise deputize
redact invoice
induce recover recognise recognize admit restrain anaesthetise anesthetize vaccinate bathe weigh sedate
euthanise reassure counsel escort demolish erect approve refuse enforce
refer extract
"""
REGULAR = frozenset(_REGULAR_WORDS.split())

LEXICON = REGULAR | set(IRREGULAR_PAST)

# Past forms that tell an action when listed after a first one ("I built X, met Y and grew Z"); the
# verbs of being, knowing and perceiving tell no step of one's own.
_NOT_ACTIONS = frozenset(
    """
    be become come do feel get go have hear know leave let say see think understand upset undergo withstand
    """.split()  # noqa: SIM905
)
ACTION_PAST = frozenset(form for verb, form in IRREGULAR_PAST.items() if verb not in _NOT_ACTIONS)

# Verbs that open a duty in the imperative ("Build...", "Partner with..."): the parser's cue that a
# posting line is a responsibility. A subset of the lexicon, so the two cannot disagree.
DUTY_VERBS = frozenset(
    """
    act address administer advise advocate align analyse analyze architect assess assist audit
    automate build champion coach collaborate communicate conduct consult contribute coordinate create
    debug define deliver deploy design develop diagnose direct document drive educate engage enable
    ensure establish evaluate execute explore facilitate forecast guide handle help hire identify
    implement improve influence own integrate interact investigate launch lead liaise maintain manage
    mentor migrate model monitor negotiate operate optimise optimize organise organize oversee partner
    participate perform plan prepare present prioritise prioritize produce promote prototype provide
    recruit represent research resolve review run scale serve set shape ship solve source specify
    streamline supervise support take teach test track train translate triage troubleshoot work write
    answer assign attend book care check clean cook greet inspect install load log onboard order pack
    pick process repair respond schedule sell sort stock treat update visit welcome
    """.split()  # noqa: SIM905 (a word list reads better as words)
)
assert DUTY_VERBS <= LEXICON, sorted(DUTY_VERBS - LEXICON)

# Multi-syllable verbs stressed on the last syllable double their final consonant (commit -> committed).
_DOUBLING = {"commit", "submit", "control", "refer", "prefer", "occur", "transfer", "admit", "permit",
             "begin", "forget", "upset", "equip", "program"}
_VOWELS = "aeiou"


def is_verb(word: str) -> bool:
    """True when ``word`` is a base-form verb of the lexicon (case-insensitive)."""
    return word.lower() in LEXICON


def _doubles(verb: str) -> bool:
    if verb in _DOUBLING:
        return True
    # One-syllable consonant-vowel-consonant words (plan, ship, run); not w/x/y endings (show, fix, pay).
    return (
        len(verb) >= 3
        and verb[-1] not in _VOWELS + "wxy"
        and verb[-2] in _VOWELS
        and verb[-3] not in _VOWELS
        and sum(ch in _VOWELS for ch in verb) == 1
    )


def past(verb: str) -> str:
    """Simple past of a base-form verb: build -> built, plan -> planned, manage -> managed."""
    low = verb.lower()
    if low in IRREGULAR_PAST:
        form = IRREGULAR_PAST[low]
    elif low.endswith("e"):
        form = low + "d"
    elif low.endswith("y") and len(low) > 1 and low[-2] not in _VOWELS:
        form = low[:-1] + "ied"
    elif _doubles(low):
        form = low + low[-1] + "ed"
    else:
        form = low + "ed"
    return _match_case(verb, form)


def gerund(verb: str) -> str:
    """The -ing form of a base-form verb: build -> building, manage -> managing, plan -> planning."""
    low = verb.lower()
    if low.endswith("ie"):
        form = low[:-2] + "ying"
    elif low.endswith("e") and low not in {"be", "see", "agree", "guarantee", "oversee", "free"}:
        form = low[:-1] + "ing"
    elif _doubles(low):
        form = low + low[-1] + "ing"
    else:
        form = low + "ing"
    return _match_case(verb, form)


def base_from_gerund(word: str) -> str | None:
    """The base form of a verb's -ing form when the verb is in the lexicon (selling -> sell), else None."""
    low = word.lower()
    if not low.endswith("ing") or len(low) < 5:
        return None
    stem = low[:-3]
    candidates = [stem, stem + "e"]
    if len(stem) > 2 and stem[-1] == stem[-2]:
        candidates.append(stem[:-1])
    if stem.endswith("y"):
        candidates.append(stem[:-1] + "ie")
    for candidate in candidates:
        if candidate in LEXICON and gerund(candidate) == low:
            return _match_case(word, candidate)
    return None


def _match_case(original: str, form: str) -> str:
    return form[:1].upper() + form[1:] if original[:1].isupper() else form
