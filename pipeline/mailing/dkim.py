"""Optional DKIM signature of ready messages, so the sending domain vouches for what it sends."""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..errors import ConfigError, Problem

# What a forwarder must not change without breaking the signature. Each name is listed twice
# ("oversigning", RFC 6376 §8.15): nobody can add a second From or List-Unsubscribe later.
SIGNED_HEADERS = (
    "From",
    "Reply-To",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "List-Id",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "MIME-Version",
    "Content-Type",
)


class DkimSigner:
    """Signs message bytes for one domain and selector with an RSA key."""

    def __init__(self, private_key: bytes, selector: str, domain: str):
        self._key = private_key
        self._selector = selector.encode("ascii")
        self._domain = domain.encode("ascii")
        self._headers = [h.lower().encode("ascii") for h in SIGNED_HEADERS] * 2

    @classmethod
    def from_config(cls, config: Config) -> DkimSigner | None:
        """A signer when PLP_DKIM_KEY and PLP_DKIM_SELECTOR are set, else None."""
        if not config.dkim_key_path and not config.dkim_selector:
            return None
        problems = []
        if not config.dkim_selector:
            problems.append(
                Problem(
                    "PLP_DKIM_SELECTOR",
                    0,
                    "a DKIM key is set but no selector",
                    "set the selector published in DNS (selector._domainkey)",
                )
            )
        key = _read_key(config.dkim_key_path, problems)
        if problems:
            raise ConfigError(problems)
        signer = cls(key, config.dkim_selector or "", config.sending_domain)
        from dkim import DKIMException

        try:  # fail at start-up, not on the first member
            signer.sign(b"From: check@" + signer._domain + b"\r\nSubject: check\r\n\r\nok\r\n")
        except DKIMException as exc:
            raise ConfigError(
                [
                    Problem(
                        str(config.dkim_key_path),
                        0,
                        f"unusable DKIM key: {exc}",
                        "use an RSA private key in PEM format",
                    )
                ]
            ) from None
        return signer

    def sign(self, data: bytes) -> bytes:
        """The message with a DKIM-Signature header in front."""
        # relaxed/relaxed survives the re-folding and whitespace changes relays commonly make.
        signature = _dkim().sign(
            data,
            self._selector,
            self._domain,
            self._key,
            canonicalize=(b"relaxed", b"relaxed"),
            include_headers=self._headers,
        )
        return signature + data


def _dkim():
    # dkimpy pulls in dnspython (40 ms): only load it when signing is configured.
    import dkim

    return dkim


def _read_key(path: Path | None, problems: list[Problem]) -> bytes:
    if path is None:
        problems.append(
            Problem(
                "PLP_DKIM_KEY",
                0,
                "a DKIM selector is set but no key file",
                "set PLP_DKIM_KEY to the private key (PEM)",
            )
        )
        return b""
    try:
        key = path.read_bytes()
    except OSError as exc:
        problems.append(
            Problem(str(path), 0, f"cannot read the DKIM key: {exc.strerror}", "check PLP_DKIM_KEY")
        )
        return b""
    if b"PRIVATE KEY-----" not in key:
        problems.append(
            Problem(
                str(path),
                0,
                "not a PEM private key",
                "generate one with `openssl genrsa -out dkim.pem 2048`",
            )
        )
    return key
