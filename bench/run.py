"""make bench: how fast the pages are for readers and the builds for writers, side by side with
the stock setup. Not part of `make test`: speed and size are goals, measured here, not asserted.

Pages: Lighthouse (bench/package.json; Debian's Chromium through CHROME_PATH, mobile preset) on
every page of our site and of the stock site, served on 127.0.0.1 with gzip as Read the Docs
serves them; RUNS runs per page, medians of the four category scores, LCP, bytes transferred and
requests.

Builds: wall time of a clean html build, an incremental html build after touching one page, and
clean pdf and epub builds, for our project and for a bare project that sphinx-quickstart would
give, with the same extensions, theme and pages; medians of RUNS runs.

The stock site is that bare project: sphinx-rtd-theme as it comes, without our templates,
stylesheet, local extensions or optimisations.

    python bench/run.py [--runs 3] [--pages 3] [--skip-pages] [--skip-builds]

Writes bench/results/latest.json and bench/results/latest.md.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import gzip
import http.server
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
OURS_OPTIONS = ["-W", "--keep-going", "-n"]  # as the Makefile, less -E where a build is incremental
STOCK_CONF = '''# A bare project as sphinx-quickstart makes it, with the extensions, theme and MyST settings that
# the same pages need.
project = "Imaging data guidelines"
author = "SciLifeLab Data Centre and contributors"
extensions = ["sphinx.ext.intersphinx", "myst_parser", "sphinx_design"]
exclude_patterns = ["_build"]
html_theme = "sphinx_rtd_theme"
latex_engine = "xelatex"  # the pages hold characters pdflatex cannot set
myst_enable_extensions = ["colon_fence", "deflist", "tasklist"]
myst_title_to_header = True
myst_heading_anchors = 3
intersphinx_mapping = {"data-guidelines": ("https://scilifelab-data-guidelines.readthedocs.io/en/latest/",
                                           "_intersphinx/data-guidelines.inv")}
'''


def sphinx(project: Path, target: str, out: Path, *options: str) -> float:
    """Seconds of wall time for one `sphinx-build -M target`."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sphinx", "-M", target, str(project), str(out), "-q", *options],
                   check=True, capture_output=True)
    return time.perf_counter() - start


def stock_project(dest: Path) -> Path:
    """The bare baseline: sphinx-quickstart's conf.py, our pages."""
    dest.mkdir(parents=True)
    (dest / "conf.py").write_text(STOCK_CONF)
    shutil.copy2(ROOT / "index.md", dest / "index.md")
    shutil.copytree(ROOT / "docs", dest / "docs")
    shutil.copytree(ROOT / "_intersphinx", dest / "_intersphinx")
    return dest


def our_project(dest: Path) -> Path:
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(dest)], check=True)  # dates from git
    for name in ["conf.py", "index.md", "docs", "_ext", "_templates", "_static", "_intersphinx", "locale"]:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, dirs_exist_ok=True)
        elif source.exists():
            shutil.copy2(source, dest / name)
    return dest


# -- Builds -------------------------------------------------------------------------------------


def time_builds(project: Path, options: list[str], runs: int) -> dict[str, float]:
    """Median seconds of each build, each from a clean output folder except the incremental one."""
    times: dict[str, list[float]] = {"html": [], "html (one page changed)": [], "pdf": [], "epub": []}
    touched = project / "docs" / "data_types" / "imaging_data" / "guidelines.md"
    for run in range(runs):
        out = project / f"_bench_{run}"
        times["html"].append(sphinx(project, "html", out, "-E", *options))
        os.utime(touched)  # a writer saves one page
        times["html (one page changed)"].append(sphinx(project, "html", out, *options))
        # Each project's own PDF: ours the tagged one (-b pdf, WeasyPrint), stock's through LaTeX.
        times["pdf"].append(sphinx(project, "pdf" if (project / "_ext" / "imaging_guidelines" / "pdf").is_dir() else "latexpdf",
                                   out, "-E", *options))
        times["epub"].append(sphinx(project, "epub", out, "-E", *options))
        shutil.rmtree(out)
    return {name: round(statistics.median(values), 2) for name, values in times.items()}


