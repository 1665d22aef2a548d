"""Stage 1, load: find the content files and read each into a `Document`.

Reading never raises on bad input: whatever is wrong with a file comes back as a
`Problem` naming it (and its line, where there is one), a file that cannot be used
at all gives no `Document`, and the rest of the site still builds.

Limits and rules (README.md quotes this):

- A content file may be at most `MAX_BYTES`, 5 MB. A bigger one is skipped with a
  message; `read_content` checks the size with `stat` before reading any of it.
- Text is read as UTF-8 (with or without a byte-order mark), as UTF-16 or UTF-32 with
  a byte-order mark, or else as the most plausible of Windows-1252 (which reads Latin-1
  too), Windows-1250 and ISO-8859-2 (the message says which). CRLF and CR line ends
  become LF; control characters are dropped.
- Skipped with a message: binary files (NUL bytes, e.g. a PNG renamed `.txt`), empty
  or whitespace-only files, files with nothing after their front matter, symlinks
  (files or folders) that lead outside the content folder, anything that is not a
  regular file, file names that are not valid UTF-8, and Dossier output folders
  inside the content folder. Hidden files and folders (`.name`) are ignored.
- Front matter: the keys in `FRONT_MATTER_KEYS`; an unknown key, a value of the wrong
  type or YAML that does not parse is reported with its line and ignored.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import yaml

from dossier.models import Document, PartialDate, Problem

ARTICLE_SUFFIXES = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
MAX_BYTES = 5 * 1024 * 1024
"""The largest content file read: 5 MB. A bigger file is skipped with a message naming it,
decided from its size alone (no real article is that long, and cleaning time grows with size)."""
FRONT_MATTER_KEYS = {"title", "date", "source", "lang", "countries", "slug", "draft"}
# The folder a Dossier build writes carries this file (see write.MARKER; not imported: write imports render).
OUTPUT_MARKER = ".dossier-output"
_FENCE = re.compile(r"^---[ \t]*$")
_LANG_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
# A date, optionally with a time of day (dropped: dates are kept to the day at most).
_DATE_TIME = re.compile(
    r"^(\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?)"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
# Line breaks other than LF that some tools treat as one: a space keeps words apart and line numbers right.
_SPACE_LIKE_CHARACTERS = "\x0b\x0c\x1c-\x1f\x85\u2028\u2029"
_SPACE_LIKE = re.compile(f"[{_SPACE_LIKE_CHARACTERS}]")
# Never valid in HTML or XML text (surrogates can come from YAML escapes such as "\ud800").
_CONTROL_CHARACTERS = "\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff"
_CONTROL = re.compile(f"[{_CONTROL_CHARACTERS}]")
# Either of them: most texts have none, and one scan finds that out.
_SPACE_LIKE_OR_CONTROL = re.compile(f"[{_SPACE_LIKE_CHARACTERS}{_CONTROL_CHARACTERS}]")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its BOM starts with UTF-16 LE's
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# The single-byte encodings of the languages we publish, most common first (first wins a tie).
LEGACY_ENCODINGS = (
    ("cp1252", "Windows-1252"),
    ("cp1250", "Windows-1250"),
    ("iso8859_2", "ISO-8859-2"),
    ("latin_1", "Latin-1"),
)
_PUNCTUATION = "„“”‘’‚–—…«»‹›€£°§©®·´×\xa0¿¡"
# The letters beyond ASCII each language uses: a right guess decodes into one alphabet.
_ALPHABETS = [
    frozenset(letters + _PUNCTUATION)
    for letters in (
        "äöüßÄÖÜ",  # de
        "éèêëàâçîïôûùüÿœæÉÈÊËÀÂÇÎÏÔÛÙÜŸŒÆ",  # fr
        "áéíóúñüÁÉÍÓÚÑÜ",  # es
        "áàâãéêíóôõúçÁÀÂÃÉÊÍÓÔÕÚÇ",  # pt
        "àèéìíòóùÀÈÉÌÍÒÓÙ",  # it
        "éëïöüèáóúÉËÏÖÜ",  # nl
        "åäöéÅÄÖÉ",  # sv
        "áčďéěíňóřšťúůýžÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ",  # cs
        "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ",  # pl
    )
]


def find_articles(content_root: Path) -> tuple[list[str], list[Problem]]:
    """Every article file below `content_root` by its path relative to it ("articles/a.txt"),
    sorted, and a message for each one skipped: symlinks leading outside it (content must never
    pull in the rest of the disk), special files (reading a named pipe would hang) and names that
    are not UTF-8. Directory entries say what most files are: one system call per folder."""
    root = content_root.resolve()
    found: list[str] = []
    problems: list[Problem] = []
    for entry, file, folder_skipped in _walk(content_root, root):
        reason = folder_skipped
        if not folder_skipped and os.path.splitext(entry.name)[1].lower() in ARTICLE_SUFFIXES:
            reason = _unusable(entry, file, root)
            if not reason:
                found.append(file)
        if reason:
            problems.append(Problem(_display_name(file), f"skipped: {reason}"))
    return sorted(found), problems


def _walk(folder: Path, root: Path) -> Iterator[tuple[os.DirEntry[str], str, str | None]]:
    """Every visible file as (entry, relative path, None), and each folder not entered as
    (entry, relative path, why). Symlinked folders are not followed; those that stay inside
    the content folder hold nothing new."""
    pending = [(str(folder), "")]
    while pending:
        here, prefix = pending.pop()
        try:
            with os.scandir(here) as scanned:
                entries = sorted((e for e in scanned if not e.name.startswith(".")), key=lambda e: e.name)
        except OSError:  # unreadable, or gone since it was listed: as os.walk does, nothing in it
            continue
        folders = []
        for entry in entries:
            relative = prefix + entry.name
            if not _is_folder(entry):
                yield entry, relative, None
            elif entry.is_symlink():
                if _leads_outside(Path(entry.path), root):
                    yield entry, relative, "a folder symlinked from outside the content folder"
            elif os.path.isfile(os.path.join(entry.path, OUTPUT_MARKER)):
                yield entry, relative, "a Dossier output folder"
            else:
                folders.append((entry.path, relative + "/"))
        pending += reversed(folders)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a symlink loop: `_unusable` reports it as a file
        return False


def _leads_outside(link: Path, root: Path) -> bool:
    try:
        return not link.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a symlink loop: nothing to follow
        return True


def _unusable(entry: os.DirEntry[str], file: str, root: Path) -> str | None:
    if not file.isascii() and _display_name(file) != file:  # an ASCII name is valid UTF-8
        return "the file name is not valid UTF-8 (rename the file)"
    try:
        if entry.is_file(follow_symlinks=False):  # the common case: no system call
            return None
        if not entry.is_symlink():
            return "not a regular file"
        target = Path(entry.path).resolve(strict=True)
        if not target.is_relative_to(root):
            return "a symlink to a file outside the content folder"
        return None if target.is_file() else "not a regular file"
    except (OSError, RuntimeError):  # gone, or a symlink to nothing or to itself
        return "a broken symlink"


def _display_name(file: str) -> str:
    """A path as printable text (undecodable bytes of a file name become U+FFFD)."""
    return os.fsencode(file).decode("utf-8", errors="replace")


def read_content(path: Path, file: str) -> tuple[bytes | None, Problem | None]:
    """A content file's bytes; a file over `MAX_BYTES` is refused from its size, unread."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # opening a named pipe would wait for a writer
            return None, Problem(file, "skipped: not a regular file")
        if info.st_size > MAX_BYTES:
            return None, _too_big(file, info.st_size)
        with open(path, "rb") as handle:
            # Read what stat saw (asking for 5 MB makes Python allocate 5 MB: 3x the cost of a
            # small file's read), then, if the file has grown since, the rest up to the bound.
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += handle.read(MAX_BYTES + 1 - len(data))
    except OSError as error:
        return None, Problem(file, f"cannot read: {error.strerror or error}", severity="error")
    return (None, _too_big(file, len(data))) if len(data) > MAX_BYTES else (data, None)


