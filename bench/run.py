"""Driver of bench/run.sh: every client, every workload, on graph-emulator processes started here
with throttling off; median (min-max) over --runs interleaved rounds. Standard library only.

Writes bench/results/<date>.json (every raw figure) and bench/RESULTS.md, prints the table.
Run through bench/run.sh, which builds the binaries, the wheel and the addon first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import re
import signal
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REDIRECT = "https://myapps.microsoft.com/"


# ---------------------------------------------------------------------------------------------
# emulator


class Emulator:
    def __init__(self, exe: Path, https: bool):
        self.tmp = Path(tempfile.mkdtemp(prefix="ei-bench-"))
        self.ca = self.tmp / "ca.pem" if https else None
        argv = [str(exe)] + (["--https", str(self.ca)] if self.ca else [])
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                     env={**os.environ, "RUST_LOG": "warn"})
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.startswith("listening on "):
            raise RuntimeError(f"graph-emulator: {line!r}")
        self.url = line.removeprefix("listening on ").rstrip("/")
        self.ctx = ssl.create_default_context(cafile=str(self.ca)) if self.ca else None
        self.call("DELETE", "/_emulator/faults")          # throttling off (the default, made sure)
        self.token = ""

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, context=self.ctx) as r:
            raw = r.read()
        return json.loads(raw) if raw else None

    def reset_and_seed(self, n: int, path: Path) -> None:
        """Back to a fresh tenant, a static token, and `n` invited guests for lookups/status."""
        self.call("POST", "/_emulator/reset")
        self.call("DELETE", "/_emulator/faults")
        self.token = self.call("POST", "/_emulator/tokens", {"expiresInSecs": 36000})["access_token"]
        host = self.url.split("//", 1)[1]
        conn = (http.client.HTTPSConnection(host, context=self.ctx) if self.ctx
                else http.client.HTTPConnection(host))
        lines = []
        for i in range(n):
            email = f"seed{i}@fabrikam.com"
            conn.request("POST", "/v1.0/invitations", json.dumps({
                "invitedUserEmailAddress": email, "inviteRedirectUrl": REDIRECT,
                "invitedUserDisplayName": "Seeded Guest", "sendInvitationMessage": False}),
                {"authorization": f"Bearer {self.token}", "content-type": "application/json"})
            r = conn.getresponse()
            inv = json.loads(r.read())
            if r.status != 201:
                raise RuntimeError(f"seeding: HTTP {r.status} {inv}")
            lines.append(f"{email} {inv['invitedUser']['id']}\n")
        conn.close()
        path.write_text("".join(lines))

    def counters(self) -> dict:
        return self.call("GET", "/_emulator/counters")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


# ---------------------------------------------------------------------------------------------
# clients: (language, label, how to start one process for a workload, emulator, workloads)

WORKLOADS = ("seq-invite", "conc-invite", "seq-lookup", "seq-status")


def clients(a: argparse.Namespace) -> list[dict]:
    rb = Path(a.bin_dir)
    py = [a.python, str(ROOT / "bindings-python/bench/client.py")]
    node = ["node", str(ROOT / "bindings-node/bench/client.mjs")]

    def rust(exe: str, extra: list[str] = []):
        return lambda w, n, tag, emu, fx: [str(rb / exe), "--workload", w, "--n", str(n), "--url", emu.url,
                                           "--token", emu.token, "--tag", tag, "--fixtures", str(fx), *extra]

    def pyc(kind: str):
        return lambda w, n, tag, emu, fx: [*py, kind, w, str(n), tag]

    def nodec(kind: str):
        return lambda w, n, tag, emu, fx: [*node, kind, w, str(n), tag]

    all_w = WORKLOADS
    return [
        dict(lang="rust", label="entra-invite", argv=rust("client-bench"), emu="http", workloads=all_w),
        # The same over TLS: the row the Node clients (which all run over HTTPS) are compared with.
        dict(lang="rust", label="entra-invite (https)", argv=rust("client-bench"), emu="https",
             workloads=("seq-invite", "conc-invite")),
        dict(lang="rust", label="entra-invite (paced)", argv=rust("client-bench", ["--paced"]), emu="http",
             workloads=("seq-invite",), paced=True),
        dict(lang="rust", label="reqwest (raw floor)", argv=rust("reqwest-floor"), emu="http", workloads=all_w,
             floor=True),
        dict(lang="python", label="entra-invite", argv=pyc("entra-invite"), emu="http", workloads=all_w),
        dict(lang="python", label="entra-invite AsyncClient", argv=pyc("entra-invite-async"), emu="http",
             workloads=all_w),
        dict(lang="python", label="entra-invite (paced)", argv=pyc("entra-invite-paced"), emu="http",
             workloads=("seq-invite",), paced=True),
        dict(lang="python", label="msgraph-sdk", argv=pyc("msgraph-sdk"), emu="http", workloads=all_w, sdk=True),
        dict(lang="python", label="httpx (raw floor)", argv=pyc("httpx"), emu="http", workloads=all_w, floor=True),
        dict(lang="node", label="entra-invite", argv=nodec("entra-invite-unpaced"), emu="https", workloads=all_w),
        dict(lang="node", label="entra-invite (paced)", argv=nodec("entra-invite"), emu="https",
             workloads=("seq-invite",), paced=True),
        dict(lang="node", label="@microsoft/microsoft-graph-client", argv=nodec("graph-client"), emu="https",
             workloads=all_w, sdk=True),
        dict(lang="node", label="fetch (raw floor)", argv=nodec("fetch"), emu="https", workloads=all_w, floor=True),
    ]


def key(c: dict) -> str:
    return f"{c['lang']}:{c['label']}"


def normalise(d: dict) -> dict:
    """Node's client.mjs reports camelCase: map to the snake_case of the others."""
    m = {"cpuUsPerReq": "cpu_us_per_req", "wallUsPerReq": "wall_us_per_req", "firstRequestMs": "first_req_ms",
         "startToFirstMs": "start_to_first_ms", "requireMs": "import_ms", "maxRssMB": "peak_rss_mib"}
    out = {m.get(k, k): v for k, v in d.items()}
    if "req_per_s" not in out and out.get("wall_us_per_req"):
        out["req_per_s"] = 1e6 / out["wall_us_per_req"]
    return out


