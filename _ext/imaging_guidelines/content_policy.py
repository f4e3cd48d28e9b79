"""What a page may contain, refused where the writer wrote it (warning type ``content``): the file,
the line and the fix; what is refused never reaches the output, even with ``--keep-going``.

- **By construction**, what the pages do not use: raw HTML, files read into a page (``include``,
  ``literalinclude``, ``csv-table``) and math (MathJax would load from a CDN): these directives and
  the ``math`` role say so instead; any raw node is taken out; no sources are published.
- **Links**: ``https:``, ``mailto:`` or relative, read as a browser reads them (WHATWG, ada-url:
  a control character or a tab does not hide a ``javascript:``); no user name or password; no
  placeholders; no page of this site by its full address (``content_policy_site``'s host), which would
  take a reader of the Swedish edition, the PDF or the EPUB to the English web page. (An
  accession's link is made from the repository data, never written in a page.)
- **Images and downloads** are files of the repository, never loaded from another host (which
  would learn who reads which page). (conf.py is code, reviewed as code; tests/test_browser.py
  fails on any request a built page makes to another host.)
- **Sources**: a page that links to a file outside the repository, or is not UTF-8, is not read.
"""

from __future__ import annotations

import re
from pathlib import Path

from ada_url import URL
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from imaging_guidelines import BEFORE_COLLECTORS

logger = logging.getLogger(__name__)

WARNING_TYPE = "content"
LINK_SCHEMES = {"https", "mailto"}
MYST_SCHEMES = {"inv", "path", "project"}  # MyST's own link forms, resolved inside the build
PLACEHOLDER = re.compile(
    r"^(https?://)?(www\.)?(example\.(com|org|net)|localhost|127\.0\.0\.1)([:/]|$)|\b(TODO|TBD|FIXME|XXX)\b",
    re.IGNORECASE,
)
# A page of this site, for reading a link as a browser would there: a relative link stays on it.
SITE_HOST = "imaging-data-guidelines.invalid"
SITE = f"https://{SITE_HOST}/docs/page.html"
C0_CONTROL_OR_SPACE = "".join(map(chr, range(0x21)))  # what the WHATWG URL parser trims from the ends
# What the pages do not use, and what to write instead.
REFUSED = {
    "raw": "raw HTML is not allowed in a page: write it in Markdown (a table, a list, a link, an image)",
    "include": "a page cannot read another file into itself: copy the text into the page, or link the page",
    "math": "math makes the page load MathJax from another host (a CDN): write the formula as text or as an "
            "image next to the page",
}
REFUSED_DIRECTIVES = {"raw": "raw", "include": "include", "literalinclude": "include", "csv-table": "include",
                      "math": "math"}


def refuse(message: str, location, subtype: str) -> None:
    logger.warning(message, location=location, type=WARNING_TYPE, subtype=subtype)


# -- Links ---------------------------------------------------------------------------------------


def browser_view(url: str) -> URL | None:
    """*url* as a browser reads it on one of this site's pages, or None if it reads no address there.
    The WHATWG URL parser (ada-url) first drops what browsers drop (control characters and spaces
    at either end, tabs and newlines anywhere), so "\\x01javascript:…" is seen as javascript:."""
    try:
        return URL(url, SITE)
    except ValueError:
        return None


def leaves_the_site(url: str) -> bool:
    """True when a browser would fetch *url* from anywhere but this site (another host, data:)."""
    seen = browser_view(url)
    return seen is not None and seen.host != SITE_HOST


def problem_with_link(url: str, own_host: str | None = None) -> str | None:
    """What is wrong with a link a reader follows, or None; *own_host* is this site's host."""
    if not url.strip(C0_CONTROL_OR_SPACE):
        return "an empty link target: put the page, heading or URL there"
    seen = browser_view(url)
    if seen is None:
        return f"the link target {url!r} is not an address a browser can follow: write the page, heading or https:// URL"
    written = url.strip(C0_CONTROL_OR_SPACE)
    shown = written if written.isprintable() else seen.href  # what the writer wrote, unless it hides something
    scheme = seen.protocol.removesuffix(":")
    if PLACEHOLDER.search(shown):
        return f"the link target {shown!r} is a placeholder: link the real page"
    if seen.username or seen.password:
        return f"the address {shown} carries a user name or password: remove it (and change that password)"
    if scheme == "http":
        return f"insecure link {shown}: link https://{shown.split('://', 1)[-1]} instead"
    if scheme not in LINK_SCHEMES:
        return f"the link {shown!r} is not https: or mailto:; link the page on https"
    if own_host and seen.hostname == own_host:
        return (f"the link {shown} is a page of this site by its full address, which leads readers of the Swedish "
                "edition, the PDF and the EPUB to the English web page: link the page's file, e.g. "
                "[text](../other-page.md#heading)")
    return None


# -- The page as read ------------------------------------------------------------------------------


