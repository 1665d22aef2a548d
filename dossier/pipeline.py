"""The build: load → clean → extract (per article, cached, in parallel) → index → render → write."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from dossier import clean, config, extract, index, load, render, write
from dossier.models import Article, CleanDocument, Problem, SiteConfig

PACKAGE_DIR = Path(__file__).resolve().parent
# Below this many articles to (re)process, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 64


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


@dataclass
class BuildReport:
    articles: int = 0
    pages: int = 0
    changed: int = 0
    reprocessed: int = 0
    problems: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


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

    # Country names come from babel's CLDR data at run time: a babel upgrade changes articles too.
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
    try:
        data = path.read_bytes()
    except OSError as error:
        return Processed(file, None, [Problem(file, f"cannot read: {error.strerror or error}")])
    return process_bytes(file, data, tuple(site_config.languages))


def process_bytes(file: str, data: bytes, languages: tuple[str, ...]) -> Processed:
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
    report = BuildReport()
    with _timed(report, "config"):
        site_config, problems = config.load_site_config(options.content, options.base_url)
        report.problems += problems
        write.check_output_folder(
            options.out, protected=_protected(options), inputs=[options.content, options.templates]
        )
    with _timed(report, "load+clean+extract"):
        processed = process_all(options, site_config, report)
    articles = [p.article for p in processed if p.article is not None]
    for item in processed:
        report.problems += item.problems
    with _timed(report, "index"):
        site, problems = index.build_index(articles, site_config)
        report.problems += problems
    report.articles = len(site.articles)
    if options.strict and report.problems:
        raise BuildFailed(
            f"{len(report.problems)} problem(s) and --strict is on; {options.out} left as it was", report
        )
    with _timed(report, "render+write"):
        renderer = render.Renderer(options.templates, site, site_code_version(PACKAGE_DIR))
        plans = renderer.plan()
        keys = {plan.path: plan.key for plan in plans}
        previous = write.previous_manifest(options.out)
        report.pages = len(plans)
        if keys == previous and write.is_complete(options.out, keys, search=options.search):
            return report  # nothing changed since the last build: the site in place is this build
        pages = render.render(plans, previous, options.workers)
        report.changed = write.write_site(options.out, pages, keys, _finisher(options, report))
    return report


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


def process_all(options: BuildOptions, site_config: SiteConfig, report: BuildReport) -> list[Processed]:
    """Every content file, from the cache where its bytes and our code are unchanged."""
    languages = tuple(site_config.languages)
    paths, skipped = load.find_articles(options.content)
    report.problems += skipped
    results: dict[str, Processed] = {}
    misses: list[tuple[str, bytes, str]] = []
    for path in paths:
        file = path.relative_to(options.content).as_posix()
        try:
            data = path.read_bytes()
        except OSError as error:
            results[file] = Processed(file, None, [Problem(file, f"cannot read: {error.strerror or error}")])
            continue
        key = _cache_key(file, data, languages)
        cached = _cache_get(options.cache_dir, key)
        if cached is not None:
            results[file] = cached
        else:
            misses.append((file, data, key))
    for (file, _, key), item in zip(misses, _process_many(misses, languages, options.workers), strict=True):
        item.clean = None  # the per-line labels are only needed while cleaning
        _cache_put(options.cache_dir, key, item)
        results[file] = item
    report.reprocessed = len(misses)
    return [results[path.relative_to(options.content).as_posix()] for path in paths]


def _process_many(
    misses: list[tuple[str, bytes, str]], languages: tuple[str, ...], workers: int
) -> Iterator[Processed]:
    files = [file for file, _, _ in misses]
    blobs = [data for _, data, _ in misses]
    if workers <= 1 or len(misses) < PARALLEL_THRESHOLD:
        yield from map(process_bytes, files, blobs, [languages] * len(files))
        return
    # The first article is processed here, before the workers fork: they inherit the language
    # models, stop lists and country automaton it loaded instead of each loading their own.
    yield process_bytes(files[0], blobs[0], languages)
    warm_up(languages)
    chunk = max(1, len(misses) // (workers * 8))
    context = (
        multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    )
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(
            process_bytes, files[1:], blobs[1:], [languages] * (len(files) - 1), chunksize=chunk
        )


def warm_up(languages: tuple[str, ...]) -> None:
    """Load what every article needs once, in this process (forked workers share it)."""
    from dossier import countries, language

    countries.find_mentions("", ["Warm-up."], None)
    for code in languages:
        clean.language_rules(code)
        countries.find_mentions("", ["Warm-up."], code)
    if languages:
        language.detect_language("A short text to load the language models. " * 3, languages)


def _cache_key(file: str, data: bytes, languages: tuple[str, ...]) -> str:
    digest = hashlib.sha256(data)
    digest.update(f"\0{file}\0{','.join(languages)}\0{code_version(PACKAGE_DIR)}".encode())
    return digest.hexdigest()


def _cache_get(cache_dir: Path | None, key: str) -> Processed | None:
    if cache_dir is None:
        return None
    try:
        with open(cache_dir / key[:2] / key, "rb") as handle:
            item = pickle.load(handle)
        return item if isinstance(item, Processed) else None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None  # a missing or unreadable entry is simply processed again


def _cache_put(cache_dir: Path | None, key: str, item: Processed) -> None:
    if cache_dir is None:
        return
    folder = cache_dir / key[:2]
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{key}.{os.getpid()}"
    partial.write_bytes(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
    partial.replace(folder / key)  # atomic: readers never see half an entry


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
