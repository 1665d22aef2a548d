"""index: unique slugs, drafts left out, timelines in date order with undated last."""

from __future__ import annotations

from dossier.index import build_index
from dossier.models import Article, Mention, PartialDate, SiteConfig


def article(file: str, slug: str, date: PartialDate | None, about=(), mentioned=(), draft=False) -> Article:
    mentions = [Mention(c, f"Sentence about {c}.", c, 0, 15, 15 + len(c)) for c in [*about, *mentioned]]
    return Article(
        file,
        slug,
        f"Title {file}",
        False,
        date,
        "en",
        None,
        ["text"],
        mentions,
        list(about),
        list(mentioned),
        draft,
        content_hash=file,
    )


def test_slugs_made_unique_in_file_order_with_a_message() -> None:
    site, problems = build_index(
        [article("b.txt", "same", None), article("a.txt", "same", None)], SiteConfig()
    )
    assert {a.file: a.slug for a in site.articles.values()} == {"a.txt": "same", "b.txt": "same-2"}
    assert len(problems) == 1 and problems[0].file == "b.txt" and "same-2" in problems[0].message


def test_drafts_are_left_out() -> None:
    site, _ = build_index(
        [article("a.txt", "a", None, draft=True), article("b.txt", "b", None)], SiteConfig()
    )
    assert list(site.articles) == ["b"]


def test_articles_newest_first_undated_last() -> None:
    site, _ = build_index(
        [
            article("a.txt", "a", None),
            article("b.txt", "b", PartialDate(2019)),
            article("c.txt", "c", PartialDate(2020, 2, 3)),
        ],
        SiteConfig(),
    )
    assert list(site.articles) == ["c", "b", "a"]


def test_timelines_oldest_first_undated_last_most_covered_first() -> None:
    items = [
        article("a.txt", "a", None, about=["DE"]),
        article("b.txt", "b", PartialDate(2020, 1), about=["DE"], mentioned=["FR"]),
        article("c.txt", "c", PartialDate(2019, 6, 1), mentioned=["DE"]),
    ]
    site, _ = build_index(items, SiteConfig())
    assert [t.country for t in site.timelines] == ["DE", "FR"]
    germany = site.timelines[0]
    assert [e.slug for e in germany.entries] == ["c", "b", "a"]
    assert [e.role for e in germany.entries] == ["mentions", "about", "about"]
    assert germany.entries[0].snippet == "Sentence about DE."
    assert germany.name == "Germany"
