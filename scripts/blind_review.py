"""Blind review of questions: sheets without keys for an independent reviewer, then agreement.

    python scripts/blind_review.py sheet QUESTION_FOLDER [...] --out SHEET.md
    python scripts/blind_review.py compare ANSWERS.yaml [...] [--json]

A sheet shows each question's stem and its options in a shuffled order (seeded by id and
revision, so the letters are the same when the answers are compared) and never its key or
rationales. The reviewer writes a YAML file ``{question_id: answer}``, where an answer is a letter
(single), a list of letters (multiple; ordering, in order, leaving distractor steps out) or a
mapping prompt number -> letter (matching); an optional ``{answer: ..., note: ...}`` form carries
a remark on ambiguity. ``compare`` prints each disagreement with the key and the agreement figures.
docs/content-review.md records how the bundled bank was reviewed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

import yaml

from certprep.content import bundled_pack_path, load_pack
from certprep.content.schema import Question, QuestionType

LETTERS = "ABCDEFGHIJ"


def _order(q: Question, count: int) -> list[int]:
    order = list(range(count))
    random.Random(f"{q.id}:{q.revision}").shuffle(order)
    return order


def _choices(q: Question) -> list[str]:
    """What the reviewer sees, in display order (canonical index = position before shuffling)."""
    if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        texts = [o.text for o in q.options]
    elif q.type is QuestionType.ORDERING:
        texts = [s.text for s in (*q.steps, *q.distractor_steps)]
    else:
        texts = list(q.responses)
    return [texts[i] for i in _order(q, len(texts))]


def _instruction(q: Question) -> str:
    if q.type is QuestionType.SINGLE:
        return "single: answer with one letter"
    if q.type is QuestionType.MULTIPLE:
        return f"multiple: answer with a list of {len(q.correct_indexes)} letters"
    if q.type is QuestionType.ORDERING:
        extra = " (one or more steps do not belong: leave them out)" if q.distractor_steps else ""
        return f"ordering: answer with the letters in order{extra}"
    return "matching: answer with a mapping prompt number -> letter"


def sheet(questions: list[Question], case_scenarios: dict[str, str]) -> str:
    out = ["# Blind review sheet", ""]
    for q in questions:
        out += [f"## {q.id}", f"*{_instruction(q)}*", ""]
        if q.case_id:
            out += ["Case study scenario:", "", case_scenarios[q.case_id].strip(), ""]
        out += [q.stem.strip(), ""]
        if q.type is QuestionType.MATCHING:
            out += [f"Prompt {n}. {p.prompt}" for n, p in enumerate(q.pairs, 1)] + [""]
        out += [f"{LETTERS[i]}. {text}" for i, text in enumerate(_choices(q))] + [""]
    return "\n".join(out)


def _canonical(q: Question, letter: str) -> int:
    index = LETTERS.index(str(letter).strip().upper()[0])
    return _order(q, len(_choices(q)))[index]


def matches_key(q: Question, answer: Any) -> bool:
    """Whether a reviewer's answer (in sheet letters) is the keyed answer."""
    try:
        if q.type is QuestionType.SINGLE:
            letter = answer[0] if isinstance(answer, list) else answer
            return (_canonical(q, letter),) == q.correct_indexes
        if q.type is QuestionType.MULTIPLE:
            return sorted(_canonical(q, x) for x in answer) == list(q.correct_indexes)
        if q.type is QuestionType.ORDERING:
            return [_canonical(q, x) for x in answer] == list(range(len(q.steps)))
        responses = q.responses
        given = {int(k): responses[_canonical(q, v)] for k, v in dict(answer).items()}
        return given == {n: p.response for n, p in enumerate(q.pairs, 1)}
    except (ValueError, TypeError, IndexError, KeyError, AttributeError):
        return False


def compare(answer_files: list[Path]) -> dict[str, Any]:
    pack = load_pack(bundled_pack_path())
    by_id = {q.id: q for q in pack.questions}
    answers: dict[str, Any] = {}
    for path in answer_files:
        answers.update(yaml.safe_load(path.read_text()) or {})
    agree, disagree, unknown = [], [], []
    for qid, raw in answers.items():
        q = by_id.get(qid)
        if q is None:
            unknown.append(qid)
            continue
        long_form = isinstance(raw, dict) and "answer" in raw
        given = raw["answer"] if long_form else raw
        note = raw.get("note") if long_form else None
        (agree if matches_key(q, given) else disagree).append({"id": qid, "answer": given, "note": note})
    total = len(agree) + len(disagree)
    return {
        "answered": total,
        "agreed": len(agree),
        "agreement": round(len(agree) / total, 3) if total else 0.0,
        "disagreements": disagree,
        "notes": [a for a in agree if a["note"]],
        "unknown_ids": unknown,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("sheet", help="write a review sheet for the questions in the given files or folders")
    make.add_argument("folders", nargs="+", type=Path)
    make.add_argument("--out", type=Path, required=True)
    cmp_ = sub.add_parser("compare", help="compare answer files with the keys")
    cmp_.add_argument("answers", nargs="+", type=Path)
    cmp_.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    if args.command == "sheet":
        pack = load_pack(bundled_pack_path())
        folders = [f.resolve() for f in args.folders]
        chosen = []
        for q in pack.questions:
            file = (pack.root / pack.sources[q.id][0]).resolve()
            if any(file == folder or folder in file.parents for folder in folders):
                chosen.append(q)
        scenarios = {c.id: c.scenario for c in pack.case_studies}
        args.out.write_text(sheet(chosen, scenarios))
        print(f"{len(chosen)} questions -> {args.out}")
        return 0
    result = compare(args.answers)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for d in result["disagreements"]:
            print(f"DISAGREE {d['id']}: reviewer {d['answer']!r}" + (f" -- {d['note']}" if d["note"] else ""))
        for n in result["notes"]:
            print(f"note {n['id']}: {n['note']}")
        print(f"{result['agreed']}/{result['answered']} agree ({result['agreement']:.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
