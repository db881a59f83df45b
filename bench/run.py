"""`make bench`: speed and memory of `qa` on this machine; prints a table, writes bench/results.json.

A benchmark, never a test: nothing here asserts a time. Sections (``--only`` picks some):

cold         `qa --help` wall time (and which heavy modules it imports: none may be torch),
             then one-shot `qa ask` processes on the shipped corpus.
build        a generated corpus of ``--releases`` releases (~10 chunks each): the whole
             `qa index` process against raw ``model.encode`` of the same chunk texts in a
             second process (same model, dtype and batch size); peak RSS of each (wait4).
warm         answers in-process as the REPL gives them (``Assistant.ask``) over that index,
             real vectors: total, question encode, search (FAISS and BM25 apart) and
             extraction (and the spaCy parsing inside it), p50 / p95 over the eval questions.
incremental  one release of that corpus gains a paragraph; seconds until the warm assistant
             has rebuilt (only that release re-embedded) and answers the new fact, with the
             time of each library step; then the same as a fresh `qa index` process.
scale        ``--scale-chunks`` chunks of generated releases, built in a process of its own
             (peak memory, with the real model loaded); warm answers over it; recall@10 of
             the FAISS index the store chose against exact search.
faiss        FAISS alone at ``--faiss-vectors`` vectors: ``store.make_faiss_index`` build time,
             recall@10 against exact search and one-query latency.

Generated releases are made of the shipped releases' own sentences: each keeps a shipped
title, some shipped sentences and, opening every paragraph, a splice of two shipped
sentences (half of one joined to half of another); places, people and numbers are
replaced consistently within a release. Paragraphs are one line each: wrapped lines of
recombined sentences repeat across releases, and the cleaner blanks such runs as navigation.

Vectors at scale are synthetic, because embedding 100k chunks takes 30+ minutes here:
``--base-sentences`` real sentences (shipped ones with other places and numbers, and
splices) are embedded once by the real model (cached in bench/work/), and every chunk
vector is a random convex mixture (Dirichlet weights) of 2 or 3 of them plus Gaussian
noise (``NOISE`` per dimension), normalised. A chunk's embedding lies near the mean of its
sentences', so this keeps the clustered geometry that decides IVF recall; the results
record nearest-neighbour similarities of real questions on both real and synthetic vectors
so the two can be compared. Queries for recall are the 75 real eval questions (embedded by
the model) and held-out mixtures. The 1M-vector part measures FAISS only; the warm answer
"at 1M" is composed from the 100k answer with its FAISS search replaced by the 1M one.

This machine is shared: each section records how many cores other processes used while
it ran, from /proc/stat; figures taken under load are slower than the machine can do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
QA = str(BIN / "qa")
HEAVY = ("torch", "sentence_transformers", "transformers", "faiss", "spacy", "bm25s", "numpy")

# ---------------------------------------------------------------- synthetic releases

# Places, people and numbers are swapped in the shipped sentences so that every generated
# release (and so every chunk) is distinct text while reading like the shipped ones.
PLACES = """Ecuador Quito Guayaquil Portoviejo Chile Colombia Venezuela Guamote Colta Cuenca Peru Lima
Bolivia La_Paz Brazil Manaus Argentina Rosario Mexico Oaxaca Guatemala Honduras Haiti Panama Kenya
Nairobi Ethiopia Somalia Sudan Niger Mali Chad Libya Tunisia Egypt Jordan Lebanon Iraq Yemen Turkey
Greece Italy Malta Spain Morocco Senegal Ghana Nigeria Cameroon Uganda Rwanda Zambia Malawi
Mozambique Angola Namibia Pakistan Afghanistan Bangladesh Nepal Myanmar Thailand Cambodia Laos
Viet_Nam Indonesia Timor-Leste Philippines Mindanao Fiji Ukraine Moldova Georgia Armenia
Kyrgyzstan Tajikistan Mongolia Sri_Lanka Maldives Djibouti Eritrea Burundi Liberia Sierra_Leone
Guinea Benin Togo Gambia Mauritania Costa_Rica Nicaragua El_Salvador Dominican_Republic Jamaica
Cuba Paraguay Uruguay Belize Suriname Guyana Tanzania Zanzibar Madagascar Comoros""".split()
PLACES = [p.replace("_", " ") for p in PLACES]
FIRST = "Ana Jaime Rogelio Maria Jose Carmen Luis Sofia Ahmed Fatima Amina Omar Nadia Pedro Lucia Samuel Grace Ibrahim Leila Tomas".split()
LAST = "Paredes Guzman Bernal Lopez Garcia Mendoza Torres Haddad Okafor Mensah Diallo Rahman Silva Costa Novak Petrov Kamau Nguyen Santos Rivera".split()
_DIGITS = re.compile(r"\d+")


def sentence_pool(corpus: Path) -> dict:
    """The shipped releases cut into titles, body sentences and footer lines (the seed of every corpus)."""
    from qa.chunk import split_sentences
    from qa.corpus import read_corpus

    docs, _ = read_corpus(corpus)
    titles, body, names = [], [], set()
    for doc in docs:
        sents = [" ".join(doc.clean[s:e].split()) for s, e in split_sentences(doc.clean)]
        titles.append(doc.title)
        for s in sents:
            if s == doc.title or len(s.split()) < 6:
                continue  # titles and the contact block (short lines) are handled apart
            body.append(s)
        names.update(re.findall(r"\b(?:Jaime Paredes|Ana Guzmán|Rogelio Bernal)\b", doc.text))
    places = [p for p in PLACES if any(p in s for s in body + titles)]
    return {"titles": titles, "body": body, "places_seen": places}


class Varier:
    """Rewrites shipped sentences: other places, people and numbers, consistently within one release."""

    def __init__(self, pool: dict, rng: random.Random) -> None:
        self.pool = pool
        self.rng = rng
        self.seen = pool["places_seen"]
        self._place_re = re.compile(r"\b(" + "|".join(map(re.escape, sorted(self.seen, key=len, reverse=True))) + r")\b")

    def new_release(self) -> None:
        self.mapping = {p: self.rng.choice(PLACES) for p in self.seen}

    def _number(self, m: re.Match) -> str:
        s = m.group()
        if len(s) == 4 and s[:2] in ("19", "20"):
            return str(self.rng.randint(1995, 2025))
        lo = 10 ** (len(s) - 1) if len(s) > 1 else 1
        return str(self.rng.randint(lo, 10 ** len(s) - 1))

    def vary(self, sentence: str) -> str:
        out = self._place_re.sub(lambda m: self.mapping[m.group()], sentence)
        return _DIGITS.sub(self._number, out)

    def splice(self) -> str:
        """Half of one shipped sentence joined to half of another: new content, same vocabulary."""
        a, b = self.rng.sample(self.pool["body"], 2)
        wa, wb = a.split(), b.split()
        cut_a = self.rng.randint(3, max(3, len(wa) - 2))
        cut_b = self.rng.randint(1, max(1, len(wb) - 3))
        return self.vary(" ".join(wa[:cut_a] + wb[cut_b:]))


def make_release(varier: Varier, rng: random.Random, sentences: int) -> str:
    varier.new_release()
    title = varier.vary(rng.choice(varier.pool["titles"]))
    lines = [title, ""]
    picked = [varier.vary(s) for s in rng.sample(varier.pool["body"], min(sentences, len(varier.pool["body"])))]
    i = 0
    while i < len(picked):
        # One line per paragraph, opening with a spliced sentence: wrapped lines of recombined
        # sentences would repeat across releases, and the cleaner rightly blanks runs of
        # repeated lines as site navigation.
        n = rng.randint(1, 2)
        lines.append(" ".join([varier.splice()] + picked[i : i + n]))
        lines.append("")
        i += n
    who = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    lines += ["For more information, please contact", who, "IOM " + varier.mapping.get("Ecuador", "Ecuador"),
              f"Tel: +{rng.randint(100, 999)} {rng.randint(1, 9)} {rng.randint(1000000, 9999999)}", "Email:", ""]
    return "\n".join(lines)


def make_corpus(root: Path, pool: dict, releases: int, seed: int = 0, sentences: tuple[int, int] = (7, 10)) -> Path:
    """Write ``releases`` generated releases under ``root`` (nested 100 per folder); idempotent per seed."""
    stamp = root / ".generated"
    key = f"{releases}:{seed}:{sentences}:{len(pool['body'])}"
    if stamp.exists() and stamp.read_text() == key:
        return root
    import shutil

    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(seed)
    varier = Varier(pool, rng)
    for i in range(releases):
        folder = root / f"{i // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"release_{i:06d}.txt").write_text(make_release(varier, rng, rng.randint(*sentences)), encoding="utf-8")
    stamp.write_text(key)
    return root


# ---------------------------------------------------------------- measuring helpers

def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=float), q)) if values else float("nan")


def summary_ms(values: list[float]) -> dict:
    return {"p50": round(pct(values, 50), 2), "p95": round(pct(values, 95), 2), "n": len(values)}


def run_child(cmd: list[str], env: dict | None = None) -> dict:
    """Run a command to completion: wall time, exit code and output."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, cwd=REPO, env={**os.environ, **(env or {})})
    return {"wall_s": time.perf_counter() - t0, "code": proc.returncode,
            "stdout": proc.stdout.decode(errors="replace"), "stderr": proc.stderr.decode(errors="replace")}


