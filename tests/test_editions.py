"""The Swedish edition: complete, in Swedish throughout, linked both ways with the English one,
and built exactly as Read the Docs builds it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from pypdf import PdfReader
from sphinx.testing.util import SphinxTestApp

from imaging_guidelines import menu
import preview
from conftest import ROOT, pdf_texts, warnings_of

LOCALE = ROOT / "locale" / "sv" / "LC_MESSAGES"
SEED = "docs/data_types/imaging_data/guidelines"

# The portal's Swedish names (shared/facts/swedish-edition.md): page title, then menu name.
SWEDISH = {
    "docs/data_types/index": ("Datatyper", "Datatyper"),
    "docs/data_types/imaging_data/index": ("Bilddata", "Bilddata"),
    "docs/data_types/imaging_data/data": ("Publicerad avbildningsdata", "Publicerad data"),
    SEED: ("Riktlinjer för avbildningsdata", "Riktlinjer för dataproduktion"),
    "docs/data_types/imaging_data/services": ("Tillgängliga tjänster - Avbildningsdata", "Tillgängliga tjänster"),
    "docs/data_types/imaging_data/glossary": ("Ordlista för bilddata", "Ordlista"),
}


def pages() -> list[str]:
    return ["index", *sorted(str(p.relative_to(ROOT).with_suffix("")) for p in (ROOT / "docs").rglob("*.md"))]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def heading(page: BeautifulSoup) -> str:
    h1 = page.find("h1")
    for permalink in h1.select("a.headerlink"):
        permalink.decompose()
    return h1.get_text(strip=True)


@pytest.fixture(scope="session")
def swedish_html(read_the_docs):
    """The Swedish project's build on Read the Docs (tests/readthedocs.py)."""
    build = read_the_docs.build("sv")
    assert build.returncode == 0, build.log
    return build


# Zero warnings in every format of the Swedish project's build: tests/test_readthedocs.py.


def test_swedish_pdf_opens_in_swedish(swedish_html):
    pdf = PdfReader(swedish_html.pdf)
    first_pages = " ".join(pdf_texts(swedish_html.pdf)[:3])
    assert "Riktlinjer för bilddata" in first_pages and "Innehåll" in first_pages
    assert pdf.trailer["/Root"]["/Lang"] == "sv"


def test_swedish_pdf_hyphenates_by_swedish_rules(swedish_html):
    """Every word the Swedish PDF breaks at a line's end (with U+2010) breaks where Swedish
    hyphenation allows (Pyphen's Swedish patterns, which WeasyPrint uses for lang="sv"), and some
    break where English patterns would not: the pages are hyphenated as Swedish."""
    import pyphen

    text = "\n".join(pdf_texts(swedish_html.pdf))
    # A break whose next line is a footnote's number (its address printed at the page's foot) is
    # left out: the word goes on after the footnotes, where this text does not join it.
    breaks = re.findall(r"(\w+)\u2010\n([^\W\d_]\w*)", text)
    assert len(breaks) >= 10
    swedish_rules, english_rules = pyphen.Pyphen(lang="sv"), pyphen.Pyphen(lang="en")
    wrong = [f"{head}-{tail}" for head, tail in breaks if len(head) not in swedish_rules.positions(head + tail)]
    assert wrong == [], f"broken against Swedish rules: {wrong}"
    assert any(len(head) not in english_rules.positions(head + tail) for head, tail in breaks)


@pytest.mark.quick
def test_make_builds_the_swedish_edition_whatever_the_options():
    """A command-line SPHINXOPTS replaces the Makefile's own: the language must survive it."""
    result = subprocess.run(["make", "--no-print-directory", "-n", "html", "LANGUAGE=sv", "SPHINXOPTS=-q -E"],
                            cwd=ROOT, capture_output=True, text=True, check=True)
    command = next(line for line in result.stdout.splitlines() if " -M html " in line)
    assert "-D language=sv" in command and '"_build/sv"' in command and "-q -E" in command, command


# -- Every message translated -------------------------------------------------------------------


