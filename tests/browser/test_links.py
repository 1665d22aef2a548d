"""Every internal link and asset resolves over HTTP, in the build served at the root and in the
one built with --base-url …/some/path/ and served under that path; feeds, sitemap and robots.txt
of the sub-path build give absolute URLs under it, and they open."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from tests.browser.helpers import file_for, html_pages, parse_html

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


def _served_at(server, relative: str) -> str:
    # The 404 page is served for any missing address, however deep: its links must work from there.
    return server.url("no/such/page/index.html" if relative == "404.html" else relative)


def crawl(server) -> tuple[dict[str, set[str]], dict[tuple[str, str], set[str]], int]:
    """Internal URLs (without fragment) → pages linking there; (URL, fragment) → pages; number of pages."""
    folder: Path = server.folder
    targets: dict[str, set[str]] = defaultdict(set)
    fragments: dict[tuple[str, str], set[str]] = defaultdict(set)
    pages = html_pages(folder)
    sources = [(p, parse_html(p.read_text("utf-8")).links) for p in pages]
    sources += [(css, CSS_URL.findall(css.read_text("utf-8"))) for css in folder.rglob("*.css")]
    for file, links in sources:
        relative = file.relative_to(folder).as_posix()
        base = _served_at(server, relative)
        for link in links:
            if not link or link.startswith("data:"):
                continue
            if link.startswith("#"):  # within the page itself, wherever it is served
                fragments[(base, link[1:])].add(relative)
                continue
            url, fragment = urldefrag(urljoin(base, link))
            if urlsplit(url).scheme not in {"http", "https"} or not url.startswith(server.origin + "/"):
                continue  # mailto:, javascript:, another site
            targets[url].add(relative)
            if fragment:
                fragments[(url, fragment)].add(relative)
    return targets, fragments, len(pages)


@pytest.mark.parametrize("variant", ["root", "sub-path"])
def test_every_internal_link_and_asset_resolves(request, open_page, variant: str) -> None:
    server = request.getfixturevalue("server" if variant == "root" else "sub_server")
    targets, fragments, pages = crawl(server)
    assert pages >= 10 and len(targets) >= 20
    page, _ = open_page()
    broken = []
    for url, sources in sorted(targets.items()):
        response = page.request.get(url, max_redirects=0)
        if response.status != 200:
            broken.append(f"{response.status} {url} (linked from {', '.join(sorted(sources)[:3])})")
    assert broken == []
    missing = []
    for (url, fragment), sources in sorted(fragments.items()):
        file = file_for(server.folder, server.prefix, urlsplit(url).path)
        if file is not None and not file.is_file():
            file = server.folder / "404.html"  # what is served there
        if file is None or file.suffix != ".html":
            continue
        if fragment not in parse_html(file.read_text("utf-8")).ids:
            missing.append(f"{url}#{fragment} (linked from {', '.join(sorted(sources)[:3])})")
    assert missing == []


def test_nothing_links_outside_the_sub_path(sub_server) -> None:
    targets, _, _ = crawl(sub_server)
    outside = [url for url in targets if not url.startswith(sub_server.base)]
    assert outside == []


def test_sub_path_feeds_sitemap_and_robots_use_absolute_urls_under_it(open_page, sub_server) -> None:
    folder, base = sub_server.folder, sub_server.base
    feeds = [folder / "feed.xml", *sorted(folder.glob("countries/*/feed.xml"))]
    assert len(feeds) >= 2
    urls = []
    for feed in feeds:
        root = ET.parse(feed).getroot()
        assert root.tag == f"{ATOM}feed", feed
        links = [link.get("href") for link in root.iter(f"{ATOM}link")]
        ids = [node.text for node in root.iter(f"{ATOM}id")]
        assert links and ids
        outside = [u for u in links + ids if not (u or "").startswith(base)]
        assert outside == [], f"{feed.relative_to(folder)}: URLs not under {base}"
        self_link = next(link.get("href") for link in root.iter(f"{ATOM}link") if link.get("rel") == "self")
        assert self_link == base + feed.relative_to(folder).as_posix()
        urls += links
    locations = [node.text for node in ET.parse(folder / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")]
    assert locations and all(u.startswith(base) for u in locations)
    urls += locations
    robots = (folder / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {base}sitemap.xml" in robots.splitlines()
    page, _ = open_page()
    broken = []
    for url in sorted(set(urls)):
        response = page.request.get(url, max_redirects=0)
        if response.status != 200:
            broken.append(f"{response.status} {url}")
    assert broken == []


@pytest.mark.parametrize("relative", ["index.html", "countries/index.html"])
def test_sub_path_pages_load_their_assets_from_under_it(open_page, sub_server, relative: str) -> None:
    """Under the sub-path, every request a page makes (CSS, JS, favicon, search bundle) stays inside it."""
    page, watch = open_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(sub_server.url(relative), wait_until="networkidle")
    assert len(requested) >= 4
    assert [u for u in requested if not u.startswith(sub_server.base)] == []
    assert page.evaluate("() => getComputedStyle(document.body).margin") == "0px", "style.css applied"
    assert watch.errors() == []
