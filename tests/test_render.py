"""render: pages planned with keys, escaping, relative links, the JSON export."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from markupsafe import Markup, escape

from dossier import presenters
from dossier.index import build_index
from dossier.models import Article, Mention, Page, PartialDate, Reused, SiteConfig
from dossier.render import (
    ARTICLES_JSON,
    Renderer,
    TextEdits,
    articles_json,
    export_records,
    lists_unchanged,
    render,
)
from tests.test_index import article

TEMPLATES = Path(__file__).resolve().parents[1] / "site_templates"


def _renderer(title: str = "Title") -> Renderer:
    item = article("a.txt", "a", PartialDate(2019, 3), about=["DE"])
    item.title = title
    site, _ = build_index(
        [item, article("b.txt", "b", None, mentioned=["DE"])], SiteConfig(base_url="https://x.org/")
    )
    return Renderer(TEMPLATES, site, code_version="test")


def _pages(renderer: Renderer) -> dict[str, bytes]:
    return {p.path: p.data for p in render(renderer.plan(), {}) if isinstance(p, Page)}


def test_every_page_type_is_planned() -> None:
    paths = set(_pages(_renderer()))
    assert {
        "index.html",
        "countries/index.html",
        "countries/de/index.html",
        "countries/de/feed.xml",
        "articles/a/index.html",
        "articles/b/index.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "data/articles.json",
        "assets/style.css",
    } <= paths


def test_links_are_relative_to_the_page() -> None:
    html = _pages(_renderer())["articles/a/index.html"].decode()
    assert 'href="../../assets/style.css"' in html and 'href="../../countries/de/index.html"' in html
    assert '<html lang="en">' in html  # the article's language


def test_unchanged_pages_are_reused() -> None:
    renderer = _renderer()
    plans = renderer.plan()
    previous = {plan.path: plan.key for plan in plans}
    assert all(isinstance(p, Reused) for p in render(plans, previous))
    changed = _renderer(title="Another title").plan()
    fresh = {p.path for p in render(changed, previous) if isinstance(p, Page)}
    assert "articles/a/index.html" in fresh and "index.html" in fresh
    assert "assets/style.css" not in fresh


def test_content_is_escaped_everywhere() -> None:
    payload = '"><script>alert(1)</script>'
    pages = _pages(_renderer(title=payload))
    for path, data in pages.items():
        assert b"<script>alert(1)" not in data, path
    record = next(r for r in json.loads(pages["data/articles.json"]) if r["slug"] == "a")
    assert record["title"] == payload  # JSON keeps the text, escaped as \\u003c in the file


def test_articles_json_fields() -> None:
    records = json.loads(articles_json([article("x/a.txt", "a", PartialDate(2019, 1), about=["DE"])]))
    assert set(records[0]) >= {"file", "slug", "title", "date", "lang", "source", "countries", "text"}
    assert records[0]["date"] == "2019-01" and records[0]["file"] == "x/a.txt"


def _articles(edit: Callable[[Article], None] = lambda article: None) -> list[Article]:
    articles = [
        article(f"{name}.txt", name, PartialDate(2019, 3, day), about=["DE"], mentioned=["FR"])
        for day, name in enumerate("abcdefghij", start=1)
    ]
    edit(articles[0])
    return articles


def _keys(
    edit: Callable[[Article], None] = lambda article: None, edits: TextEdits | None = None
) -> dict[str, str]:
    site, _ = build_index(_articles(edit), SiteConfig(base_url="https://x.org/"))
    renderer = Renderer(TEMPLATES, site, code_version="test", edits=edits)
    return {plan.path: plan.key for plan in renderer.plan()}


def _edit_text(item: Article) -> None:
    item.paragraphs = [*item.paragraphs, "One more sentence."]
    item.content_hash = "edited"


def _changed(edit: Callable[[Article], None]) -> set[str]:
    before, after = _keys(), _keys(edit)
    return {path for path in before if before[path] != after.get(path)}


def test_a_text_edit_rerenders_only_the_pages_that_quote_the_text() -> None:
    assert _changed(_edit_text) == {
        "articles/a/index.html",
        "feed.xml",
        "countries/de/feed.xml",
        "countries/fr/feed.xml",
        ARTICLES_JSON,
    }


def test_a_new_title_reaches_every_list_and_the_neighbours() -> None:
    def retitle(item: Article) -> None:
        item.title = "A new title"

    changed = _changed(retitle)
    assert {"index.html", "countries/index.html", "countries/de/index.html", "sitemap.xml"} <= changed
    assert "articles/b/index.html" in changed  # its timeline neighbour links to it by title
    assert "articles/j/index.html" not in changed and "404.html" not in changed


def test_text_edits_keep_the_other_keys_unworked_and_agree_with_a_full_plan() -> None:
    before, after = _articles()[0], _articles(_edit_text)[0]
    assert lists_unchanged(before, after)
    previous = _keys()
    planned = _keys(_edit_text, TextEdits(previous, frozenset({"a"})))
    assert planned == _keys(_edit_text)
    # An untouched page takes the previous key as it is, even one no full plan would give it.
    stale = {**previous, "articles/j/index.html": "kept"}
    assert _keys(_edit_text, TextEdits(stale, frozenset({"a"})))["articles/j/index.html"] == "kept"


def test_a_new_title_or_evidence_is_not_a_text_edit() -> None:
    before = _articles()[0]
    retitled = _articles(lambda item: setattr(item, "title", "Another"))[0]
    assert not lists_unchanged(before, retitled)
    other_evidence = _articles(lambda item: item.__dict__.update(snippets={"DE": "Another sentence."}))[0]
    assert not lists_unchanged(before, other_evidence)


def test_export_records_are_read_back_only_from_what_articles_json_wrote() -> None:
    export = articles_json([article(f"{name}.txt", name, None) for name in "abc"])
    records = [bytes(record) for record in export_records(export)]
    assert [json.loads(record)["slug"] for record in records] == ["a", "b", "c"]
    assert export_records(articles_json([])) == []
    assert export_records(b'[\n{"a":1}\n{"b":2}\n]\n') == []  # a record without its comma
    assert export_records(b"not an export") == []


def _highlight_piece_by_piece(paragraph: str, mentions: list[Mention]) -> str:
    """What `presenters.highlight` must give: each piece escaped on its own (how it was written first)."""
    out, cursor = [], 0
    for start, end, country in sorted(presenters._spans(paragraph, mentions)):
        if start < cursor:
            continue
        out += [escape(paragraph[cursor:start]), f'<mark data-country="{escape(country)}">']
        out += [escape(paragraph[start:end]), "</mark>"]
        cursor = end
    return "".join([*out, escape(paragraph[cursor:])])


def _mention(country: str, sentence: str, surface: str) -> Mention:
    at = sentence.find(surface)
    return Mention(country, sentence, surface, 0, at, at + len(surface))


def test_highlighting_escapes_every_piece_once() -> None:
    for sentence in ['A <b>"Berlin"</b> & Paris\' deal.', "A \0Berlin\0 & <Paris> deal."]:
        for paragraph in [sentence, f"Before & after. {sentence} <End>"]:
            mentions = [
                _mention("DE", sentence, "Berlin"),
                _mention("FR", sentence, "Paris"),
                _mention("DE", sentence, "Berl"),  # overlaps the first: left out
                _mention("<x>", "not in the paragraph", "x"),
            ]
            marked = presenters.highlight(paragraph, mentions)
            assert isinstance(marked, Markup)
            assert str(marked) == _highlight_piece_by_piece(paragraph, mentions)
            assert marked.count("<mark") == 2
    assert presenters.highlight("<&>", []) == "&lt;&amp;&gt;"


def test_evidence_and_languages_are_escaped_in_timeline_lists() -> None:
    payload = '"><script>alert(1)</script>'
    item = article("a.txt", "a", PartialDate(2019, 3), about=["DE"])
    item.mentions = [Mention("DE", f"Germany {payload}.", "Germany", 0, 0, 7)]
    item.lang = payload
    site, _ = build_index([item], SiteConfig(base_url="https://x.org/"))
    pages = _pages(Renderer(TEMPLATES, site, code_version="test"))
    for path in ["countries/index.html", "countries/de/index.html", "articles/a/index.html"]:
        assert b"<script>alert(1)" not in pages[path], path
    assert b"Germany &#34;&gt;&lt;script&gt;" in pages["countries/de/index.html"]


def test_older_evidence_than_the_timeline_index_lists_changes_only_the_country_page() -> None:
    def keys(oldest_evidence: str) -> dict[str, str]:
        articles = [
            article(f"{n:02d}.txt", f"a{n:02d}", PartialDate(2019, 1, 1 + n % 28), about=["DE"])
            for n in range(60)
        ]
        articles[0].date = PartialDate(2001)  # the oldest: listed on Germany's page, not on the index
        articles[0].__dict__["snippets"] = {"DE": oldest_evidence}
        site, _ = build_index(articles, SiteConfig(base_url="https://x.org/"))
        return {plan.path: plan.key for plan in Renderer(TEMPLATES, site, code_version="test").plan()}

    before, after = keys("Berlin said so."), keys("Berlin said otherwise.")
    changed = {path for path in before if before[path] != after[path]}
    assert changed == {"countries/de/index.html"}
