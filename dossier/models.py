"""The data the pipeline passes from stage to stage.

load → clean → extract → index → render → write. Each stage is a pure function
from one of these dataclasses to the next; only `write` touches the disk.
"""

from __future__ import annotations

import mmap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from operator import itemgetter
from typing import Any, BinaryIO, Literal, NamedTuple

Label = Literal["content", "boilerplate", "metadata"]
Role = Literal["about", "mentions"]
Severity = Literal["warning", "error"]


@dataclass(frozen=True)
class Problem:
    """Something wrong with one input, reported with its file (and line)."""

    file: str
    message: str
    line: int | None = None
    severity: Severity = "warning"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class PartialDate:
    """A date known to year, month or day precision ("2019", "2019-01", "2019-01-31")."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Literal["year", "month", "day"]:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
            if self.day is not None:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def sort_key(self) -> int:
        """Orders dates as (year, month, day), a missing month or day first: one int, as sorting
        10,000 articles compares it some 130,000 times."""
        return self.year * 10_000 + (self.month or 0) * 100 + (self.day or 0)

    @classmethod
    def parse_iso(cls, text: str) -> PartialDate:
        """Parse "YYYY", "YYYY-MM" or "YYYY-MM-DD"; raise ValueError otherwise."""
        import datetime as dt

        parts = text.strip().split("-")
        if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
            raise ValueError(f"not a date: {text!r}")
        numbers = [int(p) for p in parts] + [None, None]
        year, month, day = numbers[0], numbers[1], numbers[2]
        dt.date(year, month or 1, day or 1)  # validates ranges
        return cls(year, month, day)


@dataclass
class Document:
    """One content file as read from disk (stage: load)."""

    file: str  # path relative to content/, posix style — the article's stable identity
    kind: Literal["text", "markdown", "html"]
    body: str  # decoded text after any front matter, "\n" line ends
    body_start_line: int = 1  # 1-based line of `body`'s first line in the file
    front_matter: dict[str, object] = field(default_factory=dict)
    front_matter_lines: dict[str, int] = field(default_factory=dict)  # key → line
    html_metadata: dict[str, str] = field(default_factory=dict)  # from the page (HTML input)
    content_hash: str = ""  # sha256 of the file's bytes


@dataclass
class Line:
    """One non-empty line of a document's body, labelled by the cleaner."""

    number: int  # 1-based line number in the file
    text: str  # the text as kept (a metadata prefix such as "date 2019-01" removed)
    label: Label
    reason: str = ""  # why the cleaner chose this label (for debugging and tests)


@dataclass
class CleanDocument:
    """A document with its lines labelled (stage: clean)."""

    document: Document
    lines: list[Line]
    lang: str | None  # ISO 639-1, detected or from front matter
    metadata: dict[str, str] = field(default_factory=dict)  # e.g. {"source": url, "date": "2019-01"}

    @property
    def content(self) -> list[Line]:
        return [line for line in self.lines if line.label == "content"]


@dataclass(frozen=True)
class Mention:
    """A country (ISO 3166-1 alpha-2, or "EU") named in one sentence of an article."""

    country: str
    sentence: str  # the whole sentence, as evidence
    surface: str  # the words that matched, e.g. "Britse"
    paragraph: int  # index into Article.paragraphs (-1: the title)
    start: int  # offset of `surface` inside `sentence`
    end: int


# What `Article.without_body` leaves out: the bulk of an article, needed only by the pages that show
# its text (its own page, the feeds, the data export).
BODY_FIELDS = ("paragraphs", "mentions")


