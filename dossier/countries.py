"""Which countries an article mentions, each with the sentence that mentions it.

Part of the extract stage. What counts as a mention of a country (ISO 3166-1 alpha-2, or "EU"):

- its name in any CLDR locale babel has (`babel.Locale(...).territories`), plus forms derived
  from those names: "&" spelled out ("Bosnia and Herzegovina"), a parenthesis dropped
  ("Myanmar (Burma)" → "Myanmar") and the language's case endings ("Chinas", "Francji");
- what CLDR lacks, per language in `data/countries/<lang>.yaml`: adjectives and demonyms with
  their inflections, short forms ("UK", "VS"), capitals and seats of government that stand for
  their country ("Brüssel", "Kremlin"), forms of the EU, and false friends with the contexts
  that rule them out ("Michael Jordan", "New Mexico").

Every form is a key of an Aho–Corasick automaton (two: see `Matcher`), built on first use, kept
for the process and pickled to a cache folder (`$DOSSIER_CACHE_DIR`, else the project's `.dossier-cache/`):
building it from all of CLDR's ~1,100 locales takes about 5 s of CPU, loading it about 0.3 s.
The text is searched lower-cased with each non-alphanumeric character turned into a space, and
keys start and end with a space, so a hit is always whole words ("US-Regierung" and "l'UE" match,
"Prussia" does not contain "Russia" nor "malicious" "Mali"). Each hit is then checked against
its context: case, which language the form belongs to, and false friends.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import time
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import ahocorasick
import babel
import pycountry
from babel import Locale, UnknownLocaleError, localedata
from babel.languages import get_official_languages
from babel.lists import format_list

from dossier.cache import write_atomically
from dossier.data import read_yaml
from dossier.models import Mention

DATA = Path(__file__).resolve().parent / "data" / "countries"
EU = "EU"
FALLBACK_LANGUAGE = "en"  # no language given; also the lingua franca whose names every article may use
# A country named in the title or the lead, or in this many sentences, is what the article is *about*.
ABOUT_MIN_SENTENCES = 3
# A name from another language's locale must be at least this long: short ones are ordinary words
# somewhere ("Cad", "Mali" in Italian text, "Oman" ...).
FOREIGN_NAME_MIN_CHARS = 5
# Where this share of the letters around an abbreviation is upper case, case says nothing: "CONTACT US".
SHOUTED_SHARE = 0.6
CACHE_ENV = "DOSSIER_CACHE_DIR"
# A cached automaton of another code or data version unused this long is deleted (each is ~13 MB).
STALE_CACHE_SECONDS = 24 * 3600

# How close a form is to the article's language; the closest tier that has a form decides.
OWN, ENGLISH, FOREIGN = 0, 1, 2
# Scripts written without spaces between words: their names match anywhere in the text.
UNSPACED_SCRIPTS = {"CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN"}
# Scripts whose words take their particles attached ("미국과"): names need a word start, not a word end.
SUFFIXING_SCRIPTS = {"HANGUL"}
# Kinds of data-file forms that English-language news vocabulary lends to every language.
SHARED_ENGLISH_KINDS = {"name", "capital", "eu"}


@dataclass(frozen=True)
class Form:
    """One way of writing a country."""

    code: str
    text: str
    kind: str  # name, adjective, demonym, capital, eu
    language: str | None  # the data file it comes from; None: a CLDR name (see cldr_languages)
    cldr_languages: frozenset[str] = frozenset()
    national: bool = False  # a CLDR name in a language official somewhere: may be quoted in any article
    exact_case: bool = field(init=False)  # abbreviations ("US", "EU", "VS"): "us" is a pronoun
    needs_capital: bool = field(init=False)  # capitalised names: "turkey" is a bird
    spaced: bool = field(init=False)  # its script separates words: it must start at a word start
    ends_word: bool = field(init=False)  # ... and end at a word end

    def __post_init__(self) -> None:
        first_word = self.text.replace(".", "").split()[0]
        abbreviation = sum(c.isupper() for c in self.text) >= 2 and len(first_word) <= 4
        object.__setattr__(self, "exact_case", abbreviation)
        object.__setattr__(self, "needs_capital", self.text[:1].isupper())
        script = _script(self.text)
        object.__setattr__(self, "spaced", script not in UNSPACED_SCRIPTS)
        object.__setattr__(self, "ends_word", script not in UNSPACED_SCRIPTS | SUFFIXING_SCRIPTS)


@dataclass(frozen=True)
class FalseFriend:
    """Contexts in which a word that names a country means something else (from the data files)."""

    never: bool = False  # never the country in this language ("Columbia" in English)
    name_part: bool = False  # often part of a longer name: not beside another one ("Michael Jordan")
    preceded_by: tuple[str, ...] = ()  # normalised words just before ("new" → "New Mexico")
    followed_by: tuple[str, ...] = ()  # normalised words just after ("post" → "Washington Post")
    paragraph_with: re.Pattern[str] | None = None  # words anywhere in the paragraph ("Atlanta")


@dataclass(frozen=True)
class LanguageData:
    abbreviations: frozenset[str]
    stopwords: frozenset[str]  # justext's frequent words: never a foreign country name
    function_words: frozenset[str]  # never a first name or surname beside a country
    nouns_capitalised: bool  # German: a capitalised word after a name is usually a plain noun
    false_friends: dict[str, FalseFriend]  # lower-cased surface → guard
    false_friend_prefixes: tuple[tuple[str, FalseFriend], ...]  # "amerika*": every inflection


Entry = tuple[int, int, tuple[Form, ...]]


@dataclass(frozen=True)
class Matcher:
    """The compiled automatons; each key's value indexes `entries`: a pickled `Entry` (the length
    of the form's text, whether the key ends with an added space, the forms written that way).
    Entries are unpickled when first hit: all 39,000 of them took 0.3 s to load, at the start of
    every build, and an article hits a few dozen.

    The keys in Latin letters and the others are apart: pyahocorasick scans a node's children one
    by one, and at a word start all keys together have over a thousand (every script's first
    letters), the Latin ones under a hundred. A text in Latin letters, as most are, needs only
    `latin` (five times faster); any other text is searched with both.
    """

    latin: ahocorasick.Automaton
    other: ahocorasick.Automaton
    entries: list[bytes]
    unpacked: dict[int, Entry] = field(default_factory=dict, compare=False, repr=False)

    def entry(self, index: int) -> Entry:
        entry = self.unpacked.get(index)
        if entry is None:
            entry = self.unpacked[index] = pickle.loads(self.entries[index])
        return entry


# --- the contract ----------------------------------------------------------------------------


def find_mentions(title: str, paragraphs: Sequence[str], lang: str | None) -> list[Mention]:
    """Every country mention in the title (paragraph -1) and the paragraphs, in text order."""
    language = _language_key(lang)
    mentions = []
    for index, text in [(-1, title), *enumerate(paragraphs)]:
        hits = _matches(text, language)
        if not hits:
            continue  # most paragraphs name no country: no need to split them into sentences
        last = hits[-1][0]
        offsets, sentences = [], []
        for offset, sentence in _sentences(text, language):
            if offset > last:
                break  # the hits are in text order: no sentence after the last one is needed
            offsets.append(offset)
            sentences.append(sentence)
        for start, end, code in hits:
            found = bisect_right(offsets, start) - 1  # the last sentence starting at or before the hit
            offset, sentence = (offsets[found], sentences[found]) if found >= 0 else (0, text)
            mentions.append(Mention(code, sentence, text[start:end], index, start - offset, end - offset))
    return mentions


def split_roles(mentions: Sequence[Mention], paragraph_count: int) -> tuple[list[str], list[str]]:
    """(about, mentioned), each sorted.

    A country is what the article is *about* when it is named in the title or the lead paragraph
    (where news puts its subject), or in at least ABOUT_MIN_SENTENCES different sentences (a
    subject keeps coming back; one list naming it three times does not make it one). Every other
    country named is only mentioned. `paragraph_count` is part of the contract but not needed.
    """
    del paragraph_count
    sentences: dict[str, set[tuple[int, str]]] = {}
    for mention in mentions:
        sentences.setdefault(mention.country, set()).add((mention.paragraph, mention.sentence))
    prominent = {m.country for m in mentions if m.paragraph <= 0}
    about = {
        code for code, seen in sentences.items() if code in prominent or len(seen) >= ABOUT_MIN_SENTENCES
    }
    return sorted(about), sorted(set(sentences) - about)


def country_name(code: str, locale: str = "en") -> str:
    """The display name from CLDR ("EU" included), in `locale` where CLDR has it."""
    for candidate in (locale, FALLBACK_LANGUAGE):
        try:
            name = Locale.parse(candidate.replace("-", "_")).territories.get(code.upper())
        except (UnknownLocaleError, ValueError, TypeError):
            continue
        if name:
            return name
    return code.upper()


def is_known_code(code: str) -> bool:
    """An ISO 3166-1 alpha-2 code (any case), "XK" (Kosovo, user-assigned but in CLDR) or "EU"."""
    return code.upper() in _known_codes()


@cache
def _known_codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries) | {EU, "XK"}


# --- matching --------------------------------------------------------------------------------

_NON_WORD = re.compile(r"[\W_]")
_NON_WORD_BUT_SPACE = re.compile(r"[^\w ]|_")  # the same but for spaces, which stay spaces anyway
_BEYOND_LATIN = re.compile("[^\x00-\u024f]")  # a letter or digit of another script, once normalised


def _normalise(text: str) -> str:
    """Lower case, every non-alphanumeric character a space; the same length as `text`."""
    lowered = text.lower()
    if len(lowered) != len(text):  # "İ" lowers to two characters
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return _NON_WORD_BUT_SPACE.sub(" ", lowered)


def _matches(text: str, language: str) -> list[tuple[int, int, str]]:
    """(start, end, code) of the accepted hits, without overlaps: the longest wins."""
    normal = _normalise(text)
    matcher = _matcher()
    verdicts = _verdicts(matcher)
    hits = []
    automatons = [matcher.latin, matcher.other] if _BEYOND_LATIN.search(normal) else [matcher.latin]
    padded = f" {normal} "
    for automaton in automatons:
        for last, index in automaton.iter(padded):
            length, trailing_space, forms = matcher.entry(index)
            end = last - trailing_space  # `last` indexes " " + normal: in `text` it is the exclusive end
            start = end - length
            key = (index, text[start:end], language)
            verdict = verdicts.get(key) or _remember(verdicts, key, _verdict(forms, key[1], language))
            code, exact_case, tier, guard = verdict
            if code is None:
                continue
            if (exact_case or tier == FOREIGN or guard) and _ruled_out(
                text, normal, start, end, verdict, language
            ):
                continue
            hits.append((start, end, code))
    accepted, taken_until = [], -1
    for start, end, code in sorted(hits, key=lambda h: (h[0], h[0] - h[1])):
        if start >= taken_until:
            accepted.append((start, end, code))
            taken_until = end
    return accepted


# What a hit's own text says, whatever its context: (its country, or None when no form fits or
# two countries share the name ("Kongo"); whether a fitting form is an abbreviation; the tier of
# the fitting forms; the false-friend guard of the surface).
Verdict = tuple[str | None, bool, int, FalseFriend | None]
VerdictKey = tuple[int, str, str]  # (index of the automaton key, surface, language)
MAX_VERDICTS = 100_000
_verdict_cache: tuple[Matcher | None, dict[VerdictKey, Verdict]] = (None, {})


def _verdicts(matcher: Matcher) -> dict[VerdictKey, Verdict]:
    """The verdicts so far on the hits of `matcher`'s keys (a new matcher starts afresh)."""
    global _verdict_cache
    if _verdict_cache[0] is not matcher:
        _verdict_cache = (matcher, {})
    return _verdict_cache[1]


