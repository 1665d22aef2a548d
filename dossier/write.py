"""Stage 6, write: the only stage that touches the output folder.

The site is written into a fresh folder beside the output and swapped in only
when everything was written, so a failed or interrupted build (an error, Ctrl-C)
leaves the previous site complete and unchanged, and its half-written folder is
removed. Unchanged pages are hard links to the previous build's files (cheap).

A marker file proves a folder was made by Dossier; nothing else is ever replaced:
the output may not be a folder the build reads (content, templates, the project),
one that holds them, the home folder or a disk's root, nor a non-empty folder
without the marker.
"""

from __future__ import annotations

import ctypes
import json
import mmap
import os
import re
import secrets
import shutil
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from dossier.models import Copied, Kept, Page, Parts, PreviousFile, Reused

MARKER = ".dossier-output"
MANIFEST = ".dossier-manifest.json"
# Present while `update_site` moves files into the live site: if a build dies there, the next one
# trusts no file of the old manifest and writes a whole new site.
JOURNAL = ".dossier-updating"


class UnsafeOutput(Exception):
    """The output folder is one we must not replace."""


def check_output_folder(out: Path, protected: Iterable[Path], inputs: Iterable[Path] = ()) -> None:
    """Refuse an output folder that is, or contains, a `protected` folder, lies inside one of
    the `inputs` (content, templates: the next build would read its own output), or holds
    anything we did not make."""
    target = out.resolve()
    for folder in protected:
        folder = folder.resolve()
        if target == folder or folder.is_relative_to(target):
            raise UnsafeOutput(f"refusing to write the site to {out}: it would replace {folder}")
    for folder in inputs:
        if target.is_relative_to(folder.resolve()):
            raise UnsafeOutput(
                f"refusing to write the site to {out}: it is inside {folder}, which the build reads"
            )
    if target == Path(target.anchor) or target == Path.home().resolve():
        raise UnsafeOutput(f"refusing to write the site to {out}")
    if target.exists() and not target.is_dir():
        raise UnsafeOutput(f"refusing to write the site to {out}: it is a file")
    if not is_ours(target):
        raise UnsafeOutput(
            f"refusing to replace {out}: it is not empty and was not made by Dossier (no {MARKER} file)"
        )


def is_ours(folder: Path) -> bool:
    """May a build replace `folder`? Yes if it is missing, empty, or carries our marker."""
    if not folder.is_dir():
        return not folder.exists()
    return (folder / MARKER).is_file() or not any(folder.iterdir())


def previous_manifest(out: Path) -> dict[str, str]:
    """path → page key of the build currently in `out` (empty if none or unreadable)."""
    if (out / JOURNAL).exists():
        return {}  # an update was cut short: the files may not match the manifest
    try:
        data = json.loads((out / MANIFEST).read_text("utf-8"))
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def open_page(out: Path, path: str) -> PreviousFile | None:
    """One page of the build currently in `out`, open and mapped read-only (None if missing, empty
    or unreadable): a big file is read only where it is looked at, and its unchanged parts are
    copied into the next version of it (`Copied`). Both stay valid when a build replaces the file,
    as every build does (`os.replace`): they hold the file that was opened."""
    if (out / JOURNAL).exists():
        return None
    try:
        file = open(out / safe_relative(path), "rb")  # noqa: SIM115 (it stays open: see above)
    except (OSError, ValueError):
        return None
    try:
        return PreviousFile(file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))
    except (OSError, ValueError):  # an empty file cannot be mapped
        file.close()
        return None


def missing_pages(out: Path, paths: Iterable[str]) -> bool:
    """Has any of the pages at `paths` gone from `out`?"""
    root = f"{out}{os.sep}"
    # access(), not isfile(): no stat result made for each of 10,000 pages (a third less)
    return not all(os.access(root + safe_relative_text(path), os.F_OK) for path in paths)


def is_complete(out: Path, keys: dict[str, str], search: bool) -> bool:
    """Does `out` hold every page of the manifest (and a search index, if one is wanted)?"""
    if search:
        from dossier.search import SEARCH_FOLDER  # only then: it brings in asyncio (30 ms)

        if not (out / SEARCH_FOLDER / "pagefind-entry.json").is_file():
            return False
    if (out / JOURNAL).exists():
        return False
    root = f"{out}{os.sep}"  # plain strings: one check per page of a big site
    return all(os.path.isfile(root + path) for path in keys)


