"""The PDF and the EPUB as readers get them: metadata, navigation in menu order, every heading,
working links, fonts that cover every character, nothing off the page, and a valid EPUB 3."""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pikepdf
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from imaging_guidelines import menu
from conftest import ROOT, pdf_chunks, pdf_texts

# The EPUB's files are XHTML; Python's own HTML parser reads them well enough, with no lxml.
pytestmark = pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")

A4 = (595.28, 841.89)  # points
OVERFULL_LIMIT = 5.0  # pt: a box wider than this sticks out of the text block visibly


def menu_tree() -> list[tuple[int, str]]:
    """The portal's menu from the pages' front matter: (depth, label), depth first, by weight."""
    pages = [ROOT / "index.md", *sorted((ROOT / "docs").rglob("*.md"))]
    entries = [menu.parse_menu(str(path), path.read_text(encoding="utf-8")) for path in pages]
    children: dict[str | None, list] = {}
    for entry in entries:
        if entry.identifier != "home":
            children.setdefault(entry.parent, []).append(entry)

    def walk(parent, depth):
        for entry in sorted(children.get(parent, []), key=lambda e: (e.weight, e.title.casefold())):
            yield depth, entry.name or entry.title
            yield from walk(entry.identifier, depth + 1)

    return list(walk(None, 0))


