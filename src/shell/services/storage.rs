//! The page's storage: `localStorage` as a [`Backend`], and the page's one [`Saver`] over
//! it. The rules (what is saved, unreadable records kept aside, two tabs) are
//! [`crate::storage`]'s and tested natively; this file only talks to the browser.

use std::cell::OnceCell;

use crate::{
    model::Workspace,
    seeds,
    storage::{Aside, Backend, SaveError, Saver, StorageError, KEY},
};

use super::{clock::now, timing};

/// `window.localStorage`.
#[derive(Debug, Default)]
pub struct LocalStorage;

impl LocalStorage {
    fn store() -> Result<web_sys::Storage, StorageError> {
        match gloo::utils::window().local_storage() {
            Ok(Some(s)) => Ok(s),
            Ok(None) | Err(_) => Err(StorageError::Unavailable),
        }
    }
}

/// What the browser threw, as a [`StorageError`].
fn refused(e: wasm_bindgen::JsValue) -> StorageError {
    let name = js_sys::Reflect::get(&e, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
    if name == "QuotaExceededError" {
        StorageError::Full
    } else {
        StorageError::Refused(name)
    }
}

impl Backend for LocalStorage {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        let store = Self::store()?;
        // Reading the workspace record is a measure of its own for make bench.
        let read = || store.get_item(key).map_err(refused);
        if key == KEY {
            timing::measure("spanwright:load:read", read)
        } else {
            read()
        }
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        Self::store()?.set_item(key, value).map_err(refused)
    }

    fn remove(&self, key: &str) -> Result<(), StorageError> {
        Self::store()?.remove_item(key).map_err(refused)
    }

    fn keys(&self) -> Result<Vec<String>, StorageError> {
        let store = Self::store()?;
        let n = store.length().map_err(refused)?;
        Ok((0..n).filter_map(|i| store.key(i).ok().flatten()).collect())
    }
}

thread_local! {
    static SAVER: OnceCell<Saver<LocalStorage>> = const { OnceCell::new() };
}

/// Runs `f` with the page's saver.
pub fn with<T>(f: impl FnOnce(&Saver<LocalStorage>) -> T) -> T {
    SAVER.with(|s| f(s.get_or_init(|| Saver::new(LocalStorage))))
}

/// The workspace to start with, and a problem to show, if any.
pub fn load() -> (Workspace, Option<String>) {
    timing::measure("spanwright:load", || with(|s| s.load(seeds::documents(), &now())))
}

/// Saves the workspace, unless another tab saved since this page last did.
pub fn save(ws: &Workspace) -> Result<(), SaveError> {
    timing::measure("spanwright:save", || with(|s| s.save(ws, &now())))
}

/// The workspace as another tab just saved it.
pub fn reload() -> Result<Workspace, String> {
    with(|s| s.reload(seeds::documents()))
}

/// Everything kept aside.
pub fn asides() -> Vec<Aside> {
    with(|s| s.asides())
}

/// Deletes one kept-aside copy.
pub fn discard(key: &str) -> Result<(), StorageError> {
    with(|s| s.discard(key))
}

/// The generation this page last read or wrote.
pub fn generation() -> u64 {
    with(|s| s.generation())
}

/// (downloaded, dismissed) generations of the backup record.
pub fn backup_marks() -> (u64, u64) {
    with(|s| s.backup_marks())
}

/// Another tab changed the backup record.
pub fn forget_backup_marks() {
    with(|s| s.forget_backup_marks())
}

/// Who annotates in this browser, as last given.
pub fn annotator() -> String {
    with(|s| s.annotator())
}

/// Remembers who annotates in this browser.
pub fn remember_annotator(name: &str) -> Result<(), StorageError> {
    with(|s| s.remember_annotator(name))
}

/// The adjudication decisions kept for these sets of `doc`.
pub fn decisions(doc: &str, sets: &[String]) -> std::collections::BTreeMap<String, crate::agreement::adjudicate::Decision> {
    with(|s| s.decisions(doc, sets))
}

/// Keeps the adjudication decisions for these sets of `doc`.
pub fn remember_decisions(
    doc: &str,
    sets: &[String],
    decisions: &std::collections::BTreeMap<String, crate::agreement::adjudicate::Decision>,
) -> Result<(), StorageError> {
    with(|s| s.remember_decisions(doc, sets, decisions))
}

/// The workspace as it is now was downloaded.
pub fn mark_downloaded() -> Result<(), StorageError> {
    with(|s| s.mark_downloaded())
}

/// The user said "Not now" to the backup reminder.
pub fn dismiss_backup() -> Result<(), StorageError> {
    with(|s| s.dismiss_backup())
}

/// A suggestion setting kept in this browser ("" when never given).
pub fn setting(key: crate::storage::Setting) -> String {
    with(|s| s.setting(key))
}

/// Keeps a suggestion setting in this browser.
pub fn remember_setting(key: crate::storage::Setting, value: &str) -> Result<(), StorageError> {
    with(|s| s.remember_setting(key, value))
}
