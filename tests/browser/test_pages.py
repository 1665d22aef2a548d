"""Every page type loads without a console error, an uncaught exception or a failed request,
at the root and under a sub-path."""

from __future__ import annotations

import pytest

from tests.browser.helpers import PAGE_TYPES, load


@pytest.mark.parametrize("variant", ["root", "sub-path"])
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_no_console_errors_or_failed_requests(request, open_page, pages, kind: str, variant: str) -> None:
    server = request.getfixturevalue("server" if variant == "root" else "sub_server")
    page, watch = open_page()
    url = server.url(pages[kind])
    response = load(page, url, idle=True)  # late requests count too
    assert response is not None
    assert response.status == (404 if kind == "404" else 200)
    assert watch.errors(not_found=url if kind == "404" else None) == [], url
    assert page.locator("h1").count() == 1
