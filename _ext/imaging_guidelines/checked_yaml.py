"""YAML checked against a JSON schema, each problem at its line: the repository data (data/) and
the pages' front matter (menu). A problem is (line, "what (where); the fix"), the fix being the
``description`` of the part of the schema that the value breaks.
"""

from __future__ import annotations

import jsonschema
import yaml


class Loader(yaml.SafeLoader):
    """YAML with dates kept as written (2026-12-03), as the schemas read them."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def line_of(node: yaml.Node, path) -> int:
    """The line of the key or list item at *path* (keys and indexes) in a composed YAML document,
    or of the nearest one above it that is there."""
    line = node.start_mark.line + 1
    for key in path:
        if isinstance(node, yaml.MappingNode):
            found = next(((name, value) for name, value in node.value if name.value == key), None)
            if found is None:
                break
            line, node = found[0].start_mark.line + 1, found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


def load(text: str, schema: dict) -> tuple[object, yaml.Node | None, list[tuple[int, str]]]:
    """(the data, its composed tree, its problems) of the YAML *text*."""
    try:
        data, tree = yaml.load(text, Loader=Loader), yaml.compose(text, Loader=Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        return None, None, [(mark.line + 1 if mark else 1,
                             f"not valid YAML ({problem}); check the indentation, and quote a text with a colon")]
    if tree is None:  # an empty document
        tree = yaml.compose("{}", Loader=Loader)
    problems = [(line_of(tree, error.absolute_path),
                 f"{error.message}{f' ({where})' if (where := '/'.join(map(str, error.absolute_path))) else ''}; "
                 f"{error.schema.get('description', 'see the schema')}")
                for error in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    return data, tree, problems
