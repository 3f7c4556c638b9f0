"""The interviewer's rubric for experience questions (behavioural, situational, the posting's own).

There is no single right content for "tell me about a time": a different good story is as good as
the posting's sample. So nothing here compares the answer with a model answer. The answer is read
the way a hiring manager reads it, sentence by sentence:

1. **On topic.** Each sentence's cosine to the question and to the requirement (its closest of the
   two). A sentence is on topic at ``on_topic_cosine``; a sentence next to an on-topic one is on
   topic from ``near_topic_cosine`` (a result or a lesson shares fewer words with the requirement
   than the story's setting). Every part below is looked for **only in on-topic sentences**: a
   measured result in a sentence about the weather earns nothing.
2. **The parts of a strong answer.** Behavioural: a concrete situation and task, own actions in the
   first person (told as done, not as a duty: "I attend sprint planning" is a duty), a result of
   those actions (a measured change, or a concrete outcome of the work) and what was learned.
   Situational: a concrete plan (steps), who is involved, the risks, how success would be checked.
   Each found part quotes the sentence that shows it.
3. **Specificity**: names, tools, versions, numbers, in on-topic sentences only.
4. **Ownership**: actions said with "I" count in full, actions said only with "we" count half.
5. **Length fit** for a spoken answer: under ``short_words`` or over ``long_words`` is flagged and
   costs a little.

The numbers are in ``prompts/rubric.yaml`` (``experience``). Pure functions of the encodings, so the
same input gives the same result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from chains.critic import features as tf
from chains.critic import parts
from chains.critic.rubric import ExperienceRubric
from chains.critic.vectors import Encoded
from chains.critic.vocabulary import concrete_stems
from core.text import ACTION_PAST, is_verb, words


class Part(StrEnum):
    """A part of a strong answer to an experience question."""

    SITUATION = "situation"
    ACTIONS = "actions"
    RESULT = "result"
    REFLECTION = "reflection"
    PLAN = "plan"
    PEOPLE = "people"
    RISKS = "risks"
    CHECK = "check"
    METHOD = "method"
    REASONS = "reasons"
    DETAIL = "detail"


BEHAVIOURAL_PARTS = (Part.SITUATION, Part.ACTIONS, Part.RESULT, Part.REFLECTION)
SITUATIONAL_PARTS = (Part.PLAN, Part.PEOPLE, Part.RISKS, Part.CHECK)
# A technical question with no reference but its requirement (no library guide, an offline model
# answer of placeholders): the substance is judged by what can be read without knowing the answer.
TECHNICAL_PARTS = (Part.METHOD, Part.REASONS, Part.DETAIL)

LABELS = {
    Part.SITUATION: "A concrete situation and your task",
    Part.ACTIONS: "Your own actions, in the first person",
    Part.RESULT: "A result of your actions: measured, or a concrete outcome",
    Part.REFLECTION: "What you learned",
    Part.PLAN: "Your own actions as a concrete plan, step by step",
    Part.PEOPLE: "Who you would involve",
    Part.RISKS: "The risks you would watch for, and the trade-offs",
    Part.CHECK: "How you would check it worked: what you would measure",
    Part.METHOD: "How it works, or how you would do it, step by step",
    Part.REASONS: "Why: the reason behind each step",
    Part.DETAIL: "Concrete details: the tools, terms or numbers involved",
}
MEASURED_RESULT = "A measured result of your actions"
OUTCOME = "A concrete outcome of your actions"

ADVICE = {
    Part.SITUATION: "Start from one real situation: where it was, what was at stake, and what your task was.",
    Part.ACTIONS: "Walk through the steps you took yourself, in order, using 'I' for your own actions.",
    Part.RESULT: "End with what your actions changed: a number (time saved, errors cut) "
    "or a concrete outcome.",
    Part.REFLECTION: "Close with what you learned, or what you would do differently next time.",
    Part.PLAN: "Give a concrete plan: the first thing you would do, then the next steps, in order.",
    Part.PEOPLE: "Say who you would involve or inform (your manager, the team, the customer) and why.",
    Part.RISKS: "Name the main risk and how you would guard against it.",
    Part.CHECK: "Say how you would know it worked: what you would check or measure, and when.",
    Part.METHOD: "Explain the method itself, step by step, for the case in the question.",
    Part.REASONS: "Give the reason for each step: why it is done that way, and what goes wrong otherwise.",
    Part.DETAIL: "Name the concrete tools, terms and numbers a practitioner would use here.",
}
OWN_WORDS = "Say what you did yourself: use 'I' for your own actions, not only 'we'."
BE_SPECIFIC = "Name concrete details: the tools, systems, sizes and people involved."
ON_TOPIC = "Answer the question asked, about the requirement it probes: keep every sentence on that topic."
SHORTER = "Keep it to about two minutes spoken (under 400 words): the situation, your actions, the result."
LONGER = "Say more: a spoken answer of about 40-400 words gives the interviewer the evidence."

# Told as a habit or a duty, not as something done: "I always follow the policy", "I attend ...".
_HABIT = re.compile(
    r"\b(always|usually|normally|generally|typically|every (day|week|time)|daily|often)\b", re.I
)
_I_VERB = re.compile(
    r"\b(i|we)\s+(?:also\s+|then\s+|first\s+|just\s+|quickly\s+|immediately\s+)?([a-z']+)", re.I
)
_WOULD = re.compile(
    r"\b(i|we)(?:'d|\s+would|\s+will|'ll)\s+(?:also\s+|then\s+|first\s+)?"
    r"([a-z']+)",
    re.I,
)
_LISTED_BASE = re.compile(
    r"(?:,(?:\s+(?:and|then|or))?|\band\b|\bthen\b)\s+(?:then\s+|also\s+)?([a-z]+)\b", re.I
)
# Verbs a spoken plan opens with that the question-wording lexicon (core.text) leaves out on purpose:
# there a known verb starts a cut ("... teams to add new payment methods" loses its purpose clause).
_PLAN_VERBS = frozenset(
    """
    add stop confirm isolate remove replace warn wash label lock tag flag phone alert recheck retest
    restart separate seal dispose agree apologise apologize reassure prevent avoid chase cancel pause
    ventilate evacuate sign decline photograph quarantine
    """.split()  # noqa: SIM905
)


def _plan_verb(word: str) -> bool:
    return is_verb(word) or word.lower() in _PLAN_VERBS


_IMPERATIVE_STEP = re.compile(r"^(first|then|next|after that|finally|second|third)\b[, ]*", re.I)
_STATE_VERBS = frozenset(
    {
        "be",
        "have",
        "feel",
        "think",
        "know",
        "like",
        "want",
        "need",
        "hope",
        "believe",
        "say",
        "try",
        "probably",
        "just",
        "not",
        "never",
        "really",
        "definitely",
        "could",
        "can",
        "should",
        "might",
        "may",
        "must",
        "both",
        "all",
        "still",
        "only",
    }
)

_PEOPLE = re.compile(
    r"\b(manager|team|teams|colleagues?|stakeholders?|patients?|family|families|relatives?|customers?|clients?|"
    r"suppliers?|doctors?|consultant|registrar|nurses?|pharmac\w*|supervisor|lead|owner|engineers?|support|"
    r"parents?|carers?|child|children|pupils?|students?|staff|hr|finance|legal|security|on-call|"
    r"head|director|controller|vendor|contractor|electrician|guests?|chef|kitchen|front of house|residents?|"
    r"social worker|gp|ward|charge nurse|senco|headteacher|"
    r"council|tenant|claimant|caller|users?|him|her|them|"
    r"product manager|pm|designer|analyst|auditor|sales|ops|operations|everyone|anyone|people)\b",
    re.I,
)
_RISKS = re.compile(
    r"\b(risks?|risky|danger\w*|unsafe|safe(ly|ty)?|hazard\w*|harm\w*|could go wrong|worst case|fall ?back|"
    r"roll ?back|rolled back|revert\w*|escalat\w*|breach\w*|complian\w*|without (breaking|losing|locking)|"
    r"so (that )?nothing|not lose|lost|careful|avoid\w*|protect\w*|prevent\w*|in case|if (it|that|this) "
    r"(fails|doesn't|does not|goes)|back ?out|isolat\w*|lock\w*|contain\w*|before anything else|deadline|"
    r"allerg\w*|infection|deteriorat\w*|legal\w*|liabilit\w*|warn\w*|concern\w*)\b",
    re.I,
)
_CHECK = re.compile(
    r"\b(know (that )?it (has )?worked|it worked when|success (would|will) (be|mean|look)|"
    r"treat it as (fixed|done|resolved)|check(ed|ing|s)? (that|whether|again|back|in|on)|"
    r"measur\w*|monitor\w*|track\w*|follow(ed)? up|follow-up|"
    r"review\w*|verif\w*|confirm\w*|re-?test\w*|test\w*|"
    r"audit\w*|kpis?|targets?|dashboards?|compare\w*|within (a|two|three|\d+) (days?|weeks?|months?|hours?)|"
    r"after (a|two|three|\d+) (days?|weeks?|months?)|sign(ed)? off|reconcil\w*|re-?assess\w*|observ\w*)\b",
    re.I,
)
_TASK = re.compile(
    r"\b(my (task|job|role|goal|responsibility) (was|is)|i (was|am) (responsible|asked|in charge|the)|"
    r"i owned|i led|i ran|i had to|we had to|i needed to|the goal was|the problem was|the challenge was)\b",
    re.I,
)
# A measured change: "fell to 300 ms", "went from 34% to 27%", "p99 dropped to 240 ms".
_CHANGE = re.compile(
    r"\b(fell|rose|dropped|dropping|went (down|up)|came down|climbed|grew|shrank|halved|doubled|tripled|"
    r"cut|reduced|increased|decreased|improved|lowered|raised|saved|recovered|down to|up to|under|below|"
    r"above|from .{1,40}? to|to (none|zero))\b",
    re.I,
)
# Quantities spoken as words ("from five leavers to one", "in the following three months") measure as
# well as digits; a multiple ("doubled") is a measured change on its own.
_WORD_NUMBER = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"hundred|thousand|dozen|half|none|zero)\b",
    re.I,
)
_MULTIPLE = re.compile(r"\b(halved|doubled|tripled|quadrupled)\b", re.I)


def holds_measure(text: str) -> bool:
    """A quantity in digits or words, or a multiple: what a "measured result" quote must show."""
    return bool(tf.numbers(text) or _WORD_NUMBER.search(text) or _MULTIPLE.search(text))


def _quantities(text: str) -> bool:
    return bool(tf.numbers(text) or _WORD_NUMBER.search(text))


# What happened because of the work, told without a number: "she gave the last dose without prompting".
_OUTCOME = re.compile(
    r"\b(without (any )?(help|prompting|problems?|errors?|"
    r"issues?|complaints?|incident)|on (his|her|their) own|"
    r"by (himself|herself|themselves)|agreed|accepted|approved|signed( off)?|went live|went home|passed|won|"
    r"renewed|closed|resolved|fixed|solved|recovered|stabili[sz]ed|balanced|tied out|reconciled|"
    r"(had|were|was|saw|got|have had) no\b|"
    r"no (more |further |new |repeat |unexplained )?(complaints?|errors?|"
    r"incidents?|falls?|readmissions?|issues?|problems?|"
    r"escalations?)|never (came|happened) again|still (in use|"
    r"running|uses?)|has been running|in use|stopped|"
    r"disappeared|came back|thanked|praised|adopted|rolled out|"
    r"became (the|our) (standard|default)|now (uses?|runs?|does))\b",
    re.I,
)
_REFLECT = re.compile(
    r"\b(took (away )?from (it|that|this)|takeaway|what i took|i now|these days i|ever since|since then|"
    r"from then on|next time|if i did it again|in hindsight|"
    r"taught me|i learn\w*|lessons?|(i|we|me)('ve|'d)?( \w+)? reali[sz]\w*)\b",
    re.I,
)

# A told situation starts in the past: "the order history page took four seconds to load".
_PAST_SCENE = re.compile(
    r"\b(was|were|had|took|got|came|began|started|kept|went|became|needed|wanted|asked|called|complained|"
    r"\w+ed)\b",
    re.I,
)

# "I have never needed spreadsheets", "none of my models have gone to production": the requirement denied.
_DENIAL = re.compile(
    r"\b(never (really )?(needed|used|done|had|worked|been|"
    r"got|gone|touched)|haven't (ever )?(needed|used|done)|"
    r"have not (ever )?(needed|used|done)|don't (really "
    r")?(need|use|do|get involved|bother)|do not (need|use)|"
    r"none of my|not (really )?(my|something i)|isn't (my|"
    r"something)|is not my|i prefer (not|to stay|to leave)|"
    r"(old-fashioned|overrated|waste of time|not worth)|left "
    r".{0,40} to (the|my|our)|leave .{0,40} to (the|my|our)|"
    r"that's (their|the \w+'s) job|is (really )?the \w+(?: "
    r"\w+)?'s job|i just (adjust|ignore|skip)|i'd just|"
    r"never (really |actually )?(written|seen|heard|learned|learnt|tried|bothered|\w+ed)|"
    r"that's what (the )?\w+ (are|is) for|gut feel\w*|in my head|"
    r"don't (really )?(look at|bother with|care about|believe in|think (a|an|we|i) \w+ needs?)|"
    r"not (a |really a )?(big )?fan of|i'?d rather not|"
    r"(isn't|aren't|is not|are not) really (my|something)|"
    r"(whatever|regardless of what) the (policy|procedure|rules?|guidance) says?|"
    r"(policies|procedures|rules) are (just|only) (guidelines|suggestions)|"
    r"(rather|instead) than (follow|stick)\w* (to )?the (policy|procedure|process|rules?))\b",
    re.I,
)
# Trivia or small talk: "did you know", "my favourite number is 17", "the weather today".
# A claim carried by generic words ("I made sure everything was accurate", "the team was happy with the
# results", "I learned a lot") shows no part: an interviewer hears nothing they could check.
_VAGUE = re.compile(
    r"\beverything (was|went|ran|is)\b|\b(resolved|fixed|handled|sorted( out)?|solved) (any|all the|all) "
    r"(issues?|problems?)\b|\bstuff\b|\bi learned a lot\b|\b(happy|pleased|satisfied) with (the )?(results?|"
    r"my work|it|everything|the outcome)\b|\b(went|ran|worked out) (really |very )?"
    r"(well|fine|smoothly|great)\b|\bgood results\b",
    re.I,
)
# "At my last job I worked on the month-end close": the role, not an occasion in it.
_ROLE_ONLY = re.compile(
    r"\bi (worked on|worked in|was responsible for|was in charge of|"
    r"looked after|handled|took care of|dealt with|did)\b",
    re.I,
)
_OCCASION = re.compile(
    r"\b(when|once|one (day|week|month|morning|evening|night|shift|time|year|quarter)|a time|last "
    r"(week|month|year|spring|summer|autumn|winter|quarter)|problem|fault|error|complaint|broke|"
    r"failed|wouldn't|didn't|couldn't|missing|late|behind|short)\b",
    re.I,
)


# "I did my NVQ in 2019 and I've been in pharmacy six years": the speaker's background, not how it is done.
_BACKGROUND = re.compile(
    r"\b(i've been|i have been) (in|doing|at|there|working|a)\b|\bi did my\b|\bi live\b|"
    r"\bi('ve| have) (used|done|worked with) [\w-]+( [\w-]+)? (since|for)\b|\bsince (19|20)\d\d\b|"
    r"\byears? of experience\b",
    re.I,
)


# Rating oneself instead of showing the work: "I'm pretty good at fault finding", "it's a big thing
# for me", "I always get to the bottom of it".
_SELF_CLAIM = re.compile(
    r"\bi(?:'?m| am) (really |pretty |very |quite )?"
    r"(good|great|strong|hot|confident|experienced|careful|passionate) (at|on|with|in|about)\b|"
    r"\b(a )?big thing for me\b|\bi always get (to the bottom|it right|there)\b|"
    r"\bi('ve| have) seen (most|everything|it all)\b|\bi know what i'?m doing\b",
    re.I,
)
# Words that say a thing is done well without saying how: "cool it properly", "the right temperature".
_HEDGE = re.compile(
    r"\b(properly|correctly|appropriately|as needed|the (right|correct|proper) (way|temperature|amount|"
    r"steps?|procedure|process|checks?|people)|my usual (checks|steps|process)|have a look|"
    r"see what'?s (going on|wrong|happening)|make sure (it'?s|everything'?s|it is) (right|ok|okay|fine|safe|"
    r"good|done))\b",
    re.I,
)


def self_claim(text: str) -> bool:
    """A claim about oneself with nothing shown: "I am good at machines", "I know what I'm doing"."""
    return bool(_SELF_CLAIM.search(text))


def told_topic(texts: list[str], topics: list[float]) -> float:
    """The mean topic of the sentences that tell something.

    A claim about oneself ("I am good at machines.") repeats the question's words and shows nothing.
    """
    told = [t for text, t in zip(texts, topics, strict=True) if not self_claim(text)] or topics
    return float(np.mean(told)) if told else 0.0


def vague(text: str) -> bool:
    """True when a sentence's claim rests on generic words or only names a role, with no detail."""
    if self_claim(text) or len(_HEDGE.findall(text)) >= 2 and not tf.numbers(text):
        return True
    if tf.specific_terms(text):
        return False
    if _VAGUE.search(text) or _HEDGE.search(text):
        return True
    return bool(_ROLE_ONLY.search(text)) and not _OCCASION.search(text)


