"""Scale: `briefgen build` over a generated corpus of N sources, and extraction against bare spaCy.

    python benchmarks/scale.py --sources N [--parts build,extraction] [--keep DIR] [--seed S]
                               [--end YYYY-MM-DD] [--documents M]

build: generates N sources of about 500 words (benchmarks/corpus.py: wire reports on the example's
theatre, some stories told by several outlets, published over the year before --end) into a copy of
the example project (its config, templates and static files; the brief's `sources:` pointed at the
corpus and its window opened to cover it), then runs the real command line, `python -m briefgen build
--project P`, in a child process three times: the first build (empty store), a rebuild with nothing
changed, and a build after 10 new sources. For each: wall-clock time, CPU time (user and system, of
the build and its worker processes: steadier than wall-clock time on a machine other work shares), peak
memory, what the command said. Peak memory is the highest total proportional set size (PSS, shared
pages split between the processes sharing them) of the build and its worker processes, sampled every
0.2 s; the largest single process's peak RSS (from wait4) is shown beside it. Then one row as in the scale issue:
sources | first build | rebuild | +10 | peak memory | store size, and each audience's PDF pages and
HTML size after the first build. --keep DIR builds in DIR (kept) instead of a temporary folder.

extraction: M generated documents (default 300) through the bare en_core_web_sm pipeline (nlp.pipe,
n_process 1 and 2) and through briefgen's Extractor (processes 1 and 2), models loaded and warmed up
first: documents per second and the two-against-one speed-up of each, side by side.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import generate
from benchmarks.extract_speed import timed, two_process_times

ROOT = Path(__file__).resolve().parents[1]
BRIEF = "iraq-security"
CORPUS = "corpus"  # the folder of the generated sources, in the project
ADDED = 10
SAMPLE_SECONDS = 1.0  # reading a big process's smaps_rollup walks its pages: five times a second took 12-30% of a core
HEARTBEAT_SECONDS = 60.0
PARTS = ("build", "extraction")


@dataclass
class Run:
    """One build in a child process: how long, how much memory, and what it said."""

    label: str
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # user and system time of the build and the worker processes it waited for
    peak_tree: int = 0  # bytes: the highest sampled PSS sum of the build and its children
    peak_process: int = 0  # bytes: the largest single process's peak RSS
    returncode: int = 0
    said: list[str] = field(default_factory=list)


def main() -> None:
    """Run the parts asked for and print their figures."""
    options = _options()
    started = time.perf_counter()
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)  # a long run's figures reach a file as they are printed
    if "build" in options.parts:
        _build_part(options, started)
    if "extraction" in options.parts:
        _extraction_part(options, started)


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=100, help="Sources in the generated corpus.")
    parser.add_argument("--parts", default=",".join(PARTS), help="build, extraction or both (comma-separated).")
    parser.add_argument("--keep", type=Path, help="Build in this folder and keep it (it must not exist).")
    parser.add_argument("--seed", type=int, default=1, help="Corpus seed.")
    parser.add_argument("--end", type=dt.date.fromisoformat, default=dt.datetime.now(dt.UTC).date(),
                        help="The newest publication date of the corpus (default: today, UTC).")
    parser.add_argument("--documents", type=int, default=300, help="Documents for the extraction part.")
    options = parser.parse_args()
    options.parts = [part.strip() for part in options.parts.split(",") if part.strip()]
    unknown = sorted(set(options.parts) - set(PARTS))
    if unknown or not options.parts:
        parser.error(f"--parts: unknown part(s) {', '.join(unknown) or '(none given)'}; valid: {', '.join(PARTS)}")
    if options.keep and options.keep.exists():
        parser.error(f"--keep: {options.keep} exists; give a folder that does not")
    if options.sources < 1 or options.documents < 2:
        parser.error("--sources must be at least 1 and --documents at least 2")
    return options


def _say(started: float, line: str) -> None:
    """A progress line on standard error, with the time since the benchmark started."""
    minutes, seconds = divmod(int(time.perf_counter() - started), 60)
    print(f"[{minutes:3d}:{seconds:02d}] {line}", file=sys.stderr, flush=True)


# --- the build part ------------------------------------------------------------------------------


def _build_part(options: argparse.Namespace, started: float) -> None:
    with _project_folder(options.keep) as project:
        _make_project(project, options.end)
        _say(started, f"generating {options.sources:,} sources in {project / CORPUS}")
        generate(project / CORPUS, options.sources, options.seed, options.end)
        runs = [_build(project, "first build (empty store)", started)]
        outputs = _outputs(project)
        runs.append(_build(project, "rebuild, nothing changed", started))
        generate(project / CORPUS, ADDED, options.seed, options.end, start_index=options.sources)
        runs.append(_build(project, f"+{ADDED} sources", started))
        _print_build(options.sources, runs, outputs, _store_bytes(project))
        if options.keep:
            print(f"project kept in {project}")


@contextmanager
def _project_folder(keep: Path | None) -> Iterator[Path]:
    if keep:
        keep.mkdir(parents=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="briefgen-scale-") as folder:
        yield Path(folder) / "project"


def _make_project(project: Path, end: dt.date) -> None:
    """The example project without its sources; its brief reads the corpus, over a window that covers it."""
    for name in ("config", "templates", "static"):
        shutil.copytree(ROOT / name, project / name)
    path = project / "config" / "briefs" / f"{BRIEF}.yaml"
    brief = yaml.safe_load(path.read_text(encoding="utf-8"))
    brief["sources"] = [f"{CORPUS}/*.md"]
    brief["window"] = {"start": (end - dt.timedelta(days=366)).isoformat()}
    path.write_text(yaml.safe_dump(brief, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _build(project: Path, label: str, started: float) -> Run:
    """`python -m briefgen build --project P` in a child process, measured."""
    _say(started, f"{label}: running")
    environment = {**os.environ, "COLUMNS": "200", "PYTHONPATH": str(ROOT)}
    run = Run(label)
    began = time.perf_counter()
    with tempfile.TemporaryFile() as said:
        child = subprocess.Popen([sys.executable, "-m", "briefgen", "build", "--project", str(project)],
                                 stdout=said, stderr=subprocess.STDOUT, env=environment)
        sampler = _Sampler(child.pid, started, label)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        run.seconds = time.perf_counter() - began
        child.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
        said.seek(0)
        output = said.read().decode("utf-8", "replace")
    run.returncode, run.peak_tree, run.peak_process = child.returncode, sampler.peak, usage.ru_maxrss * 1024
    run.cpu_seconds = usage.ru_utime + usage.ru_stime
    run.said = _what_it_said(output)
    _say(started, f"{label}: {run.seconds:.1f} s ({run.cpu_seconds:.1f} s CPU), exit {run.returncode}, "
                  f"peak {_gb(run.peak_tree)}")
    if run.returncode:
        print(output[-4000:], file=sys.stderr)
    return run


class _Sampler(threading.Thread):
    """Samples the memory of a process and its descendants; says every minute that the build goes on."""

    def __init__(self, pid: int, started: float, label: str) -> None:
        super().__init__(daemon=True)
        self.pid, self.started, self.label = pid, started, label
        self.peak = 0
        self._finished = threading.Event()

    def run(self) -> None:
        """Sample until stopped."""
        began = last_word = time.perf_counter()
        while not self._finished.wait(SAMPLE_SECONDS):
            self.peak = max(self.peak, _tree_memory(self.pid))
            if time.perf_counter() - last_word >= HEARTBEAT_SECONDS:
                last_word = time.perf_counter()
                _say(self.started, f"{self.label}: still running after {(last_word - began) / 60:.1f} min, "
                                   f"peak so far {_gb(self.peak)}")

    def stop(self) -> None:
        """End sampling and wait for the thread."""
        self._finished.set()
        self.join()


def _tree_memory(root: int) -> int:
    """Bytes of memory used by `root` and its descendants now: the sum of their PSS (RSS where the kernel
    has no smaps_rollup). A process that ends while it is read counts nothing."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(_process_memory(pid) for pid in tree)


