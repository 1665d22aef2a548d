"""Full-text search with Pagefind, built from the written pages.

Runs on the staged site folder just before it is swapped in (see `write.write_site`),
so a site never goes live with a search index from another build. Pagefind reads each
page's `<html lang>` and builds one index per language; `data-pagefind-filter`
attributes in the templates give the country and language filters.

Pagefind runs as a separate binary; if it hangs, the build would hang with it. So it gets
a deadline, generous and growing with the site (`search_timeout`), after which the binary
is killed and `SearchIndexFailed` raised: the staged site is discarded like any failed build.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from rich.console import Console

SEARCH_FOLDER = "pagefind"
# Only article pages carry data-pagefind-body (site_templates/article.html), so only they become
# results; Pagefind is given only them, not the country pages and timeline index (at 10,000
# articles 80 MB of HTML with nothing to index: 29 s → 16 s).
ARTICLE_PAGES = "articles/**/*.html"
TIMEOUT_ENV = "DOSSIER_SEARCH_TIMEOUT"  # seconds; overrides the deadline below
BASE_TIMEOUT_S = 120.0
TIMEOUT_PER_PAGE_S = 0.02  # Pagefind indexes about 1,000 pages in 3 s: this allows ~7x that
CLEANUP_S = 5.0  # how long a killed Pagefind gets to be reaped


class SearchIndexFailed(Exception):
    """Pagefind did not build the search index (it hung past its deadline)."""


def search_timeout(pages: int) -> float:
    """Seconds Pagefind may take for `pages` HTML files: `$DOSSIER_SEARCH_TIMEOUT`, else
    120 s + 20 ms per page."""
    value = os.environ.get(TIMEOUT_ENV, "").strip()
    if not value:
        return BASE_TIMEOUT_S + TIMEOUT_PER_PAGE_S * pages
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not (seconds > 0 and math.isfinite(seconds)):
        raise SearchIndexFailed(f"{TIMEOUT_ENV}={value!r} is not a positive number of seconds")
    return seconds


def index_site(folder: Path) -> int:
    """Index every page in `folder` into `folder/pagefind/`; returns the number of pages indexed.

    Raises SearchIndexFailed if Pagefind has not finished within `search_timeout`."""
    pages = sum(1 for _ in folder.glob(ARTICLE_PAGES))
    timeout = search_timeout(pages)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_index(folder, pages, timeout))
    # Called from inside an event loop (the preview server's): Pagefind gets a loop of its own.
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, _index(folder, pages, timeout)).result()


async def _index(folder: Path, pages: int, timeout: float) -> int:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(keep_index_url=True, output_path=str(folder / SEARCH_FOLDER))
    index = PagefindIndex(config=config)

    async def run() -> int:
        async with index:
            result = await index.add_directory(str(folder), glob=ARTICLE_PAGES)
            return int(result.get("page_count", 0)) if isinstance(result, dict) else 0

    task = asyncio.ensure_future(run())
    try:
        done, _ = await asyncio.wait({task}, timeout=timeout)
    except asyncio.CancelledError:  # Ctrl-C: asyncio.run cancels us, then raises KeyboardInterrupt
        await _stop(index, task)
        raise
    if task in done:
        return task.result()
    await _stop(index, task)
    raise SearchIndexFailed(
        f"Pagefind did not finish the search index of {pages} pages within {timeout:g} s and was "
        f"stopped; set {TIMEOUT_ENV} (seconds) to allow it longer, or build with --no-search"
    )


async def _stop(index: Any, task: asyncio.Future[int]) -> None:
    """Kill the Pagefind binary and end `task` (past the deadline, or on Ctrl-C). The pagefind
    package's own shutdown would wait 5 s for the answers the binary owes and then only ask it
    to terminate, so its process and reader task (private attributes; skipped if they are
    missing) are ended here, and the process reaped before the event loop closes."""
    service = getattr(index, "_service", None)
    backend = getattr(service, "_backend", None)
    reader = getattr(service, "_poll_task", None)
    waits: list[asyncio.Future[Any]] = [task]
    if isinstance(reader, asyncio.Task):
        reader.cancel()
        waits.append(reader)
    if isinstance(backend, asyncio.subprocess.Process):
        if backend.returncode is None:
            # os.kill, not backend.kill(): Popen.kill first polls, and so reaps a process that
            # has just died (of the same Ctrl-C) behind asyncio's back ("Unknown child process").
            # Until asyncio's watcher reaps it, its pid cannot be reused.
            with contextlib.suppress(ProcessLookupError):
                os.kill(backend.pid, signal.SIGKILL)
        waits.append(asyncio.ensure_future(backend.wait()))
    task.cancel()
    await asyncio.wait(waits, timeout=CLEANUP_S)
    for future in waits:  # retrieve what they raised, so asyncio does not log it later
        if future.done() and not future.cancelled():
            future.exception()


def index_existing(out: Path, console: Console) -> int:
    """`build.py --search-only`: (re)index a site that was already built."""
    from dossier.write import MARKER

    if not (out / MARKER).is_file():
        console.print(f"[red]error:[/] {out} is not a site built by Dossier")
        return 1
    pages = index_site(out)
    console.print(f"[green]indexed[/] {pages} pages for search")
    return 0
