"""Charts as inline SVG, made at build time: a world map shaded by coverage and a swim-lane
timeline. Part of the render stage; both return Markup ready to paste into a page.

Every text and attribute value comes from scraped content or the caller, so each goes through
`markupsafe` (Markup.format escapes its arguments) after characters that are not allowed in
XML or HTML text are dropped: the output must parse as XML as well as HTML5.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
import re
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from dossier.models import PartialDate, iso_text

WORLD = Path(__file__).parent / "data/world/countries.json"
SVG_NS = "http://www.w3.org/2000/svg"
LEVELS = 4  # shaded steps; level 0 is "not mentioned"
# Below this projected area (viewBox units², map 1000 wide) a country is a few pixels across:
# Belgium (26) and the Netherlands (34) get a marker, Switzerland (40) and Denmark (36) too.
SMALL_AREA = 45.0
MARKER_RADIUS = 3.6

# Characters XML 1.0 forbids and HTML calls parse errors (controls, surrogates, non-characters).
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_SAFE_SCHEMES = {"", "http", "https"}


@functools.lru_cache(maxsize=65536)  # titles and links recur on every chart of a big dossier
def _text(value: str) -> str:
    return _UNSAFE.sub("", value)


@functools.lru_cache(maxsize=65536)
def _href(value: str) -> str:
    """A link target that cannot run script: anything but http(s) or a relative URL is made
    relative ("javascript:x" becomes "./javascript:x", a harmless path)."""
    value = _text(value).strip()
    try:
        scheme = urlsplit(value).scheme.lower()
    except ValueError:
        scheme = "?"
    return value if scheme in _SAFE_SCHEMES else "./" + value


def _n(value: float) -> str:
    """A coordinate with at most one decimal: small output, byte-stable across builds."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _chart_id(kind: str, title: str, chart_id: str | None) -> str:
    """The id `aria-labelledby` points at: given, or derived from the title so builds are stable."""
    if chart_id:
        return chart_id
    return f"{kind}-{hashlib.sha1(title.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def _link(href: str, name: str, body: Markup, css: str = "") -> Markup:
    """An SVG link whose accessible name is `name` (aria-label) and whose tooltip says the same."""
    # f-strings over escaped parts: Markup.format is the costliest step on a lane of thousands of marks.
    cls = f' class="{escape(css)}"' if css else ""
    label = escape(_text(name))
    return Markup(
        f'<a href="{escape(_href(href))}"{cls} aria-label="{label}"><title>{label}</title>{body}</a>'
    )


def _svg(
    css: str, chart_id: str, title: str, view: tuple[float, float], body: Iterable[Markup], style: str = ""
) -> Markup:
    """The outer element: a labelled group of links (role="img" would hide the links from
    assistive technology), no fixed size so it scales to its container."""
    width, height = view
    extra = Markup(' style="{}"').format(style) if style else Markup("")
    head = Markup(
        '<svg xmlns="{}" class="{}" viewBox="0 0 {} {}" role="group" aria-labelledby="{}"{}>'
        '<title id="{}">{}</title>'
    ).format(SVG_NS, css, _n(width), _n(height), chart_id, extra, chart_id, _text(title))
    # Joined as plain text: Markup's own join and + copy each part again (a 15 MB chart on the
    # timeline index of a big dossier); every part is Markup already.
    return Markup("".join([head, *body, "</svg>"]))


# ---------------------------------------------------------------------------------------------
# World map