def _process_memory(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        try:
            pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            return 0
        return pages * os.sysconf("SC_PAGE_SIZE")
    match = re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE)
    return int(match.group(1)) * 1024 if match else 0


def _what_it_said(output: str) -> list[str]:
    """The command's own lines (its table of files left out); warnings and skipped sources counted, the
    first few of each shown."""
    lines = [line.rstrip() for line in output.splitlines() if line.strip() and not re.match(r"^\s*[┏┃┡│└━]", line)]
    lines = [line for line in lines if line.strip() != "Written"]
    said = []
    for kind in ("warning:", "skipped:"):
        matching = [line for line in lines if line.startswith(kind)]
        if matching:
            said.append(f"{len(matching)} {kind[:-1]} line(s), e.g.: " + " | ".join(line[len(kind):].strip()[:140]
                                                                               for line in matching[:3]))
    said.extend(line for line in lines if not line.startswith(("warning:", "skipped:")))
    return said


@dataclass
class Output:
    """One audience's brief after the first build."""

    audience: str
    pages: int | None
    html_bytes: int | None


def _outputs(project: Path) -> list[Output]:
    """Each audience's PDF pages and HTML size in the newest edition."""
    from pypdf import PdfReader

    latest = project / "output" / BRIEF / "latest"
    audiences = sorted({path.stem for path in latest.glob("*.*") if path.suffix in (".pdf", ".html")})
    found = []
    for audience in audiences:
        pdf, html = latest / f"{audience}.pdf", latest / f"{audience}.html"
        found.append(Output(audience, len(PdfReader(pdf).pages) if pdf.is_file() else None,
                            html.stat().st_size if html.is_file() else None))
    return found


