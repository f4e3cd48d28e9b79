"""The repository data (data/, _ext/imaging_guidelines/repository_data.py): what it says is shown
from it alone, a bad entry fails with its file, line and fix, and each dataset with a recorded copy
of its archive's own record agrees with that record.

tests/roots/test-repository-data/ shows every table and one archive's summary from the site's data;
each bad entry is a copy of the data with one defect. What readers get of it (every format and
edition, the exports, the JSON-LD) is checked on Read the Docs' replays, at the end.
"""

from __future__ import annotations

import csv
import datetime
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, build, catalogue, pdf_texts

DATA = ROOT / "data"


def data_copy(tmp_path: Path) -> Path:
    """The site's data, to plant a defect in (the records stay out: no build reads them)."""
    return shutil.copytree(DATA, tmp_path / "data", ignore=shutil.ignore_patterns("records"))


def site_copy(rootdir: Path, tmp_path: Path) -> Path:
    """The tiny root, copied without any build a run left in it (its outputs are what is tested)."""
    return shutil.copytree(rootdir / "test-repository-data", tmp_path / "site", ignore=shutil.ignore_patterns("_build"))
DATASETS = yaml.safe_load((DATA / "datasets.yaml").read_text(encoding="utf-8"))
ARCHIVES = yaml.safe_load((DATA / "archives.yaml").read_text(encoding="utf-8"))
ACCESSIONS = [accession for dataset in DATASETS for accession in dataset["accessions"]]
DIAGRAM_ALT = ("The guide as a diagram: each question, its answers and the archives they lead to. "
               "The same tree is written out as a list.")


@pytest.mark.quick
def test_every_value_is_shown_from_the_data(make_app, rootdir, tmp_path):
    app, warnings = build(make_app, site_copy(rootdir, tmp_path), "html")
    assert not warnings, warnings
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = {link.get_text(): link["href"] for link in page.select("[role=main] a, .body a")}
    for dataset in DATASETS:
        for accession in dataset["accessions"]:
            assert accession in links, f"datasets.yaml: {accession} is not shown"
        if "licence" in dataset:
            assert links[dataset["licence"]] == f"https://spdx.org/licenses/{dataset['licence']}.html"
    for archive in ARCHIVES:
        example = (archive.get("identifier") or {}).get("example")
        assert example is None or links[example] == archive["identifier"]["example_url"], archive["id"]
    text = page.get_text(" ")
    assert not re.search(r"\{\w+\}", text), "a {key} was left in the page: " + re.search(r".{40}\{\w+\}.{20}", text)[0]
    assert "Checked on 2026-12-03." in text and "CC0-1.0" in text  # EMPIAR's licence, from its archive
    assert links["datasets.json"] == "_data/datasets.json" and (app.outdir / "_data" / "datasets.json").is_file()


