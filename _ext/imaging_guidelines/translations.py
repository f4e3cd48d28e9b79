"""Translations keep the English links and facts, and a fault in one names its .po file and line.

0. ``translate(app, docname, text)``: a front-matter value (a menu name, a description) in the
   build's language, from the page's own catalogue.
1. Links: each msgstr, parsed as MyST Markdown, has its msgid's link targets and roles, in any
   order; ``translation_link_map`` ({language: {English: translated}}) allows a pair of web
   addresses (only web addresses: a cross-reference keeps its target).
2. Facts: the numbers (75,000 and 75 000 are one), accessions, DOIs and licences outside links are
   the msgid's, and a long message's translation is at least half its length.

A fault in 1 or 2 is a warning at the msgstr's line, and the message stays English in that build
(WithholdFaultyTranslations), so Sphinx never meets a translated message whose references differ.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

from babel.messages.pofile import read_po
from docutils import nodes
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging as sphinx_logging
from sphinx.locale import init as init_locale
from sphinx.util.i18n import docname_to_domain
from sphinx.util.nodes import extract_messages

from imaging_guidelines import AFTER_MYST_CONFIG, WITHHOLD_TRANSLATION

logger = sphinx_logging.getLogger(__name__)

WARNING_TYPE = "translation"
# Roles whose content names a target: the target must stay, the text before <target> may change.
XREF_ROLES = {"ref", "doc", "numref", "download", "any", "eq"}
# What a translation copies as it is: a licence, an accession, a DOI, a number (in thousands, or not).
FACT = re.compile(r"""
    CC[ -]BY(?:-[A-Z]{2})*(?:[ -]\d\.\d)?|CC0(?:[ -]1\.0)?
  | \b(?:S-[A-Z]{4}|EMPIAR-|EMD-|idr)\d+\b
  | \b10\.\d{4,9}/[^\s)\]>]+
  | \d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?!\d)
  | \d+(?:[.,]\d+)?
""", re.VERBOSE | re.IGNORECASE)
LINKS_AND_CODE = re.compile(r"\]\([^)]*\)|<https?://[^>]*>|`[^`]*`")  # their targets are compared as links
SHORTEST = 0.5  # of the English length, for a message of over 80 characters


def translate(app: Sphinx, docname: str, text: str) -> str:
    """*text* in the build's language, from *docname*'s catalogue (unchanged when there is none)."""
    if not text or not app.config.language:
        return text
    domain = docname_to_domain(docname, app.config.gettext_compact)
    dirs = [str(Path(app.srcdir, directory)) for directory in app.config.locale_dirs]
    catalog, has_catalog = init_locale(dirs, app.config.language, domain)
    return catalog.gettext(text) if has_catalog else text


def markdown_parser(config: MdParserConfig | None = None):
    """MyST's markdown-it parser, with the build's MyST settings when given."""
    return create_md_parser(config or MdParserConfig(), RendererHTML)


DEFAULT_PARSER = markdown_parser()  # made once, for calls without the build's settings


def link_targets(text: str, md=None, definitions: dict | None = None) -> list[str]:
    """The link targets in a message, by parsing it as MyST Markdown: URLs and paths as written
    (normalised as markdown-it does), roles as {name}`target` (or {name} for a role that is no
    reference). *definitions* are the page's ``[label]: target`` lines, for reference-style links."""
    env = {"references": dict(definitions or {})}
    targets = []
    for token in (md or DEFAULT_PARSER).parse(text, env):
        for child in token.children or []:
            if child.type == "link_open":
                targets.append(child.attrs["href"])
            elif child.type == "image":
                targets.append(child.attrs["src"])
            elif child.type == "footnote_ref":
                targets.append(f"[^{child.meta['label']}]")
            elif child.type == "myst_role":
                name = child.meta["name"]
                if name.split(":")[-1] in XREF_ROLES:
                    target = re.search(r"<([^<>]*)>\s*$", child.content)
                    targets.append(f"{{{name}}}`{(target.group(1) if target else child.content).strip()}`")
                else:
                    targets.append(f"{{{name}}}")
    return targets


def compare(english: list[str], translated: list[str], mapping: dict[str, str]) -> tuple[list[str], list[str]]:
    """(English targets the translation lacks, targets it adds), allowing each mapped pair."""
    remaining = Counter(english)
    added = []
    for target in translated:
        allowed = [target, *(e for e, t in mapping.items() if t == target)]
        match = next((candidate for candidate in allowed if remaining[candidate] > 0), None)
        if match is None:
            added.append(target)
        else:
            remaining[match] -= 1
    return list(remaining.elements()), added


def facts(text: str) -> Counter:
    """The facts of a message (FACT), written one way: 75,000 and 75 000 as 75000, 1,5 as 1.5."""
    found = FACT.findall(LINKS_AND_CODE.sub("]", text))
    return Counter(re.sub(r"[\u00a0\u202f ]|,(?=\d{3}\b)", "", fact).replace(",", ".") if fact[0].isdigit()
                   else fact for fact in found)


