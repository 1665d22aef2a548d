"""Issue #6, end to end: bad input never breaks the build, loses data, or lets script in.

Every test builds a small content folder into `tmp_path`, with good articles beside the bad
ones, through `dossier.pipeline.build` or `python build.py`, and checks both the message
(file and line) and that the good articles' pages exist.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dossier.load import MAX_BYTES
from dossier.models import Problem
from dossier.pipeline import BuildFailed, BuildOptions, BuildReport, build
from dossier.write import UnsafeOutput

PROJECT = Path(__file__).resolve().parents[1]
TEMPLATES = PROJECT / "site_templates"
SITE_YAML = "title: Test dossier\nbase_url: https://example.org/dossier/\nlanguage: en\n"
SITE_YAML += "languages: [en, de, fr, es, pt]\n"
LEAD = (
    "The government in Berlin said on Monday that the operators of the mobile networks may keep "
    "using the equipment of the Chinese supplier for now, while the security agency reviews it."
)
FOLLOW = (
    "Officials in Paris answered that France would decide on its own rules for the networks later "
    "this year, after a long consultation with the companies and the regulators of the sector."
)
GOOD = {"good/one.md": "Berlin keeps the equipment", "good/two.md": "Paris decides on its own rules"}


def article(title: str, front: str = "", body: str = f"{LEAD}\n\n{FOLLOW}\n") -> str:
    return f"---\ntitle: {json.dumps(title)}\n{front}---\n{body}"


def make_content(root: Path, files: dict[str, str | bytes]) -> Path:
    """content/ with site.yaml, the good articles and `files` (text is written as UTF-8)."""
    content = root / "content"
    for name, data in {"site.yaml": SITE_YAML, **_good_files(), **files}.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return content


def _good_files() -> dict[str, str | bytes]:
    return {name: article(title, "date: 2020-02-03\n") for name, title in GOOD.items()}


def run_build(content: Path, out: Path, **options: object) -> BuildReport:
    settings: dict = {"templates": TEMPLATES, "search": False, "workers": 1, **options}
    return build(BuildOptions(content=content, out=out, **settings))


def records(out: Path) -> dict[str, dict]:
    """articles.json by source file."""
    return {r["file"]: r for r in json.loads((out / "data/articles.json").read_text("utf-8"))}


def assert_good_pages(out: Path) -> None:
    published = records(out)
    for name, title in GOOD.items():
        assert published[name]["title"] == title
        assert (out / "articles" / published[name]["slug"] / "index.html").is_file()


def messages(problems: list[Problem]) -> list[str]:
    return [str(problem) for problem in problems]


def has_message(problems: list[Problem], where: str, words: str) -> bool:
    """Is there a problem at `where` ("file" or "file:line") whose message contains `words`?"""
    return any(str(p).startswith(f"{where}: ") and words in p.message for p in problems)


def tree_digest(folder: Path, skip: Path | None = None) -> dict[str, str]:
    """relative path → sha256 (or "dir", or the target of a symlink) of everything below `folder`."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if skip is not None and (path == skip or skip in path.parents):
            continue
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[key] = f"-> {os.readlink(path)}"
        elif path.is_dir():
            found[key] = "dir"
        elif path.is_file():
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def leftovers(out: Path) -> list[str]:
    return [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}-")]


def build_py(*args: str | Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(PROJECT / "build.py"), *map(str, args), "--no-cache", "--no-search"]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=PROJECT)


# --- one build with every kind of unusable or oddly encoded file -------------------------------

