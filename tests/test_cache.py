"""cache: what a build remembers, and the rebuild that finds nothing to do."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from dossier import cache, load, pipeline
from dossier.cache import ARTICLES_DB, BuildState, Cache, FileStamp, LaneStore, tree_stamps
from dossier.pipeline import BuildFailed, BuildOptions, build

PROJECT = Path(__file__).resolve().parents[1]
ARTICLE = "---\ntitle: {title}\n---\nThe government in Berlin said that German operators may keep it.\n"
AN_HOUR_AGO = time.time() - 3600


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content" / "articles"
    folder.mkdir(parents=True)
    for number in range(3):
        _write(folder / f"a{number}.md", ARTICLE.format(title=f"Article number {number}"))
    return folder.parent


def _write(path: Path, text: str, when: float = AN_HOUR_AGO) -> None:
    """Content edited long enough ago that its modification time can be trusted."""
    path.write_text(text, "utf-8")
    os.utime(path, (when, when))


def _options(content: Path, tmp_path: Path, **changes: object) -> BuildOptions:
    options = BuildOptions(
        content=content,
        out=tmp_path / "dist",
        templates=PROJECT / "site_templates",
        cache_dir=tmp_path / "cache",
        search=False,
    )
    for name, value in changes.items():
        setattr(options, name, value)
    return options


def _forbid_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: Path, file: str) -> None:
        raise AssertionError(f"{file} was read")

    monkeypatch.setattr(load, "read_content", refuse)


def test_a_rebuild_with_nothing_changed_reads_no_content_file(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = build(_options(content, tmp_path))
    _forbid_reading(monkeypatch)
    second = build(_options(content, tmp_path))
    assert first.reprocessed == 3
    assert (second.reprocessed, second.changed, second.articles, second.pages) == (0, 0, 3, first.pages)
    assert "render+write" not in second.timings  # it stopped after comparing the stamps


def test_an_unchanged_file_is_not_read_when_another_changed(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(_options(content, tmp_path))
    _write(content / "articles/a1.md", ARTICLE.format(title="A new title for this one"))
    read = []
    real = load.read_content
    monkeypatch.setattr(load, "read_content", lambda path, file: read.append(file) or real(path, file))
    report = build(_options(content, tmp_path))
    assert read == ["articles/a1.md"] and report.reprocessed == 1
    assert (tmp_path / "dist/articles/a-new-title-for-this-one/index.html").is_file()


def test_a_file_edited_in_the_same_second_as_the_build_is_read_again(content: Path, tmp_path: Path) -> None:
    now = time.time()
    _write(content / "articles/a2.md", ARTICLE.format(title="Written just now"), when=now)
    build(_options(content, tmp_path))
    # Same size and the same modification time: only the racy-time rule notices the new bytes.
    _write(content / "articles/a2.md", ARTICLE.format(title="Written just wow"), when=now)
    report = build(_options(content, tmp_path))
    assert report.reprocessed == 1
    assert (tmp_path / "dist/articles/written-just-wow/index.html").is_file()


def test_a_missing_output_page_is_written_again(content: Path, tmp_path: Path) -> None:
    build(_options(content, tmp_path))
    (tmp_path / "dist/articles/article-number-0/index.html").unlink()
    report = build(_options(content, tmp_path))
    assert report.reprocessed == 0 and report.changed == 1
    assert (tmp_path / "dist/articles/article-number-0/index.html").is_file()


def test_a_template_change_rerenders_without_reprocessing(content: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(PROJECT / "site_templates", templates)
    build(_options(content, tmp_path, templates=templates))
    (templates / "robots.txt").write_text((templates / "robots.txt").read_text() + "\n# edited\n")
    report = build(_options(content, tmp_path, templates=templates))
    assert report.reprocessed == 0 and report.changed >= 1
    assert "edited" in (tmp_path / "dist/robots.txt").read_text()


def test_changed_code_reprocesses_every_article(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(_options(content, tmp_path))
    monkeypatch.setattr(pipeline, "code_version", lambda package_dir=None: "another version")
    monkeypatch.setattr(pipeline, "site_code_version", lambda package_dir=None: "another version")
    assert build(_options(content, tmp_path)).reprocessed == 3


def test_a_rebuild_with_nothing_changed_repeats_the_problems_and_strict_still_fails(
    content: Path, tmp_path: Path
) -> None:
    _write(content / "articles/empty.md", "")
    first = build(_options(content, tmp_path))
    second = build(_options(content, tmp_path))
    assert [str(p) for p in second.problems] == [str(p) for p in first.problems] != []
    with pytest.raises(BuildFailed):
        build(_options(content, tmp_path, strict=True))


def test_a_damaged_state_file_means_a_full_check(content: Path, tmp_path: Path) -> None:
    build(_options(content, tmp_path))
    for state in (tmp_path / "cache/builds").iterdir():
        state.write_bytes(b"not a pickle")
    report = build(_options(content, tmp_path))
    assert report.reprocessed == 0 and "render+write" in report.timings


def test_a_build_that_changed_few_files_saves_only_those_on_top_of_the_files_part(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(_options(content, tmp_path))
    [files] = (tmp_path / "cache/builds").glob("*.files")
    delta, whole = files.with_suffix(".delta"), files.read_bytes()
    assert not delta.exists()
    _write(content / "articles/a1.md", ARTICLE.format(title="A new title for this one"))
    build(_options(content, tmp_path))
    assert delta.exists() and files.read_bytes() == whole
    (content / "articles/a2.md").unlink()
    _write(content / "articles/a0.md", ARTICLE.format(title="Another title"))
    build(_options(content, tmp_path))
    assert files.read_bytes() == whole  # still the first build's, with both later builds' changes on top
    (tmp_path / "dist/404.html").unlink()  # a rebuild that reads the whole state
    _forbid_reading(monkeypatch)
    report = build(_options(content, tmp_path))
    assert (report.reprocessed, report.articles) == (0, 2)
    monkeypatch.undo()
    monkeypatch.setattr(cache, "DELTA_FILES", 0)  # one file changed of two is more than allowed now
    _write(content / "articles/a1.md", ARTICLE.format(title="A third title"))
    build(_options(content, tmp_path))
    assert files.read_bytes() != whole
    (tmp_path / "dist/404.html").unlink()
    report = build(_options(content, tmp_path))
    assert (report.reprocessed, report.articles) == (0, 2)  # the old delta is not read over the new part


def test_a_delta_saved_without_its_head_means_a_full_check(content: Path, tmp_path: Path) -> None:
    build(_options(content, tmp_path))
    _write(content / "articles/a1.md", ARTICLE.format(title="A new title for this one"))
    build(_options(content, tmp_path))
    [head] = (tmp_path / "cache/builds").glob("*.head")
    saved = head.read_bytes()
    _write(content / "articles/a1.md", ARTICLE.format(title="A third title"))
    build(_options(content, tmp_path))
    head.write_bytes(saved)  # as if the last build had been killed between its delta and its head
    store = Cache(tmp_path / "cache")
    state = store.load_state(content, tmp_path / "dist")
    assert state is not None and not store.load_files(content, tmp_path / "dist", state)


def test_a_file_is_trusted_with_the_same_stamp_code_and_an_old_enough_time() -> None:
    old = FileStamp(10, int(AN_HOUR_AGO * 1e9), 7)
    state = BuildState("inputs", "frame", time.time_ns(), "code", {"a.txt": (old, "key", "summary")})
    assert state.trusted("a.txt", old, "code") == ("key", "summary")
    assert state.trusted("a.txt", FileStamp(11, old.mtime_ns, 7), "code") is None
    assert state.trusted("a.txt", old, "other code") is None
    assert state.trusted("b.txt", old, "code") is None
    recent = FileStamp(10, time.time_ns(), 7)
    known = {"a.txt": (recent, "k", "summary")}
    assert BuildState("i", "f", time.time_ns(), "code", known).trusted("a.txt", recent, "code") is None


def test_tree_stamps_lists_hidden_and_nested_files_without_following_links(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub/b.txt").write_text("b")
    (tmp_path / ".hidden").write_text("h")
    (tmp_path / "link").symlink_to(tmp_path / "sub")
    names = [name for name, _ in tree_stamps(tmp_path)]
    assert names == [".hidden", "link", "sub/b.txt"]


def test_an_unwritable_cache_folder_costs_time_not_the_build(content: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    assert Cache(blocker).get("ab" * 32) is None
    report = build(_options(content, tmp_path))
    assert report.articles == 3


def test_processed_articles_are_kept_in_one_database_shared_by_processes(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    assert Cache(folder).put("k1", {"made": "here"})
    assert Cache(folder).get("k1") == {"made": "here"}
    assert Cache(folder).get("k2") is None
    pid = os.fork()  # a forked worker opens its own connection and writes beside the parent
    if pid == 0:
        os._exit(0 if Cache(folder).put("k2", ["in the child"]) else 1)
    assert os.waitpid(pid, 0)[1] == 0
    assert Cache(folder).get("k2") == ["in the child"]
    shutil.rmtree(folder)  # cleared while a process (the preview server) holds it open
    assert Cache(folder).get("k1") in (None, {"made": "here"})  # the deleted file may still be read
    assert Cache(folder).put("k1", "again") and (folder / ARTICLES_DB).is_file()
    assert Cache(folder).get("k1") == "again"  # written to the new file, read from it
    assert Cache(folder).put_many([("k3", 3), ("k4", 4)])
    assert [Cache(folder).get(key) for key in ("k3", "k4", "k2")] == [3, 4, None]


def test_a_damaged_article_database_is_made_anew(content: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / ARTICLES_DB).write_bytes(b"not a database, just bytes " * 100)
    report = build(_options(content, tmp_path))
    assert report.articles == 3 and report.reprocessed == 3
    again = build(_options(content, tmp_path, out=tmp_path / "elsewhere"))
    assert again.reprocessed == 0  # what the first build stored is there


def test_lanes_are_kept_per_page_output_and_renderer_version(tmp_path: Path) -> None:
    store = LaneStore(tmp_path / "cache", tmp_path / "dist", "v1")
    store.save("countries/index.html", {"k": "<g/>"})
    assert store.load("countries/index.html") == {"k": "<g/>"}
    assert store.load("countries/de/index.html") == {}
    assert LaneStore(tmp_path / "cache", tmp_path / "dist", "v2").load("countries/index.html") == {}
    assert LaneStore(tmp_path / "cache", tmp_path / "other", "v1").load("countries/index.html") == {}
    for kept in (tmp_path / "cache" / "lanes").iterdir():
        kept.write_bytes(b"not a pickle")
    assert store.load("countries/index.html") == {}  # damaged: drawn again, no error
