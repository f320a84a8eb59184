//! Browser storage for the workspace: read once at start, written after every change, and
//! watched for saves from other tabs. What to save and how to read it back is
//! [`crate::storage`]'s; this file only talks to `localStorage` and reports failures
//! instead of hiding them.
//!
//! Two tabs: every save bumps a generation count. A tab only saves over the generation it
//! last read or wrote; if another tab saved in between, the save is refused as a
//! [`SaveError::Conflict`] and the user chooses, so no tab silently overwrites another.

use std::cell::Cell;

use crate::{model::Workspace, seeds, storage};

thread_local! {
    /// The generation this tab last read or wrote.
    static GENERATION: Cell<u64> = const { Cell::new(0) };
    /// True while the last save failed, so this tab holds work that storage does not.
    static UNSAVED: Cell<bool> = const { Cell::new(false) };
    /// True when unreadable saved work could not be copied aside: saving over it is paused.
    static HOLD: Cell<bool> = const { Cell::new(false) };
    /// The backup record, once read.
    static BACKUP: Cell<Option<(u64, u64)>> = const { Cell::new(None) };
}

fn local_storage() -> Result<web_sys::Storage, String> {
    match gloo::utils::window().local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err("this browser has no local storage".into()),
        Err(_) => Err("browser storage is disabled (private mode or site settings)".into()),
    }
}

/// Why a save did not happen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveError {
    /// Another tab saved since this one last read or wrote.
    Conflict,
    /// Storage refused; the message says why in words a user can act on.
    Failed(String),
}

/// The workspace to start with, and a problem to show, if any. Unreadable saved text is
/// copied under [`storage::ASIDE_PREFIX`] before anything can overwrite it.
pub fn load() -> (Workspace, Option<String>) {
    super::timing::measure("spanwright:load", load_now)
}

fn load_now() -> (Workspace, Option<String>) {
    let store = match local_storage() {
        Ok(s) => s,
        Err(e) => return (Workspace::with_documents(seeds::documents()), Some(format!("Your work cannot be saved: {e}. Download it before closing the tab."))),
    };
    let saved = super::timing::measure("spanwright:load:read", || store.get_item(storage::KEY).ok().flatten());
    let restored = storage::restore(saved.as_deref(), seeds::documents());
    GENERATION.with(|g| g.set(stored_generation(&store)));
    if restored.keep_aside {
        if let Some(raw) = &saved {
            let already = asides().iter().any(|a| &a.raw == raw);
            let key = format!("{}{}", storage::ASIDE_PREFIX, super::toolbar::now());
            if !already && store.set_item(&key, raw).is_err() {
                HOLD.with(|h| h.set(true));
                return (restored.workspace, Some("Your saved work could not be read, and there is no room to keep a copy of it aside; saving is paused so it is not overwritten. Download it below, then delete it to save again.".into()));
            }
        }
    }
    (restored.workspace, restored.problem)
}

fn stored_generation(store: &web_sys::Storage) -> u64 {
    store.get_item(storage::GENERATION_KEY).ok().flatten().and_then(|g| g.parse().ok()).unwrap_or(0)
}

/// Saves the workspace, unless another tab saved since this one last did.
pub fn save(ws: &Workspace) -> Result<(), SaveError> {
    let result = super::timing::measure("spanwright:save", || try_save(ws));
    UNSAVED.with(|u| u.set(result.is_err()));
    result
}

