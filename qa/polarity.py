"""Whether a question says the opposite of the sentence that would answer it.

A question turned around, by a "not" or by a word swapped for its opposite ("least" for
"most", "before" for "after"), still shares nearly every word with the sentence that
answered the original, so retrieval and the reader find that sentence and answer from it.
SQuAD 2.0 writes many of its unanswerable questions that way. Two confidence features
(``qa/answer.py``) catch it: the question asserts a negation the sentence lacks, or it holds
a word whose opposite the sentence holds instead; the second is also a gate
(``answer.no_answer``). No antonym lexicon ships offline
(WordNet's data is downloaded at run time), so the opposites are listed here: adjectives
and their comparatives and superlatives, time order, direction and a few outcomes, the
sexes ("How many boys …?" over "… 5,000 girls …"; not siblings or spouses: "Emma's
brother" is the one she is "sister of"), changes, outcomes and states ("failure" over
"success", "attractive" over "repulsive"; not converses such as "won" / "defeated",
"sent" / "received" or "imported" / "exported", nor "day" / "night" ("What time of day
…?" over "… at night") or "input" / "output" (a verb too)), and the ordinals, each the
opposite of every other ("the second item" over "the first item"). A word negated by its
prefix is the opposite of the bare word ("non-Muslims" over "Muslims", "unnatural" over
"natural", "asynchronously" over "synchronously", and the other way round for "non", "un",
"ab", "mis" and "a": "balanced" over "unbalanced"; "a" negates only an adjective or
adverb), unless the sentence negates the bare word itself ("not known"); so is a word
negated by "-less" ("motion" over "motionless"), a vice, deputy or assistant over the
plain office ("vice president" over "president"), a figure bounded the other way ("under
18" over "over the age of 18"), "from" a place over "to" it after the same word ("fled
from southern Italy" over "fled to southern Italy") and a place asked "outside of" over a
sentence in it. A question for the least or fewest of something is not answered by a
sentence that ranks nothing low ("the least important" over "an important"; not "at
least"), nor a count by a sentence that counts the same thing otherwise ("two consistent
theories" over "one consistent theory") or the same number of another time unit ("three
weeks" over "three days"), nor a year by a sentence that gives only other years. Nor does
a question that names another thing than the sentence in the same place ("the Han
Japanese" over "the Han Chinese", "DECnet Phase I" over "DECnet Phase II") when the
release never names it (``name_swap``, a gate only).
Measured in eval/NOTES.md.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

_NEGATED = re.compile(r"\b(?:not|never|no|cannot|unable)\b(?!\.\s*\d)|n['’]t\b", re.IGNORECASE)  # not "No. 5"
_NEGATION = re.compile(r"\b(?:not|never|no|none|nothing|nobody|nowhere|neither|nor|without|cannot|lack\w*|fail\w*"
                       r"|refus\w*|den(?:y|ies|ied)|absen\w*|unable|less|few|rarely|seldom|hardly)\b|n['’]t\b",
                       re.IGNORECASE)
_WORD = re.compile(r"[a-z]+")
_HYPHENATED = re.compile(r"[a-z]+(?:-[a-z]+)*")
# words of the question that are no opposite asked: "How long will the agreement last?"
# asks neither a long one nor a last one (not over "a short first phase"), and "North
# America" or "the Middle East" is a name
_DEGREE = re.compile(r"\bhow\s+(?:long|short|large|small|big|old|high|low|far|early|late|fast|slow|deep|wide)\b", re.IGNORECASE)
_LAST_VERB = re.compile(r"\blast(?=\s*(?:[?.!]|$)|\s+(?:in|for|until|till|through|over|beyond|longer|about|from|into|up)\b)")
_COMPASS = {"North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western"}
_LEAST = re.compile(r"(?<!\bat )\bleast\b|\bfewest\b")
_LOW = re.compile(r"\b(?:least|fewest|lowest|smallest|minimum|minimal|less|fewer|lower|smaller|worst|rarely|seldom)\b")
# a negating prefix and the shortest word it may negate: "in"/"dis" before a short word
# is too often no prefix ("index", "dislike" of "like")
_PREFIXES = (("non-", 4), ("non", 4), ("un", 4), ("in", 5), ("im", 5), ("il", 5), ("ir", 5), ("dis", 5),
             ("ab", 5), ("mis", 5), ("a", 6))
_BOTH_WAYS = ("non-", "non", "un", "ab", "mis", "a")  # a sentence's "unbalanced" against a question's "balance"
_ADJECTIVE = re.compile(r"(?:ic|al|ous|ive)(?:al)?(?:ly)?$")  # "a" negates only these: "asynchronous", not "arising"
_COUNTS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
_COUNTS |= {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "thousand": 1000, "million": 10**6,
            "billion": 10**9, "dozens": 12, "hundreds": 100, "thousands": 1000, "millions": 10**6, "billions": 10**9}
_YEAR = re.compile(r"(?<![\w-])(1\d{3}|20\d{2})(?!['’]?s\b)(?![\w-])")  # not a decade ("the 1950's")
_BOUND = re.compile(r"\b(prior\s+to|before|after|since|until|till|by|from|between|to|through)\s+$", re.IGNORECASE)
_COUNTED = re.compile(r"[A-Za-z]+|\d[\d,]*(?:\.\d+)?")
_TIME_UNITS = {form: unit for unit, plural in (("second", "seconds"), ("minute", "minutes"), ("hour", "hours"),
                                               ("day", "days"), ("week", "weeks"), ("month", "months"),
                                               ("year", "years"), ("decade", "decades"), ("century", "centuries"))
               for form in (unit, plural)}
_BELOW, _ABOVE = r"(?:under|below|less than|fewer than|at most|up to)", r"(?:over|above|more than|at least|in excess of)"
_FROM_TO = re.compile(r"\b([a-z]+)\s+(from|to)\s+((?:the\s+)?[a-z]+(?:\s+[a-z]+)?)")
_DEPUTY = re.compile(r"\b(vice|deputy|assistant)[ -]([a-z]+)")
_OUTSIDE = re.compile(r"\boutside (?:of )?([A-Z][\w-]+)")
_NAMED = re.compile(r"[^\W\d_][\w'’.-]*\w|\w+")
_POSSESSIVE = re.compile(r"['’]s?$")
_ROMAN = re.compile(r"(?=[IVXL]+$)(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")  # to 49: "Louis XV", "Super Bowl XLIX"
_ROMAN_DIGITS = {"I": 1, "V": 5, "X": 10, "L": 50}
_MONTHS = set("january february march april may june july august september october november december".split())
_GLUE = set("the a an of in on at to for by with from and or as is was were be been are what which who whom whose "
            "when where why how did does do".split())

_PAIRS = """least most, fewest most, smallest largest, smallest biggest, lowest highest, worst best,
last first, earliest latest, minimum maximum, less more, fewer more, smaller larger, lower higher,
worse better, before after, earlier later, decrease increase, decreased increased,
decreases increases, lose win, lost won, weak strong, weaker stronger, oldest newest,
oldest youngest, older younger, shortest longest, shorter longer, slowest fastest, slower faster,
below above, inside outside, end begin, ended began, ended started, private public,
minority majority, north south, east west, northern southern, eastern western, illegal legal,
indirect direct, incorrect correct, disagree agree, rejected accepted, opposed supported,
easy difficult, easy hard, high low, large small, big small, long short, early late, fast slow,
strong weak, rich poor, hot cold, true false, positive negative, internal external, inner outer,
upper lower, top bottom, ancient modern, permanent temporary, possible impossible, likely unlikely,
known unknown, visible invisible, similar different, common rare, simple complex, heavy light,
wide narrow, deep shallow, young old, new old, formal informal, official unofficial,
successful unsuccessful, effective ineffective, dependent independent, necessary unnecessary,
boys girls, boy girl, men women, man woman, male female, males females, father mother, king queen,
rise fall, rises falls, rose fell, risen fallen, gain loss, gains losses, opened closed, include exclude,
included excluded, allowed banned, allowed forbidden, permitted banned, success failure, successes failures,
birth death, alive dead, living dead, friend enemy, friends enemies, ally enemy, allies enemies, peace war,
summer winter, wet dry, attract repel, attractive repulsive, expand contract, expansion contraction,
heating cooling, heated cooled, warm cool, warmer cooler, rural urban, domestic foreign, native foreign,
stimulate suppress, stimulates suppresses, activate deactivate, activated deactivated, increase reduce,
increased reduced, increases reduces, raise lower, raised lowered, ascending descending, arrival departure,
entrance exit, born died, declined increased, declines increases, declining increasing, decline increase,
growth decline, expensive cheap, dangerous safe, full empty, thick thin, solid liquid, liquid gas, solid gas,
vertical horizontal, guilty innocent, valid invalid, finite infinite, prohibited allowed, mandatory optional,
voluntary compulsory, religious secular, interior exterior, past future, winner loser, winners losers,
upstream downstream, forward backward, natural artificial, primary secondary,
richest poorest, richer poorer, wealthy poor, strongest weakest, always never, accept reject, accepts rejects,
acceptance rejection, support oppose, supports opposes, supporters opponents, friendly hostile,
agreed disagreed, presence absence, superior inferior, senior junior, indoor outdoor, offensive defensive,
offense defense, dominant recessive, acidic alkaline, northernmost southernmost, entry exit,
beneficial harmful, internally externally, single multiple, singular plural, colder hotter, coldest hottest,
colder warmer, concrete abstract, lose won, lost win, acceleration deceleration, accelerate decelerate,
accelerated decelerated, lack possess, lacks possesses, lacked possessed, qualitative quantitative,
similarity difference, similarities differences, encourage discourage, advantage disadvantage,
weak powerful, commonly rarely, frequently rarely, rarest common, liberal conservative, front behind,
similar disparate, heal damage, curved straight, victory loss, victory defeat, lose gain, lost gained,
am pm, grow decline, grew declined, rapid slow, renounce accept, renounce support, harder easier,
hardest easiest, peaceful hostile, strengthen weaken, succeeded failed, succeed fail,
approve reject, created destroyed, built destroyed, build destroy,
attack defend, started stopped, started finished, strength weakness, strengths weaknesses, benefit harm,
son daughter, sons daughters, uncle aunt, uncle grandfather, uncle father, son grandson, father grandfather"""
_ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth".split()  # each excludes the others


def _opposites() -> dict[str, frozenset[str]]:
    pairs = [*(pair.split() for pair in _PAIRS.split(",")), *((x, y) for x in _ORDINALS for y in _ORDINALS if x < y)]
    out: dict[str, frozenset[str]] = {}
    for a, b in pairs:
        out[a] = out.get(a, frozenset()) | {b}
        out[b] = out.get(b, frozenset()) | {a}
    return out


OPPOSITES = _opposites()


def negation_miss(question: str, sentence: str) -> float:
    """1.0 when the question says "not", "never", "no", "cannot", "unable" or "n't" and the
    sentence negates nothing."""
    return float(bool(_NEGATED.search(question)) and not _NEGATION.search(sentence))


def opposite_miss(question: str, sentence: str) -> float:
    """1.0 when the question holds a word the sentence lacks and the sentence holds its opposite
    ("Which city has the lowest …?" over "… has the highest …", "increased" over "decline",
    "non-Muslims" over "Muslims", "the least important" over "an important"), or a count or
    year the sentence gives otherwise; not when the question names both, nor when the
    sentence negates the opposite ("not known")."""
    swapped, outside = _count_swap(question, sentence), _outside(question, sentence)
    plain = _unnamed(_LAST_VERB.sub(" ", _DEGREE.sub(" ", question)))
    question, sentence = question.lower(), sentence.lower()
    asked = {_key(w) for w in _WORD.findall(plain.lower())}
    said = {_key(w): w for w in _WORD.findall(sentence)}
    paired = any(k not in said and not _KEYED[k] & asked and any(not _negated(said[o], sentence) for o in _KEYED[k] & said.keys())
                 for k in asked if k in _KEYED)
    return float(paired or swapped or _unit_swap(question, sentence) or _year_swap(question, sentence)
                 or _prefix_miss(question, sentence) or _suffix_miss(question, sentence) or _deputy(question, sentence)
                 or _bound_swap(question, sentence) or _direction_swap(question, sentence) or outside
                 or bool(_LEAST.search(question) and not _LOW.search(sentence)))


def _key(word: str) -> str:
    """``word`` without one inflection, so that a pair listed once matches its other forms
    ("increased" / "decline" by "increase" / "decline")."""
    for suffix in ("ing", "ed", "es", "s", "e"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _keyed() -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for word, opposite in OPPOSITES.items():
        out[_key(word)] = out.get(_key(word), frozenset()) | {_key(o) for o in opposite}
    return out


_KEYED = _keyed()


def _unnamed(question: str) -> str:
    """``question`` without the compass words that are part of a name: next to a capitalised
    word other than the question's first ("North America", "the Middle East"; not "Eastern
    governments")."""
    words = question.split(" ")
    return " ".join("" if w.strip("?,.;:") in _COMPASS and ((i + 1 < len(words) and words[i + 1][:1].isupper())
                                                           or (i > 1 and words[i - 1][:1].isupper())) else w
                    for i, w in enumerate(words))


