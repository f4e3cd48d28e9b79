"""Sphinx configuration for the imaging-data guidelines.

Grouped like Sphinx's own docs: project, general, one block per extension, one block per builder.
Build with `make html`, `make pdf` or `make epub`; Read the Docs runs sphinx-build on this file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))  # local extensions


def git(*args: str) -> str:
    """What `git *args` prints in this checkout, or '' outside one (or without git)."""
    try:
        return subprocess.run(["git", *args], cwd=HERE, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def git_date() -> str | None:
    """The last commit's date (YYYY-MM-DD), so every build of a commit carries the same version."""
    return git("log", "-1", "--format=%cd", "--date=format:%Y-%m-%d") or None


def git_tag() -> str | None:
    """The tag on the commit being built, if it has one (`git tag 2026.1` names a release)."""
    tag = git("describe", "--tags", "--exact-match", "HEAD")
    if tag.startswith("v") and tag[1:2].isdigit():
        tag = tag[1:]  # v2026.1 is version 2026.1
    return tag or None


def git_remote() -> str:
    """Where the checkout's `origin` remote points, or '' without one."""
    return git("remote", "get-url", "origin")


# -- Project information -----------------------------------------------------------------------

# Two editions, as on the portal: English (the sources) and Swedish (locale/sv/, through gettext).
# Read the Docs builds each as a project of its own with `-D language=<code>`, which arrives after
# this file has run: use_edition() at the end applies what depends on the language.
EDITIONS = {
    "en": {
        "project": "Imaging data guidelines",
        "subtitle": "Publishing imaging data from COVID-19 and pathogen research",
        "keywords": "imaging data, microscopy, electron microscopy, clinical images, COVID-19, repositories, "
        "metadata, FAIR",
    },
    "sv": {
        "project": "Riktlinjer för bilddata",
        "subtitle": "Att publicera bilddata från forskning om covid-19 och andra patogener",
        "keywords": "bilddata, mikroskopi, elektronmikroskopi, kliniska bilder, covid-19, arkiv, metadata, FAIR",
    },
}
project = EDITIONS["en"]["project"]
subtitle = EDITIONS["en"]["subtitle"]
author = "SciLifeLab Data Centre and contributors"
copyright = "2020-%Y, SciLifeLab Data Centre and contributors"
# The date shown in the PDF and EPUB is the commit's, not the build's, so every build of a commit
# is the same. Outside a git checkout the build date stands in. The version is the commit's date
# (2026.11.25), or its tag when the commit is tagged; the PDF's title page and the HTML sidebar
# (_templates/searchbox.html) show it.
today = git_date() or ""
release = version = git_tag() or today.replace("-", ".") or "unreleased"
# Sphinx dates everything else (copyright year, EPUB timestamps) by SOURCE_DATE_EPOCH when set:
# the commit's time, unless the caller chose one.
if "SOURCE_DATE_EPOCH" not in os.environ and today:
    os.environ["SOURCE_DATE_EPOCH"] = git("log", "-1", "--format=%ct")

# -- Editions: the language switch and hreflang links (_ext/editions.py) ------------------------

edition_names = {"en": "English", "sv": "Svenska"}
# Where each edition's HTML lives, from a common root: side by side in _build/ locally (`make html`,
# `make html LANGUAGE=sv`; `make preview` serves both), at /<language>/<version>/ on Read the Docs.
# Each edition is a Read the Docs project of its own, and the two build the same version only for
# "latest" (the default branch): a pull request's preview, a tag or another branch is built by one
# project alone, so its pages link to no other edition (edition_roots lists the editions built).
if os.environ.get("READTHEDOCS"):
    _version = os.environ.get("READTHEDOCS_VERSION", "latest")
    _built = list(EDITIONS) if _version == "latest" else [os.environ.get("READTHEDOCS_LANGUAGE", "en")]
    edition_roots = {lang: f"{lang}/{_version}" for lang in _built}
else:
    _version = "latest"
    edition_roots = {"en": "html", "sv": "sv/html"}
