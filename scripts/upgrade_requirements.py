"""Refresh the pins: the newest releases of the direct dependencies, and theirs, at exact versions.

    make upgrade      # runs this, then the whole test suite

Each requirements file lists its direct dependencies first, then, after the line
"# dependencies of the above", everything they pull in. This script installs the direct
dependencies afresh in a temporary virtual environment and writes what pip resolved back into
the same layout. Review the diff before committing it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = "# dependencies of the above"


def split(path: Path) -> tuple[list[str], list[str]]:
    """The file's lines up to the marker (comments, includes, direct pins), and the names pinned."""
    head = path.read_text(encoding="utf-8").split(MARKER)[0].rstrip("\n").splitlines()
    names = [re.split(r"[=<>~!\s\[]", line.strip(), maxsplit=1)[0] for line in head
             if line.strip() and not line.startswith(("#", "-r"))]
    return head, names


def frozen(python: Path) -> dict[str, str]:
    lines = subprocess.run([python, "-m", "pip", "freeze"], capture_output=True, text=True, check=True).stdout
    return {line.split("==")[0].lower(): line for line in lines.splitlines() if "==" in line}


def rewrite(path: Path, head: list[str], names: list[str], pins: dict[str, str], exclude: set[str]) -> None:
    direct = {name.lower().replace("_", "-") for name in names}
    out = []
    for line in head:
        written = re.split(r"[=<>~!\s\[]", line.strip(), maxsplit=1)[0]  # the name as the file spells it
        name = written.lower().replace("_", "-")
        comment = line[line.index("#"):] if "#" in line and not line.startswith("#") else ""
        if name in direct and name in pins:
            line = f"{written}=={pins[name].split('==')[1]}  {comment}".rstrip()
        out.append(line)
    rest = sorted((line for key, line in pins.items() if key.replace("_", "-") not in direct | exclude),
                  key=str.lower)
    path.write_text("\n".join(out + [MARKER] + rest) + "\n", encoding="utf-8")


def main() -> None:
    docs_file, test_file = ROOT / "requirements.txt", ROOT / "requirements-test.txt"
    docs_head, docs_names = split(docs_file)
    test_head, test_names = split(test_file)
    with tempfile.TemporaryDirectory() as venv:
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        python = Path(venv) / "bin" / "python"
        pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--upgrade"]
        subprocess.run([*pip, *docs_names], check=True)
        docs_pins = frozen(python)
        subprocess.run([*pip, *test_names], check=True)
        test_pins = {k: v for k, v in frozen(python).items() if k not in docs_pins}
    rewrite(docs_file, docs_head, docs_names, docs_pins, exclude=set())
    rewrite(test_file, test_head, test_names, test_pins, exclude={k.replace("_", "-") for k in docs_pins})
    print("Pins refreshed: review `git diff requirements*.txt`.")


if __name__ == "__main__":
    main()
