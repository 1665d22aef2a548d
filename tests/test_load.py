"""load: front matter with line numbers, decoding, discovery, size limit, site.yaml, slugs and URLs."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from dossier import load
from dossier.config import load_site_config
from dossier.extract import slugify
from dossier.links import is_linkable_url
from dossier.load import MAX_BYTES, decode, find_articles, load_bytes, read_content, split_front_matter
from dossier.models import PartialDate, Problem

BODY = "The government in Berlin said on Monday that operators may keep using the equipment."
GERMAN = "Ärger über Straßen: Müller prüft „Größe“ – sagt er."
FRENCH = "Très bien, à bientôt. Où est la gare? Déjà vu, œuvre complète…"


def _front(yaml_text: str) -> tuple[dict[str, object], dict[str, int], str, int, list[Problem]]:
    return split_front_matter("a.md", f"---\n{yaml_text}\n---\n{BODY}\n")


def _messages(problems: list[Problem]) -> list[str]:
    return [str(problem) for problem in problems]


# Front matter


def test_front_matter_values_and_their_lines() -> None:
    values, lines, body, start, problems = _front(
        "title: A title\ndate: 2020-02-03\ncountries: [de, FR]\ndraft: yes\nlang: pt-BR\nslug: my-slug"
    )
    assert not problems
    assert values == {
        "title": "A title",
        "date": PartialDate(2020, 2, 3),
        "countries": ["de", "FR"],
        "draft": True,
        "lang": "pt-BR",
        "slug": "my-slug",
    }
    assert lines == {"title": 2, "date": 3, "countries": 4, "draft": 5, "lang": 6, "slug": 7}
    assert body == BODY + "\n" and start == 9


def test_values_keep_the_text_as_written() -> None:
    # YAML 1.1 would read these as False, 1.1 and a datetime.
    values, *_ = _front("title: no\nslug: 1.10\ndate: 2019-05-06 10:30:00")
    assert values == {"title": "no", "slug": "1.10", "date": PartialDate(2019, 5, 6)}


@pytest.mark.parametrize(
    ("yaml_text", "line", "words"),
    [
        ("title: ok\ndate: yesterday", 3, "'yesterday' is not a date"),
        ("title: ok\ndate: 2020-13-45", 3, "'2020-13-45' is not a date"),  # PyYAML itself raised here
        ("title: ok\n\nauthor: me", 4, "unknown front-matter key 'author'"),
        ("title: [a, b]", 2, "expected text, got a list"),
        ("draft: maybe", 2, "expected true or false"),
        ("countries: [DE, {a: 1}]", 2, "expected a list of ISO country codes"),
        ("lang: '\"><script>'", 2, "is not a language code"),
        ("title: ok\ntitle: again", 3, "'title' is given twice (also line 2)"),
        ("title: ok\ndate: [2020", 3, "not valid YAML (expected ',' or ']'"),
        ("title: 'unclosed\n\nslug: x", 2, "while scanning a quoted scalar"),
        ("title: a: b", 2, "not valid YAML"),
        ("? [a]\n: b", 2, "a key must be a name"),
    ],
)
def test_bad_front_matter_is_reported_with_its_line(yaml_text: str, line: int, words: str) -> None:
    values, _, body, _, problems = _front(yaml_text)
    assert any(p.line == line and words in p.message for p in problems), _messages(problems)
    assert body.strip() == BODY  # the article itself is still read
    assert all(isinstance(value, str | bool | list | PartialDate) for value in values.values())


def test_unclosed_front_matter_keeps_the_whole_text() -> None:
    text = f"---\ntitle: x\n{BODY}\n"
    values, _, body, start, problems = split_front_matter("a.md", text)
    assert values == {} and body == text and start == 1
    assert _messages(problems) == ["a.md:1: front matter opened with '---' is never closed"]


def test_prose_between_rules_is_text_not_front_matter() -> None:
    text = f"---\n{BODY}\n---\nMore text.\n"
    values, _, body, _, problems = split_front_matter("a.txt", text)
    assert values == {} and body == text  # nothing lost
    assert "read as text" in problems[0].message and problems[0].line == 1


def test_deeply_nested_and_aliased_yaml_cannot_hurt() -> None:
    values, _, _, _, problems = _front("title: " + "[" * 5000 + "]" * 5000)
    assert "title" not in values and problems
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    bomb += "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\ntitle: [*c, *c, *c, *c, *c, *c, *c, *c, *c]"
    values, _, _, _, problems = _front(bomb)
    assert "title" not in values and len(problems) == 4


def test_yaml_escapes_cannot_smuggle_in_forbidden_characters() -> None:
    values, *_ = _front('title: "a\\x01b\\ud800c\\uFFFEd"')
    assert values["title"] == "abcd"


# Decoding


@pytest.mark.parametrize(
    ("data", "expected", "guessed"),
    [
        (GERMAN.encode("utf-8"), GERMAN, None),
        (codecs.BOM_UTF8 + GERMAN.encode("utf-8"), GERMAN, None),
        (codecs.BOM_UTF16_BE + GERMAN.encode("utf-16-be"), GERMAN, None),
        (codecs.BOM_UTF16_LE + GERMAN.encode("utf-16-le"), GERMAN, None),
        (codecs.BOM_UTF32_LE + GERMAN.encode("utf-32-le"), GERMAN, None),  # its BOM starts like UTF-16's
        (GERMAN.encode("cp1252"), GERMAN, "Windows-1252"),
        (FRENCH.encode("cp1252"), FRENCH, "Windows-1252"),
    ],
)
def test_text_encodings_are_read_correctly(data: bytes, expected: str, guessed: str | None) -> None:
    text, problem = decode("a.txt", data)
    assert text == expected
    if guessed is None:
        assert problem is None
    else:
        assert problem is not None and f"read as {guessed}" in problem.message


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Très bien, à bientôt. Où est la gare?", "latin-1"),
        ("O governo português decidiu que a operação não será permitida.", "latin-1"),
        ("Il governo ha deciso che la società sarà esclusa. Perché? Così è.", "cp1252"),
        ("El Gobierno español decidió que la compañía será excluida.", "latin-1"),
        ("Regeringen har beslutat att Huawei inte får delta. Åsa, Örebro.", "cp1252"),
        ("Rząd w Warszawie zdecydował, że łączność będzie źródłem bezpieczeństwa.", "cp1250"),
        ("Vláda České republiky rozhodla, že společnost představuje riziko.", "iso8859_2"),
    ],
)
def test_legacy_encodings_of_our_languages_are_guessed(text: str, encoding: str) -> None:
    decoded, problem = decode("a.txt", text.encode(encoding))
    assert decoded == text
    assert problem is not None and "not UTF-8" in problem.message


def test_line_ends_and_control_characters_are_normalised() -> None:
    assert decode("a", b"one\r\ntwo\rthree\n")[0] == "one\ntwo\nthree\n"
    assert decode("a", b"a\x01b\x7fc\x1bd\x0ce")[0] == "abcd e"
    assert decode("a", "x\u2028y\x85z".encode())[0] == "x y z"


def test_utf8_with_a_few_broken_bytes_stays_utf8() -> None:
    data = GERMAN.encode("utf-8") + b"\nline two \xff\n"
    text, problem = decode("a.txt", data)
    assert text == GERMAN + "\nline two \ufffd\n"
    assert problem is not None and problem.line == 2 and "not UTF-8" in problem.message


def test_binary_files_are_skipped() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
    document, problems = load_bytes("picture.txt", png)
    assert document is None and "binary file" in problems[0].message and problems[0].file == "picture.txt"


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n  ", codecs.BOM_UTF8, b"---\ntitle: x\n---\n\n  \n"])
def test_empty_files_are_skipped_with_a_message(data: bytes) -> None:
    document, problems = load_bytes("a.md", data)
    assert document is None and any(p.message.startswith("skipped:") for p in problems)


def test_load_never_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(file: str, text: str) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(load, "split_front_matter", broken)
    document, problems = load_bytes("a.md", BODY.encode())
    assert document is None and "RuntimeError: a bug" in problems[0].message
    assert problems[0].severity == "error"


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_front_matter_with_windows_or_old_mac_line_ends(newline: str) -> None:
    data = newline.join(["---", "title: T", "date: 2020-01", "---", BODY, ""]).encode("utf-16")
    document, problems = load_bytes("a.md", data)
    assert document is not None and not problems
    assert document.front_matter == {"title": "T", "date": PartialDate(2020, 1)}
    assert document.body == BODY + "\n" and document.front_matter_lines == {"title": 2, "date": 3}


def test_markdown_body_keeps_its_line_numbers() -> None:
    document, problems = load_bytes("a.md", f"---\ntitle: T\n---\n# Heading\n\n{BODY}\n".encode())
    assert document is not None and not problems
    assert document.body_start_line == 4 and document.body.split("\n")[2] == BODY


# Size limit


def test_a_file_over_the_limit_is_refused_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1024 * 1024)
    opened = []
    monkeypatch.setattr("builtins.open", lambda *args, **kwargs: opened.append(args))
    data, problem = read_content(big, "big.txt")
    assert data is None and not opened
    assert problem is not None and str(problem) == "big.txt: skipped: 50.0 MB is over the 5 MB limit"


def test_a_file_at_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"a" * MAX_BYTES)
    data, problem = read_content(path, "a.txt")
    assert problem is None and data is not None and len(data) == MAX_BYTES
    assert load_bytes("a.txt", b"a" * (MAX_BYTES + 1))[1][0].message.startswith("skipped: 5.0 MB")


@pytest.mark.parametrize("grown_to", [30, MAX_BYTES + 10])
def test_a_file_that_grew_after_its_size_was_read_is_read_up_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, grown_to: int
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"a" * grown_to)
    seen = os.stat(path)
    stat_then = os.stat_result((*seen[:6], 5, *seen[7:]))  # the size when it was stat'ed: 5 bytes
    monkeypatch.setattr(Path, "stat", lambda self, **kwargs: stat_then)
    data, problem = read_content(path, "a.txt")
    if grown_to <= MAX_BYTES:
        assert problem is None and data == b"a" * grown_to
    else:
        assert data is None and problem is not None and "over the 5 MB limit" in problem.message


# Discovery


def test_discovery_skips_what_it_must_not_read(tmp_path: Path) -> None:
    content, outside = tmp_path / "content", tmp_path / "outside"
    (content / "articles").mkdir(parents=True)
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text(BODY)
    (outside / "folder" / "more.txt").write_text(BODY)
    (content / "articles" / "good.md").write_text(BODY)
    (content / "articles" / "notes.pdf").write_text(BODY)
    (content / ".hidden.txt").write_text(BODY)
    (content / "link-out.txt").symlink_to(outside / "secret.txt")
    (content / "folder-out").symlink_to(outside / "folder")
    (content / "link-in.txt").symlink_to(content / "articles" / "good.md")
    (content / "dangling.txt").symlink_to(content / "missing.txt")
    (content / "loop.txt").symlink_to(content / "loop.txt")
    os.mkfifo(content / "pipe.txt")
    (content / "old-dist").mkdir()
    (content / "old-dist" / ".dossier-output").write_text("")
    (content / "old-dist" / "index.html").write_text("<p>x</p>")
    bad_name = os.fsencode(content) + b"/caf\xe9.txt"
    with open(bad_name, "wb") as handle:
        handle.write(BODY.encode())

    files, problems = find_articles(content)
    assert files == ["articles/good.md", "link-in.txt"]
    reasons = {p.file: p.message for p in problems}
    assert reasons == {
        "link-out.txt": "skipped: a symlink to a file outside the content folder",
        "folder-out": "skipped: a folder symlinked from outside the content folder",
        "dangling.txt": "skipped: a broken symlink",
        "loop.txt": "skipped: a broken symlink",
        "pipe.txt": "skipped: not a regular file",
        "old-dist": "skipped: a Dossier output folder",
        "caf\ufffd.txt": "skipped: the file name is not valid UTF-8 (rename the file)",
    }


# site.yaml


def _site(tmp_path: Path, text: str | bytes) -> tuple[object, list[str]]:
    path = tmp_path / "site.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    config, problems = load_site_config(tmp_path)
    return config, _messages(problems)


def test_site_settings_are_read(tmp_path: Path) -> None:
    config, problems = _site(
        tmp_path, "title: no\ndescription: A\nbase_url: https://x.org/d\nlanguage: DE\nlanguages: [de, fr]"
    )
    assert not problems
    assert (config.title, config.base_url, config.language, config.languages) == (  # type: ignore[attr-defined]
        "no",
        "https://x.org/d/",
        "de",
        ["de", "fr"],
    )


def test_bad_site_settings_are_reported_and_defaults_used(tmp_path: Path) -> None:
    config, problems = _site(
        tmp_path,
        "title: [a]\nbase_url: javascript:alert(1)\nlanguage: '<b>'\nlanguages: [de, 5 x]\ncolour: red\n"
        "published: 2020-13-45\n",
    )
    assert config.title == "Dossier" and config.base_url == "" and config.language == "en"  # type: ignore[attr-defined]
    assert config.languages == ["de"]  # type: ignore[attr-defined]
    assert [problem.split(":")[1] for problem in problems] == ["1", "2", "3", "4", "5", "6"]


@pytest.mark.parametrize("text", ["a: [", "just a sentence", b"\x00\x01binary", "\ufeff"])
def test_unusable_site_yaml_gives_defaults(tmp_path: Path, text: str | bytes) -> None:
    config, problems = _site(tmp_path, text)
    assert config.title == "Dossier"  # type: ignore[attr-defined]
    assert all(problem.startswith("site.yaml") for problem in problems)


def test_unreadable_site_yaml_does_not_stop_the_build(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").mkdir()
    config, problems = load_site_config(tmp_path)
    assert config.title == "Dossier" and problems and problems[0].file == "site.yaml"


def test_a_bad_base_url_override_is_reported(tmp_path: Path) -> None:
    config, problems = load_site_config(tmp_path, "javascript:alert(1)")
    assert config.base_url == "" and problems[0].file == "--base-url"


# Slugs and source URLs (extract.slugify and extract._source)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Straße in Łódź", "strasse-in-lodz"),
        ("Ærø og Øresund", "aero-og-oresund"),
        ("Москва и Киев", "moskva-i-kiev"),
        ("Αθήνα", "athina"),
        ("../../etc/passwd", "etc-passwd"),
        ("/absolute/path", "absolute-path"),
        ("tab\tand\x00nul\nline", "tab-and-nul-line"),
    ],
)
def test_slugs_are_transliterated_and_safe(title: str, slug: str) -> None:
    assert slugify(title, "a.md") == slug


def test_reserved_and_empty_slugs_get_a_stable_suffix() -> None:
    for title in ["con", "COM1", "lpt9", "index", "华为", "", "../..", "…"]:
        slug = slugify(title, "a.md")
        assert slug == slugify(title, "a.md") != slugify(title, "b.md")
        assert slug.replace("-", "").isalnum() and slug.isascii() and slug.islower()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "http://",
        "https:javascript:alert(1)",
        "//example.org/a",
        'https://example.org/"><script>',
        "http://[::1",
    ],
)
def test_only_http_urls_with_a_host_are_linked(url: str) -> None:
    assert not is_linkable_url(url)


def test_ordinary_urls_are_linked() -> None:
    assert is_linkable_url("https://www.example.org/a/b?c=d&e=f#g")
    assert is_linkable_url("HTTP://EXAMPLE.ORG")
