// Types of `entra-invite/testing`: a re-export of the optional package `entra-invite-testing`
// (npm install --save-dev entra-invite-testing), which holds the in-process Graph emulator.
export * from 'entra-invite-testing'
