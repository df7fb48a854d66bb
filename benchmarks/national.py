"""A deterministic, national-scale data set (1,059 PLPs, 2,000 messages, 100,000 members).

Usage: python -m benchmarks.national OUT_DIR [--seed 2026] [--plps 1059] [--messages 2000]
[--members 100000]. Benchmarks call ensure_dataset(), which generates once and reuses the tree.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import random
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks import wordlists
from benchmarks.fake_messages import build_messages
from benchmarks.fake_registry import (
    LANGUAGES,
    REGIONS,
    Plp,
    build_registry,
    plps_yaml,
    slugify,
    zones_yaml,
)
from benchmarks.phrases import PHRASES

DEFAULTS = {"seed": 2026, "plps": 1059, "messages": 2000, "members": 100_000}
DEFAULT_DIR = Path(__file__).resolve().parent / "data" / "national"
STAMP = "dataset.json"
SOURCES = ("national.py", "fake_registry.py", "fake_messages.py", "phrases.py", "wordlists.py")


@dataclass(frozen=True, slots=True)
class Summary:
    """What a generated data set holds."""

    zones: int
    communes: int
    plps: int
    inactive_plps: int
    messages: int
    message_files: int
    pages: int
    members: int


def generate(
    out_dir: Path,
    *,
    seed: int = 2026,
    plps: int = 1059,
    messages: int = 2000,
    members: int = 100_000,
) -> Summary:
    """Write the data set under out_dir: the same arguments always give the same bytes."""
    return _generate(Path(out_dir), seed=seed, plps=plps, messages=messages, members=members)[0]


def ensure_dataset(path: Path = DEFAULT_DIR, **params: int) -> Path:
    """Return path holding the data set for params, generating it only if it is missing or stale."""
    unknown = set(params) - set(DEFAULTS)
    if unknown:
        raise TypeError(f"unknown parameters: {', '.join(sorted(unknown))}")
    wanted = {**DEFAULTS, **params}
    path = Path(path)
    try:
        stamp = json.loads((path / STAMP).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        stamp = {}
    fresh = stamp.get("params") == wanted and stamp.get("generator") == _source_digest()
    if not (fresh and stamp.get("summary")):
        generate(path, **wanted)
    return path


def build(*, seed: int, plps: int, messages: int, members: int) -> tuple[dict[str, str], Summary]:
    """Return {relative path: text} for the whole data set, and its summary."""
    if plps < len(REGIONS):
        raise ValueError(f"need at least {len(REGIONS)} PLPs: one per region")
    # One stream per part, so changing one count does not reshuffle the other parts.
    registry = build_registry(random.Random(f"{seed}:registry"), plps)
    files = {
        "content/registry/zones.yaml": zones_yaml(registry.zones),
        "content/registry/plps.yaml": plps_yaml(registry.plps),
    }
    message_files = build_messages(random.Random(f"{seed}:messages"), registry, messages)
    files.update({f"content/messages/{rel}": text for rel, text in message_files.items()})
    pages = {
        f"content/pages/{key}.{lang}.md": f"Title: {title}\nSummary: {summary}\n\n{body}"
        for lang in LANGUAGES
        for key, (title, summary, body) in PHRASES[lang].pages.items()
    }
    files.update(pages)
    files["members.csv"] = members_csv(random.Random(f"{seed}:members"), registry.plps, members)
    summary = Summary(
        zones=len(registry.zones),
        communes=sum(len(z.communes) for z in registry.zones),
        plps=len(registry.plps),
        inactive_plps=sum(p.status == "inactive" for p in registry.plps),
        messages=messages,
        message_files=len(message_files),
        pages=len(pages),
        members=members,
    )
    return files, summary


def members_csv(rng: random.Random, plps: tuple[Plp, ...], count: int) -> str:
    """members.csv: email;name;plp;language, fictional people on reserved domains only."""
    # PLP sizes are skewed: a few large ones, many small ones; inactive ones kept few members.
    weights = [rng.lognormvariate(0, 0.8) * (1 if p.status == "active" else 0.2) for p in plps]
    ascii_names = {
        name: slugify(name).replace("-", "")
        for names in (*wordlists.FIRST_NAMES.values(), *wordlists.LAST_NAMES.values())
        for name in names
    }
    seen: dict[str, int] = {}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(("email", "name", "plp", "language"))
    for plp in rng.choices(plps, weights=weights, k=count):
        languages = plp.languages
        lang = languages[0] if len(languages) == 1 or rng.random() < 0.7 else languages[1]
        origin = lang if rng.random() < 0.85 else rng.choice(LANGUAGES)
        first = rng.choice(wordlists.FIRST_NAMES[origin])
        last = rng.choice(wordlists.LAST_NAMES[origin])
        roll = rng.random()
        name = "" if roll < 0.08 else first if roll < 0.13 else f"{first} {last}"
        f, la = ascii_names[first], ascii_names[last]
        local = rng.choice((f"{f}.{la}", f"{f}.{la}", f"{f}{la}", f"{f[0]}.{la}", f"{la}.{f}"))
        address = f"{local}@{rng.choice(wordlists.MEMBER_DOMAINS)}"
        # Locals never end in a digit, so numbered duplicates cannot collide with a first use.
        seen[address] = n = seen.get(address, 0) + 1
        if n > 1:
            address = address.replace("@", f"{n}@", 1)
        writer.writerow((address, name, plp.slug, lang))
    return out.getvalue()


def write_tree(out_dir: Path, files: dict[str, str]) -> int:
    """Write files under out_dir, skipping unchanged ones and removing stale content files."""
    targets = {out_dir / rel: text.encode("utf-8") for rel, text in files.items()}
    for parent in sorted({path.parent for path in targets}):
        parent.mkdir(parents=True, exist_ok=True)
    written = 0
    for path, data in targets.items():
        # Rewriting identical bytes costs kernel time on this kind of disk (see perf-notes).
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                continue
        except FileNotFoundError:
            pass
        path.write_bytes(data)
        written += 1
    content = out_dir / "content"
    for path in sorted(content.rglob("*"), reverse=True):
        if path.is_file() and path not in targets:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return written


def _generate(out_dir: Path, **params: int) -> tuple[Summary, int]:
    """Generate into out_dir; return the summary and how many files were (re)written."""
    stamp = out_dir / STAMP
    content = out_dir / "content"
    # Stale files are pruned, so refuse a content tree this generator did not make.
    if not stamp.exists() and content.is_dir() and any(content.iterdir()):
        raise FileExistsError(f"{content} exists and was not made by benchmarks.national")
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_stamp(stamp, params, None)  # marks the tree ours; no summary yet: not reusable
    files, summary = build(**params)
    written = write_tree(out_dir, files)
    _write_stamp(stamp, params, summary)
    return summary, written


def _write_stamp(stamp: Path, params: dict[str, int], summary: Summary | None) -> None:
    record = {
        "generator": _source_digest(),
        "params": params,
        "summary": asdict(summary) if summary else None,
    }
    stamp.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _source_digest() -> str:
    """A digest of the generator's code: editing it invalidates data sets made before."""
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    """Command line: generate the data set into OUT_DIR and print a one-line summary."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.national", description=__doc__)
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    for name, default in DEFAULTS.items():
        parser.add_argument(f"--{name}", type=int, default=default, help=f"default {default}")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    params = {name: getattr(args, name) for name in DEFAULTS}
    try:
        s, written = _generate(args.out_dir, **params)
    except (ValueError, FileExistsError) as error:
        print(f"national: {error}", file=sys.stderr)
        return 1
    print(
        f"{args.out_dir}: {s.zones} zones, {s.communes} communes, {s.plps} PLPs "
        f"({s.inactive_plps} inactive), {s.messages} messages in {s.message_files} files, "
        f"{s.pages} pages, {s.members} members; {written} files written "
        f"in {time.perf_counter() - started:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
