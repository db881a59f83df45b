"""The library API the CLI and the REPL are thin shells over.

    from qa.api import Assistant
    qa = Assistant(corpus="corpus", index_dir="embeddings")
    print(qa.ask("How many cases were reported between 2011 and 2012?").answer)
"""

from __future__ import annotations

import hashlib
import re
import time
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from .answer import contact_answer, elided, extract
from .chunk import ChunkSettings
from .constituent import parser
from .contact import find_contact
from .corpus import DEFAULT_MAX_FILE_MB, check_corpus_folder, clean, decode
from .embed import DEFAULT_MODEL, Encoder, SentenceTransformerEncoder
from .errors import CorpusError, IndexError_, QuestionError
from .reader import Reader, SpanReader
from .retrieve import Mode, term_idf
from .scope import retrieve_scoped
from .store import (
    BuildReport, BuildSettings, Index, build_index, check_encoder, check_index_dir, load_index, read_manifest, stale_reason,
)
from .types import Answer

MAX_QUESTION_CHARS = 2000  # longer input is cut: nothing past this helps retrieval or reading
NOT_ENGLISH = "this question does not look English, and qa's models read English only: ask it in English"
# Words nearly every English question holds, and the Spanish ones our users' questions would.
_ENGLISH_WORDS = frozenset(
    """the of in on to and or is are was were be been what which who whom whose when where why how did does do
    has have had by for with from that this these those it its there many much""".split())
_SPANISH_WORDS = frozenset(
    """qué que cuál cuáles cuánto cuánta cuántos cuántas dónde cuándo quién quiénes cómo por para el la los las
    del al de en y o un una unos unas es son fue fueron ser está están hay tiene tienen hace hacen puede pueden se su
    sus con sin lo le les este esta estos estas""".split())


def check_question(question: str) -> str:
    """The question as used: control characters dropped, whitespace collapsed, length bounded;
    one with no letter or digit is refused."""
    cleaned = "".join(c if c.isprintable() else " " for c in question)
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        raise QuestionError("the question is empty")
    if not any(c.isalnum() for c in cleaned):  # "???" would be answered from whatever ranks first
        raise QuestionError("the question has no words to look up")
    return cleaned[:MAX_QUESTION_CHARS]


def looks_english(question: str) -> bool:
    """Whether the question reads as English, which the embedding model and the reader were
    trained on. Our users work in Ecuador and may ask in Spanish; the reader then guesses:
    11 questions of our set asked in Spanish got 2 right answers, 6 wrong ones and 3
    abstentions, so ``ask`` abstains on them (the passages are still listed). Letters
    mostly outside the Latin script, or "¿" or two Spanish function words with no English
    one, are not English; a keyword query with no function word is."""
    letters = [c for c in question if c.isalpha()]
    if letters and sum(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in letters) < len(letters) / 2:
        return False
    words = re.findall(r"[^\W\d_]+", question.lower())
    if any(w in _ENGLISH_WORDS for w in words):
        return True
    return "¿" not in question and sum(w in _SPANISH_WORDS for w in words) < 2