def _too_big(file: str, size: int) -> Problem:
    return Problem(
        file, f"skipped: {size / 1024 / 1024:.1f} MB is over the {MAX_BYTES // 1024 // 1024} MB limit"
    )


def load_file(content_root: Path, path: Path) -> tuple[Document | None, list[Problem]]:
    """Read one content file; `None` when it cannot be used (the problems say why)."""
    file = path.relative_to(content_root).as_posix()
    data, problem = read_content(path, file)
    return load_bytes(file, data) if data is not None else (None, [problem] if problem else [])


def load_bytes(file: str, data: bytes) -> tuple[Document | None, list[Problem]]:
    """One file's bytes as a `Document`; never raises (a bug here must not stop the build)."""
    if len(data) > MAX_BYTES:
        return None, [_too_big(file, len(data))]
    try:
        return _load(file, data)
    except Exception as error:  # reported; the other files still build
        message = f"skipped: could not be read ({type(error).__name__}: {error})"
        return None, [Problem(file, message, severity="error")]


def _load(file: str, data: bytes) -> tuple[Document | None, list[Problem]]:
    text, problem = decode(file, data)
    problems = [problem] if problem else []
    if text is None:
        return None, problems
    if not text.strip():
        return None, [*problems, Problem(file, "skipped: the file is empty (or only whitespace)")]
    kind = ARTICLE_SUFFIXES.get(Path(file).suffix.lower(), "text")
    digest = hashlib.sha256(data).hexdigest()
    if kind == "html":
        from dossier.html_input import document_from_html  # trafilatura is slow to import

        document, more = document_from_html(file, text, digest)
        return document, problems + more
    front_matter, lines, body, body_start, more = split_front_matter(file, text)
    problems += more
    if kind == "markdown":
        from dossier.markdown_input import markdown_to_text

        body = clean_text(markdown_to_text(body))
    if not body.strip():
        return None, [*problems, Problem(file, "skipped: no text after the front matter")]
    document = Document(file, kind, body, body_start, front_matter, lines, content_hash=digest)  # type: ignore[arg-type]
    return document, problems


