"""evaluate: the metric maths, and the scores on the seeds and the dev pages (issue 3's bar)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.evaluate import (
    Counts,
    date_correct,
    evaluate,
    gold_labels,
    justext_content,
    line_counts,
    set_counts,
    title_correct,
)


def test_counts_ratios() -> None:
    counts = Counts(tp=8, fp=2, fn=8)
    assert counts.precision == pytest.approx(0.8)
    assert counts.recall == pytest.approx(0.5)
    assert counts.f1 == pytest.approx(2 * 0.8 * 0.5 / 1.3)


def test_line_counts_and_set_counts() -> None:
    gold = {1: "content", 2: "boilerplate", 3: "content", 4: "metadata"}
    assert line_counts(gold, [1, 2]) == Counts(1, 1, 1)
    assert set_counts(["DE", "FR"], ["DE", "US"]) == Counts(1, 1, 1)


def test_gold_labels_by_number_win_over_text() -> None:
    entry = {"line_labels": {1: "content", 3: "boilerplate"}, "content_lines": ["Same"]}
    assert gold_labels(entry, ["Same", "", "Same"]) == {1: "content", 3: "boilerplate"}
    by_text = {"content_lines": ["Body text"], "boilerplate_lines": ["Menu"]}
    assert gold_labels(by_text, ["Menu", "Body text", ""]) == {1: "boilerplate", 2: "content"}


def test_title_rules() -> None:
    assert title_correct("A  headline", False, "A headline")
    assert not title_correct("Another", False, "A headline")
    assert title_correct("Made from the lead", True, None)
    assert not title_correct("Menu", False, None)


def test_date_rules() -> None:
    assert date_correct("2019-01", "2019-01")
    assert not date_correct("2019-01-31", "2019-01")  # more precise than the text says is wrong too
    assert date_correct(None, None)
    assert not date_correct("2019", None)
    assert date_correct("2019", 2019)  # YAML reads a bare year as a number


def test_justext_baseline_maps_paragraphs_back_to_line_numbers() -> None:
    paragraph = (
        "The council voted on the budget late on Thursday evening, after the members had discussed "
        "the proposal for several hours and the finance officer had answered all of their questions "
        "about the new harbour, the schools and the roads in the north of the town."
    )
    assert justext_content(["Menu", "", paragraph, "", "Home"], "en") == [3]
    assert justext_content(["Menu"], "xx") == []  # no stop list: nothing is content


def test_empty_counts_score_as_perfect() -> None:
    assert Counts().precision == Counts().recall == Counts().f1 == 1.0


def test_seeds_meet_the_bar(shared_dir: Path) -> None:
    report = evaluate(shared_dir / "seeds_gold.yaml", shared_dir / "seeds", baseline="justext")
    assert report.total("lines").f1 >= 0.98
    assert report.accuracy("title_ok") == (5, 5)
    assert report.accuracy("date_ok") == (5, 5)
    assert report.total("countries").f1 >= 0.95
    assert report.total("baseline").f1 == pytest.approx(0.786, abs=0.01)  # jusText, as the issue measured


def test_dev_articles_meet_the_bar(shared_dir: Path) -> None:
    folder = shared_dir / "dev_articles"
    report = evaluate(folder / "gold.yaml", folder / "raw")
    assert report.total("lines").f1 >= 0.70
    assert report.total("countries") is None  # not labelled there
