"""The build: load → clean → extract (per article, cached, in parallel) → index → render → write.

The stages a rebuild with nothing changed never runs (clean, extract, index, render: with them
lingua, babel's locale data, the country matcher and Jinja2) are imported where they are first
used, so that such a rebuild takes a fraction of a second from start to exit.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import cache, partial
from multiprocessing.pool import Pool
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from dossier import config, load, write
from dossier.cache import (
    RACY_SECONDS,
    BuildState,
    Cache,
    FileStamp,
    LaneStore,
    file_digest,
    inputs_digest,
    tree_stamps,
)
from dossier.models import Article, CleanDocument, PartialDate, Problem, Site, SiteConfig

if TYPE_CHECKING:
    from dossier import render

PACKAGE_DIR = Path(__file__).resolve().parent
T = TypeVar("T")
# Below this many articles to (re)process, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 64
CHUNK_FILES = 40  # files per task sent to a worker (~0.1 s of work)
# A build that changes at most this many pages (or a tenth of them) updates the site in place
# instead of writing a whole new folder; the search index needs the whole new folder.
IN_PLACE_PAGES = 100


@dataclass
class Processed:
    """One content file after load, clean and extract."""

    file: str
    article: Article | None
    problems: list[Problem]
    clean: CleanDocument | None = None


@dataclass
class BuildOptions:
    content: Path
    out: Path
    templates: Path
    base_url: str | None = None
    strict: bool = False
    cache_dir: Path | None = None  # None: no cache
    search: bool = True
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    after_render: Callable[[Path], None] | None = None  # runs on the staged site before it is swapped in
    # A process that builds once and exits (the command line's build): a rebuild there hands its
    # few files to a worker started early (see `_early_worker`). The preview server keeps the
    # models loaded instead, so its rebuilds process them in the process.
    one_shot: bool = False


@dataclass
class BuildReport:
    articles: int = 0
    pages: int = 0
    changed: int = 0
    reprocessed: int = 0
    problems: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


class ContentGone(Exception):
    """A content file that the build had read went missing before its pages were made."""


class BuildFailed(Exception):
    def __init__(self, message: str, report: BuildReport) -> None:
        super().__init__(message)
        self.report = report


# What turns a file into an `Article`: a change to any of these invalidates every cached article.
ARTICLE_INPUTS = [
    "models.py",
    "load.py",
    "html_input.py",
    "markdown_input.py",
    "clean.py",
    "extract.py",
    "links.py",
    "countries.py",
    "dates.py",
    "language.py",
    "data/**/*",
]


@cache
def code_version(package_dir: Path = PACKAGE_DIR) -> str:
    """Changes whenever the code or language data that produces an article changes."""
    return _digest(package_dir, ARTICLE_INPUTS)


@cache
def site_code_version(package_dir: Path = PACKAGE_DIR) -> str:
    """Changes whenever any code or data changes: pages are re-rendered."""
    return _digest(package_dir, ["**/*.py", "data/**/*"])


def _digest(package_dir: Path, patterns: list[str]) -> str:
    import babel

    # babel formats dates and names countries in the UI language at run time: an upgrade changes pages.
    digest = hashlib.sha256(f"babel {babel.__version__}\0".encode())
    files = {path for pattern in patterns for path in package_dir.glob(pattern) if path.is_file()}
    for path in sorted(files):
        if "__pycache__" not in path.parts:
            digest.update(path.relative_to(package_dir).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def process_file(content_root: Path, path: Path, site_config: SiteConfig) -> Processed:
    """load → clean → extract for one file (no cache): what `evaluate` scores."""
    file = path.relative_to(content_root).as_posix()
    data, problem = load.read_content(path, file)
    if data is None:
        return Processed(file, None, [problem] if problem else [])
    return process_bytes(file, data, tuple(site_config.languages))


def process_bytes(file: str, data: bytes, languages: tuple[str, ...]) -> Processed:
    from dossier import clean, extract

    document, problems = load.load_bytes(file, data)
    if document is None:
        return Processed(file, None, problems)
    try:
        cleaned = clean.clean(document, languages)
        article, more = extract.extract(cleaned)
    except Exception as error:  # one broken article must never stop the others
        message = f"could not be processed ({type(error).__name__}: {error}); skipped"
        return Processed(file, None, [*problems, Problem(file, message, severity="error")])
    return Processed(file, article, problems + more, cleaned)


def build(options: BuildOptions) -> BuildReport:
    with _collector_quiet():
        return _build(options)


@contextmanager
def _collector_quiet() -> Iterator[None]:
    """Python's cycle collector paused while a build allocates its articles, pages and keys
    (they hold no cycles; each full collection walked all of them: 1.5 s of a 10,000-article
    rebuild), and what it has allocated frozen before workers fork, so that they share those
    memory pages instead of copying them. Restored afterwards: the preview server lives on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def _build(options: BuildOptions) -> BuildReport:
    report = BuildReport()
    store = Cache(options.cache_dir)
    started = time.time_ns()
    with ExitStack() as stack:
        with _timed(report, "config"):
            site_config, problems = config.load_site_config(options.content, options.base_url)
            report.problems += problems
            write.check_output_folder(
                options.out, protected=_protected(options), inputs=[options.content, options.templates]
            )
            state = store.load_state(options.content, options.out)
            task = _task(options, tuple(site_config.languages))
            # Started before the content is stat'ed (0.1-0.2 s at 10,000 files), so that it has
            # loaded what processing takes when the files to process are known. A rebuild that
            # finds nothing changed stops it unused: a few milliseconds of its own wall time, but
            # up to 0.2 s of the other core's, spent loading (0.81 against 0.62 CPU s at 10,000).
            early = stack.enter_context(_early_worker(options, task.languages, rebuild=state is not None))
            stamps = dict(tree_stamps(options.content))
            templates = dict(tree_stamps(options.templates))
            frame = _frame_digest(options, site_config, templates)
            inputs = inputs_digest(frame, sorted(stamps.items()))
            newest = max((stamp.mtime_ns for stamp in [*stamps.values(), *templates.values()]), default=0)
        if state is not None and _nothing_changed(options, state, inputs, newest):
            return _unchanged(report, state, options)
        # Imported here, not where first used: while this process reads the state, the early
        # worker is still loading what processing takes, and the few files it processes are
        # waited for right after.
        from dossier import index, render

        packed: dict[str, tuple[Processed, tuple[object, ...]]] = {}  # file → (unpacked, packing)
        with _timed(report, "state"):
            if state is not None and not store.load_files(options.content, options.out, state):
                state = None
            if state is not None:
                state = _unpacked(state, task, packed)
        with _timed(report, "load+clean+extract"):
            processed, keys_by_file = process_all(options, site_config, report, state, stamps, task, early)
    articles = [p.article for p in processed if p.article is not None]
    for item in processed:
        report.problems += item.problems
    with _timed(report, "index"):
        site, problems = index.build_index(articles, site_config)
        report.problems += problems
    report.articles = len(site.articles)
    _fail_if_strict(report, options)
    with _timed(report, "render+write"):
        previous = write.previous_manifest(options.out)
        # The last build, if the output folder still holds what it wrote.
        last = (
            state
            if state is not None and file_digest(options.out / write.MANIFEST) == state.manifest
            else None
        )
        renderer = render.Renderer(
            options.templates,
            site,
            site_code_version(PACKAGE_DIR),
            _previous_export(options, last),
            _edits(last, frame, processed, site, previous),
            _compiled_templates(options),
            partial(LaneStore, options.cache_dir, options.out) if options.cache_dir else None,
        )
        try:
            site_plan = renderer.plan_site()
            if write.missing_pages(options.out, site_plan.kept):
                site_plan = render.SitePlan(renderer.plan(), {})  # made again if need be (`Reused`)
            keys = site_plan.keys
            report.pages = len(keys)
            if keys != previous or not write.is_complete(options.out, keys, search=options.search):
                pages = render.render(site_plan.pages, previous, options.workers, renderer.compile_templates)
                finish = _finisher(options, report)
                stale = sum(previous.get(path) != key for path, key in keys.items())
                if finish is None and previous and stale <= max(IN_PLACE_PAGES, len(keys) // 10):
                    report.changed = write.update_site(options.out, pages, keys, previous)
                else:
                    report.changed = write.write_site(options.out, pages, keys, finish, site_plan.kept)
                renderer.save_pieces()
        finally:
            renderer.close()  # the previous export, if the plan opened it
    with _timed(report, "state"):
        files = {
            p.file: (stamps[p.file], keys_by_file[p.file], _packed(p, packed.get(p.file)))
            for p in processed
            if p.file in keys_by_file
        }
        article_code = _article_code(tuple(site_config.languages))
        state = BuildState(
            inputs, frame, started, article_code, files, report.problems, report.articles, report.pages
        )
        state.manifest = file_digest(options.out / write.MANIFEST)
        state.export = (renderer.version, renderer.export_ids())
        state.site_key = renderer.site_key
        store.save_state(options.content, options.out, state)
    return report


def _compiled_templates(options: BuildOptions) -> Path | None:
    """Where Jinja keeps compiled templates between builds: one folder per version of our code,
    since Jinja checks a template's source but not the environment's settings; others are removed."""
    if options.cache_dir is None:
        return None
    folder = options.cache_dir / "templates" / site_code_version(PACKAGE_DIR)[:20]
    try:
        if not folder.is_dir():
            shutil.rmtree(folder.parent, ignore_errors=True)
            folder.mkdir(parents=True)
    except OSError:
        return None  # a read-only cache folder costs time, not correctness
    return folder if os.access(folder, os.W_OK) else None


def _previous_export(options: BuildOptions, last: BuildState | None) -> render.PreviousExport | None:
    """The export the last build wrote (`last`: that build, if the output still holds it)."""
    from dossier import render

    if last is None:
        return None
    version, ids = last.export
    return render.PreviousExport(version, ids, partial(write.open_page, options.out, render.ARTICLES_JSON))


def _frame_digest(options: BuildOptions, site_config: SiteConfig, templates: dict[str, FileStamp]) -> str:
    """Everything a build's output depends on besides the content files, as far as `stat` can tell."""
    return inputs_digest(
        sorted(templates.items()),
        site_code_version(PACKAGE_DIR),
        site_config,
        options.search,
        str(options.out.resolve()),
    )


def _edits(
    state: BuildState | None,
    frame: str,
    processed: list[Processed],
    site: Site,
    previous: dict[str, str],
) -> render.Edits | None:
    """What changed since the last build (`state`, if the output still holds it) if that is only
    some articles' text, evidence or countries (see `render.Edits`): the same files, code,
    templates and settings, and each article read again under the same title, date and language.
    None where more changed."""
    from dossier import render

    if state is None or state.frame != frame or not previous or len(processed) != len(state.files):
        return None
    before_by_file: dict[str, Article] = {}  # file of each edited article → the article then
    for item in processed:
        known = state.files.get(item.file)
        if known is None:
            return None
        before = known[2]
        if item is before:
            continue  # trusted from its stamp: not even read
        if item.article is None or before.article is None:
            if item.article is not before.article:
                return None
            continue
        if not render.same_heading(before.article, item.article):
            return None
        if item.article.content_hash != before.article.content_hash:
            before_by_file[item.file] = before.article
    by_slug = {a.slug: before_by_file[a.file] for a in site.articles.values() if a.file in before_by_file}
    return render.Edits(previous, state.site_key, by_slug)


def _nothing_changed(options: BuildOptions, state: BuildState, inputs: str, newest_input_ns: int) -> bool:
    """No input changed since `state` was recorded and the output is still the one that build wrote."""
    if state.inputs != inputs or options.after_render is not None:
        return False
    if newest_input_ns > state.started_ns - RACY_SECONDS * 1e9:
        return False  # an edit in the same clock tick as that build would not show in the stamps
    if file_digest(options.out / write.MANIFEST) != state.manifest:
        return False
    return write.is_complete(options.out, write.previous_manifest(options.out), search=options.search)


def _unchanged(report: BuildReport, state: BuildState, options: BuildOptions) -> BuildReport:
    """The report of a build that found nothing to do: the same problems as the build it repeats."""
    report.problems += [p for p in state.problems if p not in report.problems]
    report.articles, report.pages = state.articles, state.pages
    _fail_if_strict(report, options)
    return report


def _fail_if_strict(report: BuildReport, options: BuildOptions) -> None:
    if options.strict and report.problems:
        raise BuildFailed(
            f"{len(report.problems)} problem(s) and --strict is on; {options.out} left as it was", report
        )


def _finisher(options: BuildOptions, report: BuildReport) -> Callable[[Path], None] | None:
    """What runs on the staged site before it goes live: the search index, then any caller hook."""
    if not options.search:
        return options.after_render

    def finish(staged: Path) -> None:
        from dossier.search import index_site

        with _timed(report, "search"):
            index_site(staged)
        if options.after_render is not None:
            options.after_render(staged)

    return finish


def process_all(
    options: BuildOptions,
    site_config: SiteConfig,
    report: BuildReport,
    state: BuildState | None = None,
    stamps: dict[str, FileStamp] | None = None,
    task: _Task | None = None,
    early: Pool | None = None,
) -> tuple[list[Processed], dict[str, str]]:
    """Every content file, from the cache where its bytes and our code are unchanged; also each
    file's cache key. A file whose stamp `state` trusts is not even read: the summary the state
    kept of it is used. Where there is a cache, articles come as summaries (`Article.without_body`).
    A few files to process go to `early`, if given (see `_early_worker`)."""
    languages = tuple(site_config.languages)
    files, skipped = load.find_articles(options.content)
    report.problems += skipped
    results: dict[str, Processed] = {}
    keys: dict[str, str] = {}
    misses: list[tuple[str, str]] = []  # (file, path)
    stamps, article_code = stamps or {}, _article_code(languages)
    for file in files:
        stamp = stamps.get(file)
        known = state.trusted(file, stamp, article_code) if state and stamp else None
        if known is not None and isinstance(known[1], Processed):
            keys[file], results[file] = known
        else:
            misses.append((file, str(options.content / file)))
    task = task or _task(options, languages)
    for file, (key, item, processed) in zip(
        [m[0] for m in misses], _run_many(task, misses, options.workers, early), strict=True
    ):
        results[file] = item
        if key:
            keys[file] = key
        report.reprocessed += processed
    return [results[file] for file in files], keys


def _task(options: BuildOptions, languages: tuple[str, ...]) -> _Task:
    cache_dir = str(options.cache_dir.resolve()) if options.cache_dir else None
    return _Task(languages, cache_dir, str(options.content.resolve()))


def _unpacked(
    state: BuildState, task: _Task, packed: dict[str, tuple[Processed, tuple[object, ...]]]
) -> BuildState:
    """`state` with its files unpacked (see `_pack`; `STATE_VERSION` tells an older packing);
    `packed` gets each file's packing, so that a file trusted from its stamp is not packed anew."""
    dates: dict[object, PartialDate] = {}
    unpacked = {}
    for file, (stamp, key, kept) in state.files.items():
        item = task.unpack(key, kept, dates)
        packed[file] = (item, kept)
        unpacked[file] = (stamp, key, item)
    state.files = unpacked
    return state


def _packed(item: Processed, before: tuple[Processed, tuple[object, ...]] | None) -> tuple[object, ...]:
    return before[1] if before is not None and before[0] is item else _pack(item)


def _pack(item: Processed) -> tuple[object, ...]:
    """A processed file as the build state keeps it: builtins, which pickle reads and writes
    several times faster than objects (see `_Task.unpack`)."""
    problems = [(p.file, p.message, p.line, p.severity) for p in item.problems]
    article = item.article
    record = article.summary_record() if article is not None and article.is_summary else article
    return (item.file, problems, record)


@dataclass(frozen=True)
class _Task:
    """Read, key, look up and if need be process one file: what each worker does."""

    languages: tuple[str, ...]
    cache_dir: str | None
    content: str

    def __call__(self, miss: tuple[str, str]) -> tuple[str, Processed, int]:
        return self.batch([miss])[0]

    def batch(self, misses: list[tuple[str, str]]) -> list[tuple[str, Processed, int]]:
        """(cache key, processed file, 1 if it was processed here else 0) of each miss; what was
        processed is stored in the cache at once, at the end (see `Cache.put_many`)."""
        store = Cache(Path(self.cache_dir) if self.cache_dir else None)
        results: list[tuple[str, Processed, int]] = []
        made: list[tuple[str, object]] = []
        for file, path in misses:
            data, problem = load.read_content(Path(path), file)
            if data is None:
                results.append(("", Processed(file, None, [problem] if problem else []), 0))
                continue
            key = _cache_key(file, data, self.languages)
            cached = store.get(key)
            if isinstance(cached, Processed):
                results.append((key, self._summary(cached, key), 0))
                continue
            item = process_bytes(file, data, self.languages)
            item.clean = None  # the per-line labels are only needed while cleaning
            results.append((key, item, 1))
            made.append((key, item))
        if not made or not store.put_many(made):
            return results
        return [(key, self._summary(item, key) if done else item, done) for key, item, done in results]

    def unpack(self, key: str, packed: tuple[object, ...], dates: dict[object, PartialDate]) -> Processed:
        """The processed file that `_pack` packed (its article a summary, as the state keeps it;
        states are kept in the cache folder, so there is one to load the body from)."""
        file, problems, record = packed
        article = record  # None, or a whole article: the cache could not store it
        if isinstance(record, tuple):
            article = Article.from_summary_record(record, partial(self.stored_body, key, file), dates)
        return Processed(file, article, [Problem(*problem) for problem in problems])  # type: ignore[arg-type,misc]

    def _summary(self, item: Processed, key: str) -> Processed:
        """What the build keeps of a processed file that is in the cache."""
        if item.article is None or self.cache_dir is None:
            return item
        body = partial(self.stored_body, key, item.file)
        return Processed(item.file, item.article.without_body(body), item.problems)

    def stored_body(self, key: str, file: str) -> Article:
        """The article of `file` (cache key `key`) from the cache (see `Article.without_body`): a
        summary's body loader is this method with those two bound (a partial: made 10,000 times
        per rebuild, a tenth of the cost of an object of its own)."""
        cached = Cache(Path(self.cache_dir)).get(key) if self.cache_dir else None
        if isinstance(cached, Processed) and cached.article is not None:
            return cached.article
        # The entry has gone since (the cache folder was cleared): the file is processed again.
        content = Path(self.content)
        config = SiteConfig(languages=list(self.languages))
        processed = process_file(content, content / file, config)
        if processed.article is None:
            raise ContentGone(f"{file} was removed or damaged during the build; build again")
        return processed.article


def _run_many(
    task: _Task, misses: list[tuple[str, str]], workers: int, early: Pool | None = None
) -> Iterator[tuple[str, Processed, int]]:
    if early is not None:
        if misses and len(misses) < PARALLEL_THRESHOLD:
            yield from early.imap(task, misses)
            return
        early.terminate()  # none to give it, or more than one worker should take: it would idle
    if workers <= 1 or len(misses) < PARALLEL_THRESHOLD:
        for batch in _batches(misses, CHUNK_FILES):
            yield from task.batch(batch)
        return
    # The first file is done here, before the workers fork: they inherit the language models,
    # stop lists and country automaton it loaded instead of each loading their own.
    yield task(misses[0])
    warm_up(task.languages)
    # Small batches, so that no worker is left with a long last one while the other idles.
    size = max(1, min(CHUNK_FILES, len(misses) // (workers * 8)))
    context = (
        multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    )
    gc.freeze()  # workers share what is loaded so far instead of copying it (see _collector_quiet)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=gc.enable) as pool:
        for done in pool.map(task.batch, _batches(misses[1:], size)):
            yield from done


def _batches(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@contextmanager
def _early_worker(options: BuildOptions, languages: tuple[str, ...], rebuild: bool) -> Iterator[Pool | None]:
    """A rebuild in a one-shot process starts one worker at once, which loads the language models
    and rules and the country matcher (~0.4 s) on another core while this process reads the build
    state; the few files the rebuild then has to process go to it. None where that cannot pay:
    one core, no fork, a first or full build (it has its own pool), or a long-lived process (the
    preview server), which loads all that once, in itself, and forking its big heap for every
    rebuild would cost more than it saves."""
    if (
        not rebuild
        or not options.one_shot
        or options.workers <= 1
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        yield None
        return
    pool = multiprocessing.get_context("fork").Pool(1, initializer=_warm_worker, initargs=(languages,))
    try:
        yield pool
    finally:
        pool.terminate()  # a worker left unused need not finish loading
        pool.join()


def _warm_worker(languages: tuple[str, ...]) -> None:
    gc.enable()  # the build pauses the collector (see _collector_quiet); a worker collects again
    # Every language of the site (10-60 ms each): the worker starts before the content is
    # stat'ed and the build state read, which takes longer than loading them all for a few languages.
    warm_up(languages)


def warm_up(languages: tuple[str, ...]) -> None:
    """Load what every article needs once, in this process (forked workers share it): the
    language detector for `languages`, and the rules, country names and month names (babel's
    locale data: 0.1 s for the first) of each of them."""
    from dossier import clean, countries, dates, language

    countries.prepare(None)
    for code in languages:
        clean.language_rules(code)
        countries.prepare(code)
        dates.prepare(code)
    if languages:
        # Long enough (150+ letters) for the detector articles use; short samples load their own.
        language.detect_language("A text long enough to load the models that articles use. " * 4, languages)


def _cache_key(file: str, data: bytes, languages: tuple[str, ...]) -> str:
    digest = hashlib.sha256(data)
    digest.update(f"\0{file}\0{_article_code(languages)}".encode())
    return digest.hexdigest()


def _article_code(languages: tuple[str, ...]) -> str:
    """What an article's cache key depends on besides its file: the code and the site's languages."""
    return f"{','.join(languages)}\0{code_version(PACKAGE_DIR)}"


def _protected(options: BuildOptions) -> list[Path]:
    protected = [options.content, options.templates, PACKAGE_DIR, Path.cwd()]
    return protected + ([options.cache_dir] if options.cache_dir else [])


@contextmanager
def _timed(report: BuildReport, stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        report.timings[stage] = report.timings.get(stage, 0.0) + time.perf_counter() - start
