"""Helpers for the exam tests: start attempts through the API and find keys the way a client
cannot (from the stored form and the pack), to answer right or wrong on purpose."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from certprep.content.schema import Question, QuestionType
from certprep.exam.attempt import AttemptState
from certprep.exam.forms import Form, FormItem
from certprep.exam.scoring import key_response, to_presented
from certprep.store.tables import attempts
from certprep.web.middleware import COOKIE_NAME
from tests.web.conftest import Site, csrf_token

SECRET_KEYS = {"key", "rationale", "rationales", "scored", "correct", "in_key", "key_position", "key_match"}


async def start(client: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    token = await csrf_token(client)
    response = await client.post("/api/attempts", json={"exam": "MLA-C01", **body}, headers={"X-CSRF-Token": token})
    assert response.status_code == 201, response.text
    view: dict[str, Any] = response.json()
    return view


_TOKENS: dict[tuple[int, str], str] = {}  # (client, its session cookie) -> the session's CSRF token


async def _session_token(client: httpx.AsyncClient) -> str:
    """The CSRF token of the client's session, asked for once per session cookie (an exam sends
    hundreds of actions); a new cookie (a sign-in, a new session) asks again."""
    cookie = client.cookies.get(COOKIE_NAME)
    token = _TOKENS.get((id(client), cookie)) if cookie else None
    if token is None:
        token = await csrf_token(client)
        _TOKENS[(id(client), client.cookies.get(COOKIE_NAME) or "")] = token
    return token


async def act(client: httpx.AsyncClient, view: dict[str, Any], kind: str, **fields: Any) -> httpx.Response:
    token = await _session_token(client)
    body = {"type": kind, "expected_version": view["version"], **fields}
    return await client.post(f"/api/attempts/{view['id']}/actions", json=body, headers={"X-CSRF-Token": token})


async def act_ok(client: httpx.AsyncClient, view: dict[str, Any], kind: str, **fields: Any) -> dict[str, Any]:
    response = await act(client, view, kind, **fields)
    assert response.status_code == 200, response.text
    new: dict[str, Any] = response.json()
    return new


def state(site: Site, attempt_id: str) -> AttemptState:
    with site.app.engine.connect() as conn:
        row = conn.execute(select(attempts.c.state, attempts.c.form).where(attempts.c.id == attempt_id)).one()
    return AttemptState.from_dict(row.state, form=Form.from_dict(row.form))


def item(site: Site, attempt_id: str, index: int) -> tuple[FormItem, Question]:
    form_item = state(site, attempt_id).form.items[index]
    return form_item, site.app.pack.question(form_item.question_id)


def _json(value: Any) -> Any:
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, int):
        return value
    return {str(k): v for k, v in sorted(value.items())}


def key_presented(site: Site, attempt_id: str, index: int) -> Any:
    """The right answer to item ``index`` in screen positions (what a browser would send)."""
    form_item, question = item(site, attempt_id, index)
    return _json(to_presented(form_item.presentation, key_response(question)))


def wrong_presented(site: Site, attempt_id: str, index: int) -> Any:
    """A valid answer that is wrong."""
    key = key_presented(site, attempt_id, index)
    _, question = item(site, attempt_id, index)
    if question.type is QuestionType.SINGLE:
        return (key + 1) % len(question.options)
    if question.type is QuestionType.MULTIPLE:
        return sorted([p for p in range(len(question.options)) if p not in key][:1] + key[1:])
    if question.type is QuestionType.ORDERING:
        return list(reversed(key))
    return {k: (v + 1) % len(question.responses) for k, v in key.items()}


def rationales(question: Question) -> list[str]:
    """Every rationale of a question (long enough to be found in a page only if it leaked)."""
    parts: list[Any] = [*question.options, *question.steps, *question.distractor_steps, *question.pairs]
    parts += list(question.extra_responses)
    return [p.rationale.strip() for p in parts if getattr(p, "rationale", None)]


def secret_keys(value: Any, path: str = "") -> list[str]:
    """Paths of keys in a JSON document that would give an answer away."""
    found: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if k in SECRET_KEYS or (k == "feedback" and v is not None):
                found.append(f"{path}.{k}")
            found += secret_keys(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += secret_keys(v, f"{path}[{i}]")
    return found


def first_index_of(site: Site, attempt_id: str, kind: QuestionType) -> int | None:
    for index, form_item in enumerate(state(site, attempt_id).form.items):
        if form_item.type is kind:
            return index
    return None
