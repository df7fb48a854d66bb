"""Per-member messages: every field filled, strict re-parse, no header injection."""

from __future__ import annotations

import email
import email.policy
import os
import re
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.bulletin.assembly import assemble
from pipeline.bulletin.compose import MessageTemplate, compose, sender_name
from pipeline.bulletin.render import Renderer
from pipeline.content import read_content
from pipeline.errors import ContentError, PlpError
from pipeline.model import Coordinator
from tests.conftest import TODAY

from .factories import message

URL = "https://plp.example.org/unsubscribe?token=abc.DEF-123_x&plp=rivebois-centre"
MAILTO = "mailto:unsubscribe+abc.DEF-123_x@bulletins.example.org"


@pytest.fixture
def template(project) -> MessageTemplate:
    return make_template(project)


def make_template(project, slug="rivebois-centre", lang="fr", **plp_changes) -> MessageTemplate:
    content = project.content()
    bulletin = assemble(content, slug, number=3, on=TODAY)
    if plp_changes:
        bulletin = replace(bulletin, plp=replace(bulletin.plp, **plp_changes))
    edition = Renderer(project.config, content).render(bulletin, lang)
    return compose(project.config, bulletin, edition)


def fill(template, email_="anne@example.org", name="Anne", url=URL, mailto=MAILTO, key="m1"):
    return template.for_member(email_, name, url, mailto, template.message_id(key))


def strict(raw: bytes) -> email.message.EmailMessage:
    """Parse with email.policy.strict (raises on any defect) and check every part too."""
    message = email.message_from_bytes(raw, policy=email.policy.strict)
    for part in message.walk():
        assert not part.defects, part.defects
    return message


def parts(message) -> dict[str, str]:
    return {p.get_content_type(): p.get_content() for p in message.walk() if not p.is_multipart()}


def test_every_field_is_filled_and_no_placeholder_is_left(template):
    raw = fill(template, name="Anne Lambert")
    assert b"%%PLP_" not in raw
    message = strict(raw)
    assert message["To"] == "Anne Lambert <anne@example.org>"
    assert message["Message-ID"] == "<rivebois-centre.3.fr.m1@bulletins.example.org>"
    assert message["Date"]
    assert message["List-Unsubscribe"] == f"<{URL}>, <{MAILTO}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Id"] == "PLP Rivebois-Centre <rivebois-centre.bulletins.example.org>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Precedence"] == "bulk"
    assert message["Reply-To"] == "Coordination PLP Rivebois-Centre <plp.centre@rivebois.test>"
    # The coordinator's name already holds the PLP's: it is not repeated after a dash.
    assert message["From"] == (
        "Coordination PLP Rivebois-Centre <plp-rivebois-centre@bulletins.example.org>"
    )
    assert message["Subject"] == "PLP Rivebois-Centre — bulletin n° 3"
    assert message.get_content_type() == "multipart/alternative"
    body = parts(message)
    assert list(body) == ["text/plain", "text/html"]
    assert "Bonjour Anne Lambert," in body["text/plain"]
    assert "Bonjour Anne Lambert," in body["text/html"]
    assert URL in body["text/plain"]
    assert f'href="{URL.replace("&", "&amp;")}"' in body["text/html"]
    assert "%%" not in body["text/plain"] + body["text/html"]


def test_without_a_name_the_greeting_is_neutral_and_to_is_the_bare_address(template):
    body = parts(strict(fill(template, name=None)))
    message = strict(fill(template, name=""))
    assert message["To"] == "anne@example.org"
    assert "Bonjour," in body["text/plain"] and "Bonjour," in body["text/html"]


def test_non_ascii_and_quoted_names(template):
    for name in ("Zoë Ærøskøbing-Dupont", "Łukasz Żółć", "李小龙", 'O\'Brien, "Pat" <x>'):
        message = strict(fill(template, name=name))
        assert message["To"].addresses[0].display_name == name
        assert message["To"].addresses[0].addr_spec == "anne@example.org"
        body = parts(message)
        assert f"Bonjour {name}," in body["text/plain"]
    html = parts(strict(fill(template, name="<b>Pat</b> & co")))["text/html"]
    assert "Bonjour &lt;b&gt;Pat&lt;/b&gt; &amp; co," in html  # the name is text, not markup