def _prefix_miss(question: str, sentence: str) -> bool:
    """The question negates a word by its prefix and the sentence says the bare word."""
    asked = set(_HYPHENATED.findall(re.sub(r"\bnon\s+(?=[a-z])", "non-", question)))  # "non conservative" too
    said = set(_HYPHENATED.findall(sentence))
    forward = any(word.startswith(prefix) and len(bare := word[len(prefix):]) >= shortest
                  and (bare in said or bare.endswith("ly") and bare[:-2] in said)  # "unofficially" / "official"
                  and bare not in asked and not _negated(bare, sentence)
                  and (prefix != "a" or _ADJECTIVE.search(bare))
                  for word in asked - said for prefix, shortest in _PREFIXES)
    keys = {_key(w) for w in asked}  # "balance" asks of "unbalanced" too
    backward = not _NEGATED.search(question) and any(
        word.startswith(prefix) and len(bare := word[len(prefix):]) >= 4 and _key(bare) in keys and bare not in said
        and (prefix != "a" or (len(bare) >= 6 and _ADJECTIVE.search(bare)))
        for word in said - asked for prefix in _BOTH_WAYS)
    return forward or backward


def _suffix_miss(question: str, sentence: str) -> bool:
    """One says a word, the other the word negated by "-less" ("motionless" over "motion",
    "mass strings" over "massless strings")."""
    asked, said = set(_WORD.findall(question)), set(_WORD.findall(sentence))
    return any(w.endswith("less") and len(w) >= 8 and w[:-4] in other and w[:-4] not in own
               for own, other in ((said, asked), (asked, said)) for w in own - other)


