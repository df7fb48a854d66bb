"""The console as the wrong person meets it: another PLP's coordinator, a replayed, expired or
altered link, a form without its token, a flood of link requests."""

from __future__ import annotations

import re
import time
from unittest import mock

import httpx
import pytest
from itsdangerous import URLSafeTimedSerializer

from pipeline.tokens import SIGNIN_SALT
from pipeline.web.app import ROUTES

from .conftest import SECRET
from .console_fixtures import PLP_A, PLP_B, console_fixture, csrf  # noqa: F401

A = f"/coordinator/{PLP_A}"
OTHER_ROLE_PLP = "bergveld-handelskern"
SIGNER = URLSafeTimedSerializer(SECRET, salt=SIGNIN_SALT)


def console_urls(plp: str) -> list[tuple[str, str]]:
    """(method, path) of every console route of one PLP, from the route table itself."""
    found = []
    values = {"plp": plp, "lang": "nl", "member": "1"}
    for route in ROUTES:
        if not route.path.startswith("/coordinator/{plp}"):
            continue
        path = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: values[m[1]], route.path)
        found += [(method, path) for method in sorted(route.methods - {"HEAD"})]
    return found


def test_every_console_url_of_another_plp_answers_404_like_an_unknown_plp(console):
    client = console.sign_in(PLP_A)
    walked = console_urls(PLP_B)
    assert len(walked) >= 13
    unknown = client.get("/coordinator/no-such-plp/")
    assert unknown.status_code == 404
    for method, path in walked:
        answer = client.request(method, path, data={"csrf": "x"})
        assert answer.status_code == 404, (method, path)
        assert answer.text == unknown.text
    for path in (f"{A}/", f"{A}/members", f"{A}/members.csv", f"{A}/audit"):  # their own
        assert client.get(path).status_code == 200, path


