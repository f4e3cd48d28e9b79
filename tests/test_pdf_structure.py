"""The PDF's structure tree, as a screen reader or a reflowing viewer reads it (PDF/UA-1), checked
against the content of the site's pages, in both editions, from Read the Docs' build.

The tree is read with pikepdf, and the text of each structure element from the marked content it
owns (pypdf reads the text of each marked-content sequence). The site's HTML pages, in the order of
their menu, say what the tree must hold: each page's headings one level up (the landing page's
title is the title page's), its tables with their header cells, its lists and their items, its
links and its images with their alternative text.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from bs4 import BeautifulSoup

from conftest import pdf_chunks
from imaging_guidelines.pdf.structure import number_tree

LANGUAGES = ["en", "sv"]
TITLES = {"en": "Imaging data guidelines", "sv": "Riktlinjer för bilddata"}
CONTENTS = {"en": "Contents", "sv": "Innehåll"}


@dataclasses.dataclass
class Element:
    """A structure element: its type, attributes, kids, and the marked content it owns itself."""

    tag: str
    obj: pikepdf.Dictionary
    items: list  # in order: kid elements and marked content it owns itself, as (page index, MCID)
    text: str = ""

    @property
    def kids(self) -> list[Element]:
        return [item for item in self.items if isinstance(item, Element)]

    @property
    def content(self) -> list[tuple[int, int]]:
        return [item for item in self.items if isinstance(item, tuple)]

    def walk(self):
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def all(self, *tags: str) -> list[Element]:
        return [element for element in self.walk() if element.tag in tags]

    def pages(self) -> list[int]:
        return [page for element in self.walk() for page, _ in element.content]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2010\n", "").replace("\u00ad", "")).strip()


def marked_text(path: Path) -> dict[tuple[int, int], str]:
    """The text of every marked-content sequence with an MCID: {(page index, MCID): text}."""
    texts: dict[tuple[int, int], str] = {}
    for index, page in enumerate(pdf_chunks(path)):
        for _, mcid, chunk in page:
            if mcid is not None:
                texts[index, mcid] = texts.get((index, mcid), "") + chunk
    return texts


@dataclasses.dataclass
class TaggedPdf:
    path: Path
    pdf: pikepdf.Pdf
    root: Element  # the /Document element

    @classmethod
    def read(cls, path: Path) -> TaggedPdf:
        pdf = pikepdf.open(path)
        page_index = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        texts = marked_text(path)

        def element(obj: pikepdf.Dictionary) -> Element:
            node = Element(str(obj.S), obj, [])
            kids = obj.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]:
                if isinstance(kid, int):
                    node.items.append((page_index[obj.Pg.objgen], int(kid)))
                elif kid.get("/Type") == "/MCR":
                    node.items.append((page_index[kid.Pg.objgen], int(kid.MCID)))
                elif "/S" in kid:
                    node.items.append(element(kid))
            return node

        root = pdf.Root.StructTreeRoot.K
        document = element(root[0] if isinstance(root, pikepdf.Array) else root)

        def fill(node: Element) -> str:
            node.text = "".join(fill(item) if isinstance(item, Element) else texts.get(item, "") for item in node.items)
            return node.text

        fill(document)
        return cls(path, pdf, document)

    @property
    def body(self) -> Element:
        """The pages' content (<main>, tagged /Part): what comes after the title page and contents."""
        parts = self.root.all("/Part")
        assert len(parts) == 1, f"{len(parts)} /Part elements: the pages' content should be one"
        return parts[0]


@pytest.fixture(scope="module", params=LANGUAGES)
def edition(request, read_the_docs):
    build = read_the_docs.build(request.param)
    assert build.returncode == 0, build.log
    return build


@pytest.fixture(scope="module")
def tagged(edition) -> TaggedPdf:
    return TaggedPdf.read(edition.pdf)


# -- The site's pages, in the order of their menu ----------------------------------------------


@dataclasses.dataclass
class SitePage:
    name: str
    depth: int  # 0 for the landing page, 1 for Data Types, 2 for Imaging data, …
    body: BeautifulSoup


