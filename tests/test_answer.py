"""Answer extraction and calibration on hand-made cases: span decoding, verbatim slices and
lines, the winning passage, trimming, the calibrated confidence and the abstention threshold,
and the fitting helpers. A scripted reader stands in for the model; each test can fail."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import numpy as np
import pytest

from qa import answer as A
from qa import constituent as C
from qa import kind as K
from qa import phrase as P
from qa.embed import DEFAULT_MODEL
from qa.phrase import stems
from qa.reader import Guess, best_span, decode, near_question, words_of
from qa.types import Hit

REPO = Path(__file__).resolve().parents[1]


def _fit_module():
    spec = importlib.util.spec_from_file_location("qa_eval_fit", REPO / "eval" / "fit.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# ---------------------------------------------------------------- span decoding

def test_best_span_maximises_start_plus_end_with_end_after_start():
    start = np.array([0.0, 5.0, 0.0, 1.0, 0.0])
    end = np.array([9.0, 0.0, 2.0, 0.0, 3.0])  # end[0] is high but lies before the best start
    assert best_span(start, end, 1, 4) == (1, 4, 8.0)


def test_best_span_respects_the_length_limit_and_the_passage_bounds():
    start = np.array([0.0, 5.0, 0.0, 0.0, 0.0, 0.5])
    end = np.array([0.0, 0.0, 1.0, 0.0, 0.0, 4.0])
    assert best_span(start, end, 1, 5, longest=3) == (1, 2, 6.0)  # (1, 5) would score 9 but is 5 tokens long
    assert best_span(start, end, 2, 5) == (5, 5, 4.5)  # token 1 is outside the passage


def _offsets(n: int) -> np.ndarray:
    """Token k of a made-up passage covers characters [10k, 10k + 5)."""
    return np.array([(10 * k, 10 * k + 5) for k in range(n)])


def test_decode_never_runs_a_span_across_a_sentence_start():
    start = np.array([0.0, 6.0, 0.0, 0.0, 0.0])
    end = np.array([0.0, 0.0, 0.0, 6.0, 0.0])  # best pair (1, 3) spans the sentence starting at char 20
    guesses = decode(start, end, _offsets(5), [1, 2, 3, 4], sentence_starts=[20])
    assert [(g.start, g.end) for g in guesses] == [(10, 15), (20, 35)]  # one span per sentence, each inside it
    whole = decode(start, end, _offsets(5), [1, 2, 3, 4], sentence_starts=[])
    assert [(g.start, g.end) for g in whole] == [(10, 35)]  # one sentence: (1, 3) is fine


def test_decode_gives_the_sentence_with_the_most_mass_the_most_support():
    # sentence A (tokens 1-2) has one sharp pair; sentence B (tokens 3-6) spreads more mass over its tokens
    start = np.array([0.0, 5.0, 0.0, 4.5, 4.5, 4.5, 0.0])
    end = np.array([0.0, 0.0, 5.0, 0.0, 4.5, 4.5, 4.5])
    a, b = decode(start, end, _offsets(7), [1, 2, 3, 4, 5, 6], sentence_starts=[30])
    assert a.score == pytest.approx(10.0) and b.score == pytest.approx(9.0)
    assert b.support > a.support > 10.0  # B wins on support, though A's best pair beats B's
    assert a.null == b.null == 0.0
    assert a.total == b.total == pytest.approx(np.logaddexp.reduce(start) + np.logaddexp.reduce(end))  # [CLS] and every token


def test_decode_without_passage_tokens_has_no_guess():
    assert decode(np.zeros(3), np.zeros(3), _offsets(3), [], sentence_starts=[]) == []


def _worded(text: str, peaks: dict[str, tuple[float, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """Logits over a made-up passage with one token per word ([CLS] first): word -> (start, end) logit, -10 elsewhere."""
    words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\w+", text)]
    start, end = np.full(len(words) + 1, -10.0), np.full(len(words) + 1, -10.0)
    for t, (_, _, w) in enumerate(words, 1):
        start[t], end[t] = peaks.get(w, (start[t], end[t]))
    offsets = np.array([(0, 0)] + [(a, b) for a, b, _ in words])
    return start, end, offsets, list(range(1, len(words) + 1))


def test_decode_takes_the_span_next_to_the_question_words_over_a_slightly_better_one_far_from_them():
    text = "In Peru the work helps women while in Chile it helps men"
    start, end, offsets, context = _worded(text, {"women": (4.0, 4.0), "men": (4.3, 4.3)})
    far = decode(start, end, offsets, context, [], text)  # no question words given: the best span
    assert text[far[0].start:far[0].end] == "men"
    (near,) = decode(start, end, offsets, context, [], text, stems("Who does the work in Peru help?"))
    assert text[near.start:near.end] == "women"
    assert near.score == pytest.approx(8.0)  # the span's own score, for the confidence


def test_decode_never_answers_with_the_question_words_alone():
    text = "Training courses began this week in Quito"
    # "Training courses" (12) would still beat "Quito" (10 + its nearness, 1.7): only the echo rule keeps it out
    start, end, offsets, context = _worded(text, {"Training": (6.0, -10.0), "courses": (-10.0, 6.0), "Quito": (5.0, 5.0)})
    assert [text[g.start:g.end] for g in decode(start, end, offsets, context, [], text)] == ["Training courses"]
    (g,) = decode(start, end, offsets, context, [], text, stems("Where are the training courses?"))
    assert text[g.start:g.end] == "Quito"


def test_near_question_is_the_best_span_when_the_sentence_holds_none_of_the_question_words():
    text = "In Peru the work helps women while in Chile it helps men"
    start, end, offsets, _ = _worded(text, {"women": (4.0, 4.0), "men": (4.3, 4.3)})
    last = len(start) - 1
    assert near_question(start, end, 1, last, offsets, words_of(text, stems("Which animals sleep?"))) == best_span(start, end, 1, last)


def _material(*texts_and_starts) -> list:
    return [A.Material(k, 0, text, list(range(len(text) + 1)), starts) for k, (text, starts) in enumerate(texts_and_starts)]


CHOICE = {"retrieval": 10.0, "overlap": 8.0}


def test_retrieval_breaks_a_near_tie_between_passages_but_not_a_clear_verdict():
    hits = [Hit(0, 0.8), Hit(1, 0.4)]
    material = _material(("Some text here.", []), ("Some text here.", []))
    tie = [[Guess(0, 4, 5.0, 0.0, 5.0)], [Guess(0, 4, 5.0, 0.0, 6.0)]]
    assert A.choice("q?", tie, hits, material, CHOICE) == (0, 0)  # one point of support is less than half the top score's weight
    clear = [[Guess(0, 4, 5.0, 0.0, 5.0)], [Guess(0, 4, 5.0, 0.0, 5.0 + CHOICE["retrieval"])]]
    assert A.choice("q?", clear, hits, material, CHOICE) == (1, 0)
    assert A.choice("q?", [[], [Guess(0, 0, -np.inf, 0.0, -np.inf)]], hits, material, CHOICE) is None


def test_the_question_s_words_move_the_choice_to_the_sentence_that_holds_them():
    text = "The office opened in Quito. The ministry reported 187 cases in 2012."
    second = text.index("The ministry")
    material = _material((text, [second]))
    guesses = [[Guess(21, 26, 6.0, 0.0, 6.0), Guess(second + 22, second + 25, 5.0, 0.0, 5.0)]]
    question = "How many cases did the ministry report?"
    # the second sentence holds "ministry", "cases" and "report(ed)": 3 of the 3 content words
    assert A.choice(question, guesses, [Hit(0, 1.0)], material, {"retrieval": 10.0, "overlap": 2.0}) == (0, 1)
    assert A.choice(question, guesses, [Hit(0, 1.0)], material, {"retrieval": 10.0, "overlap": 0.0}) == (0, 0)
    assert text[slice(*A.sentence_of(material[0], second + 22))] == "The ministry reported 187 cases in 2012."
    assert A.sentence_of(material[0], 3) == (0, second)


def _two_sentences(first: str) -> tuple[list, list]:
    """A passage of ``first`` and "The Commission is headed by the Ministry of the Government.",
    with the reader's guesses: "Quito" in the first (support 6), the ministry in the second (5.5)."""
    text = f"{first} The Commission is headed by the Ministry of the Government."
    second, quito, span = text.index("The Commission"), text.index("Quito"), text.index("the Ministry")
    return _material((text, [second])), [[Guess(quito, quito + 5, 6.0, 0.0, 6.0), Guess(span, len(text) - 1, 5.5, 0.0, 5.5)]]


def test_a_sentence_calling_the_question_s_name_by_its_last_word_holds_the_name():
    question = "Which government body leads the Inter-institutional Commission?"
    material, guesses = _two_sentences("The recently created Inter-institutional Commission met in Quito.")
    # "The Commission" is the name the first sentence spelled out: 4 of the 6 content words, not 2
    assert A.choice(question, guesses, [Hit(0, 1.0)], material, {"overlap": 8.0}) == (0, 1)
    material, guesses = _two_sentences("The recently created Inter-institutional body met in Quito.")
    assert A.choice(question, guesses, [Hit(0, 1.0)], material, {"overlap": 8.0}) == (0, 0)  # never spelled out


def test_short_names_are_the_question_s_names_the_passages_spell_out():
    question = "Which government body leads the Inter-institutional Commission?"
    (head, name), = A.short_names(question, ["the recently created Inter-institutional Commission met"])
    assert name == "Inter-institutional Commission"
    assert head.search("The Commission is headed by") and not head.search("the Commissioner said")
    assert A.short_names(question, ["The Commission met."]) == []  # the passages never spell it out
    assert A.short_names("Inter-institutional Commission members met where?", ["Inter-institutional Commission"]) == []
    assert [n for _, n in A.short_names("Who heads the Ministry of Interior?", ["the Ministry of Interior"])] == \
        ["Ministry of Interior"]


def test_quantized_weights_round_trip_within_half_a_step_per_row():
    import torch

    from qa.reader import dequantize, quantize

    g = torch.Generator().manual_seed(0)
    w = torch.randn(8, 16, generator=g) * torch.arange(1, 9).float()[:, None]  # rows of different scale
    b = torch.randn(8, generator=g)
    back = dequantize(quantize({"w": w, "b": b}))
    assert set(back) == {"w", "b"} and torch.equal(back["b"], b)
    step = w.abs().amax(dim=1) / 127.0
    assert bool(((back["w"] - w).abs() <= step[:, None] / 2 + 1e-6).all())


class _Fixed:
    """A stand-in model and head: the head returns fixed start/end scores for every token."""

    def __init__(self, start, end) -> None:
        import torch

        self.logits = torch.tensor([start, end], dtype=torch.float32).T[None]  # (1, tokens, 2)

    def __call__(self, *args, **kwargs):
        import types

        return types.SimpleNamespace(last_hidden_state=None) if kwargs else self.logits


def test_several_readers_are_averaged_and_the_average_decides():
    from concurrent.futures import ThreadPoolExecutor

    from qa.reader import SpanReader

    class Tok:  # "[CLS] q [SEP] w0 w1 w2 [SEP]": passage words at tokens 3-5, 5 characters apart
        def __call__(self, questions, passages, **kwargs):
            import torch

            class Enc(dict):
                def sequence_ids(self, k):
                    return [None, 0, None, 1, 1, 1, None]

            return Enc(offset_mapping=torch.tensor([[(0, 0), (0, 0), (0, 0), (0, 4), (5, 9), (10, 14), (0, 0)]]),
                       input_ids=torch.zeros(1, 7, dtype=torch.long))

    # reader A alone answers w0 (3 + 3), B alone w2 (3 + 3);
    # their average points at w1, which each scores second
    a = _Fixed([0, 0, 0, 3, 2, 0, 0], [0, 0, 0, 3, 2, 0, 0])
    b = _Fixed([0, 0, 0, 0, 2, 3, 0], [0, 0, 0, 0, 2, 3, 0])
    r = SpanReader(["a", "b"])
    r._tokenizer, r._models, r._pool = Tok(), [(a, a), (b, b)], ThreadPoolExecutor(2)
    [[g]] = r.read("q?", ["w0a w1b w2c"])
    assert (g.start, g.end) == (5, 9) and g.score == pytest.approx(4.0)
    r._models, r._pool = [(a, a)], None
    assert r.read("q?", ["w0a w1b w2c"])[0][0].start == 0


def test_a_damaged_reader_file_is_a_one_line_model_error(tmp_path):
    from qa.errors import ModelError
    from qa.reader import SpanReader

    bad = tmp_path / "reader.safetensors"
    bad.write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{broken}")
    with pytest.raises(ModelError, match="cannot load the answer reader") as err:
        SpanReader(bad).read("Who?", ["Nobody."])
    assert "\n" not in str(err.value)


def test_norm_map_points_back_into_the_raw_text():
    raw = "The  programme\nbegan in\t2012."
    norm, pos = A.norm_map(raw)
    assert norm == "The programme began in 2012."
    i = norm.index("2012")
    assert raw[pos[i]: pos[i + 3] + 1] == "2012"
    assert len(pos) == len(norm) + 1


# ---------------------------------------------------------------- extraction

TEXT = (
    "Cooperation agreement\n\n"
    "The programme began in 2012 with support from the Ministry of the Interior.\n"
    "According to the ministry, 187 cases were\nreported between 2011 and 2012 in Quito.\n"
    "Training continues in the provinces.\n"
)


def shaped(rule, text: str, span: str, question: str | None = None) -> str:
    """What a phrase rule makes of ``span`` (its first occurrence) in a one-sentence ``text``."""
    s = text.index(span)
    a, b = (rule(question, text, s, s + len(span), 0, len(text)) if question is not None
            else rule(text, s, s + len(span), 0, len(text)))
    return text[a:b]


def _index(text: str):
    from qa.chunk import split_sentences

    joined = text.replace("were\n", "were ")  # wrapped lines are joined for splitting, as in qa.corpus
    sents = split_sentences(joined)
    sentences = np.array([(0, s, e) for s, e in sents], dtype=np.int64)
    half = len(sents) // 2
    chunks = np.array([(0, sents[0][0], sents[half][0]), (0, sents[half][0], sents[-1][1])], dtype=np.int64)
    return chunks, sentences


class Scripted:
    """A reader that points at a given phrase in whichever passage contains it."""

    def __init__(self, phrase: str, score: float = 5.0, null: float = 0.0, others: float = 1.0) -> None:
        self.phrase, self.score, self.null, self.others = phrase, score, null, others

    def read(self, question, passages, sentence_starts=None):
        out = []
        for p in passages:
            i = p.find(self.phrase)
            out.append([Guess(i, i + len(self.phrase), self.score, self.null, self.score) if i >= 0
                        else Guess(0, 3, self.others, self.null, self.others)])
        return out


@pytest.fixture
def calibrated(monkeypatch):
    """Set the confidence model for the test: ``calibrated(weights, bias, threshold)``."""
    def set_(weights=None, bias=0.0, threshold=0.5):
        fitted = {"choice": CHOICE, "confidence": {"weights": weights or {}, "bias": bias}, "threshold": threshold}
        cal = {"top_chunks": 3, "by_mode": {m: fitted for m in ("hybrid", "dense", "bm25")}}
        monkeypatch.setattr(A, "calibration", lambda: cal)
    return set_


def _extract(reader, question="What was reported between 2011 and 2012?", mode="hybrid"):
    chunks, sentences = _index(TEXT)
    hits = [Hit(1, 0.8, dense=0.6, bm25=5.0), Hit(0, 0.5, dense=0.4, bm25=2.0)]
    return A.extract(question, hits, chunks, sentences, lambda d: TEXT, lambda d: "corpus/a.txt", reader, mode)


def test_elided_marks_each_blanked_run_once_and_keeps_offsets():
    raw = 'E-mail:\n"mailto:a@b.org">a@b.org <br> end'
    cleaned = "E-mail:\n" + " " * len('"mailto:a@b.org">') + "a@b.org " + " " * 4 + " end"
    shown = A.elided(raw, cleaned)
    assert len(shown) == len(raw) and shown.count("\n") == 1
    assert " ".join(shown.split()) == "E-mail: … a@b.org … end"
    assert A.elided("a  b", "a  b") == "a  b"  # the file's own spaces are not omissions


def test_extract_answers_verbatim_with_lines_and_highlight(calibrated):
    calibrated(bias=3.0)
    ans = _extract(Scripted("187 cases"))
    assert not ans.abstained and ans.answer == "187 cases"
    c = ans.citations[0]
    assert (c.start_line, c.end_line) == (4, 5)  # the sentence crosses a line break
    assert c.quote == "According to the ministry, 187 cases were reported between 2011 and 2012 in Quito."
    s, e = ans.highlight
    assert c.quote[s:e] == ans.answer


def test_a_phrase_across_a_line_break_is_cited_and_shown_on_one_line(calibrated):
    calibrated(bias=3.0)
    ans = _extract(Scripted("cases were reported"), "What does the ministry say?")
    assert ans.answer == "cases were reported"  # the file has "were\nreported"
    c = ans.citations[0]
    assert (c.start_line, c.end_line) == (4, 5)
    assert c.quote[slice(*ans.highlight)] == "cases were reported"


