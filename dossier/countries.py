"""Which countries an article mentions, each with the sentence that mentions it.

Part of the extract stage. Every country name in every CLDR locale of a detectable
language (`data/countries/cldr_names.json`) plus, per article language, the adjectives,
demonyms, capitals, inflected names and EU forms of `data/countries/<lang>.yaml` are
compiled once into one Aho–Corasick automaton. Each hit is then checked against its
context: word boundaries, capitalisation, and person names that look like countries.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import ahocorasick
import yaml
from babel import Locale, UnknownLocaleError

from dossier.models import Mention

DATA = Path(__file__).resolve().parent / "data" / "countries"
EU = "EU"
# A country in the title or the lead, or named this often, is what the article is *about*.
ABOUT_MIN_MENTIONS = 3
# Names from another language's CLDR locale must be at least this long and not an ordinary word
# of the article's language: short foreign names collide with common words.
FOREIGN_NAME_MIN_CHARS = 5
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class Form:
    """One way of writing a country, as written in the data."""

    code: str
    text: str
    kind: str  # name, adjective, demonym, capital, eu
    language: str | None  # None: a CLDR name, valid in every language (with guards)
    cldr_languages: frozenset[str] = frozenset()
    exact_case: bool = field(init=False)  # abbreviations ("US", "EU", "VS"): "us" is a pronoun
    needs_capital: bool = field(init=False)  # names: "turkey" is a bird

    def __post_init__(self) -> None:
        abbreviation = (
            sum(c.isupper() for c in self.text) >= 2 and len(self.text.replace(".", "").split()[0]) <= 4
        )
        object.__setattr__(self, "exact_case", abbreviation)
        object.__setattr__(self, "needs_capital", self.text[:1].isupper())


@dataclass(frozen=True)
class LanguageData:
    abbreviations: frozenset[str]
    ambiguous: frozenset[str]
    stopwords: frozenset[str]


def find_mentions(title: str, paragraphs: Sequence[str], lang: str | None) -> list[Mention]:
    """Every country mention in the title (paragraph -1) and the paragraphs, in text order."""
    language = _language_key(lang)
    mentions = []
    for index, text in [(-1, title), *enumerate(paragraphs)]:
        hits = list(_matches(text, language))
        if not hits:
            continue  # most paragraphs name no country: no need to split them into sentences
        sentences = list(_sentences(text, language))
        for start, end, code in hits:
            offset, sentence = next((o, s) for o, s in reversed(sentences) if o <= start)
            mentions.append(Mention(code, sentence, text[start:end], index, start - offset, end - offset))
    return mentions


def split_roles(mentions: Sequence[Mention], paragraph_count: int) -> tuple[list[str], list[str]]:
    """(about, mentioned): about = named in the title or the lead paragraph, or named at least
    ABOUT_MIN_MENTIONS times; every other country is only mentioned."""
    counts = Counter(m.country for m in mentions)
    prominent = {m.country for m in mentions if m.paragraph <= 0}
    about = {code for code, count in counts.items() if code in prominent or count >= ABOUT_MIN_MENTIONS}
    return sorted(about), sorted(set(counts) - about)


def country_name(code: str, locale: str = "en") -> str:
    """The display name from CLDR ("EU" included), in `locale` where CLDR has it."""
    for candidate in (locale, FALLBACK_LANGUAGE):
        try:
            name = Locale.parse(candidate).territories.get(code.upper())
        except (UnknownLocaleError, ValueError, TypeError):
            continue
        if name:
            return name
    return code.upper()


def is_known_code(code: str) -> bool:
    return code.upper() in _known_codes()


@cache
def _known_codes() -> frozenset[str]:
    import pycountry

    return frozenset(country.alpha_2 for country in pycountry.countries) | {EU, "XK"}


# --- matching -------------------------------------------------------------------------------


def _matches(sentence: str, language: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, code) of every accepted, non-overlapping hit; longest first where they overlap."""
    lowered = _lower_same_length(sentence)
    hits = []
    for last, forms in _automaton().iter(lowered):
        length = len(forms[0].text)
        start, end = last - length + 1, last + 1
        code = _accept(sentence, start, end, forms, language)
        if code:
            hits.append((start, end, code))
    taken_until = -1
    for start, end, code in sorted(hits, key=lambda h: (h[0], -(h[1] - h[0]))):
        if start >= taken_until:
            taken_until = end
            yield start, end, code


def _accept(sentence: str, start: int, end: int, forms: list[Form], language: str) -> str | None:
    if not _at_word_boundaries(sentence, start, end):
        return None
    surface = sentence[start:end]
    codes = {form.code for form in forms if _form_applies(form, surface, language)}
    if len(codes) != 1:
        return None  # no form fits, or an ambiguous name ("Kongo") that we cannot resolve
    if surface in _language_data(language).ambiguous and _next_to_a_name(sentence, start, end):
        return None  # "Michael Jordan", "Frans Timmermans", "Washington Post"
    return codes.pop()


def _form_applies(form: Form, surface: str, language: str) -> bool:
    if form.exact_case and surface != form.text:
        return False
    if form.needs_capital and not surface[:1].isupper() and surface[:1].lower() != surface[:1].upper():
        return False
    if form.language is not None:
        return form.language == language
    if language in form.cldr_languages or FALLBACK_LANGUAGE in form.cldr_languages:
        return True
    return (
        len(form.text) >= FOREIGN_NAME_MIN_CHARS
        and form.text.lower() not in _language_data(language).stopwords
    )


