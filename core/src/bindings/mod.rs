//! What a language binding needs beside the derives on the models: each file is compiled only
//! with its binding's feature (`python`, `napi`, `uniffi`), which that binding crate turns on.

#[cfg(feature = "napi")]
pub(crate) mod napi;
#[cfg(feature = "python")]
mod python;
#[cfg(feature = "uniffi")]
mod uniffi;