# Cutting a corner, said as the plan: "there's no need to check who's calling", "I'd skip the double
# check", "I wouldn't report it yet". A hiring manager hears a skipped safeguard, whatever the field.
_SHORTCUT = re.compile(
    r"\b(no (real )?need to|there's no (real )?need|no point|(don't|do not|didn't) (really )?need to|"
    r"(isn't|aren't|is not|are not) (really )?(needed|necessary)|not really (needed|necessary)|"
    r"skip(ping)? (the|it|that)|i'?d (just )?skip|to save time|(it's|it is) (quicker|faster)|the quickest|"
    r"crack on|(i|we) wouldn'?t (add|report|write|ask|check|call|involve|bother|tell|record)|"
    r"(is|are) fine (if|as long)|as long as .{0,40}(you are|you're) fine|settles? down by itself|"
    r"at their word|i'?d just|i just (correct|reset|cross|override|set|turn|look)|"
    r"hundreds of times|for years with no|whatsoever|don't really bother|"
    r"(is|are) (really )?more for (the )?\w+|"
    r"it's their problem|never needed to check|"
    r"without (reading|checking|looking at|testing) (it|them|the)\b)\b",
    re.I,
)
# Waving a risk or a rule away, said with confidence: "at 180 degrees that's not a problem", "it's fine
# because the repository is private", "the annual count tells you everything; cycle counts are a waste",
# "I'd just leave the seeds off", "the problem is solved". Fluent answers that are wrong for the field
# are told this way far more than sound ones (parts A-G: 41 of 57 wrong-domain answers against 4 of 257
# ordinary ones, none of those twice), and a hiring manager hears the same risk in any field.
_WAVED_AWAY = re.compile(
    r"\b((that'?s|it'?s|this is|which is|is|are) (not|never) (really )?(a|an) "
    r"(problem|issue|big deal|concern|emergency)|"
    r"(that|it|this|which)('s| is) (absolutely |perfectly |totally )?fine (because|since|as|between)|"
    r"if it \w+,? (it's|it is) fine|(is|are) (perfectly |absolutely )?fine (because|since|as)|"
    r"normally sorts it|sorts itself out|(comes?|settles?|goes?) (down|away|back) on (its|their) own|"
    r"nothing really changes|(is|'s) (a|an) (complete |total )?waste( of)?|(are|is) a waste of|"
    r"(?<!there)(is|'s) (just |more than )?enough\b(?! (time|staff|people|notice|stock|for today))|"
    r"(i|we) (don'?t|do not) (usually|normally|really|always) "
    r"(qc|check|test|bother|record|document|report|do)|"
    r"(basically|pretty much|practically) (sterile|safe|harmless)|always more (dangerous|important)|"
    r"the problem is (solved|resolved|fixed|gone)|wouldn'?t (slow|hold) (the|it|things)|"
    r"no point (worrying|telling|in)|(doesn'?t|does not|don'?t|do not) (really )?matter|"
    r"(only|just) (for|needed for|really for) (the )?(reporting|leadership|show|paperwork|audits?)|"
    r"mostly (a|for) (reporting|leadership|show)|before doing anything (dramatic|drastic)|"
    r"(i'?d|i would|we'?d|i) (just|simply) (leave|scrape|pick|wipe|tell|send|put|add|give|go|fill|adjust|zip|"
    r"email|keep|let|ignore|carry|move|use|sign|push|write|run|restart|copy)|"
    r"(i|we) (can|could) (just )?(fill|sign|backdate|write) (it|them) (in|off|up) (later|back|from)|"
    r"from (last|the previous) (year|month|week)'?s (readings|figures|numbers)|"
    r"(don'?t|do not|didn'?t) need (all )?(the )?(paperwork|forms?|documentation|records?|checks?|tests?)|"
    r"(is|are) (only|just) (a|for) (formality|box[- ]ticking)|a box[- ]ticking|"
    r"(keep|keeps) the (compliance|figures|numbers|scores?) up|(you|we) (just|simply) (need|have) to)\b",
    re.I,
)
# "I don't speed up by skipping the read-back", "I never skip it": the safeguard kept, not skipped.
_KEPT = re.compile(
    r"\b(don't|do not|never|not|wouldn't|won't|no one|nobody|instead of)\b[^.;:]{0,40}$|"
    # "I will stop the pour first, it doesn't matter the wagons are waiting": the pressure is waved
    # away, not the safeguard.
    r"\b(i|we)(?:'ll| will|'d| would)? (stop|stopped|halt|halted|hold|held|pause|paused|refuse|refused)"
    r"\b(?! \w+ing\b)"
    r"[^.;:]{0,60}$",
    re.I,
)


