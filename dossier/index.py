"""Stage 4, index: all articles become a `Site` with one `Timeline` per country.

This is where articles meet: slugs are made unique, drafts are left out, and every
country gets its articles in date order (undated last).
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable
from functools import partial

from dossier import countries
from dossier.models import Article, Problem, Site, SiteConfig, Timeline, TimelineEntry, chronological_key


def build_index(articles: Iterable[Article], config: SiteConfig) -> tuple[Site, list[Problem]]:
    published, problems = assign_unique_slugs([article for article in articles if not article.draft])
    newest_first = sorted(published, key=newest_first_key)  # ties stay in file order
    site = Site(
        config=config,
        articles={article.slug: article for article in newest_first},
        timelines=build_timelines(newest_first, config.language),
    )
    return site, problems


def newest_first_key(article: Article) -> int:
    """Dated articles newest first, then undated ones."""
    date = article.date
    return 0 if date is None else -date.sort_key()


def assign_unique_slugs(articles: list[Article]) -> tuple[list[Article], list[Problem]]:
    """Give clashing slugs a numbered suffix, in file order, so every build picks the same ones.
    A renamed article is a copy: the article given may be the one the next build starts from."""
    problems = []
    unique = []
    taken: dict[str, str] = {}
    for article in sorted(articles, key=lambda a: a.file):
        wanted, slug, number = article.slug, article.slug, 2
        while slug in taken:
            slug, number = f"{wanted}-{number}", number + 1
        if slug != wanted:
            message = f"slug '{wanted}' is already used by {taken[wanted]}; published as '{slug}'"
            problems.append(Problem(article.file, message))
            article = copy.copy(article)
            article.slug = slug
        taken[slug] = article.file
        unique.append(article)
    return unique, problems


def build_timelines(articles: list[Article], ui_language: str) -> list[Timeline]:
    by_country: dict[str, list[TimelineEntry]] = defaultdict(list)
    entry = partial(tuple.__new__, TimelineEntry)  # a named tuple's own __new__ is a Python call
    for article in sorted(articles, key=chronological_key):
        snippets, slug = article.snippets, article.slug
        for code in article.about:
            by_country[code].append(entry((slug, "about", snippets.get(code, ""))))
        for code in article.mentioned:
            if code not in article.about:  # disjoint as extract makes them; a country is listed once
                by_country[code].append(entry((slug, "mentions", snippets.get(code, ""))))
    timelines = [
        Timeline(code, countries.country_name(code, ui_language), entries)
        for code, entries in by_country.items()
    ]
    timelines.sort(key=lambda t: t.name)
    timelines.sort(key=lambda t: len(t.entries), reverse=True)
    return timelines
