"""Sphinx configuration for the imaging-data guidelines.

Grouped like Sphinx's own docs: project, general, one block per extension, one block per builder.
Build with `make html`, `make pdf` or `make epub`; Read the Docs runs sphinx-build on this file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))  # the local extensions: _ext/imaging_guidelines/

from imaging_guidelines.release import in_git_checkout  # noqa: E402


# -- Project information -----------------------------------------------------------------------

# Two editions, as on the portal: English (the sources) and Swedish (locale/sv/, through gettext),
# each a Read the Docs project of its own. The build's language arrives with `-D language=…` after
# this file has run: the editions extension then applies that edition's titles and addresses.
editions = {
    "en": {
        "name": "English",
        "project": "Imaging data guidelines",
        "subtitle": "Publishing imaging data from COVID-19 and pathogen research",
        "keywords": "imaging data, microscopy, electron microscopy, clinical images, COVID-19, repositories, "
        "metadata, FAIR",
    },
    "sv": {
        "name": "Svenska",
        "project": "Riktlinjer för bilddata",
        "subtitle": "Att publicera bilddata från forskning om covid-19 och andra patogener",
        "keywords": "bilddata, mikroskopi, elektronmikroskopi, kliniska bilder, covid-19, arkiv, metadata, FAIR",
    },
}
project = editions["en"]["project"]
author = "SciLifeLab Data Centre and contributors"
copyright = "2020-%Y, SciLifeLab Data Centre and contributors"
# version, release and today come from the commit, so that every build of a commit is the same:
# its tag or its date (2026.11.25), shown in the sidebar and on the PDF's title page (release).

# -- Editions: titles, addresses, the language switch and hreflang links (editions) ------------

# Where `make html` and `make html LANGUAGE=sv` put each edition (`make preview` serves both); on
# Read the Docs each is at /<language>/<version>/ of the main project's address.
edition_local_roots = {"en": "html", "sv": "sv/html"}
edition_default_url = "https://imaging-data-guidelines.readthedocs.io/"
# A Swedish page marks a link to an English-only site "(engelska)", as the portal did.
edition_marks = {"sv": "engelska"}
edition_local_sites = {  # sites that publish in Swedish
    "sv": ["www.pathogens.se", "etikprovningsmyndigheten.se", "www.imy.se", "www.riksdagen.se"],
}

# -- General configuration ---------------------------------------------------------------------

extensions = [
    # Sphinx's own
    "sphinx.ext.intersphinx",
    # third party
    "myst_parser",
    "sphinx_design",
    "notfound.extension",
    "sphinx_sitemap",
    # local: _ext/imaging_guidelines/ (its __init__.py names the order in which they cooperate)
    "imaging_guidelines.release",
    "imaging_guidelines.menu",
    "imaging_guidelines.content_policy",
    "imaging_guidelines.task_checkboxes",
    "imaging_guidelines.editions",
    "imaging_guidelines.translations",
    "imaging_guidelines.page_meta",
    "imaging_guidelines.page_source",
    "imaging_guidelines.page_assets",
    "imaging_guidelines.reflow_tables",
    "imaging_guidelines.epub_accessibility",
    "imaging_guidelines.pdf",
]
# Each page's "last updated" date, and the sitemap's, from git, where there is a history to date
# pages by: a copy from an archive has none, and shows no dates.
if in_git_checkout(HERE):
    extensions.append("sphinx_last_updated_by_git")

root_doc = "index"
# The landing page is the only source outside docs/; README.md and the tooling are not pages.
include_patterns = ["index.md", "docs/**"]
templates_path = ["_templates"]
language = "en"

nitpicky = True
show_warning_types = True  # so a warning can be named in suppress_warnings

# -- MyST --------------------------------------------------------------------------------------

myst_enable_extensions = [
    "colon_fence",
    "deflist",
    "tasklist",
]
myst_title_to_header = True  # the front matter's title is the page's H1, as on the Hugo portal
myst_heading_anchors = 3  # [text](page.md#a-heading) links to headings down to ###

# -- Intersphinx -------------------------------------------------------------------------------
# Cross-references to the broader SciLifeLab data guidelines resolve from an inventory kept in the
# repository (_intersphinx/, made by scripts/make_inventory.py), so the build never needs the
# network and a target missing from the list fails the build. INTERSPHINX_ONLINE=1 tries the live
# inventory first, to check the list against the site.

DATA_GUIDELINES = "https://scilifelab-data-guidelines.readthedocs.io/en/latest/"
_inventory = str(HERE / "_intersphinx" / "data-guidelines.inv")
intersphinx_mapping = {
    "data-guidelines": (
        DATA_GUIDELINES,
        (None, _inventory) if os.environ.get("INTERSPHINX_ONLINE") == "1" else _inventory,
    ),
}
intersphinx_disabled_reftypes = ["*"]  # only explicit inv:data-guidelines links go outside

# -- HTML output -------------------------------------------------------------------------------

html_theme = "sphinx_rtd_theme"
html_title = project
# The sidebar shows the whole menu while the site is small; beyond 50 pages, only the open branch
# (the theme's own collapse), so that each page's build and size stay bounded as the site grows
# (make bench-scale; readthedocs/sphinx_rtd_theme#604).
_pages = sum(1 for _ in (HERE / "docs").rglob("*.md"))
html_theme_options = {
    "navigation_depth": 4,
    "collapse_navigation": _pages > 50,
    # One language switch: each page's own link to the same page in the other edition
    # (_templates/breadcrumbs.html), which works without JavaScript and names the language in
    # itself. The theme's selector, filled by Read the Docs Addons, would be a second one, leading
    # to the other edition's home page rather than the same page, and changing page on selection.
    "language_selector": False,
}
html_static_path = ["_static"]
# Contrast, underlined links, focus outlines, the skip link: WCAG 2.1 AA fixes for the theme, with
# the templates in _templates/ (layout.html, footer.html). tests/test_browser.py checks them.
html_css_files = ["css/custom.css"]
# html_baseurl, the published address for canonical links and og:url (page_meta), is each
# edition's own (editions).
# The content policy refuses what a page may not contain; with no copies of the sources published,
# a refused line is nowhere in the output.
html_copy_source = False
# Each page's footer says when its source (or, translated, its catalogue) last changed, by git
# (sphinx-last-updated-by-git, above).
html_last_updated_fmt = "%Y-%m-%d"
git_last_updated_timezone = "UTC"  # the same date wherever the site is built
git_untracked_show_sourcelink = True  # a page not yet committed keeps its "Edit" link

# -- Page source: "Edit on GitHub" (page_source) -----------------------------------------------
# The repository and branch each page's "Edit on GitHub" link opens come from the environment:
# the clone Read the Docs builds, or SOURCE_REPOSITORY and SOURCE_BRANCH, or the remote "origin".
# A repository that is not on GitHub or GitLab gets no link.

# -- Sitemap (sphinx-sitemap) ------------------------------------------------------------------
# sitemap.xml lists every page at its published address, with the same page in each edition
# (hreflang), so search engines find both, each with its date (lastmod). Its addresses are the
# editions' (site_url, sitemap_url_scheme, sitemap_locales: editions).
sitemap_show_lastmod = "sphinx_last_updated_by_git" in extensions
sitemap_excludes = ["404.html", "search.html", "genindex.html"]  # no one looks for these

# -- 404 page (sphinx-notfound-page) -----------------------------------------------------------
# 404.html, which Read the Docs serves for any address that has no page. It can be served at any
# depth, so its links are absolute: /<language>/<version>/… on Read the Docs, /html/ and /sv/html/
# locally (notfound_urls_prefix, and the title in the edition's language: editions).
notfound_template = "404.html"  # _templates/404.html: the message, in the edition's language
notfound_context = {"title": "Page not found"}

# -- PDF output (make pdf; the pdf extension) -------------------------------------------------
# The whole guide in one HTML document (_ext/imaging_guidelines/pdf/theme/), set in A4 pages by
# WeasyPrint as a tagged PDF/UA-1 file, in the edition's language: _build/pdf/imaging-data-guidelines.pdf.

pdf_basename = "imaging-data-guidelines"
pdf_identifier = "imaging-data-guidelines"  # the Swedish edition's: imaging-data-guidelines-sv

# -- EPUB output (make epub) -------------------------------------------------------------------

epub_basename = "imaging-data-guidelines"
epub_title = project
epub_description = editions["en"]["subtitle"]
epub_author = author
epub_publisher = author
epub_contributor = author
epub_use_index = False  # the guidelines have no index entries
epub_css_files = []  # custom.css fixes the HTML theme, which the EPUB does not use
epub_tocdepth = 4  # the navigation reaches every page of the menu
epub_tocscope = "includehidden"  # the landing page's toctree is hidden (its cards lead the way)
epub_copyright = copyright
# The book's identifier; the EPUB's table of contents (toc.ncx) repeats it, so the two are one.
epub_uid = epub_identifier = "imaging-data-guidelines"
epub_cover = ("_static/epub/cover.svg", "epub-cover.html")
epub_show_urls = "footnote"  # as in the PDF: the reader still sees where a link goes

# -- Translations (make html LANGUAGE=sv; make translations) -----------------------------------

locale_dirs = ["locale/"]  # locale/sv/LC_MESSAGES/<page>.po, committed; the .mo files are built
gettext_compact = False  # one catalogue per page, as Sphinx and the rtd theme do
# A translation links where the English links (translations): the build fails on a
# msgstr whose link targets differ from its msgid's, unless a pair here sends an English target to
# the same page in the translation's language: {"sv": {"https://…/en/page": "https://…/sv/sida"}}.
# Web addresses only: a page of this site has the same name in both editions.
translation_link_map = {}

# -- Link check (make linkcheck) ---------------------------------------------------------------
# Real-world sites are slow, rate-limit robots and move pages; check patiently, and fail only on
# links that are really broken. Each ignored link says why it cannot be checked.

linkcheck_timeout = 30
linkcheck_retries = 3
linkcheck_workers = 5
linkcheck_rate_limit_timeout = 120  # wait out HTTP 429 for up to two minutes per host
linkcheck_anchors = True  # a link to #section must find that section
linkcheck_report_timeouts_as_broken = False  # a slow host is reported, not failed
linkcheck_allowed_redirects = {
    # DOIs always redirect to the publisher's page: that is how they work.
    r"https://doi\.org/.*": r"https://.*",
}
linkcheck_ignore = [
    # mailto: links name a mailbox, not a page: there is nothing to fetch.
    r"mailto:.*",
]
linkcheck_anchors_ignore_for_url = [
    # GitHub renders heading anchors with JavaScript, so the HTML has none to find.
    r"https://github\.com/.*",
]
