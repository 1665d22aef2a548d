"""Plumbing for the browser tests: a static server like a real host, the site's pages, a page watcher."""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHOTS = Path("/tmp/dossier-shots")
PAGE_TYPES = ("home", "article", "timeline", "country", "404")


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves `folder` under the URL path `prefix`; anything else, or a missing file, gets 404.html
    with status 404, and folders are never listed: what GitHub Pages or Netlify do."""

    def __init__(self, *args, folder: Path, prefix: str, **kwargs) -> None:
        self.folder = folder
        self.prefix = prefix
        super().__init__(*args, directory=str(folder), **kwargs)

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith(self.prefix):
            return str(self.folder / "\0missing")  # outside the site: never a file
        return super().translate_path("/" + path[len(self.prefix) :])

    def list_directory(self, path):
        self.send_error(404)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self.folder / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class StaticServer:
    """A threaded http.server on 127.0.0.1 and a free port; the folder may be built after it starts."""

    def __init__(self, folder: Path, prefix: str = "/") -> None:
        assert prefix.startswith("/") and prefix.endswith("/")
        self.folder = folder
        self.prefix = prefix
        handler = functools.partial(_Handler, folder=folder, prefix=prefix)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.httpd.server_port}"
        self.base = self.origin + prefix  # the site's root URL, ending in "/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> StaticServer:
        self.thread.start()
        return self

    def url(self, path: str = "") -> str:
        return self.base + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def articles(site: Path) -> list[dict]:
    return json.loads((site / "data/articles.json").read_text("utf-8"))


def site_pages(site: Path) -> dict[str, str]:
    """One page of each type, as a path relative to the site root."""
    records = articles(site)
    counts = Counter(code for record in records for code in record["countries"])
    country = min(counts, key=lambda code: (-counts[code], code))  # the most covered
    return {
        "home": "index.html",
        "article": f"articles/{records[0]['slug']}/index.html",
        "timeline": "countries/index.html",
        "country": f"countries/{country.lower()}/index.html",
        "404": "no-such-page/index.html",
    }


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.relative_to(site).parts)


class LinkParser(HTMLParser):
    """Every URL a page refers to (href, src, srcset), and every id it defines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in {"href", "src", "xlink:href", "poster", "action"}:
                self.links.append(value.strip())
            elif name == "srcset":
                self.links += [part.split()[0] for part in value.split(",") if part.strip()]
            elif name in {"id", "name"} and tag != "meta":
                self.ids.add(value)

    handle_startendtag = handle_starttag


def parse_html(text: str) -> LinkParser:
    parser = LinkParser()
    parser.feed(text)
    parser.close()
    return parser


def file_for(site: Path, prefix: str, url_path: str) -> Path | None:
    """The file a URL path on the server maps to, or None when outside the site."""
    url_path = unquote(url_path)
    if not url_path.startswith(prefix):
        return None
    file = site / url_path[len(prefix) :]
    return file / "index.html" if url_path.endswith("/") or file.is_dir() else file


@dataclass
class Watch:
    """What went wrong while a page was open: console errors, page errors, failed or 4xx/5xx requests."""

    console: list[tuple[str, str]] = field(default_factory=list)  # (message, URL of its source)
    failed: list[str] = field(default_factory=list)
    responses: list[tuple[int, str]] = field(default_factory=list)

    def attach(self, page) -> Watch:
        page.on("console", lambda m: m.type == "error" and self.console.append((m.text, m.location["url"])))
        page.on(
            "pageerror", lambda e: self.console.append((f"uncaught {e.name}: {e.message}", e.stack or ""))
        )
        page.on("requestfailed", lambda r: self.failed.append(f"{r.method} {r.url}: {r.failure}"))
        page.on("response", lambda r: self.responses.append((r.status, r.url)))
        return self

    def errors(self, not_found: str | None = None) -> list[str]:
        """Everything that went wrong; `not_found` is a URL whose 404 was expected (the 404 page)."""
        found = [
            f"console: {text} ({source})"
            for text, source in self.console
            if not (source == not_found and text.startswith(NOT_FOUND_MESSAGE))
        ]
        found += [f"request failed: {failure}" for failure in self.failed]
        found += [
            f"HTTP {status}: {url}" for status, url in self.responses if status >= 400 and url != not_found
        ]
        return found


NOT_FOUND_MESSAGE = "Failed to load resource: the server responded with a status of 404"


SEARCH_INPUT = "#search .pagefind-ui__search-input"


def load(page, url: str, scripts: bool = True, idle: bool = False):
    """Open `url` and wait for its load event (or, with `idle`, for the network to go quiet) and, when
    scripts run, for the search box that site.js builds."""
    response = page.goto(url, wait_until="networkidle" if idle else "load")
    if scripts and page.locator("#search").count():
        page.locator(SEARCH_INPUT).wait_for(state="attached")
    return response
