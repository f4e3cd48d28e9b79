"""What readers get from Read the Docs: its build replayed (tests/readthedocs.py) for both
projects (English, Swedish) and both kinds of build (the default branch; a pull request), and the
reader-facing promises checked on what it serves.

The rest of the suite reads the same replays (conftest.py: html_build, pdf_build, epub_build are
the English project's branch build), so every check of the site, the PDF and the EPUB is a check of
the files Read the Docs publishes, made in its order with one shared doctree folder.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

import readthedocs
from conftest import ROOT, pdf_texts
from test_pdf_epub import epub_navigation

pytestmark = pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")

LANGUAGES = ["en", "sv"]
KINDS = ["branch", "external"]
OTHER = {"en": "sv", "sv": "en"}
CHECKLIST = "docs/data_types/imaging_data/guidelines/checklist"
CONFIG = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def source_pages() -> list[str]:
    return ["index", *sorted(str(p.relative_to(ROOT).with_suffix("")) for p in (ROOT / "docs").rglob("*.md"))]


def flatten(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[-\u2010]\n", "", text)).strip()


@pytest.fixture(scope="module", params=[(lang, kind) for kind in KINDS for lang in LANGUAGES],
                ids=lambda p: f"{p[0]}-{p[1]}")
def build(request, read_the_docs) -> readthedocs.Replay:
    return read_the_docs.build(*request.param)


@pytest.fixture(scope="module", params=LANGUAGES)
def branch_build(request, read_the_docs) -> readthedocs.Replay:
    return read_the_docs.build(request.param)


# -- The replay is Read the Docs' build ---------------------------------------------------------


def test_replay_runs_the_configured_steps_in_order(build):
    jobs = CONFIG["build"].get("jobs", {})
    own_builds = jobs.get("build") or {}

    def steps_of(fmt: str) -> list[str]:  # the project's own commands for a format, or Read the Docs' builder
        return [f"build.{fmt}"] * len(own_builds[fmt]) if own_builds.get(fmt) else [fmt]

    expected = ["apt_packages"] if CONFIG["build"].get("apt_packages") else []
    expected += [job for job in readthedocs.JOBS_BEFORE_BUILD for _ in jobs.get(job) or []]
    expected += steps_of("html")
    if build.kind == "branch":  # pull requests build HTML only (readthedocs.org: director.build_pdf)
        for fmt in readthedocs.FORMATS_IN_ORDER:
            expected += steps_of(fmt) if fmt in CONFIG["formats"] else []
    expected += ["post_build" for _ in jobs.get("post_build") or []] + ["store"]
    assert [step.name for step in build.steps] == expected
    sphinx_runs = [" ".join(step.command) for step in build.steps if "sphinx" in " ".join(step.command)]
    assert len(sphinx_runs) == (3 if build.kind == "branch" else 1)
    for command in sphinx_runs:
        assert "-d _build/doctrees" in command, f"one shared doctree folder: {command}"
    pdf = [command for command in sphinx_runs if "-b pdf" in command]
    assert all("-W --keep-going" in command for command in pdf), "the PDF is built strict"
    assert build.environment["READTHEDOCS_VERSION_TYPE"] == build.kind


def test_build_passes_with_no_warnings(build):
    assert build.returncode == 0, build.log
    assert build.warnings == [], "\n".join(build.warnings)


def test_served_files(build):
    assert (build.html / "index.html").is_file()
    if build.kind == "branch":
        assert build.pdf.is_file() and build.pdf.stat().st_size > 10_000
        assert sorted(p.name for p in build.pdf.parent.iterdir()) == [build.pdf.name]
        assert build.epub.is_file()
    else:
        assert not (build.output / "pdf").exists() and not (build.output / "epub").exists()


# -- Addresses ----------------------------------------------------------------------------------


def test_canonical_urls(build):
    for page in source_pages():
        canonical = soup(build.html / f"{page}.html").find("link", rel="canonical")
        assert canonical and canonical["href"] == build.canonical_url + f"{page}.html", page


def test_one_language_switch_and_only_to_a_built_edition(build, read_the_docs):
    """On the default branch, both projects build `latest`: one switch, to the same page in the other
    edition, which exists. A pull request's preview is built by one project alone: no switch, no
    hreflang link to an edition that does not exist."""
    other = read_the_docs.build(OTHER[build.language], build.kind)
    # The theme's own selector: its placeholder stays empty unless its script is told to fill it.
    script = (build.html / "_static/js/versions.js").read_text(encoding="utf-8")
    assert "const themeLanguageSelector = false;" in script, "the theme's language selector is on"
    here = read_the_docs.served / build.language / build.version
    for page in source_pages():
        html = soup(build.html / f"{page}.html")
        switches = html.select(".edition-switch a")
        assert not html.select("select"), f"{page}: a second language selector"
        hreflangs = {link["hreflang"] for link in html.find_all("link", rel="alternate", hreflang=True)}
        if build.kind == "external":
            assert switches == [], f"{page}: links to /{OTHER[build.language]}/{build.version}/, which is never built"
            assert hreflangs == set(), f"{page}: hreflang links in a preview: {hreflangs}"
            continue
        assert len(switches) == 1, f"{page}: {len(switches)} language switches"
        # As a browser resolves it: by the address, not by where the files lie on this disk.
        target = Path(os.path.normpath(here / Path(page).parent / switches[0]["href"]))
        expected = read_the_docs.served / other.language / other.version / f"{page}.html"
        assert target == expected and expected.is_file(), f"{page}: the switch leads to {target}"
        assert hreflangs == {"en", "sv", "x-default"}, page


def served_file(read_the_docs, href: str) -> Path:
    """The file Read the Docs answers an absolute address with: a folder's index.html (conftest:
    ReadTheDocs.build lays the downloads out so)."""
    path = urlsplit(href).path.lstrip("/")
    return read_the_docs.served / (f"{path}index.html" if path.endswith("/") else path)


def test_every_page_offers_its_editions_pdf_and_epub(build, read_the_docs):
    """Each page links to the PDF and the EPUB of its own language and version where Read the Docs
    serves them, /_/downloads/<language>/<version>/<format>/: the files this build stored. A pull
    request's build makes neither, and offers neither."""
    for page in source_pages():
        links = [a["href"] for a in soup(build.html / f"{page}.html").select(".edition-download a")]
        if build.kind == "external":
            assert links == [], f"{page}: a pull request's build offers downloads it never made: {links}"
            continue
        assert links == [f"/_/downloads/{build.language}/{build.version}/{fmt}/" for fmt in ("pdf", "epub")], page
        for href, stored in zip(links, (build.pdf, build.epub)):
            served = served_file(read_the_docs, href)
            assert served.is_file() and served.resolve() == stored.resolve(), f"{page}: {href} serves no file"


