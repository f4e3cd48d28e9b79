"""The tagged PDF's structure tree, mended after WeasyPrint 70, which builds it page by page
(Kozea/WeasyPrint#2903) and box by box:

- an element over a page break (section, table, list, paragraph) is one structure element again;
  the page reference after a link belongs to the link; a list item holds a label and a body;
- header cells say what they head (/Scope);
- a repeated header row, a decorative image (``:class: decorative``), the printed addresses and
  their numbers, the running headers and page numbers are artifacts.

``record_structure_sources`` notes, while WeasyPrint builds the tree, which HTML element each
structure element stands for; ``mend_structure`` (pikepdf) then rebuilds the tree.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pikepdf
from sphinx.errors import ExtensionError

TESTED_WEASYPRINT = "70."  # the release whose private functions pdf/ wraps (structure.py, footnotes.py)


def require_tested_weasyprint(module, name: str, ours: str) -> None:
    """Stop the build unless this is the WeasyPrint release whose private *name* (of *module*)
    pdf/*ours* wraps."""
    import weasyprint

    if not weasyprint.__version__.startswith(TESTED_WEASYPRINT) or not hasattr(module, name):
        raise ExtensionError(f"_ext/imaging_guidelines/pdf/{ours} wraps WeasyPrint {TESTED_WEASYPRINT}x's private "
                             f"{name}, not {weasyprint.__version__}'s: pin weasyprint in requirements.in, or update "
                             f"pdf/{ours} and run the PDF tests")


@contextmanager
def record_structure_sources(decorative: str):
    """While WeasyPrint tags a document: {structure element's object number: the HTML element (and
    pseudo-element) it stands for}. Footnotes, their calls, decorative images and repeated table
    headers are left out of the tree (their content stays marked, and mend_structure makes it an
    artifact). *decorative*: the class of an image that shows nothing to read."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import tags

    # Kozea/WeasyPrint#2903 (open): no public hook for the tree's elements. Refuse any other release.
    require_tested_weasyprint(tags, "_build_box_tree", "structure.py")

    build = tags._build_box_tree  # recursive through the module's name, so every box passes here
    sources: dict[int, tuple[int, str]] = {}
    headers_seen: set[int] = set()

    def left_out(box) -> bool:
        tag = box.element_tag or ""
        if isinstance(box, boxes.FootnoteAreaBox) or tag.endswith("::footnote-call"):
            return True
        if tag == "img" and decorative in (box.element.get("class") or "").split():
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
      puts the item's paragraphs beside the label, and its nested list, where a page break puts
      that list beside the item."""

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
        if element.get("/S") == "/L":
            # An item with a nested list that a page break splits: on the new page WeasyPrint
            # writes the item as an empty LI and the rest of the nested list beside it. The empty
            # part goes; the list goes back into the item before it (into its body, if it has one
            # yet), where it joins the list's first part.
            kids = element.K = pikepdf.Array([kid for kid in kids if not (is_element(kid, "/LI") and not len(kids_of(kid)))])
            index = 1
            while index < len(kids):
                if is_element(kids[index], "/L") and is_element(kids[index - 1], "/LI"):
                    bodies = [kid for kid in kids_of(kids[index - 1]) if is_element(kid, "/LBody")]
                    home = bodies[-1] if bodies else kids[index - 1]
                    kids_of(home).extend(adopt(home, [kids[index]], kids[index].get("/Pg"), owners))
                    del kids[index]
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
