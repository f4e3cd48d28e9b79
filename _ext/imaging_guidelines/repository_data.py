"""The repository data, data/archives.yaml and data/datasets.yaml, as the pages show it: one
sourced, dated record of each archive and published dataset, which the tables and summaries of
every format and edition are made from. In a page::

    ```{archive-chooser} Where each kind of image goes.      (a caption)
    :name: repository-chooser
    ```
    ```{archive-facts} empiar                                 (one archive's summary)
    ```
    ```{datasets} Notable studies in the BioImage Archive.    (the datasets whose table is its name)
    :name: published-data-bia
    ```
    ```{archive-guide}                                        (data/guide.yaml, question by question)
    What every ending adds (a sentence: the next step).
    ```
    ```{archive-guide-diagram}                                (the whole guide: a diagram, a list)
    ```

- Each file is checked against its schema (data/<file>.schema.json) and against the other file
  when the build starts: an archive that a dataset names exists, each accession fits its
  archive's pattern and is written once (an archive's example is a dataset marked
  ``example: true``, where it has one; no other value repeats one), a licence agrees with an
  archive whose licence covers every entry, and a text's {key} has its value; the guide's
  answers lead to steps and archives that exist, its first question reaches every step and ends
  at every archive, and no answer leads back to where it came from. A bad entry is an
  error (type ``data``) with the file, the line and the fix; so is a table of datasets that no
  page shows (where pages show the others).
- A text is a paragraph, translated like the page's own (``make translations`` lists it). The
  values it names as {key} are put in after the translation, so that an accession, a size or a
  licence never passes through it; a translation that leaves out a {key} is reported.
- The guide is one box a step (``guide-<step>``, its question a rubric) and one box an ending
  (``guide-to-<archive ids>``): the archives, each linked to its section (the label
  ``archive-<id>``), why, what to prepare from its facts, the paper's data-availability sentence
  to copy, then the directive's own text. Every answer is a link, so the guide needs no script,
  and prints open; a box takes the focus when an answer leads to it.
- The guide's diagram is drawn by Graphviz's dot, as an SVG image, from its list as the page's
  language has it: the list is its text alternative, and the two cannot disagree.
- The HTML pages that show data carry it as schema.org JSON-LD, and every build of the site
  writes it to _data/archives.json, .csv, _data/datasets.json and .csv, which the tables link.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import textwrap
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from imaging_guidelines import DATA_VALUES, checked_yaml
from imaging_guidelines.checked_yaml import line_of

logger = logging.getLogger(__name__)

WARNING_TYPE = "data"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# An archive's summary: its facts in this order, each under its label.
FACTS = {"takes": "Takes", "route": "Route", "identifier": "Identifier", "hold": "Hold", "format": "Format",
         "licence": "Licence", "access": "Access", "size": "Size and upload", "also": "Also"}
DATED = {"hold", "licence", "size"}  # where a reader sees when the fact was checked
PREPARE = ["route", "identifier", "hold", "format", "size"]  # the facts a guide's ending shows
EXPORTS = ["archives.json", "archives.csv", "datasets.json", "datasets.csv"]


def entry_address(dataset: dict, archive: dict, accession: str) -> str:
    """Where *accession* of *dataset* opens: the row's own `url` for its first accession, else the
    archive's entry address."""
    if accession == dataset["accessions"][0] and "url" in dataset:
        return dataset["url"]
    return archive["entry_url"].format(accession=accession)


def licence_of(dataset: dict, archive: dict) -> str | None:
    """The dataset's licence: its own, or its archive's where that covers every entry."""
    covering = archive.get("licence") or {}
    return dataset.get("licence") or (covering["licence"] if covering.get("every_entry") else None)


def value_node(text: str, url: str | None = None, code: bool = True) -> nodes.Node:
    """A value as the pages show it: as code (an accession) or as text, linked where it has an address."""
    inner = nodes.literal(text, text) if code else nodes.Text(text)
    return nodes.reference("", "", inner, refuri=url) if url else inner


