"""Who to contact about a release: its contact block read as a record, not by the reader.

Press releases end with "For more information, please contact" and a block of short
lines: a name, the office, "Tel: ...", "E-mail: ...". A question for a release's press
contact ("Who should reporters contact about the agreements with Cuenca?") has two parts:
which release ("the agreements with Cuenca"), found by retrieving on that part alone,
since every release's contact block looks alike and pulls the whole question towards
some other release; and which line of the block (the name, the phone, the e-mail).
The span reader, trained on encyclopaedia paragraphs, reads such blocks badly: of our
five contact questions it abstained on three and answered two with a wrong phrase.
"""

from __future__ import annotations

import re
from typing import Callable, Literal

from .answer import answered, passages_shown, sentence_around
from .embed import Encoder
from .retrieve import Mode
from .scope import FILLER, find_release, topic_words
from .store import Index
from .types import Answer

Field = Literal["name", "phone", "email"]

_CONTACT = re.compile(r"\bcontact(?:s|ed)?\b|\bpress (?:officer|office)\b|\bspokes(?:person|man|woman)\b", re.I)
_NOT_PRESS = re.compile(r"\b(?:into|in|made|make|makes|making|lost|first|direct|eye)\s+contact\b", re.I)  # touch, not press
_PHONE_Q = re.compile(r"\b(?:phone|telephone|tel|mobile|cell|number)\b", re.I)
_EMAIL_Q = re.compile(r"\be-?mail\b", re.I)
_NAME_Q = re.compile(r"\b(?:who|whom|name|person)\b", re.I)
_BLOCK_OPENER = re.compile(r"^[^\n]{0,60}\bcontact\b[^\n.]{0,40}$", re.I | re.M)  # a short line, no full stop after
_PHONE_LINE = re.compile(r"^\s*(?:tel(?:ephone)?|phone|mobile|cell(?:ular)?|fax)\b\.?\s*:?\s*(\S[^\n]*?)\s*$", re.I | re.M)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
BLOCK_LINES = 12  # the block is read up to this many lines after its opener


def asks_contact(question: str) -> tuple[Field, str] | None:
    """(the field asked for, the topic naming the release) for a contact question, else None.

    The topic is the question's other half: what follows "contact" ("Who is the contact for
    the release on the tri-national meeting?") or, when nothing does, what precedes it.
    Without a topic there is no telling which release is meant, and the reader answers."""
    m = _CONTACT.search(question)
    if not m or _NOT_PRESS.search(question):
        return None
    field: Field | None = "email" if _EMAIL_Q.search(question) else "phone" if _PHONE_Q.search(question) else (
        "name" if _NAME_Q.search(question) else None)
    if field is None:
        return None
    for part in (question[m.end():], question[: m.start()]):
        words = re.findall(r"[\w'-]+", part)
        while words and words[0].lower() in FILLER:
            words.pop(0)
        topic = " ".join(words)
        if topic_words(topic):
            return field, topic
    return None


def answer_contact(question: str, index: Index, encoder: Encoder | None, mode: Mode, k: int,
                   doc_text: Callable[[int], str], doc_path: Callable[[int], str]) -> Answer | None:
    """The asked line of the contact block of the release the question's topic names, or
    None (not a contact question, no such block, or the best release holds under half the
    topic's words), and the reader answers instead. ``confidence`` is that share."""
    asked = asks_contact(question)
    if asked is None:
        return None
    field, topic = asked
    doc, hits, share = find_release(index, topic, encoder, mode, k, doc_text)
    span = contact_field(doc_text(doc), field) if doc is not None else None
    if span is None:
        return None
    passages = passages_shown(hits, index.chunks, doc_text, doc_path)
    sentence = sentence_around(index.sentences, doc, *span)
    return answered(question, doc, span, sentence, round(share, 4), passages, doc_text, doc_path)


def contact_field(text: str, field: Field) -> tuple[int, int] | None:
    """File offsets of the asked field in the release's last contact block, or None.

    The name is the block's first line, or what follows "contact" on the opener's own
    line; it must read as a name (no digits, no "@", at most six words)."""
    openers = list(_BLOCK_OPENER.finditer(text))
    if not openers:
        return None
    opener = openers[-1]
    lines = [m for m in re.finditer(r"[^\n]+", text[opener.end():]) if m.group().strip()][:BLOCK_LINES]
    base = opener.end()
    if field == "name":
        tail = re.search(r"\bcontact\b\s*:?\s*(\S[^\n]*?)\s*$", opener.group(), re.I)
        if tail and re.match(r"[A-ZÀ-Ý]", tail.group(1)):
            start = opener.start() + tail.start(1)
            return _as_name(text, start, opener.start() + tail.end(1))
        return _as_name(text, base + lines[0].start(), base + lines[0].end()) if lines else None
    if field == "phone":
        found = _PHONE_LINE.search(text, base, base + lines[-1].end()) if lines else None
        return (found.start(1), found.end(1)) if found else None
    found = _EMAIL.search(text, base, base + lines[-1].end()) if lines else None
    return (found.start(), found.end()) if found else None


def _as_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] in " \t,:;":
        start += 1
    while end > start and text[end - 1] in " \t,:;.":
        end -= 1
    name = text[start:end]
    if not name or re.search(r"[\d@]", name) or len(name.split()) > 6 or not name[0].isupper():
        return None
    return start, end
