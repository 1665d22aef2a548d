"""Stage 5, render: the `Site` becomes output files (`Page`s), nothing is written yet.

Every page is planned first with a key: a hash of everything it is made from (its
data, the templates, the code). A page whose key matches the previous build's is
not rendered again; `write` keeps the old file instead.
"""

from __future__ import annotations

import gc
import hashlib
import json
import mmap
import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, partial
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, select_autoescape

from dossier import charts, presenters
from dossier.cache import LaneStore
from dossier.models import (
    Article,
    Copied,
    Page,
    Parts,
    PreviousFile,
    Reused,
    Site,
    Timeline,
    TimelineEntry,
    chronological_key,
    iso_text,
)

T = TypeVar("T")
Span = tuple[int, int]  # where a record is in the previous export: start and stop offsets
ARTICLES_JSON = "data/articles.json"
# Below this many pages to render, starting worker processes costs more than it saves.
PARALLEL_PAGES = 200
PAGES_PER_TASK = 16
# Articles per part of the data export (~2.5 MB at 5 KB a record): the parts are made like pages,
# by any worker, and written one after another, so no worker holds the 50 MB export of 10,000.
EXPORT_PART = 500
FEED_ENTRIES = 50
MACROS = "macros.html"  # the templates' macros (see `presenters.warm_pieces`)
PIECES = ""  # the name `Renderer.pieces` is kept under in the lane store: no page has it
HOME_ARTICLES = 20  # the latest articles on the home page


class SitePlan(NamedTuple):
    """A build's pages: those it keys (and renders where the key changed), and the article pages
    that `Edits` cannot reach, by path with the last build's key: neither keyed nor rendered nor
    compared with their files, only checked to be there (a rebuild after one edit at 10,000
    articles keeps 10,000 of them: planning, rendering and checking each as a page took 16 µs)."""

    pages: list[PagePlan]
    kept: dict[str, str]

    @property
    def keys(self) -> dict[str, str]:
        """path → key of every page."""
        return {**self.kept, **{plan.path: plan.key for plan in self.pages}}


class PagePlan(NamedTuple):
    """A page to make, with its key (a tuple: a big site plans tens of thousands). A big file
    is made as its `parts` (then `make` joins them), or as `chunks`, made at once in this
    process: mostly parts of the previous build's file (see `Renderer._export`)."""

    path: str
    key: str
    make: Callable[[], bytes]
    parts: tuple[Callable[[], bytes], ...] = ()
    chunks: Callable[[], list[bytes | Copied]] | None = None


@dataclass(frozen=True)
class Edits:
    """What changed since the last build if that is only some articles' text, evidence or
    countries: the same articles under the same titles, dates, languages and files (see
    `same_heading`), the same countries in the same order (the same `Renderer.site_key`), code,
    templates and settings. Then a page of one article or one country keeps its key from the last
    build, unworked out, unless it shows an edited article; every other page is keyed as in any
    build. Only pages whose key changed are rendered, so the keys must agree with a full plan's."""

    previous: dict[str, str]  # path → page key of the last build
    site_key: str  # the last build's `Renderer.site_key`
    # slug of each edited article → that article in the last build (a summary: not in the repr)
    before: dict[str, Article] = field(repr=False)

    @property
    def slugs(self) -> frozenset[str]:
        """The edited articles."""
        return frozenset(self.before)

    @property
    def countries_before(self) -> dict[str, tuple[str, ...]]:
        """slug of each edited article → its countries in the last build."""
        return {slug: tuple(article.countries) for slug, article in self.before.items()}


def same_heading(before: Article, after: Article) -> bool:
    """Could an edit from `before` to `after` be one of `Edits`? Everything that orders the
    site or names the article elsewhere is unchanged."""
    return (
        before.slug == after.slug
        and before.title == after.title
        and before.date == after.date
        and before.lang == after.lang
        and before.draft == after.draft
        and before.file == after.file
    )


@dataclass(frozen=True)
class PreviousExport:
    """The data export the previous build wrote: its renderer's version, the ids of its records
    (`record_id`) in order, and how to open it."""

    version: str
    ids: list[bytes]
    read: Callable[[], PreviousFile | None]


