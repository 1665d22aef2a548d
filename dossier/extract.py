"""Stage 3, extract: a cleaned document becomes an `Article` with its metadata.

Precedence everywhere: front matter, then what the cleaner found in metadata lines,
then the page's own metadata (HTML input), then what the text itself says.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from itertools import islice

from dossier import countries
from dossier.dates import first_date
from dossier.links import is_linkable_url
from dossier.models import Article, CleanDocument, Line, PartialDate, Problem

# A headline is a short first line that does not read like a sentence of the body.
HEADLINE_MAX_WORDS = 25
HEADLINE_MAX_CHARS = 200
# A title made from the lead stops at a word boundary before this length.
GENERATED_TITLE_CHARS = 90
# Datelines and bylines live in short lines near the top or bottom of a page.
DATELINE_MAX_WORDS = 15
DATELINE_WINDOW = 12
LEAD_DATE_CHARS = 120  # a date in the lead counts only in its opening words
SLUG_MAX_CHARS = 80
# Folder names that would clash with the site's own folders or with Windows devices.
_WINDOWS_DEVICES = {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}
RESERVED_SLUGS = {"assets", "data", "countries", "search", "pagefind", "index"} | _WINDOWS_DEVICES
# Letters that NFKD does not reduce to ASCII (lower case: slugs are lowered first).
_TRANSLITERATION = str.maketrans(
    {
        **dict(zip("łøđðıħŧŀ", "loddihtl", strict=True)),
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ĳ": "ij",
        **dict(zip("абвгдезийклмнопрстуфыэіґ", "abvgdezijklmnoprstufyeig", strict=True)),
        **{"ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "yu", "я": "ya"},
        **{"є": "ye", "ї": "yi", "ъ": "", "ь": ""},
        **dict(zip("αβγδεζηικλμνξοπρσςτυφω", "avgdeziiklmnxoprsstyfo", strict=True)),
        **{"θ": "th", "χ": "ch", "ψ": "ps"},
    }
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'»”)]?\s+(?=[\"'«“(]?[A-ZÀ-ÖØ-Þ0-9])")


def extract(cleaned: CleanDocument) -> tuple[Article | None, list[Problem]]:
    document = cleaned.document
    front = document.front_matter
    problems: list[Problem] = []
    content = cleaned.content
    if not content:
        return None, [Problem(document.file, "skipped: nothing but boilerplate is left after cleaning")]
    title, title_line, generated = _title(cleaned, content)
    paragraphs = [line.text.strip() for line in content if line is not title_line]
    source, source_problem = _source(cleaned)
    if source_problem:
        problems.append(source_problem)
    lang = _text(front.get("lang")) or cleaned.lang or document.html_metadata.get("lang")
    # A title made from the lead repeats the lead's words: its mentions would count twice.
    mentions = countries.find_mentions("" if generated else title, paragraphs, lang)
    about, mentioned = countries.split_roles(mentions, len(paragraphs))
    about, mentioned, code_problems = _apply_front_matter_countries(cleaned, about, mentioned)
    problems += code_problems
    article = Article(
        file=document.file,
        slug=_text(front.get("slug")) or "",
        title=title,
        title_is_generated=generated,
        date=_date(cleaned),
        lang=lang.lower() if lang else None,
        source=source,
        paragraphs=paragraphs,
        mentions=mentions,
        about=about,
        mentioned=mentioned,
        draft=bool(front.get("draft", False)),
        content_hash=document.content_hash,
    )
    article.slug = slugify(article.slug or title, fallback=document.file)
    return article, problems


def _text(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None


def _title(cleaned: CleanDocument, content: list[Line]) -> tuple[str, Line | None, bool]:
    """(title, the content line it came from, whether it was generated from the lead)."""
    given = _text(cleaned.document.front_matter.get("title")) or cleaned.document.html_metadata.get("title")
    first = content[0] if content else None
    if given:
        repeated = first is not None and first.text.strip() == given.strip()
        return given, first if repeated else None, False
    if first is not None and is_headline(first.text) and len(content) > 1:
        return first.text.strip(), first, False
    lead = first.text if first is not None else ""
    return title_from_lead(lead), None, True


def is_headline(text: str) -> bool:
    text = text.strip()
    words = text.split()
    return (
        0 < len(words) <= HEADLINE_MAX_WORDS
        and len(text) <= HEADLINE_MAX_CHARS
        and not text.endswith((".", ",", ";", ":"))
    )


def title_from_lead(lead: str) -> str:
    """A readable title for an article without a headline: its first sentence, shortened."""
    sentence = _first_sentence(lead.strip())
    if len(sentence) <= GENERATED_TITLE_CHARS:
        return sentence.rstrip(".") or "Untitled"
    cut = sentence[:GENERATED_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:–- ")
    return f"{cut} …"


def _first_sentence(text: str) -> str:
    """Up to the first real sentence end: not after a day number ("Am 16. März"), an initial
    ("J. Smith"), a short capitalised abbreviation ("Dr.", "St.") or a dotted one ("u.a.")."""
    for boundary in _SENTENCE_END.finditer(text):
        before = text[: boundary.start()].rstrip("\"'»”)")
        last_word = before.rsplit(None, 1)[-1] if before.split() else ""
        if not re.fullmatch(r"\d{1,2}\.|(?:\w\.){2,4}|[A-Z][a-z]{0,2}\.", last_word):
            return text[: boundary.start()].strip()
    return text


def _date(cleaned: CleanDocument) -> PartialDate | None:
    front = cleaned.document.front_matter.get("date")
    if isinstance(front, PartialDate):
        return front
    for given in (cleaned.metadata.get("date"), cleaned.document.html_metadata.get("date")):
        parsed = _parse_iso_prefix(given)
        if parsed:
            return parsed
    return first_date(_dateline_candidates(cleaned.lines), cleaned.lang)


def _parse_iso_prefix(value: str | None) -> PartialDate | None:
    if not value:
        return None
    match = re.match(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value.strip())
    try:
        return PartialDate.parse_iso(match.group(0)) if match else None
    except ValueError:
        return None


def _dateline_candidates(lines: list[Line]) -> list[str]:
    """Where an article's own date is written, most telling first: short lines above the text
    (bylines, datelines), the opening of the lead ("BERLIN, 5. März 2019 –", "Am 4. Mai 2023 …"),
    then short lines at the bottom. Dates further into the text are about other events."""
    first_content = next((i for i, line in enumerate(lines) if line.label == "content"), len(lines))
    above = lines[max(0, first_content - DATELINE_WINDOW) : first_content]
    below = lines[-DATELINE_WINDOW:] if len(lines) > first_content + 1 else []
    # The first content line may be the headline: the lead is then the second.
    content = (line.text for line in lines[first_content:] if line.label == "content")
    openings = [text[:LEAD_DATE_CHARS] for text in islice(content, 2)]
    return [*_short(above), *openings, *_short(below)]


def _short(lines: list[Line]) -> list[str]:
    return [line.text for line in lines if len(line.text.split()) <= DATELINE_MAX_WORDS]


def _source(cleaned: CleanDocument) -> tuple[str | None, Problem | None]:
    """The article's source URL, if it is one we may link to (http or https, with a host)."""
    document = cleaned.document
    from_front_matter = _text(document.front_matter.get("source"))
    candidate = from_front_matter or cleaned.metadata.get("source") or document.html_metadata.get("url")
    if not candidate:
        return None, None
    if not is_linkable_url(candidate):
        line = (
            document.front_matter_lines.get("source")
            if from_front_matter
            else _metadata_line(cleaned, candidate)
        )
        message = f"source '{candidate[:80]}' is not an http(s) URL; not linked"
        return None, Problem(document.file, message, line=line)
    return candidate, None


