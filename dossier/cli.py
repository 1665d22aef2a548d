"""Command-line parsing and messages; the work itself is in `pipeline`."""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from dossier.models import Problem
from dossier.pipeline import BuildFailed, BuildOptions, BuildReport, ContentGone, build
from dossier.write import UnsafeOutput

PROJECT_DIR = Path(__file__).resolve().parent.parent
COMMANDS = ("build", "serve", "evaluate")
console = Console(stderr=True, highlight=False)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help"):
        argv = ["build", *argv]
    args = _parser().parse_args(argv)
    try:
        with _quiet_workers_on_ctrl_c():
            return int(args.run(args))
    except KeyboardInterrupt:
        # The staged site (write.py) and the search index (search.py) were discarded on the way out.
        console.print(f"[yellow]interrupted;[/] {escape(_left_as_it_was(args))}", soft_wrap=True)
        return 128 + signal.SIGINT
    except Exception as error:
        from dossier.search import SearchIndexFailed  # imported here: it brings in asyncio

        if isinstance(error, SearchIndexFailed):
            console.print(f"[red]error:[/] {escape(str(error))}", soft_wrap=True)
            return 1
        if not _while_interrupted(error):
            raise
        # Ctrl-C landed inside a library's bookkeeping (a process pool starting up, say), whose
        # clean-up then failed: still an interruption, not a crash to show.
        console.print(f"[yellow]interrupted;[/] {escape(_left_as_it_was(args))}", soft_wrap=True)
        return 128 + signal.SIGINT


def _while_interrupted(error: BaseException) -> bool:
    """Was `error` raised while a KeyboardInterrupt was being handled?"""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__context__
    return False


def _left_as_it_was(args: argparse.Namespace) -> str:
    out = getattr(args, "out", None)
    if out is None:
        return "nothing was written"
    if getattr(args, "search_only", False):
        return f"the search index in {out} may be incomplete: run --search-only again"
    return f"{out} left as it was"


_fork_hook = False  # registered (once per process)
_ignore_sigint_in_forks = False


@contextmanager
def _quiet_workers_on_ctrl_c() -> Iterator[None]:
    """Ctrl-C in a terminal interrupts the whole process group, the build's forked workers too,
    and each would print a traceback of its own (ending them at once instead can leave a pool's
    lock held and hang its shutdown). So processes forked meanwhile ignore SIGINT; this process
    alone gets the KeyboardInterrupt, stops its pools (which end their workers), reports it once."""
    global _fork_hook, _ignore_sigint_in_forks
    if not _fork_hook and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_forked)
        _fork_hook = True
    before, _ignore_sigint_in_forks = _ignore_sigint_in_forks, True
    try:
        yield
    finally:
        _ignore_sigint_in_forks = before


def _forked() -> None:
    if _ignore_sigint_in_forks:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build a Dossier site from content/ into dist/."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="build the site (the default)")
    _add_build_options(build_parser)
    build_parser.add_argument("--no-search", action="store_true", help="skip the search index")
    build_parser.add_argument(
        "--search-only",
        action="store_true",
        help="only (re)build the search index of an existing output folder",
    )
    build_parser.add_argument("--timings-json", type=Path, help="write stage timings as JSON to this file")
    build_parser.add_argument("--quiet", action="store_true", help="print problems and errors only")
    build_parser.set_defaults(run=run_build)

    serve_parser = commands.add_parser("serve", help="build, serve with live reload, rebuild on change")
    _add_build_options(serve_parser)
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8000)
    serve_parser.add_argument("--open", action="store_true", help="open the site in a browser")
    serve_parser.set_defaults(run=run_serve)

    evaluate_parser = commands.add_parser(
        "evaluate", help="score cleaning and extraction against a gold file"
    )
    evaluate_parser.add_argument(
        "--gold", type=Path, required=True, help="gold YAML (format of seeds_gold.yaml)"
    )
    evaluate_parser.add_argument("--raw", type=Path, required=True, help="folder of the raw articles")
    evaluate_parser.add_argument("--baseline", choices=["justext"], help="also score this baseline")
    evaluate_parser.set_defaults(run=run_evaluate)
    return parser


def _add_build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=PROJECT_DIR / "content", help="content folder")
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "dist", help="output folder")
    parser.add_argument(
        "--templates", type=Path, default=PROJECT_DIR / "site_templates", help="templates folder"
    )
    parser.add_argument("--base-url", help="the URL the site is published at (overrides site.yaml)")
    parser.add_argument(
        "--strict", action="store_true", help="fail the build on any problem with the content"
    )
    parser.add_argument("--cache-dir", type=Path, default=PROJECT_DIR / ".dossier-cache", help="cache folder")
    parser.add_argument("--no-cache", action="store_true", help="ignore the cache")


def options_from(args: argparse.Namespace) -> BuildOptions:
    return BuildOptions(
        content=args.content,
        out=args.out,
        templates=args.templates,
        base_url=args.base_url,
        strict=args.strict,
        cache_dir=None if args.no_cache else args.cache_dir,
        search=not getattr(args, "no_search", False),
    )


def run_build(args: argparse.Namespace) -> int:
    # A one-shot build: the collector stays off after it (the build pauses it). Turned back on, its
    # first collection would walk every object the build made, half a second at 10,000 articles,
    # only for the process to exit.
    gc.disable()
    if not args.content.is_dir():
        console.print(f"[red]error:[/] content folder {args.content} does not exist")
        return 2
    options = dataclasses.replace(options_from(args), one_shot=True)
    if args.search_only:
        from dossier.search import index_existing

        return index_existing(options.out, console)
    try:
        report = build(options)
    except (BuildFailed, UnsafeOutput, ContentGone) as error:
        if isinstance(error, BuildFailed):
            print_problems(error.report.problems)
        console.print(f"[red]error:[/] {error}")
        return 1
    print_problems(report.problems)
    if args.timings_json:
        args.timings_json.write_text(
            json.dumps({"stages": report.timings, "total": sum(report.timings.values())})
        )
    if not args.quiet:
        print_summary(report, options.out)
    return 0


def print_problems(problems: list[Problem]) -> None:
    lines = [
        f"[{'red' if problem.severity == 'error' else 'yellow'}]{problem.severity}:[/] {escape(str(problem))}"
        for problem in problems
    ]
    if lines:  # one print: a big dossier may have hundreds (rich lays out each print on its own)
        console.print("\n".join(lines), soft_wrap=True)


def print_summary(report: BuildReport, out: Path) -> None:
    total = sum(report.timings.values())
    console.print(
        f"[green]built[/] {report.articles} articles, {report.pages} files ({report.changed} changed, "
        f"{report.reprocessed} articles processed) into {out} in {total:.2f} s"
    )


def run_serve(args: argparse.Namespace) -> int:
    from dossier.serve import serve

    return serve(options_from(args), host=args.host, port=args.port, open_browser=args.open, console=console)


def run_evaluate(args: argparse.Namespace) -> int:
    from dossier.evaluate import run

    return run(args.gold, args.raw, args.baseline)
