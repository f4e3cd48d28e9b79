"""The sidebar's menu, built once per build instead of once per page (issue 16).

The theme shows the whole menu on every page (``collapse_navigation: False``,
``navigation_depth: 4``): its template calls ``toctree()``, and Sphinx answers each call by copying
and resolving every toctree of the site and rendering the result, so a clean build does work in the
square of the number of pages. With ``collapse_navigation`` off, the menu is the same tree on every
page; only two things differ from page to page, and this extension redoes only those:

- the links are relative to the page's folder, and the page's own entries link to ``#`` (or to
  ``#section``);
- the page and its ancestors carry the class ``current`` on their ``li``, ``a`` and ``ul`` (the
  theme's highlighting and the expanded branch, without JavaScript).

On ``html-page-context`` it wraps the template's ``toctree`` helper. The first call of a build asks
Sphinx (``global_toctree_for_doc``) for the whole menu, once, with a marker in place of every link
and every class ``current`` could go, renders it once with the builder's own writer, and keeps the
HTML in pieces. Each page's menu is then those pieces joined with the page's links (one set per
output folder) and its ``current`` classes: the same bytes that Sphinx would have written, at a cost
that grows with the size of the menu, not with the size of the menu times the number of pages.

Any call it cannot answer exactly (collapsed navigation, another depth rule, a page with
``tocdepth`` metadata, a builder with other addresses than ``page.html``, another extension's
``toctree``, such as the 404 page's) goes to Sphinx as before. ``-D sidebar_once=0`` turns it off;
bench/sidebar_identity.py builds the site both ways and compares every page.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment.adapters.toctree import global_toctree_for_doc
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

logger = logging.getLogger(__name__)

# Private-use characters: in no page title, anchor or address, and left alone by the HTML writer.
OPEN, CLOSE = "\ue000", "\ue001"
PLACEHOLDER = OPEN + "page" + CLOSE  # the "page" the shared menu is built for: no entry is current
MARKER = re.compile(OPEN + r"([ch])(\d+)" + CLOSE)
HTML_SPECIAL = {ord("&"): "&amp;", ord("<"): "&lt;", ord('"'): "&quot;", ord(">"): "&gt;", ord("@"): "&#64;"}
KNOWN_ARGUMENTS = {"collapse", "includehidden", "titles_only", "maxdepth"}


class _Links:
    """Stands in for the builder while Sphinx resolves the menu: every relative link it asks for
    becomes a marker, and the page it points to is noted."""

    def __init__(self, builder: Builder):
        self._builder = builder
        self.targets: list[str] = []

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        self.targets.append(to)
        return f"{OPEN}h{len(self.targets) - 1}{CLOSE}"

    def __getattr__(self, name: str) -> Any:
        return getattr(self._builder, name)


class SharedMenu:
    """The menu of one build and one set of toctree() arguments, in pieces."""

    def __init__(self, builder: StandaloneHTMLBuilder, fragment: str, targets: list[str], anchors: list[str],
                 chains: dict[str, list[int]]):
        self.builder = builder
        self.pieces: list[str] = []  # literal HTML around the slots, one more than the slots
        self.slots: list[tuple[str, int]] = []  # ("h", link number) or ("c", class number)
        self.current: dict[int, tuple[str, str]] = {}  # class number: (attribute without, with current)
        position = 0
        for match in MARKER.finditer(fragment):
            kind, number = match.group(1), int(match.group(2))
            if kind == "h":
                start, end = match.span()
            else:
                start = fragment.rfind(' class="', 0, match.start())
                end = fragment.find('"', match.end()) + 1
                value = fragment[start + len(' class="'):end - 1]
                tokens = value.split(" ")
                if start < position or '"' in value or "<" in value or tokens.count(match.group(0)) != 1:
                    raise ValueError(f"marker {match.group(0)!r} is not one class of one attribute")
                plain = [token for token in tokens if token != match.group(0)]
                with_current = ["current" if token == match.group(0) else token for token in tokens]
                self.current[number] = (f' class="{" ".join(plain)}"' if plain else "",
                                        f' class="{" ".join(with_current)}"')
            if start < position:
                raise ValueError("overlapping markers")
            self.pieces.append(fragment[position:start])
            self.slots.append((kind, number))
            position = end
        self.pieces.append(fragment[position:])
        if OPEN in "".join(self.pieces) or CLOSE in "".join(self.pieces):
            raise ValueError("a marker was left in the menu")
        self.targets, self.anchors = targets, anchors
        slot_of = {slot: index for index, slot in enumerate(self.slots)}
        # The slots each page changes: its own links, and the classes of its chain of ancestors.
        self.own_links: dict[str, list[int]] = {}
        for number, target in enumerate(targets):
            if ("h", number) in slot_of:
                self.own_links.setdefault(target, []).append(slot_of["h", number])
        self.chain_slots = {page: [slot_of["c", number] for number in numbers if ("c", number) in slot_of]
                            for page, numbers in chains.items()}
        self.folders: dict[str, tuple[str, list[int], list[int]]] = {}

    def folder(self, pagename: str) -> tuple[str, list[int], list[int]]:
        """The menu as every page of *pagename*'s folder but that page itself sees it, and where
        each slot starts and ends in it."""
        base = self.builder.get_target_uri(pagename).rpartition("/")[0]
        if base not in self.folders:
            stand_in = posixpath.join(base, PLACEHOLDER)  # a page of that folder that no entry names
            links: dict[str, str] = {}
            parts, starts, ends, length = [], [], [], 0
            for piece, (kind, number) in zip(self.pieces, self.slots):
                if kind == "h":
                    target = self.targets[number]
                    if target not in links:
                        address = relative_uri(stand_in, self.builder.get_target_uri(target))
                        links[target] = address.translate(HTML_SPECIAL)
                    value = links[target]
                else:
                    value = self.current[number][0]
                parts += (piece, value)
                length += len(piece)
                starts.append(length)
                length += len(value)
                ends.append(length)
            parts.append(self.pieces[-1])
            self.folders[base] = ("".join(parts), starts, ends)
        return self.folders[base]

    def render(self, pagename: str) -> str:
        html, starts, ends = self.folder(pagename)
        edits = {}
        for slot in self.own_links.get(pagename, ()):
            number = self.slots[slot][1]
            own = self.builder.get_relative_uri(pagename, pagename) + self.anchors[number]
            edits[slot] = "" if own else "#"  # the writer writes an empty address as '#'
        for slot in self.chain_slots.get(pagename, ()):
            edits[slot] = self.current[self.slots[slot][1]][1]
        if not edits:
            return html
        out, position = [], 0
        for slot in sorted(edits):
            out += (html[position:starts[slot]], edits[slot])
            position = ends[slot]
        out.append(html[position:])
        return "".join(out)


def build_menu(builder: StandaloneHTMLBuilder, arguments: dict[str, Any]) -> SharedMenu | None:
    """Resolve the whole menu once, unpruned, mark it, prune it as Sphinx would, render it once."""
    env = builder.env
    maxdepth = arguments["maxdepth"]
    links = _Links(builder)
    tree = global_toctree_for_doc(
        env, PLACEHOLDER, links, tags=builder.tags, collapse=False, maxdepth=10**6,
        includehidden=arguments["includehidden"], titles_only=arguments["titles_only"],
    )
    if tree is None:
        return None
    targets, chains = links.targets, {}
    marked: dict[int, tuple[nodes.Element, int]] = {}  # id(node): (node, class number)
    first_list = next((child for child in tree.children if isinstance(child, nodes.bullet_list)), None)
    references = [ref for ref in tree.findall(nodes.reference) if ref.get("refuri", "").startswith(OPEN)]
    anchors = [""] * len(targets)
    for ref in references:
        number = int(MARKER.match(ref["refuri"]).group(2))
        anchors[number] = ref.get("anchorname", "")
        if ref.get("anchorname"):
            continue
        # Sphinx marks the entry and every node above it, up to the top of the entry's toctree:
        # the tree's root belongs to the first toctree only (the others are merged into it).
        chain, node = [], ref
        while node is not None and node is not tree:
            chain.append(node)
            top = node
            node = node.parent
        if top is first_list:
            chain.append(tree)
        numbers = chains.setdefault(targets[number], [])
        for node in chain:
            if id(node) not in marked:
                marked[id(node)] = (node, len(marked))
            numbers.append(marked[id(node)][1])
    prune(tree, 0, maxdepth)
    for node, number in marked.values():
        node["classes"].append(f"{OPEN}c{number}{CLOSE}")
    fragment = builder.render_partial(tree)["fragment"]
    return SharedMenu(builder, fragment, targets, anchors, chains)


def prune(node: nodes.Element, depth: int, maxdepth: int) -> None:
    """Drop the lists nested deeper than *maxdepth*, as Sphinx's _toctree_copy does (the
    outermost list is always kept)."""
    for child in list(node.children):
        if isinstance(child, nodes.bullet_list):
            if depth + 1 > 1 and depth + 1 > maxdepth:
                node.remove(child)
            else:
                prune(child, depth + 1, maxdepth)
        elif isinstance(child, (nodes.list_item, nodes.paragraph)):
            prune(child, depth, maxdepth)


def usable(builder: Builder) -> bool:
    """Builders whose pages are page.html, with Sphinx's relative links between them."""
    return (
        isinstance(builder, StandaloneHTMLBuilder)
        and builder.name == "html"
        and type(builder).get_target_uri is StandaloneHTMLBuilder.get_target_uri
        and type(builder).get_relative_uri is Builder.get_relative_uri
        and type(builder)._get_local_toctree is StandaloneHTMLBuilder._get_local_toctree
    )