def check_page(app: Sphinx, doctree: nodes.document) -> None:
    """On doctree-read, before Sphinx collects the page's images and downloads: links, images,
    downloads and raw nodes, each refused at its line and taken out of the page."""
    own_host = URL(app.config.content_policy_site).hostname if app.config.content_policy_site else None
    for reference in list(doctree.findall(nodes.reference)):
        problem = problem_with_link(reference["refuri"], own_host) if "refuri" in reference else None
        if problem:
            refuse(problem, reference, "link")
            reference.replace_self(nodes.Text(reference.astext()))
    for xref in list(doctree.findall(addnodes.pending_xref)):
        target = xref.get("reftarget", "").strip()
        if xref.get("reftype") != "myst":
            continue
        if target in ("", "#"):
            refuse(f"the link '{xref.astext()}' has an empty target: put the page, heading or URL between the "
                   "parentheses, e.g. [text](other-page.md) or [text](https://…)", xref, "link")
        elif URL.can_parse(target) and browser_view(target).protocol.rstrip(":") not in MYST_SCHEMES:
            # MyST reads only a plain lower-case scheme as a URL; a browser also reads HTTP:// or
            # "java<tab>script:" as one. Either way, a broken cross-reference: say why.
            refuse(problem_with_link(target) or f"the link {target} has its scheme in capitals: write it in lower case",
                   xref, "link")
            xref.replace_self(nodes.Text(xref.astext()))
    for image in list(doctree.findall(nodes.image)):
        uri = image["uri"]
        if leaves_the_site(uri):
            refuse(f"the image {uri} is loaded from another host, which then learns who reads the page: save a copy "
                   "next to the page (or under _static/) and use that", image, "image")
            image.parent.remove(image)
        elif outside_repository(app.srcdir, file_named(app, uri.replace("*", "x"))):
            refuse(f"the image {uri} lies outside the repository: copy it next to the page", image, "file")
            image.parent.remove(image)
    for download in list(doctree.findall(addnodes.download_reference)):
        target = download.get("reftarget", "")
        if not leaves_the_site(target) and outside_repository(app.srcdir, file_named(app, target)):
            refuse(f"the download {target} lies outside the repository: copy it next to the page", download, "file")
            download.replace_self(nodes.Text(download.astext()))
    refused_lines = set()
    for raw in list(doctree.findall(nodes.raw)):  # MyST's HTML, or another extension's raw output
        if (raw.source, raw.line) not in refused_lines:  # "<span …>" and "</span>": one message
            refuse(REFUSED["raw"], raw, "raw-html")
            refused_lines.add((raw.source, raw.line))
        raw.parent.remove(raw)


def file_named(app: Sphinx, path: str) -> str:
    """The file that a path written in the page being read names, as Sphinx resolves it."""
    return app.env.relfn2path(path, app.env.current_document.docname)[1]


def outside_repository(srcdir: str | Path, path: str | Path) -> bool:
    """True when *path*, its symlinks resolved, is not inside the repository (the source folder)."""
    return not Path(path).resolve().is_relative_to(Path(srcdir).resolve())


class Refused(SphinxDirective):
    """Stands in for a directive the pages do not use: says why and what to write instead."""

    has_content = True
    optional_arguments = 100
    final_argument_whitespace = True
    option_spec = None  # any option: it is refused anyway

    def run(self) -> list[nodes.Node]:
        kind = REFUSED_DIRECTIVES[self.name]
        refuse(f"the {self.name} directive is not available here: {REFUSED[kind]}", self.get_location(), kind)
        return []


class RefusedMath(SphinxRole):
    """Stands in for the math role: the formula stays as code."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        refuse(REFUSED["math"], self.get_location(), "math")
        return [nodes.literal(self.rawtext, self.text)], []


# -- The pages themselves ------------------------------------------------------------------------


def check_sources(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """On env-before-read-docs: a page that is a link to a file outside the repository would
    publish that file, and Sphinx stops with a traceback on a source that is not UTF-8. Say which
    file (and line, and byte) instead, and leave the page out."""
    for docname in list(docnames):
        path = Path(env.doc2path(docname))
        problem = None
        if outside_repository(env.srcdir, path):
            problem = (f"the page is a link to {path.resolve()}, outside the repository: put the page itself in the "
                       "repository", f"{path}:1", "file")
        else:
            data = path.read_bytes()
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as error:
                line = data[: error.start].count(b"\n") + 1
                problem = (f"the file is not UTF-8 text (byte 0x{data[error.start]:02x} on this line cannot be read): "
                           "save it as UTF-8 in your editor", f"{path}:{line}", "encoding")
        if problem:
            refuse(*problem)
            docnames.remove(docname)  # not read, so never written
            env.project.docnames.discard(docname)


def setup(app: Sphinx) -> dict:
    # The published site's address: the same on every build (html_baseurl is a preview's on one).
    app.add_config_value("content_policy_site", "", "env", str)
    for name in REFUSED_DIRECTIVES:
        app.add_directive(name, Refused, override=True)
    app.add_role("math", RefusedMath(), override=True)
    app.connect("env-before-read-docs", check_sources)
    app.connect("doctree-read", check_page, priority=BEFORE_COLLECTORS)
    return {"version": "3.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
