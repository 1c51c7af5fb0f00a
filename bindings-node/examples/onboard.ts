// Every method of entra-invite, typed. Checked with `tsc --noEmit --strict -p examples`
// (run-tests.sh) and run by test/example.test.mjs after a plain transpile.
import {
  Client,
  EntraInviteError,
  InvalidInputError,
  NotFoundError,
  ThrottledError,
  type GuestStatus,
  type Invitation,
  type InvitationRequest,
  type Lookup,
} from 'entra-invite'
import { Emulator } from 'entra-invite/testing'

async function main(): Promise<void> {
  const emu: Emulator = await Emulator.start()
  try {
    const client = new Client({
      tenant: emu.tenant,
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
      graphUrl: emu.url,
      cloud: 'global',
      timeout: 30_000,
      maxRetries: 5,
    })
    const token: string = await emu.issueToken()
    const delegated = new Client({ tenant: emu.tenant, graphUrl: emu.url, tokenProvider: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) })

    const request: InvitationRequest = {
      invitedUserEmailAddress: 'taylor@fabrikam.com',
      inviteRedirectUrl: 'https://myapps.microsoft.com/',
      invitedUserDisplayName: 'Taylor',
      sendInvitationMessage: true,
      invitedUserType: 'Member',
      customizedMessageBody: 'Hello Taylor',
      messageLanguage: 'en-US',
      ccRecipients: [{ address: 'lead@contoso.com', name: 'Lead' }],
    }
    const inv: Invitation = await client.invite(request)
    const userId: string = inv.invitedUser?.id ?? ''
    console.log(inv.id, inv.inviteRedeemUrl, userId, inv.status)

    const found: Lookup = await delegated.lookup('taylor@fabrikam.com')
    if (found.exists && found.user) console.log('exists:', found.user.userPrincipalName)

    const out = await client.inviteIfAbsent({ invitedUserEmailAddress: 'kim@fabrikam.com', inviteRedirectUrl: 'https://myapps.microsoft.com/' })
    console.log(out.invited ? `invited ${out.invitation?.id}` : `already there: ${out.user?.id}`)

    await emu.redeem(userId)
    const st: GuestStatus = await client.status('taylor@fabrikam.com')
    const when: string = st.changedAt ? st.changedAt.toISOString() : 'never'
    console.log(st.userId, st.state, when)

    const pending = client.guests({ state: 'PendingAcceptance', pageSize: 100 })
    for await (const g of pending) console.log('pending:', g.email)
    console.log('total pending:', pending.total)
    for await (const page of client.guests().pages()) console.log('page of', page.length)

    const reset: Invitation = await client.resetRedemption(userId, {
      invitedUserEmailAddress: 'taylor@fabrikam.com',
      inviteRedirectUrl: 'https://myapps.microsoft.com/',
    })
    console.log('reset:', reset.resetRedemption)

    const controller = new AbortController()
    await client.lookup('someone@fabrikam.com', { signal: controller.signal })

    try {
      await client.status('nobody@fabrikam.com')
    } catch (e) {
      if (e instanceof NotFoundError) console.log('not found:', e.code, e.status, e.requestId)
      else if (e instanceof ThrottledError) console.log('come back in', e.retryAfter, 'ms')
      else if (e instanceof InvalidInputError) console.log('bad field', e.field)
      else if (e instanceof EntraInviteError) console.log(e.kind, e.message, e.clientRequestId)
      else throw e
    }
    console.log((await emu.stats()).invitationsCreated, (await emu.outbox()).length)
  } finally {
    await emu.stop()
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
