"""markdown_input: Markdown blocks become plain text lines at their source line."""

from __future__ import annotations

from dossier.markdown_input import markdown_to_text

SOURCE = """# A heading

First paragraph with *emphasis* and a [link](https://example.org)
that continues here.

- item one
- item two

![a picture](picture.png)
"""


def test_blocks_become_lines_at_their_source_line() -> None:
    lines = markdown_to_text(SOURCE).split("\n")
    assert len(lines) == len(SOURCE.split("\n"))
    assert lines[0] == "A heading"
    assert lines[2] == "First paragraph with emphasis and a link that continues here."
    assert lines[3] == ""
    assert lines[5:7] == ["item one", "item two"]


def test_images_and_raw_html_leave_no_text() -> None:
    text = markdown_to_text("![alt text](x.png)\n\n<div onclick='x()'>raw</div>\n")
    assert text.strip() == ""
