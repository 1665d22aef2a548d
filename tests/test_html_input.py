"""A saved web page (.html) goes through trafilatura, then the same extract and index stages."""

from __future__ import annotations

import shutil
from pathlib import Path

from dossier.models import PartialDate, SiteConfig
from dossier.pipeline import process_file

FIXTURE = Path(__file__).parent / "fixtures" / "html" / "saved_page.html"


def test_saved_page_becomes_an_article(tmp_path: Path) -> None:
    shutil.copy(FIXTURE, tmp_path / "page.html")
    processed = process_file(tmp_path, tmp_path / "page.html", SiteConfig())
    article = processed.article
    assert article is not None, processed.problems
    assert article.title == "Netzbetreiber prüfen neue Regeln für Antennen"
    assert article.date == PartialDate(2021, 6, 14)
    assert article.source == "https://news.example.org/netz/2021/regeln"
    assert article.lang == "de"
    assert len(article.paragraphs) == 3 and article.paragraphs[0].startswith("Die Bundesregierung in Berlin")
    assert not any("Cookies" in p or "Meistgelesen" in p or "Impressum" in p for p in article.paragraphs)
    assert set(article.countries) == {"BE", "DE", "EU", "FR"}
