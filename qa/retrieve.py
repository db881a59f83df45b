"""Find the chunks most likely to answer a question: dense (FAISS), lexical (BM25), or both.

Hybrid fusion is a weighted sum of the cosine similarity and the BM25 score scaled by
the query's best BM25 score, over the union of both candidate lists. Plain reciprocal
rank fusion throws away how far ahead the leader is and lost to BM25 alone at hit@1 on
the development set; the weight is chosen there (README, "How an answer is found").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from .embed import Encoder
from .store import Index, bm25_tokens
from .types import Hit

Mode = Literal["dense", "bm25", "hybrid"]
MODES: tuple[str, ...] = ("dense", "bm25", "hybrid")
CANDIDATES = 50  # per retriever, before fusion
DENSE_WEIGHT = 0.7
PER_FILE = 1  # at most this many chunks of one file among the hybrid hits shown (0: no limit)


@dataclass
class Retrieval:
    """The chunks found, best first: ``hits`` are shown (and scored as file hit@k), ``read``
    go to the reader. Hybrid shows one chunk per file, so that the list covers more
    releases, while the reader reads the best chunks wherever they are: a release often
    answers in the chunk after the one that matched its topic. Measured with the half
    readers (eval/fit.py, hybrid), reading the best chunks instead of the best chunk of
    each file: held-out EM / F1 .318 / .376 -> .328 / .387, unanswerables abstained
    .232 -> .245; our releases: sentence .672 -> .705, accuracy .525 -> .574."""

    hits: list[Hit]
    query_vector: np.ndarray | None
    read: list[Hit] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.read:
            self.read = self.hits


def _set_single_thread() -> None:
    import faiss

    faiss.omp_set_num_threads(1)  # one query at a time: threads only add overhead


def bm25_scores(index: Index, question: str) -> np.ndarray:
    """BM25 score of every chunk (zeros when no query term is in the vocabulary)."""
    tokens = bm25_tokens([question], ids=False)
    if not tokens or not tokens[0]:
        return np.zeros(len(index.chunks), dtype=np.float32)
    try:
        return np.asarray(index.bm25.get_scores(tokens[0]), dtype=np.float32)
    except (KeyError, ValueError, IndexError):
        return np.zeros(len(index.chunks), dtype=np.float32)


def term_idf(index: Index, text: str) -> dict[str, float]:
    """BM25's IDF in this index of each of ``text``'s terms (stemmed, stop words dropped); a
    term no chunk holds gets the highest. The confidence weighs a question's missing terms by it."""
    tokens = bm25_tokens([text], ids=False)
    if not tokens or not tokens[0]:
        return {}
    scores, vocab = index.bm25.scores, index.bm25.vocab_dict
    n, indptr = int(scores["num_docs"]), scores["indptr"]
    out = {}
    for term in set(tokens[0]):
        i = vocab.get(term)
        df = int(indptr[i + 1] - indptr[i]) if i is not None and i + 1 < len(indptr) else 0
        out[term] = math.log(1 + (n - df + 0.5) / (df + 0.5))
    return out


def rare_miss(idf: dict[str, float], text: str) -> float:
    """The share of the question's IDF (``term_idf``) carried by its terms that ``text`` lacks:
    a sentence that misses the question's one rare name misses much, one that misses "say" little."""
    total = sum(idf.values())
    if total <= 0:
        return 0.0
    tokens = bm25_tokens([text], ids=False)
    held = set(tokens[0]) if tokens and tokens[0] else set()
    return sum(w for term, w in idf.items() if term not in held) / total


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    n = min(n, len(scores))
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, n - 1)[:n]
    return part[np.argsort(-scores[part], kind="stable")]


