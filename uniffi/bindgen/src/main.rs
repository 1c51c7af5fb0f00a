//! `uniffi-bindgen` of exactly the uniffi version `entra-invite-ffi` is built with.

fn main() {
    uniffi::uniffi_bindgen_main()
}
