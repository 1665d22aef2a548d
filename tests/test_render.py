"""render: pages planned with keys, escaping, relative links, the JSON export."""

from __future__ import annotations

import io
import json
import mmap
import subprocess
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from markupsafe import Markup, escape

from dossier import presenters
from dossier import render as render_module
from dossier.cache import LaneStore
from dossier.index import build_index
from dossier.models import (
    Article,
    Copied,
    Mention,
    Page,
    PartialDate,
    Parts,
    PreviousFile,
    Reused,
    SiteConfig,
)
from dossier.render import (
    ARTICLES_JSON,
    Edits,
    PagePlan,
    PreviousExport,
    Renderer,
    articles_json,
    export_spans,
    render,
    same_heading,
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
    made = render(renderer.plan(), {})
    return {
        p.path: p.data if isinstance(p, Page) else b"".join(p.parts)
        for p in made
        if isinstance(p, Page | Parts)
    }


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
    fresh = {p.path for p in render(changed, previous) if not isinstance(p, Reused)}
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


def _export_of(plans: list[PagePlan]) -> PagePlan:
    return next(plan for plan in plans if plan.path == ARTICLES_JSON)


def test_the_export_is_made_in_parts_that_join_into_the_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render_module, "EXPORT_PART", 4)
    renderer = _renderer_of()
    export = _export_of(renderer.plan())
    assert len(export.parts) == 3  # 4 + 4 + 2 of the ten articles
    [made] = [page for page in render([export], {}) if isinstance(page, Parts)]
    assert b"".join(made.parts) == articles_json(renderer.site.articles.values()) == export.make()
    assert [record["slug"] for record in json.loads(export.make())] == list(renderer.site.articles)


@pytest.mark.parametrize("in_place", [False, True])
def test_an_export_after_an_edit_encodes_only_the_edited_article(
    monkeypatch: pytest.MonkeyPatch, in_place: bool
) -> None:
    monkeypatch.setattr(render_module, "EXPORT_PART", 4)
    before = _renderer_of()
    plans = before.plan()
    previous_bytes = _export_of(plans).make()
    previous_file = PreviousFile(io.BytesIO(previous_bytes), previous_bytes)
    previous = PreviousExport(before.version, before.export_ids(), lambda: previous_file)
    edited = {"a": before.site.articles["a"]}
    edits = Edits({p.path: p.key for p in plans}, before.site_key, edited) if in_place else None
    site, _ = build_index(_articles(_edit_text), SiteConfig(base_url="https://x.org/"))
    after = Renderer(TEMPLATES, site, code_version="test", previous_export=previous, edits=edits)
    assert (after.edits is not None) == in_place
    encode, encoded = render_module._encoded_record, []
    monkeypatch.setattr(render_module, "_encoded_record", lambda a: encoded.append(a.slug) or encode(a))
    export = _export_of(after.plan())
    [page] = [page for page in render([export], {}) if isinstance(page, Parts)]
    assert encoded == ["a"]  # the other nine records are copied from the previous export
    joined = b"".join(part.data() if isinstance(part, Copied) else part for part in page.parts)
    assert joined == export.make() == articles_json(site.articles.values())
    # a is the oldest, so the last: the nine before it copied from the previous export in one part
    assert [type(part) for part in page.parts] == [bytes, Copied, bytes, bytes, bytes]


def test_an_export_is_reused_from_a_map_of_the_previous_file(tmp_path: Path) -> None:
    before = _renderer_of()
    (tmp_path / "articles.json").write_bytes(_export_of(before.plan()).make())
    with open(tmp_path / "articles.json", "rb") as file:
        source = PreviousFile(file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))
        records = [source.data[start:stop] for start, stop in export_spans(source.data)]
        assert records == [source.data[start:stop] for start, stop in export_spans(source.data[:])]
        previous = PreviousExport(before.version, before.export_ids(), lambda: source)
        site, _ = build_index(_articles(_edit_text), SiteConfig(base_url="https://x.org/"))
        after = Renderer(TEMPLATES, site, code_version="test", previous_export=previous)
        export = _export_of(after.plan())
        assert export.chunks is not None and len(export.chunks()) == 5
        assert export.make() == articles_json(site.articles.values())


def _articles(edit: Callable[[Article], None] = lambda article: None) -> list[Article]:
    """Ten articles about Germany, a to f mentioning France, c, e and g the Netherlands."""
    articles = []
    for day, name in enumerate("abcdefghij", start=1):
        mentioned = (["FR"] if day <= 6 else []) + (["NL"] if day in (3, 5, 7) else [])
        articles.append(
            article(f"{name}.txt", name, PartialDate(2019, 3, day), about=["DE"], mentioned=mentioned)
        )
    edit(articles[0])
    return articles