def _bound_swap(question: str, sentence: str) -> bool:
    """The question bounds a figure the other way from the sentence: "under 18" over "over the
    age of 18", "more than 5,000" over "fewer than 5,000"."""
    for asked, said in ((_BELOW, _ABOVE), (_ABOVE, _BELOW)):
        for m in re.finditer(rf"\b{asked}\s+(?:the age of\s+)?(\d[\d,.]*\d|\d)", question):
            figure = re.escape(m.group(1))
            if re.search(rf"\b{said}\s+(?:the age of\s+)?{figure}\b", sentence) and \
                    not re.search(rf"\b{asked}\s+(?:the age of\s+)?{figure}\b", sentence):
                return True
    return False


def _direction_swap(question: str, sentence: str) -> bool:
    """The question goes from where the sentence goes to, or the other way, after the same
    word: "fled from southern Italy" over "fled to southern Italy", "exposes organisms to
    infection" over "protect organisms from infection"."""
    for m in _FROM_TO.finditer(question):
        word, way, where = m.groups()
        other = "to" if way == "from" else "from"
        if len(where.removeprefix("the ")) >= 4 and not re.search(rf"\b{way}\s+{re.escape(where)}\b", sentence) and \
                re.search(rf"\b{re.escape(word)}\s+{other}\s+{re.escape(where)}\b", sentence):
            return True
    return False


