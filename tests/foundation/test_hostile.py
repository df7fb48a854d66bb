"""Hostile inputs never produce a traceback: the loader reports problems, it does not crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.content import read_content
from pipeline.errors import Problem

# Text biased towards what breaks parsers: colons, newlines, YAML/Markdown syntax, odd Unicode.
PIECES = st.sampled_from(
    [
        ":",
        "\n",
        "\r\n",
        " ",
        "-",
        "Title:",
        "Date:",
        "Targets:",
        "plp:",
        "zone:",
        "all",
        ",",
        "[",
        "{",
        "'",
        '"',
        "<script>",
        "\x00",
        "\ufeff",
        "2026-02-30",
        "é",
        "#",
        "!",
        "![](x)",
        "---",
        "&",
        "\t",
    ]
)
HOSTILE = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=HOSTILE)
def test_hostile_message_files(content_tree, text):
    root = content_tree({"messages/hostile.nl.md": text})
    _, problems = read_content(root / "content")
    assert all(isinstance(p, Problem) and p.message for p in problems)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=HOSTILE)
def test_hostile_registry(content_tree, text):
    root = content_tree({"registry/plps.yaml": text})
    _, problems = read_content(root / "content")
    assert all(isinstance(p, Problem) and p.message for p in problems)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=200))
def test_binary_garbage(content_tree, data):
    root = content_tree({})
    (root / "content/messages/garbage.fr.md").write_bytes(data)
    (root / "content/registry/zones.yaml").write_bytes(data)
    _, problems = read_content(root / "content")
    assert all(isinstance(p, Problem) for p in problems)