def popen_measured(cmd: list[str], env: dict | None = None) -> dict:
    """Like run_child, but reaps the child with wait4 so its own peak RSS is known."""
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=REPO, env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {"wall_s": wall, "code": proc.returncode, "stdout": out.read().decode(errors="replace"),
                "stderr": err.read().decode(errors="replace"), "maxrss_mb": usage.ru_maxrss / 1024,
                "cpu_s": usage.ru_utime + usage.ru_stime}


def checked(res: dict, what: str) -> dict:
    if res["code"] != 0:
        raise SystemExit(f"{what} failed (exit {res['code']}):\n{res['stderr'][-3000:]}")
    return res


class Contention:
    """CPU time other processes used while a section ran, in cores (this machine is shared).

    From /proc/stat (all busy time) minus this process and its reaped children.
    """

    def __init__(self) -> None:
        self.t0, self.busy0, self.own0 = self._sample()

    @staticmethod
    def _sample() -> tuple[float, float, float]:
        try:
            with open("/proc/stat") as fh:
                f = [int(x) for x in fh.readline().split()[1:]]
            busy = (sum(f[:8]) - f[3] - f[4]) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            busy = float("nan")
        import resource

        own = sum(getattr(resource.getrusage(w), a) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) for a in ("ru_utime", "ru_stime"))
        return time.perf_counter(), busy, own

    def others(self) -> float:
        t1, busy1, own1 = self._sample()
        wall = max(t1 - self.t0, 1e-9)
        return round(max(0.0, (busy1 - self.busy0) - (own1 - self.own0)) / wall, 2)


