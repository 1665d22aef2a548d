"""Stage 2, clean: label every line of a document content, boilerplate or metadata.

The idea is jusText's: real article text is made of long lines dense with the
language's stop words, page furniture is short, link-heavy or made of calls to
action. The passes, in order:

1. metadata: a cited source ("Quelle(n):" + URL) and a scraped date field ("date 2019-01");
2. repeats: a text printed again (page title and headline, logo, caption) is furniture;
3. each line alone: links, credits, bylines, marked captions ("… (file photo)"), calls to action,
   ad labels, then length and stop-word density give it a class (good, near-good, short, bad);
4. context: near-good and short lines take the class of the lines around them (a subheading
   between two paragraphs is content, a short line in a menu is not);
5. the page: lists introduced by a sentence, the main block of text (teaser lists and stray
   paragraphs elsewhere go), readers' comments after the article, the headline above it (above
   any caption printed between them).

Phrases and labels are data (`data/boilerplate/<lang>.yaml`), so a new language needs no
code. HTML (already reduced to its article) and Markdown get only passes 1 and 3.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TypeVar

import ahocorasick

from dossier.data import read_yaml, stoplist_for
from dossier.language import detect_language
from dossier.models import CleanDocument, Document, Label, Line, PartialDate

DATA = Path(__file__).resolve().parent / "data" / "boilerplate"

# Language detection reads this much of the longest lines (lingua's time grows with it, ~1.5 µs a
# character). 360 characters of prose hold 260 letters or more (the benchmark corpus's least): twice
# the 120 letters from which lingua decides by trigrams alone, where the site's languages are told
# apart with certainty (confidence 1.0 from 150 characters on every benchmark article). The answer
# is that of 600 characters on every seed, dev page and benchmark article, with the site's languages
# and with none; pages in a language that is not a candidate get an arbitrary one at any length
# (from 340 to 380 characters it is the same as at 600, hence 360, the middle).
LANGUAGE_SAMPLE_CHARS = 360
# jusText's thresholds (Pomikálek 2011), tuned for lines instead of HTML blocks.
LENGTH_LOW = 70  # characters: below this a line is "short", it cannot decide alone
LENGTH_HIGH = 200  # characters: above this a dense line is certainly content
STOPWORDS_LOW = 0.30  # share of stop words for a line to be "near-good"
STOPWORDS_HIGH = 0.32  # share of stop words for a long line to be "good"
SENTENCE_STOPWORDS_LOW = 0.15  # a line ending like a sentence is near-good from this share
MAX_LINK_DENSITY = 0.2
SHORT_SENTENCE_WORDS = 5  # a short line of this many words ending like a sentence may be prose
# Calls to action inside long prose are part of the story; in short lines they are furniture.
PHRASE_MAX_WORDS = 25
PHRASES_MAX_WORDS = 80  # a line with two or more distinct phrases is furniture up to this length
# A single furniture word marks a label ("Newsletter", "Cookie settings", "Sponsored | Ads"), not
# a headline or subheading that happens to contain it ("State advertising bill", "Reacties uit Peking").
WORD_LABEL_MAX_WORDS = 3
# A sentence this long may use a furniture word or idiom in its own sense ("cookie", "sign up to
# the treaty"); a formula of this many words ("leave a comment") is furniture even there.
PROSE_MIN_WORDS = 10
PROSE_PHRASE_MIN_WORDS = 3
# Without a stop list (a language jusText lacks), a sentence-like line of this many words is prose.
FALLBACK_PROSE_WORDS = 12
FALLBACK_CHARS_PER_WORD = 3
# Consecutive near-good lines this long together are prose even with no long paragraph beside them
# (articles written in short paragraphs).
PROSE_RUN_WORDS = 60
# This many short lines in a row are a menu or a link list, not subheadings; two are when both
# look like headlines (this many words, no full stop).
SHORT_RUN_LINES = 4
LINK_TITLE_WORDS = 4
# A list introduced by a sentence of this many words ending in a colon has at most this many items.
LIST_INTRO_MIN_WORDS = 3
LIST_MAX_ITEMS = 60
# A page with no paragraph keeps its sentences of this many words (a note of a line or two).
LONE_SENTENCE_WORDS = 4
# First-pass reasons that no context can overturn.
FURNITURE_REASONS = (
    "call to action",
    "image credit",
    "link or e-mail",
    "copyright",
    "caption",
    "byline",
    "gallery counter",
    "time stamp",
    "ad label",
    "text printed twice",
)
# A block of at least this many content lines, most of them standing alone between short lines,
# is a list of teasers (headline, summary, time stamp), not an article.
TEASER_MIN_ITEMS = 4
TEASER_ALONE_SHARE = 0.6
# ... unless it is the biggest block and has this many times the text of every other one.
TEASER_OUTWEIGHS = 2
# Content lines at most this many lines apart belong to one block of text.
BLOCK_GAP = 2
# A block with less text than this share of the biggest block is a teaser or a stray paragraph.
MINOR_BLOCK_SHARE = 0.25
# How far (in lines) the headline may sit above the first paragraph.
HEADLINE_WINDOW = 4
# Two lines of similar length sharing this share of their words are one text printed twice
# (a headline and its variant as an image caption).
NEAR_DUPLICATE = 0.7
SIMILAR_LENGTH = 0.6
# A repeated line longer than this is a paragraph quoted again, not a repeated headline or logo.
REPEATED_PROSE_WORDS = 25
# ... but the same paragraph again within this many lines is a caption shown twice.
TWICE_WITHIN_LINES = 3
# A line this short with a date or a time in it is a time stamp ("Updated 10:02 AM Nov 19, 2019").
DATELINE_MAX_WORDS = 10
# A byline is a name or two after "By", with perhaps a date or the agency.
BYLINE_MAX_WORDS = 14
# An image credit ("© Jane Doe / AFP") is a name or two; a longer copyright line is a footer.
CREDIT_MAX_WORDS = 8
# Image captions are short lines stuck to a credit line.
CAPTION_MAX_WORDS = 6
# A line of at most this many words ending in a caption marker ("… (Archivbild)", "… (file photo)")
# describes a picture; a paragraph this long that ends in one is prose.
MARKED_CAPTION_MAX_WORDS = 25

_URL = re.compile(r"https?://\S+|www\.\S+\.\S+", re.IGNORECASE)
_EMAIL = re.compile(r"\S+@\S+\.\w+|%email%", re.IGNORECASE)
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# "10:02 AM", "2019-11-20", "Nov. 19, 2019", "19 November 2019", "19.11.2019": when a page says it
# was published or updated, in any language's word order.
_TIMESTAMP = re.compile(
    r"\b\d{1,2}:\d{2}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b"
    r"|\b[^\W\d_]{3,}\.? \d{1,2},? \d{4}\b|\b\d{1,2}\.? [^\W\d_]{3,}\.?,? \d{4}\b"
)
_DIGIT = re.compile(r"\d")
_COUNTER = re.compile(r"^\d+\s*/\s*\d+$")  # "1 / 23" under a gallery
_SEGMENT_SEPARATOR = re.compile(r"\s[|•·/]\s")
_FULL_STOP = re.compile(r"[.!?。！？][\"'”’»)]*$")  # a sentence's end, not a list's (":") or a name's (")")
_SENTENCE_END = re.compile(r"[.!?…:;\"'”»)。！？」]\s*$")
_SENTENCE_ENDINGS = (".", "!", "?", "…")  # the last character of a sentence

GOOD, NEAR, SHORT, BAD = "good", "near-good", "short", "bad"
T = TypeVar("T")


@dataclass(slots=True)
class _Line:
    number: int
    raw: str  # the line as written: what a content line keeps
    text: str  # spacing normalised: what the signals read
    lower: str  # `text` lower-cased
    words: list[str]  # the words of `lower`
    klass: str = SHORT
    first_klass: str = SHORT  # the class from the line alone, before its context changed it
    reason: str = ""
    label: Label | None = None  # decided outright (metadata, duplicates); context never changes it
    repeats: _Line | None = None  # the earlier line this one prints again


class _CreditTest:
    """Whether the credit pattern matches somewhere in a line (`credit.search(text)`), its forms
    tried apart so that each is searched only where it can match: the label forms need a colon,
    the prefix and caption forms open the line and the agency form ends it."""

    def __init__(self, forms: list[tuple[re.Pattern[str] | None, list[str]]]) -> None:
        (self.label, _), (self.prefix, _), (self.caption, _), (self.agency, agencies) = forms
        self.agency_chars = max(map(len, agencies), default=0)
        self.agencies_end_in_letters = all(agency[-1:].isalpha() for agency in agencies)

    def __call__(self, text: str) -> bool:
        if self.prefix is not None and self.prefix.match(text):
            return True
        if self.caption is not None and self.caption.match(text):
            return True
        if self.label is not None and ":" in text and self.label.search(text):
            return True
        if self.agency is None:
            return False
        # The agency ends the line but for spaces and a closing bracket, and is at most
        # `agency_chars` long with one character before it: no match can start earlier.
        end = text.rstrip()
        while end.endswith((")", "]")):
            end = end[:-1].rstrip()
        if self.agencies_end_in_letters and not end[-1:].isalpha():
            return False  # (a letter matches only letters, in any case)
        return self.agency.search(text, max(0, len(end) - self.agency_chars - 1)) is not None


@dataclass(frozen=True)
class LanguageRules:
    phrases: ahocorasick.Automaton | None  # lower-cased phrase → itself
    credit: re.Pattern[str] | None
    byline: re.Pattern[str] | None
    comments: re.Pattern[str] | None
    ad_labels: frozenset[str]
    source: re.Pattern[str] | None
    date_field: re.Pattern[str] | None
    stopwords: frozenset[str]
    caption: re.Pattern[str] | None = None  # a caption marker ending a line: "(Archivbild)"
    is_credit: _CreditTest | None = None  # the same test as `credit.search`, faster
    ad_label_words: int = 0  # the most words in an ad label
    # The class and reason of a line's text on its own (see `_remember`), for scraped text and for
    # HTML and Markdown (`light`): {light: {text: (class, reason)}}.
    classified: dict[bool, dict[str, tuple[str, str]]] = field(
        default_factory=lambda: {False: {}, True: {}}, compare=False, hash=False, repr=False
    )


def clean(document: Document, languages: Sequence[str] = ()) -> CleanDocument:
    """Label every non-empty line of the body; see the module docstring for the idea."""
    lang = _language(document, languages)
    rules = language_rules(lang or "en")
    lines = _lines(document)
    metadata = _take_metadata(lines, rules)
    # HTML was reduced to its article by trafilatura and Markdown is written by hand: only the
    # line-by-line furniture rules apply, not the positional ones made for whole scraped pages.
    light = document.kind in ("html", "markdown")
    if not light:
        _mark_repeats(lines)
    classified = rules.classified[light]
    for line in lines:
        if line.label is None:
            found = classified.get(line.text)
            if found is None:
                found = _remember(classified, line.text, _classify(line, rules, light))
            line.klass, line.reason = found
            line.first_klass = line.klass
    if not light:
        _mark_captions(lines)
        _resolve_context(lines)
        _keep_introduced_lists(lines)
        _keep_main_blocks(lines)
        _drop_comments(lines, rules)
        _keep_lone_sentences(lines)
        _restore_headline(lines)
    return CleanDocument(
        document,
        [Line(line.number, line.raw, line.label or _label_of(line.klass), line.reason) for line in lines],
        lang,
        metadata,
    )


def _language(document: Document, languages: Sequence[str]) -> str | None:
    given = document.front_matter.get("lang") or document.html_metadata.get("lang")
    if given:
        return str(given).lower()
    # The longest lines say most about the language; menus and names say little.
    sample = "\n".join(sorted(document.body.split("\n"), key=len, reverse=True)[:20])
    # Lone surrogates (from broken scrapes) cannot be encoded, and lingua encodes its input.
    sample = sample[:LANGUAGE_SAMPLE_CHARS].encode("utf-8", "replace").decode("utf-8")
    return detect_language(sample, languages)


def _lines(document: Document) -> list[_Line]:
    lines = []
    for index, raw in enumerate(document.body.split("\n")):
        text = " ".join(raw.split())  # NBSPs and runs of spaces from scraping
        if text:
            lower, words = _words.get(text) or _remember(_words, text, _lower_and_words(text))
            lines.append(_Line(document.body_start_line + index, raw, text, lower, words))
    return lines


def _lower_and_words(text: str) -> tuple[str, list[str]]:
    lower = text.lower()
    return lower, _words_of(lower)


def _words_of(lower: str) -> list[str]:
    """`_WORD.findall(lower)`, a third faster: no word spans a space, and a token of letters and
    digits alone is one word (only tokens with punctuation in them need the pattern)."""
    words: list[str] = []
    for token in lower.split():
        if token.isalnum():  # (`\w` is exactly `str.isalnum` and "_")
            words.append(token)
        else:
            words += _WORD.findall(token)
    return words


# Menus, footers and other furniture repeat from page to page: what is worked out from a line's
# text alone is kept (never changed in place) for the next page that has it, up to this many lines.
REMEMBERED_LINES = 50_000
_words: dict[str, tuple[str, list[str]]] = {}  # text → (lower-cased, words)


def _remember(memory: dict, key: object, value: T) -> T:
    if len(memory) >= REMEMBERED_LINES:
        memory.clear()
    memory[key] = value
    return value


# --- metadata: cited source and scraped date fields -------------------------------------------


def _take_metadata(lines: list[_Line], rules: LanguageRules) -> dict[str, str]:
    metadata: dict[str, str] = {}
    for position, line in enumerate(lines):
        if "date" not in metadata and (date := _take_date_field(line, rules)):
            metadata["date"] = date
        if rules.source and rules.source.match(line.text):
            following = lines[position + 1] if position + 1 < len(lines) else None
            url = _URL.search(line.text) or (_URL.match(following.text) if following else None)
            if url:
                metadata.setdefault("source", url.group(0).rstrip(".,;)"))
                line.label, line.reason = "metadata", "source label"
                if following is not None and not _URL.search(line.text):
                    following.label, following.reason = "metadata", "source URL"
    return metadata


def _take_date_field(line: _Line, rules: LanguageRules) -> str | None:
    """A scraped date field ("date 2019-01") opening a line: its date, cut from the line's text."""
    match = rules.date_field.match(line.raw) if rules.date_field else None
    if match is None or not _valid_date(match.group(1)):
        return None
    rest = line.raw[match.end() :]
    if not rest.strip():  # the whole line is the field
        line.label, line.reason = "metadata", "date field"
        return match.group(1)
    line.raw, line.text = rest, " ".join(rest.split())
    line.lower, line.words = _lower_and_words(line.text)
    return match.group(1)


