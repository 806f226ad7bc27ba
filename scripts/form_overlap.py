"""Figures of the six fixed practice exams of each exam: domain counts, shortfalls, overlap.

    python scripts/form_overlap.py [--json]

docs/content-review.md quotes its output.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from itertools import combinations
from typing import Any

from certprep.content import bundled_pack_path, load_pack
from certprep.exam.forms import domain_counts, practice_exams


def figures() -> dict[str, Any]:
    pack = load_pack(bundled_pack_path())
    out: dict[str, Any] = {}
    for code, bp in sorted(pack.blueprints.items()):
        bank = pack.questions_for(code)
        forms = practice_exams(bank, bp)
        pairs = [len(set(a.question_ids) & set(b.question_ids)) for a, b in combinations(forms, 2)]
        used = Counter(q for f in forms for q in f.question_ids)
        out[code] = {
            "bank": len(bank),
            "expected_domain_counts": domain_counts(bp, bp.questions_total),
            "forms": [
                {
                    "title": f.title,
                    "domain_counts": dict(sorted(Counter(i.domain for i in f.items).items())),
                    "scored_domain_counts": dict(sorted(Counter(i.domain for i in f.scored_items).items())),
                    "shortfalls": [str(s) for s in f.shortfalls],
                }
                for f in forms
            ],
            "pairwise_overlap": {"min": min(pairs), "mean": round(sum(pairs) / len(pairs), 1), "max": max(pairs)},
            "distinct_questions_used": len(used),
            "bank_questions_unused": len(bank) - len(used),
        }
    return out


def main() -> int:
    data = figures()
    if "--json" in sys.argv:
        print(json.dumps(data, indent=2))
        return 0
    for code, f in data.items():
        print(f"{code}: bank {f['bank']}, expected per domain {f['expected_domain_counts']}")
        for form in f["forms"]:
            counts, scored = form["domain_counts"], form["scored_domain_counts"]
            print(f"  {form['title']}: {counts} scored {scored} shortfalls {form['shortfalls'] or 'none'}")
        o = f["pairwise_overlap"]
        print(
            f"  overlap between two forms: min {o['min']}, mean {o['mean']}, max {o['max']} of 65; "
            f"{f['distinct_questions_used']} distinct questions used, {f['bank_questions_unused']} unused"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
