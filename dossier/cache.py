"""What a build remembers between runs, in the cache folder (`.dossier-cache/` by default).

- `articles.sqlite`: one row per processed file (`Processed`, pickled), keyed by its bytes, its
  name, the site's languages and the code that made it; shared by every build that uses the
  folder. One SQLite database rather than a file per article (as mypy's `--sqlite-cache`): a
  full build stores 10,000 of them; creating a small file took 0.2-1.0 ms on this machine's
  disk, storing a row 0.2 ms with two workers writing at once.
- `lanes/<id>`: the chart lanes of one page of one output folder as its last render drew them
  (`LaneStore`), so that a page re-rendered after an edit draws only the lanes that changed; and,
  under the page name "", the small pieces that templates memoise (`render.Renderer.pieces`).
- `builds/<id>.head` and `builds/<id>.files`: the last build of one content folder into one
  output folder. The head is small: digests of the inputs, the problems reported, a digest of
  the output's manifest; all that a rebuild with nothing changed reads. The files part has each
  input file's size and modification time with the article key it had and the summary of its
  article (all but the text, which stays in `articles/`). A build that changed few files saves
  only those, in `builds/<id>.delta`, read on top of the files part it was made from.

A rebuild trusts a content file whose size and modification time are unchanged without
reading it (its summary is what the build needs of it), and a rebuild in which no input
changed at all stops after comparing them.
Files modified within `RACY_SECONDS` of the build that recorded them are never trusted:
a later edit in the same clock tick would leave the time unchanged.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import secrets
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from dossier.models import Problem

RACY_SECONDS = 2.0
STATE_VERSION = 5
# A build state saves the files that changed since its files part as a delta up to this many
# files (or a twentieth of them), and the whole files part anew beyond.
DELTA_FILES = 100


class FileStamp(NamedTuple):
    """What `stat` says about a file: equal stamps mean the file was not touched. A build state
    holds one per content file, saved as a plain tuple (which compares equal): pickle makes a
    named tuple as an object, one call each, and a plain one several times faster."""

    size: int
    mtime_ns: int
    inode: int

    @classmethod
    def of(cls, info: os.stat_result) -> FileStamp:
        # tuple.__new__: a named tuple's own constructor is a Python call (10,000 per build)
        return tuple.__new__(cls, (info.st_size, info.st_mtime_ns, info.st_ino))


@dataclass
class BuildState:
    """The last build of one content → output pair (see the module docstring)."""

    inputs: str  # digest of every input's stamp, the code and the options
    frame: str  # the same but for the content files' stamps
    started_ns: int  # when the build began: stamps newer than this minus RACY_SECONDS are not trusted
    article_code: str  # what article keys depend on besides the bytes: the code version, the languages
    # file → (stamp, article key, what the build kept of the processed file: see `Article.without_body`)
    files: dict[str, tuple[FileStamp, str, Any]] = field(default_factory=dict)  # saved apart
    problems: list[Problem] = field(default_factory=list)
    articles: int = 0
    pages: int = 0
    manifest: str = ""  # digest of the output's manifest as this build wrote it
    # The data export's renderer version and record ids (the ids saved apart).
    export: tuple[str, list[bytes]] = ("", [])
    site_key: str = ""  # what every page showed of the whole site (see `render.Renderer.site_key`)
    pair: str = ""  # the same in the head and its files part: they were saved by one build

    def trusted(self, file: str, stamp: FileStamp, article_code: str) -> tuple[str, Any] | None:
        """(article key, summary) of `file` if its stamp is unchanged and old enough to be trusted
        (and the keys were made by the same code)."""
        known = self.files.get(file) if article_code == self.article_code else None
        if known is None or known[0] != stamp:
            return None
        if stamp.mtime_ns > self.started_ns - RACY_SECONDS * 1e9:
            return None
        return known[1], known[2]


class Cache:
    """The cache folder; `Cache(None)` remembers nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        # The files part that `load_files` read: its path, its pair and its files (see `save_state`).
        self._base: tuple[Path | None, str, dict[str, Any]] | None = None

    def get(self, key: str) -> Any | None:
        articles = _articles_db(self.folder)
        if articles is None:
            return None
        try:
            row = articles.execute("SELECT item FROM articles WHERE key = ?", (key,)).fetchone()
            return pickle.loads(row[0]) if row else None
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None  # a missing or unreadable entry is simply made again

    def put(self, key: str, item: object) -> bool:
        """Whether `item` is stored (a read-only folder stores nothing)."""
        return self.put_many([(key, item)])

    def put_many(self, items: list[tuple[str, object]]) -> bool:
        """Store (key, item) pairs in one transaction: committing each of a worker's rows on its
        own cost 0.17 ms a row, one commit for 40 rows 0.04 ms. The write lock is taken only
        for the inserts (items are pickled first), so workers storing at once barely wait."""
        articles = _articles_db(self.folder, writing=True)
        if articles is None:
            return False
        rows = [(key, pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)) for key, item in items]
        try:
            articles.execute("BEGIN IMMEDIATE")
            try:
                articles.executemany("INSERT OR REPLACE INTO articles (key, item) VALUES (?, ?)", rows)
                articles.execute("COMMIT")
            except BaseException:
                articles.execute("ROLLBACK")
                raise
        except sqlite3.Error:
            return False
        return True

    def load_state(self, content: Path, out: Path) -> BuildState | None:
        """The head of the last build's state (no `files`: see `load_files`)."""
        state = self._read(self._state_path(content, out, "head"))
        return state if isinstance(state, BuildState) else None

    def load_files(self, content: Path, out: Path, state: BuildState) -> bool:
        """Fill in the `files` and `export` of a head that `load_state` gave; False if they are
        missing or were not saved with it. They are the files part, and its delta if the head
        names that (see `save_state`)."""
        base_path = self._state_path(content, out, "files")
        found = self._read(base_path)
        if not (isinstance(found, tuple) and len(found) == 3):
            return False
        base_pair, files, export = found
        if base_pair != state.pair:
            delta = self._read(self._state_path(content, out, "delta"))
            if not (isinstance(delta, tuple) and len(delta) == 5 and delta[:2] == (state.pair, base_pair)):
                return False
            _, _, changed, removed, export = delta
            removed = set(removed)
            files = {file: entry for file, entry in files.items() if file not in removed}
            files.update(changed)
        self._base = (base_path, base_pair, found[1])
        state.files, state.export = files, export
        return True

    def _read(self, path: Path | None) -> Any:
        if path is None:
            return None
        try:
            with open(path, "rb") as handle:
                version, value = pickle.load(handle)  # an old or damaged state: a full check
            return value if version == STATE_VERSION else None
        except (
            OSError,
            pickle.UnpicklingError,
            EOFError,
            AttributeError,
            ImportError,
            TypeError,
            ValueError,
        ):
            return None

    def save_state(self, content: Path, out: Path, state: BuildState) -> None:
        """Save the files part first, then the head naming it: a build cut short in between leaves
        a head whose files part does not match, which means a full check. Where the files part
        this build loaded differs from the state in only a few files, only those are saved, as
        its delta (pickling and writing 10,000 files' summaries again took 0.07 s)."""
        if self.folder is None:
            return
        state.pair = secrets.token_hex(8)
        files = {file: (tuple(stamp), key, kept) for file, (stamp, key, kept) in state.files.items()}
        head = BuildState(**{**state.__dict__, "files": {}, "export": (state.export[0], [])})
        base_path = self._state_path(content, out, "files")
        delta = self._delta(base_path, files)
        if delta is not None:
            parts = [("delta", (state.pair, delta[0], delta[1], delta[2], state.export))]
        else:
            parts = [("files", (state.pair, files, state.export))]
        for part, value in [*parts, ("head", head)]:
            write_atomically(self._state_path(content, out, part), _dumps((STATE_VERSION, value)))  # type: ignore[arg-type]

    def _delta(
        self, base_path: Path | None, files: dict[str, Any]
    ) -> tuple[str, dict[str, Any], list[str]] | None:
        """(pair of the files part this build loaded, files changed or added since, files
        removed since), if that files part is still there and few files differ from it."""
        if self._base is None or self._base[0] != base_path:
            return None
        _, base_pair, base = self._base
        changed = {file: entry for file, entry in files.items() if base.get(file) != entry}
        removed = [file for file in base if file not in files]
        if len(changed) + len(removed) > max(DELTA_FILES, len(files) // 20):
            return None  # the delta would be read on top of the files part by every build
        return base_pair, changed, removed

    def _state_path(self, content: Path, out: Path, part: str) -> Path | None:
        if self.folder is None:
            return None
        pair = f"{content.resolve()}\0{out.resolve()}".encode("utf-8", "surrogateescape")
        return self.folder / "builds" / f"{hashlib.sha256(pair).hexdigest()[:24]}.{part}"


ARTICLES_DB = "articles.sqlite"
# One connection per process and folder, opened at its first use: a forked worker opens its own
# (SQLite's locks are per process; a connection must not be used across a fork, nor closed in the
# child, which would drop the parent's locks). None: the folder cannot hold the database.
_connections: dict[tuple[int, Path], sqlite3.Connection | None] = {}


def _articles_db(folder: Path | None, writing: bool = False) -> sqlite3.Connection | None:
    """This process's connection to the database in `folder`. Before writing, a connection whose
    file was deleted since (the folder cleared) is replaced: rows written into a deleted file
    would be lost. Reading from it is right, just out of date (a key names what made the row),
    and reads are most of what a build does: no `stat` for them."""
    if folder is None:
        return None
    slot = (os.getpid(), folder)
    if slot in _connections and (
        not writing or _connections[slot] is None or (folder / ARTICLES_DB).exists()
    ):
        return _connections[slot]
    path = folder / ARTICLES_DB
    gone = _connections.get(slot)  # the folder was cleared since (this process's own connection)
    if gone is not None:
        gone.close()
    _connections[slot] = _open_articles_db(path)
    return _connections[slot]


def _open_articles_db(path: Path) -> sqlite3.Connection | None:
    """The article database at `path`, made if need be; a damaged one (not a database: the cache
    is ours to remake) is made anew; None where the folder is read-only or not a folder."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return _connect(path)
    except sqlite3.OperationalError:
        return None  # cannot be opened or written: a read-only cache folder costs time, not correctness
    except sqlite3.DatabaseError:
        pass
    except OSError:
        return None
    try:
        for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            part.unlink(missing_ok=True)
        return _connect(path)
    except (sqlite3.Error, OSError):
        return None


def _connect(path: Path) -> sqlite3.Connection:
    # Autocommit outside `put_many`'s transactions: a build cut short keeps what it stored. The
    # preview server builds in another thread than the one that opened it, one build at a time.
    articles = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
    try:
        # Write-ahead log: workers write while others read; "normal" sync: a power cut may lose
        # the last rows, never damage the file; the log is cut back to 16 MB after checkpoints.
        articles.execute("PRAGMA journal_mode = WAL")
        articles.execute("PRAGMA synchronous = NORMAL")
        articles.execute("PRAGMA journal_size_limit = 16777216")
        articles.execute("CREATE TABLE IF NOT EXISTS articles (key TEXT PRIMARY KEY, item BLOB NOT NULL)")
    except sqlite3.Error:
        articles.close()
        raise
    return articles


class LaneStore:
    """The chart lanes of each page of one output folder (see the module docstring), saved by
    whichever process renders the page; `version` is the renderer's (code, templates, settings):
    lanes another version drew are not reused."""

    def __init__(self, folder: Path, out: Path, version: str) -> None:
        self.folder, self.version = folder / "lanes", version
        self.prefix = f"{out.resolve()}\0".encode("utf-8", "surrogateescape")

    def load(self, page: str) -> dict[str, str]:
        """lane key → SVG, as `save` left them for `page` ({} if nothing usable is there)."""
        try:
            with open(self._path(page), "rb") as handle:
                version, lanes = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            return {}
        return lanes if version == self.version and isinstance(lanes, dict) else {}

    def save(self, page: str, lanes: dict[str, str]) -> None:
        data = pickle.dumps((self.version, lanes), protocol=pickle.HIGHEST_PROTOCOL)
        write_atomically(self._path(page), data)

    def _path(self, page: str) -> Path:
        return (
            self.folder
            / hashlib.sha256(self.prefix + page.encode("utf-8", "surrogateescape")).hexdigest()[:24]
        )


def tree_stamps(folder: Path) -> list[tuple[str, FileStamp]]:
    """Every file below `folder` (hidden ones included, symlinks not followed) with its stamp, sorted."""
    found: list[tuple[str, FileStamp]] = []
    pending = [(folder, "")]
    while pending:
        here, prefix = pending.pop()
        try:
            entries = list(os.scandir(here))
        except OSError:
            continue
        for entry in entries:
            name = prefix + entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((Path(entry.path), name + "/"))
                else:
                    found.append((name, FileStamp.of(entry.stat(follow_symlinks=False))))
            except OSError:
                found.append((name, FileStamp(-1, -1, -1)))
    return sorted(found)


def _dumps(value: object) -> bytes:
    """`value` pickled without pickle's memo of every object it wrote (six times faster for a
    state's tens of thousands of small tuples): objects it holds twice are written twice, and
    it must hold no cycle, as a build state does not."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    # Documented as deprecated, yet in every Python 3; should it go, a pickle with memo is made.
    with contextlib.suppress(AttributeError):
        pickler.fast = True
    pickler.dump(value)
    return buffer.getvalue()


def inputs_digest(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def write_atomically(path: Path, data: bytes) -> bool:
    """Write `data` to `path` through a temporary file; an unwritable folder is not an error
    (a read-only cache folder costs time, not correctness): the result says if it was written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_bytes(data)
        partial.replace(path)  # readers never see half a file
    except OSError:
        return False
    return True
