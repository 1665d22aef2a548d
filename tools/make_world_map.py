"""Regenerate dossier/data/world/countries.json from Natural Earth via npm's `world-atlas`.

    python tools/make_world_map.py [path/to/world-atlas/package]

Without a path it runs `npm pack world-atlas@2.0.2` in a temporary folder. The output maps each
ISO 3166-1 alpha-2 code to an SVG path already projected (Equal Earth) into the map's viewBox,
plus the country's projected area and a point for a marker, so the build only pastes strings.
Countries too small for the 1:110m data (Singapore, Malta…) get a point from the 1:50m or 1:10m
data, or from the table below; Antarctica is dropped.
"""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parents[1] / "dossier/data/world/countries.json"
PACKAGE = "world-atlas@2.0.2"
WIDTH = 1000.0  # viewBox width; the height follows from the projection
MARGIN = 4.0
TOLERANCE = 0.25  # Douglas–Peucker tolerance in viewBox units: well under a pixel at 1000 px wide
DROP = {"AQ"}
# Natural Earth features without an ISO numeric code, and where they go. Northern Cyprus and
# Somaliland join the UN member state they are part of, so news about them shades that state.
NO_ISO = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}
# ISO countries Natural Earth folds into another (overseas departments, dependencies) or omits:
# a marker at (longitude, latitude) of the main island or town.
POINTS = {
    "BQ": (-68.27, 12.18),  # Bonaire
    "BV": (3.36, -54.42),  # Bouvet Island
    "CC": (96.87, -12.17),  # Cocos (Keeling) Islands
    "CX": (105.62, -10.49),  # Christmas Island
    "GF": (-53.13, 3.93),  # French Guiana
    "GP": (-61.58, 16.25),  # Guadeloupe
    "MQ": (-61.02, 14.64),  # Martinique
    "RE": (55.53, -21.12),  # Réunion
    "SJ": (15.65, 78.22),  # Svalbard (Longyearbyen)
    "TK": (-171.85, -9.2),  # Tokelau
    "YT": (45.17, -12.83),  # Mayotte
}

Point = tuple[float, float]