def test_404_page_links_resolve_where_it_is_served(build, read_the_docs):
    """Read the Docs serves 404.html at any missing address, so every link in it is absolute: into
    its own edition, to the other edition's home page (where both are built) and to the downloads."""
    other = read_the_docs.build(OTHER[build.language], build.kind) if build.kind == "branch" else None
    page = soup(build.html / "404.html")
    links = [tag.get("href") for tag in page.find_all(["a", "link"]) if tag.get("href")]
    links += [tag.get("src") for tag in page.find_all(["script", "img"]) if tag.get("src")]
    local = [href for href in links if not urlsplit(href).scheme and not href.startswith(("#", "data:"))]
    assert len(local) > 10
    allowed = [f"/{build.language}/{build.version}/", f"/_/downloads/{build.language}/{build.version}/"]
    allowed += [f"/{other.language}/{other.version}/"] if other else []
    for href in local:
        assert href.startswith(tuple(allowed)), f"404.html: {href} is relative or elsewhere"
        assert served_file(read_the_docs, href).is_file(), f"404.html links to missing {href}"
    heading = page.find("h1").get_text(strip=True)
    assert heading == {"en": "Page not found", "sv": "Sidan hittades inte"}[build.language]
    switch = [a["href"] for a in page.select(".edition-switch a")]
    assert switch == ([f"/{other.language}/{other.version}/"] if other else []), "404.html: the language switch"


# -- The PDF and the EPUB that Read the Docs serves ---------------------------------------------