class TimedEncoder:
    """Wraps an encoder and records how long each ``encode`` call took (ms) and for how many texts."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.calls: list[tuple[int, float]] = []

    @property
    def dim(self) -> int:
        return self.inner.dim

    def encode(self, texts, progress=None):
        t0 = time.perf_counter()
        out = self.inner.encode(texts, progress=progress)
        self.calls.append((len(texts), (time.perf_counter() - t0) * 1000))
        return out


class Phases:
    """Times named functions of the library by wrapping them in their modules (restored on exit)."""

    def __init__(self, targets: list[tuple[object, str]]) -> None:
        self.targets = [(m, n) for m, n in targets if hasattr(m, n)]
        self.ms: dict[str, float] = {}
        self._saved: list[tuple[object, str, object]] = []

    def __enter__(self) -> "Phases":
        for module, name in self.targets:
            fn = getattr(module, name)
            self._saved.append((module, name, fn))

            def wrapper(*a, _fn=fn, _name=name, **kw):
                t0 = time.perf_counter()
                try:
                    return _fn(*a, **kw)
                finally:
                    self.ms[_name] = self.ms.get(_name, 0.0) + (time.perf_counter() - t0) * 1000

            setattr(module, name, wrapper)
        return self

    def __exit__(self, *exc) -> None:
        for module, name, fn in self._saved:
            setattr(module, name, fn)


def questions() -> list[str]:
    return [json.loads(line)["question"] for line in (REPO / "eval" / "questions.jsonl").read_text().splitlines() if line.strip()]


def count_chunks(index_dir: Path) -> int:
    return int(json.loads((index_dir / "manifest.json").read_text())["counts"]["chunks"])


# ---------------------------------------------------------------- synthetic vectors

def base_sentences(pool: dict, n: int, seed: int = 7) -> list[str]:
    """``n`` distinct real-looking sentences: shipped ones with other places and numbers, and splices."""
    rng = random.Random(seed)
    varier = Varier(pool, rng)
    out: list[str] = list(dict.fromkeys(pool["body"] + pool["titles"]))
    seen = set(out)
    while len(out) < n:
        varier.new_release()
        s = varier.vary(rng.choice(pool["body"])) if rng.random() < 0.4 else varier.splice()
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out[:n]


def base_vectors(encoder, pool: dict, n: int, work: Path) -> tuple[np.ndarray, float]:
    """The real model's vectors of ``n`` sentences, cached in bench/work (seconds spent embedding)."""
    texts = base_sentences(pool, n)
    key = hashlib.sha256(json.dumps([encoder.name, getattr(encoder, "dtype", None), texts]).encode()).hexdigest()[:16]
    path = work / f"base-vectors-{key}.npy"
    if path.exists():
        return np.load(path), 0.0
    t0 = time.perf_counter()
    vecs = encoder.encode(texts)
    seconds = time.perf_counter() - t0
    np.save(path, vecs)
    return vecs, seconds


NOISE = 0.02  # per dimension, before normalising: see mixture_vectors


def mixture_vectors(base: np.ndarray, n: int, seed: int, noise: float = NOISE, block: int = 100_000) -> np.ndarray:
    """``n`` unit vectors, each a random convex mixture of 2-3 real sentence vectors plus noise.

    A chunk's embedding sits near the mean of its sentences' embeddings, so mixtures of
    real sentence vectors keep the clustered geometry of text (which decides IVF recall);
    Gaussian noise (``noise`` per dimension, about 0.4 in norm against ~0.8 for the
    mixture) keeps any two from coinciding.
    """
    rng = np.random.default_rng(seed)
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    for s in range(0, n, block):
        m = min(block, n - s)
        idx = rng.integers(0, len(base), size=(m, 3))
        w = rng.dirichlet(np.ones(3), size=m).astype(np.float32)
        w[rng.random(m) < 0.5, 2] = 0.0  # half of them mix only two sentences
        v = np.einsum("mk,mkd->md", w, base[idx])
        v += rng.standard_normal(v.shape, dtype=np.float32) * noise
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        out[s : s + m] = v
    return out


class SyntheticEncoder:
    """Stands in for the model when building the 100k index: mixture vectors, made as asked for."""

    def __init__(self, base: np.ndarray, seed: int, name: str, real: dict[str, np.ndarray]) -> None:
        self.base, self.seed, self.name, self.calls = base, seed, name, 0
        self.real = real  # texts that get the model's own vector (the store's model probe)

    @property
    def dim(self) -> int:
        return int(self.base.shape[1])

    def encode(self, texts, progress=None):
        self.calls += 1
        out = mixture_vectors(self.base, len(texts), seed=self.seed * 1000 + self.calls)
        for i, text in enumerate(texts):
            if text in self.real:
                out[i] = self.real[text]
        if progress:
            progress(len(texts))
        return out


def neighbour_stats(xb: np.ndarray, xq: np.ndarray, k: int = 10) -> dict:
    import faiss

    sims, _ = faiss.knn(np.ascontiguousarray(xq, dtype=np.float32), xb, k, metric=faiss.METRIC_INNER_PRODUCT)
    return {"top1_cos": round(float(np.mean(sims[:, 0])), 3), "top10_cos": round(float(np.mean(sims[:, k - 1])), 3)}


def ann_quality(index, xb: np.ndarray, xq: np.ndarray, k: int = 10, search_k: int = 50, timed: int = 300) -> dict:
    """recall@k of ``index`` against exact search, and its one-query-at-a-time latency."""
    import faiss

    faiss.omp_set_num_threads(os.cpu_count() or 1)
    _, truth = faiss.knn(xq, xb, k, metric=faiss.METRIC_INNER_PRODUCT)
    _, got = index.search(xq, k)
    recall = float(np.mean([len(set(t) & set(g)) / k for t, g in zip(truth.tolist(), got.tolist())]))
    faiss.omp_set_num_threads(1)  # how retrieve.py searches: one query, one thread
    lat = []
    for q in xq[:timed]:
        t0 = time.perf_counter()
        index.search(q[None, :], search_k)
        lat.append((time.perf_counter() - t0) * 1000)
    exact = []
    for q in xq[:20]:
        t0 = time.perf_counter()
        faiss.knn(q[None, :], xb, search_k, metric=faiss.METRIC_INNER_PRODUCT)
        exact.append((time.perf_counter() - t0) * 1000)
    return {"recall@10": round(recall, 4), "search_ms": summary_ms(lat), "exact_ms": summary_ms(exact), "queries": int(len(xq))}


