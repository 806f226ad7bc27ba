"""Retrieval over the service manuals: chunk, index, search, rerank. (reference solution)"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import embedder
import numpy as np

K = 5  # recall@K is what the checks measure
CANDIDATES = 30  # how many chunks the dense search hands to the reranker
MAX_CHARS = embedder.MAX_CHARS  # a chunk longer than the model's context is cut when embedded


@dataclass(frozen=True)
class Chunk:
    doc: str  # the manual's id
    text: str


def chunk(doc_id: str, title: str, text: str) -> list[Chunk]:
    """Split one manual (Markdown) into chunks of at most MAX_CHARS characters."""
    chunks = []
    for section in re.split(r"\n(?=## )", text):
        lines = section.strip().splitlines()
        heading = lines[0].lstrip("# ").strip() if lines else ""
        body = " ".join(line.strip() for line in lines[1:] if line.strip())
        header = f"{title} - {heading}: " if heading != title else f"{title}: "
        sentences = re.split(r"(?<=[.!?])\s+", body)
        current: list[str] = []
        for sentence in sentences:
            if current and len(header) + len(" ".join([*current, sentence])) > MAX_CHARS:
                chunks.append(Chunk(doc_id, header + " ".join(current)))
                current = current[-1:]  # one sentence of overlap
            current.append(sentence)
        if current:
            chunks.append(Chunk(doc_id, header + " ".join(current)))
    return chunks


@dataclass
class Index:
    chunks: list[Chunk]
    vectors: np.ndarray


def build_index(chunks: list[Chunk]) -> Index:
    """Embed every chunk once."""
    return Index(chunks, embedder.embed([c.text for c in chunks]))


def dense_search(index: Index, question: str, n: int) -> list[tuple[Chunk, float]]:
    """The n chunks whose vectors are nearest the question's (cosine), with their scores."""
    scores = index.vectors @ embedder.embed([question])[0]
    best = np.argsort(-scores, kind="stable")[:n]
    return [(index.chunks[i], float(scores[i])) for i in best]


WORD = re.compile(r"[a-z0-9]+")
# words too common in the questions to tell chunks apart
STOP = frozenset(
    re.findall(
        r"\w+",
        "the a an of in is are what how does do which when after for many one to that its it and above beyond often s",
    )
)


def _terms(text: str) -> set[str]:
    return {w[:5] for w in WORD.findall(text.lower()) if w not in STOP}


def rerank(question: str, candidates: list[tuple[Chunk, float]]) -> list[Chunk]:
    """Reorder the dense candidates: the share of the question's words (their first five letters)
    found in the chunk, plus the dense score as a tie-breaker."""
    terms = _terms(question)

    def score(item: tuple[Chunk, float]) -> float:
        overlap = len(terms & _terms(item[0].text)) / max(1, len(terms))
        return overlap + 0.5 * item[1]

    return [c for c, _ in sorted(candidates, key=score, reverse=True)]


def search(index: Index, question: str, k: int = K) -> list[Chunk]:
    """The k best chunks for a question: dense candidates, reranked."""
    return rerank(question, dense_search(index, question, CANDIDATES))[:k]


def load(folder: str = ".") -> tuple[list[Chunk], list[dict[str, str]]]:
    root = Path(folder)
    chunks = []
    for path in sorted((root / "docs").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        chunks += chunk(path.stem, text.splitlines()[0].lstrip("# ").strip(), text)
    lines = (root / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    return chunks, [json.loads(line) for line in lines]


def recall_at_k(index: Index, questions: list[dict[str, str]], k: int = K) -> float:
    """The share of questions with a chunk among the k found that holds the whole answer."""
    hits = 0
    for q in questions:
        found = search(index, q["question"], k)
        hits += any(c.doc == q["doc"] and q["answer"] in c.text for c in found)
    return hits / len(questions)


if __name__ == "__main__":
    all_chunks, tuning = load()
    recall = recall_at_k(build_index(all_chunks), tuning)
    print(f"{len(all_chunks)} chunks; recall@{K} on the tuning questions: {recall:.2f}")
