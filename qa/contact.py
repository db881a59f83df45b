"""Who to contact about a release: its contact block read as a record, not by the reader.

Press releases end with "For more information, please contact" and a block of short
lines: a name, the office, "Tel: ...", "E-mail: ...". A question for a release's press
contact ("Who should reporters contact about the agreements with Cuenca?", "What is the
phone number of Jaime Paredes?") has two parts: which release ("the agreements with
Cuenca", "Jaime Paredes"), found by retrieving on that part alone, since every release's
contact block looks alike and pulls the whole question towards some other release; and
which line of the block (the name, the phone, the e-mail). The span reader, trained on
encyclopaedia paragraphs, reads such blocks badly: of our five contact questions it
abstained on three and answered two with a wrong phrase. For a question about no one the
block lists, the block is no answer (``off_limits``): "Who is the president of Ecuador?"
is not "Ana Guzmán".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable, Literal, NamedTuple

from .chunk import BLOCK_LINE_WORDS
from .embed import Encoder
from .retrieve import Mode
from .scope import FILLER, find_release, topic_words
from .store import Index
from .types import Hit

Field = Literal["name", "phone", "mobile", "fax", "email"]  # "mobile" and "fax" are phones of that line only

_CONTACT = re.compile(
    r"\bcontact(?:s|ed)?\b|\bpress (?:officer|office)\b|\bspokes(?:person|man|woman)\b"
    r"|\b(?:journalists|reporters|media|press|I|we|you)\s+(?:(?:can|should|could|may|might|to)\s+)?"  # "who can journalists call"
    r"(?:call|phone|ring|reach|e-?mail|write\s+to|speak\s+to|talk\s+to|get\s+in\s+touch\s+with)\b", re.I)
_NOT_PRESS = re.compile(r"\b(?:into|in|made|make|makes|making|lost|first|direct|eye)\s+contact\b", re.I)  # touch, not press
_PHONE_Q = re.compile(r"\b(?:phone|telephone|tel|mobile|cell|fax|number)\b", re.I)
_MOBILE_Q = re.compile(r"\b(?:mobile|cell(?:ular)?)\b", re.I)
_FAX_Q = re.compile(r"\bfax\b", re.I)
_EMAIL_Q = re.compile(r"\be-?mail\b", re.I)
_NAME_Q = re.compile(r"\b(?:who|whom|name|person)\b", re.I)
_FIELD = r"(?:(?:tele)?phone|mobile|cell|fax|e-?mail)(?:\s+(?:number|address))?"
_FIELD_OF = re.compile(  # "the phone number of Jaime Paredes", "the e-mail address given for Ana Guzmán"
    rf"\b{_FIELD}\s+(?:(?:is|are|was|were|given|listed|provided|shown)\s+){{0,2}}(?:of|for)\s+(?P<topic>[^?]+)", re.I)
_FIELD_OWNED = re.compile(rf"(?P<topic>[A-ZÀ-Ý][\w-]*(?:\s+[A-ZÀ-Ý][\w-]*)*)['’]s\s+{_FIELD}\b")  # "Ana Guzmán's e-mail"
_FIELD_TERSE = re.compile(  # "jaime paredes mobile number", "e-mail Ana Guzmán": a search box's words, no verb
    rf"^\W*(?:(?P<topic>(?:(?!\b(?:what|which|who|whom|whose|where|when|how|is|are|was|the)\b)[^?,;])+?)\s+{_FIELD}"
    rf"|{_FIELD}\s+(?P<after>(?:(?!\b(?:what|which|who|whom|whose|where|when|how|is|are|was)\b)[^?,;])+?))\W*$", re.I)
_BLOCK_OPENER = re.compile(r"^[^\n]{0,60}\bcontact\b[^\n.]{0,40}$", re.I | re.M)  # a short line, no full stop after


def _line_of(labels: str) -> re.Pattern:
    """A block's line "Label: value" for one of ``labels``; group 1 is the value."""
    return re.compile(rf"^\s*(?:{labels})\b\.?\s*:?\s*(\S[^\n]*?)\s*$", re.I | re.M)


_PHONE_LINE = _line_of(r"tel(?:ephone)?|phone|mobile|cell(?:ular)?|fax")
_LABELLED = {"mobile": _line_of(r"mobile|cell(?:ular)?"), "fax": _line_of("fax")}
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
BLOCK_LINES = 12  # the block is read up to this many lines after its opener


class Contact(NamedTuple):
    """A contact question's answer: the release, the field's file offsets, the passages
    found for the topic, and the share of the topic's words the release holds."""

    doc: int
    span: tuple[int, int]
    hits: list[Hit]
    share: float


def asks_contact(question: str) -> tuple[Field, str] | None:
    """(the field asked for, the topic naming the release) for a contact question, else None.

    The topic is the question's other half: what follows "contact" ("Who is the contact for
    the release on the tri-national meeting?") or, when nothing does, what precedes it.
    Without "contact", a phone or e-mail "of" or "for" someone or something ("the phone
    number of Jaime Paredes", "Ana Guzmán's e-mail", or a search box's "jaime paredes mobile
    number") names its topic, with what the question
    says before it ("For the release about the Cuenca agreements, what mobile number is
    given for Ana Guzmán?": she is listed by two releases). Without a topic there
    is no telling which release is meant, and the reader answers."""
    m = _CONTACT.search(question)
    if m and _NOT_PRESS.search(question):
        return None
    if not m:
        owned = _FIELD_OF.search(question) or _FIELD_OWNED.search(question) or _FIELD_TERSE.search(question)
        topic = (owned.group("topic") or owned.group("after") or "").strip() if owned else ""
        if not topic_words(topic):
            return None
        lead = question[: owned.start()].strip(" ,;:")  # "For the release about the Cuenca agreements, what"
        if topic_words(lead):
            topic = f"{lead} {topic}"  # a person listed by several releases, and the release meant
        return ("email" if _EMAIL_Q.search(owned.group()) else _phone(owned.group())), topic
    asked: Field | None = "email" if _EMAIL_Q.search(question) else _phone(question) if _PHONE_Q.search(question) else (
        "name" if _NAME_Q.search(question) else None)
    if asked is None:
        return None
    for part in (question[m.end():], question[: m.start()]):
        words = re.findall(r"[\w'-]+", part)
        while words and words[0].lower() in FILLER:
            words.pop(0)
        topic = " ".join(words)
        if topic_words(topic):
            return asked, topic
    return None


