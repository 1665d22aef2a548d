"""`python build.py serve`: build, serve the site with live reload, rebuild on every change.

The preview serves the output folder exactly as a plain build wrote it, at the path of the
site's base URL ("/" or "/some/path/"). livereload adds its reload script to HTML responses
on the way out, so the files themselves never contain it. When a build fails, the previous
site (left untouched by the atomic write) stays served and every page shows the error; when
articles have problems, pages show them in a banner. The terminal shows both.

Order of events: bind the port (a taken port is reported before any work), build, serve.
Every `POLL_SECONDS` (longer with many files) the watcher looks at the content, the templates
and the language data; all changes seen in one look make one rebuild, and browsers reload
once it has finished. Builds run on the server's loop: requests wait for a build to end
and never see a half-swapped site.
"""

from __future__ import annotations

import errno
import html
import mimetypes
import os
import re
import sys
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from rich.console import Console
from rich.markup import escape
from tornado import web
from tornado.ioloop import IOLoop, PeriodicCallback

from dossier import config
from dossier.models import Problem
from dossier.pipeline import PACKAGE_DIR, BuildFailed, BuildOptions, build
from dossier.write import MARKER, UnsafeOutput

BANNER_ID = "dossier-preview-problems"
POLL_SECONDS = 0.2  # how often the watched folders are looked at, at most: save → reload's floor
SHOWN_PROBLEMS = 50  # in the browser; the terminal shows every new one
DATA_DIR = PACKAGE_DIR / "data"


class PortUnavailable(Exception):
    """The server could not listen where it was asked to."""


@dataclass
class PreviewState:
    """What the browser is shown: the URL path of the site and what the last build left."""

    prefix: str = "/"
    problems: list[Problem] = field(default_factory=list)
    error: str | None = None


def serve(options: BuildOptions, host: str, port: int, open_browser: bool, console: Console) -> int:
    if not options.content.is_dir():
        console.print(f"[red]error:[/] content folder {options.content} does not exist")
        return 2
    preview = Preview(options, console)
    server = PreviewServer(preview, open_browser)
    for folder, kind in ((options.content, "site"), (options.templates, "site"), (DATA_DIR, "data")):
        server.watch(str(folder), preview.marker(kind), ignore=_ignorer(folder, options.out))
    server.watch(str(PACKAGE_DIR / "*.py"), preview.marker("code"))
    try:
        server.serve(host=host, port=port, restart_delay=0)  # returns on Ctrl-C
    except PortUnavailable as error:
        preview.say(f"[red]error:[/] {error}")
        return 1
    except KeyboardInterrupt:  # livereload catches it while its loop runs, not before
        pass
    console.print("stopped")
    return 0


