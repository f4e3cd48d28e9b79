/*
 * Sphinx's catalogues give the plural rule as gettext writes it: Swedish "(n != 1)", a boolean.
 * doctools.js picks a plural form with translated[PLURAL_EXPR(n)], so translated[true] is
 * undefined and the search page stops with an error before it says how many pages it found.
 * Give the rule's answer as the number that gettext means (_ext/imaging_guidelines/editions.py adds this file to
 * the search page of a translated edition).
 */
if (typeof Documentation !== "undefined" && Documentation.PLURAL_EXPR) {  // a const of doctools.js, not on window
  const pluralRule = Documentation.PLURAL_EXPR;
  Documentation.PLURAL_EXPR = (n) => Number(pluralRule(n));
}