def _remember(verdicts: dict[VerdictKey, Verdict], key: VerdictKey, verdict: Verdict) -> Verdict:
    if len(verdicts) >= MAX_VERDICTS:
        verdicts.clear()
    verdicts[key] = verdict
    return verdict


def _verdict(forms: tuple[Form, ...], surface: str, language: str) -> Verdict:
    data = _language_data(language)
    candidates, tier = _closest_forms(forms, surface, language, data)
    codes = {form.code for form in candidates}
    if len(codes) != 1:
        return None, False, tier, None
    return codes.pop(), any(form.exact_case for form in candidates), tier, _false_friend(surface, data)


def _ruled_out(text: str, normal: str, start: int, end: int, verdict: Verdict, language: str) -> bool:
    """Does the context rule out a hit whose own text fits a country (`verdict`)?"""
    _, exact_case, tier, guard = verdict
    data = _language_data(language)
    if exact_case and _shouted(text, start, end):
        return True
    if tier == FOREIGN and _beside_a_name(text, start, end, data):
        return True  # a foreign spelling stands alone ("Spania"); beside a name it is a name ("Holan")
    return bool(guard and _rules_out(guard, text, normal, start, end, data))


def _closest_forms(
    forms: tuple[Form, ...], surface: str, language: str, data: LanguageData
) -> tuple[list[Form], int]:
    """The forms that fit the surface, from the tier closest to the article's language, and that tier."""
    best: list[Form] = []
    best_tier = FOREIGN + 1
    for form in forms:
        if not _case_fits(form, surface):
            continue
        tier = _tier(form, surface, language, data)
        if tier is None or tier > best_tier:
            continue
        if tier < best_tier:
            best, best_tier = [], tier
        best.append(form)
    return best, best_tier


