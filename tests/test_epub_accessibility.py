"""The EPUB of each edition as assistive technology meets it (_ext/imaging_guidelines/epub_accessibility.py): Ace by
DAISY finds nothing serious, every page says its language, the table of contents says what it is,
and each accessibility claim in content.opf is checked against the pages."""

from __future__ import annotations

import dataclasses
import json
import os
import posixpath
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from functools import cached_property
from pathlib import Path

import pytest

from conftest import ROOT
from site_settings import site_settings

LANGUAGES = ["en", "sv"]
ACE = ROOT / "tests" / "ace" / "node_modules" / "@daisy" / "ace" / "bin" / "ace-puppeteer.js"
INSTALL = ("`make test` installs it; or by hand: cd tests/ace && "
           "ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm ci")
NS = {"opf": "http://www.idpf.org/2007/opf", "x": "http://www.w3.org/1999/xhtml"}
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
# What the package must declare (EPUB Accessibility 1.1, 'Discovery metadata'); Ace fails without.
REQUIRED = ["accessMode", "accessModeSufficient", "accessibilityFeature", "accessibilityHazard",
            "accessibilitySummary"]
MEDIA = {"audio", "video", "object", "embed", "iframe", "canvas"}
ROLES = {"toc": "doc-toc", "page-list": "doc-pagelist", "landmarks": "navigation"}  # epub:type → role
SEVERE = {"serious", "critical"}


@dataclasses.dataclass
class Edition:
    language: str
    epub: Path

    @cached_property
    def files(self) -> dict[str, bytes]:
        with zipfile.ZipFile(self.epub) as book:
            return {name: book.read(name) for name in book.namelist()}

    @cached_property
    def opf(self) -> ET.Element:
        return ET.fromstring(self.files["content.opf"])

    @cached_property
    def documents(self) -> dict[str, ET.Element]:
        """Every XHTML content document in the manifest, nav.xhtml and the cover included."""
        return {item.get("href"): ET.fromstring(self.files[item.get("href")])
                for item in self.opf.iterfind("opf:manifest/opf:item", NS)
                if item.get("media-type") == "application/xhtml+xml"}

    @cached_property
    def cover(self) -> str:
        return self.opf.find("opf:guide/opf:reference[@type='cover']", NS).get("href")

    @cached_property
    def spine(self) -> list[str]:
        hrefs = {item.get("id"): item.get("href") for item in self.opf.iterfind("opf:manifest/opf:item", NS)}
        return [hrefs[ref.get("idref")] for ref in self.opf.iterfind("opf:spine/opf:itemref", NS)]

    def claims(self, name: str) -> list[str]:
        return [meta.text for meta in self.opf.iterfind(f"opf:metadata/opf:meta[@property='schema:{name}']", NS)]

    def elements(self, *tags: str) -> list[tuple[str, ET.Element]]:
        """(document, element) for every element of these tags in the content documents."""
        return [(name, element) for name, root in self.documents.items()
                for tag in tags for element in root.iter(XHTML + tag)]


@pytest.fixture(scope="module", params=LANGUAGES)
def edition(request, read_the_docs) -> Edition:
    build = read_the_docs.build(request.param)
    assert build.returncode == 0, build.log
    return Edition(request.param, build.epub)


def test_the_cover_is_in_the_books_language(edition):
    """The cover's picture shows the edition's title, which is its alternative text too."""
    title = site_settings()["editions"][edition.language]["project"]
    page = edition.documents[edition.cover]
    images = list(page.iter(XHTML + "img"))
    assert [image.get("alt") for image in images] == [title], f"{edition.cover}: the cover's alternative text"
    picture = edition.files[posixpath.normpath(posixpath.join(posixpath.dirname(edition.cover), images[0].get("src")))]
    shown = "".join(ET.fromstring(picture).itertext())
    assert title in shown, f"the {edition.language} EPUB's cover shows {shown.split()!r}, not its title {title!r}"


