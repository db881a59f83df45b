"""A release's contact block read as a record: which release, which line, and when not to."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa import contact as C
from qa import scope as S
from qa.api import Assistant

from .conftest import FakeEncoder

BLOCK_SPACED = (
    "IOM Ecuador began a series of training courses this week.\n\n"
    "For more information, please contact\n\n"
    "Jaime Paredes\n\n"
    "IOM Ecuador\n\n"
    "Tel:+593 2 2266-304 or 305\n\n"
    "E-mail: jparedes@iom.int\n"
)
BLOCK_TIGHT = (
    "The agreements were signed in Cuenca.\n"
    "For further information, please contact:\n"
    "Maria Isabel Moncayo\n"
    "IOM Ecuador\n"
    "Tel: + 593 2-22-53-948/49/50\n"
    "Email:\n"
    '"mailto:mmoncayo@oim.org.ec" target="_blank">mmoncayo@oim.org.ec\n'
)


@pytest.mark.parametrize("question, expected", [
    ("Who is the press contact for the release about the training courses?", ("name", "training courses")),
    ("Who should reporters contact about the agreements with Cuenca?", ("name", "agreements with Cuenca")),
    ("Who is listed as the contact for the release on the tri-national meeting?", ("name", "tri-national meeting")),
    ("What is the phone number of the contact for the Cuenca agreements?", ("phone", "Cuenca agreements")),
    ("What e-mail address should journalists contact about the meeting?", ("email", "meeting")),
    ("About the training courses, who is the contact?", ("name", "training courses")),
    ("Who is the press contact?", None),  # no topic: which release is meant cannot be told
    ("Who came into contact with Wales after the conquest?", None),  # touch, not a press contact
    ("When did the contact group meet?", None),  # asks for none of name, phone, e-mail
    ("Who signed the agreements?", None),
    ("What is the phone number of Jaime Paredes?", ("phone", "Jaime Paredes")),  # no "contact": the field's owner
    ("What is Ana Guzmán's e-mail address?", ("email", "Ana Guzmán")),
    ("What phone number is given for Ana Guzmán in the new funding release?", ("phone", "Ana Guzmán")),
    ("Which e-mail address is listed for Ana Guzmán?", ("email", "Ana Guzmán")),
    ("What mobile number is given for Jaime Paredes at IOM Ecuador?", ("mobile", "Jaime Paredes")),  # not his "Tel:"
    ("What is Ana Guzmán's cell phone number?", ("mobile", "Ana Guzmán")),
    ("For the release about the Cuenca agreements, what mobile number is given for Ana Guzmán?",
     ("mobile", "Cuenca agreements")),  # the release meant, said before its owner
    ("What is the fax number of the contact for the Cuenca agreements?", ("fax", "Cuenca agreements")),
    ("What phone number is the most used in Quito?", None),  # no "of" or "for" its owner
    ("What is the email address for the release on the new funding?", ("email", "new funding")),
    ("Which emergency phone number will IOM publicise?", None),  # a number as a fact, nobody's line
    ("Who can journalists call about the tri-national meeting?", ("name", "tri-national meeting")),
    ("Who do I write to about the new funding?", ("name", "new funding")),
    ("Who did the minister call about the agreements?", None),  # a fact about a call, not a press contact
    ("jaime paredes mobile number", ("mobile", "jaime paredes")),  # a search box's words
    ("e-mail ana guzman?", ("email", "ana guzman")),
    ("What is the phone number?", None),  # no owner
])
def test_a_contact_question_splits_into_the_field_and_the_release_s_topic(question, expected):
    got = C.asks_contact(question)
    if expected is None:
        assert got is None
    else:
        assert got is not None and got[0] == expected[0] and expected[1] in got[1]


@pytest.mark.parametrize("text, field, expected", [
    (BLOCK_SPACED, "name", "Jaime Paredes"),
    (BLOCK_SPACED, "phone", "+593 2 2266-304 or 305"),
    (BLOCK_SPACED, "email", "jparedes@iom.int"),
    (BLOCK_TIGHT, "name", "Maria Isabel Moncayo"),
    (BLOCK_TIGHT, "phone", "+ 593 2-22-53-948/49/50"),
    (BLOCK_TIGHT, "email", "mmoncayo@oim.org.ec"),
    ("Budget talks ended.\nFor media enquiries contact: Ana Guzmán, IOM Ecuador\n", "name", "Ana Guzmán, IOM Ecuador"),
    ("No block here. Officials were in contact with IOM during the week.\n", "name", None),
    ("For more information, please contact\nthe IOM office in Quito for details on 2 programmes\n", "name", None),
    (BLOCK_SPACED.replace("Tel:+593 2 2266-304 or 305\n\n", ""), "phone", None),
    (BLOCK_SPACED.replace("\n\nE-mail", "\n\nMobile: +593 9 3597322\n\nE-mail"), "mobile", "+593 9 3597322"),
    (BLOCK_SPACED, "mobile", None),  # a block with no mobile line does not say it: not its "Tel:" line
    (BLOCK_TIGHT.replace("Email:", "Fax: + 593 2-22-53-951\nEmail:"), "fax", "+ 593 2-22-53-951"),
    ("Contact groups\nThe groups met twice.\n" + BLOCK_TIGHT, "name", "Maria Isabel Moncayo"),  # the last block
])
def test_the_asked_line_of_the_last_contact_block_is_found_verbatim(text, field, expected):
    span = C.contact_field(text, field)
    assert (text[slice(*span)] if span else None) == expected


def test_the_topic_share_counts_the_release_s_words_not_the_filler():
    assert S.topic_share("the release about the training courses", BLOCK_SPACED) == 1.0
    assert S.topic_share("the release about the moon landing", BLOCK_SPACED) == 0.0


@pytest.fixture
def releases(corpus_copy, tmp_path) -> Assistant:
    qa = Assistant(corpus=corpus_copy, index_dir=tmp_path / "idx", model=FakeEncoder.name, encoder=FakeEncoder())
    qa.build()
    return qa


@pytest.mark.parametrize("question, name", [
    ("Who is the press contact for the release about the training courses for officials?", "Jaime Paredes"),
    ("Who is the contact person for the release about drafting the National Plan?", "Maria Isabel Moncayo"),
    ("Who is listed as the contact for the release on the tri-national meeting?", "Nadia Zelisko"),
])
def test_contact_questions_are_answered_from_the_named_release_s_block(releases, question, name):
    answer = releases.ask(question)
    assert not answer.abstained and answer.answer == name
    cite = answer.citations[0]
    lines = Path(cite.file).read_text(encoding="utf-8").splitlines()[cite.start_line - 1 : cite.end_line]
    assert name in lines and Path(answer.passages[0].file) == Path(cite.file)
    assert answer.citations[0].quote[slice(*answer.highlight)] == name


def test_a_contact_question_about_no_release_goes_to_the_reader(releases):
    answer = releases.ask("Who is the contact for the release about the moon landing?")
    assert answer.answer not in {"Jaime Paredes", "Ana Guzmán", "Maria Isabel Moncayo", "Nadia Zelisko"}


@pytest.mark.parametrize("text, block", [
    (BLOCK_SPACED, "For more information, please contact"),
    (BLOCK_TIGHT, "For further information, please contact:"),
    ("Officials stayed in contact with IOM\nduring the week and after it.\n", None),  # prose: no phone, no e-mail
])
def test_the_contact_block_needs_a_phone_or_an_e_mail(text, block):
    found = C.contact_block(text)
    if block is None:
        assert found is None
    else:
        assert found is not None and text[found[0]:].startswith(block) and found[1] == len(text.rstrip("\n"))


@pytest.mark.parametrize("question, line", [
    ("What is the phone number of Jaime Paredes?", "+593 2 2266-304 or 305"),
    ("What is Maria Isabel Moncayo's e-mail address?", "mmoncayo@oim.org.ec"),
    ("What mobile number is given for Jaime Paredes?", "+593 9 3597322"),  # the "Mobile:" line, spaces collapsed
    ("jaime paredes mobile number", "+593 9 3597322"),  # a search box's words, lower case
    ("maria isabel moncayo email", "mmoncayo@oim.org.ec"),
    ("For the release about the agreements with Guamote, Colta and Cuenca, what mobile number is given for "
     "Ana Guzmán?", "+593 9 3597-322"),  # she is listed by two releases, only this one gives a mobile
])
def test_a_person_s_line_is_read_from_the_block_that_lists_them(releases, question, line):
    answer = releases.ask(question)
    assert not answer.abstained and answer.answer == line


def test_a_person_the_release_quotes_but_does_not_list_is_no_contact(releases):
    # Rogelio Bernal is quoted in the release whose block lists Ana Guzmán: her phone is not his
    assert C.find_contact("What is the phone number of Rogelio Bernal?", releases.index, releases.encoder,
                          "hybrid", 5, releases.doc_text) is None
    assert releases.ask("What is the phone number of Rogelio Bernal?").abstained
    for terse in ("rogelio bernal phone number", "helpline phone number"):  # in lower case, only a listed person
        assert C.find_contact(terse, releases.index, releases.encoder, "hybrid", 5, releases.doc_text) is None


def test_a_person_typed_without_accents_is_found_in_the_block(releases):
    assert C._unaccented("ana guzmán") == "ana guzman" and C._unaccented("Ñandú") == "Nandu"
    found = C.find_contact("ana guzman email", releases.index, releases.encoder, "hybrid", 5, releases.doc_text)
    assert found is not None  # "Ana Guzmán" of the block, typed as a search box would
    assert releases.doc_text(found.doc)[slice(*found.span)].startswith("aguzman@")


def test_a_block_at_the_top_of_a_release_ends_where_the_prose_begins():
    text = ("Media contact:\nAna Guzmán\nTel: +593 2 2266 304\n"
            "IOM Ecuador began a series of training courses for officials in Quito this week,\n"
            "with the Ministry of Interior.\n")
    start, end = C.contact_block(text)
    assert text[start:end] == "Media contact:\nAna Guzmán\nTel: +593 2 2266 304"
    assert text[slice(*C.contact_field(text, "phone"))] == "+593 2 2266 304"
