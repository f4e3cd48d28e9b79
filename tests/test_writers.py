"""Writers' and maintainers' experience: preview, the Contributing page, page dates and source
links, sitemap, 404 page, licences, citation, the report link and version.

The rules of the local extensions (page dates, source links, the version) are tried on copies of
tests/roots/test-site/; what readers get, on Read the Docs' builds. The last part follows
docs/contributing.md and nothing else: it takes the front matter and the
toctree from the page's own examples, adds the page to a copy of the project, and checks that it
lands where the page says, and that each mistake the page shows fails with the message it shows.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit
from xml.etree import ElementTree

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

import readthedocs
from conftest import CHECKOUT_FILES, ROOT, build
from imaging_guidelines import menu

CONTRIBUTING = ROOT / "docs" / "contributing.md"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
HOST = "https://imaging-data-guidelines.readthedocs.io/"
REPOSITORY = "https://github.com/ScilifelabDataCentre/imaging-data-guidelines"


def sources() -> dict[str, Path]:
    """{docname: source} of every page (conf.py: include_patterns = ["index.md", "docs/**"])."""
    return {
        path.relative_to(ROOT).with_suffix("").as_posix(): path
        for path in [ROOT / "index.md", *sorted((ROOT / "docs").rglob("*.md"))]
    }


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def git_day(*paths: Path) -> str:
    """What the footer must say: the author's day of the last commit that changed *paths*."""
    return git("log", "-1", "--format=%as", "--", *map(str, paths)) or git("log", "-1", "--format=%as")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


# -- make livehtml ------------------------------------------------------------------------------