def _case_fits(form: Form, surface: str) -> bool:
    if form.exact_case:
        return surface == form.text or _NON_WORD.sub("", surface) == _NON_WORD.sub("", form.text)
    first = surface[:1]
    return not form.needs_capital or first.isupper() or first.lower() == first.upper()


def _tier(form: Form, surface: str, language: str, data: LanguageData) -> int | None:
    if form.language == language:
        return OWN
    if form.language is not None:  # another language's data: only its English news vocabulary travels
        shared = form.language == FALLBACK_LANGUAGE and form.kind in SHARED_ENGLISH_KINDS
        return ENGLISH if shared else None
    if language in form.cldr_languages:
        return OWN
    if form.text.lower() in data.stopwords:  # another language's name that is a common word here ("Man")
        return None
    if FALLBACK_LANGUAGE in form.cldr_languages:
        return ENGLISH
    capitalised = surface[:1].isupper() or surface[:1].lower() == surface[:1].upper()
    return FOREIGN if form.national and len(form.text) >= FOREIGN_NAME_MIN_CHARS and capitalised else None


def _shouted(text: str, start: int, end: int) -> bool:
    """Is the text around the hit written in capitals, so that "US" may be the pronoun?"""
    letters = [c for c in text[max(0, start - 60) : start] + text[end : end + 60] if c.isalpha()]
    return len(letters) >= 4 and sum(map(str.isupper, letters)) >= SHOUTED_SHARE * len(letters)


