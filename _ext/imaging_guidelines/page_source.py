"""Where each HTML page comes from: its source to edit, and in a translation its catalogue.

- A translated page depends on its catalogue (``locale/<language>/LC_MESSAGES/<page>.po``), so
  sphinx-last-updated-by-git dates it by either, and Sphinx rereads it when the catalogue changes.
- "Edit on GitHub": ``page_source_repository`` and ``page_source_version`` (conf.py, or else Read
  the Docs' variables, SOURCE_REPOSITORY and SOURCE_BRANCH, the remote "origin") give the theme
  its link to the page's source (a translated page's: its catalogue) on GitHub or GitLab; any
  other host gets no link.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.i18n import docname_to_domain

from imaging_guidelines import CONFIG_FROM_EDITION, release

# https://github.com/owner/repo(.git), git@github.com:owner/repo.git, ssh://git@github.com/owner/repo
REPOSITORY = re.compile(
    r"^(?:https://|ssh://git@|git@)(?P<host>github\.com|gitlab\.com)[:/]"
    r"(?P<owner>[\w.-]+(?:/[\w.-]+)*)/(?P<repo>[\w.-]+?)(?:\.git)?/?$"
)


def repository_context(url: str, version: str, view: str) -> dict:
    """The theme's html_context for its "Edit on GitHub/GitLab" link, or {} for another host."""
    found = REPOSITORY.match(url.strip()) if url and version else None
    if not found:
        return {}
    vcs = "github" if found["host"] == "github.com" else "gitlab"
    return {f"display_{vcs}": True, f"{vcs}_host": found["host"], f"{vcs}_user": found["owner"],
            f"{vcs}_repo": found["repo"], f"{vcs}_version": version.strip("/"),
            "conf_py_path": "/", "theme_vcs_pageview_mode": view}  # conf.py and the pages at the root


def link_repository(app: Sphinx, config: Config) -> None:
    """On config-inited: the repository's link for the theme, unless conf.py set one itself. From
    the environment: on Read the Docs the clone it builds (a pull request's commit or a tag is
    viewed, not edited); locally SOURCE_REPOSITORY and SOURCE_BRANCH (main), else "origin"."""
    if not config.page_source_repository:
        if os.environ.get("READTHEDOCS"):
            kind = os.environ.get("READTHEDOCS_VERSION_TYPE", "branch")
            repository = os.environ.get("READTHEDOCS_GIT_CLONE_URL", "")
            version = os.environ.get("READTHEDOCS_GIT_COMMIT_HASH" if kind == "external" else "READTHEDOCS_GIT_IDENTIFIER", "")
            view = "edit" if kind == "branch" else "blob"
        else:
            repository = os.environ.get("SOURCE_REPOSITORY") or release.git(app.confdir, "remote", "get-url", "origin")
            version, view = os.environ.get("SOURCE_BRANCH", "main"), "edit"
        config.page_source_repository = repository
        config.page_source_version = config.page_source_version or version
        config.page_source_view = config.page_source_view or view
    context = repository_context(config.page_source_repository, config.page_source_version, config.page_source_view)
    if context and not any(key.startswith("display_") for key in config.html_context):
        config.html_theme_options = {"vcs_pageview_mode": context.pop("theme_vcs_pageview_mode"),
                                     **config.html_theme_options}
        config.html_context = {**context, **config.html_context}


def catalogue(app: Sphinx, docname: str) -> Path | None:
    """The page's catalogue in a translated edition, if it has one."""
    if app.config.language == "en" or not app.config.locale_dirs:
        return None
    domain = docname_to_domain(docname, app.config.gettext_compact)
    path = Path(app.srcdir, app.config.locale_dirs[0], app.config.language, "LC_MESSAGES", f"{domain}.po")
    return path if path.is_file() else None


def note_catalogue(app: Sphinx, docname: str, source: list[str]) -> None:
    """On source-read: a translated page depends on its catalogue (for its date, and rebuilds)."""
    path = catalogue(app, docname) if docname in app.env.found_docs else None
    if path is not None:
        app.env.note_dependency(path)


def edit_catalogue(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """On html-page-context: in a translated edition, "Edit on GitHub" opens the page's catalogue."""
    path = catalogue(app, pagename) if pagename in app.env.all_docs else None
    if path is not None and context.get("conf_py_path") and docname_to_domain(pagename, app.config.gettext_compact) == pagename:
        # The theme links to {conf_py_path}{pagename}{page_source_suffix}: point it at the catalogue.
        folder = Path(app.config.locale_dirs[0], app.config.language, "LC_MESSAGES").as_posix()
        context["conf_py_path"] = context["conf_py_path"].rstrip("/") + f"/{folder.strip('/')}/"
        context["page_source_suffix"] = ".po"


def setup(app: Sphinx) -> dict:
    # Empty: from the environment (link_repository).
    app.add_config_value("page_source_repository", "", "html", str)
    app.add_config_value("page_source_version", "", "html", str)
    app.add_config_value("page_source_view", "", "html", str)  # the theme's vcs_pageview_mode
    app.connect("config-inited", link_repository, priority=CONFIG_FROM_EDITION)
    app.connect("source-read", note_catalogue)
    app.connect("html-page-context", edit_catalogue)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
