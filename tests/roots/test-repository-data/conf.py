# The repository data's directives on their own (tests/test_repository_data.py), reading the
# site's own data (PROJECT_ROOT/data) unless a test gives another folder.
import os

extensions = ["myst_parser", "imaging_guidelines.repository_data"]
repository_data = os.path.join(os.environ["PROJECT_ROOT"], "data")
html_baseurl = "https://imaging-data-guidelines.readthedocs.io/en/latest/"
myst_heading_anchors = 3  # as the site: [text](page.md#a-heading)