def test_the_highest_scoring_passage_wins():
    chunks, sentences = _index(TEXT)
    hits = [Hit(1, 0.8), Hit(0, 0.5)]
    found = A.read("q?", hits, chunks, sentences, lambda d: TEXT, Scripted("Ministry of the Interior", score=2.0, others=7.0), CHOICE)
    assert TEXT[slice(*found.phrase)] != "Ministry of the Interior"  # the other passage scored 7 > 2
    assert found.features[A.CONFIDENCE_FEATURES.index("rank")] == 0.0


def test_the_reader_is_told_where_each_passage_s_sentences_begin():
    chunks, sentences = _index(TEXT)
    material = A.passages_of([Hit(0, 1.0), Hit(1, 0.5)], chunks, sentences, lambda d: TEXT)
    for m, (_, cs, ce) in zip(material, chunks):
        inside = [TEXT[s:e] for _, s, e in sentences if cs < s < ce]  # the first sentence starts the passage
        assert [m.text[k:k + 12] for k in m.starts] == [" ".join(x.split())[:12] for x in inside]
    assert sum(len(m.starts) for m in material) == len(sentences) - 2


def test_punctuation_at_the_edges_is_trimmed(calibrated):
    calibrated(bias=3.0)
    ans = _extract(Scripted("ministry, 187"))
    assert ans.answer == "ministry, 187"
    ans = _extract(Scripted("the ministry,"))
    assert ans.answer == "the ministry"
    text = "The campaign *Ecuador Safe Travel* began."  # Markdown emphasis is no part of a name
    s = text.index("*")
    assert text[slice(*P.trimmed(text, s, text.index(" began")))] == "Ecuador Safe Travel"


@pytest.mark.parametrize("question, span, expected", [
    ("How many cases were reported?", "187 cases were reported between 2011 and 2012", "187"),
    ("how much did it cost?", "some 4.5 million dollars over three years", "some 4.5 million"),  # its bound stays
    ("How many countries took part?", "three countries: Colombia, Ecuador and Peru", "three"),
    ("How many were there?", "a few of them", "a few of them"),  # no number: the span stays
    ("Roughly how many were trained?", "some 45 officials from ministries", "45"),
    ("By how many votes did she win?", "200–300 votes in the end", "200–300"),  # a range is one figure
    ("Which years are covered?", "between 2011 and 2012", "between 2011 and 2012"),  # not a quantity question
])
def test_a_quantity_question_is_answered_by_the_number(question, span, expected):
    text = f"Intro. {span}. Outro."
    assert shaped(P.quantity, text, span, question) == expected


@pytest.mark.parametrize("question, text, span, expected", [
    ("How many projects does IOM have?", "IOM has more than 130 projects.", "130", "more than 130"),
    ("How many girls were trafficked?", "It estimates that some 5,000 girls were trafficked.", "5,000", "some 5,000"),
    ("How many were trained?", "They trained at least 45 officials.", "45 officials", "at least 45"),
    ("How many were trained?", "They trained up to 45 officials.", "45", "up to 45"),
    ("About how many were trained?", "They trained some 45 officials.", "45", "45"),  # the question hedges already
    ("How many were trained?", "Moreover 45 officials were trained.", "45", "45"),  # "over" inside a word
    ("Which years?", "They trained more than 45 officials.", "45", "45"),  # not a quantity question
])
def test_a_figure_keeps_its_bound(question, text, span, expected):
    """"130" for "more than 130" misstates the release: the bound is part of the figure."""
    assert shaped(P.quantity, text, span, question) == expected


@pytest.mark.parametrize("text, span, expected", [
    ("funded by the Agency for Development (USAID) since 2006", "the Agency for Development (USAID",
     "the Agency for Development (USAID)"),
    ("the Treaty on European Union (TEU) and others", "Treaty on European Union (TEU", "Treaty on European Union (TEU)"),
    ("a straight line (see world line) here", "a straight line (see world line)", "a straight line"),  # a whole aside goes
    ("a long (and unclosed aside that runs on and on past forty characters here", "a long (and", "a long (and"),
])
def test_a_phrase_never_ends_inside_an_open_bracket(text, span, expected):
    s = text.index(span)
    a, b = P.one_clause(text, s, s + len(span))
    assert text[a:b] == expected


@pytest.mark.parametrize("question, text, span, expected", [
    ("Which provinces did the children come from?",
     "Children from Chimborazo, Tungurahua and Imbabura provinces were trafficked to Colombia and Venezuela.",
     "Colombia and Venezuela", "Chimborazo, Tungurahua and Imbabura"),
    ("What dynasty did he attack?", "He later helped to attack the Song dynasty in the south.", "the south", "Song"),
    ("In which cantons were they signed?", "They were signed in the Ecuadorian cantons of Guamote, Colta and Cuenca.",
     "Guamote, Colta and Cuenca", "Guamote, Colta and Cuenca"),  # "cantons of": of the asked kind already
    ("Which provinces were named?", "The provinces were named after Imbabura rivers.", "Imbabura rivers", "Imbabura rivers"),
    ("Which provinces did they come from?", "Two provinces sent children.", "children", "children"),  # "Two" is no name
])
def test_a_which_noun_is_answered_by_the_names_before_it(question, text, span, expected):
    assert shaped(P.named_kind, text, span, question) == expected


@pytest.mark.parametrize("question, span, expected", [
    ("How many cases were reported?", "11", "187"),  # the figure that counts cases
    ("How many indictments were there?", "11", "11"),  # already the right one
    ("How many were reported?", "11", "11"),  # nothing named: the reader's figure stays
    ("How many of them were girls?", "11", "11"),  # nothing counted is named after a figure
    ("How many cases were reported?", "The ministry", "187"),  # a span without a figure
])
def test_a_how_many_question_takes_the_figure_that_counts_what_was_asked(question, span, expected):
    text = "The ministry said 187 cases were reported, with 11 indictments and 5 convictions."
    assert shaped(P.quantity, text, span, question) == expected


def test_extract_cuts_a_long_span_to_the_figure_for_how_many(calibrated):
    calibrated(bias=3.0)
    ans = _extract(Scripted("187 cases were reported between 2011 and 2012"), "How many cases were reported?")
    assert ans.answer == "187"
    assert ans.citations[0].quote[slice(*ans.highlight)] == "187"


def test_an_empty_guess_everywhere_abstains_with_zero_confidence(calibrated):
    calibrated(bias=3.0)

    class Nothing:
        def read(self, question, passages, sentence_starts=None):
            return [[] for _ in passages]

    ans = _extract(Nothing())
    assert ans.abstained and ans.confidence == 0.0 and ans.passages


def test_threshold_decides_abstention(calibrated):
    calibrated(bias=1.0, threshold=0.8)  # sigmoid(1) = 0.73 < 0.8
    ans = _extract(Scripted("187"))
    assert ans.abstained and ans.answer == "" and ans.citations == []
    assert ans.best is not None and "187" in ans.best.quote  # kept for evaluation
    calibrated(bias=1.0, threshold=0.7)
    assert not _extract(Scripted("187")).abstained


def test_confidence_is_the_calibrated_sigmoid_of_the_mode(monkeypatch):
    by_mode = {"hybrid": {"choice": CHOICE, "confidence": {"weights": {}, "bias": 1.0}, "threshold": 0.0},
               "bm25": {"choice": CHOICE, "confidence": {"weights": {"gap": 0.5}, "bias": 0.0}, "threshold": 0.0},
               "dense": {"choice": CHOICE, "confidence": {"weights": {}, "bias": -1.0}, "threshold": 0.0}}
    monkeypatch.setattr(A, "calibration", lambda: {"by_mode": by_mode})
    assert _extract(Scripted("187")).confidence == pytest.approx(1 / (1 + np.exp(-1.0)), abs=1e-4)
    assert _extract(Scripted("187"), mode="dense").confidence == pytest.approx(1 / (1 + np.exp(1.0)), abs=1e-4)
    gap = 5.0 - 0.0  # the scripted span score minus its null score
    assert _extract(Scripted("187"), mode="bm25").confidence == pytest.approx(1 / (1 + np.exp(-0.5 * gap)), abs=1e-4)


def test_confidence_features_see_missing_names_and_numbers():
    hits = [Hit(0, 0.5, dense=0.5, bm25=3.0), Hit(1, 0.4, dense=0.4, bm25=1.0)]
    guesses = [Guess(0, 4, 6.0, 1.0, 6.0), Guess(0, 4, 2.0, 3.0, 2.0)]
    text = "The treaty was signed in 1805."
    f = dict(zip(A.CONFIDENCE_FEATURES, A.confidence_features("What did Napoleon sign in 1806?", hits, guesses, 0, "1805", text, text)))
    assert (f["cap_miss"], f["num_miss"]) == (1.0, 1.0)
    assert (f["gap"], f["margin"], f["min_null"]) == (5.0, 4.0, 1.0)
    f = dict(zip(A.CONFIDENCE_FEATURES, A.confidence_features("What did Napoleon sign in 1805?", hits, guesses, 0, "1805",
                                                              "Napoleon signed it in 1805.", "Napoleon signed it in 1805.")))
    assert (f["cap_miss"], f["num_miss"]) == (0.0, 0.0)


def test_confidence_features_see_what_the_sentence_and_the_one_before_it_miss():
    hits = [Hit(0, 0.5, dense=0.5, bm25=3.0)]
    guesses = [Guess(0, 4, 6.0, 1.0, 6.0)]
    question = "When did Napoleon sign the treaty?"  # napoleon, sign, treaty
    sentence = "It was signed in 1805."

    def features(before: str, idf: dict | None) -> dict:
        return dict(zip(A.CONFIDENCE_FEATURES, A.confidence_features(question, hits, guesses, 0, "1805", sentence, sentence,
                                                                     before, idf)))

    f = features("Napoleon drafted the treaty.", {"napoleon": 4.0, "sign": 1.0, "treati": 1.0})
    assert f["miss_sentence"] == pytest.approx(2 / 3) and f["miss_context"] == 0.0  # the sentence before names them
    assert f["miss_rare"] == pytest.approx(5 / 6)  # the sentence holds "signed" only: the rare name is missing
    f = features("", None)
    assert f["miss_context"] == pytest.approx(2 / 3) and f["miss_rare"] == 0.0  # no IDF: nothing counts as rare


def test_a_how_long_question_and_a_hyphened_name_miss_nothing_the_sentence_answers():
    hits = [Hit(0, 0.5, dense=0.5, bm25=3.0)]
    guesses = [Guess(0, 4, 6.0, 1.0, 6.0)]
    sentence = "IOM and USAID signed an agreement that will last three years."
    idf = {"long": 5.0, "iom": 1.0, "usaid": 1.0, "agreement": 1.0, "last": 1.0}

    def features(question: str) -> dict:
        return dict(zip(A.CONFIDENCE_FEATURES, A.confidence_features(question, hits, guesses, 0, "three years",
                                                                     sentence, sentence, "", idf)))

    f = features("How long will the IOM-USAID agreement last?")
    # "long" asks for the answer; IOM-USAID is named by its parts
    assert (f["cap_miss"], f["miss_sentence"], f["miss_context"], f["miss_rare"]) == (0.0, 0.0, 0.0, 0.0)
    assert f["log_terms"] == pytest.approx(np.log1p(4))
    idf["earli"] = idf.pop("long")  # BM25 stems "early" unlike stems(): both are left out
    assert features("How early will the IOM-USAID agreement last?")["miss_rare"] == 0.0
    idf["long"] = idf.pop("earli")
    f = features("Why will the IOM-UNICEF agreement last long?")  # "long" is not a degree here, UNICEF is missing
    assert f["cap_miss"] == 1.0 and f["miss_sentence"] == pytest.approx(2 / 5)  # long, unicef of five
    assert f["miss_rare"] == pytest.approx(5.0 / 9.0)  # UNICEF has no IDF entry here: only "long" counts


def test_the_polarity_features_read_the_quoted_sentence_and_lower_the_shipped_confidence():
    hits = [Hit(0, 0.5, dense=0.5, bm25=3.0)]
    guesses = [Guess(0, 4, 6.0, 1.0, 6.0)]
    sentence = "The embargo hit the United States most."
    passage = sentence + " Canada was not hit, and was hit least."  # what the sentence lacks, the passage has

    def features(question: str) -> tuple[float, float]:
        f = dict(zip(A.CONFIDENCE_FEATURES, A.confidence_features(question, hits, guesses, 0, "Canada", passage, sentence)))
        return f["negation_miss"], f["opposite_miss"]

    assert features("Which country was not hit?") == (1.0, 0.0)
    assert features("Which country was hit least?") == (0.0, 1.0)
    assert features("Which country was hit most?") == (0.0, 0.0)
    for mode in ("hybrid", "dense", "bm25"):
        weights = A.calibration()["by_mode"][mode]["confidence"]["weights"]
        assert weights["negation_miss"] < -1.0 and weights["opposite_miss"] < -1.0, mode


def test_shipped_calibration_is_complete_for_every_mode():
    cal = A.calibration()
    for mode in ("hybrid", "dense", "bm25"):
        fitted = cal["by_mode"][mode]
        assert set(fitted["confidence"]["weights"]) == set(A.CONFIDENCE_FEATURES), mode
        assert 0.0 < fitted["threshold"] < 1.0, mode
        assert set(fitted["choice"]) == {*A.CHOICE_FEATURES, "rerank"}, mode
        again = fitted["choice"]["rerank"]
        assert again["model"] == DEFAULT_MODEL and set(again["weights"]) == set(A.RERANK_FEATURES), mode
        assert again["weights"]["meaning"] > 0 and again["top"] > 1 and again["margin"] > 0, mode


# ---------------------------------------------------------------- fitting

def _candidates(rng, n: int, signal: int, decoy: int, width: int = len(A.CHOICE_FEATURES)) -> list[np.ndarray]:
    """``n`` questions of 4 sentences each: noise features, gold where ``signal`` is highest;
    ``decoy`` is high on the first sentence, which is never gold."""
    out = []
    for _ in range(n):
        rows = np.zeros((4, width + 1))
        rows[:, :width] = rng.normal(size=(4, width))
        rows[:, signal] *= 5.0  # a wide scale: the weights come back on the features' own scale
        rows[0, decoy] = 3.0
        rows[np.argmax(rows[:, signal]), -1] = 1
        out.append(rows)
    return out


def test_fit_choice_learns_which_features_point_to_the_gold_sentence():
    fit = _fit_module()
    rng = np.random.default_rng(0)
    names = list(A.CHOICE_FEATURES)
    signal, decoy = names.index("context"), names.index("retrieval")
    train, test = _candidates(rng, 300, signal, decoy), _candidates(rng, 200, signal, decoy)
    train.append(np.zeros((0, len(names) + 1)))  # a question the reader read nothing for
    train.append(np.hstack([np.ones((2, len(names))), np.zeros((2, 1))]))  # no gold sentence: teaches nothing
    weights = fit.fit_choice(train)
    assert set(weights) == set(names)
    assert weights["context"] > 0 and weights["retrieval"] < weights["context"] / 5
    scale = np.array([weights[n] for n in names])
    first = [c[np.argmax(c[:, :-1] @ scale), -1] for c in test]
    assert np.mean(first) > 0.9  # as ``choice`` weighs them, on questions it was not fitted on
    assert fit.fit_choice([]) == {n: float(n == "support") for n in names}  # nothing to learn: support alone


def test_fit_choice_fits_the_close_choice_s_features_with_the_cosine():
    fit = _fit_module()
    names = A.RERANK_FEATURES
    rng = np.random.default_rng(1)
    train = _candidates(rng, 300, names.index("meaning"), names.index("support"), len(names))
    weights = fit.fit_choice(train, names)
    assert set(weights) == set(names)
    assert weights["meaning"] > 0 and weights["support"] < weights["meaning"] / 5


def test_the_sentence_after_the_one_naming_the_question_s_words_can_win():
    text = "The commission met in Quito. It adopted the plan in 2004. Officials met again in May."
    second, third = text.index("It adopted"), text.index("Officials")
    material = _material((text, [second, third]))
    guesses = [[Guess(22, 27, 5.0, 0.0, 5.0), Guess(second + 23, second + 27, 5.0, 0.0, 5.0),
                Guess(third + 23, third + 26, 5.0, 0.0, 5.2)]]
    question = "When did the commission adopt the plan?"
    options = A.options(question, guesses, [Hit(0, 1.0)], material)
    context = A.CHOICE_FEATURES.index("context")
    # commission, adopt, plan: in each sentence with the one before it
    assert [round(o[2][context], 2) for o in options] == [0.33, 1.0, 0.67]
    assert A.choice(question, guesses, [Hit(0, 1.0)], material, {}) == (0, 2)  # support alone
    assert A.choice(question, guesses, [Hit(0, 1.0)], material, {"context": 1.0}) == (0, 1)


