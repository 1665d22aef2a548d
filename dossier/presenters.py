"""What templates need beyond the data: URLs, dates and names in the UI language,
evidence highlighting. Part of the render stage; nothing here reads or writes files."""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from jinja2.runtime import Context
from jinja2.utils import pass_context
from markupsafe import Markup, escape

from dossier import charts, countries
from dossier.models import Article, Mention, PartialDate, Site, Timeline, TimelineEntry, chronological_key


@contextmanager
def _local_zone_named_by_its_file() -> Iterator[None]:
    """babel.dates works out the machine's time zone when imported; named "Etc/UTC" by the system,
    pytz looks the name up in its list of every zone, checking ~600 files for it (25 ms of a
    rebuild's 1 s). The same zone given by its file (`TZ=:/etc/localtime`, which the C library
    reads the same way) is read at once. Our dates carry no time of day: the zone is not used."""
    before = os.environ.get("TZ")
    if before or not os.path.exists("/etc/localtime"):
        yield
        return
    os.environ["TZ"] = ":/etc/localtime"
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before


with _local_zone_named_by_its_file():
    from babel.dates import format_date, format_skeleton

# The timeline index lists at most this many articles per country, so it stays a readable page.
TIMELINE_INDEX_LIMIT = 50
# The swim-lane chart on the timeline index shows this many countries, the most covered.
CHART_LANES = 20


@dataclass(frozen=True)
class Neighbour:
    """The articles before and after one article in one country's timeline."""

    country: str
    name: str
    previous: tuple[str, str] | None  # (slug, title)
    next: tuple[str, str] | None


def article_path(article: Article) -> str:
    return f"articles/{article.slug}/index.html"


def country_path(code: str) -> str:
    return f"countries/{code.lower()}/index.html"


def timeline_positions(site: Site, only: Collection[str] | None = None) -> dict[str, list[tuple[int, int]]]:
    """slug → (timeline index, position in it) for every timeline the article is in, in timeline
    order (of the articles `only`, if given: each found by bisection, as a timeline is in
    `chronological_key` order, instead of walking every entry of every timeline)."""
    positions: dict[str, list[tuple[int, int]]] = {}
    if only is not None:
        articles, timelines = site.articles, site.timelines
        which_of = {timeline.country: which for which, timeline in enumerate(timelines)}
        for slug in only:
            article = articles.get(slug)
            key = chronological_key(article) if article is not None else None
            for code in article.countries if article is not None else []:
                which = which_of[code]
                entries = timelines[which].entries
                at = chronological_position(site, entries, key)
                if at == len(entries) or entries[at].slug != slug:  # keys are unique: not expected
                    at = next(i for i, entry in enumerate(entries) if entry.slug == slug)
                positions.setdefault(slug, []).append((which, at))
            positions.get(slug, []).sort()
        return positions
    for which, timeline in enumerate(site.timelines):
        for at, entry in enumerate(timeline.entries):
            positions.setdefault(entry.slug, []).append((which, at))
    return positions


def chronological_position(site: Site, entries: list[TimelineEntry], key: tuple[Any, ...]) -> int:
    """Where an article of `chronological_key` `key` is, or would go, among a timeline's `entries`."""
    articles = site.articles
    return bisect.bisect_left(entries, key, key=lambda entry: chronological_key(articles[entry.slug]))


def neighbours(site: Site, article: Article, positions: dict[str, list[tuple[int, int]]]) -> list[Neighbour]:
    found = []
    for which, at in positions.get(article.slug, []):
        timeline = site.timelines[which]
        before = timeline.entries[at - 1].slug if at > 0 else None
        after = timeline.entries[at + 1].slug if at + 1 < len(timeline.entries) else None
        found.append(Neighbour(timeline.country, timeline.name, _link(site, before), _link(site, after)))
    return found


def _link(site: Site, slug: str | None) -> tuple[str, str] | None:
    return (slug, site.articles[slug].title) if slug else None


def index_entries(timeline: Timeline) -> list[TimelineEntry]:
    """A country's entries for the timeline index: all of them, or the latest ones in a big dossier
    (the country's own page always lists them all)."""
    if len(timeline.entries) <= TIMELINE_INDEX_LIMIT:
        return timeline.entries
    return timeline.entries[-TIMELINE_INDEX_LIMIT:]


def about_count(entries: list[TimelineEntry]) -> int:
    """How many of a timeline's entries are articles about its country (not only mentioning it)."""
    return sum(1 for entry in entries if entry.role == "about")


