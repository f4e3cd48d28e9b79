"""The imaging guidance: its pages sit where the menu says, and its facts keep their documented form.

These tests check structure and facts, not wording.
"""

from __future__ import annotations

import re
import zipfile
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from imaging_guidelines import menu
from conftest import ROOT, pdf_texts

GUIDE = "docs/data_types/imaging_data/guidelines"
REPOSITORIES = f"{GUIDE}/repositories"

# (source file, identifier, parent, weight) as on the original portal and in the issue.
PAGES = [
    (f"{GUIDE}/repositories.md", "imaging_data_repositories", "imaging_data_guidelines", 10),
    (f"{GUIDE}/metadata.md", "imaging_data_metadata", "imaging_data_guidelines", 20),
    (f"{GUIDE}/clinical.md", "imaging_data_clinical", "imaging_data_guidelines", 30),
    (f"{GUIDE}/checklist.md", "imaging_data_checklist", "imaging_data_guidelines", 40),
    ("docs/data_types/imaging_data/services.md", "imaging_data_services", "imaging_data", 30),
]

# Every repository the chooser must name: its row label in the chooser table, the host of its
# own site, and the documented form of its identifiers (None where the row names no identifier).
REPOSITORY_FACTS = {
    "BioImage Archive": ("www.ebi.ac.uk", r"S-BIAD\d+"),
    "IDR": ("idr.openmicroscopy.org", r"idr\d{4}"),
    "SSBD": ("ssbd.qbic.riken.jp", None),
    "EMPIAR": ("www.ebi.ac.uk", r"EMPIAR-\d{5}"),
    "EMDB": ("www.ebi.ac.uk", r"EMD-\d{4,5}"),
    "PDB": ("www.wwpdb.org", r"[1-9][0-9A-Za-z]{3}|pdb_0000[0-9a-z]{4}"),
    "TCIA": ("www.cancerimagingarchive.net", r"10\.7937/[\w.-]+"),
    "MIDRC": ("www.midrc.org", None),
    "BIMCV-COVID19+": ("arxiv.org", None),
    "AIDA Data Hub": ("datahub.aida.scilifelab.se", r"10\.23698/[\w./-]+"),
    "EGA or Federated EGA": ("ega-archive.org", r"EGAD(\d{11}| and 11 digits)"),
    "SciLifeLab Data Repository": ("scilifelab.figshare.com", r"10\.17044/scilifelab\.\d+"),
    "Zenodo": ("zenodo.org", r"(DOI prefix )?10\.5281(/zenodo\.\d+)?"),
}
FORBIDDEN = re.compile(r"\[UNVERIFIED\]|\bTODO\b|\bTBD\b|lorem", re.IGNORECASE)