class _Concepts:
    """A toy embedding model that knows one paraphrase: "concentrate" and "focuses" share a dimension."""

    name = "toy-concepts"
    dim = 4
    _AXES = {"concentrate": 0, "focuses": 0, "plan": 1, "approved": 2, "2010": 3}

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts, progress=None):
        self.encoded += texts
        out = np.full((len(texts), self.dim), 1e-3, dtype=np.float32)
        for row, text in zip(out, texts):
            for word in re.findall(r"\w+", text.lower()):
                if word in self._AXES:
                    row[self._AXES[word]] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_a_close_choice_is_settled_by_meaning_and_a_clear_one_is_not():
    text = "The plan focuses on prevention. The plan was approved in 2010."
    second = text.index("The plan was")
    material = _material((text, [second]))
    question = "What does the plan concentrate on?"
    again = {"model": _Concepts.name, "top": 2, "margin": 1.0, "weights": {"support": 1.0, "meaning": 5.0}}

    def guesses(first: float, other: float) -> list[list[Guess]]:
        return [[Guess(19, 29, first, 0.0, first), Guess(second + 25, second + 29, other, 0.0, other)]]

    close, clear = guesses(5.0, 5.5), guesses(5.0, 6.5)
    toy = _Concepts()
    # support alone prefers the second sentence; the cosine knows "focuses" answers "concentrate"
    assert A.choice(question, close, [Hit(0, 1.0)], material, {}) == (0, 1)
    assert A.choice(question, close, [Hit(0, 1.0)], material, {"rerank": again}, toy) == (0, 0)
    assert toy.encoded == [question, "The plan was approved in 2010.", "The plan focuses on prevention. "]
    toy.encoded.clear()
    assert A.choice(question, clear, [Hit(0, 1.0)], material, {"rerank": again}, toy) == (0, 1)
    assert toy.encoded == []  # a clear verdict costs no encoding
    other = _Concepts()
    other.name = "another-model"  # fitted with a different model: its cosines mean nothing here
    assert A.choice(question, close, [Hit(0, 1.0)], material, {"rerank": again}, other) == (0, 1)
    assert other.encoded == []
    assert A.choice(question, close, [Hit(0, 1.0)], material, {"rerank": again | {"top": 1}}, toy) == (0, 1)
    # one sentence read in two overlapping chunks is one candidate: the re-rank keeps its better reading
    twice = _material(("The plan focuses on prevention. ", []), ("The plan focuses on prevention.", []))
    readings = [[Guess(19, 29, 5.5, 0.0, 5.5)], [Guess(4, 8, 5.0, 0.0, 5.0)]]
    favour_second = again | {"weights": {"support": -1.0, "meaning": 5.0}}
    assert A.choice(question, readings, [Hit(0, 1.0), Hit(1, 1.0)], twice, {"rerank": favour_second}, toy) == (0, 0)


def test_a_close_pick_of_the_wrong_kind_passes_to_a_contender_that_shows_the_kind_asked():
    text = "Training news\n\nThe courses began in Quito. The training runs through September."  # a title line first
    first, second = text.index("The courses"), text.index("The training")
    material = [A.Material(0, first, text[first:], list(range(len(text) - first + 1)), [second - first])]
    sentences = np.array([(0, 0, 13), (0, first, second), (0, second, len(text))], dtype=np.int64)
    quito, september = text.index("Quito") - first, text.index("September") - first
    guesses = [[Guess(quito, quito + 5, 5.5, 0.0, 5.5), Guess(september, september + 9, 5.0, 0.0, 5.0)]]
    again = {"model": _Concepts.name, "top": 2, "margin": 1.0, "weights": {"support": 1.0}}

    def phrase(question: str, weights: dict, encoder=None) -> str:
        found = A.decide(question, [Hit(0, 1.0)], guesses, material, sentences, lambda d: text, weights, None, encoder)
        return text[slice(*found.phrase)]

    when = "Until when does the training run?"
    assert phrase(when, {"rerank": again}, _Concepts()) == "September"  # "Quito" is no time: its close rival is
    assert phrase(when, {"rerank": again}) == "Quito"  # no second look, no contenders: the pick stands (and abstains)
    assert phrase(when, {"rerank": again | {"margin": 0.2}}, _Concepts()) == "Quito"  # not a close call
    # "training" is of no wrong kind for a who, but shows no name: the gated pick stands
    training = text.index("training") - first
    guesses[0][1] = Guess(training, training + 8, 5.0, 0.0, 5.0)
    assert phrase("Who began the courses?", {"rerank": again}, _Concepts()) == "Quito"


def test_a_contender_that_shows_the_kind_but_is_itself_no_answer_does_not_win():
    text = "September Report\n\nThe courses began in Quito. The training runs on."  # a date only in the title
    first, second = text.index("The courses"), text.index("The training")
    material = [A.Material(0, 0, text.replace("\n", " "), list(range(len(text) + 1)), [first, second])]
    sentences = np.array([(0, 0, 16), (0, first, second), (0, second, len(text))], dtype=np.int64)
    quito = text.index("Quito")
    guesses = [[Guess(quito, quito + 5, 5.5, 0.0, 5.5), Guess(0, 9, 5.0, 0.0, 5.0)]]
    again = {"model": _Concepts.name, "top": 2, "margin": 1.0, "weights": {"support": 1.0}}
    found = A.decide("Until when does the training run?", [Hit(0, 1.0)], guesses, material, sentences,
                     lambda d: text, {"rerank": again}, None, _Concepts())
    assert text[slice(*found.phrase)] == "Quito"  # "September" shows a date, but a title is no answer


def test_shows_the_kind_asked_only_for_kinds_a_phrase_shows_by_itself():
    assert K.shows("In what year was the Commission set up?", "in 2004")
    assert not K.shows("In what year was the Commission set up?", "recently")
    assert K.shows("When did the courses begin?", "this week") and not K.shows("When did the courses begin?", "Quito")
    assert not K.shows("When are the cells deactivated?", "triggered when microbes")  # a time's word, not a date
    assert not K.shows("In what year was it first used?", "2000", "goes back over ", " years, but")  # an age
    assert not K.shows("In what year was the war launched?", "from the 1950s")  # a decade
    assert K.shows("Which ministry leads the Commission?", "the Ministry of the Government")
    assert not K.shows("Which ministry leads the Commission?", "senior officials from Colombia")
    assert K.shows("Who heads the Commission?", "Rogelio Bernal") and not K.shows("Who heads the Commission?", "some 45 officials")
    assert not K.shows("Who heads the Commission?", "headed by IOM Ecuador Chief")  # a name begins with its capital
    places = "Which foreign countries are children taken to?"
    assert K.shows(places, "Colombia and Venezuela", "children trafficked to ")
    assert not K.shows(places, "Alejandro Guidi", '"We are committed," said ')  # a name, but not where a place is
    assert not K.shows(places, "is supported by IOM missions", "the meeting which ")
    assert not K.shows("What does the plan focus on?", "Prevention")  # asks no kind a phrase shows


def test_word_pairs_keep_the_order_and_the_stop_words():
    assert A.word_pairs("The Ministry of the Interior") == {("the", "ministry"), ("ministry", "of"), ("of", "the"),
                                                            ("the", "interior")}
    assert A.word_pairs("Quito") == set()


def test_choose_threshold_bounds_false_abstentions():
    fit = _fit_module()
    conf = np.linspace(0.0, 1.0, 101)  # 101 answerable questions
    t = fit.choose_threshold(conf, 0.10)
    assert np.mean(conf < t) <= 0.10
    assert np.mean(conf < t) >= 0.09  # and not needlessly low
    assert fit.choose_threshold([], 0.1) == 0.5


def test_choose_threshold_counts_the_questions_that_abstain_whatever_the_confidence():
    fit = _fit_module()
    conf = np.linspace(0.0, 1.0, 95)  # 95 answerable questions read, and 5 more a gate abstains on
    t = fit.choose_threshold(conf, 0.10, always=5)
    assert (np.sum(conf < t) + 5) / 100 <= 0.10
    assert (np.sum(conf < t) + 5) / 100 >= 0.09
    assert fit.choose_threshold(conf, 0.10, always=20) == conf[0]  # the gates alone spend the budget: abstain on none more


def test_fit_confidence_spends_the_budget_on_gated_answers_first():
    """Answerable questions a gate abstains on count against the 10%, and the metrics abstain on them."""
    from qa.evaluate import Question

    fit = _fit_module()
    rng = np.random.default_rng(0)
    questions, reads = [], {}
    for i in range(200):
        answerable = i < 100
        questions.append(Question(f"q{i}", "Who?", ["x"] if answerable else [], ["f.txt"] if answerable else []))
        features = list(rng.normal(1.0 if answerable else -1.0, 1.0, len(A.CONFIDENCE_FEATURES)))
        reads[i] = {"answer": "x" if answerable else "y", "features": features, "gate": answerable and i < 6}
    fitted = fit.fit_confidence(questions, reads, list(range(200)), 0.10)
    below = [A.probability(fitted, reads[i]["features"]) < fitted["threshold"] for i in range(6, 100)]
    assert sum(below) + 6 <= 10 and sum(below) >= 3  # 6 gated + at most 4 by the confidence
    m = fit.metrics(questions, reads, list(range(200)), fitted)
    assert m["answerable_abstained"] == (sum(below) + 6) / 100


def test_rethreshold_keeps_the_weights_and_spends_the_budget_anew():
    """A gate added after the fit abstains on answerable questions too: the threshold drops
    so that all abstentions together stay within the budget; the weights stay as fitted."""
    from qa.evaluate import Question

    fit = _fit_module()
    rng = np.random.default_rng(1)
    questions, reads = [], {}
    for i in range(200):
        answerable = i < 100
        questions.append(Question(f"q{i}", "Who?", ["x"] if answerable else [], ["f.txt"] if answerable else []))
        features = list(rng.normal(1.0 if answerable else -1.0, 1.0, len(A.CONFIDENCE_FEATURES)))
        reads[i] = {"answer": "x", "features": features, "gate": False}
    fitted = fit.fit_confidence(questions, reads, list(range(200)), 0.10)
    assert fit.metrics(questions, reads, list(range(200)), fitted)["answerable_abstained"] <= 0.10
    for i in range(3):  # a new gate: three answerable questions abstain whatever their confidence
        reads[i] = reads[i] | {"gate": True}
    assert fit.metrics(questions, reads, list(range(200)), fitted)["answerable_abstained"] > 0.10
    again = fit.rethreshold(questions, reads, list(range(200)), fitted, 0.10)
    assert again["confidence"] == fitted["confidence"] and again["threshold"] < fitted["threshold"]
    assert 0.08 <= fit.metrics(questions, reads, list(range(200)), again)["answerable_abstained"] <= 0.10


def test_fit_logistic_learns_a_separable_rule():
    fit = _fit_module()
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3))
    y = (X[:, 0] - 2 * X[:, 2] > 0).astype(float)
    w, b = fit.fit_logistic(X, y, l2=0.1)
    acc = np.mean(((X @ w + b) > 0) == (y > 0.5))
    assert acc > 0.97
    assert w[0] > 0 and w[2] < 0 and abs(w[1]) < abs(w[0])


def test_split_is_by_article_and_unanswerables_follow_their_neighbours():
    from qa.evaluate import Question

    fit = _fit_module()
    qs = [Question("1", "q", ["a"], ["Alpha_00.txt"]), Question("2", "q", [], []),
          Question("3", "q", ["b"], ["Beta_03.txt"]), Question("4", "q", [], []), Question("5", "q", ["c"], ["Gamma_1_00.txt"])]
    arts = fit.question_articles(qs)
    assert arts == ["Alpha", "Alpha", "Beta", "Beta", "Gamma_1"]
    assert fit.split_articles(arts) == ({"Alpha", "Gamma_1"}, {"Beta"})


def test_kept_reads_are_reused_only_for_the_same_readers(tmp_path):
    fit = _fit_module()
    path = str(tmp_path / "reads.json")
    readers = [str(tmp_path / "fit.safetensors"), str(tmp_path / "report.safetensors")]
    reads = {"hybrid": {3: {"answer": "187", "features": [1.0, 2.0]}, 7: {"answer": "", "features": None}}}
    fit._save_reads(path, readers, reads)
    assert fit._load_reads(path, readers) == reads  # integer keys survive the JSON round trip
    assert fit._load_reads(path, readers[::-1]) == {}  # other readers: read again
    assert fit._load_reads(str(tmp_path / "missing.json"), readers) == {}
    assert fit._load_reads(None, readers) == {}


@pytest.mark.parametrize("text, span, expected", [
    ("In 1905 the prize went to Robert Koch for his work.", "Robert", "Robert Koch"),
    ("She met Gamal Abdul Nasser in Cairo.", "Nasser", "Gamal Abdul Nasser"),
    ("He studied at the University of\nParis for years.", "University", "University of\nParis"),
    ("The prize went to Koch, a German.", "Koch", "Koch"),  # a comma ends the name
    ("Robert Koch won it.", "Koch", "Koch"),  # the sentence's first word may be capitalised for any reason
    ("The cat sat on the mat.", "cat", "cat"),  # not a name
    ("It was Quito. Lima came next.", "Quito", "Quito"),  # never into the next sentence
    ("It runs with the Ministry of Interior this year.", "Interior", "Ministry of Interior"),  # back over "of"
    ("It ended with the Edict of Nantes in 1598.", "Nantes", "Edict of Nantes"),
    ("They came from Colombia of all places.", "Colombia", "Colombia"),  # "of" after the name: no growth back
    ("Ratzel of Germany wrote it.", "Germany", "Germany"),  # "Ratzel" is the sentence's first word
    ("It is financed by the United States Agency for International Development.", "United States Agency",
     "United States Agency for International Development"),  # "for" joins a name's words
    ("They went to Paris for lunch.", "Paris", "Paris"),  # but not a lowercase word
    ("Contact\nAna Guzmán\nIOM Ecuador", "IOM", "IOM Ecuador"),  # a block's lines are fields, not one name
    ("It backs the National Plan of Action to Combat Trafficking in Persons, the main tool.", "National Plan of Action",
     "National Plan of Action to Combat Trafficking in Persons"),  # a plan's title goes on past "to"
    ("It is a member of the Committee to Protect Journalists.", "Committee", "Committee to Protect Journalists"),
    ("She presented the Plan to Congress in May.", "Plan", "Plan"),  # one capital after "to": a destination
    ("They flew from Quito to Lima Airport.", "Quito", "Quito"),  # no plan, law or body: no title
])
def test_a_span_cut_inside_a_name_grows_to_the_whole_name(text, span, expected):
    assert shaped(P.whole_name, text, span) == expected


def test_a_grown_phrase_closes_the_quotation_it_opens():
    """The parse grows "Other Forms of ..." back over "to “Combat ..."; the mark it opens is closed."""
    text = ("Report\n\nThe IOM office in Quito is providing advice and financial support\n"
            "to the recently created Inter-institutional Commission tasked with\n"
            "the drafting of a National Plan to “Combat Human Trafficking\n"
            "and Other Forms of Sexual and Labour Exploitation” in\nEcuador.\n")
    from qa.chunk import split_sentences

    rows = np.array([(0, s, e) for s, e in split_sentences(text)], dtype=np.int64)
    start = text.index("Other Forms")
    end = start + len("Other Forms of Sexual and Labour Exploitation")
    sentence = (text.index("The IOM"), text.index("Ecuador.") + len("Ecuador."))
    (a, b), _ = A.finished("What does the Inter-institutional Commission draft?", text, (start, end), sentence, rows)
    assert text[a:b].count("“") == text[a:b].count("”")
    assert text[a:b].endswith("Exploitation”")


@pytest.mark.parametrize("text, span, expected", [
    ("Funded by the Agency for International Development (USAID).", "USAID)", "USAID"),
    ("Led by (André Lortie), a leading theologian.", "André Lortie), a leading theologian", "André Lortie"),
    ('Known as the "missing self" condition.', '"missing self', "missing self"),
    ('The "quiescent" stance.', 'quiescent"', "quiescent"),
    ('The stance was "quiescent".', '"quiescent"', '"quiescent"'),  # a pair stays
    ("It is DTIME(n2) in all.", "DTIME(n2)", "DTIME(n2)"),
    ('"Few are ever reported," explains Rogelio Bernal.', 'reported," explains Rogelio Bernal', "reported"),
    ('"Few are ever reported," Bernal said.', 'reported," Bernal said', 'reported," Bernal said'),  # edge rule only
    ('Say "There will be a division" and members vote.', 'There will be a division" and members vote',
     'There will be a division" and members vote'),  # a term in quotation marks: the answer may follow it
    ("A plan to “Combat Trafficking and Other Forms of Exploitation” in Ecuador.",
     "to “Combat Trafficking and Other Forms of Exploitation", "to “Combat Trafficking and Other Forms of Exploitation”"),
    ('A plan to "Combat Trafficking" and "Help Victims in Ecuador.', 'to "Combat Trafficking" and "Help Victims',
     'to "Combat Trafficking" and "Help Victims'),  # no closing mark before the stop: as it is
    ("It is the Advanced Steam movement.[citation needed] It grew.", "Advanced Steam movement.[citation",
     "Advanced Steam movement"),  # an editor's note ends the phrase
    ("Forces are interactions between bodies,[Note 3] and thus paired.", "interactions between bodies,[Note 3] and thus",
     "interactions between bodies"),
    ("The Bill was passed on [Date] and signed.", "on [Date", "on [Date"),  # a bracket after a space is text
])
def test_a_phrase_never_shows_half_a_bracket_or_quote_pair(text, span, expected):
    s = text.index(span)
    a, b = P.balanced(text, s, s + len(span))
    assert text[a:b] == expected
    a, b = P.one_clause(text, s, s + len(span))  # where shape applies it
    assert text[a:b] == expected


