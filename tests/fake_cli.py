"""The real ``qa`` CLI in a subprocess, with the fake encoder: ``python -m tests.fake_cli index ...``.

Reliability tests need a second process (to SIGKILL it, or to race it) without paying for
the real model. Only the encoder is swapped; everything else is the shipped CLI. Test-only
hooks, read from the environment:

    QA_TEST_MARK=path          touched when the build is under way (see the two below)
    QA_TEST_SLOW_ENCODE=secs   every encode call touches the mark, then sleeps this long
    QA_TEST_SLOW_WRITE=secs    after the first data file of the new generation is written,
                               touch the mark and sleep this long (to be killed mid-write)
    QA_TEST_WAITING=path       touched just before the build asks for the index lock
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from qa import cli, store
from qa.api import Assistant
from qa.chunk import ChunkSettings
from tests.conftest import FakeEncoder, FakeReader


class SlowFakeEncoder(FakeEncoder):
    def encode(self, texts, progress=None):
        delay = float(os.environ.get("QA_TEST_SLOW_ENCODE", "0"))
        if delay:
            Path(os.environ["QA_TEST_MARK"]).touch()
            time.sleep(delay)
        return super().encode(texts, progress)


def _assistant(corpus, index_dir, model, chunk_words, max_file_mb):
    return Assistant(
        corpus=corpus, index_dir=index_dir, model=FakeEncoder.name, encoder=SlowFakeEncoder(), reader=FakeReader(),
        chunking=ChunkSettings(words=chunk_words), max_file_mb=max_file_mb,
    )


def _slow_writes(delay: float) -> None:
    save = store._save_npy

    def slow_save(path, arr):
        save(path, arr)
        Path(os.environ["QA_TEST_MARK"]).touch()
        time.sleep(delay)

    store._save_npy = slow_save


def _announce_lock(path: str) -> None:
    lock = store._lock

    def announced(root, timeout):
        Path(path).touch()
        return lock(root, timeout)

    store._lock = announced


if __name__ == "__main__":
    cli._assistant = _assistant
    if os.environ.get("QA_TEST_WAITING"):
        _announce_lock(os.environ["QA_TEST_WAITING"])
    if os.environ.get("QA_TEST_SLOW_WRITE"):
        _slow_writes(float(os.environ["QA_TEST_SLOW_WRITE"]))
    sys.argv[0] = "qa"
    cli.main()
