"""Audits of the question bank by reviewers who never saw the keys.

    python scripts/choices_only_audit.py sheet --kind choices-only --n 100 --seed 7 \
        [--exam MLA-C02] [--types single] [--id-prefix c02-] [--exclude FILE] \
        --out SHEET.md --key KEY.json
    python scripts/choices_only_audit.py score --key KEY.json --answers ANSWERS.txt [--json]

Three kinds of sheet, each a seeded random sample of the bundled pack's questions:

- ``choices-only``: the options of each question without its stem, shuffled. A reviewer picks the
  option they think is keyed. A well-written bank is guessed little better than chance (25% for a
  single answer): the stem, not the options, should decide.
- ``blind``: stem and options (shuffled), no key, no rationale. The reviewer answers as an expert;
  every disagreement with the key is a question to fix or drop.
- ``difficulty``: stem and options; the reviewer rates each one "easier", "similar" or "harder"
  than a real exam item of the same exam.

The answers file has one line per item: ``3: B`` (single), ``4: A, D`` (multiple), ``5: harder``
(difficulty); anything after a ``#`` is a note. ``score`` prints the rate with a 90% interval
(Clopper-Pearson) and lists each disagreement. docs/content-review.md records every audit: date,
kind, sample size, seed and figures.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

from certprep.analytics.betadist import beta_ppf
from certprep.content import bundled_pack_path, load_pack
from certprep.content.schema import Question, QuestionType

LETTERS = "ABCDEFGH"
KINDS = ("choices-only", "blind", "difficulty")
RATINGS = ("easier", "similar", "harder")


def sample(questions: list[Question], n: int, seed: int, *, exclude: frozenset[str] = frozenset()) -> list[Question]:
    """``n`` questions drawn without replacement, reproducibly from ``seed`` (sorted by id first)."""
    pool = sorted((q for q in questions if q.id not in exclude), key=lambda q: q.id)
    if n > len(pool):
        raise SystemExit(f"asked for {n} questions, only {len(pool)} match")
    return random.Random(seed).sample(pool, n)


def sheet(
    kind: str, picked: list[Question], seed: int, scenarios: dict[str, str] | None = None
) -> tuple[str, dict[str, Any]]:
    """The reviewer's sheet (Markdown) and the key file that scores it. A case study's question is
    shown after its shared scenario (``scenarios``: case id -> scenario), except choices-only."""
    rng = random.Random(seed)
    intro = {
        "choices-only": (
            "Each item shows only the options of an exam question; its scenario is hidden. Pick the option "
            "(or, where asked, the options) you think is keyed, even if you have to guess."
        ),
        "blind": (
            "Answer each question as an expert candidate would. Use AWS documentation when unsure. "
            "If a question has no single defensible answer, say so in a note after '#'."
        ),
        "difficulty": (
            "Rate each question against real items of the same AWS exam: easier, similar or harder. "
            "A note after '#' may say why."
        ),
    }[kind]
    lines = [f"# Audit sheet: {kind}", "", intro, "", "Answer file: one line per item, e.g. `3: B`."]
    if kind == "difficulty":
        lines[-1] = "Answer file: one line per item, e.g. `3: harder`."
    items = []
    for number, q in enumerate(picked, start=1):
        order = list(range(len(q.options)))
        rng.shuffle(order)
        keyed = sorted(LETTERS[order.index(i)] for i in q.correct_indexes)
        ask = "pick one" if q.type is QuestionType.SINGLE else f"pick {len(keyed)}"
        lines += ["", f"## {number} ({ask})", ""]
        if kind != "choices-only":
            if q.case_id and scenarios and q.case_id in scenarios:
                lines += ["Case study: " + scenarios[q.case_id].strip(), ""]
            lines += [q.stem.strip(), ""]
        lines += [f"{LETTERS[pos]}. {q.options[i].text}" for pos, i in enumerate(order)]
        items.append({"number": number, "id": q.id, "revision": q.revision, "type": q.type.value, "key": keyed})
    return "\n".join(lines) + "\n", {"kind": kind, "seed": seed, "items": items}


def parse_answers(text: str) -> dict[int, str]:
    """``{item number: answer}`` from the reviewer's file; notes after '#' are dropped."""
    answers: dict[int, str] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"(\d+)\s*[:.)]\s*(.+)", line)
        if match is None:
            raise SystemExit(f"answers line {lineno}: expected 'NUMBER: ANSWER', got {raw!r}")
        answers[int(match.group(1))] = match.group(2).strip()
    return answers


def interval(successes: int, n: int, level: float = 0.90) -> tuple[float, float]:
    """Clopper-Pearson interval of a binomial rate."""
    tail = (1 - level) / 2
    low = 0.0 if successes == 0 else beta_ppf(tail, successes, n - successes + 1)
    high = 1.0 if successes == n else beta_ppf(1 - tail, successes + 1, n - successes)
    return low, high


