"""How answers look: JSON for scripts, rich text for people. No logic lives here."""

from __future__ import annotations

import json
from dataclasses import asdict

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .answer import NO_ANSWER
from .types import Answer


def answer_dict(answer: Answer) -> dict:
    """The ``qa ask --json`` contract, in its documented key order."""
    data = asdict(answer)
    data.pop("highlight", None)
    return data


def to_json(answer: Answer) -> str:
    return json.dumps(answer_dict(answer), ensure_ascii=False)


def show_answer(console: Console, answer: Answer, passages: bool = True) -> None:
    """The answer phrase highlighted inside its sentence, the citation, then the passages."""
    if answer.abstained:
        body: list = [Text(NO_ANSWER, style="bold yellow")]
        title = f"no answer (confidence {answer.confidence:.2f})"
    else:
        cite = answer.citations[0]
        quote = Text(cite.quote)
        if answer.highlight:
            quote.stylize("bold black on yellow", *answer.highlight)
        lines = f"{cite.start_line}" if cite.start_line == cite.end_line else f"{cite.start_line}-{cite.end_line}"
        body = [
            Text(answer.answer, style="bold green"),
            Text(""),
            quote,
            Text(f"\n{cite.file}:{lines}", style="cyan"),
        ]
        title = f"answer (confidence {answer.confidence:.2f})"
    subtitle = f"{answer.timings_ms.get('total', 0):.0f} ms"
    console.print(Panel(Group(*body), title=title, subtitle=subtitle, title_align="left", subtitle_align="right"))
    if passages and answer.passages:
        table = Table(title="closest passages" if answer.abstained else "top passages", show_lines=False, expand=True)
        table.add_column("#", justify="right", width=2)
        table.add_column("score", justify="right", width=6)
        table.add_column("source", style="cyan", no_wrap=True)
        table.add_column("passage", ratio=1)
        for i, p in enumerate(answer.passages, 1):
            lines = f"{p.start_line}" if p.start_line == p.end_line else f"{p.start_line}-{p.end_line}"
            text = p.text if len(p.text) <= 300 else p.text[:297] + "..."
            table.add_row(str(i), f"{p.score:.3f}", escape(f"{p.file}:{lines}"), escape(text))
        console.print(table)


def show_sources(console: Console, docs: list[dict]) -> None:
    table = Table(title=f"{len(docs)} indexed releases")
    table.add_column("file", style="cyan", no_wrap=True)
    table.add_column("chunks", justify="right")
    table.add_column("title")
    for d in docs:
        table.add_row(escape(d["path"]), str(d["chunks"]), escape(d.get("title") or ""))
    console.print(table)
