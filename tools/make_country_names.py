"""Regenerate dossier/data/countries/cldr_names.json from CLDR (babel).

Every ISO 3166-1 country's name in every CLDR locale, plus the European Union.
Run again after upgrading babel: `python tools/make_country_names.py`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import babel
import pycountry
from babel import Locale, localedata
from lingua import Language

OUT = Path(__file__).resolve().parents[1] / "dossier/data/countries/cldr_names.json"
CODES = {country.alpha_2 for country in pycountry.countries} | {"EU", "XK"}
# Locales of the languages lingua can detect: the languages articles are realistically written in.
# Names from the ~600 other locales add collisions with ordinary words ("End", "Fala") but no articles.
LANGUAGES = {language.iso_code_639_1.name.lower() for language in Language.all()}


def main() -> None:
    names: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # name → code → languages
    for identifier in localedata.locale_identifiers():
        try:
            locale = Locale.parse(identifier)
        except (ValueError, babel.UnknownLocaleError):
            continue
        for code, name in locale.territories.items():
            if code in CODES and len(name) >= 3 and locale.language in LANGUAGES:
                names[name][code].add(locale.language)
    table = {
        name: {code: sorted(languages) for code, languages in sorted(codes.items())}
        for name, codes in sorted(names.items())
    }
    payload = {"babel": babel.__version__, "names": table}
    OUT.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), "utf-8")
    print(f"{len(table)} names written to {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
