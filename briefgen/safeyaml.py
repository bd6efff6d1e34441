"""Bounded YAML: the one parser for every YAML briefgen reads (configuration and front matter).

PyYAML's safe loader still lets a small document cost unbounded work: an "alias bomb" of nested
anchors expands to billions of nodes, deep nesting exhausts the recursion limit, and implicit
timestamps turn `2025-09-31` or `0000-01-01` into exceptions from `datetime` at load time. This
loader refuses those with a message that names the line and column:

- at most `MAX_ALIASES` alias uses, and at most `MAX_NODES` nodes once aliases are expanded;
- no alias may refer to a node that contains it (a cycle);
- nesting at most `MAX_DEPTH` levels;
- dates and times stay strings (the models that read them validate them, with a precise message).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

MAX_ALIASES = 200
MAX_NODES = 100_000
MAX_DEPTH = 64
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_RESOLVERS = {first: [(tag, pattern) for tag, pattern in resolvers if tag != _TIMESTAMP]
              for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


@dataclass
class BadYAMLError(Exception):
    """YAML that is malformed or over a limit: what is wrong and where (0-based line and column)."""

    message: str
    line: int | None = None
    column: int | None = None

    def where(self, label: str, first_line: int = 0) -> str:
        """'label:LINE:COL' (1-based), shifted by `first_line` lines, or just the label."""
        if self.line is None:
            return label
        return f"{label}:{self.line + first_line + 1}:{(self.column or 0) + 1}"

    def __str__(self) -> str:
        return self.message


class BoundedLoader(yaml.SafeLoader):
    """A SafeLoader with the limits of this module; dates and times are left as strings."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.yaml_implicit_resolvers = _RESOLVERS
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        """Compose one node, counting aliases and nesting depth."""
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise BadYAMLError(f"more than {MAX_ALIASES} aliases (*name); write the values out",
                                  mark.line, mark.column)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            mark = self.peek_event().start_mark
            raise BadYAMLError(f"nested more than {MAX_DEPTH} levels deep", mark.line, mark.column)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load(text: str) -> tuple[Any, yaml.Node | None]:
    """Parse one YAML document within the limits; return the data and its node tree (for line numbers).

    Raises BadYAMLError for malformed YAML and for YAML over the limits.
    """
    try:
        loader = BoundedLoader(text)
    except yaml.YAMLError as error:  # the reader refuses control characters before parsing starts
        raise BadYAMLError(_reader_message(error)) from None
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_expansion(node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = error.problem or error.context or "not valid YAML"
        raise BadYAMLError(message, mark.line if mark else None, mark.column if mark else None) from None
    except yaml.YAMLError as error:
        raise BadYAMLError(_reader_message(error)) from None
    except RecursionError:
        raise BadYAMLError(f"nested more than {MAX_DEPTH} levels deep") from None
    finally:
        loader.dispose()
    return data, node


def _reader_message(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.reader.ReaderError):
        code = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "\0")
        return f"control character U+{code:04X} at position {error.position} is not allowed in YAML"
    return f"not valid YAML: {' '.join(str(error).split())}"


def _check_expansion(root: yaml.Node) -> None:
    """Refuse alias cycles and documents whose expansion exceeds MAX_NODES nodes."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, open_nodes: set[int]) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise BadYAMLError("an alias refers to a node that contains it", node.start_mark.line,
                              node.start_mark.column)
        open_nodes.add(key)
        total = 1 + sum(size(child, open_nodes) for child in _children(node))
        open_nodes.discard(key)
        if total > MAX_NODES:
            raise BadYAMLError(f"expands to more than {MAX_NODES:,} values (aliases inside aliases)",
                              node.start_mark.line, node.start_mark.column)
        sizes[key] = total
        return total

    size(root, set())


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []
