"""``-b pdf``: the whole guide as one HTML document, set by WeasyPrint as a tagged PDF/UA-1 file.

`make pdf` and Read the Docs (``build.jobs.build.pdf``) run it: Sphinx's LaTeX route cannot tag a
PDF with the TeX Live at hand (bench/results/pdf-routes.md). Sphinx's single-page HTML builder,
with a theme of its own (theme/), and a writer that prints: the landing page's title on the title
page (so Data Types is an H1); each page's heading with its menu name (``data-menu-name``, the
bookmark's label); a ballot box before each checklist task (``prints_task_boxes``); after each
link to another site, its address as a footnote. ``footnotes`` keeps WeasyPrint from losing some
of them, and ``structure`` then mends its structure tree (both imported only when the PDF is written). Settings: ``pdf_basename``, ``pdf_identifier``.
Whatever WeasyPrint warns about becomes a Sphinx warning, so a strict build fails on it.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.environment.adapters.toctree import global_toctree_for_doc
from sphinx.util import logging as sphinx_logging
from sphinx.util.display import progress_message
from sphinx.writers.html5 import HTML5Translator

logger = sphinx_logging.getLogger(__name__)
THEME = "imaging-data-pdf"
DECORATIVE = "decorative"  # an image's class that says it shows nothing to read


class PDFTranslator(HTML5Translator):
    """The HTML writer for the printed book (see the module's docstring)."""

    prints_task_boxes = True  # a checklist's boxes as ☐ and ☒, not as form fields

    def visit_section(self, node: nodes.section) -> None:
        # A section's anchors go on its heading (section_title_tags): a link's page number is then
        # the heading's page, not that of the page's foot where the section's box may begin.
        self.section_level += 1
        self.body.append(self.starttag(node if self.section_level == 1 else nodes.section(classes=node["classes"]),
                                       "section"))

    def visit_title(self, node: nodes.title) -> None:
        if isinstance(node.parent, nodes.section) and self.section_level == 1:
            raise nodes.SkipNode  # the landing page's title is on the title page
        super().visit_title(node)

    def section_title_tags(self, node: nodes.title) -> tuple[str, str]:
        level = self.section_level - 1  # one up: the landing page's title is the title page's
        tag = f"h{min(level, 6)}"
        attributes: dict[str, Any] = {}
        if level > 6:
            attributes["aria-level"] = level
        if node.get("menu_name"):
            attributes["data-menu-name"] = node["menu_name"]
        return self.starttag(node, tag, "", ids=list(node.parent["ids"]), **attributes), f"</{tag}>\n"

    def visit_rubric(self, node: nodes.rubric) -> None:
        if node.get("heading-level") in {2, 3, 4, 5, 6}:  # a rubric that is a heading moves up one level too
            node["heading-level"] -= 1
        super().visit_rubric(node)

    def visit_start_of_file(self, node: addnodes.start_of_file) -> None:
        self.docnames.append(node["docname"])  # the page's anchor is on its heading (qualify_anchors)

    def visit_image(self, node: nodes.image) -> None:
        if DECORATIVE in node["classes"]:
            node["alt"] = " "  # never read, as the image is an artifact, but WeasyPrint asks for one
        super().visit_image(node)

    def depart_reference(self, node: nodes.reference) -> None:
        super().depart_reference(node)
        address = node.get("refuri", "")
        if not address or node.get("internal") or "://" not in address and not address.startswith("mailto:"):
            return
        shown = address.removeprefix("mailto:")
        if node.astext() != shown:
            self.body.append(f'<span class="print-url">{self.encode(shown)}</span>')


class PDFBuilder(SingleFileHTMLBuilder):
    """``-b pdf``: the single-page HTML, then WeasyPrint's tagged PDF of it."""

    name = "pdf"
    epilog = "The PDF is in %(outdir)s."
    default_translator_class = PDFTranslator
    search = False
    embedded = True  # no search, no JavaScript

    def init(self) -> None:
        super().init()
        self.add_permalinks = False  # no ¶ beside the headings (the HTML builder takes html_permalinks)

    def assemble_doctree(self) -> nodes.document:
        tree = super().assemble_doctree()
        qualify_anchors(tree, self.config.root_doc)
        return tree

    def get_theme_config(self) -> tuple[str, dict]:
        return THEME, {}

    def prepare_writing(self, docnames) -> None:
        super().prepare_writing(docnames)
        config = self.config
        self.globalcontext.update(
            edition=getattr(config, "editions", {}).get(config.language, {}),
            author=config.author,
            today=config.today,
            release=config.release,
        )

    def get_doc_context(self, docname: str, body: str, metatags: str) -> dict[str, Any]:
        context = super().get_doc_context(docname, body, metatags)
        toctree = global_toctree_for_doc(self.env, self.config.root_doc, self, tags=self.tags, collapse=False,
                                         titles_only=True, includehidden=True)  # every page of the menu
        if toctree is None:
            context["contents"] = ""
            return context
        for reference in toctree.findall(nodes.reference):  # "index.html#document-…": in this file
            reference["refuri"] = "#" + reference["refuri"].partition("#")[2]
        context["contents"] = self.render_partial(toctree)["fragment"]
        return context

    def finish(self) -> None:
        super().finish()
        self.write_pdf()

    @progress_message("writing the PDF")
    def write_pdf(self) -> None:
        # Only here: an HTML build needs neither WeasyPrint (and Pango) nor pikepdf.
        import weasyprint
        from imaging_guidelines.pdf.footnotes import carry_reported_footnotes
        from imaging_guidelines.pdf.structure import mend_structure, record_structure_sources

        source = self.outdir / f"{self.config.root_doc}{self.out_suffix}"
        target = self.outdir / f"{self.config.pdf_basename}.pdf"
        with (weasyprint_warnings_as_sphinx_warnings(source), carry_reported_footnotes(),
              record_structure_sources(DECORATIVE) as sources):
            weasyprint.HTML(filename=str(source)).write_pdf(
                str(target),
                pdf_variant="pdf/ua-1",
                pdf_identifier=self.config.pdf_identifier.encode(),
            )
        mend_structure(target, sources, self.config.language)


def qualify_anchors(tree: nodes.document, root_doc: str) -> None:
    """Every page's anchors, and the links to them, made unique in the one document.

    Sphinx's single-page builder links to a heading of another page as ``#document-<page>#<id>``
    (MyST's links to headings, Sphinx's cross-references), which no element is named, and two pages
    may have headings of the same name (two "BioImage Archive" sections). So every id is qualified by its
    page, and a link within a page (``#<id>``) is qualified likewise."""

    def walk(node: nodes.Element, page: str):
        for child in node.children:
            if isinstance(child, nodes.Element):
                inner = child["docname"] if isinstance(child, addnodes.start_of_file) else page
                yield child, inner
                yield from walk(child, inner)

    for holder in tree.findall(addnodes.start_of_file):  # a page's own anchor: on its heading
        section = next(iter(holder.findall(nodes.section)), None)
        if section is not None:
            section["ids"].insert(0, f"document-{holder['docname']}")
    for node, page in walk(tree, root_doc):
        node["ids"] = [anchor if anchor.startswith("document-") else f"document-{page}#{anchor}"
                       for anchor in node["ids"]]
        if isinstance(node, nodes.reference) and node.get("refid"):
            node["refuri"] = f"#document-{page}#{node['refid']}"
            del node["refid"]


@contextmanager
def weasyprint_warnings_as_sphinx_warnings(source: Path):
    """WeasyPrint logs what it cannot print as it should; each becomes a Sphinx warning."""

    class Forward(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logger.warning("WeasyPrint, setting %s: %s", source, record.getMessage(), type="pdf", subtype="weasyprint")

    handler = Forward(level=logging.WARNING)
    weasyprint_logger = logging.getLogger("weasyprint")
    weasyprint_logger.addHandler(handler)
    try:
        yield
    finally:
        weasyprint_logger.removeHandler(handler)


def check_images_have_alternative_text(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """An image says what it shows (PDF/UA, WCAG 1.1.1): the PDF tags it as a figure with that text.
    An image that shows nothing to read (``:class: decorative``) gets an empty alt in HTML, which
    screen readers skip, and is an artifact in the PDF."""
    for image in doctree.findall(nodes.image):
        if DECORATIVE in image["classes"]:
            image["alt"] = ""
        elif not image.get("alt", "").strip():
            placed = image
            while placed.parent is not None and not placed.line:  # MyST gives the image line 0, its paragraph the line
                placed = placed.parent
            logger.warning("the image %s has no alternative text: write what it shows, as "
                           "![what the image shows](%s)", image.get("uri"), image.get("uri"),
                           location=placed, type="pdf", subtype="alt")


def setup(app: Sphinx) -> dict:
    app.add_config_value("pdf_basename", "document", "env", types=[str])
    app.add_config_value("pdf_identifier", "document", "env", types=[str])
    app.add_html_theme(THEME, str(Path(__file__).parent / "theme"))
    app.add_builder(PDFBuilder)
    app.connect("doctree-resolved", check_images_have_alternative_text)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