def ui_locale(site: Site) -> Locale:
    try:
        return Locale.parse(site.config.language)
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en")


@lru_cache(maxsize=65536)
def format_partial_date(date: PartialDate | None, locale: str) -> str:
    """Memoised: a big dossier shows the same few thousand dates tens of thousands of times.
    `locale` is the locale's name (making one from a `Locale`, `str(locale)`, is itself slow)."""
    if date is None:
        return ""
    import datetime as dt

    day = dt.date(date.year, date.month or 1, date.day or 1)
    if date.precision == "day":
        return format_date(day, format="long", locale=_locale(locale))
    if date.precision == "month":
        return format_skeleton("yMMMM", day, locale=_locale(locale))
    return str(date.year)


@lru_cache(maxsize=16)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@lru_cache(maxsize=4096)
def country_name(code: str, language: str) -> str:
    """`countries.country_name`, memoised: it parses a babel `Locale` on every call, and a big
    dossier names the same few dozen countries tens of thousands of times."""
    return countries.country_name(code, language)


def language_name(code: str | None, locale: Locale) -> str:
    if not code:
        return ""
    name = locale.languages.get(code)
    return name[:1].upper() + name[1:] if name else code


def highlighted_paragraphs(article: Article) -> list[Markup]:
    """Every paragraph, escaped, with its country mentions wrapped in <mark>."""
    by_paragraph: dict[int, list[Mention]] = {}
    for mention in article.mentions:
        by_paragraph.setdefault(mention.paragraph, []).append(mention)
    return [highlight(text, by_paragraph.get(index, [])) for index, text in enumerate(article.paragraphs)]


def highlight(paragraph: str, mentions: list[Mention]) -> Markup:
    """The paragraph, escaped, with each country mention wrapped in <mark>."""
    if not mentions:
        return escape(paragraph)
    pieces, countries, cursor = [], [], 0  # text before a mention, the mention, …, the rest
    for start, end, country in sorted(_spans(paragraph, mentions)):
        if start < cursor:
            continue
        pieces += [paragraph[cursor:start], paragraph[start:end]]
        countries.append(country)
        cursor = end
    pieces.append(paragraph[cursor:])
    escaped = _escape_each(pieces, paragraph)
    out = [escaped[0]]
    for at, country in enumerate(countries):
        out += [_mark_tag(country), escaped[2 * at + 1], "</mark>", escaped[2 * at + 2]]
    return Markup("".join(out))


def _escape_each(pieces: list[str], whole: str) -> list[str]:
    """Each piece of `whole` escaped, with one call to `escape` (escaping works character by
    character, so the pieces joined by a character it leaves alone, escaped, split again are the
    same)."""
    if "\0" in whole:
        return [str(escape(piece)) for piece in pieces]
    return str.split(escape("\0".join(pieces)), "\0")


@lru_cache(maxsize=512)
def _mark_tag(country: str) -> str:
    return f'<mark data-country="{escape(country)}">'


def _spans(paragraph: str, mentions: list[Mention]) -> set[tuple[int, int, str]]:
    spans = set()
    for mention in mentions:
        at = paragraph.find(mention.sentence)
        if at >= 0:
            spans.add((at + mention.start, at + mention.end, mention.country))
    return spans


def absolute_url(site: Site, path: str) -> str:
    """`path` (relative to the site root) under the site's base URL, for feeds and canonical links."""
    return site.config.base_url + path


def site_path(site: Site) -> str:
    """The URL path the site is served under ("/" or "/some/path/"), for pages served at any depth."""
    from urllib.parse import urlsplit

    return urlsplit(site.config.base_url).path or "/"


def atom_date(date: PartialDate | None, fallback: str = "1970-01-01T00:00:00Z") -> str:
    """RFC 3339 timestamp for Atom; imprecise dates start at their first day, undated ones get `fallback`."""
    if date is None:
        return fallback
    return f"{date.year:04d}-{date.month or 1:02d}-{date.day or 1:02d}T00:00:00Z"


def pretty(path: str) -> str:
    """A page's public URL path: folders, not index.html."""
    return path.removesuffix("index.html")


def world_map(site: Site, root: str, locale: Locale) -> Markup:
    counts = {timeline.country: len(timeline.entries) for timeline in site.timelines}
    return charts.world_map_svg(
        counts,
        href=lambda code: root + country_path(code),
        label=lambda code, count: (
            f"{country_name(code, locale.language)}: {count} " + ("article" if count == 1 else "articles")
        ),
        title="World map of the articles per country",
    )


