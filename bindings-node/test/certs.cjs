'use strict'
// Test certificates made with openssl: a PEM with certificate and key, and a PKCS#12 file.

const fs = require('node:fs')
const path = require('node:path')
const { execFileSync } = require('node:child_process')

function hasOpenssl() {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** A self-signed certificate in `dir`: `both` (certificate + key PEM), `pfx` (PKCS#12, `password`). */
function opensslCertificate(dir, password) {
  const key = path.join(dir, 'key.pem')
  const cert = path.join(dir, 'cert.pem')
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
    '-subj', '/CN=entra-invite-test', '-days', '2'], { stdio: 'ignore' })
  const both = path.join(dir, 'both.pem')
  fs.writeFileSync(both, fs.readFileSync(cert, 'utf8') + fs.readFileSync(key, 'utf8'))
  const pfx = path.join(dir, 'cert.pfx')
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', pfx, '-passout', `pass:${password}`],
    { stdio: 'ignore' })
  return { certPem: fs.readFileSync(cert, 'utf8'), keyPem: fs.readFileSync(key, 'utf8'), both, pfx }
}

module.exports = { hasOpenssl, opensslCertificate }