def source_headings() -> list[str]:
    """Every page title and Markdown heading in the sources."""
    headings = []
    for path in [ROOT / "index.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        headings.append(menu.parse_menu(str(path), text).title)
        body = re.sub(r"```.*?```", "", text.split("---", 2)[2], flags=re.S)
        headings += [m.group(1).strip() for m in re.finditer(r"^#{2,6}\s+(.+)$", body, flags=re.M)]
    return headings


def flatten(text: str) -> str:
    text = re.sub(r"[-\u2010]\n", "", text)  # a word broken at a line's end (U+2010: the PDF's hyphenation)
    text = text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def pdf(pdf_build) -> PdfReader:
    assert pdf_build.returncode == 0, pdf_build.log
    return PdfReader(pdf_build.pdf)


def outline(items, depth=0):
    for item in items:
        if isinstance(item, list):
            yield from outline(item, depth + 1)
        else:
            yield depth, re.sub(r"^[IVX]+ ", "", item.title)  # parts carry a roman numeral


# -- PDF ----------------------------------------------------------------------------------------


def test_pdf_metadata(pdf):
    info = pdf.metadata
    assert info.title == "Imaging data guidelines"
    assert info.author == "SciLifeLab Data Centre and contributors"
    assert "COVID-19" in info.subject
    assert "microscopy" in info["/Keywords"]
    assert pdf.trailer["/Root"]["/Lang"] == "en"


def test_pdf_pages_are_a4(pdf):
    for number, page in enumerate(pdf.pages, start=1):
        size = sorted((float(page.mediabox.width), float(page.mediabox.height)))  # across the sheet too
        assert size == pytest.approx(A4, abs=1), f"page {number} is {size} pt"


def test_title_page(pdf, pdf_build):
    first = flatten(pdf_texts(pdf_build.pdf)[0])
    for text in ["Imaging data guidelines", "Publishing imaging data from COVID-19 and pathogen research",
                 "SciLifeLab Data Centre and contributors", "Version"]:
        assert text in first


def test_bookmarks_follow_the_menu(pdf):
    """Every menu entry is a bookmark, in menu order and at the menu's depth."""
    bookmarks = list(outline(pdf.outline))
    expected = menu_tree()
    found = [entry for entry in bookmarks if entry in expected]
    assert found == expected


def test_bookmarks_for_every_section(pdf):
    titles = {title for _, title in outline(pdf.outline)}
    missing = [h for h in source_headings() if flatten(h) not in {flatten(t) for t in titles}
               and h not in {label for _, label in menu_tree()}]
    # A page's title is bookmarked under its menu name; every other heading under its own text.
    titled_by_menu = {menu.parse_menu(str(p), p.read_text(encoding="utf-8")).title
                      for p in [ROOT / "index.md", *(ROOT / "docs").rglob("*.md")]}
    assert [h for h in missing if h not in titled_by_menu] == []


def test_every_heading_is_in_the_text(pdf, pdf_build):
    text = flatten(" ".join(pdf_texts(pdf_build.pdf)))
    for heading in source_headings():
        assert flatten(heading) in text, heading


def test_links_are_clickable(pdf):
    external, internal = set(), 0
    for page in pdf.pages:
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            action = annotation.get("/A", {})
            if "/URI" in action:
                external.add(action["/URI"])
            elif action.get("/S") == "/GoTo" or "/Dest" in annotation:
                internal += 1
    assert "https://www.ebi.ac.uk/bioimage-archive/" in external
    assert all(uri.startswith(("https://", "mailto:")) for uri in external), sorted(external)
    assert internal > 20  # the table of contents alone links every page


FOOTNOTE_NUMBER = re.compile(r"^\d+\.\xa0$")


def printed_footnotes(path: Path, titles: set[str]) -> list[tuple[int, str]]:
    """The footnotes the PDF prints, in order: (number, address), from "84." and the address after
    it, broken over lines where it is long, read from the pages' artifacts. A running header (a
    page's title, one of *titles*, or a word on many pages) and a page number do not continue an
    address."""
    pages = [[chunk for tags, _, chunk in page if "/Artifact" in tags and chunk.strip()] for page in pdf_chunks(path)]
    repeated = set(titles) | {chunk for chunk, count in Counter(c for page in pages for c in set(page)).items()
                              if count >= 3 and chunk.isalpha()}  # an address has "/" or "."
    footnotes: list[tuple[int, list[str]]] = []
    current = None
    for page in pages:
        for chunk in page:
            if FOOTNOTE_NUMBER.match(chunk):
                current = []
                footnotes.append((int(chunk.split(".")[0]), current))
            elif current is not None and not chunk.isdigit() and chunk not in repeated and not re.search(r"\s", chunk):
                current.append(chunk)
            else:
                current = None
    return [(number, "".join(parts)) for number, parts in footnotes]


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_printed_address_is_its_links_target(read_the_docs, lang):
    """A link to another site prints its address as a footnote: the very address the link opens
    (and a link whose text is its address prints none). Every footnote called is printed."""
    path = read_the_docs.build(lang).pdf
    pdf = PdfReader(path)
    targets = {unquote(str(annotation.get_object()["/A"]["/URI"])).removeprefix("mailto:")
               for page in pdf.pages for annotation in page.get("/Annots", [])
               if "/URI" in annotation.get_object().get("/A", {})}
    titles = {"".join(h1.find_all(string=True, recursive=False)).strip()  # without its headerlink
              for page in read_the_docs.build(lang).html.rglob("*.html")
              for h1 in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("h1")}
    footnotes = printed_footnotes(path, titles)
    printed = {address for _, address in footnotes}
    assert "https://www.ebi.ac.uk/bioimage-archive/" in printed
    assert sorted(printed - targets) == []
    text = re.sub(r"\s+", "", "".join(pdf_texts(path)))
    assert sorted(address for address in targets - printed if address not in text) == []
    # Each footnote, not only each address: an address that another footnote also prints would
    # hide a lost one. Footnotes are numbered through the book, so a lost one leaves a gap.
    numbers = [number for number, _ in footnotes]
    assert numbers == list(range(1, len(numbers) + 1)), (
        f"footnotes called and not printed: {sorted(set(range(1, max(numbers) + 1)) - set(numbers))}")
    # An address printed as link text must not be hyphenated: a reader would type the hyphen.
    hyphenated = sorted({address for address in targets for cut in range(1, len(address))
                         if f"{address[:cut]}\u2010{address[cut:]}" in text})
    assert hyphenated == [], f"addresses printed with a hyphen a reader would type: {hyphenated}"


def test_every_tab_and_card_is_in_the_pdf(pdf, pdf_build, html_build):
    """sphinx-design components have no LaTeX form: check nothing they hold is dropped."""
    text = flatten(" ".join(pdf_texts(pdf_build.pdf)))
    for html in (html_build.builddir / "html").rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for component in soup.select(".sd-card-title, .sd-tab-label, details.sd-dropdown summary"):
            assert flatten(component.get_text(" ", strip=True)) in text, f"{html.name}: {component.get_text()}"


FONTS = Path("/usr/share/fonts/opentype/freefont")  # fonts-freefont-otf: the PDF's only fonts (pdf.css)
SIDE_MARGIN_MM = 20  # pdf.css: @page's margin left and right


def test_no_missing_characters(pdf, pdf_build):
    """Every character is drawn from the FreeFont family, which has a glyph for it: no other font
    (whatever the machine has) stands in. A character that no font has is drawn as .notdef, which
    WeasyPrint warns about: the strict build fails on it (test_readthedocs)."""
    from fontTools.ttLib import TTFont

    embedded = {str(font["/BaseFont"]).lstrip("/").split("+")[-1] for page in pdf.pages
                for font in (page["/Resources"].get("/Font") or {}).values()}
    assert embedded and all(name.startswith(("FreeSerif", "FreeSans", "FreeMono")) for name in embedded), embedded
    covered = set().union(*(TTFont(path).getBestCmap().keys() for path in FONTS.glob("*.otf")))
    text = "".join(pdf_texts(pdf_build.pdf))
    missing = sorted({char for char in text if not char.isspace() and ord(char) not in covered})
    assert missing == [], f"no glyph in the FreeFont family for {missing}"


def test_nothing_sticks_out_of_the_page(pdf_build):
    """What is seen: no ink in the left and right margins of any page (a long address, a wide table
    or a line of code that does not wrap would run into them, or off the page)."""
    folder = pdf_build.builddir / "pdf-margins"
    folder.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "50", "-gray", str(pdf_build.pdf), str(folder / "page")], check=True)
    crossings = []
    for image in sorted(folder.glob("page-*.pgm")):
        data = image.read_bytes()
        _magic, width, height, _maximum = data.split(maxsplit=4)[:4]
        width, height = int(width), int(height)
        pixels = data[-width * height:]
        across, down = (210, 297) if height > width else (297, 210)  # a page across the sheet (the guide's diagram)
        edge = int(width * (SIDE_MARGIN_MM - 3) / across)  # 3 mm of slack inside the margin
        for row in range(height):
            line = pixels[row * width:(row + 1) * width]
            if min(line[:edge]) < 160 or min(line[width - edge:]) < 160:
                crossings.append(f"{image.stem}, {row * down / height:.0f} mm from the top")
                break
    assert crossings == [], f"ink in a side margin: {crossings}"