def _phone(asked: str) -> Field:
    """Which phone line ``asked`` wants: "What mobile number is given for Jaime Paredes?"
    is not his office's "Tel:" line, which a block lists first."""
    return "mobile" if _MOBILE_Q.search(asked) else "fax" if _FAX_Q.search(asked) else "phone"


def find_contact(question: str, index: Index, encoder: Encoder | None, mode: Mode, k: int,
                 doc_text: Callable[[int], str]) -> Contact | None:
    """The asked line of the contact block of the release the question's topic names, or
    None (not a contact question, no such block, the best release holds under half the
    topic's words, or the topic is a person the block does not list), and the reader
    answers instead."""
    asked = asks_contact(question)
    if asked is None:
        return None
    field, topic = asked
    doc, hits, share = find_release(index, topic, encoder, mode, k, doc_text)
    if doc is None:
        return None
    text = doc_text(doc)
    span, block = contact_field(text, field), contact_block(text)
    # a capitalised name, or a search box's owner ("helpline phone number" names no one), must be listed in the block
    listed = _a_name(topic) or (_FIELD_TERSE.search(question) and not _CONTACT.search(question))
    if span is None or (listed and not topic_words(_unaccented(topic)) <= topic_words(_unaccented(text[slice(*block)]))):
        return None  # "the phone number of Rogelio Bernal", whom the release quotes but does not list; "helpline phone number"
    return Contact(doc, span, hits, share)


def _unaccented(text: str) -> str:
    """``text`` without its accents: a user types "ana guzman" for Ana Guzmán."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _a_name(topic: str) -> bool:
    words = re.findall(r"[\w'’-]+", topic)
    return bool(words) and all(w[0].isupper() for w in words)


@lru_cache(maxsize=32)
def _last_block(text: str) -> tuple[re.Match, tuple[tuple[int, int], ...]] | None:
    """The opener of the release's last contact block and the file offsets of its lines:
    up to BLOCK_LINES short lines, ending before the first line of prose (more than
    BLOCK_LINE_WORDS words), so a block at the top of a release never swallows its text.
    Cached: one answer asks for the block, its name and a field of the same release."""
    openers = list(_BLOCK_OPENER.finditer(text))
    if not openers:
        return None
    opener = openers[-1]
    lines = []
    for m in re.finditer(r"[^\n]+", text[opener.end():]):
        if not m.group().strip():
            continue
        if len(m.group().split()) > BLOCK_LINE_WORDS or len(lines) == BLOCK_LINES:
            break
        lines.append((opener.end() + m.start(), opener.end() + m.end()))
    return opener, tuple(lines)


def contact_block(text: str) -> tuple[int, int] | None:
    """File offsets of the release's last contact block, from its opener to its last line,
    if the block lists a phone or an e-mail (a prose line that mentions "contact" opens none)."""
    found = _last_block(text)
    if found is None:
        return None
    opener, lines = found
    end = lines[-1][1] if lines else opener.end()
    if not (_PHONE_LINE.search(text, opener.end(), end) or _EMAIL.search(text, opener.end(), end)):
        return None
    return opener.start(), end


def off_limits(question: str, text: str, offset: int) -> bool:
    """Whether ``offset`` falls in the release's contact block while the question names
    nobody it lists: such a line answers no question but a contact one ("Who is the
    president of Ecuador?" is not "Ana Guzmán"); "Which office is Ana Guzmán with?" may
    read "IOM Ecuador" there."""
    block = contact_block(text)
    if block is None or not block[0] <= offset < block[1]:
        return False
    name = contact_field(text, "name")
    return name is None or not topic_words(text[slice(*name)]) <= topic_words(question)


def contact_field(text: str, field: Field) -> tuple[int, int] | None:
    """File offsets of the asked field in the release's last contact block, or None.

    The name is the block's first line, or what follows "contact" on the opener's own
    line; it must read as a name (no digits, no "@", at most six words). A mobile or fax
    number is read from its own labelled line only: with none, the block does not say it."""
    found = _last_block(text)
    if found is None:
        return None
    opener, lines = found
    if field == "name":
        tail = re.search(r"\bcontact\b\s*:?\s*(\S[^\n]*?)\s*$", opener.group(), re.I)
        if tail and re.match(r"[A-ZÀ-Ý]", tail.group(1)):
            start = opener.start() + tail.start(1)
            return _as_name(text, start, opener.start() + tail.end(1))
        return _as_name(text, *lines[0]) if lines else None
    if not lines:
        return None
    if field != "email":  # a phone: the first line of any label, or of the one asked for
        phone = _LABELLED.get(field, _PHONE_LINE).search(text, lines[0][0], lines[-1][1])
        return phone.span(1) if phone else None
    email = _EMAIL.search(text, lines[0][0], lines[-1][1])
    return email.span() if email else None


def _as_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] in " \t,:;":
        start += 1
    while end > start and text[end - 1] in " \t,:;.":
        end -= 1
    name = text[start:end]
    if not name or re.search(r"[\d@]", name) or len(name.split()) > 6 or not name[0].isupper():
        return None
    return start, end
