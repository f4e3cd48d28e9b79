# The menu contract on its own (tests/test_menu.py): a home page, a section and two pages in it.
extensions = ["myst_parser", "imaging_guidelines.menu"]
myst_title_to_header = True
html_theme = "sphinx_rtd_theme"