def test_not_signed_in_every_console_url_leads_to_the_sign_in_page_only(console):
    client = console.client()
    for method, path in console_urls(PLP_A):
        answer = client.request(method, path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/coordinator/"


def _post_link(console, link: str) -> httpx.Response:
    client = console.client("192.0.2.50")
    path = link.split(str(console.port), 1)[1]
    form = client.get(path)
    return client.post(path, data={"csrf": csrf(form.text)}, follow_redirects=False)


def _link(console, slug: str) -> str:
    return console.plp("coordinator", "link", console.role(slug)).stdout.strip()


def test_a_link_works_once_and_is_bound_to_its_address(console):
    link = _link(console, PLP_A)
    token = link.rsplit("/", 1)[1]
    nonce, address = SIGNER.loads(token)
    assert address == console.role(PLP_A)
    forged = SIGNER.dumps([nonce, console.role(PLP_B)])  # A's link, B's address
    assert _post_link(console, link.replace(token, forged)).status_code == 400
    assert _post_link(console, link).status_code == 303
    replayed = _post_link(console, link)
    assert replayed.status_code == 400 and "used already" in replayed.text
    assert _post_link(console, link[:-3] + "abc").status_code == 400  # altered


def test_an_expired_link_is_refused(console):
    with mock.patch("itsdangerous.timed.time.time", return_value=time.time() - 16 * 60):
        old = SIGNER.dumps(["nonce-of-long-ago", console.role(PLP_A)])
    refused = _post_link(console, f"{console.url}/coordinator/signin/{old}")
    assert refused.status_code == 400 and "expired" in refused.text


def test_a_link_of_an_address_that_coordinates_nothing_is_refused(console):
    stranger = SIGNER.dumps(["some-nonce", "someone@example.org"])
    assert _post_link(console, f"{console.url}/coordinator/signin/{stranger}").status_code == 400
    failed = console.plp_fails("coordinator", "link", "someone@example.org")
    assert failed.returncode == 1 and "coordinator's address of no PLP" in failed.stderr


def test_sign_out_ends_the_session_and_voids_unused_links(console):
    unused = _link(console, PLP_A)
    client = console.sign_in(PLP_A)
    cookie = client.cookies["plp_console"]
    page = client.get(f"{A}/")
    action = "/coordinator/signout"
    out = client.post(action, data={"csrf": csrf(page.text, action)}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/coordinator/"
    thief = console.client()
    thief.cookies.set("plp_console", cookie, path="/coordinator")
    assert thief.get(f"{A}/", follow_redirects=False).status_code == 303
    assert _post_link(console, unused).status_code == 400
    audit = console.sign_in(PLP_A).get(f"{A}/audit").text
    assert "<td>sign-out</td>" in audit


def test_the_session_cookie_is_httponly_strict_and_scoped_and_no_redirect_is_open(console):
    client = console.client("192.0.2.60")
    link = _link(console, PLP_A)
    path = link.split(str(console.port), 1)[1]
    form = client.get(path + "?next=https://evil.example/")
    done = client.post(
        path + "?next=https://evil.example/",
        data={"csrf": csrf(form.text)},
        follow_redirects=False,
    )
    assert done.headers["location"] == "/coordinator/"
    cookie = done.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/coordinator" in cookie
    assert "secure" not in cookie  # http on loopback; Secure when PLP_WEB_URL is https
    assert re.search(r"max-age=\d+", cookie)


def test_forms_without_their_token_or_with_another_sessions_are_refused(console):
    client, other = console.sign_in(PLP_A), console.sign_in(PLP_A, "192.0.2.11")
    page = client.get(f"{A}/")
    assert client.post(f"{A}/draft", data={"note": "x"}).status_code == 403
    other_page = other.get(f"{A}/")
    assert other_page.status_code == 200, other_page.text
    theirs = csrf(other_page.text, f"{A}/draft")
    assert client.post(f"{A}/draft", data={"note": "x", "csrf": theirs}).status_code == 403
    wrong_form = csrf(page.text, "/coordinator/signout")
    assert client.post(f"{A}/draft", data={"note": "x", "csrf": wrong_form}).status_code == 403
    anonymous = console.client()
    assert anonymous.post("/coordinator/", data={"email": "a@b.test"}).status_code == 403
    assert "Bulletin 1 of" not in client.get(f"{A}/").text  # nothing was drafted


def test_every_form_of_the_console_refuses_a_post_without_its_token(console):
    """The walk of every POST route of one's own PLP, and the sign-in and sign-out forms:
    no token, or a token of another form, is 403 and changes nothing."""
    client = console.sign_in(PLP_A)
    posts = [path for method, path in console_urls(PLP_A) if method == "POST"]
    posts += ["/coordinator/signout", "/coordinator/signin/any-token"]
    assert len(posts) >= 9
    before = client.get(f"{A}/audit").text.count("<tr>")
    page = client.get(f"{A}/")
    for path in posts:
        for data in ({}, {"csrf": "forged"}, {"csrf": csrf(page.text, f"{A}/draft")}):
            if path == f"{A}/draft" and data.get("csrf") not in (None, "forged"):
                continue  # that one is this form's own token
            answer = client.post(path, data={**data, "number": "1", "note": "x"})
            assert answer.status_code == 403, (path, data)
            assert "This form has expired" in answer.text
    assert client.get(f"{A}/").status_code == 200  # still signed in: the sign-out was refused
    assert client.get(f"{A}/audit").text.count("<tr>") == before  # nothing was done


def test_console_pages_carry_the_members_pages_headers(console):
    client = console.sign_in(PLP_A)
    for path in ("/coordinator/", f"{A}/", f"{A}/members", f"{A}/audit"):
        headers = client.get(path).headers
        assert headers["x-frame-options"] == "DENY", path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["cache-control"] == "no-store"


def test_the_answer_is_the_same_for_any_address_and_requests_are_limited(console):
    role = console.role(OTHER_ROLE_PLP)
    answers = set()
    for address in (role, "nobody@example.org"):
        for i in range(5):
            client = console.client(f"198.51.100.{i}")
            form = client.get("/coordinator/")
            answer = client.post("/coordinator/", data={"email": address, "csrf": csrf(form.text)})
            assert answer.status_code == 200
            answers.add(re.sub(r'value="[^"]+"', "", answer.text))
        client = console.client("198.51.100.99")
        form = client.get("/coordinator/")
        over = client.post("/coordinator/", data={"email": address, "csrf": csrf(form.text)})
        assert over.status_code == 429, address  # per address, whoever asks
    assert len(answers) == 1  # nothing tells a coordinator's address from another
    assert len(console.links_to(role)) == 5
    client = console.client("203.0.113.7")
    for i in range(10):
        form = client.get("/coordinator/")
        data = {"email": f"x{i}@example.org", "csrf": csrf(form.text)}
        assert client.post("/coordinator/", data=data).status_code == 200
    form = client.get("/coordinator/")
    data = {"email": "x99@example.org", "csrf": csrf(form.text)}
    assert client.post("/coordinator/", data=data).status_code == 429  # per client


@pytest.mark.parametrize("lang", ["fr", "nl", "de", "en"])
def test_the_sign_in_page_speaks_the_coordinators_language(console, lang):
    page = console.client().get("/coordinator/", headers={"Accept-Language": lang})
    assert f'<html lang="{lang}">' in page.text
    expected = {
        "fr": "Envoyez-moi un lien de connexion",
        "nl": "Stuur me een aanmeldlink",
        "de": "Anmeldelink senden",
        "en": "Send me a sign-in link",
    }[lang]
    assert expected in page.text