def _false_friend(surface: str, data: LanguageData) -> FalseFriend | None:
    key = surface.lower()
    guard = data.false_friends.get(key)
    if guard:
        return guard
    return next((g for prefix, g in data.false_friend_prefixes if key.startswith(prefix)), None)


def _rules_out(guard: FalseFriend, text: str, normal: str, start: int, end: int, data: LanguageData) -> bool:
    if guard.never:
        return True
    before = normal[max(0, start - 40) : start].rstrip()
    after = normal[end : end + 40].lstrip()
    if any(before == p or before.endswith(" " + p) for p in guard.preceded_by):
        return True
    if any(after == f or after.startswith(f + " ") for f in guard.followed_by):
        return True
    if guard.paragraph_with and guard.paragraph_with.search(text):
        return True
    return guard.name_part and _beside_a_name(text, start, end, data)


def _beside_a_name(text: str, start: int, end: int, data: LanguageData) -> bool:
    """Is the hit joined by a space to a word that looks like a first name or surname?"""
    before = re.search(r"(\w+)[ \u00a0]$", text[max(0, start - 40) : start])
    after = re.match(r"[ \u00a0](\w+)", text[end : end + 40])
    if before and _looks_like_a_name(before.group(1), data):
        return True
    # In German every noun is capitalised: a capitalised word after the name proves nothing.
    return bool(after and not data.nouns_capitalised and _looks_like_a_name(after.group(1), data))


def _looks_like_a_name(word: str, data: LanguageData) -> bool:
    # Capitalised, with lower-case letters ("Michael", not "EU" or "D.C."), and no function word ("In").
    return (
        len(word) >= 2
        and word[0].isupper()
        and any(c.islower() for c in word[1:])
        and word.lower() not in data.function_words
    )


