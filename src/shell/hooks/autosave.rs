//! Saving after every change, off the typing path: a change starts a short timer, and changes
//! within it are saved together. Hiding or leaving the page journals the unsaved records to
//! `localStorage` (which writes at once) and saves, so nothing is lost on reload or tab close.

use std::rc::Rc;

use gloo::{events::EventListener, timers::callback::Timeout};
use yew::prelude::*;

use super::save_status::SaveStatus;
use crate::{
    shell::{services::storage, store::Store},
    storage::Saved,
};

/// How long after a change the workspace is saved; changes within it are saved together,
/// so a burst of edits costs one serialisation instead of one per key press.
const SAVE_DELAY_MS: u32 = 200;

/// Saves the store's workspace after each change, and says how it went in `status`.
#[hook]
pub fn use_autosave(store: &UseReducerHandle<Store>, status: &SaveStatus) {
    let timer = use_mut_ref(|| None::<Timeout>);
    let flush: Rc<dyn Fn()> = {
        let (store, status) = (store.clone(), status.clone());
        Rc::new(move || save_now(&store, &status))
    };
    {
        let (store, status, timer, flush) = (store.clone(), status.clone(), timer.clone(), flush.clone());
        use_effect_with(store.revision, move |rev| {
            if *rev > 0 && *rev != store.adopted {
                status.set(Saved::Pending);
                let flush = flush.clone();
                // Replacing the timer cancels the one before; its callback never runs.
                *timer.borrow_mut() = Some(Timeout::new(SAVE_DELAY_MS, move || flush()));
            }
        });
    }
    let store = store.clone();
    use_effect_with((), move |_| {
        // Journaled first: the page may be gone before the save's transaction commits.
        let away: Rc<dyn Fn()> = Rc::new(move || {
            storage::journal(&store);
            flush();
        });
        let on_hide = {
            let away = away.clone();
            EventListener::new(&gloo::utils::document(), "visibilitychange", move |_| {
                if gloo::utils::document().visibility_state() == web_sys::VisibilityState::Hidden {
                    away();
                }
            })
        };
        let on_leave = EventListener::new(&gloo::utils::window(), "pagehide", move |_| away());
        move || drop((on_hide, on_leave))
    });
}

/// Saves what waits to be saved, if anything; when edits came in while it was written, the
/// status stays "Saving…" and they are saved next.
fn save_now(store: &UseReducerHandle<Store>, status: &SaveStatus) {
    if status.get() != Saved::Pending && store.state().touched().is_empty() {
        return;
    }
    let (again, status) = (store.clone(), status.clone());
    storage::save(store, move |result| {
        let more = result.is_ok() && !again.state().touched().is_empty();
        status.set(if more { Saved::Pending } else { Saved::after(result) });
        if more {
            save_now(&again, &status);
        }
    });
}
