"""The menu that _ext/sidebar_once.py renders once per build is, on every page, the menu Sphinx and
the theme render page by page: byte for byte, in both editions (bench/sidebar_identity.py builds
the site both ways; bench/scale.py measures why the menu is built once)."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import sidebar_identity  # noqa: E402 - after the path


def test_sidebar_is_identical_in_both_editions():
    for result in sidebar_identity.check(ROOT):
        assert result["shared_menu_used"], "the build rendered the menu page by page: nothing was compared"
        assert result["sidebars"] >= result["pages"] - 1  # every page but the 404 page's own menu
        assert not result["missing"]
        assert not result["sidebar_differs"], result["sidebar_differs"]
        assert not result["file_differs"], result["file_differs"]
