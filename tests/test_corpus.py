"""Reading and cleaning: boilerplate and markup go, offsets stay exact."""

from __future__ import annotations

import errno
import os
import random
import re
from pathlib import Path

import pytest

from qa import corpus
from qa.answer import line_of
from qa.chunk import split_sentences
from qa.corpus import boilerplate_lines, clean, read_corpus
from qa.errors import CorpusError

from .conftest import CORPUS

NAV_FILES = ["001_2aeeecbde5182a02.txt", "003_e5992decc809204b.txt", "004_873ba0d4c99f9516.txt"]


@pytest.fixture(scope="module")
def docs():
    return {d.path: d for d in read_corpus(CORPUS)[0]}


def assert_offsets_kept(original: str, cleaned: str) -> None:
    """The property every citation rests on: cleaning only ever overwrites with whitespace."""
    assert len(cleaned) == len(original)
    for i, (a, b) in enumerate(zip(original, cleaned)):
        assert b == a or b.isspace(), f"offset {i}: {a!r} became {b!r}"


def test_offsets_are_exact_on_every_release(docs):
    assert len(docs) == 5
    for doc in docs.values():
        assert_offsets_kept(doc.text, doc.clean)


def test_offsets_are_exact_on_random_scrapes():
    rng = random.Random(7)
    pieces = ["Who we are", "- 2030 Agenda", '"mailto:x@y.org" target="_blank" title=', '"">x@y.org', "<b>", "</a>",
              "The minister said 12 cases\r", "were reported.", "", "-", "Tel: +593 2", "café ñandú", "\t\x0c"]
    texts = ["\n".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for _ in range(200)]
    boiler = boilerplate_lines(texts)
    for text in texts:
        cleaned, _ = clean(text, boiler)
        assert_offsets_kept(text, cleaned)


def test_shared_navigation_block_is_removed(docs):
    for name in NAV_FILES:
        cleaned = docs[name].clean
        for nav in ("Who we are", "WHO WE ARE", "2030 Agenda", "Take Action", "Work with us", "Data and Research"):
            assert nav not in cleaned, (name, nav)
        # ...while the release itself is kept
        assert "IOM Ecuador" in cleaned


def test_markup_remnants_are_removed_but_contacts_kept(docs):
    for doc in docs.values():
        for junk in ("mailto:", '">', "target=", "title=", '""'):
            assert junk not in doc.clean, (doc.path, junk)
    assert "aguzman@iom.int" in docs["001_2aeeecbde5182a02.txt"].clean
    assert "Ana Guzmán" in docs["001_2aeeecbde5182a02.txt"].clean


def test_a_single_repeated_line_is_not_boilerplate(docs):
    # "IOM Ecuador" stands in every release, but alone: it is content, not navigation
    assert all("IOM Ecuador" in d.clean for d in docs.values())


def test_titles(docs):
    assert docs["000_ecb5d314c7355d2f.txt"].title == "IOM Organizes Counter Trafficking Training Courses for Officials in Ecuador"
    assert docs["002_e94c97eefc7796c6.txt"].title.startswith("IOM Receives New Funding")  # skips "News / Global"
    assert docs["004_873ba0d4c99f9516.txt"].title == "Tri-National Meeting Aimed at Eradicating Human Trafficking"


def test_wrapped_lines_are_rejoined_into_sentences(docs):
    doc = docs["000_ecb5d314c7355d2f.txt"]
    sentences = [" ".join(doc.text[s:e].split()) for s, e in split_sentences(doc.clean)]
    assert ("IOM Ecuador began a series of training courses focusing on human trafficking for "
            "government officials in the cities of Quito, Guayaquil and Portoviejo.") in sentences
    # the title is its own sentence, not glued to the first paragraph
    assert doc.title in sentences
    # a paragraph that stops mid-sentence in the source does not swallow the next one
    assert "According to the Ministry of the Interior, 187 cases were reported between 2011 and 2012, with 11 indictments and 5" in sentences


def test_sentences_never_include_navigation(docs):
    doc = docs["001_2aeeecbde5182a02.txt"]
    first_start = split_sentences(doc.clean)[0][0]
    assert doc.text[first_start:].startswith("Cooperation Agreements with Local Authorities")


# ---------------------------------------------------------------- odd folders, line endings, Markdown

RELEASE = b"IOM Opens Shelter in Loja\n\nThe shelter in Loja opened in March 2013 for forty women.\n"


def deny(monkeypatch, folder: Path) -> None:
    """Listing ``folder`` fails as chmod 000 would (tests run as root, which ignores modes)."""
    scandir = os.scandir

    def guarded(path="."):
        if Path(path) == folder:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", guarded)


def test_fingerprint_lists_exactly_what_the_build_indexes_or_skips(tmp_path, monkeypatch):
    # an entry in the manifest's skipped list but not in the fingerprint made every run rebuild
    (tmp_path / "sub").mkdir()
    (tmp_path / "good.txt").write_bytes(RELEASE)
    (tmp_path / "sub" / "hidden-by-mode.txt").write_bytes(RELEASE)
    (tmp_path / "broken.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    deny(monkeypatch, tmp_path / "sub")
    docs, report = read_corpus(tmp_path)
    fingerprint = {rel: (size, mtime) for rel, size, mtime in corpus.corpus_fingerprint(tmp_path)}
    assert set(fingerprint) == {d.path for d in docs} | {rel for rel, _ in report.skipped}
    assert fingerprint["broken.txt"] == fingerprint["loop.txt"] == fingerprint["sub/"] == (-1, -1)


def test_unreadable_subfolder_is_skipped_by_name(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    (tmp_path / "good.txt").write_bytes(RELEASE)
    (tmp_path / "sub" / "inner.txt").write_bytes(RELEASE)
    deny(monkeypatch, tmp_path / "sub")
    docs, report = read_corpus(tmp_path)
    assert [d.path for d in docs] == ["good.txt"]
    assert report.skipped == [("sub/", "Permission denied")]  # the CLI: "warning: skipped sub/: Permission denied"


def test_unreadable_corpus_folder_says_so(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_bytes(RELEASE)
    deny(monkeypatch, tmp_path)
    with pytest.raises(CorpusError, match=f"^{re.escape(f'cannot read corpus folder {tmp_path}: Permission denied')}$"):
        read_corpus(tmp_path)


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_lines_and_title_are_the_files_whatever_the_line_ends(eol):
    # an old-Mac file (CR only) was one line: cited as line 1-1, its title glued to the text
    text = eol.join(["Shelter Opens in Loja", "", "The shelter in Loja opened in March 2013.", "It hosts forty women.", ""])
    cleaned, title = clean(text)
    assert_offsets_kept(text, cleaned)
    assert title == "Shelter Opens in Loja"
    assert [" ".join(text[s:e].split()) for s, e in split_sentences(cleaned)][0] == title
    shown, _ = clean(text, join_wraps=False)
    assert [line_of(shown, shown.index(w)) for w in ("Shelter", "The shelter", "forty")] == [1, 3, 4]


def test_markdown_heading_marks_are_not_part_of_the_title():
    assert clean("# Markdown release\n\nMarkdown releases are indexed too.\n")[1] == "Markdown release"
    assert clean("#Ecuador2014 Campaign Launched in Quito\n\nA hashtag is part of the title.\n")[1].startswith("#Ecuador2014")
