"""Parity by construction: every reader-facing property, checked once, over every format (HTML,
PDF, EPUB) and every edition (English, Swedish) that Read the Docs publishes.

Each property is one test parametrised by format and edition, and each format is read by one
function per property (READERS below), so that a format or an edition cannot be left out of a
check by forgetting to write it. The expected values come from the sources: the edition's name and
subtitle as conf.py's ``editions`` gives them, the landing page's text from index.md and, in Swedish, from its
catalogue (locale/sv/LC_MESSAGES/index.po), as the build translates it.

Also here: what the landing page's cards hold and where their links lead, in every format and
edition (the section a card's "Where to deposit" link opens names the archives the card names).
"""

from __future__ import annotations

import functools
import re
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

import readthedocs
from conftest import ROOT, catalogue, pdf_texts

pytestmark = pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")

LANGUAGES = ["en", "sv"]
FORMATS = ["html", "pdf", "epub"]

# What a reader of each edition must see, in its own language (conf.py: editions, notfound_context
# and locale/sv/LC_MESSAGES/sphinx.po). Written out here so that a change to conf.py that loses the
# Swedish value is not also a change to the expectation.
TITLE = {"en": "Imaging data guidelines", "sv": "Riktlinjer för bilddata"}
SUBTITLE = {
    "en": "Publishing imaging data from COVID-19 and pathogen research",
    "sv": "Att publicera bilddata från forskning om covid-19 och andra patogener",
}
NOT_FOUND = {"en": "Page not found", "sv": "Sidan hittades inte"}
# Words that only English uses (and Swedish never does): a Swedish value with one of them is English.
ENGLISH_WORDS = re.compile(r"\b(the|and|from|with|of|publishing|guidelines|page|not found|research|images)\b", re.I)

# The archives a card can name (tests/test_content.py: REPOSITORY_FACTS, by the short name each
# section heading starts with).
ARCHIVES = ["BioImage Archive", "IDR", "SSBD", "EMPIAR", "EMDB", "PDB", "TCIA", "MIDRC", "BIMCV-COVID19+",
            "AIDA Data Hub", "EGA", "SciLifeLab Data Repository", "Zenodo"]
# Words too common to show that a link and a heading speak of the same thing.
COMMON_WORDS = {"and", "the", "och", "your", "with", "from", "för", "med", "till", "dina", "archive", "archives",
                "arkiv", "what", "where", "vad", "var"}
# The page reference after an internal link, "(page 12)", with no-break spaces (pdf_theme/page.html).
PAGEREF = re.compile(r"\s*\((page|sida)\s[0-9ivx]+\)")


@pytest.fixture(scope="module", params=LANGUAGES)
def edition(request, read_the_docs) -> readthedocs.Replay:
    build = read_the_docs.build(request.param)
    assert build.returncode == 0, build.log
    return build


def flatten(text: str) -> str:
    text = re.sub(r"\u2010\n", "", text)  # the PDF's hyphenation (U+2010): join the word
    text = re.sub(r"-\n", "-", text)  # the PDF breaks lines at hyphens: keep the hyphen, join the word
    text = text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def loose(text: str) -> str:
    """For text from a PDF, where a hyphen at a line's end may be the PDF's or the word's own."""
    return re.sub(r"[\s-]+", "", flatten(text)).casefold()


def soup(markup: str | bytes) -> BeautifulSoup:
    return BeautifulSoup(markup, "html.parser")


# -- Each format, read -------------------------------------------------------------------------


@functools.cache
def epub_files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist()}


@functools.cache
def pdf(path: Path) -> PdfReader:
    return PdfReader(path)


def pdf_text(path: Path) -> tuple[str, ...]:
    return pdf_texts(path)


def html_page(build, page: str) -> BeautifulSoup:
    return soup((build.html / page).read_text(encoding="utf-8"))


def epub_page(build, page: str) -> BeautifulSoup:
    return soup(epub_files(build.epub)[page])


def opf(build) -> BeautifulSoup:
    return soup(epub_files(build.epub)["content.opf"].decode())


def html_pages(build) -> list[Path]:
    return sorted(build.html.rglob("*.html"))


def epub_pages(build) -> list[str]:
    return sorted(name for name in epub_files(build.epub) if name.endswith(".xhtml"))


