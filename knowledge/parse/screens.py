"""Sentences that never become requirements, wherever they stand.

What the employer offers, pay, how to apply, the selection and exam process, verification checks,
equal-opportunity text, about-us.

Real postings (NHS adverts, civil-service bulletins, county career pages, LinkedIn descriptions) put
these in the same lists and paragraphs as the duties and qualifications, under headings that do not
say so ("COME GROW WITH US!", "NOTES:"), so a heading rule alone cannot drop them. Each pattern is
general vocabulary of such text, never a phrase of one posting; each is linear in its input.
"""

from __future__ import annotations

import re

from core.text import STOPWORDS, words

# What the employer gives: leave, pensions, insurance, discounts, perks, development offered.
_BENEFIT = re.compile(
    r"\bpension|\bannual leave\b|\bpaid (?:annual |sick )?(?:holidays?|time off|leave)\b|"
    r"\bdays? (?:of )?(?:paid )?(?:holiday|annual leave)|\bbank holidays?\b|\bholidays? per year\b|"
    r"\blife (?:assurance|insurance)\b|\bhealth (?:insurance|cover|service discounts)\b|\bdiscount|"
    r"\bchild ?care\b|\bvouchers?\b|\bcycle to work\b|\blease car\b|\brelocation (?:allowance|package)|"
    r"\bmedical, dental\b|\bdental (?:and|&) vision\b|\bvision plans?\b|\bprescription drug|"
    r"\bspending accounts?\b|\bretirement (?:savings|plans?)\b|\bemployer contributions?\b|"
    r"\beducational assistance\b|\btuition (?:reimbursement|assistance)\b|\buniform provided\b|"
    r"\bbenefits? (?:package|offerings?|coverage|guide)\b|\bemployee benefits?\b|"
    r"\bperformance bonus\b|\bsigning bonus\b|^bonus\b|\bwork[- ]life balance\b|^flexible (?:hours|"
    r"working)\b|"
    r"^fully remote\b|\bopportunit(?:y|ies) for (?:growth|development|progression)\b|"
    r"^training and development opportunities\b|\bprotected cpd\b|\bpreceptorship\b|"
    r"^(?:leadership programmes?|coaching and mentoring)$|\bwe (?:can )?offer\b|\bin return\b|"
    r"\bwe will invest\b|\bmore than just a paycheck\b|\b(?:eligible for|receive|enjoy|"
    r"offers?) (?:\w+ )?benefits\b|"
    r"\bthis is your (?:opportunity|chance)\b",
    re.IGNORECASE,
)
# Pay, hours and contract facts: they describe the post, no candidate can be asked about them.
_PAY = re.compile(
    r"[$£€]\s?\d|\bper hour\b|/hour\b|\bsalary\b|\bpay (?:rates?|range|scale|grade|listed)\b|"
    r"\brates? of pay\b|\bweekly pay\b|\bunsocial payments?\b|\ballowance\b|\bflat-rated\b|"
    r"^(?:full|part)[- ]time\b.{0,40}$|\bhours per week\b.{0,20}$|\bshifts? hours\b|"
    r"^(?:exempt|non-exempt|permanent|temporary|salary)$",
    re.IGNORECASE,
)
# How to apply and what happens to an application, tests and lists included.
_PROCESS = re.compile(
    r"\b(?:applicants?|candidates)\b (?:who|must (?:include|complete|submit|attach|provide)|will (?:be|have|"
    r"not)|"
    r"may (?:be|not|expect|file)|are (?:urged|encouraged|accepted)|filing|requiring|considered|completing)|"
    r"\bfil(?:e|ing) (?:for|under|on|period)\b|\bat the time of filing\b|\bqualifications questionnaire\b|"
    r"\bsupplemental questions?\b|\b(?:city|online|on-line|regular|your|the|their|an|"
    r"every) applications?\b(?! of)|"
    r"\bapplications? (?:form|process|materials|deadline|must|will|are|submitted)\b|\bapply (?:early|now|"
    r"online|on-line)\b|"
    r"\bplease (?:apply|begin your application|note that (?:you|we|all))|\bclosing date\b|\bshortlist|"
    r"\binterview (?:date|panel|board|portion)|\bscheduled for an? (?:civil service )?interview\b|"
    r"\bexamination\b|\bwritten test\b|\beligible list\b|\breserve list\b|\bseniority credit|"
    r"\bpromotional (?:list|basis|candidates?|applicants?)\b|\bopen competitive\b|\bcivil service (?:rule|"
    r"commission)\b|"
    r"\bcontent validation study\b|\bqualifying (?:time|test|swimming test|written test)\b|"
    r"\bverification of work experience\b|\bVWE\b|\bDD ?(?:form )?214\b|\bprobationary period\b|"
    r"\bcontacted (?:via|by)\b|\bwill be contacted\b|\bnot (?:be )?(?:considered|processed) further\b|"
    r"\bresume and (?:a )?(?:cover )?letter\b|\bletters? of (?:recommendation|interest)\b|"
    r"\bthis (?:vacancy|recruitment) (?:will be|is open)\b|\breserve the right\b|\binformal visits?\b|"
    r"\btelephone contact from applicants\b|\bclick here\b|\bby applying\b|\bwe regret\b|"
    r"\bdo you (?:understand|possess|have)\b.*\?$|\bplease (?:select|indicate|specify|describe)\b|"
    r"^(?:what|which|where|how many)\b.*\?$|^(?:none of the above|none|yes|no|n/a|or|and)$|"
    r"https?://|\bwww\.\w|\?$|\bmay change at any time\b|\bwill not be considered\b|"
    r"^(?:miscellaneous|other|general)$",
    re.IGNORECASE,
)
# Checks made on the person hired, not abilities: DBS, references, drug tests, medicals.
_VERIFICATION = re.compile(
    r"\bDBS\b|\bbackground (?:checks?|investigation)\b|\bsubject to (?:references|satisfactory)|"
    r"\bdrug (?:and alcohol )?(?:screening|testing|test)\b|\bmedical examination\b|\bfitness evaluation\b|"
    r"\boriginal certificates?\b|\btier 2 sponsorship\b|"
    r"\bOH checks?\b|\bcriminal record",
    re.IGNORECASE,
)
# Equal-opportunity and accommodation text, and disclaimers about the description itself.
_EEO = re.compile(
    # Statements, not topics: "Knowledge of equal opportunity law" is a requirement.
    r"\bequal (?:employment )?opportunity (?:employer|employment|organi[sz]ation)|"
    r"\b(?:is|are|as) an? (?:proud )?equal (?:employment )?opportunit|\bdoes not discriminate\b|"
    r"\bwithout regard to\b|"
    r"\bdiscriminat(?:e|ed|ion) (?:on the basis|against)\b|\baffirmative action\b|"
    r"\breasonable accommodations?\b|\bdisability (?:related )?accommodation|"
    r"\bAmericans with Disabilities Act\b|"
    r"\bnot (?:an |intended to be an? |designed to (?:cover|be) )?(?:exhaustive|all-inclusive|"
    r"comprehensive)\b|"
    r"\bother (?:duties|tasks) as (?:assigned|required)\b|\bunion shop provision\b|"
    r"\brepresented by\b[^.]{0,80}\b(?:association|union)\b|\bnot designed to cover\b|"
    r"\bcomprehensive listing\b|\bcommitted to (?:building )?(?:an? )?(?:diverse|inclusive)\b|"
    r"\bwelcome applica\w* from all\b|\badjustments? (?:during|for|in) (?:the |our |your )?(?:process|"
    r"interviews?|application|recruitment)\b",
    re.IGNORECASE,
)
# The employer describing itself rather than the job.
_ABOUT_US = re.compile(
    r"^(?:about us|who we are)\b|\bwe(?:['’]re| are) (?:a |the )?(?:global |leading |proud )*(?:leader|"
    r"leading provider)\b|"
    r"\bis the (?:leading|largest|statewide)\b|\bour (?:vision|mission) is\b|\bheadquartered in\b|"
    r"\bwe are (?:dedicated|committed) to\b|\bwe believe\b|\bcovers most of\b|\bwith a population of\b|"
    r"^at [A-Z][^,]{2,60}, we\b",
    re.IGNORECASE,
)
_LEADING_SYMBOLS = re.compile(r"^[^\w$£€]+")
_SCREENS = (("benefit", _BENEFIT), ("pay", _PAY), ("process", _PROCESS), ("verification", _VERIFICATION),
            ("eeo", _EEO), ("about", _ABOUT_US))


