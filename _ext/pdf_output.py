"""The PDF: the whole guide as one HTML document, set in pages by WeasyPrint as a tagged PDF/UA-1.

`make pdf`, and Read the Docs through `build.jobs.build.pdf` in .readthedocs.yaml, run
``sphinx-build -b pdf``. Sphinx's LaTeX route cannot tag a PDF with the TeX Live of Debian 12 or of
Read the Docs' images; WeasyPrint (PyPI, over the system's Pango) writes the structure tree that a
screen reader and reflow need. bench/results/pdf-routes.md compares the routes.

The builder is Sphinx's single-page HTML builder with a template and stylesheet of its own
(pdf_theme/) and a writer that prints:

- the landing page's title on the title page, so the pages' headings move up one level: Data Types
  is an H1, Imaging data an H2, its pages H3, and the deepest section still fits in H6;
- each page's heading with its menu name (``data-menu-name``, from _ext/menu.py), which the
  stylesheet makes the bookmark's label, as the site's menu shows it;
- a ballot box (☐, ☒) before each task of a checklist;
- after each link to another site, its address as a footnote, so that the printed page still
  tells where the link goes (as Sphinx's latex_show_urls = "footnote" did).

WeasyPrint then writes ``<pdf_basename>.pdf`` with ``pdf/ua-1``: headings, paragraphs, lists,
tables with header cells, links and figures (with their alternative text) in a structure tree in
reading order, ``/Lang``, the title shown in the window, and XMP with PDF/UA identification (to
which the edition's language is added).
Some things are mended, as WeasyPrint 70 builds its structure tree page by page
(https://github.com/Kozea/WeasyPrint/issues/2903) and box by box:

- an element that runs over a page break (a section, a table, a list, a paragraph) becomes one
  structure element again, not one per page; the page reference after a link belongs to the link;
  a list item holds a label and a body;
- header cells say what they head (/Scope);
- a table's header row repeated on the next page, a decorative image (``:class: decorative``),
  the footnotes with the printed addresses and their numbers in the text are artifacts (what a
  screen reader skips: the link is already tagged), as are the running headers and page numbers,
  which WeasyPrint leaves as marked content that no structure element reaches.

While WeasyPrint builds the tree, ``record_structure_sources`` notes which HTML element each
structure element stands for, and leaves those artifacts out of it; afterwards ``mend_structure``
(pikepdf) rebuilds the tree and marks what it does not reach as artifacts.

Whatever WeasyPrint warns about (a style it ignores, an image without alternative text, a link to
an anchor that is not there) becomes a Sphinx warning, so a strict build fails on it.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pikepdf
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.environment.adapters.toctree import global_toctree_for_doc
from sphinx.util import logging as sphinx_logging
from sphinx.util.display import progress_message
from sphinx.writers.html5 import HTML5Translator

from tasklist import CHECKBOX

logger = sphinx_logging.getLogger(__name__)
THEME = "imaging-data-pdf"
BOXES = {False: "\u2610", True: "\u2612"}  # ☐ ☒
DECORATIVE = "decorative"  # an image's class that says it shows nothing to read


class PDFTranslator(HTML5Translator):
    """The HTML writer for the printed book (see the module's docstring)."""

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
        level = node.get("heading-level")
        if level in {2, 3, 4, 5, 6}:  # a rubric that is a heading moves up one level too
            self.body.append(self.starttag(node, f"h{level - 1}", "", CLASS="rubric"))
            self.context.append(f"</h{level - 1}>\n")
        else:
            super().visit_rubric(node)
            self.context.append("")

    def depart_rubric(self, node: nodes.rubric) -> None:
        closing = self.context.pop()
        if closing:
            self.body.append(closing)
        else:
            super().depart_rubric(node)

    def visit_start_of_file(self, node: addnodes.start_of_file) -> None:
        self.docnames.append(node["docname"])  # the page's anchor is on its heading (qualify_anchors)

    def visit_image(self, node: nodes.image) -> None:
        if DECORATIVE in node["classes"]:
            node["alt"] = " "  # never read, as the image is an artifact, but WeasyPrint asks for one
        super().visit_image(node)

    def visit_raw(self, node: nodes.raw) -> None:
        text = node.astext()
        if "html" in node.get("format", "").split() and text.startswith(CHECKBOX):
            self.body.append(f'<span class="task-box">{BOXES["checked=" in text]}</span>')
            raise nodes.SkipNode
        super().visit_raw(node)

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
        import weasyprint  # only here: an HTML build does not need WeasyPrint or Pango

        source = self.outdir / f"{self.config.root_doc}{self.out_suffix}"
        target = self.outdir / f"{self.config.pdf_basename}.pdf"
        with weasyprint_warnings_as_sphinx_warnings(source), record_structure_sources() as sources:
            weasyprint.HTML(filename=str(source)).write_pdf(
                str(target),
                pdf_variant="pdf/ua-1",
                pdf_identifier=self.config.epub_uid.encode(),  # the edition's own, as in the EPUB
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


@contextmanager
def record_structure_sources():
    """While WeasyPrint tags a document: {structure element's object number: the HTML element (and
    pseudo-element) it stands for}. Footnotes, their calls, decorative images and repeated table
    headers are left out of the tree (their content stays marked, and mend_structure makes it an
    artifact)."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import tags

    build = tags._build_box_tree  # recursive through the module's name, so every box passes here
    sources: dict[int, tuple[int, str]] = {}
    headers_seen: set[int] = set()

    def left_out(box) -> bool:
        tag = box.element_tag or ""
        if isinstance(box, boxes.FootnoteAreaBox) or tag.endswith("::footnote-call"):
            return True
        if tag == "img" and DECORATIVE in (box.element.get("class") or "").split():
            return True
        if tag == "thead" and box.element is not None:
            repeated = id(box.element) in headers_seen
            headers_seen.add(id(box.element))
            return repeated
        return False

    def build_with_sources(box, *args):
        if left_out(box):
            for _ in build(box, *args):
                pass
            return
        for element in build(box, *args):
            if box.element is not None and element.number not in sources:
                sources[element.number] = (id(box.element), box.element_tag)
            yield element

    tags._build_box_tree = build_with_sources
    try:
        yield sources
    finally:
        tags._build_box_tree = build


def number_tree(tree: pikepdf.Dictionary) -> dict[int, pikepdf.Object]:
    """The entries of a PDF number tree (the structure tree's ParentTree)."""
    entries: dict[int, pikepdf.Object] = {}
    if "/Nums" in tree:
        nums = tree.Nums
        entries.update({int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)})
    for kid in tree.get("/Kids", []):
        entries.update(number_tree(kid))
    return entries


def reached_elements(root: pikepdf.Dictionary) -> set[tuple[int, int]]:
    """Every structure element that the structure tree's root reaches."""
    reached: set[tuple[int, int]] = set()
    stack = [root.get("/K")]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Array):
            stack.extend(item)
        elif isinstance(item, pikepdf.Dictionary) and item.get("/Type") != "/MCR" and "/S" in item:
            if item.objgen not in reached:
                reached.add(item.objgen)
                stack.append(item.get("/K"))
    return reached


def kids_of(element: pikepdf.Dictionary) -> pikepdf.Array:
    kids = element.get("/K")
    if not isinstance(kids, pikepdf.Array):
        element.K = kids = pikepdf.Array([] if kids is None else [kids])
    return kids


def adopt(parent: pikepdf.Dictionary, kids, page, owners: dict) -> list:
    """*kids* (of a structure element on *page*) made *parent*'s: marked content named with its
    page, and every owner noted in *owners* changed to *parent*."""
    adopted = []
    for kid in kids:
        if isinstance(kid, int):
            owners[(page.objgen, int(kid))] = parent
            kid = pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=page, MCID=int(kid))
        elif kid.get("/Type") == "/OBJR":
            owners[("annotation", kid.Obj.objgen)] = parent
        elif kid.get("/Type") == "/MCR":
            owners[(kid.Pg.objgen, int(kid.MCID))] = parent
        else:
            kid.P = parent
        adopted.append(kid)
    return adopted


