#!/usr/bin/env python3
"""Fit the reader's three linear models and the abstention threshold; write qa/calibration.json.

Usage (from the repo root, about 3 minutes on 2 cores, after `qa index` of the dev corpus):

    .venv/bin/qa index --corpus ../shared/extqa/squad2-dev/corpus --index-dir /tmp/sq
    .venv/bin/python eval/fit.py --corpus ../shared/extqa/squad2-dev/corpus --index-dir /tmp/sq \\
        --questions ../shared/extqa/squad2-dev/questions.jsonl [--work /tmp/fitwork] [--write]

Held-out figures (weights fitted on half the articles, `qa eval` on the other half):

    .venv/bin/python eval/fit.py ... --no-sentence-dense --split-out /tmp/split
    QA_CALIBRATION=/tmp/split/calibration.json .venv/bin/qa eval --questions /tmp/split/heldout.jsonl \
        --corpus ../shared/extqa/squad2-dev/corpus --index-dir /tmp/sq

The shipped qa/calibration.json comes from `... --no-sentence-dense --all --write` (sentence
vectors measured no better than without, and cost ~35 ms a question).

The development set is split BY ARTICLE (the file-name prefix before ``_NN.txt``): the
models are fitted on every other article (sorted by name, starting with the first) and
reported on the rest, and on all questions. ``--write`` stores the fitted weights in
qa/calibration.json (without it the script only reports). Nothing is tuned per question.

Models (features are defined in qa/answer.py, the same code the CLI runs):
1. sentence: logistic regression, label "this candidate sentence is from a gold file and
   contains a gold answer", over the candidates from the top chunks;
2. phrase: logistic regression with soft labels (token F1 of the span against the best
   gold answer) over the spaCy candidate spans of gold-containing sentences;
3. confidence: logistic regression, label "the final answer has token F1 >= 0.5"
   (unanswerable questions: 0); the threshold is the confidence below which at most
   ``--false-abstain`` (default 9%) of the answerable fit questions fall.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from qa import answer as A  # noqa: E402
from qa.chunk import normalise  # noqa: E402
from qa.evaluate import contains_answer, exact_match, load_questions, token_f1  # noqa: E402


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = 1.0, iters: int = 25, sample_weight=None) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method; y may be soft labels in [0, 1]."""
    n, d = X.shape
    mu, sd = X.mean(0), X.std(0)
    sd[sd < 1e-9] = 1.0
    Z = np.hstack([(X - mu) / sd, np.ones((n, 1))])
    sw = np.ones(n) if sample_weight is None else sample_weight
    w = np.zeros(d + 1)
    reg = np.full(d + 1, l2)
    reg[-1] = 0.0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-np.clip(Z @ w, -40, 40)))
        g = Z.T @ (sw * (p - y)) + reg * w
        H = (Z * (sw * p * (1 - p))[:, None]).T @ Z + np.diag(reg + 1e-9)
        step = np.linalg.solve(H, g)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    coef = w[:-1] / sd
    bias = w[-1] - float((w[:-1] * mu / sd).sum())
    return coef, bias


