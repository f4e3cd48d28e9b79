"""The configuration files that no build reads here: Read the Docs' and the GitHub workflow's.

Each is checked against its published schema, as check-jsonschema vendors it (no network): a typo
in a key of `.readthedocs.yaml` or the workflow shows here, not on Read the Docs or GitHub.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.quick  # make check

CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
FILES = {
    ".readthedocs.yaml": "vendor.readthedocs",
    ".github/workflows/docs.yml": "vendor.github-workflows",
}


def check(path: Path, schema: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", schema, str(path)], capture_output=True, text=True)


@pytest.mark.parametrize(("name", "schema"), FILES.items())
def test_file_matches_its_schema(name, schema):
    result = check(ROOT / name, schema)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("name", "schema", "break_it"), [
    (".readthedocs.yaml", "vendor.readthedocs", lambda text: text.replace("fail_on_warning: true", "fail_on_warnings: true")),
    (".github/workflows/docs.yml", "vendor.github-workflows", lambda text: text.replace("runs-on:", "run-on:", 1)),
])
def test_a_typo_fails_the_check(tmp_path, name, schema, break_it):
    broken = tmp_path / Path(name).name
    shutil.copy(ROOT / name, broken)
    text = broken.read_text(encoding="utf-8")
    assert break_it(text) != text
    broken.write_text(break_it(text), encoding="utf-8")
    assert check(broken, schema).returncode != 0


def test_workflow_runs_the_suite_on_debian_12():
    """CI here runs on Debian 12, where Debian's Chromium runs headless; Ubuntu's is a snap that
    does not. The workflow's test job runs in the same Debian."""
    workflow = yaml.safe_load((ROOT / ".github/workflows/docs.yml").read_text(encoding="utf-8"))
    job = workflow["jobs"]["test"]
    container = job["container"]
    assert (container["image"] if isinstance(container, dict) else container) == "debian:12"
    assert any("make test" in step.get("run", "") for step in job["steps"])


def pins(path: Path) -> dict[str, str]:
    """{normalised name: version} of a requirements file's exact pins."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line)
        if match:
            found[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return found


def listed(path: Path) -> list[str]:
    return [re.sub(r"[-_.]+", "-", line.split("#")[0].strip()).lower()
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.split("#")[0].strip() and not line.startswith("-")]


@pytest.mark.parametrize("name", ["requirements", "requirements-test"])
def test_pins_are_compiled_from_the_short_lists(name):
    """Every package of requirements*.in is pinned in the .txt that pip-compile made from it
    (`make upgrade`), and the two files agree on every package they share."""
    compiled = ROOT / f"{name}.txt"
    assert "pip-compile" in compiled.read_text(encoding="utf-8").splitlines()[1], f"{compiled.name} was not made by pip-compile"
    missing = [package for package in listed(ROOT / f"{name}.in") if package not in pins(compiled)]
    assert missing == [], f"{name}.in lists {missing}, which {compiled.name} does not pin: run make upgrade"
    docs, tests = pins(ROOT / "requirements.txt"), pins(ROOT / "requirements-test.txt")
    assert {p: (docs[p], tests[p]) for p in docs.keys() & tests.keys() if docs[p] != tests[p]} == {}
