"""charts: the world map and the swim-lane timeline are well-formed, escaped, accessible SVG."""

from __future__ import annotations

import itertools
import json
import random
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pycountry
import pytest

from dossier import charts
from dossier.charts import Lane, Mark, level, timeline_svg, undated_marks, world_map_svg
from dossier.models import PartialDate

if TYPE_CHECKING:
    from playwright.sync_api import Page

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"
EVIL = "\"><script>alert(1)</script>&amp;'x"
SHOTS = Path("/tmp/charts")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
STYLE = Path(__file__).resolve().parents[1] / "site_templates/static/style.css"

COUNTS = {"US": 120, "CN": 60, "DE": 20, "FR": 8, "BE": 4, "NL": 3, "LU": 1, "SG": 2, "BR": 1, "EU": 40}


def _href(code: str) -> str:
    return f"../../countries/{code.lower()}/index.html"


def _label(code: str, count: int) -> str:
    return f"{code}: {count} articles"


def _map(counts: dict[str, int] = COUNTS, title: str = "Coverage") -> ET.Element:
    return ET.fromstring(str(world_map_svg(counts, _href, _label, title)))


def _parents(root: ET.Element) -> dict[ET.Element, ET.Element]:
    return {child: parent for parent in root.iter() for child in parent}


def _links(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//svg:a", NS)


def _country_link(root: ET.Element, code: str) -> ET.Element:
    return next(a for a in _links(root) if a.get("href") == _href(code))


def _classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


# --- world map ---------------------------------------------------------------------------------


def test_map_is_a_labelled_scalable_group() -> None:
    root = _map()
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "group"
    title = root.find("svg:title", NS)
    assert title is not None and title.text == "Coverage"
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("viewBox", "").startswith("0 0 1000 ")
    assert root.get("width") is None and root.get("height") is None  # scales to its container


def test_map_shading_follows_counts() -> None:
    root = _map()
    shading = {}
    for code in COUNTS.keys() - {"EU"}:
        shapes = _country_link(root, code).findall("svg:path", NS) + _country_link(root, code).findall(
            "svg:circle", NS
        )
        levels = {c for shape in shapes for c in _classes(shape) if c.startswith("lvl-")}
        assert len(levels) == 1, code
        shading[code] = int(levels.pop().removeprefix("lvl-"))
    assert shading["US"] == 4 and shading["LU"] == shading["BR"] == 1
    by_count = sorted(shading, key=lambda code: COUNTS[code])
    assert [shading[c] for c in by_count] == sorted(shading[c] for c in by_count)  # monotonic
    unmentioned = [p for p in root.iter(f"{SVG}path") if "lvl-0" in _classes(p)]
    assert len(unmentioned) > 150
    assert all(p not in _links(root) for p in unmentioned)


def test_every_shaded_country_is_a_named_link() -> None:
    root = _map()
    parents = _parents(root)
    shaded = [e for e in root.iter() if any(c in _classes(e) for c in ("lvl-1", "lvl-2", "lvl-3", "lvl-4"))]
    shaded = [e for e in shaded if e.tag != f"{SVG}rect"]  # the legend's swatches
    assert shaded
    for shape in shaded:
        link = parents[shape]
        assert link.tag == f"{SVG}a"
        code = link.get("href").split("/")[-2].upper()
        assert link.get("aria-label") == _label(code, COUNTS[code])
        assert link.find("svg:title", NS).text == _label(code, COUNTS[code])
    assert {a.get("href") for a in _links(root)} == {_href(c) for c in COUNTS if c != "EU"}


def test_small_countries_get_a_marker_inside_the_map() -> None:
    root = _map()
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    for code in ("BE", "NL", "LU", "SG"):
        (marker,) = _country_link(root, code).findall("svg:circle", NS)
        x, y, r = (float(marker.get(k)) for k in ("cx", "cy", "r"))
        assert r >= 3 and r <= x <= width - r and r <= y <= height - r
    for code in ("US", "CN", "DE", "FR", "BR"):
        assert _country_link(root, code).findall("svg:circle", NS) == []


def test_map_without_counts_has_no_links_or_legend() -> None:
    root = _map({})
    assert _links(root) == []
    assert root.find(".//svg:g[@class='legend']", NS) is None


def test_map_legend_ranges_cover_every_count() -> None:
    for top in (1, 2, 5, 37, 1000):
        ranges = charts.level_ranges(top)
        assert ranges[0][1] == 1 and ranges[-1][2] == top and ranges[-1][0] == 4
        assert all(high + 1 == low for (_, _, high), (_, low, _) in itertools.pairwise(ranges))


def test_levels() -> None:
    assert level(0, 10) == 0
    assert level(1, 1) == 4  # the most covered is always the darkest
    assert level(1, 100) == 1 and level(100, 100) == 4
    assert [level(n, 500) for n in range(1, 501)] == sorted(level(n, 500) for n in range(1, 501))


def test_world_data_is_compact_and_keyed_by_alpha2() -> None:
    assert charts.WORLD.stat().st_size < 300_000
    data = json.loads(charts.WORLD.read_text("utf-8"))
    codes = set(data["countries"])
    valid = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    assert codes <= valid and "AQ" not in codes and "EU" not in codes
    assert len(codes) > 230  # 1:110m shapes plus marker points for the small ones
    assert {"BE", "NL", "LU", "SG", "MT", "XK", "RE"} <= codes
    assert all(entry["d"].startswith("M") for entry in data["countries"].values() if "d" in entry)


def test_map_escapes_labels_and_hrefs() -> None:
    text = str(world_map_svg({"DE": 1}, lambda code: "x?a=1&b=" + EVIL, lambda code, n: EVIL, EVIL))
    assert "<script" not in text
    root = ET.fromstring(text)
    assert root.find("svg:title", NS).text == EVIL
    (link,) = _links(root)
    assert link.get("aria-label") == EVIL
    assert link.get("href") == "x?a=1&b=" + EVIL


# --- timeline ----------------------------------------------------------------------------------


def _mark(slug: str, date: PartialDate | None, role: str = "about", title: str = "") -> Mark:
    return Mark(f"../../articles/{slug}/index.html", title or f"Title {slug}", date, role)


def _timeline(lanes: list[Lane], title: str = "Timeline") -> ET.Element:
    return ET.fromstring(str(timeline_svg(lanes, title)))


def _mark_links(root: ET.Element) -> list[ET.Element]:
    return [a for a in _links(root) if "/articles/" in a.get("href")]


def _start_x(link: ET.Element) -> float:
    (shape,) = [e for e in link if e.tag in (f"{SVG}circle", f"{SVG}rect")]
    if shape.tag == f"{SVG}circle":
        return float(shape.get("cx")) - float(shape.get("r"))
    return float(shape.get("x"))


def test_timeline_is_a_labelled_group_with_a_minimum_width() -> None:
    root = _timeline([Lane("Germany", "../de/index.html", [_mark("a", PartialDate(2019, 1, 2))])])
    assert root.get("role") == "group"
    assert root.get("aria-labelledby") == root.find("svg:title", NS).get("id")
    assert "min-width" in root.get("style") and root.get("width") is None
    assert root.get("viewBox").startswith("0 0 ")


def test_lanes_most_covered_first_with_linked_labels() -> None:
    few = Lane("Few", "few.html", [_mark("a", PartialDate(2019))])
    many = Lane("Many", "many.html", [_mark(s, PartialDate(2019, 5)) for s in "bcd"])
    root = _timeline([few, many])
    labels = [a for a in _links(root) if a.get("href") in ("few.html", "many.html")]
    assert [a.get("href") for a in labels] == ["many.html", "few.html"]
    assert ["".join(a.itertext()) for a in labels] == ["Many", "Few"]


def test_marks_in_date_order_along_x() -> None:
    dates = [
        PartialDate(2021, 3, 1),
        PartialDate(2018, 1, 5),
        PartialDate(2019, 7, 30),
        PartialDate(2019, 8, 1),
    ]
    marks = [_mark(f"s{i}", d) for i, d in enumerate(dates)]
    root = _timeline([Lane("X", "x.html", marks)])
    links = _mark_links(root)
    by_x = sorted(links, key=_start_x)
    order = sorted(range(len(dates)), key=lambda i: dates[i].sort_key())
    assert [a.get("href") for a in by_x] == [marks[i].href for i in order]
    assert [a.get("href") for a in links] == [marks[i].href for i in order]  # tab order too


def test_month_and_year_dates_are_spans() -> None:
    marks = [
        _mark("day", PartialDate(2019, 6, 15)),
        _mark("month", PartialDate(2019, 6)),
        _mark("year", PartialDate(2019)),
        _mark("december", PartialDate(2019, 12)),
    ]
    root = _timeline([Lane("X", "x.html", marks)])
    shapes = {k: next(e for e in a if e.tag != f"{SVG}title") for k, a in _by_slug(root).items()}
    assert shapes["day"].tag == f"{SVG}circle"
    month, year, december = shapes["month"], shapes["year"], shapes["december"]
    assert month.tag == year.tag == december.tag == f"{SVG}rect"
    month_x, month_w = float(month.get("x")), float(month.get("width"))
    year_x, year_w = float(year.get("x")), float(year.get("width"))
    assert month_x < float(shapes["day"].get("cx")) < month_x + month_w  # 15 June inside June
    assert year_x <= month_x and month_x + month_w <= year_x + year_w
    assert 11 < year_w / month_w < 13
    assert abs(float(december.get("x")) + float(december.get("width")) - (year_x + year_w)) < 0.2


def _by_slug(root: ET.Element) -> dict[str, ET.Element]:
    return {a.get("href").split("/")[-2]: a for a in _mark_links(root)}


def test_undated_marks_are_left_out_and_returned() -> None:
    undated = _mark("undated", None)
    lane = Lane("X", "x.html", [_mark("dated", PartialDate(2020, 2, 2)), undated])
    root = _timeline([lane])
    assert list(_by_slug(root)) == ["dated"]
    assert undated_marks([lane]) == [(lane, undated)]
    assert str(timeline_svg([Lane("X", "x.html", [undated])], "T")) == ""  # nothing to draw


def test_marks_are_named_links_drawn_by_role() -> None:
    lane = Lane(
        "X",
        "x.html",
        [
            _mark("a", PartialDate(2019, 3, 4), "about", "Big news"),
            _mark("m", PartialDate(2019, 3), "mentions"),
        ],
    )
    links = _by_slug(_timeline([lane]))
    assert links["a"].get("aria-label") == "Big news (2019-03-04)"
    assert links["a"].find("svg:title", NS).text == "Big news (2019-03-04)"
    assert "about" in _classes(links["a"].find("svg:circle", NS))
    assert "mentions" in _classes(links["m"].find("svg:rect", NS))


def test_date_label_words_the_dates() -> None:
    lane = Lane("X", "x.html", [_mark("a", PartialDate(2019, 3, 4), title="T")])
    root = ET.fromstring(str(timeline_svg([lane], "T", date_label=lambda d: f"day {d.day}")))
    assert _by_slug(root)["a"].get("aria-label") == "T (day 4)"


def test_year_axis_has_a_label_per_year() -> None:
    lane = Lane("X", "x.html", [_mark("a", PartialDate(2016, 3, 4)), _mark("b", PartialDate(2019))])
    root = _timeline([lane])
    axis = root.find(".//svg:g[@class='axis']", NS)
    assert [t.text for t in axis.findall("svg:text", NS)] == ["2016", "2017", "2018", "2019"]
    assert len(axis.findall("svg:line", NS)) >= 5


def test_long_axis_labels_every_few_years() -> None:
    lane = Lane("X", "x.html", [_mark("a", PartialDate(1990, 3, 4)), _mark("b", PartialDate(2024))])
    years = [int(t.text) for t in _timeline([lane]).findall(".//svg:g[@class='axis']/svg:text", NS)]
    assert 3 <= len(years) <= charts.MAX_TICKS and all(y % 5 == 0 for y in years)


def test_long_lane_labels_wrap() -> None:
    name = "Democratic Republic of the Congo and a Very Long Name Indeed"
    root = _timeline([Lane(name, "cd.html", [_mark("a", PartialDate(2019, 1, 1))])])
    label = next(a for a in _links(root) if a.get("href") == "cd.html")
    lines = [t.text for t in label.iter(f"{SVG}tspan")]
    assert len(lines) >= 3 and all(len(line) <= charts.LABEL_CHARS for line in lines)
    assert " ".join(lines) == name


def test_timeline_escapes_titles_labels_and_hrefs() -> None:
    mark = Mark("../../articles/x/?a=1&b=" + EVIL, EVIL, PartialDate(2019, 1, 2), "about")
    text = str(timeline_svg([Lane(EVIL, EVIL, [mark])], EVIL))
    assert "<script" not in text
    root = ET.fromstring(text)
    assert root.find("svg:title", NS).text == EVIL
    link = next(a for a in _links(root) if a.get("href") == mark.href)
    assert link.get("aria-label") == f"{EVIL} (2019-01-02)"
    assert "".join(next(a for a in _links(root) if a.get("href") == EVIL).itertext()) == EVIL


def test_control_characters_and_script_urls_are_neutralised() -> None:
    mark = Mark("javascript:alert(1)", "bad\x00\x0b\ufffetitle", PartialDate(2019, 1, 2), "about")
    root = _timeline([Lane("La\x1bne", "JavaScript:void(0)", [mark])])
    hrefs = [a.get("href") for a in _links(root)]
    assert hrefs == ["./JavaScript:void(0)", "./javascript:alert(1)"]
    assert _links(root)[1].get("aria-label") == "badtitle (2019-01-02)"


def test_size_grows_linearly_with_marks_then_stays_bounded_by_months() -> None:
    def size(n: int) -> int:
        marks = [_mark(f"s{i}", PartialDate(2010 + i % 10, i % 12 + 1, i % 28 + 1)) for i in range(n)]
        return len(timeline_svg([Lane("X", "x.html", marks)], "T"))

    quarter, half, most = (size(charts.MAX_MARKS * k // 4) for k in (1, 2, 4))
    assert (most - half) / 2 == pytest.approx(half - quarter, rel=0.1)  # the same bytes a mark
    counted, crowded = size(charts.MAX_MARKS * 5), size(charts.MAX_MARKS * 50)
    assert counted < most and crowded < counted * 1.05  # 60 months' bars, however many articles


def _bars(root: ET.Element) -> list[ET.Element]:
    return [a for a in _links(root) if "#" in a.get("href")]


def _bar_box(bar: ET.Element) -> tuple[float, float, float, float]:
    """x, width, top and height of a bar (both its parts)."""
    rects = bar.findall("svg:rect", NS)
    tops = [float(r.get("y")) for r in rects]
    bottoms = [float(r.get("y")) + float(r.get("height")) for r in rects]
    return float(rects[0].get("x")), float(rects[0].get("width")), min(tops), max(bottoms) - min(tops)


def test_a_crowded_lane_counts_its_articles_per_month() -> None:
    march = [
        _mark(f"m{i}", PartialDate(2020, 3, i % 28 + 1), "about" if i < 100 else "mentions")
        for i in range(150)
    ]
    may = [_mark(f"y{i}", PartialDate(2021, 5), "mentions") for i in range(charts.MAX_MARKS - 150 + 1)]
    year_only = [_mark(f"o{i}", PartialDate(2020)) for i in range(240)]
    lane = Lane("X", "x.html", [*may, *march, *year_only, _mark("undated", None)])
    root = _timeline([lane])
    assert _mark_links(root) == []  # no article is linked from the chart: the list below has them
    bars = _bars(root)
    assert [b.get("href") for b in bars] == ["x.html#2020", "x.html#2020-03", "x.html#2021-05"]
    labels = [b.get("aria-label") for b in bars]
    assert labels == [
        "X, 2020 (month not known): 240 articles, 240 about X",
        "X, 2020-03: 150 articles, 100 about X",
        f"X, 2021-05: {len(may)} articles, 0 about X",
    ]
    assert [b.find("svg:title", NS).text for b in bars] == labels
    (year_x, year_w, _, year_h), (march_x, march_w, _, march_h), (_, _, _, may_h) = map(_bar_box, bars)
    assert year_x <= march_x and march_x + march_w <= year_x + year_w and 11 < year_w / march_w < 13
    assert may_h / march_h == pytest.approx(len(may) / 150, abs=0.01)
    assert year_h / march_h == pytest.approx(20 / 150, abs=0.01)  # 240 in a year: 20 a month
    about, mentions = (bars[1].find(f"svg:rect[@class='count {role}']", NS) for role in ("about", "mentions"))
    assert float(about.get("height")) / march_h == pytest.approx(100 / 150, abs=0.01)
    assert float(mentions.get("y")) < float(about.get("y"))  # stacked: those about the country below
    assert "year" in _classes(bars[0].find("svg:rect", NS))


def test_a_lane_of_max_marks_still_draws_a_mark_each() -> None:
    marks = [_mark(f"s{i}", PartialDate(2020, 1 + i % 12, 1)) for i in range(charts.MAX_MARKS)]
    root = _timeline([Lane("X", "x.html", [*marks, _mark("undated", None)])])
    assert len(_mark_links(root)) == charts.MAX_MARKS and _bars(root) == []


def test_a_crowded_lane_over_many_years_counts_per_year() -> None:
    marks = [_mark(f"s{i}", PartialDate(1990 + i % 35, 1 + i % 12, 1)) for i in range(charts.MAX_MARKS + 1)]
    bars = _bars(_timeline([Lane("X", "x.html", marks)]))
    assert [b.get("href") for b in bars] == [f"x.html#{year}" for year in range(1990, 2025)]
    assert all("year" not in _classes(r) for b in bars for r in b.findall("svg:rect", NS))


def test_counted_lanes_escape_their_labels_and_links() -> None:
    marks = [Mark("a.html", "T", PartialDate(2019, 1, 2), "about")] * (charts.MAX_MARKS + 1)
    text = str(timeline_svg([Lane(EVIL, "x?a=1&b=" + EVIL, marks)], EVIL))
    assert "<script" not in text
    (bar,) = _bars(ET.fromstring(text))
    assert bar.get("href") == f"x?a=1&b={EVIL}#2019-01"
    assert (
        bar.get("aria-label")
        == f"{EVIL}, 2019-01: {charts.MAX_MARKS + 1} articles, {charts.MAX_MARKS + 1} about {EVIL}"
    )


# --- in a browser: screenshots, layout and axe -------------------------------------------------


def _demo_page() -> str:
    counts = {**COUNTS, "US": 400, "MT": 1, "CY": 2, "XK": 1, "JP": 15, "IN": 6, "AU": 3, "ZA": 1}
    world = world_map_svg(counts, _href, _label, "Articles by country")
    lanes = [Lane(code, _href(code), _demo_marks(code, n)) for code, n in counts.items() if code != "EU"]
    lanes.append(Lane("Democratic Republic of the Congo", _href("CD"), _demo_marks("CD", 3)))
    one = timeline_svg([Lane("Belgium", _href("BE"), _demo_marks("BE", 14, years=1))], "Belgium")
    everything = timeline_svg(lanes, "All countries")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Charts</title>'
        f"<style>{STYLE.read_text('utf-8')}</style></head><body><main><h1>Charts</h1>"
        f'<div class="map">{world}</div><div class="chart-scroll">{one}</div>'
        f'<div class="chart-scroll">{everything}</div></main></body></html>'
    )


def _demo_marks(code: str, count: int, years: int = 4) -> list[Mark]:
    """Varied dates, the same every run: mostly days, some months and years, a few undated."""
    rng = random.Random(code)
    marks = []
    for i in range(count):
        year, month, day = 2017 + rng.randrange(years), rng.randint(1, 12), rng.randint(1, 28)
        date = rng.choices(
            [None, PartialDate(year), PartialDate(year, month), PartialDate(year, month, day)], [1, 1, 3, 15]
        )[0]
        role = rng.choice(["about", "mentions"])
        marks.append(Mark(f"../../articles/{code}{i}/index.html", f"{code} story {i}", date, role))
    return marks


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"{CHROMIUM} is missing (apt-get install chromium)")
def test_charts_in_chromium(tmp_path: Path) -> None:
    """Screenshots for a human to look at (/tmp/charts), the map fits a phone, the timeline
    scrolls there, and axe finds no serious or critical violation, light or dark."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "charts.html"
    page_file.write_text(_demo_page(), "utf-8")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for scheme in ("light", "dark"):
                for width in (1200, 375):
                    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
                    page.goto(page_file.as_uri())
                    _check_layout(page, width)
                    page.locator(".map svg").screenshot(path=str(SHOTS / f"map-{width}-{scheme}.png"))
                    scrolls = page.locator(".chart-scroll")
                    scrolls.nth(0).screenshot(path=str(SHOTS / f"timeline-one-{width}-{scheme}.png"))
                    scrolls.nth(1).screenshot(path=str(SHOTS / f"timeline-{width}-{scheme}.png"))
                    results = Axe().run(page).response
                    blocking = [
                        v["id"] for v in results["violations"] if v["impact"] in ("serious", "critical")
                    ]
                    assert blocking == [], (scheme, width)
                    page.close()
        finally:
            browser.close()


def _check_layout(page: Page, width: int) -> None:
    map_box = page.locator(".map svg").bounding_box()
    main_box = page.locator(".map").bounding_box()
    assert abs(map_box["width"] - main_box["width"]) < 1  # the map scales to its container
    scroller = page.locator(".chart-scroll").nth(1)
    overflows = scroller.evaluate("e => e.scrollWidth > e.clientWidth")
    assert overflows == (width < 640)  # 40rem minimum: a phone scrolls sideways


def test_a_memo_keeps_lanes_and_draws_again_only_those_that_changed() -> None:
    def lanes(title: str) -> list[Lane]:
        marks = [Mark(f"{n}.html", f"Article {n}", PartialDate(2019, 1 + n), "about") for n in range(3)]
        return [
            Lane("Germany", "de.html", marks),
            Lane("France", "fr.html", [*marks[:2], Mark("x.html", title, PartialDate(2020, 5), "mentions")]),
        ]

    kept: dict[str, str] = {}
    drawn: list[str] = []

    def memo(key: str, draw: Callable[[], str]) -> str:
        if key not in kept:
            drawn.append(key)
            kept[key] = draw()
        return kept[key]

    first = timeline_svg(lanes("Old"), "T", memo=memo)
    assert first == timeline_svg(lanes("Old"), "T") and len(drawn) == 2
    assert timeline_svg(lanes("Old"), "T", memo=memo) == first and len(drawn) == 2  # nothing drawn
    changed = timeline_svg(lanes("New"), "T", memo=memo)
    assert changed == timeline_svg(lanes("New"), "T") and len(drawn) == 3  # France's lane only


def test_a_counted_lane_is_drawn_again_only_when_its_counts_change() -> None:
    def lane(title: str, months: int = 12) -> Lane:
        marks = [
            Mark(f"{n}.html", f"{title} {n}", PartialDate(2019, 1 + n % months), "about") for n in range(300)
        ]
        return Lane("Germany", "de.html", marks)

    kept: dict[str, str] = {}
    drawn: list[str] = []

    def memo(key: str, draw: Callable[[], str]) -> str:
        drawn.append(key)
        return kept.setdefault(key, draw())

    first = timeline_svg([lane("Old")], "T", memo=memo)
    assert timeline_svg([lane("New")], "T", memo=memo) == first and len(set(drawn)) == 1  # titles not shown
    assert timeline_svg([lane("Old", months=6)], "T", memo=memo) != first and len(set(drawn)) == 2
    # Another lane reaching into 2021 stretches the axis: Germany's bars move, so they are drawn again.
    wider = [lane("Old"), Lane("France", "fr.html", [Mark("f.html", "F", PartialDate(2021, 1), "about")])]
    assert timeline_svg(wider, "T", memo=memo) == timeline_svg(wider, "T") and len(set(drawn)) == 4