def writes_the_site(builder) -> bool:
    """The HTML site (not the EPUB or the PDF, whose builders are HTML ones too)."""
    return builder.format == "html" and builder.name not in ("epub", "pdf")


def load(folder: Path, name: str) -> tuple[list[dict], list[str]]:
    """<folder>/<name>.yaml and the problems of its entries, each "file:line: what; the fix"."""
    path = folder / f"{name}.yaml"
    schema = json.loads((folder / f"{name}.schema.json").read_text(encoding="utf-8"))
    entries, tree, problems = checked_yaml.load(path.read_text(encoding="utf-8"), schema)
    if problems:
        return [], [f"{path}:{line}: {problem}" for line, problem in problems]
    for index, entry in enumerate(entries):
        for where, fact in [([], entry), *(([key], value) for key, value in entry.items() if isinstance(value, dict))]:
            text = fact.get("text") or fact.get("what") or ""
            # An identifier's {example} may come from a dataset (check_together).
            missing = [key for key in PLACEHOLDER.findall(text)
                       if key not in fact and (key, where) != ("example", ["identifier"])]
            if missing:
                line = line_of(tree, [index, *where, "text" if "text" in fact else "what"])
                problems.append(f"{path}:{line}: the text names {{{missing[0]}}}, which "
                                f"has no value here; add `{missing[0]}:` beside the text, or write the text without it")
        entry["_line"], entry["_lines"] = line_of(tree, [index]), {key: line_of(tree, [index, key]) for key in entry}
        entry["_lines"].update({f"{key}.{inner}": line_of(tree, [index, key, inner]) for key, value in entry.items()
                                if isinstance(value, dict) for inner in value})
        for key, value in entry.items():  # a guide step's answers
            for number, item in enumerate(value if isinstance(value, list) else []):
                if isinstance(item, dict):
                    item["_line"] = line_of(tree, [index, key, number])
    return entries, problems


def check_together(folder: Path, archives: dict[str, dict], datasets: list[dict]) -> list[str]:
    """What neither schema can say: the datasets against their archives."""
    problems = []
    accessions = {accession for dataset in datasets for accession in dataset["accessions"]}
    for dataset in datasets:
        where = f"{folder / 'datasets.yaml'}:{dataset['_line']}"
        for key, value in dataset.items():
            if key not in ("accessions", "url") and isinstance(value, str) and value in accessions:
                problems.append(f"{where}: {key}: {value} repeats an accession of datasets.yaml; name the "
                                "dataset in words, and leave its accession to its own row")
        archive = archives.get(dataset["archive"])
        if archive is None:
            problems.append(f"{where}: no archive {dataset['archive']!r} in archives.yaml; "
                            f"use one of {sorted(archives)}")
            continue
        pattern = (archive.get("identifier") or {}).get("pattern")
        for accession in dataset["accessions"]:
            if pattern and not re.fullmatch(pattern, accession):
                problems.append(f"{where}: {accession} is not an accession of {archive['name']} ({pattern}); "
                                "correct it, or the entry's archive")
        licence = archive.get("licence") or {}
        if licence.get("every_entry") and dataset.get("licence", licence["licence"]) != licence["licence"]:
            problems.append(f"{folder / 'datasets.yaml'}:{dataset['_lines']['licence']}: licence {dataset['licence']}, "
                            f"but {archive['name']} releases every entry "
                            f"under {licence['licence']} ({licence['source']}); correct one of the two")
        if dataset.get("example"):
            identifier = archive.setdefault("identifier", {})
            if "example" in identifier:
                problems.append(f"{where}: {archive['name']} has its example already ({identifier['example']}); "
                                "give one example, here (example: true) or in archives.yaml")
            first = dataset["accessions"][0]
            identifier.update(example=first, example_url=entry_address(dataset, archive, first))
    for archive in archives.values():
        identifier = archive.get("identifier") or {}
        if "{example}" in identifier.get("text", "") and "example" not in identifier:
            problems.append(f"{folder / 'archives.yaml'}:{archive['_line']}: the identifier's text names {{example}}, "
                            f"but no dataset of {archive['name']} says example: true; mark one, or give `example:`")
        for key, value in identifier.items():  # a value that repeats an accession of the data
            if key not in ("example", "example_url") and isinstance(value, str) and value in accessions:
                problems.append(f"{folder / 'archives.yaml'}:{archive['_line']}: {key}: {value} repeats an accession "
                                "of datasets.yaml; say it there only, and write the text without it")
        for key in ("example", "placeholder"):
            if key in identifier and not re.fullmatch(identifier["pattern"], identifier[key]):
                line = archive["_lines"].get(f"identifier.{key}", archive["_line"])  # an example may come from datasets.yaml
                problems.append(f"{folder / 'archives.yaml'}:{line}: the {key} {identifier[key]} does "
                                f"not fit the pattern {identifier['pattern']}; correct one of the two")
    return problems