def test_pages_rendered_for_a_person_to_look_at(pdf, pdf_build):
    """pdftoppm draws every page, so a broken page fails here, and the PNGs stay for review."""
    folder = pdf_build.builddir / "pdf-pages"
    folder.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf_build.pdf),
                    str(folder / "page")], check=True)
    assert len(list(folder.glob("page-*.png"))) == len(pdf.pages)
    print(f"PDF pages rendered to {folder}")
    # And drawn with something on them: a page whose text layer has words shows ink in proportion to
    # them (a font that draws nothing, text in white, a page left blank would not: their only ink is
    # the running header), at A4's proportions. Per word, as a page may end a chapter with one line.
    grey = pdf_build.builddir / "pdf-pages-grey"
    grey.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "30", "-gray", str(pdf_build.pdf), str(grey / "page")], check=True)
    images = sorted(grey.glob("page-*.pgm"))
    assert len(images) == len(pdf.pages)
    for number, (image, page) in enumerate(zip(images, pdf.pages), start=1):
        data = image.read_bytes()
        magic, width, height, _maximum = data.split(maxsplit=4)[:4]  # binary PGM: "P5 w h 255\n" and a byte a pixel
        width, height = int(width), int(height)
        assert magic == b"P5" and max(width, height) / min(width, height) == pytest.approx(A4[1] / A4[0], rel=0.02), f"page {number}: {width}x{height}"
        pixels = data[-width * height:]
        ink = sum(1 for value in pixels if value < 128) / (width * height)
        words = len(pdf_texts(pdf_build.pdf)[number - 1].split())
        if words >= 5:  # drawn pages show 3.7e-6 (the contents) to 4e-5 of the page as ink a word
            assert ink / words > 1.5e-6, f"page {number}'s {words} words show almost no ink ({ink:.5f} of the page)"


