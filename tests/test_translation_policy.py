"""A translation cannot move a link, and a fault in a translation names the .po file and line.

The catalogue below breaks one Swedish message each in a temporary copy of the project and builds
the Swedish edition strictly, as `make html LANGUAGE=sv` does and as Read the Docs does: each must
fail, name the .po file and line of the msgstr and the English source, end in a message rather
than a traceback, and write nothing of the bad target into the HTML or the search index
(_ext/translation_policy.py).
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_project, sphinx_build
from translation_policy import compare, link_targets

LOCALE = "locale/sv/LC_MESSAGES"
REPOSITORIES = "docs/data_types/imaging_data/guidelines/repositories"
CHECKLIST = "docs/data_types/imaging_data/guidelines/checklist"
ARCHIVE = "https://www.ebi.ac.uk/bioimage-archive/"


@dataclasses.dataclass
class BadTranslation:
    """One way to break a translation: *old* becomes *new* in the msgstr of *page*'s catalogue."""

    name: str
    page: str
    old: str
    new: str
    message: str  # what the warning must say
    bad: str  # what must not reach the output
    english: str = ""  # extra English text, appended to the page (with its message) first
    conf: str = ""  # a line added to conf.py


def add_english(project: Path, page: str, english: str) -> None:
    """Append a paragraph to the English page, and to its catalogue as a message (msgstr = msgid)."""
    source = project / f"{page}.md"
    text = source.read_text(encoding="utf-8").rstrip("\n") + "\n"
    source.write_text(f"{text}\n{english}\n", encoding="utf-8")
    line = len(text.splitlines()) + 2
    po = project / LOCALE / f"{page}.po"
    po.write_text(po.read_text(encoding="utf-8")
                  + f'\n#: ../../{page}.md:{line}\nmsgid "{english}"\nmsgstr "{english}"\n', encoding="utf-8")


def break_translation(project: Path, bad: BadTranslation) -> tuple[str, str]:
    """Apply *bad* to the copy; returns where the warning must point: (.po:line, English .md:line)."""
    if bad.english:
        add_english(project, bad.page, bad.english)
    if bad.conf:
        conf = project / "conf.py"
        conf.write_text(conf.read_text(encoding="utf-8") + "\n" + bad.conf + "\n", encoding="utf-8")
    po = project / LOCALE / f"{bad.page}.po"
    text = po.read_text(encoding="utf-8")
    assert text.count(bad.old) >= 1, f"{bad.old!r} is no longer in {po}"
    edited = text.replace(bad.old, bad.new, 1)
    po.write_text(edited, encoding="utf-8")
    lines = edited.splitlines()
    at = edited[:edited.index(bad.new)].count("\n") + 1
    msgstr = next(n for n in range(at, 0, -1) if lines[n - 1].startswith("msgstr"))
    comment = next(lines[n - 1] for n in range(msgstr, 0, -1) if lines[n - 1].startswith("#: "))
    return f"{LOCALE}/{bad.page}.po:{msgstr}", comment.split()[1].removeprefix("../../")


