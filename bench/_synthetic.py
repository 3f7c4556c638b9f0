"""Generated postings for the store benchmarks: varied, realistic-length requirement sentences."""

from __future__ import annotations

import random

from knowledge.posting import Posting, QAPair, Requirement, RequirementKind, posting_id_for

ROLES = [
    "Backend Engineer", "Data Scientist", "Product Manager", "Site Reliability Engineer", "UX Designer",
    "Sales Representative", "Financial Analyst", "Nurse Practitioner", "Head Chef", "Technical Writer",
    "Security Analyst", "Marketing Manager", "Mobile Developer", "Supply Chain Planner", "Recruiter",
]
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell", "Cyberdyne"]
VERBS = [
    "Design", "Build", "Own", "Lead", "Improve", "Operate", "Plan", "Analyse", "Document", "Coordinate",
    "Negotiate", "Test", "Automate", "Review", "Present", "Mentor", "Forecast", "Audit",
]
OBJECTS = [
    "PostgreSQL schemas for high write volumes", "customer onboarding flows", "quarterly sales forecasts",
    "incident response runbooks", "machine learning models for churn", "supplier contracts and pricing",
    "seasonal menus within food cost targets", "API documentation for partners", "on-call rotations",
    "A/B tests of pricing pages", "hiring pipelines for engineering roles", "patient care plans",
    "threat models for payment systems", "brand campaigns across channels", "iOS and Android releases",
    "inventory levels across warehouses", "data pipelines in Spark and Airflow", "accessibility audits",
]
QUALIFIERS = [
    "with cross-functional teams", "in a fast-growing environment", "under tight deadlines",
    "for enterprise customers", "across three regions", "with measurable outcomes", "end to end",
]
REQUIRED = [
    "{n}+ years of experience in {field}", "Degree in {field} or equivalent experience",
    "Fluency in {tool}", "Proven track record with {tool}", "Hands-on experience with {tool} in production",
]
FIELDS = ["software engineering", "statistics", "finance", "nursing", "hospitality", "marketing", "security"]
TOOLS = ["Python", "Go", "Kubernetes", "SQL", "Excel", "Salesforce", "Figma", "Terraform", "Swift", "SAP"]
SKILLS = ["Clear written communication", "Stakeholder management", "Attention to detail", "Coaching others"]


def generate_postings(n: int, seed: int = 7) -> list[Posting]:
    """``n`` distinct postings with 10-16 requirements and 2-4 Q&A pairs each, the same for a seed."""
    rng = random.Random(seed)
    postings = []
    for i in range(n):
        title = f"{rng.choice(ROLES)} {i}"
        reqs: list[Requirement] = []
        for _ in range(rng.randint(5, 8)):
            text = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}"
            kind = RequirementKind.RESPONSIBILITY
            reqs.append(Requirement(text=text, kind=kind, section="Responsibilities"))
        for _ in range(rng.randint(3, 5)):
            template = rng.choice(REQUIRED)
            text = template.format(n=rng.randint(2, 8), field=rng.choice(FIELDS), tool=rng.choice(TOOLS))
            reqs.append(Requirement(text=text, kind=RequirementKind.REQUIRED, section="Requirements"))
        for _ in range(rng.randint(1, 2)):
            reqs.append(
                Requirement(text=f"Experience with {rng.choice(TOOLS)}", kind=RequirementKind.PREFERRED,
                            section="Nice to have")
            )
        reqs.append(Requirement(text=rng.choice(SKILLS), kind=RequirementKind.SKILL, section="Skills"))
        reqs = [r.model_copy(update={"order": k}) for k, r in enumerate(reqs)]
        qa = []
        for _ in range(rng.randint(2, 4)):
            task = f"{rng.choice(VERBS).lower()} {rng.choice(OBJECTS)}"
            qa.append(
                QAPair(
                    question=f"Tell me about a time you had to {task}.",
                    model_answer=f"I had to {task} {rng.choice(QUALIFIERS)}; I set a goal and measured it.",
                )
            )
        text = "\n".join([title, *(r.text for r in reqs), *(q.question for q in qa)])
        postings.append(
            Posting(id=posting_id_for(text), title=title, company=rng.choice(COMPANIES), location="Remote",
                    source=f"generated-{i}.txt", text=text, requirements=reqs, qa_pairs=qa)
        )
    return postings


def generate_queries(n: int, seed: int = 11) -> list[str]:
    """``n`` search queries in the words a candidate or the engine would use."""
    rng = random.Random(seed)
    return [
        f"{rng.choice(VERBS).lower()} {rng.choice(OBJECTS)}" if i % 2 else
        f"experience with {rng.choice(TOOLS)} and {rng.choice(FIELDS)}"
        for i in range(n)
    ]


def embedded_texts(postings: list[Posting]) -> list[str]:
    """Exactly the texts the store embeds when it ingests ``postings``."""
    from knowledge.store import _title_line

    texts = [r.text for p in postings for r in p.requirements]
    texts += [q.question for p in postings for q in p.qa_pairs]
    return texts + [_title_line(p) for p in postings]
