"""The built site in a real browser, as readers use it.

Debian's Chromium (/usr/bin/chromium: never a browser that Playwright downloads) is driven by
Playwright and reads the pages from a server on 127.0.0.1 that a thread of this test runs. Both
editions are served as Read the Docs serves them, `/en/latest/…` and `/sv/latest/…` (conftest:
`read_the_docs.served`), so that the links between them resolve. Every page of each edition is
checked for accessibility (axe-core, WCAG 2.0/2.1/2.2 A and AA), keyboard use, the menu in the
sidebar and breadcrumbs, its links, its metadata, its layout on a phone and a quiet console; the
search page must put the right page first. What a reader sees of each table is checked from the
boxes the browser draws, at six widths from 320 to 1280 px (WINDOWS); the page's controls (the
language switch, the downloads, the search box, the menu) at nine (SWEEP). One browser serves
the whole session, and each page is loaded once per window size for the checks that only read it.

Screenshots of every page, desktop (1280×800) and phone (375×667), and of the pages with tables at
the other widths, go to each edition's build folder, `screenshots/desktop/…jpg`,
`screenshots/phone/…jpg`, `screenshots/tablet/…` and `screenshots/<width>px/…`,
for a person to look at; the run prints the folders at the end. JPEG: a whole page encodes in half
the time of a PNG, and reads as well.
"""

from __future__ import annotations

import dataclasses
import functools
import http.server
import re
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page, sync_playwright

from conftest import ROOT, catalogue

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package `chromium` (Makefile: TEST_SYSTEM_PACKAGES)
# The machine has no network: without these, Chromium keeps trying to reach Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}
TABLET = {"width": 768, "height": 1024}
WIDE = {"width": 1920, "height": 1080}
# Window sizes by width, and the folder their screenshots go to: the four named sizes, the
# narrowest phone, and two where the sidebar shows beside a text column narrower than at 768 px
# (396 and 620 px wide; from about 1060 px the column is wide enough for every table).
WINDOWS = {375: (PHONE, "phone"), 768: (TABLET, "tablet"), 1280: (DESKTOP, "desktop"), 1920: (WIDE, "wide"),
           **{width: ({"width": width, "height": 900}, f"{width}px") for width in (320, 800, 1024)}}
# In a text column up to this wide a table may show each row as a block (_static/css/custom.css:
# tables in a narrow text column); wider, every column must be side by side and in view.
REFLOW_MAX_COLUMN = 660

# The editions (conf.py: EDITIONS), each a Read the Docs project served at /<language>/latest/.
EDITIONS = ["en", "sv"]

AXE_OPTIONS = {
    # WCAG 2.2 AA too (target-size, 2.5.8). The axe-core that axe-playwright-python bundles (4.12)
    # tags no rule "wcag22a": WCAG 2.2's new level-A criteria have no automatic rule yet.
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    # `region` (all content inside landmarks) is tagged best-practice, not WCAG, but the stock theme
    # failed it and _templates/footer.html fixes it: keep it fixed.
    "rules": {"region": {"enabled": True}},
    "resultTypes": ["violations"],
}
AXE = Axe()  # axe-core as axe-playwright-python bundles it


def axe_report(where: str, violations: list[dict]) -> str:
    """One line per broken rule: where, the rule, how many elements, the first few, the help."""
    return "\n".join(
        f"{where}: axe {violation['id']}: {len(violation['nodes'])} nodes: "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        + f" ({violation['help']}: {violation['helpUrl']})"
        for violation in violations
    )

ROOT_DOC = "index"
SEED_PAGE = "docs/data_types/imaging_data/guidelines.html"
GUIDE = "docs/data_types/imaging_data/guidelines"
# Pages that Sphinx makes without a source (404.html: sphinx-notfound-page). Rules that read a
# page's front matter skip them.
GENERATED = ["search.html", "404.html"]

# (query, the page that must come first). DICOM is on two pages, each with a section title that
# names it: the clinical page (de-identifying DICOM files) and the metadata page (DICOM as a
# format). Sphinx scores both alike and orders ties by page title, so the clinical page comes
# first, which suits the reader who searches for DICOM: they hold patient images, and the clinical
# page says what to do before sharing them and links to the format section. The glossary's
# definition of a term comes before both (test_search_finds_the_right_page_first).
SEARCHES = {
    "en": [
        ("REMBI", f"{GUIDE}/metadata.html"),
        ("EMPIAR", f"{GUIDE}/repositories.html"),
        ("DICOM", f"{GUIDE}/clinical.html"),
        ("consultation", "docs/data_types/imaging_data/services.html"),
    ],
    # The same searches in the Swedish edition; "consultation" in Swedish in a form the pages never
    # write (the definite), which only Swedish stemming finds.
    "sv": [
        ("REMBI", f"{GUIDE}/metadata.html"),
        pytest.param("EMPIAR", f"{GUIDE}/repositories.html", marks=pytest.mark.xfail(strict=True, reason=(
            "the Swedish edition ranks data.html (published EMPIAR entries) above the chooser on "
            "repositories.html, unlike the English one: a ranking to fix in the site (html_search_scorer "
            "or the page's words), then remove this mark"))),
        ("DICOM", f"{GUIDE}/clinical.html"),
        ("konsultationen", "docs/data_types/imaging_data/services.html"),
    ],
}


# -- The pages, from the sources, so that a new page is covered without listing it here ---------


def front_matter(source: Path) -> dict:
    text = source.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    return yaml.safe_load(match.group(1)) if match else {}


SOURCES = {  # HTML page -> its source (conf.py: include_patterns = ["index.md", "docs/**"])
    source.relative_to(ROOT).with_suffix(".html").as_posix(): source
    for source in sorted([ROOT / "index.md", *(ROOT / "docs").rglob("*.md")])
}
PAGES = [*SOURCES, *GENERATED]
# The pages whose sources hold a table (MyST's table directives or a Markdown pipe table); the
# desktop visit of every page checks that no other page shows one.
TABLE_SOURCE = re.compile(r"^\s*(```|:::)\{(list-table|csv-table|table|archive-chooser|datasets)\}|^\|.*\|\s*\n\|[\s:|-]+\|\s*$", re.MULTILINE)
TABLE_PAGES = [page for page, source in SOURCES.items() if TABLE_SOURCE.search(source.read_text(encoding="utf-8"))]


def translate(lang: str, page: str, text: str) -> str:
    """*text* in the edition's language, from *page*'s catalogue, as _ext/imaging_guidelines/translations.py does."""
    return catalogue(lang, page).get(text, text) if text else text


