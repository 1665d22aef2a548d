"""pipeline: the per-article cache and incremental rebuilds."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from dossier import pipeline, render
from dossier.models import SiteConfig
from dossier.pipeline import BuildOptions, build

PROJECT = Path(__file__).resolve().parents[1]
ARTICLE = """---
title: {title}
date: 2020-02-02
---
The government in Berlin said on Monday that German operators may keep using the equipment.

Officials in Paris answered that France would decide on its own rules later this year.
"""


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content" / "articles"
    folder.mkdir(parents=True)
    for number in range(4):
        (folder / f"a{number}.md").write_text(ARTICLE.format(title=f"Article number {number}"), "utf-8")
    return folder.parent


def _options(content: Path, tmp_path: Path) -> BuildOptions:
    return BuildOptions(
        content=content,
        out=tmp_path / "dist",
        templates=PROJECT / "site_templates",
        cache_dir=tmp_path / "cache",
        search=False,
    )


def test_second_build_reuses_everything(content: Path, tmp_path: Path) -> None:
    first = build(_options(content, tmp_path))
    second = build(_options(content, tmp_path))
    assert first.reprocessed == 4 and second.reprocessed == 0
    assert second.changed == 0 and second.articles == 4


def test_one_changed_article_is_the_only_one_reprocessed(content: Path, tmp_path: Path) -> None:
    build(_options(content, tmp_path))
    kept = [
        "articles/article-number-0/index.html",
        "articles/article-number-1/index.html",
        "404.html",
        "assets/style.css",
    ]
    before = {path: (tmp_path / "dist" / path).stat().st_ino for path in kept}
    (content / "articles/a3.md").write_text(ARTICLE.format(title="A new title"), "utf-8")
    report = build(_options(content, tmp_path))
    assert report.reprocessed == 1
    assert (tmp_path / "dist/articles/a-new-title/index.html").is_file()
    assert not (tmp_path / "dist/articles/article-number-3").exists()
    # Pages whose inputs did not change (a0 and a1: their timeline neighbours are not a3) keep
    # their files: hard links to the previous build's. The rest is the new page, its neighbour
    # a2, and the pages listing every article (home, timelines, feeds, sitemap, JSON).
    assert {path: (tmp_path / "dist" / path).stat().st_ino for path in kept} == before
    assert report.changed == 11


@pytest.fixture
def early_pools(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The pool (or None) that each build from now on got from `_early_worker`, with the files
    handed to it (`pool.handed`) and how often it was ended (`pool.ended`)."""
    pools: list[Any] = []
    early_worker = pipeline._early_worker

    @contextmanager
    def spied(*args: Any, **kwargs: Any) -> Iterator[Any]:
        with early_worker(*args, **kwargs) as pool:
            pools.append(pool)
            if pool is not None:
                imap, terminate = pool.imap, pool.terminate
                pool.handed, pool.ended = [], []
                monkeypatch.setattr(
                    pool, "imap", lambda task, misses: pool.handed.extend(misses) or imap(task, misses)
                )
                monkeypatch.setattr(pool, "terminate", lambda: pool.ended.append(True) or terminate())
            yield pool

    monkeypatch.setattr(pipeline, "_early_worker", spied)
    return pools


def _build_then_edit(content: Path, tmp_path: Path) -> None:
    """A first build, then a sentence added to a2's text."""
    build(_options(content, tmp_path))
    edited = content / "articles/a2.md"
    edited.write_text(edited.read_text("utf-8") + "\nThe talks go on next week.\n", "utf-8")


def _one_shot(content: Path, tmp_path: Path) -> BuildOptions:
    return dataclasses.replace(_options(content, tmp_path), one_shot=True)  # as the command line's


def _assert_as_fresh(content: Path, tmp_path: Path) -> None:
    fresh = BuildOptions(
        content=content, out=tmp_path / "fresh", templates=PROJECT / "site_templates", search=False
    )
    build(fresh)
    assert _site_files(tmp_path / "dist") == _site_files(tmp_path / "fresh")


def test_a_one_shot_rebuild_hands_its_few_files_to_a_worker_started_early(
    content: Path, tmp_path: Path, early_pools: list[Any]
) -> None:
    _build_then_edit(content, tmp_path)
    report = build(_one_shot(content, tmp_path))
    # All four are handed over: written in the first build's clock tick, their stamps are not
    # trusted (`RACY_SECONDS`); the worker finds three in the cache and processes the edited one.
    pool = early_pools[-1]
    assert report.reprocessed == 1 and sorted(file for file, _ in pool.handed) == [
        f"articles/a{n}.md" for n in range(4)
    ]
    _assert_as_fresh(content, tmp_path)


def test_a_long_lived_process_processes_a_rebuilds_files_itself(
    content: Path, tmp_path: Path, early_pools: list[Any]
) -> None:
    """The preview server: its rebuilds must not fork its big heap for a worker that loads the
    models again each time (they grew to 1.4 s an edit at 10,000 articles when they did)."""
    _build_then_edit(content, tmp_path)
    assert build(_options(content, tmp_path)).reprocessed == 1
    assert early_pools == [None, None]