def test_livehtml_runs_sphinx_autobuild_locally_and_incrementally():
    command = subprocess.run(["make", "--no-print-directory", "-n", "livehtml"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    words = command.replace("\\\n", " ").split()
    assert words[0].endswith("/sphinx-autobuild"), command
    assert words[words.index("--host") + 1] == "127.0.0.1", command
    assert "-E" not in words and "--fresh-env" not in words, f"livehtml must rebuild only what changed: {command}"
    for option in ("-W", "--keep-going", "-n"):
        assert option in words, f"livehtml lacks {option}: {command}"
    ignored = [words[i + 1].strip('"') for i, word in enumerate(words) if word == "--ignore"]
    assert {"_build", ".venv", "locale/**/*.mo"} <= set(ignored), ignored
    swedish = subprocess.run(["make", "--no-print-directory", "-n", "livehtml", "LANGUAGE=sv"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "-D language=sv" in swedish and "_build/sv/html" in swedish


def test_livehtml_serves_on_127_0_0_1_and_rebuilds_one_page(tmp_path):
    project = readthedocs.clean_checkout(ROOT, tmp_path / "project", CHECKOUT_FILES)
    for name in ("Makefile", "requirements.txt", "requirements-test.txt"):
        (project / name).write_bytes((ROOT / name).read_bytes())
        os.utime(project / name, ns=((ROOT / name).stat().st_atime_ns, (ROOT / name).stat().st_mtime_ns))
    port = free_port()
    log = tmp_path / "livehtml.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            ["make", "livehtml", f"PORT={port}", f"VENV={ROOT / '.venv'}"],
            cwd=project, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}/"
        page = "docs/data_types/index.html"
        deadline = time.monotonic() + 180
        status, html = 0, ""
        while time.monotonic() < deadline and status != 200:
            assert server.poll() is None, log.read_text()
            time.sleep(1)
            try:
                status, html = fetch(base + page)
            except (OSError, http.client.HTTPException):
                pass  # not listening yet, or restarting mid-answer
        assert status == 200, log.read_text()
        assert "websocket-reload" in html, "no live-reload script in the served page"
        source = project / "docs" / "data_types" / "index.md"
        source.write_text(source.read_text(encoding="utf-8") + "\nEdited while the preview runs.\n", encoding="utf-8")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and "Edited while the preview runs." not in html:
            time.sleep(1)
            try:
                html = fetch(base + page)[1]
            except (OSError, http.client.HTTPException):
                pass  # the page is being written again as it is served
        output = log.read_text()
        assert "Edited while the preview runs." in html, output
        assert re.search(r"targets for 1 source files that are out of date", output), output
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


# -- Last updated, from git ---------------------------------------------------------------------


def footer_date(page: Path) -> str | None:
    found = soup(page).select_one("footer .lastupdated")
    match = re.search(r"\d{4}-\d{2}-\d{2}", found.get_text()) if found else None
    return match.group(0) if match else None


def test_every_page_shows_the_date_git_has_for_its_source(html_build):
    html = html_build.builddir / "html"
    for docname, source in sources().items():
        assert footer_date(html / f"{docname}.html") == git_day(source), docname
    for generated in ("search", "404"):  # no source, so no date
        assert footer_date(html / f"{generated}.html") is None, generated


def site_in_git(rootdir: Path, folder: Path, root: str = "test-editions") -> Path:
    """A copy of a root, committed to a repository of its own, dated by git as the site is."""
    shutil.copytree(rootdir / f"test-{root.removeprefix('test-')}", folder)
    with (folder / "conf.py").open("a") as conf:
        conf.write('extensions.append("sphinx_last_updated_by_git")\n')
    git("init", "-q", "-b", "main", cwd=folder)
    commit(folder, ".", "2030-01-02")
    return folder


def commit(folder: Path, path: str, day: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{day}T12:00:00Z", "GIT_COMMITTER_DATE": f"{day}T12:00:00Z"}
    for command in (["add", path], ["-c", "user.name=Test", "-c", "user.email=test@invalid", "commit", "-q", "-m", day]):
        subprocess.run(["git", *command], cwd=folder, env=env, check=True)


def test_each_page_has_its_own_date_and_a_translation_its_catalogue(make_app, rootdir, tmp_path):
    """A history in which pages changed on different days: each page shows its own day, and a
    Swedish page the later of its source's and its catalogue's."""
    site = site_in_git(rootdir, tmp_path / "site")
    for path, day in (("docs/page.md", "2031-03-04"), ("locale/sv/LC_MESSAGES/docs/page.po", "2032-05-06")):
        with (site / path).open("a", encoding="utf-8") as file:
            file.write("\n")
        commit(site, path, day)
    for language, expected in (("en", "2031-03-04"), ("sv", "2032-05-06")):
        app = make_app("html", srcdir=site, freshenv=True, confoverrides={"language": language},
                       builddir=tmp_path / language)
        app.build(force_all=True)
        assert footer_date(Path(app.outdir) / "docs" / "page.html") == expected
        assert footer_date(Path(app.outdir) / "index.html") == "2030-01-02"  # the other page keeps its own day


# -- Read the Docs, simulated: edit links, sitemap, 404 -----------------------------------------


def rtd_environment(language: str, **extra: str) -> dict:
    return {
        **{key: value for key, value in os.environ.items() if not key.startswith(("READTHEDOCS", "SOURCE_"))},
        "READTHEDOCS": "True", "READTHEDOCS_VERSION": "latest", "READTHEDOCS_LANGUAGE": language,
        "READTHEDOCS_VERSION_TYPE": "branch", "READTHEDOCS_GIT_IDENTIFIER": "main",
        "READTHEDOCS_GIT_CLONE_URL": f"{REPOSITORY}.git",
        "READTHEDOCS_GIT_COMMIT_HASH": "0123456789abcdef0123456789abcdef01234567",
        "READTHEDOCS_CANONICAL_URL": f"{HOST}{language}/latest/",
        **extra,
    }


@pytest.fixture(scope="module")
def rtd(read_the_docs) -> dict[str, Path]:
    """Both editions' HTML as Read the Docs builds them (tests/readthedocs.py)."""
    return {language: read_the_docs.build(language).html for language in ("en", "sv")}


def source_link(page: Path) -> tuple[str, str]:
    link = soup(page).select_one(".wy-breadcrumbs-aside:not(.edition-switch) a")
    return (link.get_text(strip=True), link["href"]) if link else ("", "")


def test_edit_link_on_read_the_docs(rtd):
    page = "docs/data_types/imaging_data/guidelines"
    assert source_link(rtd["en"] / f"{page}.html") == ("Edit on GitHub", f"{REPOSITORY}/edit/main/{page}.md")
    # The Swedish page is edited in its catalogue.
    assert source_link(rtd["sv"] / f"{page}.html")[1] == f"{REPOSITORY}/edit/main/locale/sv/LC_MESSAGES/{page}.po"
    for docname in sources():
        text, href = source_link(rtd["en"] / f"{docname}.html")
        assert href == f"{REPOSITORY}/edit/main/{sources()[docname].relative_to(ROOT).as_posix()}", docname


@pytest.mark.quick
@pytest.mark.parametrize(("extra", "expected"), [
    # A pull request's build: its own commit, which GitHub shows but cannot edit.
    ({"READTHEDOCS_VERSION_TYPE": "external", "READTHEDOCS_GIT_IDENTIFIER": "42", "READTHEDOCS_VERSION": "42"},
     ("Edit on GitHub", f"{REPOSITORY}/blob/0123456789abcdef0123456789abcdef01234567/index.md")),
    # A tag: shown as it is.
    ({"READTHEDOCS_VERSION_TYPE": "tag", "READTHEDOCS_GIT_IDENTIFIER": "2026.1", "READTHEDOCS_VERSION": "2026.1"},
     ("Edit on GitHub", f"{REPOSITORY}/blob/2026.1/index.md")),
], ids=["pull-request", "tag"])
def test_source_link_for_each_kind_of_build(make_app, rootdir, tmp_path, monkeypatch, extra, expected):
    for key, value in rtd_environment("en", **extra).items():
        monkeypatch.setenv(key, value)
    shutil.copytree(rootdir / "test-site", tmp_path / "site")
    app, warnings = build(make_app, tmp_path / "site", "html")
    assert warnings == []
    assert source_link(Path(app.outdir) / "index.html") == expected


def test_sitemap_lists_every_page_of_both_editions(rtd, html_build):
    pages = [f"{docname}.html" for docname in sources()]
    for language, out in [*rtd.items(), ("en", html_build.builddir / "html")]:
        root = ElementTree.parse(out / "sitemap.xml").getroot()
        urls = {url.findtext(f"{SITEMAP}loc"): {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
                for url in root.findall(f"{SITEMAP}url")}
        assert set(urls) == {f"{HOST}{language}/latest/{page}" for page in pages}, out
        for page in pages:
            assert urls[f"{HOST}{language}/latest/{page}"] == {lang: f"{HOST}{lang}/latest/{page}" for lang in ("en", "sv")}
        # Each address is the page's canonical address.
        canonical = soup(out / "index.html").find("link", rel="canonical")["href"]
        assert f"{HOST}{language}/latest/index.html" == canonical


def local_links(page: Path) -> list[str]:
    html = soup(page)
    links = [tag.get("href") for tag in html.find_all(["a", "link"]) if tag.get("href")]
    links += [tag.get("src") for tag in html.find_all(["script", "img"]) if tag.get("src")]
    return [link for link in links if not urlsplit(link).scheme and not link.startswith(("#", "data:"))]


# The 404 page's links on Read the Docs, for both editions and build kinds: test_readthedocs.py.


# The 404 page served locally, at any depth and in both editions: test_editions.py (make preview).


# -- Licences, citation, version ----------------------------------------------------------------


def test_footer_states_both_licences(html_build, rtd):
    for out, sentence in [(html_build.builddir / "html", "licensed under"), (rtd["sv"], "licensierad under")]:
        for page in [*(f"{docname}.html" for docname in sources()), "404.html", "search.html"]:
            footer = soup(out / page).select_one("footer .licences")
            assert footer is not None and sentence in footer.get_text(), f"{out.name}/{page}"
            hrefs = [a["href"] for a in footer.find_all("a")]
            assert any(href.startswith("https://creativecommons.org/licenses/by/4.0/") for href in hrefs), hrefs
            assert "https://opensource.org/license/mit" in hrefs and "MIT" in footer.get_text()


def test_licence_files_and_readme():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    content = (ROOT / "LICENSE-CONTENT").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0 International Public License" in content
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "MIT" in readme and "CONTRIBUTING.md" in readme


@pytest.mark.quick
def test_citation_cff_is_valid():
    """CITATION.cff against the Citation File Format 1.2.0 schema, as cffconvert checks it: the
    schema is the one cffconvert 2.0.0 ships (tests/data/), whose jsonschema 3 cannot install
    beside the build's jsonschema 4. Zenodo and GitHub read this file."""
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "tests" / "data" / "citation-file-format-1.2.0.schema.json").read_text(encoding="utf-8"))
    problems = [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
                for error in jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).iter_errors(citation)]
    assert problems == []
    assert citation["authors"] == [{"name": "SciLifeLab Data Centre and contributors"}]


CITED_TITLE = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))["title"]


