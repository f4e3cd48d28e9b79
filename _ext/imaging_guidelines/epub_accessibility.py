"""An EPUB that says what it is to assistive technology (what Ace by DAISY asks for), by a
builder that takes the place of Sphinx's "epub":

- each page's language on ``<html>`` (``builder.html_tag``), so Swedish is read as Swedish;
- ``role="doc-toc"`` on the table of contents, with its heading from Sphinx's catalogue;
- schema.org accessibility metadata in content.opf, each claim derived from the pages as built
  (an image without alt text drops "alternativeText"), the summary in the edition's language.

Sphinx has no hook for content.opf or nav.xhtml: both are amended right after Sphinx writes
them, and the build fails if Sphinx's markup changes under the text replaced.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from itertools import pairwise

from sphinx.application import Sphinx
from sphinx.builders.epub3 import HTML_TAG, Epub3Builder
from sphinx.errors import ExtensionError
from sphinx.locale import _
from sphinx.util import logging

logger = logging.getLogger(__name__)

XHTML = "{http://www.w3.org/1999/xhtml}"
# Elements that play sound or moving pictures (or may): with any of them, hazards are "unknown".
MEDIA = {"audio", "video", "object", "embed", "iframe", "canvas"}
# The summary, one sentence per claim, so that it never says more than the metadata. A language
# without its own sentences gets the English ones, marked as English.
SUMMARY = {
    "en": {
        "intro": "The guidelines as reflowable text.",
        "tableOfContents": "A table of contents leads to every page.",
        "structuralNavigation": "Headings, in order of level, structure every page.",
        "alternativeText": "Every image has a text alternative.",
        "noHazard": "There is no sound, video or animation.",
        "outro": "The book is not certified against an accessibility standard.",
    },
    "sv": {
        "intro": "Riktlinjerna i flödande text.",
        "tableOfContents": "En innehållsförteckning leder till varje sida.",
        "structuralNavigation": "Rubriker i rätt nivåordning strukturerar varje sida.",
        "alternativeText": "Varje bild har en alternativtext.",
        "noHazard": "Boken innehåller inget ljud, ingen video och ingen animering.",
        "outro": "Boken är inte certifierad enligt någon tillgänglighetsstandard.",
    },
}


def survey(builder: Epub3Builder) -> dict:
    """What the built pages contain: their images, media, and whether their headings nest."""
    images, media, headings_in_order = [], False, True
    for name in builder.files:
        if not name.endswith(".xhtml"):
            continue
        try:
            root = ET.parse(builder.outdir / name).getroot()
        except ET.ParseError as error:  # e-readers refuse such a page: say which, and go on
            logger.warning(f"the EPUB page {name} is not well-formed XHTML ({error}): fix what its source "
                           "writes there (raw HTML, most often)", type="epub", subtype="xhtml")
            media = True  # what the page holds is unknown: claim nothing about it
            continue
        tags = [(element.tag.removeprefix(XHTML), element) for element in root.iter()]
        images += [element for tag, element in tags if tag in {"img", "svg", "image"}]
        media = media or any(
            tag in MEDIA or element.get("src", "").endswith(".gif")
            or "sd-animate" in element.get("class", "")  # sphinx-design's animated cards
            for tag, element in tags
        )
        if name != builder.coverpage_name:  # the cover is a picture, with no headings
            levels = [int(tag[1]) for tag, _ in tags if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}]
            headings_in_order &= levels[:1] == [1] and all(b <= a + 1 for a, b in pairwise(levels))
    return {"images": images, "media": media, "headings_in_order": headings_in_order}


def accessibility_metadata(builder: Epub3Builder) -> list[tuple[str, ...]]:
    """The schema.org properties (name, value[, language]) that are true of this build."""
    found = survey(builder)
    all_alt = all(image.get("alt", "").strip() for image in found["images"])  # svg/image have none
    features = [feature for feature, true in [("tableOfContents", bool(builder.refnodes)),  # nav.xhtml lists them
                                              ("structuralNavigation", found["headings_in_order"]),
                                              ("alternativeText", bool(found["images"]) and all_alt)] if true]
    modes = ["textual", "visual"] if found["images"] else ["textual"]
    sufficient = "textual" if all_alt and not found["media"] else ",".join(modes)
    hazard = "unknown" if found["media"] else "none"
    language = builder.config.epub_language if builder.config.epub_language in SUMMARY else "en"
    sentences = SUMMARY[language]
    summary = " ".join([sentences["intro"], *(sentences[feature] for feature in features),
                        *([sentences["noHazard"]] if hazard == "none" else []), sentences["outro"]])
    return [
        *(("accessMode", mode) for mode in modes),
        ("accessModeSufficient", sufficient),
        *(("accessibilityFeature", feature) for feature in features or ["none"]),
        ("accessibilityHazard", hazard),
        ("accessibilitySummary", summary, language),
    ]


def amend(path, old: str, new: str) -> None:
    """Replace *old* (which must be there, once) by *new* in the file Sphinx has just written."""
    text = path.read_text(encoding="utf-8")
    if text.count(old) != 1:
        raise ExtensionError(f"epub_accessibility: {old.strip()!r} is not in {path.name} once; "
                             "Sphinx's EPUB templates have changed, update _ext/imaging_guidelines/epub_accessibility.py")
    path.write_text(text.replace(old, new), encoding="utf-8")


class AccessibleEpub3Builder(Epub3Builder):
    def init(self) -> None:
        super().init()
        # Every page's <html>, the cover's too, is this tag (the theme's layout prints html_tag).
        lang = html.escape(self.config.epub_language)
        self.html_tag = HTML_TAG.removesuffix(">") + f' lang="{lang}" xml:lang="{lang}">'
        # nav.xhtml's title and heading, and the guide's, in the edition's language.
        self.guide_titles = {key: str(_(title)) for key, title in self.guide_titles.items()}

    def build_content(self) -> None:
        super().build_content()  # writes the cover page and content.opf, and lists the files
        metas = []
        for name, value, *language in accessibility_metadata(self):
            lang = f' xml:lang="{language[0]}"' if language else ""
            metas.append(f'    <meta property="schema:{name}"{lang}>{html.escape(value)}</meta>\n')
        amend(self.outdir / "content.opf", "  </metadata>", "".join(metas) + "  </metadata>")

    def build_navigation_doc(self) -> None:
        super().build_navigation_doc()
        amend(self.outdir / "nav.xhtml", '<nav epub:type="toc">', '<nav epub:type="toc" role="doc-toc">')


def setup(app: Sphinx) -> dict:
    app.add_builder(AccessibleEpub3Builder, override=True)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