# ---------------------------------------------------------------- sections

def env_info(encoder) -> dict:
    cpu = ""
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        mem = int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))) / 1024 / 1024
    except (OSError, StopIteration):
        mem = float("nan")
    from importlib.metadata import version

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "cpu": cpu, "cores": os.cpu_count(), "mem_gib": round(mem, 1), "python": sys.version.split()[0],
        "torch": version("torch"), "faiss": version("faiss-cpu"), "sentence_transformers": version("sentence-transformers"),
        "commit": commit, "embed_dtype": getattr(encoder, "dtype", None), "loadavg_start": os.getloadavg(),
    }


HELP_PROBE = """
import contextlib, io, json, sys
from qa.cli import main
sys.argv = ["qa", "--help"]
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main()
    except SystemExit:
        pass
print(json.dumps(sorted(m for m in %r if m in sys.modules)))
"""


def cold_start(work: Path, runs: int) -> dict:
    helps = [checked(run_child([QA, "--help"]), "qa --help")["wall_s"] for _ in range(runs)]
    probe = checked(run_child([sys.executable, "-c", HELP_PROBE % (HEAVY,)]), "import probe")
    heavy = json.loads(probe["stdout"].strip().splitlines()[-1])
    imp = run_child([sys.executable, "-X", "importtime", "-c", "import qa.cli"])
    cli_us = [int(l.split("|")[1]) for l in imp["stderr"].splitlines() if l.strip().endswith("| qa.cli")]
    index_dir = work / "shipped-index"
    checked(run_child([QA, "index", "--corpus", "corpus", "--index-dir", str(index_dir), "--json"]), "qa index (shipped)")
    asks = []
    for q in questions()[: max(3, runs // 2)]:
        res = checked(popen_measured([QA, "ask", q, "--corpus", "corpus", "--index-dir", str(index_dir), "--json"]), "qa ask")
        answer = json.loads(res["stdout"])
        asks.append({"wall_s": res["wall_s"], "maxrss_mb": res["maxrss_mb"], **{f"{k}_ms": v for k, v in answer.get("timings_ms", {}).items()}})
    return {
        "help_s": {"median": round(statistics.median(helps), 3), "min": round(min(helps), 3), "runs": len(helps)},
        "help_heavy_modules": heavy,
        "help_torch_free": not any(m in heavy for m in ("torch", "sentence_transformers", "transformers", "faiss", "spacy")),
        "import_qa_cli_ms": round(cli_us[0] / 1000, 1) if cli_us else None,
        "ask_s": {"median": round(statistics.median(a["wall_s"] for a in asks), 2), "min": round(min(a["wall_s"] for a in asks), 2), "runs": len(asks)},
        "ask_inside_ms": {"retrieve": statistics.median(a.get("retrieve_ms", 0) for a in asks), "answer": statistics.median(a.get("answer_ms", 0) for a in asks)},
        "ask_maxrss_mb": round(max(a["maxrss_mb"] for a in asks)),
    }


def build_throughput(corpus: Path, index_dir: Path) -> dict:
    """The whole `qa index` (a fresh process, as users run it) against raw model.encode of the same chunks."""
    shutil.rmtree(index_dir, ignore_errors=True)
    res = checked(popen_measured([QA, "index", "--corpus", str(corpus), "--index-dir", str(index_dir), "--json"]), "qa index")
    report = json.loads(res["stdout"])
    raw = checked(popen_measured([sys.executable, __file__, "--_worker", "raw-encode", "--_args", json.dumps({"corpus": str(corpus)})]), "raw encode")
    raw_out = json.loads(raw["stdout"].strip().splitlines()[-1])
    chunks = report["chunks"]
    return {
        "chunks": chunks, "releases": report["releases"], "faiss": report["faiss"],
        "qa_index_wall_s": round(res["wall_s"], 2), "qa_index_library_s": report["seconds"],
        "qa_index_chunks_per_s": round(chunks / res["wall_s"], 1),
        "raw_encode_s": round(raw_out["seconds"], 2), "raw_chunks_per_s": round(chunks / raw_out["seconds"], 1),
        "ratio": round(raw_out["seconds"] / res["wall_s"], 3),
        "ratio_library": round(raw_out["seconds"] / report["seconds"], 3),
        # CPU seconds are less swayed by other processes than wall time (this machine is shared)
        "qa_index_cpu_s": round(res["cpu_s"], 1), "raw_encode_cpu_s": round(raw_out["cpu_s"], 1),
        "ratio_cpu": round(raw_out["cpu_s"] / res["cpu_s"], 3),
        "peak_rss_mb": round(res["maxrss_mb"]), "raw_encode_rss_mb": round(raw["maxrss_mb"]),
        "dtype": raw_out["dtype"], "batch_size": raw_out["batch_size"],
    }


def worker_raw_encode(args: dict) -> None:
    from qa.chunk import ChunkSettings, chunk_corpus
    from qa.corpus import read_corpus
    from qa.embed import BATCH_SIZE, SentenceTransformerEncoder, set_offline

    set_offline()
    docs, _ = read_corpus(args["corpus"])
    texts = chunk_corpus(docs, ChunkSettings()).texts
    enc = SentenceTransformerEncoder()
    enc.embed(texts[:BATCH_SIZE])  # first-call set-up
    t0, c0 = time.perf_counter(), time.process_time()
    enc.embed(texts)
    print(json.dumps({"seconds": time.perf_counter() - t0, "cpu_s": time.process_time() - c0, "n": len(texts), "dtype": enc.dtype, "batch_size": BATCH_SIZE}))


def warm_latency(corpus: Path, index_dir: Path, encoder, qs: list[str], passes: int) -> dict:
    """In-process answers as the REPL gives them, split into encode / search / reading / the rest."""
    from qa.api import Assistant
    from qa.reader import SpanReader
    from qa.retrieve import CANDIDATES, bm25_scores, dense_search

    timed = TimedEncoder(encoder)
    reader = TimedReader(SpanReader())
    a = Assistant(corpus=corpus, index_dir=index_dir, encoder=timed, reader=reader)
    a.ensure_index()
    a.warm()
    index = a.index
    for q in qs[:5]:
        a.ask(q)
    stages: dict[str, list[float]] = {k: [] for k in ("total", "encode", "search", "extraction", "reader", "faiss", "bm25")}
    for _ in range(passes):
        for q in qs:
            timed.calls.clear()
            reader.ms = 0.0
            ans = a.ask(q)
            t = ans.timings_ms
            enc_ms = timed.calls[0][1] if timed.calls and timed.calls[0][0] == 1 else 0.0
            stages["total"].append(t["total"])
            stages["encode"].append(enc_ms)
            stages["search"].append(t["retrieve"] - enc_ms)
            stages["extraction"].append(t["answer"])
            stages["reader"].append(reader.ms)
            v = encoder.encode([q])[0]
            t0 = time.perf_counter()
            dense_search(index, v, CANDIDATES)
            t1 = time.perf_counter()
            bm25_scores(index, q)
            t2 = time.perf_counter()
            stages["faiss"].append((t1 - t0) * 1000)
            stages["bm25"].append((t2 - t1) * 1000)
    xb = np.load(Path(index_dir) / index.manifest["files"]["vectors"])
    return {"chunks": int(len(index.chunks)), "faiss": index.manifest.get("faiss"), **{k: summary_ms(v) for k, v in stages.items()},
            "neighbours_real_questions": neighbour_stats(xb, encoder.encode(qs))}


class TimedReader:
    """The span reader, timed: how much of extraction is the model reading passages."""

    def __init__(self, reader) -> None:
        self.reader, self.ms = reader, 0.0

    def read(self, question, passages, sentence_starts=None):
        t0 = time.perf_counter()
        try:
            return self.reader.read(question, passages, sentence_starts)
        finally:
            self.ms += (time.perf_counter() - t0) * 1000


FACT = "The new counter-trafficking hotline in {city} received {n} calls from {place} during {year}."
FACT_Q = "How many calls did the counter-trafficking hotline in {city} receive from {place} during {year}?"


def incremental(corpus: Path, index_dir: Path, encoder, trials: int) -> dict:
    """One release changed in the corpus: seconds until the warm assistant answers from the new text."""
    import qa.api as api
    import qa.store as store
    from qa.api import Assistant

    timed = TimedEncoder(encoder)
    a = Assistant(corpus=corpus, index_dir=index_dir, encoder=timed)
    a.ensure_index()
    a.warm()
    a.ask(questions()[0])
    files = sorted(corpus.rglob("*.txt"))
    rng = random.Random(11)
    runs = []
    targets = [(store, n) for n in ("corpus_fingerprint", "read_corpus", "chunk_corpus", "text_keys", "encoder_probe", "_previous_vectors",
                                           "make_faiss_index", "build_bm25", "_save_npy", "_sha256_file", "_atomic_write_json", "_collect_garbage", "_check_files")]
    targets += [(api, n) for n in ("stale_reason", "load_index", "build_index")]
    for trial in range(trials):
        path = files[rng.randrange(len(files))]
        fact = dict(city=rng.choice(PLACES), place=rng.choice(PLACES), year=rng.randint(2000, 2025), n=rng.randint(1000, 9999))
        text = path.read_text(encoding="utf-8")
        paras = text.split("\n\n")
        paras.insert(2, FACT.format(**fact))  # a new paragraph after the first one
        timed.calls.clear()
        with Phases(targets) as ph:
            t0 = time.perf_counter()
            path.write_text("\n\n".join(paras), encoding="utf-8")
            a.ensure_index()
            ans = a.ask(FACT_Q.format(**fact))
            seconds = time.perf_counter() - t0
        cited = [c.file for c in ans.citations] + [p.file for p in ans.passages[:1]]
        build = a.last_build
        ms = {k: round(v) for k, v in ph.ms.items()}
        ms["model (all encode calls)"] = round(sum(c[1] for c in timed.calls))
        runs.append({"seconds": round(seconds, 3), "embedded": build.encoded if build else None, "chunks": build.chunks if build else None,
                     "answer": ans.answer, "expected": str(fact["n"]), "cites_changed_file": any(path.name in c for c in cited),
                     "phases_ms": ms})
    # the same, as a fresh `qa index` process after one more change (includes start-up and model load)
    path = files[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n" + FACT.format(city="Quito", place="Lima", year=2024, n=4321) + "\n", encoding="utf-8")
    cli = checked(popen_measured([QA, "index", "--corpus", str(corpus), "--index-dir", str(index_dir), "--json"]), "qa index (incremental)")
    rep = json.loads(cli["stdout"])
    return {"releases": len(files), "runs": runs, "seconds_median": round(statistics.median(r["seconds"] for r in runs), 3),
            "cli_index_wall_s": round(cli["wall_s"], 2), "cli_index_library_s": rep["seconds"], "cli_embedded": rep["embedded"]}


def worker_synthetic_build(args: dict) -> None:
    """Build the 100k index in a process of its own (for its peak memory): the real model is loaded,
    the chunk vectors come from the mixture generator."""
    from qa.embed import DEFAULT_MODEL, SentenceTransformerEncoder, set_offline
    from qa.store import BuildSettings, build_index

    import qa.store as store

    set_offline()
    real = SentenceTransformerEncoder()
    real.encode(["load the model so its memory counts"])
    probe = getattr(store, "PROBE_TEXT", None)
    known = {probe: real.encode([probe])[0]} if probe else {}
    base = np.load(args["base"])
    t0 = time.perf_counter()
    report = build_index(args["corpus"], args["index"], SyntheticEncoder(base, args["seed"], DEFAULT_MODEL, known), BuildSettings(DEFAULT_MODEL))
    print(json.dumps({"seconds": time.perf_counter() - t0, "chunks": report.chunks, "docs": report.docs, "faiss": report.faiss}))


def scale_corpus(pool: dict, work: Path, chunks_target: int, chunks_per_release: float, base_path: Path, encoder, qs, passes, base) -> dict:
    import faiss

    releases = max(1, math.ceil(chunks_target / chunks_per_release))
    corpus = make_corpus(work / f"corpus-{releases}", pool, releases, seed=2)
    index_dir = work / f"index-{releases}"
    shutil.rmtree(index_dir, ignore_errors=True)
    res = checked(popen_measured([sys.executable, __file__, "--_worker", "synthetic-build", "--_args",
                                  json.dumps({"corpus": str(corpus), "index": str(index_dir), "base": str(base_path), "seed": 3})]), "synthetic build")
    built = json.loads(res["stdout"].strip().splitlines()[-1])
    manifest = json.loads((index_dir / "manifest.json").read_text())
    latency = warm_latency(corpus, index_dir, encoder, qs, passes)
    xb = np.load(index_dir / manifest["files"]["vectors"])
    index = faiss.read_index(str(index_dir / manifest["files"]["faiss"]))
    xq_syn = mixture_vectors(base, 500, seed=99)
    xq_real = encoder.encode(qs)
    return {
        "releases": releases, "chunks": built["chunks"], "build_s": round(built["seconds"], 1), "build_wall_s": round(res["wall_s"], 1),
        "build_peak_rss_mb": round(res["maxrss_mb"]), "manifest_faiss": manifest["faiss"],
        "latency": latency,
        "ann_synthetic_queries": ann_quality(index, xb, xq_syn),
        "ann_real_questions": ann_quality(index, xb, xq_real),
        "neighbours": {"synthetic_queries": neighbour_stats(xb, xq_syn[:200]), "real_questions": neighbour_stats(xb, xq_real)},
    }


def faiss_scale(base: np.ndarray, n: int, encoder, qs) -> dict:
    """FAISS alone at ``n`` vectors: the index store.make_faiss_index chooses, its build, recall and latency."""
    import faiss

    from qa.store import describe_faiss, make_faiss_index

    t0 = time.perf_counter()
    xb = mixture_vectors(base, n, seed=5)
    gen_s = time.perf_counter() - t0
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    t0 = time.perf_counter()
    index = make_faiss_index(xb)
    build_s = time.perf_counter() - t0
    xq_syn = mixture_vectors(base, 1000, seed=98)
    xq_real = encoder.encode(qs)
    out = {
        "vectors": n, "generate_s": round(gen_s, 1), "build_s": round(build_s, 1), "index": describe_faiss(index),
        "ann_synthetic_queries": ann_quality(index, xb, xq_syn),
        "ann_real_questions": ann_quality(index, xb, xq_real),
        "neighbours": {"synthetic_queries": neighbour_stats(xb, xq_syn[:200]), "real_questions": neighbour_stats(xb, xq_real)},
    }
    del index, xb
    return out


# ---------------------------------------------------------------- report

def targets(r: dict) -> list[dict]:
    out = []

    def add(name, value, limit, unit, ok, note=""):
        out.append({"target": name, "value": value, "limit": limit, "unit": unit, "met": bool(ok), "note": note})

    lat10 = r.get("warm_10k")
    if lat10:
        v = lat10["total"]["p50"]
        add(f"warm answer p50 at {lat10['chunks']:,} chunks", v, 25, "ms", v <= 25)
    if r.get("scale") and r.get("faiss_1m"):
        lat = r["scale"]["latency"]
        one = r["faiss_1m"]["ann_real_questions"]["search_ms"]["p50"]
        v = round(lat["total"]["p50"] - lat["faiss"]["p50"] + one, 2)
        add(f"warm answer p50 at {r['faiss_1m']['vectors']:,} vectors (composed)", v, 40, "ms", v <= 40,
            f"{r['scale']['chunks']:,}-chunk answer p50 with its FAISS search swapped for the {r['faiss_1m']['vectors']:,}-vector one")
    b = r.get("build")
    if b:
        add("`qa index` throughput / raw model.encode", round(100 * b["ratio"], 1), 90, "%", b["ratio"] >= 0.9,
            f"{b['qa_index_chunks_per_s']} vs {b['raw_chunks_per_s']} chunks/s on {b['chunks']:,} chunks (wall); "
            f"by CPU seconds {round(100 * b.get('ratio_cpu', float('nan')), 1)}%")
    inc = r.get("incremental")
    if inc:
        v = inc["seconds_median"]
        add(f"one release changed in {inc['releases']:,} → answerable", v, 2, "s", v <= 2)
    c = r.get("cold")
    if c:
        v = c["help_s"]["median"]
        add("`qa --help`", v, 0.3, "s", v <= 0.3 and c["help_torch_free"], "imports: " + (", ".join(c["help_heavy_modules"]) or "none of the heavy ones"))
    recalls = []
    for key in ("scale", "faiss_1m"):
        sec = r.get(key)
        if sec:
            kind = (sec.get("manifest_faiss") or sec.get("index") or {}).get("type")
            n = sec.get("chunks") or sec.get("vectors")
            recalls.append((n, kind, min(sec["ann_real_questions"]["recall@10"], sec["ann_synthetic_queries"]["recall@10"])))
    if recalls:
        ok = all(kind != "FlatIP" and rec >= 0.98 for n, kind, rec in recalls if n > 50_000)
        add("approximate index above 50k, recall@10", min(rec for _, _, rec in recalls), 0.98, "", ok,
            "; ".join(f"{n:,}: {kind} {rec}" for n, kind, rec in recalls))
    s = r.get("scale")
    if s:
        v = s["build_peak_rss_mb"]
        add(f"peak memory, {s['chunks']:,}-chunk build", v, 2048, "MB", v <= 2048, "vectors from the mixture generator, model loaded")
    return out


def show(r: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    e = r["env"]
    t = Table(title=f"qa bench — {e['date'][:10]}, {e['cpu']}, {e['cores']} cores, {e['mem_gib']} GiB, embed {e['embed_dtype']}")
    t.add_column("measure")
    t.add_column("value", justify="right")
    t.add_column("target", justify="right")
    t.add_column("", justify="center")
    for row in r["targets"]:
        t.add_row(row["target"], f"{row['value']} {row['unit']}", f"{row['limit']} {row['unit']}", "[green]met[/green]" if row["met"] else "[red]missed[/red]")
    console.print(t)
    d = Table(title="details (p50 / p95 ms unless stated)")
    d.add_column("measure")
    d.add_column("value", justify="right")
    for name, value in detail_rows(r):
        d.add_row(name, value)
    console.print(d)


def markdown(r: dict) -> str:
    """The tables again, as Markdown for the README."""
    e = r["env"]
    lines = [f"Measured {e['date'][:10]} on {e['cores']}-core {e['cpu']} ({e['mem_gib']} GiB), embedding in {e['embed_dtype']}, "
             f"`make bench` wall time {r.get('wall_s', 0) / 60:.1f} min; other processes used "
             f"{min(r['contention'].values(), default=0)}-{max(r['contention'].values(), default=0)} of the 2 cores meanwhile.", "",
             "| target | measured | limit | |", "|---|---:|---:|---|"]
    for row in r["targets"]:
        lines.append(f"| {row['target']} | {row['value']} {row['unit']} | {row['limit']} {row['unit']} | {'met' if row['met'] else '**missed**'} |")
    lines += ["", "| detail (p50 / p95 ms unless stated) | value |", "|---|---:|"]
    lines += [f"| {name} | {value} |" for name, value in detail_rows(r)]
    return "\n".join(lines) + "\n"


def detail_rows(r: dict) -> list[tuple[str, str]]:
    rows = []
    c = r.get("cold")
    if c:
        rows.append(("`qa --help` wall (median / min)", f"{c['help_s']['median']} / {c['help_s']['min']} s"))
        rows.append(("one-shot `qa ask` on corpus/ (median)", f"{c['ask_s']['median']} s, peak {c['ask_maxrss_mb']} MB"))
    for key, label in (("warm_10k", "warm"), ("scale_latency", "warm")):
        lat = r.get(key) if key == "warm_10k" else (r.get("scale") or {}).get("latency")
        if lat:
            n = f"{lat['chunks']:,} chunks"
            for stage in ("total", "encode", "search", "faiss", "bm25", "extraction", "reader"):
                rows.append((f"{label} {stage} @ {n}", f"{lat[stage]['p50']} / {lat[stage]['p95']}"))
    if r.get("warm_10k", {}).get("neighbours_real_questions"):
        n = r["warm_10k"]["neighbours_real_questions"]
        rows.append((f"real questions on real vectors @ {r['warm_10k']['chunks']:,}: top-1 / top-10 cos", f"{n['top1_cos']} / {n['top10_cos']}"))
    for key in ("scale", "faiss_1m"):
        if r.get(key):
            n = r[key]["neighbours"]["real_questions"]
            size = r[key].get("chunks") or r[key].get("vectors")
            rows.append((f"real questions on synthetic vectors @ {size:,}: top-1 / top-10 cos", f"{n['top1_cos']} / {n['top10_cos']}"))
    b = r.get("build")
    if b:
        rows.append((f"`qa index` {b['chunks']:,} chunks (wall / library)", f"{b['qa_index_wall_s']} / {b['qa_index_library_s']:.1f} s, peak {b['peak_rss_mb']} MB"))
        rows.append(("raw model.encode, same chunks", f"{b['raw_encode_s']} s ({b['dtype']}, batch {b['batch_size']})"))
        if "ratio_cpu" in b:
            rows.append(("CPU seconds: `qa index` process / raw encode", f"{b['qa_index_cpu_s']} / {b['raw_encode_cpu_s']} ({100 * b['ratio_cpu']:.1f}%)"))
    inc = r.get("incremental")
    if inc:
        phases = inc["runs"][len(inc["runs"]) // 2]["phases_ms"]
        rows.append(("incremental runs (s)", ", ".join(str(x["seconds"]) for x in inc["runs"])))
        rows.append(("incremental phases (ms, one run)", ", ".join(f"{k} {v}" for k, v in phases.items())))
        rows.append(("`qa index` process after one change", f"{inc['cli_index_wall_s']} s wall, {inc['cli_index_library_s']:.2f} s in the library"))
    for key in ("scale", "faiss_1m"):
        s = r.get(key)
        if s:
            n = s.get("chunks") or s.get("vectors")
            kind = s.get("manifest_faiss") or s.get("index")
            rows.append((f"FAISS @ {n:,}: index", json.dumps(kind)))
            for q in ("ann_real_questions", "ann_synthetic_queries"):
                a = s[q]
                rows.append((f"FAISS @ {n:,} {q[4:]}: recall@10, search, exact", f"{a['recall@10']}, {a['search_ms']['p50']} / {a['search_ms']['p95']}, {a['exact_ms']['p50']}"))
            if "build_s" in s:
                rows.append((f"FAISS/index build @ {n:,}", f"{s['build_s']} s"))
    rows.append(("other processes' CPU during the run (cores, by section)", json.dumps(r.get("contention", {}))))
    rows.append(("bench wall time", f"{r.get('wall_s', 0):.0f} s"))
    return rows


# ---------------------------------------------------------------- main

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="a smoke run: small corpora (about a minute)")
    ap.add_argument("--releases", type=int, default=1000, help="releases in the build / warm / incremental corpus")
    ap.add_argument("--scale-chunks", type=int, default=100_000, help="chunks in the synthetic scale corpus")
    ap.add_argument("--faiss-vectors", type=int, default=1_000_000, help="vectors for the FAISS-alone part")
    ap.add_argument("--base-sentences", type=int, default=3000, help="real sentences embedded to make synthetic vectors")
    ap.add_argument("--passes", type=int, default=2, help="passes over the question set for warm latency")
    ap.add_argument("--trials", type=int, default=3, help="incremental rebuild trials")
    ap.add_argument("--only", default="", help="comma-separated sections: cold,build,warm,incremental,scale,faiss")
    ap.add_argument("--work", default=str(REPO / "bench" / "work"))
    ap.add_argument("--out", default=str(REPO / "bench" / "results.json"))
    ap.add_argument("--_worker", help=argparse.SUPPRESS)
    ap.add_argument("--_args", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args._worker:
        {"raw-encode": worker_raw_encode, "synthetic-build": worker_synthetic_build}[args._worker](json.loads(args._args))
        return
    if args.quick:
        args.releases, args.scale_chunks, args.faiss_vectors, args.base_sentences, args.passes, args.trials = 100, 20_000, 100_000, 1000, 1, 2
    only = set(filter(None, args.only.split(","))) or {"cold", "build", "warm", "incremental", "scale", "faiss"}
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QA_HOME", str(work / "qa-home"))

    from qa.embed import SentenceTransformerEncoder, set_offline

    set_offline()
    t_start = time.perf_counter()
    encoder = SentenceTransformerEncoder()
    encoder.encode(["load the model"])
    r: dict = {"env": env_info(encoder), "params": {k: v for k, v in vars(args).items() if not k.startswith("_")}, "contention": {}}
    qs = questions()
    pool = sentence_pool(REPO / "corpus")

    def section(name: str, key: str, fn):
        if name not in only:
            return None
        print(f"[bench] {name} …", file=sys.stderr, flush=True)
        c = Contention()
        t0 = time.perf_counter()
        out = fn()
        r["contention"][name] = c.others()
        r[key] = out
        Path(args.out).write_text(json.dumps(r, indent=1, ensure_ascii=False, default=str) + "\n")  # partial results
        print(f"[bench] {name} done in {time.perf_counter() - t0:.0f}s (other processes used {r['contention'][name]} cores)", file=sys.stderr, flush=True)
        return out

    r["cold"] = section("cold", "cold", lambda: cold_start(work, runs=7))
    corpus = work / f"corpus-{args.releases}"
    index_dir = work / f"index-{args.releases}"
    if {"build", "warm", "incremental"} & only:
        (corpus / ".generated").unlink(missing_ok=True)  # the incremental part edits it: start afresh
        make_corpus(corpus, pool, args.releases, seed=1)
        if "build" not in only and not (index_dir / "manifest.json").exists():
            only.add("build")
    r["build"] = section("build", "build", lambda: build_throughput(corpus, index_dir))
    r["warm_10k"] = section("warm", "warm_10k", lambda: warm_latency(corpus, index_dir, encoder, qs, args.passes))
    r["incremental"] = section("incremental", "incremental", lambda: incremental(corpus, index_dir, encoder, args.trials))
    if {"scale", "faiss"} & only:
        base, base_s = base_vectors(encoder, pool, args.base_sentences, work)
        base_path = work / "base-vectors.npy"
        np.save(base_path, base)
        r["base_vectors"] = {"sentences": int(len(base)), "embed_s": round(base_s, 1), "noise": NOISE}
        chunks_per_release = (r["build"]["chunks"] / r["build"]["releases"]) if r.get("build") else 10.0
        r["scale"] = section("scale", "scale", lambda: scale_corpus(pool, work, args.scale_chunks, chunks_per_release, base_path, encoder, qs, args.passes, base))
        r["faiss_1m"] = section("faiss", "faiss_1m", lambda: faiss_scale(base, args.faiss_vectors, encoder, qs))
    r = {k: v for k, v in r.items() if v is not None}
    r["env"]["loadavg_end"] = os.getloadavg()
    r["wall_s"] = round(time.perf_counter() - t_start, 1)
    r["targets"] = targets(r)
    Path(args.out).write_text(json.dumps(r, indent=1, ensure_ascii=False) + "\n")
    Path(args.out).with_suffix(".md").write_text(markdown(r))
    show(r)
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
