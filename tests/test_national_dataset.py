"""The national benchmark data set: deterministic, valid, realistic, and free of personal data."""

from __future__ import annotations

import csv
import random
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks import national  # noqa: E402
from benchmarks.fake_registry import build_registry  # noqa: E402

SMALL = {"seed": 7, "plps": 60, "messages": 120, "members": 500}
CATEGORIES = {"prevention", "modus-operandi", "crime-trend", "police-feedback", "plp-life"}
PLATE = re.compile(r"\b\d-[A-Z]{3}-\d{3}\b|\b[A-Z]{3}-\d{3}\b|\b\d{3}-[A-Z]{3}\b")
PHONE = re.compile(r"\+?\d[\d ./-]{5,}\d")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LAST_DAY = date(2026, 11, 28)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("national")
    national.generate(out, **SMALL)
    return out


@pytest.fixture(scope="module")
def registry(tree: Path) -> tuple[list[dict], list[dict]]:
    zones = yaml.safe_load((tree / "content/registry/zones.yaml").read_text(encoding="utf-8"))
    plps = yaml.safe_load((tree / "content/registry/plps.yaml").read_text(encoding="utf-8"))
    return zones, plps


@pytest.fixture(scope="module")
def messages(tree: Path) -> dict[Path, tuple[dict[str, str], str]]:
    return {
        path: parse(path.read_text(encoding="utf-8"))
        for path in sorted((tree / "content/messages").rglob("*.md"))
    }


def parse(text: str) -> tuple[dict[str, str], str]:
    """Split a content file into its metadata (lower-case keys) and its body."""
    head, body = text.split("\n\n", 1)
    fields = (line.split(":", 1) for line in head.splitlines())
    return {key.strip().lower(): value.strip() for key, value in fields}, body


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_same_seed_gives_identical_trees(tree: Path, tmp_path: Path) -> None:
    national.generate(tmp_path / "again", **SMALL)
    national.generate(tmp_path / "other", **{**SMALL, "seed": 8})
    assert snapshot(tmp_path / "again") == snapshot(tree)
    assert snapshot(tmp_path / "other") != snapshot(tree)


def test_rerun_leaves_files_alone_and_prunes_stale_ones(tmp_path: Path) -> None:
    national.generate(tmp_path, **SMALL)
    members = tmp_path / "members.csv"
    before = members.stat().st_mtime_ns
    national.generate(tmp_path, **SMALL)
    assert members.stat().st_mtime_ns == before
    fewer = national.generate(tmp_path, **{**SMALL, "messages": 30})
    assert len(list((tmp_path / "content/messages").rglob("*.md"))) == fewer.message_files


