"""The portal's menu as a build-time contract. Every page keeps the Hugo portal's navigation in its
front matter, the single source of truth that the toctrees must mirror::

    menu:
        main:
            name: Guidelines for data producers   # label in the menu (optional)
            identifier: imaging_data_guidelines    # unique across the site
            parent: imaging_data                   # identifier of the parent page (none: top level)
            weight: 20                             # order among siblings, ascending, each its own

Wherever they disagree, a warning (type ``menu``) names the file and line and says what to change.
The menu names are shown where Sphinx would show titles: breadcrumbs, previous/next, PDF bookmarks.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from imaging_guidelines import BEFORE_COLLECTORS, checked_yaml
from imaging_guidelines.translations import translate

logger = logging.getLogger(__name__)

WARNING_TYPE = "menu"

FRONT_MATTER = json.loads(Path(__file__).with_name("front-matter.schema.json").read_text(encoding="utf-8"))


@dataclasses.dataclass
class MenuEntry:
    """One page's ``menu.main`` front matter, with the source line of each key for messages."""

    docname: str
    identifier: str
    title: str
    name: str | None = None
    parent: str | None = None
    weight: int = 0
    lines: dict[str, int] = dataclasses.field(default_factory=dict)

    def line(self, key: str) -> int:
        return self.lines.get(key, self.lines.get("identifier", 1))


@dataclasses.dataclass
class ToctreeEntry:
    docname: str
    title: str | None  # the explicit title in "Title <path>", or None
    line: int


class FrontMatterError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


# -- Reading ------------------------------------------------------------------------------------


def parse_menu(docname: str, text: str) -> MenuEntry:
    """Return the menu entry in the front matter of *text*, or raise FrontMatterError (the first
    problem: front-matter.schema.json says what each key must be, and the fix)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise FrontMatterError(1, f"the page has no front matter; {FRONT_MATTER['description']}")
    end = next((i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---"), None)
    if end is None:
        raise FrontMatterError(1, "the front matter has no closing '---' line; add one after it")
    data, tree, problems = checked_yaml.load("\n".join(lines[1:end]), FRONT_MATTER)
    if problems:
        line, problem = problems[0]
        raise FrontMatterError(line + 1, f"the front matter: {problem}")  # +1: the opening '---'
    main = data["menu"]["main"]
    keys = {key: checked_yaml.line_of(tree, ["menu", "main", key]) + 1 for key in main}
    return MenuEntry(docname, main["identifier"], str(data.get("title") or ""), main.get("name") or None,
                     main.get("parent") or None, main.get("weight", 0), keys)


def read_front_matter(app: Sphinx, docname: str, source: list[str]) -> None:
    """On source-read: store the page's menu entry, or report why it cannot be read."""
    entries: dict[str, MenuEntry] = app.env.menu_entries
    entries.pop(docname, None)
    try:
        entries[docname] = parse_menu(docname, source[0])
    except FrontMatterError as error:
        warn(f"{error}", docname, error.line, "frontmatter")


def hang_toctrees_from_the_page(app: Sphinx, doctree: nodes.document) -> None:
    """On doctree-read, before Sphinx collects the tables of contents: a toctree inside a
    subsection moves to the end of the page's top section, as the menu hangs child pages from the
    page, not from a section of it (in the sidebar and the PDF)."""
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None:
        return
    for toctree in list(doctree.findall(addnodes.toctree)):
        wrapper = toctree.parent
        if wrapper.parent is not top:
            wrapper.parent.remove(wrapper)
            top.append(wrapper)


def read_toctrees(app: Sphinx, doctree: nodes.document) -> None:
    """On doctree-read: store the documents listed by the page's toctrees, in order."""
    env = app.env
    docname = env.current_document.docname
    listed = []
    for toctree in doctree.findall(addnodes.toctree):
        line = toctree.parent.line or toctree.line or 1
        for title, ref in toctree["entries"]:
            if ref in env.found_docs:
                listed.append(ToctreeEntry(ref, title, line))
    env.menu_toctrees[docname] = listed


