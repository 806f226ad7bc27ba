"""The support assistant's prompt, its guardrails and the test gate. Fill in the TODOs; see README.md."""

from __future__ import annotations

import json
import re  # noqa: F401  (for your guardrails)
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import model_stub

REFUSAL = "Sorry, I can't help with that. I can answer questions about orders, delivery, returns and payments."

# The prompt template: {question} is the customer's message, after redaction.
TEMPLATE = """You are the support assistant of an online electronics shop.

<question>{question}</question>"""  # TODO: the assistant's scope, and the reply format the caller expects

# TODO: each denied topic (README.md) and a way to recognise it
DENIED_TOPICS: dict[str, str] = {}


def redact(text: str) -> str:
    """``text`` with email addresses, payment card numbers and phone numbers replaced by placeholders."""
    # TODO
    raise NotImplementedError("redact")


def denied_topic(text: str) -> str | None:
    """The denied topic ``text`` asks about, or None."""
    # TODO
    raise NotImplementedError("denied_topic")


def postprocess(raw: str) -> str:
    """The model's raw output as the contract's JSON: {"answer": str, "refused": bool}, redacted."""
    # TODO
    raise NotImplementedError("postprocess")


def respond(message: str, complete: Callable[[str], str] = model_stub.complete) -> str:
    """The assistant's reply to one customer message, as a JSON string."""
    if denied_topic(message) is not None:
        return json.dumps({"answer": REFUSAL, "refused": True})
    return postprocess(complete(TEMPLATE.format(question=redact(message))))


def run_gate(respond: Callable[[str], str], cases: list[dict[str, Any]]) -> list[str]:
    """Every failure of ``respond`` on ``cases`` (empty when the change may ship)."""
    # TODO: check each reply against its case: format, refusal or answer, no personal data
    raise NotImplementedError("run_gate")


def load_cases(path: str = "cases.jsonl") -> list[dict[str, Any]]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


if __name__ == "__main__":
    problems = run_gate(respond, load_cases())
    print("\n".join(problems) or "gate passed")
    sys.exit(1 if problems else 0)
