"""make bench-scale: how the build grows with the site (issue 16). Not part of `make test`.

Generates sites of the project's own kind in a temporary folder: a copy of the project (a git clone,
so pages have dates, with the working tree's files on top) plus N generated pages under docs/, each
with the menu front matter (name, identifier, parent, weight), six sections, a list, a table and
links, hung from the existing menu pages in groups of 25 (a group page and 24 pages below it), and
listed by toctrees in weight order, so that the menu contract passes. Groups hang at three depths
(under Data Types, Imaging data and Guidelines for data producers), so some pages lie below the
sidebar's depth of 4. The generated pages are committed in the temporary clone, as a real site's are.

For each size (+0, +50, +250, +1000 pages) it times, from clean output folders:

- html: a clean strict build (-E -W --keep-going -n), as `make html`;
- html, one page changed: the same build again after touching one page (no -E);
- latex: `sphinx -b latex` (the .tex file; no latexmk);
- epub: a clean epub build;

for three projects: ours (conf.py: the whole menu up to 50 pages, beyond that the theme's own
collapse_navigation), ours with the whole menu at every size (`-D
html_theme_options.collapse_navigation=0`, up to --before-max; html only, as the other builders
do not draw the sidebar; also both with parallel reading and writing, -j auto), and stock (bench/run.py's sphinx-quickstart project: the
same pages, myst_parser, sphinx_design, the rtd theme as it comes; none of our extensions or
templates). Medians of --runs runs (--big-runs at the largest size), with min and max.

Per-page cost is (time at +N - time at +0) / N. Output size per page is the mean size of the HTML
pages (and of their sidebar). It also times the menu contract's own handlers (_ext/imaging_guidelines/menu.py) at each
size, in a build of its own.

    .venv/bin/python bench/scale.py [--sizes 0,50,250,1000] [--runs 3] [--big-runs 1]
                                    [--before-max 250] [--skip-menu]

Writes bench/results/scale.json and bench/results/scale.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
from run import STOCK_CONF, our_project  # noqa: E402  (bench/run.py: the stock project's conf.py)

STRICT = ["-W", "--keep-going", "-n"]
GROUP_SIZE = 25  # a group page and 24 pages below it
# Existing menu pages that groups hang from: (identifier, source file, folder for the groups).
PARENTS = [
    ("data_types", "docs/data_types/index.md", "docs/data_types"),
    ("imaging_data", "docs/data_types/imaging_data/index.md", "docs/data_types/imaging_data"),
    ("imaging_data_guidelines", "docs/data_types/imaging_data/guidelines.md", "docs/data_types/imaging_data/guidelines"),
]
TOUCHED = "docs/data_types/imaging_data/guidelines/checklist.md"  # the page a writer saves
SIDEBAR = re.compile(r'<div class="wy-menu wy-menu-vertical".*?</div>\s*</div>\s*</nav>', re.S)
MODALITIES = ["light microscopy", "electron microscopy", "cryo-EM", "X-ray imaging", "CT", "MRI", "histology",
              "high-content screening"]


# -- Generating pages ---------------------------------------------------------------------------


def link(page: Path, target: str) -> str:
    return os.path.relpath(target, page.parent)


def page_text(page: Path, title: str, name: str, identifier: str, parent: str, weight: int,
              siblings: list[str], children: list[tuple[str, str]]) -> str:
    """One realistic page: front matter, six sections, a list, a table, links, and its toctree."""
    modality = MODALITIES[weight % len(MODALITIES)]
    sibling_links = "\n".join(f"- [{Path(s).stem.replace('-', ' ')}]({link(page, s)})" for s in siblings[:3]) or \
        f"- [Choosing a repository]({link(page, 'docs/data_types/imaging_data/guidelines/repositories.md')})"
    text = f"""---
title: "{title}"
description: How to publish {modality} data from pathogen research, for collection {identifier}.
menu:
    main:
        name: "{name}"
        identifier: {identifier}
        parent: {parent}
        weight: {weight}
