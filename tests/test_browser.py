"""The built site in a real browser, as readers use it.

Debian's Chromium (/usr/bin/chromium: never a browser that Playwright downloads) is driven by
Playwright and reads the pages from a server on 127.0.0.1 that a thread of this test runs. Every
page the build makes is checked for accessibility (axe-core, WCAG 2.0/2.1 A and AA), keyboard use,
the menu in the sidebar and breadcrumbs, its links, its metadata, its layout on a phone and a quiet
console; the search page must put the right page first. One browser serves the whole session, and
each page is loaded once per window size for the checks that only read it.

Screenshots of every page, desktop (1280×800) and phone (375×667), go to the build's folder,
`screenshots/desktop/…png` and `screenshots/phone/…png`, for a person to look at; the run prints
the folder at the end.
"""

from __future__ import annotations

import dataclasses
import functools
import http.server
import posixpath
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

from conftest import ROOT

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

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
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
GENERATED = ["genindex.html", "search.html", "404.html"]

# (query, the page that must come first). DICOM is on two pages, each with a section title that
# names it: the clinical page (de-identifying DICOM files) and the metadata page (DICOM as a
# format). Sphinx scores both alike and orders ties by page title, so the clinical page comes
# first, which suits the reader who searches for DICOM: they hold patient images, and the clinical
# page says what to do before sharing them and links to the format section.
SEARCHES = [
    ("REMBI", f"{GUIDE}/metadata.html"),
    ("EMPIAR", f"{GUIDE}/repositories.html"),
    ("DICOM", f"{GUIDE}/clinical.html"),
    ("consultation", "docs/data_types/imaging_data/services.html"),
]


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


def menu_chain(page: str) -> list[str]:
    """The menu names from the top of the menu down to *page*, as the portal's front matter says."""
    entries = {}
    for html, source in SOURCES.items():
        meta = front_matter(source)
        menu = (meta.get("menu") or {}).get("main") or {}
        entries[menu.get("identifier")] = (html, menu.get("name") or meta.get("title"), menu.get("parent"))
    by_page = {html: (name, parent) for html, name, parent in entries.values()}
    name, parent = by_page[page]
    chain = [name]
    while parent:
        _, name, parent = entries[parent]
        chain.insert(0, name)
    return chain


# -- The server, the browser and the two windows ------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@dataclasses.dataclass(eq=False)  # hashed by identity, for the cache on fetch()
class Site:
    root: Path  # the built HTML
    base: str  # http://127.0.0.1:PORT/
    screenshots: Path

    def url(self, page: str) -> str:
        return self.base + page

    def page_of(self, url: str) -> str:
        return urlsplit(url).path.lstrip("/")

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
def site(html_build, request):
    assert html_build.returncode == 0, f"the HTML build failed:\n{html_build.log}"
    root = html_build.builddir / "html"
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root))
    )
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    screenshots = html_build.builddir / "screenshots"
    yield Site(root, f"http://127.0.0.1:{server.server_address[1]}/", screenshots)
    server.shutdown()
    server.server_close()
    if screenshots.exists():
        capture = request.config.pluginmanager.getplugin("capturemanager")
        with capture.global_and_fixture_disabled():
            print(f"\nScreenshots of every page (desktop 1280x800, phone 375x667): {screenshots}")


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
        self.context = browser.new_context(viewport=viewport)
        # Nothing leaves the machine: a request to another host is a bug (noted below), not a wait.
        self.context.route(re.compile(rf"^(?!{re.escape(site.base)})"), lambda route: route.abort())
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

    def open(self, page: str, wait_until: str = "load") -> Page:
        self.problems = []
        self.page.goto(self.site.url(page), wait_until=wait_until)
        return self.page

    def screenshot(self, folder: str, page: str) -> None:
        path = self.site.screenshots / folder / Path(page).with_suffix(".png")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=path, full_page=True)


@pytest.fixture(scope="session")
def desktop(browser, site) -> Window:
    window = Window(browser, site, DESKTOP)
    yield window
    window.context.close()


@pytest.fixture(scope="session")
def phone(browser, site) -> Window:
    window = Window(browser, site, PHONE)
    yield window
    window.context.close()


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