def shortcut_at(text: str) -> int | None:
    """Where a sentence recommends skipping or waves away a check, a record or a safeguard, or None."""
    for match in [*_SHORTCUT.finditer(text), *_WAVED_AWAY.finditer(text)]:
        negated_itself = re.match(
            r"(no|don't|do not|didn't|isn't|aren't|is not|are not|not|never|i|we)\b", match.group(0), re.I
        )
        if negated_itself or not _KEPT.search(text[: match.start()]):
            return match.start()
    return None


def shortcut(text: str) -> bool:
    """True when a sentence recommends skipping or waves away a check, a record or a safeguard."""
    return shortcut_at(text) is not None


# Counts about a career or an employer, not about the work asked: "I've done over 3,000 jobs in my
# career", "my current hotel has 210 rooms and 36 staff", "I scored 92% on my course". A hiring manager
# hears the size of a CV, not what was done; with no action of one's own told elsewhere they pad.
_TALLY = re.compile(
    r"\b((in|over|across|during|throughout) (my|his|her|their|our) (whole |entire )?"
    r"(career|working life|time (here|there))|in (that|this) time|in total|"
    r"i'?ve (probably |also |now |easily |personally )?(done|given|run|worked on|planned|cooked|validated|"
    r"handled|led|managed|taught|processed|seen|fitted|sent|served|trained|made|delivered|completed|"
    r"written|built|sold|driven|supported|placed|recruited|closed|attended|treated|looked after)\b"
    r"[^.;]{0,30}?\b(over|more than|about|around|roughly|nearly|almost|hundreds|thousands|\d)|"
    r"(i'?ve|i have) (worked|been) (in|at|for|with) [^.;]{0,40}?\bfor (about |over |nearly )?"
    r"(\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty) (years|months)|"
    r"(my|our|the) (current |last |previous |old )?([\w-]+ )?(store|shop|hotel|school|company|firm|"
    r"department|trust|labs?|site|kitchen|restaurant|council|practice|office|ward|fleet|depot|branch|"
    r"warehouse|hospital|plant|factory|business|organi[sz]ation|page|website|agency) "
    r"(has|had|have|was|is|were|spends?|spent|employs?|employed|processe[sd]|serves?|served|did|does|"
    r"won|runs?|ran|sees|saw|grew|handles?|handled)\b|"
    r"\bwe (have|had|employ|employed|run|ran|serve|served|process|processed|see|saw|handle|handled|sent|"
    r"send|did|do) (about |around |over |more than |roughly |nearly |some |up to )?\d|"
    r"(i'?ve|i have) got (a )?\d|i (scored|passed|got) [^.;]{0,40}?\d+ ?(%|per ?cent|percent))",
    re.I,
)