def timeline_chart(
    site: Site, timelines: list[Timeline], root: str, locale: Locale, memo: charts.LaneMemo | None = None
) -> Markup:
    """The swim-lane chart of `timelines` (the most covered first; undated articles are listed, not drawn)."""
    lanes = [_lane(site, timeline, root) for timeline in drawn_timelines(site, timelines)]
    title = "Timeline of the articles" + (
        f" mentioning {timelines[0].name}" if len(timelines) == 1 else " by country"
    )
    name = str(locale)
    return charts.timeline_svg(
        lanes, title, date_label=lambda date: format_partial_date(date, name), memo=memo
    )


def _lane(site: Site, timeline: Timeline, root: str) -> charts.Lane:
    articles = site.articles
    entries = [(articles[entry.slug], entry.role) for entry in timeline.entries]
    if charts.is_counted(dated_count(site, timeline)):
        # A counted lane shows no article's title or link: not worked out for its thousands of marks.
        marks = [charts.Mark("", "", article.date, role) for article, role in entries]
    else:
        marks = [charts.Mark(root + article_path(a), a.title, a.date, role) for a, role in entries]
    return charts.Lane(timeline.name, root + country_path(timeline.country), marks)


def dated_count(site: Site, timeline: Timeline) -> int:
    """How many of a timeline's entries have a date: they come first (see `chronological_key`)."""
    articles = site.articles
    return bisect.bisect_left(timeline.entries, True, key=lambda e: articles[e.slug].date is None)


def drawn_timelines(site: Site, timelines: list[Timeline]) -> list[Timeline]:
    """The timelines a chart draws: a lane with no dated article would be empty."""
    return [timeline for timeline in timelines if dated_count(site, timeline)][:CHART_LANES]


def chart_kinds(site: Site, timelines: list[Timeline]) -> set[str]:
    """How the chart of `timelines` draws its lanes, for its caption: "marks" (a mark per article)
    and/or "counts" (a bar per month, see `charts.MAX_MARKS`)."""
    return {
        "counts" if charts.is_counted(dated_count(site, t)) else "marks"
        for t in drawn_timelines(site, timelines)
    }


def template_globals(site: Site, pieces: dict[tuple[Any, ...], Any] | None = None) -> dict[str, Any]:
    """What templates call; `pieces` holds the output of the macros they `memo`ise."""
    locale = ui_locale(site)
    language_names: dict[str | None, str] = {}  # code → name, worked out once per build

    def language(code: str | None) -> str:
        if code not in language_names:
            language_names[code] = language_name(code, locale)
        return language_names[code]

    memo = _memo({} if pieces is None else pieces)
    return {
        "absolute": lambda path: absolute_url(site, path),
        "site_languages": sorted({a.lang for a in site.articles.values() if a.lang}),
        "atom_date": atom_date,
        "pretty": pretty,
        "site": site,
        "config": site.config,
        "article_path": article_path,
        "country_path": country_path,
        "country_name": lambda code: country_name(code, locale.language),
        "language_name": language,
        "highlighted_paragraphs": highlighted_paragraphs,
        "world_map": lambda root: world_map(site, root, locale),
        "timeline_chart": _chart_of_page(site, locale),
        "chart_kinds": lambda timelines: chart_kinds(site, timelines),
        "max_marks": charts.MAX_MARKS,
        "count_months_up_to": charts.COUNT_MONTHS_UP_TO,
        "index_entries": index_entries,
        "about_count": about_count,
        "timeline_items": _timeline_items(site, memo),
        "memo": memo,
    }


def _chart_of_page(site: Site, locale: Locale) -> Callable[..., Markup]:
    """`timeline_chart(timelines, root)`, with the lanes the page kept from its last build
    (`lane_memo` in the page's context, if the renderer gives one)."""

    @pass_context
    def chart(context: Context, timelines: list[Timeline], root: str) -> Markup:
        return timeline_chart(site, timelines, root, locale, context.get("lane_memo"))

    return chart


def _memo(rendered: dict[tuple[Any, ...], Any]) -> Callable[..., Any]:
    """`memo(macro, *arguments)`: the macro's output for these arguments (strings, dates), rendered once
    per build (or kept from the last: `rendered` is what the renderer keeps, see `Renderer.pieces`);
    for small pieces that thousands of pages repeat, such as a country's chip."""

    def memo(macro: Any, *arguments: Any) -> Any:
        key = (macro.name, *arguments)
        if key not in rendered:
            rendered[key] = macro(*arguments)
        return rendered[key]

    return memo


