"""Builds are reproducible, offline and private.

Checked on what Read the Docs serves (tests/readthedocs.py): the English project's build, a second
build of the same commit elsewhere, in another order of formats, and the network guard that every
replayed step runs under. Bad input that must fail the build: tests/test_bad_input.py and
tests/test_content_policy.py.
"""

from __future__ import annotations

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


@pytest.fixture(scope="module")
def rebuilt(read_the_docs) -> readthedocs.Replay:
    """The same commit built again in another folder, the downloads first (the PDF from a fresh
    environment, then the EPUB and the HTML on its doctrees): a build's output may depend on
    neither. The PDF's contents once lost their menu names when built after the HTML."""
    return read_the_docs.build("en", formats_first=True)


def test_a_build_in_any_order_and_folder_is_the_same(html_build, rebuilt):
    assert rebuilt.returncode == 0, rebuilt.log
    assert [step.name for step in rebuilt.steps if step.name in ("html", "epub", "build.pdf")][0] != "html"
    assert tree_differences(html_build.html, rebuilt.html) == []
    assert html_build.pdf.read_bytes() == rebuilt.pdf.read_bytes()
    with zipfile.ZipFile(html_build.epub) as a, zipfile.ZipFile(rebuilt.epub) as b:
        assert a.namelist() == b.namelist()
        assert [name for name in a.namelist() if a.read(name) != b.read(name)] == []


# -- Offline ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["branch", "external"])
@pytest.mark.parametrize("language", readthedocs.PROJECTS)
def test_build_opens_no_connection(read_the_docs, language, kind):
    build = read_the_docs.build(language, kind)
    assert build.returncode == 0, build.log
    assert build.network_attempts == []


def test_the_network_guard_catches_a_connection(tmp_path):
    """The guard is real: a Python process under it that asks for the network is written down."""
    (tmp_path / "checkout").mkdir()
    environment = {**os.environ, **readthedocs.guarded_environment(tmp_path / "checkout")}
    subprocess.run([sys.executable, "-c", "import urllib.request; urllib.request.urlopen('https://example.org/')"],
                   env=environment, capture_output=True)
    assert Path(environment["NETWORK_ATTEMPTS"]).read_text() != ""


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