def sidebar_menu(build: readthedocs.Replay) -> list[tuple[int, str]]:
    """The menu as the HTML sidebar shows it: (depth, menu name) of every page, in order. That the
    sidebar shows the front matter's menu is tested in test_browser.py and test_editions.py."""
    nav = soup(build.html / "index.html").select_one(".wy-menu-vertical")
    entries = []
    for link in nav.select("li > a.reference.internal"):
        level = int(re.search(r"toctree-l(\d)", " ".join(link.parent["class"])).group(1))
        if "#" not in link["href"]:
            entries.append((level - 1, link.get_text(" ", strip=True)))
    return entries


def bookmarks(reader: PdfReader) -> list[tuple[int, str]]:
    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                yield depth, re.sub(r"^[IVX]+ ", "", item.title)  # parts carry a roman numeral

    return list(walk(reader.outline, 0))


def test_pdf_contents_and_bookmarks_show_the_menu(branch_build):
    """Read the Docs' PDF is built second, from the environment the HTML build saved."""
    menu = sidebar_menu(branch_build)
    assert len(menu) >= 10
    reader = PdfReader(branch_build.pdf)
    marks = bookmarks(reader)
    assert [mark for mark in marks if mark in menu] == menu, f"bookmarks: {marks}"
    heading = {"en": "contents", "sv": "innehåll"}[branch_build.language]
    texts = pdf_texts(branch_build.pdf)
    contents = next(i for i, text in enumerate(texts) if text.casefold().startswith(heading))
    text = flatten(" ".join(texts[contents:contents + 2]))
    missing = [name for _, name in menu if flatten(name) not in text]
    assert missing == [], f"the PDF's contents page lacks the menu names {missing}"
    # Each entry's page number is the page its bookmark opens (where the page's heading is).
    opens = {}
    stack = list(reader.outline)
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        else:
            opens[re.sub(r"^[IVX]+ ", "", item.title)] = reader.get_destination_page_number(item) + 1
    for _, name in menu:
        listed = re.search(re.escape(flatten(name)) + r"[\s.]*?(\d+)", text)
        assert listed and int(listed.group(1)) == opens[name], \
            f"contents: {name!r} on page {listed and listed.group(1)}, its bookmark opens page {opens[name]}"


def test_epub_navigation_is_the_menu(branch_build):
    root, *entries = epub_navigation(branch_build.epub)
    assert entries == sidebar_menu(branch_build)


def test_pdf_metadata_in_the_edition_language(read_the_docs):
    english, swedish = (PdfReader(read_the_docs.build(lang).pdf).metadata for lang in LANGUAGES)
    for key in ("/Title", "/Subject", "/Keywords"):
        assert english[key] and swedish[key] and english[key] != swedish[key], key
    assert "microscopy" in english["/Keywords"]
    assert "mikroskopi" in swedish["/Keywords"] and not re.search(r"imaging|microscopy|images", swedish["/Keywords"])


# -- The checklist's boxes, in every format and edition -----------------------------------------


def checklist_tasks() -> int:
    return len(re.findall(r"^\s*- \[[ xX]\] ", (ROOT / f"{CHECKLIST}.md").read_text(encoding="utf-8"), flags=re.M))


def boxes_in_html(build) -> int:
    return len(soup(build.html / f"{CHECKLIST}.html").select("input.task-list-item-checkbox[type=checkbox][aria-label]"))


def boxes_in_epub(build) -> int:
    with zipfile.ZipFile(build.epub) as book:
        page = BeautifulSoup(book.read(f"{CHECKLIST}.xhtml"), "html.parser")
    return len(page.select("input.task-list-item-checkbox[type=checkbox]"))


def boxes_in_pdf(build) -> int:
    # A ballot box before each task: ☐ (U+2610), or ☒ (U+2612) for a task already ticked.
    return sum(len(re.findall("[\u2610\u2612]", text)) for text in pdf_texts(build.pdf))


@pytest.mark.parametrize("count", [boxes_in_html, boxes_in_pdf, boxes_in_epub], ids=["html", "pdf", "epub"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_checklist_has_a_box_for_every_task(read_the_docs, language, count):
    tasks = checklist_tasks()
    assert tasks >= 20
    assert count(read_the_docs.build(language)) == tasks


# The same output in any build order and any folder: tests/test_reliability.py.