def tally(text: str) -> bool:
    """True when a sentence counts a career's or an employer's size rather than telling the work."""
    return len(tf.numbers(text)) >= 2 and bool(_TALLY.search(text))


_TRIVIA = re.compile(
    r"\b(did you know|fun fact|favou?rite (number|colou?r|food)|numbers are important to me)\b", re.I
)
_SMALL_TALK = re.compile(
    r"\b(did you know|fun fact|favou?rite (number|colou?r|food)|the weather|cups? of coffee|my (cat|cats|dog|"
    r"dogs|car|flat|commute|hobby|hobbies)|i'?m \d+ percent)\b",
    re.I,
)


@dataclass(frozen=True)
class Sentence:
    """One answer sentence as the rubric reads it."""

    text: str
    encoded: Encoded
    topic: float  # closest cosine to the question or the requirement
    on_topic: bool


@dataclass
class Found:
    """What the rubric found in an answer."""

    kind: str  # "behavioural" or "situational"
    sentences: list[Sentence]
    evidence: dict[Part, str] = field(default_factory=dict)  # part -> the sentence that shows it
    measured: bool = False  # the result shown holds a measure (a number)
    own_steps: int = 0
    we_steps: int = 0
    past_steps: int = 0  # situational: steps told as done once ("I moved him"), which no plan counts
    specific: int = 0
    words: int = 0
    on_topic_share: float = 0.0  # share of the answer's words in on-topic sentences
    recall: float = 0.0  # topic_recall of the whole answer
    term_bonus: float = 0.0  # the answer names a tool or term of the question or requirement
    scenario: float | None = None  # situational: the whole answer's cosine to the question's scene
    whole_topic: float = 0.0  # the whole answer's closest cosine to the question or the requirement

    @property
    def mean_topic(self) -> float:
        """The mean over sentences of each one's closest cosine to the question or the requirement.

        Claims about oneself are left out (``told_topic``).
        """
        return told_topic([s.text for s in self.sentences], [s.topic for s in self.sentences])

    def topic_score(self, recall_weight: float) -> float:
        """How much the whole answer is about the question asked (mean sentence topic + weighted recall).

        On the dev set's experience answers (off-topic and pasted answers against the rest) the mean
        sentence topic separates with ROC-AUC 0.92 and recall 0.86; the sum with recall at half
        weight 0.93 (real answers: 5th percentile 0.43; off-topic and pasted: median 0.39, max 0.53).
        """
        return round(self.mean_topic + recall_weight * self.recall + self.term_bonus, 4)

    best_topic: float = 0.0
    denies_requirement: str = ""  # the sentence denying the requirement, when nothing else is shown
    padding: list[str] = field(default_factory=list)  # sentences of unrelated numbers or small talk
    shortcuts: list[str] = field(default_factory=list)  # sentences that skip a check or a safeguard

    @property
    def told_past_example(self) -> bool:
        """Asked what one would do, the answer tells what one did once, with no step of a plan."""
        plan = self.own_steps + 0.5 * self.we_steps
        return self.kind == "situational" and plan < 1 and self.past_steps >= 2

    @property
    def wanted(self) -> tuple[Part, ...]:
        """The parts a strong answer to this kind of question shows."""
        if self.kind == "technical":
            return TECHNICAL_PARTS
        return SITUATIONAL_PARTS if self.kind == "situational" else BEHAVIOURAL_PARTS