def _deputy(question: str, sentence: str) -> bool:
    """The question asks of a vice, deputy or assistant the sentence names without it: "vice
    president" over "president"."""
    m = _DEPUTY.search(question)
    return bool(m and re.search(rf"\b{m.group(2)}\b", sentence) and not re.search(rf"\b{m.group(1)}\b", sentence))


def _outside(question: str, sentence: str) -> bool:
    """The question asks outside a place the sentence is in: "outside of Egypt" over "in Egypt"."""
    m = _OUTSIDE.search(question)
    return bool(m and "outside" not in sentence.lower() and re.search(rf"\b(?:in|of) {re.escape(m.group(1))}\b", sentence))


def _count_swap(question: str, sentence: str) -> bool:
    """The question counts a thing the sentence counts otherwise: "two consistent theories"
    over "one consistent theory" (the number's next word is the same in both). A capitalised
    number word in the question is a name ("the Seven Years War")."""
    asked, said = _COUNTED.findall(question), _COUNTED.findall(sentence)
    given = {_count(w) for w in said} - {None}
    for i, word in enumerate(asked[:-1]):
        n = _count(word)
        if n is None or n in given or (i and word[0].isupper()):
            continue
        following = asked[i + 1].lower()
        if following == "s":  # a decade ("the 1960's" over "the late 1950s") is too loose to swap
            continue
        if any(_count(w) not in (None, n) and _key(said[j + 1].lower()) == _key(following)  # "one month"
               for j, w in enumerate(said[:-1])):
            return True
    return False