# (what is planted, in which file: the text replaced, its replacement; what the message says)
BAD_ENTRIES = {
    "unknown archive": ("datasets.yaml", "archive: empiar\n", "archive: empirar\n", "no archive 'empirar'"),
    "accession of another archive": ("datasets.yaml", "accessions: [EMPIAR-10493]", "accessions: [EMD-10493]",
                                     "EMD-10493 is not an accession of EMPIAR"),
    "licence against the archive's": ("datasets.yaml", "  what: Cryo-electron tomography of intact",
                                      "  licence: CC-BY-4.0\n  what: Cryo-electron tomography of intact",
                                      "EMPIAR releases every entry under CC0-1.0"),
    "a date that is none": ("datasets.yaml", "checked: 2026-12-03", "checked: 2026-13-03", "YYYY-MM-DD, or never"),
    "no source": ("archives.yaml", "    source: https://empiar.org/policies\n", "", "'source' is a required property"),
    "a value the text lacks": ("archives.yaml", "    text: >-\n      there is no size cap", "    text: >-\n      there is no {cap}",
                               "names {cap}, which has no value"),
    "a licence that is no SPDX id": ("datasets.yaml", "licence: CC0-1.0", "licence: CC0 1.0", "SPDX identifier"),
    "a table no page shows": ("datasets.yaml", "table: published-data-tcia", "table: published-data-tcai",
                              "no page shows the table 'published-data-tcai'"),
    "an example written twice": ("datasets.yaml", "- accessions: [EMPIAR-10492]\n",
                                 "- accessions: [EMPIAR-10492]\n  example: true\n", "has its example already"),
    "an accession written twice": ("datasets.yaml", "  what: The BioImage Archive record", "  same: idr0094\n  what: The BioImage Archive record",
                                   "same: idr0094 repeats an accession"),
    "broken YAML": ("archives.yaml", "- id: empiar\n", "- id: empiar\n   name: [\n", "not valid YAML"),
    "a placeholder of another form": ("archives.yaml", "placeholder: S-BIAD0000", "placeholder: S-BSST0000",
                                      "the placeholder S-BSST0000 does not fit the pattern"),
    # The question-by-question guide: every answer leads somewhere, and every step and archive is reached
    "a guide answer to no step": ("guide.yaml", "      next: light\n", "      next: lihgt\n", "no step 'lihgt'"),
    "a guide answer to no archive": ("guide.yaml", "    - archives: [tcia]\n", "    - archives: [tcai]\n",
                                     "no archive 'tcai' in archives.yaml"),
    "a guide step no answer reaches": ("guide.yaml", "- step: general\n", "- step: lost\n  question: Lost?\n  answers:\n"
                                       "    - archives: [zenodo]\n\n- step: general\n", "no answer leads to step 'lost'"),
    "an archive the guide never ends at": ("archives.yaml", "- id: zenodo\n", "- id: figshare\n  name: Figshare\n  url: "
                                           "https://figshare.com/\n  fits: [Anything]\n\n- id: zenodo\n",
                                           "the guide ends at Figshare nowhere"),
    "a guide that loops": ("guide.yaml", "      next: clinical\n", "      next: people\n", "leads back to step 'people'"),
    "a guide step that is a dead end": ("guide.yaml", "    - text: Yes, or I am planning them now\n      next: identifiable\n",
                                        "    []\n", "a step that asks and offers nothing is a dead end"),
}