@pytest.mark.parametrize("text, span, expected", [
    ("The Central Secretariat (or Zhongshu Sheng) ruled.", "Central Secretariat (or Zhongshu Sheng",
     "Central Secretariat"),  # a bracket it opens and does not close
    ("Warsaw is a commune (gmina) of its own.", "commune (gmina", "commune"),
    ("Funded by the Agency (USAID) and others.", "the Agency (USAID)", "the Agency (USAID)"),  # closed: kept
    ("The firm (BBN) built it.", "(BBN", "(BBN"),  # opened where the phrase starts: nothing before it
])
def test_an_answer_ends_before_a_bracket_it_opens_and_does_not_close(text, span, expected):
    s = text.index(span)
    a, b = P.closed(text, s, s + len(span))
    assert text[a:b] == expected


BELGIUM = ("Children from Imbabura were trafficked to Colombia for begging while some minors, women as well as "
           "indigenous people from Imbabura had been trafficked to Belgium.")


@pytest.mark.parametrize("question, span, expected", [
    ("Which people from Imbabura had been trafficked to Belgium?", "Colombia for begging while some minors, women",
     "some minors, women"),  # the clause with more of the question's words
    ("Where were children trafficked for begging?", "Colombia for begging while some minors, women",
     "Colombia for begging"),
    ("Where were children trafficked?", "Colombia for begging", "Colombia for begging"),  # no "while" in it
    ("Who was trafficked?", "Colombia for begging while some minors, women", "Colombia for begging"),  # a tie: first
])
def test_a_phrase_over_while_keeps_the_side_of_the_question(question, span, expected):
    s = BELGIUM.index(span)
    a, b = P.one_side(question, BELGIUM, s, s + len(span), 0, len(BELGIUM))
    assert BELGIUM[a:b] == expected


def test_the_side_of_the_question_is_the_answer_s():
    s = BELGIUM.index("Colombia")
    (a, b), _ = A.finished("Which people from Imbabura had been trafficked to Belgium?", BELGIUM,
                           (s, BELGIUM.index(" as well")), (0, len(BELGIUM)), np.zeros((0, 3), dtype=np.int64))
    assert BELGIUM[a:b] == "some minors, women"


@pytest.mark.parametrize("question, text, span, expected", [
    ("What is the magnitude of force divided by?", "The magnitude of the force is divided by the mass of the system, as shown.",
     "magnitude", "mass of the system"),  # past the question's words, to the clause's end
    ("Which immune responses do female sex hormones stimulate?",
     "Female sex hormones are known immunostimulators of both adaptive and innate immune responses.",
     "Female sex hormones", "known immunostimulators of both adaptive and innate immune responses"),
    ("What does the word Norman mean?", 'The word "Norman" comes from the French words Normans.', "Norman",
     "comes from the French words Normans"),  # not the closing quote
    ("What does the Commission draft?", "The Commission drafts the National Plan.", "the National Plan",
     "the National Plan"),  # a phrase with a word the question lacks stays
    ("What is the capital?", "The capital is Quito, by far.", "Quito", "Quito"),
    ("What is the capital?", "It is the capital.", "capital", "capital"),  # nothing after it: stays
    ("Did the funds come from USAID or the ILO?", "The funds came from USAID in 2005.", "USAID", "USAID"),  # a choice
    ("Which local governments will IOM assist?", "IOM will assist by working with local governments faced with "
     "a high incidence of trafficking.", "working with local governments",
     "faced with a high incidence of trafficking"),  # the way to the echo is left behind too
    ("Which local governments will IOM assist?", "IOM will assist by meeting local governments faced with "
     "trafficking.", "meeting local governments", "meeting local governments"),  # no preposition: a verb's object
])
def test_a_phrase_of_only_the_question_s_words_moves_past_them(question, text, span, expected):
    s = text.index(span)
    a, b = P.past_the_echo(question, text, s, s + len(span), len(text))
    assert text[a:b] == expected


@pytest.mark.parametrize("question, span, expected", [
    ("Which countries took part in the meeting?", "between senior officials from Colombia, Ecuador and Peru",
     "Colombia, Ecuador and Peru"),  # the names the preposition governs
    ("Which countries took part in the meeting?", "Colombia, Ecuador and Peru", "Colombia, Ecuador and Peru"),
    ("Who took part in the meeting?", "between senior officials from Colombia, Ecuador and Peru",
     "between senior officials from Colombia, Ecuador and Peru"),  # no place asked
    ("Which countries took part in the meeting?", "senior officials from Colombia",
     "senior officials from Colombia"),  # one name: not a list
])
def test_a_place_question_keeps_the_list_of_names_its_phrase_ends_on(question, span, expected):
    text = f"The first meeting {span} ends today."
    s = text.index(span)
    a, b = P.just_the_places(question, text, s, s + len(span))
    assert text[a:b] == expected


@pytest.mark.parametrize("question, text, span, expected", [
    ("Where did Kublai move the capital to?", "He moved the capital from Karakorum in Mongolia to Khanbaliq in 1264.",
     "Karakorum in Mongolia to Khanbaliq", "Khanbaliq"),  # where it goes
    ("Where did the Grand Canal start?", "It ran from southern China to Daidu in the north.",
     "southern China to Daidu in the north", "southern China"),  # where it starts
    ("Where did the canal end?", "It ran from southern China to Daidu.", "from southern China to Daidu", "Daidu"),
    ("Where did it run?", "It ran from southern China to Daidu.", "southern China to Daidu",
     "southern China to Daidu"),  # neither end asked
    ("Where do victims originate, and where are they taken?", "They come from small towns to cities.",
     "small towns to cities", "small towns to cities"),  # both asked
    ("Where did the prices start?", "Prices rose to 60% and the sales to 20%.", "60% and the sales to 20%",
     "60% and the sales to 20%"),  # no "from": not two ends
])
def test_a_question_about_one_end_of_from_x_to_y_gets_that_end(question, text, span, expected):
    s = text.index(span)
    a, b = P.one_end(question, text, s, s + len(span), 0)
    assert text[a:b] == expected


TOOL = ("The next phase will support the National Plan of Action to Combat Trafficking in Persons, which is the "
        "government's main tool to fight the crime and focuses on preventing human trafficking.")


@pytest.mark.parametrize("question, span, expected", [
    ("What does the release call the government's main tool to fight trafficking?", "preventing human trafficking",
     "the National Plan of Action to Combat Trafficking in Persons"),  # the name its description echoes, article too
    ("What is the government's main tool?", "The next phase", "the National Plan of Action to Combat Trafficking in "
     "Persons"),
    ("What is the government's main tool?", "National Plan of Action", None),  # inside the name: it grows as any
    ("What does the plan focus on?", "preventing human trafficking", None),  # the description is not the question's
    ("Who is the government's main tool?", "The next phase", None),  # no what or which
])
def test_a_name_described_in_the_question_s_words_answers_it(question, span, expected):
    s = TOOL.index(span)
    found = P.described(question, TOOL, s, s + len(span), 0, len(TOOL))
    assert (TOOL[slice(*found)] if found else None) == expected


REPORTS = "According to published reports, there is a high incidence of trafficking for begging and labour exploitation."


@pytest.mark.parametrize("question, span, expected", [
    ("What is the source for the claim that trafficking is widespread?", "begging and labour exploitation",
     "published reports"),  # who it is according to
    ("According to whom is the incidence high?", "a high incidence", "published reports"),
    ("Who says the incidence is high?", "a high incidence", "published reports"),
    ("What is the source of heat for the engine?", "a high incidence", None),  # no source of a claim asked
    ("What is the source for the claim?", "published reports", None),  # the reader's phrase is it already
])
def test_a_source_question_gets_who_its_sentence_is_according_to(question, span, expected):
    s = REPORTS.index(span)
    found = P.source(question, REPORTS, s, s + len(span), 0, len(REPORTS))
    assert (REPORTS[slice(*found)] if found else None) == expected


def test_a_lowercase_thing_described_in_the_question_s_words_is_left_to_the_reader():
    text = "They support the plan, which is the government's main tool."  # no name to take
    assert P.described("What is the government's main tool?", text, 0, 4, 0, len(text)) is None


@pytest.mark.parametrize("text, span, expected", [
    ("It began in the 1740s, in the colonies.", "1740", "1740s"),  # a word cut by its word pieces
    ("Tel: +593.2.4449.28/29 and more", "+593.2.4449", "+593.2.4449.28/29"),  # a phone number whole
    ("In 1939, c. 1,300,000 people lived there.", "300,000", "1,300,000"),  # a figure grows back
    ("It is repeated iteratively until done.", "iterative", "iteratively"),
    ("It was Robert Koch's proof.", "Robert Koch", "Robert Koch"),  # a possessive ends a word
    ("Watt's ten-horsepower engine", "ten", "ten"),  # so does a hyphen
    ("In 1939, 300 people came.", "300", "300"),  # ", " separates two figures
])
def test_a_phrase_never_cuts_a_word_or_a_figure(text, span, expected):
    assert shaped(P.whole_words, text, span) == expected


@pytest.mark.parametrize("question, text, span, expected", [
    ("When will the seminars take place?", "In the coming months, the Commission will hold seminars.", "months",
     "the coming months"),
    ("When did the reform begin?", "It began in the early 11th century.", "11th century", "the early 11th century"),
    ("When was the crisis?", "It was the 1979 crisis.", "1979", "1979"),  # an article alone adds nothing
    ("When will the seminars take place?", "In the coming months, the Commission will hold seminars.",
     "coming months", "the coming months"),  # the article of a phrase that starts with "coming"
    ("What did they hold?", "In the coming months they hold seminars.", "seminars", "seminars"),  # not a when
])
def test_a_when_phrase_keeps_the_words_that_say_which_time(question, text, span, expected):
    s = text.index(span)
    a, b = P.whole_time(question, text, s, s + len(span), 0)
    assert text[a:b] == expected


@pytest.mark.parametrize("question, text, span, expected", [
    ("When was the tri-national meeting?", "The meeting ends today following discussions on issues.",
     "today following discussions on issues", "today"),
    ("When did the dynasty end?", "It ended in 1911 when the Qing dynasty fell.", "1911 when the Qing dynasty fell", "1911"),
    ("In what year did Savery patent his pump?", "Savery patented it in 1698 by himself.", "1698 by himself", "1698"),
    ("When did the embargo end?", "It ended in March 1974 after talks.", "March 1974 after talks", "March 1974"),
    ("When was the crisis?", "It was the 1973 oil crisis.", "the 1973 oil crisis", "1973"),  # not "the 1973"
    ("When did the rebellions take place?", "They ran between 1621 and 1629.", "between 1621 and 1629", "between 1621 and 1629"),
    ("When was al-Nimeiry overthrown?", "In 1985 the party did poorly in national elections, but in 1989 it rose.",
     "1985 the party did poorly in national elections, but in 1989", "1985"),  # the time the clause runs on from
    ("When did the war last?", "It lasted from 1756 through 1763 in Europe.", "from 1756 through 1763 in Europe",
     "from 1756 through 1763"),  # joined times are one
    ("When was it used?", "It was used in the 1980s and early 1990s at the interface.",
     "1980s and early 1990s at the interface", "1980s and early 1990s"),
    ("When did the church reform begin?", "It began in the early months of 1754.", "early months of 1754", "early months of 1754"),
    ("When was the treaty signed?", "The treaty may be signed soon.", "treaty may be signed soon", "treaty may be signed soon"),
    ("Who ended the meeting?", "The meeting ends today following talks.", "today following talks", "today following talks"),
])
def test_a_when_phrase_ends_with_its_time(question, text, span, expected):
    s = text.index(span)
    a, b = P.just_the_time(question, text, s, s + len(span), 0, len(text))
    assert text[a:b] == expected


@pytest.mark.parametrize("question, text, span, expected", [
    ("Since when has IOM worked with USAID funds?", "Since 2006, with USAID funds, IOM has worked with local authorities.",
     "local authorities", "2006"),  # the sentence's one time; "Since when" is a when-question
    ("When did IOM work with USAID?", "From 2006 to 2010 and in 2012, IOM worked with local authorities.",
     "local authorities", "local authorities"),  # two times: no telling which
    ("Who has IOM worked with since 2006?", "Since 2006, IOM has worked with local authorities.",
     "local authorities", "local authorities"),  # not a when-question
])
def test_a_when_phrase_with_no_time_takes_the_sentences_only_time(question, text, span, expected):
    s = text.index(span)
    a, b = P.just_the_time(question, text, s, s + len(span), 0, len(text))
    assert text[a:b] == expected


@pytest.mark.parametrize("question, expected", [
    ("Did IOM receive new funding from USAID?", "IOM received new funding from USAID this week."),
    ("Has the agreement been signed?", "IOM received new funding from USAID this week."),
    ("Did IOM receive funding from USAID or from the ILO?", "USAID"),  # a choice: the phrase answers it
    ("Can you tell me who gave IOM new funding?", "USAID"),  # a wh-question in disguise
    ("Who gave IOM new funding?", "USAID"),
])
def test_a_yes_no_question_is_answered_by_the_sentence_that_settles_it(question, expected):
    text = "Intro. IOM received new funding from USAID this week. Outro."
    s = text.index("USAID")
    lo, hi = text.index("IOM"), text.index(" Outro")
    (a, b), sentence = P.shape(question, text, (s, s + 5), (lo, hi), np.array([[0, lo, hi]]))
    assert text[a:b] == expected and sentence == (lo, hi)


@pytest.mark.parametrize("question, text, expected", [
    ("What Republic has maintained its control of Iran?",
     "The Islamic Republic has also maintained its control of Iran.", "Islamic Republic"),
    ("What was the ultimate development of the horizontal engine?",
     "The acme of the horizontal engine was the Corliss steam engine.", "the Corliss steam engine"),
    ("When was Bowman appointed to the Inquiry?", "In 1917, he was appointed to the Inquiry.", "1917"),
    ("Who took part in the meeting?", "Colombia and Peru were at the meeting.", "Colombia and Peru"),
    ("What did IOM sign?", "IOM has signed new agreements with Colta.", "signed new agreements with Colta"),
    ("What happened in Quito?", "Courses began and officials were trained.", "Courses began and officials were trained"),
])
def test_a_clause_keeps_the_side_of_its_verb_the_question_does_not_say(question, text, expected):
    s = 4 if text.startswith(("The ", "In ")) else 0  # the reader's span: the sentence without its first word
    s = 3 if text.startswith("In ") else s
    a, b = P.not_the_question(question, text, s, len(text) - 1)
    assert text[a:b] == expected


@pytest.mark.parametrize("question, span, expected", [
    ("Along with toys, where are such engines used?", "toys and models", "models"),
    ("Which country besides Cuba did they try to annex?", "Philippines and Cuba", "Philippines"),
    ("What is the only form kinetic energy can change into?", "kinetic or potential forms", "potential forms"),
    ("Which countries did they annex?", "Philippines and Cuba", "Philippines and Cuba"),  # neither named: both
])
def test_of_two_items_the_one_the_question_does_not_name_is_kept(question, span, expected):
    text = f"They went for {span} in the end."
    s = text.index(span)
    a, b = P.not_the_question(question, text, s, s + len(span))
    assert text[a:b] == expected


def test_a_clause_the_reader_returns_is_cut_to_what_the_question_does_not_say(calibrated):
    calibrated(bias=3.0)
    assert _extract(Scripted("cases were reported")).answer == "cases"  # "What was reported ...?"


def test_a_place_or_time_keeps_its_name_without_what_it_is_of():
    text = "Geography was shaped by Halford Mackinder of Britain."
    s = text.index("Britain")
    rows = np.array([[0, 0, len(text)]])
    for question, expected in (("Where was Halford Mackinder born?", "Britain"),
                               ("Who shaped geography?", "Halford Mackinder of Britain")):
        (a, b), _ = P.shape(question, text, (s, s + len("Britain")), (0, len(text)), rows)
        assert text[a:b] == expected


