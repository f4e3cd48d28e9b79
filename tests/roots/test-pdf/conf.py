# The pdf builder on a page of its own (tests/test_pdf_builder.py): what the guidelines do not have
# yet (images), and what they have too little of to be sure (a table and a list over pages).
project = "Small"
extensions = ["myst_parser", "imaging_guidelines.task_checkboxes", "imaging_guidelines.pdf"]
myst_enable_extensions = ["tasklist"]
pdf_basename = "small"
language = "en"
