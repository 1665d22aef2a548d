"""Properties that hold for any input (hypothesis): load, clean and extract never raise, the text
a reader is shown is exactly the text the cleaner kept, and slugs and URLs stay safe.

Example counts are modest so that the suite stays fast; raise them locally when hunting bugs
(`HYPOTHESIS_PROFILE=thorough pytest tests/test_properties.py`)."""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier import clean, extract, load
from dossier.models import Document

# Derandomized, no example database: the same examples on every run, nothing written to the project.
settings.register_profile(
    "default",
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=2000, deadline=None, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

LEAD = (
    "The government in Berlin said on Monday that the operators of the mobile networks may keep "
    "using the equipment of the Chinese supplier for now, while the security agency reviews it."
)
REALISTIC = [
    LEAD,
    "Huawei eröffnet in Brüssel ein Sicherheitszentrum",
    "Le gouvernement français a déclaré lundi que les opérateurs devaient être prudents.",
    "Log in",
    "Subscribe to our newsletter",
    "Source: https://www.example.org/news/1",
    "Published 5 March 2019",
    "date 2019-01-02 The minister spoke.",
    "© 2020 Example Media",
    "https://example.org/a",
    "Read more:",
    "- item",
    "",
]
# Anything Unicode allows in a str except lone surrogates (a decoded file never has them).
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
LINES = st.lists(st.one_of(st.sampled_from(REALISTIC), ANY_TEXT), max_size=25)
FRONT_MATTER = st.fixed_dictionaries(
    {},
    optional={
        "title": ANY_TEXT,
        "lang": st.sampled_from(["en", "de", "fr", "xx", "EN", ""]),
        "countries": st.lists(st.sampled_from(["DE", "fr", "XX", "Narnia", ""]), max_size=3),
        "source": st.one_of(st.sampled_from(["https://example.org/a", "javascript:alert(1)"]), ANY_TEXT),
        "slug": ANY_TEXT,
        "draft": st.booleans(),
    },
)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    lines = draw(LINES)
    start = draw(st.integers(min_value=1, max_value=50))
    kind = draw(st.sampled_from(["text", "markdown", "html"]))
    return Document("articles/a.txt", kind, "\n".join(lines), start, draw(FRONT_MATTER), content_hash="h")


LANGUAGES = st.sampled_from([(), ("en",), ("de", "fr", "nl", "en")])


@given(documents(), LANGUAGES)
def test_clean_and_extract_never_raise_and_keep_every_content_line(
    document: Document, languages: tuple[str, ...]
) -> None:
    cleaned = clean.clean(document, languages)
    article, problems = extract.extract(cleaned)
    body_lines = document.body.split("\n")
    for line in cleaned.lines:
        assert document.body_start_line <= line.number < document.body_start_line + len(body_lines)
    content = [line.text.strip() for line in cleaned.lines if line.label not in ("boilerplate", "metadata")]
    content = [text for text in content if text]
    if not content:
        assert article is None and problems
        return
    assert article is not None
    shown = [*article.paragraphs, article.title]
    for text in content:
        assert any(text in kept for kept in shown), text
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", article.slug)


@given(st.binary(max_size=2000), st.sampled_from(["a.txt", "a.md", "a.html"]))
def test_load_never_raises_on_any_bytes(data: bytes, name: str) -> None:
    document, problems = load.load_bytes(name, data)
    assert all(problem.file == name for problem in problems)
    if document is not None:
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]", document.body)
        assert "\r" not in document.body and document.body.strip()


@given(ANY_TEXT)
def test_front_matter_of_any_text_never_raises(text: str) -> None:
    values, _, _, _, problems = load.split_front_matter("a.md", f"---\n{text}\n---\nBody.")
    assert set(values) <= load.FRONT_MATTER_KEYS
    assert all(problem.line is None or problem.line >= 1 for problem in problems)


@given(ANY_TEXT, ANY_TEXT)
def test_slugs_are_always_safe_folder_names(title: str, file: str) -> None:
    slug = extract.slugify(title, file)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) and len(slug) <= 91
    assert slug not in extract.RESERVED_SLUGS and slug == extract.slugify(title, file)


@given(st.one_of(ANY_TEXT, st.from_regex(r"\A[ \t]*[a-zA-Z\t]{1,12}:[^ ]{0,30}\Z")))
def test_a_linked_url_is_always_http_or_https(url: str) -> None:
    if extract.is_linkable_url(url):
        assert re.match(r"https?://[^\s\"<>`]+\Z", url, re.IGNORECASE)