@pytest.mark.parametrize("question, text, span, expected", [
    ("In which cantons were the agreements signed?", "Agreements were signed in Guamote, Colta and\nCuenca last week.", "Guamote",
     "Guamote, Colta and\nCuenca"),
    ("Which countries took part?", "Officials from Colombia, Ecuador and Peru met.", "Colombia", "Colombia, Ecuador and Peru"),
    ("In which cities is it running?", "It runs in the cities of Quito,\nGuayaquil and Portoviejo.", "Quito",
     "Quito,\nGuayaquil and Portoviejo"),  # the plural noun followed by a verb ending in s
    ("What is the business called?", "It is Acme, Alpha and Omega.", "Acme", "Acme"),  # "is", "business": not plural
    ("Which country hosted it?", "Officials from Colombia, Ecuador and Peru met.", "Colombia", "Colombia"),  # singular
    ("Which countries took part?", "It was Colombia. Ecuador and Peru came later.", "Colombia", "Colombia"),  # next sentence
    # a list of names that ends the span grows back over the names before it
    ("Which countries took part?", "Officials from Colombia, Ecuador and Peru met.", "Ecuador and Peru", "Colombia, Ecuador and Peru"),
    ("Which provinces were they from?", "Children from Chimborazo, Tungurahua and\nImbabura provinces.", "Tungurahua and\nImbabura",
     "Chimborazo, Tungurahua and\nImbabura"),
    ("Which countries took part?", "Peru, as host. Then Ecuador and Chile met.", "Ecuador and Chile", "Ecuador and Chile"),  # sentence start
    ("Which officials spoke?", "The minister spoke after Robert Koch, Director of Health.", "Director of Health",
     "Director of Health"),  # one name, not a list: stays
    # short lowercase items, when the list ends at a punctuation mark
    ("For what purposes are they trafficked?", "They are trafficked for sexual exploitation and begging.", "sexual exploitation",
     "sexual exploitation and begging"),
    ("What forms of exploitation occur?", "Mostly sexual exploitation, domestic servitude, forced begging and forced labour.",
     "sexual exploitation", "sexual exploitation, domestic servitude, forced begging and forced labour"),
    ("What forms of exploitation occur?", "Mostly sexual exploitation and begging in the streets of the capital.",
     "sexual exploitation", "sexual exploitation"),  # the list does not end: the last item is not short
    ("What form of exploitation occurs?", "Mostly sexual exploitation and begging.", "sexual exploitation",
     "sexual exploitation"),  # singular question
])
def test_a_plural_question_gets_the_whole_list(question, text, span, expected):
    s = text.index(span)
    lo, hi = (text.index(".") + 2, len(text)) if "as host" in text else (0, len(text))
    hi = text.index(".") + 1 if "It was" in text else hi
    a, b = P.whole_list(question, text, s, s + len(span), lo, hi)
    assert text[a:b] == expected


@pytest.mark.parametrize("question, text, span, expected", [
    ("Why will IOM offer job training?", "In order to achieve the reintegration of victims, IOM will work with local NGOs.",
     "local NGOs", "achieve the reintegration of victims"),
    ("Why is the plan a priority?", "The plan is a priority, as it will provide a political base for action.", "plan",
     "it will provide a political base for action"),
    ("Why was the club relegated?", "It was relegated in 2013 because of its financial situation; fans protested.", "2013",
     "its financial situation"),
    ("Why do families rarely report cases?", "Few report them, out of fear, ignorance, or simply because it is hard.",
     "fear, ignorance", "out of fear, ignorance, or simply because it is hard"),  # a reason already, with the next
    ("Why do families rarely report cases?", "Few report them, out of fear, ignorance, or simply because it is hard.",
     "out of fear, ignorance", "out of fear, ignorance, or simply because it is hard"),
    ("Why do families rarely report cases?", "Few report them, out of fear, ignorance, or simply because it is hard.",
     "it is hard", "out of fear, ignorance, or simply because it is hard"),  # the reasons before "because"
    ("Why do families rarely report cases?", "Few report them out of fear.", "out of fear", "out of fear"),  # one
    ("Why was it relegated?", "It was relegated because of debts.", "because of debts", "because of debts"),  # holds the cue
    ("Why was it founded?", "It was founded as a school in 1901.", "1901", "1901"),  # "as a" is no cause: nothing to take
    ("When was it relegated?", "It was relegated in 2013 because of debts.", "2013", "2013"),  # not a why-question
    ("Why will IOM promote the 101 number?", "IOM will promote the 101 national police helpline as part of efforts to "
     "provide greater protection to victims.", "helpline", "to provide greater protection to victims"),  # a purpose
    ("Why was the fund set up?", "It was set up with the aim of helping victims, in 2004.", "2004", "helping victims"),
])
def test_a_why_question_gets_the_reason_clause(question, text, span, expected):
    assert shaped(P.reason, text, span, question) == expected


@pytest.mark.parametrize("question, text, span, expected", [
    ("Which US government agency funds the programme?",
     "With funding from the United States Agency for International Development, IOM works with local authorities.",
     "local authorities", "United States Agency for International Development"),
    ("Which court argued that the treaty applied?", "Mr Costa lost: the Court of Justice held that it applied.", "Mr Costa",
     "Court of Justice"),
    ("Which court argued that the treaty applied?", "The Court of Justice held that it applied.", "Court of Justice",
     "Court of Justice"),  # the phrase holds the noun already
    ("Which ministry did the Ministry of Interior consult?", "The Ministry of Interior consulted the police.", "the police",
     "the police"),  # the only such name is the question's own
    ("Which court argued that the treaty applied?", "Mr Costa lost; the court held that it applied.", "Mr Costa",
     "Mr Costa"),  # no name holds "court"
    ("What is the date?", "It was held by the Court of Justice in May.", "May", "May"),  # no asked noun
    ("Which USAID programme supports the services?", "They are supported by the USAID Grants Development Program.",
     "USAID", "USAID Grants Development Program"),  # British question, American name
    ("Which Belgian footballer claimed it?", "The Belgian Football Association backed Jean-Marc Bosman.",
     "Jean-Marc Bosman", "Jean-Marc Bosman"),  # a footballer is no football
    ("On which national plan will the local plans be based?",
     "The agreements will enable them to draft plans approved in the National Plan to Prevent and Punish Trafficking in Persons.",
     "agreements", "National Plan to Prevent and Punish Trafficking in Persons"),  # the title whole, not the asked "national plan"
    ("Which USAID program backs the services?", "They are backed by the US Agency for International Development (USAID) "
     "Grants Development Program.", "International Development", "Grants Development Program"),  # "backs" is the verb
])
def test_a_which_noun_question_gets_the_name_that_holds_the_noun(question, text, span, expected):
    assert shaped(P.named_kind, text, span, question) == expected


LABOUR = ("Forced labour recruitment, particularly street begging, street vendors and domestic servitude, begins by "
          "deceiving parents by offering education and work opportunities.")


@pytest.mark.parametrize("question, text, span, expected", [
    ("Which kinds of forced labour begin with deceiving parents?", LABOUR, "education and work opportunities",
     "street begging, street vendors and domestic servitude"),  # the examples of what is asked
    ("What types of labour begin with deceiving parents?", LABOUR, "street begging",
     "street begging"),  # inside the list: it grows as any phrase
    ("What kinds of parents are deceived?", LABOUR, "education and work opportunities",
     "education and work opportunities"),  # the examples are not of parents
    ("Which parents are deceived?", LABOUR, "education and work opportunities",
     "education and work opportunities"),  # no kinds asked
    ("Which labour recruitments are known?", LABOUR, "education and work opportunities",
     "street begging, street vendors and domestic servitude"),  # a plural noun asked: its examples
    ("Which labour recruitment is known?", LABOUR, "education and work opportunities",
     "education and work opportunities"),  # one asked
    ("What kind of arches does Norman architecture have?",
     "It has rounded arches, particularly over windows and doorways, and massive proportions.", "rounded",
     "rounded"),  # places, not kinds
])
def test_a_kinds_question_gets_the_examples_its_sentence_lists(question, text, span, expected):
    assert shaped(P.examples, text, span, question) == expected


CONTACT = "For more information, please contact\n\nAna Guzm\u00e1n\n\nIOM Ecuador\n\nTel: +593.2.2266.304\n"


@pytest.mark.parametrize("text, span, expected", [
    (CONTACT, "Ana Guzm\u00e1n\n\nIOM Ecuador\n\nTel", "Ana Guzm\u00e1n"),  # a block: one line, one field
    (CONTACT, "IOM Ecuador", "IOM Ecuador"),
    # prose wrapped at 72 columns: the lines are long, a span may cross them
    ("The agreements were signed by the municipalities of Guamote and Colta in\n"
     "the central highlands, where trafficking for begging is common among the\n"
     "indigenous population, especially children.", "central highlands, where trafficking for begging is common among the\nindigenous",
     "central highlands, where trafficking for begging is common among the\nindigenous"),
    ("Contact\nAna Guzm\u00e1n", "Ana Guzm\u00e1n", "Ana Guzm\u00e1n"),  # two lines are no block
])
def test_a_phrase_in_a_block_of_short_lines_stays_on_its_line(text, span, expected):
    assert shaped(P.one_line, text, span) == expected


def test_past_the_echo_of_a_block_name_is_its_next_line_only():
    """The reader takes the asked person's name; what follows it is the block's next line
    ("IOM Ecuador"), not that line run into "Tel"."""
    s = CONTACT.index("Ana")
    (a, b), _ = P.shape("Which office is Ana Guzm\u00e1n with?", CONTACT, (s, s + len("Ana Guzm\u00e1n")),
                        (0, len(CONTACT)), np.array([[0, 0, len(CONTACT)]]))
    assert CONTACT[a:b] == "IOM Ecuador"


@pytest.mark.parametrize("question, text, expected", [
    ("Who is Rogelio Bernal?", 'to act," explains Rogelio\nBernal, IOM Chief of Mission in Ecuador.',
     "IOM Chief of Mission in Ecuador"),
    ("Who was John Smith?", "John Smith, the president of the club, said no.", "the president of the club"),
    ("Who is John Smith?", "John Smith, who founded it, said no.", None),  # a clause, not what he is
    ("Who is John Smith?", "John Smith, 45, said no.", None),
    ("Who is John Smith?", "We met John Smith. He left.", None),  # no apposition
    ("Who did John Smith meet?", "John Smith, the president, met Ana.", None),  # not a who-is question
    ("What is Rogelio Bernal's role?", 'to act," explains Rogelio Bernal, IOM Chief of Mission in Ecuador.',
     "IOM Chief of Mission in Ecuador"),  # his role is what he is
    ("What position does John Smith hold at the club?", "John Smith, the president of the club, said no.",
     "the president of the club"),
    ("What is the role of John Smith's club?", "John Smith, the president of the club, said no.", None),
])
def test_who_is_a_person_is_their_apposition(question, text, expected):
    role = P.who_is(question, text, 0, len(text))
    assert (text[role[0]:role[1]] if role else None) == expected
    if expected:  # and shape answers with it, whatever the reader pointed at
        s = text.index("Ecuador") if "Ecuador" in text else text.index("club")
        (a, b), _ = P.shape(question, text, (s, s + 3), (0, len(text)), np.array([[0, 0, len(text)]]))
        assert text[a:b] == expected


@pytest.mark.parametrize("question, phrase, wrong", [
    ("How many calls has the helpline received?", "IOM", True),  # no amount at all
    ("How many shelters operate in Ecuador?", "2006", True),  # a bare year counts nothing
    ("How many shelters operate in Ecuador?", "in 2006", True),
    ("How many shelters operate in Ecuador?", "12", False),
    ("How many times has Polonia won the cup?", "twice", False),  # amounts in words
    ("How many lakes are there?", "several", False),
    ("What percentage of victims are children?", "Chimborazo, Tungurahua and Imbabura provinces", True),
    ("What percentage of victims are children?", "60%", False),
    ("What proportion of the budget went to shelters?", "a third", False),
    ("Who is the Minister of the Interior?", "187 cases", True),  # a who answered by a figure
    ("Who was Warsz?", "12th/13th-century nobleman", False),  # an ordinal is no figure
    ("Who is the Minister of the Interior?", "José Serrano", False),
    ("When was the Commission set up?", "the Ministry", True),  # a when with no time
    ("In what year was the Commission set up?", "an Executive Decree", True),
    ("When was the Commission set up?", "in 2004", False),
    ("When was the Commission set up?", "during the war", False),
    ("When cells divide, what do they become?", "memory cells", False),  # asks for a what, not a when
    ("On what date were the agreements signed?", "Three new cooperation agreements", True),  # a date asked
    ("On what date were the agreements signed?", "12 March", False),
    ("In what century did the Normans arrive?", "the Vikings", True),
    ("What day does the course begin?", "Monday", False),  # a weekday is a time
    ("The agreements were signed on what date?", "Three new cooperation agreements", True),  # asked mid-question
    ("France laid siege to Montpellier in what year?", "1622", False),
    ("In what year was the Commission created?", "recently", True),  # a year asked: a time word is no year
    ("In what year was the Commission created?", "in 2004", False),
    ("Who ruled France in what year?", "Louis XIII", False),  # asks for a who too
    ("What was said in the year the war ended?", "peace", False),  # no time asked
    ("Which agreements were signed?", "2012", True),  # a date alone for a which that asks no time
    ("Which agreements were signed?", "three", False),  # no kind asked that a figure contradicts
    ("What is the budget in US dollars of the agreement?", "the next three years", True),  # no sum
    ("What is the budget of the agreement?", "US$ 4.5 million", False),
    ("How much funding did the programme receive?", "Defense", True),
    ("What was the idealized value of imperialism?", "philanthropy", False),  # a value is no price
    ("What is the total value of the new agreement?", "the next three years", True),  # unless it is a sum's
    ("What is the value of the new cooperation agreement?", "US$ 4.5 million", False),
    ("What is the number of Constituency MSPs?", "Scottish MPs", True),  # a number asked, none given
    ("What is the total number of victims assisted?", "73", False),
    ("In which city was the meeting held?", "Colombia, Ecuador and Peru", True),  # one asked, three given
    ("Which countries attended the meeting?", "Colombia, Ecuador and Peru", False),
    ("In which cities will the seminars be held?", "Ecuador", True),  # several asked, one name given
    ("What tribes supported the British?", "Iroquois", True),
    ("In which cities will the seminars be held?", "Quito and Guayaquil", False),
    ("Which cities host seminars?", "Quito", False),  # "hosts" could be the verb: not told
    ("What keeps the system steady?", "Hormones", False),  # "keeps" is the verb
    ("In which cities will the seminars be held?", "the largest cities", True),  # no name: which, it does not say
    ("Which firm built it?", "Smith and Jones", False),  # a pair may be one firm's name
    ("What are the three countries?", "Colombia, Ecuador and Peru", False),  # no singular noun asked
    ("Besides strengthening the council's capacities, what will the agreement include?", "institutional capacities",
     True),  # what the question sets aside
    ("Besides strengthening the council's capacities, what will the agreement include?", "an investigation", False),
    ("What will the agreement include besides strengthening capacities?", "institutional capacities", True),  # said last
    ("The training for officials runs until when?", "in the cities of Quito", True),  # a when asked at the end
    ("The training for officials runs until when?", "September", False),
    ("In which city was the meeting held?", "between senior officials from Colombia", True),  # a place's name asked
    ("What French city was Lefevre from?", "c. 1455", True),
    ("In which city was the meeting held?", "the capital of Ecuador", False),  # half its words a name's
    ("In which cantons were agreements signed?", "Guamote, Colta and Cuenca", False),
    ("What is the phone number of Rogelio Bernal?", "Ecuador", True),  # no digit
    ("Which emergency phone number will IOM publicise?", "101", False),
    ("What is Ana Guzmán's e-mail address?", "Ana Guzmán", True),  # no "@"
    ("What is the e-mail address of IOM Quito?", "aguzman@iom.int", False),
    ("Which IOM official commented on the rise?", "begging and labour exploitation", True),  # a person's name asked
    ("Which IOM official commented on the rise?", "Rogelio Bernal", False),
    ("What is the official's role?", "chief of mission", False),  # the official's, not which official
    ("Which Peruvian ministry sent representatives?", "advisors, coordinators and directors", True),  # a body's name
    ("Which Peruvian ministry sent representatives?", "the Ministry of the Interior", False),
    ("What does the ministry say about the cases?", "cases were reported", False),  # the ministry's words, not which
    ("What is the name of the Minister of the Interior?", "coordination with the Ministry of Interior",
     True),  # a person in a role asked, a body given
    ("Who is the Minister of the Interior?", "the Ministry of Interior", True),
    ("Which IOM official commented?", "IOM Office in Quito", True),
    ("What is the name of the Minister of the Interior?", "José Serrano", False),
    ("Who heads the Commission?", "the Ministry of the Government", False),  # no role asked: a body may head it
    ("USAID funding amount ecuador?", "signed a new Cooperation Agreement", True),  # a sum asked in keywords
    ("USAID funding amount ecuador?", "US$ 4.5 million", False),
    ("What prison sentence do traffickers face?", "sexual exploitation", True),  # a term asked
    ("What prison sentence do traffickers face?", "up to 12 years", False),
    ("What is the penalty for trafficking?", "life imprisonment", False),
    ("What sentence does the report open with?", "Trafficking is a crime", False),  # a sentence of text, no penalty
    ("What is the sentence for trafficking?", "the Commission", True),
    ("Where will the next meeting be held?", "Colombia, Ecuador and Peru", True),  # one venue, three names
    ("Where will the next meeting be held?", "Lima", False),
    ("Where do the victims come from?", "Chimborazo, Tungurahua and Imbabura", False),  # no venue: several may be
])
def test_a_phrase_of_the_wrong_kind_for_the_question_is_told(question, phrase, wrong):
    assert K.wrong_kind(question, phrase, ", with funding from USAID") is wrong


@pytest.mark.parametrize("question, phrase, after, wrong", [
    ("What is Nadia Zelisko's job title at IOM Ecuador?", "Tel", ": 593.2.4449.28/29", True),  # a line's label
    ("What does the release give after the name?", "E-mail:", " nzelisko@oim.org.ec", True),
    ("What kind of phone did they use?", "mobile", " phones were cheap.", False),  # a word, not a label
    ("What were the two theories of immunity?", "cellular", " and humoral theories", False),
    ("Which firm was named?", "Telefónica", ": a firm", False),  # a word that starts like a label
])
def test_a_contact_line_s_label_answers_nothing(question, phrase, after, wrong):
    assert K.wrong_kind(question, phrase, after) is wrong