def site_pages(build) -> list[SitePage]:
    landing = BeautifulSoup((build.html / "index.html").read_text(encoding="utf-8"), "html.parser")
    pages = [SitePage("index.html", 0, landing.find(itemprop="articleBody"))]
    for link in landing.select(".wy-menu-vertical a.reference.internal"):
        href = link["href"]
        if "#" in href:
            continue
        depth = int(re.search(r"toctree-l(\d)", " ".join(link.find_parent("li")["class"])).group(1))
        page = BeautifulSoup((build.html / href).read_text(encoding="utf-8"), "html.parser")
        pages.append(SitePage(href, depth, page.find(itemprop="articleBody")))
    for page in pages:
        # The PDF has the pages themselves where a page lists its subpages (a toctree), and no
        # permalinks beside the headings.
        for navigation in page.body.select(".toctree-wrapper, a.headerlink"):
            navigation.decompose()
    return pages


@pytest.fixture(scope="module")
def pages(edition) -> list[SitePage]:
    return site_pages(edition)


def expected_headings(pages: list[SitePage]) -> list[tuple[int, str]]:
    """Each page's headings one level up, under its place in the menu: Data Types' title is an H1,
    Imaging data's an H2, its pages' H3, and each section below its page's title."""
    headings = []
    for page in pages:
        for heading in page.body.find_all(re.compile(r"^h[1-6]$")):
            level = int(heading.get("aria-level") or heading.name[1])
            if page.depth == 0 and level == 1:
                continue  # the landing page's title is the title page's
            headings.append((page.depth + level - 1, flat(heading.get_text())))
    return headings


# -- PDF/UA identification ---------------------------------------------------------------------


def test_tagged_and_identified_as_pdf_ua(tagged, edition):
    catalog = tagged.pdf.Root
    assert catalog.MarkInfo.Marked is True
    assert str(catalog.Lang) == edition.language
    assert catalog.ViewerPreferences.DisplayDocTitle is True, "the window shows the title, not the file name"
    with tagged.pdf.open_metadata() as xmp:
        assert xmp.get("pdfuaid:part") == "1"
        assert xmp.get("dc:title") == TITLES[edition.language]
        assert set(xmp.get("dc:language") or []) == {edition.language}
    assert str(tagged.pdf.docinfo.Title) == TITLES[edition.language]
    assert tagged.root.tag == "/Document"


# -- What the tree holds, against the pages ------------------------------------------------------


def test_headings_at_their_real_levels(tagged, edition, pages):
    found = [(int(h.tag[2]), flat(h.text)) for h in tagged.body.walk() if re.fullmatch(r"/H[1-6]", h.tag)]
    assert found == expected_headings(pages)
    contents = tagged.root.kids[1]
    assert [(h.tag, flat(h.text)) for h in contents.all("/H1")] == [("/H1", CONTENTS[edition.language])]


def test_no_heading_skips_a_level(tagged):
    levels = [int(h.tag[2]) for h in tagged.root.walk() if re.fullmatch(r"/H[1-6]", h.tag)]
    assert levels[0] == 1
    skips = [(before, after) for before, after in zip(levels, levels[1:]) if after > before + 1]
    assert skips == []


def test_tables_with_their_header_cells(tagged, pages):
    expected = []
    for page in pages:
        for table in page.body.find_all("table"):
            caption = table.find("caption")
            expected.append((flat(caption.get_text()) if caption else "",
                             [flat(th.get_text()) for th in table.select("thead th")],
                             len(table.select("tbody td"))))
    found = []
    for table in tagged.body.all("/Table"):
        captions = table.all("/Caption")
        heads = table.all("/THead")
        assert len(heads) <= 1, "a table's head once: its repetition on the next page is an artifact"
        header_cells = heads[0].all("/TH") if heads else []
        for cell in table.all("/TH"):
            assert str(cell.obj.A.Scope) in ("/Column", "/Row"), f"a header cell without /Scope in {captions}"
        header_ids = {str(cell.obj.get("/ID")) for cell in header_cells}
        for cell in table.all("/TD"):
            named = {str(name) for name in cell.obj.A.get("/Headers", [])}
            assert named and named <= header_ids, "a data cell names its column's header"
        found.append((flat(captions[0].text) if captions else "", [flat(th.text) for th in header_cells],
                      len(table.all("/TD"))))
    assert found == expected
    assert len(found) >= 8


def test_lists_and_their_items(tagged, pages):
    def items(listing) -> int:
        return len(listing.find_all(["li", "dt", "dd"], recursive=False))

    expected = [items(listing) for page in pages for listing in page.body.find_all(["ul", "ol", "dl"])]
    found = []
    for listing in tagged.body.all("/L"):
        list_items = [kid for kid in listing.kids if kid.tag == "/LI"]
        for item in list_items:
            assert {kid.tag for kid in item.kids} <= {"/Lbl", "/LBody"} and item.all("/LBody"), \
                f"a list item holds a label and a body, not {[kid.tag for kid in item.kids]}"
        found.append(len(list_items))
    assert found == expected
    assert sum(found) >= 100