def menu_chain(page: str, lang: str = "en") -> list[str]:
    """The menu names from the top of the menu down to *page*, as the portal's front matter says,
    in the edition's language: a menu name from the catalogue of the page that lists it (the
    parent, or the landing page at the top), a page title from the page's own (_ext/imaging_guidelines/menu.py)."""
    entries = {}
    for html, source in SOURCES.items():
        meta = front_matter(source)
        menu = (meta.get("menu") or {}).get("main") or {}
        entries[menu.get("identifier")] = (html, menu.get("name"), meta.get("title"), menu.get("parent"))
    pages = {html: identifier for identifier, (html, *_rest) in entries.items()}

    def label(identifier: str) -> str:
        html, name, title, parent = entries[identifier]
        if not name:
            return translate(lang, html, title)
        where = ROOT_DOC + ".html" if html == ROOT_DOC + ".html" or not parent else entries[parent][0]
        return translate(lang, where, name)

    identifier = pages[page]
    chain = [label(identifier)]
    while entries[identifier][3]:
        identifier = entries[identifier][3]
        chain.insert(0, label(identifier))
    return chain


# -- The server, the browser and the two windows ------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@dataclasses.dataclass(eq=False)  # hashed by identity, for the cache on fetch()
class Site:
    root: Path  # read_the_docs.served: each edition's HTML at <language>/<version>/
    base: str  # http://127.0.0.1:PORT/
    editions: dict[str, str]  # language -> its folder under the root, "en/latest/"
    screenshots: dict[str, Path]  # language -> the folder for its screenshots

    def url(self, lang: str, page: str) -> str:
        return self.base + self.editions[lang] + page

    def html(self, lang: str) -> Path:
        return self.root / self.editions[lang]

    def page_of(self, url: str) -> str:
        """The page an address shows, without the server and the edition's folder."""
        path = urlsplit(url).path.lstrip("/")
        for folder in self.editions.values():
            if path.startswith(folder):
                return path[len(folder):]
        return path

    @functools.cache
    def fetch(self, url: str) -> tuple[int, frozenset[str]]:
        """The server's status for *url*, and the ids an HTML answer holds (for #fragments)."""
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, frozenset()
        if not urlsplit(url).path.endswith((".html", "/")):
            return status, frozenset()
        soup = BeautifulSoup(body, "html.parser")
        ids = {tag["id"] for tag in soup.find_all(id=True)}
        ids |= {tag["name"] for tag in soup.find_all("a", attrs={"name": True})}
        return status, frozenset(ids)


@pytest.fixture(scope="session")
def site(read_the_docs, request):
    builds = {lang: read_the_docs.build(lang) for lang in EDITIONS}
    for lang, build in builds.items():
        assert build.returncode == 0, f"the {lang} edition's build failed:\n{build.log}"
    root = read_the_docs.served  # /<language>/<version>/, as Read the Docs serves the two projects
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root))
    )
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    screenshots = {lang: build.builddir / "screenshots" for lang, build in builds.items()}
    editions = {lang: f"{lang}/{build.version}/" for lang, build in builds.items()}
    yield Site(root, f"http://127.0.0.1:{server.server_address[1]}/", editions, screenshots)
    server.shutdown()
    server.server_close()
    taken = [f"{lang}: {folder}" for lang, folder in screenshots.items() if folder.exists()]
    if taken:
        capture = request.config.pluginmanager.getplugin("capturemanager")
        with capture.global_and_fixture_disabled():
            print("\nScreenshots of every page (desktop 1280x800, phone 375x667; tables also at 320 to 1024):\n  "
                  + "\n  ".join(taken))


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (make test does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Window:
    """One browser tab of a given size, which notes every console error, JavaScript error, failed
    request and request to another host while a page loads."""

    def __init__(self, browser: Browser, site: Site, viewport: dict):
        self.site = site
        # Below the theme's tablet width, a phone's browser: it lays the page out as the viewport
        # meta tag says (a desktop browser ignores the tag).
        self.context = browser.new_context(viewport=viewport, is_mobile=viewport["width"] < TABLET["width"])
        # Nothing leaves the machine: a request to another host is a bug (noted below), not a wait.
        self.context.route(re.compile(rf"^(?!{re.escape(site.base)})"), lambda route: route.abort())
        # A JavaScript error, seen by the page's own scripts too, so a test can wait for it.
        self.context.add_init_script(
            "window.pageErrors = []; addEventListener('error', e => pageErrors.push(String(e.message)));")
        self.page: Page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))
        self.page.on("request", self._request)
        self.page.on("requestfailed", lambda request: self.problems.append(
            f"request failed: {request.url} ({request.failure})"))
        self.page.on("response", lambda response: response.status >= 400 and self.problems.append(
            f"HTTP {response.status}: {response.url}"))

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text} ({message.location.get('url')})")

    def _request(self, request) -> None:
        if not request.url.startswith((self.site.base, "data:")):
            self.problems.append(f"request to another host: {request.url}")

    def open(self, lang: str, page: str, wait_until: str = "load") -> Page:
        self.problems = []
        self.page.goto(self.site.url(lang, page), wait_until=wait_until)
        return self.page

    def showing(self, lang: str, page: str) -> Page:
        """The tab, showing *page*: as a visit left it, or loaded again."""
        return self.page if self.page.url == self.site.url(lang, page) else self.open(lang, page)

    def screenshot(self, lang: str, folder: str, page: str) -> None:
        path = self.site.screenshots[lang] / folder / Path(page).with_suffix(".jpg")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=path, full_page=True, quality=85)


@pytest.fixture(scope="session")
def windows(browser, site):
    """One tab per window width (WINDOWS), opened when a test first needs it."""
    opened: dict[int, Window] = {}

    def window(width: int) -> Window:
        if width not in opened:
            opened[width] = Window(browser, site, WINDOWS[width][0])
        return opened[width]

    yield window
    for window_ in opened.values():
        window_.context.close()


@pytest.fixture(scope="session")
def desktop(windows) -> Window:
    return windows(DESKTOP["width"])


@pytest.fixture(scope="session")
def phone(windows) -> Window:
    return windows(PHONE["width"])


# -- One visit per page at desktop size, shared by the checks that only read the page ------------

