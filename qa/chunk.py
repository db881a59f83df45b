"""Split cleaned releases into sentences and overlapping chunks, keeping character offsets.

Sentences come from spaCy's rule-based sentencizer (abbreviation-aware tokenizer, no
model to load) run on each paragraph of the cleaned text; hard line breaks are always
boundaries. Chunks are runs of whole sentences up to a word budget, overlapping by a
few sentences, so an answer near a chunk edge is still seen with its context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .types import Document

_ALNUM = re.compile(r"\w")
_PARAGRAPH = re.compile(r"[^\n]+")
MAX_SENTENCE_CHARS = 1200  # longer "sentences" (tables, run-on scrapes) are cut at spaces
MAX_SEGMENT_CHARS = 100_000  # spaCy's tokenizer is fed pieces at most this long


@dataclass(frozen=True)
class ChunkSettings:
    """How chunks are cut; recorded in the manifest so an index is never mixed."""

    words: int = 80
    overlap: int = 1  # sentences shared by consecutive chunks

    def as_dict(self) -> dict[str, int]:
        return {"words": self.words, "overlap": self.overlap}


@lru_cache(maxsize=1)
def _sentencizer():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = MAX_SEGMENT_CHARS + 10
    return nlp


def _pieces(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Cut [start, end) into pieces of at most ``limit`` chars at whitespace."""
    out = []
    while end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = cut if cut > start else start + limit
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def split_sentences(clean: str) -> list[tuple[int, int]]:
    """[start, end) offsets of the sentences of a cleaned text, in order."""
    segments: list[tuple[int, int]] = []
    for m in _PARAGRAPH.finditer(clean):
        s, e = _strip(clean, m.start(), m.end())
        if s < e and _ALNUM.search(clean, s, e):
            segments.extend(_pieces(clean, s, e, MAX_SEGMENT_CHARS))
    nlp = _sentencizer()
    spans: list[tuple[int, int]] = []
    texts = (clean[s:e] for s, e in segments)
    for (seg_start, _), doc in zip(segments, nlp.pipe(texts, batch_size=256)):
        for sent in doc.sents:
            s, e = _strip(clean, seg_start + sent.start_char, seg_start + sent.end_char)
            if s < e and _ALNUM.search(clean, s, e):
                spans.extend(_pieces(clean, s, e, MAX_SENTENCE_CHARS))
    return _join_line_blocks(clean, _move_opening_quotes(clean, spans))


def _move_opening_quotes(clean: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentencizer leaves a quote that opens the next sentence on the previous one."""
    out = list(spans)
    for k in range(len(out) - 1):
        s, e = out[k]
        if e - s > 2 and clean[e - 1] in "\"“'" and clean[e - 2].isspace():
            ns, ne = out[k + 1]
            if clean[e:ns].isspace() or e == ns:
                out[k] = _strip(clean, s, e - 1)
                out[k + 1] = (e - 1, ne)
    return out


_OPEN_END = re.compile(r"[^.!?…\"”’)\]]\Z")
BLOCK_LINE_WORDS = 8  # a line this short, after a line with no full stop, continues it
BLOCK_WORDS = 60  # a joined block stays a sentence-sized quote


def _join_line_blocks(clean: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join short lines to the open line before them ("please contact" / "Ana Guzmán" /
    "IOM Ecuador" / "Tel: ..."): a contact block, a dateline or a list of short items
    reads as one sentence, so the name is quoted with what introduces it.

    Only lines are joined (spans with a line break between them), and only when neither
    ends with a full stop: a heading stays apart from the sentence under it, and a long
    line (a paragraph) is never pulled in.
    """
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out:
            ps, pe = out[-1]
            if ("\n" in clean[pe:s] and _OPEN_END.search(clean[ps:pe]) and _OPEN_END.search(clean[s:e])
                    and len(clean[s:e].split()) <= BLOCK_LINE_WORDS
                    and len(clean[ps:e].split()) <= BLOCK_WORDS):
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    return out


def normalise(text: str) -> str:
    """Collapse runs of whitespace: the form in which text is embedded and shown."""
    return " ".join(text.split())


def chunk_sentences(
    sentences: list[tuple[int, int]], clean: str, settings: ChunkSettings
) -> list[tuple[int, int, int, int]]:
    """Group sentences into chunks: (first_sentence, end_sentence, start_char, end_char)."""
    lengths = [len(clean[s:e].split()) for s, e in sentences]
    chunks = []
    i = 0
    n = len(sentences)
    while i < n:
        j = i
        words = 0
        while j < n and (j == i or words + lengths[j] <= settings.words):
            words += lengths[j]
            j += 1
        chunks.append((i, j, sentences[i][0], sentences[j - 1][1]))
        if j >= n:
            break
        back = j - settings.overlap
        # overlap only when the shared sentences leave room for new text in the next chunk
        i = back if back > i and sum(lengths[back : j + 1]) <= settings.words else j
    return chunks


@dataclass
class Chunked:
    """Sentences and chunks of a whole corpus as NumPy arrays (rows: doc, start, end)."""

    sentences: np.ndarray  # int64 (M, 3)
    chunks: np.ndarray  # int64 (N, 3)
    texts: list[str]  # what is embedded and BM25-indexed for each chunk


def chunk_text(doc: Document, start: int, end: int) -> str:
    """The text a chunk is embedded as: its title first, so retrieval sees the topic."""
    body = normalise(doc.clean[start:end])
    if doc.title and not body.startswith(doc.title):
        return f"{doc.title}. {body}"
    return body


def chunk_corpus(docs: list[Document], settings: ChunkSettings) -> Chunked:
    """Sentences and chunks of every document; chunk rows are ordered by document."""
    sent_rows: list[tuple[int, int, int]] = []
    chunk_rows: list[tuple[int, int, int]] = []
    texts: list[str] = []
    for d, doc in enumerate(docs):
        sentences = split_sentences(doc.clean)
        sent_rows.extend((d, s, e) for s, e in sentences)
        for _, _, s, e in chunk_sentences(sentences, doc.clean, settings):
            chunk_rows.append((d, s, e))
            texts.append(chunk_text(doc, s, e))
    as_array = lambda rows: np.asarray(rows, dtype=np.int64).reshape(-1, 3)  # noqa: E731
    return Chunked(as_array(sent_rows), as_array(chunk_rows), texts)
