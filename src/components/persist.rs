//! Browser storage for the workspace: read once at start, written after every change.
//! What to save and how to read it back is [`crate::storage`]'s; this file only talks to
//! `localStorage` and reports failures instead of hiding them.

use crate::{formats::native, model::Workspace, seeds, storage};

fn local_storage() -> Result<web_sys::Storage, String> {
    match gloo::utils::window().local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err("this browser has no local storage".into()),
        Err(_) => Err("browser storage is disabled (private mode or site settings)".into()),
    }
}

/// The workspace to start with, and a problem to show, if any. Unreadable saved text is
/// copied to [`storage::UNREADABLE_KEY`] before anything can overwrite it.
pub fn load() -> (Workspace, Option<String>) {
    let store = match local_storage() {
        Ok(s) => s,
        Err(e) => return (Workspace::with_documents(seeds::documents()), Some(format!("Your work cannot be saved: {e}. Download it before closing the tab."))),
    };
    let saved = store.get_item(storage::KEY).ok().flatten();
    let restored = storage::restore(saved.as_deref(), seeds::documents());
    if restored.keep_aside {
        if let Some(raw) = &saved {
            let kept = store.get_item(storage::UNREADABLE_KEY).ok().flatten().is_some();
            if !kept && store.set_item(storage::UNREADABLE_KEY, raw).is_err() {
                return (restored.workspace, Some("Your saved work could not be read, and there is no room to keep it aside; nothing will be saved until you download a backup.".into()));
            }
        }
    }
    (restored.workspace, restored.problem)
}

/// Saves the workspace. The error says what happened in words a user can act on.
pub fn save(ws: &Workspace) -> Result<(), String> {
    let store = local_storage()?;
    store.set_item(storage::KEY, &native::save_workspace(ws)).map_err(|e| {
        let name = js_sys::Reflect::get(&e, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
        if name == "QuotaExceededError" {
            "browser storage is full".to_owned()
        } else {
            format!("the browser refused to store it ({name})")
        }
    })
}
