"""The README's Python examples run (against an emulator, through the environment)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from entra_invite.testing import Emulator

from readme_examples import blocks

EXAMPLES = blocks()


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("label,code", EXAMPLES, ids=[label for label, _ in EXAMPLES])
def test_example_runs(label: str, code: str, emu: Emulator, tmp_path: os.PathLike[str]) -> None:
    env = {
        **os.environ,
        "AZURE_TENANT_ID": emu.tenant,
        "AZURE_CLIENT_ID": emu.client_id,
        "AZURE_CLIENT_SECRET": emu.client_secret,
        "ENTRA_INVITE_GRAPH_URL": emu.url,
    }
    if "def test_" in code:
        path = os.path.join(tmp_path, "test_example.py")
        with open(path, "w") as f:
            f.write(code)
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", path]
    else:
        cmd = [sys.executable, "-c", code]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert p.returncode == 0, f"{label}\n{p.stdout}\n{p.stderr}"