def not_a_requirement(text: str) -> str | None:
    """Why ``text`` can never be a requirement (benefit, pay, process, verification, eeo, about), or None."""
    text = _LEADING_SYMBOLS.sub("", text)  # "💼 About Us: ...", "(Please note: ...)"
    for name, pattern in _SCREENS:
        if pattern.search(text):
            return name
    return None


# English prose is 40-55% English function words, the terse lists of the gold set's postings 24-45%.
# A posting in French, German, Spanish, Dutch, Italian or Portuguese has more of its own function
# words than English ones; a keyword list has few of either and is judged as English.
MIN_FOREIGN_SHARE = 0.10
_MIN_WORDS_TO_JUDGE = 40
# A short advert (a German one of 36 words has 12 of its function words and no English one) is
# judged too once it holds this many foreign function words (and more than English ones).
_FOREIGN_WORDS_TO_JUDGE = 8
_FOREIGN_WORDS = frozenset(
    """
    de la le les des et en du un une pour avec dans sur est au aux nous vous votre der die das und
    mit für von zu ist ein eine den dem sie wir ihre oder auf bei el los las y con para por que del
    una su sus se es como al het een van voor met zijn wij je jouw ook naar bij il di che per non è
    da della delle gli nel sono em com não os ao pelo pela uma dos das
    """.split()  # noqa: SIM905 (a word list reads better as words)
)


