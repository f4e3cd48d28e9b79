"""The menu contract (_ext/menu.py): every breach of it fails the build with a precise message.

Each test builds a small project in a temporary folder with Sphinx's own test fixtures and checks
the exact warning (file, line, what to change) and that the build fails with warnings as errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.util.console import strip_colors

import menu
from conftest import ROOT, copy_project, make

pytestmark = pytest.mark.quick  # make check

CONF = 'extensions = ["myst_parser", "menu"]\nmyst_title_to_header = True\nhtml_theme = "sphinx_rtd_theme"\n'


def page(identifier=None, *, title="A page", parent=None, weight=10, name=None, toctree=(), extra="", front=None):
    """The Markdown of a page with the portal's menu front matter and an optional toctree."""
    if front is None:
        menu_lines = [f"        identifier: {identifier}"] if identifier else []
        menu_lines += [f"        name: {name}"] if name else []
        menu_lines += [f"        parent: {parent}"] if parent else []
        menu_lines += [f"        weight: {weight}"] if weight is not None else []
        front = f"title: {title}\nmenu:\n    main:\n" + "\n".join(menu_lines) + "\n" + extra
    body = ""
    if toctree:
        body = "\n```{toctree}\n" + "\n".join(toctree) + "\n```\n"
    return f"---\n{front}---\n\nSome text.\n{body}"


def build(make_app, tmp_path: Path, pages: dict[str, str]):
    """Build *pages* ({docname: markdown}) with warnings as errors; return (app, warnings)."""
    (tmp_path / "conf.py").write_text(CONF)
    for docname, text in pages.items():
        path = tmp_path / f"{docname}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    app = make_app("html", srcdir=tmp_path, freshenv=True, warningiserror=True)
    app.build(force_all=True)
    warnings = [
        line.replace(str(tmp_path) + "/", "")
        for line in strip_colors(app.warning.getvalue()).splitlines()
        if "WARNING" in line
    ]
    return app, warnings


def home(*toctree: str) -> str:
    return page("home", title="Home", weight=1, toctree=toctree)


def assert_fails_with(app, warnings, expected: str):
    assert app.statuscode == 1, "the build should fail"
    assert expected in warnings, "\n".join(warnings)


# -- A site that keeps the contract -------------------------------------------------------------


def test_valid_site_builds_cleanly(make_app, tmp_path):
    app, warnings = build(make_app, tmp_path, {
        "index": home("Section <section/index>"),
        "section/index": page("section", title="The section", name="Section", toctree=["First <a>", "Second <b>"]),
        "section/a": page("a", name="First", parent="section", weight=10),
        "section/b": page("b", name="Second", parent="section", weight=20),
    })
    assert warnings == []
    assert app.statuscode == 0


def test_pre_and_post_keys_are_allowed(make_app, tmp_path):
    app, warnings = build(make_app, tmp_path, {
        "index": home("Section <section>"),
        "section": page("section", name="Section", extra='        pre: "<i class=\'icon\'></i>"\n        post: new\n'),
    })
    assert warnings == []


def test_without_a_name_the_page_title_is_the_label(make_app, tmp_path):
    app, warnings = build(make_app, tmp_path, {
        "index": home("section"),
        "section": page("section", title="Section title"),
    })
    assert warnings == []


def test_equal_weights_are_ordered_by_title(make_app, tmp_path):
    pages = {
        "index": home("Beta <b>", "Alpha <a>"),
        "a": page("a", title="Alpha", name="Alpha", weight=10),
        "b": page("b", title="Beta", name="Beta", weight=10),
    }
    app, warnings = build(make_app, tmp_path, pages)
    assert_fails_with(app, warnings, (
        "a.md:7: WARNING: parent 'home' lists this page's siblings in the order b, a; weight 10 puts it "
        "before b (weight 10): reorder the toctree in index.md to a, b, or change the weights [menu.order]"
    ))


# -- Malformed front matter: a clear message, never a traceback ---------------------------------


def test_page_without_front_matter(make_app, tmp_path):
    app, warnings = build(make_app, tmp_path, {"index": home("plain"), "plain": "# Plain\n\nNo front matter.\n"})
    assert app.statuscode == 1
    assert warnings[0].startswith("plain.md:1: WARNING: the page has no front matter; start the page with:")