# Words of any interview question that say nothing about its topic.
_GENERIC = frozenset(
    [
        "time",
        "tell",
        "describe",
        "example",
        "experience",
        "ability",
        "years",
        "year",
        "work",
        "worked",
        "working",
        "walk",
        "through",
        "what",
        "would",
        "you",
        "how",
        "your",
        "do",
        "did",
        "one",
        "team",
        "talk",
        "give",
        "share",
        "situation",
        "approach",
        "handle",
        # the closings a question template adds ("What was your part, and how did it turn out?")
        "part",
        "turn",
        "out",
        "result",
        "happened",
        "performing",
        "decisions",
        "matter",
        "most",
        "key",
        "steps",
        "know",
    ]
)


def topic_recall(answer: Encoded, anchors: list[Encoded]) -> float:
    """How well the answer's words cover the topic words of the question and the requirement.

    For each anchor, every topic word's closest answer word (contextual word vectors, the same stem
    a perfect match) averaged; then the mean over the anchors. Measured on the dev set's English
    answers: off-topic stories 0.27-0.38, answers pasted from another question 0.14-0.56, real
    answers median 0.55. Sentence cosines separate these worse (a wedding budget sentence is 0.38
    from "launching payment features in more than one country").
    """
    values = []
    for anchor in anchors:
        idx = [i for i, w in enumerate(anchor.words) if w not in _GENERIC]
        if not idx or not answer.words:
            continue
        sims = anchor.word_vectors[idx] @ answer.word_vectors.T
        same = np.equal.outer(
            np.array([anchor.stems[i] for i in idx], dtype=object), np.array(answer.stems, dtype=object)
        )
        sims = np.where(same, 1.0, sims)
        values.append(float(np.clip(sims.max(axis=1), 0.0, 1.0).mean()))
    return round(float(np.mean(values)), 4) if values else 0.0


def named_terms(text: str) -> set[str]:
    """The names, acronyms and versions a text uses (lower-case), not its numbers."""
    return {t.lower() for t in tf.specific_terms(text) if not any(ch.isdigit() for ch in t[:1])} - {"i"}


def read_topic(
    candidates: list[tuple[str, Encoded]],
    anchors: list[Encoded],
    rubric: ExperienceRubric,
    whole: Encoded | None = None,
    recall: float = 0.0,
) -> list[Sentence]:
    """Each sentence with its topic cosine, and whether it is on topic.

    On topic by itself (``on_topic_cosine``), next to an on-topic sentence (``near_topic_cosine``;
    the story goes on while each next sentence stays that close), or part of the same story as the
    on-topic sentences: within ``story_cosine`` of one of them. A story's
    result and lesson share few words with an abstract requirement ("lost events went from 0.8% to
    zero" for "backend development in Python": cosine 0.14) but many with the story that set them up
    (the sentence about losing 0.8% of events); a sentence about the weather shares neither.
    """
    topics = []
    for _, enc in candidates:
        best = max((float(enc.vector @ a.vector) for a in anchors), default=0.0)
        topics.append(round(best, 4))
    core = [t >= rubric.on_topic_cosine for t in topics]
    if whole is not None and max((float(whole.vector @ a.vector) for a in anchors), default=0.0) >= (
        rubric.on_topic_cosine
    ):
        # The answer as a whole is on topic: a terse sentence that carries its main thought ("A hinge
        # question before independent work.") is part of it, though alone it shares few words with the
        # question.
        carries = [round(float(enc.vector @ whole.vector), 4) >= rubric.whole_cosine for _, enc in candidates]
        core = [c or w for c, w in zip(core, carries, strict=True)]
    if not any(core) and topics:
        told = told_topic([text for text, _ in candidates], topics)
        if told + rubric.recall_weight * recall >= rubric.words_on_topic:
            # No sentence is near the question by cosine, yet the answer's words cover its topic as
            # well as most real answers do: a machinist's story of a lathe, a bushing and a micrometer
            # is 0.21 from "machine shop work". Its sentences close to the topic carry it.
            core = [t >= rubric.near_topic_cosine for t in topics]
    on = [
        core[i]
        or (topic >= rubric.near_topic_cosine and any(core[j] for j in (i - 1, i + 1) if 0 <= j < len(core)))
        for i, topic in enumerate(topics)
    ]
    # The story grows from its on-topic sentences: a sentence close to one of them joins, until none does.
    vectors = [enc.vector for _, enc in candidates]
    pairs = np.round(np.array(vectors) @ np.array(vectors).T, 4) if vectors else np.zeros((0, 0))
    changed = any(on)
    while changed:
        changed = False
        for i in range(len(on)):
            if on[i]:
                continue
            kin = any(on[j] and pairs[i, j] >= rubric.story_cosine for j in range(len(on)))
            near = topics[i] >= rubric.near_topic_cosine and any(
                on[j] for j in (i - 1, i + 1) if 0 <= j < len(on)
            )
            if kin or near:
                on[i] = changed = True
    return [
        Sentence(text=text, encoded=enc, topic=topic, on_topic=flag)
        for (text, enc), topic, flag in zip(candidates, topics, on, strict=True)
    ]


