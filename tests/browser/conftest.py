"""Browser fixtures: one Chromium per session, the real content/ built twice (at the root and
under a sub-path) and each served by a static server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dossier.pipeline import BuildOptions, BuildReport, build
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, StaticServer, Watch, site_pages

PROJECT = Path(__file__).resolve().parents[2]
SUB_PATH = "/some/path/"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test here is a browser test; without Chromium they are skipped before any build runs."""
    here = Path(__file__).parent
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing (apt-get install chromium; .ci/run does)")
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.is_file():
                item.add_marker(skip)


@pytest.fixture(scope="session")
def site(built_site: tuple[Path, BuildReport]) -> Path:
    """The real content/ built once with search (the shared `built_site`), served at the root."""
    return built_site[0]


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[StaticServer]:
    server = StaticServer(site).start()
    yield server
    server.close()


@pytest.fixture(scope="session")
def sub_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticServer]:
    """content/ built with `--base-url http://127.0.0.1:<port>/some/path/` and served under that path."""
    out = tmp_path_factory.mktemp("sub-site") / "dist"
    server = StaticServer(out, SUB_PATH)  # bound first: the build needs the port for its base URL
    options = BuildOptions(
        content=PROJECT / "content",
        out=out,
        templates=PROJECT / "site_templates",
        base_url=server.base,
        cache_dir=None,
    )
    build(options)
    server.start()
    yield server
    server.close()


@pytest.fixture(scope="session")
def pages(site: Path) -> dict[str, str]:
    """One page of each type (home, article, timeline, country, 404), relative to the site root."""
    return site_pages(site)


@pytest.fixture(scope="package")
def browser(server: StaticServer, sub_server: StaticServer) -> Iterator:
    """One Chromium for all browser tests. It starts after both builds and closes when the last
    browser test is done: Playwright's sync API keeps an asyncio loop running meanwhile, and the
    build's search indexing (asyncio.run) cannot run inside it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser) -> Iterator[Callable[..., tuple]]:
    """open_page(**context_options) → (page, watch): a fresh context (no cache, no cookies) per call."""
    contexts = []

    def open_(**options):
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)  # everything is local: fail fast instead of after 30 s
        contexts.append(context)
        page = context.new_page()
        return page, Watch().attach(page)

    yield open_
    for context in contexts:
        context.close()