def _metadata_line(cleaned: CleanDocument, text: str) -> int | None:
    return next(
        (line.number for line in cleaned.lines if line.label == "metadata" and text in line.text), None
    )


def _apply_front_matter_countries(
    cleaned: CleanDocument, about: list[str], mentioned: list[str]
) -> tuple[list[str], list[str], list[Problem]]:
    """Front-matter `countries` replace the extracted set; roles found in the text are kept."""
    given = cleaned.document.front_matter.get("countries")
    if not isinstance(given, list):
        return about, mentioned, []
    file, line = cleaned.document.file, cleaned.document.front_matter_lines.get("countries")
    codes, problems = [], []
    for code in given:
        normalised = str(code).strip().upper()
        if countries.is_known_code(normalised):
            codes.append(normalised)
        else:
            problems.append(
                Problem(file, f"unknown country code '{code}' in front matter; ignored", line=line)
            )
    kept_mentioned = sorted(c for c in set(codes) if c in mentioned)
    return sorted(set(codes) - set(kept_mentioned)), kept_mentioned, problems


def slugify(text: str, fallback: str) -> str:
    """A safe folder name: ASCII letters, digits and dashes, never a path or a reserved name.

    Accents are dropped (é → e), other Latin letters, Greek and Cyrillic are transliterated
    (ß → ss, ł → l, Москва → moskva); a title with too little left (Chinese, Arabic, an empty
    one) gets a stable hash of `fallback` (the file's path), so the slug never changes between builds.
    """
    decomposed = unicodedata.normalize("NFKD", text.lower()).translate(_TRANSLITERATION)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    slug = slug[:SLUG_MAX_CHARS].rstrip("-")
    if len(slug) < 3 or slug in RESERVED_SLUGS:
        digest = hashlib.sha256(fallback.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        slug = f"{slug}-{digest}" if slug else f"article-{digest}"
    return slug
