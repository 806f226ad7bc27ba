"""Checks of the rag-retrieval lab: the checks chunk the manuals with your chunk(), search with your
search(), and measure recall@5 themselves on questions you have not seen."""

from __future__ import annotations

from typing import Any

import numpy as np

from certprep.labs.api import CheckFailed, Context, check

K = 5
NAIVE_CHARS = 400  # the baseline: fixed windows of this many characters, no overlap, dense search only
MIN_RECALL = 0.85
MIN_MARGIN = 0.40
MIN_RERANK_GAIN = 0.10
MAX_GAP = 0.10


def _chunks(ctx: Context, seed: int) -> list[Any]:
    def make() -> list[Any]:
        rag = ctx.learner("rag")
        return [c for doc in ctx.lab("data").corpus(seed) for c in rag.chunk(doc.id, doc.title, doc.text)]

    return ctx.once(f"chunks:{seed}", make)


def _index(ctx: Context) -> Any:
    return ctx.once("index", lambda: ctx.learner("rag").build_index(_chunks(ctx, ctx.seed)))


def _hit(found: list[Any], q: Any) -> bool:
    return any(c.doc == q.doc and q.answer in c.text for c in found)


def _recall(ctx: Context, questions: list[Any], k: int = K) -> float:
    """recall@k (k <= K) of your search(): the top k of its K results, each question searched once."""
    rag, index = ctx.learner("rag"), _index(ctx)
    found = ctx.cache.setdefault("found", {})
    for q in questions:
        if q.question not in found:
            found[q.question] = list(rag.search(index, q.question, K))
    return sum(_hit(found[q.question][:k], q) for q in questions) / len(questions)


def _dense_recall(ctx: Context, chunks: list[Any], questions: list[Any], k: int) -> float:
    """recall@k of a plain nearest-neighbour search with the lab's own embedding model."""
    embed = ctx.lab("embedder").embed
    vectors = embed([c.text for c in chunks])
    scores = embed([q.question for q in questions]) @ vectors.T
    best = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return sum(_hit([chunks[i] for i in row], q) for row, q in zip(best, questions, strict=True)) / len(questions)


def _held_out(ctx: Context) -> list[Any]:
    return list(ctx.lab("data").questions(ctx.seed)[1])


@check("chunks-keep-answers", "Every answer lies whole in a chunk no longer than the model's context")
def chunks_keep_answers(ctx: Context) -> str:
    data, limit = ctx.lab("data"), ctx.lab("embedder").MAX_CHARS
    for seed, name in ((ctx.seed, "the workspace's manuals"), (ctx.seed + 7, "another set of manuals")):
        chunks = _chunks(ctx, seed)
        longest = max((len(c.text) for c in chunks), default=0)
        if not chunks or longest > limit:
            raise CheckFailed(
                f"the embedding model reads only the first {limit} characters of a chunk: whatever lies past "
                "them cannot be found by search",
                detail=f"{name}: {len(chunks)} chunks, the longest has {longest} characters",
            )
        tuning, held_out = data.questions(seed)
        cut = [q for q in (*tuning, *held_out) if not any(c.doc == q.doc and q.answer in c.text for c in chunks)]
        if cut:
            raise CheckFailed(
                "a chunk boundary that falls inside an answer splits it into halves that neither match the "
                "question well: cut at natural boundaries, or let neighbouring chunks overlap",
                detail=f"{name}: {len(cut)} of {len(tuning) + len(held_out)} answers are in no chunk whole, "
                f"e.g. {cut[0].answer!r}",
            )
    return f"{len(_chunks(ctx, ctx.seed))} chunks, every answer whole, on two sets of manuals"


@check("recall-margin", f"recall@{K} on held-out questions is at least {MIN_RECALL} and beats the naive baseline")
def recall_margin(ctx: Context) -> str:
    held_out = _held_out(ctx)
    docs = ctx.lab("data").corpus(ctx.seed)
    naive_chunks = [
        _NaiveChunk(d.id, d.text[i : i + NAIVE_CHARS]) for d in docs for i in range(0, len(d.text), NAIVE_CHARS)
    ]
    baseline = _dense_recall(ctx, naive_chunks, held_out, K)
    recall = _recall(ctx, held_out)
    if recall < MIN_RECALL or recall - baseline < MIN_MARGIN:
        raise CheckFailed(
            "the embedding model sees one chunk at a time: a fact whose chunk never says which manual it comes "
            "from looks alike in every manual, so give each chunk its context; then let a reranker reorder "
            "the nearest candidates with a finer score",
            detail=f"recall@{K} {recall:.2f} on {len(held_out)} held-out questions; naive baseline {baseline:.2f}",
        )
    return f"recall@{K} {recall:.2f} on {len(held_out)} held-out questions; naive baseline {baseline:.2f}"


@check("rerank-helps", "Reranking puts the right chunk first more often than the dense search alone")
def rerank_helps(ctx: Context) -> str:
    held_out = _held_out(ctx)
    dense = _dense_recall(ctx, _chunks(ctx, ctx.seed), held_out, 1)
    reranked = _recall(ctx, held_out, 1)
    if reranked - dense < MIN_RERANK_GAIN:
        raise CheckFailed(
            "a reranker rescores the first stage's candidates with a second, finer signal than the embedding's "
            "cosine: it earns its cost only when it moves the right chunk up",
            detail=f"recall@1 {reranked:.2f} with your search, {dense:.2f} with the dense search alone",
        )
    return f"recall@1 {reranked:.2f} with reranking, {dense:.2f} without"


@check("held-out", "recall on the tuning questions does not overstate recall on new questions")
def held_out(ctx: Context) -> str:
    tuning = list(ctx.lab("data").questions(ctx.seed)[0])
    on_tuning = _recall(ctx, tuning)
    on_held_out = _recall(ctx, _held_out(ctx))
    if on_tuning - on_held_out > MAX_GAP:
        raise CheckFailed(
            "recall measured on the questions you tuned against overstates what new questions get: a change that "
            "helps only them is memorization; judge every change on questions held out from tuning",
            detail=f"recall@{K} {on_tuning:.2f} on the tuning questions, {on_held_out:.2f} on held-out ones",
        )
    return f"recall@{K} {on_tuning:.2f} on the tuning questions, {on_held_out:.2f} on held-out ones"


class _NaiveChunk:
    def __init__(self, doc: str, text: str) -> None:
        self.doc, self.text = doc, text
