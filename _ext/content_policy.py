"""What a page may contain: one content policy, checked on the parsed document.

Read the Docs builds every pull request, and writers paste HTML and links from everywhere; the
guidelines are a site readers trust. So the build refuses (warning type ``content``; ``-W`` fails
it), at the file and line, with what to do instead:

- **links** other than ``https:`` (or ``mailto:``) and relative ones, links that carry a user name
  or password, empty targets and placeholders (``example.com``, ``TODO``…);
- **raw HTML** outside an allowlist of elements and attributes that a guidelines page needs
  (``ALLOWED_ELEMENTS``, ``ALLOWED_ATTRIBUTES``): no scripts, event handlers, styles, frames,
  forms, ``meta`` or ``base``. Raw HTML is parsed with Python's HTML parser, so entities and odd
  spacing are read as a browser reads them; every URL in it (``srcset`` and CSS included) is
  checked like a link, and nothing may be *loaded* from another host (``content_load_hosts``,
  empty today): each such request tells that host who reads which page;
- **images and downloads** from another host, or from a file outside the repository;
- **files read by a directive** (``include``, ``literalinclude``, ``raw``/``csv-table`` with
  ``:file:``) outside the repository, symlinks resolved; ``:url:`` (a download at build time);
- **math**, which makes the page load MathJax from a CDN;
- a page that is a symlink to a file outside the repository, and a source that is not valid
  **UTF-8** (a plain message instead of Sphinx's traceback).

What the policy refuses is also taken out of the page, and the page's source is not copied to
``_sources/``, so that even a build that goes on past the warnings (``--keep-going``) publishes
none of it. An exception is asked for by changing the allowlists here, in review.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from ada_url import URL
from docutils import nodes
from docutils.parsers.rst.directives.misc import Raw, adapt_path
from docutils.parsers.rst.directives.tables import CSVTable
from docutils.utils import get_source_line
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.directives.code import LiteralInclude
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)

WARNING_TYPE = "content"
LINK_SCHEMES = {"https", "mailto"}
MYST_SCHEMES = {"inv", "path", "project"}  # MyST's own link forms, resolved inside the build
PLACEHOLDER = re.compile(
    r"^(https?://)?(www\.)?(example\.(com|org|net)|localhost|127\.0\.0\.1)([:/]|$)|\b(TODO|TBD|FIXME|XXX)\b",
    re.IGNORECASE,
)
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
# A page of this site, for reading a link as a browser would there: a relative link stays on it.
SITE_HOST = "imaging-data-guidelines.invalid"
SITE = f"https://{SITE_HOST}/docs/page.html"
C0_CONTROL_OR_SPACE = "".join(map(chr, range(0x21)))  # what the WHATWG URL parser trims from the ends

# Raw HTML a guidelines page may need: text-level markup, lists, tables, figures, disclosure.
ALLOWED_ELEMENTS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "dfn", "div",
    "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
}
GLOBAL_ATTRIBUTES = {"class", "id", "title", "lang", "dir", "role", "hidden"}  # and aria-*
ALLOWED_ATTRIBUTES = {
    "a": {"href", "hreflang", "rel"},
    "img": {"src", "srcset", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "ol": {"start", "reversed", "type"},
    "details": {"open"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
}
# Why the most tempting refused elements are refused, for the message.
REFUSED_BECAUSE = {
    "script": "it runs code in every reader's browser",
    "style": "styles belong in _static/css/custom.css",
    "iframe": "it shows another site inside the page",
    "object": "it embeds another site or program", "embed": "it embeds another site or program",
    "meta": "it can send readers to another site or change the page's metadata",
    "base": "it changes where every link on the page leads",
    "form": "it sends what readers type elsewhere", "input": "it sends what readers type elsewhere",
    "link": "it loads a file into the page", "svg": "it can hold scripts and load from other hosts",
}
# Attributes whose value is a link a reader follows; every other URL in raw HTML is loaded.
FOLLOWED = {("a", "href"), ("blockquote", "cite"), ("q", "cite"), ("del", "cite"), ("ins", "cite")}
URL_ATTRIBUTES = {"href", "src", "srcset", "cite", "action", "formaction", "data", "poster", "background",
                  "xlink:href", "ping", "longdesc", "manifest", "codebase", "archive", "usemap", "icon"}
CSS_URL = re.compile(r"""url\(\s*(["']?)(.*?)\1\s*\)|@import\s+(["'])(.*?)\3""", re.IGNORECASE | re.DOTALL)


# -- Reporting -----------------------------------------------------------------------------------


def warn(app: Sphinx, message: str, node: nodes.Node, subtype: str, needle: str = "", offset: int = 0) -> None:
    """Warn at the node's line (+ *offset*), or at the first line at or below it that holds *needle*
    (MyST gives inline nodes only their paragraph's first line), and mark the page as refused."""
    source, line = get_source_line(node)
    location: nodes.Node | str = node
    if source and line and Path(source).is_file():
        lines = Path(source).read_text(encoding="utf-8").splitlines()
        exact = next((n for n in range(line, len(lines) + 1) if needle and needle in lines[n - 1]), None)
        location = f"{source}:{exact or line + offset}"
    logger.warning(message, location=location, type=WARNING_TYPE, subtype=subtype)
    app.env.content_refused.add(app.env.current_document.docname)


def browser_view(url: str) -> URL | None:
    """*url* as a browser reads it on one of this site's pages, or None if it reads no address there.
    The WHATWG URL parser (ada-url) first drops what browsers drop (control characters and spaces
    at either end, tabs and newlines anywhere), so "\x01javascript:…" is seen as javascript:."""
    try:
        return URL(url, SITE)
    except ValueError:
        return None


def leaves_the_site(url: str) -> bool:
    """True when a browser would fetch *url* from anywhere but this site (another host, data:)."""
    seen = browser_view(url)
    return seen is not None and seen.host != SITE_HOST


def problem_with_url(url: str, followed: bool, load_hosts: list[str]) -> str | None:
    """What is wrong with *url* in a page, or None. *followed*: a link a reader clicks, rather
    than something the browser loads by itself."""
    if not url.strip(C0_CONTROL_OR_SPACE):
        return "an empty link target: put the page, heading or URL there"
    seen = browser_view(url)
    if seen is None:
        return f"the link target {url!r} is not an address a browser can follow: write the page, heading or https:// URL"
    shown = seen.href if seen.host != SITE_HOST else url.strip(C0_CONTROL_OR_SPACE)
    if PLACEHOLDER.search(shown):
        return f"the link target {shown!r} is a placeholder: link the real page"
    scheme = seen.protocol.removesuffix(":")
    if seen.username or seen.password:
        return f"the address {shown} carries a user name or password: remove it (and change that password)"
    if scheme == "http":
        return f"insecure link {shown}: link https://{shown.split('://', 1)[-1]} instead"
    if followed:
        if scheme not in LINK_SCHEMES:
            return f"the link {shown!r} is not https: or mailto:; link the page on https"
        return None
    if seen.host != SITE_HOST and seen.hostname not in load_hosts:
        return (f"raw HTML loads a resource from another host ({shown}), which then learns who reads the page: "
                "keep a copy under _static/ and link that")
    return None


# -- Links, images, downloads and math, on each page as read ------------------------------------


def check_page(app: Sphinx, doctree: nodes.document) -> None:
    """On doctree-read, before Sphinx collects the page's images and downloads."""
    load_hosts = app.config.content_load_hosts
    for reference in list(doctree.findall(nodes.reference)):
        uri = reference.get("refuri")
        problem = problem_with_url(uri, followed=True, load_hosts=load_hosts) if uri is not None else None
        if problem:
            warn(app, problem, reference, "link", uri)
            reference.replace_self(nodes.Text(reference.astext()))
    for xref in list(doctree.findall(addnodes.pending_xref)):
        target = xref.get("reftarget", "").strip()
        if xref.get("reftype") != "myst":
            continue
        if target in ("", "#"):
            warn(app, f"the link '{xref.astext()}' has an empty target: put the page, heading or URL between the "
                 "parentheses, e.g. [text](other-page.md) or [text](https://…)", xref, "link", f"[{xref.astext()}]")
        elif (scheme := SCHEME.match(target)) and scheme.group(1).lower() not in MYST_SCHEMES:
            # MyST reads only lower-case schemes as URLs: HTTP://… would be a broken cross-reference.
            problem = problem_with_url(target, followed=True, load_hosts=load_hosts)
            warn(app, problem or f"the link {target} has its scheme in capitals: write it in lower case",
                 xref, "link", target)
            xref.replace_self(nodes.Text(xref.astext()))
    for image in list(doctree.findall(nodes.image)):
        uri = image["uri"]
        if leaves_the_site(uri):
            warn(app, f"the image {uri} is loaded from another host, which then learns who reads the page: "
                 "save a copy next to the page (or under _static/) and use that", image, "image", uri)
            image.parent.remove(image)
        elif outside_repository(app.srcdir, file_named(app, uri.replace("*", "x"))):
            warn(app, f"the image {uri} lies outside the repository: copy it next to the page", image, "file", uri)
            image.parent.remove(image)
    for download in list(doctree.findall(addnodes.download_reference)):
        target = download.get("reftarget", "")
        if not leaves_the_site(target) and outside_repository(app.srcdir, file_named(app, target)):
            warn(app, f"the download {target} lies outside the repository: copy it next to the page", download, "file", target)
            download.replace_self(nodes.Text(download.astext()))
    for formula in list(doctree.findall(lambda node: isinstance(node, (nodes.math, nodes.math_block)))):
        warn(app, "math makes the page load MathJax from another host (a CDN): write the formula as text or "
             "as an image under _static/, or ask the maintainers for a local MathJax", formula, "math",
             formula.astext().splitlines()[0] if formula.astext() else "")
        literal = nodes.literal if isinstance(formula, nodes.math) else nodes.literal_block
        formula.replace_self(literal(formula.astext(), formula.astext()))
    for raw in list(doctree.findall(nodes.raw)):
        if "html" in raw.get("format", "").split():
            check_raw_html(app, raw, load_hosts)


def file_named(app: Sphinx, path: str) -> str:
    """The file that a path written in the page being read names, as Sphinx resolves it."""
    return app.env.relfn2path(path, app.env.current_document.docname)[1]


# -- Raw HTML -------------------------------------------------------------------------------------


class RawHTMLReader(HTMLParser):
    """Collects what the policy refuses in a piece of HTML: (line within it, message, needle)."""

    def __init__(self, load_hosts: list[str]):
        super().__init__(convert_charrefs=True)  # attribute values arrive with entities decoded
        self.load_hosts = load_hosts
        self.problems: list[tuple[int, str, str]] = []
        self.open_tag = ""

    def refuse(self, message: str, needle: str) -> None:
        self.problems.append((self.getpos()[0], message, needle))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open_tag = tag
        if tag not in ALLOWED_ELEMENTS:
            why = REFUSED_BECAUSE.get(tag, "it is not one a guidelines page needs")
            self.refuse(f"raw HTML <{tag}> is not allowed: {why}; use Markdown, or ask for the element to be "
                        "allowed in _ext/content_policy.py", f"<{tag}")
        allowed = GLOBAL_ATTRIBUTES | ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            value = value or ""
            if tag in ALLOWED_ELEMENTS and name not in allowed and not name.startswith("aria-"):
                why = "event handlers run code" if name.startswith("on") else "it is not one a guidelines page needs"
                self.refuse(f"raw HTML <{tag} {name}=…>: the attribute {name} is not allowed ({why})", name)
            for url, followed in self.urls(tag, name, value):
                problem = problem_with_url(url, followed, self.load_hosts)
                if problem:
                    self.refuse(problem, name)

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self.open_tag = ""

    def handle_data(self, data: str) -> None:
        if self.open_tag == "style":
            for url in css_urls(data):
                problem = problem_with_url(url, False, self.load_hosts)
                if problem:
                    self.refuse(problem, "url(")

    def handle_decl(self, decl: str) -> None:
        self.refuse(f"raw HTML <!{decl.split()[0]}> is not allowed in a page", "<!")

    def handle_pi(self, data: str) -> None:
        self.refuse("raw HTML <?…> is not allowed in a page", "<?")

    @staticmethod
    def urls(tag: str, name: str, value: str) -> list[tuple[str, bool]]:
        """Every URL in one attribute, each with whether a reader follows it (else it is loaded)."""
        if name == "srcset":
            return [(candidate.split()[0], False) for candidate in value.split(",") if candidate.split()]
        if name == "style":
            return [(url, False) for url in css_urls(value)]
        if tag == "meta" and name == "content" and "url=" in value.lower():
            return [(value[value.lower().index("url=") + 4:].strip("'\" "), True)]
        if name in URL_ATTRIBUTES:
            return [(value, (tag, name) in FOLLOWED)]
        return []


def css_urls(css: str) -> list[str]:
    return [match.group(2) or match.group(4) for match in CSS_URL.finditer(css)]


def check_raw_html(app: Sphinx, raw: nodes.raw, load_hosts: list[str]) -> None:
    reader = RawHTMLReader(load_hosts)
    reader.feed(raw.astext())
    reader.close()
    for line, message, needle in reader.problems:
        inline = raw.line is None  # MyST gives inline HTML no line of its own: find it in the paragraph
        warn(app, message, raw, "raw-html", needle if inline else "", offset=line - 1)
    if reader.problems and raw.parent is not None:
        # MyST splits inline HTML into a node per tag: "<a …>" refused leaves "</a>", which would
        # break the page (an EPUB's XHTML most of all). The paragraph's raw HTML goes together.
        parent = raw.parent
        for piece in list(parent.findall(nodes.raw)) if isinstance(parent, nodes.TextElement) else [raw]:
            piece.parent.remove(piece)


# -- Files read by directives ---------------------------------------------------------------------


def outside_repository(srcdir: str | Path, path: str | Path) -> bool:
    """True when *path*, its symlinks resolved, is not inside the repository (the source folder)."""
    try:
        Path(path).resolve().relative_to(Path(srcdir).resolve())
    except ValueError:
        return True
    return False


class FileInsideRepository:
    """For a directive that reads a file: refuse one outside the repository, and any :url:."""

    def path_read(self) -> str | None:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        location = (env.current_document.docname, self.lineno)
        if "url" in self.options:
            logger.warning(f"{self.name} with :url: downloads {self.options['url']} at every build: save the file "
                           "in the repository and use :file:", location=location, type=WARNING_TYPE, subtype="file")
            env.content_refused.add(env.current_document.docname)
            return []
        path = self.path_read()
        if path and outside_repository(env.srcdir, path):
            logger.warning(f"{self.name} reads {path}, outside the repository: copy what you need into the "
                           "repository and refer to that", location=location, type=WARNING_TYPE, subtype="file")
            env.content_refused.add(env.current_document.docname)
            return []
        return super().run()


class CheckedLiteralInclude(FileInsideRepository, LiteralInclude):
    def path_read(self) -> str | None:
        return self.env.relfn2path(self.arguments[0])[1]


class CheckedRaw(FileInsideRepository, Raw):
    def path_read(self) -> str | None:
        if "file" not in self.options:
            return None
        settings = self.state.document.settings
        return adapt_path(self.options["file"], self.state.document.current_source, settings.root_prefix)


class CheckedCSVTable(FileInsideRepository, CSVTable):
    path_read = CheckedRaw.path_read


def check_include(app: Sphinx, relative_path: Path, parent_docname: str, content: list[str]) -> None:
    """On include-read (MyST's and Sphinx's include): include nothing from outside the repository.
    The event does not say on which line the include stands: find it in the including page."""
    path = Path(app.srcdir) / relative_path
    if not outside_repository(app.srcdir, path):
        return
    content[0] = ""
    # MyST-Parser passes only the file name's stem as parent_docname: take the page being read.
    including = app.env.current_document.docname
    source = Path(app.env.doc2path(including))
    line = next((n for n, written in include_arguments(source) if (source.parent / written).resolve() == path.resolve()), 1)
    logger.warning(f"include reads {path.resolve()}, outside the repository: copy what you need into the "
                   "repository and include that", location=f"{source}:{line}", type=WARNING_TYPE, subtype="file")
    app.env.content_refused.add(including)


def include_arguments(source: Path) -> list[tuple[int, str]]:
    """(line, path as written) of each include directive in a page, MyST's or reStructuredText's."""
    found = []
    for number, text in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        match = re.match(r"\s*(?:[`:]{3,}\s*\{include\}|\.\.\s+include::)\s+(\S+)", text)
        if match:
            found.append((number, match.group(1)))
    return found


# -- The pages themselves --------------------------------------------------------------------------------------


def check_sources(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """On env-before-read-docs, for each page about to be read: a page that is a symlink to a file
    outside the repository would publish that file; and Sphinx 9 stops with a traceback on a
    source that is not UTF-8. Say which file (and line, and byte) instead, and leave it out."""
    for docname in list(docnames):
        path = Path(env.doc2path(docname))
        if outside_repository(env.srcdir, path):
            refuse_page(env, docname, docnames, f"the page is a link to {path.resolve()}, outside the repository: "
                        "put the page itself in the repository", f"{path}:1", "file")
            continue
        data = path.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            refuse_page(env, docname, docnames, f"the file is not UTF-8 text (byte 0x{data[error.start]:02x} on this "
                        "line cannot be read): save it as UTF-8 in your editor", f"{path}:{line}", "encoding")


def refuse_page(env: BuildEnvironment, docname: str, docnames: list[str], message: str, location: str, subtype: str) -> None:
    logger.warning(message, location=location, type=WARNING_TYPE, subtype=subtype)
    docnames.remove(docname)  # not read, so never written
    env.project.docnames.discard(docname)


# -- Configuration and bookkeeping ----------------------------------------------------------------


def check_config(app: Sphinx, config: Config) -> None:
    """On config-inited: the theme's extra scripts and stylesheets come from this site too."""
    conf_py = Path(app.confdir, "conf.py")
    source = conf_py.read_text(encoding="utf-8") if conf_py.exists() else ""
    for option in ("html_js_files", "html_css_files"):
        for entry in config[option]:
            name = entry[0] if isinstance(entry, (tuple, list)) else entry
            if SCHEME.match(name) or name.startswith("//"):
                line = next((n for n, text in enumerate(source.splitlines(), 1) if name in text), 1)
                logger.warning(
                    f"{option} loads {name} from another host, which then learns who reads each page: "
                    "keep a copy under _static/ and list its path instead",
                    location=f"{conf_py}:{line}", type=WARNING_TYPE, subtype="file",
                )


def init_env(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    if not hasattr(env, "content_refused"):
        env.content_refused = set()  # pages with refused content: their source is not published


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "content_refused", set()).discard(docname)


def merge_info(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    init_env(app, env, [])
    env.content_refused |= other.content_refused & set(docnames)


def keep_refused_source_private(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """On html-page-context: Sphinx copies a page's source to _sources/ only when it has a name."""
    if pagename in getattr(app.env, "content_refused", ()):
        context["sourcename"] = ""


def setup(app: Sphinx) -> dict:
    app.add_config_value("content_load_hosts", [], "env", list)  # hosts raw HTML may load from
    app.add_directive("literalinclude", CheckedLiteralInclude, override=True)
    app.add_directive("raw", CheckedRaw, override=True)
    app.add_directive("csv-table", CheckedCSVTable, override=True)
    app.connect("config-inited", check_config)
    app.connect("env-before-read-docs", init_env)
    app.connect("env-before-read-docs", check_sources)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("include-read", check_include)
    app.connect("doctree-read", check_page, priority=400)  # before the image and download collectors
    app.connect("html-page-context", keep_refused_source_private)
    return {"version": "2.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
