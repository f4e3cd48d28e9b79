"""Bad input never reaches readers; builds are reproducible, offline and private.

The catalogue below breaks a temporary copy of the project in one way each and runs `make html`
(and `make pdf` where the fault shows there too): each must fail, name the file and line, and end
in a message, never a Python traceback.
"""

from __future__ import annotations

import dataclasses
import filecmp
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import readthedocs
from conftest import CHECKOUT_FILES, ROOT, copy_project, make

SEED = "docs/data_types/imaging_data/guidelines.md"
SERVICES = "docs/data_types/imaging_data/services.md"
CHECKLIST = "docs/data_types/imaging_data/guidelines/checklist.md"


@dataclasses.dataclass
class BadInput:
    """One way to break the project: *edit* changes the copy and returns the expected 'file:line'."""

    name: str
    edit: object  # Callable[[Path], str]
    message: str  # what the warning must say
    pdf: bool = False  # also try `make pdf`


def append(path: str, text: str, offset: int = 0):
    """An edit that appends *text* to *path*; the fault is *offset* lines into the appended text."""

    def edit(project: Path) -> str:
        page = project / path
        before = page.read_text(encoding="utf-8")
        if not before.endswith("\n"):
            before += "\n"
        page.write_text(before + "\n" + text, encoding="utf-8")
        return f"{path}:{len(before.splitlines()) + 2 + offset}"

    return edit


def replace(path: str, old: str, new: str, line: int):
    def edit(project: Path) -> str:
        page = project / path
        text = page.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is no longer in {path}"
        page.write_text(text.replace(old, new, 1), encoding="utf-8")
        return f"{path}:{line}"

    return edit


def new_page(path: str, text: str, line: int):
    def edit(project: Path) -> str:
        (project / path).write_text(text, encoding="utf-8")
        return f"{path}:{line}"

    return edit


def conf_line(setting: str):
    def edit(project: Path) -> str:
        conf = project / "conf.py"
        text = conf.read_text(encoding="utf-8")
        conf.write_text(text + "\n" + setting + "\n", encoding="utf-8")
        return f"conf.py:{len(text.splitlines()) + 2}"

    return edit


ORPHAN = """---
title: Forgotten page
description: A page that no toctree lists.
menu:
    main:
        name: Forgotten page
        identifier: forgotten
        parent: data_types
        weight: 90
---

Nobody links here.
"""

CATALOGUE = [
    BadInput("invalid YAML front matter", replace(SEED, "        weight: 20", "        weight: [20", 9),
             "the front matter is not valid YAML", pdf=True),
    BadInput("missing menu", replace(SERVICES, "menu:\n    main:\n        name: Services for researchers\n"
                                     "        identifier: imaging_data_services\n        parent: imaging_data\n"
                                     "        weight: 30\n", "", 2),
             "the front matter has no 'menu' key"),
    BadInput("weight not a number", replace(SERVICES, "weight: 30", "weight: thirty", 9),
             "menu.main.weight must be a whole number, not 'thirty'"),
    BadInput("unknown parent", replace(SERVICES, "parent: imaging_data\n", "parent: imaging\n", 8),
             "parent 'imaging' is not the identifier of any page"),
    BadInput("unknown directive", append(CHECKLIST, "```{checklist-box}\nTick me.\n```\n"),
             "Unknown directive type: 'checklist-box'", pdf=True),
    BadInput("unknown role", append(CHECKLIST, "See {accession}`S-BIAD677`.\n"),
             "Unknown interpreted text role \"accession\""),
    BadInput("broken {ref}", append(CHECKLIST, "See {ref}`no-such-section`.\n"),
             "undefined label: 'no-such-section'", pdf=True),
    BadInput("broken {doc}", append(CHECKLIST, "See {doc}`no-such-page`.\n"),
             "unknown document: 'no-such-page'"),
    BadInput("broken intersphinx target", append(CHECKLIST, "[Gone](inv:data-guidelines:std:doc#docs/gone)\n"),
             "docs/gone"),
    BadInput("missing image", append(CHECKLIST, "![A micrograph](micrograph.png)\n"),
             "image file not readable: docs/data_types/imaging_data/guidelines/micrograph.png", pdf=True),
    BadInput("duplicate label", append(CHECKLIST, "(plan-ahead)=\n## First\n\n(plan-ahead)=\n## Second\n", 3),
             'Duplicate explicit target name: "plan-ahead"'),
    BadInput("page in no toctree", new_page("docs/data_types/forgotten.md", ORPHAN, 8),
             "but that page's toctree does not list it; add 'Forgotten page <forgotten>' to it"),
    BadInput("http:// link", append(CHECKLIST, "The [archive](http://www.ebi.ac.uk/bioimage-archive/) takes it.\n"),
             "insecure link http://www.ebi.ac.uk/bioimage-archive/: link https://www.ebi.ac.uk/bioimage-archive/ instead"),
    BadInput("empty link target", append(CHECKLIST, "Read [the policy]() first.\n"),
             "the link 'the policy' has an empty target"),
    BadInput("placeholder link target", append(CHECKLIST, "Read [the policy](https://example.com/policy) first.\n"),
             "the link target 'https://example.com/policy' is a placeholder"),
    BadInput("external image", append(CHECKLIST, "![Logo](https://www.ebi.ac.uk/logo.png)\n"),
             "the image https://www.ebi.ac.uk/logo.png is loaded from another host"),
    BadInput("external script", append(CHECKLIST, '<script src="https://cdn.example.net/stats.js"></script>\n'),
             "raw HTML loads a resource from another host"),
    BadInput("external font", append(CHECKLIST, '<style>@font-face { src: url("https://fonts.example.net/a.woff2"); }</style>\n'),
             "raw HTML loads a resource from another host"),
    BadInput("external stylesheet", conf_line('html_css_files = ["https://fonts.example.net/css2?family=Inter"]'),
             "html_css_files loads https://fonts.example.net/css2?family=Inter from another host"),
]


