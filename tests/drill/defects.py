"""The defect drill: does the test suite fail for the defects its tests' names promise to catch?

Each defect below is a small patch that a plausible change could make. The drill plants each one
in a copy of the project of its own (a clean clone of the last commit with the working tree's
uncommitted sources on top, tests/readthedocs.py: clean_checkout; the working tree itself is never
touched), runs the tests named for it against that copy (PROJECT_ROOT, which tests/conftest.py's
ROOT honours) and reports, per defect, whether every one of those tests failed: caught, or missed.

    .venv/bin/python tests/drill/defects.py            # every defect
    .venv/bin/python tests/drill/defects.py 4 7        # only defects 4 and 7
    .venv/bin/python tests/drill/defects.py --list     # the defects and their tests
    .venv/bin/python tests/drill/defects.py --control  # also run each defect's tests on an
                                                       # unplanted copy: they must pass there

It exits 1 if any defect is missed (or, with --control, if a test fails without its defect).
Each defect builds both editions in every format, as Read the Docs does: about a minute each.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

import readthedocs  # noqa: E402 - after the path
from conftest import CHECKOUT_FILES  # noqa: E402

SWEDISH_INDEX = "locale/sv/LC_MESSAGES/index.po"


def edit(copy: Path, path: str, old: str, new: str, count: int = 1) -> None:
    """Replace *old* by *new* in *path* of the copy; *old* must be there (*count* times, 0: any)."""
    file = copy / path
    text = file.read_text(encoding="utf-8")
    found = text.count(old)
    assert found and (count == 0 or found == count), f"{path}: {old!r} found {found} times, not {count or 'any'}"
    file.write_text(text.replace(old, new), encoding="utf-8")


def append_to_conf(copy: Path, code: str) -> None:
    """Add *code* to conf.py, with its own setup(app) chained after conf.py's."""
    conf = copy / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "\n\n# -- Planted by tests/drill/defects.py --\n"
                    + '_drill_setup = globals().get("setup", lambda app: None)\n\n' + code, encoding="utf-8")


def append_rule(copy: Path, stylesheet: str, rule: str) -> None:
    """Add a CSS *rule* at the end of *stylesheet*, where it overrides what comes before."""
    css = copy / stylesheet
    css.write_text(css.read_text(encoding="utf-8") + f"\n{rule}\n", encoding="utf-8")


@dataclasses.dataclass
class Defect:
    name: str
    what: str  # the defect, as a reader meets it
    plant: Callable[[Path], None]
    tests: list[str]  # pytest node ids, relative to the project: each must fail


# -- The defects --------------------------------------------------------------------------------


def card_bodies_dropped_from_pdf(copy: Path) -> None:
    append_to_conf(copy, '''
def _drill_drop_card_bodies(app, doctree, docname):
    from docutils import nodes
    if app.builder.name != "pdf":
        return
    for body in list(doctree.findall(nodes.Element)):
        if "sd-card-body" in body.get("classes", []):
            for child in list(body.children):
                if "sd-card-title" not in getattr(child, "get", lambda *_: [])("classes", []):
                    body.remove(child)


def setup(app):
    _drill_setup(app)
    app.connect("doctree-resolved", _drill_drop_card_bodies)
''')


def one_date_everywhere(copy: Path) -> None:
    append_to_conf(copy, '''
def _drill_one_date(app, pagename, templatename, context, doctree):
    if context.get("last_updated"):
        context["last_updated"] = app.config.today  # the last commit's day, on every page


def setup(app):
    _drill_setup(app)
    app.connect("html-page-context", _drill_one_date, priority=900)
''')


