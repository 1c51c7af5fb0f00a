#!/usr/bin/env bash
# install-test/python: installs this machine's wheels from dist/python into fresh venvs as a user
# would (no compiler on PATH: scripts/install-test.sh sees to that) and
#   1. with entra-invite + entra-invite-testing: runs the READMEs' Python examples (extracted by
#      bindings-python/tests/readme_examples.py) against the testing package's emulator, and a
#      smoke of invite / lookup / status / guests / bulk;
#   2. with entra-invite alone: `import entra_invite` works and entra_invite.testing says how to
#      get the emulator;
# then prints the wheel's size and the installed size of the main package.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
: "${DIST_DIR:?}" "${INSTALL_TEST_WORK:?run through scripts/install-test.sh}"
WHEELS="$DIST_DIR/python"
WORK="$INSTALL_TEST_WORK/python"
mkdir -p "$WORK"
ls "$WHEELS"/entra_invite-*.whl "$WHEELS"/entra_invite_testing-*.whl >/dev/null \
  || { echo "no wheels in $WHEELS: run scripts/dist.sh --host --only python" >&2; exit 1; }
# Only wheels, only from dist/: pip must not fall back to the sdist (it would need cargo).
PIP_DIST=(--quiet --disable-pip-version-check --no-index --find-links "$WHEELS" --only-binary :all:)

echo "-- venv with entra-invite and entra-invite-testing"
python3 -m venv "$WORK/venv"
PY="$WORK/venv/bin/python"
"$PY" -m pip install "${PIP_DIST[@]}" entra-invite-testing      # pulls entra-invite from dist/ too
# pytest for the README's pytest example (a user's own test dependency, from the registry).
have_pytest=1
"$PY" -m pip install --quiet --disable-pip-version-check pytest || have_pytest=0
"$PY" -m pip list --disable-pip-version-check 2>/dev/null | grep -i '^entra'

cd "$WORK"      # outside the repository: nothing is imported from the checkout
"$PY" - "$ROOT/bindings-python/tests" "$have_pytest" <<'PY'
import os, subprocess, sys, tempfile
from pathlib import Path

sys.path.insert(0, sys.argv[1])            # readme_examples.py only reads the READMEs
from readme_examples import blocks

import entra_invite as ei
from entra_invite_testing import Emulator

site = Path(ei.__file__).resolve().parent
assert "site-packages" in str(site), site  # the installed package, not the checkout
have_pytest = sys.argv[2] == "1"

failed = 0
examples = blocks()
assert len(examples) >= 5, examples
for label, code in examples:
    with Emulator() as emu, tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "AZURE_TENANT_ID": emu.tenant, "AZURE_CLIENT_ID": emu.client_id,
               "AZURE_CLIENT_SECRET": emu.client_secret, "ENTRA_INVITE_GRAPH_URL": emu.url}
        if "def test_" in code:
            if not have_pytest:
                print(f"   skip {label} (pytest could not be installed)")
                continue
            Path(tmp, "test_example.py").write_text(code)
            cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_example.py"]
        else:
            cmd = [sys.executable, "-c", code]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env, cwd=tmp)
        print(f"   {'ok  ' if p.returncode == 0 else 'FAIL'} {label}")
        if p.returncode:
            failed += 1
            print(p.stdout, p.stderr, sep="\n", file=sys.stderr)

# The five things a user does first, directly against the testing package's emulator.
with Emulator() as emu, tempfile.TemporaryDirectory() as tmp:
    client = emu.client()
    redirect = "https://myapps.microsoft.com/"
    inv = client.invite("taylor@fabrikam.com", invite_redirect_url=redirect, send_invitation_message=True)
    assert emu.outbox()[0]["inviteRedeemUrl"] == inv.invite_redeem_url
    assert client.lookup("taylor@fabrikam.com").exists
    assert client.status("taylor@fabrikam.com").state == "PendingAcceptance"
    emu.redeem("taylor@fabrikam.com")
    assert client.status("taylor@fabrikam.com").state == "Accepted"
    assert sum(1 for _ in client.guests()) == 1
    rows = Path(tmp, "partners.csv")
    rows.write_text("invitedUserEmailAddress,inviteRedirectUrl\n"
                    f"lee@northwind.com,{redirect}\nkim@litware.com,{redirect}\ntaylor@fabrikam.com,{redirect}\n")
    run = client.bulk_invite(rows, results=Path(tmp, "results.csv"))
    outcomes = sorted(r.outcome for r in run)
    assert outcomes == ["existing", "invited", "invited"], outcomes
    print(f"   ok   smoke: invite, lookup, status, guests, bulk ({run.summary.invited} invited)")

sys.exit(1 if failed else 0)
PY

echo "-- venv with entra-invite only"
python3 -m venv "$WORK/venv-main"
PYM="$WORK/venv-main/bin/python"
"$PYM" -m pip install "${PIP_DIST[@]}" entra-invite
"$PYM" - "$WHEELS" <<'PY'
import sys
from pathlib import Path

import entra_invite as ei

assert ei.Client and ei.AsyncClient
try:
    import entra_invite.testing  # noqa: F401
except ImportError as e:
    assert "pip install entra-invite-testing" in str(e), e
else:
    raise SystemExit("entra_invite.testing imported without entra-invite-testing")
pkg = Path(ei.__file__).parent
files = [f for f in pkg.rglob("*") if f.is_file()]
size = sum(f.stat().st_size for f in files)
disk = sum(f.stat().st_blocks * 512 for f in files)
print(f"   ok   import entra_invite {ei.__version__} without the testing package")
print(f"   installed: site-packages/entra_invite {size / 2**20:.2f} MiB ({disk / 2**20:.2f} MiB on disk)")
for w in sorted(Path(sys.argv[1]).glob("entra_invite*.whl")):
    print(f"   wheel:     {w.name} {w.stat().st_size / 2**20:.2f} MiB")
PY
