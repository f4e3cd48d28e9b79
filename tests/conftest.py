"""Shared fixtures: strict builds of the real site (once per test session) and of temporary copies."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import readthedocs

# PROJECT_ROOT: another copy of the project to test with this suite (tests/drill/defects.py plants
# a defect in one and expects the tests named for it to fail).
ROOT = Path(os.environ.get("PROJECT_ROOT") or Path(__file__).resolve().parent.parent).resolve()
sys.path.insert(0, str(ROOT / "_ext"))  # the local extensions, for unit tests and sphinx.testing
sys.path.insert(0, str(ROOT / "scripts"))  # make_inventory

pytest_plugins = ("sphinx.testing.fixtures",)
collect_ignore = ["roots"]


def pytest_configure(config):
    # `make check`, the quick loop: tests that need no system package and no full build.
    config.addinivalue_line("markers", "quick: part of `make check` (no system package, browser or Read the Docs replay)")

# As in the Makefile: warnings fail the build, every reference is checked, the environment is fresh.
STRICT = ["-W", "--keep-going", "-n", "-E"]
# What a copy of the project needs to build.
PROJECT_FILES = ["conf.py", "index.md", "docs", "_ext", "_templates", "_static", "_intersphinx", "locale"]
# What a clean clone takes from the working tree on top of the last commit: everything a build
# reads, so that an uncommitted change is tested as it will be built.
CHECKOUT_FILES = [*PROJECT_FILES, ".readthedocs.yaml", "requirements.txt"]


@dataclasses.dataclass
class Build:
    builddir: Path
    returncode: int
    log: str  # sphinx-build's standard error: warnings and errors

    @property
    def warnings(self) -> list[str]:
        plain = re.sub(r"\x1b\[[0-9;]*m", "", self.log)  # in case a terminal setting forces colour
        return [line for line in plain.splitlines() if "WARNING" in line or "ERROR" in line]


def sphinx_build(srcdir: Path, builddir: Path, target: str, *options: str) -> Build:
    """Run `sphinx-build -M target` as `make target` does, with the strict options."""
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-M", target, str(srcdir), str(builddir), *STRICT, "--no-color", *options],
        capture_output=True, text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    return Build(builddir, result.returncode, result.stderr + (result.stdout if result.returncode else ""))


def make(project: Path, target: str, *variables: str) -> subprocess.CompletedProcess:
    """`make target [VARIABLE=value …]` in a copy of the project, as a writer runs it, with this
    checkout's venv. The Makefile and pins are copied with their time stamps: nothing is reinstalled."""
    for name in ("Makefile", "requirements.txt", "scripts/ensure-system-packages"):
        (project / name).parent.mkdir(exist_ok=True)
        shutil.copy2(ROOT / name, project / name)
    return subprocess.run(["make", target, f"VENV={ROOT / '.venv'}", *variables], cwd=project, capture_output=True, text=True)


def copy_project(dest: Path) -> Path:
    """A copy of the project's sources in *dest*, to break on purpose."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
        else:
            shutil.copy2(source, dest / name)
    return dest


class ReadTheDocs:
    """Read the Docs' builds of this checkout, replayed (tests/readthedocs.py), each made once per
    test session when a test first asks for it: ``read_the_docs.build("sv")`` is the Swedish
    project's build of the default branch, ``read_the_docs.build("en", "external")`` a pull
    request's. ``served`` lays the HTML out as Read the Docs serves it, ``/<language>/<version>/``,
    so that links between the editions resolve as they do for a reader."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.served = workdir / "served"
        self.served.mkdir()
        self._builds: dict[tuple[str, str], readthedocs.Replay] = {}

    def build(self, language: str = "en", kind: str = "branch") -> readthedocs.Replay:
        if (language, kind) not in self._builds:
            checkout = readthedocs.clean_checkout(ROOT, self.workdir / f"{language}-{kind}", CHECKOUT_FILES)
            build = readthedocs.replay(checkout, language, kind)
            site = self.served / language / build.version
            site.parent.mkdir(exist_ok=True)
            if build.html.is_dir():
                site.symlink_to(build.html, target_is_directory=True)
            self._builds[language, kind] = build
        return self._builds[language, kind]


@pytest.fixture(scope="session")
def read_the_docs(tmp_path_factory) -> ReadTheDocs:
    return ReadTheDocs(tmp_path_factory.mktemp("readthedocs"))


# What readers get: the English project's build of the default branch on Read the Docs. The HTML,
# the PDF and the EPUB come from one checkout that shares its doctrees, in Read the Docs' order.
@pytest.fixture(scope="session")
def html_build(read_the_docs) -> readthedocs.Replay:
    return read_the_docs.build("en")


@pytest.fixture(scope="session")
def pdf_build(read_the_docs) -> readthedocs.Replay:
    return read_the_docs.build("en")


@pytest.fixture(scope="session")
def epub_build(read_the_docs) -> readthedocs.Replay:
    return read_the_docs.build("en")


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
