"""The content policy (_ext/imaging_guidelines/content_policy.py), tried as a careless or hostile
contributor would.

Each case is a page of its own in a copy of tests/roots/test-content-policy/ (the policy on the
site's own settings), all built at once as HTML with warnings as errors, keeping going as Read the
Docs' pull-request builds do. The build fails; each case's warning names its file and line and says
what to do; and nothing of the bad input is published: not in the pages, not in the search index,
not as a file.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from sphinx.testing.util import SphinxTestApp

from conftest import build, published, warnings_of
from imaging_guidelines import content_policy

pytestmark = pytest.mark.quick

UP_TO_OUTSIDE = "../../"  # from the page's folder to the folder that holds the project
SECRET = "TOP-SECRET-7f3a"  # in files outside the repository
TRACKER = "tracker.invalid"  # a host that must never be loaded from or linked to
RAW_HTML = "raw HTML is not allowed in a page"


@dataclasses.dataclass
class Case:
    name: str
    text: str  # the case's page, after its title
    message: str  # what the warning must say
    leak: str  # what must not reach the output
    offset: int = 0  # the faulty line, counted from the first appended line
    encoding: bytes | None = None  # raw bytes to append instead of text
    link_page: bool = False  # instead: the page is a symlink to a file outside the repository


CASES = [
    # Files outside the repository
    Case("include outside the repository", f"```{{include}} {UP_TO_OUTSIDE}secret.md\n```\n",
         "the include directive is not available here", SECRET),
    Case("include through a symlink", "```{include} notes-link.txt\n```\n", "the include directive is not available here", SECRET),
    Case("literalinclude outside the repository", f"```{{literalinclude}} {UP_TO_OUTSIDE}secret.md\n```\n",
         "the literalinclude directive is not available here", SECRET),
    Case("raw :file: outside the repository", f"```{{raw}} html\n:file: {UP_TO_OUTSIDE}secret.md\n```\n",
         "the raw directive is not available here", SECRET),
    Case("csv-table :file: outside the repository", f"```{{csv-table}} Data\n:file: {UP_TO_OUTSIDE}secret.md\n```\n",
         "the csv-table directive is not available here", SECRET),
    Case("raw :url:", f"```{{raw}} html\n:url: https://{TRACKER}/page.html\n```\n", "the raw directive is not available here", TRACKER),
    Case("image outside the repository", f"![A micrograph]({UP_TO_OUTSIDE}secret.png)\n",
         "lies outside the repository", "secret.png"),
    # Raw HTML
    Case("inline script", f'<script>console.log("{SECRET}")</script>\n', RAW_HTML, SECRET),
    Case("event handler", f'Text <span onmouseover="alert(\'{SECRET}\')">here</span>.\n',
         RAW_HTML, SECRET),
    Case("meta refresh", f'<meta http-equiv="refresh" content="0;url=https://{TRACKER}/">\n',
         RAW_HTML, TRACKER),
    Case("srcset from another host", f'<img alt="Cells" srcset="cells.png 1x, https://{TRACKER}/a.png 2x">\n',
         RAW_HTML, TRACKER),
    Case("entity-encoded host", f'<img alt="Cells" src="&#47;&#47;{TRACKER}/a.png">\n',
         RAW_HTML, TRACKER),
    Case("svg image", f'<svg><image href="https://{TRACKER}/a.png"/></svg>\n', RAW_HTML, TRACKER),
    Case("style attribute loading", f'<p style="background: url(https://{TRACKER}/a.png)">Text</p>\n',
         RAW_HTML, TRACKER),
    Case("raw http link", f'<a href="http://{TRACKER}/">the archive</a>\n', RAW_HTML, TRACKER),
    Case("raw javascript link", f'<a href="&#1;javascript:alert(\'{SECRET}\')">the archive</a>\n', RAW_HTML, SECRET),
    # Browsers drop control characters and spaces around a URL, and tabs inside it (newlines: test_url_rules)
    Case("control character before the scheme", f"The [archive](<\x01javascript:alert('{SECRET}')>) takes it.\n",
         "is not https: or mailto:", SECRET),
    Case("space and tab in the scheme", f"The [archive](< java\tscript:alert('{SECRET}')>) takes it.\n",
         "is not https: or mailto:", SECRET),
    # Links
    Case("HTTP in capitals", f"The [archive](HTTP://{TRACKER}/) takes it.\n", "insecure link HTTP://", TRACKER),
    Case("credentials in a link", f"The [archive](https://curator:{SECRET}@www.ebi.ac.uk/) takes it.\n",
         "carries a user name or password", SECRET),
    Case("empty link target", "Read [the policy]() first.\n", "the link 'the policy' has an empty target", "the policy]"),
    Case("placeholder link", f"Read [the policy](https://example.com/{SECRET}) first.\n", "is a placeholder", SECRET),
    Case("ftp link", f"The [archive](ftp://{TRACKER}/pub/) takes it.\n", "is not https: or mailto:", TRACKER),
    Case("this site by its full address", "See the [chooser](https://imaging-data-guidelines.readthedocs.io/en/latest/"
         "docs/chooser-7c1e.html).\n", "is a page of this site by its full address", "chooser-7c1e"),
    # Math, which loads MathJax from a CDN
    Case("math role", "The ratio {math}`a^2 + b^2` matters.\n", "math makes the page load MathJax", "cdn.jsdelivr.net"),
    Case("math directive", "```{math}\na^2 + b^2 = c^2\n```\n", "math makes the page load MathJax", "cdn.jsdelivr.net"),
    # Encoding
    Case("page that is a symlink", "", "the page is a link to", SECRET, link_page=True),
    Case("invalid UTF-8", "", "the file is not UTF-8 text", SECRET,
         encoding=f"Bad byte \xff here {SECRET}.\n".encode("latin-1")),
]


def page_of(case: Case) -> str:
    return f"docs/case-{CASES.index(case):02}.md"


@pytest.fixture(scope="module")
def policy_build(rootdir, tmp_path_factory) -> tuple[Path, list[str], int]:
    """The catalogue built at once: the HTML folder, the warnings and the status code."""
    project = tmp_path_factory.mktemp("policy") / "site"
    shutil.copytree(rootdir / "test-content-policy", project)
    outside = project.parent
    (outside / "secret.md").write_text(f"{SECRET}\n", encoding="utf-8")
    (outside / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + SECRET.encode())
    (project / "docs" / "notes-link.txt").symlink_to(outside / "secret.md")
    for number, case in enumerate(CASES):
        page = project / page_of(case)
        if case.link_page:
            page.symlink_to(outside / "secret.md")
        else:
            page.write_bytes(f"# Case {number}\n\n".encode() + (case.encoding or case.text.encode()))
    app = SphinxTestApp("html", srcdir=project, freshenv=True, warningiserror=True)
    try:
        app.build()
        return Path(app.outdir), warnings_of(app), app.statuscode
    finally:
        app.cleanup()


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_policy_refuses_at_the_line(policy_build, case):
    _, warnings, statuscode = policy_build
    where = f"{page_of(case)}:{1 if case.link_page else 3 + case.offset}"
    assert statuscode == 1
    assert any(f"{where}: WARNING" in w and case.message in w for w in warnings), (
        f"no warning at {where} saying {case.message!r}:\n" + "\n".join(warnings)
    )


@pytest.mark.parametrize("leak", sorted({case.leak for case in CASES}))
def test_policy_publishes_nothing_refused(policy_build, leak):
    outdir, _, _ = policy_build
    assert published(outdir, leak) == []


def test_catalogue_covers_every_class():
    names = " ".join(case.name for case in CASES)
    for kind in ("include", "literalinclude", "raw :file:", "csv-table", "symlink", "image", "script", "event handler",
                 "meta refresh", "srcset", "entity", "svg", "style", "http", "credentials", "math", "UTF-8",
                 "control character", "space and tab", "full address",
                 "page that is a symlink"):
        assert kind in names, kind


@pytest.mark.parametrize(("url", "followed", "refused"), [
    ("https://www.ebi.ac.uk/", True, False),
    ("mailto:data@scilifelab.se", True, False),
    ("../metadata.html#ome-zarr", True, False),
    ("http://www.ebi.ac.uk/", True, True),
    ("https://user:pw@www.ebi.ac.uk/", True, True),
    ("java\tscript:alert(1)", True, True),
    ("\x01javascript:alert(1)", True, True),
    ("\x1f\x00 javascript:alert(1)\x0b", True, True),
    ("java\nscript:alert(1)", True, True),
    ("JaVaScRiPt:alert(1)", True, True),
    ("\x01//cdn.jsdelivr.net/x.js", False, True),
    (" https://www.ebi.ac.uk/ ", True, False),
    ("ftp://ftp.ebi.ac.uk/", True, True),
    ("_static/cells.png", False, False),
    ("https://www.ebi.ac.uk/logo.png", False, True),
    ("//cdn.jsdelivr.net/x.js", False, True),
    ("data:image/png;base64,AAAA", False, True),
])
def test_url_rules(url, followed, refused):
    """A link a reader follows (*followed*) or a file the page loads, read as a browser reads it."""
    if followed:
        assert (content_policy.problem_with_link(url) is not None) == refused
    else:
        assert content_policy.leaves_the_site(url) == refused


def test_markdown_never_links_a_script(make_app, rootdir, tmp_path):
    """markdown-it itself leaves a javascript: link as text (its validateLink): no link, no script."""
    project = tmp_path / "site"
    shutil.copytree(rootdir / "test-content-policy", project)
    (project / "docs" / "script.md").write_text("# Script\n\nThe [archive](javascript:alert(1)) and <javascript:alert(2)>.\n")
    app, warnings = build(make_app, project, "html")
    assert warnings == []
    html = (Path(app.outdir) / "docs" / "script.html").read_text()
    assert "[archive](javascript:alert(1))" in html and 'href="javascript' not in html
