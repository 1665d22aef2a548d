"""The site's settings, from `content/site.yaml`.

Bad settings never stop a build: an unknown key, a value of the wrong type or an unusable
one (a `base_url` that is not http(s), a language that is not a code) is reported with its
line and the default is used; a site.yaml that cannot be read or parsed gives all defaults.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from dossier import load
from dossier.links import is_linkable_url
from dossier.models import Problem, SiteConfig

SITE_FILE = "site.yaml"
KNOWN_KEYS = {"title", "description", "base_url", "language", "languages"}
DEFAULT_TITLE = "Dossier"
DEFAULT_LANGUAGE = "en"


def load_site_config(content: Path, base_url_override: str | None = None) -> tuple[SiteConfig, list[Problem]]:
    nodes, lines, problems = _read(content / SITE_FILE)
    settings = _Settings(nodes, lines, problems)
    base_url = normalise_base_url(base_url_override or settings.text("base_url"))
    if (base_url_override or settings.text("base_url")) and not base_url:
        where = "--base-url" if base_url_override else SITE_FILE
        message = "base_url must be an http(s) URL such as https://example.org/dossier/; none used"
        problems.append(Problem(where, message, None if base_url_override else lines.get("base_url")))
    site = SiteConfig(
        title=settings.text("title") or DEFAULT_TITLE,
        description=settings.text("description"),
        base_url=base_url,
        language=(settings.language_codes("language", single=True) or [DEFAULT_LANGUAGE])[0],
        languages=settings.language_codes("languages", single=False),
    )
    return site, sorted(problems, key=lambda problem: problem.line or 0)


def _read(path: Path) -> tuple[dict[str, yaml.Node], dict[str, int], list[Problem]]:
    """site.yaml's entries (key → YAML node), key → line, and what was wrong with it."""
    if not path.exists():
        return {}, {}, []
    data, problem = load.read_content(path, SITE_FILE)
    text, decode_problem = load.decode(SITE_FILE, data) if data is not None else (None, problem)
    problems = [p for p in (decode_problem,) if p]
    if text is None:
        return {}, {}, [*problems, Problem(SITE_FILE, "cannot be used; defaults used")]
    nodes, lines, more = load.parse_mapping(SITE_FILE, text, first_line=1)
    problems += more
    if nodes is None:
        return {}, {}, problems or [Problem(SITE_FILE, "expected 'key: value' lines; defaults used", 1)]
    for key in nodes.keys() - KNOWN_KEYS:
        message = f"unknown setting '{key}' (known: {', '.join(sorted(KNOWN_KEYS))}); ignored"
        problems.append(Problem(SITE_FILE, message, lines.get(key)))
    return nodes, lines, problems


class _Settings:
    """Typed access to site.yaml's values; a wrong type is reported (once) and read as unset."""

    def __init__(self, nodes: dict[str, yaml.Node], lines: dict[str, int], problems: list[Problem]) -> None:
        self.nodes, self.lines, self.problems = nodes, lines, problems

    def text(self, key: str) -> str:
        node = self.nodes.get(key)
        if node is None or load.is_null(node):
            return ""
        text = load.scalar_text(node)
        if text is None:
            self._report(key, "expected text, not a list or mapping; the default is used")
        return text or ""

    def language_codes(self, key: str, single: bool) -> list[str]:
        """Lower-case language codes; a value that is not one is reported and left out."""
        node = self.nodes.get(key)
        if node is None or load.is_null(node):
            return []
        items = node.value if isinstance(node, yaml.SequenceNode) and not single else [node]
        codes = [load.scalar_text(item) for item in items]
        good = [code.lower() for code in codes if code and load.is_language_code(code)]
        if len(good) != len(codes):
            wanted = (
                "a language code such as 'en'; the default is used"
                if single
                else "language codes such as [de, fr]; others ignored"
            )
            self._report(key, f"expected {wanted}")
        return good

    def _report(self, key: str, message: str) -> None:
        self.problems.append(Problem(SITE_FILE, f"'{key}': {message}", self.lines.get(key)))


def normalise_base_url(url: str) -> str:
    """An absolute http(s) URL ending in '/', or '' when none is set or it is not usable."""
    url = url.strip()
    if not url or not is_linkable_url(url):
        return ""
    return url if url.endswith("/") else url + "/"