def luminance(rgb: tuple[float, ...]) -> float:
    """WCAG 2's relative luminance of an sRGB colour (each part from 0 to 1)."""
    linear = [part / 12.92 if part <= 0.04045 else ((part + 0.055) / 1.055) ** 2.4 for part in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_colours(path: Path) -> Counter:
    """How often the PDF shows text in each fill colour (WeasyPrint sets it with rg), the text of
    its form XObjects included."""
    seen = Counter()

    def read(content, resources, fill):
        saved = []
        for operands, operator in pikepdf.parse_content_stream(content):
            name = str(operator)
            if name == "q":
                saved.append(fill)
            elif name == "Q":
                fill = saved.pop()
            elif name in ("rg", "g"):
                fill = tuple(float(part) for part in operands) * (3 if name == "g" else 1)
            elif name in ("Tj", "TJ", "'", '"'):
                seen[fill] += 1
            elif name == "Do" and (form := resources.get("/XObject", {}).get(str(operands[0]))) is not None:
                if form.get("/Subtype") == "/Form":
                    read(form, form.get("/Resources", resources), fill)

    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            read(page, page.Resources, (0.0, 0.0, 0.0))
    return seen


def test_printed_text_is_dark_enough_to_read(pdf_build):
    """Every colour the PDF prints text in stands out 4.5:1 (WCAG's contrast for text) from the
    darkest tint pdf.css puts behind text (code, header cells), as on white paper."""
    css = (ROOT / "_ext/imaging_guidelines/pdf/theme/static/pdf.css").read_text(encoding="utf-8")
    tints = [tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))
             for value in re.findall(r"background:\s*#([0-9a-fA-F]{6})\b", css)]
    darkest = min([(1.0, 1.0, 1.0), *tints], key=luminance)
    colours = text_colours(pdf_build.pdf)
    assert len(colours) > 1, f"the links' colour was not read: {colours}"  # the reading itself works
    faint = {"#" + "".join(f"{round(part * 255):02x}" for part in colour): count for colour, count in colours.items()
             if (luminance(darkest) + 0.05) / (luminance(colour) + 0.05) < 4.5}
    assert faint == {}, f"text printed too faint to read (colour: how many runs of text): {faint}"


# -- EPUB ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def epub(epub_build) -> Path:
    assert epub_build.returncode == 0, epub_build.log
    return epub_build.epub


def start_when_built(read_the_docs, tmp_path_factory) -> subprocess.CompletedProcess:
    """epubcheck on the English EPUB, as soon as it is built, beside the other tests (conftest.py).
    Debian's /usr/bin/epubcheck wrapper needs binfmt_misc, which containers lack: run the jar."""
    epub = read_the_docs.build("en").epub
    return subprocess.run(["java", "-jar", "/usr/share/java/epubcheck.jar", str(epub)], capture_output=True, text=True)


def test_epubcheck_finds_nothing(read_the_docs, epub):
    result = read_the_docs.background[__name__].result()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Messages: 0 fatals / 0 errors / 0 warnings" in result.stdout, result.stdout


def test_epub_metadata_and_cover(epub):
    with zipfile.ZipFile(epub) as book:
        opf = BeautifulSoup(book.read("content.opf").decode(), "html.parser")  # no lxml needed
        assert opf.find("dc:language").text == "en"
        assert opf.find("dc:title").text == "Imaging data guidelines"
        assert opf.find("dc:identifier").text == "imaging-data-guidelines"
        assert "unknown" not in book.read("content.opf").decode()
        cover = opf.find("item", properties="cover-image") or opf.find("meta", attrs={"name": "cover"})
        assert cover is not None
        assert "epub-cover.xhtml" in book.namelist()


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_book_shows_every_address_it_links(read_the_docs, lang):
    """As in the PDF: a reader whose reading system opens no links (or who reads it printed) still
    sees where each link goes, in its text or in a footnote (epub_show_urls)."""
    with zipfile.ZipFile(read_the_docs.build(lang).epub) as book:
        pages = {name: BeautifulSoup(book.read(name), "html.parser") for name in book.namelist() if name.endswith(".xhtml")}
    unshown = {}
    for name, page in pages.items():
        text = re.sub(r"\s+", "", page.get_text())  # an e-mail address is cloaked in spans
        addresses = {unquote(a["href"]).removeprefix("mailto:") for a in page.select("a.reference.external")}
        if hidden := sorted(address for address in addresses if address not in text):
            unshown[name] = hidden
    assert sum(len(page.select("a.reference.external")) for page in pages.values()) > 100
    assert unshown == {}, f"links whose address the book never shows: {unshown}"


def epub_navigation(epub: Path) -> list[tuple[int, str]]:
    """(depth, title) of the pages in the EPUB's navigation (a page's own sections link to an #anchor)."""
    with zipfile.ZipFile(epub) as book:
        nav = BeautifulSoup(book.read("nav.xhtml"), "html.parser").find("nav")

    def walk(ol, depth):
        for li in ol.find_all("li", recursive=False):
            link = li.find("a")
            if "#" not in link["href"]:
                yield depth, link.get_text(strip=True)
            if li.find("ol"):
                yield from walk(li.find("ol"), depth + 1)

    return list(walk(nav.find("ol"), 0))


def test_epub_navigation_mirrors_the_menu(epub):
    root, *entries = epub_navigation(epub)
    assert root == (0, "Imaging data guidelines")
    assert entries == menu_tree()
