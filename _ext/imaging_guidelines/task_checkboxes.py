"""Task-list checkboxes ("- [ ] step") as a node of their own, which every writer renders.

MyST writes each checkbox as an HTML-only ``<input …>`` string at the start of the item's
paragraph (myst_parser.mdit_to_docutils.base.render_list_item). That string is unclosed, which an
EPUB's XHTML rejects (no upstream issue found on 2026-11-30), and a translated edition loses it:
Sphinx's translation replaces the paragraph's content, checkbox and all.

So, before the translation, each checkbox's state is noted on its list item and the string is
removed; once the page is read (translated or not), the item's paragraph starts with a
``task_checkbox`` node: in HTML and EPUB a closed, disabled ``<input type="checkbox" />`` named by
the task's text, so that a screen reader says what ticking it means (WCAG: label); in a writer
whose translator sets ``prints_task_boxes`` (the PDF) and in every other format, its text, a
ballot box, ☐ or ☒.
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
