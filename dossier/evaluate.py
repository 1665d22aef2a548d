"""`python build.py evaluate`: score cleaning and extraction against hand-labelled gold data.

The gold file has the format of `seeds_gold.yaml`: per file its content, boilerplate and
metadata lines (by line number in `line_labels`, else by exact text), and, where labelled,
its title, date and countries. A metric is scored only on the files whose gold labels it:
a file whose gold `countries` is null (e.g. the dev pages) has no title or country labels.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rich.console import Console
from rich.table import Table

from dossier.clean import clean
from dossier.models import Article, Document, SiteConfig

try:  # title, date and countries come from the whole pipeline; line scores need only `clean`
    from dossier.pipeline import process_file
except ImportError:  # pragma: no cover - while the pipeline is being written
    process_file = None  # type: ignore[assignment]


@dataclass
class Counts:
    """True positives, false positives and false negatives, with the usual ratios."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else 1.0


@dataclass
class FileScore:
    file: str
    lines: Counts
    baseline: Counts | None = None
    title_ok: bool | None = None  # None: not labelled
    date_ok: bool | None = None
    countries: Counts | None = None
    found_countries: list[str] = field(default_factory=list)


@dataclass
class Report:
    files: list[FileScore]

    def total(self, attribute: str) -> Counts | None:
        """Micro-averaged counts over the files where `attribute` is labelled (None: nowhere)."""
        scored = [getattr(score, attribute) for score in self.files if getattr(score, attribute) is not None]
        if not scored:
            return None
        total = Counts()
        for counts in scored:
            total.add(counts)
        return total

    def accuracy(self, attribute: str) -> tuple[int, int]:
        results = [getattr(s, attribute) for s in self.files if getattr(s, attribute) is not None]
        return sum(results), len(results)


# --- scoring ---------------------------------------------------------------------------------------


def gold_labels(entry: dict, raw_lines: list[str]) -> dict[int, str]:
    """1-based line number → gold label for every non-empty line."""
    if entry.get("line_labels"):
        return {int(number): label for number, label in entry["line_labels"].items()}
    content = set(entry.get("content_lines") or [])
    metadata = set(entry.get("metadata_lines") or [])
    labels = {}
    for number, text in enumerate(raw_lines, start=1):
        if text.strip():
            labels[number] = (
                "content" if text in content else "metadata" if text in metadata else "boilerplate"
            )
    return labels


def line_counts(gold: dict[int, str], kept: Iterable[int]) -> Counts:
    """Scores of the kept content lines against the gold content lines."""
    kept_set, truth = set(kept), {n for n, label in gold.items() if label == "content"}
    return Counts(len(kept_set & truth), len(kept_set - truth), len(truth - kept_set))


def set_counts(found: Iterable[str], gold: Iterable[str]) -> Counts:
    found_set, gold_set = set(found), set(gold)
    return Counts(len(found_set & gold_set), len(found_set - gold_set), len(gold_set - found_set))


def title_correct(found: str, generated: bool, gold: str | None) -> bool:
    """The headline exactly (spacing aside); with no headline in the text, a readable generated one."""
    if gold is None:
        return generated and 0 < len(found) <= 100
    return " ".join(found.split()) == " ".join(gold.split())


def date_correct(found: str | None, gold: object) -> bool:
    """The ISO date at the precision the gold gives ("2019-01" is not "2019-01-31"); no date for null."""
    return found == (str(gold) if gold is not None else None)


def score_file(entry: dict, raw_dir: Path, baseline: str | None) -> FileScore:
    path = raw_dir / entry["file"]
    raw_lines = path.read_text("utf-8", errors="replace").split("\n")
    gold = gold_labels(entry, raw_lines)
    cleaned = clean(_document(raw_dir, path))
    score = FileScore(entry["file"], line_counts(gold, [line.number for line in cleaned.content]))
    if baseline == "justext":
        score.baseline = line_counts(gold, justext_content(raw_lines, entry.get("language") or cleaned.lang))
    if process_file is not None:
        _score_metadata(score, entry, process_file(raw_dir, path, SiteConfig()).article)
    return score


def _document(raw_dir: Path, path: Path) -> Document:
    """The file as the build reads it (front matter split off); as plain text if loading fails."""
    file = path.relative_to(raw_dir).as_posix()
    try:
        from dossier.load import load_bytes

        document, _ = load_bytes(file, path.read_bytes())
    except ImportError:  # pragma: no cover - while the loader is being written
        document = None
    return document or Document(file, "text", path.read_text("utf-8", errors="replace"))