def _unit_swap(question: str, sentence: str) -> bool:
    """The question counts a time in a unit the sentence never says, where the sentence counts
    the same number in another: "two and three weeks" over "two and three days"."""
    asked, said = _COUNTED.findall(question), _COUNTED.findall(sentence)
    units = {_TIME_UNITS.get(w.lower()) for w in said} - {None}
    for i, word in enumerate(asked[:-1]):
        n, unit = _count(word), _TIME_UNITS.get(asked[i + 1].lower())
        if n is not None and unit and unit not in units and any(
                _count(w) == n and _TIME_UNITS.get(said[j + 1].lower()) for j, w in enumerate(said[:-1])):
            return True
    return False


def _year_swap(question: str, sentence: str) -> bool:
    """The question's year is not the sentence's, which gives another ("When did X happen in
    1998?" over "… in 2001"); a year that bounds a time ("prior to 2000", "since 1990") asks
    for another and does not count, unless the sentence bounds one by the same word ("Since
    1978 …?" over "Since 2008, …")."""
    bounds = {_bound(sentence, m) for m in _YEAR.finditer(sentence)} - {None}
    asked = {m.group(1) for m in _YEAR.finditer(question) if _bound(question, m) in bounds | {None}}
    said = set(_YEAR.findall(sentence))
    return bool(asked and said and not asked & said)


def _bound(text: str, year: re.Match) -> str | None:
    """The word that bounds a time by ``year`` ("since" of "since 1990"), or None."""
    found = _BOUND.search(text[:year.start()])
    return re.sub(r"\s+", " ", found.group(1).lower()) if found else None


def _count(word: str) -> float | None:
    """The number a word or figure says, or None."""
    if word[0].isdigit():
        return float(word.replace(",", ""))
    return _COUNTS.get(word.lower())


def _negated(word: str, sentence: str) -> bool:
    """The sentence says "not WORD" (or "n't WORD", one word between at most): it does not assert it."""
    return bool(re.search(rf"(?:\b(?:not|never|no)|n['’]t)\s+(?:\w+\s+)?{re.escape(word)}\b", sentence))


def name_swap(question: str, sentence: str, document: str) -> bool:
    """The question names a thing the sentence names otherwise in the same place (next to the
    same word) and the release never names it: "Who did the Han Japanese want …?" over "… Han
    Chinese …", "the Unique Model predicts" over "The Standard Model predicts". Or it numbers
    a name otherwise: "DECnet Phase I" over "DECnet Phase II", "George V Bridge" over
    "George IV Bridge". A spelling, an inflection or a run-together name is the same name
    ("Lain Gray" for "Iain Gray", though not "Eastern" for "Western"; "Ecuadorian" in a
    release that says "Ecuador"; "Talk" inside "AppleTalk"). A gate only: it needs the
    whole release, which the confidence features do not see."""
    asked, said = _NAMED.findall(question), _NAMED.findall(sentence)
    return _renamed(asked, said, document) or _renumbered(asked, said)


