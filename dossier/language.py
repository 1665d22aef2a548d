"""Which language an article is written in (lingua, loaded once per process)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

# Shorter texts give lingua too little to go on; such articles stay "unknown" unless
# front matter says otherwise.
MIN_CHARS = 20
# lingua reads a text of 120 letters or more by its trigrams alone, in high and in low accuracy mode
# (lingua-rs `compute_language_confidence_values`): there the low-accuracy detector gives the same
# answer. It never loads the 1- to 5-gram models that shorter texts need in high accuracy mode (a
# second and 140 MB), so only an article with a short sample loads them. The letters are counted
# here with a margin, as lingua counts them after its own lower-casing and with its Unicode tables.
LOW_ACCURACY_MIN_LETTERS = 150


@lru_cache(maxsize=16)
def _detector(candidates: tuple[str, ...], low_accuracy: bool = False) -> LanguageDetector:
    if candidates:
        languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in candidates]
        if len(languages) == 1:  # lingua needs two to choose between
            languages.append(Language.ENGLISH)
        builder = LanguageDetectorBuilder.from_languages(*languages)
        return builder.with_low_accuracy_mode().build() if low_accuracy else builder.build()
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def supported(code: str) -> bool:
    return hasattr(IsoCode639_1, code.upper())


def detect_language(text: str, candidates: Iterable[str] = ()) -> str | None:
    """ISO 639-1 code of `text`'s language, among `candidates` if any are given."""
    if len(text.strip()) < MIN_CHARS:
        return None
    known = tuple(sorted({c.lower() for c in candidates if supported(c)}))
    # Lone surrogates (broken scraped text) crash lingua's Rust side: replace them first.
    text = text.encode("utf-8", "replace").decode("utf-8")
    long_text = (
        len(text) >= LOW_ACCURACY_MIN_LETTERS and sum(map(str.isalpha, text)) >= LOW_ACCURACY_MIN_LETTERS
    )
    found = _detector(known, bool(known) and long_text).detect_language_of(text)
    return found.iso_code_639_1.name.lower() if found else None
