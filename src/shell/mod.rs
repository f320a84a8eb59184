//! The browser shell: a thin Yew interface over the pure core (wasm32 only).
//!
//! - [`store`]: the Yew adapter of [`crate::state::session`];
//! - [`components`]: one component per file, each taking the values it shows plus callbacks,
//!   or reading the store from context;
//! - [`hooks`]: autosave, tab sync, keyboard shortcuts, and small view helpers;
//! - [`services`]: the browser's storage, files (downloads, uploads, pickers), the formats
//!   worker's client, the clock and the source of ids, and User Timing measures.
//!
//! Imports go one way: components use hooks, services and the store; hooks use services and
//! the store; services use the store; the store uses only the core (`tests/architecture.rs`).

pub mod components;
pub mod hooks;
pub mod services;
pub mod store;

pub use components::app::{App, AppProps, Start};
