"""pytest plugin (registered through the ``pytest11`` entry point of entra-invite-testing): the
``entra_invite_emulator`` fixture, a fresh in-process Graph emulator per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from . import Emulator


@pytest.fixture
def entra_invite_emulator() -> Iterator[Emulator]:
    """A running :class:`entra_invite_testing.Emulator`, stopped after the test."""
    with Emulator() as emu:
        yield emu
