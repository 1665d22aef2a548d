"""extract: title, date, source, language, slug from a cleaned document."""

from __future__ import annotations

from dossier.extract import extract, is_headline, slugify, title_from_lead
from dossier.models import CleanDocument, Document, Line, PartialDate


def _cleaned(
    lines: list[tuple[str, str]],
    front: dict | None = None,
    metadata: dict | None = None,
    lang: str | None = "en",
) -> CleanDocument:
    body = "\n".join(text for text, _ in lines)
    document = Document("articles/a.txt", "text", body, 1, front_matter=front or {}, content_hash="h")
    labelled = [Line(i + 1, text, label) for i, (text, label) in enumerate(lines)]  # type: ignore[arg-type]
    return CleanDocument(document, labelled, lang, metadata or {})


BODY = "The government said on Monday that it would review the decision in the coming weeks."


def test_first_short_content_line_is_the_title() -> None:
    article, problems = extract(
        _cleaned([("Menu", "boilerplate"), ("A headline here", "content"), (BODY, "content")])
    )
    assert article is not None and not problems
    assert article.title == "A headline here" and not article.title_is_generated
    assert article.paragraphs == [BODY]


def test_without_a_headline_the_title_comes_from_the_lead() -> None:
    lead = "Officials in the capital have not yet decided. Later sentences follow here."
    article, _ = extract(_cleaned([(lead, "content"), (BODY, "content")]))
    assert article is not None
    assert article.title == "Officials in the capital have not yet decided" and article.title_is_generated
    assert article.paragraphs[0] == lead  # the lead stays in the text


def test_long_lead_is_cut_at_a_word() -> None:
    title = title_from_lead("word " * 60 + "end.")
    assert title.endswith("…") and len(title) < 100 and "wor …" not in title


def test_headline_rules() -> None:
    assert is_headline("Huawei opens a centre in Brussels")
    assert is_headline("Is this the end?")
    assert not is_headline("This is a sentence of the body.")
    assert not is_headline(" ".join(["word"] * 40))


def test_front_matter_wins() -> None:
    front = {
        "title": "Given title",
        "date": PartialDate(2020, 5),
        "source": "https://example.org/x",
        "lang": "fr",
        "slug": "my-slug",
    }
    cleaned = _cleaned(
        [("Another headline", "content"), (BODY, "content")],
        front=front,
        metadata={"date": "2019-01", "source": "https://other.example/"},
    )
    article, _ = extract(cleaned)
    assert article is not None
    assert (article.title, article.date, article.source, article.lang, article.slug) == (
        "Given title",
        PartialDate(2020, 5),
        "https://example.org/x",
        "fr",
        "my-slug",
    )


def test_metadata_lines_give_date_and_source() -> None:
    cleaned = _cleaned(
        [("Headline", "content"), (BODY, "content")],
        metadata={"date": "2019-01", "source": "https://example.org/a"},
    )
    article, _ = extract(cleaned)
    assert (
        article is not None
        and article.date == PartialDate(2019, 1)
        and article.source == "https://example.org/a"
    )


def test_date_from_a_dateline_keeps_its_precision_and_never_defaults_to_today() -> None:
    dated, _ = extract(
        _cleaned([("Headline", "content"), ("Published 5 March 2019", "boilerplate"), (BODY, "content")])
    )
    assert dated is not None and dated.date == PartialDate(2019, 3, 5)
    undated, _ = extract(_cleaned([("Headline", "content"), (BODY, "content")]))
    assert undated is not None and undated.date is None


def test_unsafe_source_is_dropped_with_a_message() -> None:
    article, problems = extract(
        _cleaned([("Headline", "content"), (BODY, "content")], front={"source": "javascript:alert(1)"})
    )
    assert article is not None and article.source is None
    assert any("not an http(s) URL" in p.message for p in problems)


def test_only_boilerplate_gives_no_article() -> None:
    article, problems = extract(_cleaned([("Log in", "boilerplate"), ("Follow us", "boilerplate")]))
    assert article is None and "boilerplate" in problems[0].message


def test_front_matter_countries_replace_the_extracted_ones() -> None:
    article, problems = extract(
        _cleaned([("Headline", "content"), (BODY, "content")], front={"countries": ["de", "XX"]})
    )
    assert article is not None and article.countries == ["DE"]
    assert any("XX" in p.message for p in problems)


def test_slugs_are_safe() -> None:
    assert slugify("Huawei eröffnet in Brüssel", "f") == "huawei-eroffnet-in-brussel"
    assert slugify("../../etc/passwd", "f") == "etc-passwd"
    for text in ["", "华为", "../", "index", "con"]:
        slug = slugify(text, "file.txt")
        assert slug and "/" not in slug and ".." not in slug and slug not in {"index", "con"}
    assert len(slugify("a" * 500, "f")) <= 80
    assert slugify("华为", "a.txt") == slugify("华为", "a.txt") != slugify("华为", "b.txt")


def test_a_lead_starting_with_a_date_keeps_its_sentence() -> None:
    title = title_from_lead("Am 16. März 2021 legte das Ministerium einen Entwurf vor. Danach folgte mehr.")
    assert title == "Am 16. März 2021 legte das Ministerium einen Entwurf vor"
    assert title_from_lead("Dr. Smith said the plan was ready. Others disagreed.") == (
        "Dr. Smith said the plan was ready"
    )


def test_the_leads_opening_date_wins_over_a_later_month() -> None:
    lines = [
        ("Ministerium legt Entwurf vor", "content"),
        (
            "Am 4. September 2023 legte das Ministerium einen Entwurf für strengere Regeln vor, den die "
            "Betreiber nun prüfen.",
            "content",
        ),
        (BODY, "content"),
        ("Schon im August 2022 gab es Pläne.", "content"),
    ]
    article, _ = extract(_cleaned(lines, lang="de"))
    assert article is not None and article.date == PartialDate(2023, 9, 4)
