#!/usr/bin/env python3
"""Fit the sentence choice, the answer confidence and the abstention threshold per retrieval mode; write qa/calibration.json.

Usage (from the repo root, after `qa index` of the dev corpus and training a reader on
each half with eval/train_reader.py --articles fit / report; ~12 minutes on 2 cores):

    .venv/bin/qa index --corpus ../shared/extqa/squad2-dev/corpus --index-dir /tmp/sq
    .venv/bin/python eval/fit.py --corpus ../shared/extqa/squad2-dev/corpus --index-dir /tmp/sq \\
        --questions ../shared/extqa/squad2-dev/questions.jsonl \\
        --readers /tmp/reader-fit.safetensors /tmp/reader-report.safetensors [--split-out DIR] [--write]

The development set is split BY ARTICLE (the file-name prefix before ``_NN.txt``): every
other article, sorted by name and starting with the first, is the fit half; the rest is
the report half. A reader is confident on questions it was trained on, so the confidence
is fitted on answers to questions the reader never saw (cross-fitting): the fit half is
read by the reader trained on the report half, and the other way round.

First the choice weights (``qa.answer.choice``): the weights of the reader's support,
retrieval's score and the question's words in and before a sentence
(``qa.answer.CHOICE_FEATURES``) under which the sentences holding a gold answer are most
probable (``fit_choice``), and the weights that settle a close choice with the cosine of
the question and the sentence added (``fit_rerank``). Then, with those answers, the
confidence: a logistic regression, label "the question is answerable", over
``qa.answer.CONFIDENCE_FEATURES``; the threshold is the highest at which at most
``--false-abstain`` (default 10%, the issue's bound) of the answerable questions are
abstained, counting those that abstain whatever the confidence (a phrase of the wrong
kind, ``qa.answer.no_answer``, or nothing read). It is fitted per
retrieval mode, because their scores differ in scale. The label is what abstention
decides: measured with the threshold set for 9% false abstentions on the report half,
it abstains on more unanswerables than the label "answer F1 >= 0.5" did (hybrid .240
against .196, bm25 .216 against .173, dense .214 against .205) and scores higher F1.

``--keep-weights`` keeps the shipped choice and confidence weights (and, with ``--split-out``,
those of DIR/calibration.json) and chooses only each mode's threshold again on the reads:
a gate added since the weights were fitted abstains on answerable questions too, and they
count against the same budget, while no answer above the threshold changes.

``--split-out DIR`` writes the held-out set-up: a calibration fitted on the fit half only,
and DIR/heldout.jsonl (the report half), to be measured with
``QA_READER=/tmp/reader-fit.safetensors QA_CALIBRATION=DIR/calibration.json qa eval``: neither
the reader nor the calibration has seen those articles. ``--write`` fits on both halves
and writes the shipped qa/calibration.json (for the reader trained on all articles).
Nothing is tuned per question.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from qa import answer as A  # noqa: E402
from qa.evaluate import Question, contains_answer, exact_match, load_questions, roc_auc, token_f1  # noqa: E402
from qa.reader import Guess  # noqa: E402
from qa.retrieve import term_idf  # noqa: E402
from qa.types import Hit  # noqa: E402

MODES = ("hybrid", "dense", "bm25")
# a close choice (``qa.answer.choice``): the best two within this much of the weighted sum,
# re-ranked among the best four. Measured on the held-out halves, hybrid, gold sentence
# first: .826 / .780 without; top 4 at margins 2.0 / 1.0 / 0.5 / 0.35 / 0.25 / 0.15 (61 /
# 39 / 24 / 18 / 13 / 8% of questions re-ranked) .829 / .786, .830 / .787, .829 / .789,
# .831 / .790, .830 / .784, .828 / .781; every sentence of every question .828 / .786.
# On the release sets (315 questions) margins 0.5-2.0 were all within 3 right answers of
# none, so the margin is the one that encodes least for the most gain (eval/NOTES.md,
# the eighth session).
RERANK_TOP, RERANK_MARGIN = 4, 0.35
READS_FORMAT = 5  # the hits read and every sentence's guess (spans near the question's words), with its passage's total


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = 1.0, iters: int = 25) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method, on standardised features."""
    n, d = X.shape
    mu, sd = X.mean(0), X.std(0)
    sd[sd < 1e-9] = 1.0
    Z = np.hstack([(X - mu) / sd, np.ones((n, 1))])
    w = np.zeros(d + 1)
    reg = np.full(d + 1, l2)
    reg[-1] = 0.0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-np.clip(Z @ w, -40, 40)))
        g = Z.T @ (p - y) + reg * w
        H = (Z * (p * (1 - p))[:, None]).T @ Z + np.diag(reg + 1e-9)
        step = np.linalg.solve(H, g)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    coef = w[:-1] / sd
    return coef, float(w[-1] - (w[:-1] * mu / sd).sum())