def test_invalid_yaml(make_app, tmp_path):
    bad = page(front="title: Broken\nmenu:\n    main:\n        identifier: broken\n       weight: [10\n")
    app, warnings = build(make_app, tmp_path, {"index": home("broken"), "broken": bad})
    assert app.statuscode == 1
    assert any(w.startswith("broken.md:6: WARNING: the front matter is not valid YAML") and w.endswith("[menu.frontmatter]") for w in warnings), warnings


def test_menu_not_a_mapping(make_app, tmp_path):
    app, warnings = build(make_app, tmp_path, {"index": home("x"), "x": page(front="title: X\nmenu: main\n")})
    assert_fails_with(app, warnings, (
        "x.md:3: WARNING: 'menu' must be a mapping with a 'main' key ('menu:' then '    main:' on the next line) "
        "[menu.frontmatter]"
    ))


def test_weight_not_a_number(make_app, tmp_path):
    bad = page("x", weight="ten")
    app, warnings = build(make_app, tmp_path, {"index": home("x"), "x": bad})
    assert_fails_with(app, warnings, (
        "x.md:6: WARNING: menu.main.weight must be a whole number, not 'ten'; write e.g. 'weight: 10' [menu.frontmatter]"
    ))


def test_missing_identifier(make_app, tmp_path):
    app, warnings = build(make_app, tmp_path, {"index": home("x"), "x": page(None, name="X")})
    assert_fails_with(app, warnings, (
        "x.md:4: WARNING: menu.main has no 'identifier'; add 'identifier: some_unique_name' (letters, digits, '_') "
        "[menu.frontmatter]"
    ))


def test_missing_menu(make_app, tmp_path):
    app, warnings = build(make_app, tmp_path, {"index": home("x"), "x": page(front="title: X\n")})
    assert app.statuscode == 1
    assert warnings[0].startswith("x.md:2: WARNING: the front matter has no 'menu' key; start the page with:")


# -- Identifiers and parents --------------------------------------------------------------------


def test_duplicate_identifier(make_app, tmp_path):
    app, warnings = build(make_app, tmp_path, {
        "index": home("A <a>", "B <b>"),
        "a": page("same", name="A", weight=10),
        "b": page("same", name="B", weight=20),
    })
    assert_fails_with(app, warnings, (
        "b.md:5: WARNING: identifier 'same' is already used by a.md; identifiers must be unique: rename one of them "
        "(and the 'parent' of their children) [menu.identifier]"
    ))


def test_unknown_parent(make_app, tmp_path):
    app, warnings = build(make_app, tmp_path, {
        "index": home("x"),
        "x": page("x", parent="imaging_dta"),
    })
    assert_fails_with(app, warnings, (
        "x.md:6: WARNING: parent 'imaging_dta' is not the identifier of any page; use one of: home, x [menu.parent]"
    ))


def test_landing_page_has_no_parent(make_app, tmp_path):
    app, warnings = build(make_app, tmp_path, {"index": page("home", parent="x", toctree=["x"]), "x": page("x", parent="home")})
    assert_fails_with(app, warnings, (
        "index.md:6: WARNING: the landing page cannot have a parent; remove 'parent' from its menu.main [menu.parent]"
    ))


def test_parent_cycle(make_app, tmp_path):
    app, warnings = build(make_app, tmp_path, {
        "index": home("a"),
        "a": page("a", parent="b", toctree=["b"]),
        "b": page("b", parent="a"),
    })
    assert_fails_with(app, warnings, (
        "a.md:6: WARNING: following 'parent' from 'a' leads back to it; a page cannot be its own ancestor: "
        "change one page's parent [menu.cycle]"
    ))


# -- Toctrees mirror the menu -------------------------------------------------------------------


def test_page_in_the_wrong_toctree(make_app, tmp_path):
    app, warnings = build(make_app, tmp_path, {
        "index": home("Section <section/index>", "Child <section/child>"),
        "section/index": page("section", name="Section"),
        "section/child": page("child", name="Child", parent="section"),
    })
    assert_fails_with(app, warnings, (
        "section/child.md:7: WARNING: the menu puts this page under 'section' (section/index.md), but that "
        "page's toctree does not list it; add 'Child <child>' to it [menu.toctree]"
    ))
    assert_fails_with(app, warnings, (
        "index.md:11: WARNING: the toctree lists section/child.md, whose menu parent is 'section' "
        "(section/index.md); move the entry to that page's toctree or change the page's 'parent' [menu.toctree]"
    ))