@pytest.mark.parametrize("question, phrase, after, wrong", [
    ("What percentage of Warsaw was Jewish?", "219,000", " (around 34%)", True),  # a count for a share
    ("What percentage of Warsaw was Jewish?", "34%", " in 1897", False),
    ("What percentage of Warsaw was Jewish?", "around 34", "% in 1897", False),  # the sign right after
    ("What percentage of the vote did it win?", "75 per cent", "", False),
    ("In which century did the age of imperialism begin?", "1700", ", a time", True),  # a year for a century
    ("In which century did it begin?", "the 18th", " century", False),
    ("In what century did it begin?", "the first century AD", "", False),
    ("In what century did it begin?", "the same century", "", False),
    ("In what decade did his reign start?", "1643", "", True),  # a year for a decade
    ("In what decade were injectors used?", "1850s", "", False),
    ("In what decade were injectors used?", "the 1850's", "", False),
    ("What month did the oil crisis begin?", "1979", "", True),  # a year for a month
    ("What month did the oil crisis begin?", "October 1973", "", False),
    ("How long was Warsaw the capital?", "Kraków and Vilnius", "", True),  # no time for how long
    ("How long was Warsaw the capital?", "until 1796", "", False),
    ("How long is the bridge?", "1,200 metres", "", False),
    ("How long will the agreement last?", "three years", "", False),
    ("How old must a member be?", "a number of qualifications", "", True),  # no amount
    ("How old must a member be?", "over the age of 18", "", False),
    ("How far is Quito from Lima?", "the capital", "", True),
    ("How far did the troops march?", "several miles", "", False),
    ("Where did the journey end?", "on 21 February 1804", "", True),  # a date for a where
    ("Where did the journey end?", "Abercynon, in 1804", "", False),
    ("Where did the journey end?", "1804 at Abercynon", "", False),
    ("Where is the office?", "May Street", "", False),
    ("Where did the journey end?", "February 21, 1804", "", True),
    ("Where was it signed in May?", "May", "", True),
    ("Where was it signed?", "the Ministry of Interior", "", False),
])
def test_a_share_a_time_or_a_place_asked_wants_a_phrase_of_its_kind(question, phrase, after, wrong):
    assert K.wrong_kind(question, phrase, after) is wrong


@pytest.mark.parametrize("question, phrase, after, wrong", [
    ("What brought Warsaw's stock exchange to a stop?", "1817", "", True),  # a year for a thing
    ("What was the objective of the Royal Proclamation of 1763?", "October 7", "", True),
    ("Which region invented the machine gun?", "the 1880s", "", True),  # a decade
    ("What happened after the two professors died?", "in 1805", "", True),
    ("What act sets forth the functions of the Parliament?", "Scotland Act 1998", "", False),
    ("What was signed in 1994?", "the treaty of 1994", "", False),
    ("What year was the Commission formed?", "2004", "", False),  # a time asked
    ("What is the date of the meeting?", "14 May 2012", "", False),
    ("What age did the reign reach?", "1850s", "", False),
    ("What is the total of the votes?", "1998", "", False),  # an amount asked
    ("How many people go to the games each year?", "one", " of the country's best", True),  # "one of" ranks
    ("How many books does the association endorse?", "One", " of the books it lists", True),
    ("How many books does the association endorse?", "one", " book a year", False),
    ("How many offices does IOM have in Ecuador?", "one", "", False),
])
def test_a_date_alone_answers_no_what_and_one_of_a_group_no_how_many(question, phrase, after, wrong):
    assert K.wrong_kind(question, phrase, after) is wrong


@pytest.mark.parametrize("question, phrase, wrong", [
    ("Where did British soldiers live?", "1,000", True),  # a figure for a place
    ("Where is the office?", "10 Downing Street", False),  # an address holds a name
    ("Why was Telenet purchased in 1979?", "GTE", True),  # one word for a reason
    ("Why do families not report cases?", "fear", True),
    ("Why do families not report cases?", "out of fear", False),
    ("Why do families not report cases?", "social stigma", False),
    ("When did Zhu Shijie die?", "1249–1314", True),  # a lifespan for a death
    ("When was John Gallagher born?", "1919-1980", True),
    ("When did the Jin dynasty begin?", "1115–1234", True),  # a span for its beginning
    ("In what year did the war begin?", "between 1754 and 1763", True),
    ("When did Zhu Shijie die?", "1314", False),
    ("When did the reign last?", "1249–1314", False),  # a span asked
    ("When did Watt finish his improvements?", "1763–1775", False),
])
def test_a_place_a_reason_or_a_life_s_end_asked_wants_its_kind(question, phrase, wrong):
    assert K.wrong_kind(question, phrase, ", the year he was born and died, he began and ended") is wrong


@pytest.mark.parametrize("question, phrase, wrong", [
    ("What makes detection by killer T cells more likely?", "avoiding detection by killer T cells", True),
    ("What three ways are used to measure space complexity?", "three ways to measure", True),
    ("What do trafficking victims need?", "protection for trafficking victims", False),  # two of three words
    ("What did the courses cover?", "human trafficking", False),  # new words
    ("What do trafficking victims need?", "trafficking victims", False),  # two words may be a name
])
def test_a_phrase_that_mostly_repeats_the_question_answers_nothing(question, phrase, wrong):
    assert K.wrong_kind(question, phrase) is wrong


@pytest.mark.parametrize("question, sentence, other", [
    ("When was Al-Banna born?", "Its founder Al-Banna was assassinated in 1949.", True),
    ("In what year did Henry Ware die?", "Henry Ware was elected in 1805.", True),
    ("When was the script destroyed?", "Since its invention in 1269, the script was used at court.", True),
    ("When was the library closed?", "The library was founded in 1816.", True),
    ("When was Al-Banna born?", "Al-Banna was born in 1906 in Mahmudiyya.", False),
    ("When did Temur die?", "After Temur's death in 1307, a struggle began.", False),
    ("When did Mongke die?", "Mongke was killed in 1259.", False),
    ("When was the colony destroyed?", "In 1565 the Spanish razed the colony.", False),
    ("When was the office closed?", "The office shut its doors in 2012.", False),
    ("When did Zhu Shijie die?", "Zhu Shijie (1249–1314) wrote two books.", False),  # a lifespan
    ("When was the agreement signed?", "The agreement was announced in 2012.", False),  # not one of the events
    ("Who was born in Quito?", "The minister was appointed in 2012.", False),  # not a when
])
def test_a_when_asks_the_time_of_the_event_the_sentence_speaks_of(question, sentence, other):
    assert K.other_event(question, sentence) is other
    year = re.search(r"\d{4}", sentence)
    if other:
        assert K.wrong_kind(question, year.group(), sentence[year.end():], sentence[:year.start()])


def test_a_year_like_figure_followed_by_what_it_counts_is_a_count():
    assert not K.wrong_kind("By how many kilometres was the route cut?", "2000", " kilometres, a record")
    assert K.wrong_kind("How many shelters operate?", "2006", " with funding")  # followed by a stop word
    assert K.wrong_kind("How many shelters operate?", "2006", "")
    question = "What is the number of the Executive Decree?"  # a year after "in" is a time, whatever follows
    assert K.wrong_kind(question, "2004", " following an Executive Decree", "The Commission was formed in ")
    assert not K.wrong_kind(question, "2004", " following an Executive Decree", "The Commission passed Decree ")


@pytest.mark.parametrize("question, phrase, after, wrong", [
    ("How many people attended the meeting in total?", "three", " countries aimed at eradicating", True),  # places
    ("How many victims of trafficking did IOM assist in 2012?", "11", " indictments and 5 convictions", True),
    ("How many trafficking cases were recorded in Colta?", "Three", " new cooperation agreements signed by", True),
    ("How many Ecuadorian victims were identified by the study?", "One", " ILO study revealed", True),
    ("How many cases were reported?", "187 cases", " were reported", False),  # the noun asked
    ("How many soldiers were in each Tumen?", "10,000", " troops", False),  # a synonym: not told apart
    ("How many people lived in the colonies?", "roughly 60,000", " European settlers", False),  # "settlers" not listed
    ("How many paid holiday days are required?", "4", " weeks of paid leave", False),  # two times
    ("How many of the victims were children?", "73", " children", False),  # nothing counted before "of"
    ("How many people attended?", "three", " of the countries", False),  # a stop word ends the count
    ("How many people attended?", "12", " went back home early, reports said", False),  # too far to be counted
])
def test_a_figure_that_counts_another_kind_of_thing_is_of_the_wrong_kind(question, phrase, after, wrong):
    assert K.wrong_kind(question, phrase, after) is wrong


@pytest.mark.parametrize("question, before, phrase, after, wrong", [
    ("Which local NGOs will provide job training?", "", "IOM", " will work with local NGOs to ensure job training.", True),
    ("Which local NGOs will help?", "IOM will work with local NGOs such as ", "Esperanza", ".", False),  # names after
    ("Which local NGOs will help?", "IOM will work with ", "Esperanza", " and other local NGOs.", False),  # other ones
    ("Which local NGOs will help?", "", "IOM", ", with local NGOs, will help.", True),
    ("What engines propelled ships?", "", "steam turbines", ", more efficient than reciprocating steam engines.",
     False),  # a modified noun names another kind
    ("What was invented by Savery?", "", "steam pump", " was invented by Savery, a pump that was new.", False),
    ("Which NGOs help?", "", "IOM", " works with the ministry.", False),  # the noun is not in the sentence
    ("Who works with local NGOs?", "", "IOM", " will work with local NGOs.", False),  # no which-noun asked
])
def test_a_which_noun_the_sentence_names_only_after_the_phrase_is_not_the_phrase(question, before, phrase, after, wrong):
    assert K.wrong_kind(question, phrase, after, before) is wrong


@pytest.mark.parametrize("question, after, wrong", [
    ("What is the name of the USAID mission director in Ecuador?", ", IOM Chief of Mission in Ecuador.", True),
    ("Who is the USAID mission director?", ", IOM Chief of Mission.", True),
    ("Who is the IOM Chief of Mission?", ", IOM Chief of Mission in Ecuador.", False),  # the body asked
    ("Who is the chief of mission?", ", IOM Chief of Mission.", False),  # no body asked by its acronym
    ("Who is the USAID mission director?", " said on Monday, IOM added.", False),  # no apposition
    ("What does USAID fund?", ", IOM Chief of Mission.", False),  # no person asked
    ("Who is the USAID director?", ", the director.", False),  # the apposition names no body
    ("Who is the USAID director?", ", with funding from IOM.", False),  # the apposition gives no role
])
def test_a_person_asked_of_one_body_is_not_a_person_of_another(question, after, wrong):
    assert K.wrong_kind(question, "Alejandro Guidi", after, "said ") is wrong


@pytest.mark.parametrize("question, wrong", [
    ("In Colombia, what does IOM's work concentrate on?", True),  # the phrase is Peru's
    ("What does IOM's work in Peru focus on?", False),
    ("What does IOM's work focus on?", False),  # no place asked
])
def test_a_phrase_from_another_place_s_clause_is_of_the_wrong_kind(question, wrong):
    before = "In Peru, IOM's counter-trafficking work is focusing on "
    after = " who have been trafficked to work in the sex industry while in Colombia, focus is on prevention."
    assert K.wrong_kind(question, "women", after, before) is wrong
    # and the other way round: a phrase of the second clause for the first clause's place
    assert K.wrong_kind("In Peru, what does the work focus on?", "prevention",
                        ".", before + "women while in Colombia, focus is on ") is True


@pytest.mark.parametrize("question, before, wrong", [
    ("Who leads the Commission?", "The IOM office in ", True),  # "Quito": a place
    ("Who hosted the meeting?", "It was held at the ", True),
    ("Who leads the Commission?", "The Commission is headed by the ", False),
    ("Who leads the Commission?", "", False),
    ("Where is the IOM office?", "The IOM office in ", False),  # a where-question asks for the place
    ("Who coordinates the courses?", "held in the cities of Guayaquil, ", True),  # a list of places
    ("Who coordinates the courses?", "IN THE ", True),
    ("Who loved the city?", "It was the beloved city of ", False),  # "city of" may name its person
])
def test_a_who_answered_by_a_place_is_of_the_wrong_kind(question, before, wrong):
    assert K.wrong_kind(question, "Quito", "", before) is wrong


@pytest.mark.parametrize("text, span, expected", [
    ("It was measured at the surface of the Earth.", "the surface of the", "the surface"),
    ("It played a role in spreading awareness of the network.", "spreading awareness of", "spreading awareness"),
    ("The cells make protein A in the liver.", "protein A", "protein A"),  # a capital is a name's
    ("They fought to the last before caving in.", "fought to the last before caving in",
     "fought to the last before caving in"),  # a verb's particle
    ("They used the time or space used by the machine.", "the time or space", "the time or space"),
    ("The bill passed.", "The", "The"),  # nothing before it to keep: the gate below abstains
    ("It supports on-line betting, financial applications — the Telstra network.",
     "on-line betting, financial applications —", "on-line betting, financial applications"),  # nor on a dash
])
def test_a_phrase_never_ends_on_an_article_or_a_preposition(text, span, expected):
    s = text.index(span)
    a, b = P.no_dangling(text, s, s + len(span))
    assert text[a:b] == expected


@pytest.mark.parametrize("phrase, wrong", [("A", True), ("the", True), ("an.", True), ("A reduction", False), ("Vitamin A", False)])
def test_an_article_alone_is_no_answer(phrase, wrong):
    assert K.wrong_kind("What does a reduction do?", phrase) is wrong


@pytest.mark.parametrize("question, phrase, before, wrong", [
    ("Which government body leads the Commission?", "Ecuador", "Plan to combat trafficking in ", True),
    ("Which ministry coordinates the courses?", "United States", "the courses held in ", True),
    ("Which ministry coordinates the courses?", "Ministry of Interior", "the courses held in ", False),  # a body's name
    ("Which body passed the law?", "Parliament", "the law was passed in ", False),  # a one-word body
    ("Which agency funds it?", "USAID", "as announced in ", False),  # an acronym names a body
    ("Which ministry coordinates the courses?", "Ecuador", "the Ministry of ", False),  # not after "in"
    ("Which IOM office advises the Commission?", "Quito", "The IOM office in ", False),  # an office goes by its place
    ("What body of water is it in?", "Atlantic", "it lies in ", False),
    ("What did the Commission do in Quito?", "Quito", "the Commission met in ", False),  # no body asked
])
def test_a_body_asked_is_not_the_place_it_is_in(question, phrase, before, wrong):
    assert K.wrong_kind(question, phrase, "", before) is wrong


@pytest.mark.parametrize("question, phrase, wrong", [
    ("What is the title of the ILO study on trafficked children?", "sexual exploitation", True),
    ("What was the Irish title of Polo's book?", "a prominent sight", True),
    ("What is the title of the ILO study?", "Child Trafficking in Ecuador", False),  # capitalised
    ("What is the title of the report?", '"the hidden faces"', False),  # quoted
    ("What title did the Iroquois give Johnson?", "colonel of the Iroquois", False),  # a rank, not a work's title
])
def test_a_work_s_title_is_capitalised_or_quoted(question, phrase, wrong):
    assert K.wrong_kind(question, phrase) is wrong


@pytest.mark.parametrize("question, before, after, wrong", [
    ("What role does Ecuador play in trafficking?", 'to the traffickers," explains ', ", IOM Chief", True),
    ("What role does Ecuador play in trafficking?", 'the whole process," ', " said.", True),
    ("What does Ecuador do about trafficking?", "It was done, said ", "", True),
    ("Which IOM official commented on the rise?", 'to the traffickers," explains ', "", False),  # asks for a person
    ("Who explained the rise?", 'to the traffickers," explains ', "", False),
    ("Which agency stressed the need?", 'a duty," stressed ', "", False),  # an organisation may be quoted
    ("What role does Ecuador play in trafficking?", "The plan was drafted by ", "", False),  # no quotation
    ("What role does Ecuador play in trafficking?", "In ", " they said.", False),  # not after a quotation
])
def test_the_speaker_of_a_quotation_answers_only_a_question_about_a_person(question, before, after, wrong):
    assert K.wrong_kind(question, "Rogelio Bernal", after, before) is wrong


def test_the_words_before_the_phrase_reach_the_gate(calibrated):
    calibrated(bias=3.0)  # the model alone would answer with .95
    assert _extract(Scripted("Quito"), "Who collected the cases?").abstained  # "... 2012 in Quito"
    # who reported them is whom the sentence is according to
    assert _extract(Scripted("Quito"), "Who reported the cases?").answer == "the ministry"
    assert not _extract(Scripted("Ministry of the Interior"), "Who supported the programme?").abstained


HEADLINE = "News\nGlobal\n\nIOM Trains Officials in Ecuador\n\nIOM began courses for officials in Quito and Guayaquil.\n"


