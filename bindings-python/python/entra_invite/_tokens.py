"""Calls a user's ``token_provider`` (runs on a runtime blocking thread, never on the loop)."""

from __future__ import annotations

import asyncio
import inspect
import time
from typing import Any, Awaitable

#: How long an async provider may take on the caller's event loop.
_PROVIDER_TIMEOUT = 120.0


def call_provider(provider: Any, loop: asyncio.AbstractEventLoop | None) -> tuple[str, float | None]:
    """Returns ``(access_token, seconds_until_expiry or None)``.

    The provider may return a ``str``, a ``(token, expires_in_seconds)`` pair, or an object with
    ``.token`` and ``.expires_on`` (epoch seconds), like azure-core's ``AccessToken``; or an
    awaitable of any of these.
    """
    result = provider()
    if inspect.isawaitable(result):
        result = _await(result, loop)
    return _normalise(result)


def _await(aw: Awaitable[Any], loop: asyncio.AbstractEventLoop | None) -> Any:
    async def wrapped() -> Any:
        return await aw

    if loop is not None and loop.is_running() and not loop.is_closed():
        # The AsyncClient's caller loop: loop-bound objects (sessions, locks) keep working.
        return asyncio.run_coroutine_threadsafe(wrapped(), loop).result(_PROVIDER_TIMEOUT)
    return asyncio.run(wrapped())


def _normalise(result: Any) -> tuple[str, float | None]:
    if isinstance(result, str):
        return result, None
    token = getattr(result, "token", None)
    expires_on = getattr(result, "expires_on", None)
    if isinstance(token, str):
        if expires_on is None:
            return token, None
        return token, max(0.0, float(expires_on) - time.time())
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], str):
        expires_in = result[1]
        return result[0], None if expires_in is None else float(expires_in)
    raise TypeError(
        "token_provider must return a str, a (token, expires_in) pair or an object with "
        f".token and .expires_on, not {type(result).__name__}"
    )