@pytest.mark.parametrize("language", ["en", "sv"])
def test_every_page_can_be_cited_and_reported(rtd, language):
    """Every page's footer on Read the Docs: its citation (text and BibTeX, with the page's
    canonical address and the sidebar's version), a link that opens a new issue naming the page,
    its version and language, and the accessibility statement."""
    for docname in sources():
        page = soup(rtd[language] / f"{docname}.html")
        canonical = page.find("link", rel="canonical")["href"]
        version = page.select_one(".wy-side-nav-search .version").get_text(strip=True).split()[-1]
        cite = page.select_one("footer details.cite-page")
        assert cite is not None, docname
        assert canonical == f"{HOST}{language}/latest/{docname}.html"
        text, bibtex = cite.select_one("p").get_text(" ", strip=True), cite.select_one("pre").get_text()
        heading = page.select_one("h1").get_text(strip=True).removesuffix("\uf0c1") if docname != "index" else None
        for needed in [canonical, version, CITED_TITLE, "SciLifeLab Data Centre and contributors"]:
            assert needed in text and needed in bibtex, f"{language}/{docname}: {needed} not in the citation"
        assert heading is None or heading in text, f"{language}/{docname}: the citation does not name {heading}"
        assert re.search(rf"^  url = {{{re.escape(canonical)}}},$", bibtex, re.MULTILINE), bibtex
        assert re.search(rf"^  version = {{{re.escape(version)}}},$", bibtex, re.MULTILINE), bibtex
        report = page.select_one("footer .page-actions a[href*='/issues/new']")
        query = dict(parse_qsl(urlsplit(report["href"]).query))
        assert report["href"].startswith(f"{REPOSITORY}/issues/new?"), docname
        assert query == {"template": "page-problem.yml", "title": query["title"], "page": canonical,
                         "version": version, "language": language}, f"{language}/{docname}: {query}"
        statement = page.select("footer .page-actions a")[-1]["href"]
        target = (rtd[language] / docname).parent.joinpath(statement).resolve() if statement != "#" else None
        assert target == (rtd[language] / "docs" / "accessibility.html").resolve() or \
            (statement == "#" and docname == "docs/accessibility"), f"{language}/{docname}: {statement}"


