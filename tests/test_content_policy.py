"""The content policy (_ext/content_policy.py), tried as a careless or hostile contributor would.

Each case breaks a copy of the project in one way and builds it twice: with `make html` (strict)
and as Read the Docs builds a pull request (its command line: `-T -W --keep-going`). Each build
must fail, name the file and line and say what to do, end without a traceback, and publish nothing
of the bad input: not in the HTML, not in the search index, not in `_sources/`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import content_policy
import readthedocs
from conftest import CHECKOUT_FILES, ROOT, make

CHECKLIST = "docs/data_types/imaging_data/guidelines/checklist.md"
SERVICES = "docs/data_types/imaging_data/services.md"
UP_TO_OUTSIDE = "../../../../../"  # from the checklist's folder to the folder that holds the project
SECRET = "TOP-SECRET-7f3a"  # in files outside the repository
TRACKER = "tracker.invalid"  # a host that must never be loaded from or linked to


@dataclasses.dataclass
class Case:
    name: str
    text: str  # appended to the checklist (or, with page=…, the whole of that page's new end)
    message: str  # what the warning must say
    leak: str  # what must not reach the output
    offset: int = 0  # the faulty line, counted from the first appended line
    page: str = CHECKLIST
    encoding: bytes | None = None  # raw bytes to append instead of text
    link_page: bool = False  # instead: a new page that is a symlink to a file outside the repository


CASES = [
    # Files outside the repository
    Case("include outside the repository", f"```{{include}} {UP_TO_OUTSIDE}secret.md\n```\n",
         "include reads", SECRET),
    Case("include through a symlink", "```{include} notes-link.txt\n```\n", "include reads", SECRET),
    Case("literalinclude outside the repository", f"```{{literalinclude}} {UP_TO_OUTSIDE}secret.md\n```\n",
         "literalinclude reads", SECRET),
    Case("raw :file: outside the repository", f"```{{raw}} html\n:file: {UP_TO_OUTSIDE}secret.md\n```\n",
         "raw reads", SECRET),
    Case("csv-table :file: outside the repository", f"```{{csv-table}} Data\n:file: {UP_TO_OUTSIDE}secret.md\n```\n",
         "csv-table reads", SECRET),
    Case("raw :url:", f"```{{raw}} html\n:url: https://{TRACKER}/page.html\n```\n", "raw with :url: downloads", TRACKER),
    Case("image outside the repository", f"![A micrograph]({UP_TO_OUTSIDE}secret.png)\n",
         "lies outside the repository", "secret.png"),
    # Raw HTML
    Case("inline script", f'<script>console.log("{SECRET}")</script>\n', "raw HTML <script> is not allowed", SECRET),
    Case("event handler", f'Text <span onmouseover="alert(\'{SECRET}\')">here</span>.\n',
         "the attribute onmouseover is not allowed", SECRET),
    Case("meta refresh", f'<meta http-equiv="refresh" content="0;url=https://{TRACKER}/">\n',
         "raw HTML <meta> is not allowed", TRACKER),
    Case("srcset from another host", f'<img alt="Cells" srcset="cells.png 1x, https://{TRACKER}/a.png 2x">\n',
         "raw HTML loads a resource from another host", TRACKER),
    Case("entity-encoded host", f'<img alt="Cells" src="&#47;&#47;{TRACKER}/a.png">\n',
         "raw HTML loads a resource from another host", TRACKER),
    Case("svg image", f'<svg><image href="https://{TRACKER}/a.png"/></svg>\n', "raw HTML <svg> is not allowed", TRACKER),
    Case("style attribute loading", f'<p style="background: url(https://{TRACKER}/a.png)">Text</p>\n',
         "raw HTML loads a resource from another host", TRACKER),
    Case("raw http link", f'<a href="http://{TRACKER}/">the archive</a>\n', "insecure link http://", TRACKER),
    Case("javascript link", f'<a href="javascript:alert(\'{SECRET}\')">the archive</a>\n', "is not https: or mailto:", SECRET),
    # Browsers drop control characters and spaces around a URL, and tabs and newlines inside it
    Case("control character before the scheme", f'<a href="&#1;javascript:alert(\'{SECRET}\')">the archive</a>\n',
         "is not https: or mailto:", SECRET),
    Case("space and tab in the scheme", f'<a href=" java&#9;script:alert(\'{SECRET}\')">the archive</a>\n',
         "is not https: or mailto:", SECRET),
    Case("newline in the scheme", f'<a href="java&#10;script:alert(\'{SECRET}\')">the archive</a>\n',
         "is not https: or mailto:", SECRET),
    # Links
    Case("HTTP in capitals", f"The [archive](HTTP://{TRACKER}/) takes it.\n", "insecure link HTTP://", TRACKER),
    Case("credentials in a link", f"The [archive](https://curator:{SECRET}@www.ebi.ac.uk/) takes it.\n",
         "carries a user name or password", SECRET),
    Case("ftp link", f"The [archive](ftp://{TRACKER}/pub/) takes it.\n", "is not https: or mailto:", TRACKER),
    # Math, which loads MathJax from a CDN
    Case("math role", "The ratio {math}`a^2 + b^2` matters.\n", "math makes the page load MathJax", "cdn.jsdelivr.net"),
    Case("math directive", "```{math}\na^2 + b^2 = c^2\n```\n", "math makes the page load MathJax", "cdn.jsdelivr.net",
         offset=1),  # the formula's line
    # Encoding
    Case("page that is a symlink", "", "the page is a link to", SECRET, page="docs/data_types/notes.md", link_page=True),
    Case("invalid UTF-8", "", "the file is not UTF-8 text", SECRET, page=SERVICES,
         encoding=f"\nBad byte \xff here {SECRET}.\n".encode("latin-1")),
]


def break_project(project: Path, case: Case) -> str:
    """Apply *case* to the copy; return the 'file:line' the warning must name."""
    outside = project.parent
    (outside / "secret.md").write_text(f"{SECRET}\n", encoding="utf-8")
    (outside / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + SECRET.encode())
    (project / Path(CHECKLIST).parent / "notes-link.txt").symlink_to(outside / "secret.md")
    page = project / case.page
    if case.link_page:
        page.symlink_to(outside / "secret.md")
        return f"{case.page}:1"
    before = page.read_bytes()
    if not before.endswith(b"\n"):
        before += b"\n"
    page.write_bytes(before + (case.encoding if case.encoding is not None else b"\n" + case.text.encode()))
    lines_before = before.count(b"\n")
    return f"{case.page}:{lines_before + 2 + case.offset}"


def published(folder: Path, leak: str) -> list[str]:
    """Files of a built site that hold *leak* (pages, search index, _sources, images)."""
    return [str(path.relative_to(folder)) for path in folder.rglob("*")
            if path.is_file() and (leak.encode() in path.read_bytes() or leak in path.name)]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_policy_refuses_and_publishes_nothing(tmp_path, case):
    project = readthedocs.clean_checkout(ROOT, tmp_path / "project", CHECKOUT_FILES)
    where = break_project(project, case)
    # Read the Docs first: it would reuse the environment that `make html` leaves in _build/doctrees.
    pull_request = readthedocs.replay(project, "en", "external")
    strict = make(project, "html")
    for name, returncode, log, output in [
        ("make html", strict.returncode, strict.stdout + strict.stderr, project / "_build" / "html"),
        ("Read the Docs", pull_request.returncode, pull_request.log, pull_request.html),
    ]:
        assert returncode != 0, f"{name} passed with {case.name}"
        assert "Traceback" not in log, log
        warnings = [line for line in log.splitlines() if "WARNING" in line]
        assert any(f"{where}: WARNING" in w and case.message in w for w in warnings), (
            f"{name}: no warning at {where} saying {case.message!r}:\n" + "\n".join(warnings)
        )
        assert published(output, case.leak) == [], f"{name} published {case.leak!r} in {published(output, case.leak)}"


def test_catalogue_covers_every_class():
    names = " ".join(case.name for case in CASES)
    for kind in ("include", "literalinclude", "raw :file:", "csv-table", "symlink", "image", "script", "event handler",
                 "meta refresh", "srcset", "entity", "svg", "style", "http", "credentials", "math", "UTF-8",
                 "control character", "space and tab", "newline",
                 "page that is a symlink"):
        assert kind in names, kind


@pytest.mark.quick
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
    assert (content_policy.problem_with_url(url, followed, []) is not None) == refused