def dense_search(index: Index, vector: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    _set_single_thread()
    n = min(n, index.faiss_index.ntotal)
    if n <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    scores, ids = index.faiss_index.search(vector.reshape(1, -1).astype(np.float32), n)
    keep = ids[0] >= 0
    return ids[0][keep].astype(np.int64), scores[0][keep]


def _dense_for(index: Index, vector: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Exact cosine of the query with given chunks (for BM25 candidates dense search missed)."""
    if len(ids) == 0:
        return np.zeros(0, dtype=np.float32)
    vecs = index.faiss_index.reconstruct_batch(ids.astype(np.int64))
    return vecs @ vector.astype(np.float32)


def retrieve(
    index: Index,
    question: str,
    encoder: Encoder | None,
    k: int = 5,
    mode: Mode = "hybrid",
    dense_weight: float = DENSE_WEIGHT,
    query_vector: np.ndarray | None = None,
    within: int | None = None,
) -> Retrieval:
    """The ``k`` best chunks for ``question``, best first (only release ``within``'s, if given)."""
    if mode not in MODES:
        raise ValueError(f"unknown retrieval mode {mode!r}")
    if len(index.chunks) == 0:
        return Retrieval([], None)
    vector = query_vector
    if mode != "bm25" and vector is None:
        vector = encoder.encode([question])[0]
    if within is not None:
        return _within(index, question, vector, k, mode, dense_weight, within)
    if mode == "dense":
        ids, scores = dense_search(index, vector, k)
        return Retrieval([Hit(int(i), float(s), dense=float(s)) for i, s in zip(ids, scores)], vector)
    lexical = bm25_scores(index, question)
    if mode == "bm25":
        ids = _top(lexical, k)
        ids = ids[lexical[ids] > 0]  # a chunk that shares no word with the question was not found
        return Retrieval([Hit(int(i), float(lexical[i]), bm25=float(lexical[i])) for i in ids], vector)
    dense_ids, dense_scores = dense_search(index, vector, max(CANDIDATES, k))
    lex_ids = _top(lexical, max(CANDIDATES, k))
    lex_ids = lex_ids[lexical[lex_ids] > 0]
    dense = dict(zip(dense_ids.tolist(), dense_scores.tolist()))
    missing = np.array([i for i in lex_ids.tolist() if i not in dense], dtype=np.int64)
    dense.update(zip(missing.tolist(), _dense_for(index, vector, missing).tolist()))
    best_lex = float(lexical.max()) if len(lexical) else 0.0
    scale = 1.0 / best_lex if best_lex > 0 else 0.0
    hits = [
        Hit(i, dense_weight * d + (1 - dense_weight) * float(lexical[i]) * scale, dense=d, bm25=float(lexical[i]))
        for i, d in dense.items()
    ]
    hits.sort(key=lambda h: -h.score)
    shown = _per_file(index, hits, PER_FILE) if PER_FILE else hits
    return Retrieval(shown[:k], vector, hits[:k])


def _within(index: Index, question: str, vector: np.ndarray | None, k: int, mode: Mode, dense_weight: float,
            doc: int) -> Retrieval:
    """Every chunk of one release scored as ``retrieve`` would score it, best first."""
    ids = np.flatnonzero(index.chunks[:, 0] == doc).astype(np.int64)
    dense = _dense_for(index, vector, ids) if mode != "bm25" else np.zeros(len(ids), dtype=np.float32)
    lexical = bm25_scores(index, question) if mode != "dense" else np.zeros(len(index.chunks), dtype=np.float32)
    best_lex = float(lexical.max()) if len(lexical) else 0.0
    scale = 1.0 / best_lex if best_lex > 0 else 0.0
    weight = {"dense": 1.0, "bm25": 0.0}.get(mode, dense_weight)
    hits = [Hit(int(i), weight * float(d) + (1 - weight) * (float(lexical[i]) * (scale if mode == "hybrid" else 1.0)),
                dense=float(d), bm25=float(lexical[i])) for i, d in zip(ids, dense)]
    hits.sort(key=lambda h: -h.score)
    return Retrieval(hits[:k], vector)


def _per_file(index: Index, hits: list[Hit], limit: int) -> list[Hit]:
    """At most ``limit`` chunks of any one file, so the top k passages cover more releases."""
    seen: dict[int, int] = {}
    out = []
    for h in hits:
        d = int(index.chunks[h.chunk, 0])
        if seen.get(d, 0) < limit:
            seen[d] = seen.get(d, 0) + 1
            out.append(h)
    return out