def is_element(item, *types: str) -> bool:
    return isinstance(item, pikepdf.Dictionary) and "/S" in item and (not types or item.S in types)


def pull_annotations_up(link: pikepdf.Dictionary, owners: dict) -> None:
    """PDF/UA 7.18.5: a link annotation sits in its Link element; WeasyPrint may give it to the
    element of a span inside the link."""
    stack = [kid for kid in kids_of(link) if is_element(kid) and kid.S != "/Link"]
    while stack:
        element = stack.pop()
        kids = kids_of(element)
        for index in reversed(range(len(kids))):
            kid = kids[index]
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                del kids[index]
                kids_of(link).append(kid)
                owners[("annotation", kid.Obj.objgen)] = link
        stack.extend(kid for kid in kids if is_element(kid) and kid.S != "/Link")


def rename_header_references(part: pikepdf.Dictionary, table: pikepdf.Dictionary) -> None:
    """WeasyPrint names a table's header cells "<table>-<row>-<column>" in each part of a table
    split over pages; the part joining *table* has its header row as an artifact, so its data cells
    name the same cells of the first part's header."""
    old, new = f"{part.objgen[0]}-", f"{table.objgen[0]}-"
    stack = [part]
    while stack:
        element = stack.pop()
        headers = element.get("/A", {}).get("/Headers") if element.get("/S") == "/TD" else None
        if headers is not None:
            element.A.Headers = pikepdf.Array([pikepdf.String(new + str(name).removeprefix(old)) for name in headers])
        stack.extend(kid for kid in kids_of(element) if is_element(kid))


