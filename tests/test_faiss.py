"""The FAISS index the store chooses: exact up to a size, IVF above it, and hybrid search on both."""

from __future__ import annotations

import json

import numpy as np
import pytest

import qa.store as store
from qa.api import Assistant

from .conftest import FakeEncoder

WORDS = "migrants border shelter training officials victims agreement province census hotline".split()


@pytest.fixture
def big_corpus(tmp_path):
    """Enough one-chunk releases to pass a lowered approximate-index threshold."""
    root = tmp_path / "corpus"
    root.mkdir()
    rng = np.random.default_rng(0)
    for i in range(240):
        words = " ".join(rng.choice(WORDS, size=12))
        (root / f"r{i:03d}.txt").write_text(f"Release {i}\n\nThe office counted {i} {words}.\n", encoding="utf-8")
    return root


def test_small_indexes_are_exact():
    vectors = np.eye(8, dtype=np.float32)
    index = store.make_faiss_index(vectors)
    assert store.describe_faiss(index) == {"type": "FlatIP"}
    assert index.ntotal == 8


def test_above_the_threshold_an_ivf_index_is_built_recorded_and_searched(big_corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(store, "APPROX_THRESHOLD", 100)
    assistant = Assistant(corpus=big_corpus, index_dir=tmp_path / "index", encoder=FakeEncoder())
    report = assistant.build()
    assert report.chunks > 100 and report.faiss == "IVFFlat"
    manifest = json.loads((tmp_path / "index" / "manifest.json").read_text())
    nlist = int(4 * np.sqrt(report.chunks))
    assert manifest["faiss"] == {"type": "IVFFlat", "nlist": nlist, "nprobe": min(nlist, 128), "approximate": True}
    index = assistant.ensure_index()
    assert index.faiss_index.nprobe == min(nlist, 128)  # saved with the index, not only in the manifest
    # hybrid search looks up vectors of chunks that only BM25 found: needs the IVF direct map
    ids = np.arange(5, dtype=np.int64)
    assert index.faiss_index.reconstruct_batch(ids).shape == (5, 64)
    for mode in ("dense", "bm25", "hybrid"):
        answer = assistant.ask("How many hotline victims did the office count?", mode=mode)
        assert answer.passages