_MAP_STYLE = Markup(
    "<style>"
    ".dossier-map path,.dossier-map circle{stroke:var(--bg,#fdfdfc);stroke-width:.6px;"
    "vector-effect:non-scaling-stroke;stroke-linejoin:round;fill-rule:evenodd}"
    ".dossier-map .sphere{fill:none;stroke:var(--line,#d9dde1)}"
    ".dossier-map .lvl-0{fill:var(--map-0,#e9ecef)}.dossier-map .lvl-1{fill:var(--map-1,#c6dbef)}"
    ".dossier-map .lvl-2{fill:var(--map-2,#6baed6)}.dossier-map .lvl-3{fill:var(--map-3,#2171b5)}"
    ".dossier-map .lvl-4{fill:var(--map-4,#08306b)}"
    ".dossier-map circle.marker{stroke:var(--fg,#1d1f21);stroke-width:1px}"
    ".dossier-map a:hover path,.dossier-map a:focus-visible path,.dossier-map a:hover circle,"
    ".dossier-map a:focus-visible circle{stroke:var(--fg,#1d1f21);stroke-width:2px}"
    ".dossier-map a:focus{outline:none}"
    ".dossier-map .legend text{fill:var(--fg,#1d1f21);font-size:13px}"
    ".dossier-map .legend{transform-box:fill-box;transform-origin:left bottom}"
    # The map scales down with the screen and its legend with it: enlarge it on narrow screens.
    "@media (max-width:50rem){.dossier-map .legend{transform:scale(1.6)}}"
    "@media (max-width:30rem){.dossier-map .legend{transform:scale(2.4)}}"
    ".dossier-map .legend rect{stroke:var(--muted,#595f66);stroke-width:.5px;"
    "vector-effect:non-scaling-stroke}"
    "</style>"
)


@functools.cache
def world() -> dict:
    """The map geometry (see data/world/README.md), read once per process."""
    return json.loads(WORLD.read_text("utf-8"))


def level(count: int, top: int) -> int:
    """0 for no articles, else 1…4 on a log scale up to the most-covered country: coverage is
    heavy-tailed, and a linear scale would leave all but the top country in the palest step."""
    if count <= 0:
        return 0
    share = math.log(count) / math.log(top) if top > 1 else 1.0
    return 1 + min(LEVELS - 1, int(LEVELS * share))


def world_map_svg(
    counts: Mapping[str, int],
    href: Callable[[str], str],
    label: Callable[[str, int], str],
    title: str,
    *,
    chart_id: str | None = None,
) -> Markup:
    """The world, each country shaded by its count (ISO alpha-2 → articles) and linked to
    `href(code)` with the accessible name `label(code, count)`. Codes not on the map ("EU")
    are skipped; countries too small to click also get a circle marker."""
    data = world()
    shapes, view = data["countries"], (data["viewBox"][2], data["viewBox"][3])
    shown = {code: n for code, n in counts.items() if n > 0 and code in shapes}
    top = max(shown.values(), default=0)
    unlinked = [
        Markup('<path class="lvl-0" d="{}"/>').format(entry["d"])
        for code, entry in shapes.items()
        if code not in shown and "d" in entry
    ]
    # Larger countries first, so a small one (and its marker) is painted over its neighbours.
    linked = sorted(shown, key=lambda code: (-shapes[code]["area"], code))
    body = [
        _MAP_STYLE,
        Markup('<path class="sphere" d="{}"/>').format(data["sphere"]),
        Markup('<g class="countries">{}</g>').format(Markup("").join(unlinked)),
        Markup('<g class="linked">{}</g>').format(
            Markup("").join(_country(code, shown[code], top, href, label) for code in linked)
        ),
        _legend(top, view),
    ]
    return _svg("dossier-map", _chart_id("map", title, chart_id), title, view, body)


def _country(
    code: str, count: int, top: int, href: Callable[[str], str], label: Callable[[str, int], str]
) -> Markup:
    entry = world()["countries"][code]
    css = f"lvl-{level(count, top)}"
    parts = []
    if "d" in entry:
        parts.append(Markup('<path class="{}" d="{}"/>').format(css, entry["d"]))
    if entry["area"] < SMALL_AREA:
        x, y = entry["point"]
        parts.append(
            Markup('<circle class="{} marker" cx="{}" cy="{}" r="{}"/>').format(
                css, _n(x), _n(y), _n(MARKER_RADIUS)
            )
        )
    return _link(href(code), label(code, count), Markup("").join(parts), css=f"country {code.lower()}")


def level_ranges(top: int) -> list[tuple[int, int, int]]:
    """(level, lowest count, highest count) of each level some count up to `top` reaches."""
    ranges: dict[int, list[int]] = {}
    for count in range(1, top + 1):
        ranges.setdefault(level(count, top), []).append(count)
    return [(lvl, members[0], members[-1]) for lvl, members in sorted(ranges.items())]