def fit_softmax(X: np.ndarray, y: np.ndarray, groups: np.ndarray, l2: float = 1.0) -> tuple[np.ndarray, float]:
    """Listwise ranking: a softmax over each group's rows, target proportional to y (soft labels)."""
    from scipy.optimize import minimize

    mu, sd = X.mean(0), X.std(0)
    sd[sd < 1e-9] = 1.0
    Z = (X - mu) / sd
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    tot = np.add.reduceat(y, starts)
    keep_g = tot > 0
    t = y / np.repeat(np.where(tot > 0, tot, 1.0), np.diff(np.r_[starts, len(y)]))
    gid = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(y)]))
    row_keep = keep_g[gid]

    def loss(w):
        s = Z @ w
        m = np.maximum.reduceat(s, starts)
        e = np.exp(s - m[gid])
        den = np.add.reduceat(e, starts)
        p = e / den[gid]
        lse = m + np.log(den)
        L = float(np.sum((t * (lse[gid] - s))[row_keep])) + 0.5 * l2 * float(w @ w)
        g = Z[row_keep].T @ (p - t)[row_keep] + l2 * w
        return L, g

    res = minimize(loss, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    coef = res.x / sd
    return coef, -float((res.x * mu / sd).sum())


def choose_threshold(answerable_conf, false_abstain: float) -> float:
    """The highest threshold that abstains on at most ``false_abstain`` of the answerable questions."""
    conf = np.sort(np.asarray(answerable_conf, dtype=float))
    if not len(conf):
        return 0.5
    k = int(np.floor(false_abstain * len(conf)))  # this many may fall below the threshold
    return float(conf[k]) if k < len(conf) else float(conf[-1])


def article(source: str) -> str:
    return source.rsplit("_", 1)[0]


class Data:
    """Everything per question that does not depend on the fitted weights, computed once."""

    def __init__(self, args) -> None:
        from spacy.tokens import DocBin

        from qa.api import Assistant
        from qa.retrieve import retrieve

        work = Path(args.work)
        work.mkdir(parents=True, exist_ok=True)
        self.assistant = a = Assistant(corpus=args.corpus, index_dir=args.index_dir)
        index = a.index
        self.index = index
        self.questions = load_questions(args.questions)
        if args.limit:
            self.questions = self.questions[: args.limit]
        tag = f"{index.manifest['files']['chunks']}-{len(self.questions)}"
        cache = work / f"cache-{tag}.npz"
        nlp = A.load_tagger()
        t0 = time.time()
        if cache.exists():
            z = np.load(cache)
            Q, SV = z["Q"], z["SV"]
            self.sent_docs = list(DocBin().from_disk(work / f"sents-{tag}.spacy").get_docs(nlp.vocab))
        else:
            Q = a.encoder.encode([q.question for q in self.questions])
            texts = [normalise(a.doc_text(int(d))[s:e]) for d, s, e in index.sentences.tolist()]
            SV = a.encoder.encode(texts)
            np.savez(cache, Q=Q, SV=SV)
            db = DocBin(store_user_data=False)
            self.sent_docs = []
            for doc in nlp.pipe(texts, batch_size=64):
                db.add(doc)
                self.sent_docs.append(doc)
            db.to_disk(work / f"sents-{tag}.spacy")
        print(f"prepared vectors and parses in {time.time() - t0:.0f}s", file=sys.stderr)
        self.SV = SV
        self.span_cache: dict = {}
        self.items = []
        for q, vec in zip(self.questions, Q):
            found = retrieve(index, q.question, a.encoder, k=5, mode=args.mode, query_vector=vec)
            hits = found.hits
            cands = A.candidate_sentences(hits, index.chunks, index.sentences, args.top_chunks)
            texts = [normalise(a.doc_text(c.doc)[c.start:c.end]) for c in cands]
            sims = SV[[c.row for c in cands]] @ vec if cands else np.zeros(0)
            if args.no_sentence_dense:
                sims = np.zeros(len(cands))
            firsts = A._first_sentence_rows(index.sentences, [c.row for c in cands])
            files = [Path(index.docs[c.doc]["path"]).name for c in cands]
            self.items.append((q, hits, cands, texts, sims, firsts, files))
        print(f"retrieved in {time.time() - t0:.0f}s", file=sys.stderr)

    def table_for(self, i: int, cands):
        """Span features do not depend on the weights: computed once per (question, sentence)."""
        def table(qi, k, doc):
            key = (i, cands[k].row)
            if key not in self.span_cache:
                self.span_cache[key] = A.span_table(qi, doc)
            return self.span_cache[key]
        return table

    def parse_for(self, cands):
        return lambda idx: [self.sent_docs[cands[i].row] for i in idx]


def set_models(cal: dict) -> None:
    A.calibration.cache_clear()
    A._models.cache_clear()
    A._CAL_OVERRIDE = cal


def run_reader(data: Data, subset: list[int]) -> list[dict]:
    out = []
    for i in subset:
        q, hits, cands, texts, sims, firsts, files = data.items[i]
        if not cands:
            out.append({"i": i, "abstain": True, "answer": "", "confidence": 0.0, "conf_features": None})
            continue
        dec = A.read(q.question, hits, cands, texts, sims, firsts, data.parse_for(cands), data.table_for(i, cands))
        s = dec["sentence"]
        ans = texts[s] if dec["span"] is None else texts[s][dec["span"][0]: dec["span"][1]]
        out.append({"i": i, **dec, "answer": ans, "file": files[s], "quote": texts[s]})
    return out


def metrics(data: Data, results: list[dict]) -> dict:
    em = f1 = 0.0
    ans_em = ans_f1 = 0.0
    n_ans = n_una = abst_ans = abst_una = sent_hit = 0
    confs, labels = [], []
    for r in results:
        q = data.items[r["i"]][0]
        confs.append(r["confidence"])
        labels.append(q.answerable)
        if q.answerable:
            n_ans += 1
            if r.get("quote") is not None and r["file"] in q.sources and contains_answer(r["quote"], q.answers):
                sent_hit += 1
            if r["abstain"]:
                abst_ans += 1
            else:
                e, f = exact_match(r["answer"], q.answers), token_f1(r["answer"], q.answers)
                em, f1, ans_em, ans_f1 = em + e, f1 + f, ans_em + e, ans_f1 + f
        else:
            n_una += 1
            if r["abstain"]:
                abst_una += 1
                em, f1 = em + 1, f1 + 1
    from qa.evaluate import roc_auc

    n = max(1, len(results))
    return {
        "questions": len(results),
        "sentence_hit": round(sent_hit / max(1, n_ans), 4),
        "em": round(em / n, 4), "f1": round(f1 / n, 4),
        "em_answerable": round(ans_em / max(1, n_ans), 4), "f1_answerable": round(ans_f1 / max(1, n_ans), 4),
        "unanswerable_abstained": round(abst_una / max(1, n_una), 4),
        "answerable_abstained": round(abst_ans / max(1, n_ans), 4),
        "auc": round(roc_auc(confs, labels) or 0.0, 4),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--corpus", required=True)
    p.add_argument("--index-dir", required=True)
    p.add_argument("--questions", required=True)
    p.add_argument("--work", default="/tmp/fitwork")
    p.add_argument("--mode", default="hybrid")
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--sentence-model", choices=("softmax", "logistic"), default="softmax")
    p.add_argument("--span-model", choices=("softmax", "logistic"), default="softmax")
    p.add_argument("--no-sentence-dense", action="store_true", help="fit without the sentence vectors (cheaper reader)")
    p.add_argument("--top-chunks", type=int, default=A.TOP_CHUNKS, help="chunks whose sentences are candidates")
    p.add_argument("--parsed", type=int, default=A.PARSED, help="best sentences searched for the phrase")
    p.add_argument("--l2", type=float, default=1.0)
    p.add_argument("--false-abstain", type=float, default=0.09)
    p.add_argument("--all", action="store_true", help="fit on all articles (the shipped weights) after reporting the split")
    p.add_argument("--split-out", help="folder to write the half-fitted calibration.json and heldout.jsonl into")
    p.add_argument("--write", action="store_true", help="write qa/calibration.json")
    args = p.parse_args()

    data = Data(args)
    arts = sorted({article(q.sources[0]) for q in data.questions if q.sources} | {article(q.id) for q in []})
    # unanswerable questions carry no source: their article is the one their neighbours come from
    q_art, last = [], None
    for q in data.questions:
        last = article(q.sources[0]) if q.sources else last
        q_art.append(last)
    fit_arts = set(arts[0::2])
    fit_idx = [i for i, a in enumerate(q_art) if a in fit_arts]
    rep_idx = [i for i, a in enumerate(q_art) if a not in fit_arts]
    print(f"fit articles: {sorted(fit_arts)}\nreport articles: {sorted(set(arts) - fit_arts)}", file=sys.stderr)

    def fit_all(idx: list[int]) -> dict:
        cal = json.loads(json.dumps(A.calibration()))
        cal.pop("by_mode", None)
        cal.update(top_chunks=args.top_chunks, parsed=args.parsed, sentence_vectors=not args.no_sentence_dense)
        # 1. sentence model
        X, y, groups = [], [], []
        for i in idx:
            q, hits, cands, texts, sims, firsts, files = data.items[i]
            if not q.answerable or not cands:
                continue
            groups.extend([i] * len(cands))
            qi = A.analyse_question(q.question)
            idf = A.local_idf(qi, texts)
            X.extend(A.relative([A.sentence_features(qi, t, float(s), c, hits, idf, c.row in firsts)
                                 for c, t, s in zip(cands, texts, sims)]))
            y.extend(float(f in q.sources and contains_answer(t, q.answers)) for t, f in zip(texts, files))
        if args.sentence_model == "softmax":
            w, b = fit_softmax(np.array(X), np.array(y), np.array(groups), l2=args.l2)
        else:
            w, b = fit_logistic(np.array(X), np.array(y), l2=1.0)
        cal["sentence"] = {"weights": dict(zip(A.SENTENCE_FEATURES, map(float, w))), "bias": float(b)}
        # 2. phrase model, on the candidate sentences that hold a gold answer
        X, y, groups = [], [], []
        for i in idx:
            q, hits, cands, texts, sims, firsts, files = data.items[i]
            if not q.answerable:
                continue
            qi = A.analyse_question(q.question)
            for c, t, f in zip(cands, texts, files):
                if f not in q.sources or not contains_answer(t, q.answers):
                    continue
                doc = data.sent_docs[c.row]
                keys, rows = data.table_for(i, cands)(qi, cands.index(c), doc)
                for (s, e), row in zip(keys, rows):
                    X.append(row)
                    y.append(token_f1(doc[s:e].text, q.answers))
                    groups.append(len(groups) and (groups[-1] + (keys[0] == (s, e))) or 1)
        if args.span_model == "softmax":
            y2 = np.array(y) ** 2  # the target leans on the best spans
            w, b = fit_softmax(np.array(X), y2, np.array(groups), l2=args.l2)
        else:
            w, b = fit_logistic(np.array(X), np.array(y), l2=1.0)
        cal["span"] = {"weights": dict(zip(A.SPAN_FEATURES, map(float, w))), "bias": float(b)}
        print(f"  span rows {len(y)}", file=sys.stderr)
        # how much the sentence score counts when choosing among the spans of the best sentences
        cal["confidence"] = {"weights": {}, "bias": 10.0}
        cal["threshold"] = 0.0
        answerable = [i for i in idx if data.items[i][0].answerable]
        best_mix = None
        for mix in (0.0, 0.5, 1.0, 2.0, 4.0, 1000.0):
            cal["span_sentence_weight"] = mix
            set_models(cal)
            f1 = metrics(data, run_reader(data, answerable))["f1_answerable"]
            print(f"  mix {mix}: answerable F1 {f1}", file=sys.stderr)
            if best_mix is None or f1 > best_mix[1]:
                best_mix = (mix, f1)
        cal["span_sentence_weight"] = best_mix[0]
        # 3. confidence, on the reader's actual answers
        set_models(cal)
        cal["confidence"], cal["threshold"] = fit_confidence(data, idx)
        set_models(cal)
        return cal

    def fit_confidence(d, idx):
        """Logistic "answer F1 >= 0.5" on the reader's answers; threshold for the abstention cap."""
        X, y, is_ans = [], [], []
        for r in run_reader(d, idx):
            if r.get("conf_features") is None:
                continue
            q = d.items[r["i"]][0]
            X.append(r["conf_features"])
            y.append(float(q.answerable and token_f1(r["answer"], q.answers) >= 0.5))
            is_ans.append(q.answerable)
        w, b = fit_logistic(np.array(X), np.array(y), l2=1.0)
        conf = 1 / (1 + np.exp(-(np.array(X) @ w + b)))
        model = {"weights": dict(zip(A.CONFIDENCE_FEATURES, map(float, w))), "bias": float(b)}
        return model, choose_threshold(conf[np.array(is_ans)], args.false_abstain)

    t0 = time.time()
    cal = fit_all(fit_idx)
    print(f"fitted in {time.time() - t0:.0f}s", file=sys.stderr)
    report = {
        "fit_half": metrics(data, run_reader(data, fit_idx)),
        "report_half": metrics(data, run_reader(data, rep_idx)),
        "all": metrics(data, run_reader(data, list(range(len(data.questions))))),
    }
    print(json.dumps({"split_fit": report}, indent=1))
    if args.split_out:  # the half-fitted weights and the held-out questions, for `QA_CALIBRATION=... qa eval`
        out = Path(args.split_out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "calibration.json").write_text(json.dumps(cal, indent=1) + "\n")
        with open(out / "heldout.jsonl", "w", encoding="utf-8") as fh:
            for i in rep_idx:
                q = data.questions[i]
                fh.write(json.dumps({"id": q.id, "question": q.question, "answers": q.answers, "sources": q.sources}) + "\n")
        print(f"wrote {out}/calibration.json and {out}/heldout.jsonl", file=sys.stderr)
    if args.all:
        cal = fit_all(list(range(len(data.questions))))
        print(json.dumps({"fit_all": {"all": metrics(data, run_reader(data, list(range(len(data.questions)))))}}, indent=1))
    # confidence and threshold for the other retrieval modes, whose hit scores differ in scale
    if not args.limit:
        cal.setdefault("by_mode", {})
        fit_on = list(range(len(data.questions))) if args.all else fit_idx
        for mode in ("dense", "bm25"):
            args.mode = mode
            other = Data(args)
            model, threshold = fit_confidence(other, fit_on)
            cal["by_mode"][mode] = {"confidence": model, "threshold": threshold}
            set_models(cal)
            rep = [i for i in range(len(other.questions)) if i not in set(fit_on)] or fit_on
            print(json.dumps({mode: metrics(other, run_reader(other, rep))}), file=sys.stderr)
    cal["note"] = ("Fitted by eval/fit.py on the squad2-dev development set (see its docstring to rerun); "
                   "threshold: at most %.0f%% of answerable fit questions abstained." % (100 * args.false_abstain))
    cal["fit"] = {"articles": sorted(fit_arts) if not args.all else "all", "split_report": report}
    if args.write:
        out = REPO / "qa" / "calibration.json"
        out.write_text(json.dumps(cal, indent=1) + "\n")
        print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
