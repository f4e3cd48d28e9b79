"""A translation keeps the English links and facts, and a fault in it names the .po file and line.

Each case adds an English paragraph (and its message) to one copy of tests/roots/test-editions/
and breaks its Swedish msgstr in one way; the copy is built once as the Swedish edition, with
warnings as errors, keeping going as Read the Docs does: the build must fail, name for each case
the .po file and line of the msgstr and the English source, and write nothing of the bad
translation into the HTML or the search index (_ext/imaging_guidelines/translations.py).
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from conftest import warnings_of
from imaging_guidelines.translations import changed_facts, compare, link_targets

pytestmark = pytest.mark.quick

LOCALE = "locale/sv/LC_MESSAGES"
PAGE = "docs/page"
ARCHIVE = "https://www.ebi.ac.uk/bioimage-archive/"
LONG = ("The archive takes large datasets through its upload tool. Register at least a week before the upload, so "
        "that its curators can plan.")
ENGLISH = f"The [BioImage Archive]({ARCHIVE}) takes it; the [other page](../index.md) says why."


@dataclasses.dataclass
class BadTranslation:
    """One way to break a translation: *old* becomes *new* in the msgstr of *english*'s message."""

    name: str
    old: str
    new: str
    message: str  # what the warning must say
    bad: str  # what must not reach the output
    english: str = ENGLISH  # the English paragraph added to the page (its msgstr starts as a copy)
    conf: str = ""  # a line added to conf.py


def add_english(project: Path, english: str) -> str:
    """Append a paragraph to the English page, and to its catalogue as a message (msgstr = msgid);
    return its 'page.md:line'."""
    source = project / f"{PAGE}.md"
    text = source.read_text(encoding="utf-8").rstrip("\n") + "\n"
    source.write_text(f"{text}\n{english}\n", encoding="utf-8")
    line = len(text.splitlines()) + 2
    po = project / LOCALE / f"{PAGE}.po"
    po.write_text(po.read_text(encoding="utf-8")
                  + f'\n#: ../../{PAGE}.md:{line}\nmsgid "{english}"\nmsgstr "{english}"\n', encoding="utf-8")
    return f"{PAGE}.md:{line}"


def break_translation(project: Path, bad: BadTranslation) -> tuple[str, str]:
    """Apply *bad* to the copy; return where the warning must point: (.po:line, English .md:line)."""
    english = add_english(project, bad.english)
    if bad.conf:
        with (project / "conf.py").open("a", encoding="utf-8") as conf:
            conf.write(f"\n{bad.conf}\n")
    po = project / LOCALE / f"{PAGE}.po"
    lines = po.read_text(encoding="utf-8").splitlines()
    assert bad.old in lines[-1], f"{bad.old!r} is not in {bad.english!r}"
    lines[-1] = lines[-1].replace(bad.old, bad.new, 1)
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f"{LOCALE}/{PAGE}.po:{len(lines)}", english


CATALOGUE = [
    BadTranslation("link moved to another site", ARCHIVE, "https://evil.example/",
                   f"the translation links to https://evil.example/ where the English links to {ARCHIVE}",
                   "evil.example"),
    BadTranslation("link dropped", f"[BioImage Archive]({ARCHIVE})", "BioImage Archive (utan länk)",
                   f"the translation drops the link to {ARCHIVE}", "(utan länk)"),
    BadTranslation("link added", "takes it;", "takes it ([statistik](https://tracker.example/s));",
                   "the translation adds the link to https://tracker.example/s, which the English does not have",
                   "tracker.example"),
    BadTranslation("autolink changed", "<https://www.ebi.ac.uk/support/>", "<https://evil.example/support/>",
                   "the translation links to https://evil.example/support/ where the English links to "
                   "https://www.ebi.ac.uk/support/", "evil.example",
                   english="Questions about deposits: <https://www.ebi.ac.uk/support/>."),
    BadTranslation("broken {ref} introduced", "[other page](../index.md)", "{ref}`sidan <no-such-section>`",
                   "the translation links to {ref}`no-such-section` where the English links to ../index.md",
                   "no-such-section"),
    BadTranslation("broken {doc} added", " says why", " (se {doc}`no-such-page`) says why",
                   "the translation adds the link to {doc}`no-such-page`, which the English does not have",
                   "no-such-page"),
    BadTranslation("unknown role introduced", " says why", " ({accession}`S-BIAD999`) says why",
                   "the translation adds the role {accession}, which the English does not have", "S-BIAD999"),
    # The map pairs web addresses only: a cross-reference keeps its target, map or not.
    BadTranslation("cross-reference moved by the map", "../index.md", "../tjanster.md",
                   "the translation links to ../tjanster.md where the English links to ../index.md", "tjanster",
                   conf='translation_link_map = {"sv": {"../index.md": "../tjanster.md"}}'),
    # Facts that a translation copies: numbers, accessions, licences; and a dropped sentence.
    BadTranslation("number changed", "50 GB", "5 GB", "the translation says 5 where the English says 50", "5 GB",
                   english="Upload up to 50 GB per file."),
    BadTranslation("accession changed", "S-BIAD677", "S-BIAD676",
                   "the translation says S-BIAD676 where the English says S-BIAD677", "S-BIAD676",
                   english="The images are in S-BIAD677."),
    BadTranslation("licence changed", "CC0", "CC BY-NC 4.0",
                   "the translation says CC BY-NC 4.0 where the English says CC0", "CC BY-NC",
                   english="EMPIAR releases every entry under CC0."),
    BadTranslation("sentence dropped", LONG, "Arkivet tar emot stora dataset.", "check that no sentence is missing",
                   "Arkivet tar emot", english=LONG),
]


