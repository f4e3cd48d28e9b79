"""_ext/pdf_output.py and pdf_structure.py on small projects of their own: what the guidelines do
not have yet (an image), and what they have too little of to be sure (a table and a list over
several pages)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from conftest import ROOT
from test_pdf_structure import TaggedPdf


CONF = f"""
import sys
sys.path.insert(0, {str(ROOT / "_ext")!r})
project = "Small"
extensions = ["myst_parser", "pdf_output"]
myst_enable_extensions = ["tasklist"]
pdf_basename = "small"
language = "en"
"""

ROWS = "\n".join(f"| {n} | row {n} of a long table |" for n in range(1, 121))
ITEMS = "\n".join(f"- item {n} of a long list" for n in range(1, 121))
PAGE = f"""# Small

A paragraph, and a picture of a red square:

![A red square on white](square.png)

```{{image}} square.png
:class: decorative
```

| Number | What it is |
|---|---|
{ROWS}

{ITEMS}

A checklist:

- [ ] a task
- [x] a task done
"""


def build(tmp_path: Path, page: str) -> subprocess.CompletedProcess:
    (tmp_path / "conf.py").write_text(CONF, encoding="utf-8")
    (tmp_path / "index.md").write_text(page, encoding="utf-8")
    Image.new("RGB", (40, 40), "red").save(tmp_path / "square.png")
    return subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "pdf", str(tmp_path),
                           str(tmp_path / "_build")], capture_output=True, text=True)


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> TaggedPdf:
    folder = tmp_path_factory.mktemp("small")
    result = build(folder, PAGE)
    assert result.returncode == 0, result.stderr
    return TaggedPdf.read(folder / "_build" / "small.pdf")


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


def test_an_image_without_alternative_text_fails_the_build(tmp_path):
    result = build(tmp_path, "# Small\n\nText.\n\n![](square.png)\n")
    assert result.returncode != 0
    assert "index.md:5: WARNING: the image square.png has no alternative text" in result.stderr, result.stderr
    assert "![what the image shows](square.png)" in result.stderr


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


def test_a_list_over_pages_is_one_list(small):
    lists = small.root.all("/L")
    assert [len([kid for kid in listing.kids if kid.tag == "/LI"]) for listing in lists] == [120, 2]
    assert len(set(lists[0].pages())) >= 2


def test_tasks_carry_a_ballot_box(small):
    text = small.root.text
    assert "\u2610 a task" in text and "\u2612 a task done" in text