def check_guide(folder: Path, archives: dict[str, dict], steps: list[dict]) -> list[str]:
    """The guide's answers lead to steps and archives that exist; from the first question every
    step is reached and every archive is an ending; no answer leads back to where it came from."""
    path, problems = folder / "guide.yaml", []
    by_name = {step["step"]: step for step in steps}
    for step in steps:
        for answer in step["answers"]:
            if "next" in answer and answer["next"] not in by_name:
                problems.append(f"{path}:{answer['_line']}: no step {answer['next']!r}; use one of {sorted(by_name)}")
            for name in answer.get("archives", []):
                if name not in archives:
                    problems.append(f"{path}:{answer['_line']}: no archive {name!r} in archives.yaml; "
                                    f"use one of {sorted(archives)}")
            if len(answer.get("archives", [])) > 1 and "text" not in answer:
                problems.append(f"{path}:{answer['_line']}: an answer that ends at several archives says why; "
                                "give it a `text`")
    if problems:
        return problems
    reached, ends = set(), set()

    def walk(name: str, trail: tuple[str, ...], via: dict | None) -> None:
        if name in trail:
            problems.append(f"{path}:{via['_line']}: this answer of step {trail[-1]!r} leads back to step {name!r}, "
                            "so the guide never ends; lead it to another step or to archives")
            return
        reached.add(name)
        for answer in by_name[name]["answers"]:
            ends.update(answer.get("archives", []))
            if "next" in answer:
                walk(answer["next"], (*trail, name), answer)

    walk(steps[0]["step"], (), None)
    problems += [f"{path}:{step['_line']}: no answer leads to step {step['step']!r}; lead one to it "
                 f"(`next: {step['step']}`), or remove the step" for step in steps if step["step"] not in reached]
    problems += [f"{folder / 'archives.yaml'}:{archive['_line']}: the guide ends at {archive['name']} nowhere; give "
                 f"a step of guide.yaml an answer with `archives: [{archive['id']}]`"
                 for archive in archives.values() if archive["id"] not in ends]
    return problems


def read_data(app: Sphinx) -> None:
    folder = Path(app.confdir, app.config.repository_data)
    archives, problems = load(folder, "archives")
    datasets, dataset_problems = load(folder, "datasets")
    guide, guide_problems = load(folder, "guide")
    by_id = {archive["id"]: archive for archive in archives}
    problems += dataset_problems or (not problems and check_together(folder, by_id, datasets)) or []
    problems += guide_problems or (not problems and check_guide(folder, by_id, guide)) or []
    for problem in problems:
        logger.error(problem, type=WARNING_TYPE)
    app.env.repository_data = (by_id, [dataset for dataset in datasets if dataset["archive"] in by_id])
    app.env.repository_guide = [] if problems else guide
    app.env.repository_folder = folder


# -- Rendering ----------------------------------------------------------------------------------


