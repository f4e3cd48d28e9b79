"""Read the Docs' build of this repository, replayed step by step on this machine.

What Read the Docs runs, and in which order, is taken from its own builder (readthedocs.org,
`readthedocs/doc_builder/director.py` and `readthedocs/doc_builder/backends/sphinx.py`), and what
it runs it with from `.readthedocs.yaml`:

1. a clone of the commit's last 50 commits, as Read the Docs clones (vcs_support/backends/git.py:
   `--depth 50`); then the jobs of `build.jobs`, from `post_checkout` to `pre_build`, each command
   through `/bin/sh -c` in the checkout, as Read the Docs runs them (on Debian, dash: a bash-only
   command fails here as there). The jobs before `post_create_environment` run before the virtual
   environment exists, so it is not on their PATH. `build.apt_packages` are checked to be
   installed here (Read the Docs installs them with apt-get); the build's virtual environment
   holds `requirements.txt` alone, as Read the Docs installs it (build_environment), first on the
   PATH as Read the Docs' is;
2. `sphinx-build -T [-W --keep-going] -b html -d _build/doctrees -D language=<lang> . $READTHEDOCS_OUTPUT/html`
   (or the commands of `build.jobs.build.html`);
3. for a branch or tag build only, each format listed in `formats`, in Read the Docs' order
   (pdf, then epub), *sharing the same `_build/doctrees`*: the commands of
   `build.jobs.build.<format>` (this project's PDF), else Read the Docs' own EPUB builder, of which
   only `<project>.epub` is kept (its LaTeX PDF and htmlzip are not replayed: this project uses
   neither). A pull-request build makes HTML only;
4. the `post_build` jobs; then, as Read the Docs stores the outputs (projects/tasks/builds.py,
   get_valid_artifact_types), a pdf or epub folder must hold exactly one file, which is renamed
   `<project>.<format>`, and no `_build/html` may be left in the checkout, or the build fails.

Every command gets Read the Docs' environment variables (`READTHEDOCS`, `READTHEDOCS_VERSION`,
`…_VERSION_TYPE`, `…_VERSION_NAME`, `…_PROJECT`, `…_LANGUAGE`, `…_OUTPUT`, `…_CANONICAL_URL`,
`…_GIT_CLONE_URL`, `…_GIT_IDENTIFIER`, `…_GIT_COMMIT_HASH`, …, and `NO_COLOR`).

Unlike Read the Docs, the replay is offline, as CI is: every Python process of a step loads a
guard (``sitecustomize``) that writes down, then refuses, any network connection
(``Replay.network_attempts``). Unix sockets never leave the machine and stay allowed (sphinx-sitemap
collects the pages through one).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

# The two Read the Docs projects (README: "Read the Docs"), and where Read the Docs serves them.
PROJECTS = {"en": "imaging-data-guidelines", "sv": "imaging-data-guidelines-sv"}
DOMAIN = "imaging-data-guidelines.readthedocs.io"  # the main project's; its translation is served there too
CLONE_URL = "https://github.com/ScilifelabDataCentre/imaging-data-guidelines.git"
PULL_REQUEST = "42"  # the number a pull-request build is replayed as
# The order of the jobs around the build (readthedocs.org: doc_builder/director.py).
JOBS_BEFORE_BUILD = [
    "post_checkout", "pre_system_dependencies", "post_system_dependencies", "pre_create_environment",
    "post_create_environment", "pre_install", "post_install", "pre_build",
]
CLONE_DEPTH = 50  # Read the Docs' clone (readthedocs/vcs_support/backends/git.py)
JOBS_BEFORE_VENV = JOBS_BEFORE_BUILD[:JOBS_BEFORE_BUILD.index("post_create_environment")]
FORMATS_IN_ORDER = ["htmlzip", "pdf", "epub"]
NETWORK_GUARD = '''
import os, socket
def _refuse(*args, **kwargs):
    with open(os.environ["NETWORK_ATTEMPTS"], "a") as log:
        log.write(repr(args[1:] or args) + "\\n")
    raise OSError("network access during the build")
def _guard(connect):
    def guarded(sock, *args, **kwargs):
        if sock.family == getattr(socket, "AF_UNIX", None):
            return connect(sock, *args, **kwargs)
        return _refuse(sock, *args, **kwargs)
    return guarded
socket.socket.connect = _guard(socket.socket.connect)
socket.socket.connect_ex = _guard(socket.socket.connect_ex)
socket.create_connection = socket.getaddrinfo = _refuse
'''


@dataclasses.dataclass
class Step:
    name: str
    command: list[str]
    returncode: int
    output: str  # standard output and error, as Read the Docs' build log shows them


@dataclasses.dataclass
class Replay:
    """One Read the Docs build of one project (language) and one kind (branch or pull request)."""

    checkout: Path
    language: str
    kind: str  # "branch" or "external" (a pull request), as READTHEDOCS_VERSION_TYPE says
    version: str  # READTHEDOCS_VERSION: "latest", or the pull request's number
    environment: dict[str, str]
    steps: list[Step] = dataclasses.field(default_factory=list)

    @property
    def project(self) -> str:
        return PROJECTS[self.language]

    @property
    def output(self) -> Path:
        """$READTHEDOCS_OUTPUT: what Read the Docs uploads and serves."""
        return self.checkout / "_readthedocs"

    @property
    def html(self) -> Path:
        return self.output / "html"

    @property
    def pdf(self) -> Path:
        return self.output / "pdf" / f"{self.project}.pdf"

    @property
    def epub(self) -> Path:
        return self.output / "epub" / f"{self.project}.epub"

    @property
    def network_attempts(self) -> list[str]:
        """The connections the build's steps tried to open (and the guard refused)."""
        log = Path(self.environment["NETWORK_ATTEMPTS"])
        return log.read_text().splitlines() if log.exists() else []

    @property
    def canonical_url(self) -> str:
        return self.environment["READTHEDOCS_CANONICAL_URL"]

    def step(self, name: str) -> Step:
        return next(step for step in self.steps if step.name == name)

    # The shape of conftest.Build, so that the suite's checks read a replay like any build.
    @property
    def builddir(self) -> Path:
        return self.output

    @property
    def returncode(self) -> int:
        return max((step.returncode for step in self.steps), default=0)

    @property
    def log(self) -> str:
        return "\n".join(f"$ {' '.join(step.command)}\n{step.output}" for step in self.steps)

    @property
    def warnings(self) -> list[str]:
        plain = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(s.output for s in self.steps))
        return [line for line in plain.splitlines() if "WARNING" in line or "ERROR" in line]


