"""Where _templates/ copies sphinx-rtd-theme rather than extending it, the copy follows the theme.

Our templates extend the theme's blocks with super() wherever they can. Four places copy or depend
on the theme's own markup instead (each _templates/ file says why). Each is recorded here by a
digest of the theme's original text: a theme upgrade that changes one fails this test, naming the
template to review against the theme's new text; then record the new digest.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import sphinx_rtd_theme

pytestmark = pytest.mark.quick  # make check

THEME = Path(sphinx_rtd_theme.__file__).parent
# (theme template, first line of the copied text, its last line): our copy, and its digest.
COPIES = {
    "layout.html scripts block": (("layout.html", "{%- block scripts %}", "{%- endblock %}"),
                                  "_templates/layout.html (block scripts)", "da4857f1708c39a4"),
    "layout.html mobile_nav block": (("layout.html", "{%- block mobile_nav %}", "{%- endblock %}"),
                                     "_templates/layout.html (block mobile_nav)", "027b225ea0c543c3"),
    "layout.html start-up call": (("layout.html", "jQuery(function () {", "});"),
                                  "_templates/layout.html (the jQuery queue in extrahead)", "ca67c59e55f1748c"),
    "breadcrumbs.html breadcrumbs block": (("breadcrumbs.html", "{%- block breadcrumbs %}", "{%- endblock %}"),
                                           "_templates/breadcrumbs.html", "ba0400dd8edef1e3"),
    "footer.html Built with Sphinx": (("footer.html", "{% if show_sphinx %}", "{% endif %}"),
                                      "_templates/footer.html", "c4523a08f81da8ab"),
}


def theme_text(template: str, first: str, last: str) -> str:
    """The theme's lines from the one that holds *first* to the next that holds *last*."""
    lines = (THEME / template).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if first in line)
    end = next(i for i in range(start + 1, len(lines)) if last in lines[i])
    return "\n".join(lines[start:end + 1])


@pytest.mark.parametrize("name", COPIES)
def test_copied_theme_text_is_unchanged(name):
    (template, first, last), ours, digest = COPIES[name]
    found = hashlib.sha256(theme_text(template, first, last).encode()).hexdigest()[:16]
    assert found == digest, (
        f"sphinx-rtd-theme {sphinx_rtd_theme.__version__} changed the text that {ours} copies "
        f"({template}, from {first!r}): compare the two, update our copy, then record {found!r} here"
    )
