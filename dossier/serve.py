"""`python build.py serve`: build, serve the site with live reload, rebuild on every change.

The preview serves the output folder exactly as a plain build wrote it, at the path of the
site's base URL ("/" or "/some/path/"). livereload adds its reload script to HTML responses
on the way out, so the files themselves never contain it. When a build fails, the previous
site (left untouched by the atomic write) stays served and every page shows the error; when
articles have problems, pages show them in a banner. The terminal shows both.
"""

from __future__ import annotations

import errno
import html
import mimetypes
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from livereload import Server
from rich.console import Console
from rich.markup import escape
from tornado import web

from dossier import config
from dossier.pipeline import PACKAGE_DIR, BuildFailed, BuildOptions, build
from dossier.write import UnsafeOutput

BANNER_ID = "dossier-preview-problems"


@dataclass
class PreviewState:
    """What the last build left: the problems with content, or the error that stopped it."""

    problems: list[str] = field(default_factory=list)
    error: str | None = None


def serve(options: BuildOptions, host: str, port: int, open_browser: bool, console: Console) -> int:
    state = PreviewState()
    rebuild(options, state, console)
    site_config, _ = config.load_site_config(options.content, options.base_url)
    prefix = urlsplit(site_config.base_url).path or "/"
    server = PreviewServer(options.out.resolve(), prefix, state)
    for watched in (options.content, options.templates, PACKAGE_DIR / "data"):
        server.watch(str(watched), lambda: rebuild(options, state, console))
    console.print(f"[green]serving[/] http://{host}:{port}{prefix} (Ctrl-C stops)")
    try:
        server.serve(host=host, port=port, open_url_delay=1 if open_browser else None, restart_delay=0)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            console.print(f"[red]error:[/] port {port} on {host} is already in use; try --port {port + 1}")
            return 1
        raise
    console.print("stopped")
    return 0


def rebuild(options: BuildOptions, state: PreviewState, console: Console) -> None:
    """Build, recording problems or the error for the browser; never raises."""
    started = time.perf_counter()
    try:
        report = build(options)
    except BuildFailed as error:
        state.error, state.problems = str(error), [str(problem) for problem in error.report.problems]
    except UnsafeOutput as error:
        state.error, state.problems = str(error), []
    except Exception as error:  # a broken template or anything else: keep serving, show it
        state.error, state.problems = describe(error), []
    else:
        state.error, state.problems = None, [str(problem) for problem in report.problems]
        console.print(
            f"[green]rebuilt[/] {report.articles} articles ({report.reprocessed} processed, "
            f"{report.changed} files changed) in {time.perf_counter() - started:.2f} s"
        )
    for problem in state.problems:
        console.print(f"[yellow]warning:[/] {escape(problem)}")
    if state.error:
        console.print(f"[red]build failed:[/] {escape(state.error)}")


def describe(error: BaseException) -> str:
    """The error with the template or content file and line where it happened, if any."""
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if not filename:
        frames = [
            f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith((".html", ".xml"))
        ]
        if frames:
            filename, line = frames[-1].filename, frames[-1].lineno
    where = f"{filename}:{line}: " if filename else ""
    return f"{where}{type(error).__name__}: {error}"


class PreviewServer(Server):
    """livereload's server with our handler in place of its static files."""

    def __init__(self, out: Path, prefix: str, state: PreviewState) -> None:
        super().__init__()
        self.out, self.prefix, self.state = out, prefix, state

    def get_web_handlers(self, script: bytes) -> list:
        options = {"out": self.out, "prefix": self.prefix, "state": self.state}
        return [(r"/.*", SiteHandler, options)]


class SiteHandler(web.RequestHandler):
    def initialize(self, out: Path, prefix: str, state: PreviewState) -> None:
        self.out, self.prefix, self.state = out, prefix, state

    def get(self) -> None:
        path = self.request.path
        if path in ("", "/") and self.prefix != "/":
            self.redirect(self.prefix)
            return
        file = self._file_for(path)
        if self.state.error and (file is None or file.suffix == ".html"):
            self._send(500, error_page(self.state.error, self.state.problems).encode("utf-8"), "text/html")
            return
        if file is None:
            missing = self.out / "404.html"
            self._send(404, missing.read_bytes() if missing.is_file() else b"Not found", "text/html")
            return
        self._send(200, file.read_bytes(), mimetypes.guess_type(file.name)[0] or "application/octet-stream")

    def _file_for(self, url_path: str) -> Path | None:
        """The output file for a URL path, or None: nothing outside the output folder, ever."""
        if not url_path.startswith(self.prefix):
            return None
        parts = PurePosixPath(unquote(url_path[len(self.prefix) :])).parts
        if any(part in ("..", ".") or "\\" in part or "\0" in part for part in parts):
            return None
        candidate = self.out.joinpath(*[p for p in parts if p != "/"])
        if candidate.is_dir():
            candidate = candidate / "index.html"
        resolved = candidate.resolve()
        return resolved if resolved.is_file() and resolved.is_relative_to(self.out) else None

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        if content_type == "text/html" and self.state.problems and not self.state.error:
            body = _with_banner(body, self.state.problems)
        self.set_status(status)
        self.set_header(
            "Content-Type",
            f"{content_type}; charset=utf-8" if content_type.startswith("text/") else content_type,
        )
        self.set_header("Cache-Control", "no-store")
        self.finish(body)


def _with_banner(page: bytes, problems: list[str]) -> bytes:
    items = "".join(f"<li>{html.escape(problem)}</li>" for problem in problems[:50])
    banner = (
        f'<div id="{BANNER_ID}" role="alert" style="background:#fff3cd;color:#3d2c00;padding:.75rem 1rem;'
        f'border-bottom:2px solid #c9a227;font:14px/1.4 system-ui,sans-serif"><strong>Preview: '
        f"{len(problems)} problem(s) in the content</strong><ul>{items}</ul></div>"
    ).encode()
    start = page.find(b"<body")
    end = page.find(b">", start) + 1 if start >= 0 else 0
    return page[:end] + banner + page[end:]


def error_page(error: str, problems: list[str]) -> str:
    items = "".join(f"<li>{html.escape(problem)}</li>" for problem in problems[:50])
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Build failed · Dossier preview</title>"
        '</head><body style="font:15px/1.5 system-ui,sans-serif;margin:2rem;max-width:60rem">'
        f'<div id="{BANNER_ID}" role="alert"><h1>The build failed</h1><pre style="white-space:pre-wrap;'
        f'background:#fde8e8;padding:1rem;border-radius:6px">{html.escape(error)}</pre>'
        f"{'<ul>' + items + '</ul>' if items else ''}"
        "<p>Fix it and save: the preview rebuilds and reloads by itself.</p></div></body></html>"
    )
