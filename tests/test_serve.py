"""serve: the preview server in a subprocess — live rebuilds, errors shown and recovered from,
sub-path serving, traversal refused, and no live-reload script in what a plain build writes."""

from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
DEADLINE = 60.0  # seconds to wait for a rebuild on a busy machine; polling ends as soon as it is seen


@dataclass
class Preview:
    port: int
    content: Path
    templates: Path
    out: Path
    process: subprocess.Popen

    def get(self, path: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path)  # the raw path: no client-side normalisation of "../"
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def wait_for(self, path: str, condition: Callable[[int, str], bool]) -> tuple[int, str]:
        end = time.monotonic() + DEADLINE
        while True:
            try:
                status, body = self.get(path)
                if condition(status, body):
                    return status, body
            except OSError:
                pass
            if time.monotonic() > end or self.process.poll() is not None:
                raise AssertionError(
                    f"{path}: condition not met (server running: {self.process.poll() is None})"
                )
            time.sleep(0.3)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(tmp_path: Path, *extra: str, port: int | None = None) -> Preview:
    content, templates = tmp_path / "content", tmp_path / "templates"
    if not content.exists():
        shutil.copytree(PROJECT / "content", content)
        shutil.copytree(PROJECT / "site_templates", templates)
    port = port or free_port()
    command = [
        sys.executable,
        str(PROJECT / "build.py"),
        "serve",
        "--content",
        str(content),
        "--templates",
        str(templates),
        "--out",
        str(tmp_path / "dist"),
        "--cache-dir",
        str(tmp_path / "cache"),
        "--port",
        str(port),
        *extra,
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return Preview(port, content, templates, tmp_path / "dist", process)


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    server = start(tmp_path)
    try:
        server.wait_for("/index.html", lambda status, _: status == 200)
        yield server
    finally:
        server.process.terminate()
        server.process.wait(timeout=20)


def _article(preview: Preview, name: str) -> Path:
    return next((preview.content / "articles").glob(f"{name}*"))


def test_a_changed_article_is_served_after_the_rebuild(preview: Preview) -> None:
    status, home = preview.get("/index.html")
    assert status == 200 and "livereload" in home  # injected on the way out
    article = _article(preview, "003")
    text = article.read_text("utf-8").replace("Moraalboost", "Een nieuwe tussenkop")
    article.write_text(text, "utf-8")
    path = "/articles/5g-techniek-huawei-krijgt-voet-aan-de-grond-in-rusland/index.html"
    preview.wait_for(path, lambda status, body: status == 200 and "Een nieuwe tussenkop" in body)


def test_broken_front_matter_is_shown_and_recovered_from(preview: Preview) -> None:
    article = _article(preview, "000")
    original = article.read_text("utf-8")
    article.write_text("---\ntitle: [unclosed\n---\n" + original, "utf-8")
    _, page = preview.wait_for("/index.html", lambda status, body: "dossier-preview-problems" in body)
    assert "000_cbf5fd48f6c0ee20.txt:2" in page  # file and line
    status, other = preview.get("/countries/index.html")
    assert status == 200 and "Timeline by country" in other  # the rest still serves
    article.write_text(original, "utf-8")
    preview.wait_for(
        "/index.html", lambda status, body: status == 200 and "dossier-preview-problems" not in body
    )


def test_broken_template_shows_an_error_page_until_fixed(preview: Preview) -> None:
    template = preview.templates / "home.html"
    original = template.read_text("utf-8")
    template.write_text(original.replace("{% endblock %}", "{% if %}{% endblock %}", 1), "utf-8")
    _, page = preview.wait_for("/index.html", lambda status, body: status == 500)
    assert "The build failed" in page and "home.html" in page
    assert preview.get("/assets/style.css")[0] == 200  # the previous site is still there
    template.write_text(original, "utf-8")
    preview.wait_for("/index.html", lambda status, body: status == 200 and "The build failed" not in body)


@pytest.mark.parametrize(
    "path",
    [
        "/../pyproject.toml",
        "/%2e%2e/pyproject.toml",
        "/..%2fpyproject.toml",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/articles/../../build.py",
    ],
)
def test_only_the_output_folder_is_served(preview: Preview, path: str) -> None:
    status, body = preview.get(path)
    assert status == 404 and "[project]" not in body and "root:" not in body


def test_served_under_the_base_url_path(tmp_path: Path) -> None:
    server = start(tmp_path, "--base-url", "https://example.org/some/path/")
    try:
        _, page = server.wait_for("/some/path/index.html", lambda status, _: status == 200)
        assert 'href="assets/style.css"' in page
        assert server.get("/some/path/assets/style.css")[0] == 200
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request("GET", "/")
        response = connection.getresponse()
        assert response.status in (301, 302) and response.getheader("Location") == "/some/path/"
    finally:
        server.process.terminate()
        server.process.wait(timeout=20)


def test_a_taken_port_gives_a_message_not_a_traceback(preview: Preview, tmp_path: Path) -> None:
    second = start(tmp_path / "second", port=preview.port)
    output, _ = second.process.communicate(timeout=120)
    assert second.process.returncode == 1
    assert "already in use" in output and "Traceback" not in output


def test_a_plain_build_has_no_live_reload_script(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "--out", str(out), "--no-search", "--no-cache"],
        check=True,
        capture_output=True,
    )
    for page in out.rglob("*.html"):
        assert "livereload" not in page.read_text("utf-8"), page
