"""Plain data records passed between the stages; offsets are into the decoded original file."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """One release as read from disk.

    ``text`` is the decoded original; ``clean`` has the same length, with boilerplate
    and markup blanked out and wrapped lines joined, so any offset means the same in both.
    """

    path: str  # relative to the corpus folder, with forward slashes
    text: str
    clean: str
    sha256: str
    encoding: str
    title: str = ""


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the per-retriever scores behind it."""

    chunk: int
    score: float
    dense: float = 0.0
    bm25: float = 0.0


@dataclass
class Citation:
    file: str
    start_line: int
    end_line: int
    quote: str


@dataclass
class Passage:
    file: str
    start_line: int
    end_line: int
    score: float
    text: str


@dataclass
class Answer:
    """What ``qa ask`` returns: the JSON contract of the CLI, field for field."""

    question: str
    answer: str
    abstained: bool
    confidence: float
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    # Not part of the JSON contract: where the phrase sits in the quote (for highlighting),
    # and the sentence the reader picked even when it then abstained (for evaluation).
    highlight: tuple[int, int] | None = None
    best: Citation | None = None
