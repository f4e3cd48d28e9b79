"""Each HTML page loads only what it uses, and no script holds up its first paint (phones, slow
networks: make bench). Only pages with sphinx-design components get its stylesheet (about 55 KB)
and script, only pages with code get Pygments' colours and sphinx-copybutton's files; every script
loads with ``defer``, and _templates/layout.html queues the theme's start-up call until they have
run.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

DESIGN_ASSETS = ("sphinx-design", "design-tabs")
CODE_ASSETS = ("pygments.css", "copybutton", "clipboard.min.js")  # sphinx-copybutton's: code blocks only


def uses_design(doctree: nodes.document) -> bool:
    return any(
        any(name.startswith("sd-") for name in node.get("classes", []))
        for node in doctree.findall(nodes.Element)
    )


def has_code(doctree: nodes.document) -> bool:
    return any(True for _ in doctree.findall(nodes.literal_block))


def drop_unused_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """On html-page-context: leave out the files of components the page does not have. Pages
    without a doctree (search) have neither."""
    if app.builder.name != "html":
        return
    unused = []
    if doctree is None or not uses_design(doctree):
        unused += DESIGN_ASSETS
    if doctree is None or not has_code(doctree):
        unused += CODE_ASSETS
    for key in ("css_files", "script_files"):
        context[key] = [
            asset for asset in context.get(key, [])
            if not any(name in getattr(asset, "filename", str(asset)) for name in unused)
        ]


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", drop_unused_assets)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