READ_PAGE = """() => {
  const meta = {};
  for (const tag of document.querySelectorAll('meta[name], meta[property]'))
    meta[tag.getAttribute('name') || tag.getAttribute('property')] = tag.getAttribute('content');
  const canonical = document.querySelector('link[rel="canonical"]');
  return {
    title: document.title,
    lang: document.documentElement.getAttribute('lang'),
    meta,
    canonical: canonical && canonical.href,
    links: [...document.querySelectorAll('a[href], link[href]')].map(e => [e.href, e.getAttribute('href')]),
    icon: !!document.querySelector('link[rel~="icon"]'),
    breadcrumbs: [...document.querySelectorAll('.wy-breadcrumbs li.breadcrumb-item')]
      .map(e => e.innerText.trim()),
    sidebar: [...document.querySelectorAll('.wy-menu-vertical li.current > a')]
      .map(e => e.innerText.trim()),
  };
}"""


# What a reader sees of each table in the page's text, from the boxes the browser draws: the part
# of the content column that is in view (the column, cut by the table's scrolling box and the
# window), whether the table overflows its box, which cells and captions lie outside that part,
# and, where a phone shows each row as a block, whether each cell shows its column's header.
READ_TABLES = """() => {
  const main = document.querySelector('[role="main"]');
  if (!main) return [];
  const column = main.getBoundingClientRect();
  const text = e => (e.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
  return [...main.querySelectorAll('table')].map((table, index) => {
    const box = table.closest('.wy-table-responsive') || table.parentElement;
    const frame = box.getBoundingClientRect();
    const left = Math.max(column.left, frame.left + box.clientLeft, 0);
    const right = Math.min(column.right, frame.left + box.clientLeft + box.clientWidth, innerWidth);
    const outside = r => r.width === 0 || r.height === 0 || r.left < left - 1 || r.right > right + 1;
    // A cell out of the visible part, or whose text runs out of its own box.
    const hidden = e => outside(e.getBoundingClientRect()) || e.scrollWidth > e.clientWidth + 1;
    const heads = [...table.querySelectorAll(':scope > thead th, :scope > thead td')];
    const cells = [...table.querySelectorAll(':scope > tbody > tr > th, :scope > tbody > tr > td')];
    const firstRow = table.querySelector(':scope > tbody > tr');
    const reflowed = !!firstRow && getComputedStyle(firstRow).display === 'block';
    const caption = table.caption;
    let captionClipped = null;
    if (caption) {
      const words = document.createRange();
      words.selectNodeContents(caption.querySelector('.caption-text') || caption);
      captionClipped = outside(caption.getBoundingClientRect()) || outside(words.getBoundingClientRect())
        || caption.scrollWidth > caption.clientWidth + 1;
    }
    // On a phone, each cell's label: the ::before that shows data-label, and the header it names.
    const headers = heads.map(text);
    const unlabelled = reflowed ? cells.filter(cell => {
      const before = getComputedStyle(cell, '::before');
      return !cell.dataset.label || before.display === 'none' || ['none', 'normal'].includes(before.content)
        || !headers.includes(cell.dataset.label.replace(/\\s+/g, ' ').slice(0, 40));
    }).map(text) : [];
    return {
      id: table.id || `table ${index + 1}`,
      caption: caption ? text(caption) : null,
      overflow: box.scrollWidth > box.clientWidth + 1,
      scrollWidth: box.scrollWidth,
      clientWidth: box.clientWidth,
      reflowed,
      column: main.closest('.rst-content').clientWidth,  // the container that custom.css asks
      heads: heads.length,
      cells: cells.length,
      hiddenHeads: reflowed ? [] : heads.filter(hidden).map(text),
      hiddenCells: cells.filter(hidden).map(text),
      captionClipped,
      unlabelled,
    };
  });
}"""

# The sidebar's expand buttons that are shown, with their boxes.
READ_EXPANDERS = """() => [...document.querySelectorAll('.wy-menu-vertical button.toctree-expand')]
  .filter(b => b.offsetParent).map(b => {
    const r = b.getBoundingClientRect();
    return {link: b.parentElement.innerText.trim(), width: r.width, height: r.height, left: r.left, right: r.right};
  })"""


def read_tables(browser_page: Page) -> list[dict]:
    """READ_TABLES, and what the accessibility tree makes of each table: a screen reader must get
    a table, with its column headers and cells, however CSS lays it out."""
    tables = browser_page.evaluate(READ_TABLES)
    for index, table in enumerate(tables):
        tree = browser_page.locator('[role="main"] table').nth(index).aria_snapshot()
        table["roles"] = {role: len(re.findall(rf"^\s*- ['\"]?{role}\b", tree, re.MULTILINE))
                          for role in ("table", "columnheader", "rowheader", "cell")}
    return tables


@dataclasses.dataclass
class Visit:
    problems: list[str]  # console and network, while loading
    violations: list[dict]  # axe-core's
    title: str
    lang: str
    meta: dict[str, str]
    canonical: str | None
    links: list[tuple[str, str]]  # (address, href as written)
    icon: bool  # the page names its icon (else the browser asks for /favicon.ico)
    breadcrumbs: list[str]
    sidebar: list[str]
    tables: list[dict]  # READ_TABLES
    expanders: list[dict]  # READ_EXPANDERS


@pytest.fixture(scope="session")
def visit(desktop):
    @functools.cache
    def visit(lang: str, page: str) -> Visit:
        browser_page = desktop.open(lang, page)
        violations = AXE.run(browser_page, options=AXE_OPTIONS).response["violations"]
        problems = list(desktop.problems)  # while loading, and late requests, during axe's run
        desktop.screenshot(lang, "desktop", page)
        return Visit(problems, violations, **browser_page.evaluate(READ_PAGE), tables=read_tables(browser_page),
                     expanders=browser_page.evaluate(READ_EXPANDERS))

    return visit


@dataclasses.dataclass
class PhoneVisit:
    width: int  # the page's width: no wider than the phone
    overflowing: list[str]  # the first elements that stick out, if it is wider
    violations: list[dict]  # axe-core's
    tables: list[dict]  # READ_TABLES
    layout: int  # the width the page is laid out in, which the phone shrinks to its screen
    smallest: list | None  # the smallest text of the page's paragraphs, items and cells: [px, text]


# The smallest text a reader has to read in the page's text: [font size in px, its first words].
SMALLEST_TEXT = """() => [...document.querySelectorAll('[role="main"] :is(p, li, td, th, dt, dd)')]
  .filter(e => e.offsetParent && e.innerText.trim())
  .map(e => [parseFloat(getComputedStyle(e).fontSize), e.innerText.trim().slice(0, 40)])
  .sort((a, b) => a[0] - b[0])[0] || null"""