def _store_bytes(project: Path) -> int:
    return sum(path.stat().st_size for path in project.glob("briefgen.db*") if path.is_file())


def _print_build(sources: int, runs: list[Run], outputs: list[Output], store: int) -> None:
    print()
    for run in runs:
        status = "" if run.returncode == 0 else f", FAILED (exit {run.returncode})"
        print(f"{run.label}: {_duration(run.seconds)} ({_duration(run.cpu_seconds)} CPU), "
              f"peak {_gb(run.peak_tree)} (all processes, PSS), "
              f"largest process {_gb(run.peak_process)} RSS{status}")
        for line in run.said:
            print(f"    {line}")
    print()
    print("after the first build:")
    for output in outputs:
        pages = f"{output.pages} PDF pages" if output.pages is not None else "no PDF"
        html = f"{output.html_bytes / 1024:,.0f} KiB HTML" if output.html_bytes is not None else "no HTML"
        print(f"    {output.audience:>12}: {pages}, {html}")
    print()
    first, again, added = runs
    peak = max(run.peak_tree for run in runs)
    print("| sources | first build | rebuild, nothing changed | +10 sources | peak memory | store size |")
    print("|---|---|---|---|---|---|")
    cells = " | ".join(f"{_duration(run.seconds)} ({_duration(run.cpu_seconds)} CPU)" for run in (first, again, added))
    print(f"| {sources:,} | {cells} | {_gb(peak)} | {store / 2**20:,.1f} MB |")


def _duration(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds < 100 else f"{seconds / 60:.1f} min"


def _gb(size: int) -> str:
    return f"{size / 2**30:.2f} GB"


# --- the extraction part -------------------------------------------------------------------------


def _extraction_part(options: argparse.Namespace, started: float) -> None:
    import spacy

    from briefgen.config import Gazetteer, load_model
    from briefgen.extract import Extractor
    from briefgen.extract.model import verified_model_path
    from briefgen.ingest import read_sources

    with tempfile.TemporaryDirectory(prefix="briefgen-scale-extract-") as folder:
        paths = generate(Path(folder), options.documents, options.seed + 1, options.end)
        documents = read_sources(paths, None).documents
    words = sum(len(document.text.split()) for document in documents)
    _say(started, f"extraction: {len(documents)} documents, {words:,} words; loading the models")
    extractor = Extractor(load_model(Gazetteer, ROOT / "config/gazetteer.yaml", "config/gazetteer.yaml"))
    stock = spacy.load(verified_model_path())
    list(extractor.extract(documents[:2], processes=1))  # one-time set-up (model, town index) is not timed
    list(stock.pipe(document.text for document in documents[:2]))
    texts = [document.text for document in documents]
    _say(started, "extraction: bare spaCy, one process")
    raw_one = timed(lambda: list(stock.pipe(texts, n_process=1, batch_size=8)))
    _say(started, "extraction: briefgen, one process")
    full_one = timed(lambda: list(extractor.extract(documents, processes=1)))
    _say(started, "extraction: both, two processes")
    raw_two, full_two = two_process_times(stock, extractor, documents)
    count = len(documents)
    print()
    print(f"extraction of {count} generated documents ({words:,} words), wall clock, worker start included:")
    print("| pipeline | 1 process docs/s | 2 processes docs/s | 2 vs 1 |")
    print("|---|---|---|---|")
    for label, one, two in (("bare spaCy (nlp.pipe)", raw_one, raw_two), ("briefgen Extractor", full_one, full_two)):
        print(f"| {label} | {count / one:.1f} | {count / two:.1f} | {one / two:.2f}x |")
    print(f"briefgen / bare spaCy: {raw_one / full_one:.2f}x in one process, {raw_two / full_two:.2f}x in two")


if __name__ == "__main__":
    main()