@pytest.mark.quick
def test_the_report_form_has_the_fields_the_link_fills():
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "page-problem.yml").read_text(encoding="utf-8"))
    ids = {field["id"] for field in form["body"]}
    footer = (ROOT / "_templates" / "footer.html").read_text(encoding="utf-8")
    filled = set(re.findall(r"'(\w+)': ", footer[footer.index("set report"):])) - {"template", "title"}
    assert filled == {"page", "version", "language"} and filled <= ids
    assert {"problem", "source"} <= ids


def sidebar_version(page: Path) -> str:
    return soup(page).select_one(".wy-side-nav-search .version").get_text(strip=True)


def test_version_in_the_sidebar(html_build):
    tag = subprocess.run(["git", "describe", "--tags", "--exact-match", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    version = tag.stdout.strip().removeprefix("v") if tag.returncode == 0 else git_day().replace("-", ".")
    for page in [*(f"{docname}.html" for docname in sources()), "404.html", "search.html"]:
        assert sidebar_version(html_build.builddir / "html" / page) == f"Version {version}", page


def test_a_tag_names_the_version(make_app, rootdir, tmp_path):
    site = site_in_git(rootdir, tmp_path / "site", "site")
    git("tag", "2099.1", cwd=site)
    app, _ = build(make_app, site, "html")
    assert sidebar_version(Path(app.outdir) / "index.html") == "Version 2099.1"


def test_contributing_md_points_to_the_page_and_is_no_page(html_build):
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "docs/contributing.md" in text
    assert not (html_build.builddir / "html" / "CONTRIBUTING.html").exists()
    entry = menu.parse_menu(str(CONTRIBUTING), CONTRIBUTING.read_text(encoding="utf-8"))
    assert (entry.identifier, entry.name, entry.parent, entry.weight) == ("contributing", "Contributing", None, 90)
    landing = soup(html_build.builddir / "html" / "index.html")
    assert [a.get_text(strip=True) for a in landing.select(".wy-menu-vertical li.toctree-l1 > a")] == ["Data Types", "Accessibility", "Contributing"]


# -- Done when: a new page, by the Contributing page alone --------------------------------------

CODE_BLOCK = re.compile(
    r"^(?P<fence>`{3,})\{code-block\}\s*(?P<language>\S*)\n(?P<options>(?::[\w-]+:[^\n]*\n)*)\n?(?P<body>.*?)^(?P=fence)$",
    re.MULTILINE | re.DOTALL,
)
TOCTREE = re.compile(r"^```\{toctree\}\n.*?^```$", re.MULTILINE | re.DOTALL)
SEARCH_WORD = "nextflow"  # in the new page's body, and on no other page


def contributing_examples() -> dict[str, str]:
    """{caption: body} of the code blocks with a caption (a file's path) on the Contributing page."""
    examples = {}
    for block in CODE_BLOCK.finditer(CONTRIBUTING.read_text(encoding="utf-8")):
        caption = re.search(r"^:caption:\s*(.+)$", block["options"], re.MULTILINE)
        if caption:
            examples[caption.group(1).strip()] = block["body"]
    return examples


def documented_messages() -> dict[str, str]:
    """{warning type: the message, on one line} of each example message on the Contributing page."""
    text = CONTRIBUTING.read_text(encoding="utf-8")
    messages = [" ".join(block.split()) for block in re.findall(r"^```text\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)]
    return {re.search(r"\[([\w.]+)\]$", message).group(1): message for message in messages}


def the_new_page() -> tuple[str, str, str, str]:
    """(page path, its front matter, parent path, the parent's toctree) from the Contributing page."""
    examples = contributing_examples()
    pages = {path: body for path, body in examples.items() if body.startswith("---\n")}
    parents = {path: body for path, body in examples.items() if body.startswith("```{toctree}")}
    assert len(pages) == 1 and len(parents) == 1, f"the Contributing page's examples: {list(examples)}"
    (page, front_matter), (parent, toctree) = next(iter(pages.items())), next(iter(parents.items()))
    return page, front_matter, parent, toctree.rstrip("\n")


def add_the_new_page(project: Path, body: str = f"Workflows in {SEARCH_WORD} or Snakemake can be published.\n",
                     toctree: str | None = None, front_matter: str | None = None) -> tuple[Path, Path]:
    page, documented_front_matter, parent, documented_toctree = the_new_page()
    (project / page).write_text((front_matter or documented_front_matter) + "\n" + body, encoding="utf-8")
    parent_file = project / parent
    text = parent_file.read_text(encoding="utf-8")
    assert len(TOCTREE.findall(text)) == 1, f"{parent} should have one toctree"
    parent_file.write_text(TOCTREE.sub(lambda _: toctree if toctree is not None else documented_toctree, text), encoding="utf-8")
    return project / page, parent_file


def copy_site(folder: Path) -> Path:
    """The project's sources and configuration (no history), to add a page to."""
    folder.mkdir()
    for name in CHECKOUT_FILES:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, folder / name)
    return folder


def test_following_the_contributing_page_adds_a_page(make_app, tmp_path):
    project = copy_site(tmp_path / "project")
    page, parent_file = add_the_new_page(project)
    entry = menu.parse_menu(str(page), page.read_text(encoding="utf-8"))
    docname = page.relative_to(project).with_suffix("").as_posix()
    app, warnings = build(make_app, project, "html")
    assert warnings == []

    # The sidebar (and so the PDF's bookmarks, from the same toctree): the new page under its
    # parent, between its neighbours by weight.
    built = soup(Path(app.outdir) / f"{docname}.html")
    assert [a.get_text(strip=True) for a in built.select(".wy-menu-vertical li.current > a")] == [
        "Data Types", "Imaging data", "Guidelines for data producers", entry.name,
    ]
    siblings = [a.get_text(strip=True) for a in built.select(".wy-menu-vertical li.toctree-l3.current > ul > li > a")
                if a["href"] == "#" or "#" not in a["href"]]  # pages, not their sections ("#": this page)
    position = siblings.index(entry.name)
    assert siblings[position - 1:position + 2] == ["Metadata and file formats", entry.name, "Clinical and other personal images"]

    # The search index: the page, its title and the words of its text.
    script = (Path(app.outdir) / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(script[script.index("(") + 1:script.rindex(")")])
    number = index["docnames"].index(docname)
    assert index["titles"][number] == entry.title
    found = index["terms"][SEARCH_WORD]
    assert number in (found if isinstance(found, list) else [found])


def test_the_mistakes_the_contributing_page_shows_fail_as_it_shows(make_app, tmp_path):
    """Each example message on the page is what the build says, and so is a wrong front matter."""
    page_path, front_matter, _, toctree = the_new_page()
    new_line = next(line for line in toctree.splitlines() if page_path.rsplit("/", 1)[1].removesuffix(".md") in line)
    documented = documented_messages()
    broken_target = re.search(r"target not found: '([^']+)'", documented.get("myst.xref_missing", "")).group(1)
    mistakes = {
        # the toctree line left out
        "menu.toctree": {"toctree": toctree.replace(new_line + "\n", "")},
        # the toctree line added at the end instead of at its weight
        "menu.order": {"toctree": toctree.replace(new_line + "\n", "").replace("\n```", f"\n{new_line}\n```")},
        # a link to a page that does not exist
        "myst.xref_missing": {"body": f"See [the metadata page]({broken_target}).\n"},
        # a wrong front matter: a parent that does not exist
        "menu.parent": {"front_matter": front_matter.replace("parent: imaging_data_guidelines", "parent: imaging_guidelines")},
    }
    assert set(documented) <= set(mistakes), f"the page shows messages this test does not reproduce: {set(documented) - set(mistakes)}"

    results = {}
    for name, mistake in mistakes.items():
        project = copy_site(tmp_path / name)
        page, _ = add_the_new_page(project, **mistake)
        results[name] = page.relative_to(project), build(make_app, project)
    for name, (page, (app, warnings)) in results.items():
        assert app.statuscode == 1, f"{name}: the build passed"
        warnings = [" ".join(line.split()) for line in warnings]
        if name in documented:
            assert any(line.endswith(documented[name]) and line.startswith(str(page.parent)) for line in warnings), (
                f"{name}: the Contributing page shows\n  {documented[name]}\nbut the build says\n  " + "\n  ".join(warnings)
            )
        else:
            assert any(f"{page_path}:8: WARNING: parent 'imaging_guidelines' is not the identifier of any page" in line
                       for line in warnings), "\n".join(warnings)
