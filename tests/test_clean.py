"""clean: every line labelled content, boilerplate or metadata from general signals."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.clean import DATA, clean, language_rules
from dossier.models import Document

FIXTURES = Path(__file__).parent / "fixtures" / "clean"
COUNCIL_PARAGRAPH = (
    "The council voted on the budget late on Thursday evening, after the members had discussed "
    "the proposal for several hours and the finance officer had answered all of their questions."
)


def _document(body: str, kind: str = "text", **front: object) -> Document:
    return Document("a.txt", kind, body, 1, front_matter=dict(front))  # type: ignore[arg-type]


def _content(body: str, **front: object) -> list[str]:
    return [line.text for line in clean(_document(body, **front)).content]


def test_a_page_with_menus_credits_and_calls_to_action() -> None:
    content = _content((FIXTURES / "page_en.txt").read_text("utf-8"))
    assert content[0] == "Harbour authority approves the new container terminal"  # the headline
    assert "What happens next" in content  # a subheading between paragraphs
    assert sum(len(text) > 100 for text in content) == 4  # every paragraph
    for furniture in [
        "Home",
        "Skip to main content",
        "Photo: Jane Example / Example Agency",
        "Share this article",
        "Related articles",
        "New bridge opens in the north",
    ]:
        assert furniture not in content


def test_bylines_captions_credits_and_gallery_furniture_are_boilerplate() -> None:
    cleaned = clean(_document((FIXTURES / "page_with_gallery_en.txt").read_text("utf-8")))
    content = [line.text for line in cleaned.content]
    assert content[0] == "Council opens the new library on the market square"  # first copy: the headline
    assert content[3].startswith("Readers queued outside before the doors opened")
    assert sum(len(text) > 120 for text in content) == 3
    reasons = {line.text: line.reason for line in cleaned.lines}
    assert reasons["By Jane Example | Example Times"] == "byline"
    assert (
        reasons["Image caption The new reading room on the first floor, seen from the square"]
        == "image credit"
    )
    assert reasons["Jane Example/Example Images (AP)"] == "image credit"
    assert reasons["1 / 12"] == "gallery counter"
    assert reasons["Back to Gallery"].startswith("call to action")
    assert reasons["Updated 4 min read"].startswith("call to action")
    assert len(content) == 5


def test_a_results_paragraph_full_of_names_and_numbers_is_prose() -> None:
    intro = (
        "The home side needed a win on the last day of the group stage, and the coach had picked "
        "the same players who had won the final in the spring, with one change in defence."
    )
    results = "Smith beat Jones 6-4, 6-3 and Brown defeated Green 7-5, 6-2 in Group C on Tuesday."
    table = "Group C standings: Smith 3 Jones 1 Brown 2 Green 0 Black 1 White 2"
    cleaned = clean(_document("\n".join([intro, results, intro.replace("home", "away"), table]), lang="en"))
    assert [line.label for line in cleaned.lines] == ["content", "content", "content", "boilerplate"]


def test_readers_comments_after_the_article_are_boilerplate() -> None:
    paragraph = COUNCIL_PARAGRAPH
    comment = "I was at the meeting and I think the council made the right choice for the town this time."
    body = "\n".join(
        [paragraph, paragraph.replace("Thursday", "Friday"), "3 Comments", "Jane", comment, comment]
    )
    labels = [line.label for line in clean(_document(body, lang="en")).lines]
    assert labels == ["content", "content", "boilerplate", "boilerplate", "boilerplate", "boilerplate"]


def test_a_subheading_is_not_a_comment_heading() -> None:
    body = "\n".join([PARAGRAPH_NL, "Reacties uit Brussel", PARAGRAPH_NL.replace("regering", "minister")])
    assert [line.label for line in clean(_document(body, lang="nl")).lines] == ["content"] * 3


@pytest.mark.parametrize(
    ("fixture", "headline", "subheading"),
    [
        ("page_de.txt", "Stadtrat beschließt neuen Radweg entlang des Flusses", "Kritik der Anwohner"),
        (
            "page_fr.txt",
            "Le conseil municipal approuve la nouvelle ligne de tramway",
            "Un chantier de trois ans",
        ),
        ("page_nl.txt", "Gemeente legt nieuwe fietsroute langs de rivier aan", "Bezwaren van bewoners"),
    ],
)
def test_pages_in_other_languages(fixture: str, headline: str, subheading: str) -> None:
    """German, French and Dutch furniture from the language files: an ad label or a credit inside the
    article does not cut it; bylines, share and comment sections, footers go."""
    cleaned = clean(_document((FIXTURES / fixture).read_text("utf-8")))
    content = [line.text for line in cleaned.content]
    assert cleaned.lang == fixture[5:7]
    assert content[0] == headline
    assert subheading in content
    assert len(content) == 6 and sum(len(text) > 100 for text in content) == 4


PARAGRAPHS = {
    "de": (
        "Der Gemeinderat hat am Dienstag beschlossen, dass die alte Brücke über den Kanal im "
        "kommenden Jahr abgerissen und durch eine breitere Brücke mit einem eigenen Radweg ersetzt wird.",
        "Die Arbeiten sollen im Frühjahr beginnen und etwa zwei Jahre dauern. In dieser Zeit wird der "
        "Verkehr über eine Behelfsbrücke geleitet, die neben der alten Brücke aufgebaut wird.",
    ),
    "fr": (
        "Le conseil municipal a décidé mardi que le vieux pont sur le canal serait démoli l'an "
        "prochain et remplacé par un pont plus large avec une piste cyclable qui lui est propre.",
        "Les travaux doivent commencer au printemps et durer environ deux ans. Pendant ce temps, la "
        "circulation passera sur un pont provisoire qui sera construit à côté de l'ancien.",
    ),
    "en": (
        "The town council decided on Tuesday that the old bridge over the canal will be taken down "
        "next year and replaced by a wider bridge that has a cycle lane of its own on both sides.",
        "The work is due to start in the spring and to last for about two years. In that time the "
        "traffic will use a temporary bridge that is being built next to the old one.",
    ),
}


@pytest.mark.parametrize(
    ("lang", "headline", "caption"),
    [
        ("de", "Gemeinderat beschließt eine neue Brücke über den Kanal", "Die alte Kanalbrücke (Archivbild)"),
        ("fr", "Le conseil municipal vote un nouveau pont sur le canal", "Le vieux pont du canal (archives)"),
        ("en", "Council approves a new bridge over the canal", "The old canal bridge in winter (file photo)"),
    ],
)
@pytest.mark.parametrize("copies", [1, 2])
def test_a_marked_image_caption_under_the_headline_is_not_the_headline(
    lang: str, headline: str, caption: str, copies: int
) -> None:
    """A caption printed once or twice (with and without its picture) between the headline and the
    text: the marker ("(Archivbild)", "(archives)", "(file photo)") says it describes a picture."""
    first, second = PARAGRAPHS[lang]
    body = "\n\n".join(["Home", headline, *[caption] * copies, first, second, "Share this article"])
    cleaned = clean(_document(body, lang=lang))
    assert [line.text for line in cleaned.content] == [headline, first, second]
    assert next(line.reason for line in cleaned.lines if line.text == caption).startswith("caption marked")


def test_an_unmarked_caption_printed_twice_below_the_headline_is_not_the_headline() -> None:
    cleaned = clean(_document((FIXTURES / "page_with_caption_pair_nl.txt").read_text("utf-8"), lang="nl"))
    content = [line.text for line in cleaned.content]
    assert content[0] == "Waterschap bouwt een nieuw gemaal aan de oostkant van de polder"
    assert "Het oude gemaal aan de dijk bij de sluis" not in content
    assert len(content) == 4


def test_a_headline_printed_twice_is_still_the_headline() -> None:
    """Below a menu, two copies of one line are the headline and its copy as a caption: the first is kept."""
    first, second = PARAGRAPHS["en"]
    headline = "Council approves a new bridge over the canal"
    for top in (["Home", "News"], ["Home › Local"], ["Skip to main content"]):
        body = "\n".join([*top, headline, headline, first, second])
        assert [line.text for line in clean(_document(body, lang="en")).content] == [headline, first, second]


def test_caption_markers_end_a_line_in_brackets() -> None:
    marked = language_rules("de").caption
    assert marked is not None
    for caption in [
        "Die alte Brücke (Archivbild)",
        "Die alte Brücke (Symbolbild: Jane Example)",
        "Die alte Brücke [archivbild].",
        "Die alte Brücke (file photo)",  # English markers hold on every page
    ]:
        assert marked.search(caption), caption
    for text in [
        "Die Archivbild-Debatte (Teil 2)",
        "Ein Streit um das Archiv (und die Folgen)",
        "(Archivbild) Die Brücke",
    ]:
        assert not marked.search(text), text
    assert language_rules("fr").caption.search("Le vieux pont (photo d’archives)")  # type: ignore[union-attr]
    # Prose that happens to end in a marker is not a caption.
    long_line = f"{PARAGRAPHS['en'][0][:-1]} (file photo)"
    assert clean(_document(f"{long_line}\n{PARAGRAPHS['en'][1]}", lang="en")).lines[0].label == "content"


def test_every_language_file_has_every_kind_of_data() -> None:
    """Each language's own file, not just the English one merged into it, names its furniture."""
    keys = ["phrases", "credit_labels", "source_labels", "date_labels", "byline_labels", "credit_prefixes"]
    keys += ["caption_labels", "caption_markers", "comment_headings", "ad_labels"]
    for path in sorted(DATA.glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        assert [key for key in keys if not data.get(key)] == [], path.name


def test_a_note_of_one_or_two_sentences_is_kept() -> None:
    note = "Huawei opens a security centre in Brussels.\nThe EU welcomed the move on Tuesday."
    assert [line.label for line in clean(_document(note, lang="en")).lines] == ["content", "content"]
    menu = "Home\nContact\nLog in"
    assert [line.label for line in clean(_document(menu, lang="en")).lines] == ["boilerplate"] * 3


def test_dutch_page_metadata() -> None:
    cleaned = clean(_document((FIXTURES / "page_nl.txt").read_text("utf-8")))
    assert cleaned.metadata == {
        "date": "2021-03-04",
        "source": "https://www.example.nl/nieuws/fietsroute-rivier",
    }
    assert [line.text for line in cleaned.lines if line.label == "metadata"] == [
        "Datum: 2021-03-04",
        "Bron:",
        "https://www.example.nl/nieuws/fietsroute-rivier",
    ]


def test_line_numbers_count_from_the_file() -> None:
    document = Document("a.txt", "text", "\nFirst line of the text here\n\nSecond", 5)
    numbers = [line.number for line in clean(document).lines]
    assert numbers == [6, 8]


def test_cited_source_and_date_field_become_metadata() -> None:
    body = (
        " date 2021-03 The ministry published its report on the network this morning, and the "
        "opposition asked for a debate in parliament before the end of the month.\n\nSource:\n"
        "https://example.org/report\n"
    )
    cleaned = clean(_document(body, lang="en"))
    assert cleaned.metadata == {"date": "2021-03", "source": "https://example.org/report"}
    assert cleaned.lines[0].text.startswith("The ministry")
    assert [line.label for line in cleaned.lines] == ["content", "metadata", "metadata"]


def test_a_repeated_headline_and_logo_are_boilerplate() -> None:
    body = "\n".join(
        [
            "Logo",
            "Logo",
            "The council votes on the budget",
            "The council voted on the budget late on Thursday evening, after the members had discussed "
            "the proposal for several hours and the finance officer had answered their questions.",
            "The council votes on the budget",
        ]
    )
    labels = [(line.text, line.label) for line in clean(_document(body, lang="en")).lines]
    assert labels[0][1] == labels[1][1] == "boilerplate"
    assert labels[2] == ("The council votes on the budget", "content")
    assert labels[4] == ("The council votes on the budget", "boilerplate")


def test_two_headlines_between_paragraphs_are_related_links_one_is_a_subheading() -> None:
    paragraph = COUNCIL_PARAGRAPH
    body = "\n".join(
        [
            paragraph,
            "Ferry prices rise again on the northern routes",
            "New bridge opens in the north of the county",
            paragraph.replace("Thursday", "Friday"),
            "What happens next",
            paragraph.replace("Thursday", "Monday"),
        ]
    )
    labels = [line.label for line in clean(_document(body, lang="en")).lines]
    assert labels == ["content", "boilerplate", "boilerplate", "content", "content", "content"]


def test_a_link_inside_the_article_does_not_end_it() -> None:
    paragraph = COUNCIL_PARAGRAPH
    body = "\n".join(
        [
            paragraph,
            paragraph.replace("Thursday", "Friday"),
            "Read more: Harbour authority approves the new container terminal",
            "The mayor said the town would publish the full budget on its website next week.",
            "Related articles",
            "Ferry prices rise again",
        ]
    )
    labels = [line.label for line in clean(_document(body, lang="en")).lines]
    assert labels == ["content", "content", "boilerplate", "content", "boilerplate", "boilerplate"]


def test_time_stamps_are_boilerplate_dated_subheadings_are_not() -> None:
    paragraph = COUNCIL_PARAGRAPH
    stamps = ["Updated 10:02 AM EST Nov 19, 2019", "Tuesday November 19, 2019", "19.11.2019", "5. März 2019"]
    body = "\n".join(
        [paragraph, *[f"{stamp}\n{paragraph}" for stamp in stamps], "The budget for 2020", paragraph]
    )
    reasons = [line.reason for line in clean(_document(body, lang="en")).lines]
    assert [reason for reason in reasons if reason == "time stamp"] == ["time stamp"] * 4
    assert not reasons[-2].startswith("time stamp")


def test_a_caption_printed_twice_in_a_row_is_boilerplate() -> None:
    paragraph = COUNCIL_PARAGRAPH
    caption = "The mayor speaks to reporters outside the town hall after the vote on Thursday evening."
    body = "\n".join([paragraph, caption, caption, paragraph.replace("Thursday", "Friday")])
    labels = [line.label for line in clean(_document(body, lang="en")).lines]
    assert labels == ["content", "boilerplate", "boilerplate", "content"]


def test_html_and_markdown_text_is_trusted_except_furniture() -> None:
    document = _document("A short line\nAnother one\nSubscribe to our newsletter", kind="html")
    assert [line.label for line in clean(document).lines] == ["content", "content", "boilerplate"]


PARAGRAPH_NL = (
    "De regering wil de regels voor buitenlandse leveranciers van netwerkapparatuur aanscherpen, "
    "maar de oppositie vindt dat het kabinet daarmee veel te laat komt en vraagt om een debat."
)


def test_news_words_that_are_also_furniture_words_stay_in_prose() -> None:
    body = "\n".join(
        [
            PARAGRAPH_NL,
            "Europese Commissie",  # a subheading, though "commissie" is also affiliate talk
            "Volgens de Europese Commissie moeten de lidstaten hun netwerken samen beter beschermen.",
            PARAGRAPH_NL.replace("regering", "minister"),
            "Deel dit artikel",
            "Cookie-instellingen",
        ]
    )
    labels = [line.label for line in clean(_document(body, lang="nl")).lines]
    assert labels == ["content"] * 4 + ["boilerplate"] * 2


def test_a_furniture_word_marks_labels_not_sentences() -> None:
    sentence = "Ireland refused to sign up to the treaty, and its newsletter to voters explained why."
    body = "\n".join([sentence, "Newsletter", "State-sponsored hackers hit the ministry | Advertisement"])
    cleaned = clean(_document(body, lang="en"))
    reasons = [line.reason for line in cleaned.lines]
    assert not reasons[0].startswith("call to action")
    assert reasons[1].startswith("call to action")
    assert reasons[2] == "call to action: advertisement"  # the "| Advertisement" part, not "sponsored"


def test_extracted_html_keeps_every_block_and_repeated_subheadings() -> None:
    paragraph = "The committee published its findings on the new rules for network suppliers today."
    furniture = ["Share this article", "Subscribe", "Read more", "Newsletter"]
    body = "\n".join(["Background", paragraph, *furniture, "Background", paragraph.replace("today", "again")])
    labels = [line.label for line in clean(_document(body, kind="html")).lines]
    assert labels == ["content", "content"] + ["boilerplate"] * 4 + ["content", "content"]


def test_front_matter_language_wins() -> None:
    assert clean(_document("Ein kurzer Text über das Wetter in der Stadt.", lang="fr")).lang == "fr"


def test_every_listed_language_has_phrases_credits_and_stopwords() -> None:
    for lang in ["en", "de", "fr", "nl", "es", "it", "pl", "pt", "cs", "sv"]:
        rules = language_rules(lang)
        assert rules.phrases is not None and rules.credit is not None and rules.stopwords, lang
        assert rules.byline and rules.comments and rules.ad_labels and rules.date_field and rules.source, lang
        assert rules.caption, lang


def test_stop_lists_are_found_by_the_languages_english_name() -> None:
    for lang in ["nb", "nn", "bn", "tl", "ko", "id"]:  # "Norwegian Bokmål", "Bangla" for Bengali...
        assert language_rules(lang).stopwords, lang
    assert not language_rules("xx").stopwords  # unknown: sentence shape decides instead


def test_empty_and_odd_input_does_not_raise() -> None:
    for body in ["", "\n\n", "\x00\x01", "—" * 500, "a\u200bb", "١٢٣", "\ud800 broken surrogate " * 9]:
        clean(_document(body))


def test_content_lines_keep_their_text_as_written() -> None:
    body = "  Indented\u00a0paragraph with  two spaces and a non-breaking one, as scraped from the page.  "
    cleaned = clean(_document(body, lang="en"))
    assert [(line.text, line.label) for line in cleaned.lines] == [(body, "content")]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(), max_size=12), st.sampled_from(["text", "html"]))