def start_when_built(read_the_docs, tmp_path_factory) -> dict[str, tuple[subprocess.Popen, Path]]:
    """Ace by DAISY on each edition's served EPUB, both at once (each takes a while and a core), as
    soon as they are built (conftest.py), run on Debian's Chromium (no browser of its own):
    {language: (process, its output folder)}."""
    if not shutil.which("node"):
        pytest.fail(f"Node.js is missing, which Ace by DAISY needs: {INSTALL} (Debian package npm)")
    if not ACE.exists():
        pytest.fail(f"Ace by DAISY is not installed in tests/ace/node_modules: {INSTALL}")
    chromium = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium")
    if not chromium:
        pytest.fail("Chromium is missing, which Ace by DAISY runs the pages in: `make test` installs it "
                    "(Debian package chromium), or set PUPPETEER_EXECUTABLE_PATH to a Chrome")
    runs = {}
    for language in LANGUAGES:
        outdir = tmp_path_factory.mktemp(f"ace-{language}")
        with (outdir / "ace.log").open("w") as log:
            process = subprocess.Popen(["node", str(ACE), "--silent", "--force", "--outdir", str(outdir),
                                        str(read_the_docs.build(language).epub)], stdout=log, stderr=subprocess.STDOUT,
                                       env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium})
        runs[language] = (process, outdir)
    return runs


@pytest.fixture(scope="session")
def ace_runs(read_the_docs) -> dict[str, tuple[subprocess.Popen, Path]]:
    runs = read_the_docs.background[__name__].result()
    yield runs
    for process, _ in runs.values():
        process.kill()


@pytest.fixture(scope="module")
def ace_report(edition, ace_runs) -> dict:
    """Ace's report.json for the edition."""
    process, outdir = ace_runs[edition.language]
    process.wait(timeout=600)
    report = outdir / "report.json"
    assert process.returncode == 0 and report.exists(), (outdir / "ace.log").read_text()
    print(f"Ace's report for {edition.language}: {outdir / 'report.html'}")
    return json.loads(report.read_text(encoding="utf-8"))


def findings(report: dict) -> list[tuple[str, str, str, str]]:
    """Every violation Ace reports: (impact, rule, file, what)."""
    return [(test["earl:test"]["earl:impact"], test["earl:test"]["dct:title"], document["earl:testSubject"]["url"],
             test["earl:result"].get("dct:description", ""))
            for document in report["assertions"] for test in document.get("assertions", [])
            if test["earl:result"]["earl:outcome"] == "fail"]


def test_ace_finds_nothing_serious_or_critical(ace_report, edition):
    found = findings(ace_report)
    counts = {impact: sum(1 for f in found if f[0] == impact)
              for impact in ("critical", "serious", "moderate", "minor")}
    print(f"Ace, {edition.language} edition: {counts}")
    severe = [f"{rule} ({impact}) in {file}: {what}" for impact, rule, file, what in found if impact in SEVERE]
    assert severe == [], f"Ace by DAISY, {edition.language} edition:\n" + "\n".join(severe)


def test_every_page_says_its_language(edition):
    wrong = {name: (root.get("lang"), root.get(XML_LANG)) for name, root in edition.documents.items()
             if (root.get("lang"), root.get(XML_LANG)) != (edition.language, edition.language)}
    assert wrong == {}, f"<html> lang, xml:lang where both should be {edition.language!r}"


def test_table_of_contents_is_marked_for_assistive_technology(edition):
    nav = edition.documents["nav.xhtml"]
    navs = list(nav.iter(XHTML + "nav"))
    assert [n.get(EPUB_TYPE) for n in navs if n.get(EPUB_TYPE) == "toc"] == ["toc"]
    for element in navs:
        assert element.get("role") == ROLES[element.get(EPUB_TYPE)], ET.tostring(element)[:100]
    if edition.language != "en":  # Sphinx writes its heading in English unless it is translated
        assert nav.find("x:body/x:nav/x:h1", NS).text != "Table of Contents"


