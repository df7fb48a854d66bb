"""A real Postfix on loopback, configured into a temporary folder: the relay the README tells a
deployment to point `PLP_SMTP_URL` at, relaying on to a loopback sink the test reads.

Debian's `postfix` package provides the binaries; nothing of the system's own Postfix (its
/etc/postfix, its queue, port 25) is used or touched. The master runs as root (Postfix requires
it) and drops to the `postfix` user for its daemons, as in production.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

POSTFIX = shutil.which("postfix") or "/usr/sbin/postfix"

# The services a relay needs, chroot off (a chroot would need copies of /etc files in the queue).
MASTER = """\
{listen} inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n -  0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n -  - trivial-rewrite
bounce    unix  - - n -  0 bounce
defer     unix  - - n -  0 bounce
trace     unix  - - n -  0 bounce
verify    unix  - - n -  1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -  - proxymap
smtp      unix  - - n -  - smtp
relay     unix  - - n -  - smtp
showq     unix  n - n -  - showq
error     unix  - - n -  - error
retry     unix  - - n -  - error
discard   unix  - - n -  - discard
anvil     unix  - - n -  1 anvil
scache    unix  - - n -  1 scache
postlog   unix-dgram n - n - 1 postlogd
"""


def available() -> bool:
    """Debian's postfix is installed and we may start it (its master must run as root)."""
    return Path(POSTFIX).exists() and os.geteuid() == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Postfix:
    """One private Postfix instance: SMTP on 127.0.0.1:port, relaying everything to `relayhost`.

    `recipients` is its access map: `set_access({"x@example.org": "450 4.2.0 try later"})`
    makes Postfix itself answer that at RCPT, as a relay does when it must defer or refuse.
    """

    def __init__(self, relay_port: int):
        # Not under pytest's tmp_path: its folders are root's alone, and Postfix's daemons run as
        # the postfix user, who must reach the data folder.
        self.folder = Path(tempfile.mkdtemp(prefix="plp-postfix-"))
        self.folder.chmod(0o755)
        self.port = free_port()
        self.relay_port = relay_port
        self.conf = self.folder / "conf"
        self.log = self.folder / "maillog"

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> Postfix:
        self.conf.mkdir()
        queue, data = self.folder / "queue", self.folder / "data"
        queue.mkdir()
        data.mkdir()
        shutil.chown(data, "postfix")
        self.access = self.conf / "recipients"
        self.access.write_text("")
        main = {
            "compatibility_level": "3.6",
            "queue_directory": queue,
            "data_directory": data,
            "mail_owner": "postfix",
            "setgid_group": "postdrop",
            # Not the sink's greeting name, or Postfix would see a mail loop.
            "myhostname": "relay.plp.test",
            "mydestination": "",
            "local_recipient_maps": "",
            "alias_maps": "",
            "alias_database": "",
            "inet_interfaces": "127.0.0.1",
            "inet_protocols": "ipv4",
            "mynetworks": "127.0.0.0/8",
            "relayhost": f"[127.0.0.1]:{self.relay_port}",
            "smtp_dns_support_level": "disabled",
            "smtp_tls_security_level": "none",
            "smtpd_tls_security_level": "none",
            "smtpd_recipient_restrictions": (
                f"check_recipient_access texthash:{self.access}, permit_mynetworks, reject"
            ),
            # A downstream 4xx is retried soon, so a test sees the queue drain.
            "minimal_backoff_time": "1s",
            "maximal_backoff_time": "2s",
            "queue_run_delay": "1s",
            "maillog_file": self.log,
            "maillog_file_prefixes": self.folder,
            "syslog_name": "plp-test",
        }
        lines = [f"{key} = {value}" for key, value in main.items()]
        (self.conf / "main.cf").write_text("\n".join(lines) + "\n")
        listen = f"127.0.0.1:{self.port}"
        (self.conf / "master.cf").write_text(MASTER.format(listen=listen))
        self._postfix("start")
        self._wait_listening()
        return self

    def set_access(self, table: dict[str, str]) -> None:
        """Replace the access map (address → action) and make Postfix read it again."""
        self.access.write_text("".join(f"{k} {v}\n" for k, v in table.items()))
        self._postfix("reload")
        time.sleep(0.5)  # smtpd processes restart on their next connection

    def delivered(self) -> list[str]:
        """The log lines of messages Postfix handed to the sink."""
        text = self.log.read_text() if self.log.exists() else ""
        return [line for line in text.splitlines() if "status=sent" in line]

    def stop(self) -> None:
        self._postfix("stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _postfix(self, command: str, check: bool = True) -> None:
        # postfix(1) reports on a terminal or syslog only: `script` gives it a terminal, so a
        # failure reaches the test's output instead of vanishing.
        run = subprocess.run(
            ["script", "-qec", f"{POSTFIX} -c {self.conf} {command}", "/dev/null"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if check and (run.returncode != 0 or "fatal" in run.stdout):
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"postfix {command} failed: {run.stdout}{run.stderr}\n{log}")

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    if sock.recv(100).startswith(b"220"):
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"postfix did not listen on {self.port}:\n{self.log.read_text()}")