# "I haven't formally supervised a Band 5 yet ... I'd meet them in the first week": no example of one's
# own, said plainly, then a plan. The grading rubric rates such an answer as a plan (fair, up to about 70).
_ADMITS = re.compile(
    r"\b(i )?(haven't|have not|never|not) (yet |formally |actually |personally |really |ever |had to )*"
    r"(had|done|been|faced|supervised|managed|led|worked|dealt|come across|handled|run|used|found|"
    r"had to|been asked|seen)\b|\bno (direct |real )?experience (of|with|in)\b|"
    r"\bnot (had|done) (it|this|that) yet\b",
    re.I,
)
HONEST_PLAN = "no example of your own yet: judged as a plan"
# A story of what one did once, told to "what would you do": evidence, but not the plan asked for.
# Read as a plan it lifts answers pasted from another question as much as real ones (on the dev set
# A-K Spearman 0.774 -> 0.770), so it earns no plan part; the card says so instead of only "missing".
PAST_EXAMPLE = "told as a past example, not as a plan for this situation"
PLAN_FROM_EXAMPLE = (
    "This asks what you would do: give your plan for this situation step by step (who you would "
    "involve, the risks, how you would check it worked); your past example can back each step."
)


def past_steps(sentence: str) -> int:
    """Steps a sentence tells as done ("I moved him to a bay"), read as a story's: a story, not a plan.

    "I rang the shift leader" is no step of a story by itself (what follows it is), but here it shows
    the answer was told in the past.
    """
    told = sum(
        1
        for m in _I_VERB.finditer(sentence)
        if m.group(1).lower() == "i"
        and m.group(2).lower() in _TOLD_PAST
        and parts._acts_on_something(sentence, m.end())
    )
    return sum(_steps(sentence, situational=False)) + told