def environment(checkout: Path, language: str, kind: str, python: Path) -> dict[str, str]:
    """Read the Docs' variables for this build (readthedocs.org: director.get_build_env_vars),
    *python* being the build environment's."""
    project = PROJECTS[language]
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=checkout, capture_output=True, text=True).stdout.strip()
    if kind == "external":
        version, identifier = PULL_REQUEST, commit
        canonical = f"https://{PROJECTS['en']}--{PULL_REQUEST}.org.readthedocs.build/{language}/{PULL_REQUEST}/"
    else:
        version, identifier = "latest", "main"
        canonical = f"https://{DOMAIN}/{language}/latest/"
    variables = {
        "READTHEDOCS": "True",
        "READTHEDOCS_VERSION": version,
        "READTHEDOCS_VERSION_TYPE": kind,
        "READTHEDOCS_VERSION_NAME": version,
        "READTHEDOCS_PROJECT": project,
        "READTHEDOCS_LANGUAGE": language,
        "READTHEDOCS_REPOSITORY_PATH": str(checkout),
        "READTHEDOCS_OUTPUT": str(checkout / "_readthedocs") + "/",
        "READTHEDOCS_GIT_CLONE_URL": CLONE_URL,
        "READTHEDOCS_GIT_IDENTIFIER": identifier,
        "READTHEDOCS_GIT_COMMIT_HASH": commit,
        "READTHEDOCS_PRODUCTION_DOMAIN": "readthedocs.org",
        "READTHEDOCS_CANONICAL_URL": canonical,
        "READTHEDOCS_VIRTUALENV_PATH": str(python.parent.parent),
        "NO_COLOR": "1",
        # Read the Docs' commands find the project's virtual environment first ("python").
        "PATH": f"{python.parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    # Nothing of this machine's own Read the Docs or source settings leaks into the replay.
    base = {key: value for key, value in os.environ.items()
            if not key.startswith(("READTHEDOCS", "SOURCE_")) and key != "SOURCE_DATE_EPOCH"}
    return {**base, **variables, **guarded_environment(checkout), "PYTHONDONTWRITEBYTECODE": "1"}


def guarded_environment(checkout: Path) -> dict[str, str]:
    """The variables that put a Python process under the network guard, which logs beside *checkout*."""
    guard = checkout.parent / f"{checkout.name}-network-guard"
    guard.mkdir(exist_ok=True)
    (guard / "sitecustomize.py").write_text(NETWORK_GUARD)
    return {"PYTHONPATH": str(guard), "NETWORK_ATTEMPTS": str(guard / "attempts.log")}


def clean_checkout(source: Path, checkout: Path, files: list[str], depth: int | None = None) -> Path:
    """A clone of *source*'s commit (of its last *depth* commits only, if given), with the working
    tree's uncommitted *files* on top (so that a change is proven before it is committed)."""
    shallow = ["--depth", str(depth), f"file://{source.resolve()}"] if depth else [str(source)]
    subprocess.run(["git", "clone", "--quiet", *shallow, str(checkout)], check=True)
    for name in files:
        origin = source / name
        if origin.is_dir():
            shutil.copytree(origin, checkout / name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        elif origin.exists():
            shutil.copy2(origin, checkout / name)
    return checkout


def build_environment(requirements: Path) -> Path:
    """Read the Docs' virtual environment: requirements.txt installed alone, without the tests'
    packages, so that a build that imports one of those fails here as there. Made once for each
    content of requirements.txt, beside the tests' own environment (which `make test` makes
    afresh in a clean clone); its python. Read the Docs installs with pip; uv installs the same
    pins, compiled and with pip beside them as there, in a fifth of pip's time (3 s against 15 s
    on the suite's machine, where the replays wait for it)."""
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:12]
    venv = Path(sys.prefix) / f"readthedocs-{digest}"
    python, installed = venv / "bin" / "python", venv / ".installed"  # as the Makefile marks .venv
    if not installed.exists():
        shutil.rmtree(venv, ignore_errors=True)  # a half-made one, whose install failed or was stopped
        uv = Path(sys.prefix) / "bin" / "uv"  # requirements-test.txt
        subprocess.run([str(uv), "venv", "--quiet", "--seed", "--python", sys.executable, str(venv)],
                       check=True, capture_output=True)
        subprocess.run([str(uv), "pip", "install", "--quiet", "--compile-bytecode", "--python", str(python),
                        "-r", str(requirements)], check=True, capture_output=True)
        installed.touch()
    return python


def replay(checkout: Path, language: str, kind: str = "branch", formats_first: bool = False,
           python: Path = Path(sys.executable)) -> Replay:
    """Build *checkout* as Read the Docs builds the *language* project for a *kind* version, with
    *python* the build environment's (build_environment). *formats_first*: the downloads before
    the HTML (the PDF from a fresh environment), to show that the order does not change what is
    built."""
    config = yaml.safe_load((checkout / ".readthedocs.yaml").read_text(encoding="utf-8"))
    env = environment(checkout, language, kind, python)
    build = Replay(checkout, language, kind, env["READTHEDOCS_VERSION"], env)
    confdir = (checkout / config["sphinx"]["configuration"]).parent
    strict = ["-W", "--keep-going"] if config["sphinx"].get("fail_on_warning") else []
    jobs = (config.get("build") or {}).get("jobs") or {}
    output = Path(env["READTHEDOCS_OUTPUT"])

    # Before the environment is created, Read the Docs' commands find the system's Python, not it.
    venv_bin = str(python.parent)
    before_venv = {**env, "PATH": os.pathsep.join(part for part in env["PATH"].split(os.pathsep) if part != venv_bin)}

    def run(name: str, command: list[str], cwd: Path) -> Step:
        result = subprocess.run(command, cwd=cwd, env=before_venv if name in JOBS_BEFORE_VENV else env,
                                capture_output=True, text=True)
        step = Step(name, command, result.returncode, result.stdout + result.stderr)
        build.steps.append(step)
        return step

    def run_jobs(job: str) -> None:
        run_jobs_of(jobs.get(job) or [], job)

    def run_jobs_of(commands: list[str], name: str) -> None:
        for command in commands:
            run(name, ["/bin/sh", "-c", command], checkout)

    def sphinx(builder: str, out: Path, options: list[str]) -> Step:
        return run(builder, [str(python), "-m", "sphinx", "-T", *options, "-b", builder,
                             "-d", "_build/doctrees", "-D", f"language={language}", ".", str(out)], confdir)

    packages = (config.get("build") or {}).get("apt_packages") or []
    if packages:
        missing = [name for name in packages if not installed(name)]
        build.steps.append(Step("apt_packages", ["apt-get", "install", *packages], 1 if missing else 0,
                                f"not installed here: {' '.join(missing)}" if missing else ""))
    for job in JOBS_BEFORE_BUILD:
        run_jobs(job)
    own_builds = jobs.get("build") or {}

    def build_html() -> None:
        if own_builds.get("html"):
            run_jobs_of(own_builds["html"], "build.html")
        else:
            sphinx("html", output / "html", strict)

    def build_format(fmt: str) -> None:
        if own_builds.get(fmt):
            run_jobs_of(own_builds[fmt], f"build.{fmt}")
        elif fmt == "epub":
            folder = output / "epub"
            sphinx("epub", folder, strict)
            built = sorted(folder.glob("*.epub"))
            keep_only(folder, built[0].name if built else "", f"{build.project}.epub")
        else:  # Read the Docs' LaTeX PDF and its htmlzip: this project uses neither
            raise NotImplementedError(f".readthedocs.yaml builds {fmt!r} Read the Docs' own way, which this replay "
                                      "does not: give its commands in build.jobs.build")

    formats = config.get("formats") or []
    formats = FORMATS_IN_ORDER if formats == "all" else formats
    downloads = [fmt for fmt in FORMATS_IN_ORDER if fmt in formats and kind != "external"]
    if formats_first:
        for fmt in downloads:
            build_format(fmt)
        build_html()
    else:
        build_html()
        for fmt in downloads:
            build_format(fmt)
    run_jobs("post_build")
    store_outputs(build)
    return build


def installed(package: str) -> bool:
    result = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
    return result.stdout.endswith("ok installed")


def store_outputs(build: Replay) -> None:
    """What Read the Docs does with $READTHEDOCS_OUTPUT after the build: html needs an index.html,
    and no _build/html may be left in the checkout; a pdf or epub folder must hold one file,
    renamed <project>.<format> (the file Read the Docs serves for download). A folder that breaks
    the rule fails the build, as there."""
    problems = []
    if not (build.output / "html" / "index.html").is_file():
        problems.append("html: no index.html")
    # Read the Docs refuses the old output folder (doc_builder/director.py: `test -x _build/html`,
    # BUILD_OUTPUT_OLD_DIRECTORY_USED): the site goes to $READTHEDOCS_OUTPUT/html only.
    if (build.checkout / "_build" / "html").exists():
        problems.append("_build/html exists: Read the Docs fails the build; write to $READTHEDOCS_OUTPUT/html")
    for fmt in ("pdf", "epub"):
        folder = build.output / fmt
        if not folder.is_dir():
            continue
        files = sorted(folder.iterdir())
        if len(files) != 1:
            problems.append(f"{fmt}: {len(files)} files in {folder} (Read the Docs takes exactly one)")
            continue
        _, extension = files[0].name.rsplit(".")  # as Read the Docs splits it: one dot only
        files[0].replace(folder / f"{build.project}.{extension}")
    build.steps.append(Step("store", ["store outputs"], 1 if problems else 0, "\n".join(problems)))


def keep_only(folder: Path, name: str, rename: str) -> None:
    """As Read the Docs does after a PDF or EPUB build: the one file stays (renamed), all else goes."""
    kept = folder.parent / f".{rename}"
    if name and (folder / name).exists():
        (folder / name).replace(kept)
    shutil.rmtree(folder, ignore_errors=True)  # a build that failed may have made no folder
    folder.mkdir(parents=True)
    if kept.exists():
        kept.replace(folder / rename)