@pytest.mark.parametrize("bad", CATALOGUE, ids=[bad.name for bad in CATALOGUE])
def test_bad_input_fails_with_file_and_line(tmp_path, bad):
    project = copy_project(tmp_path / "project")
    where = bad.edit(project)
    for target in ["html", "pdf"] if bad.pdf else ["html"]:
        result = make(project, target)
        output = result.stdout + result.stderr
        assert result.returncode != 0, f"make {target} passed with {bad.name}"
        assert "Traceback" not in output, output
        warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
        assert any(f"{where}: WARNING" in w and bad.message in w for w in warnings), (
            f"make {target}: no warning at {where} saying {bad.message!r}:\n" + "\n".join(warnings)
        )


def test_catalogue_plants_each_fault_where_it_says(tmp_path):
    """Each way to break the project still applies to today's sources (a stale one would test
    nothing), changes the copy, and names a line of the file it changed; no two are the same."""
    assert len({bad.name for bad in CATALOGUE}) == len(CATALOGUE)
    assert len({bad.message for bad in CATALOGUE if bad.message}) >= 12, "the catalogue lost kinds of fault"
    for number, bad in enumerate(CATALOGUE):
        project = copy_project(tmp_path / str(number))
        before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
        where = bad.edit(project)
        path, line = where.rsplit(":", 1)
        changed = {p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()
                   and before.get(p) != p.read_bytes()}
        assert changed == {path}, f"{bad.name}: changed {changed}, names {where}"
        assert 1 <= int(line) <= len((project / path).read_text(encoding="utf-8").splitlines()), f"{bad.name}: {where}"


# -- Reproducible builds ------------------------------------------------------------------------


def tree_differences(left: Path, right: Path) -> list[str]:
    differences = []
    comparison = filecmp.dircmp(left, right)
    differences += [f"only in one build: {name}" for name in comparison.left_only + comparison.right_only]
    for name in comparison.common_files:
        if (left / name).read_bytes() != (right / name).read_bytes():
            differences.append(str(left / name))
    for name in comparison.common_dirs:
        differences += tree_differences(left / name, right / name)
    return differences


def test_two_clean_builds_are_identical(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}  # conf.py sets it
    outputs = []
    for name in ("first", "second-build-elsewhere"):
        # A clone, so that the build sees the commit's date, with any change under test on top.
        project = readthedocs.clean_checkout(ROOT, tmp_path / name / "project", CHECKOUT_FILES)
        for target in ("html", "epub"):
            result = subprocess.run(
                [sys.executable, "-m", "sphinx", "-M", target, str(project), str(project / "_build"), "-W", "-n", "-E"],
                capture_output=True, text=True, env=environment,
            )
            assert result.returncode == 0, result.stderr
        outputs.append(project / "_build")
    first, second = outputs
    assert tree_differences(first / "html", second / "html") == []
    with zipfile.ZipFile(first / "epub" / "imaging-data-guidelines.epub") as a, \
            zipfile.ZipFile(second / "epub" / "imaging-data-guidelines.epub") as b:
        assert a.namelist() == b.namelist()
        assert [name for name in a.namelist() if a.read(name) != b.read(name)] == []


