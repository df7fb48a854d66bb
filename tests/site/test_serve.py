"""`plp serve`'s parts: the local server answers, and a change under watch triggers a rebuild."""

from __future__ import annotations

import threading
import time
import urllib.request

from pipeline.site.serve import start_server, watch


def test_server_serves_the_built_site(sample_site):
    out, _ = sample_site
    server = start_server(out, "127.0.0.1", 0)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/nl/plp/bergveld-centrum/feed.xml"
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.status == 200 and b"<rss" in response.read()
    finally:
        server.shutdown()


def test_a_changed_file_triggers_one_rebuild(tmp_path):
    watched = tmp_path / "content"
    watched.mkdir()
    (watched / "a.md").write_text("one", encoding="utf-8")
    rebuilt = threading.Event()
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=([watched], rebuilt.set), kwargs={"interval": 0.05, "stop": stop}
    )
    thread.start()
    try:
        time.sleep(0.2)
        assert not rebuilt.is_set()
        (watched / "b.md").write_text("two", encoding="utf-8")
        assert rebuilt.wait(5), "no rebuild after a new file"
    finally:
        stop.set()
        thread.join(5)
