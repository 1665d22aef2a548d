"""Markdown articles (`.md`): plain text blocks, each on the line where it starts.

Part of the load stage. Every block (paragraph, heading, list item, quote) becomes
one line of plain text at its first source line, so the later stages see the same
shape as a raw text file and line numbers in messages still point into the file.
"""

from __future__ import annotations

from itertools import pairwise

from markdown_it import MarkdownIt
from markdown_it.token import Token

_PARSER = MarkdownIt("commonmark")
_BLOCKS = {"paragraph_open", "heading_open"}


def markdown_to_text(source: str) -> str:
    lines = [""] * (source.count("\n") + 1)
    tokens = _PARSER.parse(source)
    for opening, inline in pairwise(tokens):
        if opening.type in _BLOCKS and inline.type == "inline" and opening.map:
            text = _plain(inline.children or [])
            if text:
                lines[opening.map[0]] = text
    return "\n".join(lines)


def _plain(children: list[Token]) -> str:
    """Inline markup to plain text: link and emphasis text kept, images and HTML dropped."""
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())
