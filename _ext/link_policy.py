"""Links and resources as readers should get them.

Guidelines are trusted documents, so the build refuses (warning type ``links``; ``-W`` fails it):

- a hyperlink on ``http://``: readers get https, or a link a network can tamper with;
- an empty target (``[text]()``) or a placeholder (``example.com``, ``localhost``, ``TODO``…);
- anything loaded from another host: an image, or a script, stylesheet, font or frame in raw
  HTML or in ``html_js_files``/``html_css_files``. Each such request tells that host who reads
  which page, and breaks the page when the host is down; keep a copy under ``_static/``.

Each message names the file and line and says what to do instead.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from docutils.utils import get_source_line
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

logger = logging.getLogger(__name__)

WARNING_TYPE = "links"
PLACEHOLDER = re.compile(
    r"^(https?://)?(www\.)?(example\.(com|org|net)|localhost|127\.0\.0\.1)([:/]|$)|\b(TODO|TBD|FIXME|XXX)\b",
    re.IGNORECASE,
)
# A tag that makes the browser fetch something, pointing at another host ("//" or a scheme).
EXTERNAL_FETCH = re.compile(
    r"""<(script|link|img|iframe|frame|source|video|audio|track|embed|object|input)\b[^>]*?"""
    r"""\b(src|href|data|srcset|poster)\s*=\s*["']?\s*(https?:)?//"""
    r"""|@import\s+(url\()?\s*["']?\s*(https?:)?//|url\(\s*["']?\s*(https?:)?//""",
    re.IGNORECASE,
)


def is_remote(uri: str) -> bool:
    return uri.startswith("//") or re.match(r"^[a-z][a-z0-9+.-]*://", uri, re.IGNORECASE) is not None


def check_page(app: Sphinx, doctree: nodes.document) -> None:
    """On doctree-read: links on https, no placeholders, nothing fetched from another host."""
    for reference in doctree.findall(nodes.reference):
        uri = reference.get("refuri", "")
        if uri.startswith("http://"):
            warn(f"insecure link {uri}: link https://{uri[len('http://'):]} instead", reference, "insecure", uri)
        elif PLACEHOLDER.search(uri):
            warn(f"the link target {uri!r} is a placeholder: link the real page", reference, "placeholder", uri)
    for xref in doctree.findall(addnodes.pending_xref):
        if xref.get("reftype") == "myst" and xref.get("reftarget", "").strip() in ("", "#"):
            warn(
                f"the link '{xref.astext()}' has an empty target: put the page, heading or URL between the "
                "parentheses, e.g. [text](other-page.md) or [text](https://…)",
                xref, "empty", f"[{xref.astext()}]",
            )
    for image in doctree.findall(nodes.image):
        if is_remote(image["uri"]):
            warn(
                f"the image {image['uri']} is loaded from another host, which then learns who reads the page: "
                "save a copy next to the page (or under _static/) and use that",
                image, "external-resource", image["uri"],
            )
    for raw in doctree.findall(nodes.raw):
        found = EXTERNAL_FETCH.search(raw.astext())
        if "html" in raw.get("format", "").split() and found:
            warn(
                f"raw HTML loads a resource from another host ({found.group(0).strip()}…), which then learns who "
                "reads the page: keep a copy under _static/ and link that",
                raw, "external-resource",
            )


def check_config(app: Sphinx, config: Config) -> None:
    """On config-inited: the theme's extra scripts and stylesheets come from this site too."""
    conf_py = Path(app.confdir, "conf.py")
    source = conf_py.read_text(encoding="utf-8") if conf_py.exists() else ""
    for option in ("html_js_files", "html_css_files"):
        for entry in config[option]:
            name = entry[0] if isinstance(entry, (tuple, list)) else entry
            if is_remote(name):
                line = next((n for n, text in enumerate(source.splitlines(), 1) if name in text), 1)
                logger.warning(
                    f"{option} loads {name} from another host, which then learns who reads each page: "
                    "keep a copy under _static/ and list its path instead",
                    location=f"{conf_py}:{line}", type=WARNING_TYPE, subtype="external-resource",
                )


def warn(message: str, node: nodes.Node, subtype: str, needle: str = "") -> None:
    """Warn at the node, or at the exact line of *needle* at or below it: MyST gives inline nodes
    only their paragraph's first line."""
    location: nodes.Node | str = node
    source, line = get_source_line(node)
    if source and line and needle and Path(source).is_file():
        lines = Path(source).read_text(encoding="utf-8").splitlines()
        exact = next((n for n in range(line, len(lines) + 1) if needle in lines[n - 1]), None)
        if exact:
            location = f"{source}:{exact}"
    logger.warning(message, location=location, type=WARNING_TYPE, subtype=subtype)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", check_config)
    app.connect("doctree-read", check_page)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
