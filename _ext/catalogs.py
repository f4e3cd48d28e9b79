"""Translate a string with a page's own message catalogue, as Sphinx translates the page itself.

Sphinx translates what the parser puts in a page's doctree; front-matter values (a menu name, a
description) never get there, so the local extensions translate them with this.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.locale import init as init_locale
from sphinx.util.i18n import docname_to_domain


def translate(app: Sphinx, docname: str, text: str) -> str:
    """*text* in the build's language, from *docname*'s catalogue (unchanged when there is none)."""
    if not text or not app.config.language:
        return text
    domain = docname_to_domain(docname, app.config.gettext_compact)
    dirs = [str(Path(app.srcdir, directory)) for directory in app.config.locale_dirs]
    catalog, has_catalog = init_locale(dirs, app.config.language, domain)
    return catalog.gettext(text) if has_catalog else text
