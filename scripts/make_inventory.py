"""Write the offline intersphinx inventory from its plain-text list.

    python scripts/make_inventory.py            # _intersphinx/*.txt -> _intersphinx/*.inv

The .txt file holds inventory lines ("name domain:role priority uri display name"); the .inv file
is the same lines in Sphinx's objects.inv format (version 2: four header lines, then the body
zlib-compressed). The build reads only the .inv file, so it never needs the network.
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

INVENTORY_DIR = Path(__file__).resolve().parent.parent / "_intersphinx"


def read_targets(text_file: Path) -> list[str]:
    """Return the inventory lines of *text_file*, checking that each has all five fields."""
    lines = []
    for number, line in enumerate(text_file.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split(None, 4)
        if len(fields) != 5 or ":" not in fields[1] or not fields[2].lstrip("-").isdigit():
            sys.exit(
                f"{text_file}:{number}: expected 'name domain:role priority uri display name', got {line!r}"
            )
        lines.append(" ".join(fields))
    return lines


def inventory_bytes(project: str, lines: list[str]) -> bytes:
    """Return an objects.inv (version 2) holding *lines*, in sorted order so output is stable."""
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        "# Version: latest\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    body = "".join(line + "\n" for line in sorted(lines))
    return header.encode() + zlib.compress(body.encode("utf-8"), 9)


def main() -> None:
    for text_file in sorted(INVENTORY_DIR.glob("*.txt")):
        inventory = text_file.with_suffix(".inv")
        inventory.write_bytes(inventory_bytes(text_file.stem, read_targets(text_file)))
        print(f"wrote {inventory.relative_to(Path.cwd()) if inventory.is_relative_to(Path.cwd()) else inventory}")


if __name__ == "__main__":
    main()
