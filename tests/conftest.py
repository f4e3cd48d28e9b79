"""Shared fixtures: the rules' tiny projects (tests/roots/, sphinx.testing) and Read the Docs' builds
of the whole site (tests/readthedocs.py), each made once per test session and shared by the suite.

Two kinds of test, as Sphinx and sphinx-design test themselves:

- a rule of an extension is tested where it lives: a tiny project in ``tests/roots/test-<name>/``,
  built in-process by ``sphinx.testing`` (the ``app`` and ``make_app`` fixtures) in a fraction of
  a second. These are marked ``quick`` (``make check``) unless they need a system package;
- what a reader gets is tested on what Read the Docs serves: the replay of its build of each
  edition (and of a pull request), made once, two at a time, when a test first asks for it.
"""

from __future__ import annotations

import concurrent.futures
import os
import sys
from pathlib import Path

import pytest
from sphinx.util.console import strip_colors

import readthedocs

# PROJECT_ROOT: another copy of the project to test with this suite (tests/drill/defects.py plants
# a defect in one and expects the tests named for it to fail). The roots whose conf.py takes the
# site's own settings (test-site-*) read it too.
ROOT = Path(os.environ.get("PROJECT_ROOT") or Path(__file__).resolve().parent.parent).resolve()
os.environ["PROJECT_ROOT"] = str(ROOT)
sys.path[:0] = [str(ROOT / "_ext"), str(ROOT / "scripts")]  # the local extensions; make_inventory, preview

pytest_plugins = ("sphinx.testing.fixtures",)
collect_ignore = ["roots"]

# What a clean clone takes from the working tree on top of the last commit: everything a build
# reads, so that an uncommitted change is tested as it will be built.
CHECKOUT_FILES = ["conf.py", "index.md", "docs", "_ext", "_templates", "_static", "_intersphinx", "locale",
                  ".readthedocs.yaml", "requirements.txt"]


def pytest_configure(config):
    config.addinivalue_line("markers", "quick: part of `make check` (no system package, browser or Read the Docs replay)")


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """sphinx.testing's folder of tiny projects: ``testroot="menu"`` is tests/roots/test-menu/."""
    return Path(__file__).resolve().parent / "roots"


def warnings_of(app) -> list[str]:
    """The warnings of a sphinx.testing build, one per line, with paths relative to its source."""
    text = strip_colors(app.warning.getvalue()).replace(f"{app.srcdir}{os.sep}", "")
    return [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]


def published(folder: Path, leak: str) -> list[str]:
    """The files of a built output that hold *leak* (pages, search index, images, archives' names)."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*")
                  if path.is_file() and (leak.encode() in path.read_bytes() or leak in path.name))


# -- Read the Docs' builds of the whole site ----------------------------------------------------


class ReadTheDocs:
    """Read the Docs' builds of this checkout, replayed (tests/readthedocs.py), each made once per
    test session: ``read_the_docs.build("sv")`` is the Swedish project's build of the default
    branch, ``read_the_docs.build("en", "external")`` a pull request's. Builds run two at a time
    (the machine's cores): asking for one edition's branch build starts the other's too.
    ``served`` lays the HTML out as Read the Docs serves it, ``/<language>/<version>/``, so that
    links between the editions resolve as they do for a reader."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.served = workdir / "served"
        self.served.mkdir()
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
        self._builds: dict[tuple[str, str], concurrent.futures.Future] = {}

    def _start(self, language: str, kind: str) -> concurrent.futures.Future:
        if (language, kind) not in self._builds:
            def run() -> readthedocs.Replay:
                checkout = readthedocs.clean_checkout(ROOT, self.workdir / f"{language}-{kind}", CHECKOUT_FILES)
                return readthedocs.replay(checkout, language, kind)
            self._builds[language, kind] = self._pool.submit(run)
        return self._builds[language, kind]

    def build(self, language: str = "en", kind: str = "branch") -> readthedocs.Replay:
        future = self._start(language, kind)
        if kind == "branch":
            for other in readthedocs.PROJECTS:
                self._start(other, "branch")
        build = future.result()
        site = self.served / language / build.version
        if not site.exists() and build.html.is_dir():
            site.parent.mkdir(exist_ok=True)
            site.symlink_to(build.html, target_is_directory=True)
        return build

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


@pytest.fixture(scope="session")
def read_the_docs(tmp_path_factory):
    builds = ReadTheDocs(tmp_path_factory.mktemp("readthedocs"))
    yield builds
    builds.close()


# What readers get: the English project's build of the default branch on Read the Docs. The HTML,
# the PDF and the EPUB come from one checkout that shares its doctrees, in Read the Docs' order.
@pytest.fixture(scope="session")
def html_build(read_the_docs) -> readthedocs.Replay:
    return read_the_docs.build("en")


@pytest.fixture(scope="session")
def pdf_build(html_build) -> readthedocs.Replay:
    return html_build


@pytest.fixture(scope="session")
def epub_build(html_build) -> readthedocs.Replay:
    return html_build


# -- Reading a PDF page's marked content ----------------------------------------------------------


def marked_chunks(page) -> list[tuple[tuple[str, ...], int | None, str]]:
    """Each piece of a PDF page's text with the marked-content tags around it (outermost first) and
    the MCID of the innermost one that has one (None outside tagged content)."""
    marks: list[tuple[str, int | None]] = []
    chunks = []

    def before(operator, operands, *_):
        if operator in (b"BDC", b"BMC"):
            properties = operands[1] if operator == b"BDC" and len(operands) > 1 else None
            mcid = properties.get("/MCID") if hasattr(properties, "get") else None
            marks.append((str(operands[0]) if operands else "", None if mcid is None else int(mcid)))
        elif operator == b"EMC" and marks:
            marks.pop()

    def text(chunk, *_):
        mcid = next((mcid for _, mcid in reversed(marks) if mcid is not None), None)
        chunks.append((tuple(tag for tag, _ in marks), mcid, chunk))

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return chunks


def tagged_text(page) -> str:
    """A PDF page's text as a screen reader reads it: the tagged content only, without what is
    marked as an artifact (running header, page number, the footnotes with printed addresses)."""
    return "".join(chunk for tags, _, chunk in marked_chunks(page) if "/Artifact" not in tags)
