//! Spanwright: annotate claims, quotes and entities in news text, entirely in the browser.
//!
//! The crate is a pure core with a thin browser shell:
//! - [`model`]: documents, labels, spans, relations, annotation sets (plain Rust);
//! - [`seeds`]: the bundled articles, embedded byte for byte;
//! - [`route`]: the app's place in the URL fragment;
//! - [`state`]: actions, the reducer, undo/redo;
//! - [`formats`]: native JSON, training exports, doccano and Label Studio imports;
//! - [`find`]: every hit of a query in an article (the find bar, "Tag all");
//! - [`suggest`]: suggested spans from a dictionary, a gazetteer and quotation cues;
//! - [`agreement`]: how far annotation sets agree (exact, overlap, α, κ, relations);
//! - `cli` (native only): `spanwright convert`;
//! - [`keymap`]: every keyboard shortcut, as data;
//! - [`listing`]: the article list as data: status, filter, sort, next not done, totals;
//! - [`storage`]: the saved record and the rules of saving and two tabs, over any backend;
//! - `shell` (wasm32 only): the Yew user interface over the core: components, hooks and
//!   services (storage, files, the formats worker's client, the clock, timing);
//! - `worker` (wasm32 only): the formats worker, which runs [`formats::job`]s for the page.
//!
//! Everything but `shell` and `worker` builds natively and is tested with `cargo test`.

#![deny(missing_docs)]

pub mod agreement;
pub mod dom_offsets;
pub mod find;
pub mod fixture;
pub mod formats;
pub mod keymap;
pub mod layout;
pub mod listing;
pub mod model;
pub mod route;
pub mod seeds;
pub mod state;
pub mod storage;
pub mod suggest;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(target_arch = "wasm32")]
pub mod shell;
#[cfg(target_arch = "wasm32")]
pub mod worker;
