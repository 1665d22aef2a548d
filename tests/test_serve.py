"""serve: the preview server in a subprocess — live rebuilds and reloads, errors shown in the
browser and the terminal and recovered from, language data changes, sub-path serving,
traversal refused, a taken port, Ctrl-C, and no live-reload script in what a plain build writes.

Every server runs on a copy of content/ and site_templates/ with its output and cache in a
temporary folder: nothing in the repository is touched."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

PROJECT = Path(__file__).resolve().parents[1]
DEADLINE = 90.0  # seconds to wait for a build on a busy machine; polling ends as soon as it is seen
T = TypeVar("T")
ARTICLE_003 = "/articles/5g-techniek-huawei-krijgt-voet-aan-de-grond-in-rusland/"


@dataclass
class Preview:
    port: int
    content: Path
    templates: Path
    log_file: Path
    process: subprocess.Popen

    def request(self, path: str, method: str = "GET") -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request(method, path)  # the raw path: no client-side normalisation of "../"
        response = connection.getresponse()
        response.read()  # kept on the response by http.client; the connection can go
        connection.close()
        return response

    def get(self, path: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def log(self) -> str:
        return self.log_file.read_text("utf-8", "replace")

    def wait_for(self, path: str, condition: Callable[[int, str], bool]) -> tuple[int, str]:
        def attempt() -> tuple[int, str] | None:
            try:
                status, body = self.get(path)
            except OSError:
                return None
            return (status, body) if condition(status, body) else None

        return self.poll(attempt, f"{path}: condition not met")

    def wait_for_log(self, text: str) -> None:
        self.poll(lambda: text in self.log() or None, f"{text!r} not in the terminal output")

    def poll(self, attempt: Callable[[], T | None], failure: str) -> T:
        end = time.monotonic() + DEADLINE
        while True:
            result = attempt()
            if result is not None:
                return result
            if time.monotonic() > end or self.process.poll() is not None:
                running = self.process.poll() is None
                raise AssertionError(f"{failure} (server running: {running})\n{self.log()}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The country matcher's cache (by default in the project's .dossier-cache/): a temporary
# folder shared by this module's servers and builds (see `country_cache`).
ENV = dict(os.environ)


@pytest.fixture(scope="module", autouse=True)
def country_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    ENV["DOSSIER_CACHE_DIR"] = str(tmp_path_factory.mktemp("country-cache"))


def start(tmp_path: Path, *extra: str, port: int | None = None, package: Path | None = None) -> Preview:
    """`build.py serve` on copies of the content and templates; `package`: a folder holding a
    copy of the dossier package to run instead of the repository's."""
    content, templates = tmp_path / "content", tmp_path / "templates"
    if not content.exists():
        shutil.copytree(PROJECT / "content", content)
        shutil.copytree(PROJECT / "site_templates", templates)
    port = port or free_port()
    program = [str(PROJECT / "build.py")]
    if package is not None:  # -c puts the working folder, the copy's, first on sys.path
        program = ["-c", "import sys; from dossier.cli import main; sys.exit(main(sys.argv[1:]))"]
    command = [sys.executable, *program, "serve", "--port", str(port), "--content", str(content)]
    command += ["--templates", str(templates), "--out", str(tmp_path / "dist")]
    command += ["--cache-dir", str(tmp_path / "cache"), *extra]
    log_file = tmp_path / "terminal.log"
    with log_file.open("w") as log:  # a file, not a pipe: a pipe nobody reads would fill and block
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=package, env=ENV)
    return Preview(port, content, templates, log_file, process)


def started(server: Preview, ready: str = "/index.html") -> Preview:
    try:
        server.wait_for(ready, lambda status, _: status == 200)
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    server = start(tmp_path)
    try:
        yield started(server)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def shared_preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """One server for the tests that only read."""
    server = start(tmp_path_factory.mktemp("shared"))
    try:
        yield started(server)
    finally:
        server.stop()


def _article(preview: Preview, name: str) -> Path:
    return next((preview.content / "articles").glob(f"{name}*"))


def _edit(path: Path, old: str, new: str) -> str:
    original = path.read_text("utf-8")
    assert old in original
    path.write_text(original.replace(old, new), "utf-8")
    return original