# The document's title, as each format names it (all the places a reader sees it).
def title_html(build) -> set[str]:
    titles = set()
    for page in html_pages(build):
        title = flatten(soup(page.read_text(encoding="utf-8")).title.get_text())
        titles.add(title.rsplit(" - ", 1)[-1])  # "Page — Document", or the document alone
    return titles


def title_pdf(build) -> set[str]:
    first_line = pdf_text(build.pdf)[0].strip().splitlines()[0]  # the title page
    return {pdf(build.pdf).metadata.title, flatten(first_line)}


def title_epub(build) -> set[str]:
    nav = epub_page(build, "nav.xhtml").find("nav").find("a").get_text(strip=True)
    ncx = soup(epub_files(build.epub)["toc.ncx"].decode()).find("doctitle").get_text(strip=True)
    return {opf(build).find("dc:title").get_text(strip=True), nav, ncx}


# Every language declaration of the document.
def language_html(build) -> set[str]:
    return {soup(page.read_text(encoding="utf-8")).html.get("lang") for page in html_pages(build)}


def language_pdf(build) -> set[str]:
    return {str(pdf(build.pdf).trailer["/Root"].get("/Lang"))}


def language_epub(build) -> set[str]:
    declared = {opf(build).find("dc:language").get_text(strip=True)}
    for name in epub_pages(build):
        root = epub_page(build, name).html
        declared |= {root.get("lang"), root.get("xml:lang")}
    return declared


# The identifier that tells the editions apart: where the HTML lives (its canonical address), the
# PDF's file identifier (/ID, which a PDF reader uses to recognise a document), the EPUB's
# unique identifier (which a reading system uses to tell books apart: the same one makes the
# Swedish book replace the English one on a reader's shelf).
def identifier_html(build) -> str:
    return html_page(build, "index.html").find("link", rel="canonical")["href"].removesuffix("index.html")


def identifier_pdf(build) -> str:
    first = pdf(build.pdf).trailer["/ID"][0]
    return (first if isinstance(first, bytes) else first.original_bytes).hex()


def identifier_epub(build) -> str:
    package = opf(build)
    unique = package.find("package")["unique-identifier"]
    identifier = package.find("dc:identifier", id=unique)
    assert identifier is not None, f"content.opf: no dc:identifier with id={unique!r}"
    uid = soup(epub_files(build.epub)["toc.ncx"].decode()).find("meta", attrs={"name": "dtb:uid"})["content"]
    assert uid == identifier.get_text(strip=True), f"toc.ncx's uid {uid!r} is not the book's {identifier.get_text()!r}"
    return uid


# The description a catalogue, a search engine or a reading system shows.
def description_html(build) -> str:
    return html_page(build, "index.html").find("meta", attrs={"name": "description"})["content"]


def description_pdf(build) -> str:
    return str(pdf(build.pdf).metadata.subject)


def description_epub(build) -> str:
    return opf(build).find("dc:description").get_text(strip=True)


READERS = {
    "title": {"html": title_html, "pdf": title_pdf, "epub": title_epub},
    "language": {"html": language_html, "pdf": language_pdf, "epub": language_epub},
    "identifier": {"html": identifier_html, "pdf": identifier_pdf, "epub": identifier_epub},
    "description": {"html": description_html, "pdf": description_pdf, "epub": description_epub},
}


# -- The sources: what each edition must say ---------------------------------------------------


def translate(language: str, page: str, text: str) -> str:
    found = catalogue(language, page).get(text)
    assert language == "en" or found, f"{page}.po has no translation of {text!r}"
    return found or text


def front_matter_description(page: str) -> str:
    text = (ROOT / f"{page}.md").read_text(encoding="utf-8")
    return " ".join(re.search(r"^description:\s*(.+)$", text, re.M).group(1).split())


def without_links(markdown: str) -> str:
    return re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", markdown)


def link_targets(markdown: str) -> list[tuple[str, str]]:
    return re.findall(r"\[([^\]]+)\]\(([^)]+)\)", markdown)


