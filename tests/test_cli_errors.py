"""`python build.py` interrupted with Ctrl-C: one line on stderr, exit status 130, no traceback,
and the previous output folder exactly as it was (write.py discards the staged site)."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SITE_YAML = "title: Test dossier\nbase_url: https://example.org/dossier/\nlanguage: en\nlanguages: [en, de]\n"
BODY = (
    "The government in Berlin said on Monday that the operators of the mobile networks may keep using "
    "the equipment of the Chinese supplier for now, while the security agency reviews it.\n\n"
    "Officials in Paris answered that France would decide on its own rules for the networks later "
    "this year, after a long consultation with the companies and the regulators of the sector.\n"
)
# The 404 page never finishes rendering: a build with these templates can only be interrupted.
ENDLESS = "{% for i in range(10**10) %}{% endfor %}"


def write_articles(content: Path, count: int, first: int = 0) -> None:
    for number in range(first, first + count):
        path = content / "articles" / f"article-{number:04d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: Article number {number}\ndate: 2020-02-03\n---\n{BODY}", "utf-8")


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        if path.is_file()
        else "dir"
        for path in sorted(folder.rglob("*"))
    }


def leftovers(out: Path) -> list[str]:
    return [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}-")]


def build_command(content: Path, out: Path, *flags: str) -> list[str]:
    build = [str(PROJECT / "build.py"), "--content", str(content), "--out", str(out), *flags]
    return [sys.executable, "-X", "faulthandler", *build]


@pytest.fixture
def previous_site(tmp_path: Path) -> tuple[Path, Path, Path, dict[str, str]]:
    """(content, out, templates whose 404 page never ends, digest of out) after one good build."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yaml").write_text(SITE_YAML, "utf-8")
    write_articles(content, 2)
    out = tmp_path / "dist"
    result = subprocess.run(
        build_command(content, out, "--no-cache", "--no-search"),
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    templates = tmp_path / "templates"
    shutil.copytree(PROJECT / "site_templates", templates)
    page = templates / "404.html"
    page.write_text(page.read_text("utf-8").replace("{% endblock %}", ENDLESS + "{% endblock %}", 1))
    return content, out, templates, tree_digest(out)


def children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (the build's forked workers), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def interrupt_when(
    command: list[str],
    ready: Callable[[subprocess.Popen[str]], bool],
    whole_group: bool,
    env: dict[str, str] | None = None,
) -> tuple[int, str]:
    """Runs `command`, waits (polling, no fixed sleep) until `ready`, then sends SIGINT to the
    build, or to its whole process group as Ctrl-C in a terminal does; returns (status, stderr)."""
    process = subprocess.Popen(
        command,
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=whole_group,  # a group of its own, so the signal reaches no one else
    )
    try:
        deadline = time.monotonic() + 240
        while not ready(process):
            assert process.poll() is None, f"the build ended before it was interrupted: {process.stderr}"
            assert time.monotonic() < deadline, "the build never got to the point to interrupt"
            time.sleep(0.02)
        if whole_group:
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGINT)
        try:
            _, stderr = process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            workers = children(process.pid)
            process.send_signal(signal.SIGABRT)  # -X faulthandler: the stacks of its threads
            time.sleep(2)
            for worker in workers:  # they would hold stderr open
                os.kill(worker, signal.SIGKILL)
            process.kill()
            pytest.fail("the interrupted build did not end:\n" + process.communicate(timeout=30)[1][-8000:])
    finally:
        if process.poll() is None:
            for worker in children(process.pid):
                os.kill(worker, signal.SIGKILL)
            process.kill()
            process.wait()
    return process.returncode, stderr


def staged_page_written(out: Path) -> Callable[[subprocess.Popen[str]], bool]:
    """Is the build writing its staging folder `.<out>-new-*` (so in the middle of the write stage)?"""
    return lambda _: any((out.parent / name / "index.html").exists() for name in leftovers(out))