def build_swedish(project: Path) -> tuple[int, list[str], str]:
    """Build *project* as the Swedish edition: (status, warnings, its HTML and search index)."""
    app = SphinxTestApp("html", srcdir=project, freshenv=True, warningiserror=True, confoverrides={"language": "sv"})
    try:
        app.build(force_all=True)
        html = "\n".join(path.read_text(encoding="utf-8")
                         for path in [*Path(app.outdir).rglob("*.html"), Path(app.outdir) / "searchindex.js"])
        return app.statuscode, warnings_of(app), html
    finally:
        app.cleanup()


@pytest.fixture(scope="module")
def catalogue_build(rootdir, tmp_path_factory):
    """One copy of test-editions with every case of the catalogue, each its own paragraph (and
    message, tagged "Case A:", "Case B:", …), built once: (status, warnings, html, {case: where})."""
    project = tmp_path_factory.mktemp("translations") / "site"
    shutil.copytree(rootdir / "test-editions", project)
    where = {bad.name: break_translation(project, dataclasses.replace(bad, english=f"Case {chr(65 + index)}: {bad.english}"))
             for index, bad in enumerate(CATALOGUE)}
    return (*build_swedish(project), where)


@pytest.mark.parametrize("bad", CATALOGUE, ids=[bad.name for bad in CATALOGUE])
def test_bad_translation_fails_at_po_line(catalogue_build, bad):
    statuscode, warnings, html, where = catalogue_build
    po_line, english = where[bad.name]
    assert statuscode == 1, f"the build passed with {bad.name}"
    assert any(f"{po_line}: WARNING" in w and english in w and bad.message in w for w in warnings), (
        f"no warning at {po_line} naming {english} and saying {bad.message!r}:\n" + "\n".join(warnings)
    )
    assert bad.bad not in html, f"{bad.bad!r} reached the output"


def test_the_map_allows_a_listed_pair(rootdir, tmp_path):
    swedish = "https://www.ebi.ac.uk/bioimage-archive/?lang=sv"
    allowed = BadTranslation("mapped", ARCHIVE, swedish, "", "", conf=f'translation_link_map = {{"sv": {{"{ARCHIVE}": "{swedish}"}}}}')
    project = tmp_path / "site"
    shutil.copytree(rootdir / "test-editions", project)
    break_translation(project, allowed)
    statuscode, warnings, html = build_swedish(project)
    assert (statuscode, warnings) == (0, [])
    assert f'href="{swedish}"' in html


def test_facts_are_read_as_a_reader_reads_them():
    """75,000 is 75 000, 1.5 is 1,5; a number inside a link target or code is the link check's."""
    assert changed_facts("About 75,000 images, 1.5 TB.", "Cirka 75\u00a0000 bilder, 1,5 TB.") is None
    assert changed_facts("See [idr0094](https://doi.org/10.17867/10000148).", "Se [idr0094](https://x/1).") is None
    assert changed_facts("Up to 20 GB in `S-BIAD` 2 files.", "Upp till 20 GB i `S-BIAD` 3 filer.") is not None


def test_link_targets_are_parsed_as_markdown():
    text = (
        "See [the archive](https://a.example/x) and <https://b.example/> or [its guide][guide], "
        "{ref}`a section <plan-ahead>`, {doc}`../services`, {abbr}`EM (electron microscopy)`, "
        "![a logo](logo.png)[^1], `[not a link](https://c.example/)` and \\[no link](https://d.example/)."
    )
    assert link_targets(text, definitions={"GUIDE": {"href": "https://e.example/guide", "title": ""}}) == [
        "https://a.example/x", "https://b.example/", "https://e.example/guide",
        "{ref}`plan-ahead`", "{doc}`../services`", "{abbr}", "logo.png", "[^1]",
    ]
    # Swedish link text, the same targets in another order: nothing changed.
    assert compare(link_targets("[a](https://a.example/) [b](../x.md)"),
                   link_targets("[B](../x.md) [A](https://a.example/)"), {}) == ([], [])
    assert compare(["https://a.example/"], ["https://evil.example/"], {}) == (["https://a.example/"],
                                                                               ["https://evil.example/"])
    assert compare(["https://a.example/en"], ["https://a.example/sv"], {"https://a.example/en": "https://a.example/sv"}) \
        == ([], [])