# --- sentences -------------------------------------------------------------------------------

_BOUNDARY = re.compile(r"[.!?…]+[\"'»”’)\]]*\s+(?=[\"'«“‘(\[]?[^\W\d_]|\d)")
_INITIALS_OR_DAY = re.compile(r"(\w\.)*\w|\d{1,2}")


def _sentences(text: str, language: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) for the sentences of `text`.

    Abbreviations ("u.a.", "Dr."), initials ("U.S."), short capital acronyms ("EE. UU.") and day
    numbers ("28. März") end with a dot but not a sentence.
    """
    abbreviations = _language_data(language).abbreviations
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        words = text[start : boundary.start() + 1].rsplit(maxsplit=1)
        raw_token = words[-1].rstrip(".!?…") if words else ""
        token = raw_token.lower()
        if token in abbreviations or _INITIALS_OR_DAY.fullmatch(token) or _is_acronym(raw_token):
            continue
        piece = text[start : boundary.end()]
        sentence = piece.strip()
        if sentence:  # (offset, sentence) without the spaces around it
            yield start + len(piece) - len(piece.lstrip()), sentence
        start = boundary.end()
    piece = text[start:]
    sentence = piece.strip()
    if sentence:
        yield start + len(piece) - len(piece.lstrip()), sentence


def _is_acronym(token: str) -> bool:
    return 2 <= len(token) <= 3 and token.isalpha() and token.isupper()


# --- language data ---------------------------------------------------------------------------


def _language_key(lang: str | None) -> str:
    """The data key of a language tag ("de-AT" → "de"); no language, or no tag at all: English."""
    key = re.split(r"[-_]", (lang or "").strip().lower())[0]
    return key if key.isalpha() and key.isascii() else FALLBACK_LANGUAGE  # never a path ("../x")


@cache
def _data_languages() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in DATA.glob("*.yaml")))


@cache
def _language_file(language: str) -> dict:
    return read_yaml(DATA / f"{language}.yaml")


@cache
def _language_data(language: str) -> LanguageData:
    data = _language_file(language)
    stopwords = _stopwords(language)
    # English vocabulary is accepted in every language, so are English false friends.
    guards = {**_false_friends(FALLBACK_LANGUAGE), **_false_friends(language)}
    return LanguageData(
        abbreviations=frozenset(a.lower().rstrip(".") for a in data.get("abbreviations", [])),
        stopwords=stopwords,
        # justext's lists hold frequent names too ("michael" in Swedish): the data file's own list is safer.
        function_words=frozenset(w.lower() for w in data.get("function_words", [])) or stopwords,
        nouns_capitalised=bool(data.get("nouns_capitalised", False)),
        false_friends={k: g for k, g in guards.items() if not k.endswith("*")},
        false_friend_prefixes=tuple((k.rstrip("*"), g) for k, g in guards.items() if k.endswith("*")),
    )


def _false_friends(language: str) -> dict[str, FalseFriend]:
    guards = {}
    for word, rule in (_language_file(language).get("false_friends") or {}).items():
        rule = rule or {}
        nearby = rule.get("paragraph_with") or []
        guards[str(word).lower()] = FalseFriend(
            never=bool(rule.get("never", False)),
            name_part=bool(rule.get("name_part", False)),
            preceded_by=tuple(_normalise(w).strip() for w in rule.get("preceded_by", [])),
            followed_by=tuple(_normalise(w).strip() for w in rule.get("followed_by", [])),
            paragraph_with=re.compile(rf"\b(?:{'|'.join(map(re.escape, nearby))})\b") if nearby else None,
        )
    return guards


def _stopwords(language: str) -> frozenset[str]:
    """The language's function words (justext's lists), which are never a name nor a country."""
    import justext

    try:
        name = Locale.parse(language).get_display_name("en").split(" (")[0]
        return frozenset(justext.get_stoplist(name))
    except (ValueError, UnknownLocaleError, TypeError):
        return frozenset()


def expand(entry: str, default_suffixes: Sequence[str]) -> list[str]:
    """`stem|a|b` → [stema, stemb] (`stem||a`: the bare stem too); a plain entry takes the defaults."""
    if "|" in entry:
        stem, *suffixes = entry.split("|")
        return sorted({stem + suffix for suffix in suffixes})
    return sorted({entry + suffix for suffix in default_suffixes})


def inflect(name: str, endings: dict[str, list[str]]) -> list[str]:
    """A name's case forms from `name_endings`: the longest matching ending is replaced ("" appends)."""
    matching = [ending for ending in endings if name.endswith(ending) and " " not in name[-len(ending) - 1 :]]
    if not matching:
        return []
    ending = max(matching, key=len)
    stem = name[: len(name) - len(ending)]
    return [stem + replacement for replacement in endings[ending] if stem + replacement != name]


