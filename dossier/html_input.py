"""Saved web pages (`.html`): the article text and metadata, via trafilatura.

Part of the load stage: the page becomes a `Document` whose body is the article's
paragraphs, one per line, so the later stages treat it like any other article.
"""

from __future__ import annotations

import re

import trafilatura

from dossier.load import clean_text
from dossier.models import Document, Problem

_HTML_LANG = re.compile(r"<html\b[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)


def document_from_html(file: str, html: str, digest: str) -> tuple[Document | None, list[Problem]]:
    try:
        extracted = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False, deduplicate=True
        )
    except Exception as error:  # trafilatura raises many kinds on broken markup
        return None, [Problem(file, f"skipped: the page could not be parsed ({error})")]
    if extracted is None or not (extracted.text or "").strip():
        return None, [Problem(file, "skipped: no article text found in the page")]
    # Character references can smuggle in characters HTML and XML forbid (&#1;): cleaned like a file's text.
    metadata = {
        key: text
        for key, value in (("title", extracted.title), ("date", extracted.date), ("url", extracted.url))
        if (text := " ".join(clean_text(str(value or "")).split()))
    }
    declared = _HTML_LANG.search(html[:5000])
    if declared:
        metadata["lang"] = declared.group(1).lower()
    body = _drop_repeated_title(clean_text(extracted.text), metadata.get("title"))
    return Document(file, "html", body, 1, html_metadata=metadata, content_hash=digest), []


def _drop_repeated_title(text: str, title: str | None) -> str:
    """trafilatura often keeps the page's <h1> as the first line; the title is shown separately."""
    lines = text.split("\n")
    if title and lines and " ".join(lines[0].split()) == " ".join(title.split()):
        lines = lines[1:]
    return "\n".join(lines)