def test_no_message_is_untranslated_or_fuzzy(tmp_path):
    """Extract the messages from the current sources and look each one up in locale/sv/."""
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "gettext", "-E", "-q", str(ROOT), str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    missing = []
    for template in sorted(tmp_path.rglob("*.pot")):
        name = template.relative_to(tmp_path).with_suffix(".po")
        catalogue = LOCALE / name
        translations = read_po(catalogue.open("rb")) if catalogue.exists() else None
        for message in read_po(template.open("rb")):
            if not message.id:
                continue
            found = translations.get(message.id) if translations else None
            if found is None or not found.string or found.fuzzy:
                missing.append(f"{name}: {message.id[:70]!r}" + (" (fuzzy)" if found and found.fuzzy else ""))
    assert missing == [], (
        f"{len(missing)} messages are not translated; run `make translations`, then translate them in "
        "locale/sv/LC_MESSAGES/:\n" + "\n".join(missing)
    )


# -- Swedish throughout -------------------------------------------------------------------------


@pytest.mark.parametrize("page", pages())
def test_swedish_page_is_in_swedish(swedish_html, html_build, page):
    swedish = soup(swedish_html.builddir / "html" / f"{page}.html")
    english = soup(html_build.builddir / "html" / f"{page}.html")
    assert swedish.html["lang"] == "sv"
    assert heading(swedish) != heading(english), f"{page}: the H1 is still English"
    if page in SWEDISH:
        assert heading(swedish) == SWEDISH[page][0]


def test_swedish_menu_names_in_sidebar_and_breadcrumbs(swedish_html):
    page = soup(swedish_html.builddir / "html" / f"{SEED}.html")
    path = [SWEDISH[p][1] for p in ("docs/data_types/index", "docs/data_types/imaging_data/index", SEED)]
    assert [a.get_text(strip=True) for a in page.select(".wy-menu-vertical li.current > a")] == path
    assert [li.get_text(strip=True) for li in page.select(".wy-breadcrumbs li.breadcrumb-item")] == path
    siblings = soup(swedish_html.builddir / "html" / "docs/data_types/imaging_data/index.html")
    names = [a.get_text(strip=True) for a in siblings.select(".wy-menu-vertical li.toctree-l3 > a")]
    assert names == [SWEDISH[p][1] for p in ("docs/data_types/imaging_data/data", SEED, "docs/data_types/imaging_data/services",
                                       "docs/data_types/imaging_data/glossary")]


def test_swedish_description(swedish_html, html_build):
    for page in pages():
        english = soup(html_build.builddir / "html" / f"{page}.html").find("meta", attrs={"name": "description"})
        swedish = soup(swedish_html.builddir / "html" / f"{page}.html").find("meta", attrs={"name": "description"})
        assert swedish["content"] and swedish["content"] != english["content"], page


def test_english_only_links_say_so(swedish_html):
    page = soup(swedish_html.builddir / "html" / f"{SEED}.html")
    body = page.find(itemprop="articleBody")
    for link in body.select("a.reference.external"):
        following = link.next_sibling or ""
        if urlparse(link["href"]).hostname == "www.pathogens.se":
            assert "(engelska)" not in following
        elif link["href"].startswith("https://"):
            assert str(following).startswith(" (engelska)"), link


# -- Between the editions -----------------------------------------------------------------------


def switch_links(root: Path, language: str) -> list[tuple[Path, Path]]:
    """(page, the page its language switch points at) for every page of one edition."""
    links = []
    for page in pages():
        html = root / f"{page}.html"
        switch = soup(html).select_one(".edition-switch a")
        assert switch is not None, f"{page}: no language switch"
        assert switch["hreflang"] != language
        links.append((html, Path(os.path.normpath(html.parent / switch["href"]))))
    return links


def test_language_switch_resolves_both_ways(read_the_docs, swedish_html, html_build):
    """At Read the Docs' addresses, /en/latest/<page> <-> /sv/latest/<page>."""
    english_root, swedish_root = read_the_docs.served / "en" / "latest", read_the_docs.served / "sv" / "latest"
    for source, target in switch_links(english_root, "en"):
        assert target == swedish_root / source.relative_to(english_root), source
        assert target.is_file()
    for source, target in switch_links(swedish_root, "sv"):
        assert target == english_root / source.relative_to(swedish_root), source
        assert target.is_file()


def test_hreflang_alternates(swedish_html, html_build):
    for root in (html_build.builddir / "html", swedish_html.builddir / "html"):
        page = soup(root / f"{SEED}.html")
        alternates = {link["hreflang"]: link["href"] for link in page.find_all("link", rel="alternate")}
        assert alternates["en"] == f"https://imaging-data-guidelines.readthedocs.io/en/latest/{SEED}.html"
        assert alternates["sv"] == f"https://imaging-data-guidelines.readthedocs.io/sv/latest/{SEED}.html"
        assert alternates["x-default"] == alternates["en"]