def _legend(top: int, view: tuple[float, float]) -> Markup:
    """Swatches with the counts they stand for, in the empty South Pacific; hidden from assistive
    technology, which reads each country's count from its link instead."""
    if top <= 0:
        return Markup("")
    x, y = 12.0, view[1] - 12.0 - 20.0 * len(level_ranges(top))
    rows = []
    for row, (lvl, low, high) in enumerate(level_ranges(top)):
        text = str(low) if low == high else f"{low}–{high}"
        rows.append(
            Markup(
                '<rect class="lvl-{}" x="{}" y="{}" width="16" height="14"/><text x="{}" y="{}">{}</text>'
            ).format(lvl, _n(x), _n(y + 20 * row), _n(x + 22), _n(y + 20 * row + 12), text)
        )
    return Markup('<g class="legend" aria-hidden="true">{}</g>').format(Markup("").join(rows))


# ---------------------------------------------------------------------------------------------
# Swim-lane timeline


class Mark(NamedTuple):
    """One article in one lane; `date` None means undated (not drawn, see `undated_marks`). A named
    tuple: a big dossier's charts have tens of thousands, and a frozen dataclass is slower to make."""

    href: str
    title: str
    date: PartialDate | None
    role: str  # "about" (drawn filled) | "mentions" (drawn outlined)


@dataclass(frozen=True)
class Lane:
    label: str
    href: str
    marks: list[Mark]


WIDTH = 760.0  # viewBox width; text is sized for it, so at the 40rem minimum 1 unit ≈ 0.84 px
LABEL_WIDTH = 150.0
PLOT_LEFT, PLOT_RIGHT = LABEL_WIDTH + 16.0, WIDTH - 14.0
AXIS_HEIGHT = 28.0
LANE_HEIGHT = 30.0
LINE_HEIGHT = 15.0
LABEL_CHARS = 20  # about what fits in LABEL_WIDTH at 13 units, without font metrics
DOT_RADIUS = (2.0, 4.5)  # smallest and largest: dots shrink as a lane gets crowded
SPAN_HEIGHT = 7.0
MAX_TICKS = 12
# A lane with more dated articles than this counts them per month instead of drawing a dot each
# (per year on a chart of more than COUNT_MONTHS_UP_TO years): past it the dots run together into
# one line that shows neither how many articles there are nor when, and its links are too close to
# click (the timeline index of 10,000 articles drew 44,500 of them, 16 MB of SVG).
MAX_MARKS = 200
COUNT_MONTHS_UP_TO = 25

_TIMELINE_STYLE = Markup(
    "<style>"
    ".dossier-timeline text{fill:var(--fg,#1d1f21);font-size:13px}"
    ".dossier-timeline .lane-label{fill:var(--accent,#0b5cad);text-decoration:underline}"
    ".dossier-timeline .axis text{fill:var(--muted,#595f66);font-size:12px}"
    ".dossier-timeline .grid{stroke:var(--line,#d9dde1);stroke-width:1px;vector-effect:non-scaling-stroke}"
    ".dossier-timeline .grid.minor{stroke-dasharray:2 3}"
    ".dossier-timeline .stripe{fill:var(--line,#d9dde1);opacity:.35}"
    ".dossier-timeline .mark{stroke:var(--accent,#0b5cad);stroke-width:1.5px;"
    "vector-effect:non-scaling-stroke}"
    ".dossier-timeline .about{fill:var(--accent,#0b5cad)}"
    ".dossier-timeline circle.about{fill-opacity:.6}"
    ".dossier-timeline .mentions{fill:var(--bg,#fdfdfc);fill-opacity:0}"  # see-through, yet clickable
    ".dossier-timeline rect.about{fill-opacity:.3}"
    # A crowded lane: thin outlines and paler fills, so overlaps add up to darker patches.
    ".dossier-timeline .dense .mark{stroke-width:.6px}.dossier-timeline .dense circle.about{fill-opacity:.4}"
    # A counted lane: a bar per month, as tall as its count, the part about the country filled.
    ".dossier-timeline .count{stroke:var(--accent,#0b5cad);stroke-width:.6px;"
    "vector-effect:non-scaling-stroke}"
    ".dossier-timeline rect.count.about{fill:var(--accent,#0b5cad);fill-opacity:.85}"
    ".dossier-timeline rect.count.mentions{fill:var(--accent,#0b5cad);fill-opacity:.2}"
    ".dossier-timeline rect.count.year{fill:none;stroke-dasharray:2 2}"
    ".dossier-timeline a:hover .count,.dossier-timeline a:focus-visible .count"
    "{stroke:var(--fg,#1d1f21);stroke-width:2px}"
    ".dossier-timeline a:hover .mark,.dossier-timeline a:focus-visible .mark"
    "{stroke:var(--fg,#1d1f21);stroke-width:3px}"
    ".dossier-timeline a:focus-visible .lane-label{outline:2px solid var(--accent,#0b5cad)}"
    "</style>"
)


