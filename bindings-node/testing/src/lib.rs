//! Node.js testing addon of entra-invite, published to npm as `entra-invite-testing`: the
//! in-process Graph emulator and its control API (`NativeEmulator`, `startEmulator`), for users'
//! own tests. The production addon (`bindings-node/src`) does not contain it.
//!
//! This addon links its own copy of the core and so has its own runtime (accepted for test
//! support): the emulator runs there, while the clients a test builds come from the main package
//! and run on its runtime. The runtime backend is the main addon's very file, compiled in here
//! too, and errors map through core's `napi` feature as in the main addon (`errors.js` reads
//! both).

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod emulator;
// The main addon's error mapping, so errors look the same from both (its `errorKinds` export
// is the main addon's alone).
#[path = "../../src/errors.rs"]
#[allow(dead_code)]
mod errors;
#[path = "../../src/runtime.rs"]
#[allow(dead_code)] // its cancellation is for the client calls of the main addon
mod runtime;

pub use emulator::{start_emulator, NativeEmulator};
