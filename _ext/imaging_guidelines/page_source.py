"""A translated page's source is its catalogue (``locale/<language>/LC_MESSAGES/<page>.po``):
the page depends on it, so sphinx-last-updated-by-git dates the page by either and Sphinx rereads
the page when the catalogue changes; and the theme's "Edit on GitHub" (conf.py) opens it.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.i18n import docname_to_domain


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
    app.connect("source-read", note_catalogue)
    app.connect("html-page-context", edit_catalogue)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