@functools.cache
def source_cards() -> list[tuple[str, list[str]]]:
    """The landing page's cards in index.md: (title, [each list item, in MyST Markdown])."""
    text = (ROOT / "index.md").read_text(encoding="utf-8")
    cards = re.findall(r"^:::\{grid-item-card\}\s*(.+?)\n(.*?)^:::$", text, flags=re.M | re.S)
    assert len(cards) >= 3, "index.md: the landing cards are gone"
    return [(title.strip(), re.findall(r"^- (.+)$", body, flags=re.M)) for title, body in cards]


def cards(language: str) -> list[tuple[str, list[str]]]:
    """The cards as the edition says them: title and items, translated, in Markdown."""
    return [(translate(language, "index", title), [translate(language, "index", item) for item in items])
            for title, items in source_cards()]


# -- Parity: one check per property, over every format and edition ------------------------------


def edition_value(property_: str, fmt: str, build):
    return READERS[property_][fmt](build)


@pytest.mark.parametrize("fmt", FORMATS)
def test_document_title_is_the_editions(edition, fmt):
    titles = edition_value("title", fmt, edition)
    assert titles == {TITLE[edition.language]}, f"{edition.language} {fmt}: the document is called {titles}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_document_language_is_the_editions(edition, fmt):
    declared = edition_value("language", fmt, edition)
    assert declared == {edition.language}, f"{edition.language} {fmt}: the document declares {declared}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_identifier_is_the_editions_own(read_the_docs, fmt):
    """The two editions are two documents: the Swedish one never shares the English identifier."""
    identifiers = {language: edition_value("identifier", fmt, read_the_docs.build(language)) for language in LANGUAGES}
    assert all(identifiers.values()), identifiers
    assert len(set(identifiers.values())) == len(LANGUAGES), f"{fmt}: the editions share an identifier: {identifiers}"
    if fmt == "html":
        assert identifiers["sv"].endswith("/sv/latest/") and identifiers["en"].endswith("/en/latest/"), identifiers
    if fmt == "epub":  # the book's identifier names its edition, as Read the Docs' project does
        assert identifiers["en"] == "imaging-data-guidelines"
        assert identifiers["sv"] != identifiers["en"] and identifiers["sv"].endswith("sv"), identifiers


@pytest.mark.parametrize("fmt", FORMATS)
def test_description_is_in_the_editions_language(edition, fmt):
    described = flatten(edition_value("description", fmt, edition))
    language = edition.language
    expected = translate(language, "index", front_matter_description("index")) if fmt == "html" else SUBTITLE[language]
    assert described == flatten(expected), f"{language} {fmt}: described as {described!r}"
    if language != "en":
        assert not ENGLISH_WORDS.search(described), f"{language} {fmt}: the description is English: {described!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_404_page_title_and_heading_in_the_editions_language(read_the_docs, language):
    """The page Read the Docs shows for a missing address (HTML only: the PDF and the EPUB have
    no addresses), its tab title as much as its heading."""
    page = html_page(read_the_docs.build(language), "404.html")
    title = flatten(page.title.get_text())
    assert title == f"{NOT_FOUND[language]} - {TITLE[language]}", f"{language}: 404 <title> {title!r}"
    assert page.find("h1").get_text(strip=True) == NOT_FOUND[language]


def test_the_expectations_tell_the_editions_apart():
    """The expected values are themselves in two languages (else the checks above prove nothing)."""
    for values in (TITLE, SUBTITLE, NOT_FOUND):
        assert values["en"] != values["sv"] and not ENGLISH_WORDS.search(values["sv"])
    assert ENGLISH_WORDS.search(SUBTITLE["en"])


# -- The landing page's body, in every format and edition --------------------------------------


def landing_html(build) -> list[tuple[str, str]]:
    """(card title, card body text) of each card on the landing page."""
    return [(flatten(card.select_one(".sd-card-title").get_text(" ")), flatten(card.get_text(" ")))
            for card in html_page(build, "index.html").select(".sd-card")]


def landing_epub(build) -> list[tuple[str, str]]:
    return [(flatten(card.select_one(".sd-card-title").get_text(" ")), flatten(card.get_text(" ")))
            for card in epub_page(build, "index.xhtml").select(".sd-card")]


def landing_pdf(build) -> str:
    """The PDF's text of the landing page's cards: from its rubric ("Start from your images", the
    cards' heading) to the end of the next page, without the page references."""
    rubric = loose(translate(build.language, "index", "Start from your images"))
    pages = pdf_text(build.pdf)
    first = next((n for n, page in enumerate(pages) if rubric in loose(page)), None)
    assert first is not None, f"{build.language} pdf: the landing page's rubric is missing"
    text = "\n".join(pages[first:first + 2])
    return PAGEREF.sub("", text)