GERMAN_TITLE = "Ärger über Straßen in Köln"
GERMAN_TEXT = (
    "Die Bundesregierung prüft seit Montag, ob die Betreiber der Mobilfunknetze die Geräte des "
    "chinesischen Herstellers weiter nutzen dürfen, sagte ein Sprecher in Berlin am Abend."
)
FRENCH_TITLE = "Très bien, à bientôt à Orléans"
FRENCH_TEXT = (
    "Le gouvernement français a déclaré lundi que les opérateurs devaient être très prudents avec "
    "les équipements du fournisseur chinois, selon le ministère à Paris. « Déjà vu », dit-il…"
)
PORTUGUESE_TITLE = "Ação do governo em Lisboa"
PORTUGUESE_TEXT = (
    "O governo português decidiu na segunda-feira que a operação das redes não será permitida aos "
    "fornecedores chineses, segundo o ministério em Lisboa, depois de uma longa avaliação técnica."
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
BOILERPLATE = (
    "Log in\nSubscribe to our newsletter\nFollow us on Facebook\nShare this\nAll rights reserved ©\n"
)


def _plain(title: str, text: str, newline: str = "\n") -> str:
    return newline.join([title, "", text, "", text.replace(",", ";"), ""])


MIXED: dict[str, str | bytes] = {
    # front matter
    "fm/bad-yaml.md": article("x").replace('title: "x"', 'title: Huawei: the "5G" question'),
    "fm/unknown-key.md": article("Unknown key", "author: Jane Doe\n"),
    "fm/date-yesterday.md": article("Date yesterday", "date: yesterday\n"),
    "fm/date-impossible.md": article("Date impossible", "date: 2020-13-45\n"),  # crashed the build
    "fm/countries-narnia.md": article("Countries Narnia", "countries: Narnia\n"),
    "fm/draft-maybe.md": article("Draft maybe", "draft: maybe\n"),
    # encodings and line ends
    "enc/utf8-bom.txt": codecs.BOM_UTF8 + _plain(GERMAN_TITLE, GERMAN_TEXT).encode("utf-8"),
    "enc/utf16-le.txt": codecs.BOM_UTF16_LE + _plain(GERMAN_TITLE, GERMAN_TEXT).encode("utf-16-le"),
    "enc/utf16-be.txt": codecs.BOM_UTF16_BE + _plain(FRENCH_TITLE, FRENCH_TEXT).encode("utf-16-be"),
    "enc/windows-1252.txt": _plain(FRENCH_TITLE, FRENCH_TEXT).encode("cp1252"),
    "enc/latin-1.txt": _plain(PORTUGUESE_TITLE, PORTUGUESE_TEXT).encode("latin-1"),
    "enc/crlf.txt": _plain(GERMAN_TITLE, GERMAN_TEXT, "\r\n").encode("utf-8"),
    "enc/cr.txt": _plain(FRENCH_TITLE, FRENCH_TEXT, "\r").encode("utf-8"),
    # skipped
    "skip/nul.txt": _plain("Has a NUL", LEAD).replace("Monday", "Mon\0day").encode("utf-8"),
    "skip/picture.txt": PNG,
    "skip/empty.txt": b"",
    "skip/blank.md": b"  \r\n\t\n   \n",
    "skip/front-matter-only.md": "---\ntitle: Nothing below\n---\n\n",
    "skip/boilerplate.txt": BOILERPLATE,
    # the same title twice, and a slug taken by another article's title
    "dup/a.md": article("The same title twice"),
    "dup/b.md": article("The same title twice"),
    "dup/c.md": article("Another title", "slug: the-same-title-twice\n"),
}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport, dict[str, str]]:
    root = tmp_path_factory.mktemp("mixed")
    content = make_content(root, MIXED)
    with (content / "skip" / "huge.txt").open("wb") as handle:  # sparse: 50 MB, nothing on disk
        handle.truncate(50 * 1024 * 1024)
    outside = root / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.md").write_text(article("Secret outside file"))
    (outside / "folder" / "more.md").write_text(article("Secret outside folder"))
    (content / "links").mkdir()
    (content / "links" / "file.md").symlink_to(outside / "secret.md")
    (content / "links" / "folder").symlink_to(outside / "folder")
    with open(os.fsencode(content / "links") + b"/caf\xe9.md", "wb") as handle:  # not a UTF-8 name
        handle.write(article("Latin-1 file name").encode())
    before = tree_digest(root)
    report = run_build(content, root / "dist")
    assert tree_digest(root, skip=root / "dist") == before  # nothing written outside dist/
    return root / "dist", report, {p.file: p.message for p in report.problems}


