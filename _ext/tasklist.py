"""Task-list checkboxes ("- [ ] step") in every output format.

MyST writes each checkbox as an HTML-only `<input …>` tag: the PDF drops it, so a printed checklist
has nothing to tick, and the EPUB rejects it, since XHTML needs the tag closed. Here each checkbox
becomes a closed `<input … />` for HTML and EPUB, and an empty box for LaTeX. The HTML checkbox is
named by its item's text (aria-label), so a screen reader says what ticking it means (WCAG: label).
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx.application import Sphinx

CHECKBOX = '<input class="task-list-item-checkbox"'
LATEX_BOX = r"$\square$\enspace{}"


def item_text(paragraph: nodes.Element) -> str:
    """The task's words: the paragraph's text without the checkbox's own HTML."""
    words = "".join(child.astext() for child in paragraph.children if not isinstance(child, nodes.raw))
    return " ".join(words.split())


def replace_checkboxes(app: Sphinx, doctree: nodes.document) -> None:
    for raw in list(doctree.findall(nodes.raw)):
        if raw.get("format") == "html" and raw.astext().startswith(CHECKBOX):
            label = escape(item_text(raw.parent), quote=True)
            html = raw.astext().rstrip("> ").rstrip("/") + f' aria-label="{label}" />'
            raw.replace_self([
                nodes.raw("", html, format="html"),
                nodes.raw("", LATEX_BOX, format="latex"),
            ])


def setup(app: Sphinx) -> dict:
    app.connect("doctree-read", replace_checkboxes)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