def test_a_changed_article_is_served_after_the_rebuild(preview: Preview) -> None:
    status, home = preview.get("/index.html")
    assert status == 200 and "livereload.js" in home  # injected on the way out
    _edit(_article(preview, "003"), "Moraalboost", "Een nieuwe tussenkop")
    preview.wait_for(ARTICLE_003, lambda status, body: status == 200 and "Een nieuwe tussenkop" in body)
    preview.wait_for_log("1 processed")  # only the changed article went through the pipeline again


def test_browsers_are_told_to_reload_after_each_rebuild(preview: Preview) -> None:
    """Two saves in quick succession give two reloads, each once its rebuild is served."""
    messages = asyncio.run(_reloads_after_edits(preview, ["Tweede tussenkop", "Derde tussenkop"]))
    assert [message["command"] for message in messages] == ["reload", "reload"]


async def _reloads_after_edits(preview: Preview, headings: list[str]) -> list[dict]:
    from tornado.websocket import websocket_connect

    socket_ = await websocket_connect(f"ws://127.0.0.1:{preview.port}/livereload")
    await socket_.write_message(json.dumps({"command": "hello", "protocols": []}))
    assert json.loads(await socket_.read_message())["command"] == "hello"
    await socket_.write_message(json.dumps({"command": "info", "url": "http://127.0.0.1/"}))
    await asyncio.sleep(0.5)  # the server registers the browser
    messages, old = [], "Moraalboost"
    for heading in headings:
        _edit(_article(preview, "003"), old, heading)
        message = json.loads(await asyncio.wait_for(socket_.read_message(), DEADLINE))
        status, body = preview.get(ARTICLE_003)  # what the reloading browser asks for
        assert status == 200 and heading in body
        messages.append(message)
        old = heading
    socket_.close()
    return messages


def test_broken_front_matter_is_shown_and_recovered_from(preview: Preview) -> None:
    article = _article(preview, "000")
    original = article.read_text("utf-8")
    article.write_text("---\ntitle: [unclosed\n---\n" + original, "utf-8")
    _, page = preview.wait_for("/index.html", lambda status, body: "dossier-preview-problems" in body)
    assert f"{article.name}:2" in page  # file and line, in the browser
    preview.wait_for_log(f"warning: articles/{article.name}:2")  # and in the terminal
    status, other = preview.get("/countries/")
    assert status == 200 and "dossier-preview-problems" in other and "<h1" in other  # the rest serves
    article.write_text(original, "utf-8")
    preview.wait_for(
        "/index.html", lambda status, body: status == 200 and "dossier-preview-problems" not in body
    )


def test_broken_template_shows_an_error_page_until_fixed(preview: Preview) -> None:
    template = preview.templates / "home.html"
    original = _edit(template, "{% endblock %}", "{% if %}{% endblock %}")
    line = original[: original.index("{% endblock %}")].count("\n") + 1
    _, page = preview.wait_for("/index.html", lambda status, body: status == 500)
    assert "The build failed" in page and f"home.html:{line}" in page
    assert "livereload.js" in page  # so that the fix reloads it
    preview.wait_for_log("build failed")
    assert f"home.html:{line}" in preview.log() and "Traceback" not in preview.log()
    assert preview.get("/assets/style.css")[0] == 200  # the previous site is still there
    template.write_text(original, "utf-8")
    preview.wait_for("/index.html", lambda status, body: status == 200 and "The build failed" not in body)


def test_a_change_to_the_language_data_is_used(tmp_path: Path) -> None:
    """The data is read once per process; a change to it must reach the running preview."""
    package = tmp_path / "package"
    shutil.copytree(PROJECT / "dossier", package / "dossier", ignore=shutil.ignore_patterns("__pycache__"))
    server = start(tmp_path / "site", package=package)
    try:
        started(server)
        assert server.get("/countries/mn/")[0] == 404
        # Article 003 has the heading "Moraalboost": make it a Dutch name of Mongolia.
        _edit(package / "dossier/data/countries/nl.yaml", "\nnames:\n", "\nnames:\n  MN: [Moraalboost]\n")
        server.wait_for("/countries/mn/", lambda status, body: status == 200 and "Huawei" in body)
    finally:
        server.stop()


@pytest.mark.parametrize(
    "path",
    [
        "/../pyproject.toml",
        "/%2e%2e/pyproject.toml",
        "/..%2fpyproject.toml",
        "/%2E%2E%2Fpyproject.toml",
        "/articles/../../build.py",
        "/..%5cpyproject.toml",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        f"/{PROJECT}/pyproject.toml",
    ],
)
def test_only_the_output_folder_is_served(shared_preview: Preview, path: str) -> None:
    status, body = shared_preview.get(path)
    assert status == 404 and "[project]" not in body and "root:" not in body