def assert_reported_once(status: int, stderr: str, out: Path) -> None:
    assert status == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert stderr.strip().splitlines() == [f"interrupted; {out} left as it was"]


def test_ctrl_c_mid_build_exits_130_with_one_line_and_keeps_the_previous_site(
    previous_site: tuple[Path, Path, Path, dict[str, str]],
) -> None:
    content, out, endless, digest = previous_site
    write_articles(content, 1, first=2)  # a new article: the build has pages to write
    command = build_command(content, out, "--templates", str(endless), "--no-cache", "--no-search", "--quiet")
    status, stderr = interrupt_when(command, staged_page_written(out), whole_group=False)
    assert_reported_once(status, stderr, out)
    assert tree_digest(out) == digest and not leftovers(out)


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="finds the build's workers in /proc")
def test_ctrl_c_in_a_terminal_stops_the_workers_without_a_traceback_each(
    previous_site: tuple[Path, Path, Path, dict[str, str]],
) -> None:
    """Ctrl-C reaches the forked workers too (they share the terminal's process group): each
    used to print a traceback of its own. Interrupted once the workers exist, in whichever stage."""
    content, out, endless, digest = previous_site
    write_articles(content, 250, first=2)  # enough to process and to render in worker processes
    command = build_command(content, out, "--templates", str(endless), "--no-cache", "--no-search", "--quiet")
    writing = staged_page_written(out)
    # Once every worker is forked: a signal that lands inside fork()'s own callbacks is swallowed
    # there ("Exception ignored in _releaseLock"), a CPython limit a real Ctrl-C rarely meets.
    workers = os.cpu_count() or 1
    status, stderr = interrupt_when(
        command,
        lambda process: (workers > 1 and len(children(process.pid)) >= workers) or writing(process),
        whole_group=True,
    )
    assert_reported_once(status, stderr, out)
    assert tree_digest(out) == digest and not leftovers(out)


def test_ctrl_c_before_the_first_build_reports_the_output_as_it_was(tmp_path: Path) -> None:
    """No previous site: the output folder is still not created."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yaml").write_text(SITE_YAML, "utf-8")
    write_articles(content, 2)
    templates = tmp_path / "templates"
    shutil.copytree(PROJECT / "site_templates", templates)
    page = templates / "404.html"
    page.write_text(page.read_text("utf-8").replace("{% endblock %}", ENDLESS + "{% endblock %}", 1))
    out = tmp_path / "dist"
    command = build_command(content, out, "--templates", str(templates), "--no-cache", "--no-search")
    status, stderr = interrupt_when(command, staged_page_written(out), whole_group=False)
    assert_reported_once(status, stderr, out)
    assert not out.exists() and not leftovers(out)


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="finds the build's workers in /proc")
def test_ctrl_c_while_pagefind_runs_stops_it_without_asyncio_noise(
    previous_site: tuple[Path, Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    """Interrupted in the search stage (a Pagefind that never answers stands in for a slow one)."""
    content, out, _, digest = previous_site
    write_articles(content, 1, first=2)
    binary, pidfile = tmp_path / "pagefind", tmp_path / "pagefind.pid"
    # It writes its pid once it has read the first request: asyncio has finished starting it.
    # (Ctrl-C within the milliseconds of the start makes asyncio reap the process twice and log
    # "Unknown child process", a race inside asyncio's subprocess transport.)
    binary.write_text(f"#!/bin/sh\nhead -c 1 > /dev/null\necho $$ > {pidfile}\nexec sleep 600\n")
    binary.chmod(0o755)
    command = build_command(content, out, "--no-cache", "--quiet")
    status, stderr = interrupt_when(
        command, lambda _: pidfile.is_file(), whole_group=True, env={"PAGEFIND_BINARY_PATH": str(binary)}
    )
    assert_reported_once(status, stderr, out)
    assert tree_digest(out) == digest and not leftovers(out)
    assert not is_running(int(pidfile.read_text()))


def is_running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
