"""The production package carries no emulator: it lives in the separate entra-invite-testing."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from importlib import metadata
from pathlib import Path

import entra_invite
import entra_invite_testing

#: Strings only the emulator's code has (its control routes, its web framework).
EMULATOR_MARKS = [b"/_emulator/", b"axum"]


def native_file(module: object) -> Path:
    f = getattr(getattr(module, "_native"), "__file__", None)
    assert f is not None
    return Path(f)


def test_the_production_extension_has_no_emulator() -> None:
    main = native_file(entra_invite).read_bytes()
    testing = native_file(entra_invite_testing).read_bytes()
    for mark in EMULATOR_MARKS:
        assert mark not in main, mark
        assert mark in testing, mark
    assert not hasattr(entra_invite._native, "_Emulator")


def test_the_pytest_plugin_comes_with_the_testing_package() -> None:
    def plugins(dist: str) -> list[str]:
        return [e.value for e in metadata.distribution(dist).entry_points if e.group == "pytest11"]

    assert plugins("entra-invite") == []
    assert plugins("entra-invite-testing") == ["entra_invite_testing.pytest_plugin"]
    assert metadata.version("entra-invite") == metadata.version("entra-invite-testing")
    assert entra_invite.__version__ == entra_invite_testing.__version__
    requires = metadata.requires("entra-invite-testing") or []
    assert f"entra-invite=={entra_invite.__version__}" in requires


def test_import_works_without_the_testing_package() -> None:
    # As if entra-invite-testing were not installed (None in sys.modules hides a module).
    code = textwrap.dedent("""
        import sys
        sys.modules["entra_invite_testing"] = None
        import entra_invite
        assert entra_invite.Client and entra_invite.AsyncClient
        try:
            import entra_invite.testing
        except ImportError as e:
            assert "pip install entra-invite-testing" in str(e), e
            print("ok")
        else:
            raise SystemExit("entra_invite.testing imported without entra-invite-testing")
    """)
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                       env={**os.environ})
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == ["ok"]


def test_the_re_export_is_the_testing_package() -> None:
    from entra_invite.testing import READONLY_CLIENT_ID, Emulator

    assert Emulator is entra_invite_testing.Emulator
    assert READONLY_CLIENT_ID == entra_invite_testing.READONLY_CLIENT_ID