def test_page_in_no_toctree(make_app, tmp_path):
    app, warnings = build(make_app, tmp_path, {
        "index": home(),
        "lost": page("lost", name="Lost"),
    })
    assert_fails_with(app, warnings, (
        "lost.md:5: WARNING: the menu puts this page under 'the landing page' (index.md), but that page's "
        "toctree does not list it; add 'Lost <lost>' to it [menu.toctree]"
    ))


def test_page_listed_twice(make_app, tmp_path):
    app, warnings = build(make_app, tmp_path, {
        "index": home("X <x>", "X <x>"),
        "x": page("x", name="X"),
    })
    assert app.statuscode == 1
    assert any(w.startswith("index.md:11: WARNING: the toctree lists x.md a second time; keep one entry") for w in warnings), warnings


def test_siblings_out_of_weight_order(make_app, tmp_path):
    app, warnings = build(make_app, tmp_path, {
        "index": home("Section <section/index>"),
        "section/index": page("imaging_data", name="Section", toctree=["B <b>", "A <a>"]),
        "section/a": page("a", name="A", parent="imaging_data", weight=20),
        "section/b": page("b", name="B", parent="imaging_data", weight=30),
    })
    assert_fails_with(app, warnings, (
        "section/a.md:8: WARNING: parent 'imaging_data' lists this page's siblings in the order b, a; weight 20 "
        "puts it before b (weight 30): reorder the toctree in section/index.md to a, b, or change the weights "
        "[menu.order]"
    ))


def test_toctree_label_differs_from_menu_name(make_app, tmp_path):
    app, warnings = build(make_app, tmp_path, {
        "index": home("x"),
        "x": page("x", title="A long page title", name="Short name"),
    })
    assert_fails_with(app, warnings, (
        "index.md:11: WARNING: the toctree shows x.md as 'A long page title', not its menu name; write the entry "
        "as 'Short name <x>' [menu.label]"
    ))


def test_warnings_can_be_suppressed_by_type(make_app, tmp_path):
    (tmp_path / "conf.py").write_text(CONF + 'suppress_warnings = ["menu.label"]\n')
    (tmp_path / "index.md").write_text(home("x"))
    (tmp_path / "x.md").write_text(page("x", title="Title", name="Name"))
    app = make_app("html", srcdir=tmp_path, freshenv=True)
    app.build(force_all=True)
    assert "menu" not in strip_colors(app.warning.getvalue())


# -- The real site ------------------------------------------------------------------------------


def test_real_site_keeps_the_contract(html_build):
    assert not [w for w in html_build.warnings if "[menu." in w]
    identifiers = [
        menu.parse_menu(str(path), path.read_text(encoding="utf-8")).identifier
        for path in [ROOT / "index.md", *sorted((ROOT / "docs").rglob("*.md"))]
    ]
    assert len(identifiers) == len(set(identifiers))


def move_in_front_matter(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("page", "change", "message"),
    [
        (
            "docs/data_types/imaging_data/services.md", ("weight: 30", "weight: 5"),
            "services.md:9: WARNING: parent 'imaging_data' lists this page's siblings in the order "
            "imaging_data_data, imaging_data_guidelines, imaging_data_services; weight 5 puts it before "
            "imaging_data_data",
        ),
        (
            "docs/data_types/imaging_data/index.md", ("parent: data_types", "parent: home"),
            "imaging_data/index.md:8: WARNING: the menu puts this page under 'home' (index.md), but that page's "
            "toctree does not list it; add 'Imaging data <docs/data_types/imaging_data/index>' to it",
        ),
    ],
    ids=["weight", "parent"],
)
def test_moving_a_real_page_without_its_toctree_fails_make_html(tmp_path, page, change, message):
    project = copy_project(tmp_path / "project")
    move_in_front_matter(project / page, *change)
    result = make(project, "html")
    assert result.returncode != 0
    assert message in result.stderr, result.stderr


def test_child_pages_hang_from_the_page_not_its_last_section(make_app, tmp_path):
    parent = page("section", name="Section") + "\n## A section of the page\n\nText.\n\n```{toctree}\nChild <child>\n```\n"
    app, warnings = build(make_app, tmp_path, {
        "index": home("Section <section>"),
        "section": parent,
        "child": page("child", name="Child", parent="section"),
    })
    assert warnings == []
    sidebar = (app.outdir / "child.html").read_text()
    assert '<li class="toctree-l2 current"><a class="current reference internal" href="#">Child</a>' in sidebar
    assert '<li class="toctree-l2"><a class="reference internal" href="section.html#a-section-of-the-page">' in sidebar