# memo(key, draw): a lane's SVG, drawn by `draw` or kept from an earlier build under `key` (a
# digest of everything the lane shows and where; the caller adds what words its dates).
LaneMemo = Callable[[str, Callable[[], str]], str]


def undated_marks(lanes: Sequence[Lane]) -> list[tuple[Lane, Mark]]:
    """The marks `timeline_svg` leaves out because they have no date, lane by lane, for the
    caller to list beside the chart."""
    return [(lane, mark) for lane in _lane_order(lanes) for mark in lane.marks if mark.date is None]


def timeline_svg(
    lanes: Sequence[Lane],
    title: str,
    *,
    date_label: Callable[[PartialDate], str] = PartialDate.iso,
    chart_id: str | None = None,
    memo: LaneMemo | None = None,
) -> Markup:
    """One lane per country (most marks first), one mark per dated article: a dot for a day, a
    bar spanning the month or year for a vaguer date. Empty Markup when nothing is dated.
    `date_label` words dates for tooltips and accessible names (e.g. in the UI language); `memo`
    keeps lanes between builds (see `LaneMemo`)."""
    ordered = _lane_order(lanes)
    dates = [m.date for lane in ordered for m in lane.marks if m.date is not None]
    if not dates:
        return Markup("")
    scale = _Scale(min(d.year for d in dates), max(d.year for d in dates) + 1)
    rows, y, placed = [], AXIS_HEIGHT, _Dates(scale, date_label)
    for index, lane in enumerate(ordered):
        row, y = _lane(lane, index, y, placed, memo)
        rows.append(row)
    long = len(ordered) > 8  # a second row of year labels below a long chart
    height = y + (AXIS_HEIGHT if long else 6.0)
    body = [_TIMELINE_STYLE, _axis(scale, y, labels_below=long), *rows]
    chart = _chart_id("timeline", title, chart_id)
    return _svg("dossier-timeline", chart, title, (WIDTH, height), body, style="min-width: 40rem")


def _lane_order(lanes: Sequence[Lane]) -> list[Lane]:
    return sorted(lanes, key=lambda lane: -len(lane.marks))  # stable: ties keep the caller's order


