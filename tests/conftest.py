"""Shared fixtures: the rules' tiny projects (tests/roots/, sphinx.testing) and Read the Docs' builds
of the whole site (tests/readthedocs.py), each made once per test session and shared by the suite.

Two kinds of test, as Sphinx and sphinx-design test themselves:

- a rule of an extension is tested where it lives: a tiny project in ``tests/roots/test-<name>/``,
  built in-process by ``sphinx.testing`` (the ``app`` and ``make_app`` fixtures) in a fraction of
  a second. These are marked ``quick`` (``make check``) unless they need a system package (git
  included: the tests of dates and tags make histories);
- what a reader gets is tested on what Read the Docs serves: the replay of its build of each
  edition (and of a pull request), made once, two at a time, when a test first asks for it.
"""

from __future__ import annotations

import concurrent.futures
import functools
import multiprocessing
import os
import pickle
import sys
import threading
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from filelock import FileLock
from pypdf import PdfReader
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
CHECKOUT_FILES = ["conf.py", "index.md", "docs", "data", "_ext", "_templates", "_static", "_intersphinx", "locale",
                  ".readthedocs.yaml", "requirements.txt", "CITATION.cff"]


def pytest_configure(config):
    # sphinx-sitemap starts a multiprocessing Manager in every build. Forked from this process,
    # whose other threads (the builds' pool, Playwright) may hold a lock at that moment, the
    # Manager can hang for ever; started from a fresh server process, it cannot.
    multiprocessing.set_start_method("forkserver", force=True)
    config.addinivalue_line("markers", "quick: part of `make check` (no system package, browser or Read the Docs replay)")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items):
    """Under pytest-xdist with ``--dist loadgroup``, the tests that share what is costly to make run
    on one worker: a module's own fixtures (Ace's report, a parsed PDF), and in the browser each
    page's visit, which several tests read. (`make test` runs on one worker: on two cores, two were
    slower, as each starts its own Ace, epubcheck and pdfua.)"""
    for item in items:
        params = getattr(item, "callspec", None) and item.callspec.params or {}
        group = item.module.__name__
        if group == "test_browser":
            group += f"-{params.get('lang', '')}-{params.get('page', '')}"
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """sphinx.testing's folder of tiny projects: ``testroot="menu"`` is tests/roots/test-menu/."""
    return Path(__file__).resolve().parent / "roots"


def warnings_of(app) -> list[str]:
    """The warnings of a sphinx.testing build, one per line, with paths relative to its source."""
    text = strip_colors(app.warning.getvalue()).replace(f"{app.srcdir}{os.sep}", "")
    return [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]


def build(make_app, srcdir: Path, builder: str = "dummy"):
    """Build *srcdir* with warnings as errors (all of them reported: keep going); return the app
    and its warnings. The dummy builder reads every page and writes nothing: enough for a rule
    that is checked while the pages are read."""
    app = make_app(builder, srcdir=srcdir, freshenv=True, warningiserror=True)
    app.build(force_all=True)
    return app, warnings_of(app)


