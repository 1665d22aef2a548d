"""What a reader does: click a country on the map, a mark on the swim-lane timeline, filter the
timeline by language and by about/mentions; and read the timeline with JavaScript off."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.helpers import articles, load

ENTRY = ".timeline .entry"
VISIBLE = "els => els.map(e => e.checkVisibility())"


def _article_paths(server, site) -> dict[str, dict]:
    return {urlsplit(server.url(f"articles/{r['slug']}/index.html")).path: r for r in articles(site)}


def test_map_country_opens_its_page(open_page, server, site, pages) -> None:
    page, watch = open_page()
    load(page, server.url())
    svg = page.locator(".map svg")
    assert svg.count() == 1 and svg.is_visible()
    paths = svg.locator("a[href]").evaluate_all(
        "els => els.map(e => new URL(e.getAttribute('href'), location.href).pathname)"
    )
    linked = {path.split("/")[-2].upper() for path in paths}
    assert all(
        path == urlsplit(server.url(f"countries/{path.split('/')[-2]}/index.html")).path for path in paths
    )
    with_articles = {code for record in articles(site) for code in record["countries"]}
    assert linked <= with_articles, "only countries with articles are linked"
    assert with_articles - linked <= {"EU"}, "every country with articles is on the map"
    country = svg.locator(f'a[href$="{pages["country"]}"]')
    name = country.get_attribute("aria-label").split(":")[0]
    with page.expect_navigation() as navigation:
        country.click()
    assert navigation.value.status == 200
    assert page.url == server.url(pages["country"])
    assert page.locator("h1").inner_text() == name
    assert watch.errors() == []


def test_timeline_marks_link_to_articles(open_page, server, site) -> None:
    page, watch = open_page()
    load(page, server.url("countries/index.html"))
    marks = page.locator(".chart-scroll svg a:has(> .mark)")
    by_path = _article_paths(server, site)
    hrefs = marks.evaluate_all("els => els.map(e => new URL(e.getAttribute('href'), location.href).pathname)")
    assert hrefs and set(hrefs) <= set(by_path), "every mark links to an article page"
    records = articles(site)
    if len({c for r in records for c in r["countries"]}) <= 20:  # every country has a lane
        assert len(hrefs) == sum(len(r["countries"]) for r in records if r["date"]), (
            "one mark per dated entry"
        )
    first = marks.first
    target = by_path[hrefs[0]]
    assert first.get_attribute("aria-label").startswith(target["title"])
    with page.expect_navigation() as navigation:
        first.click()
    assert navigation.value.status == 200
    assert urlsplit(page.url).path == hrefs[0]
    assert page.locator("h1").inner_text() == target["title"]
    assert watch.errors() == []


def _state(page) -> list[tuple[str, str, bool]]:
    """(language, role, visible) for every timeline entry."""
    return page.locator(ENTRY).evaluate_all(
        "els => els.map(e => [e.dataset.lang, e.dataset.role, e.checkVisibility()])"
    )


@pytest.mark.parametrize("where", ["timeline", "country"])
def test_language_and_role_filters(open_page, server, pages, site, where: str) -> None:
    page, watch = open_page()
    load(page, server.url(pages[where]))
    form = page.locator("form.filters")
    assert form.is_visible()
    status = form.locator("[role=status]")
    languages = [
        v
        for v in form.locator("select[name=language] option").evaluate_all("els => els.map(e => e.value)")
        if v
    ]
    assert sorted(languages) == sorted({r["lang"] for r in articles(site) if r["lang"]})
    entries = _state(page)
    assert entries and all(visible for _, _, visible in entries)
    for language in languages:
        form.locator("select[name=language]").select_option(language)
        state = _state(page)
        assert [visible for _, _, visible in state] == [lang == language for lang, _, _ in state], language
        assert status.inner_text() == f"{sum(lang == language for lang, _, _ in state)} articles shown"
        if where == "timeline":  # a country with nothing in that language disappears with its heading
            sections = page.locator("section.country").evaluate_all(
                "els => els.map(s => [s.checkVisibility(), !!s.querySelector('.entry[data-lang=\"' + "
                + f"'{language}'"
                + " + '\"]')])"
            )
            assert all(shown == has for shown, has in sections)
    form.locator("select[name=language]").select_option("")
    for role in ("about", "mentions"):
        form.locator("select[name=role]").select_option(role)
        state = _state(page)
        assert [visible for _, _, visible in state] == [r == role for _, r, _ in state], role
    lang = languages[0]
    form.locator("select[name=language]").select_option(lang)
    form.locator("select[name=role]").select_option("about")
    state = _state(page)
    assert [v for _, _, v in state] == [l == lang and r == "about" for l, r, _ in state]  # noqa: E741
    form.locator("select[name=language]").select_option("")
    form.locator("select[name=role]").select_option("")
    assert all(visible for _, _, visible in _state(page))
    assert watch.errors() == []


@pytest.mark.parametrize("where", ["timeline", "country"])
def test_timeline_readable_without_javascript(open_page, server, pages, where: str) -> None:
    page, watch = open_page(java_script_enabled=False)
    load(page, server.url(pages[where]), scripts=False)
    state = _state(page)
    assert state and all(visible for _, _, visible in state), "every entry is shown"
    assert page.locator("section.country:not([hidden])").count() == page.locator("section.country").count()
    assert page.locator(f"{ENTRY} blockquote").count() > 0, "with the evidence sentences"
    assert watch.errors() == []


@pytest.mark.parametrize("where", ["timeline", "country"])
def test_filters_hidden_without_javascript(open_page, server, pages, where: str) -> None:
    page, _ = open_page(java_script_enabled=False)
    load(page, server.url(pages[where]), scripts=False)
    assert page.locator("form.filters").count() == 1
    assert not page.locator("form.filters").is_visible()
