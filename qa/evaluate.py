"""Measure retrieval, answers and abstention on a question file, through the same path as `qa ask`.

Question files are JSON lines: {"id", "question", "answers": [...], "sources": [...]};
an unanswerable question has both lists empty. Answer metrics follow SQuAD 2.0: text is
normalised (lower case, no punctuation or articles), EM and F1 take the best gold
answer, and an unanswerable question scores 1 when the system abstains, 0 otherwise.
"""

from __future__ import annotations

import json
import re
import string
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from .errors import QAError, QuestionError
from .types import Answer


@dataclass
class Question:
    id: str
    question: str
    answers: list[str]
    sources: list[str]

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


def load_questions(path: Path | str) -> list[Question]:
    """Parse a question file; a malformed line is a one-line error naming the line, found
    before any question is asked rather than scored wrongly or failing halfway through."""
    from .api import check_question  # not at the top: the metrics here stay importable without the pipeline

    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise QAError(f"cannot read question file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise QAError(f"question file {path} is not UTF-8") from None
    out = []
    first: dict[str, int] = {}  # id -> the line it was first seen on
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            q = Question(row["id"], row["question"], row["answers"], row["sources"])
        except (ValueError, KeyError, TypeError) as exc:
            raise QAError(f"{path}:{n}: not a question record ({type(exc).__name__}: {exc})") from None
        problem = _type_problem(q)
        if problem is None:
            try:
                check_question(q.question)  # "???" would stop the whole run at that question
            except QuestionError as exc:
                problem = str(exc)
        if problem is None and q.id in first:
            problem = f'duplicate id "{q.id}" (first on line {first[q.id]})'
        if problem is not None:
            raise QAError(f"{path}:{n}: {problem}")
        first[q.id] = n
        out.append(q)
    if not out:
        raise QAError(f"no questions in {path}")
    return out


def _type_problem(q: Question) -> str | None:
    """Why a record's fields have the wrong JSON types, if they do: a string where a list is
    due would be scored letter by letter, and a number taken as its digits."""
    for key in ("id", "question"):
        if not isinstance(getattr(q, key), str):
            return f'"{key}" must be a string'
    for key in ("answers", "sources"):
        value = getattr(q, key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f'"{key}" must be a list of strings'
    return None


def unknown_sources(questions: list[Question], names: set[str]) -> int:
    """Questions with a gold source that is no indexed release's file name (a typo, or a
    path where the bare name is due): they can never be hit or cited, so score as misses."""
    return sum(any(s not in names for s in q.sources) for q in questions)


# ---------------------------------------------------------------- SQuAD metrics

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = set(string.punctuation) | set("‘’“”–—")


def normalize(text: str) -> str:
    """SQuAD normalisation: lower case, drop punctuation and articles, collapse whitespace."""
    text = "".join(c for c in text.lower() if c not in _PUNCT)
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(prediction: str, golds: Iterable[str]) -> float:
    golds = list(golds)
    if not golds:
        return float(prediction.strip() == "")
    return max(float(normalize(prediction) == normalize(g)) for g in golds)


def token_f1(prediction: str, golds: Iterable[str]) -> float:
    golds = list(golds)
    if not golds:
        return float(prediction.strip() == "")

    def f1(pred: str, gold: str) -> float:
        p, g = normalize(pred).split(), normalize(gold).split()
        common = sum((Counter(p) & Counter(g)).values())
        if not p or not g:
            return float(p == g)
        if common == 0:
            return 0.0
        precision, recall = common / len(p), common / len(g)
        return 2 * precision * recall / (precision + recall)

    return max(f1(prediction, g) for g in golds)


def contains_answer(text: str, golds: Iterable[str]) -> bool:
    """A gold answer occurs in ``text`` as whole normalised tokens."""
    hay = f" {normalize(text)} "
    return any(normalize(g) and f" {normalize(g)} " in hay for g in golds)


def rank_of_source(files: list[str], sources: list[str]) -> int | None:
    """1-based rank of the first passage whose file is a gold source (file name only)."""
    names = set(sources)
    for rank, f in enumerate(files, 1):
        if Path(f).name in names or f in names:
            return rank
    return None


def mrr(ranks: list[int | None]) -> float:
    return float(np.mean([1.0 / r if r else 0.0 for r in ranks])) if ranks else 0.0


def hit_at(ranks: list[int | None], k: int) -> float:
    return float(np.mean([bool(r and r <= k) for r in ranks])) if ranks else 0.0


def roc_auc(scores: list[float], labels: list[bool]) -> float | None:
    """Probability that a random positive scores above a random negative (ties count half)."""
    pos = [s for s, y in zip(scores, labels) if y]
    neg = [s for s, y in zip(scores, labels) if not y]
    if not pos or not neg:
        return None
    order = np.argsort(np.array(scores, dtype=float), kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = np.array(scores, dtype=float)[order]
    i = 0
    while i < len(order):  # average ranks over ties
        j = i
        while j + 1 < len(order) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    pos_ranks = sum(r for r, y in zip(ranks, labels) if y)
    return float((pos_ranks - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def verbatim_in_file(answer: Answer, read: Callable[[str], str]) -> bool:
    """The answer occurs (up to whitespace) inside the cited lines of the file on disk."""
    if answer.abstained or not answer.citations:
        return True
    c = answer.citations[0]
    lines = read(c.file).splitlines()
    span = " ".join(" ".join(lines[c.start_line - 1 : c.end_line]).split())
    return " ".join(answer.answer.split()) in span


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else 0.0


# ---------------------------------------------------------------- the run

def score_one(q: Question, answer: Answer, read: Callable[[str], str]) -> dict:
    """Per-question metrics, kept next to the answer in the JSON results."""
    files = [p.file for p in answer.passages]
    rank = rank_of_source(files, q.sources) if q.answerable else None
    best = answer.best
    cited = Path(answer.citations[0].file).name if answer.citations else None
    em = exact_match(answer.answer, q.answers) if not answer.abstained or not q.answerable else 0.0
    f1 = token_f1(answer.answer, q.answers) if not answer.abstained or not q.answerable else 0.0
    if q.answerable:
        correct = (not answer.abstained) and contains_answer(answer.answer, q.answers) and cited in q.sources
    else:
        correct = answer.abstained
    return {
        "rank": rank,
        "em": em,
        "f1": f1,
        "correct": bool(correct),
        "sentence_hit": bool(q.answerable and best is not None and Path(best.file).name in q.sources and contains_answer(best.quote, q.answers)),
        "verbatim": verbatim_in_file(answer, read),
    }


def summarise(questions: list[Question], answers: list[Answer], scores: list[dict], build_seconds: float | None) -> dict:
    ans = [i for i, q in enumerate(questions) if q.answerable]
    una = [i for i, q in enumerate(questions) if not q.answerable]
    mean = lambda idx, key: float(np.mean([scores[i][key] for i in idx])) if idx else None  # noqa: E731
    ranks = [scores[i]["rank"] for i in ans]
    totals = [a.timings_ms.get("total", 0.0) for a in answers]
    answered = [i for i, a in enumerate(answers) if not a.abstained]
    return {
        "questions": len(questions),
        "answerable": len(ans),
        "unanswerable": len(una),
        "hit@1": hit_at(ranks, 1),
        "hit@5": hit_at(ranks, 5),
        "mrr": mrr(ranks),
        "sentence_hit": mean(ans, "sentence_hit"),
        "accuracy": mean(ans, "correct"),
        "accuracy_all": mean(list(range(len(questions))), "correct"),
        "em": mean(list(range(len(questions))), "em"),
        "f1": mean(list(range(len(questions))), "f1"),
        "em_answerable": mean(ans, "em"),
        "f1_answerable": mean(ans, "f1"),
        "verbatim": mean(answered, "verbatim") if answered else 1.0,
        "unanswerable_abstained": mean(una, "correct"),
        "answerable_abstained": float(np.mean([answers[i].abstained for i in ans])) if ans else None,
        "confidence_auc": roc_auc([answers[i].confidence for i in range(len(questions))], [q.answerable for q in questions]),
        "latency_p50_ms": percentile(totals, 50),
        "latency_p95_ms": percentile(totals, 95),
        "index_build_s": build_seconds,
    }


def run_eval(
    assistant,
    questions: list[Question],
    k: int = 5,
    mode: str = "hybrid",
    progress: Callable[[], None] | None = None,
    build_seconds: float | None = None,
) -> dict:
    """Answer every question with ``assistant.ask`` and return {"summary", "results"}."""
    from .render import answer_dict

    cache: dict[str, str] = {}

    def read(file: str) -> str:
        if file not in cache:
            cache[file] = Path(file).read_bytes().decode("utf-8", errors="replace")
        return cache[file]

    answers, scores, results = [], [], []
    assistant.warm()
    unknown = unknown_sources(questions, {Path(d["path"]).name for d in assistant.sources()})
    for q in questions:
        answer = assistant.ask(q.question, k=max(k, 5), mode=mode)
        score = score_one(q, answer, read)
        answer.passages = answer.passages[:k]
        answers.append(answer)
        scores.append(score)
        results.append({"id": q.id, **answer_dict(answer), "gold": {"answers": q.answers, "sources": q.sources}, "metrics": score})
        if progress:
            progress()
    return {"summary": {"mode": mode, "k": k, **summarise(questions, answers, scores, build_seconds),
                        "unknown_sources": unknown}, "results": results}


def timed_build(assistant, progress=None) -> float | None:
    """Rebuild if needed; the seconds it took, or None when the index was fresh."""
    t0 = time.perf_counter()
    rebuilt = []
    assistant.ensure_index(on_rebuild=rebuilt.append, progress=progress)
    return time.perf_counter() - t0 if rebuilt else None
