"""The support assistant's prompt, its guardrails and the test gate. (reference solution)"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import model_stub

REFUSAL = "Sorry, I can't help with that. I can answer questions about orders, delivery, returns and payments."

# The prompt template: {question} is the customer's message, after redaction.
TEMPLATE = """You are the support assistant of an online electronics shop.
Answer questions about orders, delivery, returns, warranty, payments and accounts.
Respond only with a JSON object with the keys "answer" (a string) and "refused" (true or false).

<question>{question}</question>"""

DENIED_TOPICS = {
    "investment advice": r"\b(invest\w*|stocks|stock market|shares|bitcoin|crypto\w*|portfolio|funds?|pension"
    r"|savings)\b",
    "medical advice": r"\b(doses?|dosage|medic\w*|symptoms?|rash|fever|pain|doctor|pills?|ibuprofen|antibiotics?"
    r"|insulin|infection|chest)\b",
    "legal advice": r"\b(sue|suing|lawyers?|lawsuits?|court|legal|attorneys?|divorce|contracts?)\b",
}

# Card numbers first: 13 to 19 digits, optionally grouped by spaces or dashes.
CARD = re.compile(r"\b\d(?:[ -]?\d){12,18}\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<!\w)(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,4}){1,3}(?!\w)")


def redact(text: str) -> str:
    """``text`` with email addresses, payment card numbers and phone numbers replaced by placeholders."""
    text = EMAIL.sub("[EMAIL]", text)
    text = CARD.sub("[CARD]", text)
    return PHONE.sub(lambda m: "[PHONE]" if sum(c.isdigit() for c in m.group()) >= 7 else m.group(), text)


def denied_topic(text: str) -> str | None:
    """The denied topic ``text`` asks about, or None."""
    for topic, pattern in DENIED_TOPICS.items():
        if re.search(pattern, text, flags=re.I):
            return topic
    return None


def postprocess(raw: str) -> str:
    """The model's raw output as the contract's JSON: {"answer": str, "refused": bool}, redacted."""
    start, end = raw.find("{"), raw.rfind("}")
    try:
        parsed = json.loads(raw[start : end + 1]) if 0 <= start < end else None
    except json.JSONDecodeError:
        parsed = None
    answer = str(parsed.get("answer", "")) if isinstance(parsed, dict) else raw.strip()
    return json.dumps({"answer": redact(answer), "refused": False})


def respond(message: str, complete: Callable[[str], str] = model_stub.complete) -> str:
    """The assistant's reply to one customer message, as a JSON string."""
    if denied_topic(message) is not None:
        return json.dumps({"answer": REFUSAL, "refused": True})
    return postprocess(complete(TEMPLATE.format(question=redact(message))))


def run_gate(respond: Callable[[str], str], cases: list[dict[str, Any]]) -> list[str]:
    """Every failure of ``respond`` on ``cases`` (empty when the change may ship)."""
    failures = []
    for case in cases:
        reply = respond(case["input"])
        try:
            out = json.loads(reply)
        except json.JSONDecodeError:
            failures.append(f"not JSON: {case['input']!r}")
            continue
        if not isinstance(out, dict) or set(out) != {"answer", "refused"} or not isinstance(out["refused"], bool):
            failures.append(f"wrong fields: {case['input']!r}")
            continue
        if out["refused"] != (case["expect"] == "refuse"):
            failures.append(f"expected {case['expect']}: {case['input']!r}")
        digits = re.sub(r"\D", "", reply)
        for item in case["pii"]:
            if item in reply or (sum(c.isdigit() for c in item) >= 7 and re.sub(r"\D", "", item) in digits):
                failures.append(f"leaks {item!r}")
    return failures


def load_cases(path: str = "cases.jsonl") -> list[dict[str, Any]]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


if __name__ == "__main__":
    problems = run_gate(respond, load_cases())
    print("\n".join(problems) or "gate passed")
    sys.exit(1 if problems else 0)