def _renamed(asked: list[str], said: list[str], document: str) -> bool:
    """A capitalised word of the question (not its first) that the sentence lacks, with other
    capitalised words of the sentence beside the same neighbour, none a spelling of it, and
    no word of the release beginning with it."""
    plain_asked, plain_said = [_plain(w) for w in asked], [_plain(w) for w in said]
    known: set[str] | None = None
    for i in range(1, len(asked)):  # the first word is capitalised anyway
        x = plain_asked[i]
        if not _a_name(asked[i]) or any(x in y for y in plain_said):  # "Talk" is in "AppleTalk"
            continue
        others = _beside(i, asked, plain_asked, said, plain_said)
        if not others or any(_alike(x, y) and y not in OPPOSITES.get(x, ()) for y in others):
            continue
        known = known if known is not None else {_plain(w) for w in _NAMED.findall(document)}
        if not any(w.startswith(x[:5]) or (len(w) >= 4 and x.startswith(w)) for w in known):
            return True
    return False


def _a_name(word: str) -> bool:
    """A capitalised word that may be swapped: not an acronym ("WW", "GM") nor a glue word."""
    x = _plain(word)
    return word[0].isupper() and not _POSSESSIVE.sub("", word).isupper() and x.isalpha() and x not in _GLUE


def _beside(i: int, asked: list[str], plain_asked: list[str], said: list[str], plain_said: list[str]) -> list[str]:
    """The sentence's capitalised words, other than the question's, next to the word that
    stands before or after the question's word ``i``."""
    before = plain_asked[i - 1] if i > 1 and _anchor(asked[i - 1]) else None
    after = plain_asked[i + 1] if i + 1 < len(asked) and _anchor(asked[i + 1]) else None
    names = set(plain_asked)
    return [y for j, y in enumerate(plain_said)
            if _a_name(said[j]) and y not in names
            and ((before and j and plain_said[j - 1] == before)
                 or (after and j + 1 < len(said) and plain_said[j + 1] == after))]


def _renumbered(asked: list[str], said: list[str]) -> bool:
    """A name numbered otherwise: the question's "Phase I" where the sentence has only "Phase
    II" (a figure or a Roman numeral after the same capitalised word)."""
    for i in range(2, len(asked)):  # "By 1998" opens a question, it names nothing
        n, name = _numeral(asked[i]), asked[i - 1]
        if n is None or not name[0].isupper() or name.lower() in _MONTHS:
            continue
        numbered = [_numeral(said[j + 1]) for j in range(len(said) - 1) if _plain(said[j]) == _plain(name)]
        if n not in numbered and any(m is not None for m in numbered):
            return True
    return False


def _plain(word: str) -> str:
    """A word without its possessive, accents and capitals: "Sigismund's" → "sigismund"."""
    return unicodedata.normalize("NFKD", _POSSESSIVE.sub("", word)).encode("ascii", "ignore").decode().lower()


def _anchor(word: str) -> bool:
    """A word that can place a name: a capitalised one or a longer content word."""
    return word.lower() not in _GLUE and (word[0].isupper() or len(word) > 3)


def _alike(a: str, b: str) -> bool:
    """Two spellings or forms of one name ("Lain" / "Iain", "Colombia" / "Colombian")."""
    return a.startswith(b[:4]) or b.startswith(a[:4]) or difflib.SequenceMatcher(None, a, b).ratio() >= 0.75


def _numeral(word: str) -> int | None:
    """The number of a figure or Roman numeral ("II" → 2), or None."""
    if word.isdigit():
        return int(word)
    if not _ROMAN.match(word):
        return None
    values = [_ROMAN_DIGITS[c] for c in word]
    return sum(-v if k + 1 < len(values) and v < values[k + 1] else v for k, v in enumerate(values))
