"""The Nu HTML Checker (vnu.jar, from npm's vnu-jar) finds no error in any page of either build:
one JVM run over every HTML file.

The jar is found through DOSSIER_VNU_JAR (set by .ci/run) or at VNU_JAR below. Without Java or
the jar the tests skip locally; in CI (CI or DOSSIER_VNU_JAR set) they fail instead."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from tests.browser.helpers import PAGE_TYPES, html_pages

VNU_JAR = Path("/tmp/dossier-vnu/node_modules/vnu-jar/build/dist/vnu.jar")  # where .ci/run installs it


def page_type(relative: str) -> str:
    parts = relative.split("/")
    if relative == "index.html":
        return "home"
    if relative == "404.html":
        return "404"
    if parts[0] == "countries":
        return "timeline" if len(parts) == 2 else "country"
    if parts[0] == "articles":
        return "article"
    return "other"


def _tools() -> tuple[str, Path]:
    enforced = bool(os.environ.get("CI") or os.environ.get("DOSSIER_VNU_JAR"))
    jar = Path(os.environ.get("DOSSIER_VNU_JAR") or VNU_JAR)
    java = shutil.which("java")
    missing = [what for what, ok in (("java", java), (f"vnu.jar at {jar}", jar.is_file())) if not ok]
    if missing:
        message = f"Nu HTML Checker needs {' and '.join(missing)} (npm install vnu-jar; .ci/run does)"
        if enforced:
            pytest.fail(message)
        pytest.skip(message)
    return java, jar


@pytest.fixture(scope="session")
def vnu_errors(site: Path, sub_server) -> dict[str, list[str]]:
    """Page type → 'file:line: message' for every error vnu reports, both builds in one run."""
    java, jar = _tools()
    roots = {"root": site, "sub-path": sub_server.folder}
    files = [page for folder in roots.values() for page in html_pages(folder)]
    run = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(run.stderr or run.stdout)
    errors = defaultdict(list)
    for message in report["messages"]:
        path = Path(message["url"].removeprefix("file:"))
        variant, folder = next((v, f) for v, f in roots.items() if f in path.parents)
        relative = path.relative_to(folder).as_posix()
        errors[page_type(relative)].append(
            (f"{variant} {relative}:{message.get('lastLine', '?')}", message["type"], message["message"])
        )
    return errors


@pytest.mark.parametrize("kind", [*PAGE_TYPES, "other"])
def test_no_html_errors(vnu_errors, kind: str) -> None:
    assert [f"{where}: {text}" for where, _, text in vnu_errors.get(kind, [])] == []
