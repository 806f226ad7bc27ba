"""YAML reading that keeps line numbers, so that every error can name its file and line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

__all__ = ["ContentLoader", "YamlDocument", "line_of", "parse_yaml", "split_front_matter"]


_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present


class ContentLoader(_Base):  # type: ignore[valid-type,misc]
    """Safe loader without implicit floats: ``task: 1.10`` stays the string "1.10"."""


ContentLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:float"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlDocument:
    """A parsed document: its plain data and its node tree (for line numbers)."""

    def __init__(self, data: Any, node: yaml.Node | None, line_offset: int = 0) -> None:
        self.data = data
        self.node = node
        self.line_offset = line_offset
        self.fixed_lines: dict[str, int] = {}  # top-level keys that live outside the YAML (a Markdown body)

    def line(self, loc: Sequence[int | str]) -> int:
        if loc and isinstance(loc[0], str) and loc[0] in self.fixed_lines:
            return self.fixed_lines[loc[0]]
        return line_of(self.node, loc) + self.line_offset


def parse_yaml(text: str, line_offset: int = 0) -> YamlDocument:
    """Parse one YAML document; raises ``yaml.YAMLError`` (with a problem mark) on bad syntax."""
    loader = ContentLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return YamlDocument(data, node, line_offset)


def line_of(node: yaml.Node | None, loc: Sequence[int | str]) -> int:
    """1-based line of the deepest node that ``loc`` reaches (its parent when a key is missing)."""
    if node is None:
        return 1
    current = node
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                if key.value == part:
                    child = value
                    break
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(current.value):
            child = current.value[part]
        if child is None:
            break
        current = child
    return int(current.start_mark.line) + 1


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Split ``---\\nfront\\n---\\nbody``; returns (front, body, line where the body starts)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ValueError("a Markdown content file starts with YAML front matter between '---' lines")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    raise ValueError("the front matter is not closed by a '---' line")