def _renderer_of(
    edit: Callable[[Article], None] = lambda article: None, edits: Edits | None = None
) -> Renderer:
    site, _ = build_index(_articles(edit), SiteConfig(base_url="https://x.org/"))
    return Renderer(TEMPLATES, site, code_version="test", edits=edits)


def _keys(
    edit: Callable[[Article], None] = lambda article: None, edits: Edits | None = None
) -> dict[str, str]:
    return {plan.path: plan.key for plan in _renderer_of(edit, edits).plan()}


def _edit_text(item: Article) -> None:
    item.paragraphs = [*item.paragraphs, "One more sentence."]
    item.content_hash = "edited"


def _edit_evidence(item: Article) -> None:
    item.__dict__.update(snippets={"DE": "Another sentence.", "FR": "Sentence about FR."})
    item.content_hash = "edited"


def _about_france(item: Article) -> None:
    item.about, item.mentioned = ["DE", "FR"], []
    item.content_hash = "edited"


def _joins_the_netherlands(item: Article) -> None:
    item.mentioned = ["FR", "NL"]
    item.content_hash = "edited"


def _leaves_france(item: Article) -> None:
    item.mentioned = []
    item.content_hash = "edited"


EDITS = [_edit_text, _edit_evidence, _about_france, _joins_the_netherlands, _leaves_france]


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


def test_new_evidence_rerenders_the_country_pages_that_quote_it() -> None:
    assert _changed(_edit_evidence) == {
        "articles/a/index.html",
        "countries/de/index.html",  # its sentence for Germany; France's is the one it had
        "countries/index.html",  # lists Germany's latest entries, a among them
        "feed.xml",
        "countries/de/feed.xml",
        "countries/fr/feed.xml",
        ARTICLES_JSON,
    }


def test_a_new_role_reaches_the_country_and_the_cards_not_the_sitemap() -> None:
    changed = _changed(_about_france)
    assert {
        "countries/fr/index.html",
        "countries/index.html",
        "index.html",
        "articles/a/index.html",
    } <= changed
    assert not changed & {"countries/de/index.html", "sitemap.xml", "articles/b/index.html", "404.html"}


def test_joining_or_leaving_a_timeline_reaches_the_new_neighbours() -> None:
    joined = _changed(_joins_the_netherlands)
    assert {"countries/nl/index.html", "articles/c/index.html"} <= joined  # c's previous article is now a
    assert "articles/e/index.html" not in joined and "countries/fr/index.html" not in joined
    left = _changed(_leaves_france)
    assert {"countries/fr/index.html", "articles/b/index.html"} <= left  # b is now France's first
    assert "articles/c/index.html" not in left


def test_a_new_title_reaches_every_list_and_the_neighbours() -> None:
    def retitle(item: Article) -> None:
        item.title = "A new title"

    changed = _changed(retitle)
    assert {"index.html", "countries/index.html", "countries/de/index.html", "sitemap.xml"} <= changed
    assert "articles/b/index.html" in changed  # its timeline neighbour links to it by title
    assert "articles/j/index.html" not in changed and "404.html" not in changed


def test_edits_keep_the_other_keys_unworked_and_agree_with_a_full_plan() -> None:
    previous, before = _keys(), _renderer_of()
    edited = {"a": _articles()[0]}
    for edit in EDITS:
        assert same_heading(_articles()[0], _articles(edit)[0])
        edits = Edits(previous, before.site_key, edited)
        assert _renderer_of(edit, edits).edits is edits, edit.__name__
        assert _keys(edit, edits) == _keys(edit), edit.__name__
        site_plan = _renderer_of(edit, edits).plan_site()  # the pages no edit reaches, in bulk
        assert site_plan.keys == _keys(edit), edit.__name__
        assert "articles/j/index.html" in site_plan.kept and "articles/a/index.html" not in site_plan.kept
        assert not {plan.path for plan in site_plan.pages} & site_plan.kept.keys()
    assert before.plan_site().kept == {}  # without edits every page is keyed
    # An untouched page takes the previous key as it is, even one no full plan would give it.
    stale = {
        **previous,
        "articles/j/index.html": "kept",
        "countries/index.html": "kept",
        "sitemap.xml": "kept",
        "countries/de/index.html": "kept",
        "countries/fr/index.html": "kept",
    }
    edits = Edits(stale, before.site_key, edited)
    kept = _keys(_edit_text, edits)
    assert kept["articles/j/index.html"] == kept["countries/index.html"] == kept["sitemap.xml"] == "kept"
    # a's countries list it as before (same role, same evidence): their pages are not keyed anew
    assert kept["countries/de/index.html"] == kept["countries/fr/index.html"] == "kept"
    assert _keys(_about_france, edits)["countries/index.html"] != "kept"  # its lanes show roles
    assert _keys(_about_france, edits)["countries/fr/index.html"] != "kept"
    assert _keys(_about_france, edits)["countries/de/index.html"] == "kept"  # still about Germany
    assert _keys(_edit_evidence, edits)["countries/de/index.html"] != "kept"


