"""Phone-sized layout (no sideways scrolling at 375 px), screenshots for a human to look at,
and the home page's weight (reported, not asserted)."""

from __future__ import annotations

import json

import pytest

from tests.browser.helpers import PAGE_TYPES, SEARCH_INPUT, SHOTS, load

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

# Elements sticking out past the viewport's right edge, outside the charts' own scroll boxes.
OVERFLOWING = """(width) => {
  const past = (e) => e.getBoundingClientRect().right > width + 0.5;
  const name = (e) => e.tagName.toLowerCase() + (typeof e.className === 'string' && e.className.trim()
    ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  return [...document.querySelectorAll('body *')]
    .filter((e) => !e.closest('.chart-scroll') && past(e) && ![...e.children].some(past))
    .slice(0, 10)
    .map((e) => name(e) + ' right=' + Math.round(e.getBoundingClientRect().right));
}"""


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_no_horizontal_scroll_at_375px(open_page, server, pages, kind: str) -> None:
    page, _ = open_page(viewport=PHONE)
    load(page, server.url(pages[kind]))
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], page.evaluate(OVERFLOWING, PHONE["width"])


def test_no_horizontal_scroll_at_375px_with_search_results(open_page, server) -> None:
    page, _ = open_page(viewport=PHONE)
    load(page, server.url())
    page.locator(SEARCH_INPUT).fill("Huawei")
    page.locator(".pagefind-ui__result-link").first.wait_for()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], page.evaluate(OVERFLOWING, PHONE["width"])


@pytest.mark.parametrize(
    "viewport",
    [
        pytest.param(PHONE, id="375"),
        pytest.param(DESKTOP, id="1280"),
    ],
)
def test_search_results_leave_the_header_in_place(open_page, server, viewport: dict) -> None:
    page, _ = open_page(viewport=viewport)
    load(page, server.url())
    where = """() => ['.brand', '.site-header nav']
                 .map(s => Math.round(document.querySelector(s).getBoundingClientRect().top))"""
    before = page.evaluate(where)
    page.locator(SEARCH_INPUT).fill("Huawei")
    page.locator(".pagefind-ui__result-link").first.wait_for()
    assert page.evaluate(where) == before, "brand and navigation moved when the results opened"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_screenshots(open_page, server, pages, viewport: dict, scheme: str) -> None:
    """Full-page screenshots in /tmp/dossier-shots/ (not committed), to be looked at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page, watch = open_page(viewport=viewport, color_scheme=scheme)
    for kind in ("home", "timeline", "country", "article"):
        load(page, server.url(pages[kind]))
        page.screenshot(path=SHOTS / f"{kind}-{viewport['width']}-{scheme}.png", full_page=True)
    assert watch.errors() == []


def test_home_page_weight(open_page, server, record_property) -> None:
    """Requests and bytes for a first visit to the home page, then for a first search; written to
    /tmp/dossier-shots/home-weight.json. A report, not a budget (the server sends no compression)."""
    page, _ = open_page(viewport=DESKTOP)
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))

    def measure() -> dict:
        rows = []
        for request in finished:
            sizes = request.sizes()
            rows.append(
                {
                    "url": request.url.removeprefix(server.base),
                    "type": request.resource_type,
                    "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"],
                }
            )
        finished.clear()
        return {"requests": len(rows), "bytes": sum(row["bytes"] for row in rows), "files": rows}

    load(page, server.url(), idle=True)
    first_view = measure()
    page.locator(SEARCH_INPUT).fill("Huawei")
    page.locator(".pagefind-ui__result-link").first.wait_for()
    page.wait_for_load_state("networkidle")
    first_search = measure()
    SHOTS.mkdir(parents=True, exist_ok=True)
    report = {"home": first_view, "first search": first_search}
    (SHOTS / "home-weight.json").write_text(json.dumps(report, indent=1))
    record_property("home_requests", first_view["requests"])
    record_property("home_bytes", first_view["bytes"])
    assert first_view["requests"] and first_search["requests"], "no request was recorded"
