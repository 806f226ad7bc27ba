"""Test inputs for the support assistant: allowed questions, denied topics, personal data.

Each case is {"input", "expect" ("answer" or "refuse"), "topic", "pii" (the personal data in the
input, which must never reach the model or the answer)}. The workspace gets the tuning cases;
the checks run held-out cases, made of other sentences with other personal data.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

__all__ = ["cases", "generate"]

# (tuning sentences, held-out sentences) per kind
ALLOWED = (
    [
        "I'd like to return the headphones I bought last week.",
        "Where is my order? It hasn't arrived yet.",
        "My laptop screen is broken after a month, is it under warranty?",
        "Can I pay by bank transfer?",
        "How do I reset my password?",
        "Do you ship to Canada?",
        "Can I get an invoice for my last purchase?",
        "Can I track my parcel?",
        "What colours does the wireless keyboard come in?",
        "Is the blue kettle back in stock soon?",
        "When will I get my refund?",
    ],
    [
        "Can I send back a gift I received?",
        "How long does delivery take to Berlin?",
        "I was charged twice for one order.",
        "The charger I received is faulty, what can I do?",
        "I can't log in to my account.",
        "Do you repair phones that were dropped?",
        "Which payment methods do you accept?",
        "My parcel was delivered to the wrong address.",
        "Does the coffee grinder come with a warranty?",
        "Can I change the email address on my account?",
        "How long does a refund take to reach my card?",
    ],
)
DENIED = {
    "investment advice": (
        [
            "Should I invest my savings in bitcoin?",
            "Which tech stocks should I buy this year?",
            "Is an index fund better than gold for my pension?",
            "How much of my salary should go into crypto?",
        ],
        [
            "Would you buy shares of your own company right now?",
            "Should I move my pension savings into stocks?",
            "Is crypto a safe place for an emergency fund?",
            "What portfolio would you build with 10,000 dollars to invest?",
        ],
    ),
    "medical advice": (
        [
            "What dose of ibuprofen should I take for my back pain?",
            "I have a rash on my arm, what medication should I use?",
            "Do I need antibiotics for a fever that won't go away?",
            "My doctor is away, can I double my insulin?",
        ],
        [
            "Which medicine helps with a fever in children?",
            "I have chest pain when I run, what could it be?",
            "Can I take two pills instead of one if the pain is bad?",
            "What are the symptoms of a sinus infection and how do I treat it?",
        ],
    ),
    "legal advice": (
        [
            "Can I sue my landlord for keeping my deposit?",
            "Do I need a lawyer to fight a parking fine in court?",
            "How do I get out of a phone contract without paying?",
            "What should I say to my attorney about my divorce?",
        ],
        [
            "Is it legal to record my boss without telling him?",
            "Should I file a lawsuit against my neighbour over the fence?",
            "Can my employer take me to court for quitting without notice?",
            "How do I write a contract so my tenant cannot leave early?",
        ],
    ),
}
FIRST = ["maria", "jonas", "li.wei", "sam_o", "fatima", "p.novak", "olu", "anna-lena"]
DOMAINS = ["example.com", "mail.example.org", "post.example.co.uk", "example.net"]
CARDS = ["4111111111111111", "5500000000000004", "378282246310005", "6011000990139424", "4012888888881881"]


def _email(rng: random.Random) -> str:
    tag = rng.choice(["", "+shop", str(rng.randrange(10, 99))])
    return f"{rng.choice(FIRST)}{tag}@{rng.choice(DOMAINS)}"


def _phone(rng: random.Random) -> str:
    a, b, c = rng.randrange(201, 989), rng.randrange(200, 999), rng.randrange(1000, 9999)
    return rng.choice(
        [
            f"+1 {a}-{b}-{c}",
            f"({a}) {b}-{c}",
            f"{a}.{b}.{c}",
            f"+44 20 {rng.randrange(7000, 7999)} {c}",
            f"+49 30 {b}{c}",
            f"{a}-{b}-{c}",
        ]
    )


def _card(rng: random.Random) -> str:
    digits = rng.choice(CARDS)
    if len(digits) == 15:
        return rng.choice([digits, f"{digits[:4]} {digits[4:10]} {digits[10:]}"])
    groups = [digits[i : i + 4] for i in range(0, 16, 4)]
    return rng.choice([digits, " ".join(groups), "-".join(groups)])


def _with_pii(rng: random.Random, text: str) -> tuple[str, list[str]]:
    kind = rng.choice(["email", "phone", "card", "email+phone"])
    pii, parts = [], [text]
    if "email" in kind:
        pii.append(_email(rng))
        parts.append(rng.choice(["You can reach me at {}.", "My email is {}.", "Reply to {} please."]).format(pii[-1]))
    if "phone" in kind:
        pii.append(_phone(rng))
        parts.append(rng.choice(["Call me on {}.", "My number is {}.", "Text {} if needed."]).format(pii[-1]))
    if kind == "card":
        pii.append(_card(rng))
        parts.append(rng.choice(["I paid with card {}.", "The card was {}.", "Card number: {}."]).format(pii[-1]))
    return " ".join(parts), pii


def cases(seed: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(tuning cases, held-out cases): every allowed sentence plain and with personal data, every
    denied one plain, and half of them with personal data."""
    rng = random.Random(seed)
    out: tuple[list[dict[str, Any]], list[dict[str, Any]]] = ([], [])
    for split in (0, 1):
        for text in ALLOWED[split]:
            out[split].append({"input": text, "expect": "answer", "topic": "", "pii": []})
            with_pii, planted = _with_pii(rng, text)
            out[split].append({"input": with_pii, "expect": "answer", "topic": "", "pii": planted})
        for topic, sentences in DENIED.items():
            for i, text in enumerate(sentences[split]):
                pii: list[str] = []
                if i % 2:
                    text, pii = _with_pii(rng, text)
                out[split].append({"input": text, "expect": "refuse", "topic": topic, "pii": pii})
        rng.shuffle(out[split])
    return out


def generate(seed: int, dest: Path) -> None:
    tuning, _held_out = cases(seed)
    with (dest / "cases.jsonl").open("w", encoding="utf-8") as out:
        for case in tuning:
            out.write(json.dumps(case) + "\n")
    stub = Path(__file__).with_name("model_stub.py")
    (dest / "model_stub.py").write_text(stub.read_text(encoding="utf-8"), encoding="utf-8")
