# Makefile for the imaging-data guidelines, in Sphinx's standard shape: a target not named below
# goes to sphinx-build's make-mode (`make html`, `make epub`, `make linkcheck`, `make clean`, …).
#
#   make html    build the site into _build/html (creates .venv from requirements.txt first)
#   make pdf     build the tagged PDF (PDF/UA-1) into _build/pdf/imaging-data-guidelines.pdf
#   make epub    build the EPUB into _build/epub
#   make test    install what the tests need (Python packages, Chromium, …) and run them
#   make check   the quick loop: the strict HTML build and the quick tests (of system packages, Graphviz only)
#   make drill   plant known defects in copies of the project and check that the tests catch them
#   make livehtml   preview while writing: http://127.0.0.1:8000, reloaded after every save
#   make preview both editions, with the language switch and 404 pages: http://127.0.0.1:8000/html/
#   make prose   check spelling and Markdown style (also part of make test)
#   make stale-facts   the repository data's facts checked more than 12 months ago, or never
#   make records refresh the archives' records in data/records/ (needs the network), then make test
#   make upgrade refresh the pinned versions (requirements*.txt from requirements*.in), run the tests
#   make translations   refresh locale/sv/ after English edits and list what is left to translate
#   make bench   page and build speed beside the stock setup (Lighthouse; bench/results/)
#   make bench-scale   how the build grows with the site, to +1000 pages (bench/results/scale.*)
#   make bench-pdf     how the tagged PDF's build grows, to +1000 pages (bench/results/pdf-routes.md)
#   make html LANGUAGE=sv   the Swedish edition (also pdf, epub), into _build/sv/

# Strict and from a fresh environment: an incremental build does not repeat the warnings of
# pages it does not reread, so it could pass where a clean build fails.
SPHINXOPTS    ?= -W --keep-going -n -E
VENV          ?= .venv
PYTHON        := $(VENV)/bin/python
SPHINXBUILD   ?= $(PYTHON) -m sphinx
SOURCEDIR     = .
BUILDDIR      = _build
# make livehtml: strict too, but incremental (no -E), so that a save rebuilds only what changed.
LIVEHTMLOPTS  ?= -W --keep-going -n
PORT          ?= 8000
# The Markdown that make prose checks (the pages and the files beside them).
MARKDOWN      = index.md docs README.md CONTRIBUTING.md

# The Swedish edition: `make html LANGUAGE=sv` (and pdf, epub, …) builds into _build/sv/, beside
# the English one. Only a LANGUAGE given on the command line counts: shells often export their own.
# The language goes in a variable of its own, not into SPHINXOPTS, which a command line such as
# `make html LANGUAGE=sv SPHINXOPTS=-q` replaces whole.
EDITIONOPTS   =
ifeq ($(origin LANGUAGE),command line)
ifneq ($(LANGUAGE),en)
BUILDDIR      = _build/$(LANGUAGE)
EDITIONOPTS   = -D language=$(LANGUAGE)
endif
endif

# What every build needs: Graphviz's dot draws the repository guide's diagram (repository_data.py).
# .readthedocs.yaml's build.apt_packages lists it too.
BUILD_SYSTEM_PACKAGES = dot=graphviz

# What WeasyPrint needs to set the PDF (_ext/imaging_guidelines/pdf/): Pango, HarfBuzz's subsetter and the
# FreeFont family. .readthedocs.yaml's build.apt_packages lists the same packages.
PDF_SYSTEM_PACKAGES = libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-freefont-otf

# The stock project's PDF in make bench is LaTeX's (bench/run.py): TeX Live for that alone.
STOCK_PDF_SYSTEM_PACKAGES = \
	latexmk=latexmk \
	xelatex=texlive-xetex \
	/usr/share/texlive/texmf-dist/tex/latex/fncychap/fncychap.sty=texlive-latex-extra \
	/usr/share/texlive/texmf-dist/tex/latex/psnfss/times.sty=texlive-fonts-recommended

# Debian packages the tests need, each named by a command or file it provides.
TEST_SYSTEM_PACKAGES = \
	$(BUILD_SYSTEM_PACKAGES) \
	$(PDF_SYSTEM_PACKAGES) \
	pdftoppm=poppler-utils \
	java=default-jre-headless \
	/usr/share/java/epubcheck.jar=epubcheck \
	chromium=chromium \
	npm=npm

help: $(VENV)/.installed
	@$(SPHINXBUILD) -M help "$(SOURCEDIR)" "$(BUILDDIR)" $(SPHINXOPTS) $(O)

# The virtual environment, remade whenever the pins change.
$(VENV)/.installed: requirements.txt
	@test -x $(PYTHON) || python3 -m venv $(VENV) || { \
		scripts/ensure-system-packages python3-venv && \
		rm -rf $(VENV) && python3 -m venv $(VENV); }
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@touch $@

# The tagged PDF: Sphinx's pdf builder (_ext/imaging_guidelines/pdf/), with WeasyPrint's system libraries.
pdf: $(VENV)/.installed
	@scripts/ensure-system-packages $(BUILD_SYSTEM_PACKAGES) $(PDF_SYSTEM_PACKAGES)
	@$(SPHINXBUILD) -M pdf "$(SOURCEDIR)" "$(BUILDDIR)" $(SPHINXOPTS) $(EDITIONOPTS) $(O)

