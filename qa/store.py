"""The index directory: build it, save it atomically, load and validate it.

Layout of ``embeddings/`` (every data file carries the generation ``G`` of its build):

    manifest.json          what was built, from what, how; written last, atomically
    index.G.faiss          FAISS index over the chunk vectors (inner product = cosine)
    vectors.G.npy          the chunk vectors, reused by the next build for unchanged text
    keys.G.npy             a 64-bit hash of each chunk's text (what vectors.G.npy is keyed by)
    chunks.G.npy           int64 rows (doc, start, end): chunk offsets into the decoded file
    sentences.G.npy        int64 rows (doc, start, end): sentence offsets
    bm25.G/                the bm25s lexical index (NumPy arrays + JSON)

Nothing here is a pickle: NumPy files are loaded with ``allow_pickle=False``. A build
writes a new generation beside the old one and then swaps ``manifest.json`` with one
``os.replace``, so a reader sees the old index or the new one, never half of each, and a
build killed midway leaves the previous index usable. A file lock serialises builders.

Damage is caught before anything is parsed: the manifest is checked field by field and
carries a checksum of itself, and every data file is checked against the size and SHA-256
the manifest records. The manifest also keeps the vector the model gave for a fixed probe
text, so vectors of another model, or of another version of the same model, are never
mixed into an index (``check_encoder``); indexes written before checksums and probes
existed are checked by size only, and ``qa index`` upgrades them.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from . import __version__
from .chunk import ChunkSettings, chunk_corpus
from .corpus import DEFAULT_MAX_FILE_MB, ReadReport, corpus_fingerprint, read_corpus
from .embed import Encoder
from .errors import IndexBusyError, IndexError_, first_line
from .types import Document

FORMAT = 2  # 2: short lines after an open line are one sentence (qa.chunk)
MANIFEST = "manifest.json"
LOCK = ".lock"
APPROX_THRESHOLD = 50_000  # above this many vectors an IVF index replaces exact search
REBUILD_HINT = "run `qa index` to rebuild it"
PROBE_TEXT = "qa probe: the International Organization for Migration reported 187 cases in 2012."
PROBE_MIN_COSINE = 0.999  # one model on other hardware or in bf16: <= 1e-4 apart; another: far below


@dataclass
class BuildSettings:
    """Everything that decides what vectors an index holds; a mismatch forces a rebuild."""

    model: str
    chunking: ChunkSettings = field(default_factory=ChunkSettings)
    max_file_mb: float = DEFAULT_MAX_FILE_MB


@dataclass
class Index:
    """A loaded index: enough to retrieve and to cite, with nothing read lazily from disk."""

    root: Path
    manifest: dict
    faiss_index: object
    chunks: np.ndarray
    sentences: np.ndarray
    bm25: object

    @property
    def docs(self) -> list[dict]:
        return self.manifest["docs"]

    @property
    def model(self) -> str:
        return self.manifest["model"]


@dataclass
class BuildReport:
    docs: int
    chunks: int
    encoded: int  # chunks that had to be embedded (the rest were reused)
    seconds: float
    faiss: str
    skipped: list[tuple[str, str]]
    ignored: int


def text_keys(texts: list[str]) -> np.ndarray:
    """A stable 64-bit key per chunk text, so unchanged chunks keep their vectors."""
    return np.array(
        [int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little") for t in texts],
        dtype=np.uint64,
    )


# ---------------------------------------------------------------- FAISS

def make_faiss_index(vectors: np.ndarray):
    """Exact inner-product search up to ``APPROX_THRESHOLD`` vectors, IVF above it.

    IVFFlat with nlist = 4 sqrt(N) lists and nprobe = 128 (measured by ``make bench`` on
    mixtures of real sentence vectors, recall@10 against exact search for real questions:
    100k 0.99, 1M 0.99, where nprobe 16 gave 0.94 and 64 gave 0.985; a search scans about
    128 / nlist of the vectors, 2-3 ms at 1M). The k-means sample is 40 vectors per list,
    as FAISS advises. The direct map lets hybrid retrieval look up the vectors of BM25
    candidates. HNSW lost recall at 1M here (FACTS), so IVF it is.
    """
    import faiss

    n, dim = vectors.shape
    if n <= APPROX_THRESHOLD:
        index = faiss.IndexFlatIP(dim)
        index.add(vectors)
        return index
    nlist = int(4 * np.sqrt(n))
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(0)
    sample = vectors[np.sort(rng.choice(n, size=min(n, nlist * 40), replace=False))]
    index.train(sample)
    index.nprobe = min(nlist, 128)
    index.add(vectors)
    index.make_direct_map()  # reconstruct(id) for chunks found by BM25 alone
    return index


def describe_faiss(index) -> dict:
    import faiss

    if isinstance(index, faiss.IndexIVF):
        return {"type": "IVFFlat", "nlist": int(index.nlist), "nprobe": int(index.nprobe), "approximate": True}
    return {"type": "FlatIP"}


# ---------------------------------------------------------------- BM25

def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def bm25_tokens(texts: list[str], ids: bool = True):
    import bm25s

    return bm25s.tokenize(
        texts, stopwords="en", stemmer=_stemmer(), return_ids=ids, show_progress=False
    )


def build_bm25(texts: list[str]):
    import bm25s

    retriever = bm25s.BM25()
    retriever.index(bm25_tokens(texts), show_progress=False)
    return retriever


# ---------------------------------------------------------------- corpus state

def stale_reason(manifest: dict, corpus: Path, settings: BuildSettings) -> str | None:
    """Why this index does not answer for ``corpus`` with ``settings``, or None if it does."""
    if manifest.get("format") != FORMAT:
        return "it was written by another version of qa"
    if manifest.get("model") != settings.model:
        return f"it was built with model {manifest.get('model')!r}, not {settings.model!r}"
    if manifest.get("chunking") != settings.chunking.as_dict():
        return "it was built with other chunking settings"
    if manifest.get("max_file_mb") != settings.max_file_mb:
        return "it was built with another --max-file-mb"
    known = {d["path"]: d for d in manifest["docs"]}
    known.update({s["path"]: s for s in manifest.get("skipped", [])})
    current = corpus_fingerprint(corpus)
    if {p for p, _, _ in current} != set(known):
        return "releases were added or removed"
    for rel, size, mtime in current:
        entry = known[rel]
        if entry["size"] != size:
            return f"{rel} changed"
        if entry["mtime_ns"] != mtime and _sha_or_empty(corpus / rel) != entry["sha256"]:
            return f"{rel} changed"
    return None


# ---------------------------------------------------------------- load

def check_index_dir(root: Path | str) -> Path:
    """``root`` as a Path unless something other than a folder is in the way."""
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise IndexError_(f"cannot write the index in {root}: it is not a folder (pass --index-dir DIR)")
    return root


def check_build_target(root: Path, corpus: Path) -> None:
    """Refuse to build where it would mix the index with the user's own files: the corpus
    folder itself, or a folder holding other files and no qa index (a build writes
    ``manifest.json`` and removes older builds' files, and nothing else of the folder's)."""
    if root.is_dir() and corpus.is_dir() and root.resolve() == corpus.resolve():
        raise IndexError_(f"the index cannot be written into the corpus folder {root} itself (pass another --index-dir)")
    try:
        names = [p.name for p in root.iterdir()] if root.is_dir() else []
    except OSError:
        return  # unreadable: the build's own write reports it
    if any(_generation_of(n) for n in names):
        return  # a qa index, whole or damaged: rebuilt in place
    manifest = root / MANIFEST
    if manifest.exists():
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # a damaged manifest of ours
        if isinstance(data, dict) and ("format" in data or "qa_version" in data):
            return
        raise IndexError_(f"{manifest} is not a qa index's manifest: pass a new or empty folder as --index-dir")
    foreign = [n for n in names if n != LOCK and not _MANIFEST_TMP.fullmatch(n)]  # no build, no manifest here
    if foreign:
        raise IndexError_(f"{root} holds other files ({foreign[0]}, …) and no qa index: "
                          "pass a new or empty folder as --index-dir")


def read_manifest(root: Path) -> dict:
    """The manifest of the index in ``root``, checked; ``IndexError_`` if absent or damaged."""
    path = root / MANIFEST
    if not path.exists():
        raise IndexError_(f"no index in {root}: {REBUILD_HINT}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        _validate_manifest(manifest)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise IndexError_(f"index in {root} is damaged (manifest.json: {why}): {REBUILD_HINT}") from None
    return manifest


def manifest_checksum(manifest: dict) -> str:
    """SHA-256 of the manifest without its own ``checksum`` field, in canonical JSON."""
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _safe_name(name) -> bool:
    """A file name inside the index directory: relative, no '..', nothing hidden or odd."""
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name:
        return False
    parts = name.split("/")
    return not name.startswith("/") and all(p and p not in (".", "..") and not p.startswith(".") for p in parts)


def _safe_release(path) -> bool:
    """A release path inside the corpus folder: relative and without '..'."""
    return isinstance(path, str) and bool(path) and "\x00" not in path and not path.startswith("/") and ".." not in path.split("/")


def _validate_manifest(m) -> None:
    """Raise ``ValueError`` unless ``m`` has every field, of the right type, that loading uses."""

    def need(cond: bool, what: str) -> None:
        if not cond:
            raise ValueError(what)

    is_int = lambda v: isinstance(v, int) and not isinstance(v, bool)  # noqa: E731
    need(isinstance(m, dict), "not a JSON object")
    for key in ("format", "dim"):
        need(is_int(m.get(key)), f"bad {key!r}")
    need(isinstance(m.get("model"), str), "bad 'model'")
    need(isinstance(m.get("chunking"), dict), "bad 'chunking'")
    need(isinstance(m.get("max_file_mb"), (int, float)), "bad 'max_file_mb'")
    counts = m.get("counts")
    need(isinstance(counts, dict) and all(is_int(counts.get(k)) and counts[k] >= 0 for k in ("docs", "chunks", "sentences")), "bad 'counts'")
    files = m.get("files")
    need(isinstance(files, dict), "bad 'files'")
    for key in ("faiss", "vectors", "keys", "chunks", "sentences", "bm25"):
        need(_safe_name(files.get(key)), f"bad file name for {key!r}")
    sizes = files.get("sizes")
    need(isinstance(sizes, dict) and sizes and all(_safe_name(k) and is_int(v) for k, v in sizes.items()), "bad 'sizes'")
    sums = files.get("sha256")
    need(sums is None or (isinstance(sums, dict) and set(sums) == set(sizes) and all(isinstance(v, str) for v in sums.values())), "bad 'sha256'")
    docs, skipped = m.get("docs"), m.get("skipped", [])
    need(isinstance(docs, list) and len(docs) == counts["docs"], "bad 'docs'")
    need(isinstance(skipped, list), "bad 'skipped'")
    for entry in docs + skipped:
        need(isinstance(entry, dict) and _safe_release(entry.get("path")), "bad release entry")
        need(is_int(entry.get("size")) and is_int(entry.get("mtime_ns")) and isinstance(entry.get("sha256"), str), "bad release entry")
    for entry in docs:
        need(isinstance(entry.get("title"), str) and is_int(entry.get("chunks")), "bad release entry")
    probe = m.get("probe")
    need(probe is None or (isinstance(probe, list) and len(probe) == m["dim"] and all(isinstance(v, (int, float)) for v in probe)), "bad 'probe'")
    if "checksum" in m or sums is not None or probe is not None:  # written with checksums: check it
        need(m.get("checksum") == manifest_checksum(m), "checksum does not match its content")


def _check_file(root: Path, name: str, size: int, sha256: str | None = None) -> Path:
    """``root/name`` if it is a regular file of the recorded size (and SHA-256, when given)."""
    path = root / name
    try:
        st = path.lstat()
    except OSError:
        raise IndexError_(f"index in {root} is damaged ({name} is missing): {REBUILD_HINT}") from None
    if not stat.S_ISREG(st.st_mode):
        raise IndexError_(f"index in {root} is damaged ({name} is not a regular file): {REBUILD_HINT}")
    if st.st_size != size:
        raise IndexError_(
            f"index in {root} is damaged ({name} has {st.st_size} bytes, expected {size}): {REBUILD_HINT}"
        )
    if sha256 is not None and _sha256_file(path) != sha256:
        raise IndexError_(f"index in {root} is damaged ({name} does not match its checksum): {REBUILD_HINT}")
    return path


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _check_files(root: Path, manifest: dict, names: list[str] | None = None, checksums: bool = True) -> None:
    """Check the named data files or folders (default: all) against the manifest."""
    files = manifest["files"]
    sums = (files.get("sha256") or {}) if checksums else {}
    for name, size in files["sizes"].items():
        if names is None or name in names or name.split("/")[0] in names:
            _check_file(root, name, size, sums.get(name))


def encoder_probe(encoder: Encoder) -> np.ndarray:
    """The vector ``encoder`` gives the probe text: a fingerprint of the model's weights."""
    return np.asarray(encoder.encode([PROBE_TEXT]), dtype=np.float32).reshape(-1)


def _probe_matches(manifest: dict, probe: np.ndarray) -> bool:
    stored = manifest.get("probe")
    if stored is None or len(stored) != len(probe):
        return False
    stored = np.asarray(stored, dtype=np.float32)
    denom = float(np.linalg.norm(stored) * np.linalg.norm(probe)) or 1.0
    return float(stored @ probe) / denom >= PROBE_MIN_COSINE


def check_encoder(manifest: dict, encoder: Encoder, root: Path | str) -> None:
    """Raise ``IndexError_`` unless ``encoder`` gives the vectors this index was built with."""
    dim = int(encoder.dim)
    if dim != manifest["dim"]:
        raise IndexError_(
            f"index in {root} holds {manifest['dim']}-dimensional vectors but model {encoder.name!r} "
            f"gives {dim}-dimensional ones: {REBUILD_HINT}"
        )
    if manifest.get("probe") is not None and not _probe_matches(manifest, encoder_probe(encoder)):
        raise IndexError_(
            f"index in {root} was built by another version of model {manifest['model']!r} "
            f"(its vectors differ from the model's now): {REBUILD_HINT}"
        )


def _load_array(path: Path, cols: int, rows: int, dtype) -> np.ndarray:
    arr = np.load(path, allow_pickle=False)
    if arr.dtype != dtype or arr.shape[0] != rows or (cols and arr.shape[1:] != (cols,)):
        raise ValueError(f"{path.name} has shape {arr.shape} {arr.dtype}")
    return arr