def choose_threshold(answerable_conf, false_abstain: float, always: int = 0) -> float:
    """The highest threshold that abstains on at most ``false_abstain`` of the answerable questions,
    ``always`` of which abstain whatever their confidence (``answerable_conf`` holds the others')."""
    conf = np.sort(np.asarray(answerable_conf, dtype=float))
    if not len(conf):
        return 0.5
    k = max(int(np.floor(false_abstain * (len(conf) + always))) - always, 0)  # this many may fall below it
    return float(conf[k]) if k < len(conf) else float(conf[-1])


def question_articles(questions: list[Question]) -> list[str]:
    """Each question's article; an unanswerable one (no source) belongs to its neighbours' article."""
    out, last = [], ""
    for q in questions:
        last = q.sources[0].rsplit("_", 1)[0] if q.sources else last
        out.append(last)
    return out


def split_articles(articles: list[str]) -> tuple[set[str], set[str]]:
    """(fit half, report half): every other article by name, starting with the first."""
    names = sorted(set(articles))
    return set(names[0::2]), set(names[1::2])


def read_all(a, mode: str, questions: list[Question], idx: list[int]) -> dict[int, dict]:
    """Retrieve and read questions ``idx`` with Assistant ``a``: the hits and the reader's guesses,
    kept so that the choice weights and the confidence can be refitted without reading again."""
    from qa.retrieve import retrieve

    index, reader = a.index, a.reader
    out = {}
    for i in idx:
        q = questions[i]
        hits = retrieve(index, q.question, a.encoder, k=5, mode=mode).read
        material = A.passages_of(hits, index.chunks, index.sentences, a.doc_text)
        guesses = reader.read(q.question, [m.text for m in material], [m.starts for m in material])
        out[i] = {"hits": [[h.chunk, h.score, h.dense, h.bm25] for h in hits],
                  "guesses": [[[g.start, g.end, g.score, g.null, g.support, g.total] for g in gs] for gs in guesses]}
    return out


def _unpack(raw: dict) -> tuple[list[Hit], list[list[Guess]]]:
    hits = [Hit(int(c), s, d, b) for c, s, d, b in raw["hits"]]
    return hits, [[Guess(int(s), int(e), *scores) for s, e, *scores in gs] for gs in raw["guesses"]]


def _read(a, questions: list[Question], raw: dict[int, dict], idx: list[int]):
    """Per answerable question of ``idx``: it, its hits, the reader's guesses, the passages
    read and, per passage, whether it is a gold file."""
    index = a.index
    for i in idx:
        q = questions[i]
        if not q.answerable:
            continue
        hits, guesses = _unpack(raw[i])
        material = A.passages_of(hits, index.chunks, index.sentences, a.doc_text)
        yield q, hits, guesses, material, [Path(a.doc_path(m.doc)).name in q.sources for m in material]


def sentence_candidates(a, questions: list[Question], raw: dict[int, dict], idx: list[int]) -> list[np.ndarray]:
    """Per answerable question, one row per sentence the reader read: its
    ``qa.answer.CHOICE_FEATURES``, then 1 if it holds a gold answer in a gold file."""
    return [np.array([[*weighed, gold[k] and contains_answer(text, q.answers)]
                      for k, _, weighed, text in A.options(q.question, guesses, hits, material)],
                     dtype=float).reshape(-1, len(A.CHOICE_FEATURES) + 1)
            for q, hits, guesses, material, gold in _read(a, questions, raw, idx)]