def equal_earth(lon: float, lat: float) -> Point:
    """Equal Earth projection (Šavrič, Patterson & Jenny 2018), unit sphere, y up."""
    a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
    m = math.sqrt(3) / 2
    theta = math.asin(m * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = math.radians(lon) * math.cos(theta) / (m * (a1 + 3 * a2 * t2 + t6 * (7 * a3 + 9 * a4 * t2)))
    y = theta * (a1 + a2 * t2 + t6 * (a3 + a4 * t2))
    return x, y


def decode_arcs(topology: dict) -> list[list[Point]]:
    """TopoJSON's quantised, delta-encoded arcs as lists of (lon, lat)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def iso_code(geometry: dict) -> str | None:
    name = geometry.get("properties", {}).get("name", "")
    if name in NO_ISO:
        return NO_ISO[name]
    country = pycountry.countries.get(numeric=geometry["id"]) if geometry.get("id") else None
    return country.alpha_2 if country else None


def polygons(geometry: dict) -> list[list[list[int]]]:
    """A geometry's polygons, each a list of rings, each a list of arc indexes."""
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def rings_by_country(topology: dict, arcs: list[list[Point]]) -> dict[str, list[list[int]]]:
    """Each country's rings (as arc indexes). A country made of several features (Cyprus and
    Northern Cyprus) has the arcs they share removed, so no border is drawn between them."""
    rings: dict[str, list[list[int]]] = defaultdict(list)
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = iso_code(geometry)
        if code and code not in DROP:
            rings[code] += [ring for polygon in polygons(geometry) for ring in polygon]
    return {code: _dissolve(parts, arcs) for code, parts in rings.items()}


def _dissolve(rings: list[list[int]], arcs: list[list[Point]]) -> list[list[int]]:
    used = [arc for ring in rings for arc in ring]
    shared = {arc for arc in used if ~arc in used}
    if not shared:
        return rings
    return _stitch([arc for arc in used if arc not in shared], arcs)


def _stitch(directed: list[int], arcs: list[list[Point]]) -> list[list[int]]:
    """Chain directed arcs end to start into closed rings (arc ~i is arc i reversed)."""

    def start(arc: int) -> Point:
        return arcs[arc][0] if arc >= 0 else arcs[~arc][-1]

    def end(arc: int) -> Point:
        return arcs[arc][-1] if arc >= 0 else arcs[~arc][0]

    starting: dict[Point, list[int]] = defaultdict(list)
    for arc in directed:
        starting[start(arc)].append(arc)
    rings, left = [], set(directed)
    while left:
        arc, ring = min(left), []
        while arc in left:
            left.discard(arc)
            ring.append(arc)
            following = [a for a in starting[end(arc)] if a in left]
            if not following:
                break
            arc = following[0]
        rings.append(ring)
    return rings


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker, keeping both ends (arcs are shared, so neighbours stay joined)."""
    if len(points) < 3:
        return points
    if points[0] == points[-1]:  # a closed arc (an island): split at its farthest point
        far = max(range(len(points)), key=lambda i: math.dist(points[0], points[i]))
        if far in (0, len(points) - 1):
            return points
        return simplify(points[: far + 1], tolerance)[:-1] + simplify(points[far:], tolerance)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        lo, hi = stack.pop()
        best, at = 0.0, -1
        for i in range(lo + 1, hi):
            d = _segment_distance(points[i], points[lo], points[hi])
            if d > best:
                best, at = d, i
        if best > tolerance:
            keep[at] = True
            stack += [(lo, at), (at, hi)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.dist(p, a)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.dist(p, (ax + t * dx, ay + t * dy))


def ring_points(ring: list[int], arcs: list[list[Point]]) -> list[Point]:
    points: list[Point] = []
    for arc in ring:
        part = arcs[arc] if arc >= 0 else arcs[~arc][::-1]
        points += part[1:] if points else part
    return points


def split_antimeridian(ring: list[Point]) -> list[list[Point]]:
    """Natural Earth cuts rings at ±180° but joins the cut edges (Fiji, Chukotka) with a segment
    that would cross the whole map; cut there instead, each piece closing along the map's edge."""
    jumps = [i for i in range(len(ring)) if abs(ring[i][0] - ring[i - 1][0]) > WIDTH / 2]
    if not jumps:
        return [ring]
    rotated = ring[jumps[0] :] + ring[: jumps[0]]
    cuts = [i - jumps[0] for i in jumps] + [len(ring)]
    return [rotated[a:b] for a, b in itertools.pairwise(cuts) if b - a >= 3]


def area(ring: list[Point]) -> float:
    """Signed shoelace area."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)) / 2


def centroid(ring: list[Point]) -> Point:
    a = area(ring)
    if abs(a) < 1e-9:
        xs, ys = zip(*ring, strict=True)
        return sum(xs) / len(xs), sum(ys) / len(ys)
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return cx / (6 * a), cy / (6 * a)


def path_data(rings: Iterable[list[Point]]) -> str:
    """Compact SVG path data: absolute start, then relative moves on a 0.1 grid."""
    out = []
    for ring in rings:
        grid = _dedupe([(round(x * 10), round(y * 10)) for x, y in ring])
        if len(grid) < 3:
            continue  # an islet that rounds away
        numbers = []
        for (x0, y0), (x1, y1) in itertools.pairwise(grid):
            numbers += [x1 - x0, y1 - y0]
        out.append(f"M{_num(grid[0][0])} {_num(grid[0][1])}l{_join(numbers)}z")
    return "".join(out)


def _dedupe(grid: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept = [p for i, p in enumerate(grid) if i == 0 or p != grid[i - 1]]
    return kept[:-1] if len(kept) > 1 and kept[0] == kept[-1] else kept


def _num(tenths: int) -> str:
    text = f"{tenths / 10:.1f}".removesuffix(".0")
    return text.replace("0.", ".", 1) if text.lstrip("-").startswith("0.") else text


def _join(tenths: list[int]) -> str:
    """Numbers separated by a space, or by nothing before a minus sign."""
    text = ""
    for value in tenths:
        number = _num(value)
        text += number if not text or number.startswith("-") else " " + number
    return text


class Frame:
    """Equal Earth, then scaled and shifted so the world (without Antarctica) fills the viewBox."""

    def __init__(self, lonlats: Iterable[Point]) -> None:
        xs, ys = zip(*(equal_earth(lon, lat) for lon, lat in lonlats), strict=True)
        self.left, self.top = min(xs), max(ys)
        self.scale = (WIDTH - 2 * MARGIN) / (max(xs) - min(xs))
        self.height = (max(ys) - min(ys)) * self.scale + 2 * MARGIN

    def __call__(self, lon: float, lat: float) -> Point:
        x, y = equal_earth(lon, lat)
        return (x - self.left) * self.scale + MARGIN, (self.top - y) * self.scale + MARGIN

    def sphere(self) -> str:
        """The outline of the whole globe; the viewBox crops its poles."""
        east = [self(180, lat) for lat in range(-90, 91, 5)]
        west = [self(-180, lat) for lat in range(90, -91, -5)]
        return path_data([east + west])


def load_topology(folder: Path, name: str) -> dict:
    return json.loads((folder / name).read_text("utf-8"))


def build(folder: Path) -> dict:
    topology = load_topology(folder, "countries-110m.json")
    lonlat_arcs = decode_arcs(topology)
    rings = rings_by_country(topology, lonlat_arcs)
    kept_arcs = {arc if arc >= 0 else ~arc for parts in rings.values() for ring in parts for arc in ring}
    frame = Frame(p for i in kept_arcs for p in lonlat_arcs[i])
    arcs = [simplify([frame(*p) for p in arc], TOLERANCE) for arc in lonlat_arcs]
    countries = {}
    for code, parts in rings.items():
        projected = [piece for ring in parts for piece in split_antimeridian(ring_points(ring, arcs))]
        countries[code] = _entry(projected)
    for code, point in _extra_points(folder, set(countries), frame).items():
        countries[code] = {"area": 0, "point": point}
    for entry in countries.values():  # a marker on the map's edge (Tuvalu) stays inside the viewBox
        x, y = entry["point"]
        entry["point"] = [min(max(x, 5), WIDTH - 5), min(max(y, 5), round(frame.height, 1) - 5)]
    return {
        "source": f"Natural Earth 1:110m Admin 0 countries v4.1.0 (public domain), via npm {PACKAGE}",
        "projection": "Equal Earth",
        "viewBox": [0, 0, WIDTH, round(frame.height, 1)],
        "sphere": frame.sphere(),
        "countries": dict(sorted(countries.items())),
    }


def _entry(rings: list[list[Point]]) -> dict:
    """A country's path, projected area and a marker point (the centre of its largest ring)."""
    total = sum(abs(area(ring)) for ring in rings)
    largest = max(rings, key=lambda ring: abs(area(ring)))
    x, y = centroid(largest)
    return {"d": path_data(rings), "area": round(total, 1), "point": [round(x, 1), round(y, 1)]}


def _extra_points(folder: Path, known: set[str], frame: Frame) -> dict[str, list[float]]:
    """Marker points for ISO countries not in the 1:110m data, from finer data or `POINTS`."""
    points: dict[str, list[float]] = {}
    for name in ("countries-50m.json", "countries-10m.json"):
        topology = load_topology(folder, name)
        arcs = decode_arcs(topology)
        for geometry in topology["objects"]["countries"]["geometries"]:
            code = iso_code(geometry)
            if not code or code in known or code in points or code in DROP:
                continue
            rings = [
                piece
                for polygon in polygons(geometry)
                for ring in polygon
                for piece in split_antimeridian([frame(*p) for p in ring_points(ring, arcs)])
            ]
            x, y = centroid(max(rings, key=lambda ring: abs(area(ring))))
            points[code] = [round(x, 1), round(y, 1)]
    for code, (lon, lat) in POINTS.items():
        if code not in known and code not in points:
            x, y = frame(lon, lat)
            points[code] = [round(x, 1), round(y, 1)]
    return points


def fetch(into: Path) -> Path:
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=into, check=True, capture_output=True)
    archive = next(into.glob("world-atlas-*.tgz"))
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "package"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(sys.argv[1]) if len(sys.argv) > 1 else fetch(Path(tmp))
        data = build(folder)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n", "utf-8")
    shapes = sum(1 for entry in data["countries"].values() if "d" in entry)
    points = len(data["countries"]) - shapes
    print(f"{shapes} shapes, {points} points → {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
