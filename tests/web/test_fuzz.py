"""Fuzz the JSON API from its OpenAPI document (schemathesis): no input gives a server error.

Every operation gets valid inputs (as the schema describes them) and invalid ones, sent as an
administrator signed in with the CSRF header, so writes reach their validation instead of stopping
at the CSRF check. Runs on SQLite and PostgreSQL (``database_url``); bounded and deterministic
(``derandomize``), a minute or so per database.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.python import asgi

from tests.web.conftest import PASSWORD, Site

pytestmark = pytest.mark.slow

EXAMPLES = 60  # per operation and generation mode
# Operations that change who the client is: sign in again after each of their cases.
SESSION_CHANGES = {("POST", "/api/session"), ("DELETE", "/api/session"), ("POST", "/api/sign-up")}


def _sign_in(client: Any) -> None:
    client.cookies.clear()
    client.headers.pop("X-CSRF-Token", None)
    token = client.get("/api/session").json()["csrf_token"]
    response = client.post(
        "/api/session", json={"username": "fuzzer", "password": PASSWORD}, headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]


def _known_ids(site: Site, client: Any) -> dict[str, Any]:
    """Path parameters of rows and items that exist, so that cases also reach past the 404."""
    pack = site.app.pack
    question = sorted(q.id for q in pack.questions)[0]
    attempt = client.post("/api/attempts", json={"exam": "MLA-C01", "selection": "fixed", "form": 1})
    report = client.post(f"/api/questions/{question}/reports", json={"category": "unclear", "message": "fuzz"})
    assert attempt.status_code == 201 and report.status_code == 201, (attempt.text, report.text)
    return {
        "attempt_id": attempt.json()["id"],
        "report_id": report.json()["id"],
        "question_id": question,
        "item_id": pack.flashcards[0].id,
        "lesson_id": pack.lessons[0].id,
        "sheet_id": pack.cheatsheets[0].id,
        "code": "MLA-C01",
        "exam": "MLA-C01",
        "topic": "scoring",
        "token": "0" * 32,
    }


def _fuzz(
    operation: Any, mode: GenerationMode, client: Any, failures: list[str], path_parameters: dict[str, Any]
) -> int:
    """Send ``EXAMPLES`` cases of ``operation``; server errors go to ``failures``. The cases sent."""
    key = (operation.method.upper(), operation.path)
    sent = 0

    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters or None))
    def run(case: Any) -> None:
        nonlocal sent
        sent += 1
        try:
            status = case.call(session=client).status_code
        except Exception as exc:  # the in-process client raises what the app did not handle
            failures.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}: {case.as_curl_command()}")
        else:
            if status >= 500:
                failures.append(f"{status}: {case.as_curl_command()}")
        if key in SESSION_CHANGES:
            _sign_in(client)

    try:
        run()
    except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
        assert mode is GenerationMode.NEGATIVE, key
    return sent


def test_no_input_gives_a_server_error(make_site: Any) -> None:
    site: Site = make_site(multi_user=True)
    site.create_user("fuzzer", admin=True)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", site.web)
    failures: list[str] = []
    sent = operations = 0
    try:
        with asgi.get_client(site.web) as client:
            _sign_in(client)
            known = _known_ids(site, client)
            for result in schema.get_all_operations():
                operation = result.ok()
                operations += 1
                names = {p.name for p in operation.path_parameters}
                # Every parameter generated, then (for a path with ids) the ids of real rows and items.
                for fixed in [{}] + ([{n: known[n] for n in names if n in known}] if names else []):
                    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                        sent += _fuzz(operation, mode, client, failures, fixed)
    finally:
        asgi.shutdown_lifespans()
    print(f"fuzz: {operations} operations, {sent} requests, {len(failures)} server errors")
    assert not failures, "\n".join(failures[:50])
