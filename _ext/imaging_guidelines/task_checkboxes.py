"""Task-list checkboxes ("- [ ] step") as a node of their own, which every writer renders.

MyST writes a checkbox as an unclosed HTML string at the start of the item's paragraph, which an
EPUB's XHTML rejects and a translation loses with the paragraph's text. So, before the
translation, its state is noted on the list item and the string removed; once the page is read,
the paragraph starts with a ``task_checkbox`` node: in HTML and EPUB a closed, disabled
``<input type="checkbox" />`` named by the task's text (WCAG: label); in a writer whose
translator sets ``prints_task_boxes`` (the PDF), and in any other, a ballot box, ☐ or ☒.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from imaging_guidelines import BEFORE_TRANSLATION

MYST_CHECKBOX = '<input class="task-list-item-checkbox"'  # how MyST 5 writes a task's box
BOXES = {False: "\u2610", True: "\u2612"}  # ☐ ☒


class task_checkbox(nodes.Inline, nodes.TextElement):
    """A task's box: ``checked`` and ``label`` (the task's text); its text is the ballot box."""


class TakeOutCheckboxes(SphinxTransform):
    """Note each task's state on its list item (``task_checked``) and remove MyST's string."""

    default_priority = BEFORE_TRANSLATION

    def apply(self) -> None:
        for raw in list(self.document.findall(nodes.raw)):
            paragraph = raw.parent
            if raw.astext().startswith(MYST_CHECKBOX) and isinstance(paragraph, nodes.paragraph) \
                    and isinstance(paragraph.parent, nodes.list_item):
                paragraph.parent["task_checked"] = 'checked="checked"' in raw.astext()
                paragraph.remove(raw)


def put_checkboxes_back(app: Sphinx, doctree: nodes.document) -> None:
    """On doctree-read, after the translation: a box at the start of every noted task."""
    for item in doctree.findall(nodes.list_item):
        if "task_checked" in item and item.children and isinstance(item[0], nodes.paragraph):
            checked = item["task_checked"]
            label = " ".join(item[0].astext().split())
            item[0].insert(0, task_checkbox("", BOXES[checked], checked=checked, label=label))


def visit_html(self, node: task_checkbox) -> None:
    if getattr(self, "prints_task_boxes", False):
        self.body.append(self.starttag(node, "span", "", CLASS="task-box"))
        return  # the ballot box, then depart_html
    state = {"checked": "checked"} if node["checked"] else {}
    self.body.append(self.starttag(node, "input", "", empty=True, CLASS="task-list-item-checkbox",
                                   disabled="disabled", type="checkbox", **state, **{"aria-label": node["label"]}))
    raise nodes.SkipNode


def depart_html(self, node: task_checkbox) -> None:
    self.body.append("</span>")


def as_text(self, node: task_checkbox) -> None:
    """Other formats print the box as text: nothing to add around it."""


def setup(app: Sphinx) -> dict:
    app.add_node(task_checkbox, html=(visit_html, depart_html), latex=(as_text, as_text),
                 text=(as_text, as_text), man=(as_text, as_text), texinfo=(as_text, as_text))
    app.add_transform(TakeOutCheckboxes)
    app.connect("doctree-read", put_checkboxes_back)
    return {"version": "3.0", "env_version": 3, "parallel_read_safe": True, "parallel_write_safe": True}
