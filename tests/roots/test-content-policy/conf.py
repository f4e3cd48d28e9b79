# The content policy on its own, with the site's settings (tests/test_content_policy.py): each case
# of the catalogue is a page of its own under docs/, all built at once.
from site_settings import site_settings

globals().update(site_settings())
extensions = ["myst_parser", "imaging_guidelines.content_policy"]