class _Scale:
    """Dates to x: whole years from 1 January of `first` to 1 January of `end`."""

    def __init__(self, first: int, end: int) -> None:
        self.first, self.end = first, end
        self.origin = dt.date(first, 1, 1).toordinal()
        self.days = dt.date(end, 1, 1).toordinal() - self.origin

    def x(self, day: dt.date, fraction: float = 0.0) -> float:
        share = (day.toordinal() + fraction - self.origin) / self.days
        return PLOT_LEFT + share * (PLOT_RIGHT - PLOT_LEFT)

    def extent(self, date: PartialDate) -> tuple[float, float]:
        """Where a date starts and ends: a whole day, month or year."""
        if date.precision == "day":
            day = dt.date(date.year, date.month or 1, date.day or 1)
            return self.x(day), self.x(day, 1.0)
        if date.precision == "month":
            month = date.month or 1
            after = dt.date(date.year + month // 12, month % 12 + 1, 1)
            return self.x(dt.date(date.year, month, 1)), self.x(after)
        return self.x(dt.date(date.year, 1, 1)), self.x(dt.date(date.year + 1, 1, 1))


def _axis(scale: _Scale, lanes_end: float, labels_below: bool) -> Markup:
    """Year lines across all lanes, labelled above them (and below a long chart); months
    dashed when the chart covers three years or fewer."""
    years = scale.end - scale.first
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if years / s <= MAX_TICKS)
    label_rows = [AXIS_HEIGHT - 10.0] + ([lanes_end + 18.0] if labels_below else [])
    parts = []
    if years <= 3:
        months = [dt.date(year, month, 1) for year in range(scale.first, scale.end) for month in range(2, 13)]
        parts += [_gridline(scale.x(day), lanes_end, "grid minor") for day in months]
    for year in range(scale.first, scale.end + 1):
        x = scale.x(dt.date(year, 1, 1))
        if years <= 60 or year % step == 0:
            parts.append(_gridline(x, lanes_end, "grid"))
        if year % step or (step == 1 and year == scale.end):
            continue
        # Yearly labels start just after their line, so the first shows before a phone scrolls;
        # coarser ones are centred on their line.
        at, anchor = (x + 4, "start") if step == 1 else (x, "middle")
        parts += [
            Markup('<text x="{}" y="{}" text-anchor="{}">{}</text>').format(_n(at), _n(y), anchor, year)
            for y in label_rows
        ]
    return Markup('<g class="axis" aria-hidden="true">{}</g>').format(Markup("").join(parts))


def _gridline(x: float, lanes_end: float, css: str) -> Markup:
    return Markup('<line class="{}" x1="{}" y1="{}" x2="{}" y2="{}"/>').format(
        css, _n(x), _n(AXIS_HEIGHT - 4), _n(x), _n(lanes_end + 4)
    )


def wrap_label(label: str, width: int = LABEL_CHARS) -> list[str]:
    """A lane label in lines of at most `width` characters; long words are broken."""
    return textwrap.wrap(_text(label), width, break_long_words=True, break_on_hyphens=True) or [""]


def _lane(lane: Lane, index: int, top: float, dates: _Dates, memo: LaneMemo | None) -> tuple[Markup, float]:
    """One lane's label and marks; returns them and where the next lane starts."""
    lines = wrap_label(lane.label)
    height = max(LANE_HEIGHT, LINE_HEIGHT * len(lines) + 12.0)

    periods = _periods(lane, dates.scale) if _is_counted(lane) else None

    def draw() -> str:
        if periods is not None:
            return _counted_lane_svg(lane, periods, lines, index, top, height, dates)
        return _lane_svg(lane, lines, index, top, height, dates)

    if memo is None:
        return Markup(draw()), top + height
    key = (
        _lane_key(lane, index, top, dates.scale)
        if periods is None
        else _counts_key(lane, periods, index, top, dates.scale)
    )
    return Markup(memo(key, draw)), top + height


def is_counted(dated_marks: int) -> bool:
    """Does a lane of this many dated marks count them per period (see MAX_MARKS)?"""
    return dated_marks > MAX_MARKS


def _is_counted(lane: Lane) -> bool:
    return is_counted(sum(1 for m in lane.marks if m.date is not None))