# The theme's text is 16 px, its tables' 90% of it: on a phone, nothing of the text is smaller.
SMALLEST_TEXT_PX = 14


@pytest.fixture(scope="session")
def phone_visit(phone):
    @functools.cache
    def phone_visit(lang: str, page: str) -> PhoneVisit:
        browser_page = phone.open(lang, page)
        width = browser_page.evaluate("document.documentElement.scrollWidth")
        phone.screenshot(lang, "phone", page)
        overflowing = browser_page.evaluate(OVERFLOWING, PHONE["width"]) if width > PHONE["width"] else []
        violations = AXE.run(browser_page, options=AXE_OPTIONS).response["violations"]
        return PhoneVisit(width, overflowing, violations, read_tables(browser_page),
                          browser_page.evaluate("document.documentElement.clientWidth"),
                          browser_page.evaluate(SMALLEST_TEXT))

    return phone_visit


@pytest.fixture(scope="session")
def tables_at(visit, phone_visit, windows):
    """The tables of a page as a window of a given width shows them: from the desktop's and the
    phone's visits, or from a visit of the page's own at the other widths."""
    @functools.cache
    def tables_at(lang: str, page: str, width: int) -> list[dict]:
        if width == DESKTOP["width"]:
            return visit(lang, page).tables
        if width == PHONE["width"]:
            return phone_visit(lang, page).tables
        window = windows(width)
        browser_page = window.open(lang, page)
        window.screenshot(lang, WINDOWS[width][1], page)
        return read_tables(browser_page)

    return tables_at


# -- Every built page is one of PAGES ------------------------------------------------------------


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_built_page_is_checked(site, lang):
    root = site.html(lang)
    built = sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*.html")
        if not path.relative_to(root).as_posix().startswith(("_static/", "_sources/"))
    )
    assert built == sorted(PAGES), (
        f"{lang}: "
        "the pages the build made differ from the ones this test derives from the sources "
        "(index.md, docs/**/*.md, search, 404): update SOURCES or GENERATED in tests/test_browser.py"
    )


# -- Accessibility ------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", EDITIONS)
def test_accessibility(visit, lang, page):
    violations = visit(lang, page).violations
    assert not violations, axe_report(f"{lang}/{page}", violations)


FOCUSED = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  const box = e.getBoundingClientRect();
  const main = document.querySelector('[role="main"]');
  return {
    what: `<${e.tagName.toLowerCase()} class="${e.className}">${(e.innerText || e.value || '').trim().slice(0, 40)}`,
    skipLink: e.classList.contains('skip-link'),
    id: e.id,
    inMain: !!main && main.contains(e),
    afterMain: !!main && !!(main.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING),
    inMenu: !!e.closest('.wy-menu-vertical'),
    href: e.getAttribute('href'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    onScreen: box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0
      && box.bottom <= innerHeight && box.right <= innerWidth,
  };
}"""


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", EDITIONS)
def test_keyboard_skip_link(desktop, lang, page):
    browser_page = desktop.open(lang, page)
    page = f"{lang}/{page}"  # in the messages
    browser_page.keyboard.press("Tab")
    first = browser_page.evaluate(FOCUSED)
    assert first["skipLink"], f"{page}: keyboard: the first Tab reaches {first['what']}, not the skip link"
    assert first["onScreen"], f"{page}: keyboard: the focused skip link is not on screen"
    assert first["outline"], f"{page}: keyboard: the focused skip link has no visible outline"
    browser_page.keyboard.press("Enter")
    focused = browser_page.evaluate(FOCUSED)
    assert focused["id"] == "main-content" and focused["inMain"], (
        f"{page}: keyboard: the skip link moved the focus to {focused['what']}, not the main content"
    )
    browser_page.keyboard.press("Tab")
    following = browser_page.evaluate(FOCUSED)
    assert following["inMain"] or following["afterMain"], (
        f"{page}: keyboard: Tab after the skip link goes back to {following['what']}"
    )
    assert following["outline"], f"{page}: keyboard: no visible focus outline on {following['what']}"


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", EDITIONS)
def test_keyboard_reaches_the_sidebar(desktop, lang, page):
    """Tab goes through every link of the sidebar's menu, each with a visible focus outline."""
    browser_page = desktop.open(lang, page)
    page = f"{lang}/{page}"  # in the messages
    shown = set(browser_page.eval_on_selector_all(
        ".wy-menu-vertical a", "links => links.filter(a => a.offsetParent).map(a => a.getAttribute('href'))"
    ))
    reached, no_outline = set(), []
    for _ in range(len(shown) * 2 + 10):  # the menu's links, their expand buttons, a few others
        browser_page.keyboard.press("Tab")
        focused = browser_page.evaluate(FOCUSED)
        if focused["inMain"] or focused["afterMain"]:
            break
        if focused["inMenu"] and focused["href"] is not None:
            reached.add(focused["href"])
            if not focused["outline"]:
                no_outline.append(focused["what"])
    assert shown, f"{page}: sidebar: the menu shows no links"
    assert reached == shown, f"{page}: keyboard: Tab never reaches the sidebar links {sorted(shown - reached)}"
    assert not no_outline, f"{page}: keyboard: no visible focus outline on {no_outline}"


# -- Navigation ---------------------------------------------------------------------------------


SEED_MENU = {
    "en": ["Data Types", "Imaging data", "Guidelines for data producers"],
    "sv": ["Datatyper", "Bilddata", "Riktlinjer för dataproduktion"],
}


@pytest.mark.parametrize("lang", EDITIONS)
def test_seed_page_shows_the_menu_names(visit, lang):
    visited, menu = visit(lang, SEED_PAGE), SEED_MENU[lang]
    assert visited.breadcrumbs == menu, f"{lang}/{SEED_PAGE}: breadcrumbs: {visited.breadcrumbs}"
    assert visited.sidebar == menu, f"{lang}/{SEED_PAGE}: sidebar: {visited.sidebar}"


@pytest.mark.parametrize("page", list(SOURCES))  # search and 404 are in no menu
@pytest.mark.parametrize("lang", EDITIONS)
def test_menu_hierarchy(visit, lang, page):
    visited, chain = visit(lang, page), menu_chain(page, lang)
    page = f"{lang}/{page}"  # in the messages
    assert visited.breadcrumbs == chain, f"{page}: breadcrumbs show {visited.breadcrumbs}, the menu {chain}"
    # The landing page is not in the sidebar's menu: the project's name above it leads there.
    expected = [] if page == f"{lang}/{ROOT_DOC}.html" else chain
    assert visited.sidebar == expected, f"{page}: sidebar marks {visited.sidebar} as current, the menu {expected}"


