"""Read releases from a folder and clean them without moving a single character.

Cleaning never deletes: boilerplate and markup are overwritten with spaces and soft
line wraps become spaces, so the cleaned text has the same length as the original and
every offset found in it is an offset into the file as decoded from disk.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CorpusError
from .types import Document

TEXT_SUFFIXES = (".txt", ".md")
DEFAULT_MAX_FILE_MB = 20.0

# Markup left behind by scraping: tags, mailto links, dangling attributes and quote-angle debris.
_MARKUP = re.compile(
    r"<[^<>\n]{0,300}>"
    r"|\"?mailto:[^\"\s>]*\"?"
    r"|\b(?:href|target|title|class|rel|style|alt|id)\s*=\s*(?:\"[^\"]*\"|'[^']*')?"
    r"|\"+>"
    r"|&nbsp;"
)
_ALNUM = re.compile(r"\w")
_SENTENCE_END = re.compile(r"[.!?:;\"'”’)]\s*$")


@dataclass
class ReadReport:
    """What ``read_corpus`` did not index, so the CLI can warn about each file by name."""

    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    boilerplate: set[str] = field(default_factory=set)  # recorded so answers can be cleaned alike
    ignored: int = 0  # files that are not text releases (other suffixes, hidden)


def list_release_files(root: Path) -> tuple[list[Path], int]:
    """Release files under ``root``, sorted; nested folders are walked, hidden ones are not.

    Symlinked files are read (they are the user's choice); symlinked folders are not
    followed, which rules out cycles. Returns the files and how many others were ignored.
    """
    files: list[Path] = []
    ignored = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith(".") or not name.lower().endswith(TEXT_SUFFIXES):
                ignored += 1
                continue
            files.append(path)
    return files, ignored


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 when they are, else let charset-normalizer detect the encoding.

    Raises ``ValueError`` for data that is not text (binary files).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if not (data.startswith((b"\xff\xfe", b"\xfe\xff"))) and b"\x00" in data[:8192]:
        raise ValueError("binary file")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ValueError("not text in any encoding we can detect")
    text = str(best)
    if _looks_binary(text):
        raise ValueError("binary file")
    return text, best.encoding


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    return bool(sample) and controls / len(sample) > 0.05


def read_text(path: Path) -> tuple[str, str]:
    """The decoded text of one file exactly as on disk, and the encoding used."""
    return decode(path.read_bytes())


def _norm_line(line: str) -> str:
    return " ".join(line.split()).lower()


def boilerplate_lines(texts: list[str], min_docs: int | None = None) -> set[str]:
    """Lines (normalised) that recur in many releases: candidates for site navigation.

    A line counts once per release; the threshold grows slowly with the corpus so
    that a quote shared by two releases is not mistaken for navigation.
    """
    if min_docs is None:
        min_docs = max(3, math.ceil(0.005 * len(texts)))
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({_norm_line(ln) for ln in text.splitlines() if _ALNUM.search(ln)})
    return {line for line, n in counts.items() if n >= min_docs}


def _line_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each line without its line break."""
    spans = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        spans.append((pos, pos + len(body)))
        pos += len(line)
    return spans


def clean(text: str, boilerplate: set[str] = frozenset(), min_run: int = 3, join_wraps: bool = True) -> tuple[str, str]:
    """Return (clean text of the same length, title).

    Runs of at least ``min_run`` boilerplate lines are blanked (a single repeated line
    such as an office name is harmless and kept); markup remnants are blanked; soft
    wraps inside paragraphs become spaces while hard breaks (blank lines, short lines,
    the title) stay as newlines so the sentence splitter treats them as boundaries.
    """
    chars = list(text)
    spans = _line_spans(text)

    def blank(s: int, e: int) -> None:
        for i in range(s, e):
            if chars[i] not in "\n":
                chars[i] = " "

    # 1. navigation blocks: runs of repeated lines (blank and punctuation-only lines ride along)
    run: list[int] = []  # repeated lines, and the punctuation-only lines among and before them
    hits = 0
    for i, (s, e) in enumerate(spans + [(len(text), len(text))]):
        line = text[s:e]
        if i < len(spans) and not _ALNUM.search(line):
            run.append(i)
        elif i < len(spans) and _norm_line(line) in boilerplate:
            run.append(i)
            hits += 1
        else:
            if hits >= min_run:
                for j in run:
                    blank(*spans[j])
            run, hits = [], 0

    # 2. markup remnants
    for m in _MARKUP.finditer(text):
        blank(m.start(), m.end())
        # a lone '>' closing the blanked attribute list (`title=\n"">name`)
        rest = text[m.end():m.end() + 4]
        gap = len(rest) - len(rest.lstrip())
        if rest[gap:gap + 1] == ">":
            blank(m.end(), m.end() + gap + 1)
    for i, c in enumerate(chars):
        if c == "\r" or (c != "\n" and ord(c) < 32):
            chars[i] = " "

    cleaned = "".join(chars)
    title_line = _title_line(cleaned, spans)
    title = cleaned[spans[title_line][0]:spans[title_line][1]].strip() if title_line is not None else ""

    if not join_wraps:  # the display form: blanked like the index, lines as on disk
        return cleaned, title
    # 3. join soft wraps
    lengths = [len(cleaned[s:e].rstrip()) for s, e in spans if len(cleaned[s:e].strip()) >= 30]
    width = statistics.median(lengths) if lengths else 70
    out = list(cleaned)
    for i, (s, e) in enumerate(spans[:-1]):
        line = cleaned[s:e].strip()
        nxt = cleaned[spans[i + 1][0]:spans[i + 1][1]].strip()
        if not line or not nxt or i == title_line:
            continue
        if len(cleaned[s:e].rstrip()) < 0.6 * width or line.endswith(":"):
            continue
        if e < len(out) and out[e] == "\n":
            out[e] = " "
    return "".join(out), title


def _title_line(cleaned: str, spans: list[tuple[int, int]]) -> int | None:
    """Index of the title line: the first non-empty line, skipping a leading menu of short lines."""
    nonempty = [i for i, (s, e) in enumerate(spans[:60]) if _ALNUM.search(cleaned[s:e])]
    words = [len(cleaned[spans[i][0]:spans[i][1]].split()) for i in nonempty]
    for pos, i in enumerate(nonempty):
        short = words[pos] < 3
        next_short = pos + 1 < len(nonempty) and nonempty[pos + 1] == i + 1 and words[pos + 1] < 3
        prev_short = pos > 0 and nonempty[pos - 1] == i - 1 and words[pos - 1] < 3
        if short and (next_short or prev_short):
            continue
        if words[pos] > 40:
            return None
        return i
    return None


def read_corpus(
    root: Path | str, max_file_mb: float = DEFAULT_MAX_FILE_MB
) -> tuple[list[Document], ReadReport]:
    """Read, decode and clean every release under ``root``.

    Files that cannot be read are skipped and reported, never fatal; a missing folder
    or a folder with nothing readable is a ``CorpusError``.
    """
    root = Path(root)
    if not root.is_dir():
        raise CorpusError(f"corpus folder not found: {root} (pass --corpus DIR)")
    files, ignored = list_release_files(root)
    report = ReadReport(ignored=ignored)
    raw: list[tuple[str, str, str, str]] = []  # rel, text, sha, encoding
    for path in files:
        rel = path.relative_to(root).as_posix()
        try:
            size = path.stat().st_size
            if size == 0:
                report.skipped.append((rel, "empty file"))
                continue
            if size > max_file_mb * 1024 * 1024:
                report.skipped.append((rel, f"larger than {max_file_mb:g} MB (--max-file-mb)"))
                continue
            data = path.read_bytes()
            text, encoding = decode(data)
        except (OSError, ValueError) as exc:
            report.skipped.append((rel, str(exc) if isinstance(exc, ValueError) else exc.strerror or str(exc)))
            continue
        if not _ALNUM.search(text):
            report.skipped.append((rel, "no text"))
            continue
        raw.append((rel, text, hashlib.sha256(data).hexdigest(), encoding))
    if not raw:
        what = "no readable .txt or .md releases" if files or ignored else "no releases"
        raise CorpusError(f"{what} in corpus folder {root}")
    boiler = boilerplate_lines([t for _, t, _, _ in raw])
    report.boilerplate = boiler
    docs = []
    for rel, text, sha, encoding in raw:
        cleaned, title = clean(text, boiler)
        docs.append(Document(rel, text, cleaned, sha, encoding, title))
    return docs, report


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