def _lane_key(lane: Lane, index: int, top: float, scale: _Scale) -> str:
    """Everything `_lane_svg` draws from, but the wording of dates."""
    marks = lane.marks  # one join per field: a lane may hold thousands of marks
    fields = [
        f"{lane.label}\0{lane.href}\0{index % 2}\0{_n(top)}\0{scale.first}-{scale.end}",
        "\0".join([m.href for m in marks]),
        "\0".join([m.title for m in marks]),
        "\0".join([iso_text(m.date) for m in marks]),
        "".join(["a" if m.role == "about" else "m" for m in marks]),
    ]
    made_from = "\1".join(fields)
    return hashlib.blake2b(made_from.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _lane_head(lane: Lane, lines: list[str], index: int, top: float, height: float) -> str:
    """A lane's background stripe (every other lane) and its label linked to the country."""
    middle = top + height / 2
    stripe = (
        Markup('<rect class="stripe" x="0" y="{}" width="{}" height="{}"/>').format(
            _n(top), _n(WIDTH), _n(height)
        )
        if index % 2 == 0
        else Markup("")
    )
    first_line = middle - LINE_HEIGHT * (len(lines) - 1) / 2 + 4.5
    tspans = Markup("").join(
        Markup('<tspan x="8" y="{}">{}</tspan>').format(_n(first_line + LINE_HEIGHT * i), line)
        for i, line in enumerate(lines)
    )
    label = Markup('<a href="{}"><text class="lane-label">{}</text></a>').format(_href(lane.href), tspans)
    return f"{stripe}{label}"


def _lane_svg(lane: Lane, lines: list[str], index: int, top: float, height: float, dates: _Dates) -> str:
    middle = top + height / 2
    dated = sorted((m for m in lane.marks if m.date is not None), key=lambda m: m.date.sort_key())
    radius = _dot_radius(sum(1 for m in dated if m.date.precision == "day"))
    # A lane may hold thousands of marks: each is one f-string over parts escaped once (titles and
    # links once per build, what a date looks like once per chart), joined as plain text.
    shapes = _Shapes(middle, radius)
    marks = "".join(_mark(m, shapes, dates) for m in dated)
    css = "marks dense" if radius <= DOT_RADIUS[0] else "marks"
    return f'<g class="lane">{_lane_head(lane, lines, index, top, height)}<g class="{css}">{marks}</g></g>'


class _Count(NamedTuple):
    about: int
    mentions: int


def _periods(lane: Lane, scale: _Scale) -> dict[PartialDate, _Count]:
    """A counted lane's articles per month (or year) in date order. An article dated only by its
    year has a period of its own, the year, in a lane counted by month."""
    by_month = _by_month(scale)
    counts: dict[tuple[int, int | None], list[int]] = {}
    for mark in lane.marks:
        date = mark.date
        if date is not None:
            count = counts.setdefault((date.year, date.month if by_month else None), [0, 0])
            count[mark.role != "about"] += 1
    return {
        PartialDate(year, month): _Count(*count)
        for (year, month), count in sorted(counts.items(), key=lambda item: (item[0][0], item[0][1] or 0))
    }


def _by_month(scale: _Scale) -> bool:
    return scale.end - scale.first <= COUNT_MONTHS_UP_TO


def _counts_key(lane: Lane, periods: dict[PartialDate, _Count], index: int, top: float, scale: _Scale) -> str:
    """Everything `_counted_lane_svg` draws from, but the wording of dates."""
    counts = "\0".join(f"{p.iso()}:{c.about}:{c.mentions}" for p, c in periods.items())
    made_from = f"{lane.label}\0{lane.href}\0{index % 2}\0{_n(top)}\0{scale.first}-{scale.end}\1{counts}"
    return hashlib.blake2b(made_from.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _counted_lane_svg(
    lane: Lane,
    periods: dict[PartialDate, _Count],
    lines: list[str],
    index: int,
    top: float,
    height: float,
    dates: _Dates,
) -> str:
    """A bar per period, as tall as the period's articles per month (one dated only by its year
    counts a twelfth in each of its months), the part about the country filled; each bar links to
    where the period starts on the country page."""
    base, room = top + height - 5.0, height - 10.0
    tallest = max(_per_month(period, count) for period, count in periods.items())
    # Years first: a year's bar spans its months' bars, which are drawn over it.
    ordered = sorted(periods.items(), key=lambda item: item[0].month is not None)
    bars = "".join(
        _bar(lane.label, lane.href, p, c, base, room * _per_month(p, c) / tallest, dates) for p, c in ordered
    )
    return (
        f'<g class="lane">{_lane_head(lane, lines, index, top, height)}<g class="marks counts">{bars}</g></g>'
    )


def _per_month(period: PartialDate, count: _Count) -> float:
    return (count.about + count.mentions) / (1 if period.month else 12)


def _bar(
    label: str, href: str, period: PartialDate, count: _Count, base: float, tall: float, dates: _Dates
) -> str:
    """One period's bar (`tall` high, at least 1.5), linked and named by its count."""
    start, end = dates.scale.extent(period)
    gap = 0.3 if end - start > 1.5 else 0.0
    x, width = _n(start + gap), _n(max(end - start - 2 * gap, 0.5))
    tall = max(tall, 1.5)
    about = tall * count.about / (count.about + count.mentions)
    only_year = period.month is None and _by_month(dates.scale)
    css = "count year" if only_year else "count"
    shapes = [
        f'<rect class="{css} {role}" x="{x}" y="{_n(base - high)}" width="{width}" '
        f'height="{_n(high - low)}"/>'
        for role, low, high in (("about", 0.0, about), ("mentions", about, tall))
        if high > low
    ]
    total = count.about + count.mentions
    when = dates.date_label(period) + (" (month not known)" if only_year else "")
    name = f"{label}, {when}: {total} {'article' if total == 1 else 'articles'}, {count.about} about {label}"
    text = escape(_text(name))
    link = escape(_href(f"{href}#{period.iso()}"))
    return f'<a href="{link}" aria-label="{text}"><title>{text}</title>{"".join(shapes)}</a>'


def _dot_radius(dots: int) -> float:
    """Half the average gap between a lane's dots, within DOT_RADIUS: a crowded lane keeps gaps."""
    smallest, largest = DOT_RADIUS
    return min(largest, max(smallest, (PLOT_RIGHT - PLOT_LEFT) / max(dots, 1) / 2))


def _mark(mark: Mark, shapes: _Shapes, dates: _Dates) -> str:
    """A mark linked to its article, named by its title and date (see `_link`)."""
    assert mark.date is not None
    x, width, date = dates.get(mark.date)
    href, label = _escaped_href(mark.href), _mark_label(mark.title, date)
    return (
        f'<a href="{href}" aria-label="{label}"><title>{label}</title>{shapes.get(mark.role, x, width)}</a>'
    )


class _Dates:
    """What a chart shows of each date, worked out once per date: where its mark is drawn (a
    day's centre and None, or where a month or year starts and how wide it is) and its wording."""

    def __init__(self, scale: _Scale, date_label: Callable[[PartialDate], str]) -> None:
        self.scale, self.date_label = scale, date_label
        self.seen: dict[tuple[int, int | None, int | None], tuple[str, str | None, str]] = {}

    def get(self, date: PartialDate) -> tuple[str, str | None, str]:
        key = (date.year, date.month, date.day)  # what makes dates equal, hashed faster
        found = self.seen.get(key)
        if found is None:
            start, end = self.scale.extent(date)
            if date.precision == "day":
                found = (_n((start + end) / 2), None, self.date_label(date))
            else:
                found = (_n(start), _n(max(end - start, 2.0)), self.date_label(date))
            self.seen[key] = found
        return found


class _Shapes:
    """The shapes of one lane's marks: a dot for a day, a bar (of `width`) for a month or year."""

    def __init__(self, middle: float, radius: float) -> None:
        self.cy, self.r = _n(middle), _n(radius)
        self.top, self.height = _n(middle - SPAN_HEIGHT / 2), _n(SPAN_HEIGHT)

    def get(self, role: str, x: str, width: str | None) -> str:
        role = "about" if role == "about" else "mentions"
        if width is None:
            return f'<circle class="mark {role}" cx="{x}" cy="{self.cy}" r="{self.r}"/>'
        size = f'width="{width}" height="{self.height}"'
        return f'<rect class="mark {role}" x="{x}" y="{self.top}" {size} rx="3"/>'


@functools.lru_cache(maxsize=65536)
def _escaped_href(href: str) -> str:
    return str(escape(_href(href)))


@functools.lru_cache(maxsize=65536)
def _mark_label(title: str, date: str) -> str:
    """A mark's accessible name and tooltip, escaped: the article's title and its date."""
    return str(escape(_text(f"{_text(title)} ({date})")))