def score(key: dict[str, Any], answers: dict[int, str]) -> dict[str, Any]:
    """Agreement with the keys (choices-only, blind) or the ratings' shares (difficulty)."""
    items = key["items"]
    missing = [i["number"] for i in items if i["number"] not in answers]
    if missing:
        raise SystemExit(f"no answer for item(s) {missing}")
    if key["kind"] == "difficulty":
        counts = dict.fromkeys(RATINGS, 0)
        for item in items:
            rating = answers[item["number"]].lower()
            if rating not in counts:
                raise SystemExit(f"item {item['number']}: rating must be one of {RATINGS}, got {rating!r}")
            counts[rating] += 1
        n = len(items)
        return {
            "kind": "difficulty",
            "n": n,
            "counts": counts,
            "shares": {r: round(c / n, 3) for r, c in counts.items()},
            "intervals": {r: [round(x, 3) for x in interval(c, n)] for r, c in counts.items()},
        }
    hits = 0
    misses = []
    for item in items:
        given = sorted(set(re.findall(r"[A-H]", answers[item["number"]].upper())))
        if given == item["key"]:
            hits += 1
        else:
            misses.append({"number": item["number"], "id": item["id"], "given": given, "key": item["key"]})
    n = len(items)
    low, high = interval(hits, n)
    return {
        "kind": key["kind"],
        "n": n,
        "agreed": hits,
        "rate": round(hits / n, 3),
        "interval_90": [round(low, 3), round(high, 3)],
        "disagreements": misses,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("sheet", help="write a reviewer's sheet and its key")
    make.add_argument("--kind", choices=KINDS, required=True)
    make.add_argument("--n", type=int, required=True)
    make.add_argument("--seed", type=int, required=True)
    make.add_argument("--exam", help="only questions of this exam (e.g. MLA-C02)")
    make.add_argument("--types", default="single,multiple", help="comma-separated: single, multiple")
    make.add_argument("--id-prefix", default="", help="id prefixes to keep (comma-separated)")
    make.add_argument("--exclude", help="key files (comma-separated) whose questions to leave out")
    make.add_argument("--pack", type=Path, default=None, help="pack folder (default: the bundled pack)")
    make.add_argument("--out", type=Path, required=True)
    make.add_argument("--key", type=Path, required=True)
    check = sub.add_parser("score", help="score a reviewer's answers against the key")
    check.add_argument("--key", type=Path, required=True)
    check.add_argument("--answers", type=Path, required=True)
    check.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    if args.command == "sheet":
        pack = load_pack(args.pack or bundled_pack_path())
        types = {t.strip() for t in args.types.split(",") if t.strip()}
        unknown = types - {"single", "multiple"}
        if unknown:
            parser.error(f"--types takes single and multiple only, not {sorted(unknown)}")
        exclude: set[str] = set()
        if args.exclude:
            for path in args.exclude.split(","):
                exclude |= {i["id"] for i in json.loads(Path(path).read_text())["items"]}
        pool = [
            q
            for q in pack.questions
            if q.type.value in types
            and q.id.startswith(tuple(args.id_prefix.split(",")))
            and (args.exam is None or any(e.exam == args.exam for e in q.exams))
        ]
        picked = sample(pool, args.n, args.seed, exclude=frozenset(exclude))
        scenarios = {case.id: case.scenario for case in pack.case_studies}
        text, key = sheet(args.kind, picked, args.seed, scenarios)
        key.update({"exam": args.exam, "id_prefix": args.id_prefix, "types": sorted(types)})
        args.out.write_text(text, encoding="utf-8")
        args.key.write_text(json.dumps(key, indent=1), encoding="utf-8")
        print(f"{args.n} items: sheet {args.out}, key {args.key} (keep the key away from the reviewer)")
        return 0

    result = score(json.loads(args.key.read_text()), parse_answers(args.answers.read_text()))
    if args.json:
        print(json.dumps(result, indent=1))
    elif result["kind"] == "difficulty":
        shares = ", ".join(f"{r} {c} ({result['shares'][r]:.0%})" for r, c in result["counts"].items())
        print(f"difficulty, n={result['n']}: {shares}")
    else:
        low, high = result["interval_90"]
        print(
            f"{result['kind']}, n={result['n']}: {result['agreed']} agree with the key = {result['rate']:.0%}"
            f" (90% interval {low:.0%}-{high:.0%})"
        )
        for miss in result["disagreements"]:
            given, keyed = ",".join(miss["given"]) or "-", ",".join(miss["key"])
            print(f"  item {miss['number']} {miss['id']}: answered {given}, key {keyed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
