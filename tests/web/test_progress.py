"""The progress and plan pages and their JSON twins (routes/progress.py): an empty history, score
and domain trends, mastery, the mistake log and its links, the SVG charts with their tables, the
day-by-day plan and how it re-plans as mastery changes, the .ics download, scoping between users,
and refused inputs (422 naming the field, on the page and in the JSON)."""

from __future__ import annotations

import itertools
import random
import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from icalendar import Calendar

from certprep.web.routes.progress import MISTAKE_ROWS
from tests.web.conftest import Site, signed_in
from tests.web.exam_helpers import act_ok, key_presented, start, wrong_presented

pytestmark = pytest.mark.anyio

TODAY = date(2026, 11, 25)  # tests/conftest.py NOW
PLAN = "exam_date=2027-01-20&hours=6"


def _seeded(site: Site, seed: int = 7) -> Site:
    """The same questions on every run (the app draws them with ``rng_factory``)."""
    seeds = itertools.count(seed)  # a generator per attempt: the same seed twice gives the same attempt id
    site.web.state.rng_factory = lambda: random.Random(next(seeds))
    return site


async def take(
    site: Site, client: httpx.AsyncClient, *, wrong: set[int] | None = None, all_wrong: bool = False, **body: Any
) -> dict[str, Any]:
    """Start an attempt, answer every question (wrong at the indexes in ``wrong``, or all), a few
    seconds each, submit it; returns its report."""
    view = await start(client, **{"exam": "MLA-C02", "mode": "practice", **body})
    for index in range(view["count"]):
        if index:
            view = await act_ok(client, view, "navigate", index=index)
        site.clock.advance(seconds=20)
        miss = all_wrong or index in (wrong or set())
        answer = (wrong_presented if miss else key_presented)(site, view["id"], index)
        view = await act_ok(client, view, "answer", index=index, response=answer)
    view = await act_ok(client, view, "submit")
    report = (await client.get(f"/api/attempts/{view['id']}/report")).json()
    assert report["status"] == "submitted", report
    return dict(report)


def _main(html: str) -> str:
    found = re.search(r"<main.*?</main>", html, re.S)
    assert found, "no <main> in the page"
    return found.group(0)


