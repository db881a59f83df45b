"""Chunking: whole sentences, bounded size, overlap, offsets into the file."""

from __future__ import annotations

from qa.chunk import ChunkSettings, chunk_corpus, chunk_sentences, split_sentences
from qa.corpus import read_corpus

from .conftest import CORPUS


def test_chunks_respect_the_word_budget_and_overlap():
    clean = " ".join(f"Sentence number {i} has exactly seven words." for i in range(30))
    sentences = split_sentences(clean)
    assert len(sentences) == 30
    chunks = chunk_sentences(sentences, clean, ChunkSettings(words=21, overlap=1))
    for first, end, s, e in chunks:
        assert len(clean[s:e].split()) <= 21
        assert (s, e) == (sentences[first][0], sentences[end - 1][1])
    # consecutive chunks share exactly one sentence, and every sentence is covered
    for (f1, e1, _, _), (f2, e2, _, _) in zip(chunks, chunks[1:]):
        assert f2 == e1 - 1
    assert chunks[0][0] == 0 and chunks[-1][1] == 30


def test_no_overlap_when_it_would_leave_no_room():
    clean = "Short one. " + " ".join(["word"] * 50) + ". Another short one."
    sentences = split_sentences(clean)
    chunks = chunk_sentences(sentences, clean, ChunkSettings(words=52, overlap=1))
    starts = [c[0] for c in chunks]
    assert starts == sorted(set(starts)), "a chunk must never restart at the same sentence"


def test_a_sentence_longer_than_the_budget_is_its_own_chunk():
    clean = " ".join(["long"] * 200) + ". Then a short one."
    chunks = chunk_sentences(split_sentences(clean), clean, ChunkSettings(words=50, overlap=0))
    assert len(chunks) == 2


def test_a_block_of_short_lines_is_one_sentence():
    clean = ("IOM Opens an Office in Quito\n\nThe office opened today.\n"
             "For more information, please contact\n\nAna Guzm\u00e1n\n\nIOM Ecuador\nTel: +593.2.2266.304\n"
             "Short closing line.\nAnother line ends open\nA short full sentence.")
    texts = [" ".join(clean[s:e].split()) for s, e in split_sentences(clean)]
    assert texts == [
        "IOM Opens an Office in Quito",  # a heading stays apart from the full sentence under it
        "The office opened today.",
        "For more information, please contact Ana Guzm\u00e1n IOM Ecuador Tel: +593.2.2266.304",
        "Short closing line.",
        "Another line ends open",  # the next line is a full sentence: not pulled in
        "A short full sentence.",
    ]


def test_chunk_offsets_point_into_the_original_file():
    docs, _ = read_corpus(CORPUS)
    chunked = chunk_corpus(docs, ChunkSettings(words=60))
    for d, s, e in chunked.chunks.tolist():
        original = docs[d].text[s:e]
        cleaned = docs[d].clean[s:e].split()
        # every word of the chunk is a word of the file at the same place, or blanked markup
        assert all(w in original for w in cleaned)
        assert "mailto" not in " ".join(cleaned)
    # the title is prepended to the embedded text so retrieval sees the topic
    assert all(t.startswith(docs[d].title) for t, (d, _, _) in zip(chunked.texts, chunked.chunks.tolist()))
