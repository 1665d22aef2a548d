"""write: atomic swap, refusal rules, manifest, reuse of unchanged files via hard links, leftovers."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dossier import write
from dossier.models import Copied, Page, Parts, Reused
from dossier.write import MANIFEST, MARKER, UnsafeOutput, check_output_folder, safe_relative, write_site

PAGES = {"index.html": b"<p>home</p>", "articles/a/index.html": b"<p>a</p>", "data/x.json": b"[]"}


def _pages(pages: dict[str, bytes]) -> list[Page]:
    return [Page(path, data) for path, data in pages.items()]


def _keys(pages: dict[str, bytes]) -> dict[str, str]:
    return {path: hashlib.sha256(data).hexdigest() for path, data in pages.items()}


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file and folder below `folder` (relative path → sha256 of the bytes, "dir" for a folder)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        found[relative] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _built(tmp_path: Path) -> Path:
    out = tmp_path / "dist"
    write_site(out, _pages(PAGES), _keys(PAGES))
    return out


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}-"))


def test_a_site_is_written_with_marker_and_manifest(tmp_path: Path) -> None:
    out = _built(tmp_path)
    assert {p: (out / p).read_bytes() for p in PAGES} == PAGES
    assert (out / MARKER).is_file()
    assert json.loads((out / MANIFEST).read_text()) == _keys(PAGES)
    assert write.previous_manifest(out) == _keys(PAGES)
    assert _leftovers(out) == []


def test_the_output_folder_is_readable_by_others(tmp_path: Path) -> None:
    # tempfile.mkdtemp's 0700 would hide the site from a web server running as another user.
    umask = os.umask(0o022)
    try:
        out = _built(tmp_path)
    finally:
        os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o755


def test_unchanged_files_are_hard_links_to_the_previous_build(tmp_path: Path) -> None:
    out = _built(tmp_path)
    before = {path: (out / path).stat().st_ino for path in PAGES}
    changed_pages = {**PAGES, "index.html": b"<p>new home</p>"}
    reused = Reused("data/x.json", "k", lambda: pytest.fail("an existing file is not rendered again"))
    pages = [Page("index.html", b"<p>new home</p>"), Page("articles/a/index.html", b"<p>a</p>"), reused]
    assert write_site(out, pages, _keys(changed_pages)) == 1
    after = {path: (out / path).stat().st_ino for path in PAGES}
    assert after["articles/a/index.html"] == before["articles/a/index.html"]
    assert after["data/x.json"] == before["data/x.json"]
    assert after["index.html"] != before["index.html"]
    assert (out / "index.html").read_bytes() == b"<p>new home</p>"


def test_a_reused_page_whose_file_went_missing_is_rendered(tmp_path: Path) -> None:
    out = _built(tmp_path)
    (out / "data/x.json").unlink()
    assert write_site(out, [Reused("data/x.json", "k", lambda: b"[1]")], {"data/x.json": "k"}) == 1
    assert (out / "data/x.json").read_bytes() == b"[1]"


def test_kept_pages_are_the_previous_files_and_are_checked_to_be_there(tmp_path: Path) -> None:
    out = _built(tmp_path)
    kept = ["articles/a/index.html", "data/x.json"]
    before = {path: (out / path).stat().st_ino for path in kept}
    assert not write.missing_pages(out, kept)
    assert write_site(out, [Page("index.html", b"<p>new home</p>")], _keys(PAGES), kept=kept) == 1
    assert {path: (out / path).stat().st_ino for path in kept} == before
    assert (out / "data/x.json").read_bytes() == PAGES["data/x.json"]
    (out / "data/x.json").unlink()
    assert write.missing_pages(out, kept)


@pytest.mark.parametrize("update", [write_site, write.update_site])
def test_a_file_in_parts_is_written_whole_and_kept_when_its_parts_are_unchanged(
    tmp_path: Path, update
) -> None:
    out = _built(tmp_path)
    keys = {**_keys(PAGES), "data/x.json": "parts"}
    assert update(out, [Parts("data/x.json", [b"[1,", b"", b"2]"])], keys) == 1
    assert (out / "data/x.json").read_bytes() == b"[1,2]"
    inode = (out / "data/x.json").stat().st_ino
    assert update(out, [Parts("data/x.json", [b"[1", b",2]"])], keys) == 0  # the same bytes, cut elsewhere
    assert (out / "data/x.json").stat().st_ino == inode
    assert update(out, [Parts("data/x.json", [b"[1,", b"3]"])], keys) == 1  # the same size, other bytes
    assert (out / "data/x.json").read_bytes() == b"[1,3]"


@pytest.mark.parametrize("update", [write_site, write.update_site])
@pytest.mark.parametrize("in_the_kernel", [True, False])
def test_a_file_made_of_parts_of_its_previous_version_is_written_whole(
    tmp_path: Path, update, in_the_kernel: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _built(tmp_path)
    keys = {**_keys(PAGES), "data/x.json": "parts"}
    update(out, [Parts("data/x.json", [b"[1,2,3]"])], keys)
    old = write.open_page(out, "data/x.json")
    assert old is not None and old.data[:] == b"[1,2,3]"
    if not in_the_kernel:  # another file system, or a system without copy_file_range
        monkeypatch.delattr(os, "copy_file_range")
    parts = [Copied(old, 0, 3), b"9", Copied(old, 4, 7)]
    assert update(out, [Parts("data/x.json", parts)], keys) == 1
    assert (out / "data/x.json").read_bytes() == b"[1,9,3]"
    assert old.data[:] == b"[1,2,3]"  # the map still shows the file it mapped, which was replaced
    assert update(out, [Parts("data/x.json", [b"[1,9,", Copied(old, 5, 7)])], keys) == 0  # the same bytes


def test_a_missing_or_empty_page_is_not_opened(tmp_path: Path) -> None:
    out = _built(tmp_path)
    (out / "data").mkdir(exist_ok=True)
    (out / "data/empty.json").write_bytes(b"")
    assert write.open_page(out, "data/empty.json") is None
    assert write.open_page(out, "data/missing.json") is None


def _failing(after: int, error: BaseException) -> Iterator[Page]:
    for number, page in enumerate(_pages(PAGES)):
        if number == after:
            raise error
        yield page


@pytest.mark.parametrize("error", [RuntimeError("template broke"), KeyboardInterrupt()])
def test_a_failed_or_interrupted_write_leaves_the_previous_site(tmp_path: Path, error: BaseException) -> None:
    out = _built(tmp_path)
    before = tree_digest(out)
    with pytest.raises(type(error)):
        write_site(out, _failing(2, error), _keys(PAGES))
    assert tree_digest(out) == before and _leftovers(out) == []


def test_a_failing_finish_step_leaves_the_previous_site(tmp_path: Path) -> None:
    out = _built(tmp_path)
    before = tree_digest(out)

    def finish(staged: Path) -> None:
        (staged / "extra.txt").write_text("x")
        raise RuntimeError("search index failed")

    with pytest.raises(RuntimeError):
        write_site(out, _pages({**PAGES, "index.html": b"changed"}), _keys(PAGES), finish)
    assert tree_digest(out) == before and _leftovers(out) == []


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd", "a/../../b", "a\\..\\b", "", "a\0b"])
def test_page_paths_cannot_leave_the_output_folder(tmp_path: Path, path: str) -> None:
    with pytest.raises(ValueError):
        safe_relative(path)
    out = _built(tmp_path)
    before = tree_digest(tmp_path)
    with pytest.raises(ValueError):
        write_site(out, [*_pages(PAGES), Page(path, b"x")], _keys(PAGES))
    assert tree_digest(tmp_path) == before


def test_without_atomic_exchange_the_two_step_swap_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _built(tmp_path)
    monkeypatch.setattr(write, "_exchange", lambda first, second: False)
    write_site(out, _pages({"index.html": b"v2"}), {"index.html": "v2"})
    assert (out / "index.html").read_bytes() == b"v2" and not (out / "data").exists()
    assert _leftovers(out) == []


def _dead_pid() -> int:
    process = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    return int(process.stdout)


def test_leftovers_of_a_killed_build_are_removed(tmp_path: Path) -> None:
    out = _built(tmp_path)
    dead, alive = _dead_pid(), os.getppid()
    for name in [f".dist-new-{dead}-ab12", f".dist-old-{dead}-cd34", f".dist-new-{alive}-ef56"]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text("x")
    (tmp_path / ".dist-notes").mkdir()  # not ours by its name
    write_site(out, _pages(PAGES), _keys(PAGES))
    assert _leftovers(out) == [".dist-new-" + f"{alive}-ef56", ".dist-notes"]


def test_a_site_retired_by_a_build_killed_mid_swap_comes_back(tmp_path: Path) -> None:
    out = _built(tmp_path)
    retired = tmp_path / f".dist-old-{_dead_pid()}-0a0b"
    out.rename(retired)
    write_site(out, [Reused(path, "k", lambda: pytest.fail("kept")) for path in PAGES], _keys(PAGES))
    assert (out / "index.html").read_bytes() == PAGES["index.html"] and _leftovers(out) == []


# Refusal rules


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for folder in ("content", "site_templates", "dossier"):
        (tmp_path / folder).mkdir()
    return tmp_path


def _protected(project: Path) -> list[Path]:
    return [project / "content", project / "site_templates", project / "dossier", project]


@pytest.mark.parametrize("where", [".", "content", "site_templates", "dossier", ".."])
def test_a_folder_the_build_reads_or_one_holding_it_is_refused(project: Path, where: str) -> None:
    with pytest.raises(UnsafeOutput, match="refusing"):
        check_output_folder(project / where, _protected(project))


def test_an_output_inside_the_content_is_refused(project: Path) -> None:
    with pytest.raises(UnsafeOutput, match="which the build reads"):
        check_output_folder(project / "content" / "dist", [], inputs=[project / "content"])


def test_a_symlink_to_a_protected_folder_is_refused(project: Path) -> None:
    (project / "link").symlink_to(project / "content")
    with pytest.raises(UnsafeOutput):
        check_output_folder(project / "link", _protected(project))


def test_root_home_and_a_file_are_refused(project: Path) -> None:
    (project / "file.txt").write_text("x")
    for out in (Path("/"), Path.home(), project / "file.txt"):
        with pytest.raises(UnsafeOutput):
            check_output_folder(out, [])


def test_a_folder_holding_files_we_did_not_write_is_refused_and_untouched(project: Path) -> None:
    out = project / "mine"
    out.mkdir()
    (out / "thesis.docx").write_text("years of work")
    before = tree_digest(project)
    with pytest.raises(UnsafeOutput, match="not made by Dossier"):
        check_output_folder(out, _protected(project))
    with pytest.raises(UnsafeOutput):
        write_site(out, _pages(PAGES), _keys(PAGES))  # write checks again: no caller can skip it
    assert tree_digest(project) == before


def test_missing_empty_and_marked_folders_are_accepted(project: Path) -> None:
    check_output_folder(project / "out" / "new", _protected(project))
    (project / "empty").mkdir()
    check_output_folder(project / "empty", _protected(project))
    out = _built(project)
    check_output_folder(out, _protected(project))


# --- updating a site in place -------------------------------------------------------------------


def test_an_update_in_place_replaces_only_changed_files_and_removes_gone_pages(tmp_path: Path) -> None:
    out = _built(tmp_path)
    before = {path: (out / path).stat().st_ino for path in PAGES}
    new = {"index.html": b"<p>new home</p>", "data/x.json": b"[]", "articles/b/index.html": b"<p>b</p>"}
    reused = Reused("data/x.json", "k", lambda: pytest.fail("an existing file is not rendered again"))
    pages = [
        Page("index.html", new["index.html"]),
        reused,
        Page("articles/b/index.html", new["articles/b/index.html"]),
    ]
    assert write.update_site(out, pages, _keys(new)) == 2
    assert {path: (out / path).read_bytes() for path in new} == new
    assert (out / "data/x.json").stat().st_ino == before["data/x.json"]
    assert not (out / "articles/a").exists()  # its only page is gone, and with it the folder
    assert json.loads((out / MANIFEST).read_text()) == _keys(new)
    assert not (out / write.JOURNAL).exists() and _leftovers(out) == []


@pytest.mark.parametrize("error", [RuntimeError("template broke"), KeyboardInterrupt()])
def test_a_failed_update_in_place_leaves_the_site(tmp_path: Path, error: BaseException) -> None:
    out = _built(tmp_path)
    before = tree_digest(out)
    changed = {path: data + b"!" for path, data in PAGES.items()}

    def pages() -> Iterator[Page]:
        yield Page("index.html", changed["index.html"])
        raise error

    with pytest.raises(type(error)):
        write.update_site(out, pages(), _keys(changed))
    assert tree_digest(out) == before and _leftovers(out) == []


def test_an_update_cut_short_is_followed_by_a_whole_new_site(tmp_path: Path) -> None:
    out = _built(tmp_path)
    (out / write.JOURNAL).write_text("killed mid-update")
    (out / "index.html").write_bytes(b"half updated")
    assert write.previous_manifest(out) == {} and not write.is_complete(out, _keys(PAGES), search=False)
    write.update_site(out, _pages(PAGES), _keys(PAGES))
    assert (out / "index.html").read_bytes() == PAGES["index.html"]
    assert not (out / write.JOURNAL).exists() and write.previous_manifest(out) == _keys(PAGES)


def test_ctrl_c_during_the_commit_waits_for_its_end() -> None:
    import signal

    finished = False
    with pytest.raises(KeyboardInterrupt), write._signals_deferred():
        os.kill(os.getpid(), signal.SIGINT)
        finished = True
    assert finished