class Preview:
    """The build side: rebuilds when told what changed and keeps what the browser must show."""

    def __init__(self, options: BuildOptions, console: Console) -> None:
        self.options, self.console = options, console
        self.state = PreviewState()
        self.pending: set[str] = set()  # "site" (content or templates), "data", "code"
        self.address = ""  # "http://host:port", once the server listens
        self.shown: set[Problem] = set()  # problems already printed in the terminal

    def marker(self, kind: str) -> Callable[[], None]:
        """A watch callback: it only notes the change, so that many changes make one rebuild."""
        return lambda: self.pending.add(kind)

    def rebuild_pending(self) -> bool:
        if "code" in self.pending:  # code already imported cannot be swapped safely in a process
            self.say("[yellow]Dossier's code changed:[/] restart the preview to use it")
            self.pending.discard("code")
        if not self.pending:
            return False
        if "data" in self.pending:
            forget_loaded_data()
        self.pending.clear()
        self.rebuild()
        return True

    def rebuild(self) -> None:
        """Build, recording problems or the error for the browser; never raises."""
        started = time.perf_counter()
        error: str | None = None
        problems: list[Problem] = []
        try:
            self._update_prefix()
            report = build(self.options)
            problems = report.problems
        except BuildFailed as failure:
            error, problems = str(failure), failure.report.problems
        except UnsafeOutput as failure:
            error = str(failure)
        except Exception as failure:  # a broken template or anything else: keep serving, show it
            error = describe(failure, self.options.templates)
            if not _in_templates(failure, self.options.templates):
                self.say(escape("".join(traceback.format_exception(failure))), end="")
        else:
            self.say(
                f"[green]built[/] {report.articles} articles ({report.reprocessed} processed, "
                f"{report.changed} files changed) in {time.perf_counter() - started:.2f} s"
            )
        self.state.error, self.state.problems = error, problems
        self._print_problems(problems)
        if error:
            self.say(f"[red]build failed:[/] {escape(error)}")
            kept = " (the previous site is still served)" if (self.options.out / MARKER).is_file() else ""
            self.say(f"fix it and save: the preview rebuilds{kept}")

    def say(self, text: str, end: str = "\n") -> None:
        self.console.print(text, end=end, soft_wrap=True)  # unwrapped: paths and URLs stay whole

    def _update_prefix(self) -> None:
        site_config, _ = config.load_site_config(self.options.content, self.options.base_url)
        prefix = urlsplit(site_config.base_url).path or "/"
        if prefix != self.state.prefix and self.address:  # base_url changed in site.yaml
            self.say(f"[green]serving[/] {self.address}{prefix} now")
        self.state.prefix = prefix

    def _print_problems(self, problems: list[Problem]) -> None:
        """Each problem once, when it first appears (a rebuild does not repeat the standing ones)."""
        new = [problem for problem in problems if problem not in self.shown]
        for problem in new:
            colour = "red" if problem.severity == "error" else "yellow"
            self.say(f"[{colour}]{problem.severity}:[/] {escape(str(problem))}")
        if len(problems) > len(new):
            self.say(f"[yellow]{len(problems) - len(new)} earlier problem(s) still stand[/]")
        self.shown = set(problems)


def forget_loaded_data() -> None:
    """Language data is read once per process (functools caches, the cache key's code version):
    after it changed, every module reads it again."""
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "dossier" or name.startswith("dossier.")):
            continue
        for value in list(vars(module).values()):
            if getattr(value, "__module__", None) == name and callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


# --- where an error happened ----------------------------------------------------------------------

_FRAME = re.compile(r'File "([^"]+)", line (\d+)')


def describe(error: BaseException, templates: Path) -> str:
    """The error with the template (else our code's file) and line where it happened."""
    where = _location(error, templates)
    prefix = f"{where[0]}:{where[1]}: " if where and where[1] else f"{where[0]}: " if where else ""
    return f"{prefix}{type(error).__name__}: {error}"


def _location(error: BaseException, templates: Path) -> tuple[str, int | None] | None:
    filename = getattr(error, "filename", None)  # Jinja syntax errors, OSError
    if filename:
        return str(filename), getattr(error, "lineno", None)
    frames = _frames(error)
    for folder in (templates, PACKAGE_DIR):
        inside = [frame for frame in frames if _is_inside(frame[0], folder)]
        if inside:
            return inside[-1]
    return None


def _frames(error: BaseException) -> list[tuple[str, int | None]]:
    """(file, line) from outermost to innermost, including a forked render worker's traceback."""
    frames: list[tuple[str, int | None]] = [
        (frame.filename, frame.lineno) for frame in traceback.extract_tb(error.__traceback__)
    ]
    remote = getattr(error.__cause__, "tb", None)  # multiprocessing's RemoteTraceback text
    if isinstance(remote, str):
        frames += [(file, int(line)) for file, line in _FRAME.findall(remote)]
    return frames


def _in_templates(error: BaseException, templates: Path) -> bool:
    where = _location(error, templates)
    return where is not None and _is_inside(where[0], templates)


def _is_inside(filename: str, folder: Path) -> bool:
    try:
        return Path(filename).resolve().is_relative_to(folder.resolve())
    except (OSError, ValueError):
        return False


# --- watching -------------------------------------------------------------------------------------


def _ignorer(root: Path, out: Path) -> Callable[[str], bool]:
    """Hidden files (editors' swap and temporary files; the build ignores them too) and the
    output folder, should it be inside a watched one, change nothing that needs a rebuild."""
    try:
        out_parts = out.resolve().relative_to(root.resolve()).parts
    except ValueError:
        out_parts = ()  # the usual case: the output folder is elsewhere
    start = len(str(root))  # the watcher's paths are the watched folder's path joined with more

    def ignore(path: str) -> bool:
        parts = [part for part in path[start:].split(os.sep) if part]
        return any(part.startswith(".") for part in parts) or (
            bool(out_parts) and tuple(parts[: len(out_parts)]) == out_parts
        )

    return ignore


