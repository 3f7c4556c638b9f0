"""Terminal rendering of a ``Critique`` for ``coach critique`` (rich, text escaped)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from chains.models import Critique


def print_critique(critique: Critique, console: Console | None = None) -> None:
    """Score, sub-scores, covered points with their evidence, missed points and next steps."""
    console = console or Console()
    if "not in English" in critique.flags:
        console.print("[bold]Not scored[/bold]: only English answers are scored; answer in English.")
        return
    judged = f"judged as {critique.judged_as}"
    console.print(f"[bold]Score {critique.score}/100[/bold] ({critique.band}), {judged}")
    if critique.flags:
        console.print("Flags: " + escape("; ".join(critique.flags)))
    table = Table("part", "score")
    for name, value in critique.subscores.model_dump().items():
        table.add_row(name, str(value))
    console.print(table)
    if critique.covered:
        console.print("[bold]Covered[/bold]")
        for point in critique.covered:
            console.print(f"  + {escape(point.point)}\n    [dim]you said:[/dim] \"{escape(point.evidence)}\"")
    if critique.missing:
        console.print("[bold]Missed[/bold]")
        for missed in critique.missing:
            console.print(f"  - {escape(missed)}")
    if critique.improvements:
        console.print("[bold]To improve[/bold]")
        for step in critique.improvements:
            console.print(f"  * {escape(step)}")
