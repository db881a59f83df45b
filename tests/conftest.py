"""Shared fixtures: a fake encoder (no model), temp corpora, and an isolated QA_HOME."""

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