def test_links_are_tagged(tagged, pages):
    def squash(text: str) -> str:  # a long address may break anywhere in the PDF
        return re.sub(r"\s+", "", text.replace("\u2010\n", ""))

    # Not the site's link that opens the guide's diagram whole: the PDF holds no SVG to open.
    expected = [squash(a.get_text()) for page in pages for a in page.body.find_all("a", href=True)
                if not a.find_parent(class_="guide-diagram")]
    # An internal link carries its page reference, "(page 12)", inside it.
    found = [re.sub(r"\((page|sida)\d+\)$", "", squash(link.text)) for link in tagged.body.all("/Link")]
    assert found == expected
    reached = {element.obj.objgen for element in tagged.root.walk()}
    parent_tree = number_tree(tagged.pdf.Root.StructTreeRoot.ParentTree)
    for number, page in enumerate(tagged.pdf.pages, start=1):
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") == "/Link":
                owner = parent_tree.get(int(annotation.StructParent))
                assert owner is not None and owner.get("/S") == "/Link" and owner.objgen in reached, \
                    f"page {number}: a link annotation outside the structure tree"
                assert str(annotation.get("/Contents", "")).strip(), f"page {number}: a link without a description"


def test_figures_have_alternative_text(tagged, pages):
    expected = [image.get("alt", "") for page in pages for image in page.body.find_all("img")]
    figures = tagged.root.all("/Figure")
    assert [str(figure.obj.get("/Alt", "")) for figure in figures] == expected
    assert all(text.strip() for text in expected), "every image has alternative text"


def test_reading_order_follows_the_pages(tagged):
    pages = tagged.root.pages()
    assert pages == sorted(pages), "the structure tree reads a page after a later one"
    assert set(pages) == set(range(len(tagged.pdf.pages))), "every page has tagged content"


def test_every_mark_is_tagged_or_an_artifact(tagged):
    """Every piece of text on a page is either content that the tree owns (its MCID maps, through the
    ParentTree, to the element that lists it) or an artifact; the running header and the page
    number are artifacts, as are the footnotes that print the addresses."""
    owned = {key: element for element in tagged.root.walk() for key in element.content}
    parent_tree = number_tree(tagged.pdf.Root.StructTreeRoot.ParentTree)
    for index, page in enumerate(tagged.pdf.pages):
        owners = parent_tree.get(int(page.obj.StructParents))
        marks: list[str] = []
        for operands, operator in pikepdf.parse_content_stream(page):
            operator = str(operator)
            if operator in ("BDC", "BMC"):
                marks.append(str(operands[0]))
                if operator == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                    mcid = int(operands[1].MCID)
                    element = owned.get((index, mcid))
                    assert element is not None, f"page {index + 1}: MCID {mcid} is owned by no element of the tree"
                    assert owners[mcid].objgen == element.obj.objgen, f"page {index + 1}: MCID {mcid}: ParentTree"
            elif operator == "EMC":
                marks.pop()
            elif operator in ("Tj", "TJ", "'", '"'):
                assert marks, f"page {index + 1}: text that is neither tagged nor an artifact"
        artifacts = "".join(chunk for tags, _, chunk in pdf_chunks(tagged.path)[index] if "/Artifact" in tags)
        if index > 0:  # the title page has no page number
            assert re.search(rf"(^|\s){index + 1}\s*$", artifacts), \
                f"page {index + 1}: its number is not an artifact"


def start_when_built(read_the_docs, tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    """pdfua on each edition's PDF, as soon as it is built, beside the other tests (conftest.py)."""
    def check(language: str) -> subprocess.CompletedProcess:
        pdf = read_the_docs.build(language).pdf
        return subprocess.run([str(Path(sys.executable).parent / "pdfua"), "check", str(pdf)], capture_output=True,
                              text=True)
    return {language: check(language) for language in LANGUAGES}


def test_pdf_ua_checker_finds_nothing(read_the_docs, edition):
    """pdfua (PyPI) checks the machine-checkable part of PDF/UA-1 (16 of its 106 rules) and WCAG."""
    result = read_the_docs.background[__name__].result()[edition.language]
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "errors=0 warnings=0" in result.stdout
