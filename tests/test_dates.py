"""dates: explicit dates in text, at their precision, in any CLDR language."""

from __future__ import annotations

import pytest

from dossier.dates import find_date
from dossier.models import PartialDate


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Berlin, 28. März 2019 – Die Regierung", "de", PartialDate(2019, 3, 28)),
        ("Published March 28, 2019", "en", PartialDate(2019, 3, 28)),
        ("le 3 mars 2019", "fr", PartialDate(2019, 3, 3)),
        ("op 12 januari 2020", "nl", PartialDate(2020, 1, 12)),
        ("el 5 de mayo de 2018", "es", PartialDate(2018, 5, 5)),
        ("2019-03-28T10:00:00", "en", PartialDate(2019, 3, 28)),
        ("28.03.2019", "de", PartialDate(2019, 3, 28)),
        ("im Juli 2019", "de", PartialDate(2019, 7)),
    ],
)
def test_explicit_dates(text: str, lang: str, expected: PartialDate) -> None:
    assert find_date(text, lang) == expected


@pytest.mark.parametrize(
    "text", ["in juli vond", "Donderdag schreef", "31.02.2019", "gestern", "in 2019 or so"]
)
def test_no_date_where_none_is_explicit(text: str) -> None:
    assert find_date(text, "nl") is None


def test_partial_date_iso_and_parse() -> None:
    for text in ["2019", "2019-01", "2019-01-31"]:
        assert PartialDate.parse_iso(text).iso() == text
    for bad in ["yesterday", "2019-13", "2019-02-30", ""]:
        with pytest.raises(ValueError):
            PartialDate.parse_iso(bad)