def decode(file: str, data: bytes) -> tuple[str | None, Problem | None]:
    """Bytes to text with "\\n" line ends: a BOM first, then UTF-8, then the most plausible
    legacy encoding. `None` (and why) for a binary file."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_strictly(file, data, encoding)
    if b"\x00" in data:
        return None, Problem(file, "skipped: binary file (it contains NUL bytes; UTF-16 text needs a BOM)")
    try:
        return clean_text(data.decode("utf-8")), None
    except UnicodeDecodeError as error:
        bad_at = error.start
    text = data.decode("utf-8", errors="replace")
    if _mostly_utf8(text):
        line = data.count(b"\n", 0, bad_at) + 1
        return clean_text(text), Problem(file, "bytes that are not UTF-8 were replaced with '�'", line)
    return _decode_legacy(file, data)


def _decode_strictly(file: str, data: bytes, encoding: str) -> tuple[str, Problem | None]:
    try:
        return clean_text(data.decode(encoding)), None
    except UnicodeDecodeError:
        text = clean_text(data.decode(encoding, errors="replace"))
        return text, Problem(file, f"bytes that are not {encoding.upper()} were replaced with '�'")


def _mostly_utf8(text: str) -> bool:
    """Real UTF-8 with a few broken bytes (a truncated download) rather than another encoding."""
    replaced = text.count("\ufffd")
    return sum(1 for ch in text if ch > "\x7f") - replaced > replaced


def _decode_legacy(file: str, data: bytes) -> tuple[str | None, Problem | None]:
    """The legacy encoding whose text uses one language's letters best; charset-normalizer
    when none fits (it guesses badly on short Western texts, hence our own check first)."""
    scored = []
    for encoding, label in LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        scored.append((_plausibility(text), label, text))
    score, label, text = max(scored, key=lambda item: item[0])  # latin_1 always decodes
    if score < 0:
        from charset_normalizer import from_bytes

        best = from_bytes(data, cp_exclusion=["utf_16", "utf_16_be", "utf_16_le", "utf_32"]).best()
        if best is None:
            return None, Problem(file, "skipped: not text in any known encoding")
        label, text = best.encoding, str(best)
    return clean_text(text), Problem(file, f"not UTF-8; read as {label} (save it as UTF-8 to be sure)")


def _plausibility(text: str) -> int:
    """+1 per non-ASCII character in the best-fitting alphabet, -2 per one outside it or control."""
    rare = [ch for ch in text if ch > "\x7f" or (ch < " " and ch not in "\t\n\r\x0c")]
    return max(sum(1 if ch in alphabet else -2 for ch in rare) for alphabet in _ALPHABETS)


def clean_text(text: str) -> str:
    """ "\\n" line ends only, odd line breaks as spaces, no characters HTML or XML forbid."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _SPACE_LIKE_OR_CONTROL.search(text):
        return text
    return _CONTROL.sub("", _SPACE_LIKE.sub(" ", text))