def test_lines_stay_within_smtp_limits_and_use_crlf(template):
    raw = fill(template, url=URL + "&" + "x" * 300)
    assert raw.count(b"\n") == raw.count(b"\r\n")
    head, body = raw.split(b"\r\n\r\n", 1)
    assert max(len(line) for line in body.split(b"\r\n")) <= 76
    assert max(len(line) for line in head.split(b"\r\n")) <= 998
    assert URL + "&" + "x" * 300 in parts(strict(raw))["text/plain"]


def test_template_survives_its_file_form(template):
    again = MessageTemplate.from_bytes(template.to_bytes())
    assert fill(again, key="k", name="Zoë")[200:] == fill(template, key="k", name="Zoë")[200:]
    with pytest.raises(PlpError, match="draft"):
        MessageTemplate.from_bytes(b"From: x\r\n\r\nhello")


def test_each_member_gets_a_unique_message_id(template):
    ids = {strict(fill(template, key=str(i)))["Message-ID"] for i in range(5)}
    assert len(ids) == 5


INJECTIONS = [
    "Anne\r\nBcc: victim@example.org",
    "Anne\nBcc: victim@example.org",
    "Anne\rX: y",
    "Anne=0ABcc: victim@example.org",
    "Anne%0d%0aBcc: victim@example.org",
    "Anne&#10;Bcc: x",
    "Anne\u2028Bcc: x",
    "=?utf-8?b?QW5uZQpCY2M6IHZpY3RpbUBleGFtcGxlLm9yZw==?=",
    "Anne\x00",
]


@pytest.mark.parametrize("name", INJECTIONS)
def test_member_name_injection_is_refused(template, name):
    with pytest.raises(PlpError, match="line break"):
        fill(template, name=name)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email_", "anne@example.org\r\nBcc: victim@example.org"),
        ("email_", "Anne <anne@example.org>"),
        ("email_", "anné@exämple.org"),
        ("url", URL + "\r\nBcc: x"),
        ("url", "javascript:alert(1)"),
        ("url", 'https://x.test/"><script>'),
        ("mailto", MAILTO + ">\r\nBcc: x"),
    ],
)
def test_unsafe_member_values_are_refused(template, field, value):
    with pytest.raises(PlpError):
        fill(template, **{field: value})
    with pytest.raises(PlpError, match="Message-ID"):
        template.for_member("a@example.org", None, URL, MAILTO, "<x\r\nBcc: y@z>")


@pytest.mark.parametrize(
    "coordinator",
    ["Coordination\r\nBcc: victim@example.org", "Coordination=0ABcc: x", "Coord%0ABcc: x"],
)
def test_coordinator_name_injection_is_refused(project, coordinator):
    with pytest.raises(PlpError, match="line break"):
        make_template(project, coordinator=Coordinator(coordinator, "plp.centre@rivebois.test"))


def test_subject_injection_is_refused(project):
    with pytest.raises(PlpError, match="line break"):
        make_template(project, names={"fr": "PLP X\r\nBcc: victim@example.org"})
    with pytest.raises(PlpError, match="line break"):
        make_template(project, names={"fr": "PLP X%0d%0aBcc: victim@example.org"})


def test_the_email_policy_itself_refuses_linefeeds():
    message = email.message.EmailMessage(policy=email.policy.SMTP)
    with pytest.raises(ValueError, match="linefeed"):
        message["Subject"] = "Hello\r\nBcc: victim@example.org"


def test_non_ascii_coordinator_and_plp_names_are_encoded(project):
    template = make_template(
        project, "tannendorf", "de", coordinator=Coordinator("Koordination Grüße", "plp@t.test")
    )
    message = strict(fill(template))
    assert message["From"].addresses[0].display_name == "Koordination Grüße — PLP Tannendorf"
    assert message["From"].addresses[0].addr_spec == "plp-tannendorf@bulletins.example.org"
    raw_head = fill(template).split(b"\r\n\r\n")[0]
    assert raw_head.isascii()
    assert "Guten Tag Anne," in parts(message)["text/plain"]


