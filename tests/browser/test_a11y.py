"""axe-core finds no serious or critical accessibility violation on any page type, in light and
dark colour schemes, also with search results open.

Violations already reported and not yet fixed are listed in KNOWN: the general tests leave out
exactly those (rule, element) pairs, and one strict-xfail test per known defect fails as soon as it
is fixed, so its entry gets removed; any other violation fails the general tests right away."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.browser.helpers import PAGE_TYPES, SEARCH_INPUT, load

BLOCKING = {"serious", "critical"}


@dataclass(frozen=True)
class Known:
    rule: str
    selector: str  # the violation's element matches or is inside this
    schemes: tuple[str, ...]
    reason: str


# Violations reported and not yet fixed: (rule, element) pairs the general tests leave out.
# Empty: the Pagefind input's label and its dark-scheme colours were fixed in site.js and style.css.
KNOWN: dict[str, Known] = {}


def violations(page, scheme: str, leave_out: tuple[str, ...] = tuple(KNOWN)) -> list[str]:
    """Serious and critical violations as readable lines, minus the known defects named in `leave_out`."""
    from axe_playwright_python.sync_playwright import Axe

    found = []
    for violation in Axe().run(page).response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"]:
            target = node["target"][-1]
            known = [
                name
                for name in leave_out
                if KNOWN[name].rule == violation["id"]
                and scheme in KNOWN[name].schemes
                and page.evaluate(
                    "([t, s]) => !!document.querySelector(t)?.closest(s)", [target, KNOWN[name].selector]
                )
            ]
            if not known:
                summary = node.get("failureSummary", "").replace("\n", " ")
                found.append(f"{violation['id']} ({violation['impact']}) at {target}: {summary}")
    return found


def _with_results(page) -> None:
    page.locator(SEARCH_INPUT).fill("Huawei")
    page.locator(".pagefind-ui__result-link").first.wait_for()
    page.wait_for_function("() => !document.querySelector('#search .pagefind-ui__loading')")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_no_serious_axe_violations(open_page, server, pages, kind: str, scheme: str) -> None:
    page, _ = open_page(color_scheme=scheme)
    load(page, server.url(pages[kind]))
    assert violations(page, scheme) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_axe_violations_with_search_results(open_page, server, scheme: str) -> None:
    page, _ = open_page(color_scheme=scheme)
    load(page, server.url())
    _with_results(page)
    assert violations(page, scheme) == []


def _contrast(foreground: tuple[float, ...], background: tuple[float, ...]) -> float:
    def luminance(rgb: tuple[float, ...]) -> float:
        def channel(c: float) -> float:
            c /= 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in rgb[:3])
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_placeholder_is_legible(open_page, server, scheme: str) -> None:
    """WCAG 1.4.3 covers placeholder text too: 4.5:1 at least, opacity included."""
    page, _ = open_page(color_scheme=scheme)
    load(page, server.url())
    colours = page.locator(SEARCH_INPUT).evaluate(
        """input => {
             const rgba = (c) => c.match(/[\\d.]+/g).map(Number);
             const placeholder = getComputedStyle(input, '::placeholder');
             let back = input, background = rgba(getComputedStyle(back).backgroundColor);
             while (background.length > 3 && background[3] === 0 && back.parentElement) {
               back = back.parentElement;
               background = rgba(getComputedStyle(back).backgroundColor);
             }
             const [r, g, b, a = 1] = rgba(placeholder.color);
             const alpha = a * Number(placeholder.opacity);
             return {text: [r, g, b], alpha: alpha, background: background.slice(0, 3)};
           }"""
    )
    alpha, text, background = colours["alpha"], colours["text"], colours["background"]
    seen = tuple(alpha * t + (1 - alpha) * b for t, b in zip(text, background, strict=True))
    assert _contrast(seen, tuple(background)) >= 4.5, f"placeholder {colours}"