class DataDirective(SphinxDirective):
    def text(self, text: str, values: dict) -> nodes.paragraph:
        """*text* as a paragraph the page's translation reaches; its {key}s are filled in later."""
        children, messages = self.parse_inline(text, lineno=self.lineno)
        paragraph = nodes.paragraph(text, "", *children, *messages)
        paragraph.source, paragraph.line = self.get_source_info()
        used = set(PLACEHOLDER.findall(text)) & set(values)  # all of them, unless the data failed its checks
        if used:
            paragraph["data_values"] = {key: (values[key], values.get(f"{key}_url")) for key in used}
        return paragraph

    def value(self, text: str, url: str | None = None, code: bool = True) -> nodes.paragraph:
        """A value, not language: never translated."""
        return nodes.paragraph("", "", value_node(text, url, code), translatable=False)

    def table(self, headers: list[str], rows: list[list[nodes.Node]], widths: list[int]) -> nodes.table:
        table = nodes.table(classes=["colwidths-given", "repository-data"])
        self.add_name(table)
        title = nodes.title(self.arguments[0], self.arguments[0])
        title.source, title.line = self.get_source_info()
        group = nodes.tgroup(cols=len(headers))
        group += [nodes.colspec(colwidth=width) for width in widths]
        head, body = nodes.thead(), nodes.tbody()
        head += nodes.row("", *(nodes.entry("", self.text(header, {})) for header in headers))
        body += [nodes.row("", *(nodes.entry("", *cell) for cell in row)) for row in rows]
        group += [head, body]
        table += [title, group]
        self.note_data()
        return table

    def note_data(self) -> None:
        """The page is read again when the data changes."""
        for name in ("archives.yaml", "datasets.yaml", "guide.yaml"):
            self.env.note_dependency(str(self.env.repository_folder / name))

    def facts(self, archive: dict, keys) -> nodes.bullet_list:
        """The archive's *keys* facts, each under its label, with the day it was checked where that matters."""
        items = nodes.bullet_list()
        for key in keys:
            fact = archive.get(key)
            if not fact or "text" not in fact:
                continue
            dated = ""
            if key in DATED:
                dated = " Not checked yet." if fact["checked"] == "never" else " Checked on {checked}."
            items += nodes.list_item("", self.text(f"**{FACTS[key]}:** {fact['text']}{dated}", fact))
        return items

    def phrase(self, text: str) -> nodes.inline:
        """*text* as a part of a paragraph that is translated on its own. Sphinx then moves the
        translated text to the end of the part's parent (RemoveTranslatableInline), hence a wrapper."""
        children, messages = self.parse_inline(text, lineno=self.lineno)
        inline = nodes.inline(text, "", *children, *messages, translatable=True)
        inline.source, inline.line = self.get_source_info()
        return nodes.inline("", "", inline)

    def link(self, text: str, refid: str) -> nodes.paragraph:
        """A translatable *text* that links to *refid* on the page (the link stays when translated)."""
        return nodes.paragraph("", "", nodes.reference("", "", self.phrase(text), refid=refid, internal=True))

    def names(self, archives: list[dict]) -> list[nodes.Node]:
        """The archives' names, each linked to its section (the label ``archive-<id>``)."""
        links = [addnodes.pending_xref("", nodes.inline(archive["name"], archive["name"]), refdomain="std",
                                       reftype="ref", reftarget=f"archive-{archive['id']}", refexplicit=True,
                                       refwarn=True, refdoc=self.env.docname) for archive in archives]
        return [node for index, link in enumerate(links) for node in ([nodes.Text(", ")] if index else []) + [link]]

    def statement(self, archive: dict) -> list[nodes.Node]:
        """The archive's data-availability sentence for a paper, to copy and complete (in English, as
        papers are): its placeholder fits the archive's identifier pattern."""
        identifier = archive.get("identifier") or {}
        if "statement" not in identifier:
            return []
        sentence = identifier["statement"].format(placeholder=identifier["placeholder"])
        block = nodes.literal_block(sentence, sentence, language="text", translatable=False,
                                    classes=["data-availability"])
        return [self.text("For the paper's data availability statement, replace {placeholder} by your identifier:",
                          identifier), block]

    def downloads(self, name: str) -> nodes.paragraph:
        files = {kind: f"{name}.{kind}" for kind in ("json", "csv")}
        return self.text("The table's data: {json}, {csv}.", {**files, **{f"{kind}_url": f"data-export:{file}"
                                                                          for kind, file in files.items()}})