def test_refuses_a_content_tree_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "content/messages").mkdir(parents=True)
    (tmp_path / "content/messages/real.fr.md").write_text("Title: real\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        national.generate(tmp_path, **SMALL)
    assert (tmp_path / "content/messages/real.fr.md").exists()


def test_ensure_dataset_generates_once_per_parameters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    real = national.generate
    monkeypatch.setattr(national, "generate", lambda out, **kw: calls.append(kw) or real(out, **kw))
    assert national.ensure_dataset(tmp_path, **SMALL) == tmp_path
    national.ensure_dataset(tmp_path, **SMALL)
    assert len(calls) == 1
    national.ensure_dataset(tmp_path, **{**SMALL, "members": 50})
    assert len(calls) == 2
    with pytest.raises(TypeError):
        national.ensure_dataset(tmp_path, zones=3)


def test_national_proportions() -> None:
    reg = build_registry(random.Random("2026:registry"), 1059)
    langs = Counter(p.languages for p in reg.plps)
    assert langs[("nl",)] == 875
    assert langs[("fr",)] == 169
    assert langs[("de",)] + langs[("de", "fr")] == 9 and 1 <= langs[("de", "fr")] <= 4
    assert langs[("fr", "nl")] == 6
    regions = Counter(z.region for z in reg.zones)
    assert 175 <= len(reg.zones) <= 195
    assert 110 <= regions["flanders"] <= 130 and regions["east"] == 2
    assert 55 <= regions["wallonia"] + regions["east"] <= 65 and regions["brussels"] == 3
    kinds = Counter(p.kind for p in reg.plps)
    assert kinds["residential"] == round(1059 * 0.75)
    assert {k: round(100 * n / 1059) for k, n in kinds.items() if k != "residential"} == {
        "self-employed": 12,
        "rural": 8,
        "industrial": 5,
    }
    assert sum(p.status == "inactive" for p in reg.plps) == round(1059 * 0.03)


def test_registry_is_complete_and_consistent(registry: tuple[list[dict], list[dict]]) -> None:
    zones, plps = registry
    zone_ids = [z["id"] for z in zones]
    assert all(isinstance(i, str) and re.fullmatch(r"\d{4}", i) for i in zone_ids)
    assert len(set(zone_ids)) == len(zone_ids)
    assert len({z["phone"] for z in zones}) == len(zones)
    communes = {}
    for zone in zones:
        assert 2 <= len(zone["communes"]) <= 6
        assert re.fullmatch(r"\+32 \d{1,2} \d{2,3} \d{2} \d{2}", zone["phone"])
        assert re.fullmatch(r"https://www\.pz-[a-z0-9-]+\.test", zone["website"])
        assert zone.get("email") is None or zone["email"].endswith(".test")
        for commune in zone["communes"]:
            assert commune["id"] not in communes
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", commune["id"])
            assert commune["names"] and all(re.fullmatch(r"\d{4}", p) for p in commune["postcodes"])
            communes[commune["id"]] = commune
    slugs = [p["slug"] for p in plps]
    assert len(set(slugs)) == len(slugs) == SMALL["plps"]
    for plp in plps:
        commune = communes[plp["commune"]]
        assert set(plp["postcodes"]) <= set(commune["postcodes"])
        assert plp["kind"] in {"residential", "self-employed", "industrial", "rural"}
        assert plp["status"] in {"active", "inactive"}
        assert set(plp["names"]) == set(plp["languages"]) <= {"fr", "nl", "de"}
        assert plp["coordinator"]["email"].endswith(f"@{plp['commune']}.test")
        assert plp["coordinator"]["name"].startswith(
            ("Coördinatie", "Coordination", "Koordination")
        )
        assert "founded" not in plp or isinstance(plp["founded"], date)


def test_every_message_has_metadata_and_valid_targets(
    registry: tuple[list[dict], list[dict]], messages: dict[Path, tuple[dict[str, str], str]]
) -> None:
    zones, plps = registry
    plp_langs = {p["slug"]: set(p["languages"]) for p in plps}
    zone_of = {c["id"]: z["id"] for z in zones for c in z["communes"]}
    by_target = {f"plp:{p['slug']}": {p["slug"]} for p in plps}
    for zone in zones:
        by_target[f"zone:{zone['id']}"] = {
            p["slug"] for p in plps if zone_of[p["commune"]] == zone["id"]
        }
    for commune in zone_of:
        by_target[f"commune:{commune}"] = {p["slug"] for p in plps if p["commune"] == commune}
    by_target["all"] = set(plp_langs)
    keys: dict[str, list[dict[str, str]]] = {}
    for path, (meta, body) in messages.items():
        key, lang = path.name.removesuffix(".md").rsplit(".", 1)
        assert {"title", "date", "category", "targets", "author"} <= meta.keys(), path
        assert meta["category"] in CATEGORIES
        assert (
            DAY.match(meta["date"][:10])
            and date(2024, 1, 1) <= date.fromisoformat(meta["date"][:10]) <= LAST_DAY
        )
        assert meta.get("urgency", "non-urgent") == "non-urgent"
        if "valid-until" in meta:
            assert meta["valid-until"] >= meta["date"][:10]
        reached = set().union(*(by_target[t.strip()] for t in meta["targets"].split(",")))
        assert reached, path
        assert lang in set().union(*(plp_langs[s] for s in reached))
        assert "101" in body and "112" in body and "{" not in body
        assert body.lstrip().split("\n")[0] and "\n## " in body and "\n- " in body
        keys.setdefault(key, []).append({**meta, "lang": lang})
    for key, versions in keys.items():
        for field in ("category", "targets", "date", "valid-until"):
            assert len({v.get(field) for v in versions}) == 1, (key, field)
        if versions[0]["targets"] == "all":
            assert sorted(v["lang"] for v in versions) == ["de", "fr", "nl"]
    assert len(keys) == SMALL["messages"]


def test_message_mix_is_realistic(messages: dict[Path, tuple[dict[str, str], str]]) -> None:
    firsts = {p.name.rsplit(".", 2)[0]: meta for p, (meta, _) in messages.items()}
    scopes = Counter(
        "plps" if m["targets"].count("plp:") > 1 else m["targets"].split(":")[0]
        for m in firsts.values()
    )
    n = SMALL["messages"]
    assert scopes["all"] >= 1 and scopes["plps"] >= 1
    assert abs(scopes["zone"] - 0.55 * n) <= 2 and abs(scopes["plp"] - 0.25 * n) <= 2
    assert abs(scopes["commune"] - 0.15 * n) <= 2
    assert {m["category"] for m in firsts.values()} == CATEGORIES
    limits = [date.fromisoformat(m["valid-until"]) for m in firsts.values() if "valid-until" in m]
    assert len(limits) == round(0.2 * n)
    assert any(d < LAST_DAY for d in limits) and any(d > LAST_DAY for d in limits)
    words = [len(body.split()) for _, body in messages.values()]
    assert min(words) >= 280 and max(words) <= 480


def test_bodies_pass_the_privacy_rules(
    registry: tuple[list[dict], list[dict]], messages: dict[Path, tuple[dict[str, str], str]]
) -> None:
    zones, plps = registry
    phones = {z["phone"] for z in zones}
    emails = {z["email"] for z in zones if "email" in z} | {p["coordinator"]["email"] for p in plps}
    texts = [body for _, body in messages.values()]
    texts += [p.get("join", "") for p in plps]
    contacted = set()
    for text in texts:
        assert not PLATE.search(text)
        assert set(PHONE.findall(text)) <= phones
        found = set(EMAIL.findall(text))
        assert found <= emails
        contacted |= found | set(PHONE.findall(text))
    assert contacted & phones and contacted & emails  # the allow-lists are exercised


def test_the_project_loader_reads_it_without_a_warning(tree: Path, make_config) -> None:
    content_module = pytest.importorskip("pipeline.content")
    config = make_config(tree)
    content = content_module.load_content(config, strict=True)
    assert len(content.plps) == SMALL["plps"]
    assert len(content.messages) == len(list((tree / "content/messages").rglob("*.md")))


def test_pages_exist_in_every_language(tree: Path) -> None:
    for key in ("about", "report", "privacy"):
        for lang in ("fr", "nl", "de"):
            meta, body = parse((tree / f"content/pages/{key}.{lang}.md").read_text("utf-8"))
            assert meta["title"] and body.strip()
            if key == "report":
                assert "101" in body and "112" in body


def test_members_are_fictional_and_consistent(
    tree: Path, registry: tuple[list[dict], list[dict]]
) -> None:
    plp_langs = {p["slug"]: p["languages"] for p in registry[1]}
    with (tree / "members.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert len(rows) == SMALL["members"]
    assert list(rows[0]) == ["email", "name", "plp", "language"]
    domains = {row["email"].rsplit("@", 1)[1] for row in rows}
    assert all(d in {"example.org", "example.net"} or d.endswith(".test") for d in domains)
    assert len({row["email"] for row in rows}) == len(rows)
    assert all(row["language"] in plp_langs[row["plp"]] for row in rows)
    empty = sum(not row["name"] for row in rows)
    assert 0 < empty < len(rows) * 0.2