def rerank_candidates(a, questions: list[Question], raw: dict[int, dict], idx: list[int], weights: dict) -> list[np.ndarray]:
    """Per answerable question whose choice under ``weights`` is a close call, its
    ``qa.answer.contenders`` (``RERANK_MARGIN``, ``RERANK_TOP``): their
    ``qa.answer.RERANK_FEATURES`` (the cosine by ``a.encoder``), then 1 if it holds a gold
    answer in a gold file."""
    out = []
    for q, hits, guesses, material, gold in _read(a, questions, raw, idx):
        top = A.contenders(A.ranked(q.question, guesses, hits, material, weights), RERANK_MARGIN, RERANK_TOP)
        if not top:
            continue
        vectors = a.encoder.encode([q.question, *(text for *_, text in top)])
        out.append(np.array([[*weighed, float(vectors[0] @ vectors[j + 1]), gold[k] and contains_answer(text, q.answers)]
                             for j, (_, k, _, weighed, text) in enumerate(top)], dtype=float))
    return out


def fit_rerank(a, questions: list[Question], raw: dict[int, dict], idx: list[int], weights: dict) -> dict:
    """``weights`` with the second look at close choices (``qa.answer.choice``) fitted on questions ``idx``."""
    again = fit_choice(rerank_candidates(a, questions, raw, idx, weights), A.RERANK_FEATURES)
    return weights | {"rerank": {"model": a.encoder.name, "top": RERANK_TOP, "margin": RERANK_MARGIN, "weights": again}}


def fit_choice(candidates: list[np.ndarray], names: tuple[str, ...] = A.CHOICE_FEATURES, l2: float = 1.0,
               iters: int = 30) -> dict:
    """The weights of ``qa.answer.CHOICE_FEATURES`` under which the sentences holding a gold
    answer are most probable: a conditional logit (a softmax over each question's sentences),
    L2-regularised on standardised features, by Newton's method. Questions whose sentences
    hold no gold answer teach nothing and are left out. Against the grid it replaced (the
    weights of retrieval and overlap, support's fixed at 1), fitted on one half of the
    articles and counted on the other: gold sentence first .809 -> .827 and .769 -> .781."""
    groups = [c for c in candidates if len(c) and c[:, -1].any()]
    width = len(names)
    if not groups:
        return {name: float(name == "support") for name in names}
    stacked = np.concatenate(groups)[:, :width]
    mu, sd = stacked.mean(0), stacked.std(0)
    sd[sd < 1e-9] = 1.0
    data = [((c[:, :width] - mu) / sd, c[:, -1] / c[:, -1].sum()) for c in groups]
    w = np.zeros(width)
    for _ in range(iters):
        g, H = l2 * w, np.eye(width) * l2
        for X, y in data:
            z = X @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            g = g - X.T @ (y - p)
            mean = X.T @ p
            H = H + (X * p[:, None]).T @ X - np.outer(mean, mean)
        step = np.linalg.solve(H, g)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return {name: float(v) for name, v in zip(names, w / sd)}


def decisions(a, questions: list[Question], raw: dict[int, dict], idx: list[int], weights: dict) -> dict[int, dict]:
    """The answer and confidence features of each kept read, with choice ``weights``."""
    index = a.index
    out = {}
    for i in idx:
        hits, guesses = _unpack(raw[i])
        material = A.passages_of(hits, index.chunks, index.sentences, a.doc_text)
        found = A.decide(questions[i].question, hits, guesses, material, index.sentences, a.doc_text, weights,
                         term_idf(index, questions[i].question), a.encoder)
        if found is None:
            out[i] = {"answer": "", "features": None, "gate": True}
            continue
        text = a.doc_text(found.doc)
        out[i] = {"answer": text[slice(*found.phrase)], "features": found.features,
                  "gate": A.no_answer(questions[i].question, found, text)}
    return out


def fit_confidence(questions: list[Question], reads: dict[int, dict], idx: list[int], false_abstain: float) -> dict:
    """The logistic confidence, fitted on every read, and its threshold: answerable questions
    that abstain whatever the confidence (nothing read, or a gate of ``answer.no_answer``)
    count against the same ``false_abstain`` budget."""
    rows = [i for i in idx if reads[i]["features"] is not None]
    X = np.array([reads[i]["features"] for i in rows])
    y = np.array([float(questions[i].answerable) for i in rows])
    w, b = fit_logistic(X, y)
    fitted = {"confidence": {"weights": dict(zip(A.CONFIDENCE_FEATURES, map(float, w))), "bias": b}}
    conf = np.array([A.probability(fitted, x) for x in X.tolist()])  # as qa computes it, to the last bit
    free = np.array([questions[i].answerable and not reads[i]["gate"] for i in rows], dtype=bool)
    always = sum(questions[i].answerable and reads[i]["gate"] for i in idx)
    return fitted | {"threshold": choose_threshold(conf[free], false_abstain, always)}