@pytest.mark.parametrize("question, pointed, expected", [
    ("Where are officials trained?", "Ecuador", ""),  # a headline names the topic: abstain
    ("Where are officials trained?", "Quito and Guayaquil", "Quito and Guayaquil"),
    ("What is the headline of the release?", "IOM Trains Officials in Ecuador", "IOM Trains Officials in Ecuador"),
])
def test_a_phrase_of_the_release_s_title_is_no_answer(calibrated, question, pointed, expected):
    calibrated(bias=3.0)
    from qa.chunk import split_sentences

    sentences = np.array([(0, s, e) for s, e in split_sentences(HEADLINE)], dtype=np.int64)
    chunks = np.array([(0, 0, len(HEADLINE))], dtype=np.int64)
    ans = A.extract(question, [Hit(0, 0.9)], chunks, sentences, lambda d: HEADLINE, lambda d: "corpus/r.txt",
                    Scripted(pointed))
    assert ans.answer == expected


def test_the_title_is_the_line_after_a_menu_of_short_lines():
    from qa.corpus import title_span

    assert HEADLINE[slice(*title_span(HEADLINE))] == "IOM Trains Officials in Ecuador"  # "News", "Global" skipped
    assert title_span("\n\n") is None


def test_a_phrase_of_the_wrong_kind_abstains_with_zero_confidence(calibrated):
    calibrated(bias=3.0)  # the model alone would answer with .95
    ans = _extract(Scripted("Ministry of the Interior"), "How many cases were reported?")
    assert ans.answer == "187"  # the quantity rule finds the figure: of the right kind, answered
    ans = _extract(Scripted("Ministry of the Interior"), "When did the programme begin?")
    assert ans.answer == "2012"  # the sentence's only time: of the right kind, answered
    ans = _extract(Scripted("Ministry of the Interior"), "Besides the Ministry of the Interior, who supported it?")
    assert ans.abstained and ans.confidence == 0.0 and ans.best is not None
    assert not _extract(Scripted("Ministry of the Interior"), "Who supported the programme?").abstained


def test_a_sentence_that_says_the_opposite_of_the_question_is_no_answer(calibrated):
    """The confidence alone would answer (bias 3.0, .95): "opposed" over "support" is a gate."""
    calibrated(bias=3.0)
    ans = _extract(Scripted("Ministry of the Interior"), "Which ministry opposed the programme?")
    assert ans.abstained and ans.confidence == 0.0 and ans.best is not None
    assert _extract(Scripted("Ministry of the Interior"), "Which ministry supported the programme?").answer \
        == "Ministry of the Interior"


def test_a_phrase_in_the_contact_block_is_no_answer(calibrated):
    """A question the contact block does not answer ("Who leads the programme?") is not
    answered by its lines ("Ana Guzmán"): contact questions are read before the reader."""
    calibrated(bias=3.0)
    text = TEXT + "For more information, please contact\nAna Guzmán\nIOM Ecuador\nTel: +593 2 2266 304\n"
    chunks, sentences = _index(text)
    hits = [Hit(i, 0.8 - 0.1 * i, dense=0.5, bm25=3.0) for i in range(len(chunks))]

    def ask(phrase: str):
        return A.extract("Who leads the programme?", hits, chunks, sentences, lambda d: text, lambda d: "corpus/a.txt",
                         Scripted(phrase), "hybrid")

    assert ask("Ana Guzmán").abstained and ask("Ana Guzmán").confidence == 0.0
    assert ask("IOM Ecuador").abstained
    assert ask("Ministry of the Interior").answer == "Ministry of the Interior"  # outside the block: answered
    # a question about the person the block lists may be answered from it
    office = A.extract("Which office is Ana Guzmán with?", hits, chunks, sentences, lambda d: text,
                       lambda d: "corpus/a.txt", Scripted("IOM Ecuador"), "hybrid")
    assert office.answer == "IOM Ecuador"


@pytest.mark.parametrize("question, phrase, gated", [
    ("Who met the leaders?", ".", True), ("How many leaders met?", "…", True),
    ("Who met the leaders?", "U.N.", False), ("How many leaders met?", "7", False),
])
def test_a_phrase_with_no_letter_or_digit_is_no_answer(question, phrase, gated):
    text = f"A meeting\n\n{phrase} leaders met there."  # the first line is the release's title
    at = text.index(phrase)
    found = A.Read(0, (at, at + len(phrase)), (at, len(text)), [])
    assert A.no_answer(question, found, text) is gated


def _found(doc: int, phrase: tuple[int, int] = (0, 1)) -> "A.Read":
    return A.Read(doc, phrase, phrase, [])


def test_the_answer_s_release_is_listed_first_and_the_rest_keep_their_order():
    chunks = np.array([(0, 0, 10), (1, 0, 10), (2, 0, 10), (2, 10, 20)], dtype=np.int64)
    shown = [Hit(0, 0.9), Hit(1, 0.8), Hit(2, 0.7)]
    assert A.answer_first(shown, shown, chunks, _found(0)) is shown  # already first: unchanged
    assert [h.chunk for h in A.answer_first(shown, shown, chunks, _found(2))] == [2, 0, 1]
    # a release the list lacks enters first with the chunk read that holds the phrase
    read = [Hit(0, 0.9), Hit(2, 0.6), Hit(3, 0.5)]
    assert [h.chunk for h in A.answer_first(shown[:2], read, chunks, _found(2, (12, 14)))] == [3, 0, 1]
    assert [h.chunk for h in A.answer_first(shown[:2], read, chunks, _found(2, (2, 4)))] == [2, 0, 1]


@pytest.mark.parametrize("question, span, expected", [
    ("How do traffickers recruit children?", "Forced labour recruitment",
     "by deceiving parents with offers of education"),  # the subject gives way to the way
    ("How do traffickers recruit children?", "by deceiving parents", "by deceiving parents"),  # a way already
    ("How do traffickers recruit children?", "deceiving parents", "deceiving parents"),  # just after "by"
    ("How many traffickers recruit children?", "Forced labour recruitment", "Forced labour recruitment"),
    ("Who recruits children?", "Forced labour recruitment", "Forced labour recruitment"),
])
def test_a_how_question_takes_the_by_doing_clause(question, span, expected):
    text = "Forced labour recruitment begins by deceiving parents with offers of education, who then agree."
    assert shaped(P.manner, text, span, question) == expected


QUOTED = ('The agreements were signed on Monday. "A marked increase in cases prompted IOM to act. But few cases '
          'are reported," explains Rogelio Bernal, IOM Chief of Mission. The courses start in May.')


def _sentences(text: str) -> np.ndarray:
    from qa.chunk import split_sentences

    return np.array([(0, s, e) for s, e in split_sentences(text)], dtype=np.int64)


@pytest.mark.parametrize("question, moved", [
    ("Which IOM official commented on the rise in cases?", True),
    ("Who said that cases had increased?", True),
    ("What prompted IOM to act?", False),  # not asking who spoke
    ("Which official said the courses start in May?", False),  # the sentence quotes nobody
])
def test_a_who_said_question_is_answered_by_the_quotation_s_speaker(question, moved):
    sentences = _sentences(QUOTED)
    topic = "The courses start in May." if "May" in question else "A marked increase in cases prompted IOM to act."
    s = QUOTED.index(topic.lstrip('"'))
    sent = next((int(a), int(b)) for _, a, b in sentences if a <= s < b)
    phrase = (QUOTED.index("IOM to act"), QUOTED.index("IOM to act") + 3)
    got_phrase, got_sentence = P.speaker(question, QUOTED, phrase, sent, sentences)
    if moved:
        assert QUOTED[slice(*got_phrase)] == "Rogelio Bernal"
        assert got_sentence[0] <= got_phrase[0] and got_phrase[1] <= got_sentence[1]
    else:
        assert (got_phrase, got_sentence) == (phrase, sent)


@pytest.mark.parametrize("question, text, expected", [
    ("What did Rogelio Bernal say?", QUOTED, "A marked increase in cases prompted IOM to act. But few cases are reported"),
    ("What did the IOM Chief of Mission say about cases?", QUOTED,
     "A marked increase in cases prompted IOM to act. But few cases are reported"),  # the speaker's title
    ('What has Guidi said?', 'They met. "We must act now," Guidi said on Monday. It ended.', "We must act now"),
    ("What did Ana Guzmán say?", QUOTED, None),  # someone else is quoted
    ("What prompted IOM to act?", QUOTED, None),  # not asking what was said
    ("What did Rogelio Bernal say?", "Rogelio Bernal spoke on Monday. The courses start in May.", None),  # no quotation
])
def test_what_someone_said_is_answered_by_their_quotation(question, text, expected):
    sentences = _sentences(text)
    _, lo, hi = sentences[1]
    got = P.quoted(question, text, (int(lo), int(hi)), sentences)
    if expected is None:
        assert got is None
    else:
        (a, b), (c, d) = got
        assert text[a:b] == expected
        assert c <= a and b <= d and text[c:d].count('"') == 2  # the cited sentences hold the whole quotation


AGENT = ("Since 2006, with funding from the United States Agency for International Development (USAID), IOM has "
         "worked with national and local authorities and moved its office from Quito.")


@pytest.mark.parametrize("question, span, expected", [
    ("Who funds IOM's work?", "national and local authorities", "United States Agency for International Development"),
    ("Which agency has funded the work?", "national and local authorities",
     "United States Agency for International Development"),
    ("Who funds IOM's work?", "IOM", "IOM"),  # a name the reader took stands
    ("What funds IOM's work?", "national and local authorities", "national and local authorities"),  # no who
    ("Who moved the office?", "its office", "its office"),  # "from Quito" after a verb is a place, not an agent
    ("Who works with national authorities?", "national and local authorities", "national and local authorities"),
])
def test_a_who_question_takes_the_agent_after_its_verb_and_by_or_from(question, span, expected):
    assert shaped(P.agent, AGENT, span, question) == expected


@pytest.mark.parametrize("question, phrase, expected", [
    ("Who has elected the President since 1990?", "by the City council", "the City council"),
    ("Whom was the law enforced by?", "by the courts", "the courts"),
    ("How do traffickers recruit children?", "by deceiving parents", "by deceiving parents"),  # not a who
    ("Who stood by the door?", "by", "by"),  # nothing after it
    ("Who wrote the byline?", "bylines of reporters", "bylines of reporters"),  # a word, not "by"
    ("When was Zia-ul-Haq killed?", "in 1988", "1988"),
    ("In what year was it founded?", "in 1724", "1724"),
    ("When are committees established?", "at the beginning of each session", "the beginning of each session"),
    ("When was there a rise in nationalism?", "during the late 1960s", "the late 1960s"),
    ("Where was the meeting held?", "in Quito", "in Quito"),  # a place keeps its "in"
    ("When did it begin?", "inflation", "inflation"),  # a word, not "in"
])
def test_a_who_or_a_when_is_answered_without_the_preposition_before_it(question, phrase, expected):
    text = f"It was done {phrase}."
    start = text.index(phrase)
    a, b = P.without_preposition(question, text, start, start + len(phrase))
    assert text[a:b] == expected


MEETING = ("The first meeting between senior officials from Colombia, Ecuador and Peru ends today; "
           "delegates from the three countries, experts from Quito and Jaime Paredes from IOM attended.")


@pytest.mark.parametrize("question, span, expected", [
    ("Who attended the meeting?", "senior officials", "senior officials from Colombia, Ecuador and Peru"),
    ("Who attended the meeting?", "experts", "experts from Quito"),
    ("Who attended the meeting?", "delegates", "delegates"),  # "from the three countries" names no one
    ("Who attended the meeting?", "Jaime Paredes", "Jaime Paredes"),  # a name stands
    ("What officials attended the meeting?", "senior officials", "senior officials"),  # not a who
])
def test_a_who_s_common_noun_keeps_the_names_it_comes_from(question, span, expected):
    text = MEETING
    s = text.index(span)
    assert text[s:P.from_where(question, text, s, s + len(span), len(text))] == expected


@pytest.mark.parametrize("phrase, expected", [
    ("1941 and remained its leader until 1972", "1941"),
    ("Ariq Böke, was challenging his claim", "Ariq Böke"),
    ("herbal remedies, which was distinguished from cures", "herbal remedies"),
    ("Khanbaliq, constructing a new city", "Khanbaliq"),
    ("straight line (see world line)", "straight line"),
    ("T cell receptor (TCR)", "T cell receptor"),
    ("Colombia, Ecuador and Peru", "Colombia, Ecuador and Peru"),  # a list is one phrase
    ("Nanjing, Beijing and Xi'an", "Nanjing, Beijing and Xi'an"),  # names ending in -ing are no clause
    ("sexual exploitation and begging", "sexual exploitation and begging"),
    ("sexual exploitation, forced begging and forced labour", "sexual exploitation, forced begging and forced labour"),
    ("Ford and United Airlines", "Ford and United Airlines"),
    ("the ratio (a/b) of the two", "the ratio (a/b) of the two"),  # an aside inside stays
    ("(TCR)", "(TCR)"),  # nothing would be left
])
def test_a_phrase_ends_where_a_new_clause_begins(phrase, expected):
    text = f"Before: {phrase}. After."
    s = text.index(phrase)
    a, b = P.one_clause(text, s, s + len(phrase))
    assert text[a:b] == expected


RULES_TEXT = (
    "Report\n\n"
    "Maududi founded the party in 1941 and remained its leader until 1972.\n"
    "Forced labour recruitment begins by deceiving parents with offers of education, who then agree.\n"
    "\"A marked increase in cases prompted IOM to act. But few cases are reported,\" explains Rogelio "
    "Bernal, IOM Chief of Mission.\n"
    "King George's War was fought in the 1740s in the colonies.\n"
    "IOM will support the National Plan of Action, which is the government's main tool, and its seminars.\n"
    "Kublai moved the capital from Karakorum to Khanbaliq in 1264.\n"
    "Child labour, particularly street begging and domestic servitude, is widespread in the region.\n"
    "According to the Ministry, the courses were set up last year.\n"
    "The meeting gathered officials from Chile, Peru and Bolivia.\n"
)


@pytest.mark.parametrize("question, pointed, expected", [
    ("When did Maududi found the party?", "1941 and remained its leader", "1941"),  # one_clause
    ("How do traffickers recruit children?", "Forced labour recruitment",
     "by deceiving parents with offers of education"),  # manner
    ("Which IOM official commented on the increase in cases?", "IOM to act", "Rogelio Bernal"),  # speaker
    ("What did Rogelio Bernal say?", "IOM Chief of Mission",
     "A marked increase in cases prompted IOM to act. But few cases are reported"),  # quoted
    ("When was King George's War fought?", "the 1740", "the 1740s"),  # whole_words
    ("What does forced labour recruitment begin by?", "Forced labour recruitment",
     "deceiving parents with offers of education"),  # past_the_echo
    ("What is the government's main tool?", "its seminars", "the National Plan of Action"),  # described
    ("Where did Kublai move the capital to?", "Karakorum to Khanbaliq", "Khanbaliq"),  # one_end
    ("Which countries sent officials?", "officials from Chile, Peru and Bolivia", "Chile, Peru and Bolivia"),  # places
    ("Which kinds of child labour are widespread?", "widespread in the region",
     "street begging and domestic servitude"),  # examples
    ("According to whom were the courses set up?", "the courses", "the Ministry"),  # source
])
def test_the_phrase_rules_shape_the_answer_extract_gives(calibrated, question, pointed, expected):
    calibrated(bias=3.0)
    from qa.chunk import split_sentences

    sents = split_sentences(RULES_TEXT)
    sentences = np.array([(0, s, e) for s, e in sents], dtype=np.int64)
    chunks = np.array([(0, 0, len(RULES_TEXT))], dtype=np.int64)
    ans = A.extract(question, [Hit(0, 0.9)], chunks, sentences, lambda d: RULES_TEXT, lambda d: "corpus/r.txt",
                    Scripted(pointed))
    assert ans.answer == expected
    assert ans.citations[0].quote[slice(*ans.highlight)] == expected