def _language_forms(language: str) -> Iterator[Form]:
    """The forms of one data file: adjectives, demonyms, names, capitals, EU."""
    data = _language_file(language)
    endings = {str(k or ""): list(v) for k, v in (data.get("name_endings") or {}).items()}
    for kind in ("adjective", "demonym"):
        suffixes = data.get(f"{kind}_suffixes", [""])
        for code, entries in (data.get(f"{kind}s") or {}).items():
            for entry in entries or []:
                for text in expand(entry, suffixes):
                    yield Form(code, text, kind, language)
    for kind in ("name", "capital"):
        for code, entries in (data.get(f"{kind}s") or {}).items():
            for entry in entries or []:
                for text in [entry, *inflect(entry, endings)]:
                    yield Form(code, text, kind, language)
    for entry in data.get("eu") or []:
        yield Form(EU, entry, "eu", language)
    if not endings:
        return
    for name, codes in _cldr_names().items():  # case forms of the language's CLDR names: "Chinas", "Francji"
        if len(codes) == 1 and language in next(iter(codes.values())):
            code = next(iter(codes))
            for text in inflect(name, endings):
                yield Form(code, text, "name", language)


# --- CLDR ------------------------------------------------------------------------------------


@cache
def _cldr_names() -> dict[str, dict[str, frozenset[str]]]:
    """name → code → languages whose CLDR locales write the country (or the EU) that way."""
    codes = _known_codes()
    names: dict[str, dict[str, set[str]]] = {}
    for identifier in localedata.locale_identifiers():
        try:
            locale = Locale.parse(identifier)
        except (ValueError, UnknownLocaleError):
            continue
        conjunction = _conjunction(locale)
        for code, name in locale.territories.items():
            if code not in codes:  # regions ("150"), the eurozone ("EZ"), the UN ("UN") ...
                continue
            for variant in _variants(name, conjunction):
                names.setdefault(variant, {}).setdefault(code, set()).add(locale.language)
    return {
        name: {code: frozenset(langs) for code, langs in by_code.items()} for name, by_code in names.items()
    }


def _conjunction(locale: Locale) -> str | None:
    """The locale's word for "and", from its list pattern ("A and B" → "and")."""
    try:
        words = format_list(["A", "B"], locale=locale).split()
    except (KeyError, ValueError, AttributeError):
        return None
    return words[1] if len(words) == 3 and words[0] == "A" and words[2] == "B" else None


_LEADING_NON_WORD = re.compile(r"^[\W_]+")


@cache
def _variants(name: str, conjunction: str | None) -> frozenset[str]:
    """The CLDR name and how news writes it: "&" spelled out, without a parenthesis."""
    name = _LEADING_NON_WORD.sub("", name)  # "¨China" (Aragonese)
    variants = {name, re.sub(r"\s*\(.*?\)\s*", " ", name).strip()} if "(" in name else {name}
    if conjunction:
        variants |= {v.replace("&", conjunction) for v in variants if "&" in v}
    # Very short names in Latin or Cyrillic ("Cad") are ordinary words; in Han or Hangul ("中国") not.
    return frozenset(v for v in variants if len(v) >= 3 or _script(v) in UNSPACED_SCRIPTS | SUFFIXING_SCRIPTS)


def _national_languages() -> frozenset[str]:
    """Languages official (de jure or de facto) in some country, from CLDR's territory data."""
    return frozenset(
        language.split("_")[0]
        for country in pycountry.countries
        for language in get_official_languages(country.alpha_2, regional=False, de_facto=True)
    )


