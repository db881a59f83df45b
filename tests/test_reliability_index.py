"""Issue 5, the index: damage, pickles, killed and concurrent builds, mixed models, write errors.

Every case ends in a correct answer or in one clear line naming the index and `qa index`.
In-process tests use the fake encoder; the few that need a second process run the shipped
CLI through ``tests/fake_cli.py`` (same CLI, fake encoder), never the real model.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from qa import cli, repl, store
from qa.api import Assistant
from qa.chunk import ChunkSettings
from qa.errors import IndexBusyError, IndexError_
from qa.store import load_index, manifest_checksum

from .conftest import CORPUS, FakeEncoder

REPO = Path(__file__).resolve().parents[1]
Q = "How many trafficking cases were reported between 2011 and 2012?"
HINT = "run `qa index` to rebuild it"


# ---------------------------------------------------------------- helpers

def make_assistant(root: Path, encoder=None, **kw) -> Assistant:
    encoder = encoder or FakeEncoder()
    return Assistant(corpus=root / "corpus", index_dir=root / "index", model=encoder.name, encoder=encoder, **kw)


def result_of(answer) -> tuple:
    """What must not change between two correct answers to the same question."""
    cite = answer.citations[0] if answer.citations else None
    return answer.answer, answer.abstained, (cite.file, cite.start_line, cite.end_line) if cite else None


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A corpus copy with an index built by the fake encoder, and the reference answer to Q."""
    root = tmp_path_factory.mktemp("built")
    shutil.copytree(CORPUS, root / "corpus")
    qa = make_assistant(root)
    qa.ensure_index()
    ref = result_of(qa.ask(Q))
    assert "187" in ref[0] and ref[2][0].endswith("000_ecb5d314c7355d2f.txt")
    return root, ref


@pytest.fixture
def work(built, tmp_path):
    """A private copy of ``built`` (copy2 keeps mtimes, so the copy is fresh, not stale)."""
    src, _ = built
    dest = tmp_path / "w"
    shutil.copytree(src, dest, symlinks=True)
    return dest


def reference(built) -> tuple:
    return built[1]


def generations(index_dir: Path) -> set[str]:
    return {g for g in (store._generation_of(p.name) for p in index_dir.iterdir()) if g}


def data_file(index_dir: Path, role: str) -> Path:
    """The file playing ``role`` (e.g. ``chunks``, ``bm25/params.index.json``) in the index."""
    files = json.loads((index_dir / "manifest.json").read_text())["files"]
    if role == "manifest.json":
        return index_dir / role
    if role.startswith("bm25/"):
        return index_dir / files["bm25"] / role.split("/", 1)[1]
    return index_dir / files[role]


def fake_cli(**env_extra):
    """A CliRunner and an `_assistant` whose encoder follows --model: fake-N means N dims."""

    def make(corpus, index_dir, model, chunk_words, max_file_mb):
        enc = FakeEncoder()
        if model.startswith("fake-") and model[5:].isdigit():
            enc = FakeEncoder(dim=int(model[5:]))
            enc.name = model
        return Assistant(corpus=corpus, index_dir=index_dir, model=enc.name, encoder=enc,
                         chunking=ChunkSettings(words=chunk_words), max_file_mb=max_file_mb)

    return make


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.setattr(cli, "_assistant", fake_cli())
    return CliRunner()


def ask_cli(runner, root: Path, *extra):
    return runner.invoke(cli.app, ["ask", Q, "--json", "--corpus", str(root / "corpus"), "--index-dir", str(root / "index"), *extra])