@pytest.mark.parametrize("fmt", FORMATS)
def test_landing_cards_hold_every_item(edition, fmt):
    """Every card's title and every line of it (what to deposit where, what to describe, what to
    do first), in the edition's words, in each format: not only the titles."""
    expected = cards(edition.language)
    if fmt == "pdf":
        body = loose(landing_pdf(edition))
        position = 0  # in order: each card's title, then its items, then the next card
        for title, items in expected:
            position = body.find(loose(title), position)
            assert position >= 0, f"{edition.language} pdf: the card {title!r} is missing (or out of order)"
            for item in items:
                text = without_links(item)
                position = body.find(loose(text), position)
                assert position >= 0, f"{edition.language} pdf: the card {title!r} lost {text!r}"
        return
    built = landing_html(edition) if fmt == "html" else landing_epub(edition)
    assert [title for title, _ in built] == [flatten(title) for title, _ in expected], f"{edition.language} {fmt}"
    for (title, body), (_, items) in zip(built, expected):
        for item in items:
            assert flatten(without_links(item)) in body, f"{edition.language} {fmt}: the card {title!r} lost {item!r}"


# -- Where the landing cards' links lead, in every format and edition ---------------------------


def stems(text: str) -> set[str]:
    return {word[:4].casefold() for word in re.findall(r"\w+", text) if len(word) >= 3
            and word.casefold() not in COMMON_WORDS}


def named_archives(text: str) -> list[str]:
    return [name for name in ARCHIVES if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)]


def leads_where_it_says(link_text: str, heading: str, subheadings: list[str]) -> str | None:
    """Why a link with *link_text* to a section with *heading* (and *subheadings*) misleads, or
    None. Each archive the link names is the section's or one of its subsections' (the card says
    "BioImage Archive or IDR": the section has both); a link that names no archive shares a word
    with the section's heading ("plan the deposit" opens "1. Plan")."""
    archives = named_archives(link_text)
    if archives:
        headings = [heading, *subheadings]
        missing = [name for name in archives if not any(h.startswith(name) or h == name for h in headings)
                   and not named_archives(heading).count(name)]
        return f"{link_text!r} leads to {heading!r}, whose sections {subheadings} lack {missing}" if missing else None
    if not any(stem in heading.casefold() for stem in stems(link_text)):  # Swedish compounds: "atommodeller"
        return f"{link_text!r} leads to {heading!r}"
    return None


def section_at(page: BeautifulSoup, anchor: str) -> tuple[str, list[str]]:
    """The heading of the section with id *anchor*, and the headings of its subsections."""
    target = page.find(id=anchor)
    assert target is not None, f"no element with id {anchor!r}"
    section = target if target.name == "section" else target.find_parent("section")
    heading = section.find(re.compile(r"^h[1-6]$"))
    subheadings = [h.get_text(" ", strip=True) for s in section.find_all("section") for h in [s.find(re.compile(r"^h[1-6]$"))]]
    def plain(text: str) -> str:  # without the HTML theme's headerlink icon (a private-use character)
        return flatten(re.sub(r"[\ue000-\uf8ff\u00b6]", "", text))

    return plain(heading.get_text(" ", strip=True)), [plain(h) for h in subheadings]


def card_links(page: BeautifulSoup) -> list[list[tuple[str, str]]]:
    """[(link text, href)] per card on the landing page, in order."""
    return [[(flatten(a.get_text(" ")), a["href"]) for a in card.select("a.reference.internal")]
            for card in page.select(".sd-card")]


