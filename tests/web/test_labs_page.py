"""The labs page and its JSON twin: each lab, the user's status and last check's results."""

from __future__ import annotations

import httpx
import pytest

from certprep.labs.api import CheckResult
from certprep.labs.runner import CheckRun
from certprep.services import labs as service
from certprep.services.content import local_user
from tests.conftest import NOW
from tests.web.conftest import Site

LAB = "cost-sensitive-threshold"


@pytest.mark.anyio
async def test_labs_page_and_json_twin(local_site: Site) -> None:
    uid = int(local_user(local_site.app, NOW)["id"])
    results = (
        CheckResult("expected-cost", "expected_cost ...", "passed"),
        CheckResult("least-cost-threshold", "t", "failed", hint="weigh errors"),
    )
    service.record_run(local_site.app, uid, CheckRun(LAB, results, 0.5), now=NOW)
    client: httpx.AsyncClient = local_site.client()
    data = (await client.get("/api/labs")).json()
    by_id = {lab["id"]: lab for lab in data["labs"]}
    assert len(by_id) >= 4 and by_id[LAB]["status"] == "failing"
    assert by_id[LAB]["results"][1] == {
        "id": "least-cost-threshold",
        "title": "t",
        "status": "failed",
        "hint": "weigh errors",
        "detail": "",
    }
    assert by_id["drift-monitor"]["status"] == "not checked"
    assert data["extra"]["install_command"] == "pip install 'certprep[labs]'"
    assert by_id[LAB]["start_command"] == f"certprep labs start {LAB}"
    assert {"exam": "MLA-C02", "id": "2.3"} in [{k: t[k] for k in ("exam", "id")} for t in by_id[LAB]["tasks"]]
    page = await client.get("/labs")
    assert page.status_code == 200
    assert "A decision threshold for asymmetric costs" in page.text and "weigh errors" in page.text
    assert 'href="/labs"' in page.text and f"certprep labs start {LAB}" in page.text
    assert "pip install &#39;certprep[labs]&#39;" in page.text
