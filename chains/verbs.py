"""Just enough English verb inflection to word questions from posting phrases.

Postings state requirements as imperatives ("Build and maintain ..."), gerunds ("Experience selling
...") or after "Ability to". The question templates need the past ("Tell me about a time you built
..."), the gerund ("How would you go about building ...") and the base form. A lexicon of the verbs
that postings use, with their irregular forms, keeps this exact; the spelling rules cover the rest.
"""

from __future__ import annotations

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
    "set": "set", "shape": "shaped", "show": "showed", "speak": "spoke", "spend": "spent",
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
use validate vend verify visualize volunteer work proofread multitask display leverage drive shape
participate attend deploy coordinate escalate troubleshoot assist partner
share exchange turn call ask talk treat watch look follow contact connect
"""
REGULAR = frozenset(_REGULAR_WORDS.split())

LEXICON = REGULAR | set(IRREGULAR_PAST)

# Multi-syllable verbs stressed on the last syllable double their final consonant (commit -> committed).
_DOUBLING = {"commit", "submit", "control", "refer", "prefer", "occur", "transfer", "admit", "permit",
             "begin", "forget", "upset", "equip"}
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
