"""Tables that a phone can show as a list of records: every data cell says which column it is in.

A table of four columns cannot be read in a phone's 320 px of text: its columns become slivers, or
(as sphinx-rtd-theme does it) the table scrolls sideways and hides most of them.
_static/css/custom.css therefore shows each row of such a table on a narrow screen as a block, each
cell on a line of its own, preceded by its column's header. CSS cannot look up a cell's header, so
this HTML translator writes it on the cell: ``<td data-label="Repository">``, and marks the table
``reflow`` so that the style applies only to tables whose cells carry their header.

The table stays a table for screen readers, at any width: the rows and cells keep their elements,
and the translator also writes out their ARIA roles (``rowgroup``, ``row``, ``columnheader``,
``rowheader``, ``cell``), because a browser may drop a row's or a cell's semantics when CSS changes
its ``display``. The ``<table>`` keeps its native role: an explicit ``role="table"`` would make its
caption's children (the caption's ¶ link) count as the table's own, which ARIA forbids (axe:
aria-required-children). The header the CSS shows before a cell is generated content with an empty
alternative text, so a screen reader, which announces the column itself, does not say it twice.

Only the ``html`` builder uses this translator: it subclasses Sphinx's own HTML5 translator, which
sphinx-rtd-theme uses too, and changes nothing but the attributes of a table's elements. The PDF
(_ext/pdf_output.py) and the EPUB are left as they are.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

REFLOW_CLASS = "reflow"


def header_labels(tgroup: nodes.tgroup) -> dict[int, str]:
    """The header text of each column (0-based), from the tgroup's header rows; where several
    header rows cover a column, their texts joined by ' – '."""
    labels: dict[int, list[str]] = {}
    thead = next((child for child in tgroup.children if isinstance(child, nodes.thead)), None)
    if thead is None:
        return {}
    for row, column, entry in grid(thead):
        text = " ".join(entry.astext().split())
        for spanned in range(column, column + entry.get("morecols", 0) + 1):
            if text and text not in labels.setdefault(spanned, []):
                labels[spanned].append(text)
    return {column: " – ".join(texts) for column, texts in labels.items() if texts}


def grid(rows_parent: nodes.Element):
    """(row, first column, entry) for each cell of a thead or tbody, the columns counted as a
    reader sees them: a cell that spans rows (morerows) takes its columns in the rows below too."""
    taken: set[tuple[int, int]] = set()
    for row_index, row in enumerate(child for child in rows_parent.children if isinstance(child, nodes.row)):
        column = 0
        for entry in row.children:
            if not isinstance(entry, nodes.entry):
                continue
            while (row_index, column) in taken:
                column += 1
            yield row_index, column, entry
            for down in range(entry.get("morerows", 0) + 1):
                for across in range(entry.get("morecols", 0) + 1):
                    taken.add((row_index + down, column + across))
            column += entry.get("morecols", 0) + 1


class TableHTMLTranslator(HTML5Translator):
    """Sphinx's HTML5 translator, with each body cell's column header in ``data-label`` and the
    ARIA roles of its rows and cells written out."""

    def visit_table(self, node: nodes.table) -> None:
        labelled = False
        for tgroup in node.findall(nodes.tgroup):
            if tgroup.parent is not node:
                continue  # a table nested in a cell has its own visit
            labels = header_labels(tgroup)
            for part in tgroup.children:
                if not isinstance(part, nodes.tbody):
                    continue
                for _row, column, entry in grid(part):
                    label = labels.get(column)
                    if label:
                        entry.table_label = label  # read by starttag(), like docutils' row.column
                        labelled = True
        if labelled:
            node["classes"].append(REFLOW_CLASS)
        super().visit_table(node)

    def starttag(self, node, tagname: str, suffix: str = "\n", empty: bool = False, **attributes):
        role = self.table_role(node, tagname)
        if role:
            attributes["role"] = role
        label = getattr(node, "table_label", None) if isinstance(node, nodes.entry) else None
        if label:
            attributes["data-label"] = label
        return super().starttag(node, tagname, suffix, empty, **attributes)

    @staticmethod
    def table_role(node, tagname: str) -> str | None:
        """The ARIA role of a table's row group, row or cell, for the tables this translator marked
        ``reflow`` (the only ones whose display the CSS changes)."""
        if not isinstance(node, (nodes.thead, nodes.tbody, nodes.row, nodes.entry)):
            return None
        table = next((parent for parent in iter_parents(node) if isinstance(parent, nodes.table)), None)
        if table is None or REFLOW_CLASS not in table["classes"]:
            return None
        if isinstance(node, (nodes.thead, nodes.tbody)):
            return "rowgroup"
        if isinstance(node, nodes.row) and tagname == "tr":
            return "row"
        if isinstance(node, nodes.entry):
            if tagname == "td":
                return "cell"
            return "columnheader" if isinstance(node.parent.parent, nodes.thead) else "rowheader"
        return None


def iter_parents(node: nodes.Node):
    """The node's ancestors, up to the nearest table (a cell's table, not a table around that)."""
    parent = node.parent
    while parent is not None:
        yield parent
        if isinstance(parent, nodes.table):
            return
        parent = parent.parent


def setup(app: Sphinx) -> dict:
    app.set_translator("html", TableHTMLTranslator)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