def _valid_date(text: str) -> bool:
    try:
        PartialDate.parse_iso(text)
    except ValueError:
        return False
    return True


# --- first class of each line on its own --------------------------------------------------------


def _classify(line: _Line, rules: LanguageRules, light: bool) -> tuple[str, str]:
    text, words = line.text, line.words
    if _is_link_line(text, line.lower):
        return BAD, "link or e-mail"
    if rules.is_credit and len(words) <= PHRASE_MAX_WORDS and rules.is_credit(text):
        return BAD, "image credit"
    if rules.byline and len(words) <= BYLINE_MAX_WORDS and rules.byline.match(text):
        return BAD, "byline"
    if len(words) <= MARKED_CAPTION_MAX_WORDS and (marker := _caption_marker(text, rules)):
        return BAD, f"caption marked ({marker})"
    if len(words) <= rules.ad_label_words and " ".join(words) in rules.ad_labels:
        return BAD, "ad label"
    if (
        len(words) <= DATELINE_MAX_WORDS
        and _DIGIT.search(text)  # every time stamp has one: most lines are done here
        and _TIMESTAMP.search(text)
        and not _FULL_STOP.search(text)
    ):
        return BAD, "time stamp"
    if _COUNTER.match(text):
        return BAD, "gallery counter"
    if _is_doubled(words):
        return BAD, "text printed twice"
    hits = _phrase_hits(text, rules, line.lower)
    if ("©" in text or "(c)" in line.lower) and len(words) <= PHRASE_MAX_WORDS:
        # "© AFP" credits a picture inside the article; "© 2019 Example News. All rights
        # reserved." is the page's footer.
        footer = hits or _YEAR.search(text) or len(words) > CREDIT_MAX_WORDS
        return BAD, "copyright notice" if footer else "copyright"
    if _is_call_to_action(hits, line, rules):
        return BAD, f"call to action: {sorted(hits)[0]}"
    if light:
        return GOOD, "extracted article text"
    return _by_density(text, words, rules.stopwords)


