"""The public names of the Python API against tests/api/names.json (the canonical names, in
Graph's camelCase): every listed type's attributes, the exceptions' attributes (ErrorDetails),
the keyword arguments (the inputs) and the clients' methods and properties, after snake_case.
Any difference, missing or extra, fails."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path
from typing import Any

import pytest

import entra_invite as ei
from conftest import FakeGraph

NAMES: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[2] / "tests" / "api" / "names.json").read_text())

# Python-only members a client may add (context managers and `close`); no data of its own.
PYTHON_ONLY = {"close"}


def snake(name: str) -> str:
    """`invitedUserEmailAddress` -> `invited_user_email_address`, `invitationsPer5s` ->
    `invitations_per_5s`."""
    return re.sub(r"(?<=[a-z])(?=[A-Z0-9])", "_", name).lower()


def attributes(cls: type) -> set[str]:
    """The data attributes of a class: its properties / getset descriptors."""
    return {n for n, v in vars(cls).items() if not n.startswith("_") and inspect.isdatadescriptor(v)}


@pytest.mark.parametrize("type_name", sorted(set(NAMES["types"]) - {"ErrorDetails"}))
def test_every_result_type_has_the_canonical_field_names(type_name: str) -> None:
    cls = getattr(ei, type_name)
    assert attributes(cls) == {snake(n) for n in NAMES["types"][type_name]}


def test_exceptions_carry_error_details_under_its_names() -> None:
    e = ei.ThrottledError("slow down", retry_after=1.5)
    assert set(vars(e)) == {snake(n) for n in NAMES["types"]["ErrorDetails"]}
    assert e.retry_after == 1.5 and e.kind == "Throttled" and e.field is None


@pytest.mark.parametrize("cls", [ei.Client, ei.AsyncClient])
def test_client_methods_and_properties(cls: type) -> None:
    c = NAMES["client"]
    public = {n for n in vars(cls) if not n.startswith("_")}
    want = {snake(n) for n in c["methods"] + c["properties"] + c["constructors"]}
    assert public - PYTHON_ONLY == want
    assert {n for n in public if inspect.isdatadescriptor(vars(cls)[n])} == {snake(n) for n in c["properties"]}


def rejected_keywords(call: Any, names: list[str]) -> list[str]:
    """The keywords `call` refuses as unknown (TypeError "unexpected keyword argument")."""
    out = []
    for n in names:
        try:
            call(**{n: None})
        except TypeError as e:
            if "unexpected keyword argument" in str(e):
                out.append(n)
        except Exception:
            pass
    return out


def test_inputs_take_the_canonical_keyword_names(fake_graph: FakeGraph) -> None:
    inputs = NAMES["inputs"]
    options = [snake(n) for n in inputs["ClientOptions"]]
    assert rejected_keywords(lambda **kw: ei.Client(**kw), options) == []
    assert rejected_keywords(lambda **kw: ei.AsyncClient(**kw), options) == []
    assert rejected_keywords(lambda **kw: ei.Client.from_env(**kw), options) == []
    client = fake_graph.client()
    # The address is the first positional argument; the rest are keywords.
    request = [snake(n) for n in inputs["InvitationRequest"]]
    assert request[0] == "invited_user_email_address"
    for method in (client.invite, client.invite_if_absent):
        assert list(inspect.signature(method).parameters)[0] == request[0]
        assert rejected_keywords(lambda **kw: method("a@fabrikam.com", **kw), request[1:]) == []
    assert rejected_keywords(lambda **kw: client.reset_redemption("a@fabrikam.com", "b@fabrikam.com", **kw),
                             request[1:]) == []
    bulk = [snake(n) for n in inputs["BulkOptions"]]
    assert rejected_keywords(lambda **kw: client.bulk_invite(__file__, **kw), bulk) == []
    # And a name that is not canonical is refused.
    assert rejected_keywords(lambda **kw: ei.Client(**kw), ["redirect_url"]) == ["redirect_url"]
    assert rejected_keywords(lambda **kw: client.invite("a@fabrikam.com", **kw), ["redirect_url"]) == ["redirect_url"]
    assert rejected_keywords(lambda **kw: client.bulk_invite(__file__, **kw), ["settle"]) == ["settle"]
