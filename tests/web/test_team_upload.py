"""An admin uploads a question file, sees the import report and adds it to the team pack: CSRF,
admins only, size limit, per-item report, the pack written atomically and served at once."""

from __future__ import annotations

from typing import Any

import pytest

from certprep.content import check_pack
from tests.interop.test_import_cli import GIFT
from tests.web.conftest import Site, csrf_token, form_csrf, signed_in

pytestmark = pytest.mark.anyio

FIELDS = {"format": "gift", "exam": "MLA-C01", "task": "1.1"}


def _file(text: str | bytes = GIFT, name: str = "quiz.gift") -> dict[str, Any]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return {"file": (name, data, "text/plain")}


async def test_upload_report_and_add_to_the_team_pack(multi_site: Site) -> None:
    site = multi_site
    admin = await signed_in(site, "boss", admin=True)
    page = (await admin.get("/admin/content")).text
    assert 'enctype="multipart/form-data"' in page and 'action="/admin/content/imports"' in page
    token = form_csrf(page)

    refused = await admin.post("/admin/content/imports", data=FIELDS, files=_file())
    assert refused.status_code == 403  # no CSRF token

    report_page = await admin.post("/admin/content/imports", data={**FIELDS, "csrf_token": token}, files=_file())
    assert report_page.status_code == 200, report_page.text
    html = report_page.text
    assert "1 question(s)" in html
    assert "Essay" in html and "Numeric" in html  # skipped kinds, named with the reason
    assert "Missing" in html  # an item that could not be imported, named
    add_url = next(part.split('"')[0] for part in html.split('action="')[1:] if "/add" in part.split('"')[0])

    report = await admin.post("/api/admin/content/imports", data=FIELDS, files=_file(), headers={"X-CSRF-Token": token})
    assert report.status_code == 201, report.text
    data = report.json()
    assert data["questions"] == 1 and data["flashcards"] == 0
    skipped = " ".join(f"{s['where']}: {s['why']}" for s in data["skipped"])
    assert "Essay" in skipped and "Numeric" in skipped
    assert [item["kind"] for item in data["items"]] == ["question"]
    new_id = data["items"][0]["id"]
    assert new_id not in site.app.pack.questions_by_id

    assert (await admin.post(add_url)).status_code == 403  # no CSRF token
    added = await admin.post(add_url, data={"csrf_token": token})
    assert added.status_code == 303 and added.headers["location"] == "/admin/content?added=1"
    team = site.app.settings.team_pack_path()
    pack, errors = check_pack(team, known_blueprints=site.app.pack.blueprints)
    assert errors == [] and pack is not None and len(pack.questions) == 1
    assert "Added 1 question(s) to the team pack" in (await admin.get("/admin/content?added=1")).text

    # The second upload was imported before the first was added: same id, so it is refused whole.
    stale = await admin.post(f"/api/admin/content/imports/{data['token']}/add", headers={"X-CSRF-Token": token})
    assert stale.status_code == 422 and "upload the file again" in stale.json()["detail"]
    # Uploaded again, its question gets an id of its own; the JSON twin adds it.
    report = await admin.post("/api/admin/content/imports", data=FIELDS, files=_file(), headers={"X-CSRF-Token": token})
    data = report.json()
    assert data["items"][0]["id"] != new_id
    second = await admin.post(f"/api/admin/content/imports/{data['token']}/add", headers={"X-CSRF-Token": token})
    assert second.status_code == 200, second.text
    assert second.json()["served_questions"] == 2
    assert site.app.pack.pack_of(new_id) == "team"
    served = (await admin.get("/api/admin/content")).json()["packs"]
    assert [p["id"] for p in served] == ["aws-ml", "team"]

    # A drill of the task now draws on the team pack too.
    headers = {"X-CSRF-Token": await csrf_token(admin)}
    body = {"exam": "MLA-C01", "selection": "drill", "mode": "practice", "tasks": ["1.1"], "count": 200}
    drill = (await admin.post("/api/attempts", json=body, headers=headers)).json()
    submit = {"type": "submit", "expected_version": drill["version"]}
    await admin.post(f"/api/attempts/{drill['id']}/actions", json=submit, headers=headers)
    review = (await admin.get(f"/api/attempts/{drill['id']}/review")).json()
    assert new_id in {item["question_id"] for item in review["items"]}

    again = await admin.post(f"/api/admin/content/imports/{data['token']}/add", headers={"X-CSRF-Token": token})
    assert again.status_code == 422 and "upload the file again" in again.json()["detail"]


async def test_uploads_are_for_admins_and_bounded(multi_site: Site) -> None:
    learner = await signed_in(multi_site, "learner")
    token = await csrf_token(learner)
    response = await learner.post(
        "/api/admin/content/imports", data=FIELDS, files=_file(), headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 403

    admin = await signed_in(multi_site, "boss", admin=True)
    headers = {"X-CSRF-Token": await csrf_token(admin)}
    huge = "x" * (multi_site.app.settings.upload_max_bytes + 1)
    too_large = await admin.post("/api/admin/content/imports", data=FIELDS, files=_file(huge), headers=headers)
    assert too_large.status_code == 422 and "larger than the limit" in too_large.json()["detail"]
    far_too_large = "x" * (multi_site.app.settings.upload_max_bytes + 200 * 1024)
    refused = await admin.post("/api/admin/content/imports", data=FIELDS, files=_file(far_too_large), headers=headers)
    assert refused.status_code == 413

    bad = await admin.post(
        "/api/admin/content/imports",
        data=FIELDS,
        files=_file(b"// fine\n::Q:: caf\xe9 {=a ~b}\n", "bad.gift"),
        headers=headers,
    )
    assert bad.status_code == 422 and "bad.gift: line 2: not UTF-8" in bad.json()["detail"]
    unknown = await admin.post("/api/admin/content/imports/" + "a" * 24 + "/add", headers=headers)
    assert unknown.status_code == 422
    traversal = await admin.post("/api/admin/content/imports/..%2F..%2Fetc/add", headers=headers)
    assert traversal.status_code in (404, 422)
    assert not multi_site.app.settings.team_pack_path().exists()


async def test_an_upload_keeps_its_images_in_the_team_pack(multi_site: Site) -> None:
    from certprep.content.media import media_name
    from tests.interop.test_media import PNG, QUIZ

    admin = await signed_in(multi_site, "boss", admin=True)
    headers = {"X-CSRF-Token": await csrf_token(admin)}
    files = {"file": ("quiz.xml", QUIZ.encode(), "application/xml")}
    report = await admin.post(
        "/api/admin/content/imports", data={**FIELDS, "format": "moodle-xml"}, files=files, headers=headers
    )
    assert report.status_code == 201, report.text
    data = report.json()
    assert data["questions"] == 2 and any("SVG is not kept" in p["why"] for p in data["problems"])
    added = await admin.post(f"/api/admin/content/imports/{data['token']}/add", headers=headers)
    assert added.status_code == 200, added.text
    png = media_name(PNG)
    assert (multi_site.app.settings.team_pack_path() / "media" / png).read_bytes() == PNG
    image = await admin.get(f"/media/{png}")
    assert image.status_code == 200 and image.content == PNG