def _script(text: str) -> str:
    first = text[:1]
    return unicodedata.name(first, "").split(" ")[0] if first else ""


# --- the automaton ---------------------------------------------------------------------------


@cache
def _matcher() -> Matcher:
    """Built once per process; loaded from the pickle cache when babel and the data are unchanged."""
    path = _cache_path()
    if path and path.is_file():
        try:
            with path.open("rb") as file:
                matcher = pickle.load(file)
            os.utime(path)  # marks it as in use (see _remove_stale_caches)
            return matcher
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass  # a damaged or outdated cache is rebuilt
    if path and _build_in_child(path):
        try:
            with path.open("rb") as file:
                return pickle.load(file)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
    matcher = _build_matcher()
    if path:
        _write_cache(path, matcher)
    return matcher


def _build_in_child(path: Path) -> bool:
    """Build and cache the automaton in a short-lived child process: reading every CLDR locale
    takes ~300 MB that would otherwise stay in this process and in every worker forked from it."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    child = multiprocessing.get_context("fork").Process(target=_build_and_cache, args=(path,))
    child.start()
    child.join()
    return child.exitcode == 0 and path.is_file()


def _build_and_cache(path: Path) -> None:
    _write_cache(path, _build_matcher())


def _build_matcher() -> Matcher:
    table: dict[str, dict[Form, None]] = {}  # key → its forms, in insertion order without repeats
    national = _national_languages()
    for name, codes in _cldr_names().items():
        for code, languages in codes.items():
            form = Form(code, name, "name", None, languages, not languages.isdisjoint(national))
            table.setdefault(_key(form), {})[form] = None
    for language in _data_languages():
        for form in _language_forms(language):
            table.setdefault(_key(form), {})[form] = None
    latin, other = (
        ahocorasick.Automaton(ahocorasick.STORE_INTS),
        ahocorasick.Automaton(ahocorasick.STORE_INTS),
    )
    entries = []
    for index, (key, forms) in enumerate(table.items()):
        (other if _BEYOND_LATIN.search(key) else latin).add_word(key, index)
        trailing_space = int(_needs_word_end(next(iter(forms))))
        entry = (len(key) - key.startswith(" ") - trailing_space, trailing_space, tuple(forms))
        entries.append(pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
    latin.make_automaton()
    other.make_automaton()
    return Matcher(latin, other, entries)


def _key(form: Form) -> str:
    # The text is searched as " " + normalised text + " ": a leading space anchors the key at a word
    # start, a trailing one at a word end, so that word prefixes ("mali" in "malicious") never hit.
    key = _normalise(form.text)
    return (" " if form.spaced else "") + key + (" " if _needs_word_end(form) else "")


def _needs_word_end(form: Form) -> bool:
    # A form ending in punctuation ("U.S.") ends a word by itself: its key already ends in a space.
    return form.ends_word and not form.text[-1:].isspace() and _normalise(form.text[-1:]) != " "


def _cache_path() -> Path | None:
    """`$DOSSIER_CACHE_DIR` (empty: no cache), else the project's git-ignored `.dossier-cache/`
    (nothing is written outside the project); the file is named by what it depends on."""
    folder = os.environ.get(CACHE_ENV)
    if folder is None:
        folder = str(Path(__file__).resolve().parents[1] / ".dossier-cache")
    if not folder:
        return None
    digest = hashlib.sha256(f"{babel.__version__}\0{pycountry.__version__}".encode())
    for path in [Path(__file__), *sorted(DATA.glob("*.yaml"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return Path(folder) / f"countries-{digest.hexdigest()[:20]}.pickle"


def _write_cache(path: Path, matcher: Matcher) -> None:
    write_atomically(path, pickle.dumps(matcher, protocol=pickle.HIGHEST_PROTOCOL))
    with contextlib.suppress(OSError):  # a read-only cache folder costs time, not correctness
        _remove_stale_caches(path)


def _remove_stale_caches(current: Path) -> None:
    """Delete the automatons of other versions that no process has used for a day."""
    cutoff = time.time() - STALE_CACHE_SECONDS
    for old in current.parent.glob("countries-*.pickle"):
        if old != current and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
