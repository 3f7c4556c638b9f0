"""``coach eval``: evaluate the critic against human grades and compare saved reports.

``eval questions`` plans a session for each posting and reports what a person would notice.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from chains.evaluation.parse import ParseEvalReport
from chains.evaluation.questions import QuestionEvalReport, evaluate_files
from chains.models import Difficulty
from core.errors import CoachError

eval_app = typer.Typer(help="Evaluate the critic (and other parts) against data; compare reports.",
                       no_args_is_help=True)


@eval_app.command("critic")
def critic(
    data: Annotated[
        Path, typer.Option("--data", help="CSV or JSONL: question, model_answer, answer, score|label.")
    ],
    split: Annotated[str | None, typer.Option(help="Keep rows whose 'split' column equals this.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Also write the JSON report here.")] = None,
    mapping: Annotated[
        str | None, typer.Option("--map", help="Rename columns: old=new,... e.g. student_answer=answer.")
    ] = None,
    filters: Annotated[
        str | None, typer.Option("--filter", help="Keep rows where col=value (comma list).")
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Score at most N rows.")] = None,
    rows_file: Annotated[
        Path | None,
        typer.Option("--rows", help="Write each row's critique here as JSONL (as `coach critique --json`)."),
    ] = None,
) -> None:
    """Score every row with the rubric scorer and report agreement with the human grades.

    The scorer is the offline rubric in every mode (an LLM only words critiques); the report records
    the configured COACH_LLM beside it.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from chains.evaluation.critic import EvalDataError, evaluate, load_rows, parse_pairs

    try:
        renames = parse_pairs(mapping, "--map")
        wanted = parse_pairs(filters, "--filter")
        if split:
            wanted["split"] = split
        rows = load_rows(data, renames, wanted, limit)
    except EvalDataError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    try:
        with Progress(
            TextColumn("scoring"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            transient=True, disable=as_json,
        ) as progress:
            task = progress.add_task("score", total=len(rows))
            report = evaluate(
                rows, str(data), wanted, progress=lambda n: progress.advance(task, n), rows_out=rows_file
            )
    except (CoachError, EvalDataError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    payload = report.model_dump(mode="json")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(payload, indent=2))
        return
    _print_report(payload)


def _print_report(payload: dict) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    table = Table("metric", "value", title=f"Critic on {escape(payload['data'])} {payload['filters'] or ''}")
    for name in ("n", "roc_auc", "accuracy", "macro_f1", "threshold", "pearson", "spearman", "rmse",
                 "seconds_per_answer"):
        if payload.get(name) is not None:
            table.add_row(name, str(payload[name]))
    table.add_row("rubric version", str(payload["rubric"].get("version")))
    table.add_row("git commit", payload.get("git_commit") or "-")
    table.add_row("scored by", escape(str(payload.get("model"))))
    table.add_row("configured LLM", escape(str(payload.get("llm", "offline"))))
    console.print(table)
    # In LLM mode the model only words the critique; the number comes from the rubric tool.
    console.print("The score is the offline rubric's in every mode; a configured LLM never changes it.")
    if payload.get("calibration"):
        console.print(f"Pearson and RMSE after an {payload['calibration']}.")
    if payload.get("threshold") is not None:
        console.print(f"Accuracy and macro-F1 count score >= {payload['threshold']} as correct.")
    for title, key in (("By trap", "by_trait"), ("By kind", "by_kind")):
        groups = payload.get(key) or {}
        if groups:
            table = Table("group", "n", "grade", "score", "mean error", "mean |error|", title=title)
            for name, g in groups.items():
                values = [g["n"], g["mean_grade"], g["mean_score"], g["mean_error"], g["mean_abs_error"]]
                table.add_row(escape(name or "(none)"), *[str(v) for v in values])
            console.print(table)
    if payload.get("card_problems"):
        console.print(f"[bold]{len(payload['card_problems'])} cards break a card rule[/bold]")
        for problem in payload["card_problems"][:10]:
            console.print(f"  {escape(problem)}")
    if payload["worst_questions"]:
        console.print("[bold]Worst questions[/bold]")
        for item in payload["worst_questions"]:
            console.print(f"  {item['error']:.2f}  (n={item['n']})  {escape(item['question'][:100])}")


@eval_app.command("compare")
def compare(
    old: Annotated[Path, typer.Argument(help="Earlier report (JSON from --out).")],
    new: Annotated[Path, typer.Argument(help="Later report.")],
) -> None:
    """Print two reports' metrics side by side with the differences."""
    from rich.console import Console
    from rich.table import Table

    from chains.evaluation.critic import compare_reports

    reports = []
    for path in (old, new):
        try:
            reports.append(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            typer.echo(f"error: {path}: no such file", err=True)
            raise typer.Exit(2) from None
        except json.JSONDecodeError as exc:
            typer.echo(f"error: {path}: not a JSON report ({exc.msg})", err=True)
            raise typer.Exit(2) from None
    table = Table("metric", str(old), str(new), "difference")
    for name, a, b, delta in compare_reports(reports[0], reports[1]):
        sign = "" if delta is None else (f"+{delta}" if delta > 0 else str(delta))
        table.add_row(name, str(a), str(b), sign)
    Console().print(table)


def _print_questions_table(report: QuestionEvalReport) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("posting", "reqs", "required", "screened", "questions", "library", "examples", "grounded",
                  "req. coverage", "repeats", "near-repeats", "wording", "answers", "openings", "problems")
    for row in report.postings:
        table.add_row(
            row.title[:50], str(row.requirements), str(row.required), str(len(row.screened)),
            str(row.questions), str(row.library_questions), str(row.library_examples), f"{row.grounded:.1%}",
            f"{row.required_coverage:.1%}", str(row.repeats), str(row.near_repeats),
            str(row.wording_problems), str(row.answer_problems), str(row.same_openings), str(row.problems),
        )
    requirements = sum(r.requirements for r in report.postings)
    required = sum(r.required for r in report.postings)
    table.add_row(
        "ALL", str(requirements), str(required), str(report.screened),
        str(report.questions), str(report.library_questions), str(report.library_examples),
        f"{report.grounded:.1%}",
        f"{report.required_coverage:.1%}", str(report.repeats), str(report.near_repeats),
        str(report.wording_problems), str(report.answer_problems), str(report.same_openings),
        str(report.problems),
    )
    console = Console(width=190)
    console.print(table)
    if report.model == "offline":
        console.print("Questions worded offline (templates and the posting's own questions).", markup=False)
    else:
        console.print(
            f"Questions worded by {report.model}; {report.llm_fallbacks} of {report.questions} fell back "
            "to offline wording.", markup=False,
        )
    for row in report.postings:
        for check in row.checks:
            if check.problems or check.answer_problems or not check.grounded:
                found = [*check.problems, *(f"model answer: {p}" for p in check.answer_problems)]
                reason = ", ".join(found) or f"not grounded (similarity {check.similarity})"
                console.print(f"- {row.title[:30]}: {check.text!r}: {reason}", markup=False)
    reasons = sorted({c.fallback for row in report.postings for c in row.checks if c.fallback})
    for reason in reasons:
        console.print(f"fallback: {reason}", markup=False)
    for error in report.errors:
        console.print(f"error: {error}", markup=False)


@eval_app.command("questions")
def questions(
    paths: Annotated[list[Path], typer.Argument(help="Posting files or folders.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    difficulty: Annotated[Difficulty, typer.Option(help="Difficulty of the planned questions.")] = (
        Difficulty.MEDIUM
    ),
    out: Annotated[Path | None, typer.Option("--out", help="Also write the JSON report here.")] = None,
    llm: Annotated[
        str | None,
        typer.Option("--llm", help="'offline' or provider:model to word questions; default COACH_LLM."),
    ] = None,
) -> None:
    """Plan a full session for each posting and report groundedness, coverage, repeats, wording."""
    try:
        report = evaluate_files(paths, difficulty, llm)
    except CoachError as exc:  # e.g. a model that cannot start: one line, before any work
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if not report.postings:
        reasons = "; ".join(report.errors) or "no files"
        typer.echo(f"error: no posting could be read: {reasons}", err=True)
        raise typer.Exit(2)
    payload = json.dumps(report.model_dump(mode="json"), indent=2)
    if out is not None:
        out.write_text(payload, encoding="utf-8")
    if as_json:
        typer.echo(payload)
    else:
        _print_questions_table(report)


_SHARED_POSTINGS = Path("../shared/postings")


@eval_app.command("parse")
def parse(
    gold: Annotated[Path, typer.Option("--gold", help="Folder of gold annotations (*.yaml).")],
    postings: Annotated[
        Path, typer.Option("--postings", help="Folder the gold files' sources are relative to.")
    ] = _SHARED_POSTINGS,
    split: Annotated[str | None, typer.Option(help="Only gold files of this split (dev, check).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Also write the JSON report here.")] = None,
) -> None:
    """Parse each annotated posting and report precision, recall, kinds, titles, employers, boilerplate."""
    from chains.evaluation.parse import GoldError, evaluate

    try:
        report = evaluate(gold, postings, split)
    except GoldError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    payload = json.dumps(report.model_dump(mode="json"), indent=2)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(payload, encoding="utf-8")
    if as_json:
        typer.echo(payload)
    else:
        _print_parse_report(report)


def _print_parse_report(report: ParseEvalReport) -> None:
    from rich.console import Console
    from rich.table import Table

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.0%}"

    table = Table("posting", "split", "parsed", "gold", "precision", "recall", "kinds", "title", "employer",
                  "boilerplate", title=f"Parser on {report.gold_dir} (commit {report.git_commit or '-'})")
    for row in report.scores:
        title = ("ok" if row.title_ok else "WRONG") + (" (file name)" if row.title_from_file_name else "")
        employer = "-" if row.employer_ok is None else ("ok" if row.employer_ok else "WRONG")
        table.add_row(
            row.name[:44], row.split, "refused" if row.error else str(row.parsed), str(row.gold),
            pct(row.precision), pct(row.recall), pct(row.kind_accuracy), title, employer,
            str(len(row.boilerplate)),
        )
    for label, summary in [("ALL", report.overall)] + [
        (f"layout {name}", s) for name, s in report.by_layout.items()
    ] + [(f"split {name}", s) for name, s in report.by_split.items()]:
        table.add_row(
            label, "", str(summary.postings), "", pct(summary.precision), pct(summary.recall),
            pct(summary.kind_accuracy), pct(summary.title_accuracy), pct(summary.employer_accuracy),
            str(summary.boilerplate_taken),
        )
    console = Console(width=160)
    console.print(table)
    console.print("Precision and recall are macro averages over postings; a refused posting scores 0.",
                  markup=False)
    for row in report.scores:
        if row.error:
            console.print(f"- {row.name}: refused: {row.error}", markup=False)
        if not row.title_ok:
            console.print(f"- {row.name}: title {row.title!r}", markup=False)
        for text in row.boilerplate:
            console.print(f"- {row.name}: boilerplate taken: {text[:100]!r}", markup=False)


def register(app: typer.Typer) -> None:
    """Add ``coach eval`` (critic, questions, parse, compare)."""
    app.add_typer(eval_app, name="eval")

