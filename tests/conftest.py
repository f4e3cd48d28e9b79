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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))  # the local extensions, for unit tests and sphinx.testing
sys.path.insert(0, str(ROOT / "scripts"))  # make_inventory

pytest_plugins = ("sphinx.testing.fixtures",)
collect_ignore = ["roots"]

# As in the Makefile: warnings fail the build, every reference is checked, the environment is fresh.
STRICT = ["-W", "--keep-going", "-n", "-E"]
# What a copy of the project needs to build.
PROJECT_FILES = ["conf.py", "index.md", "docs", "_ext", "_templates", "_static", "_intersphinx", "locale"]


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


def make(project: Path, target: str) -> subprocess.CompletedProcess:
    """`make target` in a copy of the project, as a writer runs it, with this checkout's venv.
    The Makefile and pins are copied with their time stamps, so nothing is reinstalled."""
    for name in ("Makefile", "requirements.txt"):
        shutil.copy2(ROOT / name, project / name)
    return subprocess.run(["make", target, f"VENV={ROOT / '.venv'}"], cwd=project, capture_output=True, text=True)


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


@pytest.fixture(scope="session")
def html_build(tmp_path_factory) -> Build:
    return sphinx_build(ROOT, tmp_path_factory.mktemp("html"), "html")


@pytest.fixture(scope="session")
def pdf_build(tmp_path_factory) -> Build:
    return sphinx_build(ROOT, tmp_path_factory.mktemp("pdf"), "latexpdf")


@pytest.fixture(scope="session")
def epub_build(tmp_path_factory) -> Build:
    return sphinx_build(ROOT, tmp_path_factory.mktemp("epub"), "epub")
