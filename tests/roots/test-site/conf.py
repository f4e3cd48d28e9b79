# A three-page site on the site's own settings, for the writers' mistakes and the content policy
# (tests/test_bad_input.py, tests/test_content_policy.py): each test breaks a copy in one way.
from site_settings import site_settings

globals().update(site_settings())