CATALOGUE = [
    BadTranslation(
        "link moved to another site", REPOSITORIES,
        f'"[BioImage Archive]({ARCHIVE}), som drivs av"', '"[BioImage Archive](https://evil.example/), som drivs av"',
        f"the translation links to https://evil.example/ where the English links to {ARCHIVE} (in the translation "
        f"of {REPOSITORIES}.md:83): keep the English link targets and roles in the msgstr, or add the pair to "
        "translation_link_map in conf.py", "evil.example"),
    BadTranslation(
        "link dropped", REPOSITORIES,
        '"[inlämningsguiden](https://www.ebi.ac.uk/bioimage-archive/submit/) "', '"inlämningsguiden (utan länk) "',
        "the translation drops the link to https://www.ebi.ac.uk/bioimage-archive/submit/", "(utan länk)"),
    BadTranslation(
        "link added", REPOSITORIES,
        '"[BioImage Archive](https://www.ebi.ac.uk/bioimage-archive/), som drivs av"',
        '"[BioImage Archive](https://www.ebi.ac.uk/bioimage-archive/) ([statistik](https://tracker.example/s)), som drivs av"',
        "the translation adds the link to https://tracker.example/s, which the English does not have",
        "tracker.example"),
    BadTranslation(
        "autolink changed", CHECKLIST,
        'msgstr "Questions about deposits: <https://www.ebi.ac.uk/support/>."',
        'msgstr "Frågor om deponering: <https://evil.example/support/>."',
        "the translation links to https://evil.example/support/ where the English links to "
        "https://www.ebi.ac.uk/support/", "evil.example",
        english="Questions about deposits: <https://www.ebi.ac.uk/support/>."),
    BadTranslation(
        "broken {ref} introduced", REPOSITORIES,
        '"är osäker listar sidan [Tillgängliga tjänster](../services.md) vilka som "',
        '"är osäker listar sidan {ref}`Tillgängliga tjänster <no-such-section>` vilka som "',
        "the translation links to {ref}`no-such-section` where the English links to ../services.md (in the "
        "translation of docs/data_types/imaging_data/guidelines/repositories.md:12): keep the English link targets "
        "and roles in the msgstr; until then the build shows the English text",
        "no-such-section"),
    BadTranslation(
        "broken {doc} added", REPOSITORIES,
        '"är osäker listar sidan [Tillgängliga tjänster](../services.md) vilka som "',
        '"är osäker listar sidan [Tillgängliga tjänster](../services.md) (se {doc}`no-such-page`) vilka som "',
        "the translation adds the link to {doc}`no-such-page`, which the English does not have", "no-such-page"),
    BadTranslation(
        "unknown role introduced", REPOSITORIES,
        '"är osäker listar sidan [Tillgängliga tjänster](../services.md) vilka som "',
        '"är osäker listar sidan [Tillgängliga tjänster](../services.md) ({accession}`S-BIAD999`) vilka som "',
        "the translation adds the role {accession}, which the English does not have", "S-BIAD999"),
    # The map lets the catalogue check pass, but Sphinx itself refuses a cross-reference that
    # changes target: its own warning must name the .po, and the link must not be written.
    BadTranslation(
        "inconsistent reference (Sphinx's own warning)", REPOSITORIES,
        '"är osäker listar sidan [Tillgängliga tjänster](../services.md) vilka som "',
        '"är osäker listar sidan [Tillgängliga tjänster](../tjanster.md) vilka som "',
        "inconsistent term references in translated message", "tjanster",
        conf='translation_link_map = {"sv": {"../services.md": "../tjanster.md"}}'),
]


def read_the_docs_build(project: Path) -> tuple[int, str, Path]:
    """Read the Docs' command line for the Swedish project, in the checkout."""
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-T", "-W", "--keep-going", "-b", "html", "-d", "_build/doctrees",
         "-D", "language=sv", ".", "out"],
        cwd=project, capture_output=True, text=True,
    )
    return result.returncode, result.stderr + result.stdout, project / "out"


def published(html: Path) -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in [*html.rglob("*.html"), html / "searchindex.js"])


@pytest.mark.parametrize("bad", CATALOGUE, ids=[bad.name for bad in CATALOGUE])
def test_bad_translation_fails_at_po_line(tmp_path, bad):
    project = copy_project(tmp_path / "project")
    po_line, english = break_translation(project, bad)
    build = sphinx_build(project, tmp_path / "make", "html", "-D", "language=sv")
    read_the_docs = read_the_docs_build(project)
    for how, (returncode, log, html) in {
        "make html LANGUAGE=sv": (build.returncode, build.log, build.builddir / "html"),
        "Read the Docs": read_the_docs,
    }.items():
        assert returncode != 0, f"{how} passed with {bad.name}"
        assert "Traceback" not in log, log
        warnings = [line for line in log.splitlines() if "WARNING" in line]
        assert any(f"{po_line}: WARNING" in w and english in w and bad.message in w for w in warnings), (
            f"{how}: no warning at {po_line} naming {english} and saying {bad.message!r}:\n" + "\n".join(warnings)
        )
        assert bad.bad not in published(html), f"{how}: {bad.bad!r} reached the output"


def test_catalogue_is_complete():
    assert len(CATALOGUE) >= 5


def test_the_map_allows_a_listed_pair(tmp_path):
    project = copy_project(tmp_path / "project")
    swedish = "https://www.ebi.ac.uk/bioimage-archive/?lang=sv"
    conf = project / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + f'\ntranslation_link_map = {{"sv": {{"{ARCHIVE}": "{swedish}"}}}}\n')
    po = project / LOCALE / f"{REPOSITORIES}.po"
    po.write_text(po.read_text(encoding="utf-8").replace(f'"[BioImage Archive]({ARCHIVE}), som drivs av"',
                                                         f'"[BioImage Archive]({swedish}), som drivs av"', 1))
    build = sphinx_build(project, tmp_path / "build", "html", "-D", "language=sv")
    assert build.returncode == 0, build.log
    assert build.warnings == []
    assert f'href="{swedish}"' in (build.builddir / "html" / f"{REPOSITORIES}.html").read_text(encoding="utf-8")


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
