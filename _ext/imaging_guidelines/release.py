"""The version and dates of a build come from the commit, so every build of a commit is the same.

On config-inited, for whatever conf.py leaves empty: ``version`` and ``release``, the commit's tag
(v2026.1 is 2026.1), else its date (2026.11.25), "unreleased" outside git; ``today``, the commit's
date; ``SOURCE_DATE_EPOCH``, the commit's time (Sphinx dates the copyright and the EPUB by it).
``in_git_checkout()`` is for conf.py: whether there is a history to date pages by.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from imaging_guidelines import CONFIG_FROM_COMMIT


def git(folder: str | Path, *args: str) -> str:
    """What `git *args` prints in *folder*, or '' outside a checkout (or without git)."""
    try:
        return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def in_git_checkout(folder: str | Path) -> bool:
    return git(folder, "rev-parse", "--is-inside-work-tree") == "true"


def commit_tag(folder: str | Path) -> str:
    tag = git(folder, "describe", "--tags", "--exact-match", "HEAD")
    return tag[1:] if tag.startswith("v") and tag[1:2].isdigit() else tag


def date_the_build(app: Sphinx, config: Config) -> None:
    day = git(app.confdir, "log", "-1", "--format=%cd", "--date=format:%Y-%m-%d")
    if not config.today and day:
        config.today = day
    if not config.release:
        config.release = commit_tag(app.confdir) or day.replace("-", ".") or "unreleased"
    if not config.version:
        config.version = config.release
    if "SOURCE_DATE_EPOCH" not in os.environ and day:
        os.environ["SOURCE_DATE_EPOCH"] = git(app.confdir, "log", "-1", "--format=%ct")


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", date_the_build, priority=CONFIG_FROM_COMMIT)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
