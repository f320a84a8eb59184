//! Another tab saved: its records are brought in when this page has no unsaved edits of
//! them, else the user chooses ([`crate::shell::services::storage::heard`]). Tabs tell each
//! other what they wrote on a `BroadcastChannel`; either way nothing is overwritten without
//! a word. A newer Spanwright opening the database in another tab is not kept waiting: this
//! page lets the database go, journals what it has not saved, and says so.

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::save_status::SaveStatus;
use crate::{
    shell::{
        services::storage::{self, Heard, LocalStorage},
        store::{Msg, Store},
    },
    storage::{SaveError, Saved, Saver},
};

/// Listens for other tabs' saves.
#[hook]
pub fn use_tab_sync(store: &UseReducerHandle<Store>, status: &SaveStatus) {
    let (store, status) = (store.clone(), status.clone());
    use_effect_with((), move |_| {
        {
            // A newer Spanwright in another tab needs the database: this page let it go.
            let (store, status) = (store.clone(), status.clone());
            storage::on_superseded(move || {
                storage::journal(&store);
                status.set(Saved::after(Err(SaveError::Superseded)));
            });
        }
        // The backup record is still shared through localStorage.
        let backup = EventListener::new(&gloo::utils::window(), "storage", move |e| {
            let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else { return };
            if Saver::<LocalStorage>::is_backup_key(e.key().as_deref()) {
                storage::forget_backup_marks();
            }
        });
        let channel = web_sys::BroadcastChannel::new(storage::CHANNEL).ok();
        let heard = channel.as_ref().map(|channel| {
            EventListener::new(channel, "message", move |e| {
                let Some(message) = e.dyn_ref::<web_sys::MessageEvent>().and_then(|m| m.data().as_string()) else { return };
                // Once every stored record is in: another tab's save is compared with them.
                let (store, status) = (store.clone(), status.clone());
                storage::when_read(move || match storage::heard(&message, &store) {
                    Heard::Nothing => {}
                    Heard::Clash => status.set(Saved::Conflict),
                    Heard::Bring(wanted) => {
                        let status = status.clone();
                        storage::bring(store.clone(), wanted, move |r| match r {
                            Err(why) if why == storage::CLASH => status.set(Saved::Conflict),
                            Err(why) => status.set(Saved::No(why)),
                            Ok(()) => {}
                        });
                    }
                });
            })
        });
        move || {
            drop((backup, heard));
            if let Some(c) = channel {
                c.close();
            }
        }
    });
}

/// Loads everything saved into this page, dropping its unsaved edits (the conflict's "Load
/// the other tab's work").
pub fn take_other_tabs_work(store: &UseReducerHandle<Store>, status: &SaveStatus, message: &str) {
    let (store, status, message) = (store.clone(), status.clone(), message.to_owned());
    storage::reload(move |r| match r {
        Ok(ws) => {
            store.dispatch(Msg::Adopt(ws, message));
            status.set(Saved::Yes);
        }
        Err(problem) => status.set(Saved::No(problem)),
    });
}