@pytest.mark.parametrize(
    ("file", "line", "words"),
    [
        ("fm/bad-yaml.md", 2, "not valid YAML (mapping values are not allowed here)"),
        ("fm/unknown-key.md", 3, "unknown front-matter key 'author'"),
        ("fm/date-yesterday.md", 3, "'yesterday' is not a date"),
        ("fm/date-impossible.md", 3, "'2020-13-45' is not a date"),
        ("fm/countries-narnia.md", 3, "unknown country code 'Narnia'"),
        ("fm/draft-maybe.md", 3, "expected true or false"),
    ],
)
def test_bad_front_matter_is_reported_with_file_and_line(
    mixed: tuple[Path, BuildReport, dict], file: str, line: int, words: str
) -> None:
    out, report, _ = mixed
    assert has_message(report.problems, f"{file}:{line}", words), messages(report.problems)
    assert file in records(out)  # the article itself is still published, without the bad value
    assert_good_pages(out)


@pytest.mark.parametrize(
    ("file", "title", "text", "guessed"),
    [
        ("enc/utf8-bom.txt", GERMAN_TITLE, GERMAN_TEXT, None),
        ("enc/utf16-le.txt", GERMAN_TITLE, GERMAN_TEXT, None),
        ("enc/utf16-be.txt", FRENCH_TITLE, FRENCH_TEXT, None),
        ("enc/windows-1252.txt", FRENCH_TITLE, FRENCH_TEXT, "Windows-1252"),
        ("enc/latin-1.txt", PORTUGUESE_TITLE, PORTUGUESE_TEXT, "Windows-1252"),  # a superset of Latin-1
        ("enc/crlf.txt", GERMAN_TITLE, GERMAN_TEXT, None),
        ("enc/cr.txt", FRENCH_TITLE, FRENCH_TEXT, None),
    ],
)
def test_encodings_and_line_ends_are_read_correctly(
    mixed: tuple[Path, BuildReport, dict], file: str, title: str, text: str, guessed: str | None
) -> None:
    out, report, _ = mixed
    record = records(out)[file]
    assert record["title"] == title
    assert record["text"].split("\n") == [text, text.replace(",", ";")]
    if guessed:
        assert has_message(report.problems, file, f"not UTF-8; read as {guessed}")
    else:  # the same title in several files: only the slug is worth a message
        assert not [p for p in report.problems if p.file == file and "already used" not in p.message]
    assert_good_pages(out)


@pytest.mark.parametrize(
    ("file", "words"),
    [
        ("skip/nul.txt", "skipped: binary file (it contains NUL bytes"),
        ("skip/picture.txt", "skipped: binary file"),
        ("skip/empty.txt", "skipped: the file is empty"),
        ("skip/blank.md", "skipped: the file is empty (or only whitespace)"),
        ("skip/front-matter-only.md", "skipped: no text after the front matter"),
        ("skip/boilerplate.txt", "skipped: nothing but boilerplate"),
        ("skip/huge.txt", "skipped: 50.0 MB is over the 5 MB limit"),
    ],
)
def test_unusable_files_are_skipped_with_a_message(
    mixed: tuple[Path, BuildReport, dict], file: str, words: str
) -> None:
    out, report, _ = mixed
    assert has_message(report.problems, file, words), messages(report.problems)
    assert file not in records(out)  # no empty page
    assert_good_pages(out)


def test_same_title_or_slug_gets_distinct_slugs_and_a_message(mixed: tuple[Path, BuildReport, dict]) -> None:
    out, report, _ = mixed
    published = records(out)
    slugs = [published[f"dup/{name}.md"]["slug"] for name in "abc"]
    assert slugs == ["the-same-title-twice", "the-same-title-twice-2", "the-same-title-twice-3"]
    for slug in slugs:
        assert (out / "articles" / slug / "index.html").is_file()
    for file, slug in (("dup/b.md", slugs[1]), ("dup/c.md", slugs[2])):
        assert has_message(report.problems, file, f"already used by dup/a.md; published as '{slug}'")
    assert_good_pages(out)