def soup(build, docname: str) -> BeautifulSoup:
    return BeautifulSoup((build.builddir / "html" / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


def chooser_rows(build) -> dict[str, list]:
    """The repository chooser's rows, by repository: {name: [your images cell, identifier cell]}."""
    table = soup(build, REPOSITORIES).find(id="repository-chooser")
    assert table is not None, "the chooser table (name: repository-chooser) is missing"
    rows = {}
    for row in table.select("tbody tr"):
        images, repository, identifier = row.find_all("td")
        rows[repository.get_text(" ", strip=True)] = [images, identifier]
    return rows


@pytest.mark.parametrize(("path", "identifier", "parent", "weight"), PAGES, ids=[p[1] for p in PAGES])
def test_page_has_its_place_in_the_menu(path, identifier, parent, weight):
    entry = menu.parse_menu(path, (ROOT / path).read_text(encoding="utf-8"))
    assert (entry.identifier, entry.parent, entry.weight) == (identifier, parent, weight)


@pytest.mark.parametrize(("path", "identifier", "parent", "weight"), PAGES, ids=[p[1] for p in PAGES])
def test_page_is_in_its_parents_toctree(html_build, path, identifier, parent, weight):
    docname = path.removesuffix(".md")
    crumbs = [li.get_text(strip=True) for li in soup(html_build, docname).select(".wy-breadcrumbs li.breadcrumb-item")]
    expected_parent = {"imaging_data_guidelines": "Guidelines for data producers", "imaging_data": "Imaging data"}[parent]
    assert crumbs[-2] == expected_parent


def test_chooser_names_every_repository(html_build):
    assert set(chooser_rows(html_build)) == set(REPOSITORY_FACTS)


@pytest.mark.parametrize("repository", REPOSITORY_FACTS)
def test_identifier_has_the_documented_form(html_build, repository):
    pattern = REPOSITORY_FACTS[repository][1]
    identifier = chooser_rows(html_build)[repository][1]
    if pattern is None:
        assert identifier.find("code") is None, f"{repository}: an identifier is shown without a documented form"
    else:
        assert re.fullmatch(pattern, identifier.get_text(" ", strip=True)), identifier.get_text()


@pytest.mark.parametrize("repository", REPOSITORY_FACTS)
def test_repository_section_links_its_own_site_on_https(html_build, repository):
    host = REPOSITORY_FACTS[repository][0]
    page = soup(html_build, REPOSITORIES)
    name = repository.split(" or ")[0]  # "EGA or Federated EGA" has the section "EGA and Federated EGA"
    heading = next(h for h in page.select("section > h3") if h.get_text(strip=True).startswith(name))
    links = [a["href"] for a in heading.parent.select("a.reference.external")]
    assert any(urlparse(link).scheme == "https" and urlparse(link).hostname == host for link in links), links


def test_every_external_link_in_the_guidance_is_https(html_build):
    for path, *_ in PAGES:
        for a in soup(html_build, path.removesuffix(".md")).select('[itemprop="articleBody"] a.reference.external'):
            assert a["href"].startswith(("https://", "mailto:")), f"{path}: {a['href']}"


def test_no_placeholder_text_anywhere():
    for source in [ROOT / "index.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
            assert not FORBIDDEN.search(line), f"{source.relative_to(ROOT)}:{number}: {line}"


def test_pdf_has_every_page_and_the_chooser_table(pdf_build):
    text = re.sub(r"\s+", " ", " ".join(pdf_texts(pdf_build.pdf)))
    for path, *_ in PAGES:
        title = menu.parse_menu(path, (ROOT / path).read_text(encoding="utf-8")).title
        assert title in text, f"{title} is missing from the PDF"
    for repository in REPOSITORY_FACTS:
        assert repository in text
    assert "Where each kind of image goes" in text  # the chooser's caption


def test_landing_page_reaches_each_readers_answers(html_build):
    """A microscopist, a cryo-EM group and a radiology group each reach the repository, the
    metadata and the first step from the landing page in one click."""
    cards = soup(html_build, "index").select(".sd-card")
    assert [card.select_one(".sd-card-title").get_text(strip=True) for card in cards] == [
        "Light microscopy", "Cryo-EM and volume EM", "Clinical images",
    ]
    for card in cards:
        targets = [a["href"] for a in card.select("a.reference.internal")]
        assert len(targets) == 3
        for target in targets:
            page, _, anchor = target.partition("#")
            assert (html_build.builddir / "html" / page).is_file()
            assert f'id="{anchor}"' in (html_build.builddir / "html" / page).read_text(encoding="utf-8")


# -- The glossary ----------------------------------------------------------------------------------

GLOSSARY = "docs/data_types/imaging_data/glossary"


@pytest.mark.parametrize("language", ["en", "sv"])
def test_every_glossary_term_is_linked_from_the_pages(read_the_docs, language):
    """At least 15 terms, and each one linked from a page that uses it, in the HTML, the PDF and
    the EPUB of both editions as Read the Docs builds them."""
    build = read_the_docs.build(language)
    glossary = BeautifulSoup((build.html / f"{GLOSSARY}.html").read_text(encoding="utf-8"), "html.parser")
    terms = {term["id"] for term in glossary.select("dl.glossary > dt[id]")}
    assert len(terms) >= 15, sorted(terms)
    linked = set()
    for page in build.html.rglob("*.html"):
        if page.name != "glossary.html":
            html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            linked |= {a["href"].split("#")[1] for a in html.select("a[href*='glossary.html#term-']")}
    assert terms - linked == set(), f"{language}: no page links to {sorted(terms - linked)}"
    reader = PdfReader(build.pdf)
    in_pdf = {str((annotation.get_object().get("/A") or {}).get("/D") or annotation.get_object().get("/Dest"))
              for page in reader.pages for annotation in page.get("/Annots") or []}
    assert {f"document-{GLOSSARY}#{term}" for term in terms} <= in_pdf, f"{language}: a term no PDF link reaches"
    with zipfile.ZipFile(build.epub) as book:
        in_epub = {found for name in book.namelist() if name.endswith(".xhtml") and "glossary" not in name
                   for found in re.findall(r'href="[^"]*glossary\.xhtml#(term-[^"]+)"', book.read(name).decode())}
    assert terms <= in_epub, f"{language}: no EPUB page links to {sorted(terms - in_epub)}"


# Link words that say nothing of where the link leads, as Lighthouse's link-text audit lists them,
# in both editions' languages.
VAGUE_LINK_TEXTS = {"here", "click here", "this", "this page", "link", "more", "read more", "learn more", "website",
                    "här", "klicka här", "denna sida", "den här sidan", "länk", "länken", "mer", "läs mer", "webbplats"}


@pytest.mark.parametrize("language", ["en", "sv"])
def test_every_link_says_where_it_leads(read_the_docs, language):
    """Read alone, as a screen reader lists a page's links, each link's words say where it leads
    (WCAG 2.4.4), in the pages' text of both editions."""
    build = read_the_docs.build(language)
    vague = [f"{page.relative_to(build.html)}: [{a.get_text(' ', strip=True)}]({a['href']})"
             for page in sorted(build.html.rglob("*.html"))
             for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select('[role="main"] a[href]')
             if a.get_text(" ", strip=True).lower().strip(".:!?") in VAGUE_LINK_TEXTS]
    assert vague == [], ("links whose words do not say where they lead: name the page or site in the link, e.g. "
                         f"[the NMI project portal](https://nmi.scilifelab.se/): {vague}")