def _score_metadata(score: FileScore, entry: dict, article: Article | None) -> None:
    if entry.get("countries") is not None:
        found = article.countries if article else []
        score.countries, score.found_countries = set_counts(found, entry["countries"]), found
        score.title_ok = bool(article) and title_correct(
            article.title, article.title_is_generated, entry["title"]
        )
    elif entry.get("title"):
        score.title_ok = bool(article) and title_correct(article.title, False, entry["title"])
    if "date" in entry:
        score.date_ok = date_correct(article.date.iso() if article and article.date else None, entry["date"])


def justext_content(raw_lines: list[str], language: str | None) -> list[int]:
    """jusText's content lines: each raw line its own <p>, the language's stop list (the one the
    cleaner uses), paragraphs mapped back to lines in order."""
    import justext

    from dossier.clean import language_rules

    numbers = [n for n, text in enumerate(raw_lines, start=1) if text.strip()]
    page = "".join(f"<p>{html.escape(raw_lines[n - 1])}</p>" for n in numbers)
    stoplist = language_rules(language or "en").stopwords
    paragraphs = justext.justext(f"<html><body>{page}</body></html>".encode(), stoplist)
    if len(paragraphs) == len(numbers):  # one paragraph per line, as always so far
        return [n for n, paragraph in zip(numbers, paragraphs, strict=True) if not paragraph.is_boilerplate]
    # jusText dropped or merged a paragraph: map the others back by their text.
    by_text = {" ".join(raw_lines[n - 1].split()): n for n in reversed(numbers)}
    found = [by_text.get(" ".join(p.text.split())) for p in paragraphs if not p.is_boilerplate]
    return [n for n in found if n is not None]


def evaluate(gold_path: Path, raw_dir: Path, baseline: str | None = None) -> Report:
    gold = yaml.safe_load(gold_path.read_text("utf-8"))
    return Report([score_file(entry, raw_dir, baseline) for entry in gold["files"]])


# --- the command -----------------------------------------------------------------------------------


def run(gold: Path, raw_dir: Path, baseline: str | None = None) -> int:
    console = Console()
    report = evaluate(gold, raw_dir, baseline)
    console.print(_files_table(report, baseline))
    console.print(_summary_table(report, baseline))
    return 0


def _files_table(report: Report, baseline: str | None) -> Table:
    """One row per file: our line scores, the baseline's F1 beside them, and the metadata checks
    the gold labels (columns nothing is labelled for are left out)."""
    extra = {
        "title": any(s.title_ok is not None for s in report.files),
        "date": any(s.date_ok is not None for s in report.files),
        "countries": any(s.countries is not None for s in report.files),
    }
    table = Table(title="Per file")
    table.add_column("file", no_wrap=True)
    for column in ["P", "R", "F1", *([f"{baseline} F1"] if baseline else [])]:
        table.add_column(column, justify="right")
    for column, shown in extra.items():
        if shown:
            table.add_column(column)
    if extra["countries"]:
        table.add_column("found")
    for s in report.files:
        cells = [s.file[:12], f"{s.lines.precision:.3f}", f"{s.lines.recall:.3f}", f"{s.lines.f1:.3f}"]
        if baseline:
            cells.append(f"{s.baseline.f1:.3f}" if s.baseline else "–")
        if extra["title"]:
            cells.append(_mark(s.title_ok))
        if extra["date"]:
            cells.append(_mark(s.date_ok))
        if extra["countries"]:
            cells += [f"{s.countries.f1:.3f}" if s.countries else "–", " ".join(s.found_countries)]
        table.add_row(*cells)
    return table


def _summary_table(report: Report, baseline: str | None) -> Table:
    table = Table(title="Micro-averaged over all files")
    for column in ("metric", "precision", "recall", "F1"):
        table.add_column(column)
    rows: list[tuple[str, Counts | None]] = [("content lines (Dossier)", report.total("lines"))]
    if baseline:
        rows.append((f"content lines ({baseline})", report.total("baseline")))
    rows.append(("countries", report.total("countries")))
    for name, counts in rows:
        if counts is None:
            table.add_row(name, "", "", "not labelled")
        else:
            table.add_row(name, f"{counts.precision:.3f}", f"{counts.recall:.3f}", f"{counts.f1:.3f}")
    for name, attribute in (("title accuracy", "title_ok"), ("date accuracy", "date_ok")):
        right, scored = report.accuracy(attribute)
        table.add_row(name, "", "", f"{right}/{scored}" if scored else "not labelled")
    return table


def _mark(value: bool | None) -> str:
    return "–" if value is None else ("yes" if value else "NO")
