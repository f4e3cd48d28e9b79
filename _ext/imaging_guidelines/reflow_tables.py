"""Tables that a phone shows as a list of records: every data cell says which column it is in.

On a narrow screen _static/css/custom.css shows each row of a ``reflow`` table as a block, each cell
after its column's header, which CSS cannot look up: this HTML translator writes it on the cell
(``<td data-label="Repository">``). The table stays a table for screen readers at any width: rows
and cells carry their ARIA roles, as a browser may drop them when CSS changes their ``display``
(the ``<table>`` keeps its native role: axe's aria-required-children). The shown header is
generated content with an empty alternative, so a screen reader does not say it twice. Only the
``html`` builder uses this translator.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

REFLOW_CLASS = "reflow"


def header_labels(tgroup: nodes.tgroup) -> dict[int, str]:
    """The header text of each column (0-based), from the tgroup's header row. (MyST's tables,
    pipe or list-table, have one header row and no cells that span.)"""
    thead = next((child for child in tgroup.children if isinstance(child, nodes.thead)), None)
    if thead is None or not len(thead):
        return {}
    return {column: text for column, entry in enumerate(thead[0].children) if (text := " ".join(entry.astext().split()))}


def cells(rows_parent: nodes.Element):
    """(column, entry) for each cell of a thead or tbody."""
    for row in rows_parent.children:
        yield from enumerate(entry for entry in row.children if isinstance(entry, nodes.entry))


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
                for column, entry in cells(part):
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
        """The ARIA role of a row group, row or cell of a table marked ``reflow`` (the only ones
        whose display the CSS changes)."""
        if not isinstance(node, (nodes.thead, nodes.tbody, nodes.row, nodes.entry)):
            return None
        table = node.parent
        while table is not None and not isinstance(table, nodes.table):  # the cell's own table
            table = table.parent
        if table is None or REFLOW_CLASS not in table["classes"]:
            return None
        if isinstance(node, nodes.entry):
            return "cell" if tagname == "td" else "columnheader" if isinstance(node.parent.parent, nodes.thead) else "rowheader"
        return "rowgroup" if isinstance(node, (nodes.thead, nodes.tbody)) else "row" if tagname == "tr" else None


def setup(app: Sphinx) -> dict:
    app.set_translator("html", TableHTMLTranslator)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