# Both editions are served, as on Read the Docs, so a link from one to the other (the language
# switch) is checked like any other.
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", EDITIONS)
def test_internal_links_resolve(site, visit, lang, page):
    problems = []
    for link, _href in dict.fromkeys(map(tuple, visit(lang, page).links)):  # once each, in order
        if not link.startswith(site.base):
            continue
        url, fragment = urldefrag(link)
        status, ids = site.fetch(url)
        if status != 200:
            problems.append(f"{lang}/{page}: link {urlsplit(link).path}: HTTP {status}")
        elif fragment and unquote(fragment) not in ids and urlsplit(url).path.endswith(".html"):
            problems.append(f"{lang}/{page}: link {urlsplit(url).path}#{fragment}: no such id on the page")
    assert not problems, "\n".join(problems)


# -- Search -------------------------------------------------------------------------------------


# Sphinx's searchtools writes the summary ("Search finished, …", "Sökningen är klar, …", or that
# nothing matched) when the search is over, after the results: wait for it, in any language, or
# for the error that stops it.
SEARCH_OVER = """() => pageErrors.length > 0
  || (document.querySelector('#search-results .search-summary')?.innerText || '').trim() !== ''"""


def search(desktop: Window, lang: str, query: str) -> Page:
    browser_page = desktop.open(lang, f"search.html?q={query}")
    browser_page.wait_for_function(SEARCH_OVER)
    return browser_page


@pytest.mark.parametrize("lang", EDITIONS)
def test_search_reports_its_results(desktop, lang):
    """The summary counts the pages found with the catalogue's plural rule, which Sphinx's scripts
    misread in Swedish until _static/js/plural-forms.js."""
    query = SEARCHES[lang][0][0]
    browser_page = search(desktop, lang, query)
    errors = browser_page.evaluate("pageErrors")
    assert not errors, f"{lang}/search.html?q={query}: JavaScript error: {errors}"
    summary = browser_page.inner_text("#search-results .search-summary").strip()
    assert summary, f"{lang}/search.html?q={query}: the search wrote no summary"


def search_cases() -> list:
    """(language, query, page) for each search of SEARCHES, with its marks if it has any."""
    cases = []
    for lang in EDITIONS:
        for case in SEARCHES[lang]:
            values, marks = (case.values, case.marks) if hasattr(case, "marks") else (case, ())
            cases.append(pytest.param(lang, *values, marks=marks, id=f"{lang}-{values[0]}"))
    return cases


@pytest.mark.parametrize(("lang", "query", "expected"), search_cases())
def test_search_finds_the_right_page_first(desktop, site, lang, query, expected):
    browser_page = search(desktop, lang, query)
    links = browser_page.eval_on_selector_all("#search-results ul.search li > a", "as => as.map(a => a.href)")
    results = [site.page_of(link) + (f"#{urldefrag(link).fragment}" if "#" in link else "") for link in links]
    pages = [urldefrag(result).url for result in results]
    # A term the glossary defines is an index entry there, which Sphinx's search ranks above any
    # section title: the definition comes first, one line with a link to the page that explains it.
    # That page must come next.
    if results and urldefrag(results[0]).fragment.lower() == f"term-{query.lower()}":
        pages = pages[1:]
    first = pages[0] if pages else None
    assert first == expected, (
        f"{lang}/search.html?q={query}: the first result is {first}, not {expected}; all results: {results}. "
        "Fix the ranking in the site (html_search_scorer, the page's words), not here."
    )


# -- Phone --------------------------------------------------------------------------------------

MENU_OPEN = "() => document.querySelector('.wy-nav-side').getBoundingClientRect().left >= 0"  # slid in

OVERFLOWING = """width => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > width + 0.5 && !e.closest('.wy-table-responsive, .wy-nav-side'))
  .slice(0, 5).map(e => `<${e.tagName.toLowerCase()} class="${e.className}">`)"""


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", EDITIONS)
def test_phone(phone, phone_visit, lang, page):
    seen = phone_visit(lang, page)
    page_name, page = page, f"{lang}/{page}"  # in the messages
    assert seen.width <= PHONE["width"], (
        f"{page}: phone: the page is {seen.width}px wide in a {PHONE['width']}px screen; too wide: {seen.overflowing}"
    )
    assert seen.layout == PHONE["width"], (
        f"{page}: phone: the page is laid out {seen.layout}px wide and shrunk to the {PHONE['width']}px screen: "
        'the viewport meta tag must say width=device-width (the theme\'s layout.html has it)')
    size, text = seen.smallest or (SMALLEST_TEXT_PX, "")  # the search page has no text until a search
    assert size >= SMALLEST_TEXT_PX, f"{page}: phone: text of {size}px ({text!r}), under {SMALLEST_TEXT_PX}px"
    # A region that scrolls sideways must be reachable from the keyboard: axe checks it.
    assert not seen.violations, axe_report(f"{page}: phone", seen.violations)
    browser_page = phone.showing(lang, page_name)
    toggle = browser_page.locator('[data-toggle="wy-nav-top"]')
    menu = browser_page.locator(".wy-nav-side")
    assert toggle.evaluate("e => e.tagName") == "BUTTON", f"{page}: phone: the menu toggle is no button"
    toggle.click()
    browser_page.wait_for_function(MENU_OPEN)
    assert browser_page.locator(".wy-menu-vertical a").first.is_visible(), f"{page}: phone: the open menu shows no links"
    toggle.click()
    browser_page.wait_for_function("() => document.querySelector('.wy-nav-side').getBoundingClientRect().right <= 0")
    assert "shift" not in (menu.get_attribute("class") or ""), f"{page}: phone: the menu did not close"


# -- The page's controls, at every width ---------------------------------------------------------

