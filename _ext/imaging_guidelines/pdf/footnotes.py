"""Keep the footnotes that WeasyPrint 70 loses when it lays pages out again.

A footnote whose call is on one page can be "reported": its text moves to the next page. WeasyPrint
passes the reported footnotes from one page to the next in its layout context. When page numbers
change (the contents, a "(page 26)" reference), it lays out again only the pages that changed: if a
page is kept as it was and the next one is laid out again, the next page starts from whatever the
last laid-out page left, and the kept page's reported footnotes are never printed (the Swedish PDF
lost footnotes 251 and 252 so). Not yet reported upstream; WeasyPrint's main branch at 62c06ca
(2026-08-08) has the same ``make_all_pages``.

``carry_reported_footnotes`` records, page by page, what each page reported, and hands a page the
reports of the page before it whenever that page was not the last one laid out.
"""

from __future__ import annotations

from contextlib import contextmanager

from imaging_guidelines.pdf.structure import require_tested_weasyprint


@contextmanager
def carry_reported_footnotes():
    """While WeasyPrint lays out a document, each page starts with its previous page's reports."""
    from weasyprint.layout import page as layout_page

    require_tested_weasyprint(layout_page, "make_page", "footnotes.py")
    make_page = layout_page.make_page
    reported_after: dict[int, list] = {}  # page number: the footnotes it passed on
    last_made = 0

    def make_page_carrying(context, root_box, page_type, resume_at, page_number, page_state):
        nonlocal last_made
        if page_number - 1 != last_made:  # the page before was kept: take what it passed on
            context.reported_footnotes = list(reported_after.get(page_number - 1, []))
        made = make_page(context, root_box, page_type, resume_at, page_number, page_state)
        reported_after[page_number] = list(context.reported_footnotes)
        last_made = page_number
        return made

    layout_page.make_page = make_page_carrying
    try:
        yield
    finally:
        layout_page.make_page = make_page