def load_index(root: Path | str) -> Index:
    """Load and validate an index; any damage is an ``IndexError_`` that names the fix."""
    root = Path(root)
    for attempt in range(3):
        manifest = read_manifest(root)
        try:
            return _load(root, manifest)
        except Exception as exc:  # NumPy, FAISS and bm25s report damage in many ways
            try:
                swapped = read_manifest(root)["files"] != manifest["files"]
            except IndexError_:
                swapped = False
            if swapped:  # a concurrent build replaced the generation we were reading
                time.sleep(0.05 * (attempt + 1))
                continue
            if isinstance(exc, IndexError_):
                raise
            first = first_line(exc)
            raise IndexError_(f"index in {root} is damaged ({first}): {REBUILD_HINT}") from exc
    raise IndexError_(f"index in {root} keeps changing under us (another build?): try again")


def _load(root: Path, manifest: dict) -> Index:
    import bm25s
    import faiss

    files = manifest["files"]
    counts = manifest["counts"]
    # every file must be there, whole; the ones read now must also match their checksums
    # (vectors and keys are read only by the next build, which checks them itself)
    _check_files(root, manifest, [files[k] for k in ("chunks", "sentences", "faiss", "bm25")])
    _check_files(root, manifest, checksums=False)
    chunks = _load_array(root / files["chunks"], 3, counts["chunks"], np.int64)
    sentences = _load_array(root / files["sentences"], 3, counts["sentences"], np.int64)
    index = faiss.read_index(str(root / files["faiss"]))
    if index.ntotal != counts["chunks"] or index.d != manifest["dim"]:
        raise ValueError(f"FAISS index holds {index.ntotal}x{index.d}, manifest says {counts['chunks']}x{manifest['dim']}")
    if counts["chunks"] and (chunks[:, 0].max() >= len(manifest["docs"]) or chunks.min() < 0):
        raise ValueError("chunk rows point outside the documents")
    bm25 = bm25s.BM25.load(str(root / files["bm25"]), mmap=False, allow_pickle=False, show_progress=False)
    return Index(root, manifest, index, chunks, sentences, bm25)