# From the narrowest phone to a wide screen, on both sides of the theme's breakpoints (480 px: the
# breadcrumbs' aside hides; 768/769 px: the sidebar becomes the phone's menu).
SWEEP = [320, 414, 480, 481, 768, 769, 1024, 1280, 1920]
# What a reader must reach: (what, selector, whether every page has it, whether it is in the
# sidebar, which a narrow screen shows as the phone's menu). The previous and next links are on
# the pages that have them; all else on every page, 404.html too.
CONTROLS = [
    ("the language switch", ".edition-tools .edition-switch a", True, True),
    ("the PDF", ".edition-tools .edition-download a >> nth=0", True, True),
    ("the EPUB", ".edition-tools .edition-download a >> nth=1", True, True),
    ("the search box", ".wy-side-nav-search input[name=q]", True, True),
    ("the menu", ".wy-menu-vertical a >> nth=0", True, True),
    ("the previous or next link", ".rst-footer-buttons a >> nth=0", False, False),
]
IN_VIEW = """(e, width) => { const box = e.getBoundingClientRect(), style = getComputedStyle(e);
  return box.width > 0 && box.height > 0 && box.left >= -0.5 && box.right <= width + 0.5
    && style.visibility === 'visible' && parseFloat(style.opacity) > 0; }"""


def unreachable_controls(window: Window, lang: str, page: str, width: int) -> list[str]:
    """The controls of *page* that a reader cannot reach in a window *width* px wide: missing, or
    out of view (those of the sidebar, on a narrow screen, with the phone's menu open)."""
    browser_page = window.open(lang, page)
    toggle = browser_page.locator('[data-toggle="wy-nav-top"]')
    problems = []
    for in_sidebar in (False, True):
        if in_sidebar and toggle.is_visible():
            toggle.click()
            browser_page.wait_for_function(MENU_OPEN)
        for what, selector, required, sidebar in CONTROLS:
            control = browser_page.locator(selector)
            if sidebar != in_sidebar:
                continue
            if not control.count():
                problems += [f"{lang}/{page} at {width}px: no {what}"] if required else []
            elif not control.evaluate(IN_VIEW, width):
                problems.append(f"{lang}/{page} at {width}px: {what} is out of view")
    return problems


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_control_in_view_at_every_width(browser, site, lang):
    """The language switch, the search box, both downloads, the menu and the previous and next
    links are in view on a page at every width of SWEEP, the phone's menu opened where the sidebar
    is one; at the narrowest, on every page. The controls come from the theme's layout and one
    stylesheet, the same on every page, so one page stands for the others at the other widths."""
    problems = []
    for width in SWEEP:
        window = Window(browser, site, {"width": width, "height": 800})
        try:
            for page in PAGES if width == SWEEP[0] else [SEED_PAGE]:
                problems += unreachable_controls(window, lang, page, width)
        finally:
            window.context.close()
    assert not problems, "\n".join(problems)


# -- Page metadata ------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", EDITIONS)
def test_page_metadata(visit, lang, page):
    visited = visit(lang, page)
    meta = visited.meta
    source_page, page = page, f"{lang}/{page}"  # in the messages
    assert visited.lang == lang, f"{page}: <html lang> is {visited.lang!r}"
    assert visited.title.strip(), f"{page}: empty <title>"
    assert (visited.canonical and visited.canonical.startswith("https://")
            and visited.canonical.endswith(f"/{lang}/latest/{source_page}")), (
        f"{page}: canonical link {visited.canonical!r} (html_baseurl in conf.py)"
    )
    if source_page in GENERATED:
        return  # no source, so no front matter to describe them, and no one shares a link to them
    site_name = meta.get("og:site_name")
    assert site_name and visited.title.count(site_name) == 1, f"{page}: <title> {visited.title!r}"
    assert meta.get("og:title") and visited.title.startswith(meta["og:title"]), (
        f"{page}: og:title {meta.get('og:title')!r} does not begin the title {visited.title!r}"
    )
    assert meta.get("og:type") == "website", f"{page}: og:type is {meta.get('og:type')!r}"
    assert meta.get("og:url") == visited.canonical, f"{page}: og:url {meta.get('og:url')!r}"
    description = " ".join(front_matter(SOURCES[source_page])["description"].split())
    description = translate(lang, source_page, description)
    assert meta.get("description") == description, f"{page}: <meta name=description> {meta.get('description')!r}"
    assert meta.get("og:description") == description, f"{page}: og:description {meta.get('og:description')!r}"


@pytest.mark.parametrize("lang", EDITIONS)
def test_titles_are_unique(visit, lang):
    titles = {}
    for page in PAGES:
        titles.setdefault(visit(lang, page).title, []).append(page)
    shared = {title: pages for title, pages in titles.items() if len(pages) > 1}
    assert not shared, f"{lang}: pages share a <title>: {shared}"


# -- Console ------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", EDITIONS)
def test_console_is_quiet(site, visit, lang, page):
    visited = visit(lang, page)
    page = f"{lang}/{page}"  # in the messages
    problems = [f"{page}: {problem}" for problem in visited.problems]
    # Chromium fetches no favicon while Playwright routes requests (Window), so check it here: a
    # page that names no icon makes the browser ask for /favicon.ico and log its 404.
    if not visited.icon and site.fetch(site.base + "favicon.ico")[0] != 200:
        problems.append(f"{page}: console error: /favicon.ico: 404 (the page names no icon)")
    assert not problems, "\n".join(problems)


# -- Tables: what a reader sees of them, at every common width -----------------------------------


@pytest.mark.parametrize("page", [page for page in PAGES if page not in TABLE_PAGES])
@pytest.mark.parametrize("lang", EDITIONS)
def test_no_table_goes_unchecked(visit, lang, page):
    tables = [table["id"] for table in visit(lang, page).tables]
    assert not tables, f"{lang}/{page} shows the tables {tables}, but TABLE_PAGES does not list it"


