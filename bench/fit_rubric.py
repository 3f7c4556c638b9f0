"""Fit the coverage model of prompts/rubric.yaml on SemEval-2013 *train* only, through the scorer's code.

Usage: .venv/bin/python bench/fit_rubric.py [--write]

Features are computed by ``chains.critic.scorer.pair_features`` (the scorer's own function) for each
(key point, answer) pair; per row the pair features are averaged over key points (each key point with
its best-by-cosine answer text). A logistic regression on the train labels gives the weights; with
--write they replace ``coverage_model`` in the rubric (bump its version by hand).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chains.critic import vectors as answer_vectors  # noqa: E402
from chains.critic.keypoints import key_points  # noqa: E402
from chains.critic.scorer import FEATURE_NAMES, RUBRIC_PATH, pair_features  # noqa: E402
from chains.evaluation.critic import EvalRow, roc_auc, texts_to_encode  # noqa: E402

DATA = ROOT / ".." / "shared" / "eval" / "semeval2013_2way.csv"


def row_features(row: EvalRow) -> np.ndarray:
    texts = texts_to_encode(row)
    points = key_points(row.model_answer)
    encoded = answer_vectors.encode(texts)
    point_enc = encoded[: len(points)]
    cand_enc = encoded[len(points) : -1]
    question = encoded[-1] if row.question.strip() else None
    feats = []
    for p in point_enc:
        best = max(cand_enc, key=lambda c: float(p.vector @ c.vector))
        feats.append(pair_features(p, best, question))
    return np.mean(feats, axis=0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--C", type=float, default=1.0)
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression

    with DATA.open(encoding="utf-8") as handle:
        records = [r for r in csv.DictReader(handle) if r["split"] == "train"]
    rows = [
        EvalRow(question=r["question"], model_answer=r["reference_answer"], answer=r["student_answer"],
                label=r["label_2way"] == "correct")
        for r in records
    ]
    features: list[np.ndarray] = []
    for start in range(0, len(rows), 512):
        chunk = rows[start : start + 512]
        answer_vectors.warm([t for row in chunk for t in texts_to_encode(row) if t])
        features.extend(row_features(row) for row in chunk)
        print(f"{start + len(chunk)}/{len(rows)}", file=sys.stderr)
    x = np.array(features)
    y = np.array([bool(r.label) for r in rows])
    model = LogisticRegression(C=args.C, max_iter=5000).fit(x, y)
    z = model.decision_function(x)
    print(f"train ROC-AUC of the fitted coverage model: {roc_auc(y, z):.4f}")
    weights = {name: round(float(w), 4) for name, w in zip(FEATURE_NAMES, model.coef_[0], strict=True)}
    print("intercept", round(float(model.intercept_[0]), 4))
    for name, w in weights.items():
        print(f"  {name}: {w}")
    if args.write:
        text = RUBRIC_PATH.read_text(encoding="utf-8")
        head, rest = text.split("coverage_model:", 1)
        tail = rest[rest.index("\n# A key point") :]
        block = (
            f"coverage_model:\n  fitted_on: \"semeval2013_2way train (n={len(rows)}), bench/fit_rubric.py\"\n"
            f"  intercept: {round(float(model.intercept_[0]), 4)}\n  weights:\n"
            + "".join(f"    {k}: {v}\n" for k, v in weights.items())
        )
        RUBRIC_PATH.write_text(head + block + tail, encoding="utf-8")
        print(f"wrote {RUBRIC_PATH}")


if __name__ == "__main__":
    main()