def changed_facts(english: str, translated: str) -> str | None:
    """What a translation changed of its source's facts or length, in a writer's words, or None."""
    lost, gained = facts(english) - facts(translated), facts(translated) - facts(english)
    if lost or gained:
        return (f"the translation says {', '.join(gained) or 'nothing'} where the English says "
                f"{', '.join(lost) or 'nothing'}: numbers, accessions, DOIs and licences are not translated; copy "
                "them from the msgid")
    if len(english) > 80 and len(translated) < SHORTEST * len(english):
        return (f"the translation is {len(translated)} characters long, the English {len(english)}: check that no "
                "sentence is missing")
    return None


def describe(missing: list[str], added: list[str]) -> str:
    """What changed, in a writer's words: moved links first, then what was dropped or added."""
    def what(target: str) -> str:
        return f"the role {target}" if re.fullmatch(r"\{[^}]*\}", target) else f"the link to {target}"

    parts = [f"links to {new} where the English links to {old}" for old, new in zip(missing, added)]
    parts += [f"drops {what(old)}" for old in missing[len(added):]]
    parts += [f"adds {what(new)}, which the English does not have" for new in added[len(missing):]]
    return "the translation " + "; it ".join(parts)


def english_source(location: str) -> str:
    """docs/page.md from the catalogue's '../../docs/page.md' (relative to the gettext output)."""
    return re.sub(r"^(\.\./)+", "", location.replace(os.sep, "/"))


def msgstr_line(lines: list[str], msgid_line: int) -> int:
    """The line of the msgstr keyword that follows the msgid on *msgid_line* (1-based)."""
    return next((n for n in range(msgid_line, len(lines) + 1) if lines[n - 1].startswith("msgstr")), msgid_line)


def check_catalogues(app: Sphinx) -> None:
    """On builder-inited of a translated build: read the catalogues, warn about moved links, and
    remember the messages to leave untranslated (WithholdFaultyTranslations)."""
    language = app.config.language
    if not language or language == "en" or app.builder.name == "gettext":
        return
    md = markdown_parser(getattr(app.env, "myst_config", None))
    mapping = {english: translated for english, translated in app.config.translation_link_map.get(language, {}).items()
               if "://" in english and "://" in translated}
    srcdir = Path(app.srcdir)
    withheld: dict[str, set[str]] = {}
    definitions = {}
    for directory in app.config.locale_dirs:
        folder = srcdir / directory / language / "LC_MESSAGES"
        for po in sorted(folder.rglob("*.po")):
            lines = po.read_text(encoding="utf-8").splitlines()
            with po.open("rb") as stream:
                catalogue = read_po(stream)
            domain = po.relative_to(folder).with_suffix("").as_posix()
            for message in catalogue:
                if not message.id or not isinstance(message.id, str) or not message.locations:
                    continue
                where = f"{po}:{msgstr_line(lines, message.lineno)}"
                sources = [(english_source(path), line) for path, line in message.locations]
                if not message.string or message.fuzzy:
                    continue  # test_editions fails on these
                page = sources[0][0]
                if page not in definitions:  # the page's [label]: target lines, for reference-style links
                    env: dict = {}
                    md.parse((srcdir / page).read_text(encoding="utf-8") if (srcdir / page).is_file() else "", env)
                    definitions[page] = env.get("references", {})
                missing, added = compare(link_targets(message.id, md, definitions[page]),
                                         link_targets(message.string, md, definitions[page]), mapping)
                # A web address may lead to the same page in this language: say how to allow it.
                moved = any("://" in old and "://" in new for old, new in zip(missing, added))
                links = (f"{describe(missing, added)}; keep the English link targets and roles in the msgstr"
                         + (", or add the pair to translation_link_map in conf.py if the new address is the same page "
                            "in this language" if moved else "")) if missing or added else None
                faults = [(changed_facts(message.id, message.string), "facts"), (links, "link-target")]
                for fault, subtype in faults:
                    if fault:
                        withheld.setdefault(domain, set()).add(message.id)
                        logger.warning(f"{fault} (in the translation of {page}:{sources[0][1]}); until then the build shows "
                                       "the English text", location=where, type=WARNING_TYPE, subtype=subtype)
    app.env.translation_withheld = withheld


class WithholdFaultyTranslations(SphinxTransform):
    """Just before Sphinx translates a page (the Locale transform, priority 20): a message whose
    translation moves a link or changes a fact is marked untranslatable: the page keeps the English."""

    default_priority = WITHHOLD_TRANSLATION

    def apply(self) -> None:
        if not self.config.language or self.config.language == "en":
            return
        withheld = getattr(self.env, "translation_withheld", {})
        domain = docname_to_domain(self.env.current_document.docname, self.config.gettext_compact)
        for node, message in extract_messages(self.document):
            if isinstance(node, nodes.TextElement) and message in withheld.get(domain, ()):
                node["translatable"] = False


def setup(app: Sphinx) -> dict:
    app.add_config_value("translation_link_map", {}, "env", dict)
    app.connect("builder-inited", check_catalogues, priority=AFTER_MYST_CONFIG)
    app.add_transform(WithholdFaultyTranslations)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
