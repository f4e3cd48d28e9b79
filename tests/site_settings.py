"""The site's own settings (the project's conf.py), for a tiny project under tests/roots/ whose
conf.py says ``globals().update(site_settings())``: its rule is then tried with the extensions,
templates and options that the site is built with, on a few pages of its own.

sphinx.testing copies a root to a temporary folder, so the project is found through PROJECT_ROOT
(tests/conftest.py sets it). Paths the site gives relative to itself are made absolute; the dates
from git are left out, as the copy has no history. Each call reads conf.py afresh: Sphinx changes
some settings in place (intersphinx_mapping), so two builds must not share them.
"""

import os
import runpy
from pathlib import Path


def site_settings() -> dict:
    project = Path(os.environ["PROJECT_ROOT"])
    settings = {name: value for name, value in runpy.run_path(str(project / "conf.py")).items()
                if name.islower() and not name.startswith("_")}
    settings["extensions"] = [name for name in settings["extensions"] if name != "sphinx_last_updated_by_git"]
    settings["sitemap_show_lastmod"] = False
    for name in ("templates_path", "html_static_path"):
        settings[name] = [str(project / path) for path in settings[name]]
    settings["repository_data"] = str(project / settings["repository_data"])
    settings["epub_cover"] = (str(project / settings["epub_cover"][0]), settings["epub_cover"][1])
    return settings
