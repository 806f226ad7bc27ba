"""A generated set of service manuals, and questions whose answers are sentences in them.

Every manual describes one fictional managed service in Markdown sections; each fact sentence
(the answer to a question) names an attribute but not the service: only the manual's title does.
The workspace gets the manuals and the tuning questions; the checks ask held-out questions about
the same manuals, and can make a second corpus from another seed.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import NamedTuple

__all__ = ["Doc", "Question", "corpus", "generate", "questions"]

FIRST = [
    "Harbor",
    "Lumen",
    "Cobalt",
    "Juniper",
    "Quartz",
    "Nimbus",
    "Falcon",
    "Maple",
    "Orbit",
    "Pebble",
    "Saffron",
    "Tundra",
    "Willow",
    "Zephyr",
    "Amber",
    "Basalt",
    "Cedar",
    "Delta",
    "Ember",
    "Fjord",
    "Glacier",
    "Heron",
]
SECOND = ["Queue", "Store", "Stream", "Vault", "Index", "Relay", "Ledger", "Cache", "Gateway", "Scheduler", "Mesh"]
KINDS = [
    "message queue",
    "object store",
    "event stream",
    "secrets vault",
    "search index",
    "notification relay",
    "audit ledger",
    "key-value cache",
    "API gateway",
    "job scheduler",
    "service mesh",
]

FILLER = [
    "The service is fully managed, so there are no servers to patch or scale.",
    "Settings can be changed from the console, the CLI or an infrastructure-as-code template.",
    "Metrics are published every minute and can drive alarms and dashboards.",
    "Each account starts with the defaults below; a support case can raise most of them.",
    "Changes take effect within a few minutes and do not interrupt running clients.",
    "The defaults suit most workloads, and the documentation explains when to change them.",
    "Clients use the standard SDKs, which retry throttled calls with exponential backoff.",
    "All operations are recorded in the account's audit trail for later review.",
    "Teams usually review these values during a well-architected review.",
    "Tags on each resource help to allocate the cost to the right team.",
    "Private connectivity is available through interface endpoints in the customer's network.",
    "The values differ between regions only where this page says so.",
]

# attribute: (section, fact sentence, question)
FACTS = {
    "payload": (
        "Limits",
        "The largest payload a single request may carry is {n} KB.",
        "What is the largest request payload that {name} accepts?",
    ),
    "concurrency": (
        "Limits",
        "No more than {n} jobs can run at the same time in one account.",
        "How many jobs can run at the same time in one {name} account?",
    ),
    "throttle": (
        "Limits",
        "Requests beyond {n} per second are throttled.",
        "Above how many requests per second does {name} throttle?",
    ),
    "retention": (
        "Data retention",
        "Records are retained for {n} days and then deleted.",
        "For how many days does {name} retain records?",
    ),
    "snapshots": (
        "Data retention",
        "A snapshot of the data is taken every {n} hours.",
        "How often does {name} take a snapshot of the data?",
    ),
    "rotation": (
        "Security",
        "Encryption keys are rotated automatically every {n} days.",
        "How often are the encryption keys of {name} rotated?",
    ),
    "sessions": (
        "Security",
        "Console sessions expire after {n} minutes without activity.",
        "When do inactive console sessions of {name} expire?",
    ),
    "price": ("Pricing", "One million requests cost {n} cents.", "What do one million requests cost in {name}?"),
    "regions": ("Availability", "The service runs in {n} regions.", "In how many regions does {name} run?"),
    "idle": (
        "Availability",
        "An idle connection is closed after {n} seconds.",
        "After how many seconds does {name} close an idle connection?",
    ),
    "error": (
        "Troubleshooting",
        "Error code E{n} means that the request's signature has expired.",
        "What is the error code of {name} when a request's signature has expired?",
    ),
}
SECTIONS = ["Limits", "Data retention", "Security", "Pricing", "Availability", "Troubleshooting"]
DOCS = 36


class Doc(NamedTuple):
    id: str
    title: str
    text: str  # Markdown: a title, an introduction, then one `## ` section per topic


class Question(NamedTuple):
    question: str
    doc: str  # the id of the manual that answers it
    answer: str  # the sentence that answers it, as it appears in the manual


def _names(rng: random.Random) -> list[tuple[str, str]]:
    pairs = [(f"{a} {b}", KINDS[j]) for a in FIRST for j, b in enumerate(SECOND)]
    rng.shuffle(pairs)
    return pairs[:DOCS]


def _build(seed: int) -> tuple[list[Doc], list[Question]]:
    rng = random.Random(seed)
    docs, facts = [], []
    for i, (name, kind) in enumerate(_names(rng)):
        doc_id = f"doc_{i:02d}"
        parts = [f"# {name}", "", f"{name} is a managed {kind}. {rng.choice(FILLER)}"]
        for section in SECTIONS:
            sentences = rng.sample(FILLER, 3)
            for where, fact, question in FACTS.values():
                if where == section:
                    sentence = fact.format(n=rng.randrange(11, 990))
                    sentences.insert(rng.randrange(1, len(sentences) + 1), sentence)
                    facts.append(Question(question.format(name=name), doc_id, sentence))
            parts += ["", f"## {section}", "", " ".join(sentences)]
        docs.append(Doc(doc_id, name, "\n".join(parts) + "\n"))
    rng.shuffle(facts)
    return docs, facts


def corpus(seed: int) -> list[Doc]:
    """The manuals made from ``seed``."""
    return _build(seed)[0]


def questions(seed: int) -> tuple[list[Question], list[Question]]:
    """(tuning questions, held-out questions) about ``corpus(seed)``: 80 and 150, no overlap."""
    facts = _build(seed)[1]
    return facts[:80], facts[80:230]


def generate(seed: int, dest: Path) -> None:
    (dest / "docs").mkdir()
    for doc in corpus(seed):
        (dest / "docs" / f"{doc.id}.md").write_text(doc.text, encoding="utf-8")
    tuning, _held_out = questions(seed)
    with (dest / "questions.jsonl").open("w", encoding="utf-8") as out:
        for q in tuning:
            out.write(json.dumps({"question": q.question, "doc": q.doc, "answer": q.answer}) + "\n")
    embedder = Path(__file__).with_name("embedder.py")
    (dest / "embedder.py").write_text(embedder.read_text(encoding="utf-8"), encoding="utf-8")
