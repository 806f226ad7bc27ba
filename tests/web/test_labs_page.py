"""The labs page and its JSON twin: each lab, the user's status and last check's results."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from certprep.labs.api import CheckResult
from certprep.labs.runner import CheckRun
from certprep.services import labs as service
from certprep.services.content import local_user
from tests.conftest import NOW
from tests.web.conftest import Site, sign_in, signed_in

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


def _run(lab_id: str, passed: bool) -> CheckRun:
    return CheckRun(lab_id, (CheckResult("c", "a check", "passed" if passed else "failed", hint="h"),), 0.5)


@pytest.mark.anyio
async def test_the_readiness_checklist_counts_passed_labs_per_domain(multi_site: Site) -> None:
    app = multi_site.app
    ada = multi_site.create_user("ada").id
    ada_client = multi_site.client()
    assert (await sign_in(ada_client, "ada")).status_code == 200
    bob_client = await signed_in(multi_site, "bob")
    # parquet-lake passed; leakage-free-features passed once, then failed (the latest run counts).
    service.record_run(app, ada, _run("parquet-lake", True), now=NOW)
    service.record_run(app, ada, _run("leakage-free-features", True), now=NOW)
    service.record_run(app, ada, _run("leakage-free-features", False), now=NOW + timedelta(minutes=1))
    service.record_run(app, ada, _run("drift-monitor", True), now=NOW)

    def domain_labs(exam: str, domain: str) -> list[str]:
        bp = app.pack.blueprints[exam]
        return [lab.id for lab in service.catalogue(app) if any(bp.domain_of(t).id == domain for t in lab.tasks[exam])]

    data = (await ada_client.get("/api/progress")).json()["readiness"]
    counts = {c["domain"]: c for c in data["labs"]}
    assert list(counts) == ["1", "2", "3", "4"]
    one = counts["1"]
    assert one["labs"] == domain_labs("MLA-C02", "1") and "leakage-free-features" in one["labs"]
    assert (one["passed"], one["passed_labs"], one["total"]) == (1, ["parquet-lake"], len(one["labs"]))
    assert one["label"].endswith(f"labs passed: 1 of {len(one['labs'])}")
    assert (counts["4"]["passed"], counts["4"]["passed_labs"]) == (1, ["drift-monitor"])
    assert counts["2"]["passed"] == 0 and counts["2"]["total"] == len(domain_labs("MLA-C02", "2")) > 0
    assert data["ready"] is False

    page = (await ada_client.get("/progress")).text
    assert 'id="check-labs-1" class="lab-count" data-passed="1"' in page and one["label"] in page

    # Another exam: the domains of its blueprint (MLS-C01 files the labs under other task statements).
    mls = {c["domain"]: c for c in (await ada_client.get("/api/progress?exam=MLS-C01")).json()["readiness"]["labs"]}
    assert mls["1"]["passed_labs"] == ["parquet-lake"] and mls["1"]["labs"] == domain_labs("MLS-C01", "1")
    # Bob's checklist counts Bob's runs only.
    theirs = (await bob_client.get("/api/progress")).json()["readiness"]["labs"]
    assert [c["passed"] for c in theirs] == [0, 0, 0, 0] and [c["total"] for c in theirs] == [
        c["total"] for c in data["labs"]
    ]