fn try_save(ws: &Workspace) -> Result<(), SaveError> {
    if HOLD.with(Cell::get) {
        return Err(SaveError::Failed("saving is paused until the unreadable saved work below is downloaded and deleted".into()));
    }
    let store = local_storage().map_err(SaveError::Failed)?;
    let current = stored_generation(&store);
    if current != GENERATION.with(Cell::get) {
        return Err(SaveError::Conflict);
    }
    let next = current + 1;
    let refused = |e: wasm_bindgen::JsValue| {
        let name = js_sys::Reflect::get(&e, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
        SaveError::Failed(if name == "QuotaExceededError" { "browser storage is full".to_owned() } else { format!("the browser refused to store it ({name})") })
    };
    store.set_item(storage::KEY, &storage::encode(ws, next, &super::toolbar::now())).map_err(refused)?;
    store.set_item(storage::GENERATION_KEY, &next.to_string()).map_err(refused)?;
    GENERATION.with(|g| g.set(next));
    Ok(())
}

/// True when this tab holds changes that storage does not (its last save failed).
pub fn unsaved() -> bool {
    UNSAVED.with(Cell::get)
}

/// The workspace as another tab just saved it, taking its generation as this tab's.
pub fn reload() -> Result<Workspace, String> {
    let store = local_storage()?;
    let saved = store.get_item(storage::KEY).ok().flatten();
    let restored = storage::restore(saved.as_deref(), seeds::documents());
    if let Some(problem) = restored.problem {
        return Err(problem);
    }
    GENERATION.with(|g| g.set(restored.generation.max(stored_generation(&store))));
    UNSAVED.with(|u| u.set(false));
    Ok(restored.workspace)
}

/// Saved text kept aside because it could not be read.
#[derive(Clone, Debug, PartialEq)]
pub struct Aside {
    /// Its storage key.
    pub key: String,
    /// The text, untouched.
    pub raw: String,
    /// Why it could not be read.
    pub why: String,
}

/// Everything kept aside, oldest first; while saving is paused, the unreadable record itself.
pub fn asides() -> Vec<Aside> {
    let Ok(store) = local_storage() else { return Vec::new() };
    let mut keys: Vec<String> = (0..store.length().unwrap_or(0))
        .filter_map(|i| store.key(i).ok().flatten())
        .filter(|k| k.starts_with(storage::ASIDE_PREFIX) || (k == storage::KEY && HOLD.with(Cell::get)))
        .collect();
    keys.sort();
    keys.into_iter()
        .filter_map(|key| {
            let raw = store.get_item(&key).ok().flatten()?;
            let why = storage::restore(Some(&raw), Vec::new()).problem.unwrap_or_else(|| "it could not be read".into());
            Some(Aside { key, raw, why })
        })
        .collect()
}

/// Deletes one kept-aside copy (after the user chose to). Deleting the unreadable record
/// itself resumes saving.
pub fn discard(key: &str) {
    if let Ok(store) = local_storage() {
        let _ = store.remove_item(key);
        if key == storage::KEY {
            HOLD.with(|h| h.set(false));
            GENERATION.with(|g| g.set(stored_generation(&store)));
        }
    }
}

/// The generation this tab last read or wrote.
pub fn generation() -> u64 {
    GENERATION.with(Cell::get)
}

/// (downloaded, dismissed) generations of the backup record, read from storage once (the
/// reminder asks on every render) and again after another tab changes it.
pub fn backup_marks() -> (u64, u64) {
    if let Some(marks) = BACKUP.with(Cell::get) {
        return marks;
    }
    let record = local_storage().ok().and_then(|s| s.get_item(storage::BACKUP_KEY).ok().flatten());
    let value: serde_json::Value = record.and_then(|r| serde_json::from_str(&r).ok()).unwrap_or_default();
    let get = |k: &str| value.get(k).and_then(serde_json::Value::as_u64).unwrap_or(0);
    let marks = (get("downloaded"), get("dismissed"));
    BACKUP.with(|b| b.set(Some(marks)));
    marks
}

/// Another tab changed the backup record: read it again when next asked.
pub fn forget_backup_marks() {
    BACKUP.with(|b| b.set(None));
}

fn set_backup_marks(downloaded: u64, dismissed: u64) {
    BACKUP.with(|b| b.set(Some((downloaded, dismissed))));
    if let Ok(store) = local_storage() {
        let _ = store.set_item(storage::BACKUP_KEY, &serde_json::json!({ "downloaded": downloaded, "dismissed": dismissed }).to_string());
    }
}

/// The workspace as it is now was downloaded.
pub fn mark_downloaded() {
    let (_, dismissed) = backup_marks();
    set_backup_marks(generation(), dismissed);
}

/// The user said "Not now" to the backup reminder.
pub fn dismiss_backup() {
    let (downloaded, _) = backup_marks();
    set_backup_marks(downloaded, generation());
}