def one_error_line(result) -> str:
    """The CLI failed with exactly one `error: ...` line and no traceback; returns it."""
    assert result.exit_code == 1, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert "Traceback" not in result.output and len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def spawn(*args, **env_extra) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO), **{k: str(v) for k, v in env_extra.items()}}
    return subprocess.Popen([sys.executable, "-m", "tests.fake_cli", *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(path: Path, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"process ended before {path.name}: {proc.communicate()}")
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.02)


# ---------------------------------------------------------------- damaged files

ROLES = ["manifest.json", "faiss", "vectors", "keys", "chunks", "sentences",
         "bm25/params.index.json", "bm25/vocab.index.json", "bm25/data.csc.index.npy",
         "bm25/indices.csc.index.npy", "bm25/indptr.csc.index.npy"]
DAMAGE = ["truncated", "emptied", "deleted", "garbage", "garbage-same-size", "one-byte-flipped"]
NOT_READ_TO_ANSWER = {"vectors", "keys"}  # read only by the next build, which checks them itself


def damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    rng = np.random.default_rng(len(data))
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "emptied":
        path.write_bytes(b"")
    elif how == "deleted":
        path.unlink()
    elif how == "garbage":
        path.write_bytes(rng.bytes(333))
    elif how == "garbage-same-size":
        path.write_bytes(rng.bytes(len(data)))
    else:  # a single bit-level change deep inside the data, the header left intact
        i = len(data) * 3 // 4
        path.write_bytes(data[:i] + bytes([data[i] ^ 0x10]) + data[i + 1:])


@pytest.mark.parametrize("how", DAMAGE)
@pytest.mark.parametrize("role", ROLES)
def test_damaged_index_file_is_a_clear_error_then_a_rebuild_answers(work, built, runner, role, how):
    index_dir = work / "index"
    damage(data_file(index_dir, role), how)
    same_size = how in ("garbage-same-size", "one-byte-flipped")
    if role in NOT_READ_TO_ANSWER and same_size:
        load_index(index_dir)  # the answering index is whole; the build cache is checked below
    else:
        with pytest.raises(IndexError_) as info:
            load_index(index_dir)
        message = str(info.value)
        assert message.startswith(f"no index in {index_dir}:" if role == "manifest.json" and how == "deleted"
                                  else f"index in {index_dir} is damaged (")
        assert message.endswith(HINT)
        assert "\n" not in message

    result = ask_cli(runner, work)
    assert result.exit_code == 0, result.output
    if not (role in NOT_READ_TO_ANSWER and same_size):
        assert "rebuilding the index: " in result.stderr
    data = json.loads(result.stdout)
    cite = data["citations"][0]
    assert (data["answer"], data["abstained"], (Path(cite["file"]).name, cite["start_line"], cite["end_line"])) == \
        (reference(built)[0], reference(built)[1], (Path(reference(built)[2][0]).name, *reference(built)[2][1:]))
    load_index(index_dir)  # whole again

    # the next build never reuses a damaged vector cache
    enc = FakeEncoder()
    report = make_assistant(work, enc).build()
    if role in NOT_READ_TO_ANSWER and same_size:
        assert report.encoded == report.chunks


@pytest.mark.parametrize("how", ["deleted", "garbage", "a-folder"])
def test_the_lock_file_holds_no_data_so_damaging_it_changes_nothing(work, built, how):
    lock = work / "index" / ".lock"
    lock.unlink(missing_ok=True)
    if how == "garbage":
        lock.write_bytes(b"\x00garbage" * 100)
    elif how == "a-folder":  # cannot be locked at all: a clear error, the index still answers
        lock.mkdir()
        with pytest.raises(IndexError_, match=rf"^cannot write the index in {work / 'index'}: "):
            make_assistant(work).build()
        assert_previous_index_answers(work, built)
        return
    assert_previous_index_answers(work, built)
    make_assistant(work).build()
    assert_previous_index_answers(work, built)


def test_a_damaged_index_without_a_corpus_is_a_clear_error(work, runner):
    damage(data_file(work / "index", "chunks"), "one-byte-flipped")
    shutil.rmtree(work / "corpus")
    line = one_error_line(ask_cli(runner, work))
    assert line == f"error: corpus folder not found: {work / 'corpus'} (pass --corpus DIR)"


def test_library_reports_damage_without_rebuilding(work):
    """`Assistant.index` (no ensure_index) never answers from a damaged index."""
    damage(data_file(work / "index", "sentences"), "one-byte-flipped")
    qa = make_assistant(work)
    with pytest.raises(IndexError_, match=r"sentences\.[^ ]+\.npy does not match its checksum\): run `qa index`"):
        qa.ask(Q)


def resign(index_dir: Path, edit) -> None:
    """Rewrite the manifest as a careful forger would: edited, then sizes/sums/checksum redone."""
    path = index_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    replaced = edit(manifest)
    if replaced is not None:  # not even an object: nothing to re-sign
        path.write_text(json.dumps(replaced))
        return
    for name in manifest["files"]["sizes"]:
        f = index_dir / name
        if f.is_file():
            manifest["files"]["sizes"][name] = f.stat().st_size
            manifest["files"]["sha256"][name] = store._sha256_file(f)
    manifest["checksum"] = manifest_checksum(manifest)
    path.write_text(json.dumps(manifest))


BAD_MANIFESTS = {
    "not-an-object": lambda m: [m],
    "docs-not-records": lambda m: m.update(docs=[1, 2, 3, 4, 5]),
    "dim-as-text": lambda m: m.update(dim="64"),
    "file-outside-the-index": lambda m: m["files"].update(faiss="../../../../etc/passwd"),
    "absolute-file": lambda m: m["files"].update(chunks="/dev/zero"),
    "release-outside-the-corpus": lambda m: m["docs"][0].update(path="../../etc/shadow"),
    "counts-negative": lambda m: m["counts"].update(chunks=-1),
}


@pytest.mark.parametrize("edit", list(BAD_MANIFESTS), ids=list(BAD_MANIFESTS))
def test_a_doctored_manifest_is_refused_before_anything_is_read(work, runner, edit):
    resign(work / "index", BAD_MANIFESTS[edit])
    with pytest.raises(IndexError_, match=rf"^index in {work / 'index'} is damaged \(manifest\.json: .+\): {HINT}$"):
        load_index(work / "index")
    result = ask_cli(runner, work)
    assert result.exit_code == 0 and "rebuilding the index: index in" in result.stderr


def test_a_manifest_edited_without_resigning_fails_its_checksum(work):
    path = work / "index" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["docs"][0]["title"] = "Something else entirely"
    path.write_text(json.dumps(manifest))
    with pytest.raises(IndexError_, match=r"manifest\.json: checksum does not match its content"):
        load_index(work / "index")


# ---------------------------------------------------------------- pickles

class Bomb:
    """Unpickling this creates the marker file: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_the_bomb_would_go_off_if_pickles_were_loaded(tmp_path):
    """Sanity check of the test below: the doctored file does run code under allow_pickle=True."""
    marker = tmp_path / "pwned"
    np.save(tmp_path / "x.npy", np.array([Bomb(marker)], dtype=object), allow_pickle=True)
    np.load(tmp_path / "x.npy", allow_pickle=True)
    assert marker.exists()


NPY_ROLES = ["vectors", "keys", "chunks", "sentences", "bm25/data.csc.index.npy",
             "bm25/indices.csc.index.npy", "bm25/indptr.csc.index.npy"]


@pytest.mark.parametrize("role", NPY_ROLES)
def test_a_pickled_array_planted_in_the_index_never_runs(work, built, runner, role, tmp_path):
    marker = tmp_path / "pwned"
    target = data_file(work / "index", role)
    with open(target, "wb") as fh:  # NumPy pickles object arrays inside the .npy
        np.save(fh, np.array([Bomb(marker)], dtype=object), allow_pickle=True)
    resign(work / "index", lambda m: None)  # the forger also fixed sizes, sums and checksum

    if role in NOT_READ_TO_ANSWER:
        load_index(work / "index")
        report = make_assistant(work).build()  # the build cache is where these are read
        assert report.encoded == report.chunks  # refused, so everything was embedded afresh
    else:
        with pytest.raises(IndexError_, match=rf"^index in {work / 'index'} is damaged \(.*allow_pickle=False.*\): {HINT}$"):
            load_index(work / "index")
        result = ask_cli(runner, work)
        assert result.exit_code == 0 and json.loads(result.stdout)["answer"] == reference(built)[0]
    assert not marker.exists()


def test_the_index_directory_holds_no_pickle_anywhere(work):
    for path in (p for p in (work / "index").rglob("*") if p.is_file()):
        data = path.read_bytes()
        assert not data.startswith(b"\x80"), path  # every pickle protocol >= 2 starts so
        if path.suffix == ".npy":
            assert np.load(path, allow_pickle=False).dtype != object
        elif path.suffix == ".json":
            json.loads(data)
        else:
            assert path.suffix == ".faiss" or path.name == ".lock", path


# ---------------------------------------------------------------- killed builds

def snapshot(index_dir: Path) -> dict[str, bytes]:
    return {p.relative_to(index_dir).as_posix(): p.read_bytes() for p in index_dir.rglob("*") if p.is_file() and p.name != ".lock"}


def assert_previous_index_answers(work: Path, built) -> None:
    qa = make_assistant(work)
    assert qa.why_rebuild() is None
    assert result_of(qa.ask(Q))[:2] == reference(built)[:2]
    assert qa._index.manifest["files"] == json.loads((work / "index" / "manifest.json").read_text())["files"]


def test_sigkill_mid_embedding_leaves_the_previous_index_intact(work, built, tmp_path):
    before = snapshot(work / "index")
    mark = tmp_path / "embedding"
    proc = spawn("index", "--corpus", str(work / "corpus"), "--index-dir", str(work / "index"),
                 QA_TEST_SLOW_ENCODE=30, QA_TEST_MARK=mark)
    wait_for(mark, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(work / "index") == before
    assert_previous_index_answers(work, built)


def test_sigkill_mid_write_leaves_the_previous_index_intact_and_debris_is_collected(work, built, tmp_path):
    manifest = (work / "index" / "manifest.json").read_bytes()
    (old_gen,) = generations(work / "index")
    mark = tmp_path / "writing"
    proc = spawn("index", "--corpus", str(work / "corpus"), "--index-dir", str(work / "index"),
                 QA_TEST_SLOW_WRITE=30, QA_TEST_MARK=mark)
    wait_for(mark, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert len(generations(work / "index")) == 2  # killed mid-write: a half generation lies there
    assert (work / "index" / "manifest.json").read_bytes() == manifest
    assert_previous_index_answers(work, built)
    make_assistant(work).build()  # the next build sweeps the debris
    assert len(generations(work / "index")) == 1 and old_gen not in generations(work / "index")


class Interrupting(FakeEncoder):
    def encode(self, texts, progress=None):
        if texts != [store.PROBE_TEXT]:  # the chunks, not the probe
            raise KeyboardInterrupt
        return super().encode(texts, progress)


def test_ctrl_c_mid_embedding_leaves_the_previous_index_and_frees_the_lock(work, built, runner, monkeypatch):
    (work / "corpus" / "005_new.txt").write_text("A new release: the shelter in Loja opened in 2013.\n", encoding="utf-8")
    before = snapshot(work / "index")
    with pytest.raises(KeyboardInterrupt):
        make_assistant(work, Interrupting()).build()
    assert snapshot(work / "index") == before
    store.build_index(work / "corpus", work / "index", FakeEncoder(), store.BuildSettings(FakeEncoder.name), lock_timeout=0.5)

    # and through the CLI: one word, exit status 130, no traceback
    (work / "corpus" / "006_new.txt").write_text("Another release about Quito.\n", encoding="utf-8")
    before = snapshot(work / "index")
    monkeypatch.setattr(cli, "_assistant", lambda c, i, m, w, mb: Assistant(corpus=c, index_dir=i, model=FakeEncoder.name, encoder=Interrupting()))
    result = runner.invoke(cli.app, ["index", "--corpus", str(work / "corpus"), "--index-dir", str(work / "index")])
    assert result.exit_code == 130 and result.stderr.strip() == "interrupted" and "Traceback" not in result.output
    assert snapshot(work / "index") == before


def test_ctrl_c_while_writing_removes_the_half_written_generation(work, built, monkeypatch):
    before = snapshot(work / "index")

    def interrupted(path, data):
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "_atomic_write_json", interrupted)
    with pytest.raises(KeyboardInterrupt):
        make_assistant(work).build()
    assert snapshot(work / "index") == before
    assert_previous_index_answers(work, built)


# ---------------------------------------------------------------- write errors

def test_disk_full_is_a_clear_error_and_keeps_the_previous_index(work, built, runner, monkeypatch):
    before = snapshot(work / "index")
    calls = []

    def full(path, arr):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        store.np.save(path, arr)

    monkeypatch.setattr(store, "_save_npy", full)
    result = runner.invoke(cli.app, ["index", "--corpus", str(work / "corpus"), "--index-dir", str(work / "index")])
    assert one_error_line(result) == f"error: cannot write the index in {work / 'index'}: No space left on device"
    assert snapshot(work / "index") == before
    assert_previous_index_answers(work, built)


def test_an_index_dir_that_is_a_file_is_a_clear_error(work, runner):
    target = work / "not-a-folder"
    target.write_text("x")
    result = runner.invoke(cli.app, ["ask", Q, "--corpus", str(work / "corpus"), "--index-dir", str(target)])
    assert one_error_line(result) == f"error: cannot write the index in {target}: it is not a folder (pass --index-dir DIR)"


def test_a_build_removes_only_files_it_wrote(work, runner):
    """A user's ``index.html`` or ``keys.txt`` beside the index is not an old build's file."""
    mine = {"index.html": "x", "keys.txt": "x", "bm25.notes": "x", "index.d/conf": "x", "vectors.2026.npy": "x"}
    for name, body in mine.items():
        (work / "index" / name).parent.mkdir(exist_ok=True)
        (work / "index" / name).write_text(body)
    old = {p.name for p in (work / "index").iterdir() if store._generation_of(p.name)}
    assert len(old) == 6
    result = runner.invoke(cli.app, ["index", "--corpus", str(work / "corpus"), "--index-dir", str(work / "index")])
    assert result.exit_code == 0, result.output
    assert all((work / "index" / name).read_text() == "x" for name in mine)
    now = {p.name for p in (work / "index").iterdir() if store._generation_of(p.name)}
    assert len(now) == 6 and not now & old  # the previous build's files went, and only they


@pytest.mark.parametrize("case", ["other-files", "foreign-manifest", "the-corpus"])
def test_a_folder_that_is_not_an_index_is_refused_and_left_alone(work, runner, case):
    target = {"other-files": work / "docs", "foreign-manifest": work / "app", "the-corpus": work / "corpus"}[case]
    target.mkdir(exist_ok=True)
    if case == "other-files":
        (target / "notes.txt").write_text("mine")
    if case == "foreign-manifest":
        (target / "manifest.json").write_text('{"name": "my app", "icons": []}')
    before = snapshot(target)
    result = runner.invoke(cli.app, ["index", "--corpus", str(work / "corpus"), "--index-dir", str(target)])
    expected = {
        "other-files": f"error: {target} holds other files (notes.txt, …) and no qa index: pass a new or empty folder as --index-dir",
        "foreign-manifest": f"error: {target / 'manifest.json'} is not a qa index's manifest: pass a new or empty folder as --index-dir",
        "the-corpus": f"error: the index cannot be written into the corpus folder {target} itself (pass another --index-dir)",
    }[case]
    assert one_error_line(result) == expected
    assert snapshot(target) == before


@pytest.mark.parametrize("option", ["--corpus", "--index-dir"])
def test_an_empty_folder_name_is_refused_not_taken_for_the_working_folder(work, runner, option, monkeypatch):
    monkeypatch.chdir(work)
    args = {"--corpus": str(work / "corpus"), "--index-dir": str(work / "index"), option: ""}
    result = runner.invoke(cli.app, ["ask", Q, *[x for kv in args.items() for x in kv]])
    name = "corpus" if option == "--corpus" else "index"
    assert one_error_line(result) == f"error: the {name} folder is an empty name (pass {option} DIR)"


# ---------------------------------------------------------------- concurrency

def test_busy_lock_is_a_clear_error_after_the_timeout(work):
    from filelock import FileLock

    with FileLock(str(work / "index" / ".lock")):
        t0 = time.monotonic()
        with pytest.raises(IndexBusyError) as info:
            store.build_index(work / "corpus", work / "index", FakeEncoder(), store.BuildSettings(FakeEncoder.name), lock_timeout=0.3)
    assert 0.3 <= time.monotonic() - t0 < 5
    assert str(info.value) == f"another qa process is rebuilding the index in {work / 'index'}; waited 0.3s (try again)"


def test_concurrent_qa_index_runs_wait_their_turn_and_leave_one_complete_index(work, built, tmp_path):
    """Three `qa index` runs queue on the lock (held by the test until all three wait for it)."""
    from filelock import FileLock

    args = ["--corpus", str(work / "corpus"), "--index-dir", str(work / "index")]
    waiting = [tmp_path / f"waiting-{i}" for i in range(3)]
    with FileLock(str(work / "index" / ".lock")):
        procs = [spawn("index", *args, QA_TEST_WAITING=waiting[0]), spawn("index", *args, QA_TEST_WAITING=waiting[1]),
                 spawn("index", "--if-stale", *args, QA_TEST_WAITING=waiting[2])]
        for mark, proc in zip(waiting, procs):
            wait_for(mark, proc)
        time.sleep(0.2)
        assert all(p.poll() is None for p in procs)  # all three are waiting, none gave up
    outs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outs
    assert outs[0][0].startswith("indexed 5 releases") and outs[1][0].startswith("indexed 5 releases")
    assert outs[2][0].strip() == f"index in {work / 'index'} is up to date"
    assert all(err.strip() == "" for _, err in outs), outs
    manifest = json.loads((work / "index" / "manifest.json").read_text())
    assert generations(work / "index") == {store._generation_of(manifest["files"]["faiss"])}
    assert not [p for p in (work / "index").iterdir() if p.name.endswith(".tmp")]
    assert_previous_index_answers(work, built)


def test_readers_never_see_a_mixed_index_while_builds_swap_generations(work):
    errors, seen = [], set()
    done = threading.Event()

    def builder():
        try:
            for _ in range(8):
                store.build_index(work / "corpus", work / "index", FakeEncoder(), store.BuildSettings(FakeEncoder.name))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=builder)
    thread.start()
    while not done.is_set():
        index = load_index(work / "index")
        seen.add(index.manifest["files"]["faiss"])
        assert index.faiss_index.ntotal == len(index.chunks) == index.manifest["counts"]["chunks"]
        assert index.bm25.scores["num_docs"] == len(index.chunks)
    thread.join()
    assert not errors and len(seen) >= 2


def run_repl_while(proc: subprocess.Popen, qa: Assistant, question: str):
    """Ask ``question`` in the REPL (JSON mode) every 50 ms while ``proc`` runs, then twice more."""
    during = []

    def lines():
        while proc.poll() is None:
            during.append(time.monotonic())
            yield question
            time.sleep(0.05)
        yield question
        yield question

    out, err = __import__("io").StringIO(), __import__("io").StringIO()
    from rich.console import Console

    status = repl.run(qa, Console(file=out, width=200), Console(file=err, width=200), as_json=True,
                      lines=lines(), prepare=qa.ensure_index)
    return status, [json.loads(ln) for ln in out.getvalue().splitlines()], err.getvalue(), during


def test_repl_keeps_answering_the_same_during_a_rebuild_then_uses_the_new_index(work, built, tmp_path):
    qa = make_assistant(work)
    qa.ensure_index()
    old_files = qa.index.manifest["files"]
    mark = tmp_path / "building"
    proc = spawn("index", "--corpus", str(work / "corpus"), "--index-dir", str(work / "index"),
                 QA_TEST_SLOW_ENCODE=0.4, QA_TEST_MARK=mark)
    wait_for(mark, proc)
    status, answers, err, during = run_repl_while(proc, qa, Q)
    assert proc.returncode == 0 and status == 0 and err == ""
    assert len(during) >= 3  # it answered while the other process was rebuilding
    assert {(a["answer"], a["citations"][0]["start_line"]) for a in answers} == {(reference(built)[0], reference(built)[2][1])}
    new_files = json.loads((work / "index" / "manifest.json").read_text())["files"]
    assert new_files != old_files and qa.index.manifest["files"] == new_files


def test_repl_waits_for_a_rebuild_of_a_changed_corpus_instead_of_racing_it(work, tmp_path):
    target = work / "corpus" / "002_e94c97eefc7796c6.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\nThe helpline number is 1800-TRATA.\n", encoding="utf-8")
    qa = make_assistant(work)
    mark = tmp_path / "building"
    proc = spawn("index", "--corpus", str(work / "corpus"), "--index-dir", str(work / "index"),
                 QA_TEST_SLOW_ENCODE=0.4, QA_TEST_MARK=mark)
    wait_for(mark, proc)
    status, answers, err, _ = run_repl_while(proc, qa, "What is the helpline number?")
    assert proc.returncode == 0 and status == 0 and err == ""
    assert answers and all("1800-TRATA" in " ".join(p["text"] for p in a["passages"]) for a in answers)
    assert qa.last_build is None  # it found the other process's fresh index: no second build


# ---------------------------------------------------------------- another model, dimension or chunking

def test_another_model_name_rebuilds_and_never_reuses_vectors(work, runner):
    result = ask_cli(runner, work, "--model", "fake-32")
    assert result.exit_code == 0, result.output
    assert "rebuilding the index: it was built with model 'fake-bow-64', not 'fake-32'" in result.stderr
    index = load_index(work / "index")
    assert index.manifest["dim"] == 32 and index.faiss_index.d == 32 and index.manifest["model"] == "fake-32"


def test_same_model_name_with_another_dimension_is_a_clear_error_until_reindexed(work, runner, monkeypatch):
    def make(corpus, index_dir, model, chunk_words, max_file_mb):
        return Assistant(corpus=corpus, index_dir=index_dir, model=FakeEncoder.name, encoder=FakeEncoder(dim=48))

    monkeypatch.setattr(cli, "_assistant", make)
    line = one_error_line(ask_cli(runner, work))
    assert line == (f"error: index in {work / 'index'} holds 64-dimensional vectors but model 'fake-bow-64' "
                    f"gives 48-dimensional ones: {HINT}")
    result = runner.invoke(cli.app, ["index", "--json", "--corpus", str(work / "corpus"), "--index-dir", str(work / "index")])
    assert result.exit_code == 0 and json.loads(result.stdout)["embedded"] == json.loads(result.stdout)["chunks"]
    assert ask_cli(runner, work).exit_code == 0


class Retrained(FakeEncoder):
    """Same name, same dimension, other weights: what a model updated in place looks like."""

    def encode(self, texts, progress=None):
        return super().encode([f"{t} retrained" for t in texts], progress)


def test_same_model_name_with_other_weights_never_mixes_vectors(work, built):
    qa = make_assistant(work, Retrained())
    assert qa.why_rebuild() is None  # nothing on paper tells them apart...
    with pytest.raises(IndexError_, match=rf"^index in {work / 'index'} was built by another version of model 'fake-bow-64' \(its vectors differ from the model's now\): {HINT}$"):
        qa.ask(Q)  # ...but the probe vector does
    report = qa.build()
    assert report.encoded == report.chunks  # not one old vector reused
    assert qa.ask(Q).passages


def test_other_chunking_settings_rebuild(work, runner):
    result = ask_cli(runner, work, "--chunk-words", "40")
    assert result.exit_code == 0 and "rebuilding the index: it was built with other chunking settings" in result.stderr
    assert load_index(work / "index").manifest["chunking"] == {"words": 40, "overlap": 1}