def published(folder: Path, leak: str) -> list[str]:
    """The files of a built output that hold *leak* (pages, search index, images, archives' names)."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*")
                  if path.is_file() and (leak.encode() in path.read_bytes() or leak in path.name))


# -- Read the Docs' builds of the whole site ----------------------------------------------------


class ReadTheDocs:
    """Read the Docs' builds of this checkout, replayed (tests/readthedocs.py), each made once per
    test run: ``read_the_docs.build("sv")`` is the Swedish project's build of the default branch,
    ``read_the_docs.build("en", "external")`` a pull request's. Builds run two at a time (the
    machine's cores), beside the tests that read the finished ones. Under pytest-xdist the workers
    share them: whichever asks first builds (a file lock per build), the others read its record.
    ``served`` lays the HTML out as Read the Docs serves it, ``/<language>/<version>/``, so that
    links between the editions resolve as they do for a reader, and the stored PDF and EPUB at
    ``/_/downloads/<language>/<version>/<format>/``."""

    def __init__(self, shared: Path, workdir: Path):
        self.shared = shared  # the builds, shared by the run's workers
        self.shared.mkdir(exist_ok=True)
        self.served = workdir / "served"
        self.served.mkdir()
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
        self._builds: dict[tuple[str, str, bool], concurrent.futures.Future] = {}
        # The slow checkers of finished builds (Ace, epubcheck, pdfua), each started by its module's
        # start_when_built(builds, tmp_path_factory) as soon as the session starts; they wait for
        # the builds they check, then run beside the tests (most of which wait on the browser).
        self._checkers = concurrent.futures.ThreadPoolExecutor(max_workers=3)
        self.background: dict[str, concurrent.futures.Future] = {}
        self._serving = threading.Lock()

    def start(self, language: str, kind: str = "branch", formats_first: bool = False) -> concurrent.futures.Future:
        """Start a build (if it is not under way): see readthedocs.replay for *formats_first*."""
        key = (language, kind, formats_first)
        if key not in self._builds:
            folder = self.shared / f"{language}-{kind}{'-formats-first' if formats_first else ''}"
            self._builds[key] = self._pool.submit(self._replay, folder, *key)
        return self._builds[key]

    @staticmethod
    def _replay(folder: Path, language: str, kind: str, formats_first: bool) -> readthedocs.Replay:
        record = folder.with_suffix(".pickle")
        with FileLock(folder.with_suffix(".lock")):
            if not record.exists():
                with FileLock(folder.parent / "build-environment.lock"):
                    python = readthedocs.build_environment(ROOT / "requirements.txt")
                checkout = readthedocs.clean_checkout(ROOT, folder, CHECKOUT_FILES, depth=readthedocs.CLONE_DEPTH)
                record.write_bytes(pickle.dumps(readthedocs.replay(checkout, language, kind, formats_first, python)))
        return pickle.loads(record.read_bytes())

    def build(self, language: str = "en", kind: str = "branch", formats_first: bool = False) -> readthedocs.Replay:
        build = self.start(language, kind, formats_first).result()
        site = self.served / language / build.version
        with self._serving:  # the tests' thread and the checkers' may ask at once
            if not formats_first and not site.exists() and build.html.is_dir():
                site.parent.mkdir(exist_ok=True)
                site.symlink_to(build.html, target_is_directory=True)
                # The stored PDF and EPUB, at the address Read the Docs serves them from: a folder
                # whose index is the file, so that a plain file server answers that address too.
                for fmt, file in (("pdf", build.pdf), ("epub", build.epub)):
                    if file.is_file():
                        download = self.served / "_" / "downloads" / language / build.version / fmt
                        download.mkdir(parents=True, exist_ok=True)
                        (download / "index.html").symlink_to(file)
        return build

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)
        self._checkers.shutdown(cancel_futures=True)


@pytest.fixture(scope="session")
def read_the_docs(request, tmp_path_factory):
    """Read the Docs' builds; those that the selected tests ask for start at once, the longest first."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    builds = ReadTheDocs(shared / "readthedocs-builds", tmp_path_factory.mktemp("readthedocs"))
    selected = " ".join(item.nodeid for item in request.session.items)
    for language in readthedocs.PROJECTS:
        builds.start(language)
    if "test_reliability.py" in selected:
        builds.start("en", formats_first=True)
    if "external" in selected:
        for language in readthedocs.PROJECTS:
            builds.start(language, "external")
    for module in {item.module for item in request.session.items}:
        if hasattr(module, "start_when_built"):
            builds.background[module.__name__] = builds._checkers.submit(module.start_when_built, builds, tmp_path_factory)
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


# -- Reading a translation ------------------------------------------------------------------------


@functools.cache
def catalogue(lang: str, page: str) -> dict[str, str]:
    """{msgid: msgstr} of a page's catalogue (locale/<lang>/LC_MESSAGES/<page>.po), as the build
    uses it: translated and not fuzzy; {} for English or a page without one."""
    path = ROOT / "locale" / lang / "LC_MESSAGES" / Path(page).with_suffix(".po")
    if lang == "en" or not path.exists():
        return {}
    with path.open("rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


# -- Reading a PDF ---------------------------------------------------------------------------------


@functools.cache
def pdf_texts(path: Path) -> tuple[str, ...]:
    """Each page's text (pypdf), read once per session: many tests read the same PDFs."""
    return tuple(page.extract_text() for page in PdfReader(path).pages)


@functools.cache
def pdf_chunks(path: Path) -> tuple[list, ...]:
    """Each page's marked_chunks, read once per session."""
    return tuple(marked_chunks(page) for page in PdfReader(path).pages)


@functools.cache
def pdf_tagged_texts(path: Path) -> tuple[str, ...]:
    """Each page's text as a screen reader reads it (tagged_text), read once per session."""
    return tuple(tagged_text(chunks) for chunks in pdf_chunks(path))



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


def tagged_text(chunks) -> str:
    """A PDF page's text, from its marked_chunks, as a screen reader reads it: the tagged content
    only, without what is marked as an artifact (running header, page number, printed addresses)."""
    return "".join(chunk for tags, _, chunk in chunks if "/Artifact" not in tags)
