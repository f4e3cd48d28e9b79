"""A writer's mistakes fail the build with the file, the line and the fix, never a traceback.

Each case breaks a copy of tests/roots/test-site/ (three pages on the site's own settings) in one
way, and builds it with warnings as errors: the menu's front matter, cross-references, images,
labels. What the content policy refuses: tests/test_content_policy.py.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import build

PAGE = "docs/page.md"
SECTION = "docs/index.md"


def append(path: str, text: str, offset: int = 0):
    """An edit that appends *text* to *path*; the fault is *offset* lines into the appended text."""

    def edit(project: Path) -> str:
        page = project / path
        before = page.read_text(encoding="utf-8")
        page.write_text(before + "\n" + text, encoding="utf-8")
        return f"{path}:{len(before.splitlines()) + 2 + offset}"

    return edit


def replace(path: str, old: str, new: str, line: int):
    def edit(project: Path) -> str:
        page = project / path
        text = page.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is no longer in {path}"
        page.write_text(text.replace(old, new, 1), encoding="utf-8")
        return f"{path}:{line}"

    return edit


def sibling(weight: int, listed: bool = True):
    """A second page in the section (listed in its toctree or not), with the given weight. The
    warning names the line to change: the weight of the first page (tie), the new page's parent."""

    def edit(project: Path) -> str:
        (project / "docs" / "other.md").write_text(
            "---\ntitle: Other page\nmenu:\n    main:\n        name: Other page\n        identifier: other\n"
            f"        parent: data_types\n        weight: {weight}\n---\n\nText.\n", encoding="utf-8")
        if listed:
            section = project / SECTION
            section.write_text(section.read_text().replace("A page <page>\n", "A page <page>\nOther page <other>\n"))
        return f"{PAGE}:9" if listed else "docs/other.md:7"

    return edit


@dataclasses.dataclass
class BadInput:
    """One way to break the site: *edit* changes the copy and returns the expected 'file:line'."""

    name: str
    edit: Callable[[Path], str]
    message: str  # what the warning must say
    builder: str = "dummy"  # the rules checked while the pages are read need no output


CATALOGUE = [
    BadInput("invalid YAML front matter", replace(PAGE, "        weight: 10", "        weight: [10", 9),
             "the front matter: not valid YAML"),
    BadInput("missing menu", replace(PAGE, "menu:\n    main:\n        name: A page\n        identifier: page\n"
                                     "        parent: data_types\n        weight: 10\n", "", 2),
             "the front matter: 'menu' is a required property"),
    BadInput("weight not a number", replace(PAGE, "weight: 10", "weight: ten", 9),
             "'ten' is not of type 'integer' (menu/main/weight); write a whole number"),
    BadInput("unknown parent", replace(PAGE, "parent: data_types\n", "parent: data\n", 8),
             "parent 'data' is not the identifier of any page"),
    BadInput("two siblings of one weight", sibling(10), "weight 10 is also the weight of its sibling"),
    BadInput("page in no toctree", sibling(20, listed=False),
             "but that page's toctree does not list it; add 'Other page <other>' to it"),
    BadInput("unknown directive", append(PAGE, "```{checklist-box}\nTick me.\n```\n"),
             "Unknown directive type: 'checklist-box'"),
    BadInput("unknown role", append(PAGE, "See {accession}`S-BIAD677`.\n"), 'Unknown interpreted text role "accession"'),
    BadInput("broken {ref}", append(PAGE, "See {ref}`no-such-section`.\n"), "undefined label: 'no-such-section'",
             "html"),
    BadInput("broken {doc}", append(PAGE, "See {doc}`no-such-page`.\n"), "unknown document: 'no-such-page'", "html"),
    BadInput("broken intersphinx target", append(PAGE, "[Gone](inv:data-guidelines:std:doc#docs/gone)\n"),
             "docs/gone", "html"),
    BadInput("missing image", append(PAGE, "![A micrograph](micrograph.png)\n"),
             "image file not readable: docs/micrograph.png"),
    BadInput("duplicate label", append(PAGE, "(plan-ahead)=\n## Again\n"), 'Duplicate explicit target name: "plan-ahead"'),
]


@pytest.mark.quick
@pytest.mark.parametrize("bad", CATALOGUE, ids=[bad.name for bad in CATALOGUE])
def test_bad_input_fails_with_file_and_line(make_app, rootdir, tmp_path, bad):
    project = tmp_path / "site"
    shutil.copytree(rootdir / "test-site", project)
    where = bad.edit(project)
    app, warnings = build(make_app, project, bad.builder)
    assert app.statuscode == 1, f"the build passed with {bad.name}"
    assert any(f"{where}: WARNING" in w and bad.message in w for w in warnings), (
        f"no warning at {where} saying {bad.message!r}:\n" + "\n".join(warnings)
    )
