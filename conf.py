"""Sphinx configuration for the imaging-data guidelines.

Grouped like Sphinx's own docs: project, general, one block per extension, one block per builder.
Build with `make html`, `make pdf` or `make epub`; Read the Docs runs sphinx-build on this file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))  # local extensions


def git_date() -> str | None:
    """The last commit's date (YYYY-MM-DD), so every build of a commit carries the same version."""
    try:
        return subprocess.run(
            ["git", "log", "-1", "--format=%cd", "--date=format:%Y-%m-%d"],
            cwd=HERE, capture_output=True, text=True, check=True,
        ).stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


# -- Project information -----------------------------------------------------------------------

project = "Imaging data guidelines"
author = "SciLifeLab Data Centre and contributors"
copyright = "2020-%Y, SciLifeLab Data Centre and contributors"
# The date shown in the PDF and EPUB is the commit's, not the build's, so every build of a commit
# is the same. Outside a git checkout the build date stands in.
today = git_date() or ""
release = version = today.replace("-", ".") or "unreleased"
# Sphinx dates everything else (copyright year, EPUB timestamps) by SOURCE_DATE_EPOCH when set:
# the commit's time, unless the caller chose one.
if "SOURCE_DATE_EPOCH" not in os.environ and git_date():
    os.environ["SOURCE_DATE_EPOCH"] = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=HERE, capture_output=True, text=True
    ).stdout.strip()

# -- General configuration ---------------------------------------------------------------------

extensions = [
    # Sphinx's own
    "sphinx.ext.intersphinx",
    # third party
    "myst_parser",
    "sphinx_design",
    # local (_ext/)
    "menu",
    "link_policy",
    "tasklist",
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
}
html_static_path = ["_static"]

# -- LaTeX output (make pdf) -------------------------------------------------------------------

latex_engine = "xelatex"  # any Unicode character, with the FreeFont family
latex_documents = [(root_doc, "imaging-data-guidelines.tex", project, author, "manual")]
latex_toplevel_sectioning = "part"  # Data Types is a part, Imaging data a chapter, its pages sections
latex_use_xindy = False
latex_show_urls = "footnote"  # a printed page still tells the reader where a link goes
latex_show_pagerefs = True
subtitle = "Publishing imaging data from COVID-19 and pathogen research"
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "extraclassoptions": "openany",  # no blank pages before chapters
    "tocdepth": r"\setcounter{tocdepth}{3}",  # parts, chapters, sections: every page of the menu
    "printindex": "",  # the guidelines have no index entries
    "preamble": r"""
\setlength{\headheight}{14pt}
%% sphinx-design has no LaTeX form for cards: give each card's title a bold line of its own.
\newenvironment{sphinxclasssd-card-title}{\par\medskip\noindent\bfseries}{\par}
\hypersetup{
  pdftitle={%(project)s},
  pdfauthor={%(author)s},
  pdfsubject={%(subtitle)s},
  pdfkeywords={imaging data, microscopy, electron microscopy, clinical images, COVID-19, repositories, metadata, FAIR},
  pdflang={%(language)s},
}
""" % {"project": project, "author": author, "subtitle": subtitle, "language": language},
    # The title page: title, subtitle, authors, version and date.
    "maketitle": r"""
\makeatletter
\begin{titlepage}
  \sffamily\raggedleft
  \rule{\textwidth}{1pt}\par\vspace{2cm}
  {\Huge\bfseries \@title\par}\vspace{1em}
  {\LARGE %(subtitle)s\par}\vspace{4cm}
  {\Large \@author\par}
  \vfill
  {\large \py@release\par}\vspace{0.5em}
  {\large \@date\par}
\end{titlepage}
\makeatother
""" % {"subtitle": subtitle},
}

# -- EPUB output (make epub) -------------------------------------------------------------------

epub_basename = "imaging-data-guidelines"
epub_title = project
epub_description = subtitle
epub_author = author
epub_publisher = author
epub_contributor = author
epub_use_index = False  # the guidelines have no index entries
epub_tocdepth = 4  # the navigation reaches every page of the menu
epub_tocscope = "includehidden"  # the landing page's toctree is hidden (its cards lead the way)
epub_copyright = copyright
# The book's identifier; the EPUB's table of contents (toc.ncx) repeats it, so the two are one.
epub_uid = epub_identifier = "imaging-data-guidelines"
epub_cover = ("_static/epub/cover.svg", "epub-cover.html")
epub_show_urls = "footnote"  # as in the PDF: the reader still sees where a link goes
epub_exclude_files = ["search.html"]  # needs JavaScript, which e-readers lack

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
