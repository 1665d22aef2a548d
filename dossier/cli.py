"""Command-line parsing and messages; the work itself is in `pipeline`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from dossier.models import Problem
from dossier.pipeline import BuildFailed, BuildOptions, BuildReport, build
from dossier.write import UnsafeOutput

PROJECT_DIR = Path(__file__).resolve().parent.parent
COMMANDS = ("build", "serve", "evaluate")
console = Console(stderr=True, highlight=False)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help"):
        argv = ["build", *argv]
    args = _parser().parse_args(argv)
    return int(args.run(args))


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
    if not args.content.is_dir():
        console.print(f"[red]error:[/] content folder {args.content} does not exist")
        return 2
    options = options_from(args)
    if args.search_only:
        from dossier.search import index_existing

        return index_existing(options.out, console)
    try:
        report = build(options)
    except (BuildFailed, UnsafeOutput) as error:
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
    for problem in problems:
        colour = "red" if problem.severity == "error" else "yellow"
        console.print(f"[{colour}]{problem.severity}:[/] {escape(str(problem))}", soft_wrap=True)


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