def honest_plan(text: str) -> bool:
    """True when a behavioural answer says plainly it has no such example and gives a plan instead."""
    admitted = _ADMITS.search(text[: max(200, len(text) // 3)])
    return bool(admitted) and len(_WOULD.findall(text)) >= 2


_TOLD_PAST = frozenset({"saw", "got", "went", "rang", "caught", "came", "heard"})
# Past forms the wording lexicon (core.text) does not hold: "I fed her", "I broke it down", "I lost".
_MORE_PAST = frozenset(
    """
    fed broke hung dug swept lost rode sat threw wore froze shook stuck struck woke forgot hid lit shut
    bent sped slid sang ate drank fell
    """.split()  # noqa: SIM905
)


def _done(verb: str) -> bool:
    return verb.endswith("ed") or verb in ACTION_PAST or verb in _MORE_PAST


def _told_in_past(verb: str) -> bool:
    return _done(verb) or verb in _TOLD_PAST


def _steps(sentence: str, situational: bool) -> tuple[int, int]:
    """(own steps said with 'I', steps said with 'we') that one sentence states."""
    if _HABIT.search(sentence) and situational and not _WOULD.search(sentence):
        return 0, 0  # "I always follow the policy": a habit, not a plan for this situation
    mine = ours = 0
    subject = ""
    told_past = any(_told_in_past(m.group(2).lower()) for m in _I_VERB.finditer(sentence))
    for match in _I_VERB.finditer(sentence):
        verb = match.group(2).lower()
        if (
            verb in parts._NOT_ACTIONS
            or verb in _STATE_VERBS
            or verb in ("'d", "would", "will", "had", "have")
        ):
            continue
        done = _done(verb)
        if verb in _TOLD_PAST and not situational:
            # "I saw the baby that day, got the charts, asked for a review": not a step itself ("I saw
            # that ..."), but the story is told in the first person, so the verbs listed after it count.
            subject = subject or match.group(1).lower()
            continue
        if not done and not situational:
            continue  # "I attend sprint planning": a duty, not something done
        if situational and (done or told_past):
            continue  # asked what one would do, a past story is not a plan for this situation
        subject = subject or match.group(1).lower()  # "I profiled it, moved the writes ...": a list follows
        if not parts._acts_on_something(sentence, match.end()):
            continue
        if match.group(1).lower() == "i":
            mine += 1
        else:
            ours += 1
    if situational:
        for match in _WOULD.finditer(sentence):
            verb = match.group(2).lower()
            if verb in _STATE_VERBS or verb in parts._NOT_ACTIONS:
                continue
            subject = subject or match.group(1).lower()  # "I'd draft it, prepare ..., update ...": a list
            if parts._acts_on_something(sentence, match.end()):
                if match.group(1).lower() == "i":
                    mine += 1
                else:
                    ours += 1
        first = words(sentence)[:1]
        imperative = bool(_IMPERATIVE_STEP.match(sentence)) or bool(first and _plan_verb(first[0]))
        if imperative and not mine and not ours and len(words(sentence)) >= 4:
            # "First, check the airway and call for help."; "Raise a major incident, get ... on it".
            mine += 1
            subject = "i"
    if mine or ours or subject:
        listed = sum(
            1 for m in parts._LISTED_VERB.finditer(sentence) if parts._acts_on_something(sentence, m.end())
        )
        if situational:
            # A plan lists its steps in the base form: "I'd draft it, prepare ..., update ...".
            listed += sum(
                1
                for m in _LISTED_BASE.finditer(sentence)
                if _plan_verb(m.group(1)) and m.group(1).lower() not in _STATE_VERBS
                and parts._acts_on_something(sentence, m.end())
            )
        if mine or subject == "i" and not ours:
            mine += listed
        else:
            ours += listed
    return mine, ours


_REASON = re.compile(
    r"\b(because|so that|so the|so it|so you|so we|so next|so (i|they|he|she|nobody|no one|everyone|each)|"
    r"to (make sure|check|confirm|catch|stop|protect)|in case|"
    r"otherwise|which means|to avoid|to keep|since|that way|"
    r"in order to|the reason|this (stops|prevents|keeps|means)|or else|prevents?|avoids?)\b",
    re.I,
)


def _read_technical(
    found: Found, on: list[Sentence], asked: frozenset[str], rubric: ExperienceRubric
) -> Found:
    """Method (statements of substance), reasons and details, from on-topic sentences only."""
    statements = [
        s
        for s in on
        if len(words(s.text)) >= rubric.min_step_words
        and not _DENIAL.search(s.text)
        and not _BACKGROUND.search(s.text)
        and not vague(s.text)
    ]
    found.own_steps = len(statements)
    best_detail, most = "", 0
    terms: set[str] = set()
    for s in statements:
        found_terms = {t.lower() for t in tf.specific_terms(s.text)} | concrete_stems(s.text, asked)
        terms |= found_terms
        if len(found_terms) > most:
            best_detail, most = s.text, len(found_terms)
        if Part.REASONS not in found.evidence and _REASON.search(s.text):
            found.evidence[Part.REASONS] = s.text
    if statements:
        found.evidence[Part.METHOD] = statements[0].text
    if most >= rubric.detail_terms:
        found.evidence[Part.DETAIL] = best_detail
    found.specific = len(terms)
    return found


def read_parts(
    sentences: list[Sentence],
    kind: str,
    whole: str,
    rubric: ExperienceRubric,
    asked: frozenset[str] = frozenset(),
) -> Found:
    """The parts, specificity, ownership and length of an answer; parts only from on-topic sentences.

    ``asked``: the content stems of the question and the requirement; repeating them is no detail.
    """
    situational = kind == "situational"
    found = Found(kind=kind, sentences=sentences)
    total_words = len(words(whole))
    found.words = total_words
    on = [s for s in sentences if s.on_topic]
    found.best_topic = max((s.topic for s in sentences), default=0.0)
    found.on_topic_share = sum(len(words(s.text)) for s in on) / max(
        1, sum(len(words(s.text)) for s in sentences)
    )
    denials = [s.text for s in sentences if _DENIAL.search(s.text) and s.topic >= rubric.near_topic_cosine]
    denial = denials[0] if denials else ""
    # Padding: numbers in sentences off the topic, or small talk (no part can be found in them).
    found.padding = [
        s.text
        for s in sentences
        if _TRIVIA.search(s.text)
        or (_SMALL_TALK.search(s.text) and s.topic < rubric.on_topic_cosine)
        or (
            tf.numbers(s.text)
            and s.topic < rubric.padding_cosine
            and not _CHANGE.search(s.text)
            and not s.on_topic  # a story's result shares words with the story, not with the question
        )
    ]
    if found.padding:
        on = [s for s in on if s.text not in found.padding]
    # Counts of a career or an employer earn no part; with nothing done told elsewhere they pad.
    tallies = [s.text for s in sentences if tally(s.text) and s.text not in found.padding]
    on = [s for s in on if s.text not in tallies]
    found.shortcuts = [s.text for s in sentences if shortcut(s.text) and s.topic >= rubric.near_topic_cosine]
    on = [s for s in on if s.text not in found.shortcuts]  # a skipped check is no step, reason or detail
    if kind == "technical":
        _read_technical(found, on, asked, rubric)
        if tallies and not found.own_steps:
            found.padding += tallies
        if denial and (len(denials) >= 2 or found.own_steps - 1 < rubric.denial_max_steps):
            found.denies_requirement = denial
        return found
    terms: set[str] = set()
    first_step = ""
    for s in on:
        text = s.text
        if vague(text):
            continue
        mine, ours = _steps(text, situational)
        if situational and len(words(text)) < rubric.min_step_words:
            mine = ours = 0  # "I help people.": a claim about oneself, no step of a plan
        told = past_steps(text) if situational else 0
        found.past_steps += told
        found.own_steps += mine
        found.we_steps += ours
        if (mine or ours) and not first_step:
            first_step = text
        if mine or ours or re.search(r"\b(i|we|my|our|me|us)\b", text, re.I) or tf.has_result(text):
            # details of the work, not trivia: names, numbers and the field's own words
            terms |= {t.lower() for t in tf.specific_terms(text)} | concrete_stems(text, asked)
        result = tf.has_result(text)
        if Part.SITUATION not in found.evidence and (parts._SITUATION.search(text) or _TASK.search(text)):
            found.evidence[Part.SITUATION] = text
        changed = (_quantities(text) and bool(_CHANGE.search(text))) or bool(_MULTIPLE.search(text))
        if changed or parts.evidence(parts.Role.RESULT, text, result):
            measured = changed or (bool(tf.numbers(text)) and (result or bool(parts._MEASURE.search(text))))
            # A story ends with its result: a later result replaces an earlier one unless it is a
            # plain outcome after a measured change ("losing 0.8% of events" is the problem, not the result).
            if Part.RESULT not in found.evidence or measured or not found.measured:
                found.evidence[Part.RESULT] = text
                found.measured = measured
        reflects = parts.evidence(parts.Role.REFLECTION, text, result) or (
            bool(_REFLECT.search(text)) and len(words(text)) >= 6
        )
        if Part.REFLECTION not in found.evidence and reflects:
            found.evidence[Part.REFLECTION] = text
        elif (
            not situational
            and Part.RESULT not in found.evidence
            and first_step
            and text != first_step
            and _OUTCOME.search(text)
            and not reflects
        ):
            found.evidence[Part.RESULT] = text  # a concrete outcome, told after the actions
        if situational and not (told and not (mine or ours)):
            # who is involved, the risks and the check of a plan, not of a story told in the past
            if Part.PEOPLE not in found.evidence and _PEOPLE.search(text):
                found.evidence[Part.PEOPLE] = text
            if Part.RISKS not in found.evidence and _RISKS.search(text):
                found.evidence[Part.RISKS] = text
            if (
                Part.CHECK not in found.evidence
                and _CHECK.search(text)
                and (mine or ours or tf.numbers(text) or re.search(r"\b(i|we)\b", text, re.I))
            ):
                found.evidence[Part.CHECK] = text
    if not situational and Part.SITUATION not in found.evidence:
        # No stated setting, but the story opens in the past ("the page took four seconds to load").
        opening = on[: max(1, len(on) // 3)]
        scene = next(
            (
                s.text
                for s in opening
                if _PAST_SCENE.search(s.text) and len(words(s.text)) >= 6 and not vague(s.text)
            ),
            "",
        )
        if scene:
            found.evidence[Part.SITUATION] = scene
    found.specific = len(terms)
    steps = found.own_steps + 0.5 * found.we_steps
    if steps >= 1 and first_step:
        found.evidence[Part.ACTIONS if not situational else Part.PLAN] = first_step
    if situational and Part.PLAN not in found.evidence and steps >= 1 and first_step:
        found.evidence[Part.PLAN] = first_step
    if tallies and steps < 1:
        found.padding += tallies
    if not situational and steps < 1:
        # "A result of your actions" needs actions: facts about the employer or the team ("our
        # occupancy was 91%") with nothing the candidate did are no result of theirs.
        found.evidence.pop(Part.RESULT, None)
        found.measured = False
    if situational and steps < 1:
        # Who is involved, the risks and the check belong to a plan: without one step of one's own (or
        # two said with "we") there is no plan.
        for part in (Part.PEOPLE, Part.RISKS, Part.CHECK):
            found.evidence.pop(part, None)
    if situational and Part.SITUATION in found.evidence:
        del found.evidence[Part.SITUATION]  # not a part of a plan; a past example shows as plan steps
    # Denying the requirement ("I've never needed spreadsheets") with nothing done or planned instead.
    if denial and (len(denials) >= 2 or steps < rubric.denial_max_steps):
        found.denies_requirement = denial
    return found


def credit(found: Found, rubric: ExperienceRubric) -> dict[Part, float]:
    """Credit 0-1 for each wanted part (actions and plan by the number of steps, 'we' counting half)."""
    out: dict[Part, float] = {}
    steps = found.own_steps + rubric.we_step_credit * found.we_steps
    for part in found.wanted:
        if part not in found.evidence:
            out[part] = 0.0
        elif part in (Part.ACTIONS, Part.PLAN):
            out[part] = min(1.0, steps / rubric.steps_for_full)
        elif part is Part.METHOD:
            out[part] = min(1.0, steps / rubric.technical_steps_for_full)
        elif part is Part.RESULT:
            out[part] = 1.0 if found.measured else rubric.outcome_credit
        else:
            out[part] = 1.0
    return out


@dataclass(frozen=True)
class Judged:
    """The rubric's sub-scores (0-100) and the score before caps."""

    parts: int
    relevance: int
    specificity: int
    ownership: int
    results: int
    score: int
    length_note: str


def judge(found: Found, rubric: ExperienceRubric, level: str) -> Judged:
    """Combine the parts, specificity and ownership; weigh by how much of the answer is on topic."""
    credits = credit(found, rubric)
    weights = {
        "situational": rubric.situational_weights,
        "technical": rubric.technical_weights,
    }.get(found.kind, rubric.behavioural_weights)
    part_weight = {
        Part.METHOD: weights.method,
        Part.REASONS: weights.reasons,
        Part.DETAIL: weights.detail,
        Part.SITUATION: weights.situation,
        Part.ACTIONS: weights.actions,
        Part.RESULT: weights.result,
        Part.REFLECTION: weights.reflection,
        Part.PLAN: weights.plan,
        Part.PEOPLE: weights.people,
        Part.RISKS: weights.risks,
        Part.CHECK: weights.check,
    }
    total_parts = sum(part_weight[p] for p in found.wanted)
    parts_score = sum(part_weight[p] * credits[p] for p in found.wanted) / total_parts
    for_full = rubric.specific_terms_for_full.at(level)
    if found.kind == "technical":
        for_full = rubric.technical_terms_for_full.at(level)
    specificity = min(1.0, found.specific / for_full)
    steps = found.own_steps + found.we_steps
    ownership = 1.0 if steps == 0 else found.own_steps / steps
    raw = (weights.parts * parts_score + weights.specificity * specificity) / (
        weights.parts + weights.specificity
    )
    low, high = rubric.relevance_cosine.low, rubric.relevance_cosine.high
    relevance = float(np.clip((found.best_topic - low) / (high - low), 0.0, 1.0))
    share = min(1.0, found.on_topic_share / rubric.full_on_topic_share)
    band, value = rubric.topic_score, found.topic_score(rubric.recall_weight)
    if found.kind == "technical":
        band, value = rubric.technical_topic_recall, found.recall
    fit = float(np.clip((value - band.low) / (band.high - band.low), 0.0, 1.0))
    if found.scenario is not None:
        scene = rubric.scenario_cosine
        fit = min(fit, float(np.clip((found.scenario - scene.low) / (scene.high - scene.low), 0.0, 1.0)))
    topic_factor = share * (rubric.topic_floor + (1 - rubric.topic_floor) * fit)
    length_note = ""
    length_factor = 1.0
    if found.words < rubric.short_words:
        length_note = (
            f"short answer: {found.words} words (a spoken answer is about {rubric.short_words}-"
            f"{rubric.long_words})"
        )
        length_factor = rubric.short_factor
    elif found.words > rubric.long_words:
        length_note = (
            f"long answer: {found.words} words (a spoken answer is about {rubric.short_words}-"
            f"{rubric.long_words})"
        )
        length_factor = rubric.long_factor
    score = 100 * raw * topic_factor * length_factor
    results = (
        0
        if Part.RESULT not in found.evidence and Part.CHECK not in found.evidence
        else (
            100
            if found.measured or Part.CHECK in found.evidence and found.kind == "situational"
            else int(round(100 * rubric.outcome_credit))
        )
    )
    return Judged(
        parts=int(round(100 * parts_score)),
        relevance=int(round(100 * relevance)),
        specificity=int(round(100 * specificity)),
        ownership=int(round(100 * ownership)),
        results=results,
        score=int(max(0, min(100, round(score)))),
        length_note=length_note,
    )
