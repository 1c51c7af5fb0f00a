package com.entrainvite.testing

import com.entrainvite.ClientOptions
import com.entrainvite.Secret

/**
 * A client configuration for the emulator's default app: its tenant, client id and secret,
 * `graphUrl` pointing at the emulator, and (when started with https) its certificate trusted.
 *
 * Built here from the emulator's fields because the testing library (its own native library,
 * `libentra_invite_ffi_testing`) does not know the production types.
 */
fun TestEmulator.clientConfig(): ClientOptions = ClientOptions(
    tenant = tenant(),
    clientId = clientId(),
    clientSecret = Secret(clientSecret()),
    graphUrl = url(),
    caCertPem = caCertPem(),
)