def reset(app: Sphinx, *args: Any) -> None:
    app.builder._sidebar_once = {}


def share_menu(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """On html-page-context: answer the template's toctree() from the build's shared menu."""
    original = context.get("toctree")
    if (
        not app.config.sidebar_once
        or not usable(app.builder)
        or not callable(original)
        or not getattr(original, "__qualname__", "").startswith("StandaloneHTMLBuilder.handle_page.")
    ):
        return
    builder = app.builder

    def toctree(**kwargs: Any) -> str:
        arguments = {"collapse": True, "includehidden": False, "titles_only": False, "maxdepth": 0, **kwargs}
        maxdepth = arguments["maxdepth"]
        if (
            set(kwargs) - KNOWN_ARGUMENTS
            or arguments["collapse"]
            or isinstance(maxdepth, bool) or not isinstance(maxdepth, int) or maxdepth <= 0
        ):
            return original(**kwargs)
        key = (bool(arguments["includehidden"]), bool(arguments["titles_only"]), maxdepth)
        menus = builder.__dict__.setdefault("_sidebar_once", {})
        if key not in menus:
            if any("tocdepth" in metadata for metadata in builder.env.metadata.values()):
                # A page's own depth makes its entries deeper on the pages below it: page by page.
                menus[key] = False
            else:
                try:
                    menus[key] = build_menu(builder, arguments)
                except ValueError as error:  # the writer did something unforeseen: Sphinx's way
                    logger.info("sidebar_once: rendering the menu page by page (%s)", error)
                    menus[key] = False
        menu = menus[key]
        if menu is False:
            return original(**kwargs)
        return "" if menu is None else menu.render(pagename)

    context["toctree"] = toctree


def setup(app: Sphinx) -> dict:
    app.add_config_value("sidebar_once", True, "", types=frozenset({bool}))
    app.connect("write-started", reset)
    app.connect("html-page-context", share_menu, priority=900)  # after any other extension's
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