# Not at 1920 px: the theme caps the text column at 800 px, so the tables are laid out as at 1280.
@pytest.mark.parametrize("width", sorted(width for width in WINDOWS if width != WIDE["width"]))
@pytest.mark.parametrize("page", TABLE_PAGES)
@pytest.mark.parametrize("lang", EDITIONS)
def test_tables_show_every_column(tables_at, lang, page, width):
    """Every table shows all of its columns in the text column, with no hidden overflow (the
    theme's sideways-scrolling box hid whole columns and cut the caption), and its whole caption.
    On a phone a table may instead show each row as a block, each cell under its column's header.
    Whatever the layout, the accessibility tree still holds a table with its headers and cells."""
    tables = tables_at(lang, page, width)
    assert tables, f"{lang}/{page}: no table at {width}px, but its source has one"
    problems = []
    for table in tables:
        where = f"{lang}/{page}#{table['id']} at {width}px"
        if table["reflowed"]:
            if table["column"] > REFLOW_MAX_COLUMN:
                problems.append(f"{where}: rows shown as blocks in a text column of {table['column']}px, "
                                f"wider than {REFLOW_MAX_COLUMN}px: show the table")
            if table["unlabelled"]:
                problems.append(f"{where}: rows shown as blocks, but these cells show no column header "
                                f"(data-label, _ext/imaging_guidelines/reflow_tables.py): {table['unlabelled'][:5]}")
        if table["overflow"]:
            problems.append(f"{where}: the table is {table['scrollWidth']}px wide in a {table['clientWidth']}px "
                            "box, which hides the rest: let the cells wrap (_static/css/custom.css)")
        if table["hiddenHeads"]:
            problems.append(f"{where}: header cells out of sight: {table['hiddenHeads'][:5]}")
        if table["hiddenCells"]:
            problems.append(f"{where}: {len(table['hiddenCells'])} cells out of sight: {table['hiddenCells'][:5]}")
        if table["captionClipped"]:
            problems.append(f"{where}: the caption {table['caption']!r} is cut off")
        roles = table["roles"]
        if roles["table"] != 1 or roles["columnheader"] != table["heads"] or (
                roles["cell"] + roles["rowheader"] != table["cells"]):
            problems.append(f"{where}: a screen reader gets {roles}, not a table of {table['heads']} column "
                            f"headers and {table['cells']} cells")
    assert not problems, "\n".join(problems)


# -- Sidebar: targets a finger or an unsteady hand can hit (WCAG 2.2, 2.5.8) --------------------

TARGET_SIZE = 24  # px


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", EDITIONS)
def test_sidebar_expand_buttons_are_big_enough(visit, lang, page):
    """Each expand button in the sidebar's menu (the theme's `button.toctree-expand`) is a target
    of at least 24x24 px, wholly in the window. It sits inside its menu link, another target, so
    the spacing exception of 2.5.8 cannot apply: it has to be that big."""
    small = [
        f"{button['link']!r}: {button['width']:.0f}x{button['height']:.0f}px from x={button['left']:.0f}"
        for button in visit(lang, page).expanders
        if button["width"] < TARGET_SIZE - 0.5 or button["height"] < TARGET_SIZE - 0.5 or button["left"] < 0
    ]
    assert visit(lang, page).expanders or page in GENERATED, f"{lang}/{page}: the sidebar shows no expand button"
    assert not small, f"{lang}/{page}: sidebar expand buttons smaller than {TARGET_SIZE}x{TARGET_SIZE}px: {small}"


# -- Components look like components -------------------------------------------------------------

# What the browser draws for each card (sphinx-design) and each highlighted code block (Pygments).
READ_COMPONENTS = """() => {
  const main = document.querySelector('[role="main"]');
  const cards = [...main.querySelectorAll('.sd-card')].map(card => {
    const style = getComputedStyle(card);
    const row = card.closest('.sd-row');
    const box = card.getBoundingClientRect();
    return {
      text: card.innerText.trim().split('\\n')[0],
      display: style.display,
      border: parseFloat(style.borderTopWidth) > 0 && style.borderTopStyle !== 'none',
      shadow: style.boxShadow,
      rowDisplay: row ? getComputedStyle(row).display : null,
      top: Math.round(box.top), width: Math.round(box.width),
    };
  });
  const code = [...main.querySelectorAll('div.highlight pre')].map(pre => {
    const plain = getComputedStyle(pre).color;
    const tokens = [...pre.querySelectorAll('span[class]')];
    const colours = new Set(tokens.map(s => getComputedStyle(s).color));
    colours.delete(plain);
    return {tokens: tokens.length, colours: colours.size};
  });
  return {cards, code, width: main.getBoundingClientRect().width};
}"""
# The pages whose sources hold cards or highlighted code blocks (so that a new one is covered).
COMPONENT_PAGES = [page for page, source in SOURCES.items()
                   if re.search(r"\{grid-item-card\}|\{card\}|^```[a-z]|\{code-block\}\s*\w", source.read_text(encoding="utf-8"), re.M)]


@pytest.mark.parametrize("page", COMPONENT_PAGES)
@pytest.mark.parametrize("lang", EDITIONS)
def test_components_are_styled_in_the_browser(desktop, lang, page):
    """Cards are boxes, with a border and a shadow, laid out side by side on a desktop (the grid
    asks for three columns from 'md' up); highlighted code shows more than one colour. An
    unstyled card is a plain list under a bold line: its stylesheet is missing."""
    seen = desktop.showing(lang, page).evaluate(READ_COMPONENTS)
    where = f"{lang}/{page}"
    assert seen["cards"] or seen["code"], f"{where}: neither cards nor highlighted code"
    for card in seen["cards"]:
        assert card["display"] == "flex", f"{where}: card {card['text']!r} is display:{card['display']}, not a flex box"
        assert card["border"], f"{where}: card {card['text']!r} has no border"
        assert card["shadow"] not in ("", "none"), f"{where}: card {card['text']!r} has no shadow"
        assert card["rowDisplay"] == "flex", f"{where}: the cards' row is display:{card['rowDisplay']}"
    if len(seen["cards"]) >= 3:  # the landing page's three: one row at 1280 px
        tops = {card["top"] for card in seen["cards"][:3]}
        assert len(tops) == 1, f"{where}: the cards are not side by side: tops {tops}"
        assert all(card["width"] < seen["width"] / 2 for card in seen["cards"][:3]), f"{where}: {seen['cards']}"
    highlighted = [block for block in seen["code"] if block["tokens"]]  # a ```text block has no tokens
    assert not seen["code"] or highlighted, f"{where}: no code block has highlighted tokens"
    # Some lexers mark little (a Markdown block: only its emphasised line): one coloured block will do.
    assert not highlighted or max(block["colours"] for block in highlighted) >= 1, (
        f"{where}: highlighted code shows only the text colour (pygments.css missing?)")


# -- The question-by-question guide, walked by keyboard ----------------------------------------

REPOSITORIES = "docs/data_types/imaging_data/guidelines/repositories.html"
ARCHIVE_NAMES = {archive["id"]: archive["name"]
                 for archive in yaml.safe_load((ROOT / "data" / "archives.yaml").read_text(encoding="utf-8"))}