def test_symlinks_out_of_the_content_folder_are_not_followed(mixed: tuple[Path, BuildReport, dict]) -> None:
    out, _, _ = mixed
    titles = {record["title"] for record in records(out).values()}
    assert not titles & {"Secret outside file", "Secret outside folder"}
    assert not any(file.startswith("links/") for file in records(out))
    assert_good_pages(out)


def test_a_file_name_that_is_not_utf8_does_not_break_the_build(mixed: tuple[Path, BuildReport, dict]) -> None:
    out, _, _ = mixed
    assert "Latin-1 file name" not in {record["title"] for record in records(out).values()}
    assert_good_pages(out)


def test_skipped_links_and_names_are_reported(mixed: tuple[Path, BuildReport, dict]) -> None:
    _, report, _ = mixed
    assert has_message(report.problems, "links/file.md", "a symlink to a file outside the content folder")
    assert has_message(report.problems, "links/folder", "a folder symlinked from outside")
    assert has_message(report.problems, "links/caf\ufffd.md", "not valid UTF-8")


def test_a_huge_file_is_refused_without_being_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = make_content(tmp_path, {})
    with (content / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    read_bytes = Path.read_bytes

    def guarded(path: Path) -> bytes:
        assert path.stat().st_size <= MAX_BYTES, f"{path} was read whole"
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", guarded)
    report = run_build(content, tmp_path / "dist")
    assert has_message(report.problems, "huge.txt", "skipped: 50.0 MB is over the 5 MB limit")
    assert_good_pages(tmp_path / "dist")


# --- duplicate slugs are stable ------------------------------------------------------------------


def _write_in_order(root: Path, names: list[str]) -> Path:
    content = make_content(root, {})
    for name in names:  # creation order is the order the file system lists them in
        (content / "dup" / name).parent.mkdir(exist_ok=True)
        (content / "dup" / name).write_text(article("Twice the same", body=f"{name} says: {LEAD}\n"))
    return content


def test_duplicate_slugs_are_the_same_on_every_build_and_in_any_file_order(tmp_path: Path) -> None:
    names = ["zeta.md", "alpha.md", "mid.txt"]
    found = []
    for number, order in enumerate([names, list(reversed(names)), names]):
        content = _write_in_order(tmp_path / f"run{number}", order)
        report = run_build(content, tmp_path / f"run{number}" / "dist")
        assert_good_pages(tmp_path / f"run{number}" / "dist")
        found.append({file: r["slug"] for file, r in records(tmp_path / f"run{number}" / "dist").items()})
        assert sum("slug 'twice-the-same' is already used" in m for m in messages(report.problems)) == 2
    assert found[0] == found[1] == found[2]
    assert found[0]["dup/alpha.md"] == "twice-the-same" and found[0]["dup/zeta.md"] == "twice-the-same-3"
    again = run_build(tmp_path / "run0" / "content", tmp_path / "run0" / "dist")
    assert again.problems == report.problems
    assert {file: r["slug"] for file, r in records(tmp_path / "run0" / "dist").items()} == found[0]


# --- slugs and paths -----------------------------------------------------------------------------


SLUG_ARTICLES = {
    "slugs/dotdot.md": article("Dot dot", "slug: ../../../../outside\n"),
    "slugs/absolute.md": article("Absolute", "slug: /etc/evil\n"),
    "slugs/only-dots.md": article(".."),
    "slugs/device.md": article("Device", "slug: con\n"),
    "slugs/control.md": article("Control", 'slug: "a\\x01b\\tc\\u0000d"\n'),
    "slugs/long.md": article("Long " * 200),
    "slugs/cyrillic.md": article("Москва не решила"),
    "slugs/chinese.md": article("华为在柏林"),
    "slugs/reserved.md": article("Assets"),
}


def test_slugs_are_normalised_and_nothing_is_written_outside_the_output(tmp_path: Path) -> None:
    content = make_content(tmp_path, SLUG_ARTICLES)
    before = tree_digest(tmp_path)
    report = run_build(content, tmp_path / "dist")
    assert tree_digest(tmp_path, skip=tmp_path / "dist") == before
    published = records(tmp_path / "dist")
    slugs = {file: published[file]["slug"] for file in SLUG_ARTICLES}
    for file, slug in slugs.items():
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) and len(slug) <= 91, (file, slug)
        assert (tmp_path / "dist" / "articles" / slug / "index.html").is_file()
    assert slugs["slugs/dotdot.md"] == "outside" and slugs["slugs/absolute.md"] == "etc-evil"
    assert slugs["slugs/cyrillic.md"] == "moskva-ne-reshila" and slugs["slugs/control.md"] == "ab-cd"
    assert slugs["slugs/device.md"].startswith("con-") and slugs["slugs/reserved.md"].startswith("assets-")
    assert slugs["slugs/chinese.md"].startswith("article-") and slugs["slugs/only-dots.md"].startswith(
        "article-"
    )
    assert sorted(p.name for p in (tmp_path / "dist" / "articles").iterdir()) == sorted(
        r["slug"] for r in published.values()
    )
    assert not [p for p in report.problems if p.file in SLUG_ARTICLES]
    assert_good_pages(tmp_path / "dist")


