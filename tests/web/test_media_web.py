"""A pack's images served safely: only the files the packs hold, their own image type, no path
outside the media folder; a question shows its image through the app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from certprep.content.media import media_name
from tests.interop.test_media import PNG, QUIZ, _import
from tests.web.conftest import Site, csrf_token
from tests.web.exam_helpers import act_ok, state

pytestmark = pytest.mark.anyio


async def test_images_are_served_from_the_packs_media_only(make_site: Any, tmp_path: Path) -> None:
    into, _ = _import(tmp_path, QUIZ)
    site: Site = make_site(packs=[into])
    client = site.client()
    png = media_name(PNG)
    image = await client.get(f"/media/{png}")
    assert image.status_code == 200 and image.content == PNG
    assert image.headers["content-type"] == "image/png"
    assert image.headers["x-content-type-options"] == "nosniff"
    assert (await client.get("/media/0000000000000000.png")).status_code == 404
    for bad in ("/media/..%2F..%2Fpack.yaml", "/media/pack.yaml", f"/media/{png[:-4]}.svg", "/media/%2Fetc%2Fpasswd"):
        assert (await client.get(bad)).status_code in (404, 422), bad

    headers = {"X-CSRF-Token": await csrf_token(client)}
    body = {"exam": "MLA-C01", "selection": "drill", "mode": "practice", "tasks": ["1.1"], "count": 200}
    view = (await client.post("/api/attempts", json=body, headers=headers)).json()
    chart = next(q.id for q in site.app.pack.questions if f"media/{png}" in q.stem)
    index = [item.question_id for item in state(site, view["id"]).form.items].index(chart)
    await act_ok(client, view, "navigate", index=index)
    page = (await client.get(f"/attempts/{view['id']}")).text
    assert f'<img src="/media/{png}" alt="Loss curve">' in page