# The published addresses: Read the Docs gives this project's; its translation sits beside it.
_canonical = urlparse(os.environ.get("READTHEDOCS_CANONICAL_URL", "https://imaging-data-guidelines.readthedocs.io/"))
edition_urls = {lang: f"{_canonical.scheme}://{_canonical.netloc}/{lang}/{_version}/" for lang in EDITIONS}
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
    # local (_ext/)
    "menu",
    "content_policy",
    "tasklist",
    "editions",
    "page_meta",
    "page_source",
    "lean_pages",
    "tables",
    "epub_accessibility",
    "translation_policy",
]

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
html_theme_options = {
    "navigation_depth": 4,
    "collapse_navigation": False,
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
# The published address, for canonical links and og:url (_ext/page_meta.py); use_edition() below
# gives the Swedish edition its own.
html_baseurl = edition_urls["en"]
# Each page's footer says when its source (or, translated, its catalogue) last changed, by git
# (sphinx-last-updated-by-git; _ext/page_source.py adds the catalogue). A copy without git history
# (an archive's download) has nothing to date pages by, and shows no dates.
html_last_updated_fmt = "%Y-%m-%d"
if git("rev-parse", "--is-inside-work-tree") == "true":
    extensions.append("sphinx_last_updated_by_git")
git_last_updated_timezone = "UTC"  # the same date wherever the site is built
git_untracked_show_sourcelink = True  # a page not yet committed keeps its "Edit" link

# -- Page source: "Edit on GitHub" (_ext/page_source.py) ---------------------------------------
# The repository and branch that each page's "Edit on GitHub" link opens: on Read the Docs, the
# clone it builds (a pull request's own commit, a tag as it is); locally SOURCE_REPOSITORY (say
# https://github.com/owner/repo) and SOURCE_BRANCH (main), else the git remote "origin". A
# repository that is not on GitHub or GitLab keeps Sphinx's own "View page source" link.
if os.environ.get("READTHEDOCS"):
    page_source_repository = os.environ.get("READTHEDOCS_GIT_CLONE_URL", "")
    _version_type = os.environ.get("READTHEDOCS_VERSION_TYPE", "branch")
    page_source_version = os.environ.get(
        "READTHEDOCS_GIT_COMMIT_HASH" if _version_type == "external" else "READTHEDOCS_GIT_IDENTIFIER", ""
    )
    page_source_view = "edit" if _version_type == "branch" else "blob"  # a tag or commit cannot be edited
else:
    page_source_repository = os.environ.get("SOURCE_REPOSITORY") or git_remote()
    page_source_version = os.environ.get("SOURCE_BRANCH", "main")
    page_source_view = "edit"

# -- Sitemap (sphinx-sitemap) ------------------------------------------------------------------
# sitemap.xml lists every page at its published address, with the same page in each edition
# (hreflang), so search engines find both. Its addresses are built like edition_urls:
# https://<host>/<language>/<version>/<page>.html.
site_url = f"{_canonical.scheme}://{_canonical.netloc}/"
sitemap_url_scheme = "{lang}" + _version + "/{link}"
sitemap_locales = list(edition_roots)  # only the editions built beside this one
sitemap_excludes = ["404.html", "search.html", "genindex.html"]  # no one looks for these
sitemap_show_lastmod = "sphinx_last_updated_by_git" in extensions  # each page's date, from git

# -- 404 page (sphinx-notfound-page) -----------------------------------------------------------
# 404.html, which Read the Docs serves for any address that has no page. It can be served at any
# depth, so its links are absolute: /<language>/<version>/… on Read the Docs, /html/ and /sv/html/
# locally, where `make preview` serves _build/ (use_edition() below sets each edition's).
notfound_template = "404.html"  # _templates/404.html: the message, in the edition's language
notfound_context = {"title": "Page not found"}  # use_edition() translates it
notfound_urls_prefix = "/"  # use_edition() sets each edition's

# -- LaTeX output (make pdf) -------------------------------------------------------------------

latex_engine = "xelatex"  # any Unicode character, with the FreeFont family
latex_documents = [(root_doc, "imaging-data-guidelines.tex", project, author, "manual")]
latex_toplevel_sectioning = "part"  # Data Types is a part, Imaging data a chapter, its pages sections
latex_use_xindy = False
latex_show_urls = "footnote"  # a printed page still tells the reader where a link goes
latex_show_pagerefs = True


def latex_preamble(title: str, subtitle: str, keywords: str, language: str) -> str:
    """The LaTeX preamble of one edition: PDF metadata and the subtitle for the title page."""
    return r"""
\setlength{\headheight}{14pt}
%% sphinx-design has no LaTeX form for cards: give each card's title a bold line of its own.
\newenvironment{sphinxclasssd-card-title}{\par\medskip\noindent\bfseries}{\par}
\newcommand{\guidelinessubtitle}{%(subtitle)s}
\hypersetup{
  pdftitle={%(title)s},
  pdfauthor={%(author)s},
  pdfsubject={%(subtitle)s},
  pdfkeywords={%(keywords)s},
  pdflang={%(language)s},
}
""" % {"title": title, "author": author, "subtitle": subtitle, "keywords": keywords, "language": language}


latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "extraclassoptions": "openany",  # no blank pages before chapters
    "releasename": "Version",  # the title page says "Version 2026.11.25" (Sphinx's Swedish is "Släpp")
    "tocdepth": r"\setcounter{tocdepth}{2}",  # down to subsections: every page of the menu
    "printindex": "",  # the guidelines have no index entries
    "preamble": latex_preamble(project, subtitle, EDITIONS["en"]["keywords"], language),
    # The title page: title, subtitle, authors, version and date.
    "maketitle": r"""
\makeatletter
\begin{titlepage}
  \sffamily\raggedleft
  \rule{\textwidth}{1pt}\par\vspace{2cm}
  {\Huge\bfseries \@title\par}\vspace{1em}
  {\LARGE \guidelinessubtitle\par}\vspace{4cm}
  {\Large \@author\par}
  \vfill
  {\large \py@release\par}\vspace{0.5em}
  {\large \@date\par}
\end{titlepage}
\makeatother
""",
}