# ---------------------------------------------------------------- build

def _atomic_write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _save_npy(path: Path, arr: np.ndarray) -> None:
    with open(path, "wb") as fh:
        np.save(fh, arr, allow_pickle=False)
        fh.flush()
        os.fsync(fh.fileno())


def _previous_vectors(root: Path, model: str, probe: np.ndarray) -> dict[int, np.ndarray]:
    """Vectors of the current index keyed by chunk-text hash, when the same model made them.

    "The same model" means the same name and the same vector for the probe text, so a
    model replaced under the same name (or path) never lends its vectors to the new one.
    """
    dim = len(probe)
    try:
        manifest = read_manifest(root)
        if manifest.get("model") != model or manifest.get("dim") != dim or not _probe_matches(manifest, probe):
            return {}
        files = manifest["files"]
        _check_files(root, manifest, [files["keys"], files["vectors"]])
        keys = np.load(root / files["keys"], allow_pickle=False)
        vectors = np.load(root / files["vectors"], allow_pickle=False)
        if vectors.shape != (len(keys), dim) or vectors.dtype != np.float32:
            return {}
    except Exception:  # no usable previous index: embed everything
        return {}
    return dict(zip(keys.tolist(), vectors))


def _lock(root: Path, timeout: float):
    from filelock import FileLock, Timeout

    lock = FileLock(str(root / LOCK))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise IndexBusyError(
            f"another qa process is rebuilding the index in {root}; waited {timeout:g}s (try again)"
        ) from None
    return lock


