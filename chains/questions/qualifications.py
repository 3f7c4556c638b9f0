"""Qualifications and screening items: what a practice session asks about them, or why it does not.

A posting lists items an interviewer does not ask about as such: a degree "or equivalent
experience", years of experience on their own, travel, hours, a work permit, a driving licence, and
(in messy postings) application instructions and employment terms the parser kept as list items.
They are *screening items*: checked on the application, not practised. ``screening_reason`` says
which one an item is, in words shown in "Why this question" and the session summary.

Licences, certificates and degrees with a field are asked about as interviewers do (keeping a
licence current, a case the certificate prepared you for, applying what the degree taught) through
the library's ``qualifications`` family; ``qualification_terms`` names the qualification in their
``{terms}`` slot ("your CPA licence", "your studies in accounting").
"""

from __future__ import annotations

import re

from chains.questions.wording import PhraseForm, normalise
from knowledge.posting import Requirement

QUALIFICATION_FAMILY = "qualifications"

_LICENCE = re.compile(r"\b(licen[cs]e[sd]?|registration|registered|chartered)\b", re.I)
_CERTIFICATE = re.compile(r"\b(certificat(?:e|es|ion|ions)|certified|accredit\w*|award|NVQ|diploma)\b", re.I)
_DEGREE = re.compile(
    r"\b(degree|bachelor'?s?|master'?s?|B\.?A\.?|B\.?S\.?c?|M\.?S\.?c?|MBA|Ph\.?D\.?|undergraduate|"
    r"postgraduate|graduat\w+|college|university)\b", re.I
)
_FIELD = re.compile(
    r"\b(?:degree|BA|BS|BSc|MSc|MA|MS|MBA|Bachelor'?s?|Master'?s?|PhD|qualification|studies)"
    r"(?:\s+degree)?\s+in\s+([A-Za-z][A-Za-z &-]{1,60}?)(?=\s*(?:,|;|\.|\bor\b|\band\b|\bwith\b|\(|$))",
    re.I,
)
_YEARS_ONLY = re.compile(
    r"^\W*(?:(?:at least|minimum|over|more|less|than|up to|\d+\+?|to|or|and|years?|yrs?|months?|"
    r"of|experience|relevant|professional|paid|full-time|work|working)\W*)+$",
    re.I,
)
# Words of an application process or of the terms of employment, not of the work: each is bounded so
# that duties using the same words stay in ("Apply benefit regulations", "Answer email enquiries",
# "insurance claims", "physical examination", "filing records", "web applications").
_APPLICATION = re.compile(
    r"\b(?:applicants?|applications? (?:are|must|will|received|close|form)|"
    r"(?:submit|your|online) application|how to apply|apply (?:online|now|by|via|before)|candidate's|"
    r"interview panel|employees will|"
    r"in some positions|résumé|resume|(?:this|the) examination|examination (?:weight|process)|exam process|"
    r"eligible list|candidates? (?:will|must|may|who)|interview (?:date|board|will)|selection process|"
    r"supplemental questions?|filing (?:period|deadline|date)|notified|union shop|bargaining unit|"
    r"benefits? (?:package|include|offerings|plans?)|employee benefits|"
    r"(?:life|health|medical|dental) insurance|"
    r"pension (?:scheme|plan)|salary|per hour|hours per week|per week|paid (?:time off|leave)|"
    r"holiday (?:allowance|entitlement|pay)|annual leave|https?://|www\.|"
    r"drug (?:and alcohol )?(?:test|screen)\w*|"
    r"equal opportunity|disqualifi\w*|not (?:a )?responsibilit\w*|represented by|this classification|"
    r"credits? earned|semester|quarter credits|eligible to apply|welcome applications|"
    r"(?:is|are) (?:looking|hiring) for (?:an? )?(?-i:[A-Z]))",
    re.I,
)
_LOGISTICS_REASONS = (
    (re.compile(r"\btravel\b", re.I), "a travel requirement"),
    (re.compile(r"authori[sz]ation to work|work permit|\bvisa\b|right to work|citizen", re.I),
     "the right to work"),
    (re.compile(r"driv(?:er'?s|ing) licen[cs]e|(?:automobile|car|motor|vehicle) insurance|own transport",
                re.I),
     "a driving licence"),
    (re.compile(r"background check|security clearance|\bDBS\b|vetting|criminal|convicted", re.I),
     "a background check"),
    (re.compile(r"\blift\b|pounds|\bkg\b|physical", re.I), "a physical requirement"),
    (re.compile(r"shifts?|hours|nights?|weekends?|rota|full[- ]time|part[- ]time|on-site|relocat", re.I),
     "working hours and location"),
)
# Where or when the job is done, whatever the line's shape: "Available Locations: Australia, Canada",
# "This post will be based on the Basingstoke site", "early, late, twilight and nights",
# "willing to work across a 7 day service".
_WHERE_WHEN = re.compile(
    r"^\W*(?:available )?locations?\b|\bbased (?:on|at|in) the [A-Z]\w* (?:site|office|campus|hospital)|"
    r"\b(?:7|seven)[- ]day (?:service|week|rota)|\b24/7\b|"
    r"^\W*(?:(?:early|lates?|twilights?|long days?|days|nights?|evenings?|weekends?|and|or|shifts?)\W*){2,}$",
    re.I,
)
# A place on its own ("Petersburg, Virginia", "Leeds, UK"): a town and a state or country, nothing else.
_STATES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|"
    "Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|"
    "Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|"
    "North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|"
    "South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|"
    "England|Scotland|Wales|Northern Ireland|Ireland|UK|USA|US|Canada|Australia|New Zealand|[A-Z]{2}"
)
# "Two years of experience of the type specified in Requirement #1, and a. Completion of ...": a route
# through other requirements (civil-service bulletins), whose own lines are asked.
_CROSS_REFERENCE = re.compile(
    r"\b(?:of the type|as) (?:specified|described|listed) in (?:requirement|item|section|paragraph)\b|"
    r"\brequirement #?\d",
    re.I,
)
_PLACE = re.compile(rf"^[A-Z][a-z]+(?:[ -][A-Z][a-z]+){{0,2}}, (?:{_STATES})\.?$")


