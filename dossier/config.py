"""The site's settings, from `content/site.yaml`."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from dossier.models import Problem, SiteConfig

SITE_FILE = "site.yaml"
KNOWN_KEYS = {"title", "description", "base_url", "language", "languages"}


def load_site_config(content: Path, base_url_override: str | None = None) -> tuple[SiteConfig, list[Problem]]:
    path = content / SITE_FILE
    values: dict[str, object] = {}
    problems: list[Problem] = []
    if path.is_file():
        text = path.read_text("utf-8", errors="replace")
        values, _, problems = _parse(text)
    site = SiteConfig(
        title=str(values.get("title") or "Dossier"),
        description=str(values.get("description") or ""),
        base_url=normalise_base_url(str(base_url_override or values.get("base_url") or "")),
        language=str(values.get("language") or "en").lower(),
        languages=[str(code).lower() for code in _as_list(values.get("languages"))],
    )
    return site, problems


def _parse(text: str) -> tuple[dict[str, object], dict[str, int], list[Problem]]:
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        values = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        return (
            {},
            {},
            [Problem(SITE_FILE, f"not valid YAML ({getattr(error, 'problem', error)}); defaults used", line)],
        )
    if not isinstance(values, dict):
        return {}, {}, [Problem(SITE_FILE, "expected 'key: value' lines; defaults used", 1)]
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value} if node is not None else {}
    problems = [
        Problem(
            SITE_FILE,
            f"unknown setting '{key}' (known: {', '.join(sorted(KNOWN_KEYS))})",
            lines.get(str(key)),
        )
        for key in values
        if str(key) not in KNOWN_KEYS
    ]
    return {str(k): v for k, v in values.items()}, lines, problems


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def normalise_base_url(url: str) -> str:
    """An absolute http(s) URL ending in '/', or '' when none is set."""
    url = url.strip()
    if not url or urlsplit(url).scheme not in ("http", "https"):
        return ""
    return url if url.endswith("/") else url + "/"
