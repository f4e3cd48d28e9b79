"""Where each HTML page comes from: the date it last changed, and a link to its source.

- **Last updated.** The theme's footer says "Last updated on …" when ``html_last_updated_fmt`` is
  set, but Sphinx gives every page the build's date. Here each page gets the date of the last
  commit that changed its source (``git log -1 --format=%cs -- <source>``), and in a translated
  edition its catalogue too (``locale/<language>/LC_MESSAGES/<page>.po``): a page edited in a
  commit of March says March, whenever the site is rebuilt. A source that git does not know yet
  (a new page, not committed) gets the date of the last commit, like the version; outside a git
  checkout, Sphinx's own date stays. Pages without a source (genindex, search, 404) show the last
  commit's date. Every build of a commit shows the same dates.
- **Edit on GitHub.** ``page_source_repository`` (conf.py) names the repository and
  ``page_source_version`` the branch, tag or commit; when the repository is on GitHub or GitLab,
  the theme's breadcrumbs link each page to its source there ("Edit on GitHub"), and a translated
  page to its catalogue, where its translation is edited. Otherwise the theme keeps Sphinx's own
  "View page source" link to the copy under ``_sources/``.
"""

from __future__ import annotations

import re
import subprocess
from datetime import datetime
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.i18n import docname_to_domain, format_date

# https://github.com/owner/repo(.git), git@github.com:owner/repo.git, ssh://git@github.com/owner/repo
REPOSITORY = re.compile(
    r"^(?:https://|ssh://git@|git@)(?P<host>github\.com|gitlab\.com)[:/]"
    r"(?P<owner>[\w.-]+(?:/[\w.-]+)*)/(?P<repo>[\w.-]+?)(?:\.git)?/?$"
)


def git(srcdir: str | Path, *args: str) -> str:
    """The output of a git command in *srcdir*, or '' when git or the repository is missing."""
    try:
        result = subprocess.run(["git", *args], cwd=srcdir, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return ""
    return result.stdout.strip()


def commit_date(srcdir: str | Path, *paths: str | Path) -> str:
    """YYYY-MM-DD of the last commit that changed any of *paths* (of the last commit at all when
    none is committed yet), or '' outside a git checkout."""
    if paths:
        date = git(srcdir, "log", "-1", "--format=%cs", "--", *map(str, paths))
        if date:
            return date
    return git(srcdir, "log", "-1", "--format=%cs")


def repository_context(url: str, version: str, view: str) -> dict:
    """The theme's html_context for its "Edit on GitHub/GitLab" link, or {} for another host."""
    found = REPOSITORY.match(url.strip()) if url and version else None
    if not found:
        return {}
    vcs = "github" if found["host"] == "github.com" else "gitlab"
    return {
        f"display_{vcs}": True,
        f"{vcs}_host": found["host"],
        f"{vcs}_user": found["owner"],
        f"{vcs}_repo": found["repo"],
        f"{vcs}_version": version.strip("/"),
        "conf_py_path": "/",  # conf.py and the pages sit at the repository's root
        "theme_vcs_pageview_mode": view,
    }


def link_repository(app: Sphinx, config: Config) -> None:
    """On config-inited: the repository's link for the theme, unless conf.py set one itself."""
    context = repository_context(config.page_source_repository, config.page_source_version, config.page_source_view)
    theme_options = config.html_theme_options
    if context and not any(key.startswith("display_") for key in config.html_context):
        view = context.pop("theme_vcs_pageview_mode")
        config.html_context = {**context, **config.html_context}
        config.html_theme_options = {"vcs_pageview_mode": view, **theme_options}


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """On html-page-context: the page's own date, and in a translated edition its catalogue as the
    source to edit."""
    if app.builder.name not in ("html", "dirhtml"):
        return
    # genindex, search and 404 have no source: they get the last commit's date.
    paths: list[Path] = [Path(app.env.doc2path(pagename))] if pagename in app.env.all_docs else []
    catalogue = domain = None
    if paths and app.config.language != "en" and app.config.locale_dirs:
        domain = docname_to_domain(pagename, app.config.gettext_compact)
        catalogue = Path(app.srcdir, app.config.locale_dirs[0], app.config.language, "LC_MESSAGES", f"{domain}.po")
        if catalogue.is_file():
            paths.append(catalogue)
        else:
            catalogue = None
    day = commit_date(app.srcdir, *paths) if app.config.html_last_updated_fmt is not None else ""
    if day:
        context["last_updated"] = format_date(
            app.config.html_last_updated_fmt or "%b %d, %Y",
            date=datetime.strptime(day, "%Y-%m-%d"),
            language=app.config.language,
        )
    if catalogue is not None and context.get("conf_py_path") and domain == pagename:
        # The theme links to {conf_py_path}{pagename}{page_source_suffix}: point it at the catalogue.
        folder = Path(app.config.locale_dirs[0], app.config.language, "LC_MESSAGES").as_posix()
        context["conf_py_path"] = context["conf_py_path"].rstrip("/") + f"/{folder.strip('/')}/"
        context["page_source_suffix"] = ".po"


def setup(app: Sphinx) -> dict:
    app.add_config_value("page_source_repository", "", "html", str)
    app.add_config_value("page_source_version", "main", "html", str)
    app.add_config_value("page_source_view", "edit", "html", str)  # the theme's vcs_pageview_mode
    app.connect("config-inited", link_repository, priority=600)  # after conf.py's own use_edition
    app.connect("html-page-context", page_context)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