@dataclass
class Article:
    """A cleaned article with its metadata (stage: extract).

    A build keeps only the summary of each article (`without_body`): all but its text and
    mentions, which the pages showing them load one article at a time (`with_body`), so that
    memory does not grow with the text of the whole dossier.
    """

    file: str
    slug: str
    title: str
    title_is_generated: bool  # no headline in the text: made from the lead
    date: PartialDate | None
    lang: str | None
    source: str | None
    paragraphs: list[str]
    mentions: list[Mention]
    about: list[str]  # countries the article is about (ISO codes, "EU")
    mentioned: list[str]  # countries it only mentions
    draft: bool = False
    content_hash: str = ""

    @property
    def countries(self) -> list[str]:
        return sorted(set(self.about) | set(self.mentioned))

    @cached_property
    def snippets(self) -> dict[str, str]:
        """country → the evidence lists show: the first sentence of the text naming it (the
        title if only it does)."""
        snippets: dict[str, str] = {}
        for mention in self.mentions:
            if mention.paragraph >= 0:
                snippets.setdefault(mention.country, mention.sentence)
        for mention in self.mentions:
            if mention.paragraph < 0:
                snippets.setdefault(mention.country, mention.sentence)
        return snippets

    def role(self, country: str) -> Role:
        return "about" if country in self.about else "mentions"

    def evidence(self, country: str) -> list[Mention]:
        return [m for m in self.mentions if m.country == country]

    def without_body(self, load_body: Callable[[], Article]) -> Article:
        """This article without its `BODY_FIELDS`; `load_body` gives them back (see `with_body`)."""
        summary = object.__new__(Article)
        kept = {name: value for name, value in self.__dict__.items() if name not in BODY_FIELDS}
        summary.__dict__.update(kept, snippets=self.snippets, _load_body=load_body)
        return summary

    @property
    def is_summary(self) -> bool:
        return "_load_body" in self.__dict__

    def summary_record(self) -> tuple[Any, ...]:
        """A summary's fields as builtins, which pickle reads several times faster than objects (a
        build state holds one per article); `from_summary_record` makes the summary again."""
        kept = self.__dict__
        date = kept["date"]
        return (*_record_fields(kept), (date.year, date.month, date.day) if date else None, kept["snippets"])

    @classmethod
    def from_summary_record(
        cls, record: tuple[Any, ...], load_body: Callable[[], Article], dates: dict[Any, PartialDate]
    ) -> Article:
        """`dates` memoises the dates made (a dossier has far fewer dates than articles)."""
        *fields, date, snippets = record
        summary = object.__new__(cls)
        kept = summary.__dict__
        kept.update(zip(_RECORD_FIELDS, fields, strict=True))
        if date and date not in dates:
            dates[date] = PartialDate(*date)
        kept["date"], kept["snippets"], kept["_load_body"] = (
            dates[date] if date else None,
            snippets,
            load_body,
        )
        return summary

    def with_body(self) -> Article:
        """The whole article: itself, or a copy of this summary with its body loaded again."""
        load_body = self.__dict__.get("_load_body")
        if load_body is None:
            return self
        whole = object.__new__(Article)
        loaded = load_body()
        whole.__dict__.update(self.__dict__, **{name: getattr(loaded, name) for name in BODY_FIELDS})
        del whole.__dict__["_load_body"]
        return whole

    def __getattr__(self, name: str) -> Any:
        # Called only for an attribute the instance lacks: the body of a summary.
        if name in BODY_FIELDS:
            raise AttributeError(f"{self.__dict__.get('file')}: the {name} of a summary; use with_body()")
        raise AttributeError(name)


# The fields of a summary record besides its date and snippets (see `Article.summary_record`).
_RECORD_FIELDS = (
    "file",
    "slug",
    "title",
    "title_is_generated",
    "lang",
    "source",
    "about",
    "mentioned",
    "draft",
    "content_hash",
)
_record_fields = itemgetter(*_RECORD_FIELDS)


class TimelineEntry(NamedTuple):
    """One article on one country's timeline (a tuple: a big dossier has one per article and
    country it names, made anew by every build)."""

    slug: str
    role: Role
    snippet: str  # the first sentence that mentions the country


@cache
def iso_text(date: PartialDate | None) -> str:
    """`date.iso()`, "" for no date; memoised: page keys and chart lanes spell every article's
    date, and a big dossier has a few thousand distinct dates among tens of thousands of articles."""
    return date.iso() if date else ""


def chronological_key(article: Article) -> tuple[int, str]:
    """A timeline's order: oldest first, undated last; ties broken by file name so it is stable."""
    date = article.date
    return (UNDATED if date is None else date.sort_key(), article.file)


UNDATED = 1 << 62  # after every date's `sort_key`


@dataclass
class Timeline:
    """One country's articles in date order (`chronological_key`), undated last (stage: index)."""

    country: str  # ISO code or "EU"
    name: str  # in the site's UI language
    entries: list[TimelineEntry]


@dataclass
class SiteConfig:
    title: str = "Dossier"
    description: str = ""
    base_url: str = ""  # absolute, ending in "/"; empty: feeds use relative links
    language: str = "en"  # UI language
    languages: list[str] = field(default_factory=list)  # article languages to detect among


@dataclass
class Site:
    """Everything `render` needs (stage: index)."""

    config: SiteConfig
    articles: dict[str, Article]  # by slug, newest first
    timelines: list[Timeline]  # most-covered country first
    problems: list[Problem] = field(default_factory=list)


class Page(NamedTuple):
    """One output file (stage: render), path relative to the output folder."""

    path: str
    data: bytes


class PreviousFile(NamedTuple):
    """A file of the build currently in the output folder, open for reading, and its bytes (a
    read-only map of it, stage: write, for render to look into)."""

    file: BinaryIO
    data: bytes | mmap.mmap


class Copied(NamedTuple):
    """Bytes `start` to `stop` of a `PreviousFile`, as a part of a new version of it (stage:
    render): `write` copies them from file to file in the kernel, not through Python."""

    source: PreviousFile
    start: int
    stop: int

    @property
    def size(self) -> int:
        return self.stop - self.start

    def data(self) -> bytes:
        return self.source.data[self.start : self.stop]


class Parts(NamedTuple):
    """One big output file as its parts, in order (stage: render): made by several workers, or
    copied from the previous build's file, and written one after another, so that no worker
    holds the whole file and it is never joined or pickled whole (the main process holds the
    parts until they are written)."""

    path: str
    parts: Sequence[bytes | Copied]


class Reused(NamedTuple):
    """A page whose inputs did not change (stage: render): `write` keeps the previous build's file."""

    path: str
    key: str
    make: Callable[[], bytes]  # used only if the old file has gone missing


class Kept(NamedTuple):
    """A page that `render` did not even plan, as no edit reaches it (`render.SitePlan`): `write`
    keeps the previous build's file, which the build has checked is there."""

    path: str
