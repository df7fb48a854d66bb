"""Whatever `plp check` accepts, the outputs accept: the site, its feeds and the bulletin.

Check and the outputs share one rule set; this test hunts for text that passes the first and
breaks the second (a traceback halfway through a build, or a draft refused without file:line).
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pipeline.bulletin.assembly import assemble
from pipeline.bulletin.compose import compose
from pipeline.bulletin.render import Renderer
from pipeline.content import read_content
from pipeline.errors import Severity
from pipeline.site import build_site
from tests.conftest import PLPS, ROOT, TODAY, message

PLP = "bergveld-centrum"

# What broke an output once, or could: markup that sanitises to nothing, words the bulletin's
# resource scan reads as a load, header tricks, invisible and control characters, RTL text.
PIECES = st.sampled_from(
    [
        "<b></b>", "<!-- x -->", "<script>alert(1)</script>", "<img src=x>", "src=x", "url(",
        "data:", "background=", "@import", "%%PLP_TO%%", "=?utf-8?b?", "%0A", "&#10;", "&amp;",
        "&lt;b&gt;", "&", "<", ">", '"', "'", "\x00", "\x01", "\x0b", "\x1f", "\x7f", "\x85",
        "\x9f", "\u200b", "\u2028", "\ufeff", "\ufffe", "\uffff", "\U0010ffff", "\u202e",
        "שלום", "مرحبا", "é", "Ā", "ﬁ", "  ", "\t", "*", "_", "`", "[x](y)", "![alt](x.png)",
        "#", "101", "112", "Politiezone",
    ]
)  # fmt: skip
WORDS = st.sampled_from(["Sluit ", "uw deur", " af.", "Bel 101", "BIN Noord", "é", "à 20 h"])
TEXT = st.lists(st.one_of(PIECES, WORDS, st.text(max_size=4)), min_size=1, max_size=6).map("".join)
LINE = TEXT.map(lambda text: text.replace("\n", " ").replace("\r", " "))


def field(default: str, strategy=LINE):
    """A field left as in the valid tree half of the time, so most examples pass the check."""
    return st.one_of(st.just(default), strategy)


def _yaml(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    title=field("Donkere dagen"),
    summary=st.none() | LINE,
    body=field("Doe het licht aan.", TEXT),
    author=field("Politiezone Kempenveld"),
    plp_name=field("BIN Bergveld-Centrum"),
    coordinator=field("Coördinator BIN Bergveld-Centrum"),
)
def test_what_check_accepts_the_outputs_accept(
    content_tree, make_config, title, summary, body, author, plp_name, coordinator
):
    plps = PLPS.replace('{nl: "BIN Bergveld-Centrum"}', f"{{nl: {_yaml(plp_name)}}}", 1)
    plps = plps.replace('"Coördinator BIN Bergveld-Centrum"', _yaml(coordinator), 1)
    extra = f"Summary: {summary}\n" if summary is not None else ""
    text = message(
        title=title, targets=f"plp:{PLP}", date="2026-11-25", extra=extra, body=body
    ).replace("Author: Politiezone Kempenveld — preventiedienst", f"Author: {author}")
    root = content_tree({"registry/plps.yaml": plps})
    (root / "content/messages/fuzz.nl.md").write_text(
        text, encoding="utf-8", errors="surrogatepass"
    )
    content, problems = read_content(root / "content")
    if any(p.severity is Severity.ERROR for p in problems):
        event("refused by check")
        return  # refused with file:line: nothing more to ask of the outputs
    event("accepted by check")
    config = make_config(root, theme_dir=ROOT / "theme")
    build_site(config, only=[PLP], content=content)
    bulletin = assemble(content, PLP, number=1, on=TODAY)
    renderer = Renderer(config, content)
    for edition in bulletin.editions:
        _, rendered = renderer.render_fitting(bulletin, edition.lang)
        compose(config, bulletin, rendered)
