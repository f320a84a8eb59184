//! Another tab saved: take its work if this page has nothing unsaved, else let the user
//! choose ([`TabSync`], tested natively). Either way nothing is overwritten without a word.

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::save_status::SaveStatus;
use crate::{
    shell::{
        services::storage::{self, LocalStorage},
        store::{Msg, Store},
    },
    storage::{Saved, Saver, TabSync},
};

/// Listens for other tabs' saves.
#[hook]
pub fn use_tab_sync(store: &UseReducerHandle<Store>, status: &SaveStatus) {
    let (store, status) = (store.clone(), status.clone());
    use_effect_with((), move |_| {
        let listener = EventListener::new(&gloo::utils::window(), "storage", move |e| {
            let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else { return };
            let key = e.key();
            if Saver::<LocalStorage>::is_backup_key(key.as_deref()) {
                storage::forget_backup_marks();
                return;
            }
            if !Saver::<LocalStorage>::is_save_by_another_tab(key.as_deref()) {
                return;
            }
            match TabSync::when_another_tab_saved(&status.get()) {
                TabSync::Conflict => status.set(Saved::Conflict),
                TabSync::Adopt => take_other_tabs_work(&store, &status, "Brought in the changes saved in another tab."),
            }
        });
        move || drop(listener)
    });
}

/// Loads the work another tab saved into this page (also the conflict's "Load the other
/// tab's work").
pub fn take_other_tabs_work(store: &UseReducerHandle<Store>, status: &SaveStatus, message: &str) {
    match storage::reload() {
        Ok(ws) => {
            store.dispatch(Msg::Adopt(ws, message.into()));
            status.set(Saved::Yes);
        }
        Err(problem) => status.set(Saved::No(problem)),
    }
}