def run_client(argv: list[str], env: dict, timeout: float = 900) -> tuple[dict, float]:
    """Runs one client process; answers its JSON figures and spawn -> first stdout line (ms)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                         cwd=str(ROOT / "bindings-node/bench"))
    out, err = p.communicate(timeout=timeout)
    spawn_ms = (time.perf_counter() - t0) * 1e3
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:4])}... failed ({p.returncode}):\n{err[-3000:]}")
    line = [x for x in out.splitlines() if x.startswith("{")][-1]
    return normalise(json.loads(line)), spawn_ms


# ---------------------------------------------------------------------------------------------
# figures


def med(xs: list[float]) -> float:
    return statistics.median(xs)


def cell(xs: list[float] | None, digits: int = 0) -> str:
    if not xs:
        return "–"
    f = f"{{:,.{digits}f}}"
    if len(xs) == 1:
        return f.format(xs[0])
    return f"{f.format(med(xs))} ({f.format(min(xs))}–{f.format(max(xs))})"


def dir_bytes(p: Path) -> int:
    total = 0
    for root, _, files in os.walk(p):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


def sizes(a: argparse.Namespace) -> dict:
    out: dict[str, Any] = {}
    code = ("import json, sys; sys.path.insert(0, %r); from bench import installed_mib; "
            "print(json.dumps({d: installed_mib(d) for d in ('entra-invite', 'msgraph-sdk', 'httpx')}))"
            % str(ROOT / "bindings-python/bench"))
    py = json.loads(subprocess.run([a.python, "-c", code], capture_output=True, text=True, check=True).stdout)
    out["python:entra-invite"] = py["entra-invite"][0]
    out["python:entra-invite AsyncClient"] = py["entra-invite"][0]
    out["python:msgraph-sdk"] = py["msgraph-sdk"][0]
    out["python:httpx (raw floor)"] = py["httpx"][0]
    out["python:distributions"] = {k: v[1] for k, v in py.items()}
    pkg = ROOT / "bindings-node"
    files = ["index.js", "index.mjs", "index.d.ts", "errors.js", "binding.js", "testing.js", "testing.mjs",
             "testing.d.ts"] + [f.name for f in pkg.glob("*.node")]
    out["node:entra-invite"] = sum((pkg / f).stat().st_size for f in files if (pkg / f).exists()) / 2**20
    nm = ROOT / "bindings-node/bench/node_modules"
    out["node:@microsoft/microsoft-graph-client"] = sum(
        dir_bytes(d) for d in nm.iterdir() if not d.name.startswith(".")) / 2**20 if nm.exists() else 0
    out["node:fetch (raw floor)"] = 0.0
    rb = Path(a.bin_dir)
    out["rust:entra-invite"] = (rb / "client-bench").stat().st_size / 2**20
    out["rust:reqwest (raw floor)"] = (rb / "reqwest-floor").stat().st_size / 2**20
    return out


def callgrind(a: argparse.Namespace, emu: Emulator, fx: Path) -> dict:
    """Instructions per sequential invitation, steady state: (I(2N) - I(N)) / N under callgrind
    (client process only; the emulator runs natively)."""
    rb = Path(a.bin_dir)
    res: dict[str, Any] = {"n": a.cg_n}
    for label, exe in (("entra-invite", "client-bench"), ("reqwest (raw floor)", "reqwest-floor")):
        counts = []
        for n in (a.cg_n, 2 * a.cg_n):
            out = Path(tempfile.mkdtemp(prefix="ei-cg-")) / "callgrind.out"
            subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                            str(rb / exe), "--workload", "seq-invite", "--n", str(n), "--url", emu.url,
                            "--token", emu.token, "--tag", f"cg-{exe}-{n}", "--fixtures", str(fx)],
                           check=True, capture_output=True, text=True, timeout=1200)
            text = out.read_text(errors="replace")
            m = re.search(r"^summary:\s+(\d+)", text, re.M) or re.search(r"^totals:\s+(\d+)", text, re.M)
            counts.append(int(m.group(1)))
        res[label] = {"instructions": counts, "per_invitation": (counts[1] - counts[0]) / a.cg_n}
    res["ratio"] = res["entra-invite"]["per_invitation"] / res["reqwest (raw floor)"]["per_invitation"]
    return res


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{model}, nproc {os.cpu_count()}{mem}"


def versions(a: argparse.Namespace) -> dict:
    v = {}
    try:
        v["python"] = subprocess.run([a.python, "-c", "import sys, importlib.metadata as m; print(sys.version.split()[0], "
                                      "m.version('msgraph-sdk'), m.version('httpx'), m.version('entra-invite'))"],
                                     capture_output=True, text=True).stdout.split()
        v["node"] = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
        pj = ROOT / "bindings-node/bench/node_modules/@microsoft/microsoft-graph-client/package.json"
        v["graph-client"] = json.loads(pj.read_text())["version"] if pj.exists() else "?"
        v["rustc"] = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    except (OSError, ValueError):
        pass
    return v


# ---------------------------------------------------------------------------------------------


def main() -> None:
    # SIGTERM unwinds like Ctrl-C, so the emulators are stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--n-seq", type=int, default=500)
    ap.add_argument("--n-conc", type=int, default=2000)
    ap.add_argument("--n-lookup", type=int, default=500)
    ap.add_argument("--n-status", type=int, default=500)
    ap.add_argument("--seed", type=int, default=500, help="guests seeded for lookups and status calls")
    ap.add_argument("--cg-n", type=int, default=100, help="callgrind: N and 2N invitations (0: skip)")
    ap.add_argument("--only", default="", help="comma-separated languages (rust,python,node)")
    ap.add_argument("--bin-dir", default=str(ROOT / "target/release"))
    ap.add_argument("--python", required=True, help="the scratch venv's python")
    ap.add_argument("--note", default="", help="a line for RESULTS.md (e.g. a shortened run)")
    ap.add_argument("--out", default=str(ROOT / "bench"))
    ap.add_argument("--command", default="bench/run.sh", help="the command line, for RESULTS.md")
    a = ap.parse_args()
    n_for = {"seq-invite": a.n_seq, "conc-invite": a.n_conc, "seq-lookup": a.n_lookup, "seq-status": a.n_status}
    cl = clients(a)
    if a.only:
        cl = [c for c in cl if c["lang"] in a.only.split(",")]

    exe = Path(a.bin_dir) / "graph-emulator"
    emus = {"http": Emulator(exe, https=False), "https": Emulator(exe, https=True)}
    fixtures = {k: Path(e.tmp) / "fixtures.txt" for k, e in emus.items()}
    raw: dict[str, Any] = {"runs": [], "cold": {}, "workloads": {}}
    t_begin = time.time()
    try:
        for r in range(a.runs):
            for k, e in emus.items():
                e.reset_and_seed(a.seed, fixtures[k])
            # cold start: process start -> first invitation answered (a fresh process each)
            for c in cl:
                emu = emus[c["emu"]]
                env = {**os.environ, "BENCH_URL": emu.url, "BENCH_TOKEN": emu.token,
                       "BENCH_FIXTURES": str(fixtures[c["emu"]])}
                if emu.ca:
                    env.update(BENCH_CA=str(emu.ca), NODE_EXTRA_CA_CERTS=str(emu.ca))
                res, spawn_ms = run_client(c["argv"]("first", 1, f"r{r}cold{abs(hash(key(c))) % 10**6}", emu,
                                                     fixtures[c["emu"]]), env)
                res["spawn_to_exit_ms"] = spawn_ms
                raw["cold"].setdefault(key(c), []).append(res)
            for w in WORKLOADS:
                # A fresh tenant for each workload (and for each client's invitations): the emulator
                # scans its users on $filter, so after tens of thousands of invitations lookups
                # would time the emulator instead of the client.
                if "invite" not in w:
                    for k, e in emus.items():
                        e.reset_and_seed(a.seed, fixtures[k])
                for c in cl:
                    if w not in c["workloads"]:
                        continue
                    emu = emus[c["emu"]]
                    if "invite" in w:
                        emu.reset_and_seed(0, fixtures[c["emu"]])
                    env = {**os.environ, "BENCH_URL": emu.url, "BENCH_TOKEN": emu.token,
                           "BENCH_FIXTURES": str(fixtures[c["emu"]])}
                    if emu.ca:
                        env.update(BENCH_CA=str(emu.ca), NODE_EXTRA_CA_CERTS=str(emu.ca))
                    before = emu.counters()["totalRequests"]
                    tag = f"r{r}{w}{abs(hash(key(c))) % 10**6}"
                    res, _ = run_client(c["argv"](w, n_for[w], tag, emu, fixtures[c["emu"]]), env)
                    sent = emu.counters()["totalRequests"] - before
                    res["server_requests"] = sent
                    if sent < n_for[w] + 21:
                        raise RuntimeError(f"{key(c)} {w}: the emulator saw {sent} requests, expected "
                                           f">= {n_for[w] + 21}")
                    raw["workloads"].setdefault(key(c), {}).setdefault(w, []).append(res)
                    print(f"run {r + 1}/{a.runs} {w:11} {key(c):45} {res['cpu_us_per_req']:9.0f} µs CPU/req "
                          f"{res['wall_us_per_req']:9.0f} µs wall/req", file=sys.stderr, flush=True)
        if a.cg_n > 0 and (not a.only or "rust" in a.only):
            print("callgrind ...", file=sys.stderr, flush=True)
            raw["callgrind"] = callgrind(a, emus["http"], fixtures["http"])
    finally:
        for e in emus.values():
            e.stop()
    raw["sizes_mib"] = sizes(a)
    raw["machine"] = machine()
    raw["versions"] = versions(a)
    raw["params"] = {k: v for k, v in vars(a).items()}
    raw["minutes"] = (time.time() - t_begin) / 60
    date = dt.datetime.now(dt.timezone.utc)
    raw["date"] = date.isoformat(timespec="seconds")
    out = Path(a.out)
    (out / "results").mkdir(parents=True, exist_ok=True)
    jpath = out / "results" / f"{date:%Y-%m-%d}.json"
    jpath.write_text(json.dumps(raw, indent=1))
    table, goals = report(raw, cl, a)
    print(table)
    print(goals)
    write_results_md(out / "RESULTS.md", raw, table, goals, a, jpath)
    print(f"\nraw figures: {jpath}\nsummary: {out / 'RESULTS.md'}", file=sys.stderr)


def fig(raw: dict, k: str, w: str, f: str) -> list[float]:
    return [x[f] for x in raw["workloads"].get(k, {}).get(w, []) if x.get(f) is not None]


def ratio(raw: dict, a: str, b: str, w: str, f: str = "cpu_us_per_req") -> float | None:
    xa, xb = fig(raw, a, w, f), fig(raw, b, w, f)
    return med(xa) / med(xb) if xa and xb and med(xb) else None


def rfmt(x: float | None) -> str:
    return "–" if x is None else (f"{x:.3f}" if x < 0.1 else f"{x:.2f}")


def report(raw: dict, cl: list[dict], a: argparse.Namespace) -> tuple[str, str]:
    L = []
    L.append(f"Median (min–max) of {a.runs} runs. CPU = client user+sys over the timed section, all threads "
             f"(getrusage / process.cpuUsage), per request; wall per request; req/s; peak RSS (VmHWM) of the "
             f"client process. Workloads: {a.n_seq} sequential invitations (seq-invite), {a.n_conc} at 32 in "
             f"flight (conc-invite), {a.n_lookup} sequential lookups by email (seq-lookup), {a.n_status} "
             f"status calls by object id (seq-status). Ratios are CPU/request against msgraph-sdk-python "
             f"(Python rows; the Node rows against @microsoft/microsoft-graph-client) and against the "
             f"language's raw floor (httpx / fetch / reqwest); below 1 is cheaper.\n")
    L.append("| lang | client | workload | CPU µs/req | wall µs/req | req/s | peak RSS MiB | ÷ SDK | ÷ floor |")
    L.append("|---|---|---|---|---|---|---|---|---|")
    for c in cl:
        sdk = next((key(x) for x in cl if x["lang"] == c["lang"] and x.get("sdk")), None)
        if c["lang"] == "rust":
            sdk = None
        floor = next((x for x in cl if x["lang"] == c["lang"] and x.get("floor")), None)
        # A floor on another transport (reqwest over HTTP for the HTTPS row) is no floor.
        floor = key(floor) if floor and floor["emu"] == c["emu"] else None
        for w in WORKLOADS:
            if w not in c["workloads"] or not fig(raw, key(c), w, "cpu_us_per_req"):
                continue
            L.append(f"| {c['lang']} | {c['label']} | {w} | {cell(fig(raw, key(c), w, 'cpu_us_per_req'))} | "
                     f"{cell(fig(raw, key(c), w, 'wall_us_per_req'))} | {cell(fig(raw, key(c), w, 'req_per_s'))} | "
                     f"{cell(fig(raw, key(c), w, 'peak_rss_mib'), 1)} | "
                     f"{rfmt(ratio(raw, key(c), sdk, w)) if sdk else '–'} | "
                     f"{rfmt(ratio(raw, key(c), floor, w)) if floor else '–'} |")
    L.append("\nCold start (fresh process each run): in-process import/require, first request after the "
             "client is built, process start → first invitation answered (measured inside the process from its "
             "first line of code; the driver's spawn → exit is the last column), and installed size.\n")
    L.append("| lang | client | import ms | first request ms | start → first invitation ms | spawn → exit ms "
             "| installed MiB |")
    L.append("|---|---|---|---|---|---|---|")
    sz = raw.get("sizes_mib", {})
    for c in cl:
        cold = raw["cold"].get(key(c), [])
        if not cold or c.get("paced"):
            continue
        imp = [x["import_ms"] for x in cold if x.get("import_ms") is not None]
        s = sz.get(key(c))
        L.append(f"| {c['lang']} | {c['label']} | {cell(imp, 1) if imp else '–'} | "
                 f"{cell([x['first_req_ms'] for x in cold], 1)} | {cell([x['start_to_first_ms'] for x in cold], 1)} | "
                 f"{cell([x['spawn_to_exit_ms'] for x in cold], 0)} | {'–' if s is None else f'{s:,.1f}'} |")
    cg = raw.get("callgrind")
    if cg:
        L.append(f"\nInstructions per sequential invitation, client process under callgrind, steady state "
                 f"((I(2N) − I(N)) / N, N = {cg['n']}):\n")
        L.append("| client | instructions / invitation | ratio to reqwest |")
        L.append("|---|---|---|")
        for lbl in ("entra-invite", "reqwest (raw floor)"):
            L.append(f"| {lbl} | {cg[lbl]['per_invitation']:,.0f} | "
                     f"{cg[lbl]['per_invitation'] / cg['reqwest (raw floor)']['per_invitation']:.2f} |")

    # goals of issue 8
    G = ["| goal | measured | met |", "|---|---|---|"]

    def goal(what: str, value: float | None, ok: bool | None, shown: str) -> None:
        G.append(f"| {what} | {shown if value is not None else 'not measured'} | "
                 f"{'–' if ok is None or value is None else ('met' if ok else '**not met**')} |")

    P, PA, MS, HX = "python:entra-invite", "python:entra-invite AsyncClient", "python:msgraph-sdk", "python:httpx (raw floor)"
    for lbl, k in (("sync", P), ("async", PA)):
        x = ratio(raw, k, MS, "seq-invite")
        goal(f"Python ({lbl}) CPU/invitation < 1/50 of msgraph-sdk (seq)", x, x is not None and x < 1 / 50,
             f"1/{1 / x:,.0f}" if x else "")
        x = ratio(raw, k, HX, "seq-invite")
        goal(f"Python ({lbl}) CPU/invitation below raw httpx (seq)", x, x is not None and x < 1, f"{rfmt(x)}×")
    x = ratio(raw, PA, MS, "conc-invite")
    goal("Python AsyncClient CPU/invitation < 1/50 of msgraph-sdk (2,000 at 32)", x, x is not None and x < 1 / 50,
         f"1/{1 / x:,.0f}" if x else "")
    x = ratio(raw, PA, HX, "conc-invite")
    goal("Python AsyncClient CPU/invitation below raw httpx (2,000 at 32)", x, x is not None and x < 1, f"{rfmt(x)}×")

    def cold(k: str, f: str) -> list[float]:
        return [v[f] for v in raw["cold"].get(k, []) if v.get(f) is not None]
    ci, cm = cold(P, "import_ms"), cold(MS, "import_ms")
    x = med(ci) / med(cm) if ci and cm else None
    goal("Python in-process import < 1/20 of msgraph-sdk", x, x is not None and x < 1 / 20,
         f"{med(ci):.1f} vs {med(cm):.0f} ms = 1/{1 / x:,.0f}" if x else "")
    ci, cm = cold(P, "start_to_first_ms"), cold(MS, "start_to_first_ms")
    x = med(ci) / med(cm) if ci and cm else None
    goal("Python process start → first invitation < 1/20 of msgraph-sdk", x, x is not None and x < 1 / 20,
         f"{med(ci):.1f} vs {med(cm):.0f} ms = 1/{1 / x:,.0f}" if x else "")
    si, sm = sz.get(P), sz.get(MS)
    x = si / sm if si and sm else None
    goal("Python installed size < 1/30 of msgraph-sdk", x, x is not None and x < 1 / 30,
         f"{si:.1f} vs {sm:.0f} MiB = 1/{1 / x:,.0f}" if x else "")
    N, NG, NF = "node:entra-invite", "node:@microsoft/microsoft-graph-client", "node:fetch (raw floor)"
    for w in ("seq-invite", "conc-invite"):
        x = ratio(raw, N, NG, w)
        goal(f"Node CPU/invitation < 1/5 of graph-client ({w})", x, x is not None and x < 1 / 5,
             f"1/{1 / x:,.1f}" if x else "")
        x = ratio(raw, N, NF, w)
        goal(f"Node CPU/invitation below raw fetch ({w})", x, x is not None and x < 1, f"{rfmt(x)}×")
    # issue 16: what a binding adds to the core, per sequential invitation on the same transport
    R, RS = "rust:entra-invite", "rust:entra-invite (https)"
    for what, k, base, limit in (("Python sync", P, R, 1.5), ("Python AsyncClient", PA, R, None),
                                 ("Node", N, RS, 2.0)):
        x = ratio(raw, k, base, "seq-invite")
        goal(f"{what} CPU/invitation ÷ Rust core{' (https)' if base == RS else ''} (seq)"
             + (f" ≤ {limit}×" if limit else ""), x, None if limit is None else (x is not None and x <= limit),
             f"{rfmt(x)}×")
    x = cg["ratio"] if cg else None
    goal("Rust core instructions/invitation within 1.5× of raw reqwest + serde (callgrind)", x,
         x is not None and x <= 1.5, f"{x:.2f}×" if x else "")
    s, c_ = fig(raw, PA, "seq-invite", "cpu_us_per_req"), fig(raw, PA, "conc-invite", "cpu_us_per_req")
    x = med(c_) / med(s) if s and c_ else None
    hs, hc = fig(raw, HX, "seq-invite", "cpu_us_per_req"), fig(raw, HX, "conc-invite", "cpu_us_per_req")
    hx = f" (httpx: {med(hc) / med(hs):.2f}×)" if hs and hc else ""
    goal("Python AsyncClient: CPU/request at 32 in flight ≤ sequential", x, x is not None and x <= 1.0,
         f"{x:.2f}× sequential{hx}" if x else "")
    return "\n".join(L), "\n".join(G)


def write_results_md(path: Path, raw: dict, table: str, goals: str, a: argparse.Namespace, jpath: Path) -> None:
    v = raw.get("versions", {})
    pyv = v.get("python", [])
    text = f"""# Benchmark results