def build_index(
    corpus: Path | str,
    root: Path | str,
    encoder: Encoder,
    settings: BuildSettings,
    progress: Callable[[int, int], None] | None = None,
    lock_timeout: float = 600.0,
    only_if_stale: bool = False,
) -> BuildReport | None:
    """Read, chunk, embed and save ``corpus`` into ``root``; returns what was done.

    With ``only_if_stale`` the build is skipped (None) when, once the lock is held, the
    index turns out fresh: the usual case when two processes asked for the same rebuild.
    """
    corpus, root = Path(corpus), check_index_dir(root)
    check_build_target(root, corpus)
    try:
        root.mkdir(parents=True, exist_ok=True)
        lock = _lock(root, lock_timeout)
    except OSError as exc:
        raise IndexError_(f"cannot write the index in {root}: {exc.strerror or exc}") from None
    try:
        if only_if_stale:
            try:
                if stale_reason(read_manifest(root), corpus, settings) is None:
                    load_index(root)
                    return None
            except IndexError_:
                pass
        return _build(corpus, root, encoder, settings, progress)
    finally:
        lock.release()


def _build(corpus: Path, root: Path, encoder: Encoder, settings: BuildSettings, progress) -> BuildReport:
    t0 = time.perf_counter()
    fingerprint = {p: (s, m) for p, s, m in corpus_fingerprint(corpus)}
    docs, report = read_corpus(corpus, settings.max_file_mb)
    chunked = chunk_corpus(docs, settings.chunking)
    keys = text_keys(chunked.texts)
    dim = encoder.dim
    probe = encoder_probe(encoder)
    cache = _previous_vectors(root, settings.model, probe)
    todo = [i for i, k in enumerate(keys.tolist()) if k not in cache]
    if progress:
        progress(0, len(todo))
    fresh = encoder.encode([chunked.texts[i] for i in todo], progress=(lambda n: progress(n, len(todo))) if progress else None)
    vectors = np.zeros((len(keys), dim), dtype=np.float32)
    for row, key in enumerate(keys.tolist()):
        if key in cache:
            vectors[row] = cache[key]
    if todo:
        vectors[todo] = fresh

    import faiss

    faiss_index = make_faiss_index(vectors)
    bm25 = build_bm25(chunked.texts)

    gen = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
    names = {
        "faiss": f"index.{gen}.faiss",
        "vectors": f"vectors.{gen}.npy",
        "keys": f"keys.{gen}.npy",
        "chunks": f"chunks.{gen}.npy",
        "sentences": f"sentences.{gen}.npy",
        "bm25": f"bm25.{gen}",
    }
    try:
        faiss.write_index(faiss_index, str(root / names["faiss"]))
        _save_npy(root / names["vectors"], vectors)
        _save_npy(root / names["keys"], keys)
        _save_npy(root / names["chunks"], chunked.chunks)
        _save_npy(root / names["sentences"], chunked.sentences)
        bm25.save(str(root / names["bm25"]), show_progress=False)
        sizes, sums = {}, {}
        for key, name in names.items():
            path = root / name
            for f in sorted(path.iterdir()) if path.is_dir() else [path]:
                rel = f.relative_to(root).as_posix()
                sizes[rel] = f.stat().st_size
                sums[rel] = _sha256_file(f)
        manifest = _manifest(corpus, docs, chunked, report, fingerprint, settings, dim, faiss_index, names, sizes)
        manifest["files"]["sha256"] = sums
        manifest["probe"] = [float(v) for v in probe]
        manifest["checksum"] = manifest_checksum(manifest)
        _atomic_write_json(root / MANIFEST, manifest)
    except OSError as exc:  # disk full, read-only folder...: the previous index stays as it was
        _remove_generation(root, gen)
        raise IndexError_(f"cannot write the index in {root}: {exc.strerror or exc}") from None
    except BaseException:
        _remove_generation(root, gen)
        raise
    _collect_garbage(root, keep=gen)
    return BuildReport(
        docs=len(docs),
        chunks=len(keys),
        encoded=len(todo),
        seconds=time.perf_counter() - t0,
        faiss=describe_faiss(faiss_index)["type"],
        skipped=report.skipped,
        ignored=report.ignored,
    )


