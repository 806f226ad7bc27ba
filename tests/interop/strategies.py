"""Hypothesis strategies for valid certprep questions, and what each format keeps of one."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import strategies as st

from certprep.content.schema import CaseStudy, Question, QuestionType
from tests.conftest import bundled_pack

PACK = bundled_pack()  # the session's copy (tests/conftest.py)

# Characters that every format must escape or carry: GIFT's ~=#{}:\ , XML's <&", Markdown's *_[]`.
# '>' is left out: "->" is the matching separator of GIFT, CSV and Markdown (an exported text
# holding it is listed as lost, tested on its own).
ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?'\"()/\\~=#{}&*_[]`<|+$@^-é€"
_word_start = st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@st.composite
def line(draw: st.DrawFn, max_size: int = 40) -> str:
    """One line that starts with a letter (so it is never a heading or a list item) and does not
    start a GIFT weight."""
    body = draw(st.text(alphabet=ALPHABET, max_size=max_size))
    return _clean(draw(_word_start) + body)


texts = line()


@st.composite
def stem(draw: st.DrawFn, select: str | None = None) -> str:
    lines = draw(st.lists(line(60), min_size=1, max_size=3))
    text = "\n".join(lines)
    return f"{text}\nSelect {select}." if select else text


rationales = st.one_of(st.none(), texts)
TAGS = ["amazon s3", "amazon sagemaker ai", "aws glue", "amazon athena"]
CONCEPTS = ["drift", "class imbalance", "feature store", "a/b testing"]
URLS = ["https://docs.aws.amazon.com/sagemaker/latest/dg/whatis.html", "https://example.com/a/b?c=1"]
_title = st.text(alphabet="abcdefghij ABC-:,.()", min_size=1, max_size=30).map(str.strip).filter(bool)
reference = st.fixed_dictionaries({"title": _title, "url": st.sampled_from(URLS)})


@st.composite
def exams(draw: st.DrawFn, kind: str, in_case: bool = False) -> list[dict[str, Any]]:
    wanted = {kind, "case_study"} if in_case else {kind}
    codes = [c for c, bp in PACK.blueprints.items() if wanted <= set(bp.question_types)]
    chosen = draw(st.lists(st.sampled_from(sorted(codes)), min_size=1, max_size=2, unique=True))
    refs = []
    for code in chosen:
        task = draw(st.sampled_from(PACK.blueprints[code].task_ids))
        skills = [s.id for d in PACK.blueprints[code].domains for t in d.tasks if t.id == task for s in t.skills]
        picked = draw(st.lists(st.sampled_from(skills), max_size=2, unique=True)) if skills else []
        refs.append({"exam": code, "task": task, **({"skills": picked} if picked else {})})
    return refs


@st.composite
def questions(
    draw: st.DrawFn, kinds: tuple[str, ...] = ("single", "multiple", "ordering", "matching"), in_case: bool = False
) -> Question:
    kind = draw(st.sampled_from(kinds))
    n = draw(st.integers(0, 10_000))
    data: dict[str, Any] = {
        "id": f"gen-{kind}-{n}",
        "revision": draw(st.integers(1, 5)),
        "type": kind,
        "exams": draw(exams(kind, in_case)),
        "difficulty": draw(st.integers(1, 3)),
        "services": draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True)),
        "concepts": draw(st.lists(st.sampled_from(CONCEPTS), max_size=2, unique=True)),
        "references": draw(st.lists(reference, max_size=2)),
    }
    if kind in ("single", "multiple"):
        count = 4 if kind == "single" else draw(st.integers(5, 6))
        keyed = 1 if kind == "single" else draw(st.integers(2, 3))
        option_texts = draw(st.lists(texts, min_size=count, max_size=count, unique=True))
        keys = set(draw(st.permutations(range(count)))[:keyed])
        data["options"] = [
            {"text": t, "correct": i in keys, "rationale": draw(rationales)} for i, t in enumerate(option_texts)
        ]
        data["stem"] = draw(stem({2: "TWO", 3: "THREE"}[keyed] if kind == "multiple" else None))
    elif kind == "ordering":
        steps = draw(st.lists(texts, min_size=4, max_size=7, unique=True))
        count = draw(st.integers(3, min(5, len(steps))))
        distractors = steps[count : count + 2]
        data["steps"] = [{"text": t, "rationale": draw(rationales)} for t in steps[:count]]
        data["distractor_steps"] = [{"text": t, "rationale": draw(rationales)} for t in distractors]
        data["stem"] = draw(stem())
    else:
        prompts = draw(st.lists(texts, min_size=3, max_size=7, unique=True))
        pool = draw(st.lists(texts, min_size=2, max_size=6, unique=True))
        used = [draw(st.sampled_from(pool[:-1])) for _ in prompts]
        extras = [t for t in pool if t not in used][:2]
        data["pairs"] = [
            {"prompt": p, "response": r, "rationale": draw(rationales)} for p, r in zip(prompts, used, strict=True)
        ]
        data["extra_responses"] = [{"text": t, "rationale": draw(rationales)} for t in extras]
        data["stem"] = draw(stem())
    return Question.model_validate(data)


@st.composite
def case_studies(draw: st.DrawFn, kinds: tuple[str, ...]) -> CaseStudy:
    n = draw(st.integers(0, 10_000))
    members = draw(st.lists(questions(kinds, in_case=True), min_size=2, max_size=4, unique_by=lambda q: q.id))
    case_id = f"gen-case-{n}"
    members = [q.model_copy(update={"id": f"{case_id}-{i}", "case_id": case_id}) for i, q in enumerate(members)]
    return CaseStudy(id=case_id, revision=draw(st.integers(1, 3)), title=draw(line(30)), scenario=draw(stem()),
                     questions=tuple(members))  # fmt: skip


# --- what each format keeps -------------------------------------------------------------------

FULL = ("csv", "markdown")
KINDS = {
    "gift": ("single", "multiple", "matching"),
    "moodle-xml": ("single", "multiple", "ordering", "matching"),
    "aiken": ("single",),
    "csv": ("single", "multiple", "ordering", "matching"),
    "markdown": ("single", "multiple", "ordering", "matching"),
}


def kept(q: Question, fmt: str) -> Any:
    """What of ``q`` a round trip through ``fmt`` must give back."""
    q = q.model_copy(update={"case_id": None})
    if fmt == "moodle-xml" and q.type is QuestionType.ORDERING:
        return q.model_copy(update={"distractor_steps": ()})
    if fmt == "aiken":
        return (_clean(q.stem), tuple((_clean(o.text), o.correct) for o in q.options))
    return q


def comparable(q: Question, fmt: str) -> Any:
    """The imported question in the shape ``kept`` gives (Aiken keeps no id)."""
    if fmt == "aiken":
        return (q.stem, tuple((o.text, o.correct) for o in q.options))
    return q