@dataclass
class Assistant:
    """A corpus, its index and a model: ask questions, rebuild when the corpus changed."""

    corpus: Path | str = "corpus"
    index_dir: Path | str = "embeddings"
    model: str = DEFAULT_MODEL
    chunking: ChunkSettings = field(default_factory=ChunkSettings)
    max_file_mb: float = DEFAULT_MAX_FILE_MB
    encoder: Encoder | None = None
    reader: Reader | None = None
    display_root: str | None = None  # how citations spell the corpus folder (default: as given)
    _index: Index | None = field(default=None, init=False, repr=False)
    _texts: dict[int, str] = field(default_factory=dict, init=False, repr=False)
    _shown: dict[int, str] = field(default_factory=dict, init=False, repr=False)
    _checked: Index | None = field(default=None, init=False, repr=False)  # index known to fit the encoder
    last_build: BuildReport | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if not str(self.corpus).strip():  # Path("") is the working folder: never index that by accident
            raise CorpusError("the corpus folder is an empty name (pass --corpus DIR)")
        if not str(self.index_dir).strip():
            raise IndexError_("the index folder is an empty name (pass --index-dir DIR)")
        self.corpus = Path(self.corpus)
        self.index_dir = Path(self.index_dir)
        if self.encoder is None:
            self.encoder = SentenceTransformerEncoder(self.model)
        if self.reader is None:
            self.reader = SpanReader()
        if self.display_root is None:
            self.display_root = str(self.corpus)

    @property
    def settings(self) -> BuildSettings:
        return BuildSettings(self.model, self.chunking, self.max_file_mb)

    # ------------------------------------------------------------ index

    def build(self, progress: Callable[[int, int], None] | None = None, only_if_stale: bool = False) -> BuildReport | None:
        """(Re)build the index of the corpus; reuses vectors of unchanged chunks."""
        report = build_index(self.corpus, self.index_dir, self.encoder, self.settings, progress, only_if_stale=only_if_stale)
        self._index = None
        self._texts.clear()
        if report is not None:
            self.last_build = report
        return report

    def why_rebuild(self) -> str | None:
        """Why the index on disk cannot answer for this corpus and settings (None: it can)."""
        try:
            manifest = read_manifest(self.index_dir)
            reason = stale_reason(manifest, self.corpus, self.settings)
            if reason is None and self._index is None:  # fresh on paper: load it to be sure
                self._index = load_index(self.index_dir)
                self._texts.clear()
            return reason
        except IndexError_ as exc:
            return str(exc).split(": run")[0]

    def ensure_index(self, on_rebuild: Callable[[str], None] | None = None, progress=None) -> Index:
        """The loaded index, rebuilt first when missing, damaged, stale or built differently."""
        check_corpus_folder(self.corpus)  # answers quote the releases: no folder, no answers
        check_index_dir(self.index_dir)
        reason = self.why_rebuild()
        if reason is not None:
            if on_rebuild:
                on_rebuild(reason)
            self.build(progress, only_if_stale=True)
        elif self._index is not None and read_manifest(self.index_dir)["files"] == self._index.manifest["files"]:
            return self._index
        self._index = load_index(self.index_dir)
        self._texts.clear()
        return self._index

    @property
    def index(self) -> Index:
        if self._index is None:
            self._index = load_index(self.index_dir)
        return self._index

    def sources(self) -> list[dict]:
        """The indexed releases (path, title, chunks) as recorded in the manifest."""
        return self.index.docs

    # ------------------------------------------------------------ reading

    def doc_text(self, doc: int) -> str:
        """An indexed release as shown and quoted: the file's text with navigation and markup
        blanked exactly as when it was indexed (same offsets, same lines), verified by hash."""
        text = self._texts.get(doc)
        if text is None:
            entry = self.index.docs[doc]
            path = self.corpus / entry["path"]
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise IndexError_(f"{path} cannot be read ({exc.strerror}): the index is stale, run `qa index`") from None
            if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                raise IndexError_(f"{path} changed since the index was built: run `qa index`")
            raw = decode(data)[0]
            text, _ = clean(raw, set(self.index.manifest.get("boilerplate", ())), join_wraps=False)
            self._texts[doc], self._shown[doc] = text, elided(raw, text)
        return text

    def shown_text(self, doc: int) -> str:
        """``doc_text`` with "…" where the file's text was blanked, for quotes and passages
        (``answer.elided``): every word shown is in the cited lines, in that order."""
        self.doc_text(doc)
        return self._shown[doc]

    def doc_path(self, doc: int) -> str:
        root = self.display_root.rstrip("/")
        return f"{root}/{self.index.docs[doc]['path']}" if root not in ("", ".") else self.index.docs[doc]["path"]

    def warm(self) -> None:
        """Load the embedding model, the reader and the parser now, so the first answer is not the slow one."""
        if not getattr(self, "_warm", False):
            self.encoder.encode(["warm up"])  # the first forward pass pays one-off set-up costs
            self.reader.read("Warm up?", ["Warm up."])
            parser()("Warm up.")
            self._warm = True

    def ask(self, question: str, k: int = 5, mode: Mode = "hybrid") -> Answer:
        """Answer one question from the loaded index (call ``ensure_index`` first to rebuild)."""
        question = check_question(question)
        index = self.index
        self.warm()
        if self._checked is not index:  # never compare vectors of two different models
            check_encoder(index.manifest, self.encoder, self.index_dir)
            self._checked = index
        t0 = time.perf_counter()
        contact = find_contact(question, index, self.encoder, mode, max(k, 1), self.doc_text)
        t1 = time.perf_counter()
        if contact is not None:
            answer = contact_answer(question, contact, index.chunks, index.sentences, self.shown_text, self.doc_path)
        else:
            asked, found = retrieve_scoped(index, question, self.encoder, max(k, 1), mode, self.doc_text)
            t1 = time.perf_counter()
            answer = extract(asked, found.hits, index.chunks, index.sentences, self.doc_text, self.doc_path,
                             self.reader, mode, found.read, term_idf(index, asked), self.shown_text, self.encoder)
            answer.question = question
        if not looks_english(question):  # a guess: see looks_english
            answer = replace(answer, answer="", abstained=True, confidence=0.0, citations=[], highlight=None)
        t2 = time.perf_counter()
        answer.passages = answer.passages[:k]
        answer.timings_ms = {
            "retrieve": round((t1 - t0) * 1000, 2),
            "answer": round((t2 - t1) * 1000, 2),
            "total": round((t2 - t0) * 1000, 2),
        }
        return answer
