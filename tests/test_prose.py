"""Prose checks, offline: spelling (codespell, .codespellrc) and Markdown style (pymarkdown,
.pymarkdown.yaml), as `make prose` and the pre-commit hooks run them. A failure shows the tool's
own `file:line` messages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT


BIN = Path(sys.executable).parent  # the virtual environment's tools (requirements-test.txt)
MARKDOWN = ["index.md", "docs", "README.md", "CONTRIBUTING.md"]  # as MARKDOWN in the Makefile
CODESPELL = [str(BIN / "codespell")]
PYMARKDOWN = [str(BIN / "pymarkdown"), "--strict-config", "--config", ".pymarkdown.yaml", "scan"]


def run(command: list[str], cwd: Path = ROOT, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, **kwargs)


def test_spelling():
    result = run(CODESPELL)
    assert result.returncode == 0, (
        "codespell found misspellings (fix them, or add a correct word to .codespell-words.txt):\n"
        + result.stdout + result.stderr
    )


def test_markdown_style():
    result = run([*PYMARKDOWN, *MARKDOWN])
    assert result.returncode == 0, (
        "pymarkdown found style problems (each line names the rule, e.g. MD032; "
        "`.venv/bin/pymarkdown plugins info md032` explains it):\n" + result.stdout + result.stderr
    )


TYPO = "reci" + "eves"  # written so, or codespell would find it in this file

MYST_PAGE = """---
title: A MyST page
description: Front matter, directives in fences, colon fences and a long line pass.
menu:
    main:
        identifier: myst_page
---

A line longer than any line-length rule would allow, because MyST pages keep each paragraph's sentences on lines as long as the writer likes, and the rule for line length is off.

```{note}
A directive in a fence.
```

(a-target)=
## A section

:::{grid-item-card} A card

- an item

:::
"""


def test_the_checks_catch_mistakes_and_pass_myst(tmp_path):
    """The configuration works: MyST passes, a typo and a style slip are reported with file:line."""
    for name in (".codespellrc", ".codespell-words.txt", ".pymarkdown.yaml"):
        shutil.copy2(ROOT / name, tmp_path / name)
    (tmp_path / "docs").mkdir()
    good, bad = tmp_path / "docs" / "good.md", tmp_path / "docs" / "bad.md"
    good.write_text(MYST_PAGE, encoding="utf-8")
    assert run(CODESPELL, cwd=tmp_path).returncode == 0, run(CODESPELL, cwd=tmp_path).stdout
    result = run([*PYMARKDOWN, "docs"], cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr

    bad.write_text(MYST_PAGE + f"\nThe archive {TYPO} images.\n- a list without a blank line before it\n", encoding="utf-8")
    lines = len(MYST_PAGE.splitlines())
    spelling = run(CODESPELL, cwd=tmp_path)
    assert spelling.returncode != 0 and f"docs/bad.md:{lines + 2}: {TYPO} ==> receives" in spelling.stdout, spelling.stdout
    style = run([*PYMARKDOWN, "docs"], cwd=tmp_path)
    assert style.returncode != 0 and f"docs/bad.md:{lines + 3}:1: MD032" in style.stdout, style.stdout
    # Swedish is not English: locale/ is skipped.
    (tmp_path / "locale").mkdir()
    (tmp_path / "locale" / "sv.po").write_text(f'msgstr "Arkivet tar emot bilder; {TYPO}."\n', encoding="utf-8")
    bad.unlink()
    assert run(CODESPELL, cwd=tmp_path).returncode == 0


def test_make_prose_runs_the_same_checks():
    recipe = run(["make", "-n", "prose"]).stdout
    assert "bin/codespell" in recipe
    assert f"bin/pymarkdown --config .pymarkdown.yaml scan {' '.join(MARKDOWN)}" in recipe, recipe


def test_pre_commit_hooks_are_local_tools():
    """.pre-commit-config.yaml fetches nothing: every hook runs a tool of .venv."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {}
    for repository in config["repos"]:
        assert repository["repo"] == "local", f"a hook repository from the network: {repository['repo']}"
        for hook in repository["hooks"]:
            assert hook["language"] == "system", hook
            assert hook["entry"].startswith(".venv/bin/"), hook
            hooks[hook["id"]] = hook["entry"].split()
    assert hooks["codespell"] == [".venv/bin/codespell"]
    assert hooks["pymarkdown"] == [".venv/bin/pymarkdown", "--config", ".pymarkdown.yaml", "scan"]
    result = run([str(BIN / "pre-commit"), "validate-config", ".pre-commit-config.yaml"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_runs_offline(tmp_path):
    """pre-commit itself, in a scratch repository, on a good and a bad page."""
    for name in (".pre-commit-config.yaml", ".codespellrc", ".codespell-words.txt", ".pymarkdown.yaml"):
        shutil.copy2(ROOT / name, tmp_path / name)
    (tmp_path / ".venv").symlink_to(BIN.parent)
    (tmp_path / "docs").mkdir()
    page = tmp_path / "docs" / "page.md"
    page.write_text(MYST_PAGE, encoding="utf-8")
    run(["git", "init", "--quiet"], cwd=tmp_path, check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    command = [str(BIN / "pre-commit"), "run", "--files", "docs/page.md"]
    result = run(command, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    page.write_text(MYST_PAGE + f"\nThe archive {TYPO} images.\n", encoding="utf-8")
    result = run(command, cwd=tmp_path, env=env)
    assert result.returncode != 0 and "docs/page.md:" in result.stdout and TYPO in result.stdout, result.stdout


def verdicts(tmp_path: Path, configuration: list[str]) -> dict[str, int]:
    """The tools' exit codes on a MyST page and a skipped catalogue, with only *configuration*."""
    tmp_path.mkdir(parents=True)
    for name in configuration:
        shutil.copy2(ROOT / name, tmp_path / name)
    words = [w for w in (ROOT / ".codespell-words.txt").read_text(encoding="utf-8").split() if not w.startswith("#")]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(MYST_PAGE + f"\nThe journal {words[0]} is cited.\n", encoding="utf-8")
    (tmp_path / "locale").mkdir()
    (tmp_path / "locale" / "sv.md").write_text(f"Arkivet tar emot bilder; {TYPO}.\n", encoding="utf-8")
    markdown = [str(BIN / "pymarkdown"), *(["--strict-config", "--config", ".pymarkdown.yaml"]
                                          if ".pymarkdown.yaml" in configuration else []), "scan", "docs"]
    return {"codespell docs": run([*CODESPELL, "docs"], cwd=tmp_path).returncode,
            "codespell": run(CODESPELL, cwd=tmp_path).returncode,
            "pymarkdown": run(markdown, cwd=tmp_path).returncode}


# Each prose configuration file, and the verdict that changes without it: the file is not only
# there, the tools read it and it decides what passes.
CONFIGURATION = {
    ".codespellrc": "codespell",  # skips locale/ (Swedish), and names the word list
    ".codespell-words.txt": "codespell docs",  # the words that are right although codespell doubts them
    ".pymarkdown.yaml": "pymarkdown",  # MyST's long lines and targets above headings pass
}


@pytest.mark.parametrize("name", CONFIGURATION)
def test_prose_configuration_decides_what_passes(tmp_path, name):
    everything = verdicts(tmp_path / "all", list(CONFIGURATION))
    assert everything == {"codespell docs": 0, "codespell": 0, "pymarkdown": 0}, everything
    without = verdicts(tmp_path / "without", [other for other in CONFIGURATION if other != name])
    assert without[CONFIGURATION[name]] != 0, f"without {name}, {CONFIGURATION[name]} still passes: it is not read"