# -- EPUB output (make epub) -------------------------------------------------------------------

epub_basename = "imaging-data-guidelines"
epub_title = project
epub_description = subtitle
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
epub_exclude_files = ["search.html"]  # needs JavaScript, which e-readers lack

# -- Translations (make html LANGUAGE=sv; make translations) -----------------------------------

locale_dirs = ["locale/"]  # locale/sv/LC_MESSAGES/<page>.po, committed; the .mo files are built
gettext_compact = False  # one catalogue per page, as Sphinx and the rtd theme do
# A translation links where the English links (_ext/translation_policy.py): the build fails on a
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


# -- Local extension interface -----------------------------------------------------------------


def use_edition(app, config) -> None:
    """Set what depends on the language, once `-D language=…` has been applied."""
    edition = EDITIONS[config.language]
    config.project = config.html_title = config.epub_title = edition["project"]
    config.epub_description = edition["subtitle"]
    config.latex_documents = [(root_doc, "imaging-data-guidelines.tex", edition["project"], author, "manual")]
    config.latex_elements = {
        **config.latex_elements,
        "preamble": latex_preamble(edition["project"], edition["subtitle"], edition["keywords"], config.language),
    }
    if config.language != "en":
        config.epub_uid = config.epub_identifier = f"imaging-data-guidelines-{config.language}"
    config.html_baseurl = edition_urls[config.language]
    config.notfound_urls_prefix = f"/{edition_roots.get(config.language, config.language + '/' + _version)}/"
    # The 404 page's title in the edition's language, from locale/<language>/LC_MESSAGES/sphinx.po
    # like the rest of the page (_templates/404.html).
    config.notfound_context = {**config.notfound_context, "title": translate_template_text("Page not found")}


def translate_template_text(text: str) -> str:
    from sphinx.locale import _  # the templates' catalogue (sphinx.po), ready when the config is

    return str(_(text))


def setup(app):
    app.connect("config-inited", use_edition)