def init_env(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    if not hasattr(env, "menu_entries"):
        env.menu_entries = {}
        env.menu_toctrees = {}
        env.menu_labels = {}  # docname: the label the menu shows, in the build's language


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    for store in (getattr(env, "menu_entries", {}), getattr(env, "menu_toctrees", {})):
        store.pop(docname, None)


def merge_info(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    init_env(app, env, [])
    for store in ("menu_entries", "menu_toctrees"):
        getattr(env, store).update({name: page for name, page in getattr(other, store).items() if name in docnames})


# -- Checking -----------------------------------------------------------------------------------


def warn(message: str, docname: str, line: int, subtype: str) -> None:
    logger.warning(message, location=(docname, line), type=WARNING_TYPE, subtype=subtype)


def source_path(app: Sphinx, docname: str) -> str:
    return str(Path(app.env.doc2path(docname, False)))


def collect_menu_labels(app: Sphinx, env: BuildEnvironment) -> None:
    """On env-updated (which every builder runs, also one that reuses the saved environment, as
    Read the Docs' pdf and epub do): the label the menu shows for each page, in the build's
    language: its title in the toctree that lists it (translated with that page), the landing
    page's its menu name."""
    env.menu_labels = {listed.docname: listed.title for listed_pages in env.menu_toctrees.values()
                       for listed in listed_pages if listed.title}
    root = env.menu_entries.get(app.config.root_doc)
    if root and root.name:
        env.menu_labels[app.config.root_doc] = translate(app, app.config.root_doc, root.name)


def check_menu(app: Sphinx, env: BuildEnvironment) -> None:
    """On env-check-consistency: compare every page's front matter with the toctrees."""
    entries: dict[str, MenuEntry] = env.menu_entries
    root = app.config.root_doc

    by_identifier: dict[str, MenuEntry] = {}
    for docname, entry in sorted(entries.items()):
        if other := by_identifier.get(entry.identifier):
            warn(f"identifier '{entry.identifier}' is already used by {source_path(app, other.docname)}; identifiers "
                 "must be unique: rename one of them (and the 'parent' of their children)",
                 docname, entry.line("identifier"), "identifier")
        else:
            by_identifier[entry.identifier] = entry

    # Where each document is listed: {child: [(includer, toctree entry)]}.
    listings: dict[str, list[tuple[str, ToctreeEntry]]] = {}
    for includer in sorted(env.menu_toctrees):
        for listed in env.menu_toctrees[includer]:
            listings.setdefault(listed.docname, []).append((includer, listed))

    def parent_doc(entry: MenuEntry) -> str | None:
        """The document whose toctree must list *entry*: its parent's page, or the root."""
        if entry.parent is None:
            return root
        parent = by_identifier.get(entry.parent)
        return parent.docname if parent else None

    for docname, entry in sorted(entries.items()):
        if docname == root:
            if entry.parent:
                warn("the landing page cannot have a parent; remove 'parent' from its menu.main", docname, entry.line("parent"), "parent")
            continue
        if entry.parent is not None and entry.parent not in by_identifier:
            warn(f"parent '{entry.parent}' is not the identifier of any page; use one of: {', '.join(sorted(by_identifier))}",
                 docname, entry.line("parent"), "parent")
            continue
        if has_cycle(entry, by_identifier):
            warn(f"following 'parent' from '{entry.identifier}' leads back to it; a page cannot be its own ancestor: "
                 "change one page's parent", docname, entry.line("parent"), "cycle")
            continue
        expected, where = parent_doc(entry), listings.get(docname, [])
        title = env.titles[docname].astext() if docname in env.titles else entry.title
        label = entry.name or title
        in_parent = [listed for includer, listed in where if includer == expected]
        parent_file, parent_name = source_path(app, expected), entry.parent or "the landing page"
        toctree_line = f"{label} <{relative_ref(expected, docname)}>"
        if not in_parent:
            warn(f"the menu puts this page under '{parent_name}' ({parent_file}), but that page's toctree does not list "
                 f"it; add '{toctree_line}' to it", docname, entry.line("parent"), "toctree")
        elif len(in_parent) > 1:
            warn(f"the toctree lists {source_path(app, docname)} a second time; keep one entry", expected,
                 in_parent[1].line, "duplicate")
        for includer, listed in where:
            if includer != expected:
                warn(f"the toctree lists {source_path(app, docname)}, whose menu parent is '{parent_name}' ({parent_file}); "
                     "move the entry to that page's toctree or change the page's 'parent'", includer, listed.line, "toctree")
        shown = in_parent and (in_parent[0].title or title)
        if in_parent and shown != label and app.config.language in (None, "en"):  # a translation: its own words
            warn(f"the toctree shows {source_path(app, docname)} as '{shown}', not its menu name; write the entry as "
                 f"'{toctree_line}'", expected, in_parent[0].line, "label")

    check_sibling_order(app, env, entries, parent_doc)


def has_cycle(entry: MenuEntry, by_identifier: dict[str, MenuEntry]) -> bool:
    """True when following 'parent' from *entry* comes back to *entry*."""
    seen, current = set(), entry
    while current.parent in by_identifier and current.identifier not in seen:
        seen.add(current.identifier)
        current = by_identifier[current.parent]
        if current is entry:
            return True
    return False


def check_sibling_order(app: Sphinx, env: BuildEnvironment, entries: dict[str, MenuEntry], parent_doc) -> None:
    """Siblings have weights of their own (the portal orders a tie by name, Sphinx would keep the
    toctree's order) and are listed in ascending weight."""
    for includer in sorted(env.menu_toctrees):
        children = []
        for listed in env.menu_toctrees[includer]:
            child = entries.get(listed.docname)
            if child and child.docname != app.config.root_doc and parent_doc(child) == includer and child not in children:
                children.append(child)
        by_weight: dict[int, MenuEntry] = {}
        for child in sorted(children, key=lambda child: child.docname):
            if (first := by_weight.setdefault(child.weight, child)) is not child:
                warn(f"weight {child.weight} is also the weight of its sibling {source_path(app, first.docname)}; "
                     "siblings are ordered by weight, so give each its own: change one of them",
                     child.docname, child.line("weight"), "order")
        expected = sorted(children, key=lambda child: child.weight)
        if children == expected:
            continue
        position = next(i for i, (shown, wanted) in enumerate(zip(children, expected)) if shown != wanted)
        misplaced, displaced = expected[position], children[position]
        order = ", ".join(child.identifier for child in children)
        parent = entries[includer].identifier if includer in entries else includer
        warn(
            f"parent '{parent}' lists this page's siblings in the order {order}; weight {misplaced.weight} puts it "
            f"before {displaced.identifier} (weight {displaced.weight}): reorder the toctree in "
            f"{source_path(app, includer)} to {', '.join(child.identifier for child in expected)}, or change the weights",
            misplaced.docname, misplaced.line("weight"), "order",
        )


def relative_ref(from_doc: str, to_doc: str) -> str:
    """The toctree path of *to_doc* as written in *from_doc* (relative, without suffix)."""
    base = Path(from_doc).parent
    return str(Path(to_doc).relative_to(base)) if Path(to_doc).is_relative_to(base) else "/" + to_doc


# -- Showing menu names -------------------------------------------------------------------------


def mark_titles_with_menu_names(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """On doctree-resolved: mark each page's title with its menu name, for the PDF's table of
    bookmarks (the pdf extension). The pdf builder hands over one tree holding every page, each
    behind a start_of_file node that names it."""
    pages = [(doctree, docname)] + [(node, node["docname"]) for node in doctree.findall(addnodes.start_of_file)]
    for holder, page in pages:
        label = app.env.menu_labels.get(page)
        section = next(iter(holder.findall(nodes.section)), None)
        if label and section and isinstance(section[0], nodes.title) and section[0].astext() != label:
            section[0]["menu_name"] = label


def use_menu_names(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """On html-page-context: breadcrumbs and previous/next links read like the portal's menu."""
    env = app.env
    relations = getattr(app.builder, "relations", None) or env.collect_relations()
    parent, previous, following = relations.get(pagename, (None, None, None))
    for key, docname in (("prev", previous), ("next", following)):
        label = env.menu_labels.get(docname)
        if context.get(key) and label:
            context[key]["title"] = label
    ancestors = []
    while parent and parent != app.config.root_doc:
        ancestors.insert(0, parent)
        parent = relations.get(parent, (None,))[0]
    for crumb, docname in zip(context.get("parents", []), ancestors):
        crumb["title"] = env.menu_labels.get(docname) or crumb["title"]
    context["menu_name"] = env.menu_labels.get(pagename) or context.get("title")


def setup(app: Sphinx) -> dict:
    app.connect("env-before-read-docs", init_env)
    app.connect("source-read", read_front_matter)
    app.connect("doctree-read", hang_toctrees_from_the_page, priority=BEFORE_COLLECTORS)
    app.connect("doctree-read", read_toctrees)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-updated", collect_menu_labels)
    app.connect("env-check-consistency", check_menu)
    app.connect("html-page-context", use_menu_names)
    app.connect("doctree-resolved", mark_titles_with_menu_names)
    return {"version": "1.0", "env_version": 3, "parallel_read_safe": True, "parallel_write_safe": True}