def test_accessibility_metadata_is_declared(edition):
    assert [name for name in REQUIRED if not edition.claims(name)] == []
    # What this book has, and so should say: a navigation document, and headings.
    assert {"tableOfContents", "structuralNavigation"} <= set(edition.claims("accessibilityFeature"))


# Each claim the package can make, and what makes it true of the pages. A claim without a check
# here fails test_every_accessibility_feature_is_true: add its check before claiming it.
def table_of_contents(edition: Edition) -> list[str]:
    """nav.xhtml links every page of the reading order but the cover."""
    links = {a.get("href").split("#")[0] for a in edition.documents["nav.xhtml"].iter(XHTML + "a")}
    return [page for page in edition.spine if page != edition.cover and page not in links]


def structural_navigation(edition: Edition) -> list[str]:
    """Every page but the cover opens with an h1, and no heading skips a level."""
    wrong = []
    for name, root in edition.documents.items():
        if name == edition.cover:
            continue
        levels = [int(e.tag[-1]) for e in root.iter() if re.fullmatch(re.escape(XHTML) + "h[1-6]", e.tag)]
        if levels[:1] != [1] or any(b > a + 1 for a, b in zip(levels, levels[1:])):
            wrong.append(f"{name}: heading levels {levels}")
    return wrong


def images_without_alt(edition: Edition) -> list[str]:
    """Every img has alt text (and there are images: the claim says something)."""
    images = edition.elements("img", "svg", "image")
    missing = [f"{name}: {ET.tostring(e)[:120]!r}" for name, e in images if not (e.get("alt") or "").strip()]
    return missing if images else ["there are no images"]


FEATURES = {"tableOfContents": table_of_contents, "structuralNavigation": structural_navigation,
            "alternativeText": images_without_alt}


def test_every_accessibility_feature_is_true(edition):
    for feature in edition.claims("accessibilityFeature"):
        assert feature in FEATURES, f"no check for the claim {feature!r}: add one to FEATURES"
        assert FEATURES[feature](edition) == [], f"claims {feature!r}"


def test_access_modes_are_true(edition):
    images = edition.elements("img", "svg", "image")
    modes = edition.claims("accessMode")
    assert "textual" in modes
    assert ("visual" in modes) == bool(images), f"accessMode {modes}, with {len(images)} images"
    assert set(modes) <= {"textual", "visual"}, modes  # no audio, no tactile content
    if "textual" in edition.claims("accessModeSufficient"):  # text alone conveys everything
        assert images_without_alt(edition) in ([], ["there are no images"])
        assert edition.elements(*MEDIA) == []


def test_hazards_are_true(edition):
    hazards = edition.claims("accessibilityHazard")
    assert hazards in (["none"], ["unknown"]) or "none" not in hazards, hazards
    if hazards == ["none"]:  # no sound, video, flashing or motion
        assert [name for name, _ in edition.elements(*MEDIA)] == []
        assert [name for name in edition.files if name.endswith(".gif")] == []
        assert [item.get("href") for item in edition.opf.iterfind("opf:manifest/opf:item", NS)
                if item.get("media-type").startswith(("audio/", "video/"))] == []
        animated = [name for name, root in edition.documents.items()
                    for e in root.iter() if "sd-animate" in (e.get("class") or "")]
        assert animated == [], "sphinx-design animations"


def test_summary_is_in_the_editions_language(edition, read_the_docs):
    [summary] = edition.opf.iterfind("opf:metadata/opf:meta[@property='schema:accessibilitySummary']", NS)
    assert summary.get(XML_LANG, edition.opf.get(XML_LANG)) == edition.language
    assert len(summary.text) > 40
    if edition.language != "en":
        english = Edition("en", read_the_docs.build("en").epub).claims("accessibilitySummary")[0]
        sentences = set(re.split(r"(?<=\.) ", english))
        assert sentences.isdisjoint(re.split(r"(?<=\.) ", summary.text)), summary.text
    if edition.language == "sv":
        assert re.search("[åäö]", summary.text), summary.text
