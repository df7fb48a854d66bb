"""A bulletin goes out only as the coordinator approved it, byte for byte."""

from __future__ import annotations

import hashlib

import pytest

from pipeline.errors import DeliveryError
from pipeline.state import open_store
from tests.postgres import both_backends  # noqa: F401 - runs each test on SQLite and PostgreSQL

from .conftest import PLP

REVIEWED = hashlib.sha256(b"bulletin 7 as reviewed").hexdigest()
CHANGED = hashlib.sha256(b"bulletin 7 with a late edit").hexdigest()


@pytest.fixture
def approvals(state):
    return state.approvals


def test_an_unapproved_bulletin_is_refused_with_what_to_do(approvals):
    with pytest.raises(DeliveryError) as caught:
        approvals.check_approved(PLP, 7, REVIEWED)
    message = str(caught.value)
    assert "bulletin 7 of PLP bergveld-centrum is not approved" in message
    assert f"`plp bulletin approve {PLP} 7`" in message and "test copy" in message


def test_the_approved_content_passes(approvals, config):
    approvals.approve(PLP, 7, REVIEWED, "Coördinator BIN")
    with open_store(config) as again:  # kept on disk
        approval = again.approvals.check_approved(PLP, 7, REVIEWED)
    assert (approval.approved_by, approval.content_hash) == ("Coördinator BIN", REVIEWED)
    with pytest.raises(DeliveryError, match="not approved"):
        approvals.check_approved(PLP, 8, REVIEWED)  # another bulletin
    with pytest.raises(DeliveryError, match="not approved"):
        approvals.check_approved("florval-centre", 7, REVIEWED)  # another PLP


def test_content_changed_since_approval_is_refused_until_approved_again(approvals):
    approvals.approve(PLP, 7, REVIEWED, "Coördinator BIN")
    with pytest.raises(
        DeliveryError,
        match=r"changed since Coördinator BIN approved it on .*"
        r"nothing was sent.*plp bulletin approve bergveld-centrum 7",
    ):
        approvals.check_approved(PLP, 7, CHANGED)
    approvals.approve(PLP, 7, CHANGED, "Coördinator BIN")
    assert approvals.check_approved(PLP, 7, CHANGED).content_hash == CHANGED
    with pytest.raises(DeliveryError, match="changed since"):
        approvals.check_approved(PLP, 7, REVIEWED)  # the latest approval counts


def test_only_a_sha256_can_be_approved(approvals):
    with pytest.raises(ValueError, match="sha256"):
        approvals.approve(PLP, 7, "not-a-hash", "x")