def rebuild_tree(pdf: pikepdf.Pdf, sources: dict[int, tuple[int, str]], owners: dict) -> None:
    """From the top of the structure tree down:

    - neighbouring elements that stand for the same HTML element (its parts on consecutive pages)
      become one;
    - a link inside a link (the page reference after an internal link, a::after) is part of it,
      and a link's annotation belongs to the link, not to a span inside it;
    - a list item holds its label (Lbl) and one body (LBody), as PDF/UA wants, where WeasyPrint
      puts the item's paragraphs beside the label."""

    def source(item) -> tuple[int, str] | None:
        return sources.get(item.objgen[0]) if is_element(item) and item.is_indirect else None

    stack = [pdf.Root.StructTreeRoot]
    while stack:
        element = stack.pop()
        kids = kids_of(element)
        index = 0
        while index + 1 < len(kids):
            first, second = kids[index], kids[index + 1]
            if source(first) is not None and source(first) == source(second):
                if first.get("/S") == "/Table":
                    rename_header_references(second, first)
                for kid in adopt(first, list(kids_of(second)), second.get("/Pg"), owners):
                    kids_of(first).append(kid)
                del kids[index + 1]
            else:
                index += 1
        if element.get("/S") == "/Link":
            pull_annotations_up(element, owners)
            index = 0
            while index < len(kids):
                if is_element(kids[index], "/Link"):
                    inner = kids[index]
                    del kids[index]
                    for offset, kid in enumerate(adopt(element, list(kids_of(inner)), inner.get("/Pg"), owners)):
                        kids.insert(index + offset, kid)
                else:
                    index += 1
        if element.get("/S") == "/LI":
            body = [kid for kid in kids if not is_element(kid, "/Lbl", "/LBody")]
            if body:
                item_body = pdf.make_indirect(pikepdf.Dictionary(
                    Type=pikepdf.Name.StructElem, S=pikepdf.Name.LBody, P=element, Pg=element.Pg))
                item_body.K = pikepdf.Array(adopt(item_body, body, element.Pg, owners))
                labels = [kid for kid in kids if is_element(kid, "/Lbl", "/LBody")]
                element.K = kids = pikepdf.Array([*labels, item_body])
        stack.extend(kid for kid in kids if is_element(kid))


def scope_header_cells(pdf: pikepdf.Pdf, elements: set[tuple[int, int]]) -> None:
    """Each header cell says what it heads (PDF/UA 7.5): a column in the table's head, else its row.
    WeasyPrint links data cells to their headers (/Headers) but gives the headers no /Scope."""
    for objgen in elements:
        cell = pdf.get_object(objgen)
        if cell.get("/S") == "/TH":
            row_group = cell.P.get("/P")
            scope = "/Column" if row_group is not None and row_group.get("/S") == "/THead" else "/Row"
            attributes = cell.get("/A") or pikepdf.Dictionary(O=pikepdf.Name.Table)
            attributes.Scope = pikepdf.Name(scope)
            cell.A = attributes


def mend_structure(path: Path, sources: dict[int, tuple[int, str]], language: str) -> None:
    """Join the fragments of elements split by page breaks, give header cells their scope, and
    mark what the tree does not reach (running headers, page numbers, footnotes, repeated table
    headers) as artifacts."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        tree = pdf.Root.StructTreeRoot
        parent_tree = number_tree(tree.ParentTree)
        # Who owns each marked content (page, MCID) and each link annotation, as joining changes it.
        owners: dict = {}
        for page in pdf.pages:
            for mcid, owner in enumerate(parent_tree.get(int(page.obj.get("/StructParents", -1)), [])):
                owners[(page.obj.objgen, mcid)] = owner
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    owners[("annotation", annotation.objgen)] = parent_tree.get(int(annotation.StructParent))
        rebuild_tree(pdf, sources, owners)
        reached = reached_elements(tree)
        scope_header_cells(pdf, reached)

        # The new ParentTree, gathered as Python pairs: extending a pikepdf.Array copies it each time.
        entries: list[tuple[int, pikepdf.Object]] = []
        for page in pdf.pages:
            key = int(page.obj.get("/StructParents", -1))
            if key < 0:
                continue
            mcids = [owners.get((page.obj.objgen, mcid)) for mcid in range(len(parent_tree.get(key, [])))]
            unreached = {mcid for mcid, owner in enumerate(mcids)
                         if not isinstance(owner, pikepdf.Dictionary) or owner.objgen not in reached}
            if unreached:
                instructions = []
                for operands, operator in pikepdf.parse_content_stream(page):
                    if (str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary)
                            and int(operands[1].get("/MCID", -1)) in unreached):
                        operands = [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)]
                    instructions.append((operands, operator))
                page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
            entries.append((key, pdf.make_indirect(
                pikepdf.Array([None if mcid in unreached else owner for mcid, owner in enumerate(mcids)]))))
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    entries.append((int(annotation.StructParent), owners[("annotation", annotation.objgen)]))
        entries.sort(key=lambda entry: entry[0])  # a number tree's keys in ascending order
        nums = pikepdf.Array([item for entry in entries for item in entry])
        tree.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=nums))
        # No editor's stamp or date: the same commit gives the same file.
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["dc:language"] = [language]
        pdf.save(path, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)


def setup(app: Sphinx) -> dict:
    app.add_config_value("pdf_basename", "document", "env", types=[str])
    app.add_html_theme(THEME, str(Path(__file__).parent / "pdf_theme"))
    app.add_builder(PDFBuilder)
    app.connect("doctree-resolved", check_images_have_alternative_text)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