def no_tick_boxes_in_print(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/task_checkboxes.py", 'if getattr(self, "prints_task_boxes", False):', "if False:")


def swedish_epub_reuses_identifier(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/editions.py", 'config.epub_uid = config.epub_identifier = f"{config.epub_identifier}-{config.language}"',
         "pass")


def retarget(copy: Path, old: str, new: str) -> None:
    """A card's link sent elsewhere in index.md and, the same way, in its Swedish catalogue (where
    gettext wraps the target over lines: matched across the wrap)."""
    edit(copy, "index.md", old, new)
    po = copy / SWEDISH_INDEX
    text = po.read_text(encoding="utf-8")
    wrapped = r'(?:"\n")?'.join(re.escape(c) for c in old)
    text, found = re.subn(wrapped, new.replace("\\", r"\\"), text)
    assert found == 2, f"{SWEDISH_INDEX}: {old!r} found {found} times (msgid and msgstr)"
    po.write_text(text, encoding="utf-8")


def deposit_link_to_wrong_archive(copy: Path) -> None:
    retarget(copy, "repositories.md#microscopy-archives", "repositories.md#electron-microscopy-and-structures")


def describe_link_to_wrong_section(copy: Path) -> None:
    retarget(copy, "metadata.md#rembi", "metadata.md#ontologies")


def swedish_404_title_in_english(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/editions.py", '"title": str(_("Page not found"))', '"title": "Page not found"')


def design_stylesheet_dropped(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/page_assets.py", "if doctree is None or not uses_design(doctree):", "if True:")


def pygments_stylesheet_dropped(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/page_assets.py", "if doctree is None or not has_code(doctree):", "if True:")


def swedish_pdf_subject_in_english(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/pdf/theme/page.html", '<meta name="description" content="{{ edition.subtitle|e }}">',
         '<meta name="description" content="Publishing imaging data from COVID-19 and pathogen research">')


def swedish_epub_description_in_english(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/editions.py", '    config.epub_description = edition["subtitle"]\n', "")


def pdf_tree_left_as_weasyprint_builds_it(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/pdf/structure.py", "        rebuild_tree(pdf, sources, owners)\n", "")


def pdf_page_furniture_not_artifacts(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/pdf/structure.py",
         "                        operands = [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)]\n",
         "                        pass\n")


def pdf_headings_one_level_deep(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/pdf/__init__.py", "        level = self.section_level - 1  #", "        level = self.section_level  #")


def pdf_contents_numbers_before_the_page(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/pdf/__init__.py", """            section["ids"].insert(0, f"document-{holder['docname']}")""", "            pass")


def pdf_table_cells_do_not_wrap(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/pdf/theme/static/pdf.css", "    text-align: left;\n    overflow-wrap: anywhere;\n",
         "    text-align: left;\n    white-space: nowrap;\n")


def pdf_character_without_glyph(copy: Path) -> None:
    edit(copy, "docs/data_types/imaging_data/guidelines/checklist.md", "Print this page", "\U0001F9A0 Print this page")


def pdf_other_font_for_code(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/pdf/theme/static/pdf.css", 'code, pre, kbd, tt { font-family: "FreeMono";',
         'code, pre, kbd, tt { font-family: "DejaVu Sans Mono";')


def pdf_decorative_image_tagged(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/pdf/structure.py", '''        if tag == "img" and decorative in (box.element.get("class") or "").split():
            return True
''', "")


def pdf_header_cells_without_scope(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/pdf/structure.py", "        scope_header_cells(pdf, reached)\n", "")


def pdf_image_alt_unchecked(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/pdf/__init__.py", '    app.connect("doctree-resolved", check_images_have_alternative_text)\n', "")


# The classes of issue 30: each its own check, in the quick loop where it can live there.


def script_link_through_a_control_character(copy: Path) -> None:
    # What the policy did before: a scheme read from the URL with Python's whitespace stripped,
    # which leaves U+0001 in front of "javascript:".
    edit(copy, "_ext/imaging_guidelines/content_policy.py", "    if scheme not in LINK_SCHEMES:\n",
         '    if scheme not in LINK_SCHEMES and re.match(r"^[a-z][a-z0-9+.-]*:", url.strip(), re.IGNORECASE):\n')


def translation_facts_unchecked(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/translations.py", '(changed_facts(message.id, message.string), "facts")',
         '(None, "facts")')


def accession_text_against_its_link(copy: Path) -> None:
    edit(copy, "docs/data_types/imaging_data/data.md", "lists the maps.",
         "lists the maps, such as [EMD-11562](https://www.ebi.ac.uk/emdb/EMD-11526).")


def guide_steps_take_no_focus(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/repository_data.py", ', tabindex="-1"))', "))")


def guide_archive_left_out(copy: Path) -> None:
    edit(copy, "data/guide.yaml", "    - archives: [bimcv]\n", "")
    edit(copy, "_ext/imaging_guidelines/repository_data.py", "for archive in archives.values() if archive[\"id\"] not in ends]",
         "for archive in archives.values() if False]")


def diagram_answer_left_out(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/repository_data.py",
         '            edges.append((item.parent["guide_from"], item["guide_to"], answer.astext()))\n',
         '            edges.append((item.parent["guide_from"], item["guide_to"], answer.astext())) '
         'if item["guide_to"] != "to-bimcv" else None\n')


def diagram_first_question_in_english(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/repository_data.py", 'labels, edges = {tree["guide_from"]: first.astext()}, []',
         'labels, edges = {tree["guide_from"]: "What do your images show?"}, []')


def diagram_shrunk_to_the_phone(copy: Path) -> None:
    edit(copy, "_static/css/custom.css", ".guide-diagram img {\n    max-width: none;\n}\n", "")


def glossary_term_unlinked(copy: Path) -> None:
    edit(copy, "docs/data_types/imaging_data/guidelines/checklist.md", "following {term}`MIFA`", "following MIFA")


def report_without_the_page(copy: Path) -> None:
    edit(copy, "_templates/footer.html", "'page': pageurl,", "")


def citation_cff_broken(copy: Path) -> None:
    edit(copy, "CITATION.cff", "  - name: SciLifeLab Data Centre and contributors\n", "  - SciLifeLab Data Centre and contributors\n")


def dataset_address_of_another_study(copy: Path) -> None:
    edit(copy, "data/datasets.yaml", "url: https://doi.org/10.17867/10000148", "url: https://doi.org/10.17867/10000156")


def printed_address_shortened(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/pdf/__init__.py", '        shown = address.removeprefix("mailto:")\n',
         '        shown = address.removeprefix("mailto:").split("?")[0]\n')


def equal_weights_allowed(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/menu.py", "            if (first := by_weight.setdefault(child.weight, child)) is not child:",
         "            if (first := by_weight.setdefault(child.weight, child)) is not child and False:")


def reported_footnotes_not_carried(copy: Path) -> None:
    # Today's pages no longer lay out so that WeasyPrint loses a footnote (test_pdf_epub would see
    # the gap in their numbers): the fence is planted out where its own test shows the loss.
    edit(copy, "_ext/imaging_guidelines/pdf/footnotes.py",
         "            context.reported_footnotes = list(reported_after.get(page_number - 1, []))\n",
         "            pass\n")


def address_hyphenated_in_print(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/pdf/theme/static/pdf.css",
         'a[href^="mailto:"], a[href^="https:"] { hyphens: manual; overflow-wrap: anywhere; }\n', "")


POLICY = "tests/test_content_policy.py::test_policy_refuses_at_the_line"
PARITY = "tests/test_parity.py"
STRUCTURE = "tests/test_pdf_structure.py"

# The repository data (data/, _ext/imaging_guidelines/repository_data.py)
DATA_TESTS = "tests/test_repository_data.py"


def dataset_licence_against_its_record(copy: Path) -> None:
    edit(copy, "data/datasets.yaml", "    and without drugs\n  licence: CC-BY-4.0", "    and without drugs\n  licence: CC0-1.0")


def archive_licence_unchecked(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/repository_data.py", 'if licence.get("every_entry") and', "if False and")


def values_left_out(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/repository_data.py", "        values = paragraph.attributes.pop(\"data_values\", None)\n",
         "        values = paragraph.attributes.pop(\"data_values\", None) and None\n")


def accession_written_in_a_page(copy: Path) -> None:
    edit(copy, "docs/data_types/imaging_data/data.md", "lists the maps.", "lists the maps, such as `EMD-11526`.")


def exports_not_written(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/repository_data.py", "    if exception or not writes_the_site(app.builder):",
         "    if True:")


# Issue 27: the page's controls, the downloads, the Swedish cover; and a list split by a page break.


def search_box_hidden_on_phones(copy: Path) -> None:
    append_rule(copy, "_static/css/custom.css",
                "@media (max-width: 480px) { .wy-side-nav-search input[name=q] { display: none; } }")


def downloads_of_the_other_language(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/editions.py", 'f"/_/downloads/{config.language}/{version}/{kind}/"',
         'f"/_/downloads/en/{version}/{kind}/"')


def swedish_cover_in_english(copy: Path) -> None:
    # Written over, not deleted: the replay clones the copy's commit, which has the file.
    (copy / "_static/epub/cover.sv.svg").write_bytes((copy / "_static/epub/cover.svg").read_bytes())


UNSHALLOW_JOB = "      - git fetch --unshallow || true\n"  # .readthedocs.yaml's post_checkout


def bash_only_job(copy: Path) -> None:
    edit(copy, ".readthedocs.yaml", UNSHALLOW_JOB, UNSHALLOW_JOB + "      - '[[ -d .git ]]'\n")


def unshallow_job_removed(copy: Path) -> None:
    edit(copy, ".readthedocs.yaml", UNSHALLOW_JOB, "      - 'true'\n")


def post_checkout_needs_the_environment(copy: Path) -> None:
    edit(copy, ".readthedocs.yaml", UNSHALLOW_JOB, UNSHALLOW_JOB + "      - python -c 'import sphinx'\n")


def site_left_in_build_html(copy: Path) -> None:
    edit(copy, ".readthedocs.yaml", "        - cp _build/pdf/imaging-data-guidelines.pdf $READTHEDOCS_OUTPUT/pdf/\n",
         "        - cp _build/pdf/imaging-data-guidelines.pdf $READTHEDOCS_OUTPUT/pdf/\n"
         "        - mkdir -p _build/html && cp -r $READTHEDOCS_OUTPUT/html/. _build/html/\n")


def build_imports_a_test_package(copy: Path) -> None:
    append_to_conf(copy, "import pytest  # a test-only package (requirements-test.txt)\n")


def tables_reflow_by_the_window(copy: Path) -> None:
    edit(copy, "_static/css/custom.css", "@container text-column (max-width: 660px) {", "@media screen and (max-width: 600px) {")


def nested_list_left_beside_its_item(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/pdf/structure.py", '        if element.get("/S") == "/L":\n',
         '        if False:\n')


# Issue 30's own round: defects of classes the drill had not named, as a reader of each format
# and edition would meet them.


def phone_layout_fixed_wide(copy: Path) -> None:
    edit(copy, "_templates/layout.html", "{%- block extrahead %}\n  {{- super() }}\n",
         '{%- block extrahead %}\n  {{- super() }}\n  <meta name="viewport" content="width=1024" />\n')


def focus_outline_removed_from_text_links(copy: Path) -> None:
    append_rule(copy, "_static/css/custom.css", ".rst-content a:focus-visible { outline: none; }")


def text_shrunk_on_phones(copy: Path) -> None:
    append_rule(copy, "_static/css/custom.css", "@media (max-width: 480px) { .rst-content { font-size: 11px; } }")


def swedish_search_stems_english(copy: Path) -> None:
    append_to_conf(copy, 'html_search_language = "en"\n')


def print_table_header_once(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/pdf/theme/static/pdf.css", "thead { display: table-header-group; }",
         "thead { display: table-row-group; }")


def epub_addresses_hidden(copy: Path) -> None:
    edit(copy, "conf.py", 'epub_show_urls = "footnote"', 'epub_show_urls = "no"')


def vague_link_text(copy: Path) -> None:
    edit(copy, "locale/sv/LC_MESSAGES/docs/data_types/imaging_data/services.po",
         '"Ansökan om projekt görs via [projektportalen för National Microscopy "\n'
         '"Infrastructure](https://nmi.scilifelab.se/)."',
         '"Ansökan om projekt görs [här](https://nmi.scilifelab.se/)."')


def own_site_by_full_address(copy: Path) -> None:
    edit(copy, "docs/data_types/imaging_data/services.md",
         "[Choosing a repository](guidelines/repositories.md#electron-microscopy-and-structures)",
         "[Choosing a repository](https://imaging-data-guidelines.readthedocs.io/en/latest/docs/data_types/"
         "imaging_data/guidelines/repositories.html#electron-microscopy-and-structures)")


def faint_code_in_print(copy: Path) -> None:
    append_rule(copy, "_ext/imaging_guidelines/pdf/theme/static/pdf.css", "pre { color: #aaa; }")


def swedish_canonical_english(copy: Path) -> None:
    edit(copy, "_ext/imaging_guidelines/editions.py", "config.html_baseurl = config.edition_urls[config.language]",
         "config.html_baseurl = config.edition_urls[languages[0]]")



DEFECTS = [
    Defect("card contents lost in the PDF",
           "the PDF keeps the landing cards' titles but not what they say",
           card_bodies_dropped_from_pdf,
           [f"{PARITY}::test_landing_cards_hold_every_item[{lang}-pdf]" for lang in ("en", "sv")]),
    Defect("one date on every page",
           "every page's footer shows the last commit's day instead of its own source's",
           one_date_everywhere,
           ["tests/test_writers.py::test_each_page_has_its_own_date_and_a_translation_its_catalogue"]),
    Defect("no tick boxes in print",
           "the printed checklist has no boxes to tick",
           no_tick_boxes_in_print,
           [f"tests/test_readthedocs.py::test_checklist_has_a_box_for_every_task[{lang}-pdf]" for lang in ("en", "sv")]),
    Defect("Swedish EPUB with the English identifier",
           "a reading system takes the Swedish book for the English one",
           swedish_epub_reuses_identifier,
           [f"{PARITY}::test_identifier_is_the_editions_own[epub]"]),
    Defect("'Where to deposit' leads to the wrong archives",
           "the light-microscopy card's 'Where to deposit' opens the electron-microscopy archives",
           deposit_link_to_wrong_archive,
           [f"{PARITY}::test_landing_card_links_lead_where_they_say[{lang}-{fmt}]"
            for lang in ("en", "sv") for fmt in ("html", "pdf", "epub")]),
    Defect("Swedish 404 title in English",
           "the Swedish 404 page's tab says 'Page not found'",
           swedish_404_title_in_english,
           [f"{PARITY}::test_404_page_title_and_heading_in_the_editions_language[sv]"]),
    Defect("sphinx-design's stylesheet dropped",
           "the landing cards are drawn as a bare list: no box, no border, not side by side",
           design_stylesheet_dropped,
           [*(f"tests/test_assets.py::test_pages_with_components_carry_their_assets[{lang}-html]" for lang in ("en", "sv")),
            *(f"tests/test_browser.py::test_components_are_styled_in_the_browser[{lang}-index.html]" for lang in ("en", "sv"))]),
    # Three more, of the same kinds.
    Defect("Pygments' stylesheet dropped",
           "the Contributing page's examples lose their highlighting",
           pygments_stylesheet_dropped,
           [*(f"tests/test_assets.py::test_pages_with_components_carry_their_assets[{lang}-html]" for lang in ("en", "sv")),
            *(f"tests/test_browser.py::test_components_are_styled_in_the_browser[{lang}-docs/contributing.html]"
              for lang in ("en", "sv"))]),
    Defect("Swedish PDF's subject in English",
           "the Swedish PDF's document properties describe it in English",
           swedish_pdf_subject_in_english,
           [f"{PARITY}::test_description_is_in_the_editions_language[sv-pdf]"]),
    Defect("Swedish EPUB's description in English",
           "a reading system describes the Swedish book in English",
           swedish_epub_description_in_english,
           [f"{PARITY}::test_description_is_in_the_editions_language[sv-epub]"]),
    Defect("'What to describe' leads to the wrong section",
           "the light-microscopy card's 'REMBI and OME formats' opens the section on ontologies",
           describe_link_to_wrong_section,
           [f"{PARITY}::test_landing_card_links_lead_where_they_say[{lang}-{fmt}]"
            for lang in ("en", "sv") for fmt in ("html", "pdf", "epub")]),
    # The tagged PDF (issue 19).
    Defect("PDF structure split at every page break",
           "a screen reader meets a table, a list or a paragraph as two at each page break",
           pdf_tree_left_as_weasyprint_builds_it,
           [f"{STRUCTURE}::test_tables_with_their_header_cells[en]", f"{STRUCTURE}::test_lists_and_their_items[en]",
            f"{STRUCTURE}::test_links_are_tagged[en]", "tests/test_pdf_builder.py::test_a_table_over_pages_is_one_table",
            "tests/test_pdf_builder.py::test_a_list_over_pages_is_one_list"]),
    Defect("PDF page numbers and running headers read aloud",
           "the running header and page number are content a screen reader reads, on every page",
           pdf_page_furniture_not_artifacts,
           [f"{STRUCTURE}::test_every_mark_is_tagged_or_an_artifact[{lang}]" for lang in ("en", "sv")]),
    Defect("PDF headings a level too deep",
           "Data Types is an H2 under no H1, and the deepest sections share H6",
           pdf_headings_one_level_deep,
           [f"{STRUCTURE}::test_headings_at_their_real_levels[{lang}]" for lang in ("en", "sv")]),
    Defect("PDF contents give the page before",
           "the contents say a part begins on the page before its heading",
           pdf_contents_numbers_before_the_page,
           [f"tests/test_readthedocs.py::test_pdf_contents_and_bookmarks_show_the_menu[{lang}]" for lang in ("en", "sv")]),
    Defect("PDF table cells do not wrap",
           "a table with a long address runs into the margin and off the page",
           pdf_table_cells_do_not_wrap,
           ["tests/test_pdf_epub.py::test_nothing_sticks_out_of_the_page"]),
    Defect("PDF character without a glyph",
           "a character the PDF's fonts lack is drawn from another font or as an empty box",
           pdf_character_without_glyph,
           ["tests/test_readthedocs.py::test_build_passes_with_no_warnings[en-branch]"]),  # WeasyPrint's .notdef warning
    Defect("another font in the PDF",
           "code is set in a font that is not the PDF's, from whatever the machine has installed",
           pdf_other_font_for_code,
           ["tests/test_pdf_epub.py::test_no_missing_characters"]),
    Defect("PDF header cells without scope",
           "a screen reader cannot tell which column a header cell heads",
           pdf_header_cells_without_scope,
           [f"{STRUCTURE}::test_tables_with_their_header_cells[en]", f"{STRUCTURE}::test_pdf_ua_checker_finds_nothing[en]"]),
    Defect("image without alternative text accepted",
           "an image whose source gives no alternative text is published without it",
           pdf_image_alt_unchecked,
           ["tests/test_pdf_builder.py::test_an_image_without_alternative_text_fails_the_build"]),
    Defect("decorative image read aloud",
           "an ornament is a figure in the PDF, which a screen reader announces",
           pdf_decorative_image_tagged,
           ["tests/test_pdf_builder.py::test_a_decorative_image_is_an_artifact"]),
    # The classes of issue 30.
    Defect("script link through a control character",
           "a link written &#1;javascript:… runs a script when a reader clicks it",
           script_link_through_a_control_character,
           [f"{POLICY}[control character before the scheme]", f"{POLICY}[space and tab in the scheme]"]),
    Defect("translation that changes a fact",
           "the Swedish page says 5 GB where the English says 50 GB, or lost a sentence",
           translation_facts_unchecked,
           [f"tests/test_translation_policy.py::test_bad_translation_fails_at_po_line[{case}]"
            for case in ("number changed", "accession changed", "licence changed", "sentence dropped")]),
    Defect("accession that contradicts its link",
           "a page's link reads EMD-11562 and opens EMD-11526 (no page may write an accession)",
           accession_text_against_its_link,
           [f"{DATA_TESTS}::test_no_page_writes_an_accession_itself"]),
    Defect("printed address other than the link's",
           "a footnote prints …/search/ while the link opens …/search/?query=…",
           printed_address_shortened,
           [f"tests/test_pdf_epub.py::test_every_printed_address_is_its_links_target[{lang}]" for lang in ("en", "sv")]),
    Defect("two siblings of one weight",
           "the menu orders two pages one way on the portal and another here",
           equal_weights_allowed,
           ["tests/test_bad_input.py::test_bad_input_fails_with_file_and_line[two siblings of one weight]"]),
    Defect("address hyphenated in print",
           "the Swedish PDF prints data-mana-gement@scilifelab.se, which a reader would type so",
           address_hyphenated_in_print,
           ["tests/test_pdf_epub.py::test_every_printed_address_is_its_links_target[sv]"]),
    Defect("a dataset that contradicts its archive's record",
           "the table gives idr0090 as CC0, while IDR's study file says CC BY 4.0",
           dataset_licence_against_its_record,
           [f"{DATA_TESTS}::test_datasets_agree_with_their_archives_records"]),
    Defect("a licence that contradicts its archive's",
           "an EMPIAR row names a licence other than the CC0 that EMPIAR gives all its data",
           archive_licence_unchecked,
           [f"{DATA_TESTS}::test_bad_entry_fails_with_file_line_and_fix[licence against the archive's]"]),
    Defect("values left out of the data's texts",
           "a reader sees 'about {size}' where the table should say 0.07 TB",
           values_left_out,
           [f"{DATA_TESTS}::test_every_value_is_shown_from_the_data"]),
    Defect("an accession written in a page",
           "a page writes EMD-11526 itself, so a correction in the data misses it",
           accession_written_in_a_page,
           [f"{DATA_TESTS}::test_no_page_writes_an_accession_itself"]),
    Defect("the data's exports not published",
           "the tables link datasets.json and datasets.csv, and the site has neither",
           exports_not_written,
           [f"{DATA_TESTS}::test_every_value_is_shown_from_the_data"]),
    Defect("footnotes lost when pages are laid out again",
           "the Swedish PDF calls footnotes 251 and 252 (DICOM PS3.15 E.3) and prints neither",
           reported_footnotes_not_carried,
           ["tests/test_pdf_builder.py::test_no_footnote_is_lost_when_pages_are_laid_out_again"]),
    Defect("a dataset's address of another study",
           "the table's idr0094 opens the data DOI of idr0090",
           dataset_address_of_another_study,
           [f"{DATA_TESTS}::test_datasets_agree_with_their_archives_records"]),
    Defect("the guide loses the keyboard",
           "after an answer, Tab goes on through the answers after it, not into the question it led to",
           guide_steps_take_no_focus,
           ["tests/test_browser.py::test_the_guide_leads_by_keyboard_to_the_archive_the_chooser_names"
            "[en-a Swedish group with no fitting archive-1280]"]),
    Defect("an archive the guide never reaches",
           "the chooser lists BIMCV-COVID19+, and no answer of the guide ends there",
           guide_archive_left_out,
           [f"{DATA_TESTS}::test_the_guide_leads_from_its_first_question_to_every_archive_the_chooser_names"]),
    Defect("a diagram that leaves out an answer",
           "the guide's diagram draws no arrow to BIMCV-COVID19+, which the guide and its list still reach",
           diagram_answer_left_out,
           [f"{DATA_TESTS}::test_the_diagram_draws_the_guides_own_tree_and_its_list_says_the_same"]),
    Defect("an English question in the Swedish diagram",
           "the Swedish edition's diagram asks its first question in English",
           diagram_first_question_in_english,
           [f"{DATA_TESTS}::test_the_diagram_is_in_every_format_in_the_editions_language[sv]"]),
    Defect("a diagram too small to read on a phone",
           "at 320 px the guide's diagram is shrunk to the screen's width, its words a few pixels high",
           diagram_shrunk_to_the_phone,
           ["tests/test_browser.py::test_the_guides_diagram_scrolls_by_keyboard_on_the_narrowest_phone[en]"]),
    Defect("a glossary term no page links to",
           "the checklist names MIFA without linking it to the glossary, and no other page links it",
           glossary_term_unlinked,
           ["tests/test_content.py::test_every_glossary_term_is_linked_from_the_pages[en]"]),
    Defect("a problem report that does not name its page",
           "the footer's report link opens a new issue with the version and language but not the page",
           report_without_the_page,
           ["tests/test_writers.py::test_every_page_can_be_cited_and_reported[sv]",
            "tests/test_writers.py::test_the_report_form_has_the_fields_the_link_fills"]),
    Defect("a CITATION.cff that Zenodo cannot read",
           "the author is written as a bare string, not as a person or an entity with a name",
           citation_cff_broken,
           ["tests/test_writers.py::test_citation_cff_is_valid"]),
    Defect("the search box hidden on phones",
           "a stylesheet rule hides the search box at 480 px and below; the phone's menu has none",
           search_box_hidden_on_phones,
           ["tests/test_browser.py::test_every_control_in_view_at_every_width[sv]"]),
    Defect("downloads of the other edition",
           "the Swedish pages' PDF and EPUB links open the English files",
           downloads_of_the_other_language,
           ["tests/test_readthedocs.py::test_every_page_offers_its_editions_pdf_and_epub[sv-branch]"]),
    Defect("the Swedish EPUB's cover in English",
           "the Swedish book's cover shows the English title",
           swedish_cover_in_english,
           ["tests/test_epub_accessibility.py::test_the_cover_is_in_the_books_language[sv]"]),
    Defect("a job only bash runs",
           "a job written for bash ([[ … ]]) passes here, and Read the Docs' /bin/sh fails the build",
           bash_only_job,
           ["tests/test_readthedocs.py::test_build_passes_with_no_warnings[en-branch]"]),
    Defect("the history left shallow",
           "without the unshallow job, Read the Docs' 50-commit clone dates old pages by the clone's first commit",
           unshallow_job_removed,
           ["tests/test_writers.py::test_every_page_shows_the_date_git_has_for_its_source"]),
    Defect("a job before the environment exists",
           "a post_checkout job imports a package of requirements.txt, which Read the Docs installs later",
           post_checkout_needs_the_environment,
           ["tests/test_readthedocs.py::test_build_passes_with_no_warnings[en-branch]"]),
    Defect("the site copied to _build/html",
           "a job leaves a copy of the site in _build/html, which Read the Docs refuses",
           site_left_in_build_html,
           ["tests/test_readthedocs.py::test_build_passes_with_no_warnings[en-branch]"]),
    Defect("a build that needs a test-only package",
           "conf.py imports pytest, which the tests' environment has and Read the Docs' does not",
           build_imports_a_test_package,
           ["tests/test_readthedocs.py::test_build_passes_with_no_warnings[en-branch]"]),
    Defect("tables cut beside the sidebar",
           "at 800 px the sidebar leaves a text column of 396 px, and the Swedish data tables lose columns",
           tables_reflow_by_the_window,
           ["tests/test_browser.py::test_tables_show_every_column[sv-docs/data_types/imaging_data/data.html-800]"]),
    Defect("a nested list beside its item in print",
           "where a page break splits the guide's list, the PDF's tree has empty items and lists outside them",
           nested_list_left_beside_its_item,
           ["tests/test_pdf_structure.py::test_lists_and_their_items[sv]"]),
    # Issue 30's own round (classes no earlier defect named).
    Defect("a phone shown the desktop layout",
           "a viewport tag of width=1024 makes a phone lay the page out 1024 px wide and shrink it to a third",
           phone_layout_fixed_wide,
           ["tests/test_browser.py::test_phone[sv-index.html]"]),
    Defect("no focus outline in the text",
           "a stylesheet rule takes the outline off focused links in the text; a keyboard reader loses the place",
           focus_outline_removed_from_text_links,
           ["tests/test_browser.py::test_keyboard_skip_link[en-docs/accessibility.html]"]),
    Defect("text too small on phones",
           "a rule for phones sets the text in 11 px",
           text_shrunk_on_phones,
           ["tests/test_browser.py::test_phone[en-docs/data_types/imaging_data/services.html]"]),
    Defect("Swedish searched as English",
           "html_search_language = 'en': the Swedish search finds nothing for 'konsultationen'",
           swedish_search_stems_english,
           ["tests/test_browser.py::test_search_finds_the_right_page_first[sv-konsultationen]"]),
    Defect("a printed table's header row only once",
           "a table over several pages shows its column headers on the first page only",
           print_table_header_once,
           ["tests/test_pdf_builder.py::test_a_table_over_pages_is_one_table"]),
    Defect("the EPUB hides where links go",
           "epub_show_urls = 'no': a reader of the book cannot see any link's address",
           epub_addresses_hidden,
           [f"tests/test_pdf_epub.py::test_the_book_shows_every_address_it_links[{lang}]" for lang in ("en", "sv")]),
    Defect("a link that says only 'here'",
           "the Swedish services page links the NMI portal as 'här', which a screen reader's list of links cannot tell apart",
           vague_link_text,
           ["tests/test_content.py::test_every_link_says_where_it_leads[sv]"]),
    Defect("this site linked by its full address",
           "a page links the chooser as https://imaging-data-guidelines.readthedocs.io/en/latest/…: Swedish, PDF and EPUB "
           "readers land on the English web page",
           own_site_by_full_address,
           ["tests/test_readthedocs.py::test_build_passes_with_no_warnings[en-branch]"]),
    Defect("code printed too faint to read",
           "the PDF prints code in light grey (#aaa) on its grey code background",
           faint_code_in_print,
           ["tests/test_pdf_epub.py::test_printed_text_is_dark_enough_to_read"]),
    Defect("Swedish pages canonical in English",
           "every Swedish page names the English one as canonical, so search engines list only the English edition",
           swedish_canonical_english,
           ["tests/test_readthedocs.py::test_canonical_urls[sv-branch]", "tests/test_browser.py::test_page_metadata[sv-index.html]"]),
]


# -- The drill ----------------------------------------------------------------------------------


def run_tests(copy: Path, tests: list[str], workdir: Path) -> dict[str, str]:
    """{node id: 'passed' | 'failed' | 'error' | 'skipped' | 'not run'} of *tests* on *copy*."""
    workdir.mkdir(parents=True, exist_ok=True)
    report = workdir / "report.xml"
    env = {**os.environ, "PROJECT_ROOT": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}",
                    f"--basetemp={workdir / 'pytest'}", *tests], cwd=ROOT, env=env, capture_output=True, text=True)
    if os.environ.get("DRILL_VERBOSE"):
        print(result.stdout[-5000:], result.stderr[-2000:])
    outcomes = {test: "not run" for test in tests}
    if not report.exists():
        return outcomes
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        path = case.get("classname", "").replace(".", "/") + ".py"
        node = f"{path}::{case.get('name')}"
        outcome = next((tag for tag in ("failure", "error", "skipped") if case.find(tag) is not None), "passed")
        outcomes[node] = {"failure": "failed"}.get(outcome, outcome)
    return outcomes


def drill(defect: Defect, control: bool) -> tuple[bool, str]:
    with tempfile.TemporaryDirectory(prefix="drill-") as tmp:
        workdir = Path(tmp)
        lines = []
        if control:
            clean = readthedocs.clean_checkout(ROOT, workdir / "clean", CHECKOUT_FILES)
            outcomes = run_tests(clean, defect.tests, workdir / "control")
            bad = {test: outcome for test, outcome in outcomes.items() if outcome != "passed"}
            lines += [f"    control: {test} {outcome} WITHOUT the defect" for test, outcome in bad.items()]
            if bad:
                return False, "\n".join(lines)
        copy = readthedocs.clean_checkout(ROOT, workdir / "planted", CHECKOUT_FILES)
        try:
            defect.plant(copy)
        except AssertionError as error:  # the code it patches has changed: update the patch
            return False, f"    NOT PLANTED: {error}"
        outcomes = run_tests(copy, defect.tests, workdir / "planted-run")
        for test in defect.tests:
            lines.append(f"    {'failed, as it must' if outcomes[test] == 'failed' else outcomes[test] + ' (MISSED)'}: {test}")
        # Only a failed check counts: an error (a fixture or the run broke) proves nothing.
        caught = all(outcomes[test] == "failed" for test in defect.tests)
        return caught, "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("numbers", nargs="*", type=int, help="only these defects (1-based)")
    parser.add_argument("--list", action="store_true", help="list the defects and their tests")
    parser.add_argument("--control", action="store_true", help="also run each defect's tests without it")
    options = parser.parse_args()
    chosen = [(number, DEFECTS[number - 1]) for number in options.numbers] or list(enumerate(DEFECTS, start=1))
    if options.list:
        for number, defect in chosen:
            print(f"{number}. {defect.name}: {defect.what}\n    " + "\n    ".join(defect.tests))
        return 0
    missed = []
    for number, defect in chosen:
        start = time.monotonic()
        caught, details = drill(defect, options.control)
        print(f"{number}. {'caught' if caught else 'MISSED'}: {defect.name} ({time.monotonic() - start:.0f} s)\n{details}",
              flush=True)
        if not caught:
            missed.append(number)
    print(f"\n{len(chosen) - len(missed)} caught, {len(missed)} missed" + (f": {missed}" if missed else ""))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