@pytest.fixture(scope="session")
def visit(desktop):
    @functools.cache
    def visit(page: str) -> Visit:
        browser_page = desktop.open(page, wait_until="networkidle")  # late requests count too
        problems = list(desktop.problems)
        violations = AXE.run(browser_page, options=AXE_OPTIONS).response["violations"]
        desktop.screenshot("desktop", page)
        return Visit(problems, violations, **browser_page.evaluate(READ_PAGE))

    return visit


# -- Every built page is one of PAGES ------------------------------------------------------------


def test_every_built_page_is_checked(site):
    built = sorted(
        path.relative_to(site.root).as_posix()
        for path in site.root.rglob("*.html")
        if not path.relative_to(site.root).as_posix().startswith(("_static/", "_sources/"))
    )
    assert built == sorted(PAGES), (
        "the pages the build made differ from the ones this test derives from the sources "
        "(index.md, docs/**/*.md, genindex, search, 404): update SOURCES or GENERATED in tests/test_browser.py"
    )


# -- Accessibility ------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_accessibility(visit, page):
    violations = visit(page).violations
    assert not violations, axe_report(page, violations)


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
def test_keyboard_skip_link(desktop, page):
    browser_page = desktop.open(page)
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
def test_keyboard_reaches_the_sidebar(desktop, page):
    """Tab goes through every link of the sidebar's menu, each with a visible focus outline."""
    browser_page = desktop.open(page)
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


def test_seed_page_shows_the_menu_names(visit):
    visited = visit(SEED_PAGE)
    menu = ["Data Types", "Imaging data", "Guidelines for data producers"]
    assert visited.breadcrumbs == menu, f"{SEED_PAGE}: breadcrumbs: {visited.breadcrumbs}"
    assert visited.sidebar == menu, f"{SEED_PAGE}: sidebar: {visited.sidebar}"


@pytest.mark.parametrize("page", list(SOURCES))  # genindex and search are in no menu
def test_menu_hierarchy(visit, page):
    visited, chain = visit(page), menu_chain(page)
    assert visited.breadcrumbs == chain, f"{page}: breadcrumbs show {visited.breadcrumbs}, the menu {chain}"
    # The landing page is not in the sidebar's menu: the project's name above it leads there.
    expected = [] if page == f"{ROOT_DOC}.html" else chain
    assert visited.sidebar == expected, f"{page}: sidebar marks {visited.sidebar} as current, the menu {expected}"


def leaves_the_build(page: str, href: str) -> bool:
    """A relative link that climbs above the built HTML's root: to another build beside it (the
    other language's edition, `_build/sv/html/`), which this build does not make."""
    target = urlsplit(href)
    if target.scheme or target.netloc or not target.path or target.path.startswith("/"):
        return False
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), target.path)).startswith("../")


@pytest.mark.parametrize("page", PAGES)
def test_internal_links_resolve(site, visit, page):
    problems = []
    for link, href in dict.fromkeys(map(tuple, visit(page).links)):  # once each, in order
        if not link.startswith(site.base) or leaves_the_build(page, href):
            continue
        url, fragment = urldefrag(link)
        status, ids = site.fetch(url)
        if status != 200:
            problems.append(f"{page}: link {site.page_of(link)}: HTTP {status}")
        elif fragment and unquote(fragment) not in ids and urlsplit(url).path.endswith(".html"):
            problems.append(f"{page}: link {site.page_of(url)}#{fragment}: no such id on the page")
    assert not problems, "\n".join(problems)


# -- Search -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected"), SEARCHES)
def test_search_finds_the_right_page_first(desktop, site, query, expected):
    browser_page = desktop.open(f"search.html?q={query}")
    browser_page.wait_for_function(
        "() => /finished|did not match/.test("
        "document.querySelector('#search-results .search-summary')?.innerText || '')"
    )
    results = [
        site.page_of(link)
        for link in browser_page.eval_on_selector_all("#search-results ul.search li > a", "as => as.map(a => a.href)")
    ]
    first = urldefrag(results[0]).url if results else None
    assert first == expected, (
        f"search.html?q={query}: the first result is {first}, not {expected}; all results: {results}. "
        "Fix the ranking in the site (html_search_scorer, the page's words), not here."
    )