def rethreshold(questions: list[Question], reads: dict[int, dict], idx: list[int], fitted: dict,
                false_abstain: float) -> dict:
    """``fitted`` (a mode's choice and confidence) with its threshold chosen again on ``reads``:
    a gate added since the fit abstains on answerable questions too, and they count against
    the same budget. Weights kept, so every answer above the threshold stays as it was."""
    rows = [i for i in idx if reads[i]["features"] is not None]
    free = [A.probability(fitted, reads[i]["features"]) for i in rows if questions[i].answerable and not reads[i]["gate"]]
    always = sum(questions[i].answerable and reads[i]["gate"] for i in idx)
    return fitted | {"threshold": choose_threshold(free, false_abstain, always)}


def metrics(questions: list[Question], reads: dict[int, dict], idx: list[int], fitted: dict) -> dict:
    """SQuAD 2.0 EM/F1 (an abstention on an unanswerable question scores 1) and abstention rates."""
    em = f1 = 0.0
    n_ans = abst_ans = abst_una = 0
    confs, labels = [], []
    for i in idx:
        q, r = questions[i], reads[i]
        conf = 0.0 if r["features"] is None else A.probability(fitted, r["features"])
        abstain = conf < fitted["threshold"] or r["gate"]
        confs.append(conf)
        labels.append(q.answerable)
        n_ans += q.answerable
        abst_ans += q.answerable and abstain
        abst_una += (not q.answerable) and abstain
        if abstain:
            em += not q.answerable
            f1 += not q.answerable
        elif q.answerable:
            em += exact_match(r["answer"], q.answers)
            f1 += token_f1(r["answer"], q.answers)
    n = len(idx)
    return {"n": n, "em": round(em / n, 4), "f1": round(f1 / n, 4),
            "answerable_abstained": round(abst_ans / max(n_ans, 1), 4),
            "unanswerable_abstained": round(abst_una / max(n - n_ans, 1), 4),
            "auc": round(roc_auc(confs, labels) or 0.0, 4)}


def _reader_keys(readers: list[str]) -> list[str]:
    return [os.pathsep.join(str(Path(f).resolve()) for f in r.split(os.pathsep)) for r in readers]


def _load_reads(path: str | None, readers: list[str]) -> dict[str, dict[int, dict]]:
    """The reads kept by an earlier run with the same readers (refitting then takes seconds)."""
    if not path or not Path(path).exists():
        return {}
    kept = json.loads(Path(path).read_text())
    if kept.get("readers") != _reader_keys(readers) or kept.get("format") != READS_FORMAT:
        return {}
    return {mode: {int(i): r for i, r in reads.items()} for mode, reads in kept["by_mode"].items()}