@pytest.mark.quick
@pytest.mark.parametrize("case", BAD_ENTRIES)
def test_bad_entry_fails_with_file_line_and_fix(make_app, rootdir, tmp_path, case):
    name, old, new, said = BAD_ENTRIES[case]
    folder = data_copy(tmp_path)
    text = (folder / name).read_text(encoding="utf-8")
    assert old in text, f"the case no longer fits the data: {old!r}"
    (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text[:text.index(old)].count("\n") + 1
    app = make_app("dummy", srcdir=site_copy(rootdir, tmp_path), freshenv=True,
                   confoverrides={"repository_data": str(folder)})
    app.build(force_all=True)
    errors = [message for message in app.warning.getvalue().splitlines() if "[data]" in message]
    assert errors and said in errors[0], f"{case}: {errors}"
    found = re.match(rf"^.*{re.escape(str(folder / name))}:(\d+): ", errors[0])
    # At the line changed, or at the key of the fact it is in (a missing key: up to four lines up).
    assert found and abs(int(found[1]) - line) <= 4, f"{case}: not at {name}:{line}: {errors[0]}"
    assert errors[0].rsplit(";", 1)[-1].replace("[data]", "").strip(), f"{case}: the message says no fix: {errors[0]}"


@pytest.mark.quick
def test_the_guide_leads_from_its_first_question_to_every_archive_the_chooser_names(make_app, rootdir, tmp_path):
    """Followed link by link from its first question, the guide reaches every step and ends at
    every archive of the chooser; no link leads nowhere, every question has answers, every ending
    leads back; an ending at one archive says why in the words of the chooser's row for it."""
    app, warnings = build(make_app, site_copy(rootdir, tmp_path), "html")
    assert not warnings, warnings
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    boxes = {box["id"]: box for box in page.select(".guide-step")}
    chooser = next(table for table in page.select("table.repository-data") if "Where each kind" in table.get_text())
    rows = {row.select("td")[1].get_text(strip=True): row.select("td")[0].get_text(" ", strip=True)
            for row in chooser.select("tbody tr")}
    seen, queue, ended = set(), ["guide-start"], {}
    while queue:
        name = queue.pop()
        if name in seen:
            continue
        seen.add(name)
        assert name in boxes, f"a link of the guide leads to #{name}, which is no step"
        links = [link["href"][1:] for link in boxes[name].select("a[href^='#guide-']")]
        heading = boxes[name].select_one(".rubric").get_text(strip=True)
        if "guide-end" in boxes[name]["class"]:
            assert links == ["guide-start"], f"{name}: an ending leads back to the first question, and only there"
            ended[heading] = boxes[name].select_one(".rubric + p").get_text(" ", strip=True)
        else:
            assert links, f"the question {heading!r} has no answer"
            queue += links
    assert seen == set(boxes), f"no answer leads to {sorted(set(boxes) - seen)}"
    archives = {archive.strip() for heading in ended for archive in heading.split(",")}
    assert archives == set(rows), f"the guide and the chooser name different archives: {archives ^ set(rows)}"
    assert all(why == rows[heading] for heading, why in ended.items() if "," not in heading), ended


@pytest.mark.quick
def test_each_ending_gives_the_papers_statement_with_a_placeholder_of_the_archives_form(make_app, rootdir, tmp_path):
    app, warnings = build(make_app, site_copy(rootdir, tmp_path), "html")
    assert not warnings, warnings
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    statements = [block.get_text().strip() for block in page.select(".guide-end .data-availability pre")]
    # The line before each sentence names the placeholder to replace, as the sentence writes it.
    for block in page.select(".guide-end div.data-availability"):
        said = block.find_previous_sibling("p").get_text(" ", strip=True)
        named = re.search(r"replace (\S+) by your identifier:$", said)
        assert named and named[1] in block.get_text(), said
    for archive in ARCHIVES:
        identifier = archive.get("identifier") or {}
        if "statement" in identifier:
            assert identifier["statement"].format(placeholder=identifier["placeholder"]) in statements, archive["id"]
            assert re.fullmatch(identifier["pattern"], identifier["placeholder"]), archive["id"]
    assert len(set(statements)) == sum("statement" in (archive.get("identifier") or {}) for archive in ARCHIVES)


@pytest.mark.quick
def test_the_diagram_draws_the_guides_own_tree_and_its_list_says_the_same(make_app, rootdir, tmp_path):
    """The SVG has a box for each question and each ending, with its words, and an arrow for each
    answer, from guide.yaml; the list after it has an item for each answer; the image opens whole."""
    app, warnings = build(make_app, site_copy(rootdir, tmp_path), "html")
    assert not warnings, warnings
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    image = page.select_one(".guide-diagram a > img")
    assert image["alt"].startswith("The guide as a diagram") and image.parent["href"] == image["src"]
    svg = BeautifulSoup((app.outdir / image["src"]).read_text(encoding="utf-8"), "html.parser")
    arrows = sorted(edge.title.get_text().replace("->", " ") for edge in svg.select("g.edge"))
    boxes = {box.title.get_text(): " ".join(text.get_text() for text in box.select("text")) for box in svg.select("g.node")}
    archives = {archive["id"]: archive["name"] for archive in ARCHIVES}
    steps = yaml.safe_load((DATA / "guide.yaml").read_text(encoding="utf-8"))
    ends = {"to-" + "-".join(answer["archives"]): ", ".join(archives[name] for name in answer["archives"])
            for step in steps for answer in step["answers"] if "archives" in answer}
    assert arrows == sorted(f"{step['step']} {answer.get('next') or 'to-' + '-'.join(answer['archives'])}"
                            for step in steps for answer in step["answers"])
    assert boxes == {**{step["step"]: step["question"] for step in steps}, **ends}
    answers = page.select("ul.guide-tree li")
    assert len(answers) == len(arrows) and page.select_one(".guide-diagram + p").get_text() == steps[0]["question"]


@pytest.mark.quick
def test_a_diagram_that_cannot_be_drawn_fails_with_the_place_and_the_fix(make_app, rootdir, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot
    app, warnings = build(make_app, site_copy(rootdir, tmp_path), "html")
    assert any(re.search(r"index\.md:\d+: WARNING: the guide's diagram is not drawn: .*install the Debian package "
                         r"graphviz", warning) for warning in warnings), warnings
    assert app.statuscode == 1


@pytest.mark.quick
def test_a_translation_that_leaves_out_a_value_is_reported(make_app, rootdir, tmp_path):
    site = site_copy(rootdir, tmp_path)
    (site / "locale" / "sv" / "LC_MESSAGES").mkdir(parents=True)
    (site / "locale" / "sv" / "LC_MESSAGES" / "index.po").write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "ask {name}"\nmsgstr "fråga arkivet"\n', encoding="utf-8")
    app = make_app("dummy", srcdir=site, freshenv=True, confoverrides={"language": "sv", "locale_dirs": ["locale"]})
    app.build(force_all=True)
    dropped = [line for line in app.warning.getvalue().splitlines() if "leaves out {name}" in line]
    assert dropped and "index.md" in dropped[0] and "keep {name} in the msgstr" in dropped[0], app.warning.getvalue()


@pytest.mark.quick
def test_an_accession_changed_in_the_data_changes_everywhere(make_app, rootdir, tmp_path):
    """Each accession is written once: changed there, the chooser, the archive's summary, the
    guide's ending and the table all show the new one, and the old one is gone."""
    folder = data_copy(tmp_path)
    datasets = (folder / "datasets.yaml").read_text(encoding="utf-8")
    assert datasets.count("EMPIAR-10493") == 2  # the accession and its source
    (folder / "datasets.yaml").write_text(datasets.replace("EMPIAR-10493", "EMPIAR-10499"), encoding="utf-8")
    app = make_app("html", srcdir=site_copy(rootdir, tmp_path), freshenv=True,
                   confoverrides={"repository_data": str(folder)})
    app.build(force_all=True)
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "EMPIAR-10493" not in html and html.count(">EMPIAR-10499<") == 4, html.count(">EMPIAR-10499<")


@pytest.mark.quick
def test_stale_facts_lists_the_facts_due_and_only_those():
    import repository_data as upkeep  # scripts/repository_data.py: make stale-facts

    checked = [(name, value) for name, entries in (("archives", ARCHIVES), ("datasets", DATASETS))
               for entry in entries for value in [entry, *(v for v in entry.values() if isinstance(v, dict))]
               if "checked" in value]
    never = sum(1 for _, value in checked if value["checked"] == "never")
    assert len(upkeep.stale(12, datetime.date(2026, 12, 3))) == never
    assert len(upkeep.stale(12, datetime.date(2028, 1, 1))) == len(checked)  # every dated one is due by then


# -- Each dataset against its archive's own record (data/records/) -------------------------------


def study_file(path: Path) -> dict[str, list[str]]:
    """An IDR study file's rows: {row name: its values}, every row of a repeated name in turn."""
    rows: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, *values = line.split("\t")
            rows.setdefault(name.strip(), []).append(" ".join(value.strip() for value in values if value.strip()))
    return rows


def disagreements(dataset: dict, record: dict[str, list[str]]) -> list[str]:
    """The fields in which a dataset of datasets.yaml and its IDR study file differ."""
    def first(row: str) -> str | None:
        return (record.get(row) or [None])[0]
    problems, row = [], dataset["accessions"][0]
    if first("Comment[IDR Study Accession]") != row:
        problems.append(f"{row}: accession: the record is {first('Comment[IDR Study Accession]')}")
    licence = (first("Study License") or "").replace(" ", "-")
    if dataset.get("licence") != licence:
        problems.append(f"{row}: licence: {dataset.get('licence')} in the data, {licence} in the record")
    for field, value, row_name in (("paper", (dataset.get("paper") or {}).get("doi"), "Study DOI"),
                                   ("url", dataset.get("url"), "Study Data DOI")):
        recorded = first(row_name)
        if recorded and recorded.removeprefix("https://doi.org/") != (value or "").removeprefix("https://doi.org/"):
            problems.append(f"{row}: {field}: {value} in the data, {recorded} in the record ({row_name})")
    sizes = [float(found) for value in record.get("Screen Size", []) + record.get("Experiment Size", [])
             for found in re.findall(r"Total Tb:\s*([0-9.]+)", value)]
    if "size" in dataset and abs(float(dataset["size"].split()[0]) - sum(sizes)) > 0.05:
        problems.append(f"{row}: size: {dataset['size']} in the data, {sum(sizes):.2f} TB in the record")
    return problems


@pytest.mark.quick
def test_datasets_agree_with_their_archives_records():
    recorded = [dataset for dataset in DATASETS if "record" in dataset]
    assert len(recorded) == 6, "data/records/README.md says six IDR rows are covered"
    problems = [problem for dataset in recorded
                for problem in disagreements(dataset, study_file(DATA / "records" / dataset["record"]))]
    assert not problems, "datasets.yaml against data/records/:\n" + "\n".join(problems)


@pytest.mark.quick
def test_each_record_says_where_and_when_it_was_recorded():
    sources = yaml.safe_load((DATA / "records" / "sources.yaml").read_text(encoding="utf-8"))
    files = {path.relative_to(DATA / "records").as_posix() for path in (DATA / "records").glob("*/*")}
    assert files == set(sources), "data/records/sources.yaml and the recorded files differ"
    assert all(re.fullmatch(r"[0-9a-f]{40}", source["commit"]) and source["recorded"] for source in sources.values())


@pytest.mark.quick
def test_no_page_writes_an_accession_itself():
    """Accessions come from the data alone: none is written in a page, so that changing one in the
    data changes every page that shows it."""
    known = {accession.lower() for accession in ACCESSIONS}
    known |= {(archive.get("identifier") or {}).get("example", "").lower() for archive in ARCHIVES} - {""}
    patterns = [archive["identifier"]["pattern"].strip("^$") for archive in ARCHIVES if "identifier" in archive]
    distinctive = [pattern for pattern in patterns if not re.search(pattern, "1000 2026 a4f9")]
    found = []
    for source in [ROOT / "index.md", *(ROOT / "docs").rglob("*.md")]:
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
            words = {word.lower() for word in re.findall(r"[\w./-]+", line)}
            hits = sorted(words & known) + [hit[0] for pattern in distinctive for hit in re.finditer(pattern, line)]
            found += [f"{source.relative_to(ROOT)}:{number}: {hit}" for hit in hits]
    assert not found, "accessions written in pages; put them in data/ instead:\n" + "\n".join(found)


# -- What readers get: every edition and format, the exports, the JSON-LD -------------------------


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_accession_reaches_every_format(read_the_docs, lang):
    build = read_the_docs.build(lang)
    html = (build.html / "docs/data_types/imaging_data/data.html").read_text(encoding="utf-8")
    pdf = " ".join(pdf_texts(build.pdf)).replace("\n", " ")
    with zipfile.ZipFile(build.epub) as epub:
        book = " ".join(epub.read(name).decode() for name in epub.namelist() if name.endswith(".xhtml"))
    for accession in ACCESSIONS:
        assert f">{accession}<" in html, f"{lang}: data.html does not show {accession}"
        assert accession in book, f"{lang}: the EPUB does not show {accession}"
        assert accession.lower() in pdf.lower().replace("- ", "-"), f"{lang}: the PDF does not show {accession}"


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_exports_and_json_ld_hold_the_data(read_the_docs, lang):
    html = read_the_docs.build(lang).html
    exported = json.loads((html / "_data" / "datasets.json").read_text(encoding="utf-8"))
    with (html / "_data" / "archives.csv").open(encoding="utf-8") as table:
        archives = list(csv.DictReader(table))
    assert len(exported) == len(DATASETS) and len(archives) == len(ARCHIVES)
    assert [row["id"] for row in archives] == [archive["id"] for archive in ARCHIVES]
    page = BeautifulSoup((html / "docs/data_types/imaging_data/data.html").read_text(encoding="utf-8"), "html.parser")
    graphs = [json.loads(script.string) for script in page.find_all("script", type="application/ld+json")]
    assert len(graphs) == 1, f"{lang}: data.html carries {len(graphs)} JSON-LD blocks"
    types = [item["@type"] for item in graphs[0]["@graph"]]
    assert types.count("Dataset") == len(ACCESSIONS) and types.count("DataCatalog") == len(ARCHIVES)
    assert all(not re.search(r"\{\w+\}", item.get("description", "")) for item in graphs[0]["@graph"])
    # The licence the table shows, the archive's where it covers every entry (EMPIAR's CC0) included.
    shown = {link.get_text(): link["href"] for link in page.select("table.repository-data a")}
    licences = {item["identifier"]: item.get("license") for item in graphs[0]["@graph"] if item["@type"] == "Dataset"}
    for dataset in DATASETS:
        cells = [cell for cell in page.find(string=dataset["accessions"][0]).find_parent("tr").find_all("td")]
        licence = cells[2].find("a")
        assert licences[dataset["accessions"][0]] == (licence["href"] if licence else None), dataset["accessions"]


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_guide_is_printed_and_in_the_book(read_the_docs, lang):
    """Every question of the guide, in the edition's language, in the PDF (printed open, each answer
    with the page it leads to) and in the EPUB."""
    build = read_the_docs.build(lang)
    messages = catalogue(lang, "docs/data_types/imaging_data/guidelines/repositories")
    pdf = re.sub(r"\s+", " ", " ".join(pdf_texts(build.pdf)))
    with zipfile.ZipFile(build.epub) as epub:
        book = " ".join(epub.read(name).decode() for name in epub.namelist() if name.endswith(".xhtml"))
    for step in yaml.safe_load((DATA / "guide.yaml").read_text(encoding="utf-8")):
        question = messages.get(step["question"], step["question"])
        assert question in pdf, f"{lang}: the PDF does not print the question {question!r}"
        assert question in book, f"{lang}: the EPUB does not hold the question {question!r}"
    page = "sida" if lang == "sv" else "page"
    first = messages.get("Cells, tissues or organisms under a light microscope",
                          "Cells, tissues or organisms under a light microscope")
    assert re.search(rf"{re.escape(first)} \({page} \d+\)", pdf), f"{lang}: the printed answer says no page"


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_diagram_is_in_every_format_in_the_editions_language(read_the_docs, lang):
    """The guide's diagram: its questions in the edition's language on the site, a tagged figure with
    the translated alternative text on a page across the sheet of the PDF, an image in the EPUB."""
    from test_pdf_structure import TaggedPdf

    build = read_the_docs.build(lang)
    messages = catalogue(lang, "docs/data_types/imaging_data/guidelines/repositories")
    alt = messages.get(DIAGRAM_ALT, DIAGRAM_ALT)
    page = build.html / "docs/data_types/imaging_data/guidelines/repositories.html"
    image = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one(".guide-diagram img")
    assert image["alt"] == alt
    drawn = re.sub(r"\s", "", BeautifulSoup((page.parent / image["src"]).read_bytes(), "html.parser").get_text())
    for step in yaml.safe_load((DATA / "guide.yaml").read_text(encoding="utf-8")):
        question = messages.get(step["question"], step["question"])
        assert re.sub(r"\s", "", question) in drawn, f"{lang}: the diagram does not ask {question!r}"
    tagged = TaggedPdf.read(build.pdf)
    figures = [figure for figure in tagged.root.all("/Figure") if str(figure.obj.get("/Alt")) == alt]
    assert len(figures) == 1, f"{lang}: the PDF has no figure whose alternative text is the diagram's"
    sheet = tagged.pdf.pages[figures[0].pages()[0]].mediabox
    assert sheet[2] > sheet[3], f"{lang}: the diagram's page is not across the sheet"
    with zipfile.ZipFile(build.epub) as epub:
        svgs = [name for name in epub.namelist() if re.search(r"_images/guide-\w+\.svg$", name)]
        book = " ".join(epub.read(name).decode() for name in epub.namelist() if name.endswith(".xhtml"))
    assert len(svgs) == 1 and f'alt="{alt}"' in book and Path(svgs[0]).name in book, f"{lang}: the EPUB lacks the diagram"