# -- Offline ------------------------------------------------------------------------------------

# Loaded by every Python process of the build (via PYTHONPATH): any attempt to open a network
# connection is written down, then refused. Unix sockets never leave the machine: sphinx-sitemap
# collects the pages through one (multiprocessing's Manager), and they stay allowed.
SOCKET_GUARD = '''
import os, socket
def _refuse(*args, **kwargs):
    with open(os.environ["NETWORK_ATTEMPTS"], "a") as log:
        log.write(repr(args[1:] or args) + "\\n")
    raise OSError("network access during the build")
def _guard(connect):
    def guarded(sock, *args, **kwargs):
        if sock.family == getattr(socket, "AF_UNIX", None):
            return connect(sock, *args, **kwargs)
        return _refuse(sock, *args, **kwargs)
    return guarded
socket.socket.connect = _guard(socket.socket.connect)
socket.socket.connect_ex = _guard(socket.socket.connect_ex)
socket.create_connection = socket.getaddrinfo = _refuse
'''


def guarded_build(tmp_path: Path, target: str, **extra_env) -> tuple[subprocess.CompletedProcess, str]:
    guard = tmp_path / "guard"
    guard.mkdir(exist_ok=True)
    (guard / "sitecustomize.py").write_text(SOCKET_GUARD)
    attempts = tmp_path / f"attempts-{target}.log"
    attempts.write_text("")
    env = {**os.environ, "PYTHONPATH": str(guard), "NETWORK_ATTEMPTS": str(attempts), **extra_env}
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-M", target, str(ROOT), str(tmp_path / f"build-{target}"), "-W", "-n", "-E"],
        capture_output=True, text=True, env=env,
    )
    return result, attempts.read_text()


@pytest.mark.parametrize("target", ["html", "pdf", "epub"])
def test_build_opens_no_connection(tmp_path, target):
    result, attempts = guarded_build(tmp_path, target)
    assert result.returncode == 0, result.stderr
    assert attempts == ""


def test_the_network_guard_catches_a_connection(tmp_path):
    """The guard is real: asking intersphinx to read the live inventory is caught."""
    result, attempts = guarded_build(tmp_path, "html", INTERSPHINX_ONLINE="1")
    assert attempts != ""


# -- Private ------------------------------------------------------------------------------------

RESOURCE_ATTRIBUTES = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src",
                       "audio": "src", "embed": "src", "object": "data", "link": "href"}


def is_remote(url: str) -> bool:
    return url.startswith("//") or re.match(r"^[a-z][a-z0-9+.-]*:", url, re.IGNORECASE) is not None \
        and not url.startswith(("data:", "mailto:"))


def built_pages(build) -> list[Path]:
    return sorted((build.builddir / "html").rglob("*.html"))


def test_pages_load_nothing_from_other_hosts(html_build):
    for page in built_pages(html_build):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in RESOURCE_ATTRIBUTES.items():
            for element in soup.find_all(tag):
                if tag == "link" and not {"stylesheet", "icon", "preload", "prefetch", "modulepreload",
                                          "manifest", "dns-prefetch", "preconnect"} & set(element.get("rel", [])):
                    continue  # rel="canonical"/"alternate" name an address; the browser fetches nothing
                url = element.get(attribute, "")
                assert not is_remote(url), f"{page.relative_to(html_build.builddir)}: <{tag}> loads {url}"
        for style in soup.find_all("style"):
            assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import", style.get_text()), page


def test_stylesheets_load_nothing_from_other_hosts(html_build):
    for stylesheet in (html_build.builddir / "html" / "_static").rglob("*.css"):
        css = stylesheet.read_text(encoding="utf-8", errors="replace")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import\s+(url\()?\s*['\"]?(https?:)?//", css), stylesheet


def test_every_external_link_uses_https(html_build):
    for page in built_pages(html_build):
        for link in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all("a", href=True):
            href = link["href"]
            if is_remote(href):
                assert href.startswith("https://"), f"{page.relative_to(html_build.builddir)}: {href}"
