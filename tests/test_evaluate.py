"""Evaluation: the metric functions on hand-made cases, the JSON shape, a run in a temp dir."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qa import cli
from qa.api import Assistant
from qa.evaluate import (
    Question,
    contains_answer,
    exact_match,
    hit_at,
    load_questions,
    mrr,
    normalize,
    rank_of_source,
    roc_auc,
    run_eval,
    summarise,
    token_f1,
)
from qa.errors import QAError
from qa.types import Answer, Citation, Passage

from .conftest import FakeEncoder


def test_normalisation_follows_squad():
    assert normalize("The  Ministry of the Interior!") == "ministry of interior"
    assert normalize("“An” apple, a pear") == "apple pear"


def test_exact_match_takes_the_best_gold():
    assert exact_match("the 187 cases", ["187 cases", "187"]) == 1.0
    assert exact_match("187", ["188"]) == 0.0
    # SQuAD 2.0: with no gold answer, only an empty prediction is right
    assert exact_match("", []) == 1.0 and exact_match("Quito", []) == 0.0


def test_token_f1_on_partial_overlap():
    assert token_f1("Quito and Guayaquil", ["Quito, Guayaquil and Portoviejo"]) == pytest.approx(2 * (3 / 3) * (3 / 4) / (1 + 3 / 4))
    assert token_f1("nothing shared", ["Quito"]) == 0.0
    assert token_f1("Quito", ["Lima", "Quito"]) == 1.0
    assert token_f1("", []) == 1.0 and token_f1("x", []) == 0.0


def test_contains_answer_matches_whole_tokens_only():
    assert contains_answer("some 187 cases were", ["187"])
    assert not contains_answer("1870 cases", ["187"])


def test_ranks_hits_and_mrr():
    files = ["corpus/a.txt", "corpus/b.txt", "corpus/c.txt"]
    assert rank_of_source(files, ["c.txt"]) == 3
    assert rank_of_source(files, ["z.txt"]) is None
    ranks = [1, 3, None, 2]
    assert hit_at(ranks, 1) == 0.25
    assert hit_at(ranks, 3) == 0.75
    assert mrr(ranks) == pytest.approx((1 + 1 / 3 + 0 + 1 / 2) / 4)


def test_roc_auc():
    assert roc_auc([0.9, 0.8, 0.1, 0.2], [True, True, False, False]) == 1.0
    assert roc_auc([0.1, 0.2, 0.9, 0.8], [True, True, False, False]) == 0.0
    assert roc_auc([0.5, 0.5], [True, False]) == 0.5
    assert roc_auc([0.5], [True]) is None


def _answer(text, abstained, file="corpus/a.txt", quote=None):
    cites = [] if abstained else [Citation(file, 1, 1, quote or text)]
    return Answer("q", text, abstained, 0.9 if not abstained else 0.1, cites,
                  [Passage(file, 1, 1, 1.0, quote or text)], {"total": 10.0}, best=Citation(file, 1, 1, quote or text))


def test_abstention_counts_in_the_summary():
    qs = [Question("1", "q", ["Quito"], ["a.txt"]), Question("2", "q", ["Lima"], ["a.txt"]),
          Question("3", "q", [], []), Question("4", "q", [], [])]
    answers = [_answer("Quito", False), _answer("", True), _answer("", True), _answer("Bogota", False)]
    from qa.evaluate import score_one

    scores = [score_one(q, a, lambda f: "Quito Lima Bogota") for q, a in zip(qs, answers)]
    s = summarise(qs, answers, scores, None)
    assert s["unanswerable_abstained"] == 0.5
    assert s["answerable_abstained"] == 0.5
    assert s["accuracy"] == 0.5  # of answerable questions
    assert s["em"] == 0.5 and s["em_answerable"] == 0.5  # q1 and q3 right


def test_load_questions_reports_the_bad_line(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"id": "1", "question": "q", "answers": [], "sources": []}\n{"id": 2}\n')
    with pytest.raises(QAError, match=r"q.jsonl:2: not a question record"):
        load_questions(path)


GOOD = {"id": "a", "question": "Where are the courses?", "answers": ["Quito"], "sources": ["a.txt"]}


def _question_file(tmp_path, *rows):
    """A question file of these records (a string is written as the line itself)."""
    path = tmp_path / "q.jsonl"
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("field, value, message", [
    ("answers", "Zanzibar", '"answers" must be a list of strings'),  # was scored as ["Z", "a", ...]
    ("answers", [5], '"answers" must be a list of strings'),  # was taken as "5"
    ("sources", "001_x.txt", '"sources" must be a list of strings'),
    ("sources", [None], '"sources" must be a list of strings'),
    ("id", 7, '"id" must be a string'),
    ("question", ["Where?"], '"question" must be a string'),
])
def test_load_questions_refuses_wrong_types(tmp_path, field, value, message):
    path = _question_file(tmp_path, GOOD, "", {**GOOD, "id": "b", field: value})
    with pytest.raises(QAError, match=re.escape(f"q.jsonl:3: {message}")):
        load_questions(path)


def test_load_questions_refuses_a_duplicate_id(tmp_path):
    path = _question_file(tmp_path, GOOD, {**GOOD, "id": "b"}, "", {**GOOD, "question": "When did they start?"})
    with pytest.raises(QAError, match=re.escape('q.jsonl:4: duplicate id "a" (first on line 1)')):
        load_questions(path)


@pytest.mark.parametrize("question, message", [
    ("???", "the question has no words to look up"),
    (" \t", "the question is empty"),
])
def test_load_questions_refuses_what_ask_would_refuse(tmp_path, question, message):
    path = _question_file(tmp_path, GOOD, {**GOOD, "id": "b", "question": question})
    with pytest.raises(QAError, match=re.escape(f"q.jsonl:2: {message}")):
        load_questions(path)


def test_cli_eval_names_the_line_of_a_refused_question(tmp_path, monkeypatch):
    # it used to stop halfway through the run with no line number
    monkeypatch.setattr(cli, "_assistant", lambda c, i, m, w, x: Assistant(corpus=c, index_dir=i, model="fake", encoder=FakeEncoder()))
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Courses\n\nThe courses are in Quito.\n", encoding="utf-8")
    path = _question_file(tmp_path, GOOD, {**GOOD, "id": "b", "question": "???"})
    result = CliRunner().invoke(cli.app, ["eval", "--questions", str(path), "--corpus", str(corpus), "--index-dir", str(tmp_path / "idx")])
    assert result.exit_code == 1
    assert result.output.strip() == f"error: {path}:2: the question has no words to look up"


@pytest.fixture
def tiny(tmp_path):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Shelters in Loja\n\nThe shelter in Loja opened in 2019 with 40 beds.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("Helpline\n\nThe national helpline number is 1800 and it is free.\n", encoding="utf-8")
    questions = tmp_path / "q.jsonl"
    rows = [
        {"id": "a", "question": "When did the shelter in Loja open?", "answers": ["2019"], "sources": ["a.txt"]},
        {"id": "b", "question": "What is the helpline number?", "answers": ["1800"], "sources": ["b.txt"]},
        {"id": "c", "question": "Who won the football world cup?", "answers": [], "sources": []},
    ]
    questions.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return corpus, questions


def test_run_eval_on_a_tiny_corpus(tiny, tmp_path):
    corpus, questions = tiny
    qa = Assistant(corpus=corpus, index_dir=tmp_path / "idx", model="fake", encoder=FakeEncoder())
    qa.ensure_index()
    report = run_eval(qa, load_questions(questions), k=2)
    summary, results = report["summary"], report["results"]
    assert summary["questions"] == 3 and summary["answerable"] == 2 and summary["unanswerable"] == 1
    assert summary["hit@1"] == 1.0  # two documents, distinct words: the fake encoder finds them
    assert summary["verbatim"] == 1.0
    assert summary["unknown_sources"] == 0
    assert [r["id"] for r in results] == ["a", "b", "c"]
    for r in results:
        assert {"question", "answer", "abstained", "confidence", "citations", "passages", "timings_ms", "gold", "metrics"} <= set(r)
        assert len(r["passages"]) <= 2


def test_run_eval_counts_questions_whose_sources_are_not_indexed(tiny, tmp_path):
    # such a question silently scored as a miss; a path is not the bare name releases are indexed by
    corpus, _ = tiny
    qa = Assistant(corpus=corpus, index_dir=tmp_path / "idx", model="fake", encoder=FakeEncoder())
    qa.ensure_index()
    qs = [Question("a", "When did the shelter in Loja open?", ["2019"], ["a.txt"]),
          Question("b", "What is the helpline number?", ["1800"], ["nope.txt"]),
          Question("c", "When did the shelter in Loja open?", ["2019"], ["b.txt", "docs/a.txt"]),
          Question("d", "Who won the football world cup?", [], [])]
    assert run_eval(qa, qs, k=2)["summary"]["unknown_sources"] == 2


def test_cli_eval_json_and_compare(tiny, tmp_path, monkeypatch):
    corpus, questions = tiny
    monkeypatch.setattr(cli, "_assistant", lambda c, i, m, w, x: Assistant(corpus=c, index_dir=i, model="fake", encoder=FakeEncoder()))
    runner = CliRunner()
    args = ["eval", "--questions", str(questions), "--corpus", str(corpus), "--index-dir", str(tmp_path / "idx")]
    result = runner.invoke(cli.app, args + ["--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"summary", "results"} and data["summary"]["index_build_s"] > 0
    compared = runner.invoke(cli.app, args + ["--compare"])
    assert compared.exit_code == 0
    assert all(m in compared.stdout for m in ("dense", "bm25", "hybrid", "hit@1", "token F1"))
    missing = runner.invoke(cli.app, args[:1] + ["--questions", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 1 and "cannot read question file" in missing.output
    assert "warning" not in result.stderr
    typo = tmp_path / "typo.jsonl"
    typo.write_text(questions.read_text().replace('"b.txt"', '"docs/b.txt"'), encoding="utf-8")
    warned = runner.invoke(cli.app, ["eval", "--questions", str(typo), *args[3:], "--json"])
    assert warned.exit_code == 0 and json.loads(warned.stdout)["summary"]["unknown_sources"] == 1
    assert "warning: 1 question(s) name sources that are no indexed release's file name" in " ".join(warned.stderr.split())


QUESTION_SETS = sorted([Path(__file__).resolve().parents[1] / "eval" / "questions.jsonl",
                        *(Path(__file__).resolve().parents[1] / "eval" / "fresh").glob("*.jsonl")])


@pytest.mark.parametrize("path", QUESTION_SETS, ids=lambda p: p.name)
def test_every_question_set_s_gold_answers_are_verbatim_in_their_releases(path):
    checker = Path(__file__).resolve().parents[1] / "eval" / "check_questions.py"
    done = subprocess.run([sys.executable, str(checker), str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.rstrip().endswith("OK"), done.stdout[-500:]


def test_the_checker_tells_an_answer_not_in_its_release(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "x1", "question": "Who signed?", "answers": ["Nobody at all"],
                               "sources": ["000_ecb5d314c7355d2f.txt"]}) + "\n", encoding="utf-8")
    checker = Path(__file__).resolve().parents[1] / "eval" / "check_questions.py"
    done = subprocess.run([sys.executable, str(checker), str(bad)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Nobody at all" in done.stdout + done.stderr