def _caption_marker(text: str, rules: LanguageRules) -> str | None:
    """The marker that ends an image caption ("ZTE headquarters in Paris (file photo)"), if any."""
    if rules.caption is None or not text.rstrip(" .").endswith((")", "]")):
        return None
    match = rules.caption.search(text)
    return match.group(1).lower() if match else None


def _is_call_to_action(hits: set[str], line: _Line, rules: LanguageRules) -> bool:
    """Furniture phrases decide short lines. A sentence of prose may use a furniture word or
    idiom in its own sense ("cookie", "sign up to the treaty"): there it takes two phrases, or
    one of three words or more ("your email address will not be published")."""
    if not hits:
        return False
    if len(hits) >= 2:
        return len(line.words) <= PHRASES_MAX_WORDS
    if len(line.words) > PHRASE_MAX_WORDS:
        return False
    (hit,) = hits
    if _reads_as_prose(line, rules.stopwords):
        return len(hit.split()) >= PROSE_PHRASE_MIN_WORDS
    return " " in hit or _shortest_segment(line.text, hits) <= WORD_LABEL_MAX_WORDS


def _shortest_segment(text: str, hits: set[str]) -> int:
    """Words in the shortest part of the line holding a hit, parts split as menus and bylines
    split them ("APPS WE LIKE | SPONSORED")."""
    sizes = [
        len(_WORD.findall(part))
        for part in _SEGMENT_SEPARATOR.split(text.lower())
        if any(hit in part for hit in hits)
    ]
    return min(sizes, default=len(_WORD.findall(text)))