_FORM_QUESTION = re.compile(
    r"\?\s*$|^(?:please|indicate|select|specify|include|list|attach|describe your|provide)\b|"
    r"\bplease (?:specify|select|indicate|list|describe)\b|^required question$",
    re.I,
)
_EMPLOYMENT = re.compile(
    r"\b(?:medical, dental|dental and vision|vision plans?|retirement (?:plan|savings)|401\(?k|"
    r"compensation (?:package|and benefits)|paid time off|\bPTO\b|tuition reimbursement|"
    r"other (?:duties|tasks) as (?:assigned|required|needed)|job description|civil service|charter section|"
    r"promotional basis|reserve list|regular appointment|qualifying (?:work|experience)|the term \"|"
    r"review periods?|and much more|please note|subject to (?:references|checks|satisfactory)|only persons|"
    r"persons possessing|works under|"
    r"life assurance|(?:company|stakeholder|workplace) pension|fitness membership|staff discount|"
    r"(?:performs?|does|do|perform) related work|related (?:duties|work) as (?:assigned|required)|"
    # a bulletin's "Under the general supervision of ...", not "procedures carried out under the
    # direction of a vet" (what the job must know)
    r"^under the (?:general |direct |immediate )?(?:supervision|direction) of)\b",
    re.I,
)
# "A Carpet Layer installs, removes and repairs ...": the posting's summary of the job, not an item.
_JOB_SUMMARY = re.compile(r"^(?:A|An|The) (?:[A-Z][a-z]+ ){1,4}(?:(?:[IVX]+|\d) )?(?:[a-z]+s)\b")
# A line that starts mid-sentence: lower case, a number, or a lone conjunction.
_FRAGMENT = re.compile(
    r"^(?:\d+\.\d|\((?!e\.g)|(?i:and|or|but|therefore|however|only|which|that|to|of|for|with|the)\b)"
)
# A person specification's own headings kept as items: "Experience (essential)", "Knowledge and skills",
# "Personal qualities", "Person specification".
_SECTION = re.compile(
    r"^(?:person specification|selection criteria|(?:essential|desirable) (?:criteria|requirements)|"
    r"(?:(?:personal |key )?(?:experience|knowledge|skills|qualifications|education|qualities|"
    r"attributes|abilities|competencies|requirements)(?:,?\s+(?:and|&)\s+|,\s+)?)+"
    r"(?:\s*\((?:essential|desirable|required|preferred)\))?)$",
    re.I,
)
_TITLE_WORDS = re.compile(r"\b(?:Director|Division|Department|Conditions|Requirements|Process|Section)\b")
_GLUE = {"and", "or", "the", "a", "an", "of", "to", "in", "for", "with", "more", "much", "that", "this",
         "these", "those", "also", "etc", "other", "note"}
