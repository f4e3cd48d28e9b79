"""The repository data's upkeep, beside the build (which reads and checks it):

    python scripts/repository_data.py stale [--months 12]   facts checked longer ago, or never
    python scripts/repository_data.py records                refresh data/records/ from the archives

`stale` lists one fact a line, "file:line: archive or dataset, fact, checked on", and always exits 0:
it reports (make stale-facts; the scheduled workflow), it does not fail a change. `records` needs the
network: it downloads each recorded file (data/records/sources.yaml) at its repository's newest
commit and rewrites sources.yaml; read the diff, then correct the data where the tests now fail.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
sys.path.insert(0, str(ROOT / "_ext"))
from imaging_guidelines.repository_data import load  # the build's reader: the same lines and checks


def stale(months: int, today: datetime.date) -> list[str]:
    limit = today - datetime.timedelta(days=round(months * 30.44))
    found = []
    for name in ("archives", "datasets"):
        entries, problems = load(DATA, name)
        found += problems
        for entry in entries:
            label = entry.get("name") or " ".join(entry.get("accessions", []))
            facts = [(key, value) for key, value in entry.items()
                     if not key.startswith("_") and isinstance(value, dict) and "checked" in value]
            for key, fact in ([("entry", entry)] if "checked" in entry else []) + facts:
                checked = fact["checked"]
                if checked == "never" or datetime.date.fromisoformat(checked) < limit:
                    found.append(f"data/{name}.yaml:{entry['_line']}: {label}, {key}: checked {checked}")
    return found


def refresh_records() -> None:
    sources_file = DATA / "records" / "sources.yaml"
    sources = yaml.safe_load(sources_file.read_text(encoding="utf-8"))
    for local, source in sources.items():
        with urllib.request.urlopen(f"https://api.github.com/repos/{source['repository']}/commits/HEAD") as answer:
            commit = json.load(answer)["sha"]
        url = f"https://raw.githubusercontent.com/{source['repository']}/{commit}/{source['path']}"
        with urllib.request.urlopen(url) as answer:
            (DATA / "records" / local).write_bytes(answer.read())
        source.update(commit=commit, recorded=datetime.date.today().isoformat())
        print(f"{local}: {url}")
    header = "".join(line for line in sources_file.read_text(encoding="utf-8").splitlines(True) if line.startswith("#"))
    sources_file.write_text(header + yaml.safe_dump(sources, sort_keys=True, default_flow_style=None), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("stale").add_argument("--months", type=int, default=12)
    commands.add_parser("records")
    arguments = parser.parse_args()
    if arguments.command == "stale":
        found = stale(arguments.months, datetime.date.today())
        print("\n".join(found) or f"every fact was checked in the last {arguments.months} months")
        print(f"{len(found)} facts to check again" if found else "")
    else:
        refresh_records()


if __name__ == "__main__":
    main()
