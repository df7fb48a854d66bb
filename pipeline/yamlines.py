"""YAML that remembers line numbers, so registry problems can point at the right line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# libyaml's parser when PyYAML was built with it: ~10x faster on the national registry.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Mapping(dict):
    """A YAML mapping; `line` is where it starts, `lines[key]` where each key is."""

    line: int
    lines: dict[str, int]


class Sequence(list):
    line: int


class YamlSyntaxError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def load(path: Path) -> Any:
    """Parse one YAML document into plain values carrying line numbers (1-based)."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlSyntaxError(mark.line + 1 if mark else 0, str(exc.problem or exc)) from None
    except yaml.YAMLError as exc:  # e.g. control characters the reader refuses
        raise YamlSyntaxError(0, str(exc)) from None
    except UnicodeDecodeError:
        raise YamlSyntaxError(0, "the file is not UTF-8") from None
    except OSError as exc:  # a folder, a symbolic link that loops, no permission
        raise YamlSyntaxError(0, f"cannot read it ({(exc.strerror or str(exc)).lower()})") from None
    try:
        return None if node is None else _convert(node)
    finally:
        _SCALARS.constructed_objects.clear()


# One constructor for all scalars: YAML's resolver types them (dates, numbers, booleans) as
# safe_load would; building a new loader per scalar costs more than the parse itself.
_SCALARS = yaml.SafeLoader("")


def _convert(node: yaml.Node) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result = Mapping()
        result.line, result.lines = line, {}
        for key_node, value_node in node.value:
            key = str(_convert(key_node))
            result[key] = _convert(value_node)
            result.lines[key] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        result = Sequence(_convert(item) for item in node.value)
        result.line = line
        return result
    try:
        return _SCALARS.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        raise YamlSyntaxError(line, str(exc.problem)) from None
    except ValueError as exc:  # an impossible date such as 2026-02-30
        raise YamlSyntaxError(line, f"{node.value!r}: {exc}") from None