# Preview while writing: builds the site, serves it on http://127.0.0.1:$(PORT) (this machine only)
# and reloads the page in the browser after every save, rebuilding only the pages that changed.
# It does not watch its own output, the virtual environment or the compiled translations (.mo),
# which builds rewrite. A warning on a page that was not reread is not repeated: run `make html`
# before you push. After changing conf.py or _ext/, stop it (Ctrl+C) and start it again.
livehtml: $(VENV)/.installed-test
	$(VENV)/bin/sphinx-autobuild --host 127.0.0.1 --port $(PORT) \
		--ignore _build --ignore .venv --ignore "locale/**/*.mo" --re-ignore "/__pycache__/" \
		"$(SOURCEDIR)" "$(BUILDDIR)/html" -d "$(BUILDDIR)/doctrees" $(LIVEHTMLOPTS) $(EDITIONOPTS) $(O)

# Both editions as readers meet them, from _build/: English at /html/, Swedish at /sv/html/, the
# language switch between them, each edition's PDF and EPUB and its 404 page working
# (scripts/preview.py).
preview: $(VENV)/.installed
	$(MAKE) html pdf epub
	$(MAKE) html pdf epub LANGUAGE=sv
	$(PYTHON) scripts/preview.py --port $(PORT) $(BUILDDIR)

# Spelling (codespell: .codespellrc, .codespell-words.txt) and Markdown style (pymarkdown:
# .pymarkdown.yaml), as tests/test_prose.py and .pre-commit-config.yaml run them.
prose: $(VENV)/.installed-test
	$(VENV)/bin/codespell
	$(VENV)/bin/pymarkdown --config .pymarkdown.yaml scan $(MARKDOWN)

# Speed and size side by side with the stock setup: Lighthouse on every page, build times
# (bench/run.py, results in bench/results/). Not part of make test.
bench: $(VENV)/.installed-test
	scripts/ensure-system-packages $(TEST_SYSTEM_PACKAGES) $(STOCK_PDF_SYSTEM_PACKAGES)
	cd bench && npm ci --no-audit --no-fund --loglevel=error
	$(PYTHON) bench/run.py

# How the build grows with the site: clean and one-page builds at +0, +50, +250 and +1000
# generated pages beside a stock project (bench/scale.py, about 20 minutes; bench/results/scale.*).
bench-scale: $(VENV)/.installed-test
	$(PYTHON) bench/scale.py

# The tagged PDF's build on the same generated sites (bench/pdf_scale.py, about 15 minutes).
bench-pdf: $(VENV)/.installed-test
	@scripts/ensure-system-packages $(PDF_SYSTEM_PACKAGES)
	$(PYTHON) bench/pdf_scale.py

# After English edits: extract the messages afresh, merge them into locale/sv/, and report what is
# left to translate; like tests/test_editions.py, it fails while anything is.
translations: $(VENV)/.installed-test
	rm -rf _build/gettext
	$(SPHINXBUILD) -b gettext -E -q "$(SOURCEDIR)" _build/gettext
	$(VENV)/bin/sphinx-intl update --locale-dir locale/ --pot-dir _build/gettext --language sv
	$(VENV)/bin/sphinx-intl stat --locale-dir locale/ --language sv

# Refresh every pin to the newest releases (pip-compile, from requirements*.in; each pin says
# which package needs it), then prove them with the whole test suite.
PIP_COMPILE = $(VENV)/bin/pip-compile --quiet --upgrade --strip-extras --no-emit-index-url --no-emit-find-links
upgrade: $(VENV)/.installed-test
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-test.txt requirements-test.in
	$(MAKE) test

# Ace by DAISY for tests/test_epub_accessibility.py, from tests/ace/package-lock.json, reinstalled
# when the lock file changes. It runs on Debian's Chromium: no Electron or Chrome is downloaded.
tests/ace/node_modules/.installed: tests/ace/package-lock.json
	scripts/ensure-system-packages npm=npm
	cd tests/ace && ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The quick loop while writing a page or an extension: no system packages but Graphviz, about 20
# seconds. The strict HTML build, the prose checks, and the tests marked quick (the extensions'
# rules on tiny projects with sphinx.testing, the configuration files' schemas), two at a time.
# `make test` is the full suite, as CI.
check: $(VENV)/.installed-test
	@scripts/ensure-system-packages $(BUILD_SYSTEM_PACKAGES)
	$(SPHINXBUILD) -M html "$(SOURCEDIR)" "$(BUILDDIR)" $(SPHINXOPTS) $(EDITIONOPTS) $(O)
	$(MAKE) --no-print-directory prose
	$(PYTHON) -m pytest -m quick -q -n auto tests $(PYTEST_ARGS)

# The defect drill (tests/drill/defects.py): plants each listed defect in a copy of the project
# and checks that the tests named for it fail; about a minute a defect. Rerun it after a refactor
# of the tests. Not part of make test.
drill: $(VENV)/.installed-test tests/ace/node_modules/.installed
	$(PYTHON) tests/drill/defects.py

test: $(VENV)/.installed-test tests/ace/node_modules/.installed
	scripts/ensure-system-packages $(TEST_SYSTEM_PACKAGES)
	$(PYTHON) -m pytest tests $(PYTEST_ARGS)

# The repository data (data/): what to check again, and the archives' records the tests compare.
stale-facts: $(VENV)/.installed
	$(PYTHON) scripts/repository_data.py stale --months 12

records: $(VENV)/.installed
	$(PYTHON) scripts/repository_data.py records

.PHONY: help pdf check test drill stale-facts records bench bench-scale bench-pdf livehtml preview prose translations upgrade Makefile

# Files that exist as they are: keep the catch-all below from trying to make them.
requirements.in requirements.txt requirements-test.in requirements-test.txt tests/ace/package-lock.json: ;

# Every other target is a Sphinx builder.
%: Makefile $(VENV)/.installed
	@scripts/ensure-system-packages $(BUILD_SYSTEM_PACKAGES)
	@$(SPHINXBUILD) -M $@ "$(SOURCEDIR)" "$(BUILDDIR)" $(SPHINXOPTS) $(EDITIONOPTS) $(O)
