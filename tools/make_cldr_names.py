"""Regenerate dossier/data/countries/cldr.json: what the country matcher takes from CLDR.

    python tools/make_cldr_names.py

Reads every locale babel has: each country's (and the EU's) territory name, with the variants
news writes ("&" spelled out in the locale's word for "and", a parenthesis dropped), and the
languages that are official somewhere. Run it after upgrading babel; `tests/test_countries.py`
checks that the file matches the installed babel. Reading all ~1,100 locales takes ~4 s, which
every cold build paid when the matcher read them at run time.

The file is JSON, one name a line: `names` maps each name to {code: "languages"}, the languages
(space-separated, sorted) whose locales write that country that way, in babel's locale order.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import babel
import pycountry
from babel import Locale, UnknownLocaleError, localedata
from babel.core import get_cldr_version
from babel.languages import get_official_languages
from babel.lists import format_list

# The project this script is in, not whichever copy of it is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dossier import countries

OUT = countries.CLDR_FILE
_LEADING_NON_WORD = re.compile(r"^[\W_]+")
# Scripts in which a name of one or two characters is still a name ("中国" is two).
SHORT_NAMES_SCRIPTS = countries.UNSPACED_SCRIPTS | countries.SUFFIXING_SCRIPTS


def cldr_data() -> dict:
    """The file's content, from the installed babel."""
    return {
        "babel": babel.__version__,
        "cldr": get_cldr_version(),
        "national_languages": " ".join(sorted(national_languages())),
        "names": {
            name: {code: " ".join(sorted(languages)) for code, languages in by_code.items()}
            for name, by_code in names().items()
        },
    }


def names() -> dict[str, dict[str, set[str]]]:
    """name → code → languages whose CLDR locales write the country (or the EU) that way."""
    codes = countries._known_codes()
    found: dict[str, dict[str, set[str]]] = {}
    for identifier in localedata.locale_identifiers():
        try:
            locale = Locale.parse(identifier)
        except (ValueError, UnknownLocaleError):
            continue
        conjunction = _conjunction(locale)
        for code, name in locale.territories.items():
            if code not in codes:  # regions ("150"), the eurozone ("EZ"), the UN ("UN") ...
                continue
            for variant in sorted(_variants(name, conjunction)):
                found.setdefault(variant, {}).setdefault(code, set()).add(locale.language)
    return found


def _conjunction(locale: Locale) -> str | None:
    """The locale's word for "and", from its list pattern ("A and B" → "and")."""
    try:
        words = format_list(["A", "B"], locale=locale).split()
    except (KeyError, ValueError, AttributeError):
        return None
    return words[1] if len(words) == 3 and words[0] == "A" and words[2] == "B" else None


def _variants(name: str, conjunction: str | None) -> set[str]:
    """The CLDR name and how news writes it: "&" spelled out, without a parenthesis."""
    name = _LEADING_NON_WORD.sub("", name)  # "¨China" (Aragonese)
    variants = {name, re.sub(r"\s*\(.*?\)\s*", " ", name).strip()} if "(" in name else {name}
    if conjunction:
        variants |= {v.replace("&", conjunction) for v in variants if "&" in v}
    # Very short names in Latin or Cyrillic ("Cad") are ordinary words; in Han or Hangul ("中国") not.
    return {v for v in variants if len(v) >= 3 or countries._script(v) in SHORT_NAMES_SCRIPTS}


def national_languages() -> set[str]:
    """Languages official (de jure or de facto) in some country, from CLDR's territory data."""
    return {
        language.split("_")[0]
        for country in pycountry.countries
        for language in get_official_languages(country.alpha_2, regional=False, de_facto=True)
    }


def dumps(data: dict) -> str:
    """JSON with one name a line, so that a babel upgrade shows as a readable diff."""
    head = {key: value for key, value in data.items() if key != "names"}
    opening = json.dumps(head, ensure_ascii=False)[:-1] + ', "names": {\n'
    entries = [
        f"{json.dumps(name, ensure_ascii=False)}: {json.dumps(by_code)}"
        for name, by_code in data["names"].items()
    ]
    return opening + ",\n".join(entries) + "\n}}\n"


if __name__ == "__main__":
    OUT.write_text(dumps(cldr_data()), "utf-8")
    print(f"wrote {OUT} (babel {babel.__version__}, CLDR {get_cldr_version()})")
