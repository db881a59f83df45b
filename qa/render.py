"""How answers look: JSON for scripts, rich text for people. No logic lives here."""

from __future__ import annotations

import json
from dataclasses import asdict

from rich.console import Console, Group
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .answer import NO_ANSWER
from .api import NOT_ENGLISH, looks_english
from .types import Answer


def answer_dict(answer: Answer) -> dict:
    """The ``qa ask --json`` contract, in its documented key order."""
    data = asdict(answer)
    data.pop("highlight", None)
    data.pop("best", None)
    return data


def to_json(answer: Answer) -> str:
    return json.dumps(answer_dict(answer), ensure_ascii=False)


def show_answer(console: Console, answer: Answer, passages: bool = True) -> None:
    """The answer phrase highlighted inside its sentence, the citation, then the passages."""
    if answer.abstained:
        body: list = [Text(NO_ANSWER if looks_english(answer.question) else f"Not answered: {NOT_ENGLISH}.", style="bold yellow")]
        title = f"no answer (confidence {answer.confidence:.2f})"
    else:
        cite = answer.citations[0]
        quote = Text(cite.quote)
        if answer.highlight:
            quote.stylize("bold black on yellow", *answer.highlight)
        lines = f"{cite.start_line}" if cite.start_line == cite.end_line else f"{cite.start_line}-{cite.end_line}"
        phrase = [] if answer.answer == cite.quote else [Text(answer.answer, style="bold green"), Text("")]
        body = [*phrase, quote, Text(f"\n{cite.file}:{lines}", style="cyan")]  # a whole-sentence answer shows once
        title = f"answer (confidence {answer.confidence:.2f})"
    subtitle = f"{answer.timings_ms.get('total', 0):.0f} ms"
    console.print(Panel(Group(*body), title=title, subtitle=subtitle, title_align="left", subtitle_align="right"))
    if passages and answer.passages:
        console.print(Text("closest passages" if answer.abstained else "top passages", style="bold"))
        for i, p in enumerate(answer.passages, 1):
            lines = f"{p.start_line}" if p.start_line == p.end_line else f"{p.start_line}-{p.end_line}"
            text = p.text if len(p.text) <= 240 else p.text[:237] + "..."
            head = Text.assemble((f"{i:>2}. ", "bold"), (f"{p.score:.3f}  ", "magenta"), (f"{p.file}:{lines}", "cyan"))
            console.print(head)
            console.print(Padding(Text(text, style="dim"), (0, 0, 0, 5)))


def show_sources(console: Console, docs: list[dict]) -> None:
    table = Table(title=f"{len(docs)} indexed releases")
    table.add_column("file", style="cyan", no_wrap=True)
    table.add_column("chunks", justify="right")
    table.add_column("title")
    for d in docs:
        table.add_row(escape(d["path"]), str(d["chunks"]), escape(d.get("title") or ""))
    console.print(table)


_EVAL_ROWS = [
    ("retrieval", "hit@1", "hit@1 (gold release ranked first)"),
    ("retrieval", "hit@5", "hit@5"),
    ("retrieval", "mrr", "MRR"),
    ("answers", "sentence_hit", "cited sentence holds a gold answer"),
    ("answers", "accuracy", "accuracy (gold answer in answer, right release)"),
    ("answers", "em", "exact match (SQuAD 2.0, all questions)"),
    ("answers", "f1", "token F1 (SQuAD 2.0, all questions)"),
    ("answers", "em_answerable", "exact match, answerable only"),
    ("answers", "f1_answerable", "token F1, answerable only"),
    ("answers", "verbatim", "answers verbatim in cited lines"),
    ("abstention", "unanswerable_abstained", "unanswerable correctly abstained"),
    ("abstention", "answerable_abstained", "answerable wrongly abstained"),
    ("abstention", "confidence_auc", "confidence ROC AUC (answerable vs not)"),
    ("speed", "latency_p50_ms", "latency p50 (ms)"),
    ("speed", "latency_p95_ms", "latency p95 (ms)"),
    ("speed", "index_build_s", "index build (s)"),
]


def _fmt(value) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) and value <= 1.0 else f"{value:.1f}"


def show_eval(console: Console, summaries: list[dict], results: list[dict] | None = None, failures: int = 20) -> None:
    """One column of metrics per retrieval mode, then the failed questions of the first run."""
    first = summaries[0]
    table = Table(title=f"qa eval: {first['questions']} questions ({first['answerable']} answerable, {first['unanswerable']} unanswerable), k={first['k']}")
    table.add_column("group", style="dim")
    table.add_column("metric")
    for s in summaries:
        table.add_column(s["mode"], justify="right")
    for group, key, label in _EVAL_ROWS:
        table.add_row(group, label, *(_fmt(s.get(key)) for s in summaries))
    console.print(table)
    if results is None:
        return
    failed = [r for r in results if not r["metrics"]["correct"]]
    if not failed or not failures:
        console.print(f"{len(failed)} failed questions" if failed else "no failed questions")
        return
    fail = Table(title=f"failed questions ({len(failed)}; showing {min(failures, len(failed))})", show_lines=True, expand=True)
    fail.add_column("id", no_wrap=True)
    fail.add_column("question", ratio=2)
    fail.add_column("expected", ratio=2)
    fail.add_column("got", ratio=2)
    fail.add_column("cited", no_wrap=True)
    for r in failed[:failures]:
        expected = " | ".join(r["gold"]["answers"]) or "(abstain)"
        got = "(abstained)" if r["abstained"] else r["answer"]
        cited = r["citations"][0]["file"].rsplit("/", 1)[-1] if r["citations"] else "–"
        fail.add_row(escape(r["id"]), escape(r["question"]), escape(expected), escape(got), escape(cited))
    console.print(fail)
