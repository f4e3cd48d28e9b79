# Both editions of a two-page site on the site's own settings (tests/test_editions.py).
from site_settings import site_settings

globals().update(site_settings())