def test_any_text_is_labelled_line_by_line(parts: list[str], kind: str) -> None:
    body = "\n".join(parts)
    raw = body.split("\n")
    cleaned = clean(_document(body, kind=kind))
    assert [line.number for line in cleaned.lines] == [n for n, text in enumerate(raw, 1) if text.strip()]
    for line in cleaned.lines:
        assert line.label in ("content", "boilerplate", "metadata") and line.reason
        original = raw[line.number - 1]
        if line.label == "content":  # kept as written, bar a scraped date field cut from its start
            assert line.text == original or ("date" in cleaned.metadata and original.endswith(line.text))


def test_the_fast_credit_test_agrees_with_the_credit_pattern() -> None:
    """`is_credit` tries the credit forms apart, each where it can match: the same answers as
    searching the whole pattern, for texts made of the pieces that the forms are made of."""
    from itertools import product

    pieces = ["", " ", "  ", "(", ")", "]", ":", "\n", "x", "Jane Doe", "Foto", "AFP", "Getty Images"]
    pieces += ["photo by", "Image caption", "dpa", "ap photo", "/", "—", ".", "ſ", "Ap", "Bildunterschrift"]
    for lang in ["en", "de", "fr", "nl"]:
        rules = language_rules(lang)
        assert rules.credit is not None and rules.is_credit is not None
        for parts in product(pieces, repeat=3):
            text = "".join(parts)
            for variant in (text, text + " " + "a" * 70, "Caption " + text):
                assert rules.is_credit(variant) == bool(rules.credit.search(variant)), (lang, variant)


def test_stop_lists_are_jusTexts_own() -> None:
    import justext

    from dossier.data import justext_stoplist, justext_stoplists

    assert set(justext_stoplists()) == set(justext.get_stoplists())
    for name in ("German", "French", "Dutch", "English"):
        assert justext_stoplist(name) == justext.get_stoplist(name)
    assert justext_stoplist("Klingon") == frozenset()
