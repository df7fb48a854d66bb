"""A coordinator whose role address is on an internationalised domain (the registry holds it in
ASCII, xn--…) asks for a sign-in link with the address as they write it, accents and all: the
e-mail comes, its To header carries the domain in its ASCII form, and the link signs them in."""

from __future__ import annotations

import shutil

import pytest

from .conftest import REPO, free_port
from .console_fixtures import Console, csrf

ROLE = "binz.handelskern@bergveld.test"
IDN_ROLE = "binz.handelskern@bürgerwacht.test"  # as the coordinator types it
ASCII_ROLE = "binz.handelskern@xn--brgerwacht-9db.test"  # as the registry holds it


@pytest.fixture(scope="module")
def idn_console(tmp_path_factory):
    root = tmp_path_factory.mktemp("idn-console")
    for name in ("content", "theme"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pelicanconf.py", root / "pelicanconf.py")
    registry = root / "content" / "registry" / "plps.yaml"
    text = registry.read_text(encoding="utf-8")
    assert ROLE in text
    registry.write_text(text.replace(ROLE, ASCII_ROLE), encoding="utf-8")
    svc = Console(root, free_port())
    svc.start()
    yield svc
    svc.stop()


def test_the_sign_in_mail_to_an_idn_role_address_is_addressed_in_ascii(idn_console):
    client = idn_console.client()
    form = client.get("/coordinator/")
    asked = client.post("/coordinator/", data={"email": IDN_ROLE, "csrf": csrf(form.text)})
    assert asked.status_code == 200
    [raw] = [
        p.read_bytes()
        for p in (idn_console.root / "var" / "outbox").glob("*.eml")
        if b"signin" in p.read_bytes()
    ]
    head = raw.split(b"\r\n\r\n", 1)[0].replace(b"\r\n", b"\n")
    assert f"\nTo: {ASCII_ROLE}\n".encode() in head  # not an encoded word, not raw UTF-8
    # The link in it signs the coordinator in, as from any other role address.
    [link] = idn_console.links_to(ASCII_ROLE)
    path = link.split(str(idn_console.port), 1)[1]
    page = client.get(path)
    done = client.post(path, data={"csrf": csrf(page.text)})
    assert done.status_code == 303
    home = client.get("/coordinator/", follow_redirects=True)
    assert home.status_code == 200 and 'href="/coordinator/bergveld-handelskern/"' in home.text