# Each path: the steps its answers lead to, from the first question, and the archives it ends at.
GUIDE_PATHS = {
    "raw cryo-EM movies": (["electron"], ["empiar"]),
    "a light-microscopy screen behind a paper": (["light"], ["idr"]),
    "anonymised Swedish chest CT": (["people", "identifiable", "clinical"], ["aida"]),
    "identifiable images under consent for controlled access": (["people", "identifiable"], ["ega"]),
    "a Swedish group with no fitting archive": (["general"], ["scilifelab"]),
    "3D maps and a model from cryo-EM": (["electron"], ["emdb", "pdb"]),
}


def tab_to(browser_page: Page, selector: str, most: int = 120) -> None:
    """Press Tab until the element *selector* matches has the focus, and check that it is on screen
    with a visible outline."""
    for _ in range(most):
        browser_page.keyboard.press("Tab")
        if browser_page.evaluate("selector => document.activeElement.matches(selector)", selector):
            # On screen (to a pixel: layout is fractional), once any scrolling has ended.
            browser_page.wait_for_function("() => { const box = document.activeElement.getBoundingClientRect(); "
                                           "return box.top >= -1 && box.bottom <= innerHeight + 1; }")
            assert browser_page.evaluate(FOCUSED)["outline"], f"the focused {selector} has no outline"
            return
    raise AssertionError(f"{most} presses of Tab never reach {selector}")


def link_to(target: str) -> str:
    """The selector of a link to *target* on its page."""
    return f"a[href$='#{target}']"


@pytest.mark.parametrize("width", [PHONE["width"], DESKTOP["width"]])
@pytest.mark.parametrize("path", GUIDE_PATHS)
@pytest.mark.parametrize("lang", EDITIONS)
def test_the_guide_leads_by_keyboard_to_the_archive_the_chooser_names(windows, lang, path, width):
    """From the landing page, by Tab and Enter alone: to the guide, one answer a question, to the
    ending; each step an answer leads to is on screen, and the ending names the archives of the
    path, each with the words the chooser's row gives it."""
    window = windows(width)
    browser_page = window.open(lang, ROOT_DOC + ".html")
    tab_to(browser_page, link_to("answer-a-few-questions"))
    browser_page.keyboard.press("Enter")
    browser_page.wait_for_url(re.compile("#answer-a-few-questions$"))
    steps, archives = GUIDE_PATHS[path]
    ending = "guide-to-" + "-".join(archives)
    for target in [*(f"guide-{step}" for step in steps), ending]:
        tab_to(browser_page, link_to(target))
        browser_page.keyboard.press("Enter")
        browser_page.wait_for_url(re.compile(f"#{target}$"))
        # The step the answer leads to comes to the top of the screen, and has the focus.
        try:
            browser_page.wait_for_function(
                "id => { const top = document.getElementById(id).getBoundingClientRect().top; "
                "return top >= -1 && top < innerHeight / 2 && document.activeElement.id === id; }", arg=target,
                timeout=5_000)
        except Exception:
            seen = browser_page.evaluate("id => [document.getElementById(id).getBoundingClientRect().top, "
                                         "innerHeight, document.activeElement.id]", target)
            raise AssertionError(f"{lang}: {path}: #{target} (top, window, focus): {seen}") from None
    rows = dict(browser_page.eval_on_selector_all(
        "#repository-chooser tbody tr",
        "rows => rows.map(row => [row.cells[1].querySelector('a').innerText.trim(), row.cells[0].innerText.trim()])"))
    ending = browser_page.locator(f"#{ending}")
    names = [ARCHIVE_NAMES[archive] for archive in archives]
    assert ending.locator(".rubric").inner_text().split(", ") == names, f"{lang}: {path}"
    why = ending.locator(".rubric + p").inner_text().strip()
    assert len(names) > 1 or why == rows[names[0]], f"{lang}: {path}: the ending says {why!r}, the chooser {rows[names[0]]!r}"
    assert not window.problems, window.problems
    if width == PHONE["width"]:
        window.page.screenshot(path=window.site.screenshots[lang] / f"guide-{'-'.join(archives)}.png")


@pytest.mark.parametrize("lang", EDITIONS)
def test_the_papers_statement_is_copied_by_keyboard(browser, site, lang):
    """At an ending, Tab reaches the copy button beside the data-availability sentence, shown (not
    only on hover); Enter puts the sentence on the clipboard, placeholder and all."""
    context = browser.new_context(viewport=DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.base.rstrip("/"))
    try:
        browser_page = context.new_page()
        browser_page.goto(site.url(lang, REPOSITORIES) + "#guide-to-bioimage-archive")
        sentence = browser_page.locator("#guide-to-bioimage-archive .data-availability pre").inner_text().strip()
        assert re.fullmatch(r"The images are available in the BioImage Archive under accession S-BIAD\d+\.", sentence)
        tab_to(browser_page, "#guide-to-bioimage-archive .copybtn", most=40)
        assert browser_page.evaluate("() => getComputedStyle(document.activeElement).opacity") == "1", (
            f"{lang}: the focused copy button is not shown")
        browser_page.keyboard.press("Enter")
        assert browser_page.evaluate("() => navigator.clipboard.readText()").strip() == sentence
    finally:
        context.close()


@pytest.mark.parametrize("lang", EDITIONS)
def test_the_guides_diagram_scrolls_by_keyboard_on_the_narrowest_phone(browser, site, lang):
    """At 320 px the diagram keeps its size (its text readable) in a box that scrolls sideways, not
    the page; Tab reaches its link, arrow keys scroll it, and the link opens the whole SVG."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        browser_page = context.new_page()
        browser_page.goto(site.url(lang, REPOSITORIES) + "#all-the-questions-at-once")
        box = browser_page.locator(".guide-diagram")
        assert browser_page.evaluate("document.documentElement.scrollWidth") <= 320, f"{lang}: the page scrolls sideways"
        image = box.locator("img")
        browser_page.wait_for_function("() => document.querySelector('.guide-diagram img').complete")
        shown, drawn = image.evaluate("i => [i.getBoundingClientRect().width, i.naturalWidth]")
        assert drawn > 320 and shown == pytest.approx(drawn, abs=1), f"{lang}: the diagram is shrunk to {shown} px of {drawn}"
        browser_page.focus("#all-the-questions-at-once .headerlink")  # Tab goes on from the section's heading
        tab_to(browser_page, ".guide-diagram a", most=5)
        for _ in range(5):
            browser_page.keyboard.press("ArrowRight")
        browser_page.wait_for_function("() => document.querySelector('.guide-diagram').scrollLeft > 0", timeout=5_000)
        assert box.locator("a").get_attribute("href") == image.get_attribute("src")
    finally:
        context.close()
