"""countries: names, inflected adjectives, demonyms, capitals, the EU and false friends
in ten languages (our own suite), the seeds against their gold, and the data files."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from dossier import countries

SUITE = Path(__file__).parent / "fixtures" / "country_suite"
CLDR_TOOL = Path(__file__).resolve().parents[1] / "tools" / "make_cldr_names.py"
LANGUAGES = ["en", "de", "fr", "nl", "es", "it", "pl", "pt", "cs", "sv"]


def _cases(lang: str) -> list[tuple[str, list[str]]]:
    return [
        (case["text"], case["expect"]) for case in yaml.safe_load((SUITE / f"{lang}.yaml").read_text("utf-8"))
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_country_suite(lang: str) -> None:
    failures = []
    for text, expected in _cases(lang):
        found = sorted({m.country for m in countries.find_mentions("", [text], lang)})
        if found != sorted(expected):
            failures.append(f"{text!r}: found {found}, expected {sorted(expected)}")
    assert not failures, "\n".join(failures)


def test_suite_is_substantial() -> None:
    for lang in LANGUAGES:
        cases = _cases(lang)
        assert len(cases) >= 10, lang
        assert any(not expected for _, expected in cases), f"{lang}: no false-friend case"
        assert any("EU" in expected for _, expected in cases), f"{lang}: no EU case"


def test_seeds_countries_against_gold(shared_dir: Path, seeds_gold: dict[str, dict]) -> None:
    found_total = gold_total = both = 0
    for name, gold in seeds_gold.items():
        lines = [
            line for line in (shared_dir / "seeds" / name).read_text("utf-8").split("\n") if line.strip()
        ]
        found = {m.country for m in countries.find_mentions("", lines, gold["language"])}
        found_total, gold_total = found_total + len(found), gold_total + len(gold["countries"])
        both += len(found & set(gold["countries"]))
    f1 = 2 * both / (found_total + gold_total)
    assert f1 >= 0.95


def test_mentions_carry_their_sentence_and_offsets() -> None:
    paragraph = "Die Lage ist ruhig. Die britische Regierung, u.a. das Ministerium, prüft den Fall."
    (mention,) = countries.find_mentions("", [paragraph], "de")
    assert mention.sentence == "Die britische Regierung, u.a. das Ministerium, prüft den Fall."
    assert mention.sentence[mention.start : mention.end] == mention.surface == "britische"
    assert mention.paragraph == 0


def test_abbreviations_and_initials_do_not_end_a_sentence() -> None:
    paragraph = "Dr. Smith met the U.S. ambassador on Monday. Then he flew to Oslo."
    us, norway = countries.find_mentions("Talks in Seoul", [paragraph], "en")[1:]
    assert us.sentence == "Dr. Smith met the U.S. ambassador on Monday." and us.surface == "U.S."
    assert norway.sentence == "Then he flew to Oslo." and norway.paragraph == 0
    (title,) = countries.find_mentions("Talks in Seoul", [], "en")
    assert (title.country, title.paragraph, title.sentence) == ("KR", -1, "Talks in Seoul")


def test_language_tags_and_unknown_languages() -> None:
    assert [m.country for m in countries.find_mentions("", ["Die britische Regierung."], "de-AT")] == ["GB"]
    assert countries._language_key("../../etc/x") == countries._language_key(None) == "en"
    # No data file for Russian: CLDR's Russian names still count (the automaton beyond Latin letters).
    assert [m.country for m in countries.find_mentions("", ["Россия и Китай."], "ru")] == ["RU", "CN"]


def test_automaton_is_cached_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = countries._matcher()
    builds = []

    def build() -> countries.Matcher:
        builds.append(built)
        return built

    monkeypatch.setenv(countries.CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(countries, "_build_matcher", build)
    try:
        countries._matcher.cache_clear()
        countries._matcher()  # built, then written
        countries._matcher.cache_clear()
        loaded = countries._matcher()  # read back
    finally:
        countries._matcher.cache_clear()
    assert len(builds) == 1 and len(list(tmp_path.glob("countries-*.pickle"))) == 1
    assert loaded.keys == built.keys and loaded.forms == built.forms


def test_automaton_beyond_latin_letters_is_built_when_first_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    matcher = countries._build_matcher()
    monkeypatch.setattr(countries, "_matcher", lambda: matcher)
    assert [m.country for m in countries.find_mentions("", ["France."], "en")] == ["FR"]
    assert "other" not in vars(matcher)
    assert [m.country for m in countries.find_mentions("", ["Россия."], "ru")] == ["RU"]
    assert "other" in vars(matcher)


def test_roles_about_and_mentioned() -> None:
    mentions = countries.find_mentions(
        "Berlin bans the supplier",
        [
            "The minister spoke on Monday.",
            "The decision follows France. Spain waited. Spain hesitated.",
            "Spain decided. Italy, Italy and Italy said nothing.",
        ],
        "en",
    )
    about, mentioned = countries.split_roles(mentions, 3)
    # Title → DE; three sentences → ES; one list naming Italy three times is still one sentence.
    assert about == ["DE", "ES"] and mentioned == ["FR", "IT"]


def test_roles_lead_paragraph_is_about() -> None:
    mentions = countries.find_mentions("", ["Dutch operators test the kit.", "Norway waits."], "en")
    assert countries.split_roles(mentions, 2) == (["NL"], ["NO"])


def test_names_and_codes() -> None:
    assert countries.country_name("DE", "en") == "Germany"
    assert countries.country_name("DE", "fr") == "Allemagne"
    assert countries.country_name("EU", "en") == "European Union"
    assert (
        countries.is_known_code("EU") and countries.is_known_code("nl") and not countries.is_known_code("XX")
    )


def test_data_files_use_known_codes_only() -> None:
    for path in sorted(countries.DATA.glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        for section in ("adjectives", "demonyms", "names", "capitals"):
            for code in data.get(section) or {}:
                assert isinstance(code, str) and countries.is_known_code(code), (
                    f"{path.name}: {section} {code!r}"
                )


def _cldr_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_cldr_names", CLDR_TOOL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cldr_file_is_what_babel_gives() -> None:
    """The shipped CLDR names are the installed babel's (after upgrading it: run the tool)."""
    tool = _cldr_tool()
    assert countries.CLDR_FILE.read_text("utf-8") == tool.dumps(tool.cldr_data())


def test_normalising_latin1_by_table_is_normalising_by_pattern() -> None:
    texts = [chr(code) for code in range(256)] + ["Die US-Regierung_(2019): „Huawei“ – l'UE, São Tomé"]
    for text in texts:
        assert countries._normalise(text) == countries._spaced(text.lower()), repr(text)
