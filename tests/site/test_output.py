"""What a rebuild does to output/: rewrites only what changed, removes what no longer exists."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli.build import build
from pipeline.site.output import Output

from .conftest import ROOT


def test_unchanged_files_are_not_rewritten_and_stale_ones_go(tmp_path: Path):
    first = Output(tmp_path)
    first.write("a/index.html", "same")
    first.write("b/index.html", "old")
    first.write("gone/index.html", "bye")
    assert not (tmp_path / "a/index.html").exists()  # staged until the build has succeeded
    first.commit()
    stamp = (tmp_path / "a/index.html").stat().st_mtime_ns
    os.utime(tmp_path / "a/index.html", ns=(stamp - 10**9, stamp - 10**9))

    second = Output(tmp_path, retain=("CNAME",))
    (tmp_path / "CNAME").write_text("plp.example.org")
    second.write("a/index.html", "same")
    second.write("b/index.html", "new")
    assert second.commit() == 1
    assert (second.written, second.unchanged) == (1, 1)
    assert (tmp_path / "a/index.html").stat().st_mtime_ns == stamp - 10**9  # untouched
    assert (tmp_path / "b/index.html").read_text() == "new"
    assert not (tmp_path / "gone").exists()
    assert (tmp_path / "CNAME").read_text() == "plp.example.org"  # OUTPUT_RETENTION


def test_a_removed_message_disappears_from_the_site(tmp_path: Path):
    shutil.copyfile(ROOT / "pelicanconf.py", tmp_path / "pelicanconf.py")
    shutil.copytree(ROOT / "theme", tmp_path / "theme")
    shutil.copytree(ROOT / "content", tmp_path / "content")
    env = {"PLP_TODAY": "2026-11-29"}
    runner = CliRunner()
    assert runner.invoke(build, [], obj={"root": str(tmp_path)}, env=env).exit_code == 0
    page = tmp_path / "output/nl/messages/bike-theft-station-bergveld/index.html"
    assert page.is_file()
    for source in (tmp_path / "content/messages").rglob("bike-theft-station-bergveld.*.md"):
        source.unlink()
    result = runner.invoke(build, [], obj={"root": str(tmp_path)}, env=env)
    assert result.exit_code == 0, result.output
    assert not page.exists() and not page.parent.exists()
    hub = (tmp_path / "output/nl/plp/bergveld-centrum/index.html").read_text(encoding="utf-8")
    assert "bike-theft-station-bergveld" not in hub


def test_a_cold_cache_renders_in_worker_processes_exactly_as_in_one(tmp_path: Path, monkeypatch):
    from pipeline.markup import render_markdown
    from pipeline.site import output

    sources = [
        f"## Titel {i}\n\n- punt *{i}*\n- <script>x()</script> [a](javascript:x)" for i in range(40)
    ]
    serial = output.RenderCache(tmp_path / "serial.json", "v1")
    assert serial.prefill(sources, render_markdown) == 40
    monkeypatch.setattr(output, "PARALLEL_FROM", 10)  # the small set takes the worker path
    parallel = output.RenderCache(tmp_path / "parallel.json", "v1")
    assert parallel.prefill(sources, render_markdown) == 40
    assert parallel.prefill(sources, render_markdown) == 0  # cached now
    for source in sources:
        html = parallel.get(source, lambda _: "not from the cache")
        assert html == serial.get(source, lambda _: "not from the cache")
        assert "<script" not in html and "javascript:" not in html


def test_a_build_that_fails_halfway_leaves_output_as_it_was(tmp_path: Path, monkeypatch):
    from pipeline.site import builder

    shutil.copyfile(ROOT / "pelicanconf.py", tmp_path / "pelicanconf.py")
    shutil.copytree(ROOT / "theme", tmp_path / "theme")
    shutil.copytree(ROOT / "content", tmp_path / "content")
    env = {"PLP_TODAY": "2026-11-29"}
    runner = CliRunner()
    first = runner.invoke(build, ["--plp", "bergveld-centrum"], env=env, obj={"root": tmp_path})
    assert first.exit_code == 0, first.output
    before = {p: p.read_bytes() for p in (tmp_path / "output").rglob("*") if p.is_file()}
    assert before

    def broken(*args, **kwargs):
        raise RuntimeError("the feed writer broke after the pages were rendered")

    monkeypatch.setattr(builder, "render_feed", broken)
    with pytest.raises(RuntimeError, match="feed writer broke"):
        runner.invoke(build, [], env=env, obj={"root": tmp_path}, catch_exceptions=False)
    after = {p: p.read_bytes() for p in (tmp_path / "output").rglob("*") if p.is_file()}
    assert after == before  # not one page of the half-done build, nothing removed