def _hrefs(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', _main(html))]


# --- an empty history -----------------------------------------------------------------------------


async def test_an_empty_history_gives_sensible_pages(local_site: Site) -> None:
    client = local_site.client()
    data = (await client.get("/api/progress")).json()
    assert data["exam"] == "MLA-C02" and data["exams"] == ["MLA-C02", "MLA-C01", "MLS-C01"]
    assert data["answers"] == 0 and data["overall"]["answers"] == 0 and data["overall"]["effective_n"] == 0
    # The prior: about 60%, held loosely; every domain and task statement is there.
    assert data["overall"]["low"] < data["overall"]["mean"] < data["overall"]["high"]
    assert [d["id"] for d in data["domains"]] == ["1", "2", "3", "4"] and len(data["tasks"]) == 12
    assert 0 < data["prediction"]["p_pass"] < 1 and data["prediction"]["scaled_is_estimate"]
    assert abs(sum(data["prediction"]["distribution"]) - 1) < 1e-6
    assert data["scores"] == {
        "points": [],
        "slope_per_week": None,
        "needs": "a trend needs 3 full mocks over at least 3 days: 0 full mocks so far",
        "shorter": 0,
    }
    assert all(s["points"] == [] for s in data["domain_trends"])
    assert data["time"]["questions"] == 0 and data["time"]["mean"] is None
    assert data["mistakes"]["total"] == 0 and data["mistakes"]["concepts"] == []
    assert data["readiness"]["ready"] is False
    assert {i["key"] for i in data["readiness"]["items"]} == {"mocks", "domains", "missed", "evidence"}

    page = await client.get("/progress")
    assert page.status_code == 200
    main = _main(page.text)
    for marker in ("progress-empty", "scores-empty", "domain-trends-empty", "time-empty", "mistakes-empty"):
        assert f'id="{marker}"' in main, marker
    assert "no finished attempts yet" in main  # the score chart, empty but present
    assert 'id="scores-table"' not in main and 'id="mistakes-concepts"' not in main
    assert main.count('class="bar interval-bar"') == 4 + 12  # a bar per domain and task statement

    mls = (await client.get("/api/progress?exam=MLS-C01")).json()
    assert mls["exam"] == "MLS-C01" and mls["answers"] == 0
    assert (await client.get("/progress?exam=MLS-C01")).status_code == 200

    plan = await client.get("/api/plan")
    assert plan.status_code == 200
    assert plan.json() == {
        "exam": "MLA-C02",
        "exams": ["MLA-C02", "MLA-C01", "MLS-C01"],
        "exam_date": None,
        "hours": None,
        "days_off": [],
        "session_minutes": None,
        "links": None,
        "domains": [],
        "saved": None,
        "plan": None,
    }
    page = await client.get("/plan")
    assert page.status_code == 200 and 'id="plan-empty"' in page.text and 'id="plan-form"' in page.text
    assert 'id="plan-errors"' not in page.text and 'id="download-ics"' not in page.text


# --- after attempts -------------------------------------------------------------------------------


async def test_progress_after_attempts_with_wrong_answers(local_site: Site) -> None:
    _seeded(local_site)
    client = local_site.client()
    first = await take(local_site, client, mode="exam", selection="fixed", form=1, wrong=set(range(0, 65, 2)))
    local_site.clock.advance(days=2)
    short = await take(local_site, client, selection="custom", count=4, wrong={1})
    second = await take(local_site, client, mode="exam", selection="fixed", form=2, wrong={0})
    data = (await client.get("/api/progress")).json()

    # A score point per full mock, oldest first, with the report's own figures; the short practice
    # is left out (it feeds mastery), and two mocks are not enough for a trend.
    points = data["scores"]["points"]
    assert [p["attempt_id"] for p in points] == [first["id"], second["id"]]
    for point, report in zip(points, (first, second), strict=True):
        assert point["mode"] == "exam" and point["question_count"] == len(report["items"]) == 65
        assert point["percent"] == pytest.approx(100 * report["raw_correct"] / report["raw_max"])
        assert point["scaled_score"] == report["scaled_score"] and point["passed"] == report["passed"]
        assert report["full_length"] and report["passed"] is not None
    assert points[0]["percent"] < points[1]["percent"]
    assert data["scores"]["slope_per_week"] is None and data["scores"]["shorter"] == 1
    assert data["scores"]["needs"] == "a trend needs 3 full mocks over at least 3 days: 2 full mocks so far"
    assert short["full_length"] is False and short["passed"] is None and short["scaled_score"] is None

    # Domain trends: a point per full mock that had scored questions in the domain, as the report says.
    for report in (first, second):
        by_domain = {d["id"]: d for d in report["domains"] if d["total"]}
        seen = {
            s["domain"]: pt for s in data["domain_trends"] for pt in s["points"] if pt["attempt_id"] == report["id"]
        }
        assert set(seen) == set(by_domain)
        for domain, pt in seen.items():
            assert (pt["right"], pt["scored"]) == (by_domain[domain]["correct"], by_domain[domain]["total"])
    assert all(pt["attempt_id"] != short["id"] for s in data["domain_trends"] for pt in s["points"])

    # Mastery: every answer counted (the short practice too), the intervals hold the means.
    answered = 65 + 4 + 65
    assert data["answers"] == answered and sum(d["answers"] for d in data["domains"]) == answered
    for estimate in [data["overall"], *data["domains"], *data["tasks"]]:
        assert 0 <= estimate["low"] <= estimate["mean"] <= estimate["high"] <= 1
    assert data["overall"]["effective_n"] > 0
    assert data["time"]["questions"] == answered and data["time"]["median"] == pytest.approx(20)

    # The mistake log: every wrong answer, grouped by concept and service, each group with links.
    mistakes = data["mistakes"]
    assert mistakes["total"] == sum(1 for r in (first, short, second) for i in r["items"] if not i["correct"])
    assert mistakes["concepts"] and mistakes["services"]
    counts = [g["count"] for g in mistakes["concepts"]]
    assert counts == sorted(counts, reverse=True)
    wrong_questions = {
        item["question_id"] for report in (first, short, second) for item in report["items"] if item["correct"] is False
    }
    links: dict[str, str] = {}
    for group in mistakes["concepts"] + mistakes["services"]:
        assert set(group["questions"]) <= wrong_questions
        assert group["lessons"], group["tag"]  # every task statement of the pack has a lesson
        lesson_tasks = {t["id"]: {link["href"] for link in t["lessons"]} for t in data["tasks"]}
        assert {link["href"] for link in group["lessons"]} == set().union(*(lesson_tasks[t] for t in group["tasks"]))
        assert group["cards"] == "/cards?exam=MLA-C02"
        links |= {link["href"]: link["title"] for link in group["lessons"]} | {group["cards"]: "Cards"}
    for href, title in sorted(links.items()):
        response = await client.get(href)
        assert response.status_code == 200, href
        assert title in response.text, (href, title)  # the lesson the link names


async def test_two_short_practices_minutes_apart_are_no_passes_and_no_trend(local_site: Site) -> None:
    """Issue 18.3: two custom practices of 2 questions, minutes apart, all right, showed "pass ·
    1000" on the dashboard and the attempts list and "trend +222904.6 points a week"."""
    _seeded(local_site)
    client = local_site.client()
    first = await take(local_site, client, selection="custom", count=2, wrong={0})
    local_site.clock.advance(minutes=3)
    second = await take(local_site, client, selection="custom", count=2)
    for report in (first, second):
        assert report["full_length"] is False and report["passed"] is None and report["scaled_score"] is None
    page = (await client.get(f"/attempts/{second['id']}/report")).text
    assert 'id="result-right">2 of 2 right<' in page and 'id="no-verdict"' in page
    assert "Pass" not in _main(page) and 'id="how-scaled"' not in page

    progress = (await client.get("/api/progress")).json()
    assert progress["scores"]["points"] == [] and progress["scores"]["slope_per_week"] is None
    assert progress["scores"]["shorter"] == 2 and progress["answers"] == 4  # they feed mastery
    assert progress["readiness"]["items"][0]["detail"] == "0 full-length mocks taken, 3 needed"
    main = _main((await client.get("/progress")).text)
    assert "points a week" not in main and "No trend yet: a trend needs 3 full mocks" in main

    dashboard, attempts = (await client.get("/api/dashboard")).json(), (await client.get("/api/attempts")).json()
    for listing in (dashboard["recent_attempts"], attempts["attempts"]):
        assert [(a["passed"], a["scaled_score"], a["full_length"]) for a in listing] == [(None, None, False)] * 2
    for url in ("/", "/attempts"):
        main = _main((await client.get(url)).text)
        assert "pass</span>" not in main and ">1000<" not in main, url
        assert "2 of 2 right" in main and "1 of 2 right" in main, url


async def test_the_progress_page_has_charts_and_tables(local_site: Site) -> None:
    _seeded(local_site)
    client = local_site.client()
    await take(local_site, client, mode="exam", selection="fixed", form=1, wrong={2, 4, 6})
    local_site.clock.advance(days=1)
    await take(local_site, client, selection="custom", count=6)
    await take(local_site, client, mode="exam", selection="fixed", form=2)
    data = (await client.get("/api/progress")).json()
    page = await client.get("/progress")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    main = _main(page.text)

    # Every chart is an accessible image: role, <title> and <desc> referenced by aria-labelledby.
    charts = re.findall(r'<svg class="chart" id="([^"]+)".*?</svg>', main, re.S)
    domains_with_points = [s["domain"] for s in data["domain_trends"] if s["points"]]
    assert charts == ["distribution-chart", "score-chart"] + [f"domain-chart-{d}" for d in domains_with_points]
    for chart_id in charts:
        svg = re.search(rf'<svg class="chart" id="{chart_id}".*?</svg>', main, re.S)
        assert svg is not None
        body = svg.group(0)
        assert 'role="img"' in body and f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in body
        assert re.search(rf'<title id="{chart_id}-title">[^<]+</title>', body), chart_id
        assert re.search(rf'<desc id="{chart_id}-desc">[^<]+</desc>', body), chart_id
    score_svg = re.search(r'<svg class="chart" id="score-chart".*?</svg>', main, re.S)
    assert score_svg is not None
    marks = re.findall(r'data-value="([\d.]+)" data-kind="(\w+)"', score_svg.group(0))
    assert [float(v) for v, _ in marks] == [round(p["percent"], 1) for p in data["scores"]["points"]]
    assert "2 full mocks" in score_svg.group(0)
    assert "No trend yet: a trend needs 3 full mocks over at least 3 days: 2 full mocks so far." in main
    assert "(1 shorter or practice-mode attempt left out: it counts toward mastery)" in main
    distribution = re.search(r'<svg class="chart" id="distribution-chart".*?</svg>', main, re.S)
    assert distribution is not None
    assert distribution.group(0).count("data-raw=") == data["prediction"]["scored_items"] + 1

    # The tables beside the charts hold the same figures.
    for table in ("domain-mastery", "task-mastery", "scores-table", "domain-trends-table", "time-table"):
        assert f'<table id="{table}"' in main, table
    scores_table = re.search(r'<table id="scores-table".*?</table>', main, re.S)
    assert scores_table is not None
    for point in data["scores"]["points"]:
        assert f'href="/attempts/{point["attempt_id"]}/report"' in scores_table.group(0)
        assert f"{round(point['percent'], 1)}%" in scores_table.group(0)
    trends_table = re.search(r'<table id="domain-trends-table".*?</table>', main, re.S)
    assert trends_table is not None
    rows = sum(len(s["points"]) for s in data["domain_trends"])
    assert trends_table.group(0).count("<tr>") == rows + 1  # and the header row
    for kind in ("concepts", "services"):
        # The first groups in the table, the others behind a <details> summary (short by default).
        table = re.search(rf'<table id="mistakes-{kind}".*?</table>', main, re.S)
        rest = re.search(rf'<details class="chart-table" id="mistakes-{kind}-more">.*?</details>', main, re.S)
        assert table is not None
        groups = data["mistakes"][kind]
        for group in groups[:MISTAKE_ROWS]:
            assert f">{group['tag']}</th>" in table.group(0)
        assert (rest is not None) is (len(groups) > MISTAKE_ROWS)
        for group in groups[MISTAKE_ROWS:]:
            assert rest is not None and f">{group['tag']}</th>" in rest.group(0)
            assert f">{group['tag']}</th>" not in table.group(0)
    assert f'<strong class="big-number" id="scaled-median">{data["prediction"]["scaled_median"]}</strong>' in main

    # Every link of the page's main part leads somewhere (the reports, lessons, cards, the plan).
    for href in sorted(set(_hrefs(page.text))):
        if href.startswith("#"):
            assert f'id="{href[1:]}"' in main, href
            continue
        response = await client.get(href)
        assert response.status_code == 200, href


async def test_one_figure_per_domain_on_dashboard_progress_plan_and_checklist(local_site: Site) -> None:
    """Issue 18.4: domain 1 read 31% on the dashboard, 20% on Progress and "from 8.2 answers" in
    the plan. Now each page and its JSON twin show the mastery estimate, worded the same way."""
    _seeded(local_site)
    client = local_site.client()
    await take(local_site, client, selection="drill", domains=["1"], count=6, wrong={0, 1, 2, 3})
    await take(local_site, client, selection="custom", count=8, wrong={5})
    progress = (await client.get("/api/progress")).json()
    dashboard = (await client.get("/api/dashboard")).json()
    plan = (await client.get(f"/api/plan?{PLAN}")).json()
    mine = [d for d in dashboard["progress"] if d["exam"] == "MLA-C02"]
    assert mine == progress["domains"] == plan["domains"]  # one schema, the same figures
    one = progress["domains"][0]
    assert one["id"] == "1" and one["answers"] >= 6
    assert one["text"] == f"mastery {one['percent']}%, from {one['answers']} answers"
    assert one["percent"] == int(one["mean"] * 100 + 1e-6)

    pages = {url: _main((await client.get(url)).text) for url in ("/", "/progress", f"/plan?{PLAN}")}
    for url, main in pages.items():
        for d in progress["domains"]:
            shown = re.findall(rf'data-domain="{d["id"]}".*?class="domain-figure">([^<]+)<', main, re.S)
            assert shown and shown[0] == d["text"], (url, d["id"], shown)
    # The checklist words a weak domain the same way; the plan's reasons too (answers, not 8.2).
    checklist = {i["key"]: i["detail"] for i in progress["readiness"]["items"]}
    weak = [d for d in progress["domains"] if d["mean"] < 0.7]
    assert weak and all(f"domain {d['id']} ({d['title']}): {d['text']}" in checklist["domains"] for d in weak)
    reasons = [s["reason"] for s in plan["plan"]["sessions"] if s["kind"] in ("lesson", "drill") and s["task"]]
    tasks = {t["id"]: t for t in progress["tasks"]}
    assert reasons and all(
        re.search(r"task \d\.\d: mastery \d+%, (from \d+ answers?|no answers yet)", r) for r in reasons
    )
    first = next(s for s in plan["plan"]["sessions"] if s["kind"] == "lesson")
    task = tasks[first["task"]]
    assert f"task {task['id']}: mastery {int(task['mean'] * 100 + 1e-6)}%" in first["reason"]


# --- the plan -------------------------------------------------------------------------------------


async def test_a_plan_day_by_day(local_site: Site) -> None:
    client = local_site.client()
    query = "exam_date=2026-12-20&hours=8&days_off=sun&days_off=2026-12-01,2026-12-02&session_minutes=40"
    response = await client.get(f"/api/plan?{query}")
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["exam_date"] == "2026-12-20" and data["hours"] == 8 and data["session_minutes"] == 40
    assert data["days_off"] == ["sun", "2026-12-01", "2026-12-02"]
    normal = "exam=MLA-C02&exam_date=2026-12-20&hours=8&days_off=sun&days_off=2026-12-01&days_off=2026-12-02"
    normal += "&session_minutes=40"
    assert data["links"] == {
        "page": f"/plan?{normal}",
        "ics": f"/plan.ics?{normal}",
        "api": f"/api/plan?{normal}",
        "api_ics": f"/api/plan.ics?{normal}",
    }
    plan = data["plan"]
    assert plan["today"] == TODAY.isoformat() and plan["exam_date"] == "2026-12-20"
    assert plan["weekly_budget_minutes"] == 480
    # Every day from today to the day before the exam, in order; days off hold only a rest.
    days = sorted({s["day"] for s in plan["sessions"]})
    assert days == [(TODAY + timedelta(days=i)).isoformat() for i in range((date(2026, 12, 20) - TODAY).days)]
    assert [s["day"] for s in plan["sessions"]] == sorted(s["day"] for s in plan["sessions"])
    for day in days:
        sessions = [s for s in plan["sessions"] if s["day"] == day]
        off = date.fromisoformat(day).weekday() == 6 or day in ("2026-12-01", "2026-12-02")
        assert ([s["kind"] for s in sessions] == ["rest"]) is off, day
        if not off:
            assert sessions[0]["kind"] == "review"
    assert all(s["minutes"] <= 40 for s in plan["sessions"] if s["kind"] in ("lesson", "drill"))
    assert any(s["kind"] == "mock" for s in plan["sessions"])
    assert plan["total_minutes"] == sum(s["minutes"] for s in plan["sessions"])
    assert sum(plan["minutes_by_week"].values()) == plan["total_minutes"]
    assert all(minutes <= 480 for minutes in plan["minutes_by_week"].values())

    # The page shows the same plan, with its download and links; lessons link to the lessons.
    page = await client.get(f"/plan?{query}")
    assert page.status_code == 200
    main = _main(page.text)
    assert main.count('<tr id="day-') == len(days)
    assert 'aria-current="date"' in main and 'id="day-2026-11-25"' in main
    assert f'href="{data["links"]["ics"].replace("&", "&amp;")}" download' in main
    assert main.count('class="session"') == sum(1 for s in plan["sessions"] if s["kind"] != "rest")
    assert 'value="2026-12-20"' in main and 'value="sun" checked' in main and 'value="2026-12-01, 2026-12-02"' in main
    assert "of 8 h asked" in main
    lessons = {f"/lessons/{s['lesson_id']}" for s in plan["sessions"] if s["lesson_id"]}
    assert lessons and lessons <= set(_hrefs(page.text))
    for href in sorted(lessons | set(data["links"].values()) | {"/progress?exam=MLA-C02"}):
        assert (await client.get(href)).status_code == 200, href


async def test_the_plan_replans_as_mastery_changes(local_site: Site) -> None:
    """Priority is domain weight x weakness and lessons come in priority order (docs/planner.md):
    after a run of wrong answers in domain 3, its task statements rank first, their lessons move
    to the front and the domain gets more of the time."""
    _seeded(local_site)
    client = local_site.client()
    await take(local_site, client, selection="custom", count=24)  # all right, every domain
    before = (await client.get(f"/api/plan?{PLAN}")).json()["plan"]
    await take(local_site, client, selection="drill", domains=["3"], count=12, all_wrong=True)
    after = (await client.get(f"/api/plan?{PLAN}")).json()["plan"]

    def lesson_order(plan: dict[str, Any]) -> list[str]:
        return list(dict.fromkeys(s["task"] for s in plan["sessions"] if s["kind"] == "lesson"))

    def minutes(plan: dict[str, Any], domain: str) -> int:
        return sum(s["minutes"] for s in plan["sessions"] if s["domain"] == domain)

    for plan in (before, after):  # what the planner guarantees: lessons in priority order
        assert not plan["warnings"]
        assert lesson_order(plan) == [t["task"] for t in plan["tasks"] if not t["mastered"]]
        priorities = [t["priority"] for t in plan["tasks"]]
        assert priorities == sorted(priorities, reverse=True)
    old = {t["task"]: t for t in before["tasks"]}
    new = {t["task"]: t for t in after["tasks"]}
    domain3 = {"3.1", "3.2", "3.3"}
    for task in domain3:
        assert new[task]["mean"] < old[task]["mean"] and new[task]["priority"] > old[task]["priority"]
    assert set(lesson_order(before)[:3]) != domain3
    assert set(lesson_order(after)[:3]) == domain3
    first_day = {
        name: min(s["day"] for s in plan["sessions"] if s["kind"] == "lesson" and s["task"] in domain3)
        for name, plan in (("before", before), ("after", after))
    }
    assert first_day["after"] == TODAY.isoformat() < first_day["before"]
    assert minutes(after, "3") > minutes(before, "3")
    # The page re-plans too: its first lesson is now one of domain 3's.
    page = await client.get(f"/plan?{PLAN}")
    first_lesson = re.search(r'<a href="/lessons/([^"]+)">Lesson (\d\.\d)', page.text)
    assert first_lesson is not None and first_lesson.group(2) in domain3


async def test_the_plan_as_icalendar(local_site: Site) -> None:
    client = local_site.client()
    query = "exam_date=2026-12-20&hours=8&days_off=sat,sun"
    plan = (await client.get(f"/api/plan?{query}")).json()["plan"]
    page_ics = await client.get(f"/plan.ics?{query}")
    api_ics = await client.get(f"/api/plan.ics?{query}")
    for response in (page_ics, api_ics):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "text/calendar; charset=utf-8"
        disposition = response.headers["content-disposition"]
        assert disposition == 'attachment; filename="certprep-MLA-C02-plan-2026-12-20.ics"'
    assert page_ics.content == api_ics.content

    calendar = Calendar.from_ical(page_ics.content)
    events = list(calendar.walk("VEVENT"))
    study = [s for s in plan["sessions"] if s["kind"] != "rest"]  # days off are left out
    assert len(events) == len(study) > 0
    assert [str(e["summary"]) for e in events] == [s["title"] for s in study]
    assert len({str(e["uid"]) for e in events}) == len(events)
    for event, session in zip(events, study, strict=True):
        start_at, end_at = event.decoded("dtstart"), event.decoded("dtend")
        assert start_at.date().isoformat() == session["day"]
        assert (end_at - start_at) == timedelta(minutes=session["minutes"])
        assert str(event["description"]) == session["reason"]
    assert str(calendar["x-wr-calname"]) == "certprep: MLA-C02 study plan"


async def test_the_plan_page_shows_the_planners_warnings(local_site: Site) -> None:
    client = local_site.client()
    data = (await client.get("/api/plan?exam_date=2026-12-03&hours=2")).json()
    warnings = data["plan"]["warnings"]
    assert warnings  # eight days and two hours: neither every lesson nor three mocks fit
    page = await client.get("/plan?exam_date=2026-12-03&hours=2")
    assert page.status_code == 200 and 'id="plan-warnings"' in page.text
    for warning in warnings:
        assert warning in page.text


# --- users see only their own ---------------------------------------------------------------------


async def test_each_user_sees_only_their_own_progress(multi_site: Site) -> None:
    _seeded(multi_site)
    ada = await signed_in(multi_site, "ada")
    bob = await signed_in(multi_site, "bob")
    report = await take(multi_site, ada, selection="custom", count=6, wrong={0, 1, 2})
    mine, theirs = (await ada.get("/api/progress")).json(), (await bob.get("/api/progress")).json()
    assert mine["answers"] == 6 and mine["scores"]["points"] == [] and mine["scores"]["shorter"] == 1
    assert [a["attempt_id"] for a in mine["time"]["per_attempt"]] == [report["id"]]
    assert mine["mistakes"]["total"] == 3
    assert theirs["answers"] == 0 and theirs["scores"]["shorter"] == 0 and theirs["mistakes"]["total"] == 0
    assert theirs["overall"]["effective_n"] == 0 and mine["overall"]["effective_n"] > 0
    page = await bob.get("/progress")
    assert page.status_code == 200 and report["id"] not in page.text and 'id="progress-empty"' in page.text
    assert report["id"] in (await ada.get("/progress")).text

    # Bob's plan is made from Bob's (empty) history: every task at the prior.
    ada_plan = (await ada.get(f"/api/plan?{PLAN}")).json()["plan"]
    bob_plan = (await bob.get(f"/api/plan?{PLAN}")).json()["plan"]
    assert {t["n"] for t in bob_plan["tasks"]} == {0} and any(t["n"] > 0 for t in ada_plan["tasks"])
    assert (await bob.get(f"/api/plan.ics?{PLAN}")).content != (await ada.get(f"/api/plan.ics?{PLAN}")).content

    # Nobody signed in: JSON answers 401, pages go to the sign-in page.
    anonymous = multi_site.client()
    for url in ("/api/progress", f"/api/plan?{PLAN}", f"/api/plan.ics?{PLAN}"):
        assert (await anonymous.get(url)).status_code == 401, url
    for url in ("/progress", f"/plan?{PLAN}", f"/plan.ics?{PLAN}"):
        response = await anonymous.get(url)
        assert response.status_code == 303 and urlsplit(response.headers["location"]).path == "/sign-in", url


# --- refused inputs -------------------------------------------------------------------------------

GOOD = {"exam_date": "2026-12-20", "hours": "8"}
REFUSED = [
    pytest.param({"exam": "NOPE"}, "exam", "unknown exam", id="unknown-exam"),
    pytest.param({"exam_date": "2026-11-01"}, "exam_date", "in the past", id="past-date"),
    pytest.param({"exam_date": "2026-11-25"}, "exam_date", "is today", id="today"),
    pytest.param({"exam_date": "2026-02-30"}, "exam_date", "YYYY-MM-DD", id="no-such-date"),
    pytest.param({"exam_date": "next friday"}, "exam_date", "YYYY-MM-DD", id="malformed-date"),
    pytest.param({"exam_date": "2099-01-01"}, "exam_date", "too far ahead", id="far-date"),
    pytest.param({"exam_date": ""}, "exam_date", "required", id="no-date"),
    pytest.param({"hours": "0"}, "hours", "more than 0", id="zero-hours"),
    pytest.param({"hours": "-3"}, "hours", "more than 0", id="negative-hours"),
    pytest.param({"hours": "169"}, "hours", "at most 168", id="too-many-hours"),
    pytest.param({"hours": "nan"}, "hours", "more than 0", id="nan-hours"),
    pytest.param({"hours": "eight"}, "hours", "a number", id="words-for-hours"),
    pytest.param({"hours": "0.2"}, "hours", "minutes a day", id="too-few-hours-a-day"),
    pytest.param({"hours": ""}, "hours", "required", id="no-hours"),
    pytest.param({"days_off": "funday"}, "days_off", "funday", id="bad-day-off"),
    pytest.param({"days_off": "sunny"}, "days_off", "sunny", id="weekday-prefix-is-not-a-weekday"),
    pytest.param({"days_off": "2026-12-32"}, "days_off", "2026-12-32", id="bad-date-off"),
    pytest.param({"days_off": "mon,tue,wed,thu,fri,sat,sun"}, "days_off", "every weekday", id="every-day-off"),
    pytest.param({"session_minutes": "5"}, "session_minutes", "15 to 240", id="short-session"),
    pytest.param({"session_minutes": "999"}, "session_minutes", "15 to 240", id="long-session"),
    pytest.param({"session_minutes": "forty"}, "session_minutes", "15 to 240", id="words-session"),
    pytest.param({"session_minutes": "4\u00b2"}, "session_minutes", "15 to 240", id="superscript-digit"),
]


@pytest.mark.parametrize(("change", "field", "message"), REFUSED)
async def test_refused_plan_inputs_name_their_field(
    local_site: Site, change: dict[str, str], field: str, message: str
) -> None:
    client = local_site.client()
    params = {**GOOD, **change}
    for path in ("/api/plan", "/api/plan.ics"):
        response = await client.get(path, params=params)
        assert response.status_code == 422, (path, response.text)
        detail = response.json()["detail"]
        assert [e["loc"] for e in detail] == [["query", field]], detail
        assert message in detail[0]["msg"] and detail[0]["type"] == "value_error"

    page = await client.get("/plan", params=params)
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    main = _main(page.text)
    assert 'id="plan-errors"' in main and 'id="plan"' not in main
    error = re.search(rf'<p class="field-error" id="{field}-error">([^<]+)</p>', main)
    assert error is not None and message in error.group(1).replace("&#39;", "'"), main
    assert re.search(rf'aria-describedby="(?:[\w-]+ )*{field}-error"', main), "the error is not tied to its field"
    assert 'id="plan-form"' in main  # the form again, with what was typed
    if change.get("hours"):
        assert f'value="{change["hours"]}"' in main
    ics = await client.get("/plan.ics", params=params)
    assert ics.status_code == 422 and f"query.{field}:" in ics.text


async def test_several_refused_fields_at_once(local_site: Site) -> None:
    client = local_site.client()
    params = {"exam_date": "2026-11-01", "hours": "500", "days_off": ["sat", "someday"], "session_minutes": "1"}
    detail = (await client.get("/api/plan", params=params)).json()["detail"]
    assert sorted(e["loc"][1] for e in detail) == ["days_off", "exam_date", "hours", "session_minutes"]
    page = await client.get("/plan", params=params)
    assert page.status_code == 422 and "fix the fields marked below" in page.text
    for field in ("days_off", "exam_date", "hours", "session_minutes"):
        assert f'id="{field}-error"' in page.text, field
    assert 'value="sat" checked' in page.text and 'value="someday"' in page.text


async def test_an_unknown_exam_on_the_progress_page(local_site: Site) -> None:
    client = local_site.client()
    response = await client.get("/api/progress", params={"exam": "NOPE"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "loc": ["query", "exam"],
                "msg": "unknown exam; choose one of MLA-C01, MLA-C02, MLS-C01",
                "type": "value_error",
            }
        ]
    }
    page = await client.get("/progress", params={"exam": "NOPE"})
    assert page.status_code == 422 and "query.exam: unknown exam; choose one of MLA-C01, MLA-C02, MLS-C01" in page.text
    too_long = await client.get("/api/progress", params={"exam": "X" * 40})
    assert too_long.status_code == 422 and too_long.json()["detail"][0]["loc"] == ["query", "exam"]
    too_long = await client.get("/api/plan", params={**GOOD, "exam_date": "2" * 40})
    assert too_long.status_code == 422 and too_long.json()["detail"][0]["loc"] == ["query", "exam_date"]


# --- the API document -----------------------------------------------------------------------------


async def test_the_json_twins_are_in_the_openapi_document(local_site: Site) -> None:
    client = local_site.client()
    document = (await client.get("/api/openapi.json")).json()
    paths = document["paths"]
    for path in ("/api/progress", "/api/plan", "/api/plan.ics"):
        assert "get" in paths[path], path
        assert paths[path]["get"]["tags"] == ["progress"] and "422" in paths[path]["get"]["responses"]
    for page in ("/progress", "/plan", "/plan.ics"):
        assert page not in paths
    plan_params = {p["name"] for p in paths["/api/plan"]["get"]["parameters"]}
    assert plan_params == {"exam", "exam_date", "hours", "days_off", "session_minutes"}
    assert "text/calendar" in paths["/api/plan.ics"]["get"]["responses"]["200"]["content"]
    assert "progress" in {tag["name"] for tag in document.get("tags", [])}
    schemas = document["components"]["schemas"]
    assert {"ProgressOut", "PlanPageOut", "PlanOut", "MistakeGroupOut"} <= set(schemas)
    twins = local_site.web.state.page_twins
    assert twins["/progress"] == "/api/progress" and twins["/plan"] == "/api/plan"