def _save_reads(path: str | None, readers: list[str], cache: dict) -> None:
    if path:
        tmp = Path(path + ".tmp")
        tmp.write_text(json.dumps({"readers": _reader_keys(readers), "format": READS_FORMAT, "by_mode": cache}))
        tmp.replace(path)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--corpus", required=True)
    p.add_argument("--index-dir", required=True)
    p.add_argument("--questions", required=True)
    p.add_argument("--readers", nargs=2, required=True, metavar=("FIT_READER", "REPORT_READER"),
                   help="readers trained on the fit half and on the report half (eval/train_reader.py --articles); "
                        "several runs of one half joined by os.pathsep are read together (see qa/reader.py)")
    p.add_argument("--false-abstain", type=float, default=0.10,
                   help="most answerable questions abstained, counting those a gate abstains on whatever the confidence")
    p.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES), help="fit these retrieval modes only")
    p.add_argument("--split-out", help="folder to write the half-fitted calibration.json and heldout.jsonl into")
    p.add_argument("--write", action="store_true", help="write qa/calibration.json")
    p.add_argument("--reads", help="JSON file keeping the out-of-fold reads: reused when it names the same readers")
    p.add_argument("--keep-weights", action="store_true",
                   help="keep the choice and confidence weights of qa/calibration.json (and of --split-out's "
                        "calibration.json) and choose only the thresholds again, on the reads, with today's gates")
    args = p.parse_args()
    if args.write and set(args.modes) != set(MODES):
        p.error("--write fits every retrieval mode: leave out --modes")
    split_file = Path(args.split_out or ".") / "calibration.json"
    if args.keep_weights and args.split_out and not split_file.exists():
        p.error(f"--keep-weights keeps the weights of {split_file}, which does not exist: fit it first")

    from qa.api import Assistant
    from qa.reader import SpanReader

    questions = load_questions(args.questions)
    arts = question_articles(questions)
    fit_arts, report_arts = split_articles(arts)
    fit_idx = [i for i, a in enumerate(arts) if a in fit_arts]
    rep_idx = [i for i, a in enumerate(arts) if a in report_arts]
    every = list(range(len(questions)))
    # each half is read by the reader trained on the other half
    fit_reader, report_reader = (Assistant(corpus=args.corpus, index_dir=args.index_dir, reader=SpanReader(r.split(os.pathsep))) for r in args.readers)
    held_out = {"top_chunks": A.TOP_CHUNKS, "by_mode": {}}
    shipped = {"top_chunks": A.TOP_CHUNKS, "by_mode": {}, "report": {}}
    cache = _load_reads(args.reads, args.readers)
    kept_shipped = json.loads((REPO / "qa" / "calibration.json").read_text()) if args.keep_weights else None
    kept_split = json.loads(split_file.read_text()) if args.keep_weights and args.split_out else None
    for mode in args.modes:
        t0 = time.time()
        if mode not in cache:
            cache[mode] = read_all(report_reader, mode, questions, fit_idx) | read_all(fit_reader, mode, questions, rep_idx)
            _save_reads(args.reads, args.readers, cache)
        raw = cache[mode]
        candidates = dict(zip((i for i in every if questions[i].answerable), sentence_candidates(fit_reader, questions, raw, every)))
        decided = []
        for fitted, idx, kept in ((held_out, fit_idx, kept_split), (shipped, every, kept_shipped)):
            if kept:
                weights = kept["by_mode"][mode]["choice"]
                decided.append(decisions(fit_reader, questions, raw, every, weights))
                fitted["by_mode"][mode] = rethreshold(questions, decided[-1], idx, kept["by_mode"][mode], args.false_abstain)
                continue
            weights = fit_choice([candidates[i] for i in idx if i in candidates])
            weights = fit_rerank(fit_reader, questions, raw, idx, weights)
            decided.append(decisions(fit_reader, questions, raw, every, weights))
            fitted["by_mode"][mode] = {"choice": weights} | fit_confidence(questions, decided[-1], idx, args.false_abstain)
        shipped["report"][mode] = {"report_half_held_out": metrics(questions, decided[0], rep_idx, held_out["by_mode"][mode]),
                                   "all_out_of_fold": metrics(questions, decided[1], every, shipped["by_mode"][mode])}
        print(json.dumps({mode: shipped["report"][mode], "seconds": round(time.time() - t0)}), file=sys.stderr)
    note = "Fitted by eval/fit.py on the squad2-dev development set, cross-fitted (see its docstring to rerun)."
    held_out["fit"] = {"articles": sorted(fit_arts), "false_abstain": args.false_abstain, "note": note}
    shipped["fit"] = {"articles": "all", "false_abstain": args.false_abstain, "note": note}
    for fitted, kept in ((held_out, kept_split), (shipped, kept_shipped)):
        if kept:  # what was fitted then is kept; the thresholds are today's
            fitted["fit"] = kept.get("fit", {}) | {"thresholds": "chosen again with the weights kept (--keep-weights)"}
            fitted["top_chunks"] = kept.get("top_chunks", A.TOP_CHUNKS)
            if "report" in kept:
                fitted["report"] = kept["report"] | fitted.get("report", {})
    if args.split_out:
        out = Path(args.split_out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "calibration.json").write_text(json.dumps(held_out, indent=1) + "\n")
        with open(out / "heldout.jsonl", "w", encoding="utf-8") as fh:
            for i in rep_idx:
                q = questions[i]
                fh.write(json.dumps({"id": q.id, "question": q.question, "answers": q.answers, "sources": q.sources}) + "\n")
        print(f"wrote {out}/calibration.json and {out}/heldout.jsonl", file=sys.stderr)
    if args.write:
        (REPO / "qa" / "calibration.json").write_text(json.dumps(shipped, indent=1) + "\n")
        print(f"wrote {REPO / 'qa' / 'calibration.json'}", file=sys.stderr)


if __name__ == "__main__":
    main()
