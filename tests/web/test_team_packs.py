"""A team's own pack served beside the bundled one: its questions in drills, custom practice and
review; the fixed Practice Exams stay the bundled pack's; a broken pack is refused, the rest served."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.content.test_packset import team_pack
from tests.web.conftest import Site, csrf_token, signed_in

pytestmark = pytest.mark.anyio


async def _start(client: Any, body: dict[str, Any]) -> dict[str, Any]:
    headers = {"X-CSRF-Token": await csrf_token(client)}
    response = await client.post("/api/attempts", json=body, headers=headers)
    assert response.status_code == 201, response.text
    view: dict[str, Any] = response.json()
    return view


async def _reviewed_ids(client: Any, view: dict[str, Any]) -> set[str]:
    headers = {"X-CSRF-Token": await csrf_token(client)}
    submit = {"type": "submit", "expected_version": view["version"]}
    response = await client.post(f"/api/attempts/{view['id']}/actions", json=submit, headers=headers)
    assert response.status_code == 200, response.text
    review = (await client.get(f"/api/attempts/{view['id']}/review")).json()
    return {item["question_id"] for item in review["items"]}


async def test_a_team_packs_questions_appear_in_drills_custom_practice_and_review(
    make_site: Any, tmp_path: Path
) -> None:
    site: Site = make_site(packs=[team_pack(tmp_path / "team")])
    assert site.app.pack.pack_ids == ("aws-ml", "team")
    client = site.client()
    drill = await _start(
        client, {"exam": "MLA-C01", "selection": "drill", "mode": "practice", "tasks": ["1.1"], "count": 200}
    )
    assert "team-single" in await _reviewed_ids(client, drill)
    custom = await _start(
        client,
        {
            "exam": "MLA-C01",
            "selection": "custom",
            "mode": "practice",
            "domains": ["1"],
            "types": ["single"],
            "count": 200,
        },
    )
    assert "team-single" in await _reviewed_ids(client, custom)
    for form in range(1, 7):
        fixed = await _start(client, {"exam": "MLA-C01", "selection": "fixed", "form": form, "mode": "exam"})
        assert "team-single" not in await _reviewed_ids(client, fixed)


async def test_a_broken_pack_is_refused_and_the_bundled_one_served(make_site: Any, tmp_path: Path) -> None:
    broken = team_pack(tmp_path / "broken")
    (broken / "questions" / "bad.yaml").write_text("id: [unclosed\n")
    site: Site = make_site(packs=[broken], multi_user=True)
    assert site.app.pack.pack_ids == ("aws-ml",)
    assert [r.root for r in site.app.refused_packs] == [broken]
    admin = await signed_in(site, "admin", admin=True)
    data = (await admin.get("/api/admin/content")).json()
    assert data["packs"] == [{"id": "aws-ml", "root": str(site.app.pack.root)}]
    assert data["refused"][0]["root"] == str(broken)
    assert any("questions/bad.yaml:2: invalid YAML" in e for e in data["refused"][0]["errors"])
    page = (await admin.get("/admin/content")).text
    assert "refused" in page and "questions/bad.yaml:2: invalid YAML" in page
    exams = await admin.get("/api/exams")
    assert exams.status_code == 200 and "MLA-C01" in exams.text


TRUE_FALSE = """\
id: team-true-false
revision: 1
type: single
exams:
  - {exam: MLA-C01, task: "1.1"}
difficulty: 1
stem: Amazon S3 is a block store.
options:
  - text: "True"
    rationale: S3 stores objects, not blocks.
  - text: "False"
    correct: true
    rationale: Right; Amazon EBS is the block store.
"""


async def test_a_true_false_question_of_a_team_pack_is_drilled(make_site: Any, tmp_path: Path) -> None:
    from tests.web.exam_helpers import act_ok, key_presented, state

    team = team_pack(tmp_path / "team")
    (team / "questions" / "tf.yaml").write_text(TRUE_FALSE)
    site: Site = make_site(packs=[team])
    client = site.client()
    body = {"exam": "MLA-C01", "selection": "drill", "mode": "practice", "tasks": ["1.1"], "count": 200}
    view = await _start(client, body)
    ids = [item.question_id for item in state(site, view["id"]).form.items]
    index = ids.index("team-true-false")
    view = await act_ok(client, view, "navigate", index=index)
    assert view["question"]["choices"] and len(view["question"]["choices"]) == 2
    answered = await act_ok(client, view, "answer", index=index, response=key_presented(site, view["id"], index))
    assert answered["question"]["feedback"] is None  # practice grades on "Check answer" only
    checked = await act_ok(client, answered, "check", index=index)
    assert checked["question"]["feedback"]["correct"] is True
    assert "Amazon EBS is the block store" in str(checked["question"]["feedback"])
    found = (await client.get("/api/search", params={"q": "block store"})).json()  # seen now: searchable
    assert "team-true-false" in str(found)