@pytest.mark.parametrize(
    ("coordinator", "plp", "expected"),
    [
        ("Marie Dupont", "PLP Florval-Centre", "Marie Dupont — PLP Florval-Centre"),
        ("Koordination PLP Eichenfeld-Land", "PLP Eichenfeld-Land",
         "Koordination PLP Eichenfeld-Land"),
        ("coordination plp  florval-centre", "PLP Florval-Centre",
         "coordination plp  florval-centre"),
        ("Coördinatie BIN-Z Koopmansbrug / Coordination PLP Commerçants Pont-Marchand",
         "PLP Commerçants Pont-Marchand",
         "Coördinatie BIN-Z Koopmansbrug / Coordination PLP Commerçants Pont-Marchand"),
        ("Coordination PLP Florval", "PLP Florval-Centre",
         "Coordination PLP Florval — PLP Florval-Centre"),
    ],
)  # fmt: skip
def test_from_name_does_not_repeat_the_plp_name(coordinator, plp, expected):
    assert sender_name(coordinator, plp) == expected


def test_from_name_of_a_coordinator_named_after_the_plp(project):
    template = make_template(
        project,
        "tannendorf",
        "de",
        coordinator=Coordinator("Koordination PLP Tannendorf", "a@t.test"),
    )
    from_ = strict(fill(template))["From"].addresses[0]
    assert from_.display_name == "Koordination PLP Tannendorf"


@settings(
    max_examples=int(os.environ.get("PLP_HYPOTHESIS_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=st.text(max_size=80))
def test_any_name_is_refused_cleanly_or_reparses_strictly(template, name):
    try:
        raw = fill(template, name=name)
    except PlpError:
        return
    assert b"%%PLP_" not in raw
    message = strict(raw)
    if name.strip():
        assert message["To"].addresses[0].addr_spec == "anne@example.org"
    assert re.search(rb"^Bcc:", raw, re.M) is None


def test_date_is_the_given_rfc5322_date_or_refused(template):
    raw = template.for_member(
        "a@example.org", None, URL, MAILTO, "<x@y.example>", "Mon, 30 Nov 2026 09:00:00 +0100"
    )
    assert strict(raw)["Date"] == "Mon, 30 Nov 2026 09:00:00 +0100"
    with pytest.raises(PlpError, match="Date"):
        template.for_member("a@example.org", None, URL, MAILTO, "<x@y.example>", "now\r\nBcc: x")


def test_content_cannot_smuggle_a_placeholder(project, template):
    with pytest.raises(PlpError, match="reserved"):
        fill(template, name="Anne %%PLP_TO%%")
    project.write({"smuggle.fr.md": message("Piège", body="Votre adresse : %%PLP_TO%%")})
    # `plp check` refuses it first, naming the file and line ...
    with pytest.raises(ContentError, match=r"smuggle\.fr\.md:7: the text contains '%%PLP_'"):
        project.content()
    # ... and compose still refuses it, should content ever skip the check.
    content, _ = read_content(project.config.content_dir)
    bulletin = assemble(content, "montgare-gare", number=3, on=TODAY)
    edition = Renderer(project.config, content).render(bulletin, "fr")
    with pytest.raises(PlpError, match="reserved by plp, in a message or the note"):
        compose(project.config, bulletin, edition)


@pytest.mark.parametrize("length", range(10, 60, 3))
def test_every_member_header_appears_once_however_the_headers_fold(project, length):
    # A List-Id just too long for the first line folds right after its colon; the per-member
    # headers must be there whatever the PLP's name.
    name = ("PLP Rivebois-Centre-et-environs-de-la-vallée" * 2)[:length]
    content = project.content()
    bulletin = assemble(content, "rivebois-centre", number=3, on=TODAY)
    bulletin = replace(bulletin, plp=replace(bulletin.plp, names={"fr": name}))
    edition = Renderer(project.config, content).render(bulletin, "fr")
    message = strict(fill(compose(project.config, bulletin, edition)))
    for header in ("To", "Date", "Message-ID", "List-Unsubscribe", "List-Id", "Subject"):
        assert len(message.get_all(header) or []) == 1, (header, name)
