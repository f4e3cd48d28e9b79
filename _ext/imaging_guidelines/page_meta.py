"""Each HTML page's description and Open Graph tags, from its front matter.

Every page's front matter has a ``description`` (one sentence, as on the Hugo portal), but Sphinx
turns no front-matter key into a ``<meta>`` tag. Search engines show ``<meta name="description">``
under the page's title, and chat apps and social sites build a link's preview card from the Open
Graph tags (``og:title``, ``og:description``, ``og:type``, ``og:url``, ``og:site_name``). This
extension adds them to ``context["metatags"]`` on ``html-page-context``; ``og:url`` needs
``html_baseurl`` (conf.py). Pages without a source (genindex, search) and the EPUB, which no one
links to, get none.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup
from sphinx.application import Sphinx

from imaging_guidelines.translations import translate


def meta(attribute: str, name: str, content: str) -> str:
    return f'<meta {attribute}="{escape(name)}" content="{escape(content)}" />'


def add_page_meta(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.format != "html" or app.builder.name.startswith("epub"):
        return
    if pagename not in app.env.all_docs:
        return  # genindex, search: no front matter, no title yet (their templates set it)
    # In the Swedish edition, the page's catalogue has the description too (_ext/editions.py).
    description = translate(app, pagename, app.env.metadata.get(pagename, {}).get("description", ""))
    tags = []
    if description and 'name="description"' not in context.get("metatags", ""):
        tags.append(meta("name", "description", description))
    title = Markup(context.get("title") or "").striptags()  # the title is HTML: plain text here
    tags.append(meta("property", "og:title", title or app.config.project))
    if description:
        tags.append(meta("property", "og:description", description))
    tags.append(meta("property", "og:type", "website"))
    if context.get("pageurl"):
        tags.append(meta("property", "og:url", context["pageurl"]))
    tags.append(meta("property", "og:site_name", app.config.project))
    context["metatags"] = context.get("metatags", "") + "\n  ".join(["", *tags]) + "\n"


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", add_page_meta)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
