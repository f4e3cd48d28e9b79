"""The guidelines' own Sphinx extensions, each listed in conf.py with its contract in its docstring
(README.md's layout names what each does). Where they must run before or after Sphinx's own steps,
or each other's, the order is named here, once (lower priorities run first; Sphinx's at 500).
"""

# Event handlers
CONFIG_FROM_COMMIT = 100  # release: version and dates, before Sphinx's copyright year (800)
CONFIG_OF_EDITION = 400  # editions: the edition's addresses, before sphinx-notfound-page reads them
DATA_VALUES = 300  # doctree-read: repository_data's values in their texts, before the content policy
BEFORE_COLLECTORS = 400  # doctree-read: before Sphinx collects images, downloads and toctrees
AFTER_METADATA = 600  # doctree-read: after Sphinx has read the page's front matter
AFTER_MYST_CONFIG = 600  # builder-inited: after MyST has read its settings

# Transforms, around Sphinx's translation of a page (sphinx.transforms.i18n.Locale, 20)
BEFORE_TRANSLATION = 15  # task_checkboxes: a task's box out of the text that is translated
WITHHOLD_TRANSLATION = 19  # translations: a faulty translation is not applied
AFTER_TRANSLATION = 21  # editions: the heading anchors kept
