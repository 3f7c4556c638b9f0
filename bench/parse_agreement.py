"""Agreement between the gold parse annotations and an independent second annotation of the same postings.

The second annotator saw only the posting texts and the annotation rules, never the gold files. Each
second annotation is scored against the gold exactly as a parse is (``chains.evaluation.parse``: one-to-one
fuzzy matching, optional lines neutral), so the figures read like the parser's: how far two careful
readers agree is the ceiling a parser can be held to.

Run: .venv/bin/python bench/parse_agreement.py [--gold DIR] [--second DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _table import print_table  # noqa: E402

from chains.evaluation.parse import load_gold, score_posting, summarise  # noqa: E402
from knowledge.posting import Posting, Requirement, RequirementKind  # noqa: E402

KINDS = ("required", "preferred", "responsibility", "skill")


def _as_posting(data: dict) -> Posting:
    requirements = [
        Requirement(text=text, kind=RequirementKind(kind))
        for kind in KINDS
        for text in data.get(kind) or []
    ]
    title = (data.get("title") or [""])[0] or ""
    employer = (data.get("employer") or [""])[0] or ""
    return Posting(id="second", title=title, company=employer, text="", requirements=requirements)


def main() -> int:
    """Print per-layout and overall agreement; exit 0."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=Path("bench/data/parse_gold"))
    parser.add_argument("--second", type=Path, default=Path("bench/data/parse_second"))
    args = parser.parse_args()
    golds = {Path(g.source).stem: g for g in load_gold(args.gold)}
    scores = []
    for path in sorted(args.second.glob("*.yaml")):
        gold = golds.get(path.stem)
        if gold is None:
            continue
        scores.append(score_posting(gold, _as_posting(yaml.safe_load(path.read_text())), None, path.stem))
    rows = []
    for layout in sorted({s.layout for s in scores}) + ["all"]:
        group = [s for s in scores if layout in ("all", s.layout)]
        summary = summarise(group)
        rows.append([layout, len(group), summary.precision, summary.recall, summary.kind_accuracy,
                     summary.title_accuracy, summary.employer_accuracy])
    print_table(
        "Parse annotations: second annotator against the gold",
        ["layout", "postings", "precision", "recall", "kind accuracy", "titles", "employers"],
        rows,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