def write_site(
    out: Path,
    pages: Iterable[Page | Parts | Reused],
    keys: dict[str, str],
    finish: Callable[[Path], None] | None = None,
    kept: Iterable[str] = (),
) -> int:
    """Write every page into a new folder, let `finish` add to it (the search index),
    and swap it in; returns how many files had new bytes. The pages at the paths `kept` are
    the files in `out`, unchanged.

    `finish` must add or replace files, never change one in place: unchanged pages are
    hard links shared with the site that is live until the swap.
    """
    out = out.resolve()
    if not is_ours(out):
        raise UnsafeOutput(f"refusing to replace {out}: it was not made by Dossier (no {MARKER} file)")
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    staging = _new_sibling(out, "new")
    try:
        changed = _fill(staging, out, chain(pages, (Kept(path) for path in kept)))
        if finish is not None:
            finish(staging)
        _write_manifest(staging, keys)
        (staging / MARKER).write_text("This folder is generated by Dossier and replaced on every build.\n")
        retired = _swap(staging, out)
    except BaseException:  # Ctrl-C included: the old site stays as it was
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(retired, ignore_errors=True)
    return changed


def update_site(
    out: Path,
    pages: Iterable[Page | Parts | Reused],
    keys: dict[str, str],
    previous: dict[str, str] | None = None,
) -> int:
    """Bring the site in `out` up to date in place, for a build that changed a few pages of a big
    site (a whole new folder of hard links costs seconds at 10,000 pages, deleting the old one more):
    changed files are written beside the site first, so an error or Ctrl-C while rendering leaves
    it untouched; then each is renamed over its old version (atomic per file, Ctrl-C deferred),
    pages gone from the site are deleted and the manifest replaced last. Returns how many files
    had new bytes. `previous` is the site's manifest, if the caller has read it already."""
    out = out.resolve()
    if not (out / MARKER).is_file() or (out / JOURNAL).exists():
        return write_site(out, pages, keys)
    previous = previous_manifest(out) if previous is None else previous
    _remove_leftovers(out)
    staging = _new_sibling(out, "new")
    try:
        changed = _stage_changes(staging, out, pages)
        _write_manifest(staging, keys)
        with _signals_deferred():
            (out / JOURNAL).write_text("An update of this site is in progress or was cut short.\n")
            for relative in changed:
                (out / relative).parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / relative, out / relative)
            for path in sorted(set(previous) - set(keys)):
                _remove_page(out, safe_relative(path))
            os.replace(staging / MANIFEST, out / MANIFEST)
            (out / JOURNAL).unlink()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return len(changed)


def _stage_changes(staging: Path, out: Path, pages: Iterable[Page | Parts | Reused]) -> list[Path]:
    """Write into `staging` each page whose bytes differ from the file in `out`; their relative paths."""
    changed = []
    live_root = f"{out}{os.sep}"  # plain strings: this runs for every page of a big site
    for page in pages:
        text = safe_relative_text(page.path)
        live = live_root + text
        if isinstance(page, Reused):
            # access(), not isfile(): no stat result made for each of 10,000 pages (a third less)
            if os.access(live, os.F_OK):
                continue
            page = Page(page.path, page.make())  # the old file went missing: render it after all
        if _holds(live, _chunks(page)):
            continue
        relative = Path(text)
        (staging / relative).parent.mkdir(parents=True, exist_ok=True)
        _write(str(staging / relative), _chunks(page))
        changed.append(relative)
    return changed


def _chunks(page: Page | Parts) -> Sequence[bytes | Copied]:
    return page.parts if isinstance(page, Parts) else (page.data,)


def _size(chunk: bytes | Copied) -> int:
    return chunk.size if isinstance(chunk, Copied) else len(chunk)


def _holds(path: str, chunks: Sequence[bytes | Copied]) -> bool:
    """Does the file at `path` hold exactly `chunks`, one after another?"""
    try:
        if os.path.getsize(path) != sum(map(_size, chunks)):
            return False
        with open(path, "rb") as file:
            for chunk in chunks:
                data = chunk.data() if isinstance(chunk, Copied) else chunk
                if file.read(len(data)) != data:
                    return False
            return True
    except OSError:
        return False


def _write(path: str, chunks: Sequence[bytes | Copied]) -> None:
    with open(path, "wb", buffering=0) as file:  # unbuffered: `_copy` writes to it too
        for chunk in chunks:
            if isinstance(chunk, Copied):
                _copy(chunk, file)
            else:
                _write_all(file, chunk)


def _copy(chunk: Copied, target: BinaryIO) -> None:
    """Append `chunk` to `target` from its file, in the kernel where it can (copy_file_range:
    copying 40 MB of a data export through Python took 0.1 s, in the kernel 0.02 s)."""
    start = chunk.start
    try:
        source = chunk.source.file.fileno()
        while start < chunk.stop:
            copied = os.copy_file_range(source, target.fileno(), chunk.stop - start, start)
            if copied <= 0:
                break  # the file is shorter than it was: what is left comes from its map
            start += copied
    except (OSError, AttributeError, ValueError):  # no such call, another file system, no file
        pass
    if start < chunk.stop:
        _write_all(target, memoryview(chunk.source.data)[start : chunk.stop])


