"""Pagefind gets a deadline: a hung binary is killed, the build fails with a message naming
Pagefind (no traceback) and the previous site stays in place."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dossier import search
from dossier.search import TIMEOUT_ENV, SearchIndexFailed, index_site, search_timeout

PROJECT = Path(__file__).resolve().parents[1]
SITE_YAML = "title: Test dossier\nbase_url: https://example.org/dossier/\nlanguage: en\nlanguages: [en, de]\n"
BODY = (
    "The government in Berlin said on Monday that the operators of the mobile networks may keep using "
    "the equipment of the Chinese supplier for now, while the security agency reviews it.\n"
)
# Stands in for a Pagefind that hangs: it answers nothing and ignores SIGTERM.
HUNG_BINARY = """#!/bin/sh
trap '' TERM
echo $$ > "$HUNG_PIDFILE"
exec sleep 600
"""


def test_the_deadline_grows_with_the_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TIMEOUT_ENV, raising=False)
    assert search_timeout(0) == 120
    assert search_timeout(1_000) == pytest.approx(140)
    assert search_timeout(30_000) == pytest.approx(720)


@pytest.mark.parametrize(("value", "seconds"), [("0.001", 0.001), (" 900 ", 900), ("", 122)])
def test_the_environment_variable_overrides_the_deadline(
    monkeypatch: pytest.MonkeyPatch, value: str, seconds: float
) -> None:
    monkeypatch.setenv(TIMEOUT_ENV, value)
    assert search_timeout(100) == pytest.approx(seconds)


@pytest.mark.parametrize("value", ["soon", "0", "-5", "nan", "inf"])
def test_a_deadline_that_is_not_a_positive_number_is_refused(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(TIMEOUT_ENV, value)
    with pytest.raises(SearchIndexFailed, match=TIMEOUT_ENV):
        search_timeout(10)


def _pages(folder: Path, count: int) -> Path:
    """A site of `count` article pages (where Pagefind looks) and a page it is not given."""
    for number in range(count):
        html = f'<html lang="en"><body data-pagefind-body><p>page {number} {BODY}</p></body></html>'
        (folder / f"articles/page-{number}").mkdir(parents=True)
        (folder / f"articles/page-{number}/index.html").write_text(html, "utf-8")
    (folder / "index.html").write_text(f'<html lang="en"><body><p>home {BODY}</p></body></html>', "utf-8")
    return folder


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.is_file() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")  # a zombie


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for Pagefind")
def test_a_hung_pagefind_is_killed_at_the_deadline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    binary = tmp_path / "pagefind"
    binary.write_text(HUNG_BINARY)
    binary.chmod(0o755)
    pidfile = tmp_path / "pid"
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(binary))
    monkeypatch.setenv("HUNG_PIDFILE", str(pidfile))
    monkeypatch.setenv(TIMEOUT_ENV, "1")
    site = _pages(tmp_path / "site", 3)
    started = time.monotonic()
    with pytest.raises(SearchIndexFailed, match=r"Pagefind did not finish .* of 3 pages within 1 s"):
        index_site(site)
    assert time.monotonic() - started < 1 + search.CLEANUP_S
    assert not _is_running(int(pidfile.read_text()))  # killed though it ignores SIGTERM
    assert not (site / search.SEARCH_FOLDER).exists()


def test_a_fast_pagefind_is_not_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TIMEOUT_ENV, raising=False)
    site = _pages(tmp_path / "site", 3)
    assert index_site(site) == 3
    assert (site / search.SEARCH_FOLDER / "pagefind-entry.json").is_file()


def _digest(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _build(content: Path, out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(PROJECT / "build.py"), "--content", str(content), "--out", str(out)]
    return subprocess.run(
        [*command, "--no-cache"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env},
    )


def test_a_search_index_past_its_deadline_fails_the_build_and_keeps_the_previous_site(
    tmp_path: Path,
) -> None:
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "site.yaml").write_text(SITE_YAML, "utf-8")
    (content / "articles" / "one.md").write_text(f"---\ntitle: One\ndate: 2020-02-03\n---\n{BODY}")
    out = tmp_path / "dist"
    first = _build(content, out)
    assert first.returncode == 0, first.stderr
    assert (out / search.SEARCH_FOLDER / "pagefind-entry.json").is_file()
    digest = _digest(out)

    (content / "articles" / "two.md").write_text(f"---\ntitle: Two\ndate: 2021-02-03\n---\n{BODY}")
    result = _build(content, out, **{TIMEOUT_ENV: "0.001"})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "error: Pagefind did not finish the search index" in result.stderr
    assert f"within 0.001 s and was stopped; set {TIMEOUT_ENV}" in result.stderr
    assert _digest(out) == digest
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".dist-")]