_SCHOOL = re.compile(r"\b(?:GED|high school|secondary school|diploma or equivalent)\b", re.I)
_EQUIVALENT = re.compile(r"\bequivalent (?:practical |work |relevant )?experience", re.I)
# Screened whatever the phrase's shape: a driving licence is not a professional licence.
_ALWAYS_SCREENED = {"a driving licence", "a background check", "the right to work"}
_FORM_ANSWER = re.compile(r"^\W*(?:yes|no|none|none of the above|n/?a|other|\d+)\W*$", re.I)


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z'-]+", text)


_FORM = "a line of an application form, not a skill to practise"
_INSTRUCTION = "an application instruction or a term of employment, checked when you apply"
_HEADING = "a heading or a name rather than a skill"
_YEARS = "a length of experience, checked on your application; the questions ask about the work itself"
_DEGREE_ONLY = "a degree requirement, checked on your application; the questions ask about the work itself"


def screening_reason(requirement: Requirement) -> str:
    """Why a practice session does not ask about ``requirement`` ('' when it should be asked)."""
    text = " ".join(requirement.text.split()).replace("’", "'")
    words = _words(text)
    if _YEARS_ONLY.match(text) and re.search(r"\byears?\b.*\bexperience\b", text, re.I):
        return _YEARS  # "2 years of relevant work experience"
    if not words or _FORM_ANSWER.match(text) or _YEARS_ONLY.match(text) or _FORM_QUESTION.search(text):
        # "Yes", "02", "6 years to less than 7 years", "Please select ...": a form, not a skill.
        return _FORM
    if _APPLICATION.search(text) or _EMPLOYMENT.search(text):
        return _INSTRUCTION
    if _FRAGMENT.match(text) or all(w.lower() in _GLUE for w in words):
        return "a fragment of a sentence, not a requirement"
    if _JOB_SUMMARY.match(text):
        return "the posting's description of the job, not a requirement"
    if _SECTION.match(text.strip(" .:;")):
        return _HEADING
    capitalised = all(w[:1].isupper() for w in words if len(w) > 3)
    shouted = len(words) >= 2 and text.upper() == text
    if shouted or (capitalised and len(words) <= 6 and _TITLE_WORDS.search(text)):
        return _HEADING  # "SELECTION PROCESS", "Medical Director North Division"
    if _CROSS_REFERENCE.search(text):
        return "a cross-reference to another requirement of the posting, which is asked on its own"
    if _WHERE_WHEN.search(text) or _PLACE.match(text):
        return "working hours and location, checked when you apply rather than practised in an interview"
    logistics = next((r for pattern, r in _LOGISTICS_REASONS if pattern.search(text)), "")
    phrase = normalise(text, requirement.kind)
    if phrase.form == PhraseForm.LOGISTICS or (logistics and logistics in _ALWAYS_SCREENED):
        condition = logistics or "a condition of the job"
        return f"{condition}, checked when you apply rather than practised in an interview"
    licence_or_certificate = _LICENCE.search(text) or _CERTIFICATE.search(text)
    degree = phrase.form == PhraseForm.EDUCATION and not licence_or_certificate
    field = _FIELD.search(text) is not None and _EQUIVALENT.search(text) is None
    no_field = _DEGREE.search(text) is not None and not field
    if (degree and no_field) or (_SCHOOL.search(text) and not licence_or_certificate):
        return _DEGREE_ONLY
    return ""


UNCONFIRMED = "a qualification checked on your application; no interview question fits it well"