# --- --strict ------------------------------------------------------------------------------------


@pytest.fixture
def previous_site(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A content folder with good articles, built once: (content, out, digest of out)."""
    content = make_content(tmp_path, {})
    out = tmp_path / "dist"
    run_build(content, out)
    return content, out, tree_digest(out)


@pytest.mark.parametrize(
    ("front", "line", "words"),
    [
        ("title: a: b\n", 2, "not valid YAML"),
        ("title: T\nauthor: me\n", 3, "unknown front-matter key 'author'"),
        ("title: T\ndate: yesterday\n", 3, "'yesterday' is not a date"),
        ("title: T\ncountries: Narnia\n", 3, "unknown country code 'Narnia'"),
        ("title: T\nsource: javascript:alert(1)\n", 3, "not an http(s) URL; not linked"),
    ],
)
def test_strict_fails_on_every_warning_and_keeps_the_previous_site(
    previous_site: tuple[Path, Path, dict[str, str]], front: str, line: int, words: str
) -> None:
    content, out, digest = previous_site
    (content / "bad.md").write_text(f"---\n{front}---\n{LEAD}\n")
    with pytest.raises(BuildFailed) as failure:
        run_build(content, out, strict=True)
    assert has_message(failure.value.report.problems, f"bad.md:{line}", words)
    assert tree_digest(out) == digest and not leftovers(out)
    run_build(content, out)  # without --strict the same content builds
    assert_good_pages(out)


def test_strict_on_the_command_line_exits_non_zero(previous_site: tuple[Path, Path, dict[str, str]]) -> None:
    content, out, digest = previous_site
    (content / "bad.md").write_text(f"---\ntitle: Bad\ndate: yesterday\n---\n{LEAD}\n")
    result = build_py("--content", content, "--out", out, "--strict")
    assert result.returncode != 0
    assert "bad.md:3: front matter 'date': 'yesterday' is not a date" in result.stderr
    assert tree_digest(out) == digest and not leftovers(out)
    result = build_py("--content", content, "--out", out)
    assert result.returncode == 0 and "bad.md:3:" in result.stderr
    assert_good_pages(out)


# --- failed and interrupted builds ---------------------------------------------------------------


def _templates(tmp_path: Path, template: str, addition: str) -> Path:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    path = templates / template
    path.write_text(path.read_text("utf-8").replace("{% endblock %}", addition + "{% endblock %}", 1))
    return templates


def test_an_exception_in_a_template_keeps_the_previous_site(
    previous_site: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    content, out, digest = previous_site
    broken = _templates(tmp_path, "article.html", "{{ article.no_such_field }}")
    with pytest.raises(Exception, match="no_such_field"):
        run_build(content, out, templates=broken)
    assert tree_digest(out) == digest and not leftovers(out)
    assert_good_pages(out)


def test_ctrl_c_mid_build_keeps_the_previous_site(
    previous_site: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    content, out, digest = previous_site
    # The 404 page takes forever to render: the build is stopped in the middle of writing.
    slow = _templates(tmp_path, "404.html", "{% for i in range(10**10) %}{% endfor %}")
    command = [sys.executable, str(PROJECT / "build.py"), "--content", str(content), "--out", str(out)]
    command += ["--templates", str(slow), "--no-cache", "--no-search"]
    process = subprocess.Popen(
        command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 120
        while not leftovers(out):  # the folder the new pages are written to: the write has begun
            assert process.poll() is None and time.monotonic() < deadline, "the build never started writing"
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130 and "interrupted;" in stderr and "Traceback" not in stderr
    assert tree_digest(out) == digest and not leftovers(out)
    assert_good_pages(out)


# --- the output folder ---------------------------------------------------------------------------


def test_the_build_refuses_to_replace_a_folder_it_does_not_own(tmp_path: Path) -> None:
    content = make_content(tmp_path, {})
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.docx").write_text("years of work")
    before = tree_digest(tmp_path)
    for out in (content, tmp_path, tmp_path / "mine", TEMPLATES, PROJECT):
        with pytest.raises(UnsafeOutput, match="refusing"):
            run_build(content, out)
    assert tree_digest(tmp_path) == before
    result = build_py("--content", content, "--out", tmp_path / "mine")
    assert result.returncode != 0 and "not made by Dossier" in result.stderr
    assert tree_digest(tmp_path) == before
    run_build(content, tmp_path / "dist")  # an unused name is fine
    assert_good_pages(tmp_path / "dist")


def test_an_output_inside_the_content_folder_is_refused(tmp_path: Path) -> None:
    content = make_content(tmp_path, {})
    with pytest.raises(UnsafeOutput, match="which the build reads"):
        run_build(content, content / "dist")


def test_a_previous_output_inside_the_content_folder_is_not_read_as_articles(tmp_path: Path) -> None:
    content = make_content(tmp_path, {})
    run_build(content, tmp_path / "elsewhere")
    shutil.copytree(tmp_path / "elsewhere", content / "old-site")
    report = run_build(content, tmp_path / "dist")
    assert set(records(tmp_path / "dist")) == set(GOOD)
    assert not any(problem.file.startswith("old-site/") for problem in report.problems)
    assert has_message(report.problems, "old-site", "skipped: a Dossier output folder")
    assert_good_pages(tmp_path / "dist")


# --- script in the content -----------------------------------------------------------------------

VECTORS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</title><script>alert(1)</script>",
    "<svg onload=alert(1)>",
    "{{7*7}}",
    "' onmouseover='alert(1)",
    "<iframe src=javascript:alert(1)></iframe>",
    "]]><script>alert(1)</script>",
    "<!-- -->",
    "&lt;b&gt;pre-escaped&lt;/b&gt;",
    "\u2028\u2029",
]
# Any of these in a page means a payload got through unescaped.
RAW_PAYLOADS = [
    "<script>alert",
    "<img src=x",
    "<svg onload",
    "</title><script>",
    "<iframe src",
    "]]><script>",
]
BAD_URLS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    'https://example.org/"><script>alert(1)</script>',
    "vbscript:msgbox(1)",
]
SAVED_PAGE = """<!doctype html><html lang="en"><head>
<title>&lt;script&gt;alert(1)&lt;/script&gt; page title</title>
<link rel="canonical" href="javascript:alert(1)">
<meta property="og:url" content="javascript:alert(1)">
</head><body><article><h1>&lt;script&gt;alert(1)&lt;/script&gt; page title</h1>
<p>{lead} &lt;img src=x onerror=alert(1)&gt; and &lt;svg onload=alert(1)&gt; as text.</p>
<script>alert(1)</script><p onclick="alert(1)">{follow}</p>
</article></body></html>
"""


def _xss_content(root: Path) -> Path:
    files: dict[str, str | bytes] = {}
    for number, vector in enumerate(VECTORS):
        front = f"lang: {json.dumps(vector)}\nslug: {json.dumps(vector)}\ndate: {json.dumps(vector)}\n"
        front += f"countries: [{json.dumps(vector)}]\nsource: {json.dumps(vector)}\n"
        body = f"{vector}\n\n{LEAD} {vector}\n\n{FOLLOW} `{vector}` {vector}\n"
        files[f"xss/{number:02d}.md"] = article(f"Title {vector} end", front, body)
        files[f"xss/{number:02d}.txt"] = f"Plain {vector} title\n\n{LEAD} {vector}\n\n{FOLLOW}\n"
    for number, url in enumerate(BAD_URLS):
        files[f"urls/{number}.md"] = article(f"Bad URL {number}", f"source: {json.dumps(url)}\n")
    files["pages/saved.html"] = SAVED_PAGE.format(lead=LEAD, follow=FOLLOW)
    files['names/"><img src=x onerror=alert(1)>.md'] = article("Named badly")
    files["site.yaml"] = SITE_YAML.replace("Test dossier", "<script>alert(1)</script> Dossier") + (
        "description: '\"><img src=x onerror=alert(1)> {{7*7}}'\n"
    )
    return make_content(root, files)


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    root = tmp_path_factory.mktemp("xss")
    report = run_build(_xss_content(root), root / "dist", search=True)
    return root / "dist", report


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _unsafe_url(value: str) -> bool:
    squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
    return squeezed.startswith(("javascript:", "data:", "vbscript:"))


def _content_files(out: Path) -> list[Path]:
    """Every output file that content can reach (our static assets and Pagefind's code cannot)."""
    vendor = re.compile(r"^(assets/|pagefind/[^/]+\.(js|css)$|pagefind/wasm\.)")
    return [
        path
        for path in sorted(out.rglob("*"))
        if path.is_file() and not vendor.match(path.relative_to(out).as_posix())
    ]


def _text_of(path: Path) -> str:
    """A file's text; for a Pagefind fragment, all but the page text and title it stores as data."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":  # Pagefind's index and fragments are gzipped
        data = gzip.decompress(data)
    text = data.decode("utf-8", errors="replace")
    if path.suffix == ".pf_fragment":
        fragment = json.loads(text.removeprefix("pagefind_dcd"))
        fragment.pop("content"), fragment["meta"].pop("title")  # escaped by Pagefind's UI: see below
        text = json.dumps(fragment, ensure_ascii=False)
    return text


def test_no_payload_appears_unescaped_in_any_file(xss_site: tuple[Path, BuildReport]) -> None:
    out, _ = xss_site
    files = _content_files(out)
    assert any(path.suffix == ".pf_fragment" for path in files)  # the search index is checked too
    for path in files:
        text = _text_of(path)
        for payload in RAW_PAYLOADS:
            assert payload not in text, f"{path.relative_to(out)}: {payload!r}"
    assert_good_pages(out)


def test_search_results_escape_the_text_pagefind_stores(xss_site: tuple[Path, BuildReport]) -> None:
    """Pagefind keeps each page's text and title as plain data (decoded from our escaped HTML);
    its script escapes the text before building an excerpt, and its UI shows titles as text."""
    out, _ = xss_site
    script = (out / "pagefind" / "pagefind.js").read_text("utf-8")
    assert 'fragment.raw_content=fragment.content.replace(/</g,"&lt;").replace(/>/g,"&gt;")' in script
    stored = [_fragment(path) for path in (out / "pagefind" / "fragment").glob("*.pf_fragment")]
    assert any("<script>alert(1)</script>" in fragment["meta"]["title"] for fragment in stored)


def _fragment(path: Path) -> dict:
    return json.loads(gzip.decompress(path.read_bytes()).decode("utf-8").removeprefix("pagefind_dcd"))


def test_html_pages_have_no_injected_tags_attributes_or_links(xss_site: tuple[Path, BuildReport]) -> None:
    out, _ = xss_site
    for path in out.rglob("*.html"):
        parser = _Tags()
        parser.feed(path.read_text("utf-8"))
        where = path.relative_to(out)
        for tag, attrs in parser.tags:
            assert tag not in {"img", "iframe", "object", "embed", "base"}, (where, tag)
            for name, value in attrs:
                assert not name.startswith("on"), (where, tag, name)
                if name in {"href", "src", "action", "formaction", "xlink:href"} and value:
                    assert not _unsafe_url(value), (where, tag, name, value)
            if tag == "script":
                assert dict(attrs).get("src", "").endswith("assets/site.js"), (where, attrs)


def test_feeds_and_sitemap_are_well_formed_and_link_nothing_unsafe(
    xss_site: tuple[Path, BuildReport],
) -> None:
    out, _ = xss_site
    for path in [*out.rglob("*.xml")]:
        root = ET.parse(path).getroot()  # well-formed: nothing broke out of the markup
        for element in root.iter():
            assert not element.tag.lower().endswith(("script", "img", "svg")), path
            assert not any(name.startswith("on") for name in element.attrib), path
            assert not _unsafe_url(element.get("href", "")), path
    feed = (out / "feed.xml").read_text("utf-8")
    assert "Title &lt;script&gt;alert(1)&lt;/script&gt; end" in feed


def test_content_is_kept_as_text_not_evaluated_or_lost(xss_site: tuple[Path, BuildReport]) -> None:
    out, report = xss_site
    published = records(out)
    for number, vector in enumerate(VECTORS):
        record = published[f"xss/{number:02d}.md"]
        clean_vector = " ".join(vector.split())
        assert record["title"] == " ".join(f"Title {vector} end".split())  # the data survives as text
        assert record["source"] is None and record["lang"] in (None, "en")
        assert re.fullmatch(r"[a-z0-9-]+", record["slug"])
        if clean_vector:
            assert clean_vector in record["text"]
    raw = (out / "data/articles.json").read_text("utf-8")
    assert "<" not in raw and ">" not in raw  # inert even if pasted into a page
    page = (out / "articles" / published["xss/05.md"]["slug"] / "index.html").read_text("utf-8")
    assert "Title {{7*7}} end" in page and "Title 49 end" not in page
    pre_escaped = (out / "articles" / published["xss/10.md"]["slug"] / "index.html").read_text("utf-8")
    assert "&amp;lt;b&amp;gt;pre-escaped" in pre_escaped  # shown as typed, not turned into markup
    for number in range(len(BAD_URLS)):
        assert published[f"urls/{number}.md"]["source"] is None
        assert has_message(report.problems, f"urls/{number}.md:3", "not an http(s) URL; not linked")
    assert published['names/"><img src=x onerror=alert(1)>.md']["title"] == "Named badly"
    saved = published["pages/saved.html"]
    assert saved["source"] is None and "alert(1)" in saved["title"]
    assert_good_pages(out)


def test_bad_front_matter_values_are_reported(xss_site: tuple[Path, BuildReport]) -> None:
    _, report = xss_site
    for key, words in (("lang", "not a language code"), ("date", "is not a date")):
        line = {"lang": 3, "date": 5}[key]
        assert has_message(report.problems, f"xss/00.md:{line}", words), messages(report.problems)
    assert has_message(report.problems, "xss/00.md:6", "unknown country code '<script>alert(1)</script>'")
