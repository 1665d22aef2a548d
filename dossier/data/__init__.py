"""Language data: YAML files, one per language, that the cleaner and the country finder read;
and jusText's stop lists, which both use."""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import yaml

# libyaml's parser where PyYAML has it: in pure Python the files took 0.2 s to parse, at the
# start of every build.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> dict:
    """The mapping a data file holds; {} for a missing file or one that holds no mapping."""
    if not path.is_file():
        return {}
    data = yaml.load(path.read_text("utf-8"), Loader=_LOADER)
    return data if isinstance(data, dict) else {}


@cache
def justext_stoplists() -> dict[str, Path]:
    """jusText's stop lists by name ("German"), read from its package folder: importing jusText
    itself brings in lxml and its HTML parser, a quarter of a second that neither reader needs."""
    spec = importlib.util.find_spec("justext")
    folders = spec.submodule_search_locations if spec else None
    if not folders:
        return {}
    return {path.stem: path for path in (Path(folders[0]) / "stoplists").glob("*.txt")}


@cache
def justext_stoplist(name: str) -> frozenset[str]:
    """The words of one of them, lower-cased as `justext.get_stoplist` gives them (empty if none)."""
    path = justext_stoplists().get(name)
    return (
        frozenset(word.decode("utf-8").lower() for word in path.read_bytes().splitlines())
        if path
        else frozenset()
    )


def stoplist_for(lang: str, named: str | None = None) -> frozenset[str]:
    """jusText's stop list for an ISO 639-1 code: named in the language file (`stoplist`), else
    found by the language's English name ("nb" → "Norwegian Bokmål" → "Norwegian_Bokmal")."""
    available = {_plain(name): name for name in justext_stoplists()}
    for candidate in itertools.chain([named], _english_names(lang)):
        if not candidate:
            continue
        key = _plain(candidate)
        found = available.get(key) or next((n for k, n in available.items() if k.endswith("_" + key)), None)
        if found:
            return justext_stoplist(found)
    return frozenset()


def _english_names(lang: str) -> Iterator[str]:
    """lingua's name of the language, then CLDR's (asked only if lingua's finds no list: it loads
    babel's English locale data, 0.14 s; for the 75 languages lingua knows, the two find the same
    list, and lingua keeps names where CLDR renamed a language, "Bangla" for Bengali)."""
    from lingua import IsoCode639_1, Language

    code = getattr(IsoCode639_1, lang.upper(), None)
    if code is not None:
        yield Language.from_iso_code_639_1(code).name
    from babel import Locale, UnknownLocaleError

    with contextlib.suppress(ValueError, UnknownLocaleError, TypeError):
        yield (Locale.parse(lang).get_display_name("en") or "").split(" (")[0]


def _plain(name: str) -> str:
    """ "Norwegian Bokmål" and "Norwegian_Bokmal" alike: lower case, no accents, underscores."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().replace(" ", "_")