def check_markup_links(build, fmt: str) -> list[str]:
    index, suffix = ("index.html", ".html") if fmt == "html" else ("index.xhtml", ".xhtml")
    read = html_page if fmt == "html" else epub_page
    problems = []
    built = card_links(read(build, index))
    expected = cards(build.language)
    assert len(built) == len(expected), f"{fmt}: {len(built)} cards"
    for links, (title, items) in zip(built, expected):
        wanted = [link for item in items for link in link_targets(item)]
        assert [text for text, _ in links] == [flatten(text) for text, _ in wanted], f"{fmt} {title}: {links}"
        for (text, href), (_, source_target) in zip(links, wanted):
            page, _, anchor = href.partition("#")
            assert page.endswith(suffix) and anchor, f"{fmt} {title}: {href}"
            # Where the source says it leads: the built link keeps the source's target.
            assert page.removesuffix(suffix) == source_target.partition("#")[0].removesuffix(".md"), (
                f"{fmt} {title}: {text!r} leads to {href}, the source to {source_target}")
            heading, subheadings = section_at(read(build, page), anchor)
            problem = leads_where_it_says(text, heading, subheadings)
            if problem:
                problems.append(f"{build.language} {fmt}: card {title!r}: {problem}")
    return problems


def check_pdf_links(build) -> list[str]:
    """In print a link is its page reference, "(page 12)": that page begins the section the link
    names (from the PDF's bookmarks: a section and its subsections, with their pages)."""
    reader = pdf(build.pdf)
    labels = reader.page_labels
    bookmarks = []  # (depth, title, page index)

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                bookmarks.append((depth, flatten(re.sub(r"^[IVX]+ ", "", item.title)), reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    text = flatten("\n".join(pdf_text(build.pdf)))
    problems = []
    for title, items in cards(build.language):
        start = text.index(flatten(title))
        for link_text, target in [link for item in items for link in link_targets(item)]:
            link_text = flatten(link_text)
            # Any line break (and a hyphen the PDF adds there) between any two letters.
            spelled = r"[\s-]*".join(re.escape(c) for c in link_text.replace(" ", ""))
            found = re.compile(spelled + r"\s*\((?:page|sida) ([0-9ivx]+)\)")
            match = found.search(text, start)
            assert match, f"{build.language} pdf: card {title!r}: {link_text!r} has no page reference"
            pages = [index for index, label in enumerate(labels) if label == match.group(1) and index > 2]
            assert pages, f"{build.language} pdf: no page {match.group(1)}"
            # The section the link targets (its heading as the edition prints it), which must
            # begin on that page, with its subsections from the bookmarks.
            page, _, anchor = target.partition("#")
            heading = section_at(html_page(build, page.removesuffix(".md") + ".html"), anchor)[0]
            found_at = [position for position, (_, bookmark, at) in enumerate(bookmarks) if bookmark == heading]
            if not any(bookmarks[position][2] == pages[0] for position in found_at):
                problems.append(f"{build.language} pdf: card {title!r}: {link_text!r} refers to page {match.group(1)}, "
                                f"where its section {heading!r} does not begin")
                continue
            position = next(position for position in found_at if bookmarks[position][2] == pages[0])
            depth = bookmarks[position][0]
            subheadings = []
            for later_depth, later, _ in bookmarks[position + 1:]:
                if later_depth <= depth:
                    break
                subheadings.append(later)
            problem = leads_where_it_says(link_text, heading, subheadings)
            if problem:
                problems.append(f"{build.language} pdf: card {title!r}: page {match.group(1)}: {problem}")
    return problems


@pytest.mark.parametrize("fmt", FORMATS)
def test_landing_card_links_lead_where_they_say(edition, fmt):
    """Each card's "Where to deposit" link opens the section of the archives it names, and its
    other links a section about what they name, in each format and edition."""
    problems = check_pdf_links(edition) if fmt == "pdf" else check_markup_links(edition, fmt)
    assert problems == [], "\n".join(problems)


def test_link_rule_tells_right_from_wrong():
    """The rule above, on the mistakes it exists for."""
    assert leads_where_it_says("BioImage Archive or IDR", "Microscopy archives", ["BioImage Archive", "IDR", "SSBD"]) is None
    assert leads_where_it_says("BioImage Archive or IDR", "Electron microscopy and structures", ["EMPIAR", "EMDB", "PDB"])
    assert leads_where_it_says("EMPIAR, EMDB and the PDB", "Microscopy archives", ["BioImage Archive", "IDR", "SSBD"])
    assert leads_where_it_says("clinical and controlled-access archives", "Clinical and human-subject archives", ["TCIA"]) is None
    assert leads_where_it_says("clinical and controlled-access archives", "Microscopy archives", ["IDR"])
    assert leads_where_it_says("plan the deposit", "1. Plan", []) is None
