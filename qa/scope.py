"""A question that names its release ("..., according to the release on the new funding?",
"In 002_e94c97eefc7796c6.txt, ...") is answered from that release alone.

Our users' releases share their topic, so a question asked of one release ("Which years
does the programme cover in the release on the local agreements?") often matches a
sentence of another better than its own. The qualifier is cut from the question, the
release is found by retrieving on the qualifier's topic alone, and retrieval then ranks
only that release's chunks for the rest of the question.
"""

from __future__ import annotations

import re
from typing import Callable

from .embed import Encoder
from .phrase import content_words, stems
from .retrieve import Mode, Retrieval, retrieve
from .store import Index
from .types import Hit

MIN_SHARE = 0.5  # the release found must hold at least this share of the topic's words
# words that say where the topic is told, not what it is about
FILLER = frozenset(
    """a an the for about on of in with regarding concerning re to is are was be at from person persons people
    details information name release releases press announcement statement news story article listed
    reporters journalists media should can could do does""".split()
)

# what a release does with its content ("the release on X says ..."; not phrase.SAYS, a speaker's verbs): lower
# case, and no word that is also a noun of a topic ("the release on the annual report", "on the State Plan")
_RELEASE_VERBS = (r"(?-i:say|says|said|stated|mention|mentions|mentioned|describe|describes|described|tell|tells|told"
                  r"|write|writes|wrote|noted|give|gives)")
_NAMED = re.compile(
    r"[,;\s]*\b(?:(?:according\s+to|in|from|of|by|within|for|per)\s+)?the\s+(?:press\s+|news\s+)?"
    r"(?:release|announcement|statement)\s+(?:on|about|regarding|concerning|covering|announcing|describing|reporting)\s+"
    # the topic goes on over ", Colta and Cuenca" and stops before a verb the release is the subject of
    rf"(?P<topic>(?:(?!\s(?:{_RELEASE_VERBS})\b)(?:[^?,;]|,\s+(?=(?-i:[A-Z]))))+)"
    rf"(?P<says>(?=\s(?:{_RELEASE_VERBS})\b))?",
    re.I,
)


_FILE = re.compile(
    r"[,;\s]*\b(?P<prep>(?:according\s+to|in|from|of|within)\s+)?(?:the\s+)?(?:(?:press\s+)?(?:release|file|document)\s+)?"
    r"(?P<file>[\w][\w./\\-]*\.(?:txt|md))\b", re.I)


def named_file(question: str, paths: list[str]) -> tuple[str, int] | None:
    """(the question without the file it names, that file's index among ``paths``), for a
    question naming a release by its file ("In 002_e94c97eefc7796c6.txt, who ...?"), by
    its path or its name alone; None when it names no file the index holds."""
    m = _FILE.search(question)
    if not m:
        return None
    named = m.group("file").replace("\\", "/").lower()
    matches = [k for k, p in enumerate(paths)  # "corpus/a/x.txt" as shown, "a/x.txt" as indexed, or "x.txt"
               if named == p.lower() or named.endswith("/" + p.lower()) or p.lower().rsplit("/", 1)[-1] == named]
    if len(matches) != 1:
        return None
    middle = "" if m.group("prep") or not m.start() else " the release"  # "What does the release x.txt say?"
    rest = (question[: m.start()] + middle + question[m.end():]).strip(" ,;")
    return (_with_mark(rest, question), matches[0]) if re.search(r"\w", rest) else None


def _with_mark(rest: str, question: str) -> str:
    """``rest`` ending in a question mark if ``question`` did."""
    if not rest.endswith("?") and question.rstrip().endswith("?"):
        return rest.rstrip(" ,;") + "?"
    return rest


def split_qualifier(question: str) -> tuple[str, str] | None:
    """(the question without its qualifier, the topic naming the release), or None when the
    question names no release ("What does the release call ...?" names none). When the
    release is what says it ("What does the release on the National Plan say about the
    data?"), the topic ends at the verb and the question keeps "the release" as its subject."""
    m = _NAMED.search(question)
    if not m:
        return None
    subject = " the release" if m.group("says") is not None else ""  # "What does the release on X say about Y?"
    rest = (question[: m.start()] + subject + question[m.end():]).strip(" ,;")
    if not re.search(r"\w", rest):
        return None
    return _with_mark(rest, question), m.group("topic").strip()


def topic_words(topic: str) -> set[str]:
    """The topic's content words, stemmed, without the words that only point at a release."""
    return stems(" ".join(w for w in content_words(topic) if w not in FILLER))


def topic_share(topic: str, text: str) -> float:
    """The share of the topic's words that a release holds."""
    terms = topic_words(topic)
    return len(terms & stems(text)) / len(terms) if terms else 0.0


def find_release(index: Index, topic: str, encoder: Encoder | None, mode: Mode, k: int,
                 doc_text: Callable[[int], str]) -> tuple[int | None, list[Hit], float]:
    """The release a topic names, retrieval's best if it holds at least half the topic's
    words (else None: no release is about that), the ``k`` passages found for the topic,
    and the share of the topic's words that best release holds."""
    hits = retrieve(index, topic, encoder, k=k, mode=mode).hits
    if not hits:
        return None, hits, 0.0
    doc = int(index.chunks[hits[0].chunk, 0])
    share = topic_share(topic, doc_text(doc))
    return (doc if share >= MIN_SHARE else None), hits, share


def retrieve_scoped(index: Index, question: str, encoder: Encoder | None, k: int, mode: Mode,
                    doc_text: Callable[[int], str]) -> tuple[str, Retrieval]:
    """Retrieval for a question, within the release it names (by its file, or by "the
    release on ...") if it names one that exists: (the question as the reader should read
    it, what was found)."""
    by_file = named_file(question, [d["path"] for d in index.docs])
    if by_file:
        return by_file[0], retrieve(index, by_file[0], encoder, k=k, mode=mode, within=by_file[1])
    scoped = split_qualifier(question)
    within = find_release(index, scoped[1], encoder, mode, 1, doc_text)[0] if scoped else None
    asked = scoped[0] if within is not None else question
    return asked, retrieve(index, asked, encoder, k=k, mode=mode, within=within)