---

This page says how to prepare and publish {modality} data so that others can find and reuse it. Start
from the [submission checklist]({link(page, 'docs/data_types/imaging_data/guidelines/checklist.md')}) and
the [metadata standards]({link(page, 'docs/data_types/imaging_data/guidelines/metadata.md')}).

## Scope

The guidance covers raw images, processed images and the analysis results that a publication
relies on. It applies to {modality} from studies of SARS-CoV-2 and other pathogens.

## Before you start

- Plan where the data will go before the first acquisition.
- Record the instrument settings with each image, not afterwards.
- Agree on file names and folder structure within the group.
- Check whether the images show people: see [clinical images]({link(page, 'docs/data_types/imaging_data/guidelines/clinical.md')}).

## Repositories and formats

| Kind of data | Format | Repository |
|---|---|---|
| Reference images | OME-TIFF or OME-Zarr | [BioImage Archive](https://www.ebi.ac.uk/bioimage-archive/) |
| Published studies | OME-TIFF | [Image Data Resource](https://idr.openmicroscopy.org/) |
| Electron microscopy | MRC, TIFF | [EMPIAR](https://www.ebi.ac.uk/empiar/) |

## Metadata

Describe the biological sample, the imaging method and the analysis, following REMBI. Keep the
metadata in a spreadsheet from the start, so that the submission needs no reformatting.

### Minimum information

The study, the sample, the specimen preparation, the instrument and the image acquisition
parameters are the minimum a reviewer expects.

## Submission

Upload the files, fill in the submission form and wait for the accession number; cite it in the
article's data availability statement.

## Related pages

{sibling_links}
"""
    if children:
        entries = "\n".join(f"{child_name} <{child_ref}>" for child_name, child_ref in children)
        text += f"\n```{{toctree}}\n:hidden:\n\n{entries}\n```\n"
    return text


def add_pages(project: Path, count: int) -> None:
    """Add *count* generated pages (groups of GROUP_SIZE) below the existing menu pages."""
    groups_per_parent: dict[int, list[tuple[str, str]]] = {}
    made = 0
    group = 0
    while made < count:
        size = min(GROUP_SIZE, count - made)
        parent_index = group % len(PARENTS)
        parent_id, parent_file, folder = PARENTS[parent_index]
        slug = f"gen{group:03d}"
        group_dir = Path(folder) / slug
        (project / group_dir).mkdir(parents=True)
        group_name = f"Collection {group + 1:03d}"
        group_page = group_dir / "index.md"
        leaves = []
        for k in range(1, size):
            leaf = group_dir / f"item-{k:02d}.md"
            leaves.append((leaf, f"{group_name}, item {k:02d}", f"{slug}_item{k:02d}", 10 * k))
        children = [(name, leaf.stem) for leaf, name, _, _ in leaves]
        (project / group_page).write_text(page_text(
            group_page, f"{group_name}: publishing {MODALITIES[group % len(MODALITIES)]} data", group_name,
            slug, parent_id, 1000 + group, [str(leaf) for leaf, *_ in leaves], children))
        for i, (leaf, name, identifier, weight) in enumerate(leaves):
            siblings = [str(other) for other, *_ in leaves[i + 1:i + 4]] or [str(group_page)]
            (project / leaf).write_text(page_text(
                leaf, f"{name}: {MODALITIES[weight % len(MODALITIES)]} in practice", name, identifier, slug,
                weight, siblings, []))
        ref = os.path.relpath(group_dir / "index", Path(parent_file).parent)
        groups_per_parent.setdefault(parent_index, []).append((group_name, ref))
        made += size
        group += 1
    for parent_index, entries in groups_per_parent.items():
        parent_file = project / PARENTS[parent_index][1]
        lines = "\n".join(f"{name} <{ref}>" for name, ref in entries)
        parent_file.write_text(parent_file.read_text() + f"\n```{{toctree}}\n:hidden:\n\n{lines}\n```\n")


def make_sites(tmp: Path, count: int) -> tuple[Path, Path]:
    ours = our_project(tmp / f"ours-{count}")
    add_pages(ours, count)
    git = ["git", "-C", str(ours), "-c", "user.name=bench", "-c", "user.email=bench@localhost"]
    subprocess.run([*git, "add", "-A", "docs"], check=True, capture_output=True)
    subprocess.run([*git, "commit", "-q", "-m", f"+{count} generated pages", "--allow-empty"], check=True,
                   capture_output=True)
    stock = tmp / f"stock-{count}"
    stock.mkdir()
    (stock / "conf.py").write_text(STOCK_CONF)
    shutil.copy2(ours / "index.md", stock / "index.md")
    shutil.copytree(ours / "docs", stock / "docs")
    shutil.copytree(ROOT / "_intersphinx", stock / "_intersphinx")
    return ours, stock


# -- Timing -------------------------------------------------------------------------------------


def sphinx(project: Path, builder: str, out: Path, *options: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "sphinx", "-b", builder, "-d", str(out / "doctrees"),
                           str(project), str(out / builder), "-q", *options], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(f"{builder} build of {project} failed:\n{done.stderr[-3000:]}")
    return elapsed


def output_size(html: Path) -> dict[str, float]:
    pages = [p for p in html.rglob("*.html") if not p.relative_to(html).parts[0].startswith("_")]
    sizes, sidebars = [], []
    for page in pages:
        text = page.read_text()
        sizes.append(len(text.encode()))
        match = SIDEBAR.search(text)
        sidebars.append(len(match.group().encode()) if match else 0)
    return {"pages": len(pages), "kb_per_page": round(statistics.mean(sizes) / 1024, 1),
            "sidebar_kb_per_page": round(statistics.mean(sidebars) / 1024, 1)}


def time_project(project: Path, options: list[str], runs: int, builders: list[str]) -> dict:
    samples: dict[str, list[float]] = {name: [] for name in builders}
    size = None
    for run in range(runs):
        out = project.parent / f"_out-{project.name}-{run}"
        shutil.rmtree(out, ignore_errors=True)
        if "html" in builders:
            samples["html"].append(sphinx(project, "html", out, "-E", *options))
            size = size or output_size(out / "html")
            if "html, one page changed" in builders:
                os.utime(project / TOUCHED)
                samples["html, one page changed"].append(sphinx(project, "html", out, *options))
        for builder in ("latex", "epub"):
            if builder in builders:
                samples[builder].append(sphinx(project, builder, out, "-E", *options))
        shutil.rmtree(out)
        print(f"    run {run + 1}: " + ", ".join(f"{k} {v[-1]:.1f}s" for k, v in samples.items()), flush=True)
    result = {name: {"median": round(statistics.median(v), 2), "min": round(min(v), 2), "max": round(max(v), 2),
                     "runs": len(v)} for name, v in samples.items()}
    if size:
        result["output"] = size
    return result


MENU_TIMER = r'''
import sys, time, json
sys.path.insert(0, sys.argv[1] + "/_ext")
from imaging_guidelines import menu
spent = {}
def timed(name, function):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - start
    return wrapper
for name in ["read_front_matter", "hang_toctrees_from_the_page", "read_toctrees", "collect_menu_labels",
             "check_menu", "use_menu_names", "mark_titles_with_menu_names"]:
    setattr(menu, name, timed(name, getattr(menu, name)))
from sphinx.application import Sphinx
app = Sphinx(sys.argv[1], sys.argv[1], sys.argv[2] + "/html", sys.argv[2] + "/doctrees", "html",
             status=None, freshenv=True, warningiserror=True, keep_going=True)
app.build()
print(json.dumps({"pages": len(app.env.found_docs), **{k: round(v, 4) for k, v in spent.items()}}))
'''


def time_menu_contract(project: Path) -> dict:
    out = project.parent / f"_menu-{project.name}"
    done = subprocess.run([sys.executable, "-c", MENU_TIMER, str(project), str(out)], capture_output=True, text=True)
    shutil.rmtree(out, ignore_errors=True)
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- Report -------------------------------------------------------------------------------------

VARIANTS = {"ours": "ours", "before": "ours, whole menu", "stock": "stock",
            "ours_j": "ours, -j auto", "before_j": "ours, whole menu, -j auto"}
WHOLE_MENU = ["-D", "html_theme_options.collapse_navigation=0"]


def per_page(result: dict, variant: str, build: str, size: int) -> float | None:
    base = result["sizes"].get("0", {}).get(variant, {}).get(build)
    this = result["sizes"].get(str(size), {}).get(variant, {}).get(build)
    if not base or not this or size == 0:
        return None
    return (this["median"] - base["median"]) / size * 1000


def markdown(result: dict) -> str:
    sizes = [int(s) for s in result["sizes"]]
    lines = [f"Measured {result['date']} on {result['machine']}; {result['note']}", ""]
    lines += ["Clean builds, seconds: median (min–max) of the runs; per page = (time at +N − time at +0) / N.", ""]
    builds = ["html", "html, one page changed", "latex", "epub"]
    lines += ["| pages added | build | " + " | ".join(VARIANTS.values()) + " | ours / stock |",
              "|---|---|" + "---|" * (len(VARIANTS) + 1)]
    for size in sizes:
        for build in builds:
            cells = []
            for variant in VARIANTS:
                cell = result["sizes"][str(size)].get(variant, {}).get(build)
                if cell:
                    spread = f"{cell['min']:.2f}–{cell['max']:.2f}" if cell["runs"] > 1 else "1 run"
                    cells.append(f"{cell['median']:.2f} ({spread})")
                else:
                    cells.append("–")
            ours = result["sizes"][str(size)].get("ours", {}).get(build)
            stock = result["sizes"][str(size)].get("stock", {}).get(build)
            ratio = f"{ours['median'] / stock['median']:.2f}" if ours and stock else "–"
            lines.append(f"| +{size} | {build} | " + " | ".join(cells) + f" | {ratio} |")
    lines += ["", "Per-page cost of a clean html build, ms per added page:", "",
              "| pages added | " + " | ".join(VARIANTS.values()) + " |", "|---|" + "---|" * len(VARIANTS)]
    for size in sizes[1:]:
        cells = []
        for variant in VARIANTS:
            value = per_page(result, variant, "html", size)
            cells.append(f"{value:.0f}" if value is not None else "–")
        lines.append(f"| +{size} | " + " | ".join(cells) + " |")
    lines += ["", "Per-page cost of the other builds (ours / stock), ms per added page:", "",
              "| pages added | latex | epub |", "|---|---|---|"]
    for size in sizes[1:]:
        cells = []
        for build in ("latex", "epub"):
            o, s = per_page(result, "ours", build, size), per_page(result, "stock", build, size)
            cells.append(f"{o:.0f} / {s:.0f}" if o is not None and s is not None else "–")
        lines.append(f"| +{size} | " + " | ".join(cells) + " |")
    lines += ["", "The issue's targets (clean html):", ""]
    for variant in ("before", "ours"):
        a, b = per_page(result, variant, "html", 50), per_page(result, variant, "html", 250)
        base = result["sizes"].get("0", {}).get(variant, {}).get("html")
        big = result["sizes"].get("250", {}).get(variant, {}).get("html")
        if a and b and base and big:
            lines.append(f"- {VARIANTS[variant]}: per page at +250 / per page at +50 = {b / a:.2f} (target ≤ 1.3); "
                         f"html at +250 / html at +0 = {big['median'] / base['median']:.1f} (target ≤ 8)")
    lines += ["", "HTML output per page (all pages but _static/_sources), KB: page (of which sidebar):", "",
              "| pages added | pages | ours | stock |", "|---|---|---|---|"]
    for size in sizes:
        ours = result["sizes"][str(size)].get("ours", {}).get("output")
        stock = result["sizes"][str(size)].get("stock", {}).get("output")
        if ours and stock:
            lines.append(f"| +{size} | {ours['pages']} | {ours['kb_per_page']} ({ours['sidebar_kb_per_page']}) | "
                         f"{stock['kb_per_page']} ({stock['sidebar_kb_per_page']}) |")
    if result.get("menu_contract"):
        lines += ["", "The menu contract's own handlers (menu.py), seconds in one clean html build:", "",
                  "| pages | check_menu (env-check-consistency) | collect_menu_labels (env-updated) | "
                  "reading (source-read, doctree-read) | writing (html-page-context, doctree-resolved) | "
                  "all, ms per page |", "|---|---|---|---|---|---|"]
        for size, m in result["menu_contract"].items():
            reading = m.get("read_front_matter", 0) + m.get("hang_toctrees_from_the_page", 0) + m.get("read_toctrees", 0)
            writing = m.get("use_menu_names", 0) + m.get("mark_titles_with_menu_names", 0)
            total = reading + writing + m.get("check_menu", 0) + m.get("collect_menu_labels", 0)
            lines.append(f"| {m['pages']} (+{size}) | {m.get('check_menu', 0):.3f} | {m.get('collect_menu_labels', 0):.3f} | "
                         f"{reading:.3f} | {writing:.3f} | {total / m['pages'] * 1000:.2f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,50,250,1000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--big-runs", type=int, default=1, help="runs at the largest size")
    parser.add_argument("--before-max", type=int, default=250,
                        help="largest size at which to time the whole menu on every page (quadratic: slow)")
    parser.add_argument("--skip-parallel", action="store_true", help="do not time -j auto builds")
    parser.add_argument("--skip-menu", action="store_true", help="do not time the menu contract's handlers")
    parser.add_argument("--keep", type=Path, help="keep the generated sites in this folder")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    result = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "note": (f"medians of {args.runs} runs ({args.big_runs} at +{max(sizes)}); the whole menu "
                 f"timed up to +{args.before_max}; the machine is shared, so see the spread."),
        "sizes": {},
        "menu_contract": {},
    }
    tmp_holder = None if args.keep else tempfile.TemporaryDirectory()
    tmp = args.keep or Path(tmp_holder.name)
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        for size in sizes:
            runs = args.big_runs if size == max(sizes) and len(sizes) > 1 else args.runs
            print(f"+{size} pages: generating …", flush=True)
            ours, stock = make_sites(tmp, size)
            entry = result["sizes"][str(size)] = {}
            print("  ours", flush=True)
            entry["ours"] = time_project(ours, STRICT, runs, ["html", "html, one page changed", "latex", "epub"])
            if size <= args.before_max:
                print("  ours, whole menu", flush=True)
                entry["before"] = time_project(ours, [*STRICT, *WHOLE_MENU], runs,
                                               ["html", "html, one page changed"])
            if size <= args.before_max and not args.skip_parallel:
                print("  ours and ours with the whole menu, -j auto (html only)", flush=True)
                entry["ours_j"] = time_project(ours, [*STRICT, "-j", "auto"], runs, ["html"])
                entry["before_j"] = time_project(ours, [*STRICT, "-j", "auto", *WHOLE_MENU], runs, ["html"])
            print("  stock", flush=True)
            entry["stock"] = time_project(stock, [], runs, ["html", "html, one page changed", "latex", "epub"])
            if not args.skip_menu:
                result["menu_contract"][str(size)] = time_menu_contract(ours)
            if not args.keep:
                shutil.rmtree(ours)
                shutil.rmtree(stock)
            write(result)
    finally:
        if tmp_holder:
            tmp_holder.cleanup()
    print(markdown(result))


def write(result: dict) -> None:
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    (out / "scale.json").write_text(json.dumps(result, indent=2) + "\n")
    (out / "scale.md").write_text(markdown(result))


if __name__ == "__main__":
    main()
