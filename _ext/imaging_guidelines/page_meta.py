"""Each HTML page's ``<meta name="description">`` and Open Graph tags (title, description, type,
url, site name), from its front matter's ``description``, which Sphinx turns into no tag. Added to
``context["metatags"]`` on html-page-context; ``og:url`` needs ``html_baseurl``. Pages without a
source (search, 404) get none.
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
        return  # search: no front matter, no title yet (their templates set it)
    # In the Swedish edition, the page's catalogue has the description too (editions.py).
    description = translate(app, pagename, app.env.metadata.get(pagename, {}).get("description", ""))
    title = Markup(context.get("title") or "").striptags() or app.config.project  # the title is HTML: plain text here
    tags = [("name", "description", description)] if description and 'name="description"' not in context.get("metatags", "") else []
    tags += [("property", f"og:{key}", value) for key, value in [
        ("title", title), ("description", description), ("type", "website"), ("url", context.get("pageurl")),
        ("site_name", app.config.project)] if value]
    tags = [meta(*tag) for tag in tags]
    context["metatags"] = context.get("metatags", "") + "\n  ".join(["", *tags]) + "\n"


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", add_page_meta)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
