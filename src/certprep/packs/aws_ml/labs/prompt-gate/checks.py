"""Checks of the prompt-gate lab: your respond() runs on held-out customer messages, and your
run_gate() must pass your assistant and stop broken ones."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from certprep.labs.api import CheckFailed, Context, check


def _replies(ctx: Context) -> list[tuple[dict[str, Any], str]]:
    def run() -> list[tuple[dict[str, Any], str]]:
        respond = ctx.learner("gate").respond
        return [(case, str(respond(case["input"]))) for case in ctx.lab("data").cases(ctx.seed)[1]]

    return ctx.once("replies", run)


def _parsed(reply: str) -> dict[str, Any] | None:
    try:
        out = json.loads(reply)
    except json.JSONDecodeError:
        return None
    ok = isinstance(out, dict) and set(out) == {"answer", "refused"}
    return out if ok and isinstance(out["answer"], str) and isinstance(out["refused"], bool) else None


def _leaks(case: dict[str, Any], reply: str) -> list[str]:
    digits = re.sub(r"\D", "", reply)
    return [
        item
        for item in case["pii"]
        if item.lower() in reply.lower() or (sum(c.isdigit() for c in item) >= 7 and re.sub(r"\D", "", item) in digits)
    ]


@check("format", "Every reply is a JSON object with a string answer and a boolean refused, nothing else")
def reply_format(ctx: Context) -> str:
    replies = _replies(ctx)
    bad = [(case, reply) for case, reply in replies if _parsed(reply) is None]
    if bad:
        raise CheckFailed(
            "a model asked for JSON does not always return only JSON: validate its output against the contract "
            "(parse it, keep the expected keys and types) before it reaches the caller",
            detail=f"{len(bad)} of {len(replies)} replies break the contract, e.g. {bad[0][1][:120]!r}",
        )
    return f"{len(replies)} held-out replies, all valid"


@check("refusals", "Messages on a denied topic are refused")
def refusals(ctx: Context) -> str:
    denied = [(c, r) for c, r in _replies(ctx) if c["expect"] == "refuse"]
    answered = [c for c, r in denied if not (_parsed(r) or {}).get("refused", False)]
    if answered:
        raise CheckFailed(
            "the model answers every topic it is asked about: a denied topic has to be recognised by the guardrail "
            "in front of it (by its definition and its usual words, not by the exact sentences you tested)",
            detail=f"{len(answered)} of {len(denied)} denied-topic messages answered, e.g. {answered[0]['input']!r}",
        )
    return f"{len(denied)} denied-topic messages refused"


@check("no-over-blocking", "Allowed questions are answered, personal data or not")
def no_over_blocking(ctx: Context) -> str:
    allowed = [(c, r) for c, r in _replies(ctx) if c["expect"] == "answer"]
    refused = [c for c, r in allowed if (_parsed(r) or {"refused": True})["refused"]]
    if refused:
        raise CheckFailed(
            "over-blocking: a guardrail that refuses allowed questions fails the customers it protects; match a "
            "denied topic by whole words that belong to it, and redact personal data rather than refuse",
            detail=f"{len(refused)} of {len(allowed)} allowed messages refused, e.g. {refused[0]['input']!r}",
        )
    return f"{len(allowed)} allowed messages answered"


@check("no-pii-leak", "No email address, phone number or card number from a message reaches the reply")
def no_pii_leak(ctx: Context) -> str:
    replies = _replies(ctx)
    leaks = [(case, item) for case, reply in replies for item in _leaks(case, reply)]
    planted = sum(len(c["pii"]) for c, _ in replies)
    if leaks:
        raise CheckFailed(
            "personal data is more than email addresses: phone numbers and payment card numbers too, in all their "
            "usual spellings (spaces, dashes, dots, brackets, a country code); redact them before the prompt "
            "reaches the model and again in what it answers",
            detail=f"{len(leaks)} of {planted} items leaked, e.g. {leaks[0][1]!r}",
        )
    return f"none of {planted} items of personal data leaked"


def _broken(respond: Callable[[str], str]) -> dict[str, Callable[[str], str]]:
    """Prompt changes that must not ship, each breaking one promise of the contract."""

    def leaky(message: str) -> str:
        out = json.loads(respond(message))
        return json.dumps({**out, "answer": out["answer"] + f" (re: {message})"})

    return {
        "leaks personal data": leaky,
        "answers denied topics": lambda m: json.dumps({"answer": "Happy to help.", "refused": False}),
        "answers in prose": lambda m: "Happy to help with that.",
        "refuses everything": lambda m: json.dumps({"answer": "Sorry.", "refused": True}),
    }


@check("gate", "run_gate() passes your assistant and stops four broken prompt changes")
def gate(ctx: Context) -> str:
    module = ctx.learner("gate")
    cases = [json.loads(line) for line in (ctx.workspace / "cases.jsonl").read_text(encoding="utf-8").splitlines()]
    own = list(module.run_gate(module.respond, cases))
    if own:
        raise CheckFailed(
            "the gate fails your own assistant: either the assistant breaks a promise of the contract (the other "
            "checks say which) or the gate asks for more than the contract does",
            detail=f"{len(own)} failure(s) on your own assistant, e.g. {own[0]}",
        )
    missed = [name for name, fn in _broken(module.respond).items() if not list(module.run_gate(fn, cases))]
    if missed:
        raise CheckFailed(
            "a prompt-test gate checks every promise of the contract on every case (format, refusals, no "
            "over-blocking, no personal data) and fails the change on any one broken",
            detail=f"not stopped: {', '.join(missed)}",
        )
    return f"passes your assistant on {len(cases)} cases, stops all 4 broken changes"
