"""The sidebar that _ext/sidebar_once.py writes is the sidebar Sphinx writes (issue 16).

Builds the site's HTML twice per edition, strict, into temporary folders: once as Sphinx and the
theme render the menu page by page (``-D sidebar_once=0``), once with the menu built once per
build; then compares every page, its sidebar (the theme's ``wy-menu-vertical`` block) and the whole
file, byte for byte. It also checks that the shared menu was really used, so that the comparison is
not of two stock builds.

    .venv/bin/python bench/sidebar_identity.py [--root PATH]    # both editions, prints a summary
    .venv/bin/python -m pytest tests/test_sidebar_once.py -q    # the same, as part of make test

``--root`` checks another project of the same kind (bench/scale.py's generated sites).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIDEBAR = re.compile(r'<div class="wy-menu wy-menu-vertical".*?</div>\s*</div>\s*</nav>', re.S)


def build(root: Path, out: Path, language: str, shared: bool) -> tuple[Path, bool]:
    """One strict, clean HTML build, in a process of its own; returns the output folder and
    whether the menu was shared."""
    command = [sys.executable, __file__, "--build", str(root), str(out), language, "1" if shared else "0"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"the {language} build failed:\n{done.stderr}")
    return out / "html", done.stdout.strip().endswith("shared")


def build_here(root: str, out: str, language: str, shared: str) -> None:
    from sphinx.application import Sphinx

    app = Sphinx(root, root, str(Path(out) / "html"), str(Path(out) / "doctrees"), "html",
                 confoverrides={"language": language, "sidebar_once": shared == "1"},
                 status=None, warning=sys.stderr, freshenv=True, warningiserror=True, keep_going=True)
    app.build()
    menus = getattr(app.builder, "_sidebar_once", {})
    print("shared" if any(menus.values()) else "page by page")
    sys.exit(app.statuscode)


def compare(root: Path, language: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        old, old_shared = build(root, Path(tmp) / "old", language, shared=False)
        new, new_shared = build(root, Path(tmp) / "new", language, shared=True)
        pages = sorted(p.relative_to(old) for p in old.rglob("*.html"))
        other = sorted(p.relative_to(new) for p in new.rglob("*.html"))
        result = {"language": language, "pages": len(pages), "sidebars": 0, "sidebar_differs": [],
                  "file_differs": [], "missing": sorted(map(str, set(pages) ^ set(other))),
                  "shared_menu_used": new_shared and not old_shared}
        for page in pages:
            if not (new / page).exists():
                continue
            before, after = (old / page).read_text(), (new / page).read_text()
            sidebar_before, sidebar_after = SIDEBAR.search(before), SIDEBAR.search(after)
            if sidebar_before:
                result["sidebars"] += 1
            if (sidebar_before and sidebar_before.group()) != (sidebar_after and sidebar_after.group()):
                result["sidebar_differs"].append(str(page))
            if before != after:
                result["file_differs"].append(str(page))
        return result


def check(root: Path = ROOT, languages: tuple[str, ...] = ("en", "sv")) -> list[dict]:
    results = [compare(root, language) for language in languages]
    for result in results:
        print(f"{result['language']}: {result['pages']} pages, {result['sidebars']} with the sidebar; "
              f"sidebar differs on {len(result['sidebar_differs'])}, file differs on "
              f"{len(result['file_differs'])}; shared menu used: {result['shared_menu_used']}")
        for page in result["sidebar_differs"][:10]:
            print(f"  sidebar differs: {page}")
    return results


if __name__ == "__main__":
    if sys.argv[1:2] == ["--build"]:
        build_here(*sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--language", action="append", help="en, sv (default: both)")
    args = parser.parse_args()
    results = check(args.root, tuple(args.language or ("en", "sv")))
    ok = all(r["shared_menu_used"] and not r["sidebar_differs"] and not r["file_differs"] and not r["missing"]
             for r in results)
    print("identical" if ok else "DIFFERENT")
    sys.exit(0 if ok else 1)
