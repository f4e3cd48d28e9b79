"""Task-list checkboxes ("- [ ] step") in every output format and every edition.

MyST writes each checkbox as an HTML-only `<input …>` tag at the start of the item's paragraph
(myst_parser.mdit_to_docutils.base.render_list_item). That has two faults, fixed here:

- the EPUB rejects it, since XHTML needs the tag closed (MyST-Parser writes `<input …>` unclosed;
  no upstream issue found on 2026-11-30: report it before deleting this part);
- a translated edition loses it: Sphinx's translation replaces the paragraph's content with the
  translated text, and the checkbox with it (the Swedish checklist had no boxes at all).

So, before the translation (priority 15 < Sphinx's Locale transform at 20), each checkbox is taken
out of its paragraph and its state noted on the list item; once the page is read, each noted item
gets a closed `<input … />` for HTML and EPUB, named by the item's (translated) text so that a
screen reader says what ticking it means (WCAG: label). The PDF prints it as a ballot box, ☐ or ☒
(_ext/pdf_output.py).
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

CHECKBOX = '<input class="task-list-item-checkbox"'


class TakeOutCheckboxes(SphinxTransform):
    """Note each task's state on its list item (``task_checked``) and remove MyST's checkbox."""

    default_priority = 15  # before sphinx.transforms.i18n.Locale (20)

    def apply(self) -> None:
        for raw in list(self.document.findall(nodes.raw)):
            paragraph = raw.parent
            if raw.get("format") == "html" and raw.astext().startswith(CHECKBOX) and isinstance(paragraph, nodes.paragraph):
                item = paragraph.parent
                if isinstance(item, nodes.list_item):
                    item["task_checked"] = 'checked="checked"' in raw.astext()
                    paragraph.remove(raw)


def item_text(paragraph: nodes.Element) -> str:
    return " ".join(paragraph.astext().split())


def put_checkboxes_back(app: Sphinx, doctree: nodes.document) -> None:
    """On doctree-read, after the translation: a checkbox for every noted task, in every format."""
    for item in doctree.findall(nodes.list_item):
        if "task_checked" not in item or not item.children or not isinstance(item[0], nodes.paragraph):
            continue
        checked = item["task_checked"]
        label = escape(item_text(item[0]), quote=True)
        state = ' checked="checked"' if checked else ""
        html = f'{CHECKBOX}{state} disabled="disabled" type="checkbox" aria-label="{label}" />'
        item[0].insert(0, nodes.raw("", html, format="html"))


def setup(app: Sphinx) -> dict:
    app.add_transform(TakeOutCheckboxes)
    app.connect("doctree-read", put_checkboxes_back)
    return {"version": "2.0", "env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