def _at_word_boundaries(text: str, start: int, end: int) -> bool:
    # A hyphen counts as a boundary so that compounds count: "US-Regierung", "EU-Kommission".
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def _next_to_a_name(text: str, start: int, end: int) -> bool:
    """Is the hit directly beside another capitalised word (a first name or surname)?"""
    before = re.search(r"(\w+) +$", text[:start])
    after = re.match(r" +(\w+)", text[end:])
    return bool((before and before.group(1)[0].isupper()) or (after and after.group(1)[0].isupper()))


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)  # "İ" lowers to two chars


# --- sentences -------------------------------------------------------------------------------

_BOUNDARY = re.compile(r"[.!?…]+[\"'»”’)\]]*\s+(?=[\"'«“‘(\[]?[^\W\d_]|\d)")


def _sentences(text: str, language: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) for the sentences of `text`.

    Abbreviations and ordinals ("u.a.", "28. März") do not end a sentence.
    """
    abbreviations = _language_data(language).abbreviations
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        word = re.search(r"(\S+?)[.!?…]*$", text[start : boundary.start() + 1])
        raw_token = word.group(1).rstrip(".") if word else ""
        token = raw_token.lower()
        # Abbreviations, initials ("U.S."), capitals-only short forms ("EE. UU.") and day numbers
        # ("28. März") end with a dot but not a sentence.
        if token in abbreviations or re.fullmatch(r"(\w\.)*\w|\d{1,2}", token) or _is_acronym(raw_token):
            continue
        yield from _stripped(text, start, boundary.end())
        start = boundary.end()
    yield from _stripped(text, start, len(text))


def _stripped(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    piece = text[start:end]
    sentence = piece.strip()
    if sentence:
        yield start + len(piece) - len(piece.lstrip()), sentence


def _is_acronym(token: str) -> bool:
    return 2 <= len(token) <= 3 and token.isalpha() and token.isupper()


# --- data ------------------------------------------------------------------------------------


def _language_key(lang: str | None) -> str:
    lang = (lang or FALLBACK_LANGUAGE).lower()
    return lang if lang in _data_languages() else FALLBACK_LANGUAGE


@cache
def _data_languages() -> frozenset[str]:
    return frozenset(path.stem for path in DATA.glob("*.yaml"))


@cache
def _language_file(language: str) -> dict:
    path = DATA / f"{language}.yaml"
    return yaml.safe_load(path.read_text("utf-8")) if path.is_file() else {}


@cache
def _language_data(language: str) -> LanguageData:
    data = _language_file(language)
    return LanguageData(
        abbreviations=frozenset(a.lower().rstrip(".") for a in data.get("abbreviations", [])),
        ambiguous=frozenset(data.get("ambiguous", [])),
        stopwords=_stopwords(language),
    )


def _stopwords(language: str) -> frozenset[str]:
    import justext

    try:
        name = Locale.parse(language).get_display_name("en").split(" (")[0]
        return frozenset(justext.get_stoplist(name))
    except (ValueError, UnknownLocaleError, TypeError):
        return frozenset()


def expand(entry: str, default_suffixes: Sequence[str]) -> list[str]:
    """`stem|a|b` → [stema, stemb]; a plain entry takes the language's default suffixes."""
    if "|" in entry:
        stem, *suffixes = entry.split("|")
        return sorted({stem + suffix for suffix in suffixes})
    return sorted({entry + suffix for suffix in default_suffixes})


def _language_forms(language: str) -> Iterator[Form]:
    data = _language_file(language)
    for kind, suffixes in (("adjective", "adjective_suffixes"), ("demonym", "demonym_suffixes")):
        for code, entries in (data.get(kind + "s") or {}).items():
            for entry in entries:
                for text in expand(entry, data.get(suffixes, [""])):
                    yield Form(code, text, kind, language)
    name_suffixes = data.get("name_suffixes", [""])
    for kind in ("names", "capitals"):
        for code, entries in (data.get(kind) or {}).items():
            for entry in entries:
                for suffix in name_suffixes:
                    yield Form(code, entry + suffix, kind.rstrip("s"), language)
    for entry in data.get("eu", []):
        yield Form(EU, entry, "eu", language)
    for name, codes in _cldr_names().items():  # genitives of CLDR names: "Chinas", "USA:s"
        if language in next(iter(codes.values())) and len(codes) == 1:
            for suffix in name_suffixes:
                if suffix:
                    yield Form(next(iter(codes)), name + suffix, "name", language)


@cache
def _cldr_names() -> dict[str, dict[str, list[str]]]:
    return json.loads((DATA / "cldr_names.json").read_text("utf-8"))["names"]


@cache
def _automaton() -> ahocorasick.Automaton:
    """lower-cased form → every `Form` written that way; built once per process."""
    table: dict[str, list[Form]] = {}
    for name, codes in _cldr_names().items():
        for code, languages in codes.items():
            table.setdefault(_lower_same_length(name), []).append(
                Form(code, name, "name", None, frozenset(languages))
            )
    for language in sorted(_data_languages()):
        for form in _language_forms(language):
            table.setdefault(_lower_same_length(form.text), []).append(form)
    automaton = ahocorasick.Automaton()
    for key, forms in table.items():
        automaton.add_word(key, forms)
    automaton.make_automaton()
    return automaton