def test_new_evidence_of_an_article_the_timeline_index_lists_reaches_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(presenters, "TIMELINE_INDEX_LIMIT", 3)  # a lists only the latest three
    before = _renderer_of()
    stale = {**_keys(), "countries/index.html": "kept"}
    edits = Edits(stale, before.site_key, {"a": _articles()[0]})
    assert _keys(_edit_evidence, edits)["countries/index.html"] == "kept"  # "a" is the oldest: not listed
    latest = _articles()[-1]

    def edit_latest(articles: list[Article]) -> None:
        articles[-1].__dict__.update(snippets={"DE": "Another sentence."})

    after = [*_articles()]
    edit_latest(after)
    site, _ = build_index(after, SiteConfig(base_url="https://x.org/"))
    renderer = Renderer(
        TEMPLATES, site, code_version="test", edits=Edits(stale, before.site_key, {latest.slug: latest})
    )
    keys = {plan.path: plan.key for plan in renderer.plan()}
    full = {plan.path: plan.key for plan in Renderer(TEMPLATES, site, code_version="test").plan()}
    assert keys["countries/index.html"] == full["countries/index.html"] != "kept"


def test_a_new_role_where_the_timeline_index_shows_no_role_of_it_keeps_the_index(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """a becomes about France: shown on France's page, but the index draws only Germany's lane
    (one lane) and lists only the latest three entries of each country, none of them a."""
    monkeypatch.setattr(presenters, "TIMELINE_INDEX_LIMIT", 3)
    monkeypatch.setattr(presenters, "CHART_LANES", 1)
    before = _renderer_of()
    stale = {**_keys(), "countries/index.html": "kept"}
    edits = Edits(stale, before.site_key, {"a": _articles()[0]})
    assert _keys(_about_france, edits)["countries/index.html"] == "kept"
    assert _keys(_about_france)["countries/index.html"] == _keys()["countries/index.html"]
    monkeypatch.setattr(presenters, "CHART_LANES", 2)  # France's lane is drawn: its counts show roles
    full = _keys(_about_france)["countries/index.html"]
    assert _keys(_about_france, edits)["countries/index.html"] == full != "kept"


def test_edits_of_another_site_shape_are_planned_in_full() -> None:
    edits = Edits(_keys(), "the key of a site with other countries", {"a": _articles()[0]})
    assert _renderer_of(_edit_text, edits).edits is None


def test_a_new_title_or_date_is_not_an_edit_in_place() -> None:
    before = _articles()[0]
    assert not same_heading(before, _articles(lambda item: setattr(item, "title", "Another"))[0])
    assert not same_heading(before, _articles(lambda item: setattr(item, "date", PartialDate(2020)))[0])
    assert same_heading(before, _articles(_about_france)[0])


def test_export_records_are_read_back_only_from_what_articles_json_wrote() -> None:
    export = articles_json([article(f"{name}.txt", name, None) for name in "abc"])
    records = [export[start:stop] for start, stop in export_spans(export)]
    assert [json.loads(record)["slug"] for record in records] == ["a", "b", "c"]
    assert export_spans(articles_json([])) == []
    assert export_spans(b'[\n{"a":1}\n{"b":2}\n]\n') == []  # a record without its comma
    assert export_spans(b"not an export") == []


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


def test_counted_bars_link_to_where_their_month_starts_on_the_country_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import posixpath
    import re

    from dossier import charts

    monkeypatch.setattr(charts, "MAX_MARKS", 3)
    dates = [PartialDate(2019), PartialDate(2019, 3, 2), PartialDate(2019, 3, 9), PartialDate(2019, 5)]
    dates += [PartialDate(2020, 1, 1), PartialDate(2020, 1, 5), None]
    items = [article(f"{n}.txt", f"s{n}", d, about=["DE"]) for n, d in enumerate(dates)]
    items.append(article("fr.txt", "fr", PartialDate(2020, 2, 2), mentioned=["FR"]))  # a lane of dots
    site, _ = build_index(items, SiteConfig(base_url="https://x.org/"))
    pages = _pages(Renderer(TEMPLATES, site, code_version="test"))
    country = pages["countries/de/index.html"].decode()
    ids = re.findall(r'<(?:li|span) id="([^"]+)"', country)
    # 1 January 2020 starts its month and its year: the year's id is on a <span> inside its entry.
    assert ids == ["2019", "2019-03", "2019-05", "2020-01", "2020"]
    for page in ("countries/index.html", "countries/de/index.html"):
        html = pages[page].decode()
        bars = re.findall(r'<a href="([^"]+#[^"]+)" aria-label="Germany, ', html)
        assert len(bars) == 4, page  # 2019, March and May 2019, January 2020
        for href in bars:
            target, fragment = href.split("#")
            path = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
            assert f'id="{fragment}"' in pages[path].decode(), (page, href)
    index = pages["countries/index.html"].decode()
    assert '<a href="../articles/fr/index.html" aria-label="Title fr.txt' in index  # France: a mark each
    assert 'id="2019' not in index  # the index lists several countries: no period ids there
    assert "counts them instead" in index and "Each bar counts the articles of a month" in country


def test_a_country_feed_takes_the_newest_articles_in_the_site_order() -> None:
    """Same dates in file order, undated last: as the site's own list, sorted whole."""
    dates = [PartialDate(2019, 3, 1 + n % 3) for n in range(9)] + [PartialDate(2019, 3), None, None]
    files = [f"{name}.txt" for name in "kbjcialdhegf"]
    site, _ = build_index(
        [article(f, f[0], d, about=["DE"]) for f, d in zip(files, dates, strict=True)],
        SiteConfig(base_url="https://x.org/"),
    )
    renderer = Renderer(TEMPLATES, site, code_version="test")
    (timeline,) = site.timelines
    in_site_order = [a.slug for a in site.articles.values()]
    for count in range(len(files) + 2):
        newest = [a.slug for a in renderer._newest_first(timeline, count)]
        assert newest == in_site_order[:count], count


def test_the_timeline_index_key_follows_what_its_counted_lanes_and_lists_show(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dossier import charts

    monkeypatch.setattr(charts, "MAX_MARKS", 2)  # Germany's ten articles are counted per month
    monkeypatch.setattr(presenters, "TIMELINE_INDEX_LIMIT", 2)  # and the latest two listed

    def index_key(edit: Callable[[Article], None]) -> str:
        return _keys(edit)["countries/index.html"]

    def retitle(item: Article) -> None:
        item.title = "Another title"

    unchanged = index_key(lambda item: None)
    assert index_key(retitle) == unchanged  # "a", the oldest: neither drawn by title nor listed
    assert index_key(_about_france) != unchanged  # France's lane counts it as about France now
    assert index_key(_joins_the_netherlands) != unchanged  # the Netherlands count one more
    monkeypatch.setattr(charts, "MAX_MARKS", 100)  # a mark per article, named by its title
    assert index_key(retitle) != index_key(lambda item: None)


def test_importing_the_presenters_leaves_the_time_zone_setting_as_it_was() -> None:
    check = (
        "import os, sys; os.environ.pop('TZ', None); import dossier.presenters; "
        "from babel.dates import LOCALTZ; sys.exit('TZ' in os.environ or LOCALTZ is None)"
    )
    project = Path(__file__).resolve().parent.parent
    assert subprocess.run([sys.executable, "-c", check], cwd=project).returncode == 0


def test_the_memoised_pieces_are_kept_between_builds_and_change_no_page(tmp_path: Path) -> None:
    site, _ = build_index(_articles(), SiteConfig(base_url="https://x.org/"))

    def renderer() -> Renderer:
        lanes = partial(LaneStore, tmp_path / "cache", tmp_path / "dist")
        return Renderer(TEMPLATES, site, code_version="test", lanes=lanes)

    first = renderer()
    assert first.pieces == {}
    first.compile_templates()  # before workers fork: every date and language rendered once
    dates = {a.date for a in site.articles.values()}
    assert {key[1] for key in first.pieces if key[0] == "date_shown"} == dates
    pages = {plan.path: plan.make() for plan in first.plan()}
    first.save_pieces()
    second = renderer()
    assert second.pieces == first.pieces
    assert {plan.path: plan.make() for plan in second.plan()} == pages
    cold = Renderer(TEMPLATES, site, code_version="test")  # no store: rendered as they come
    assert {plan.path: plan.make() for plan in cold.plan()} == pages
