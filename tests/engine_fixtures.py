"""A posting and helpers shared by the engine's tests (graph, session, resume, CLI practice)."""

from __future__ import annotations

import re

from chains.models import Question, QuestionKind
from knowledge.posting import Posting, QAPair, Requirement, RequirementKind, posting_id_for
from knowledge.store import open_store

_R = RequirementKind
REQUIREMENTS = [
    ("Operate Kubernetes clusters in production", _R.REQUIRED, "Requirements"),
    ("Write infrastructure as code with Terraform", _R.REQUIRED, "Requirements"),
    ("Lead incident response and write blameless postmortems", _R.RESPONSIBILITY, "Responsibilities"),
    ("Build monitoring and alerting with Prometheus", _R.RESPONSIBILITY, "Responsibilities"),
    ("Automate operations with Python or Go", _R.PREFERRED, "Nice to have"),
    ("Clear written communication", _R.SKILL, "Skills"),
]
QA = QAPair(
    question="How do you run an incident from first page to postmortem?",
    model_answer=(
        "I acknowledge the page and open an incident channel. I assign an incident commander and a scribe. "
        "I mitigate first, for example by rolling back the last deploy. I write a blameless postmortem "
        "within two days with action items and owners."
    ),
)


def sre_posting(extra_requirement: str | None = None, title: str = "Site Reliability Engineer") -> Posting:
    """A small SRE posting with six requirements and one Q&A pair."""
    rows = list(REQUIREMENTS)
    if extra_requirement:
        rows.append((extra_requirement, _R.REQUIRED, "Requirements"))
    lines = [title, "Acme Cloud", ""]
    requirements = []
    for order, (text, kind, section) in enumerate(rows):
        requirements.append(Requirement(text=text, kind=kind, section=section, order=order))
        lines.append(f"- {text}")
    lines += ["", f"Q: {QA.question}", f"A: {QA.model_answer}"]
    text = "\n".join(lines)
    return Posting(
        id=posting_id_for(text), title=title, company="Acme Cloud", source="sre.txt", text=text,
        requirements=requirements, qa_pairs=[QA],
    )


def ingest(posting: Posting | None = None) -> Posting:
    """Store ``posting`` (default: the SRE posting) in the test's own Chroma store."""
    posting = posting or sre_posting()
    open_store().ingest(posting)
    return posting


def partial_answer(model_answer: str) -> str:
    """The model answer's first clause only: relevant, but missing most key points.

    A clause, not a sentence: a worked example's first sentence can already name most of a guide
    ("I keep state remote and locked, for example in S3 ..., so two people can't apply at once").
    Same length as the text it replaces, so ``model_answer[len(partial):]`` is the rest.
    """
    first = re.split(r"\. |, ", model_answer, maxsplit=1)[0].strip().rstrip(".,")
    return first + "."


def strong_answer(question: Question) -> str:
    """A concrete, complete answer to ``question`` on its requirement, shaped for its kind.

    The offline model answer is a scaffold of placeholders: since the critic judges experience
    questions by the interviewer's rubric, echoing it is not a strong answer, so tests that need one
    use this.
    """
    topic = question.requirements[0].text.rstrip(".").lower() if question.requirements else "this work"
    if question.kind is QuestionKind.SITUATIONAL:
        return (
            "First I would check the dashboards and the recent deploys to see what changed, since we "
            f"{topic}. "
            "I'd bring in the on-call engineer and tell my "
            "manager and the support lead what we know. The main "
            "risk is making it worse, so I'd roll back the last release before trying a fix. I'd know it "
            "worked when the error rate stays under 1 percent for an hour, and I'd review it in a postmortem."
        )
    if question.kind is QuestionKind.TECHNICAL and question.guide:
        # A knowledge question is judged by its guide's substance: a strong answer says each point,
        # in its own sentence, with the reason a practitioner gives.
        return " ".join(
            f"{point.rstrip('.')}, because that is what keeps the work safe and the result checkable."
            for point in question.guide
        )
    if question.kind is QuestionKind.TECHNICAL:
        return (
            f"To {topic}, I first define the Terraform modules and a remote state backend, because shared "
            "state needs locking. Then I add Prometheus alerts "
            "on the SLOs, so that a page means user impact. "
            "I test every change in staging with kubectl and a canary release, which avoids surprises in "
            "production, and I roll back automatically when the error budget burns too fast."
        )
    return (
        f"At Acme Logistics I was the engineer responsible when we had to {topic}. Last year our checkout "
        f"platform had two outages a month and the on-call team was burning out. I audited how we {topic}, I "
        "rewrote the runbooks and I automated the three riskiest manual steps with a Python job, reviewed "
        "by the two other leads. Over the next quarter outages fell from two a month to none and pages "
        "dropped by 60 percent. I learned to measure the toil before I "
        f"{topic.split(' ', 1)[0]} anything new."
    )