@pytest.mark.parametrize("question, text, span, expected", [
    ("What type of shelters will IOM find?", "IOM will identify functioning shelters for victims.", "functioning",
     "functioning shelters"),  # the modifier grows to its noun
    ("What kind of action does the plan encourage?", "It encourages comprehensive and coordinated action.",
     "comprehensive", "comprehensive and coordinated action"),
    ("How many men were in the army?", "The army had 30,000 men.", "30,000", "30,000"),  # a figure stays bare
    ("What kind of support is IOM giving?", "IOM is providing advice and financial support to the Commission.",
     "advice and financial", "advice and financial support"),  # a list ending on an adjective grows to its noun
    ("Which provinces do the children come from?",
     "Children come from the Chimborazo, Tungurahua and Imbabura provinces.", "Chimborazo, Tungurahua and Imbabura",
     "Chimborazo, Tungurahua and Imbabura"),  # a list of names is whole without the noun the question names
    ("What will the study enable the authorities to do?",
     "This study will enable authorities to put in place more effective preventive measures.", "preventive measures",
     "put in place more effective preventive measures"),  # "to do" asks for the verb over its object
    ("What will the study enable the authorities to put in place?",
     "This study will enable authorities to put in place more effective preventive measures.", "preventive measures",
     "preventive measures"),  # the question names the verb
    ("What will they be able to do?", "What they draft is a plan.", "What", "What"),  # its verb after it: no growth
    ("What will the agreements allow local authorities to do?",
     "The agreements will enable local authorities to draft local plans and public policies.", "draft local plans",
     "draft local plans and public policies"),  # a phrase that holds its verb grows as any other
    ("What kinds of growth did Kublai encourage?", "Kublai encouraged commercial, scientific, and cultural growth.",
     "commercial, scientific, and cultural", "commercial, scientific, and cultural"),  # a list of adjectives is whole
    ("Which groups are trafficked?", "Victims include children, adolescents, women and men.", "women and men",
     "children, adolescents, women and men"),  # the whole list
    ("For what forms of exploitation are they trafficked?",
     "Ecuadorians are trafficked internally and abroad mostly for sexual exploitation, domestic servitude, forced "
     "begging and forced labour.", "sexual",
     "sexual exploitation, domestic servitude, forced begging and forced labour"),
    ("Who signed the agreement?", "The agreement was signed by IOM and the Ministry of Health.", "IOM",
     "IOM and the Ministry of Health"),
    ("Which body is a member?", "Members are the Council of Women, the Ministry of Health and the Police.",
     "Ministry of Health", "Ministry of Health"),  # one is asked for
    ("Apart from Colombia, which countries are destinations?",
     "Victims go to Chile, Colombia and Venezuela.", "Chile", "Chile"),  # the question names an item
    ("What do the projects provide?",
     "They provide medical and legal assistance, as well as research and training.", "medical and legal assistance",
     "medical and legal assistance"),  # "as well as" adds something else
    ("Where do the victims go?", "Victims go to Quito.", "Quito", "Quito"),  # nothing next to it
    ("What will the agreements allow local authorities to do?",
     "The agreements will enable local authorities to draft local plans, public policies and legislative measures "
     "approved in the National Plan.", "draft local plans",
     "draft local plans, public policies and legislative measures"),  # a verb's object list, not its clause
    ("What did the theory lead to?", "The theory led to quantum electrodynamics (or QED) in 1948.",
     "quantum electrodynamics", "quantum electrodynamics"),  # never half a bracket
    ("What is the focus of IOM's counter-trafficking work in Peru?",
     "In Peru, IOM's work is focusing on women who have been trafficked to work in the sex industry.", "women",
     "women who have been trafficked to work in the sex industry"),  # the clause that says which women
    ("What cytokines are responsible for communication between white blood cells?",
     "Cells release interleukins that are responsible for communication between white blood cells.", "interleukins",
     "interleukins"),  # a clause that repeats the question says nothing new
    ("What type of cascade follows?", "It starts a catalytic cascade that amplifies the initial signal.",
     "catalytic cascade", "catalytic cascade"),  # a type is asked, not which one
    ("What is the purpose of the seminars?",
     "The Commission will hold seminars to discuss the National Plan and to collect pertinent information.",
     "to discuss the National Plan", "to discuss the National Plan and to collect pertinent information"),
    ("What did the crusaders do?", "In 1096, crusaders passed by Amalfi and joined Bohemond.", "joined Bohemond",
     "joined Bohemond"),  # a finite verb's clause never grows back to its subject
    ("What role will IOM play in the workshops?", "IOM will support the development of these workshops.", "support",
     "support the development of these workshops"),  # a lone verb keeps its object
])
def test_a_phrase_grows_to_its_noun_and_its_list(question, text, span, expected):
    s = text.index(span)
    a, b = C.whole(question, text, s, s + len(span), 0, len(text))
    assert text[a:b] == expected


@pytest.mark.parametrize("question, text, expected", [
    ("What led IOM to go to the highland areas?",
     "A marked increase in the number of cases of human trafficking prompted IOM to visit the areas.",
     "A marked increase in the number of cases of human trafficking"),  # the cause is the verb's subject
    ("What led to Newcastle's fall?", "The British failures in North America led to his fall in 1756.",
     "The British failures in North America"),
    ("What did IOM visit?", "A marked increase in cases prompted IOM to visit the areas.", None),  # no cause asked
    ("What led IOM to the highlands?", "IOM went to the highlands in 2012.", None),  # the sentence names no cause
])
def test_a_what_led_question_gets_the_subject_of_its_cause(question, text, expected):
    found = C.cause(question, text, 0, len(text))
    assert (text[slice(*found)] if found else None) == expected


PLAN = ("The next phase will centre on providing support for the National Plan of Action, which is the main tool "
        "and focuses on preventing human trafficking, protecting its victims and prosecuting the traffickers.")
FOCUS = ("In Peru, IOM's work is focusing on women who have been trafficked, while in Colombia, focus is on the "
         "prevention of trafficking.")


@pytest.mark.parametrize("question, text, span, expected", [
    ("What are the three areas the National Plan of Action focuses on?", PLAN, "National Plan of Action",
     "preventing human trafficking, protecting its victims and prosecuting the traffickers"),  # the word's object
    ("What are the three areas the plan focuses on, per the funding release?", PLAN, "the main tool",
     "preventing human trafficking, protecting its victims and prosecuting the traffickers"),  # the aside set apart
    ("In Colombia, what does IOM's work focus on?", FOCUS, "women", "the prevention of trafficking"),  # not Peru's
    ("In Peru, what does IOM's work focus on?", FOCUS, "Colombia", "women who have been trafficked"),
    ("What does the plan focus on?", PLAN, "preventing human trafficking", None),  # inside the object: it grows as any
    ("What does the plan rely on?", PLAN, "the main tool", None),  # the sentence says no such thing
    ("What month is the vote held on?", "The vote is held on the first Thursday in May.", "May", None),  # a time asked
    ("Which region is Hebei part of?", "Hebei was part of the Central Region, next to Henan.", "Henan", None),  # a name
])
def test_a_question_ending_on_its_preposition_gets_that_prepositions_object(question, text, span, expected):
    s = text.index(span)
    found = C.stranded(question, text, s, s + len(span), 0, len(text))
    assert (text[slice(*found)] if found else None) == expected


CUENCA = ("In Cuenca, the agreement aims to strengthen the capacities of the council and will include an "
          "investigation to determine the causes of trafficking of children, which will allow the authorities to act.")
DRAFT = ("The agreements will enable local authorities to draft local plans, public policies and legislative measures "
         "approved in the National Plan.")


@pytest.mark.parametrize("question, text, span, expected", [
    ("Besides strengthening the council's capacities, what will the Cuenca agreement include?", CUENCA,
     "capacities", "an investigation to determine the causes of trafficking of children"),  # not the ", which" aside
    ("What will the Cuenca agreement include besides capacity building?", CUENCA, "capacities",
     "an investigation to determine the causes of trafficking of children"),  # the aside after the verb set apart
    ("What does the agreement enable local authorities to draft?", DRAFT, "draft local plans",
     "local plans, public policies and legislative measures"),  # a list, without its last item's clause
    ("What will the Cuenca agreement include?", CUENCA, "investigation", None),  # inside the object: it grows as any
    ("What will the Cuenca agreement fund?", CUENCA, "capacities", None),  # the sentence says no such thing
    ("When will the Cuenca agreement include it?", CUENCA, "capacities", None),  # a time is asked
    ("Which study will the Cuenca agreement include?", CUENCA, "capacities", None),  # one named thing is asked
    ("What will the authorities include?", "The authorities will include the authorities.", "The", None),  # nothing new
])
def test_a_question_ending_on_its_verb_gets_that_verbs_object(question, text, span, expected):
    s = text.index(span)
    found = C.object_of(question, text, s, s + len(span), 0, len(text))
    assert (text[slice(*found)] if found else None) == expected


HELPLINE = "In addition, IOM will promote the 101 national police helpline as part of its efforts."


@pytest.mark.parametrize("question, text, span, expected", [
    ("What kind of service is 101?", HELPLINE, "helpline", "national police helpline"),  # not the article or figure
    ("What type of service is 101?", HELPLINE, "helpline", "national police helpline"),
    ("What service is 101?", HELPLINE, "helpline", None),  # no kind asked
    ("What kind of service is 101?", HELPLINE, "national police helpline", None),  # more than one word already
    ("What kind of service is 101?", HELPLINE, "efforts", None),  # nothing modifies it
    ("What kind of thing do they use?", "They use tools.", "tools", None),  # a verb does not modify a noun
    ("What kind of tool is it?", "It is a very basic tool.", "tool", "very basic tool"),  # with what modifies them
    ("What kind of service is it?", "It is the state police helpline.", "helpline", "state police helpline"),
    ("What kind of service is it?", "It is the free 101 national helpline.", "helpline", "national helpline"),  # up to 101
    ("What kind of division did it have?", "It had a Chinese tripartite division.", "tripartite", None),  # no noun
])
def test_a_kind_is_said_by_the_words_before_the_noun(question, text, span, expected):
    s = text.index(span)
    found = C.kind_of(question, text, s, s + len(span), 0, len(text))
    assert (text[slice(*found)] if found else None) == expected


def test_a_kind_s_noun_grows_in_the_answer():
    s = HELPLINE.index("helpline")
    assert HELPLINE[slice(*C.whole("What kind of service is 101?", HELPLINE, s, s + 8, 0, len(HELPLINE)))] == \
        "national police helpline"


@pytest.mark.parametrize("question, text, span, expected", [
    ("What will the agreements allow the municipalities to do?", DRAFT, "local authorities",
     "draft local plans, public policies and legislative measures"),  # what they are enabled to do, grown
    ("What will the agreements allow the municipalities to do?", DRAFT, "The agreements", "draft local plans, "
     "public policies and legislative measures"),  # the subject: the same
    ("What will the agreements allow the municipalities to do?", DRAFT, "public policies",
     "local plans, public policies and legislative measures approved in the National Plan"),  # inside: grows as any
    ("What will the agreements allow?", DRAFT, "local authorities", "local authorities"),  # no "to do" asked
    ("What will the agreements allow the municipalities to do?", "The agreements aim to draft local plans.",
     "The agreements", "The agreements"),  # no one is enabled: what they aim at is not what is asked
    ("What will the new funding let IOM do?", "The agreement will allow IOM to continue its activities.",
     "The agreement", "continue its activities"),  # "let ... do?"; IOM parsed as the subject of "continue"
])
def test_a_to_do_question_gets_what_the_sentence_enables_someone_to_do(question, text, span, expected):
    s = text.index(span)
    a, b = C.whole(question, text, s, s + len(span), 0, len(text))
    assert text[a:b] == expected


class FirstFound:
    """A reader that points, in each passage, at the first of its phrases the passage holds."""

    def __init__(self, *phrases: str) -> None:
        self.phrases, self.calls = phrases, 0

    def read(self, question, passages, sentence_starts=None):
        self.calls += 1
        spans = [next(((i, i + len(f)) for f in self.phrases if (i := p.find(f)) >= 0), (0, 0)) for p in passages]
        return [[Guess(s, e, 5.0, 0.0, 5.0)] for s, e in spans]


PLACES = ("Report\n\nIn Peru, IOM's work is focusing on women who have been trafficked, while in Colombia, "
          "focus is on the prevention of trafficking.\n")


@pytest.mark.parametrize("question, expected, reads", [
    ("In Colombia, what does IOM's work concentrate on?", "the prevention of trafficking", 2),  # read again
    ("What is IOM's focus in Colombia?", "the prevention of trafficking", 2),
    ("In Peru, what does IOM's work concentrate on?", "women who have been trafficked", 1),  # the place asked
    ("What does IOM's work concentrate on?", "women who have been trafficked", 1),  # no place asked
])
def test_the_clause_about_the_place_asked_is_read_again(calibrated, question, expected, reads):
    calibrated(bias=3.0)
    from qa.chunk import split_sentences

    sentences = np.array([(0, s, e) for s, e in split_sentences(PLACES)], dtype=np.int64)
    chunks = np.array([(0, 0, len(PLACES))], dtype=np.int64)
    reader = FirstFound("women", "the prevention of trafficking")
    ans = A.extract(question, [Hit(0, 0.9)], chunks, sentences, lambda d: PLACES, lambda d: "corpus/r.txt", reader)
    assert ans.answer == expected
    assert ans.citations[0].quote[slice(*ans.highlight)] == expected
    assert reader.calls == reads  # only a phrase of another place's clause costs a second read


@pytest.mark.parametrize("question, expected", [
    ("In Colombia, what is the focus?", ", focus is on the prevention."),
    ("In Peru, what is the focus?", ", IOM is focusing on women, "),  # to the next place's clause
    ("In Chile, what is the focus?", None),
])
def test_the_clause_about_a_place_runs_to_the_next_places(question, expected):
    sentence = "In Peru, IOM is focusing on women, while in Colombia, focus is on the prevention."
    found = K.place_clause(question, sentence)
    assert (sentence[slice(*found)] if found else None) == expected


LURED = ("In cases of sexual exploitation, victims are lured romantically or with promises of legitimate employment "
         "and then forced into prostitution.")


@pytest.mark.parametrize("question, span, expected", [
    ("How do traffickers lure victims into sexual exploitation?", "forced into prostitution",
     "lured romantically or with promises of legitimate employment"),  # the way, with its verb
    ("How are victims recruited?", "victims", "lured romantically or with promises of legitimate employment"),
    ("How do traffickers lure victims?", "romantically", None),  # the reader's phrase holds the way already
    ("What are victims forced into?", "forced into prostitution", None),  # not a how-question
    ("How do traffickers lure victims?", "lured", None),
])
def test_a_how_question_gets_the_way_its_sentence_names(question, span, expected):
    s = LURED.index(span)
    found = C.way(question, LURED, s, s + len(span), 0, len(LURED))
    assert (LURED[slice(*found)] if found else None) == expected


def test_a_lone_manner_adverb_is_not_the_way():
    text = "The votes are weighted inversely to member state size."  # "weighted inversely" was worse on SQuAD
    s = text.index("member state size")
    assert C.way("How are the votes weighted?", text, s, s + 17, 0, len(text)) is None


def test_a_missing_parser_is_a_model_error_not_a_traceback(monkeypatch):
    from qa.errors import ModelError

    monkeypatch.setattr(C, "PIPELINE", "no_such_spacy_pipeline")
    C.parser.cache_clear()
    try:
        with pytest.raises(ModelError, match="cannot load the parser no_such_spacy_pipeline"):
            C.parser()
    finally:
        C.parser.cache_clear()


COMMISSION = ("It is made up of the National Council of Women, the Department of Human Rights of the Ministry of "
              "Foreign Relations, the National Institute of Children and the Ministry of Public Health.")


@pytest.mark.parametrize("question, span, expected", [
    ("Which health ministry sits on the Commission?", "National Council of Women", "Ministry of Public Health"),
    ("Which human rights body is a member?", "National Council of Women", "Department of Human Rights"),
    ("Which body is a member?", "National Council of Women", "National Council of Women"),  # no modifier to go by
    ("Which Belgian body is a member?", "National Council of Women", "National Council of Women"),  # a name's word
    ("Which health ministry sits on the Commission?", "Ministry of Public Health", "Ministry of Public Health"),
    ("Which UN children's institute is a member?", "National Council of Women", "National Institute of Children"),
    ("Which UN body is a member?", "National Council of Women", "National Council of Women"),  # no lowercase modifier
    ("Which public health body is a member?", "National Council of Women", "Ministry of Public Health"),
])
def test_the_asked_noun_s_modifier_picks_the_name_among_many(question, span, expected):
    assert shaped(P.modified_name, COMMISSION, span, question) == expected


def test_a_modifier_akin_to_a_name_s_word_picks_it():
    text = ("IOM has supported the Child Welfare Police, the Ministry of Foreign Affairs, the International Labour "
            "Organization and the Public Prosecutor’s Office.")
    assert shaped(P.modified_name, text, "Child Welfare Police", "Which prosecuting authority is among them?") == \
        "Public Prosecutor’s Office"
    assert shaped(P.modified_name, text, "Child Welfare Police", "Which UN labour agency has IOM supported?") == \
        "International Labour Organization"


def test_the_asked_modifier_needs_a_list_of_names():
    text = "The Ministry of Public Health said the National Council of Women led it."  # two names: no list
    assert shaped(P.modified_name, text, "National Council of Women", "Which health ministry led it?") == \
        "National Council of Women"


@pytest.mark.parametrize("question, one", [
    ("Which human rights body is a member?", True),  # its noun is "body"
    ("Which bodies are members?", False),
    ("Which groups of people are trafficked?", False),
    ("What kind of action does it encourage?", False),
])
def test_whether_a_question_asks_for_one_thing(question, one):
    assert C.asks_one(question) is one


@pytest.mark.parametrize("text, span, expected", [
    ("The Plan focuses on preventing human trafficking, protecting its victims and prosecuting the traffickers.",
     "protecting its victims and prosecuting the traffickers",
     "preventing human trafficking, protecting its victims and prosecuting the traffickers"),  # the list's first item
    ("The Plan focuses on prevention, protecting its victims and prosecuting the traffickers.",
     "protecting its victims and prosecuting the traffickers",
     "protecting its victims and prosecuting the traffickers"),  # the item before is no "-ing" clause
    ("It began by training, protecting victims.", "protecting victims", "protecting victims"),  # not a list
])
def test_a_list_of_ing_clauses_grows_back_over_its_first_items(text, span, expected):
    s = text.index(span)
    assert text[P.gerunds_before(text, s, s + len(span), 0):s + len(span)] == expected
