"""Pagefind search, typed into the box in the page header. The home page is English while the
articles are German, French and Dutch: site.js merges the other languages' indexes (mergeIndex
with an absolute bundle URL), so a word from any article is found from any page."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.browser.helpers import SEARCH_INPUT, articles, load

RESULT_LINK = ".pagefind-ui__result-link"

# (seed file, a word that occurs in that seed's text and in no other article, the seed's language)
ONE_SEED_WORDS = [
    ("000_cbf5fd48f6c0ee20.txt", "Kuschelkurs", "de"),
    ("003_957069b94ee8dd14.txt", "Moraalboost", "nl"),
    ("001_ae5b4cb239b79775.txt", "ministère", "fr"),
]


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def _record(site, file: str) -> dict:
    return next(r for r in articles(site) if r["file"].endswith("/" + file))


class Results(list):
    announced: int  # the count in Pagefind's message, "N results for …"


def search(page, query: str) -> Results:
    """Type `query` into the search box; all results as {url, path, title, excerpt (HTML)} once shown."""
    page.locator(SEARCH_INPUT).fill(query)
    # The message, in the page's language, starts with the number of results once the search is done.
    announced = page.wait_for_function(
        """query => {
             const message = document.querySelector('.pagefind-ui__message');
             const text = message ? message.textContent : '';
             return text.includes(query) && (text.match(/^\\d+/) || [null])[0];
           }""",
        arg=query,
    ).json_value()
    links = page.locator(RESULT_LINK)
    more = page.locator("#search button.pagefind-ui__button")
    while True:  # results load one by one; Pagefind shows five at a time, then a "load more" button
        page.wait_for_function("() => !document.querySelector('#search .pagefind-ui__loading')")
        if not more.count():
            break
        shown = links.count()
        more.click()
        links.nth(shown).wait_for()
    found = Results(
        {
            "url": result.locator(RESULT_LINK).get_attribute("href"),
            "path": urlsplit(result.locator(RESULT_LINK).get_attribute("href")).path,
            "title": result.locator(RESULT_LINK).inner_text(),
            "excerpt": result.locator(".pagefind-ui__result-excerpt").inner_html(),
        }
        for result in page.locator(".pagefind-ui__result").all()
    )
    found.announced = int(announced)
    return found


def test_the_words_occur_in_one_seed_only(site) -> None:
    for file, word, lang in ONE_SEED_WORDS:
        holders = [
            r["file"] for r in articles(site) if word.casefold() in _words(r["title"] + " " + r["text"])
        ]
        assert holders == [f"articles/{file}"], word
        assert _record(site, file)["lang"] == lang


@pytest.mark.parametrize("start", ["home", "other-language article"])
@pytest.mark.parametrize(("file", "word", "lang"), ONE_SEED_WORDS, ids=[w[2] for w in ONE_SEED_WORDS])
def test_a_word_from_one_seed_finds_that_seed(
    open_page,
    server,
    site,
    start: str,
    file: str,
    word: str,
    lang: str,
) -> None:
    seed = _record(site, file)
    if start == "home":
        path = ""  # the site's address, as typed or linked from elsewhere
    else:  # an article page in another language: its own index is Pagefind's primary one
        path = f"articles/{next(r for r in articles(site) if r['lang'] != lang)['slug']}/index.html"
    page, watch = open_page()
    load(page, server.url(path))
    results = search(page, word)
    seed_path = urlsplit(server.url(f"articles/{seed['slug']}/index.html")).path
    assert results, f"no result for {word!r}"
    assert results[0]["path"] == seed_path, f"{word!r}: the seed is not the first result: {results}"
    marked = [r["path"] for r in results if re.search(rf"<mark>{re.escape(word)}", r["excerpt"], re.I)]
    assert set(marked) == {seed_path}, f"{word!r} highlighted in {marked}"
    with page.expect_navigation():
        page.locator(RESULT_LINK).first.click()
    assert urlsplit(page.url).path == seed_path
    assert page.locator("h1").inner_text() == seed["title"]
    assert watch.errors() == []


@pytest.mark.parametrize(
    "start",
    [
        "home",
        "German article",
    ],
)
def test_each_article_is_listed_once(open_page, server, site, start: str) -> None:
    records = articles(site)
    assert all("huawei" in _words(r["title"] + " " + r["text"]) for r in records)
    german = next(r for r in records if r["lang"] == "de")
    page, _ = open_page()
    load(page, server.url("" if start == "home" else f"articles/{german['slug']}/index.html"))
    results = search(page, "Huawei")
    assert results.announced == len(records)
    assert sorted(r["path"] for r in results) == sorted(
        {urlsplit(server.url(f"articles/{r['slug']}/index.html")).path for r in records}
    )


def test_results_open_from_the_home_page_reached_by_its_home_link(open_page, server, site) -> None:
    file, word, _ = ONE_SEED_WORDS[1]  # Dutch: on English pages Pagefind's primary index is the Dutch one
    seed = _record(site, file)
    page, _ = open_page()
    load(page, server.url("countries/index.html"))
    with page.expect_navigation():
        page.get_by_role("navigation", name="Site").get_by_role("link", name="Home").click()
    assert urlsplit(page.url).path == "/index.html"
    page.locator(SEARCH_INPUT).wait_for()
    broken = []
    for result in search(page, word):
        response = page.context.request.get(
            page.evaluate("u => new URL(u, location.href).href", result["url"])
        )
        if response.status != 200:
            broken.append(f"{response.status} {result['url']}")
    assert broken == []
    with page.expect_navigation():
        page.locator(RESULT_LINK).first.click()
    assert page.locator("h1").inner_text() == seed["title"]


def test_excerpts_show_only_the_articles_own_words(open_page, server, site) -> None:
    by_path = {urlsplit(server.url(f"articles/{r['slug']}/index.html")).path: r for r in articles(site)}
    page, _ = open_page()
    load(page, server.url())
    foreign = {}
    for result in search(page, "Huawei"):
        record = by_path[result["path"]]
        excerpt = re.sub(r"<[^>]+>", "", result["excerpt"])
        extra = _words(excerpt) - _words(record["title"] + " " + record["text"])
        if extra:
            foreign[record["slug"]] = sorted(extra)
    assert foreign == {}


def test_search_under_a_sub_path(open_page, sub_server, site) -> None:
    """Built with --base-url …/some/path/ and served there: results link into the sub-path and open."""
    file, word, _ = ONE_SEED_WORDS[1]
    seed = _record(site, file)
    page, watch = open_page()
    load(page, sub_server.url())
    results = search(page, word)
    seed_path = urlsplit(sub_server.url(f"articles/{seed['slug']}/index.html")).path
    assert results and results[0]["path"] == seed_path
    assert all(r["path"].startswith(sub_server.prefix) for r in results), results
    with page.expect_navigation() as navigation:
        page.locator(RESULT_LINK).first.click()
    assert navigation.value.status == 200
    assert page.locator("h1").inner_text() == seed["title"]
    assert watch.errors() == []
