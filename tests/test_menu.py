"""The menu contract (_ext/imaging_guidelines/menu.py): every breach of it fails the build with a
precise message.

tests/roots/test-menu/ is a site that keeps the contract: a home page, a section and two pages.
Each breach is a small site of its own, built on that root's configuration with Sphinx's test
fixtures; each test checks the exact warning (file, line, what to change) and that the build fails
with warnings as errors. The real site's menu: tests/test_content.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import warnings_of

pytestmark = pytest.mark.quick  # make check


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


def build(make_app, rootdir: Path, tmp_path: Path, pages: dict[str, str], conf: str = "", builder: str = "dummy"):
    """Build *pages* ({docname: markdown}) on test-menu's configuration (and *conf*), with warnings
    as errors; return (app, warnings). The contract is checked while the pages are read: the dummy
    builder writes nothing, the html builder shows the menu."""
    shutil.copy(rootdir / "test-menu" / "conf.py", tmp_path / "conf.py")
    with (tmp_path / "conf.py").open("a") as conf_py:
        conf_py.write(conf)
    for docname, text in pages.items():
        path = tmp_path / f"{docname}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    app = make_app(builder, srcdir=tmp_path, freshenv=True, warningiserror=True)
    app.build(force_all=True)
    return app, warnings_of(app)


@pytest.fixture
def site(make_app, rootdir, tmp_path):
    return lambda pages, conf="", builder="dummy": build(make_app, rootdir, tmp_path, pages, conf, builder)


def home(*toctree: str) -> str:
    return page("home", title="Home", weight=1, toctree=toctree)


def assert_fails_with(app, warnings, expected: str):
    assert app.statuscode == 1, "the build should fail"
    assert expected in warnings, "\n".join(warnings)


# -- A site that keeps the contract -------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="menu", freshenv=True, warningiserror=True)
def test_valid_site_builds_cleanly(app):
    app.build(force_all=True)
    assert warnings_of(app) == []
    assert app.statuscode == 0
    # The menu names, not the page titles, in the breadcrumbs and the previous/next links.
    page_a = (app.outdir / "section" / "a.html").read_text()
    assert '<a href="index.html">Section</a>' in page_a
    assert 'title="Second"' in page_a or ">Second<" in page_a


def test_pre_and_post_keys_are_allowed(site):
    app, warnings = site({
        "index": home("Section <section>"),
        "section": page("section", name="Section", extra='        pre: "<i class=\'icon\'></i>"\n        post: new\n'),
    })
    assert warnings == []


def test_without_a_name_the_page_title_is_the_label(site):
    app, warnings = site({
        "index": home("section"),
        "section": page("section", title="Section title"),
    })
    assert warnings == []


def test_equal_weights_fail(site):
    """The portal orders siblings of equal weight by name, Sphinx by the toctree: a tie is a fault."""
    pages = {
        "index": home("Alpha <a>", "Beta <b>"),
        "a": page("a", title="Alpha", name="Alpha", weight=10),
        "b": page("b", title="Beta", name="Beta", weight=10),
    }
    app, warnings = site(pages)
    assert_fails_with(app, warnings, (
        "b.md:7: WARNING: weight 10 is also the weight of its sibling a.md; siblings are ordered by weight, so "
        "give each its own: change one of them [menu.order]"
    ))


# -- Malformed front matter: a clear message, never a traceback ---------------------------------


def test_page_without_front_matter(site):
    app, warnings = site({"index": home("plain"), "plain": "# Plain\n\nNo front matter.\n"})
    assert app.statuscode == 1
    assert warnings[0].startswith("plain.md:1: WARNING: the page has no front matter; start the page with:")


def test_invalid_yaml(site):
    bad = page(front="title: Broken\nmenu:\n    main:\n        identifier: broken\n       weight: [10\n")
    app, warnings = site({"index": home("broken"), "broken": bad})
    assert app.statuscode == 1
    assert any(w.startswith("broken.md:6: WARNING: the front matter: not valid YAML") and w.endswith("[menu.frontmatter]") for w in warnings), warnings


def test_menu_not_a_mapping(site):
    app, warnings = site({"index": home("x"), "x": page(front="title: X\nmenu: main\n")})
    assert_fails_with(app, warnings, (
        "x.md:3: WARNING: the front matter: 'main' is not of type 'object' (menu); write 'menu:' then '    main:' on "
        "the next line, with the page's identifier, name, parent and weight below it [menu.frontmatter]"
    ))


def test_weight_not_a_number(site):
    bad = page("x", weight="ten")
    app, warnings = site({"index": home("x"), "x": bad})
    assert_fails_with(app, warnings, (
        "x.md:6: WARNING: the front matter: 'ten' is not of type 'integer' (menu/main/weight); write a whole number, "
        "e.g. 'weight: 10' [menu.frontmatter]"
    ))


def test_missing_identifier(site):
    app, warnings = site({"index": home("x"), "x": page(None, name="X")})
    assert_fails_with(app, warnings, (
        "x.md:4: WARNING: the front matter: 'identifier' is a required property (menu/main); add 'identifier: "
        "some_unique_name' (letters, digits, '_') to menu.main [menu.frontmatter]"
    ))


def test_missing_menu(site):
    app, warnings = site({"index": home("x"), "x": page(front="title: X\n")})
    assert app.statuscode == 1
    assert warnings[0].startswith("x.md:2: WARNING: the front matter: 'menu' is a required property; start the page with:")


# -- Identifiers and parents --------------------------------------------------------------------


def test_duplicate_identifier(site):
    app, warnings = site({
        "index": home("A <a>", "B <b>"),
        "a": page("same", name="A", weight=10),
        "b": page("same", name="B", weight=20),
    })
    assert_fails_with(app, warnings, (
        "b.md:5: WARNING: identifier 'same' is already used by a.md; identifiers must be unique: rename one of them "
        "(and the 'parent' of their children) [menu.identifier]"
    ))


def test_unknown_parent(site):
    app, warnings = site({
        "index": home("x"),
        "x": page("x", parent="imaging_dta"),
    })
    assert_fails_with(app, warnings, (
        "x.md:6: WARNING: parent 'imaging_dta' is not the identifier of any page; use one of: home, x [menu.parent]"
    ))


def test_landing_page_has_no_parent(site):
    app, warnings = site({"index": page("home", parent="x", toctree=["x"]), "x": page("x", parent="home")})
    assert_fails_with(app, warnings, (
        "index.md:6: WARNING: the landing page cannot have a parent; remove 'parent' from its menu.main [menu.parent]"
    ))


def test_parent_cycle(site):
    app, warnings = site({
        "index": home("a"),
        "a": page("a", parent="b", toctree=["b"]),
        "b": page("b", parent="a"),
    })
    assert_fails_with(app, warnings, (
        "a.md:6: WARNING: following 'parent' from 'a' leads back to it; a page cannot be its own ancestor: "
        "change one page's parent [menu.cycle]"
    ))


# -- Toctrees mirror the menu -------------------------------------------------------------------


def test_page_in_the_wrong_toctree(site):
    app, warnings = site({
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


def test_page_in_no_toctree(site):
    app, warnings = site({
        "index": home(),
        "lost": page("lost", name="Lost"),
    })
    assert_fails_with(app, warnings, (
        "lost.md:5: WARNING: the menu puts this page under 'the landing page' (index.md), but that page's "
        "toctree does not list it; add 'Lost <lost>' to it [menu.toctree]"
    ))


def test_page_listed_twice(site):
    app, warnings = site({
        "index": home("X <x>", "X <x>"),
        "x": page("x", name="X"),
    })
    assert app.statuscode == 1
    assert any(w.startswith("index.md:11: WARNING: the toctree lists x.md a second time; keep one entry") for w in warnings), warnings


def test_siblings_out_of_weight_order(site):
    app, warnings = site({
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


def test_toctree_label_differs_from_menu_name(site):
    app, warnings = site({
        "index": home("x"),
        "x": page("x", title="A long page title", name="Short name"),
    })
    assert_fails_with(app, warnings, (
        "index.md:11: WARNING: the toctree shows x.md as 'A long page title', not its menu name; write the entry "
        "as 'Short name <x>' [menu.label]"
    ))


def test_warnings_can_be_suppressed_by_type(site):
    app, warnings = site({"index": home("x"), "x": page("x", title="Title", name="Name")},
                         conf='suppress_warnings = ["menu.label"]\n')
    assert not [w for w in warnings if "[menu." in w]


def test_child_pages_hang_from_the_page_not_its_last_section(site):
    parent = page("section", name="Section") + "\n## A section of the page\n\nText.\n\n```{toctree}\nChild <child>\n```\n"
    app, warnings = site({
        "index": home("Section <section>"),
        "section": parent,
        "child": page("child", name="Child", parent="section"),
    }, builder="html")
    assert warnings == []
    sidebar = (app.outdir / "child.html").read_text()
    assert '<li class="toctree-l2 current"><a class="current reference internal" href="#">Child</a>' in sidebar
    assert '<li class="toctree-l2"><a class="reference internal" href="section.html#a-section-of-the-page">' in sidebar