# -- Published data -----------------------------------------------------------------------------


def test_published_data_page_in_the_menu():
    path = ROOT / "docs/data_types/imaging_data/data.md"
    entry = menu.parse_menu(str(path), path.read_text(encoding="utf-8"))
    assert (entry.identifier, entry.name, entry.parent, entry.weight) == ("imaging_data_data", "Published data", "imaging_data", 10)


ACCESSION = re.compile(r"^(S-BIAD\d+|idr\d{4}|EMPIAR-\d{5}|EMD-\d{4,5}|10\.\d{4,5}/\S+)$")


def test_published_accessions_link_on_https(html_build):
    page = soup(html_build.builddir / "html" / "docs/data_types/imaging_data/data.html")
    accessions = 0
    for table in page.select("table"):
        for row in table.select("tbody tr"):
            first = row.find("td")
            links = first.find_all("a")
            assert links, f"no linked accession in {first.get_text(' ', strip=True)!r}"
            for link in links:
                text = link.get_text(strip=True)
                assert ACCESSION.match(text), f"not an accession as archives write them: {text!r}"
                assert link["href"].startswith("https://"), text
                accessions += 1
            leftover = first.get_text(" ", strip=True)
            for link in links:
                leftover = leftover.replace(link.get_text(strip=True), "")
            assert re.fullmatch(r"[\s,/and]*", leftover), f"unlinked text beside the accessions: {leftover!r}"
    assert accessions >= 10


# -- Local preview (make preview) ---------------------------------------------------------------


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode(errors="replace")  # a PDF too
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def test_local_preview_serves_both_editions_and_their_404_pages(rootdir, tmp_path):
    """`make preview`: both editions from _build/, the switch, each edition's PDF and EPUB and its
    404 page working, on a two-page site with the site's own settings (tests/roots/test-editions/)."""
    shutil.copytree(rootdir / "test-editions", tmp_path / "src")
    for language, builddir in (("en", tmp_path / "_build"), ("sv", tmp_path / "_build" / "sv")):
        for builder in ("html", "pdf", "epub"):  # as `make html pdf epub`: <builddir>/<builder>/
            app = SphinxTestApp(builder, srcdir=tmp_path / "src", builddir=builddir, freshenv=True,
                                confoverrides={"language": language})
            try:
                app.build()
                assert warnings_of(app) == [], warnings_of(app)
            finally:
                app.cleanup()
    server = preview.make_server(tmp_path / "_build", 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    page = "docs/page"
    try:
        for here, there in (("/html/", "/sv/html/"), ("/sv/html/", "/html/")):
            status, body = fetch(f"{base}{here}{page}.html")
            assert status == 200
            switch = BeautifulSoup(body, "html.parser").select_one(".edition-switch a")["href"]
            assert urlparse(urljoin(f"{base}{here}{page}.html", switch)).path == f"{there}{page}.html"
            assert fetch(urljoin(f"{base}{here}{page}.html", switch))[0] == 200
            downloads = BeautifulSoup(body, "html.parser").select(".edition-download a")
            assert [download.get_text() for download in downloads] == ["PDF", "EPUB"], f"{here}{page}.html"
            for download, signature in zip(downloads, ("%PDF-", "PK")):
                status, content = fetch(urljoin(f"{base}{here}{page}.html", download["href"]))
                assert status == 200 and content.startswith(signature), (
                    f"{here}{page}.html: its {download.get_text()} link {download['href']} leads to no such file")
        for prefix, language in (("/html/", "en"), ("/sv/html/", "sv")):
            status, body = fetch(f"{base}{prefix}no/such/page.html")
            not_found = BeautifulSoup(body, "html.parser")
            assert status == 404 and not_found.html["lang"] == language
            links = [a["href"] for a in not_found.select("[role=main] a[href], .wy-menu-vertical a[href]")]
            links += [tag["href"] for tag in not_found.select('link[rel="stylesheet"]')]
            assert links
            for href in links:
                assert href.startswith(prefix) and fetch(base + href)[0] == 200, f"{prefix}404: {href}"
            # The other edition's home page and this edition's PDF and EPUB, from any address.
            tools = [a["href"] for a in not_found.select(".edition-tools a")]
            assert len(tools) == 3 and all(fetch(base + href)[0] == 200 for href in tools), f"{prefix}404: {tools}"
    finally:
        server.shutdown()
        server.server_close()
