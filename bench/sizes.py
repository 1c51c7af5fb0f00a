"""Package sizes of the release artifacts in dist/ (`make dist`), beside the anchors', against
the goals of issue 15. Installs the host's wheel and npm packages into temporary folders to
measure what a user's disk gets. Writes bench/results/sizes.json and the "Package sizes"
section of bench/RESULTS.md (run.py keeps that section when it rewrites the file).

    python3 bench/sizes.py [DIST_DIR]
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
BEGIN, END = "<!-- sizes -->", "<!-- /sizes -->"
# The anchors' installed sizes, measured by bench/run.py (cold-start table of RESULTS.md):
# msgraph-sdk with its dependencies, and @microsoft/microsoft-graph-client.
ANCHORS = {"msgraph-sdk": 291.3, "@microsoft/microsoft-graph-client": 1.5}


def tree_mib(p: Path) -> float:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) / MIB


def one(pattern: str, where: Path) -> Path:
    found = sorted(where.glob(pattern))
    if not found:
        sys.exit(f"sizes: no {pattern} in {where} (run make dist first)")
    return found[0]


def python_sizes(dist: Path) -> dict:
    arch = platform.machine()
    wheel = one(f"entra_invite-*-manylinux_*_{arch}.whl", dist / "python")
    testing = one(f"entra_invite_testing-*-manylinux_*_{arch}.whl", dist / "python")
    with tempfile.TemporaryDirectory() as t:
        # A wheel's files as they land in site-packages (what pip writes, without pip's records).
        zipfile.ZipFile(wheel).extractall(t)
        installed = tree_mib(Path(t) / "entra_invite")
    return {"wheel": wheel.stat().st_size / MIB, "installed": installed,
            "testing wheel": testing.stat().st_size / MIB, "file": wheel.name}


def node_sizes(dist: Path) -> dict:
    arch = {"x86_64": "x64", "aarch64": "arm64"}[platform.machine()]
    main = one("entra-invite-[0-9]*.tgz", dist / "node")
    plat = one(f"entra-invite-linux-{arch}-gnu-*.tgz", dist / "node")
    with tempfile.TemporaryDirectory() as t:
        for tgz in (main, plat):
            out = Path(t) / tgz.name
            out.mkdir()
            subprocess.run(["tar", "-xzf", str(tgz), "-C", str(out)], check=True)
        installed = tree_mib(Path(t))
    return {"main tgz": main.stat().st_size / MIB, "platform tgz": plat.stat().st_size / MIB,
            "installed": installed}


def jar_sizes(dist: Path) -> dict:
    jar = one("**/entra-invite-[0-9]*.jar", dist / "kotlin")
    libs = {i.filename: i.file_size / MIB for i in zipfile.ZipFile(jar).infolist() if i.filename.endswith(".so")}
    return {"jar": jar.stat().st_size / MIB, "libraries": libs}


def cli_sizes(dist: Path) -> dict:
    return {p.name: p.stat().st_size / MIB for p in sorted((dist / "cli").glob("*.tar.gz"))}


def section(s: dict) -> str:
    py, node, jar, cli = s["python"], s["node"], s["kotlin"], s["cli"]
    ok = lambda c: "met" if c else "**missed**"  # noqa: E731
    rows = [
        ("Python wheel (x86_64, abi3)", f"{py['wheel']:.2f} MiB", "≤ 3 MiB", ok(py["wheel"] <= 3)),
        ("Python installed (`entra_invite/`)", f"{py['installed']:.2f} MiB (msgraph-sdk: {ANCHORS['msgraph-sdk']} MiB)", "≤ 6 MiB", ok(py["installed"] <= 6)),
        ("Node main + linux-x64-gnu installed", f"{node['installed']:.2f} MiB (graph-client: {ANCHORS['@microsoft/microsoft-graph-client']} MiB)", "≤ 5 MiB", ok(node["installed"] <= 5)),
    ]
    rows += [(f"CLI archive `{k}`", f"{v:.2f} MiB", "≤ 8 MiB", ok(v <= 8)) for k, v in cli.items()]
    rows.append(("Kotlin jar (linux-x86-64 + linux-aarch64 libraries)", f"{jar['jar']:.2f} MiB", "–", "–"))
    table = "\n".join(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows)
    libs = ", ".join(f"`{k}` {v:.2f} MiB" for k, v in jar["libraries"].items())
    return f"""{BEGIN}
## Package sizes (issue 15)

`python3 bench/sizes.py` over `make dist`'s artifacts ({s['date']}; sizes in MiB = 2^20 bytes;
installed = the files the package puts on disk). The testing packages (the emulator) are
separate and optional: Python's testing wheel is {py['testing wheel']:.2f} MiB.

| artifact | size | goal | met |
|---|---|---|---|
{table}

Where Node's size goes: the npm package itself is {node['main tgz'] * 1024:.0f} KiB of JavaScript and types; the rest is the
platform package's native addon (the Rust core with HTTP/2, rustls and its crypto: everything
graph-client gets from Node itself). The jar's native libraries: {libs}.
{END}"""


def main() -> None:
    dist = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist"
    import datetime
    s = {"date": datetime.date.today().isoformat(), "python": python_sizes(dist), "node": node_sizes(dist),
         "kotlin": jar_sizes(dist), "cli": cli_sizes(dist), "anchors": ANCHORS}
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "sizes.json").write_text(json.dumps(s, indent=2) + "\n")
    md = ROOT / "bench" / "RESULTS.md"
    text = md.read_text()
    new = section(s)
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: new, text, flags=re.S)
    else:
        text = text.replace("\n## Caveats", "\n" + new + "\n\n## Caveats", 1)
    md.write_text(text)
    print(new)


if __name__ == "__main__":
    main()