def _write_all(target: BinaryIO, data: bytes | memoryview) -> None:
    """An unbuffered write may take less than it is given."""
    view = memoryview(data)
    while view:
        view = view[target.write(view) :]


def _write_manifest(folder: Path, keys: dict[str, str]) -> None:
    (folder / MANIFEST).write_text(json.dumps(keys, indent=0, sort_keys=True), "utf-8")


def _remove_page(out: Path, relative: Path) -> None:
    """Delete a page that is no longer part of the site, and the folders it leaves empty."""
    (out / relative).unlink(missing_ok=True)
    for folder in relative.parents:
        if folder == Path("."):
            break
        try:
            (out / folder).rmdir()
        except OSError:
            break  # not empty (or already gone)


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Ctrl-C (and SIGTERM) wait until the block is done: it must not stop half way. Their
    Python handlers are swapped for ones that only take note (blocking the signals would not
    do: another thread, a language model's say, may receive them); the first noted signal is
    handed to its old handler afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield  # Python runs signal handlers in the main thread only
        return
    noted: list[int] = []

    def note(number: int, frame: object) -> None:
        noted.append(number)

    previous = {number: signal.signal(number, note) for number in _DEFERRED}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        if noted:
            signal.raise_signal(noted[0])


_DEFERRED = (signal.SIGINT, signal.SIGTERM)


def _fill(staging: Path, previous: Path, pages: Iterable[Page | Parts | Reused | Kept]) -> int:
    changed = 0
    made = {str(staging)}  # folders that exist: one mkdir per folder, not per page
    staging_root, previous_root = f"{staging}{os.sep}", f"{previous}{os.sep}"
    for page in pages:
        relative = safe_relative_text(page.path)
        target, old = staging_root + relative, previous_root + relative
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        if isinstance(page, Reused):
            if _link(old, target):
                continue
            page = Page(page.path, page.make())  # the old file went missing: render it after all
        if isinstance(page, Kept):
            if not _link(old, target):
                shutil.copy2(old, target)
            continue
        if _holds(old, _chunks(page)) and _link(old, target):
            continue  # same bytes as before: keep the old file and its modification time
        _write(target, _chunks(page))
        changed += 1
    return changed


def _link(source: str, target: str) -> bool:
    try:
        os.link(source, target)
        return True
    except OSError:
        return False


def safe_relative(path: str) -> Path:
    """A page path as a relative path that cannot leave the output folder."""
    return Path(safe_relative_text(path))


def safe_relative_text(path: str) -> str:
    """The same as text ("a/b/index.html"): a site has tens of thousands of pages."""
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if path.startswith("/") or ".." in parts or not parts or "\\" in path or "\0" in path:
        raise ValueError(f"unsafe output path: {path!r}")
    return "/".join(parts)


def _new_sibling(out: Path, role: str) -> Path:
    """A new empty folder beside `out`, named after it, this process and `role` ("new").
    Made with os.mkdir, not tempfile.mkdtemp: mkdtemp's 0700 would make the site
    unreadable to a web server running as another user once it is swapped in."""
    while True:
        folder = out.parent / f".{out.name}-{role}-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue


def _swap(staging: Path, out: Path) -> Path:
    """Put `staging` where `out` is; returns the folder that now holds the old site, to remove.
    On Linux the two folders are exchanged in one step, so `out` is never missing."""
    if not out.exists():
        staging.rename(out)
        return staging
    if _exchange(staging, out):
        return staging
    retired = out.parent / staging.name.replace("-new-", "-old-", 1)
    out.rename(retired)
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)
        raise
    return retired


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 with RENAME_EXCHANGE); False if unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_cwd, rename_exchange = -100, 2
    return renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), rename_exchange) == 0


def _remove_leftovers(out: Path) -> None:
    """Folders a killed build (SIGKILL, power loss) left beside `out`: a half-written site
    is removed; a retired old one comes back if the kill fell inside the swap. Folders of
    builds still running (the preview server's, say) are left alone."""
    pattern = re.compile(rf"\.{re.escape(out.name)}-(new|old)-(\d+)-[0-9a-f]+")
    for folder in sorted(out.parent.iterdir()):
        match = pattern.fullmatch(folder.name)
        if not match or not folder.is_dir() or folder.is_symlink() or _is_running(int(match[2])):
            continue
        if match[1] == "old" and not out.exists():
            folder.rename(out)
        else:
            shutil.rmtree(folder, ignore_errors=True)


def _is_running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process: it exists
        return True
    return True