def split_front_matter(
    file: str, text: str
) -> tuple[dict[str, object], dict[str, int], str, int, list[Problem]]:
    """Split `---` YAML front matter off the top: (values, key → line, body, body's first line, problems)."""
    if not _FENCE.match(text.split("\n", 1)[0]):  # (most files have none: the text is not split)
        return {}, {}, text, 1, []
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if end is None:
        return {}, {}, text, 1, [Problem(file, "front matter opened with '---' is never closed", line=1)]
    nodes, key_lines, problems = parse_mapping(file, "\n".join(lines[1:end]), first_line=2)
    if nodes is None and not problems:  # prose between two '---' rules, not front matter: keep it
        message = f"lines 1-{end + 1} are not 'key: value' front matter; read as text"
        return {}, {}, text, 1, [Problem(file, message, line=1)]
    values, more = validate_front_matter(file, nodes or {}, key_lines)
    return values, key_lines, "\n".join(lines[end + 1 :]), end + 2, problems + more


def parse_front_matter(
    file: str, yaml_text: str, first_line: int
) -> tuple[dict[str, object], dict[str, int], list[Problem]]:
    """Front-matter YAML (starting at `first_line` of the file) as checked values."""
    nodes, key_lines, problems = parse_mapping(file, yaml_text, first_line)
    if nodes is None and not problems:
        problems = [Problem(file, "front matter must be 'key: value' lines; ignored", line=first_line)]
    values, more = validate_front_matter(file, nodes or {}, key_lines)
    return values, key_lines, problems + more


def parse_mapping(
    file: str, yaml_text: str, first_line: int
) -> tuple[dict[str, yaml.Node] | None, dict[str, int], list[Problem]]:
    """YAML `key: value` lines as (key → value node, key → line, problems); the nodes keep the
    text as written, so `title: no` stays "no" and `date: 2020-13-45` cannot crash the parser.
    `None` for YAML that does not parse (a problem says where) or is not a mapping (no problem)."""
    try:
        root = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        return (
            None,
            {},
            [
                Problem(
                    file, f"not valid YAML ({_yaml_reason(error)}); ignored", _yaml_line(error, first_line)
                )
            ],
        )
    except RecursionError:
        return None, {}, [Problem(file, "YAML nested too deeply; ignored", line=first_line)]
    if root is None:
        return {}, {}, []
    if not isinstance(root, yaml.MappingNode):
        return None, {}, []
    return _mapping_entries(file, root, first_line)