# -- Pages --------------------------------------------------------------------------------------


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, compressed as Read the Docs' CDN compresses them."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        compressible = path.endswith((".html", ".css", ".js", ".svg", ".json", ".txt", ".xml"))
        if not compressible or "gzip" not in self.headers.get("Accept-Encoding", "") or not os.path.isfile(path):
            return super().send_head()
        body = gzip.compress(Path(path).read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io
        return io.BytesIO(body)


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def lighthouse(url: str) -> dict[str, float]:
    result = subprocess.run(
        [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
        capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True,
    )
    report = json.loads(result.stdout)
    audits = report["audits"]
    return {
        **{name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES},
        "lcp_s": round(audits["largest-contentful-paint"]["numericValue"] / 1000, 2),
        "kib": round(audits["total-byte-weight"]["numericValue"] / 1024, 1),
        "requests": len(audits["network-requests"]["details"]["items"]),
    }


def measure_pages(html: Path, pages: list[str], runs: int) -> dict[str, dict[str, float]]:
    server, base = serve(html)
    try:
        results = {}
        for page in pages:
            samples = [lighthouse(base + page) for _ in range(runs)]
            results[page] = {key: statistics.median(s[key] for s in samples) for key in samples[0]}
            print(f"  {page}: {results[page]}", flush=True)
        return results
    finally:
        server.shutdown()


def site_pages(html: Path) -> list[str]:
    return sorted(str(p.relative_to(html)) for p in html.rglob("*.html")
                  if not p.relative_to(html).parts[0].startswith("_"))


# -- Report -------------------------------------------------------------------------------------


def markdown(result: dict) -> str:
    lines = [f"Measured {result['date']} on {result['machine']}; medians of {result['runs']} runs; "
             "each cell is ours / stock.", ""]
    if result.get("pages"):
        lines += ["| page | performance | accessibility | best practices | SEO | LCP (s) | transferred (KiB) | requests |",
                  "|---|---|---|---|---|---|---|---|"]
        for page, ours in result["pages"]["ours"].items():
            stock = result["pages"]["stock"].get(page, {})
            cells = [f"{ours[k]:g} / {stock.get(k, float('nan')):g}"
                     for k in [*CATEGORIES, "lcp_s", "kib", "requests"]]
            lines.append(f"| {page} | " + " | ".join(cells) + " |")
        lines.append("")
    if result.get("builds"):
        lines += ["| build | ours (s) | stock (s) | ours / stock |", "|---|---|---|---|"]
        for name, ours in result["builds"]["ours"].items():
            stock = result["builds"]["stock"][name]
            lines.append(f"| {name} | {ours:.2f} | {stock:.2f} | {ours / stock:.2f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", type=int, default=0, help="measure only the first N pages (0: all)")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-builds", action="store_true")
    args = parser.parse_args()

    result = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "runs": args.runs,
    }
    with tempfile.TemporaryDirectory() as tmp:
        ours, stock = our_project(Path(tmp) / "ours"), stock_project(Path(tmp) / "stock")
        if not args.skip_builds:
            print("Timing builds …", flush=True)
            result["builds"] = {"ours": time_builds(ours, OURS_OPTIONS, args.runs),
                                "stock": time_builds(stock, [], args.runs)}
        if not args.skip_pages:
            sphinx(ours, "html", ours / "_build", "-E", *OURS_OPTIONS)
            sphinx(stock, "html", stock / "_build", "-E")
            pages = site_pages(ours / "_build" / "html")
            pages = pages[: args.pages] if args.pages else pages
            result["pages"] = {}
            for name, project in (("ours", ours), ("stock", stock)):
                print(f"Lighthouse on {name} …", flush=True)
                html = project / "_build" / "html"
                # Pages the stock setup does not make (our 404 page) are measured for ours only.
                result["pages"][name] = measure_pages(html, [p for p in pages if (html / p).exists()], args.runs)

    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(result, indent=2) + "\n")
    (out / "latest.md").write_text(markdown(result))
    print(markdown(result))


if __name__ == "__main__":
    main()