class SiteWatcher(Watcher):
    """livereload's polling watcher, looking more often (less with many files), rebuilding once
    per look.

    The reload is sent here, after the rebuild: livereload's own would go out before the
    rebuild ends with a delay, and it drops reloads less than 3 s after the previous one."""

    def __init__(self, preview: Preview) -> None:
        super().__init__()
        self.preview = preview
        self.periodic: PeriodicCallback | None = None

    def start(self, callback: Callable[[], None]) -> bool:
        self.periodic = PeriodicCallback(callback, POLL_SECONDS * 1000)
        self.periodic.start()
        return True  # livereload starts no polling of its own

    def examine(self) -> tuple[str | None, float | None]:
        self._changes.clear()  # livereload's reload after a restart: there are no restarts here
        started = time.perf_counter()
        super().examine()  # runs the watch callbacks, which note what changed
        if self.periodic is not None:  # a look costs a stat per file: with many, look less often
            self.periodic.callback_time = max(POLL_SECONDS, 10 * (time.perf_counter() - started)) * 1000
        if self.preview.rebuild_pending():
            LiveReloadHandler.reload_waiters("*")  # "*": a full page reload, never CSS-only
        return None, None  # nothing for livereload to send

    def is_folder_changed(self, path: str, ignore: Callable[[str], bool] | None = None) -> bool:
        # Every file is looked at (livereload stops at the first change), so that files changed
        # together, e.g. by a git checkout, make one rebuild instead of one each. Symlinked
        # folders are not followed (livereload does): the build does not read them either, and
        # one pointing at "/" or at itself would be walked at every look.
        changed = False
        for root, dirs, files in os.walk(path):
            dirs[:] = [name for name in dirs if name not in self.ignored_dirs]
            for name in files:
                changed = self.is_file_changed(os.path.join(root, name), ignore) or changed
        return changed


# --- serving --------------------------------------------------------------------------------------


class PreviewServer(Server):
    """livereload's server with our handler in place of its static files, built once the
    port is ours."""

    def __init__(self, preview: Preview, open_browser: bool) -> None:
        super().__init__(watcher=SiteWatcher(preview))
        self.preview, self.open_browser = preview, open_browser

    def application(self, port: int, host: str, *args: object, **kwargs: object) -> None:
        try:
            super().application(port, host, *args, **kwargs)
        except OSError as error:
            raise PortUnavailable(_bind_message(error, host, port)) from None
        # The first build runs on the server's loop: run before it starts, Pagefind's own
        # asyncio.run would leave a new current loop behind and the port on an unstarted one.
        IOLoop.current().add_callback(self._first_build, host, port)

    def _first_build(self, host: str, port: int) -> None:
        self.preview.rebuild()
        self.preview.address = f"http://{f'[{host}]' if ':' in host else host}:{port}"
        url = self.preview.address + self.preview.state.prefix
        self.preview.say(f"[green]serving[/] {url} (Ctrl-C stops)")
        if self.open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

    def get_web_handlers(self, script: bytes) -> list:
        return [(r"/.*", SiteHandler, {"out": self.preview.options.out.resolve(), "preview": self.preview})]

    def _setup_logging(self) -> None:
        # livereload and tornado log every task, connection and 404 at INFO/WARNING; the
        # terminal shows builds, problems and missing pages, printed by us.
        import logging

        logging.getLogger("livereload").setLevel(logging.WARNING)
        logging.getLogger("tornado.access").setLevel(logging.ERROR + 1)


def _bind_message(error: OSError, host: str, port: int) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is already in use (another preview?); try --port {port + 1}"
    if error.errno == errno.EACCES:
        return f"not allowed to listen on port {port}; try a port above 1023, e.g. --port 8000"
    return f"cannot listen on {host}:{port}: {error.strerror or error}"