def _sha_or_empty(path: Path) -> str:
    """SHA-256 of a regular file; "" for anything else (a FIFO would block) or unreadable."""
    try:
        return _sha256_file(path) if stat.S_ISREG(path.stat().st_mode) else ""
    except OSError:
        return ""


def _manifest(corpus: Path, docs: list[Document], chunked, report: ReadReport, fingerprint, settings, dim, faiss_index, names, sizes) -> dict:
    doc_rows = np.bincount(chunked.chunks[:, 0], minlength=len(docs)) if len(chunked.chunks) else np.zeros(len(docs), int)
    return {
        "format": FORMAT,
        "qa_version": __version__,
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "model": settings.model,
        "dim": int(dim),
        "chunking": settings.chunking.as_dict(),
        "max_file_mb": settings.max_file_mb,
        "faiss": describe_faiss(faiss_index),
        "boilerplate": sorted(report.boilerplate),
        "counts": {"docs": len(docs), "chunks": int(len(chunked.chunks)), "sentences": int(len(chunked.sentences))},
        "files": {**names, "sizes": sizes},
        "docs": [
            {
                "path": d.path,
                "sha256": d.sha256,
                "size": fingerprint.get(d.path, (0, 0))[0],
                "mtime_ns": fingerprint.get(d.path, (0, 0))[1],
                "encoding": d.encoding,
                "title": d.title,
                "chunks": int(doc_rows[i]),
            }
            for i, d in enumerate(docs)
        ],
        "skipped": [
            {
                "path": rel,
                "reason": reason,
                "size": fingerprint.get(rel, (0, 0))[0],
                "mtime_ns": fingerprint.get(rel, (0, 0))[1],
                "sha256": _sha_or_empty(corpus / rel),
            }
            for rel, reason in report.skipped
        ],
    }


_GENERATION = re.compile(r"(?:index|vectors|keys|chunks|sentences|bm25)\.(\d{8}T\d{6}-[0-9a-f]{6})(?:\.npy|\.faiss)?")
_MANIFEST_TMP = re.compile(re.escape(f".{MANIFEST}.") + r"\d+\.tmp")


def _generation_of(name: str) -> str | None:
    """The build a file of the index belongs to, or None for any name a build does not write
    (so a user's ``index.html`` next to the index is never taken for one and removed)."""
    m = _GENERATION.fullmatch(name)
    return m.group(1) if m else None


def _remove_generation(root: Path, gen: str) -> None:
    for path in root.iterdir():
        if _generation_of(path.name) == gen:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)


def _collect_garbage(root: Path, keep: str) -> None:
    """Remove files of other generations: left by older builds or by killed ones."""
    for path in root.iterdir():
        gen = _generation_of(path.name)
        if gen is not None and gen != keep:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        elif _MANIFEST_TMP.fullmatch(path.name):
            path.unlink(missing_ok=True)
