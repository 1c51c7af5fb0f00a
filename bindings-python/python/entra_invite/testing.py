"""Test helpers: the Graph emulator in-process, for your own tests — from the separate package
``entra-invite-testing`` (``pip install entra-invite-testing``), re-exported here.

    from entra_invite.testing import Emulator

    with Emulator() as emu:
        client = emu.client()
        client.invite("taylor@fabrikam.com", invite_redirect_url="https://myapps.microsoft.com/")
        emu.redeem("taylor@fabrikam.com")
        assert client.status("taylor@fabrikam.com").state == "Accepted"

The production package does not contain the emulator; importing this module without
``entra-invite-testing`` installed raises ``ImportError`` saying so. ``import entra_invite``
never needs it. See ``entra_invite_testing`` for the API and the pytest fixture
``entra_invite_emulator``.
"""

from __future__ import annotations

try:
    from entra_invite_testing import READONLY_CLIENT_ID, READONLY_CLIENT_SECRET, Emulator
except ModuleNotFoundError as e:
    if e.name is not None and e.name.partition(".")[0] != "entra_invite_testing":
        raise
    raise ImportError(
        "entra_invite.testing needs the separate test-support package: "
        "pip install entra-invite-testing (or entra-invite[testing])",
        name="entra_invite_testing",
    ) from e

__all__ = ["Emulator", "READONLY_CLIENT_ID", "READONLY_CLIENT_SECRET"]