class SiteHandler(web.RequestHandler):
    def initialize(self, out: Path, preview: Preview) -> None:
        self.out, self.preview, self.state = out, preview, preview.state

    def get(self) -> None:
        path, prefix = self.request.path, self.state.prefix
        if prefix != "/" and path in ("", "/", prefix.rstrip("/")):
            self.redirect(prefix)
            return
        parts = _parts(path, prefix)
        file = self._file_for(parts)
        if file is not None and file.is_dir():
            self.redirect(prefix + "".join(f"{quote(part)}/" for part in parts))  # as static hosts do
            return
        if self.state.error and (file is None or file.suffix == ".html"):
            self._send(500, error_page(self.state.error, self.state.problems).encode("utf-8"), "text/html")
            return
        if file is None:
            self._not_found(path)
            return
        self._send(200, file.read_bytes(), mimetypes.guess_type(file.name)[0] or "application/octet-stream")

    head = get  # tornado sends only the headers for HEAD

    def _file_for(self, parts: list[str] | None) -> Path | None:
        """The output file for a URL, its folder if the URL lacks the trailing slash, or None."""
        if parts is None:
            return None
        candidate = self.out.joinpath(*parts).resolve()
        if not candidate.is_relative_to(self.out):
            return None
        if candidate.is_dir():
            index = candidate / "index.html"
            if not index.is_file():
                return None
            return candidate if parts and not self.request.path.endswith("/") else index
        return candidate if candidate.is_file() else None

    def _not_found(self, path: str) -> None:
        if not path.endswith("favicon.ico"):  # asked by browsers on their own; the site has its icon
            self.preview.say(f"[dim]not found: {escape(path)}[/]")
        missing = self.out / "404.html"
        self._send(404, missing.read_bytes() if missing.is_file() else b"Not found", "text/html")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        if content_type == "text/html" and self.state.problems and not self.state.error:
            body = _with_banner(body, self.state.problems)
        self.set_status(status)
        charset = "; charset=utf-8" if content_type.startswith("text/") else ""
        self.set_header("Content-Type", content_type + charset)
        self.set_header("Cache-Control", "no-store")  # a reload must show the rebuilt file
        self.finish(body)


def _parts(url_path: str, prefix: str) -> list[str] | None:
    """The URL path below the site's prefix as path segments, or None when it is not below it
    or would leave the output folder ("..", also percent-encoded; absolute; backslashes)."""
    if not url_path.startswith(prefix):
        return None
    parts = unquote(url_path[len(prefix) :]).split("/")  # decoded first: "%2f" separates too
    if any(part in ("..", ".") or "\\" in part or "\0" in part for part in parts):
        return None
    return [part for part in parts if part]  # "//etc/passwd" is "etc/passwd" in the output folder


def _with_banner(page: bytes, problems: list[Problem]) -> bytes:
    banner = (
        f'<div id="{BANNER_ID}" role="alert" style="background:#fff3cd;color:#3d2c00;padding:.75rem 1rem;'
        "border-bottom:2px solid #c9a227;font:14px/1.4 system-ui,sans-serif;max-height:40vh;"
        f'overflow:auto"><strong>Preview: {len(problems)} problem(s) in the content</strong>'
        f"{_problem_list(problems)}</div>"
    ).encode()
    start = page.find(b"<body")
    end = page.find(b">", start) + 1 if start >= 0 else 0
    return page[:end] + banner + page[end:]


def _problem_list(problems: list[Problem]) -> str:
    items = "".join(
        f"<li>{problem.severity}: {html.escape(str(problem))}</li>" for problem in problems[:SHOWN_PROBLEMS]
    )
    more = f"<li>… and {len(problems) - SHOWN_PROBLEMS} more (see the terminal)</li>"
    return f"<ul>{items}{more if len(problems) > SHOWN_PROBLEMS else ''}</ul>" if problems else ""


def error_page(error: str, problems: list[Problem]) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Build failed · Dossier preview</title>"
        '</head><body style="font:15px/1.5 system-ui,sans-serif;margin:2rem;max-width:60rem">'
        f'<div id="{BANNER_ID}" role="alert"><h1>The build failed</h1><pre style="white-space:pre-wrap;'
        f'background:#fde8e8;color:#3d0000;padding:1rem;border-radius:6px">{html.escape(error)}</pre>'
        f"{_problem_list(problems)}"
        "<p>Fix it and save: the preview rebuilds and reloads by itself.</p></div></body></html>"
    )
