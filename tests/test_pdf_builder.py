"""The pdf builder (_ext/imaging_guidelines/pdf/) on tests/roots/test-pdf/, a page of its own: what
the guidelines do not have yet (images, one of them decorative), and what they have too little of
to be sure (a table and a list that run over pages), and a checklist."""

from __future__ import annotations

import contextlib
import shutil

import pikepdf
import pytest
from pypdf import PdfReader
from sphinx.testing.util import SphinxTestApp

from conftest import warnings_of
from test_pdf_structure import TaggedPdf


@pytest.fixture(scope="module")
def small(rootdir, tmp_path_factory) -> TaggedPdf:
    """The root's PDF, built once for the module's tests."""
    srcdir = tmp_path_factory.mktemp("pdf") / "small"
    shutil.copytree(rootdir / "test-pdf", srcdir)
    app = SphinxTestApp("pdf", srcdir=srcdir, freshenv=True, warningiserror=True)
    try:
        app.build()
        assert app.statuscode == 0 and warnings_of(app) == [], warnings_of(app)
        return TaggedPdf.read(app.outdir / "small.pdf")
    finally:
        app.cleanup()


def test_an_image_is_a_figure_with_its_alternative_text(small):
    figures = small.root.all("/Figure")
    assert [str(figure.obj.Alt) for figure in figures] == ["A red square on white"]
    assert len(figures[0].obj.A.BBox) == 4


def test_a_decorative_image_is_an_artifact(small):
    """The second image (:class: decorative) is no Figure, and is drawn inside an /Artifact."""
    drawn_as_artifact = 0
    for page in small.pdf.pages:
        marks: list[str] = []
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) in ("BDC", "BMC"):
                marks.append(str(operands[0]))
            elif str(operator) == "EMC":
                marks.pop()
            elif str(operator) == "Do" and "/Artifact" in marks:
                drawn_as_artifact += 1
    assert drawn_as_artifact == 1
    assert len(small.root.all("/Figure")) == 1


@pytest.mark.sphinx("pdf", testroot="pdf", srcdir="pdf-no-alt", freshenv=True, warningiserror=True)
def test_an_image_without_alternative_text_fails_the_build(app):
    (app.srcdir / "index.md").write_text("# Small\n\nText.\n\n![](square.png)\n", encoding="utf-8")
    app.build()
    assert app.statuscode == 1
    warnings = "\n".join(warnings_of(app))
    assert "index.md:5: WARNING: the image square.png has no alternative text" in warnings, warnings
    assert "![what the image shows](square.png)" in warnings


def test_a_table_over_pages_is_one_table(small):
    assert len(small.pdf.pages) >= 4, "the table and the list should run over pages"
    tables = small.root.all("/Table")
    assert len(tables) == 1
    table = tables[0]
    assert len({page for page, _ in table.content} | set(table.pages())) >= 2, "the table runs over pages"
    heads = table.all("/THead")
    assert len(heads) == 1, "the header row repeated on later pages is an artifact, not a second head"
    header_ids = {str(cell.obj.ID) for cell in heads[0].all("/TH")}
    assert len(table.all("/TD")) == 240
    assert all({str(name) for name in cell.obj.A.Headers} <= header_ids for cell in table.all("/TD"))
    # On paper, each page the table runs over shows its header row again (an artifact there).
    printed = PdfReader(small.path).pages
    bare = [number + 1 for number in sorted(set(table.pages())) if "What it is" not in printed[number].extract_text()]
    assert bare == [], f"pages where the table goes on without its header row: {bare}"


def test_a_list_over_pages_is_one_list(small):
    lists = small.root.all("/L")
    assert [len([kid for kid in listing.kids if kid.tag == "/LI"]) for listing in lists] == [120, 2]
    assert len(set(lists[0].pages())) >= 2


def test_tasks_carry_a_ballot_box(small):
    text = small.root.text
    assert "\u2610 a task" in text and "\u2612 a task done" in text


def footnotes_printed(fix: bool) -> tuple[bool, bool]:
    """Whether the two footnotes of a line near a page's foot are printed, in a document whose later
    "(page N)" reference makes WeasyPrint lay the pages after the first out again."""
    import io

    import weasyprint
    from imaging_guidelines.pdf.footnotes import carry_reported_footnotes
    from pypdf import PdfReader

    filler = "<p>" + "Words to fill the page. " * 60 + "</p>"
    html = f"""<style>@page {{ size: A6; margin: 10mm }} html {{ font: 10pt FreeSerif }}
      .note {{ float: footnote; footnote-policy: line }}
      a::after {{ content: " (page " target-counter(attr(href), page) ")" }}</style>
      {filler}<p>Call one<span class="note">first note {"long " * 60}</span> and two<span
      class="note">second note</span> text {"tail " * 80}</p>
      <p>See <a href="#end">the end</a>.</p>{filler}<h2 id="end">End</h2>"""
    with carry_reported_footnotes() if fix else contextlib.nullcontext():
        pdf = weasyprint.HTML(string=html).write_pdf()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return "first note" in text, "second note" in text


def test_no_footnote_is_lost_when_pages_are_laid_out_again():
    assert footnotes_printed(fix=False) == (True, False), (
        "WeasyPrint prints this document's footnotes without the fix now: delete pdf/footnotes.py")
    assert footnotes_printed(fix=True) == (True, True)


def test_another_weasyprint_release_stops_the_build_with_what_to_do(monkeypatch):
    """Each private WeasyPrint function that pdf/ wraps is wrapped for the tested release only."""
    import weasyprint
    from imaging_guidelines.pdf.footnotes import carry_reported_footnotes
    from imaging_guidelines.pdf.structure import record_structure_sources
    from sphinx.errors import ExtensionError

    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    for hook, ours in ((carry_reported_footnotes(), "footnotes.py"), (record_structure_sources("decorative"), "structure.py")):
        with pytest.raises(ExtensionError, match=rf"pdf/{ours} wraps WeasyPrint 70\.x's private .* not 71\.0's: pin"):
            with hook:
                pass
