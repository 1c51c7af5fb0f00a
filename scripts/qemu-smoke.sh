#!/usr/bin/env bash
# Runs the aarch64 artifacts from dist/ for real, under qemu-user in an arm64 Debian root: the
# Python wheels (main + testing) and the Node packages (main + linux-arm64-gnu + testing)
# install with no compiler and invite a guest against the in-process emulator. Too slow for
# CI; run it after `make dist` (needs root, qemu-user-static, binfmt-support and mmdebstrap
# from Debian's packages).
#
#   scripts/qemu-smoke.sh [DIR]     (DIR: where the artifacts are, searched recursively; default dist/)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIST="${1:-$ROOT/dist}"
CACHE="${ENTRA_INVITE_CACHE:-$HOME/.cache/entra-invite}"
rootfs="$CACHE/arm64-root"
# binfmt_misc runs arm64 executables through qemu-user (Debian's qemu-user-static registers it).
mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || update-binfmts --enable qemu-aarch64
if [ ! -x "$rootfs/usr/bin/python3" ]; then
  rm -rf "$rootfs"
  mmdebstrap --quiet --arch=arm64 --variant=apt \
    --include=python3,python3-venv,nodejs,npm,ca-certificates bookworm "$rootfs"
  # (Debian 12's Node is 18: older than the package's engines field, so npm warns; it runs.)
fi
work="$rootfs/smoke"
rm -rf "$work"
mkdir -p "$work/python" "$work/node"
find "$DIST" -name '*manylinux*aarch64*.whl' -exec cp {} "$work/python/" \;
find "$DIST" \( -name 'entra-invite-[0-9]*.tgz' -o -name 'entra-invite-linux-arm64-gnu-*.tgz' \
  -o -name 'entra-invite-testing-*.tgz' \) -exec cp {} "$work/node/" \;

cat > "$work/smoke.py" <<'PY'
import platform
from entra_invite.testing import Emulator
print("python on", platform.machine())
with Emulator() as emu:
    c = emu.client()
    inv = c.invite("taylor@fabrikam.com", invite_redirect_url="https://myapps.microsoft.com/")
    assert inv.invite_redeem_url.startswith("https://")
    assert c.lookup("taylor@fabrikam.com").exists
    print("python: invited", inv.invited_user_email_address, "status", c.status("taylor@fabrikam.com").state)
PY
cat > "$work/smoke.mjs" <<'JS'
import { Emulator } from 'entra-invite-testing'
console.log('node on', process.arch)
const emu = await Emulator.start()
try {
  const c = emu.client()
  const inv = await c.invite({ invitedUserEmailAddress: 'sam@fabrikam.com', inviteRedirectUrl: 'https://myapps.microsoft.com/' })
  if (!inv.inviteRedeemUrl.startsWith('https://')) throw new Error('no redeem URL')
  console.log('node: invited', inv.invitedUserEmailAddress, 'status', (await c.status('sam@fabrikam.com')).state)
} finally {
  await emu.stop()
}
JS
mountpoint -q "$rootfs/proc" || mount -t proc proc "$rootfs/proc"
trap 'umount "$rootfs/proc" 2>/dev/null || true' EXIT
chroot "$rootfs" /bin/sh -ec '
  cd /smoke
  uname -m
  python3 -m venv venv
  venv/bin/pip install --quiet --no-index --find-links python entra-invite entra-invite-testing
  venv/bin/python smoke.py
  mkdir app && cd app && npm init -y >/dev/null
  npm install --no-audit --no-fund --offline --loglevel=error ../node/*.tgz >/dev/null
  cp ../smoke.mjs . && node smoke.mjs
'
