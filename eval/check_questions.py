#!/usr/bin/env python3
"""Validate the evaluation question set against the corpus.

Usage: python eval/check_questions.py [questions.jsonl] [corpus_dir]
Defaults (relative to the repo root): eval/questions.jsonl and corpus/.

Checks every line parses as a JSON object with exactly the keys
id (str), question (str), answers (list of str), sources (list of str);
ids are unique; every listed source exists in the corpus; every answer
occurs (whitespace-collapsed, case-sensitive) in the content of at least
one listed source; every listed source contains at least one answer;
unanswerable questions have both lists empty.  "Content" excludes the
site-navigation block ("Who we are" ... "- 2030 Agenda") and HTML
markup remnants (lines containing `">` or `mailto:`), which the index
strips.  Prints counts and exits 1 with one line per problem.
"""
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KEYS = {"id": str, "question": str, "answers": list, "sources": list}


def collapse(s):
    return re.sub(r"\s+", " ", s).strip()


def content(text):
    lines = text.splitlines()
    for i, line in enumerate(lines[:40]):
        if line.strip() == "- 2030 Agenda":
            lines = lines[i + 1:]
            break
    lines = [l for l in lines if '">' not in l and "mailto:" not in l]
    return collapse("\n".join(lines))


def main(argv):
    qpath = Path(argv[1]) if len(argv) > 1 else REPO / "eval" / "questions.jsonl"
    cdir = Path(argv[2]) if len(argv) > 2 else REPO / "corpus"
    if not qpath.is_file():
        print(f"error: questions file not found: {qpath}")
        return 1
    if not cdir.is_dir():
        print(f"error: corpus dir not found: {cdir}")
        return 1
    docs = {p.name: content(p.read_text(encoding="utf-8"))
            for p in sorted(cdir.glob("*.txt"))}

    problems, seen = [], set()
    total = unanswerable = 0
    per_source = {name: 0 for name in docs}
    for n, raw in enumerate(qpath.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            q = json.loads(raw)
        except json.JSONDecodeError as e:
            problems.append(f"line {n}: invalid JSON ({e.msg})")
            continue
        if not isinstance(q, dict) or set(q) != set(KEYS):
            problems.append(f"line {n}: expected exactly keys {sorted(KEYS)}")
            continue
        bad = [k for k, t in KEYS.items() if not isinstance(q[k], t)]
        bad += [k for k in ("answers", "sources")
                if isinstance(q[k], list) and not all(isinstance(x, str) for x in q[k])]
        if bad:
            problems.append(f"line {n}: wrong type for {', '.join(sorted(set(bad)))}")
            continue
        qid = q["id"]
        tag = f"line {n} ({qid})"
        total += 1
        if qid in seen:
            problems.append(f"{tag}: duplicate id")
        seen.add(qid)
        if not q["question"].strip():
            problems.append(f"{tag}: empty question")
        answers, sources = q["answers"], q["sources"]
        if not answers or not sources:
            if answers or sources:
                problems.append(f"{tag}: answers and sources must both be empty or both non-empty")
            else:
                unanswerable += 1
            continue
        if len(set(sources)) != len(sources):
            problems.append(f"{tag}: duplicate source")
        known = [s for s in sources if s in docs]
        for s in sources:
            if s not in docs:
                problems.append(f"{tag}: unknown source {s!r}")
        for a in answers:
            if not a.strip():
                problems.append(f"{tag}: empty answer")
            elif not any(collapse(a) in docs[s] for s in known):
                problems.append(f"{tag}: answer {a!r} not found in listed sources")
        for s in known:
            per_source[s] += 1
            if not any(a.strip() and collapse(a) in docs[s] for a in answers):
                problems.append(f"{tag}: source {s} contains none of the answers")

    print(f"total: {total}  answerable: {total - unanswerable}  unanswerable: {unanswerable}")
    for name, c in per_source.items():
        print(f"  {name}: {c}")
    for p in problems:
        print(p)
    if problems:
        print(f"FAILED: {len(problems)} problem(s)")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
