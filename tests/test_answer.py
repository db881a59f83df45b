"""The reader on hand-made cases: question classes, span candidates, verbatim slices, the
fitted models' logic and the abstention threshold. Each test can fail on its own."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from qa import answer as A
from qa.types import Hit

REPO = Path(__file__).resolve().parents[1]


def _fit_module():
    spec = importlib.util.spec_from_file_location("qa_eval_fit", REPO / "eval" / "fit.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def nlp():
    return A.load_tagger()


@pytest.mark.parametrize(
    "question, expected",
    [
        ("How many cases were reported between 2011 and 2012?", "howmany"),
        ("How much did the programme cost?", "howmuch"),
        ("When was the Commission formed?", "when"),
        ("In what year did the war end?", "when"),
        ("Who is the IOM Chief of Mission in Ecuador?", "who"),
        ("Where were the victims found?", "where"),
        ("Which country signed the agreement?", "where"),
        ("Why did France lose the war?", "why"),
        ("How did the governor control the speed?", "how"),
        ("What will the programme identify?", "what"),
        ("Name the ministry that coordinates the work.", "what"),
    ],
)
def test_question_class(question, expected):
    assert A.question_class(question) == expected


def test_question_terms_and_wh_noun():
    q = A.analyse_question("Which cantons signed cooperation agreements?")
    assert q.wh_noun == "canton"
    assert {"canton", "sign", "cooperation", "agreement"} <= q.terms
    assert "which" not in q.terms


def test_norm_map_points_back_into_the_raw_text():
    raw = "187 cases were\n  reported between 2011 and\n2012, in Quito."
    norm, pos = A._norm_map(raw)
    assert norm == " ".join(raw.split())
    start = norm.index("between 2011 and 2012")
    end = start + len("between 2011 and 2012")
    sliced = raw[pos[start] : pos[end - 1] + 1]
    assert sliced == "between 2011 and\n2012"
    assert len(pos) == len(norm) + 1


def test_span_candidates_cover_entities_lists_and_numbers(nlp):
    doc = nlp("According to the Ministry of the Interior, 187 cases were reported in Quito, Guayaquil and Portoviejo.")
    spans = {doc[s:e].text for s, e in A.span_candidates(doc, "what")}
    assert "187" in spans
    assert "Quito, Guayaquil and Portoviejo" in spans
    assert any(s.endswith("Ministry of the Interior") for s in spans)
    assert all(not s.endswith((",", ".")) for s in spans)  # punctuation is trimmed off the edges


def test_tree_distance(nlp):
    doc = nlp("The council approved the budget.")
    approved = [t.i for t in doc if t.text == "approved"][0]
    budget = [t.i for t in doc if t.text == "budget"][0]
    assert A._tree_distance(doc, budget, approved) == 1
    assert A._tree_distance(doc, budget, budget) == 0


def _best_span(question: str, sentence: str, nlp) -> str:
    (pw, pb) = A._models()[1]
    q = A.analyse_question(question)
    doc = nlp(sentence)
    keys, X = A.span_table(q, doc)
    s, e = keys[int(np.argmax(X @ pw + pb))]
    return doc[s:e].text


def test_fitted_phrase_model_picks_the_number(nlp):
    got = _best_span("How many cases were reported between 2011 and 2012?",
                     "According to the Ministry of the Interior, 187 cases were reported between 2011 and 2012.", nlp)
    assert got.startswith("187")


def test_fitted_phrase_model_picks_the_date(nlp):
    got = _best_span("When did the Commission start its work?",
                     "The Commission, chaired by Maria Lopez, started its work in March 2014 in Geneva.", nlp)
    assert "2014" in got and "Lopez" not in got


def test_fitted_phrase_model_picks_the_person(nlp):
    got = _best_span("Who chaired the Commission?",
                     "The Commission, chaired by Maria Lopez, started its work in March 2014 in Geneva.", nlp)
    assert "Maria Lopez" in got and "2014" not in got


def test_phrase_avoids_the_question_words(nlp):
    got = _best_span("Where did the Commission start its work?",
                     "The Commission started its work in Geneva.", nlp)
    assert "Geneva" in got and "Commission" not in got


def _tiny(text: str):
    """One document, its sentences and a single chunk over all of it."""
    from qa.chunk import split_sentences

    joined = text.replace("were\n", "were ")  # wrapped lines are joined for splitting, as in qa.corpus
    assert len(joined) == len(text)
    sents = split_sentences(joined)
    sentences = np.array([(0, s, e) for s, e in sents], dtype=np.int64)
    chunks = np.array([(0, sents[0][0], sents[-1][1])], dtype=np.int64)
    return chunks, sentences


TEXT = (
    "Cooperation agreement\n\n"
    "The programme began in 2012 with support from the Ministry of the Interior.\n"
    "According to the ministry, 187 cases were\nreported between 2011 and 2012 in Quito.\n"
    "Training continues in the provinces.\n"
)


def _extract(question, monkeypatch=None, override=None, fake_encoder=None):
    chunks, sentences = _tiny(TEXT)
    if override is not None:
        cal = dict(A.calibration())
        cal.update(override)
        monkeypatch.setattr(A, "_CAL_OVERRIDE", cal)
        A.calibration.cache_clear()
        A._models.cache_clear()
    try:
        hits = [Hit(0, 0.8, dense=0.6, bm25=5.0)]
        return A.extract(question, hits, chunks, sentences, lambda d: TEXT, lambda d: "corpus/a.txt", encoder=fake_encoder)
    finally:
        if override is not None:
            monkeypatch.setattr(A, "_CAL_OVERRIDE", None)
            A.calibration.cache_clear()
            A._models.cache_clear()


def test_extract_answers_verbatim_with_lines(monkeypatch):
    ans = _extract("How many cases were reported between 2011 and 2012?", monkeypatch, {"threshold": 0.0})
    assert not ans.abstained
    assert ans.answer.startswith("187")
    c = ans.citations[0]
    assert (c.start_line, c.end_line) == (4, 5)  # the sentence crosses a line break
    assert ans.answer in c.quote
    s, e = ans.highlight
    assert c.quote[s:e] == ans.answer
    assert " ".join(ans.answer.split()) in " ".join(TEXT.split())


def test_threshold_decides_abstention(monkeypatch):
    ans = _extract("How many cases were reported between 2011 and 2012?", monkeypatch, {"threshold": 1.01})
    assert ans.abstained and ans.answer == "" and ans.citations == []
    assert ans.best is not None and "187" in ans.best.quote  # kept for evaluation
    assert 0.0 <= ans.confidence <= 1.0


def test_confidence_is_the_calibrated_sigmoid(monkeypatch):
    # a confidence model with only a bias: the score is exactly sigmoid(bias), whatever the question
    ans = _extract("Who chaired it?", monkeypatch, {"confidence": {"weights": {}, "bias": 1.0}, "threshold": 0.0})
    assert ans.confidence == pytest.approx(1 / (1 + np.exp(-1.0)), abs=1e-4)


def test_confidence_features_see_missing_names():
    q = A.analyse_question("What did Napoleon sign in 1805?")
    hits = [Hit(0, 0.5, dense=0.5, bm25=3.0)]
    feats = A.sentence_features(q, "The treaty was signed in 1805.", 0.0, A.Sentence(0, 0, 10, 0, hits[0]), hits, {}, False)
    conf = dict(zip(A.CONFIDENCE_FEATURES, A.confidence_features(q, hits, [1.0], feats, [0.5], None,
                                                                  "The treaty was signed in 1805.", "The treaty was signed in 1805.", {})))
    assert conf["cap_miss"] == 1.0
    assert conf["num_miss"] == 0.0
    conf2 = dict(zip(A.CONFIDENCE_FEATURES, A.confidence_features(q, hits, [1.0], feats, [0.5], None,
                                                                   "Napoleon signed it in 1805.", "Napoleon signed it in 1805.", {})))
    assert conf2["cap_miss"] == 0.0


def test_calibration_file_is_complete():
    cal = A.calibration()
    for section, names in (("sentence", A.SENTENCE_FEATURES), ("span", A.SPAN_FEATURES), ("confidence", A.CONFIDENCE_FEATURES)):
        assert set(cal[section]["weights"]) == set(names), section
    assert 0.0 < cal["threshold"] < 1.0


def test_choose_threshold_bounds_false_abstentions():
    fit = _fit_module()
    conf = np.linspace(0.0, 1.0, 101)  # 101 answerable questions
    t = fit.choose_threshold(conf, 0.10)
    assert np.mean(conf < t) <= 0.10
    assert np.mean(conf < t) >= 0.09  # and not needlessly low
    assert fit.choose_threshold([], 0.1) == 0.5


def test_fit_logistic_learns_a_separable_rule():
    fit = _fit_module()
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3))
    y = (X[:, 0] - 2 * X[:, 2] > 0).astype(float)
    w, b = fit.fit_logistic(X, y, l2=0.1)
    acc = np.mean(((X @ w + b) > 0) == (y > 0.5))
    assert acc > 0.97
    assert w[0] > 0 and w[2] < 0 and abs(w[1]) < abs(w[0])


def test_fit_softmax_ranks_the_labelled_row_first():
    fit = _fit_module()
    rng = np.random.default_rng(1)
    groups = np.repeat(np.arange(200), 5)
    X = rng.normal(size=(1000, 2))
    y = np.zeros(1000)
    for g in range(200):  # in each group the row with the largest first feature is the answer
        rows = np.flatnonzero(groups == g)
        y[rows[np.argmax(X[rows, 0])]] = 1.0
    w, b = fit.fit_softmax(X, y, groups, l2=0.01)
    top = [np.flatnonzero(groups == g)[np.argmax(X[groups == g] @ w)] for g in range(200)]
    assert np.mean(y[top]) > 0.95
