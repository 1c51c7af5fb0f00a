"""The one runtime: where calls run, threads, cancellation, many loops, exit and fork."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import entra_invite as ei
from entra_invite.testing import Emulator

from conftest import REDIRECT


def thread_names() -> list[str]:
    names = []
    for t in os.listdir("/proc/self/task"):
        try:
            names.append(Path(f"/proc/self/task/{t}/comm").read_text().strip())
        except OSError:
            pass
    return names


def run_python(code: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **env})


def test_import_starts_no_thread() -> None:
    out = run_python("""
        import os, threading
        before = len(os.listdir('/proc/self/task'))
        import entra_invite, entra_invite.testing, entra_invite.errors
        after = len(os.listdir('/proc/self/task'))
        print(before, after, threading.active_count(), entra_invite._native._runtime_started())
    """)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["1", "1", "1", "False"]


def test_calls_run_on_the_runtime_threads(emu: Emulator, client: ei.Client) -> None:
    assert ei._native.THREAD_NAME == "entra-invite-rt"
    assert asyncio.run(ei._native._runtime_thread_name()) == "entra-invite-rt"
    client.lookup("a@fabrikam.com")
    names = thread_names()
    assert "entra-invite-rt" in names
    # Nothing but Python's own threads and the runtime's (emulator included).
    others = [n for n in names if n != "entra-invite-rt"]
    assert all(not n.startswith("tokio") for n in others), others


def test_worker_count_from_the_environment() -> None:
    out = run_python("""
        import os
        from entra_invite.testing import Emulator
        with Emulator() as emu:
            emu.client().lookup("a@fabrikam.com")
            names = [open(f'/proc/self/task/{t}/comm').read().strip() for t in os.listdir('/proc/self/task')]
            print(names.count("entra-invite-rt"))
    """, ENTRA_INVITE_WORKER_THREADS="3")
    assert out.returncode == 0, out.stderr
    assert 3 <= int(out.stdout) <= 8          # 3 workers (+ a few blocking-pool threads)


async def test_a_thousand_gathered_calls(emu: Emulator, aclient: ei.AsyncClient) -> None:
    await aclient.invite("taylor@fabrikam.com", invite_redirect_url=REDIRECT)
    results = await asyncio.gather(*(aclient.lookup("taylor@fabrikam.com") for _ in range(1000)))
    assert len(results) == 1000 and all(r.exists for r in results)
    assert thread_names().count("entra-invite-rt") < 64     # no runaway blocking pool
    assert ei._native._live_tasks() == 0


async def test_cancelling_a_task_cancels_the_rust_work(emu: Emulator, aclient: ei.AsyncClient) -> None:
    await aclient.lookup("warm@fabrikam.com")               # token cached
    emu.set_faults({"latencyMs": {"min": 3000, "max": 3000}})
    task = asyncio.create_task(aclient.invite("slow@fabrikam.com", invite_redirect_url=REDIRECT))
    await asyncio.sleep(0.5)
    assert ei._native._live_tasks() == 1                     # the call is in flight in Rust
    started = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    while ei._native._live_tasks() and time.monotonic() - started < 1:
        await asyncio.sleep(0.01)
    assert ei._native._live_tasks() == 0                     # dropped long before the 3 s answer
    assert time.monotonic() - started < 1
    await asyncio.sleep(3)                                   # past the latency: the request was abandoned
    emu.set_faults(None)
    assert emu.stats()["invitationsCreated"] == 0
    # Control: the same call, not cancelled, does create the invitation.
    emu.set_faults({"latencyMs": {"min": 300, "max": 300}})
    await aclient.invite("slow@fabrikam.com", invite_redirect_url=REDIRECT)
    assert emu.stats()["invitationsCreated"] == 1


async def test_timeout_via_wait_for_cancels_too(emu: Emulator, aclient: ei.AsyncClient) -> None:
    await aclient.lookup("warm@fabrikam.com")
    emu.set_faults({"latencyMs": {"min": 2000, "max": 2000}})
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(aclient.lookup("a@fabrikam.com"), 0.2)
    await asyncio.sleep(0.05)
    assert ei._native._live_tasks() == 0


def test_several_event_loops_in_turn_and_in_threads(emu: Emulator) -> None:
    c = emu.async_client()                                  # made outside any loop

    async def work(i: int) -> int:
        r = await asyncio.gather(*(c.lookup(f"u{i}-{j}@fabrikam.com") for j in range(20)))
        return len(r)

    for i in range(5):
        assert asyncio.run(work(i)) == 20                    # no "Event loop is closed"
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(lambda i: asyncio.run(work(i)), range(8))) == [20] * 8


def test_blocking_calls_release_the_gil(emu: Emulator, client: ei.Client) -> None:
    client.lookup("warm@fabrikam.com")
    emu.set_faults({"latencyMs": {"min": 400, "max": 400}})
    ticks = 0
    stop = threading.Event()

    def ticker() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    started = time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda i: client.lookup(f"p{i}@fabrikam.com"), range(4)))
    elapsed = time.monotonic() - started
    stop.set()
    t.join()
    assert elapsed < 1.2, elapsed            # four 400 ms calls overlapped (GIL released)
    assert ticks > 100                       # and Python kept running meanwhile


def test_ctrl_c_interrupts_a_blocking_call() -> None:
    script = """
        import signal, time, entra_invite as ei
        from entra_invite.testing import Emulator
        # Ctrl-C raises KeyboardInterrupt, as in a terminal: a suite started in the background
        # (`cmd &` without job control) hands its children SIGINT ignored.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        with Emulator() as emu:
            c = emu.client()
            c.lookup("warm@fabrikam.com")
            emu.set_faults({"latencyMs": {"min": 10000, "max": 10000}})
            print("ready", flush=True)
            t = time.monotonic()
            try:
                c.lookup("a@fabrikam.com")
                # How long the call took says whether the signal was lost or came too late.
                print("not interrupted", round(time.monotonic() - t, 1), flush=True)
            except KeyboardInterrupt:
                deadline = time.monotonic() + 1
                while ei._native._live_tasks() and time.monotonic() < deadline:
                    time.sleep(0.01)
                print("interrupted", round(time.monotonic() - t, 1), ei._native._live_tasks(), flush=True)
            emu.set_faults(None)
    """
    p = subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    assert p.stdout is not None
    assert p.stdout.readline().strip() == "ready"
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=30)
    assert p.returncode == 0, err
    words = out.split()
    assert words[0] == "interrupted", out
    assert float(words[1]) < 3 and words[2] == "0"


GATHER_HEAVY = """
import asyncio, threading, entra_invite as ei
from entra_invite.testing import Emulator

