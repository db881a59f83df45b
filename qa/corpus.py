"""Read releases from a folder and clean them without moving a single character.

Cleaning never deletes: boilerplate and markup are overwritten with spaces and soft
line wraps become spaces, so the cleaned text has the same length as the original and
every offset found in it is an offset into the file as decoded from disk.
"""

from __future__ import annotations

import codecs
import hashlib
import math
import os
import re
import stat
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
# A lone CR is an old-Mac line break: a line of its own, as for str.splitlines and editors.
_LONE_CR = re.compile(r"\r(?!\n)")
# The #s opening a Markdown heading ("# Title"; not a "#hashtag").
_HEADING_MARKS = re.compile(r"^#{1,6}\s+")


@dataclass
class ReadReport:
    """What ``read_corpus`` did not index, so the CLI can warn about each file by name."""

    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    boilerplate: set[str] = field(default_factory=set)  # recorded so answers can be cleaned alike
    ignored: int = 0  # files that are not text releases (other suffixes, hidden)


def list_release_files(root: Path, unreadable: list[tuple[str, str]] | None = None) -> tuple[list[Path], int]:
    """Release files under ``root``, sorted; returns them and how many others were ignored.

    The policy: files named ``*.txt`` or ``*.md`` (any case) are releases; nested folders
    are walked; hidden files and folders (a leading dot) are not; symlinked files are read
    (they are the user's choice) while symlinked folders are not followed, which rules out
    cycles and trees outside the corpus. Other files are ignored without a warning.

    A subfolder that cannot be listed is appended to ``unreadable`` as ("DIR/", reason), to
    be reported like a skipped file rather than vanish; ``root`` itself is a ``CorpusError``.
    """

    def failed(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        if where == root:
            check_corpus_folder(root)  # a missing folder or a file says so first
            raise CorpusError(f"cannot read corpus folder {root}: {exc.strerror or exc}")
        if unreadable is not None:
            unreadable.append((where.relative_to(root).as_posix() + "/", exc.strerror or str(exc)))

    files: list[Path] = []
    ignored = 0
    for dirpath, dirnames, filenames in os.walk(root, onerror=failed, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith(".") or not name.lower().endswith(TEXT_SUFFIXES):
                ignored += 1
                continue
            files.append(path)
    return files, ignored


def corpus_fingerprint(root: Path) -> list[tuple[str, int, int]]:
    """(relative path, size, mtime_ns) of every entry ``read_corpus`` indexes or skips, so that
    an index is stale exactly when this set or a file changes. What cannot be stat'ed (a
    dangling or looping symlink) or listed (a folder, "DIR/") is listed with -1, -1 rather
    than dropped: dropping it made every run see a release "removed" and rebuild.
    """
    unreadable: list[tuple[str, str]] = []
    files, _ = list_release_files(root, unreadable)
    out = [(rel, -1, -1) for rel, _ in unreadable]
    for path in files:
        try:
            st = path.stat()
            size, mtime = st.st_size, st.st_mtime_ns
        except OSError:
            size = mtime = -1
        out.append((path.relative_to(root).as_posix(), size, mtime))
    return out


def decode(data: bytes) -> tuple[str, str]:
    """Decode a release; returns (text, encoding). Raises ``ValueError`` for binary data.

    1. A byte-order mark decides: UTF-8, UTF-32 or UTF-16 (little or big endian).
    2. Valid UTF-8 without NUL bytes is UTF-8.
    3. UTF-8 with a few invalid bytes (fewer than its valid multi-byte characters) stays
       UTF-8, each invalid byte becoming U+FFFD: re-guessing would garble every accent.
    4. Anything else is detected by charset-normalizer. UTF-16/32 without a BOM is only
       considered when the data has NUL bytes (it cannot be told apart otherwise), and
       Windows-1252 wins when charset-normalizer rates it about as coherent as its own
       pick (within the noise of a one-sentence sample) and at most slightly messier: on
       short texts the Latin code pages differ in a few letters it cannot weigh (it takes
       cp1250 or cp1257 for plain Spanish or German), and cp1252, a superset of Latin-1's
       letters, is what English and Spanish releases use when they are not UTF-8.

    Text in which control characters are common is binary, whatever it decoded as.
    """
    text, encoding = _decode(data)
    if _looks_binary(text):
        raise ValueError("binary file")
    return text, encoding


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_PREFERRED = "cp1252"
_CHAOS_SLACK = 0.1  # how much messier (charset-normalizer's chaos, 0..1) cp1252 may be...
_COHERENCE_SLACK = 0.06  # ...and how much less coherent: measured noise on one-sentence texts


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    if b"\x00" not in data:  # NULs are valid UTF-8, but in text they mean UTF-16 or binary
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
        lenient = data.decode("utf-8", errors="replace")
        bad = lenient.count("\ufffd") - data.count("\ufffd".encode())
        good = sum(1 for c in lenient if ord(c) > 127 and c != "\ufffd")
        if good > bad:
            return lenient, "utf-8"

    from charset_normalizer import from_bytes

    matches = [
        m for m in from_bytes(data)
        if b"\x00" in data or not m.encoding.startswith(("utf_16", "utf_32"))
    ]
    if not matches:
        raise ValueError("binary file" if b"\x00" in data else "binary file or unknown encoding")
    best = matches[0]
    if best.encoding != _PREFERRED:
        western = from_bytes(data, cp_isolation=[_PREFERRED]).best()
        if (
            western is not None
            and western.coherence >= best.coherence - _COHERENCE_SLACK
            and western.chaos <= best.chaos + _CHAOS_SLACK
        ):
            best = western
    return str(best), best.encoding


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
    A lone CR (old-Mac files) becomes a newline, so lines, titles and the line numbers
    counted in the clean text are those of the file. A Markdown title loses its #s.
    """
    text = _LONE_CR.sub("\n", text)
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
        if c != "\n" and ord(c) < 32:  # CRs of CRLF, tabs, form feeds...
            chars[i] = " "

    cleaned = "".join(chars)
    title_line = _title_line(cleaned, spans)
    title = cleaned[spans[title_line][0]:spans[title_line][1]].strip() if title_line is not None else ""
    title = _HEADING_MARKS.sub("", title)

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


def title_span(cleaned: str) -> tuple[int, int] | None:
    """Where a cleaned release's title line runs (``_title_line``), or None for no title."""
    spans = _line_spans(cleaned)
    line = _title_line(cleaned, spans)
    return spans[line] if line is not None else None


def check_corpus_folder(root: Path | str) -> Path:
    """``root`` as a Path if it is a folder, else the ``CorpusError`` that says what is wrong."""
    root = Path(root)
    if not root.exists():
        raise CorpusError(f"corpus folder not found: {root} (pass --corpus DIR)")
    if not root.is_dir():
        raise CorpusError(f"corpus {root} is not a folder (pass --corpus DIR)")
    return root


def read_corpus(
    root: Path | str, max_file_mb: float = DEFAULT_MAX_FILE_MB
) -> tuple[list[Document], ReadReport]:
    """Read, decode and clean every release under ``root``.

    Which files count is ``list_release_files``'s policy. Files that cannot be used are
    skipped and reported with the reason, never fatal: empty, not a regular file (a FIFO
    or a device would block or never end), larger than ``max_file_mb`` (checked before
    reading), unreadable, binary, or without a single letter or digit; so are subfolders
    that cannot be listed. A missing or unreadable folder, or one with nothing usable, is
    a ``CorpusError``.
    """
    root = check_corpus_folder(root)
    unreadable: list[tuple[str, str]] = []
    files, ignored = list_release_files(root, unreadable)
    report = ReadReport(skipped=unreadable, ignored=ignored)
    raw: list[tuple[str, str, str, str]] = []  # rel, text, sha, encoding
    for path in files:
        rel = path.relative_to(root).as_posix()
        try:
            st = path.stat()
            size = st.st_size
            if not stat.S_ISREG(st.st_mode):
                report.skipped.append((rel, "not a regular file"))
                continue
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
        if not report.skipped:
            raise CorpusError(f"no .txt or .md releases in corpus folder {root}")
        why = "; ".join(f"{rel}: {reason}" for rel, reason in report.skipped[:3])
        more = f"; and {len(report.skipped) - 3} more" if len(report.skipped) > 3 else ""
        raise CorpusError(f"no readable releases in corpus folder {root} ({why}{more})")
    boiler = boilerplate_lines([t for _, t, _, _ in raw])
    report.boilerplate = boiler
    docs = []
    for rel, text, sha, encoding in raw:
        cleaned, title = clean(text, boiler)
        docs.append(Document(rel, text, cleaned, sha, encoding, title))
    return docs, report

