"""A question that names its release is answered from that release alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa import scope as S
from qa.api import Assistant
from qa.retrieve import retrieve

from .conftest import FakeEncoder


@pytest.mark.parametrize("question, expected", [
    ("Which years does the programme cover in the release on the local agreements?",
     ("Which years does the programme cover?", "the local agreements")),
    ("For what purposes are children trafficked, according to the release on the new funding?",
     ("For what purposes are children trafficked?", "the new funding")),
    ("According to the press release about the tri-national meeting, which countries attended?",
     ("which countries attended?", "the tri-national meeting")),
    ("What does the release on the National Plan say about the state of data on trafficking?",  # the release says it
     ("What does the release say about the state of data on trafficking?", "the National Plan")),
    ("How does the release about the agreements describe Colta and Guamote?",
     ("How does the release describe Colta and Guamote?", "the agreements")),
    ("What period does the programme cover, according to the release on agreements with Guamote, Colta and Cuenca?",
     ("What period does the programme cover?", "agreements with Guamote, Colta and Cuenca")),  # a list of names
    ("For the release about the agreements with Guamote, Colta and Cuenca, what mobile number is given?",
     ("what mobile number is given?", "the agreements with Guamote, Colta and Cuenca")),  # a lower-case clause ends it
    ("In what year did IOM first get USAID money, per the release on new funding?",
     ("In what year did IOM first get USAID money?", "new funding")),
    ("Who funds it, according to the release on the State Plan for victims?",  # a noun, not the release's verb
     ("Who funds it?", "the State Plan for victims")),
    ("What is new in the release on the annual report of the Commission?",
     ("What is new?", "the annual report of the Commission")),
    ("What does the release call the government's main tool?", None),  # names no release
    ("Which countries attended the meeting?", None),
])
def test_the_qualifier_naming_a_release_is_cut_from_the_question(question, expected):
    assert S.split_qualifier(question) == expected


@pytest.fixture(scope="module")
def releases(tmp_path_factory) -> Assistant:
    import shutil

    from .conftest import CORPUS

    root = tmp_path_factory.mktemp("scope")
    shutil.copytree(CORPUS, root / "corpus")
    qa = Assistant(corpus=root / "corpus", index_dir=root / "idx", model=FakeEncoder.name, encoder=FakeEncoder())
    qa.build()
    return qa


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_retrieval_within_a_release_ranks_all_its_chunks_and_no_other(releases, mode):
    index = releases.index
    question = "Which years does the programme cover?"
    doc = 1
    within = retrieve(index, question, releases.encoder, k=100, mode=mode, within=doc).hits
    ids = set(np.flatnonzero(index.chunks[:, 0] == doc).tolist())
    assert {h.chunk for h in within} == ids
    assert [h.score for h in within] == sorted((h.score for h in within), reverse=True)
    everywhere = {h.chunk: h.score for h in retrieve(index, question, releases.encoder, k=100, mode=mode).read}
    for h in within:  # the same score a chunk gets when the whole corpus is searched
        if h.chunk in everywhere:
            assert h.score == pytest.approx(everywhere[h.chunk], abs=1e-5)


def test_a_question_naming_a_release_reads_only_that_release(releases):
    named = "Which years does IOM's counter-trafficking programme cover in the release on the local agreements?"
    answer = releases.ask(named)
    files = {Path(p.file).name for p in answer.passages}
    assert files == {"001_2aeeecbde5182a02.txt"}
    assert answer.question == named
    if not answer.abstained:
        assert Path(answer.citations[0].file).name == "001_2aeeecbde5182a02.txt"


def test_the_reader_reads_the_question_without_its_qualifier(releases):
    asked, found = S.retrieve_scoped(releases.index, "Which years does the programme cover, according to the release "
                                     "on the local agreements?", releases.encoder, 5, "hybrid", releases.doc_text)
    assert asked == "Which years does the programme cover?"
    asked, _ = S.retrieve_scoped(releases.index, "Which years, according to the release on the moon landing?",
                                 releases.encoder, 5, "hybrid", releases.doc_text)
    assert asked == "Which years, according to the release on the moon landing?"  # no such release: as asked


def test_a_release_nobody_wrote_leaves_the_whole_corpus_searched(releases):
    answer = releases.ask("In the release on the moon landing, which countries attended the meeting?")
    assert len({Path(p.file).name for p in answer.passages}) > 1


PATHS = ["000_ecb5d314c7355d2f.txt", "news/2012/002_e94c97eefc7796c6.txt", "a/same.txt", "b/same.txt"]


@pytest.mark.parametrize("question, expected", [
    ("In 000_ecb5d314c7355d2f.txt, how many officials are trained?", ("how many officials are trained?", 0)),
    ("Who funds the programme according to corpus/news/2012/002_e94c97eefc7796c6.txt?", ("Who funds the programme?", 1)),
    ("Who funds the programme, according to the file 002_E94C97EEFC7796C6.txt?", ("Who funds the programme?", 1)),
    ("What does the release news/2012/002_e94c97eefc7796c6.txt announce?", ("What does the release announce?", 1)),
    ("In same.txt, who is quoted?", None),  # two files of that name: which one is not known
    ("In missing.txt, who is quoted?", None),  # no such file: asked as it stands
    ("Who funds the programme?", None),
])
def test_a_question_naming_a_file_is_cut_and_scoped_to_it(question, expected):
    assert S.named_file(question, PATHS) == expected


def test_a_question_naming_a_file_reads_only_that_file(releases):
    answer = releases.ask("In 003_e5992decc809204b.txt, when was the Commission formed?")
    assert {Path(p.file).name for p in answer.passages} == {"003_e5992decc809204b.txt"}
    assert answer.question == "In 003_e5992decc809204b.txt, when was the Commission formed?"