def _timeline_items(site: Site, memo: Callable[..., Any]) -> Callable[..., Markup]:
    """`timeline_items(entries, root, heading, date_shown, language_shown, anchors)`: the <li> of each entry
    of a timeline list, one per line (see the `timeline_list` macro), built and joined here rather
    than in a template loop because a big dossier lists tens of thousands (a loop in the template
    cost ~5 µs an entry more); the parts that come from the article alone are
    escaped once per build, and the `date_shown` and `language_shown` macros rendered once per
    date and language (`memo`): a Jinja macro call costs tens of microseconds."""
    parts: dict[str, tuple[str, str, str, str]] = {}  # slug → its language, page, title, date · language

    def article_parts(slug: str, date_shown: Any, language_shown: Any) -> tuple[str, str, str, str]:
        if slug not in parts:
            article = site.articles[slug]
            lang, path, title = (
                escape(article.lang or ""),
                escape(article_path(article)),
                escape(article.title),
            )
            meta = f"{memo(date_shown, article.date)} · {memo(language_shown, article.lang)}"
            parts[slug] = (lang, path, title, meta)
        return parts[slug]

    def items(
        entries: list[TimelineEntry],
        root: str,
        heading: str,
        date_shown: Any,
        language_shown: Any,
        anchors: bool = False,
    ) -> Iterator[str]:
        root, heading = _escaped(root), _escaped(heading)
        started: set[str] = set()  # the periods whose first entry is listed (see `_period_ids`)
        for entry in entries:
            lang, path, title, meta = article_parts(entry.slug, date_shown, language_shown)
            role = _escaped(entry.role)
            shown_role = "about" if entry.role == "about" else "mentions"
            quote = f'<blockquote lang="{lang}">{escape(entry.snippet)}</blockquote>' if entry.snippet else ""
            own, inner = _period_ids(site.articles[entry.slug].date, started) if anchors else ("", "")
            yield (
                f'    <li{own} class="entry role-{role}" data-lang="{lang}" data-role="{role}">{inner}\n'
                f'      <p class="meta">{meta} · <span class="role">{shown_role}</span></p>\n'
                f'      <{heading}><a href="{root}{path}" lang="{lang}">{title}</a></{heading}>\n'
                f"{quote}    </li>\n"
            )

    def listed(*arguments: Any) -> Markup:
        return Markup("".join(items(*arguments)))  # every value in it is escaped above

    return listed


def _period_ids(date: PartialDate | None, started: set[str]) -> tuple[str, str]:
    """Where the bars of a counted lane (see `charts.MAX_MARKS`) link on a country page: the first
    entry of each month has the month as its id ("2021-03"), the first of each year the year
    ("2021"), on an empty <span> inside the entry when it has its month's id already. Returns the
    entry's id attribute and that span (oldest first: `started` holds the periods seen)."""
    if date is None:
        return "", ""
    periods = [f"{date.year:04d}"] + ([f"{date.year:04d}-{date.month:02d}"] if date.month else [])
    ids = [period for period in periods if period not in started]
    started.update(ids)
    if not ids:
        return "", ""
    return f' id="{ids[-1]}"', f'<span id="{ids[0]}"></span>' if len(ids) == 2 else ""


@lru_cache(maxsize=1024)
def _escaped(value: str) -> str:
    """A short value that recurs (a role, a root, a heading) escaped once."""
    return str(escape(value))


def template_filters(site: Site) -> dict[str, Any]:
    locale = str(ui_locale(site))
    return {"date": lambda value: format_partial_date(value, locale), "urlhost": url_host}


def url_host(url: str) -> str:
    """The outlet's host name, for a source link's text."""
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def warm_pieces(site: Site, memo: Callable[..., Any], macros: Any) -> None:
    """Render through `memo` the pieces every list of articles shows: each date and language that
    the site's articles have, with the `date_shown` and `language_shown` macros of `macros` (the
    templates' macros module; a template set without them has nothing to warm)."""
    for name, values in (
        ("date_shown", {a.date for a in site.articles.values()}),
        ("language_shown", {a.lang for a in site.articles.values()}),
    ):
        macro = getattr(macros, name, None)
        if macro is not None:
            for value in values:
                memo(macro, value)
