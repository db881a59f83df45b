"""Shared fixtures: a fake encoder and a fake reader (no model), temp corpora, and an isolated QA_HOME."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"


class FakeEncoder:
    """Hashed bag of lower-cased words in 64 dims, L2-normalised: deterministic and instant.

    Texts sharing words get similar vectors, so retrieval still behaves like retrieval.
    """

    name = "fake-bow-64"

    def __init__(self, dim: int = 64) -> None:
        self._dim = dim
        self.calls = 0
        self.encoded = 0

    @property
    def dim(self) -> int:
        return self._dim

    def encode(self, texts, progress=None):
        self.calls += 1
        self.encoded += len(texts)
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                h = int.from_bytes(hashlib.md5(word.encode()).digest()[:4], "little")
                out[i, h % self._dim] += 1.0
            norm = np.linalg.norm(out[i])
            out[i] = out[i] / norm if norm else out[i]
        if progress:
            progress(len(texts))
        return out


class FakeReader:
    """Points, in each passage, at the first number (else capitalised word) the question lacks.

    It reads the sentence sharing most words with the question, scores the passage by
    that overlap and never says "no answer" on its own: deterministic, instant, and
    enough for the pipeline around the real reader to be tested.
    """

    def __init__(self) -> None:
        self.calls = 0

    def read(self, question, passages, sentence_starts=None):
        from qa.reader import Guess

        self.calls += 1
        asked = set(re.findall(r"\w+", question.lower()))
        out = []
        for text in passages:
            best = (-1, 0, len(text))
            for m in re.finditer(r"[^.!?]+[.!?]?", text):
                shared = len(asked & set(re.findall(r"\w+", m.group().lower())))
                if shared > best[0]:
                    best = (shared, m.start(), m.end())
            shared, s, e = best
            span = None
            for pattern in (r"\d[\d,.]*\d|\d", r"\b[A-Z][\w-]+"):
                span = next((m for m in re.finditer(pattern, text[s:e]) if m.group().lower() not in asked), None)
                if span:
                    break
            out.append([] if span is None else
                       [Guess(s + span.start(), s + span.end(), float(max(shared, 0)), 0.0, float(max(shared, 0)))])
        return out


@pytest.fixture(autouse=True, scope="session")
def fake_reader_by_default():
    """Every Assistant reads with FakeReader unless given a reader (test_e2e passes the real one)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("qa.api.SpanReader", FakeReader)
        yield


@pytest.fixture(autouse=True)
def qa_home(tmp_path, monkeypatch):
    """Keep REPL history and any user state out of the real home directory."""
    home = tmp_path / "qa-home"
    monkeypatch.setenv("QA_HOME", str(home))
    return home


@pytest.fixture
def fake_encoder():
    return FakeEncoder()


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A private copy of the shipped releases, byte-identical."""
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest)
    return dest


@pytest.fixture
def assistant(corpus_copy, tmp_path, fake_encoder):
    """An Assistant over a copy of the corpus with the fake encoder, index built."""
    from qa.api import Assistant

    qa = Assistant(corpus=corpus_copy, index_dir=tmp_path / "index", model=fake_encoder.name, encoder=fake_encoder)
    qa.ensure_index()
    return qa