class ArchiveChooser(DataDirective):
    required_arguments, final_argument_whitespace = 1, True
    option_spec = {"name": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        archives, _ = self.env.repository_data
        rows = []
        for archive in archives.values():
            identifier = archive.get("identifier") or {}
            if "example" in identifier:
                shown = [self.value(identifier["example"], identifier.get("example_url"))]
            else:
                shown = [self.text(identifier.get("form") or "ask {name}", archive)]
            rows += [[[self.text(fits, {})], [self.value(archive["name"], archive["url"], code=False)], shown]
                     for fits in archive["fits"]]
        return [self.table(["Your images", "Repository", "Identifier"], rows, [46, 27, 27]), self.downloads("archives")]


class ArchiveFacts(DataDirective):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        archives, _ = self.env.repository_data
        archive = archives.get(self.arguments[0])
        if archive is None:
            raise self.error(f"no archive {self.arguments[0]!r} in the repository data; use one of {sorted(archives)}")
        self.note_data()
        return [self.facts(archive, FACTS)]


def answer_text(answer: dict, archives: dict[str, dict]) -> str:
    """An answer's words: its own, or what the chooser says of the one archive it ends at."""
    return answer.get("text") or archives[answer["archives"][0]]["fits"][0]


def answer_target(answer: dict) -> str:
    """Where an answer leads: the next step, or ``to-<archive ids>``, where the guide ends."""
    return answer.get("next") or "to-" + "-".join(answer["archives"])


class guide_step(nodes.container):
    """A step of the guide, which takes the focus when an answer leads to it (``tabindex="-1"``):
    Tab then goes on to its own answers, not to those after the answer chosen."""


def visit_guide_step(translator, node: guide_step) -> None:
    translator.body.append(translator.starttag(node, "div", CLASS="docutils container", tabindex="-1"))


def depart_guide_step(translator, node: guide_step) -> None:
    translator.body.append("</div>\n")


class ArchiveGuide(DataDirective):
    has_content = True

    def run(self) -> list[nodes.Node]:
        archives, steps = self.env.repository_data[0], self.env.repository_guide
        boxes, endings = [], {}
        for step in steps:
            box = guide_step(ids=[f"guide-{step['step']}"], classes=["guide-step"])
            question = nodes.rubric(step["question"], step["question"])
            question.source, question.line = self.get_source_info()
            box += [question, *([self.text(step["text"], {})] if "text" in step else [])]
            answers = nodes.bullet_list(classes=["guide-answers"])
            for answer in step["answers"]:
                if "archives" in answer:
                    endings.setdefault(answer_target(answer).removeprefix("to-"), answer)
                answers += nodes.list_item("", self.link(answer_text(answer, archives), f"guide-{answer_target(answer)}"))
            box += answers
            boxes.append(box)
        for ending, answer in endings.items():
            box = guide_step(ids=[f"guide-to-{ending}"], classes=["guide-step", "guide-end"])
            names = [archives[name] for name in answer["archives"]]
            heading = nodes.rubric("", "", *self.names(names), translatable=False)
            # Why: what the chooser says of the archive; of several, the answer's own words.
            box += [heading, self.text(answer["text"] if len(names) > 1 else names[0]["fits"][0], {})]
            for archive in names:
                facts = self.facts(archive, PREPARE)
                label = [nodes.paragraph("", "", nodes.strong(archive["name"], archive["name"]), translatable=False)
                         ] if len(names) > 1 and len(facts) else []
                box += [*label, *([facts] if len(facts) else []), *self.statement(archive)]
            box += [*([self.text(" ".join(self.content), {})] if self.content else []),
                    self.link("Back to the first question", f"guide-{steps[0]['step']}")]
            boxes.append(box)
        self.note_data()
        return boxes


class guide_diagram(nodes.General, nodes.Element):
    """The whole guide as a nested list (``guide-tree``), after its diagram's alternative text;
    draw_guide draws the diagram from the list as it was translated."""


class ArchiveGuideDiagram(DataDirective):
    def run(self) -> list[nodes.Node]:
        archives, steps = self.env.repository_data[0], self.env.repository_guide
        by_step = {step["step"]: step for step in steps}

        def answers(step: dict) -> nodes.bullet_list:  # each answer " → " the next question or the archives
            listing = nodes.bullet_list(classes=["guide-tree"], guide_from=step["step"])
            for answer in step["answers"]:
                line = nodes.paragraph("", "", self.phrase(answer_text(answer, archives)), nodes.Text(" → "))
                item = nodes.list_item("", line, guide_to=answer_target(answer))
                if "next" in answer:
                    line += nodes.emphasis("", "", self.phrase(by_step[answer["next"]]["question"]))
                    item += answers(by_step[answer["next"]])
                else:
                    line += nodes.strong("", "", *self.names([archives[name] for name in answer["archives"]]))
                listing += item
            return listing

        self.note_data()
        if not steps:
            return []
        alt = self.text("The guide as a diagram: each question, its answers and the archives they lead to. "
                        "The same tree is written out as a list.", {})
        first = nodes.paragraph("", "", nodes.emphasis("", "", self.phrase(steps[0]["question"])))
        placeholder = guide_diagram("", alt, first, answers(steps[0]))
        placeholder.source, placeholder.line = self.get_source_info()
        return [placeholder]


def draw_guide(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The guide's diagram as an SVG image, drawn by Graphviz's dot from the guide's list as the
    page's language has it, then the list. Not sphinx.ext.graphviz: it writes an SVG as an
    <object>, whose text the PDF's tags, axe and screen readers miss (sphinx-doc/sphinx#14311) and
    which does not fit a phone's width (sphinx-doc/sphinx#5002); and its code is not translated."""
    for placeholder in list(doctree.findall(guide_diagram)):
        alt, first, tree = placeholder.children
        labels, edges = {tree["guide_from"]: first.astext()}, []
        for item in tree.findall(nodes.list_item):
            answer, *rest = item[0].children
            labels[item["guide_to"]] = "".join(node.astext() for node in rest).removeprefix(" → ")
            edges.append((item.parent["guide_from"], item["guide_to"], answer.astext()))
        shown = [alt]  # where there is no image (as in the message catalogues, which take its text)
        if app.builder.format == "html":
            shown = draw(app, placeholder, docname, labels, edges) or shown
        # In print the diagram has a page across the sheet: after the list, so that no gap is left before it.
        placeholder.replace_self([first, tree, *shown] if app.builder.name == "pdf" else [*shown, first, tree])


def draw(app: Sphinx, placeholder: guide_diagram, docname: str, labels: dict, edges: list) -> list[nodes.Node]:
    def label(text: str, width: int) -> str:
        return json.dumps("\n".join(textwrap.wrap(text, width)), ensure_ascii=False)  # \n: dot's line break

    ending = ', fillcolor="#e7f2fa", penwidth=2'  # an archive, where the guide ends
    # FreeSans, the PDF's font (another would be embedded); a browser without it takes its own sans-serif.
    lines = ['digraph guide {', 'graph [rankdir=LR, nodesep=0.1, ranksep=0.25, bgcolor="transparent"];',
             'node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#1c6699", '
             'fontname="FreeSans,sans-serif", fontsize=10, margin="0.08,0.04"];',
             'edge [color="#404040", fontname="FreeSans,sans-serif", fontsize=8.5];']
    lines += [f'{json.dumps(key)} [label={label(text, 18)}{ending if key.startswith("to-") else ""}];'
              for key, text in labels.items()]
    lines += [f"{json.dumps(start)} -> {json.dumps(end)} [label={label(text, 20)}];" for start, end, text in edges]
    code = "\n".join([*lines, "}"])
    try:
        svg = subprocess.run(["dot", "-Tsvg"], input=code.encode(), capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        logger.warning(f"the guide's diagram is not drawn: Graphviz's dot failed ({error}); install the Debian "
                       "package graphviz (make html does)", location=placeholder, type=WARNING_TYPE)
        return []
    svg = svg[svg.index(b"<svg"):]  # without dot's document type, which points at a DTD (an EPUB may not)
    name = f"{app.builder.imagedir}/guide-{hashlib.sha1(svg, usedforsecurity=False).hexdigest()[:16]}.svg"
    (Path(app.outdir) / name).parent.mkdir(parents=True, exist_ok=True)
    (Path(app.outdir) / name).write_bytes(svg)
    uri = relative_uri(app.builder.get_target_uri(docname), name)
    image = nodes.image(uri=uri, alt=placeholder[0].astext(), candidates={"*": uri})
    # On the site the diagram is shown at its size in a box that scrolls sideways, its link the
    # keyboard's way in, and opens whole; the PDF and the EPUB hold no such page.
    shown = nodes.reference("", "", image, refuri=uri, internal=True) if writes_the_site(app.builder) else image
    return [nodes.container("", nodes.paragraph("", "", shown), classes=["guide-diagram"])]


class Datasets(DataDirective):
    required_arguments, final_argument_whitespace = 1, True
    option_spec = {"name": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        archives, datasets = self.env.repository_data
        rows = []
        for dataset in (dataset for dataset in datasets if dataset["table"] == self.options["name"]):
            archive = archives[dataset["archive"]]
            links = [self.value(accession, entry_address(dataset, archive, accession))
                     for accession in dataset["accessions"]]
            licence = licence_of(dataset, archive)
            paper = dataset.get("paper")
            rows.append([links, [self.text(dataset["what"], dataset)],
                         [self.value(licence, f"https://spdx.org/licenses/{licence}.html", code=False) if licence
                          else self.text("See the entry", {})],
                         [self.value(paper["cite"], f"https://doi.org/{paper['doi']}", code=False) if paper
                          else self.text("See the entry", {})]])
        self.env.repository_tables = getattr(self.env, "repository_tables", set()) | {self.options["name"]}
        first = "repository_data_shown" not in self.env.temp_data  # the page's first table links the data
        self.env.temp_data["repository_data_shown"] = True
        table = self.table(["Accession", "What it is", "Licence or access", "Paper"], rows, [22, 40, 16, 22])
        return [table, self.downloads("datasets")] if first else [table]


def fill_values(app: Sphinx, doctree: nodes.document) -> None:
    """Each text's {key}s, after its translation: the values themselves, linked where they have an
    address. A translation that leaves one out is reported."""
    for paragraph in doctree.findall(nodes.paragraph):
        values = paragraph.attributes.pop("data_values", None)
        if not values:
            continue
        seen = set()
        for text in list(paragraph.findall(nodes.Text)):
            parts = PLACEHOLDER.split(text.astext())
            if len(parts) == 1:
                continue
            filled = []
            for index, part in enumerate(parts):
                if index % 2 == 0:
                    filled.append(nodes.Text(part)) if part else None
                elif part in values:
                    seen.add(part)
                    value, url = values[part]
                    if url and url.startswith("data-export:"):  # ExportLinks gives its address
                        filled.append(nodes.reference("", "", nodes.Text(value), data_export=url.split(":", 1)[1]))
                    else:
                        filled.append(value_node(value, url, code=bool(url)))
                else:
                    filled.append(nodes.Text(f"{{{part}}}"))
            text.parent.replace(text, filled)
        for key in sorted(set(values) - seen):
            logger.warning(f"the translation leaves out {{{key}}} ({values[key][0]}); keep {{{key}}} in the msgstr",
                           location=paragraph, type=WARNING_TYPE)


def export_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The tables' links to the exported data: beside the page in HTML, on the published site
    from a PDF or an EPUB (which hold no such files)."""
    html = writes_the_site(app.builder)
    for reference in doctree.findall(nodes.reference):
        if "data_export" in reference:
            name = reference.attributes.pop("data_export")
            reference["refuri"] = (relative_uri(app.builder.get_target_uri(docname), f"_data/{name}") if html
                                   else f"{app.config.html_baseurl}_data/{name}")
            reference["internal"] = html  # a file of the site, in HTML


# -- Exports --------------------------------------------------------------------------------------


def public(entries) -> list[dict]:
    return [{key: value for key, value in entry.items() if not key.startswith("_")} for entry in entries]


def json_ld(app: Sphinx) -> dict:
    archives, datasets = app.env.repository_data
    catalogues = [{"@type": "DataCatalog", "@id": archive["url"], "name": archive["name"], "url": archive["url"]}
                  for archive in archives.values()]
    items = [{"@type": "Dataset", "name": accession, "identifier": accession,
              "description": PLACEHOLDER.sub(lambda key, values=dataset: values[key[1]], dataset["what"]),
              "url": entry_address(dataset, archives[dataset["archive"]], accession),
              "includedInDataCatalog": {"@id": archives[dataset["archive"]]["url"]},
              **({"license": f"https://spdx.org/licenses/{licence}.html"}
                 if (licence := licence_of(dataset, archives[dataset["archive"]])) else {}),
              **({"citation": f"https://doi.org/{dataset['paper']['doi']}"} if "paper" in dataset else {})}
             for dataset in datasets for accession in dataset["accessions"]]
    return {"@context": "https://schema.org", "@graph": catalogues + items}


def add_json_ld(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is None or not any(doctree.findall(lambda node: isinstance(node, nodes.table)
                                                  and "repository-data" in node["classes"])):
        return
    script = json.dumps(json_ld(app), ensure_ascii=False).replace("</", "<\\/")
    context["metatags"] = context.get("metatags", "") + f'\n<script type="application/ld+json">{script}</script>'


def write_exports(app: Sphinx, exception) -> None:
    if exception or not writes_the_site(app.builder):
        return
    archives, datasets = app.env.repository_data
    folder = Path(app.outdir) / "_data"
    folder.mkdir(exist_ok=True)
    for name, entries in (("archives", public(archives.values())), ("datasets", public(datasets))):
        (folder / f"{name}.json").write_text(json.dumps(entries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        flat = [{key: json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value
                 for key, value in entry.items()} for entry in entries]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(dict.fromkeys(key for entry in flat for key in entry)))
        writer.writeheader()
        writer.writerows(flat)
        (folder / f"{name}.csv").write_text(out.getvalue(), encoding="utf-8")


def check_every_table_shown(app: Sphinx, env) -> None:
    _, datasets = env.repository_data
    shown = getattr(env, "repository_tables", set())  # none in a project that shows no data (a test's)
    for dataset in datasets:
        if shown and dataset["table"] not in shown:
            logger.error(f"{env.repository_folder / 'datasets.yaml'}:{dataset['_line']}: no page shows the table "
                         f"{dataset['table']!r}; "
                         f"add ```{{datasets}} Its caption.\\n:name: {dataset['table']}\\n``` to a page, or use a "
                         "table a page shows", type=WARNING_TYPE)
            return


def setup(app: Sphinx) -> dict:
    app.add_config_value("repository_data", "data", "env", types=[str])  # the folder, beside conf.py
    app.connect("builder-inited", read_data)
    app.add_directive("archive-chooser", ArchiveChooser)
    app.add_directive("archive-facts", ArchiveFacts)
    app.add_directive("datasets", Datasets)
    app.add_directive("archive-guide", ArchiveGuide)
    app.add_node(guide_step, html=(visit_guide_step, depart_guide_step))
    app.add_directive("archive-guide-diagram", ArchiveGuideDiagram)
    app.add_node(guide_diagram)  # never written: draw_guide replaces it
    app.connect("doctree-resolved", draw_guide)
    app.connect("doctree-read", fill_values, priority=DATA_VALUES)
    app.connect("doctree-resolved", export_links)
    app.connect("env-check-consistency", check_every_table_shown)
    app.connect("html-page-context", add_json_ld)
    app.connect("build-finished", write_exports)
    return {"parallel_read_safe": False, "parallel_write_safe": True, "env_version": 1}
