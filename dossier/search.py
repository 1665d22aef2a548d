"""Full-text search with Pagefind, built from the written pages.

Runs on the staged site folder just before it is swapped in (see `write.write_site`),
so a site never goes live with a search index from another build. Pagefind reads each
page's `<html lang>` and builds one index per language; `data-pagefind-filter`
attributes in the templates give the country and language filters.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rich.console import Console

SEARCH_FOLDER = "pagefind"


def index_site(folder: Path) -> int:
    """Index every page in `folder` into `folder/pagefind/`; returns the number of pages indexed."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_index(folder))
    # Called from inside an event loop (the preview server's): Pagefind gets a loop of its own.
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, _index(folder)).result()


async def _index(folder: Path) -> int:
    from pagefind.index import IndexConfig, PagefindIndex

    # Only article pages carry data-pagefind-body, so only articles become search results.
    config = IndexConfig(keep_index_url=True, output_path=str(folder / SEARCH_FOLDER))
    async with PagefindIndex(config=config) as index:
        result = await index.add_directory(str(folder))
        return int(result.get("page_count", 0)) if isinstance(result, dict) else 0


def index_existing(out: Path, console: Console) -> int:
    """`build.py --search-only`: (re)index a site that was already built."""
    from dossier.write import MARKER

    if not (out / MARKER).is_file():
        console.print(f"[red]error:[/] {out} is not a site built by Dossier")
        return 1
    pages = index_site(out)
    console.print(f"[green]indexed[/] {pages} pages for search")
    return 0