def is_qualification(requirement: Requirement) -> bool:
    """True for a licence, registration, certificate or degree with a field (asked as interviewers do)."""
    phrase = normalise(requirement.text, requirement.kind)
    return phrase.form == PhraseForm.EDUCATION and not screening_reason(requirement)


# A name may join its words with "of", "and", "for", "the": "Chartered Society of Physiotherapy".
_NAMES = re.compile(
    r"\b(?:[A-Z]{2,}[A-Za-z0-9]*|[A-Z][a-z]+(?:(?: (?:of|and|for|the))* [A-Z][a-z]+)+|"
    r"\d+(?:st|nd|rd|th) Edition)\b"
)
# "Health and Care Professions Council (HCPC)": the acronym in brackets names it on its own.
_ACRONYM_AFTER = re.compile(r"\(([A-Z]{2,}[A-Za-z0-9]*)\)")
# Words that open a line about holding the name, not part of the name.
_HOLDING = {"Membership", "Member", "Registration", "Registered"}
_LEAD = {"Current", "Valid", "Active", "Full", "Level", "Must", "Hold", "Have", "The", "A", "An", "In",
         "Possession", "Registered", "Licensed", "Certified", "Bachelor", "Master", "Degree", "BA", "BS",
         "BSc", "MSc", "MA", "MS", "PhD", "Or", "And"}


# Words that say the qualification is held, not what it is.
_STATUS = {"Current", "Valid", "Active", "Full", "The", "A", "An", "In", "Must", "Hold", "Have", "Possession"}
_NAME_WORD = r"(?:[A-Z][\w&/-]*|[IVX]+|\d+)"
_NAMED_BEFORE = re.compile(
    rf"({_NAME_WORD}(?:\s+(?:{_NAME_WORD}|of|and))*)\s+(certificate|certification|licen[cs]e|registration)\b"
)


def qualification_terms(requirement: Requirement, competency_id: str) -> str:
    """The qualification named in the requirement, for a ``qualifications`` question's slot ('' if none)."""
    text = " ".join(requirement.text.split())
    if competency_id == "degree_knowledge_applied":
        field = _FIELD.search(text)
        if field:
            subject = re.sub(
                r"^(?:a|an|the)\s+|\s+(?:field|discipline|subject)s?$", "", field.group(1).strip(), flags=re.I
            )
            # "Computer Science" -> "computer science"; an acronym ("IT", "STEM") keeps its case.
            words = [w if w.isupper() and len(w) > 1 else w.lower() for w in subject.split()]
            return f"your studies in {' '.join(words)}"
        return ""
    named = _NAMED_BEFORE.search(text)
    name = named.group(1).split() if named else []
    while name and name[0] in _STATUS:
        name = name[1:]  # "Current Gas Safe registration": the name is "Gas Safe"
    if named and len(name) >= 2 and name[0] not in _LEAD:
        # "A valid State Grade II Water Treatment Operator certificate": the whole name, as one.
        noun = named.group(2).lower().replace("certification", "certificate")
        noun = "registration" if noun.startswith("regist") else noun
        return f"your {' '.join(name)} {noun}"
    found = []
    for match in _NAMES.finditer(text):
        words = match.group(0).split()
        while len(words) > 1 and (words[0] in _HOLDING or words[0] in {"of", "and", "for", "the"}):
            words = words[1:]  # "Membership of the Chartered Society of ...": the name is what follows
        name = " ".join(words)
        acronym = _ACRONYM_AFTER.match(text[match.end():].lstrip())
        if acronym and len(words) > 1:
            continue  # "... Council (HCPC)": the acronym stands for it
        if words[0] not in _LEAD and words[0] not in _HOLDING and (len(words) > 1 or name.isupper() or
                                                                    not name[:1].isalpha()):
            found.append(name)
    names = list(dict.fromkeys(found))[:2]
    if not names:
        return ""
    if competency_id == "professional_licence_registration":
        noun = "registration" if re.search(r"regist", text, re.I) else (
            "membership" if re.search(r"\bmember", text, re.I) else "licence"
        )
    else:
        noun = "certificates" if len(names) > 1 else "certificate"
    return f"your {' and '.join(names)} {noun}"
