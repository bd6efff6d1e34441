"""Build time: `briefgen build` of the example project, cold (empty store) and warm (nothing changed).

    python benchmarks/build_time.py

Runs the real command line in a temporary copy of the example project and
prints wall-clock seconds for each run, and the pages written per audience.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    """Run the benchmark and print its figures."""
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "project"
        for name in ("config", "sources", "templates", "static"):
            shutil.copytree(ROOT / name, project / name)
        for label in ("cold", "warm"):
            seconds = _build(project)
            print(f"briefgen build, {label}: {seconds:.1f} s")
        for pdf in sorted((project / "output").glob("*/latest/*.pdf")):
            print(f"{pdf.stem:>10}: {len(PdfReader(pdf).pages)} pages, {pdf.stat().st_size / 1024:.0f} KiB PDF, "
                  f"{pdf.with_suffix('.html').stat().st_size / 1024:.0f} KiB HTML")


def _build(project: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "briefgen", "build", "--project", str(project)],
                   check=True, capture_output=True)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