def test_pages_folders_and_head_requests(shared_preview: Preview) -> None:
    assert shared_preview.get("/")[0] == 200
    folder = shared_preview.request(ARTICLE_003.rstrip("/"))
    assert folder.status in (301, 302) and folder.getheader("Location") == ARTICLE_003  # as static hosts
    head = shared_preview.request("/index.html", method="HEAD")
    assert head.status == 200 and head.getheader("Content-Type") == "text/html; charset=utf-8"
    status, body = shared_preview.get("/no/such/page/")
    assert status == 404 and "livereload.js" in body  # the site's own 404 page


def test_served_under_the_base_url_path(tmp_path: Path) -> None:
    server = start(tmp_path, "--base-url", "https://example.org/some/path/")
    try:
        _, page = started(server, "/some/path/index.html").get("/some/path/")
        assert 'href="assets/style.css"' in page
        assert server.get("/some/path/assets/style.css")[0] == 200
        assert server.get("/index.html")[0] == 404  # only under the path, as when published
        for path in ("/", "/some/path"):
            response = server.request(path)
            assert response.status in (301, 302) and response.getheader("Location") == "/some/path/"
    finally:
        server.stop()


def test_a_taken_port_gives_a_message_not_a_traceback(shared_preview: Preview, tmp_path: Path) -> None:
    second = start(tmp_path, port=shared_preview.port)
    assert second.process.wait(timeout=120) == 1
    output = second.log()
    assert f"port {shared_preview.port}" in output and "already in use" in output
    assert "Traceback" not in output


def test_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    server = started(start(tmp_path))
    try:
        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=30) == 0
        assert "stopped" in server.log() and "Traceback" not in server.log()
    finally:
        server.stop()


def test_a_plain_build_has_no_live_reload_script(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    command = [sys.executable, str(PROJECT / "build.py"), "--out", str(out), "--no-search", "--no-cache"]
    subprocess.run(command, check=True, capture_output=True, env=ENV)
    files = [path for path in out.rglob("*") if path.is_file()]
    assert any(path.name == "index.html" for path in files)
    for path in files:
        assert b"livereload" not in path.read_bytes(), path


# --- the helpers, in this process ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "prefix", "parts"),
    [
        ("/", "/", []),
        ("/articles/x/", "/", ["articles", "x"]),
        ("/some/path/assets/style.css", "/some/path/", ["assets", "style.css"]),
        ("//etc/passwd", "/", ["etc", "passwd"]),  # absolute paths stay inside the output folder
        ("/%E2%82%AC/", "/", ["€"]),
        ("/index.html", "/some/path/", None),  # outside the site's path
        ("/../x", "/", None),
        ("/a/%2e%2E/x", "/", None),
        ("/a%2f..%2fx", "/", None),
        ("/a%5c..%5cx", "/", None),
        ("/a%00", "/", None),
    ],
)
def test_url_paths_map_into_the_output_folder_only(url: str, prefix: str, parts: list[str] | None) -> None:
    from dossier.serve import _parts

    assert _parts(url, prefix) == parts


def test_a_template_error_names_the_template_and_line(tmp_path: Path) -> None:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from dossier.serve import describe

    (tmp_path / "page.html").write_text("<p>\n{{ article.missing }}\n</p>\n", "utf-8")
    environment = Environment(loader=FileSystemLoader(str(tmp_path)), undefined=StrictUndefined)
    with pytest.raises(Exception) as caught:
        environment.get_template("page.html").render(article={})
    assert describe(caught.value, tmp_path).startswith(f"{tmp_path / 'page.html'}:2: UndefinedError")


def test_problems_are_escaped_in_the_banner_and_the_error_page() -> None:
    from dossier.models import Problem
    from dossier.serve import _with_banner, error_page

    problems = [Problem("articles/<b>.txt", "title <script>alert(1)</script>", 3)]
    page = _with_banner(b"<html><head></head><body class='x'><main>Site</main></body></html>", problems)
    assert b"<body class='x'><div id=\"dossier-preview-problems\"" in page
    assert b"<script>" not in page and b"articles/&lt;b&gt;.txt:3" in page
    assert "<script>" not in error_page("templates/x.html:2: <script>", problems)