def is_english(text: str) -> bool:
    """Whether ``text`` reads as English: fewer function words of other languages than of English."""
    tokens = words(text[:20_000])
    english = sum(1 for token in tokens if token in STOPWORDS)
    foreign = sum(1 for token in tokens if token in _FOREIGN_WORDS and token not in STOPWORDS)
    if len(tokens) < _MIN_WORDS_TO_JUDGE and foreign < _FOREIGN_WORDS_TO_JUDGE:
        return True
    return not (foreign > english and foreign >= MIN_FOREIGN_SHARE * len(tokens))


# --- a CV brought instead of a posting -------------------------------------------------------------

# Periods of employment or study: "2019 - present", "2016 – 2019". A posting may name one ("the
# 2025-2026 school year"); a CV lists one per job.
_PERIOD = re.compile(
    r"\b(?:19|20)\d\d\s*(?:-|–|—|to)\s*(?:(?:19|20)\d\d|present|current|now|date|today)\b", re.IGNORECASE
)
_CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|(?:\+|\b0)\d[\d ]{8,}\d\b")
_CV_HEADING = re.compile(
    r"^[#*\s]*(?:profile|personal (?:profile|statement)|professional summary|career (?:history|summary)|"
    r"work experience|employment(?: history)?|education(?: and training)?|references|interests|hobbies)"
    r"[*\s:]*$",
    re.IGNORECASE | re.MULTILINE,
)
_MIN_PERIODS = 2


def looks_like_a_cv(text: str) -> bool:
    """Whether ``text`` is a CV or résumé: periods of employment, and contact details on top or CV headings.

    On the 46 postings of ../shared/postings, bench/data and knowledge/postings no text has two such
    periods, none has an e-mail or phone number in its first lines, and one has one CV heading
    ("Education"); a one-page CV has all three.
    """
    sample = text[:50_000]
    if len(_PERIOD.findall(sample)) < _MIN_PERIODS:
        return False
    top = "\n".join(sample.strip().splitlines()[:6])
    headings = {match.strip("#*: \t").lower() for match in _CV_HEADING.findall(sample)}
    return bool(_CONTACT.search(top)) or len(headings) >= 2