def _reads_as_prose(line: _Line, stopwords: frozenset[str]) -> bool:
    """A sentence: enough words, ending like one, with the language's share of stop words."""
    if len(line.words) < PROSE_MIN_WORDS or not _SENTENCE_END.search(line.text):
        return False
    return not stopwords or _density(line.words, stopwords) >= STOPWORDS_LOW


def _density(words: list[str], stopwords: frozenset[str]) -> float:
    return sum(map(stopwords.__contains__, words)) / max(len(words), 1)


def _is_doubled(words: list[str]) -> bool:
    """A teaser's link text and title run together: "Best deals of 2019 Best deals of 2019"."""
    half = len(words) // 2
    return half >= 3 and len(words) % 2 == 0 and words[:half] == words[half:]


def _size_in_words(text: str, words: list[str]) -> int:
    """Word count, estimated from characters for scripts that do not put spaces between words."""
    if text.count(" ") < len(text) / 20:
        return max(len(words), len(text) // FALLBACK_CHARS_PER_WORD)
    return len(words)


def _is_link_line(text: str, lowered: str) -> bool:
    # A URL has "://" or "www." in it, an e-mail address "@" or "%": most lines have none.
    linked = 0
    if "://" in text or "www." in lowered:
        linked += sum(len(m.group(0)) for m in _URL.finditer(text))
    if "@" in text or "%" in text:
        linked += sum(len(m.group(0)) for m in _EMAIL.finditer(text))
    return linked > MAX_LINK_DENSITY * len(text)


def _phrase_hits(text: str, rules: LanguageRules, lowered: str | None = None) -> set[str]:
    """The call-to-action phrases in `text`, as whole words (`lowered`: `text.lower()` if known)."""
    if rules.phrases is None:
        return set()
    if lowered is None:
        lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    hits = set()
    for last, phrase in rules.phrases.iter(lowered):
        start = last - len(phrase) + 1
        before = lowered[start - 1] if start > 0 else " "
        after = lowered[last + 1] if last + 1 < len(lowered) else " "
        if _word_edge(before) and _word_edge(after):
            hits.add(phrase)
    return hits


def _word_edge(char: str) -> bool:
    """Not inside a word: "state-sponsored" does not contain the phrase "sponsored"."""
    return not char.isalnum() and char not in "-'’"


def _by_density(text: str, words: list[str], stopwords: frozenset[str]) -> tuple[str, str]:
    if not stopwords:  # no stop list for this language: fall back on sentence shape
        # Scripts without spaces between words (Japanese, Chinese) count characters instead.
        prose = _size_in_words(text, words) >= FALLBACK_PROSE_WORDS and _SENTENCE_END.search(text)
        return (NEAR, "sentence, no stop list") if prose else (SHORT, "short, no stop list")
    density = _density(words, stopwords)
    if len(text) < LENGTH_LOW:
        if (
            len(words) >= SHORT_SENTENCE_WORDS
            and density >= STOPWORDS_HIGH
            and _FULL_STOP.search(text)
            and not text.endswith(("...", "…"))  # a teaser's cut-off summary
        ):
            return SHORT, f"short sentence ({len(text)} chars)"
        return SHORT, f"short ({len(text)} chars)"
    if density >= STOPWORDS_HIGH:
        return (
            (GOOD, f"stop words {density:.2f}")
            if len(text) > LENGTH_HIGH
            else (NEAR, f"stop words {density:.2f}")
        )
    if density >= STOPWORDS_LOW:
        return NEAR, f"stop words {density:.2f}"
    if density >= SENTENCE_STOPWORDS_LOW and _FULL_STOP.search(text) and not text.endswith(("...", "…")):
        # Sports results and market reports are sentences full of names and numbers.
        return NEAR, f"sentence, few stop words ({density:.2f})"
    return BAD, f"few stop words ({density:.2f})"


# --- repeats and captions ------------------------------------------------------------------------


def _mark_repeats(lines: list[_Line]) -> None:
    """A text printed again (a headline repeated as a caption, a logo twice) is furniture: every
    copy after the first, and short texts (logos, menu items) in all their copies."""
    exact: dict[str, _Line] = {}
    longer: list[_Line] = []  # lines of 4 words or more: only they can be near-duplicates
    for index, line in enumerate(lines):
        if _is_sentence(line):
            _mark_printed_twice(lines, index)
            continue
        first = exact.get(line.text)
        if first is None and len(line.words) >= 4:
            first = next((earlier for earlier in longer if _same_text(earlier, line)), None)
        if first is not None and line.label is None:
            line.label, line.reason, line.repeats = "boilerplate", f"repeats line {first.number}", first
            if len(first.words) <= 3 and first.label is None:
                first.label, first.reason = "boilerplate", f"repeated at line {line.number}"
        exact.setdefault(line.text, line)
        if len(line.words) >= 4:
            longer.append(line)


def _mark_printed_twice(lines: list[_Line], index: int) -> None:
    """Prose is not printed twice in a row: the same sentence again within a few lines is an image
    caption shown with and without its picture, or a gallery's."""
    line = lines[index]
    for other in lines[index + 1 : index + 1 + TWICE_WITHIN_LINES]:
        if other.text == line.text and other.label is None and line.label is None:
            for copy in (line, other):
                copy.label, copy.reason = "boilerplate", "printed twice in a row"


def _is_sentence(line: _Line) -> bool:
    """Long lines and full sentences are quoted or summarised again in articles; headlines,
    logos and captions are what sites print twice."""
    return len(line.words) > REPEATED_PROSE_WORDS or line.text.endswith(_SENTENCE_ENDINGS)


def _same_text(a: _Line, b: _Line) -> bool:
    """The same line, or a variant of it of similar length (a headline reworded as a caption)."""
    if a.text == b.text:
        return True
    if min(len(a.words), len(b.words)) < 4 or min(len(a.words), len(b.words)) < SIMILAR_LENGTH * max(
        len(a.words), len(b.words)
    ):
        return False  # cheap test first: most pairs of lines differ in length
    words_a, words_b = set(a.words), set(b.words)
    smaller, larger = sorted((len(words_a), len(words_b)))
    if smaller < 4 or smaller / larger < SIMILAR_LENGTH:
        return False
    return len(words_a & words_b) / smaller >= NEAR_DUPLICATE


def _mark_captions(lines: list[_Line]) -> None:
    """Short lines right beside an image credit belong to the caption ("Ministers meet" / "© AFP"),
    up to the first line that cannot be one (a paragraph)."""
    for position, line in enumerate(lines):
        if line.reason not in ("image credit", "copyright"):
            continue
        for step in (-1, 1):
            for neighbour in _touching(lines, position, step):
                if not _may_be_caption(neighbour):
                    break
                neighbour.klass, neighbour.reason = BAD, "caption beside a credit"


def _may_be_caption(line: _Line) -> bool:
    return (
        line.label is None
        and len(line.words) <= CAPTION_MAX_WORDS
        and line.klass != GOOD
        and not line.reason.startswith(FURNITURE_REASONS)
    )


def _touching(lines: list[_Line], position: int, step: int) -> list[_Line]:
    """The lines printed directly above (step -1) or below (step 1), no blank line between, two at most."""
    found: list[_Line] = []
    index, number = position + step, lines[position].number
    while 0 <= index < len(lines) and len(found) < 2 and abs(lines[index].number - number) == 1:
        found.append(lines[index])
        number = lines[index].number
        index += step
    return found


# --- context -------------------------------------------------------------------------------------


def _resolve_context(lines: list[_Line]) -> None:
    """jusText's context pass: near-good lines join good neighbours (even past one furniture
    line), short lines take the class of the nearest decided lines on both sides (bad wins when
    they disagree, unless the short line is a sentence touching a paragraph)."""
    undecided = [line for line in lines if line.label is None]
    _promote_prose_runs(undecided)
    if not any(line.klass == GOOD for line in undecided):
        # A short article (one or two medium paragraphs) has nothing long to anchor on:
        # its sentence-like lines are the article.
        for line in undecided:
            if line.klass == NEAR:
                line.klass, line.reason = GOOD, line.reason + ", the best text on the page"
    classes = [_context_class(line) for line in undecided]
    for index, line in enumerate(undecided):
        if line.klass == NEAR:
            before, after = (
                _neighbour_past_one_bad(classes, index, -1),
                _neighbour_past_one_bad(classes, index, 1),
            )
            line.klass = GOOD if GOOD in (before, after) else BAD
            line.reason += f", beside {before}/{after}"
    _demote_short_runs(undecided)
    classes = [_context_class(line) for line in undecided]
    for index, line in enumerate(undecided):
        if line.klass == SHORT:
            before, after = (
                _neighbour(classes, index, -1, {GOOD, BAD}),
                _neighbour(classes, index, 1, {GOOD, BAD}),
            )
            # A short sentence touching a paragraph ends or opens it ("Police say the cases are
            # unrelated."); other short lines need text on both sides.
            touching = GOOD in (
                classes[index - 1] if index else BAD,
                classes[index + 1] if index + 1 < len(classes) else BAD,
            )
            sentence = line.reason.startswith("short sentence") and touching
            line.klass = GOOD if (before == GOOD and after == GOOD) or sentence else BAD
            line.reason += f", between {before} and {after}"


def _promote_prose_runs(lines: list[_Line]) -> None:
    """A run of consecutive near-good lines that is long in total is an article told in short paragraphs."""
    run: list[_Line] = []
    for line in [*lines, None]:
        if line is not None and line.klass in (NEAR, GOOD):
            run.append(line)
            continue
        if sum(_size_in_words(item.text, item.words) for item in run) >= PROSE_RUN_WORDS and len(run) >= 2:
            for item in run:
                if item.klass == NEAR:
                    item.klass, item.reason = GOOD, item.reason + ", in a run of prose"
        run = []


def _demote_short_runs(lines: list[_Line]) -> None:
    """Many short lines in a row are a menu or a list of links, even between two paragraphs; so
    are two headlines in a row (a box of related articles), where a subheading stands alone."""
    run: list[_Line] = []
    for line in [*lines, None]:
        if line is not None and line.klass == SHORT:
            run.append(line)
            continue
        # Headlines: titles of some length that are not sentences.
        headlines = all(
            len(item.words) >= LINK_TITLE_WORDS and not _FULL_STOP.search(item.text) for item in run
        )
        if len(run) >= SHORT_RUN_LINES or (len(run) >= 2 and headlines):
            for item in run:
                item.klass, item.reason = BAD, item.reason + f", in a run of {len(run)} short lines"
        run = []


def _context_class(line: _Line) -> str:
    """Images and ads sit inside articles: a credit, caption or ad label does not end the text
    around it."""
    image = line.reason.startswith(("image credit", "caption", "ad label")) or line.reason == "copyright"
    return "image" if image else line.klass


def _neighbour_past_one_bad(classes: list[str], index: int, step: int) -> str:
    """The nearest decided class, looking past a single bad line with text beyond it: a "Read
    more: …" link or an ad line inside the article does not end it."""
    position = index + step
    while 0 <= position < len(classes) and classes[position] not in (GOOD, BAD):
        position += step
    if not 0 <= position < len(classes):
        return BAD
    if classes[position] == BAD and _neighbour(classes, position, step, {GOOD, BAD}) == GOOD:
        return GOOD
    return classes[position]


def _neighbour(classes: list[str], index: int, step: int, wanted: set[str]) -> str:
    position = index + step
    while 0 <= position < len(classes):
        if classes[position] in wanted:
            return classes[position]
        position += step
    return BAD  # the edge of the page counts as furniture


# --- the page: lists, the main block, comments, the headline ------------------------------------


def _keep_introduced_lists(lines: list[_Line]) -> None:
    """A paragraph ending in a colon introduces a list ("Tour dates:", "Here are the highlights:"):
    the short lines that follow it are the list, up to the first line that is clearly furniture."""
    for position, line in enumerate(lines):
        previous = lines[position - 1] if position else None
        introduces = (
            line.text.endswith(":")
            and line.label is None
            and len(line.words) >= LIST_INTRO_MIN_WORDS  # "Tags:", "More:" label link lists
            and (line.klass == GOOD or (previous is not None and previous.klass == GOOD))
        )
        if not introduces:
            continue
        line.klass = GOOD
        for item in lines[position + 1 : position + 1 + LIST_MAX_ITEMS]:
            if item.label is not None or item.reason.startswith(FURNITURE_REASONS) or len(item.words) > 40:
                break
            item.klass, item.reason = GOOD, item.reason + f", item of the list at line {line.number}"


def _keep_main_blocks(lines: list[_Line]) -> None:
    """The article is one block of content lines (or a few big ones); single teaser paragraphs
    scattered among menus and link lists elsewhere on the page are not part of it."""
    blocks = _content_blocks(lines)
    if len(blocks) < 2:
        return
    teasers = [block for block in blocks if _is_teaser_list(block, lines)]
    biggest_other = max((_block_size(block) for block in blocks if block not in teasers), default=0)
    main = max(blocks, key=_block_size)
    for block in teasers:
        # An article in sections (a question, its answer, a rule) has the teaser shape too; it is
        # the page's text when it is the biggest block and outweighs every other one by far.
        if block is not main or _block_size(block) <= TEASER_OUTWEIGHS * biggest_other:
            for line in block:
                line.klass, line.reason = BAD, line.reason + ", in a list of teasers"
    blocks = [block for block in blocks if block[0].klass == GOOD]
    biggest = max(_block_size(block) for block in blocks)
    for block in blocks:
        if _block_size(block) < MINOR_BLOCK_SHARE * biggest:
            for line in block:
                line.klass, line.reason = BAD, line.reason + ", small block away from the article"


def _drop_comments(lines: list[_Line], rules: LanguageRules) -> None:
    """Readers' comments follow the article under a heading ("12 Comments", "10 thoughts on
    “…”"). Such a heading with most of the page's text above it ends the article; one above
    most of the text is a link in the share bar."""
    if rules.comments is None:
        return
    sizes = [len(line.text) if line.label is None and line.klass == GOOD else 0 for line in lines]
    total, above = sum(sizes), 0
    for index, heading in enumerate(lines):
        if above > total / 2 and rules.comments.match(heading.text):
            note = f", in the comments from line {heading.number}"
            for line in lines[index:]:
                if line.label is None and line.klass == GOOD:
                    line.klass, line.reason = BAD, line.reason + note
            return
        above += sizes[index]


def _content_blocks(lines: list[_Line]) -> list[list[_Line]]:
    """Runs of content lines, allowing up to BLOCK_GAP other lines between two of them."""
    blocks: list[list[_Line]] = []
    gap = BLOCK_GAP + 1
    for line in lines:
        if line.label is None and line.klass == GOOD:
            if gap > BLOCK_GAP or not blocks:
                blocks.append([])
            blocks[-1].append(line)
            gap = 0
        else:
            gap += 1
    return blocks


def _is_teaser_list(block: list[_Line], lines: list[_Line]) -> bool:
    """Article paragraphs follow each other; in a list of teasers each summary stands alone
    between headlines and time stamps."""
    if len(block) < TEASER_MIN_ITEMS:
        return False
    prose = {index for index, line in enumerate(lines) if line.first_klass in (GOOD, NEAR)}
    position = {id(line): index for index, line in enumerate(lines)}
    items = [position[id(line)] for line in block if position[id(line)] in prose]
    if len(items) < TEASER_MIN_ITEMS:
        return False
    alone = sum(index - 1 not in prose and index + 1 not in prose for index in items)
    return alone / len(items) > TEASER_ALONE_SHARE


def _block_size(block: list[_Line]) -> int:
    return sum(len(line.text) for line in block)


def _keep_lone_sentences(lines: list[_Line]) -> None:
    """A note of a sentence or two has no paragraph to anchor on: with nothing else kept, its
    sentences are the text (menus and furniture are not sentences)."""
    if any(line.label is None and line.klass == GOOD for line in lines):
        return
    for line in lines:
        sentence = len(line.words) >= LONE_SENTENCE_WORDS and _FULL_STOP.search(line.text)
        if line.label is None and sentence and not line.reason.startswith(FURNITURE_REASONS):
            line.klass, line.reason = GOOD, line.reason + ", the only sentences on the page"


def _restore_headline(lines: list[_Line]) -> None:
    """The headline is a short line just above the first paragraph: content, though context
    alone would call it furniture (it has no paragraph above it). An image caption between them
    (marked "… (file photo)", or the same line twice in a row) is never the headline: the search
    goes on above it."""
    first = next((i for i, line in enumerate(lines) if line.label is None and line.klass == GOOD), None)
    if first is None:
        return
    start = max(0, first - HEADLINE_WINDOW)
    window = lines[start:first]
    for offset in range(len(window) - 1, -1, -1):
        line = window[offset]
        if line.label is None and _looks_like_headline(line):
            line.klass, line.reason = GOOD, "headline above the first paragraph"
            return
        if line.repeats is not None and _looks_like_headline(line):
            original = line.repeats
            if original.reason.startswith("caption"):
                continue  # a marked image caption printed twice: the headline is above it
            if _is_caption_pair(lines, start + offset):
                original.klass, original.reason = BAD, "caption printed twice below the headline"
                continue
            # The headline printed twice: its first copy is the headline when it is near (a
            # caption repeating it); a copy far above is the page title, and both are furniture.
            if original in window and original.label is None and _looks_like_headline(original):
                original.klass, original.reason = GOOD, "headline above the first paragraph"
            return


def _is_caption_pair(lines: list[_Line], index: int) -> bool:
    """The same short line twice in a row right below a headline is an image caption shown with
    and without its picture ("Headline" / "The headquarters in Paris" / "The headquarters in
    Paris"); a headline printed twice has no other headline just above it."""
    if index < 2:
        return False
    copy, original, above = lines[index], lines[index - 1], lines[index - 2]
    return (
        copy.repeats is original
        and copy.text == original.text
        and original.label is None  # (a copy of the page title is no caption)
        and above.label is None
        and _looks_like_headline(above)
    )


def _looks_like_headline(line: _Line) -> bool:
    return (
        3 <= len(line.words) <= 25
        and not line.text.endswith((".", ",", ";"))
        and not line.reason.startswith(FURNITURE_REASONS)
        and _numeric_share(line.words) < 0.3  # datelines and bylines are full of numbers
    )


def _numeric_share(words: list[str]) -> float:
    # (A word of letters only has no digit in it: most words are done with one test.)
    numeric = sum(not word.isalpha() and any(map(str.isdigit, word)) for word in words)
    return numeric / len(words)


def _label_of(klass: str) -> Label:
    return "content" if klass == GOOD else "boilerplate"


# --- data ----------------------------------------------------------------------------------------


@cache
def language_rules(lang: str) -> LanguageRules:
    """The language's own file and always `en.yaml`: English furniture is on sites in every language."""
    own = read_yaml(DATA / f"{lang}.yaml")
    data = [own, read_yaml(DATA / "en.yaml")] if lang != "en" else [own]
    credit_forms = _credit_forms(data)
    return LanguageRules(
        phrases=_automaton(_entries(data, "phrases")),
        # "Foto: AFP", "Bron: Huawei", "(Photo: Reuters)" — a label, a colon and a short name.
        credit=_credit_pattern(credit_forms),
        # "By Jane Doe", "Von Max Muster | dpa": a byline word, then one to four capitalised names.
        byline=_alternation(
            _entries(data, "byline_labels"),
            r"^(?:.*\s[|·•]\s)?(?:{})\s*:?\s+(?:[A-ZÀ-Þ][\w.'’-]*\s*){{1,4}}(?:$|[|,·•–—(-]|\d)",
            flags=0,
        ),
        source=_alternation(_entries(data, "source_labels"), r"^(?:{})\s*:"),
        # "Comments", "12 Comments", "Reacties (3)", "10 thoughts on “The headline”".
        comments=_alternation(
            _entries(data, "comment_headings"),
            r"^\W*(?:\d+\s+)?(?:{})\s*(?:\(?\d*\)?\s*[:.]?|\s*[\"“„«‘'].*)$",
        ),
        # "date 2019-01", "Datum: 2019-01-31": a field name, then an ISO date as precise as known.
        date_field=_alternation(
            _entries(data, "date_labels"),
            r"^\s*(?:{})\s*:?\s*(\d{{4}}(?:-\d{{2}}(?:-\d{{2}})?)?)(?![\w-])\s*",
        ),
        # "(Archivbild)", "(file photo: Reuters)", "[archives]": a marker in brackets ends the line.
        caption=_caption_pattern(_entries(data, "caption_markers")),
        ad_labels=frozenset(_entries(data, "ad_labels")),
        ad_label_words=max((label.count(" ") + 1 for label in _entries(data, "ad_labels")), default=0),
        stopwords=stoplist_for(lang, own.get("stoplist")),
        is_credit=_CreditTest(credit_forms) if any(p for p, _ in credit_forms) else None,
    )


def _entries(data: list[dict], key: str) -> list[str]:
    """One list from every file, lower-cased, longest first (so alternations prefer them)."""
    return sorted({str(entry).lower() for d in data for entry in d.get(key) or []}, key=len, reverse=True)


def _automaton(phrases: list[str]) -> ahocorasick.Automaton | None:
    if not phrases:
        return None
    automaton = ahocorasick.Automaton()
    for phrase in phrases:
        automaton.add_word(phrase, phrase)
    automaton.make_automaton()
    return automaton


def _alternation(words: list[str], template: str, flags: int = re.IGNORECASE) -> re.Pattern[str] | None:
    if not words:
        return None
    # The words are lower case; a byline's names must stay case-sensitive, its label need not.
    alternatives = "|".join(f"(?i:{re.escape(word)})" if not flags else re.escape(word) for word in words)
    return re.compile(template.format(alternatives), flags)


def _caption_pattern(markers: list[str]) -> re.Pattern[str] | None:
    if not markers:
        return None
    # Either apostrophe ("photo d'archives", "photo d’archives") and any spacing between words.
    alternatives = "|".join(
        r"\s+".join(re.escape(word).replace("'", "['’]") for word in marker.split()) for marker in markers
    )
    return re.compile(
        rf"[(\[]\s*({alternatives})(?:\s*[:;,/|–—-]\s*[^()\[\]]{{1,40}})?\s*[)\]][\s.]*$", re.IGNORECASE
    )


def _credit_forms(data: list[dict]) -> list[tuple[re.Pattern[str] | None, list[str]]]:
    """Image credits and captions in their usual forms: "Foto: AFP", "[File: Reuters]",
    "Photo by Jane Doe", "Image caption The minister...", "Jane Doe/Getty Images", "(AP)".
    Each form's pattern (None: no words for it) and its words."""
    forms = [
        (_entries(data, "credit_labels"), r"(?:^|[\s(\[.|])(?:{})\s*:\s*\S.{{0,60}}$"),
        (_entries(data, "credit_prefixes"), r"^\W*(?:{})\s+\S.{{0,60}}$"),
        (_entries(data, "caption_labels"), r"^(?:{})\s+\S"),
        (_entries(data, "credit_agencies"), r"(?:^|[\s/|(\[—–-])(?:{})\s*[)\]]?$"),
    ]
    return [(_alternation(words, template), words) for words, template in forms]


def _credit_pattern(forms: list[tuple[re.Pattern[str] | None, list[str]]]) -> re.Pattern[str] | None:
    """All the credit forms in one pattern."""
    patterns = [pattern for pattern, _ in forms if pattern]
    return re.compile("|".join(p.pattern for p in patterns), re.IGNORECASE) if patterns else None