# -- Phone --------------------------------------------------------------------------------------

OVERFLOWING = """width => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > width + 0.5 && !e.closest('.wy-table-responsive, .wy-nav-side'))
  .slice(0, 5).map(e => `<${e.tagName.toLowerCase()} class="${e.className}">`)"""


@pytest.mark.parametrize("page", PAGES)
def test_phone(phone, page):
    browser_page = phone.open(page)
    width = browser_page.evaluate("document.documentElement.scrollWidth")
    phone.screenshot("phone", page)
    assert width <= PHONE["width"], (
        f"{page}: phone: the page is {width}px wide in a {PHONE['width']}px screen; too wide: "
        f"{browser_page.evaluate(OVERFLOWING, PHONE['width'])}"
    )
    # Narrow, wide tables scroll: axe checks that such a region can be scrolled from the keyboard.
    violations = AXE.run(browser_page, options=AXE_OPTIONS).response["violations"]
    assert not violations, axe_report(f"{page}: phone", violations)
    toggle = browser_page.locator('[data-toggle="wy-nav-top"]')
    menu = browser_page.locator(".wy-nav-side")
    assert toggle.evaluate("e => e.tagName") == "BUTTON", f"{page}: phone: the menu toggle is no button"
    toggle.click()
    browser_page.wait_for_function("() => document.querySelector('.wy-nav-side').getBoundingClientRect().left >= 0")
    assert browser_page.locator(".wy-menu-vertical a").first.is_visible(), f"{page}: phone: the open menu shows no links"
    toggle.click()
    browser_page.wait_for_function("() => document.querySelector('.wy-nav-side').getBoundingClientRect().right <= 0")
    assert "shift" not in (menu.get_attribute("class") or ""), f"{page}: phone: the menu did not close"


# -- Page metadata ------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_page_metadata(visit, page):
    visited = visit(page)
    meta = visited.meta
    assert visited.lang == "en", f"{page}: <html lang> is {visited.lang!r}"
    assert visited.title.strip(), f"{page}: empty <title>"
    assert visited.canonical and visited.canonical.startswith("https://") and visited.canonical.endswith(page), (
        f"{page}: canonical link {visited.canonical!r} (html_baseurl in conf.py)"
    )
    if page in GENERATED:
        return  # no source, so no front matter to describe them, and no one shares a link to them
    site_name = meta.get("og:site_name")
    assert site_name and visited.title.count(site_name) == 1, f"{page}: <title> {visited.title!r}"
    assert meta.get("og:title") and visited.title.startswith(meta["og:title"]), (
        f"{page}: og:title {meta.get('og:title')!r} does not begin the title {visited.title!r}"
    )
    assert meta.get("og:type") == "website", f"{page}: og:type is {meta.get('og:type')!r}"
    assert meta.get("og:url") == visited.canonical, f"{page}: og:url {meta.get('og:url')!r}"
    description = " ".join(front_matter(SOURCES[page])["description"].split())
    assert meta.get("description") == description, f"{page}: <meta name=description> {meta.get('description')!r}"
    assert meta.get("og:description") == description, f"{page}: og:description {meta.get('og:description')!r}"


def test_titles_are_unique(visit):
    titles = {}
    for page in PAGES:
        titles.setdefault(visit(page).title, []).append(page)
    shared = {title: pages for title, pages in titles.items() if len(pages) > 1}
    assert not shared, f"pages share a <title>: {shared}"


# -- Console ------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_console_is_quiet(site, visit, page):
    visited = visit(page)
    problems = [f"{page}: {problem}" for problem in visited.problems]
    # Chromium fetches no favicon while Playwright routes requests (Window), so check it here: a
    # page that names no icon makes the browser ask for /favicon.ico and log its 404.
    if not visited.icon and site.fetch(site.url("favicon.ico"))[0] != 200:
        problems.append(f"{page}: console error: /favicon.ico: 404 (the page names no icon)")
    assert not problems, "\n".join(problems)
