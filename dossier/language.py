"""Which language an article is written in (lingua, loaded once per process)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

# Shorter texts give lingua too little to go on; such articles stay "unknown" unless
# front matter says otherwise.
MIN_CHARS = 20


@lru_cache(maxsize=8)
def _detector(candidates: tuple[str, ...]) -> LanguageDetector:
    if candidates:
        languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in candidates]
        if len(languages) == 1:  # lingua needs two to choose between
            return LanguageDetectorBuilder.from_languages(*languages, Language.ENGLISH).build()
        return LanguageDetectorBuilder.from_languages(*languages).build()
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
    found = _detector(known).detect_language_of(text)
    return found.iso_code_639_1.name.lower() if found else None
