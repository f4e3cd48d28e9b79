"""A page that uses a component carries what draws it: sphinx-design's stylesheet (and its tab
script) on every page with cards, grids, tabs or dropdowns, Pygments' colours on every page with
highlighted code, in each edition's HTML and EPUB. The stylesheet linked must be there and style
the classes the page uses.

_ext/imaging_guidelines/page_assets.py leaves these files out of pages that have no such component; these tests make
sure it never leaves them out of a page that has one. What the browser then draws (the card's
border, shadow and flex layout) is checked in tests/test_browser.py
(test_components_are_styled_in_the_browser).
"""

from __future__ import annotations

import posixpath
import re
import zipfile

import pytest
from bs4 import BeautifulSoup

import readthedocs

pytestmark = pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")

LANGUAGES = ["en", "sv"]
# Classes sphinx-design puts in the markup that its stylesheet does not style on their own.
UNSTYLED = {"sd-sphinx-override", "sd-tab-content", "sd-card-text", "sd-summary-content", "sd-summary-text",
            "sd-tab-item", "sd-hide-link-text"}
XS = re.compile(r"^sd-.*-xs-")  # the smallest breakpoint is the default: sd-g-xs-2 is sd-g-2's (styled) twin


@pytest.fixture(scope="module", params=LANGUAGES)
def edition(request, read_the_docs) -> readthedocs.Replay:
    build = read_the_docs.build(request.param)
    assert build.returncode == 0, build.log
    return build


def html_files(build) -> dict[str, bytes]:
    """{path: content} of the HTML site."""
    return {path.relative_to(build.html).as_posix(): path.read_bytes() for path in build.html.rglob("*")
            if path.is_file()}


def epub_files(build) -> dict[str, bytes]:
    with zipfile.ZipFile(build.epub) as book:
        return {name: book.read(name) for name in book.namelist()}


def stylesheets(files: dict[str, bytes], page: str, markup: BeautifulSoup, served: str) -> dict[str, str]:
    """{href: CSS} of the stylesheets *page* links, read from the same output (a missing one: '').
    *served* is where the output is served (404.html links absolutely: /en/latest/_static/…)."""
    linked = {}
    for link in markup.find_all("link", rel="stylesheet"):
        href = link["href"].split("?")[0]
        if served and href.startswith(served):
            path = href.removeprefix(served)
        else:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
        linked[href] = files.get(path, b"").decode("utf-8", errors="replace")
    return linked


def scripts(markup: BeautifulSoup) -> list[str]:
    return [tag["src"] for tag in markup.find_all("script", src=True)]


def component_problems(files: dict[str, bytes], suffix: str, served: str = "") -> tuple[list[str], int, int]:
    """What pages with components lack, and how many pages have cards and code."""
    problems, designed, coded = [], 0, 0
    for page, content in sorted(files.items()):
        if not page.endswith(suffix):
            continue
        markup = BeautifulSoup(content, "html.parser")
        body = markup.body or markup
        used = {name for tag in body.find_all(class_=True) for name in tag["class"] if name.startswith("sd-")}
        css = stylesheets(files, page, markup, served)
        missing_files = [href for href, text in css.items() if not text]
        if missing_files:
            problems.append(f"{page}: links stylesheets that are not in the output: {missing_files}")
        all_css = "\n".join(css.values())
        if used:
            designed += 1
            if not any("sphinx-design" in href for href in css):
                problems.append(f"{page}: uses {sorted(used)[:4]}… without sphinx-design's stylesheet")
            unstyled = sorted(name for name in used - UNSTYLED if not XS.match(name)
                              if not re.search(rf"\.{re.escape(name)}(?![\w-])", all_css))
            if unstyled:
                problems.append(f"{page}: no stylesheet it links styles {unstyled}")
            if body.select(".sd-tab-set") and not any("design-tabs" in src for src in scripts(markup)):
                problems.append(f"{page}: has tabs but not sphinx-design's tab script")
        if body.select("div.highlight pre span[class]"):
            coded += 1
            if not any(href.endswith("pygments.css") for href in css):
                problems.append(f"{page}: highlights code without pygments.css")
            elif suffix == ".html" and not re.search(r"\.highlight\s+\.(k|nn|s|c)\b", all_css):
                # (Sphinx's EPUB theme has pygments_style "none": an e-book shows code uncoloured.)
                problems.append(f"{page}: its pygments.css colours no token")
    return problems, designed, coded


@pytest.mark.parametrize("fmt", ["html", "epub"])
def test_pages_with_components_carry_their_assets(edition, fmt):
    files = html_files(edition) if fmt == "html" else epub_files(edition)
    if fmt == "html":
        problems, designed, coded = component_problems(files, ".html", f"/{edition.language}/{edition.version}/")
    else:
        problems, designed, coded = component_problems(files, ".xhtml")
    assert problems == [], "\n".join(problems)
    # The landing page's cards, the Contributing page's examples: the check saw both kinds.
    assert designed >= 1 and coded >= 1, f"{fmt}: {designed} pages with cards, {coded} with highlighted code"
