"""End to end: build the real content/ and check the output files against the seeds' gold data."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

from dossier.pipeline import BuildReport


def _articles(site: Path) -> dict[str, dict]:
    records = json.loads((site / "data/articles.json").read_text("utf-8"))
    return {Path(record["file"]).name: record for record in records}


def _page_paragraphs(site: Path, slug: str) -> list[str]:
    """The text of every paragraph and the heading of an article page, as a reader sees them."""
    import html as html_lib

    page = (site / "articles" / slug / "index.html").read_text("utf-8")
    blocks = re.findall(r"<(?:p|h1)\b[^>]*>(.*?)</(?:p|h1)>", page, flags=re.S)
    return [" ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", block)).split()) for block in blocks]


def test_every_seed_has_a_page(built_site: tuple[Path, BuildReport], seeds_gold: dict[str, dict]) -> None:
    site, report = built_site
    articles = _articles(site)
    assert set(seeds_gold) <= set(articles)
    for name in seeds_gold:
        assert (site / "articles" / articles[name]["slug"] / "index.html").is_file()
    assert report.articles == len(articles)


def test_no_boilerplate_line_on_any_seed_page(built_site: tuple[Path, BuildReport], seeds_gold: dict) -> None:
    site, _ = built_site
    articles = _articles(site)
    for name, gold in seeds_gold.items():
        shown = _page_paragraphs(site, articles[name]["slug"])
        content = {" ".join(c.split()) for c in gold["content_lines"]}
        for line in gold["boilerplate_lines"]:
            text = " ".join(line.split())
            if text in content:
                continue  # a repeated headline: the text also appears once as content
            assert text not in shown, f"{name}: boilerplate line shown: {line!r}"
        # Repeated headlines appear once, as the title.
        assert shown.count(" ".join(gold["content_lines"][0].split())) <= 1


def test_content_kept_in_order(built_site: tuple[Path, BuildReport], seeds_gold: dict) -> None:
    site, _ = built_site
    for name, record in _articles(site).items():
        gold = seeds_gold[name]
        paragraphs = [" ".join(p.split()) for p in record["text"].split("\n")]
        expected = [
            " ".join(line.split()) for line in gold["content_lines"] if line.strip() != (gold["title"] or "")
        ]
        kept = [p for p in paragraphs if p in expected]
        assert kept == [e for e in expected if e in paragraphs], f"{name}: paragraph order changed"
        assert len(kept) >= len(expected) - 1, f"{name}: content lost"


def test_titles_and_countries_match_gold(built_site: tuple[Path, BuildReport], seeds_gold: dict) -> None:
    site, _ = built_site
    for name, record in _articles(site).items():
        gold = seeds_gold[name]
        if gold["title"]:
            assert record["title"] == gold["title"], name
        else:  # no headline in the text: a readable title made from the lead
            assert (
                10 <= len(record["title"]) <= 100 and record["title"].split()[0] in gold["content_lines"][0]
            )
        assert record["countries"] == sorted(gold["countries"]), name


def test_metadata_from_the_text(built_site: tuple[Path, BuildReport], seeds_gold: dict) -> None:
    site, _ = built_site
    for name, record in _articles(site).items():
        gold = seeds_gold[name]
        assert record["date"] == (str(gold["date"]) if gold["date"] else None), name
        assert record["source"] == gold["source_url"], name
        assert record["lang"] == gold["language"], name


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "href" or (name == "src" and tag in {"script", "img"})):
                self.targets.append(value)


def test_every_internal_link_resolves(built_site: tuple[Path, BuildReport]) -> None:
    site, _ = built_site
    pages = [p for p in site.rglob("*.html") if "pagefind" not in p.parts]
    assert len(pages) >= 10
    for page in pages:
        parser = _Links()
        parser.feed(page.read_text("utf-8"))
        for target in parser.targets:
            if urlsplit(target).scheme or target.startswith(("#", "//", "mailto:")):
                continue
            path = unquote(urldefrag(target)[0])
            resolved = site / path.lstrip("/") if path.startswith("/") else page.parent / path
            if resolved.is_dir():
                resolved = resolved / "index.html"
            assert resolved.resolve().is_file(), f"{page.relative_to(site)} links to missing {target}"


def test_site_pages_exist(built_site: tuple[Path, BuildReport]) -> None:
    site, _ = built_site
    for path in [
        "index.html",
        "countries/index.html",
        "countries/cn/index.html",
        "countries/eu/index.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "assets/style.css",
    ]:
        assert (site / path).is_file(), path


def test_timeline_index_in_date_order(built_site: tuple[Path, BuildReport]) -> None:
    site, _ = built_site
    html = (site / "countries/index.html").read_text("utf-8")
    for section in re.findall(r'<section class="country".*?</section>', html, flags=re.S):
        dates = re.findall(r'<time datetime="([\d-]+)"', section)
        assert dates == sorted(dates)
        undated_at = section.find("Undated")
        if undated_at >= 0 and dates:
            assert section.rfind("<time datetime") < undated_at, "undated articles come last"


@pytest.mark.parametrize("name", ["index.html", "countries/index.html"])
def test_pages_are_not_empty_of_articles(built_site: tuple[Path, BuildReport], name: str) -> None:
    site, _ = built_site
    html = (site / name).read_text("utf-8")
    assert html.count('href="../articles/') + html.count('href="articles/') >= 5


ATOM = "{http://www.w3.org/2005/Atom}"


def test_feeds_are_atom_with_absolute_urls(built_site: tuple[Path, BuildReport]) -> None:
    import xml.etree.ElementTree as ElementTree

    site, _ = built_site
    feeds = [site / "feed.xml", *sorted((site / "countries").glob("*/feed.xml"))]
    assert len(feeds) > 5
    for path in feeds:
        feed = ElementTree.parse(path).getroot()
        assert feed.tag == f"{ATOM}feed", path
        for required in ("id", "title", "updated"):
            assert feed.find(f"{ATOM}{required}") is not None, (path, required)
        self_link = feed.find(f"{ATOM}link[@rel='self']")
        assert self_link is not None and self_link.get("href", "").startswith("https://"), path
        entries = feed.findall(f"{ATOM}entry")
        assert entries, path
        for entry in entries:
            for required in ("id", "title", "updated", "link"):
                assert entry.find(f"{ATOM}{required}") is not None, (path, required)
            assert entry.find(f"{ATOM}link").get("href", "").startswith("https://")


def test_sitemap_lists_every_article(built_site: tuple[Path, BuildReport]) -> None:
    import xml.etree.ElementTree as ElementTree

    site, _ = built_site
    locations = [
        loc.text for loc in ElementTree.parse(site / "sitemap.xml").iter() if loc.tag.endswith("loc")
    ]
    for record in _articles(site).values():
        assert any(loc.endswith(f"/articles/{record['slug']}/") for loc in locations)
