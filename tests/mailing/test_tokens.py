"""Unsubscribe tokens cannot be forged, altered or replayed elsewhere; the secret is made once."""

from __future__ import annotations

import stat

import pytest
from itsdangerous import URLSafeSerializer

from pipeline.errors import PlpError
from pipeline.state.members import Member, MemberStatus
from pipeline.tokens import UnsubscribeTokens, load_secret, pseudonym

from .conftest import PLP, SECRET

MEMBER = Member(42, PLP, "jan@example.org", "Jan", "nl", MemberStatus.ACTIVE, None)  # type: ignore[arg-type]


@pytest.fixture
def tokens():
    return UnsubscribeTokens(SECRET)


def test_a_token_names_the_member_and_the_plp(tokens):
    token = tokens.make_token(MEMBER)
    assert tokens.read_token(token) == (42, PLP)
    assert tokens.read_token(token, plp=PLP) == (42, PLP)
    assert "jan" not in token.lower()  # links carry no address


def test_an_altered_token_is_refused(tokens):
    token = tokens.make_token(MEMBER)
    payload, signature = token.rsplit(".", 1)
    for altered in (
        payload + "." + signature[:-1] + ("A" if signature[-1] != "A" else "B"),
        tokens.make_token(MEMBER)[:-4],
        URLSafeSerializer("x").dumps([43, PLP]).split(".")[0] + "." + signature,
    ):
        with pytest.raises(PlpError, match="not valid"):
            tokens.read_token(altered)


def test_a_token_forged_with_another_secret_is_refused(tokens):
    forged = UnsubscribeTokens("another-secret-" + "y" * 40).make_token(MEMBER)
    with pytest.raises(PlpError, match="not valid"):
        tokens.read_token(forged)


def test_a_token_signed_for_another_purpose_is_refused(tokens):
    other_purpose = URLSafeSerializer(SECRET, salt="plp.something-else").dumps([42, PLP])
    with pytest.raises(PlpError, match="not valid"):
        tokens.read_token(other_purpose)
    wrong_shape = URLSafeSerializer(SECRET, salt="plp.unsubscribe.v1").dumps({"id": 42})
    with pytest.raises(PlpError, match="not valid"):
        tokens.read_token(wrong_shape)


def test_a_token_of_another_plp_is_refused(tokens):
    token = tokens.make_token(MEMBER)
    with pytest.raises(PlpError, match="belongs to another PLP, not 'florval-centre'"):
        tokens.read_token(token, plp="florval-centre")


def test_the_secret_is_generated_once_and_private(make_config):
    config = make_config(secret=None)
    first = load_secret(config)
    path = config.var_dir / "secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(first) >= 32
    assert load_secret(config) == first
    assert load_secret(make_config(secret="from-the-environment")) == "from-the-environment"
    path.write_text("short\n")
    with pytest.raises(PlpError, match="too short"):
        load_secret(config)


def test_pseudonyms_are_stable_case_blind_and_keyed():
    a = pseudonym(SECRET, "Jan@example.org")
    assert a == pseudonym(SECRET, "jan@example.org") and len(a) == 64
    assert a != pseudonym("other-secret", "jan@example.org")
    assert a != pseudonym(SECRET, "jan2@example.org")