def _yaml_line(error: yaml.YAMLError, first_line: int) -> int:
    """Where the broken construct starts (an unclosed quote or bracket), else where parsing stopped."""
    mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
    return first_line + mark.line if mark is not None else first_line


def _yaml_reason(error: yaml.YAMLError) -> str:
    problem, context = getattr(error, "problem", None), getattr(error, "context", None)
    if not problem:
        return str(error).splitlines()[0]
    return f"{problem} {context}" if context else problem


def _mapping_entries(
    file: str, root: yaml.MappingNode, first_line: int
) -> tuple[dict[str, yaml.Node], dict[str, int], list[Problem]]:
    nodes: dict[str, yaml.Node] = {}
    lines: dict[str, int] = {}
    problems = []
    for key, value in root.value:
        line = first_line + key.start_mark.line
        if not isinstance(key, yaml.ScalarNode):
            problems.append(Problem(file, "a key must be a name; entry ignored", line=line))
            continue
        if key.value in nodes:
            message = f"'{key.value}' is given twice (also line {lines[key.value]}); the last one is used"
            problems.append(Problem(file, message, line=line))
        nodes[key.value], lines[key.value] = value, line
    return nodes, lines, problems


def validate_front_matter(
    file: str, nodes: dict[str, yaml.Node], key_lines: dict[str, int]
) -> tuple[dict[str, object], list[Problem]]:
    """Keep the known keys with usable values; report the rest with their line."""
    kept: dict[str, object] = {}
    problems = []
    for name, node in nodes.items():
        line = key_lines.get(name)
        if name not in FRONT_MATTER_KEYS:
            known = ", ".join(sorted(FRONT_MATTER_KEYS))
            problems.append(
                Problem(file, f"unknown front-matter key '{name}' (known: {known}); ignored", line)
            )
            continue
        value, message = _check_value(name, node)
        if message:
            problems.append(Problem(file, f"front matter '{name}': {message}", line=line))
        if value is not None:
            kept[name] = value
    return kept, problems


def is_null(node: yaml.Node) -> bool:
    """`key:` with nothing after it (or `~`, `null`)."""
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def scalar_text(node: yaml.Node) -> str | None:
    """A scalar's text as written, on one line and cleaned; `None` for an empty value, a list or a mapping."""
    if not isinstance(node, yaml.ScalarNode) or is_null(node):
        return None
    return " ".join(clean_text(str(node.value)).split())


def is_language_code(text: str) -> bool:
    """ "de", "pt-BR", "zh_Hant": safe in a `lang` attribute and a URL."""
    return bool(_LANG_CODE.match(text))


def _check_value(name: str, node: yaml.Node) -> tuple[object | None, str | None]:
    """(usable value or None, message or None) for one front-matter key."""
    if is_null(node):
        return None, None
    if name == "countries":
        return _check_countries(node)
    text = scalar_text(node)
    if text is None:
        return None, f"expected text, got a {_kind(node)}; ignored"
    if name == "date":
        return _check_date(text)
    if name == "draft":
        flag = yaml.SafeLoader.bool_values.get(text.lower())
        return (flag, None) if flag is not None else (None, f"expected true or false, got '{text}'; ignored")
    if name == "lang" and not is_language_code(text):
        return None, f"'{text[:40]}' is not a language code such as 'de' or 'pt-BR'; ignored"
    return text or None, None


def _check_countries(node: yaml.Node) -> tuple[list[str] | None, str | None]:
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    codes = [scalar_text(item) for item in items]
    if any(code is None for code in codes):
        return None, "expected a list of ISO country codes such as [DE, FR]; ignored"
    return [code for code in codes if code], None


def _check_date(text: str) -> tuple[PartialDate | None, str | None]:
    match = _DATE_TIME.match(text)
    try:
        return PartialDate.parse_iso(match.group(1) if match else text), None
    except ValueError:
        return None, f"'{text[:40]}' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD); ignored"


def _kind(node: yaml.Node) -> str:
    return "list" if isinstance(node, yaml.SequenceNode) else "mapping"
