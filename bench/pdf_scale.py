"""How the tagged PDF's build grows with the site: `sphinx -b pdf` (_ext/imaging_guidelines/pdf/) on
bench/scale.py's generated sites (+0, +50, +250, +1000 pages of the project's own kind), strict and
from a clean output folder. Not part of `make test`; about 15 minutes.

    .venv/bin/python bench/pdf_scale.py [--sizes 0,50,250,1000]

Prints seconds (median of the runs), PDF pages and seconds per added page; the measured results are
in bench/results/pdf-routes.md.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from pathlib import Path

import pikepdf

import scale

RUNS = {0: 2, 50: 2}  # the larger sites once: minutes each


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,50,250,1000")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            ours, stock = scale.make_sites(Path(tmp), size)
            times = []
            for run in range(RUNS.get(size, 1)):
                out = Path(tmp) / f"out-{size}-{run}"
                times.append(scale.sphinx(ours, "pdf", out, "-E", *scale.STRICT))
                pages = len(pikepdf.open(out / "pdf" / "imaging-data-guidelines.pdf").pages)
                shutil.rmtree(out)
            results[size] = (statistics.median(times), pages)
            base = results[min(results)][0]
            per_page = f"{(results[size][0] - base) / size * 1000:.0f} ms per added page" if size else ""
            print(f"+{size} pages: {results[size][0]:.1f} s, {pages} PDF pages {per_page}", flush=True)
            shutil.rmtree(ours)
            shutil.rmtree(stock)


if __name__ == "__main__":
    main()
