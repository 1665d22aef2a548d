"""Stage 1, load: find the content files and read each into a `Document`.

Reading never raises on bad input: whatever is wrong with a file comes back as a
`Problem` naming it, and a file that cannot be used at all gives no `Document`.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from dossier.models import Document, Problem

ARTICLE_SUFFIXES = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
# Bigger files are refused: no real article is that long, and cleaning cost grows with size.
MAX_BYTES = 5 * 1024 * 1024
FRONT_MATTER_KEYS = {"title", "date", "source", "lang", "countries", "slug", "draft"}
_FENCE = re.compile(r"^---[ \t]*$")


def discover(content_root: Path) -> list[Path]:
    """Every article file below `content_root`, sorted, skipping hidden files and
    symlinks that lead outside it (content must never pull in the rest of the disk)."""
    root = content_root.resolve()
    found = []
    for path in _walk(content_root):
        if path.suffix.lower() not in ARTICLE_SUFFIXES:
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            continue
        found.append(path)
    return sorted(found, key=lambda p: p.relative_to(content_root).as_posix())


def _walk(folder: Path) -> Iterator[Path]:
    # os.walk does not follow symlinked folders by default, which is what we want.
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def load_file(content_root: Path, path: Path) -> tuple[Document | None, list[Problem]]:
    """Read one content file; `None` when it cannot be used (the problems say why)."""
    file = path.relative_to(content_root).as_posix()
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(file, f"cannot read: {error.strerror or error}", severity="error")]
    return load_bytes(file, data)


def load_bytes(file: str, data: bytes) -> tuple[Document | None, list[Problem]]:
    if len(data) > MAX_BYTES:
        size = f"{len(data) / 1024 / 1024:.1f} MB"
        return None, [Problem(file, f"skipped: {size} is over the {MAX_BYTES // 1024 // 1024} MB limit")]
    text, problem = decode(file, data)
    if text is None:
        return None, [problem] if problem else []
    if not text.strip():
        return None, [Problem(file, "skipped: the file is empty")]
    kind = ARTICLE_SUFFIXES.get(Path(file).suffix.lower(), "text")
    digest = hashlib.sha256(data).hexdigest()
    if kind == "html":
        from dossier.html_input import document_from_html  # trafilatura is slow to import

        return document_from_html(file, text, digest)
    front_matter, lines, body, body_start, problems = split_front_matter(file, text)
    if kind == "markdown":
        from dossier.markdown_input import markdown_to_text

        body = markdown_to_text(body)
    if not body.strip():
        return None, [*problems, Problem(file, "skipped: no text after the front matter")]
    document = Document(file, kind, body, body_start, front_matter, lines, content_hash=digest)  # type: ignore[arg-type]
    return document, problems


def decode(file: str, data: bytes) -> tuple[str | None, Problem | None]:
    """Bytes to text with "\\n" line ends: BOMs first, then UTF-8, then the best guess."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _normalise(data.decode(encoding, errors="replace")), None
    if b"\x00" in data:
        return None, Problem(file, "skipped: binary file (it contains NUL bytes)")
    try:
        return _normalise(data.decode("utf-8")), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None, Problem(file, "skipped: not text in any known encoding")
    return _normalise(str(best)), Problem(file, f"not UTF-8; read as {best.encoding}")


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def split_front_matter(
    file: str, text: str
) -> tuple[dict[str, object], dict[str, int], str, int, list[Problem]]:
    """Split `---` YAML front matter off the top: (values, key → line, body, body's first line, problems)."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return {}, {}, text, 1, []
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if end is None:
        return {}, {}, text, 1, [Problem(file, "front matter opened with '---' is never closed", line=1)]
    yaml_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    values, key_lines, problems = parse_front_matter(file, yaml_text, first_line=2)
    return values, key_lines, body, end + 2, problems


def parse_front_matter(
    file: str, yaml_text: str, first_line: int
) -> tuple[dict[str, object], dict[str, int], list[Problem]]:
    try:
        node = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
        values = yaml.safe_load(yaml_text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        return {}, {}, [Problem(file, f"front matter is not valid YAML ({reason}); ignored", line=line)]
    if values is None:
        return {}, {}, []
    if not isinstance(values, dict) or node is None or not isinstance(node, yaml.MappingNode):
        return {}, {}, [Problem(file, "front matter must be 'key: value' lines; ignored", line=first_line)]
    key_lines = {
        str(key.value): first_line + key.start_mark.line
        for key, _ in node.value
        if isinstance(key, yaml.Node)
    }
    return _validate(file, values, key_lines)


def _validate(
    file: str, values: dict[object, object], key_lines: dict[str, int]
) -> tuple[dict[str, object], dict[str, int], list[Problem]]:
    """Keep the known keys with usable values; report the rest with their line."""
    kept: dict[str, object] = {}
    problems = []
    for key, value in values.items():
        name = str(key)
        line = key_lines.get(name)
        if name not in FRONT_MATTER_KEYS:
            known = ", ".join(sorted(FRONT_MATTER_KEYS))
            problems.append(Problem(file, f"unknown front-matter key '{name}' (known: {known})", line=line))
            continue
        cleaned, message = _check_value(name, value)
        if message:
            problems.append(Problem(file, f"front matter '{name}': {message}", line=line))
        if cleaned is not None:
            kept[name] = cleaned
    return kept, key_lines, problems


def _check_value(name: str, value: object) -> tuple[object | None, str | None]:
    """(usable value or None, message or None) for one front-matter key."""
    if value is None:
        return None, None
    if name == "date":
        return _check_date(value)
    if name == "draft":
        if isinstance(value, bool):
            return value, None
        return None, f"expected true or false, got {value!r}; ignored"
    if name == "countries":
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, str) for item in items):
            return None, "expected a list of ISO country codes; ignored"
        return [str(item).strip() for item in items], None
    if isinstance(value, (dict, list)):
        return None, f"expected text, got a {type(value).__name__}; ignored"
    return str(value).strip(), None


def _check_date(value: object) -> tuple[object | None, str | None]:
    from dossier.models import PartialDate

    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day), None
    try:
        return PartialDate.parse_iso(str(value)), None
    except ValueError:
        return None, f"'{value}' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD); ignored"