emu = Emulator()
c = emu.async_client()
sync = emu.client()

async def main() -> None:
    await asyncio.gather(*(c.lookup(f"u{i}@fabrikam.com") for i in range(300)))
    for i in range(100):                     # left in flight at exit
        asyncio.get_running_loop().create_task(c.lookup(f"late{i}@fabrikam.com"))
    await asyncio.sleep(0)

asyncio.run(main())
emu.set_faults({"latencyMs": {"min": 2000, "max": 2000}})
threading.Thread(target=lambda: sync.lookup("x@fabrikam.com"), daemon=True).start()
print("done", flush=True)
"""


def test_twenty_gather_heavy_runs_all_exit_zero(tmp_path: Path) -> None:
    script = tmp_path / "gather_heavy.py"
    script.write_text(GATHER_HEAVY)
    codes = []
    for _ in range(20):
        p = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
        codes.append(p.returncode)
        assert "done" in p.stdout, p.stderr
        assert "Event loop is closed" not in p.stderr and "Fatal Python error" not in p.stderr, p.stderr
    assert codes == [0] * 20


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_can_use_a_new_client(emu: Emulator, client: ei.Client) -> None:
    client.invite("parent@fabrikam.com", invite_redirect_url=REDIRECT)   # runtime running before fork
    url, tenant, cid, secret = emu.url, emu.tenant, emu.client_id, emu.client_secret
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        code = 1
        try:
            os.close(r)
            c = ei.Client(tenant=tenant, client_id=cid, client_secret=secret, graph_url=url)
            found = c.lookup("parent@fabrikam.com").exists
            ac = ei.AsyncClient(tenant=tenant, client_id=cid, client_secret=secret, graph_url=url)
            inv = asyncio.run(ac.invite("child@fabrikam.com", invite_redirect_url=REDIRECT))
            os.write(w, f"{found} {bool(inv.id)}".encode())
            code = 0
        finally:
            os._exit(code)
    os.close(w)
    deadline = time.monotonic() + 30
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        assert time.monotonic() < deadline, "forked child hung"
        time.sleep(0.05)
    got = os.read(r, 100).decode()
    os.close(r)
    assert os.waitstatus_to_exitcode(status) == 0
    assert got == "True True"
    assert client.lookup("child@fabrikam.com").exists        # the parent still works


def test_a_panic_in_the_core_is_an_internal_error(emu: Emulator, client: ei.Client) -> None:
    """A task that panics on the runtime (as a bug in the core would) raises InternalError through
    the blocking path: no PanicException (a BaseException, which this would not catch), no abort,
    and the process, the runtime and the clients carry on."""
    for _ in range(2):
        with pytest.raises(ei.EntraInviteError) as e:
            ei._native._force_internal_error()
        assert type(e.value) is ei.InternalError
        assert e.value.kind == "Internal"
    assert not client.lookup("after-a-panic@fabrikam.com").exists
    assert client.invite("after-a-panic@fabrikam.com", invite_redirect_url=REDIRECT).id
    assert ei._native._live_tasks() == 0


async def test_a_panic_in_the_core_is_an_internal_error_async(emu: Emulator, aclient: ei.AsyncClient) -> None:
    with pytest.raises(ei.EntraInviteError) as e:
        await ei._native._force_internal_error_async()
    assert type(e.value) is ei.InternalError
    assert e.value.kind == "Internal"
    got = await asyncio.gather(*(ei._native._force_internal_error_async() for _ in range(4)),
                               return_exceptions=True)
    assert all(type(g) is ei.InternalError for g in got), got
    assert not (await aclient.lookup("after-a-panic@fabrikam.com")).exists
    assert (await aclient.invite("after-a-panic@fabrikam.com", invite_redirect_url=REDIRECT)).id
    assert ei._native._live_tasks() == 0
