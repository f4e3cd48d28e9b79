"""Sphinx configuration for the imaging-data guidelines: project, general, one block per
extension and per builder. Read the Docs runs sphinx-build on this file; so does `make html`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))  # the local extensions: _ext/imaging_guidelines/

from imaging_guidelines.release import in_git_checkout  # noqa: E402


# -- Project information -----------------------------------------------------------------------

# Two editions, English (the sources) and Swedish (locale/sv/, gettext), each a Read the Docs
# project; `-D language=sv` picks the edition, whose titles the editions extension applies.
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
# version, release and today: the commit's tag or date (release), the same for every build of it.

# -- Editions: titles, addresses, the language switch and hreflang links (editions) ------------
# Each edition's folder locally (`make preview` serves both); on Read the Docs /<language>/<version>/.
edition_local_roots = {"en": "html", "sv": "sv/html"}
edition_default_url = "https://imaging-data-guidelines.readthedocs.io/"
content_policy_site = edition_default_url  # a page links its own site by file, not by full address
edition_marks = {"sv": "engelska"}  # a Swedish page marks a link to an English-only site "(engelska)"
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
    "sphinx_copybutton",
    # local: _ext/imaging_guidelines/ (its __init__.py names the order in which they cooperate)
    "imaging_guidelines.release",
    "imaging_guidelines.menu",
    "imaging_guidelines.repository_data",
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
if in_git_checkout(HERE):  # pages dated by git, where there is a history (not in a copy from an archive)
    extensions.append("sphinx_last_updated_by_git")

include_patterns = ["index.md", "docs/**"]  # README.md and the tooling are not pages
templates_path = ["_templates"]
language = "en"

nitpicky = True

# -- MyST --------------------------------------------------------------------------------------

myst_enable_extensions = [
    "colon_fence",
    "deflist",
    "tasklist",
]
myst_title_to_header = True  # the front matter's title is the page's H1, as on the Hugo portal
myst_heading_anchors = 3  # [text](page.md#a-heading) links to headings down to ###

# -- Copy buttons (sphinx-copybutton): on the guide's data-availability sentences only ----------
copybutton_selector = "div.data-availability pre"

# -- Repository data (repository_data): data/archives.yaml and data/datasets.yaml ---------------
repository_data = "data"  # the folder, with each file's schema beside it

# -- Intersphinx -------------------------------------------------------------------------------
# The SciLifeLab data guidelines' inventory is kept in _intersphinx/ (scripts/make_inventory.py):
# offline, and a missing target fails the build. INTERSPHINX_ONLINE=1 tries the live one first.

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
# The whole menu in the sidebar while the site is small; beyond 50 pages only the open branch, so
# that each page's build and size stay bounded (make bench-scale; readthedocs/sphinx_rtd_theme#604).
_pages = sum(1 for _ in (HERE / "docs").rglob("*.md"))
html_theme_options = {
    "navigation_depth": 4,
    "collapse_navigation": _pages > 50,
    # One language switch: each page's link to the same page in the other edition
    # (_templates/breadcrumbs.html), without JavaScript; the theme's Addons selector would lead to
    # the other edition's home page.
    "language_selector": False,
}
html_static_path = ["_static"]
html_css_files = ["css/custom.css"]  # WCAG fixes for the theme (contrast, focus, skip link)
# No general index: its only entries would be the glossary's terms, which the glossary already
# lists in order (nor has the EPUB one: epub_use_index).
html_use_index = False
html_copy_source = False  # no copies of the sources: a line the content policy refused is nowhere
html_last_updated_fmt = "%Y-%m-%d"  # the footer's date: the source's (or catalogue's) last commit
git_last_updated_timezone = "UTC"  # the same date wherever the site is built
git_untracked_show_sourcelink = True  # a page not yet committed keeps its "Edit" link

# "Edit on GitHub" (the theme's): the page's source in this repository (in Swedish, its catalogue:
# page_source), on the branch Read the Docs builds; a pull request's commit or a tag is viewed.
_version_type = os.environ.get("READTHEDOCS_VERSION_TYPE", "branch")
html_context = {
    "display_github": True,
    "github_user": "ScilifelabDataCentre",
    "github_repo": "imaging-data-guidelines",
    "github_version": os.environ.get(
        "READTHEDOCS_GIT_COMMIT_HASH" if _version_type == "external" else "READTHEDOCS_GIT_IDENTIFIER", "main"),
    "conf_py_path": "/",  # the pages' paths are relative to the repository's root
}
html_theme_options["vcs_pageview_mode"] = "edit" if _version_type == "branch" else "blob"
# Every page's footer (_templates/footer.html): "Cite this page", from CITATION.cff and the build's
# version; "Report a problem", a new issue (.github/ISSUE_TEMPLATE/page-problem.yml) that names the
# page; and the accessibility statement.
_citation = yaml.safe_load((HERE / "CITATION.cff").read_text(encoding="utf-8"))
html_context["citation"] = {
    "title": _citation["title"],
    "authors": [author.get("name") or f"{author['family-names']}, {author['given-names']}"
                for author in _citation["authors"]],
}

# -- Sitemap (sphinx-sitemap): every page in both editions, dated; addresses from editions ------
sitemap_show_lastmod = "sphinx_last_updated_by_git" in extensions
sitemap_excludes = ["404.html", "search.html"]

# -- 404 page (sphinx-notfound-page): absolute links, prefix and title per edition (editions) --
notfound_template = "404.html"  # _templates/404.html: the message, in the edition's language

# -- PDF output (make pdf): a tagged PDF/UA-1 file set by WeasyPrint (the pdf extension) -------
pdf_basename = "imaging-data-guidelines"
pdf_identifier = "imaging-data-guidelines"  # the Swedish edition's: imaging-data-guidelines-sv

# -- EPUB output (make epub) -------------------------------------------------------------------

epub_basename = "imaging-data-guidelines"
epub_contributor = author  # title, description: the edition's (editions); author, publisher: author
epub_use_index = False  # the glossary is the index
epub_css_files = ["css/epub.css"]  # custom.css is the HTML theme's; the book has rules of its own
epub_tocdepth = 4  # the navigation reaches every page of the menu
epub_tocscope = "includehidden"  # the landing page's toctree is hidden (its cards lead the way)
epub_uid = epub_identifier = "imaging-data-guidelines"  # toc.ncx repeats it: the two are one
epub_cover = ("_static/epub/cover.svg", "epub-cover.html")  # cover.sv.svg in Swedish (editions)
epub_show_urls = "footnote"  # as in the PDF: the reader still sees where a link goes

# -- Translations (make html LANGUAGE=sv; make translations) -----------------------------------

locale_dirs = ["locale/"]  # locale/sv/LC_MESSAGES/<page>.po, committed; the .mo files are built
gettext_compact = False  # one catalogue per page, as Sphinx and the rtd theme do
# A translation links where the English links, unless a pair here sends an English web address
# to the same page in the other language: {"sv": {"https://…/en/page": "https://…/sv/sida"}}.
translation_link_map = {}

# -- Link check (make linkcheck): patiently, failing only on links that are really broken -------

linkcheck_retries = 3
linkcheck_rate_limit_timeout = 120  # wait out HTTP 429 for up to two minutes per host
linkcheck_allowed_redirects = {r"https://doi\.org/.*": r"https://.*"}  # that is how DOIs work
# GitHub renders heading anchors with JavaScript, so the HTML has none to find.
linkcheck_anchors_ignore_for_url = [r"https://github\.com/.*"]