Date: {raw['date']} · machine: {raw['machine']} (shared, noisy: see the caveats) · run took {raw['minutes']:.0f} min

Versions: Python {pyv[0] if pyv else '?'} (msgraph-sdk {pyv[1] if len(pyv) > 1 else '?'}, httpx {pyv[2] if len(pyv) > 2 else '?'}, entra-invite {pyv[3] if len(pyv) > 3 else '?'}); Node {v.get('node', '?')} (@microsoft/microsoft-graph-client {v.get('graph-client', '?')}); {v.get('rustc', '?')}.

Command: `{a.command.strip()}` (raw figures: `bench/results/{jpath.name}`).
{('**' + a.note + '**' + chr(10)) if a.note else ''}
Setup: two `graph-emulator` release processes on loopback with no faults (no throttling): plain HTTP for the
Rust and Python clients, HTTPS (self-signed CA) for the Node clients, because
@microsoft/microsoft-graph-client only sends its token over https. Every client sends a static bearer token
from the emulator, one process per client and workload: one first invitation, 20 untimed warm-up requests,
then the timed section. entra-invite rows run with client-side pacing off (`invitations_per_5s=0` /
`invitationsPer5s: 0` / `Settings {{ invitations_per_5s: Some(0) }}`), like the clients they are compared with;
the `(paced)` rows keep the default pacing (150 invitations per 5 s, burst 30), so their wall time is that pacing.
Rounds are interleaved (each run goes through every client), so load drifts hit all clients alike.

{table}

## Goals of issue 8

{goals}

Profiles of the goals missed, and where the time goes: [ANALYSIS.md](ANALYSIS.md) (written by hand; runs do not rewrite it).

## Caveats

- The machine is shared: other builds and test suites ran during the run. CPU per request moved by up to
  ±30 % between runs of the same client in the anchors (`shared/research/perf-anchors.md`); the callgrind
  count is the noise-free figure.
- Loopback, HTTP/1.1, no network latency: client-side floors, not end-to-end latencies. The Node rows pay TLS;
  the Rust and Python rows do not, so compare within a language.
- The sync Python client's 2,000-at-32 row uses 32 threads (it is a blocking client); the async clients use
  `asyncio.gather` with a semaphore of 32.
"""
    # The package sizes (bench/sizes.py) are measured separately: keep them.
    old = path.read_text() if path.exists() else ""
    begin, end = old.find("<!-- sizes -->"), old.find("<!-- /sizes -->")
    if begin >= 0 and end > begin:
        sizes = old[begin:end + len("<!-- /sizes -->")]
        text = text.replace("\n## Caveats", "\n" + sizes + "\n\n## Caveats", 1)
    path.write_text(text)


if __name__ == "__main__":
    main()
