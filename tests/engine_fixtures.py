"""A posting and helpers shared by the engine's tests (graph, session, resume, CLI practice)."""

from __future__ import annotations

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
    """The model answer's first sentence only: relevant, but missing most key points."""
    first = model_answer.split(". ")[0].strip().rstrip(".")
    return first + "."