def test_a_rebuild_with_more_files_than_the_early_worker_takes_ends_it_and_uses_the_pool(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, early_pools: list[Any]
) -> None:
    build(_options(content, tmp_path))
    for number in range(4):
        edited = content / f"articles/a{number}.md"
        edited.write_text(edited.read_text("utf-8") + f"\nMore news, number {number}.\n", "utf-8")
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 2)  # four files: the pool's work
    report = build(_one_shot(content, tmp_path))
    pool = early_pools[-1]
    assert report.reprocessed == 4 and pool.handed == []
    assert pool.ended == [True, True]  # ended before the pool started, and again at the end
    _assert_as_fresh(content, tmp_path)


def test_changed_language_data_reprocesses_the_articles(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "package"
    shutil.copytree(pipeline.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(pipeline, "PACKAGE_DIR", package)
    build(_options(content, tmp_path))
    data_file = next(path for path in sorted((package / "data").rglob("*.yaml")))
    data_file.write_text(data_file.read_text("utf-8") + "\n# changed\n", "utf-8")
    pipeline.code_version.cache_clear()
    report = build(_options(content, tmp_path))
    assert report.reprocessed == 4


def test_no_cache_processes_everything(content: Path, tmp_path: Path) -> None:
    build(_options(content, tmp_path))
    options = _options(content, tmp_path)
    options.cache_dir = None
    assert build(options).reprocessed == 4


def _site_files(out: Path) -> dict[str, bytes]:
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.name != ".dossier-output"
    }


@pytest.fixture
def planned(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The `Edits` (or None) of every renderer made from now on."""
    made: list[object] = []
    original = render.Renderer.__init__

    def spy(self: object, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        made.append(self.edits)  # type: ignore[attr-defined]

    monkeypatch.setattr(render.Renderer, "__init__", spy)
    return made


def test_a_text_edit_builds_what_a_fresh_build_would(
    content: Path, tmp_path: Path, planned: list[object]
) -> None:
    _build_then_edit(content, tmp_path)
    (tmp_path / "dist/articles/article-number-0/index.html").unlink()  # made again, neighbours and all
    report = build(_options(content, tmp_path))
    edits = planned[-1]
    assert isinstance(edits, render.Edits) and edits.slugs == {"article-number-2"}
    assert report.reprocessed == 1
    fresh = BuildOptions(
        content=content, out=tmp_path / "fresh", templates=PROJECT / "site_templates", search=False
    )
    build(fresh)
    assert _site_files(tmp_path / "dist") == _site_files(tmp_path / "fresh")  # manifest keys included


def test_a_text_edit_in_a_build_that_writes_a_new_folder_keeps_the_pages_it_does_not_reach(
    content: Path, tmp_path: Path, planned: list[object]
) -> None:
    _build_then_edit(content, tmp_path)
    kept = tmp_path / "dist/articles/article-number-0/index.html"
    inode = kept.stat().st_ino
    finished: list[Path] = []  # a hook on the staged site (as the search index) needs a new folder
    build(dataclasses.replace(_options(content, tmp_path), after_render=finished.append))
    assert isinstance(planned[-1], render.Edits) and finished
    assert kept.stat().st_ino == inode  # a hard link to the previous build's file
    fresh = BuildOptions(
        content=content, out=tmp_path / "fresh", templates=PROJECT / "site_templates", search=False
    )
    build(fresh)
    assert _site_files(tmp_path / "dist") == _site_files(tmp_path / "fresh")


def test_an_article_leaving_a_timeline_builds_what_a_fresh_build_would(
    content: Path, tmp_path: Path, planned: list[object]
) -> None:
    build(_options(content, tmp_path))
    edited = content / "articles/a1.md"
    lines = ARTICLE.format(title="Article number 1").splitlines(keepends=True)
    edited.write_text("".join(line for line in lines if "Berlin" not in line), "utf-8")  # Germany left
    build(_options(content, tmp_path))
    edits = planned[-1]
    assert isinstance(edits, render.Edits) and edits.countries_before == {"article-number-1": ("DE", "FR")}
    assert "Germany" not in (tmp_path / "dist/articles/article-number-1/index.html").read_text("utf-8")
    fresh = BuildOptions(
        content=content, out=tmp_path / "fresh", templates=PROJECT / "site_templates", search=False
    )
    build(fresh)
    assert _site_files(tmp_path / "dist") == _site_files(tmp_path / "fresh")


def test_a_new_title_is_no_text_edit(content: Path, tmp_path: Path, planned: list[object]) -> None:
    build(_options(content, tmp_path))
    (content / "articles/a2.md").write_text(ARTICLE.format(title="Renamed"), "utf-8")
    build(_options(content, tmp_path))
    assert planned[-1] is None


def test_the_build_state_keeps_every_field_of_a_summary(content: Path, tmp_path: Path) -> None:
    options = _options(content, tmp_path)
    build(options)
    item = pipeline.process_file(content, content / "articles/a1.md", SiteConfig())
    assert item.article is not None
    summary = item.article.without_body(lambda: item.article)  # type: ignore[arg-type,return-value]
    task = pipeline._task(options, ())
    unpacked = task.unpack("key", pipeline._pack(pipeline.Processed(item.file, summary, item.problems)), {})
    assert unpacked.article is not None and unpacked.problems == item.problems
    kept = {name: value for name, value in unpacked.article.__dict__.items() if name != "_load_body"}
    assert kept == {name: value for name, value in summary.__dict__.items() if name != "_load_body"}
