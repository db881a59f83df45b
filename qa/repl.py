"""The interactive loop: questions in, answers out, a few ``:commands``.

Line editing and history come from prompt_toolkit (history is kept across sessions in
the user's app directory); when stdin is not a terminal the loop reads plain lines, so
the REPL can be scripted and tested.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable, Iterator

from rich.console import Console
from rich.markup import escape

from .api import NOT_ENGLISH, Assistant, looks_english
from .errors import QAError
from .render import show_answer, show_sources, to_json
from .retrieve import MODES

HELP = """\
Type a question and press Enter. Commands:
  :help         this help
  :k N          show N passages (now {k})
  :mode M       retrieval mode: dense, bm25 or hybrid (now {mode})
  :sources      list the indexed releases
  :json         toggle JSON output (now {json})
  :quit         leave (Ctrl-D works too; Ctrl-C cancels the current line)"""


def history_path() -> Path:
    """Where REPL history lives: $QA_HOME, else the platform's app directory for qa."""
    home = os.environ.get("QA_HOME")
    if not home:
        import typer

        home = typer.get_app_dir("qa")
    path = Path(home)
    path.mkdir(parents=True, exist_ok=True)
    return path / "history"


def _lines_from_terminal() -> Iterator[str]:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    session = PromptSession(history=FileHistory(str(history_path())))
    while True:
        try:
            yield session.prompt("qa> ")
        except KeyboardInterrupt:
            continue  # Ctrl-C: drop the line, keep the REPL
        except EOFError:
            return


def _lines_from_pipe() -> Iterator[str]:
    for line in sys.stdin:
        yield line.rstrip("\n")


def run(
    assistant: Assistant,
    console: Console,
    err: Console,
    k: int = 5,
    mode: str = "hybrid",
    as_json: bool = False,
    lines: Iterator[str] | None = None,
    prepare: Callable[[], None] | None = None,
) -> int:
    """Run the loop until :quit or end of input; returns the exit status (0)."""
    if lines is None:
        lines = _lines_from_terminal() if sys.stdin.isatty() else _lines_from_pipe()
    if not as_json:
        console.print(f"[bold]qa[/bold] — {len(assistant.sources())} releases indexed. Type :help for commands.")
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if line.startswith(":"):
            cmd, _, arg = line[1:].partition(" ")
            cmd = cmd.lower()
            if cmd in {"q", "quit", "exit"}:
                break
            elif cmd in {"h", "help", "?"}:
                console.print(HELP.format(k=k, mode=mode, json="on" if as_json else "off"), markup=False)
            elif cmd == "k":
                if arg.strip().isdigit() and 1 <= int(arg) <= 100:
                    k = int(arg)
                    console.print(f"k = {k}")
                else:
                    err.print("usage: :k N  (N from 1 to 100)")
            elif cmd == "mode":
                if arg.strip() in MODES:
                    mode = arg.strip()
                    console.print(f"mode = {mode}")
                else:
                    err.print("usage: :mode dense|bm25|hybrid")
            elif cmd == "sources":
                show_sources(console, assistant.sources())
            elif cmd == "json":
                as_json = not as_json
                console.print(f"json = {'on' if as_json else 'off'}")
            else:
                err.print(f"unknown command :{escape(cmd)} (type :help)", highlight=False)
            continue
        if as_json and not looks_english(line):  # the panel says it otherwise
            err.print(f"[yellow]note:[/yellow] {NOT_ENGLISH}", highlight=False, soft_wrap=True)
        try:
            if prepare:
                prepare()
            answer = assistant.ask(line, k=k, mode=mode)
        except QAError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
            continue
        except KeyboardInterrupt:
            err.print("cancelled")
            continue
        if as_json:
            console.file.write(to_json(answer) + "\n")
            console.file.flush()
        else:
            show_answer(console, answer)
    return 0
