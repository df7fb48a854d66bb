"""The members' routes against a real `plp web` (started through the CLI), walked as the right
and as the wrong user."""

from __future__ import annotations

import asyncio
import json
import re
import time
from unittest import mock

import httpx
import itsdangerous.timed
import pytest

from pipeline.state.members import MemberStatus
from pipeline.tokens import ConfirmTokens, PreferencesTokens, UnsubscribeTokens

from .conftest import SECRET, csrf_of

PLP = "bergveld-centrum"  # a sample PLP in Dutch


def sample_bulletin(service, skip: int = 0):
    """(address, bulletin) of a demo member of any PLP."""
    found = [m for m in service.outbox().values() if m["List-Unsubscribe"] and m["To"] is not None]
    message = found[skip]
    return message["To"].addresses[0].addr_spec, message


def one_click_url(message) -> str:
    return re.fullmatch(r"<(https?://\S+/unsubscribe/[\w.-]+)>", message["List-Unsubscribe"])[1]


def preferences_url(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(r"https?://\S+/preferences/[\w.-]+", text)[0]


def confirmations(service, address: str) -> list:
    return [
        m
        for m in service.outbox().values()
        if m["List-Unsubscribe"] is None and address in str(m["To"])
    ]


def subscribe(client, address: str, *, lang: str = "nl", origin: str | None = None):
    headers = {"Origin": origin} if origin else {}
    page = client.get(f"/subscribe/{PLP}?lang={lang}")
    data = {"email": address, "name": "Jan", "language": lang, "csrf": csrf_of(page.text)}
    if origin:
        del data["csrf"]
    return client.post(f"/subscribe/{PLP}", data=data, headers=headers)


def test_subscribe_confirm_makes_an_active_member_with_its_consent(service):
    address = "nieuw.lid@example.org"
    with service.client("192.0.2.10") as client:
        answer = subscribe(client, address, origin=service.url)  # the hub's form: no token
        assert answer.status_code == 200
        assert "48" in answer.text and address not in answer.text
        with pytest.raises(ValueError):
            service.member(address, PLP)  # nothing yet: a sign-up is not a member
        [mail] = confirmations(service, address)
        assert mail["Subject"].startswith("Bevestig uw inschrijving")
        link = re.search(r"https?://\S+/confirm/[\w.-]+", mail.get_content())[0]
        page = client.get(link)
        assert page.status_code == 200 and "<button" in page.text
        with pytest.raises(ValueError):
            service.member(address, PLP)  # a GET changes nothing
        consent_text = re.search(r'<p class="consent">([^<]+)</p>', page.text)[1]
        done = client.post(link, data={"csrf": csrf_of(page.text)})
        assert done.status_code == 200
        used = client.post(link, data={"csrf": csrf_of(page.text)})
        assert used.status_code == 410  # the link was used: nothing more happens
    member = service.member(address, PLP)
    assert member.status is MemberStatus.ACTIVE and member.language == "nl"
    [consent] = service.consents(address)
    assert consent["method"] == "web form" and consent["version"] == "web-form-1"
    assert consent["language"] == "nl" and consent["recorded_at"]
    assert consent["text"] == consent_text.replace("&#39;", "'")


def test_one_click_unsubscribe_from_a_delivered_bulletins_header(service):
    address, message = sample_bulletin(service)
    url = one_click_url(message)
    plp = UnsubscribeTokens(SECRET).read_token(url.rsplit("/", 1)[1])[1]
    with service.client() as client:
        page = client.get(url)
        assert page.status_code == 200 and page.text.count("<button") == 1
        assert service.member(address, plp).status is MemberStatus.ACTIVE  # GET: no change
        for _ in range(2):  # idempotent
            done = client.post(url, content=b"List-Unsubscribe=One-Click", headers={
                "Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
            assert done.status_code == 200
            assert "set-cookie" not in done.headers and "location" not in done.headers
            assert done.text == "Unsubscribed.\n" and done.headers["content-type"].startswith(
                "text/plain"
            )
            assert "frame-ancestors 'none'" in done.headers["content-security-policy"]
        assert service.member(address, plp).status is MemberStatus.UNSUBSCRIBED
        again = client.get(url)
        assert again.status_code == 200 and "/subscribe/" in again.text  # offers to come back


def test_bad_tokens_are_refused_and_change_nothing(service):
    address, message = sample_bulletin(service, skip=1)
    unsubscribe_token = one_click_url(message).rsplit("/", 1)[1]
    member_id, plp = UnsubscribeTokens(SECRET).read_token(unsubscribe_token)
    member = service.member(address, plp)
    preferences = PreferencesTokens(SECRET).make_token(member)
    confirm = ConfirmTokens(SECRET).make_token(member_id, plp)
    forged = UnsubscribeTokens("another-secret-of-at-least-32-characters").make_token(member)
    altered = unsubscribe_token[:-2] + ("AA" if unsubscribe_token[-2:] != "AA" else "BB")
    swapped = UnsubscribeTokens(SECRET).make_token(type("M", (), {"id": member_id, "plp": "x"}))
    with mock.patch.object(itsdangerous.timed.time, "time", return_value=time.time() - 49 * 3600):
        expired = ConfirmTokens(SECRET).make_token(1, PLP)
    with service.client() as client:
        for token in (forged, altered, preferences, confirm, swapped):
            one_click = client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
            assert one_click.status_code == 400, token
            assert client.get(f"/unsubscribe/{token}").status_code == 400
        for token in (forged, unsubscribe_token, confirm):
            assert client.get(f"/preferences/{token}").status_code == 400
        refused = client.get(f"/confirm/{expired}")
        assert refused.status_code == 410 and "<button" not in refused.text
        assert client.get(f"/confirm/{unsubscribe_token}").status_code == 400
    assert service.member(address, plp).status is MemberStatus.ACTIVE


def test_state_changing_forms_without_their_csrf_token_are_refused(service):
    address, message = sample_bulletin(service, skip=2)
    prefs = preferences_url(message)
    with service.client("192.0.2.20") as client:
        for path in ("/leave", "/language", "/erase"):
            assert client.post(prefs + path, data={"language": "fr"}).status_code == 403
        # A token made for another form does not do either.
        other = csrf_of(client.get(prefs + "/erase").text)
        assert client.post(prefs + "/leave", data={"csrf": other}).status_code == 403
        assert client.post(one_click_url(message), data={"x": "1"}).status_code == 403
        sub = client.post(f"/subscribe/{PLP}", data={"email": "a@example.org"})
        assert sub.status_code == 403
        evil = client.post(
            f"/subscribe/{PLP}",
            data={"email": "b@example.org"},
            headers={"Origin": "https://evil.example"},
        )
        assert evil.status_code == 403
    assert service.member(address, message_plp(message)).status is MemberStatus.ACTIVE
    assert not confirmations(service, "a@example.org")


def message_plp(message) -> str:
    return UnsubscribeTokens(SECRET).read_token(one_click_url(message).rsplit("/", 1)[1])[1]


def test_rate_limits_answer_429_and_send_nothing(service):
    target = "stranger@example.net"
    codes = []
    for n in range(5):  # one address, from many clients: a bot mail-bombing a stranger
        with service.client(f"198.51.100.{n}") as client:
            codes.append(subscribe(client, target).status_code)
    assert codes == [200, 200, 200, 429, 429]
    assert len(confirmations(service, target)) == 3
    with service.client("203.0.113.7") as client:  # one client, many addresses
        codes = [subscribe(client, f"x{n}@example.net").status_code for n in range(12)]
    assert codes == [200] * 10 + [429] * 2
    assert not confirmations(service, "x10@example.net")


def test_no_enumeration_known_and_unknown_addresses_get_the_same_answer(service):
    known, _message = sample_bulletin(service, skip=3)
    answers = []
    for n, address in enumerate((known, "nobody.here@example.org")):
        with service.client(f"192.0.2.{50 + n}") as client:
            answers.append(subscribe(client, address, origin=service.url))
    assert [a.status_code for a in answers] == [200, 200]
    assert len(answers[0].content) == len(answers[1].content)
    assert answers[0].text == answers[1].text


def test_preferences_language_export_and_erase(service):
    address, message = sample_bulletin(service, skip=4)
    plp = message_plp(message)
    prefs = preferences_url(message)
    with service.client() as client:
        page = client.get(prefs)
        assert page.status_code == 200 and address in page.text  # the member's own page
        data = client.post(prefs + "/data", data={"csrf": csrf_of_form(page.text, "data")})
        assert data.status_code == 200 and "attachment" in data.headers["content-disposition"]
        exported = json.loads(data.text)
        assert exported["members"][0]["email"] == address
        assert exported["members"][0]["consent"] and exported["deliveries"]
        erase_page = client.get(prefs + "/erase")
        assert erase_page.text.count("<button") == 1
        assert service.member(address, plp).status is MemberStatus.ACTIVE  # GET: no change
        gone = client.post(prefs + "/erase", data={"csrf": csrf_of(erase_page.text)})
        assert gone.status_code == 200 and address not in gone.text
        assert client.get(prefs).status_code == 400  # erased: the link names nobody
    with pytest.raises(ValueError):
        service.member(address, plp)
    assert not any(address in str(m["To"]) for m in service.outbox().values())


def test_changing_the_language_and_leaving_from_the_preferences_page(service):
    address, message = sample_bulletin(service, skip=5)
    plp = message_plp(message)
    prefs = preferences_url(message)
    with service.client() as client:
        page = client.get(prefs)
        member = service.member(address, plp)
        languages = re.findall(r'<option value="(\w+)"', page.text)
        if len(languages) > 1:
            other = next(code for code in languages if code != member.language)
            saved = client.post(
                prefs + "/language", data={"csrf": csrf_of_form(page.text, "language"),
                                           "language": other})  # fmt: skip
            assert saved.status_code == 200 and f'lang="{other}"' in saved.text
            assert service.member(address, plp).language == other
            page = saved
        left = client.post(prefs + "/leave", data={"csrf": csrf_of_form(page.text, "leave")})
        assert left.status_code == 200
    assert service.member(address, plp).status is MemberStatus.UNSUBSCRIBED


def csrf_of_form(page: str, action: str) -> str:
    form = re.search(rf'action="[^"]*/{action}">\s*<input type="hidden" name="csrf" '
                     r'value="([^"]+)"', page)  # fmt: skip
    return form[1]


def test_security_headers_body_limit_and_a_log_without_addresses_or_tokens(service):
    address, message = sample_bulletin(service)
    with service.client() as client:
        page = client.get(one_click_url(message))
        csp = page.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["referrer-policy"]
        assert "<script" not in page.text
        big = client.post(f"/subscribe/{PLP}", content=b"email=" + b"a" * 20_000)
        assert big.status_code == 413
        assert client.get("/").status_code == 200  # the embedded default serves output/ too
    log = service.log.read_text()
    assert "POST /unsubscribe/{token}" in log
    assert address not in log and "@" not in log
    assert one_click_url(message).rsplit("/", 1)[1] not in log


def test_a_burst_of_one_click_posts_each_answered_once_its_own_change_is_stored(service):
    # As mailbox providers fire them after a send: at once, some forged, both encodings that
    # RFC 8058 allows. The forged ones must not undo the others written in the same commit.
    found = [m for m in service.outbox().values() if m["List-Unsubscribe"] and m["To"]]
    members = {one_click_url(m): m["To"].addresses[0].addr_spec for m in found[4:24]}
    forged = [url[:-3] + "xyz" for url in list(members)[:5]]

    async def burst():
        async with httpx.AsyncClient(timeout=30) as client:

            async def post(n: int, url: str):
                if n % 2:  # multipart/form-data, RFC 8058's SHOULD
                    return await client.post(url, files={"List-Unsubscribe": (None, "One-Click")})
                return await client.post(url, data={"List-Unsubscribe": "One-Click"})

            urls = list(members) + forged
            replies = await asyncio.gather(*map(post, range(len(urls)), urls))
            return dict(zip(urls, replies, strict=True))

    answers = asyncio.run(burst())
    for url in forged:
        assert answers[url].status_code == 400
    for url, address in members.items():
        assert answers[url].status_code == 200 and answers[url].text == "Unsubscribed.\n"
        plp = UnsubscribeTokens(SECRET).read_token(url.rsplit("/", 1)[1])[1]
        assert service.member(address, plp).status is MemberStatus.UNSUBSCRIBED


def test_every_way_a_sender_may_post_the_one_click_body_leaves_and_no_other_does(service):
    # The exact URL-encoded body takes the short path; the same body in pieces (chunked), with
    # another field, or with a charset still leaves; the same bytes as text/plain are no form.
    found = [m for m in service.outbox().values() if m["List-Unsubscribe"] and m["To"]]
    members = [(one_click_url(m), m["To"].addresses[0].addr_spec) for m in found[-4:]]
    form = "application/x-www-form-urlencoded"

    async def pieces():
        yield b"List-Unsubscribe="
        yield b"One-Click"

    ways = [
        {"content": pieces(), "headers": {"Content-Type": form}},
        {"content": b"List-Unsubscribe=One-Click&from=provider", "headers": {"Content-Type": form}},
        {
            "content": b"List-Unsubscribe=One-Click",
            "headers": {"Content-Type": form + "; charset=utf-8"},
        },
    ]

    async def post_all():
        async with httpx.AsyncClient(timeout=30) as client:
            answers = [
                await client.post(url, **way)
                for (url, _), way in zip(members[:3], ways, strict=True)
            ]
            plain = {"Content-Type": "text/plain"}
            refused = await client.post(
                members[3][0], content=b"List-Unsubscribe=One-Click", headers=plain
            )
            return answers, refused

    answers, refused = asyncio.run(post_all())
    for answer, (url, address) in zip(answers, members[:3], strict=True):
        assert answer.status_code == 200 and answer.text == "Unsubscribed.\n"
        plp = UnsubscribeTokens(SECRET).read_token(url.rsplit("/", 1)[1])[1]
        assert service.member(address, plp).status is MemberStatus.UNSUBSCRIBED
    assert refused.status_code == 403  # no form, so no CSRF token: the page's refusal
    url, address = members[3]
    plp = UnsubscribeTokens(SECRET).read_token(url.rsplit("/", 1)[1])[1]
    assert service.member(address, plp).status is MemberStatus.ACTIVE


def test_an_address_the_bulletins_cannot_reach_is_refused_at_sign_up(service):
    """Accents before the @ need SMTPUTF8, which bulletins do not use (import refuses them too);
    accents after it are fine: that domain is mailed in its ASCII form."""
    with service.client("192.0.2.11") as client:
        answer = subscribe(client, "zoë@example.org")
        assert answer.status_code == 400
        assert "accenten of andere niet-ASCII-tekens vóór de @" in answer.text
        assert confirmations(service, "zoë@example.org") == []
        fine = subscribe(client, "zoe@bücher.example")
        assert fine.status_code == 200
    [mail] = confirmations(service, "zoe@xn--bcher-kva.example")
    assert mail["To"].addresses[0].addr_spec == "zoe@xn--bcher-kva.example"  # no encoded word


@pytest.mark.parametrize("lang", ["fr", "nl", "de", "en"])
def test_the_footer_of_every_page_links_the_police_numbers_for_a_tap_on_a_phone(service, lang):
    with service.client() as client:
        page = client.get(f"/subscribe/{PLP}", headers={"Accept-Language": lang})
        missing = client.get("/unsubscribe/forged", headers={"Accept-Language": lang})
    assert f'<html lang="{lang}">' in missing.text  # a refused link's page, in that language
    for text in (page.text, missing.text):
        footer = re.search(r"<footer.*?</footer>", text, re.S)[0]
        assert '<a href="tel:101">101</a>' in footer and '<a href="tel:112">112</a>' in footer