class Renderer:
    """One Jinja2 environment per build; templates compile once and are reused for every page."""

    def __init__(
        self,
        templates: Path,
        site: Site,
        code_version: str,
        previous_export: PreviousExport | None = None,
        edits: Edits | None = None,
        compiled_templates: Path | None = None,
        lanes: Callable[[str], LaneStore] | None = None,
    ) -> None:
        self.templates = templates
        self.site = site
        self.previous_export = previous_export
        self.edits = edits
        self._listings: dict[str, str] = {}  # see `listing`
        self.env = Environment(
            loader=FileSystemLoader(str(templates)),
            autoescape=select_autoescape(["html", "xml"], default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            # Compiled templates kept between builds (Jinja checks each one against its source): a
            # rebuild of a few pages does not compile every template again.
            bytecode_cache=FileSystemBytecodeCache(str(compiled_templates)) if compiled_templates else None,
            auto_reload=False,  # one environment per build: templates do not change during it
        )
        self._compiled = False
        self.version = _hash(code_version, _tree_digest(templates), json.dumps(site.config.__dict__))
        self.lanes = lanes(self.version) if lanes else None
        # The output of the macros that templates memoise (dates, languages, chips), kept between
        # builds of this version: a rebuild that renders a big country page would otherwise render
        # its thousands of dates again, half the page's time.
        self.pieces: dict[Any, Any] = self.lanes.load(PIECES) if self.lanes else {}
        self._pieces_loaded = len(self.pieces)
        self.env.globals.update(presenters.template_globals(site, self.pieces))
        self.env.filters.update(presenters.template_filters(site))
        if edits is not None and edits.site_key != self.site_key:
            self.edits = None  # the countries or their order changed: every page may show that

    # Page keys: each page's key hashes exactly what the page shows, so that an edit re-renders
    # the pages that show what changed: editing an article's text re-renders its own page, the
    # feeds that quote it and the data export, not the lists that show only its title and date.

    @cached_property
    def site_key(self) -> str:
        """What every page shows of the whole site: the article count (footer), the languages
        (filters), the countries in their order with their names (footer, the order of an
        article's timelines)."""
        site = self.site
        languages = sorted({a.lang for a in site.articles.values() if a.lang})
        countries = (f"{t.country}:{t.name}" for t in site.timelines)
        return _hash(self.version, str(len(site.articles)), *languages, *countries)

    @cached_property
    def counts_key(self) -> str:
        """`site_key` and how many articles each country has (the home page's map and table,
        the timeline index)."""
        return _hash(self.site_key, *[str(len(t.entries)) for t in self.site.timelines])

    @cached_property
    def headings(self) -> dict[str, str]:
        """slug → what a timeline or the sitemap shows of an article (title, date, language),
        worked out when first asked: a rebuild after an edit asks for those of a few timelines."""
        articles = self.site.articles

        def heading(slug: str) -> str:
            article = articles[slug]
            return f"{slug}\0{article.title}\0{iso_text(article.date)}\0{article.lang}"

        return _Memo(heading)

    @cached_property
    def heading_ids(self) -> dict[str, str]:
        """slug → a short digest of its heading, for keys over tens of thousands of timeline
        entries (the timeline index's: hashing 50,000 headings took 0.2 s)."""
        return _Memo(lambda slug: _hash(self.headings[slug]))

    def listing(self, article: Article) -> str:
        """What a card or a feed shows of an article: its heading and its countries (worked out
        when first asked: a rebuild after an edit asks for a few)."""
        found = self._listings.get(article.slug)
        if found is None:
            about, mentioned = ",".join(article.about), ",".join(article.mentioned)
            found = self._listings[article.slug] = f"{self.headings[article.slug]}\0{about}\0{mentioned}"
        return found

    def _quoted(self, articles: Iterable[Article]) -> str:
        """The key of a feed quoting articles' text."""
        return _hash(self.site_key, *[f"{self.listing(a)}\0{a.file}\0{a.content_hash}" for a in articles])

    def _timeline_key(self, which: int) -> str:
        """What a country page shows: every entry with its role and evidence, and the chart."""
        timeline = self.site.timelines[which]
        return _hash(self.site_key, timeline.country, *_entry_fields(timeline.entries, self.heading_ids))

    def _index_key(self) -> str:
        """The timeline index's key: what its chart draws of each lane, and the latest entries
        each country lists (with their evidence; the rest is on the country pages only)."""
        site, heading_ids = self.site, self.heading_ids
        drawn = presenters.drawn_timelines(site, site.timelines)
        parts = [self.counts_key, *[t.country for t in drawn]]
        for timeline in site.timelines:
            parts += [timeline.country, *_entry_fields(presenters.index_entries(timeline), heading_ids)]
        for timeline in drawn:
            if charts.is_counted(presenters.dated_count(site, timeline)):
                parts.append(_month_counts(site, timeline))
            else:
                parts += _entry_fields(timeline.entries, heading_ids, evidence=False)
        return _hash(*parts)

    def _sitemap_key(self) -> str:
        return _hash(self.site_key, *[self.headings[slug] for slug in self.site.articles])

    @cached_property
    def _index_kept(self) -> bool:
        """Does the timeline index show nothing that `Edits` changed? Of an article it shows the
        heading (which edits keep); which countries list it (in their counts, which order the
        countries and pick the lanes drawn); its role in the lanes drawn and, where it is among a
        country's latest entries, its role and evidence sentence. A role that changed elsewhere
        shows only on that country's page: keying the index walks every lane (0.1 s at 10,000)."""
        if self.edits is None:
            return False
        site = self.site
        drawn = {t.country for t in presenters.drawn_timelines(site, site.timelines)}
        listed = {(t.country, e.slug) for t in site.timelines for e in presenters.index_entries(t)}
        for slug, before in self.edits.before.items():
            after = site.articles[slug]
            if {*before.about, *before.mentioned} != {*after.about, *after.mentioned}:
                return False
            for code in after.countries:
                shown = (code, slug) in listed
                if before.role(code) != after.role(code) and (shown or code in drawn):
                    return False
                if shown and before.snippets.get(code, "") != after.snippets.get(code, ""):
                    return False
        return True

    def plan(self) -> list[PagePlan]:
        """Every page as a `PagePlan`, the kept ones of `plan_site` too."""
        site_plan = self.plan_site()
        kept = [a for a in self.site.articles.values() if presenters.article_path(a) in site_plan.kept]
        return [*site_plan.pages, *(self._article_page(article, kept=True) for article in kept)]

    def plan_site(self) -> SitePlan:
        site = self.site
        everyone = list(site.articles.values())  # newest first
        latest = everyone[:HOME_ARTICLES]
        plans = [
            self._html(
                "index.html",
                "home.html",
                lambda: _hash(self.counts_key, *[self.listing(a) for a in latest]),
                latest=latest,
            ),
            self._html("countries/index.html", "timeline.html", self._index_key, kept=self._index_kept),
            self._html("404.html", "404.html", lambda: self.site_key, root=presenters.site_path(site)),
            # `Edits` keep every heading: the sitemap shows nothing else of the articles.
            self._html("sitemap.xml", "sitemap.xml", self._sitemap_key, kept=self.edits is not None),
            self._html("robots.txt", "robots.txt", lambda: self.version),
            self._feed("feed.xml", site.config.title, lambda: everyone[:FEED_ENTRIES], "index.html"),
            self._export(everyone),
        ]
        touched, relisted = self._edited_countries, self._relisted_countries
        for which, timeline in enumerate(site.timelines):
            page = presenters.country_path(timeline.country)
            kept = relisted is not None and timeline.country not in relisted
            key = partial(self._timeline_key, which)
            plans.append(self._html(page, "country.html", key, kept=kept, timeline=timeline))
            title = f"{timeline.name} · {site.config.title}"
            feed = page.replace("index.html", "feed.xml")
            newest = partial(self._newest_first, timeline, FEED_ENTRIES)
            feed_kept = touched is not None and timeline.country not in touched
            plans.append(self._feed(feed, title, newest, page, kept=feed_kept))
        plans += [
            self._static(path) for path in sorted((self.templates / "static").rglob("*")) if path.is_file()
        ]
        kept: dict[str, str] = {}
        if self.edits is None:
            plans += [self._article_page(article, kept=False) for article in everyone]
            return SitePlan(plans, kept)
        shown, previous = self.positions, self.edits.previous  # the pages an edit may reach
        for article in everyone:
            path = presenters.article_path(article)
            key = previous.get(path) if article.slug not in shown else None
            if key is None:
                plans.append(self._article_page(article, kept=article.slug not in shown))
            else:
                kept[path] = key
        return SitePlan(plans, kept)

    @cached_property
    def _edited_countries(self) -> frozenset[str] | None:
        """The countries an edit may show on: those of the edited articles, before and after
        (None: no `Edits`, every page is keyed)."""
        return self._countries_of_edits(lambda before, after, code: True)

    @cached_property
    def _relisted_countries(self) -> frozenset[str] | None:
        """The countries whose timeline lists an edited article otherwise than before: it joined
        or left, or has another role or evidence there (None: no `Edits`). A country page shows
        nothing else of an article that `Edits` may change; a country's feed quotes the text,
        so it goes by `_edited_countries`. Keying a big country's page hashes thousands of entries."""
        return self._countries_of_edits(
            lambda before, after, code: _listed_as(before, code) != _listed_as(after, code)
        )

    def _countries_of_edits(self, shows: Callable[[Article, Article, str], bool]) -> frozenset[str] | None:
        """The countries of the edited articles, before or after, where `shows(before, after, code)`."""
        if self.edits is None:
            return None
        articles = self.site.articles
        return frozenset(
            code
            for slug, before in self.edits.before.items()
            for code in {*before.countries, *articles[slug].countries}
            if shows(before, articles[slug], code)
        )

    @cached_property
    def positions(self) -> dict[str, list[tuple[int, int]]]:
        """slug → (timeline, position in it) of every article, or, after `Edits`, of those whose
        pages may show an edit: the edited articles and their neighbours in the timelines they
        joined or left (a neighbour's page links to the next article in each timeline)."""
        if self.edits is None:
            return self._all_positions
        slugs = set(self.edits.slugs)
        for slug, before in self.edits.countries_before.items():
            slugs.update(self._new_neighbours(slug, set(before) ^ set(self.site.articles[slug].countries)))
        return presenters.timeline_positions(self.site, slugs)

    def _new_neighbours(self, slug: str, countries: set[str]) -> set[str]:
        """The articles beside where `slug` is or would be in the timelines of `countries`."""
        articles, found = self.site.articles, set()
        at_key = chronological_key(articles[slug])
        for timeline in self.site.timelines:
            if timeline.country in countries:
                entries = [e for e in timeline.entries if e.slug != slug]
                at = presenters.chronological_position(self.site, entries, at_key)
                found.update(e.slug for e in entries[max(at - 1, 0) : at + 1])
        return found

    @cached_property
    def _all_positions(self) -> dict[str, list[tuple[int, int]]]:
        return presenters.timeline_positions(self.site)

    def _positions_of(self, slug: str) -> dict[str, list[tuple[int, int]]]:
        """Positions that cover `slug`: after `Edits` not only the pages an edit reaches are keyed
        and rendered, so is any whose previous key is unknown or whose file has gone missing."""
        return self.positions if slug in self.positions else self._all_positions

    def _article_key(self, article: Article) -> str:
        """Everything an article page shows: the file's bytes, what we made of them, its neighbours."""
        shown = f"{self.listing(article)}\0{article.content_hash}\0{article.source}\0{article.file}"
        return _hash(self.site_key, shown, *self._neighbour_keys(article, self._positions_of(article.slug)))

    def _export(self, everyone: list[Article]) -> PagePlan:
        """The data export (see `articles_json`): after a build that left most records as they
        were, its unchanged stretches copied from the previous export (`export_chunks`: no
        50 MB of records read, joined, compared and written through Python); otherwise made in
        parts of `EXPORT_PART` articles, which workers can make."""
        # Each record is made from what its id says (`record_id`) and the code and settings.
        key = _hash(self.version, b"".join(self.export_ids()).hex())
        source, spans = self._kept_spans
        if source is not None and sum(span is None for span in spans) <= EXPORT_PART:

            def chunks() -> list[bytes | Copied]:
                return export_chunks(everyone, spans, source)

            def make() -> bytes:
                return b"".join(c.data() if isinstance(c, Copied) else c for c in chunks())

            return PagePlan(ARTICLES_JSON, key, make, chunks=chunks)
        starts = range(0, max(len(everyone), 1), EXPORT_PART)
        parts = tuple(partial(self._export_part, everyone, start) for start in starts)
        return PagePlan(ARTICLES_JSON, key, lambda: b"".join(p() for p in parts), parts)

    def _export_part(self, everyone: list[Article], start: int) -> bytes:
        stop = start + EXPORT_PART
        source, spans = self._kept_spans
        view = memoryview(source.data) if source is not None else None
        kept = [view[span[0] : span[1]] if view is not None and span else None for span in spans[start:stop]]
        return export_part(everyone[start:stop], kept, first=start == 0, last=stop >= len(everyone))

    @cached_property
    def _kept_spans(self) -> tuple[PreviousFile | None, list[Span | None]]:
        """The previous export (None if there is none to reuse) and, per article (newest first),
        where its record is in it if the record is unchanged: a rebuild after one edit does not
        load every article's text again."""
        articles = list(self.site.articles.values())
        source, previous = self._previous_spans()
        if source is None:
            return None, [None] * len(articles)
        if self.edits is not None and len(previous) == len(articles):
            return source, self._edited_in_place(articles, previous, lambda article: None)
        ids = self.previous_export.ids if self.previous_export else []
        reusable = dict(zip(ids, previous, strict=True)) if len(previous) == len(ids) else {}
        return source, [reusable.get(i) for i in self.export_ids()]

    def _previous_spans(self) -> tuple[PreviousFile | None, list[Span]]:
        """The previous build's export and its records' spans, if this code and these templates
        wrote it."""
        previous = self.previous_export
        if previous is None or previous.version != self.version:
            return None, []
        source = previous.read()
        spans = export_spans(source.data) if source is not None else []
        return (source, spans) if spans else (None, [])

    def close(self) -> None:
        """Close the previous export if the plan opened it (its map lives on while parts use it)."""
        source = self.__dict__.get("_kept_spans", (None, []))[0]
        if source is not None:
            source.file.close()

    def export_ids(self) -> list[bytes]:
        """The ids of the data export's records, in its order (see `PreviousExport`)."""
        return self._export_ids

    @cached_property
    def _export_ids(self) -> list[bytes]:
        articles, previous = list(self.site.articles.values()), self.previous_export
        if self.edits is not None and previous is not None and len(previous.ids) == len(articles):
            return self._edited_in_place(articles, previous.ids, record_id)
        return [record_id(article) for article in articles]

    def _edited_in_place(
        self, articles: list[Article], previous: Sequence[T], make: Callable[[Article], T]
    ) -> list[T]:
        """`previous` (one item per article, in the last build's order, which `Edits` keep: the
        same articles, titles and dates) with the items of the edited articles made anew."""
        edited = self.edits.slugs if self.edits else frozenset()
        return [make(a) if a.slug in edited else old for a, old in zip(articles, previous, strict=True)]

    def _neighbour_keys(self, article: Article, positions: dict[str, list[tuple[int, int]]]) -> list[str]:
        """What the article page shows of its timeline neighbours (their slugs and titles)."""
        articles, timelines = self.site.articles, self.site.timelines
        keys = []
        for which, at in positions.get(article.slug, []):
            entries = timelines[which].entries
            before = entries[at - 1].slug if at > 0 else ""
            after = entries[at + 1].slug if at + 1 < len(entries) else ""
            keys.append(
                f"{timelines[which].country}\0{before}\0{articles[before].title if before else ''}"
                f"\0{after}\0{articles[after].title if after else ''}"
            )
        return keys

    def _article_page(self, article: Article, kept: bool) -> PagePlan:
        path, key = presenters.article_path(article), partial(self._article_key, article)
        return self._html(path, "article.html", key, kept=kept, lazy=partial(self._article_context, article))

    def _article_context(self, article: Article) -> dict[str, Any]:
        """What an article page shows besides its article (worked out only if it is rendered)."""
        neighbours = presenters.neighbours(self.site, article, self._positions_of(article.slug))
        return {
            "article": article.with_body(),
            "neighbours": neighbours,
            "page_lang": article.lang or self.site.config.language,
        }

    def _html(
        self,
        path: str,
        template: str,
        key: Callable[[], str],
        lazy: Callable[[], dict[str, Any]] | None = None,
        kept: bool = False,
        **context: Any,
    ) -> PagePlan:
        """A page rendered from `template` with `context` (and what `lazy` returns, if given). Its
        key is `key()` with the path, or the previous build's key if the page is `kept`: it
        shows none of the articles that `edits` changed."""
        context.setdefault("root", "../" * path.count("/"))  # relative links work from disk and any sub-path
        make = partial(self._render, path, template, context, lazy)
        previous = self.edits.previous.get(path) if kept and self.edits else None
        return PagePlan(path, previous or _hash(key(), path), make)

    def _render(
        self,
        path: str,
        template: str,
        context: dict[str, Any],
        lazy: Callable[[], dict[str, Any]] | None,
    ) -> bytes:
        values = {**context, **lazy()} if lazy else context
        memo = _KeptLanes(self.lanes, path) if self.lanes else None
        page = self.env.get_template(template).render(page_path=path, lane_memo=memo, **values)
        if memo is not None:
            memo.save()
        return page.encode("utf-8")

    def compile_templates(self) -> None:
        """Compile every template, so that workers forked after it inherit them compiled (a build
        of a few pages loads only the templates they use, when they use them)."""
        if not self._compiled:
            names = self.env.list_templates(extensions=["html", "xml", "txt"])
            for name in names:
                self.env.get_template(name)
            if MACROS in names:  # and the pieces every page memoises, rendered once, not per worker
                macros = self.env.get_template(MACROS).module
                presenters.warm_pieces(self.site, self.env.globals["memo"], macros)
            self._compiled = True

    def save_pieces(self) -> None:
        """Keep the memoised pieces for the next build, if this one rendered new ones."""
        if self.lanes is not None and len(self.pieces) > self._pieces_loaded:
            self.lanes.save(PIECES, self.pieces)
            self._pieces_loaded = len(self.pieces)

    def _feed(
        self, path: str, title: str, articles: Callable[[], list[Article]], page: str, kept: bool = False
    ) -> PagePlan:
        """An Atom feed of `articles` (the newest `FEED_ENTRIES`, newest first; worked out only if
        the feed is keyed or rendered, not when it is `kept`). Its dates come from the articles, so
        that rebuilds are byte-stable."""

        @cache
        def shown() -> tuple[list[Article], str]:
            listed = articles()
            dated = [a.date for a in listed if a.date]
            return listed[:FEED_ENTRIES], presenters.atom_date(
                max(dated, key=lambda d: d.sort_key()) if dated else None
            )

        def context() -> dict[str, Any]:
            newest, updated = shown()
            # Whole articles: the entries quote their first paragraphs.
            return {"feed_articles": [a.with_body() for a in newest], "updated": updated}

        return self._html(
            path,
            "feed.xml",
            lambda: _hash(self._quoted(shown()[0]), shown()[1]),
            kept=kept,
            feed_title=title,
            feed_path=path,
            page_url=presenters.pretty(page),
            lazy=context,
        )

    def _newest_first(self, timeline: Timeline, count: int) -> list[Article]:
        """The `count` newest articles of `timeline` in the site's order (newest first, articles of
        the same date in file order, undated last). They are the end of its dated entries, which
        are oldest first: only that end is sorted, the rest is never looked at."""
        articles, entries = self.site.articles, timeline.entries
        dated = presenters.dated_count(self.site, timeline)
        start = max(dated - count, 0)
        while start > 0 and articles[entries[start - 1].slug].date == articles[entries[start].slug].date:
            start -= 1  # all of a date that is cut, so the site's order picks which of them are shown
        order = self._site_order
        newest = sorted((articles[e.slug] for e in entries[start:dated]), key=lambda a: order[a.slug])
        return (newest + [articles[e.slug] for e in entries[dated : dated + count]])[:count]

    @cached_property
    def _site_order(self) -> dict[str, int]:
        return {slug: position for position, slug in enumerate(self.site.articles)}  # newest first

    def _static(self, file: Path) -> PagePlan:
        path = "assets/" + file.relative_to(self.templates / "static").as_posix()
        return PagePlan(path, _hash(self.version, path), file.read_bytes)


K = TypeVar("K")
V = TypeVar("V")


class _Memo(dict[K, V]):
    """A dict that makes each missing value when first asked for it."""

    def __init__(self, make: Callable[[K], V]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: K) -> V:
        value = self[key] = self.make(key)
        return value


class _KeptLanes:
    """A page's `charts.LaneMemo`: its lanes as the last render of the page drew them (read at
    the first lane), and saved again if the page's lanes changed."""

    def __init__(self, store: LaneStore, page: str) -> None:
        self.store, self.page = store, page
        self.before: dict[str, str] | None = None
        self.drawn: dict[str, str] = {}

    def __call__(self, key: str, draw: Callable[[], str]) -> str:
        if self.before is None:
            self.before = self.store.load(self.page)
        lane = self.before.get(key)
        self.drawn[key] = lane if lane is not None else draw()
        return self.drawn[key]

    def save(self) -> None:
        if self.drawn and self.drawn != self.before:
            self.store.save(self.page, self.drawn)


def render(
    plans: list[PagePlan],
    previous: dict[str, str],
    workers: int = 1,
    before_fork: Callable[[], None] = lambda: None,
) -> Iterator[Page | Parts | Reused]:
    """Render what changed since `previous` (path → key of the last build), in page order;
    `before_fork` runs before worker processes start, if they do (see `Renderer.compile_templates`)."""
    stale = [plan for plan in plans if previous.get(plan.path) != plan.key and plan.chunks is None]
    made = _make_all([make for plan in stale for make in plan.parts or (plan.make,)], workers, before_fork)
    for plan in plans:
        if previous.get(plan.path) == plan.key:
            yield Reused(plan.path, plan.key, plan.make)
        elif plan.chunks is not None:
            yield Parts(plan.path, plan.chunks())
        elif plan.parts:
            yield Parts(plan.path, [next(made) for _ in plan.parts])
        else:
            yield Page(plan.path, next(made))


# What the build in progress renders (pages and parts), for forked workers: they inherit it (and
# the compiled templates) instead of receiving it pickled.
_MAKERS: list[Callable[[], bytes]] = []


def _make_all(
    makers: list[Callable[[], bytes]], workers: int, before_fork: Callable[[], None]
) -> Iterator[bytes]:
    if workers <= 1 or len(makers) < PARALLEL_PAGES or "fork" not in multiprocessing.get_all_start_methods():
        yield from (make() for make in makers)
        return
    _MAKERS[:] = makers
    before_fork()
    for make in makers[:1]:
        make()  # what pages load on first use (locale data) is loaded here, before the fork; the
        # memoised pieces were rendered by `before_fork`
    gc.freeze()  # the site is shared with the workers, not copied page by page as they read it
    try:
        # Workers collect cycles again (rendering makes some); the build pauses the collector.
        with multiprocessing.get_context("fork").Pool(workers, initializer=gc.enable) as pool:
            yield from pool.imap(_make_one, range(len(makers)), chunksize=PAGES_PER_TASK)
    finally:
        _MAKERS.clear()


def _make_one(index: int) -> bytes:
    return _MAKERS[index]()


def articles_json(articles: Iterable[Article]) -> bytes:
    """The data export other tools read (keep its field names stable): one record per line."""
    articles = list(articles)
    return export_part(articles, [None] * len(articles), first=True, last=True)


def export_part(
    articles: Iterable[Article], kept: Iterable[bytes | memoryview | None], first: bool, last: bool
) -> bytes:
    """Some consecutive records of the export, encoded article by article (the whole export as
    one Python structure would take several times its size) or copied from the previous export
    where `kept` has the article's record."""
    records = b",\n".join(old or _encoded_record(a) for a, old in zip(articles, kept, strict=True))
    return (b"[\n" if first else b"") + records + (b"\n]\n" if last else b",\n")


def export_chunks(
    articles: Sequence[Article], kept: Sequence[Span | None], source: PreviousFile
) -> list[bytes | Copied]:
    """The whole export as chunks: runs of records that lie one after another in `source` (the
    previous export) as one `Copied` part each, records not `kept` there encoded anew."""
    chunks: list[bytes | Copied] = [b"[\n"]
    run: Span | None = None  # the kept records being gathered into one part
    for position, (article, span) in enumerate(zip(articles, kept, strict=True)):
        if span is not None and run is not None and span[0] == run[1] + 2:  # 2: the ",\n" between
            run = (run[0], span[1])
            continue
        if run is not None:
            chunks.append(Copied(source, *run))
            run = None
        if position:
            chunks.append(b",\n")
        if span is not None:
            run = span
        else:
            chunks.append(_encoded_record(article))
    if run is not None:
        chunks.append(Copied(source, *run))
    chunks.append(b"\n]\n")
    return chunks


def export_spans(export: bytes | mmap.mmap) -> list[Span]:
    """Where each record of an export that `articles_json` wrote is (one per line, JSON escapes
    every newline inside them), in order; [] for anything else."""
    if export[:2] != b"[\n" or export[-3:] != b"\n]\n" or len(export) < 5:
        return []
    spans, start, end = [], 2, len(export) - 3
    while start < end:
        stop = export.find(b"\n", start, end)
        if stop < 0:
            spans.append((start, end))  # the last record has no ","
            break
        if export[stop - 1] != ord(","):
            return []  # not what `articles_json` wrote
        spans.append((start, stop - 1))
        start = stop + 1
    return spans


def record_id(article: Article) -> bytes:
    """What an export record is made from, besides the code and site settings: the file, its
    bytes and the slug the index gave it."""
    made_from = f"{article.file}\0{article.content_hash}\0{article.slug}"
    return hashlib.blake2b(made_from.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _encoded_record(article: Article) -> bytes:
    return safe_json(_record(article.with_body())).encode("utf-8")


def _record(a: Article) -> dict[str, object]:
    return {
        "file": a.file,
        "slug": a.slug,
        "title": a.title,
        "date": a.date.iso() if a.date else None,
        "lang": a.lang,
        "source": a.source,
        "countries": a.countries,
        "about": a.about,
        "mentioned": a.mentioned,
        "text": "\n".join(a.paragraphs),
        "evidence": [
            {"country": m.country, "sentence": m.sentence, "surface": m.surface} for m in a.mentions
        ],
    }


def safe_json(value: object) -> str:
    """JSON that stays inert even if pasted into HTML: no raw <, > or &."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _listed_as(article: Article, country: str) -> tuple[str, str] | None:
    """The role and evidence of `article` in `country`'s timeline (as `index.build_timelines`
    lists it), None if it is not listed there."""
    if country not in article.about and country not in article.mentioned:
        return None
    return article.role(country), article.snippets.get(country, "")


def _entry_fields(
    entries: list[TimelineEntry], heading_ids: dict[str, str], evidence: bool = True
) -> list[str]:
    """Timeline entries for a page key, a field at a time (a timeline may hold thousands): their
    articles, roles, evidence if shown, and the articles' headings (`Renderer.heading_ids`)."""
    fields = ["\0".join([e.slug for e in entries]), "\0".join([e.role for e in entries])]
    if evidence:
        fields.append("\0".join([e.snippet for e in entries]))
    return [*fields, "".join([heading_ids[e.slug] for e in entries])]


def _month_counts(site: Site, timeline: Timeline) -> str:
    """What a lane that counts its articles per month (or year) shows: how many of each role
    each month has (one pass, no formatting: a lane may hold thousands)."""
    articles = site.articles
    counts: dict[tuple[int, int, str], int] = {}
    for entry in timeline.entries:
        date = articles[entry.slug].date
        if date is not None:
            month = (date.year, date.month or 0, entry.role)
            counts[month] = counts.get(month, 0) + 1
    return repr(sorted(counts.items()))


def _hash(*parts: str) -> str:
    """A page key: the parts joined and hashed at once (one call per page, not one per part)."""
    joined = "\0".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(joined, digest_size=16).hexdigest()


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
