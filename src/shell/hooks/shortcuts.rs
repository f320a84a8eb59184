//! The page's keyboard shortcuts: each key press is looked up in [`crate::keymap`] (in the
//! type menu's context while it is open) and its command run. Keys typed into a text field
//! are left alone, as are keys the article text and the adjudication view handle themselves.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::{
    keymap::{self, Command, Context, Press},
    listing,
    route::Route,
    shell::{
        services::clock::{new_set_id, now},
        store::{Msg, Notice, Store},
    },
    state::Action,
};

/// The id of the find bar's search field, which `Ctrl+F` and `/` focus.
pub const FIND_FIELD: &str = "find-query";

/// The key press of a keyboard event.
pub fn press(e: &KeyboardEvent) -> Press {
    Press { key: e.key(), ctrl: e.ctrl_key() || e.meta_key(), shift: e.shift_key(), alt: e.alt_key() }
}

/// Runs a page command; returns false when it does not apply now (so the browser's own
/// action goes ahead).
pub fn run(store: &UseReducerHandle<Store>, command: Command, help: &Callback<bool>) -> bool {
    match command {
        Command::Undo => store.dispatch(Msg::Do(Action::Undo, now())),
        Command::Redo => store.dispatch(Msg::Do(Action::Redo, now())),
        Command::Label(label) if store.selection.is_some() => store.dispatch(Msg::Label { label, at: now(), new_set: new_set_id() }),
        Command::EntityType(ty) => {
            let Some(label) = store.state().workspace.labels.labels.iter().find(|l| l.typed).map(|l| l.id.clone()) else { return false };
            store.dispatch(Msg::Tag { label, entity_type: Some(ty), at: now(), new_set: new_set_id() });
        }
        Command::Delete => match (store.focused, store.active_set_id()) {
            (Some(span), Some(set)) => store.dispatch(Msg::Do(Action::RemoveSpan { set, span }, now())),
            _ => return false,
        },
        Command::Attribute if store.focused.is_some() => store.dispatch(Msg::Attribute),
        Command::Cancel => {
            help.emit(false);
            store.dispatch(Msg::Cancel);
        }
        Command::Help => help.emit(true),
        Command::Find => {
            store.dispatch(Msg::FindOpen);
            // An open bar's field takes the keyboard again; a bar opening focuses its own.
            if let Some(field) = gloo::utils::document().get_element_by_id(FIND_FIELD).and_then(|f| f.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                let _ = field.focus();
                field.select();
            }
        }
        Command::FindNext => store.dispatch(Msg::FindStep(true)),
        Command::FindPrevious => store.dispatch(Msg::FindStep(false)),
        Command::NextNotDone => {
            let list = store.listing();
            let next = listing::next_not_done(&store.state().workspace, &list.entries, &list.order, store.doc.as_deref());
            match next {
                Some(id) => {
                    let _ = gloo::utils::window().location().set_hash(&Route::Doc(id).to_hash());
                }
                None => store.dispatch(Msg::Notice(Notice::Info("Every article in the list is done.".into()))),
            }
        }
        Command::Label(_) | Command::Attribute | Command::Caret { .. } => return false,
        // The suggestion list's keys are its own, as are the adjudication view's.
        Command::NextSuggestion { .. } | Command::Accept | Command::Reject => return false,
        Command::NextConflict | Command::PreviousConflict | Command::TakeVersion(_) | Command::RejectAll | Command::EditConflict | Command::UndoDecision => {
            return false
        }
    }
    true
}

/// Handles the page's shortcuts; `help` opens (true) or closes (false) the shortcuts dialog.
#[hook]
pub fn use_shortcuts(store: &UseReducerHandle<Store>, help: Callback<bool>) {
    let store = store.clone();
    let deps = (store.revision, store.focused, store.picking, store.attributing, store.selection, (store.doc.clone(), store.filter.clone(), store.sort));
    use_effect_with(deps, move |_| {
        // Not passive: handled shortcuts prevent the browser's own action.
        let options = EventListenerOptions::enable_prevent_default();
        let listener = EventListener::new_with_options(&gloo::utils::document(), "keydown", options, move |e| {
            let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
            // Keys typed into a field, or pressed in a region with keys of its own (the
            // adjudication view), are not the page's.
            let typing = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || el.closest("[data-own-keys]").ok().flatten().is_some());
            if typing {
                return;
            }
            let press = press(e);
            let context = if store.picking.is_some() { Context::TypeMenu } else { Context::Page };
            // Undo and redo work in the type menu too.
            let command = keymap::lookup(&store.state().workspace.labels, context, &press).or_else(|| {
                (context == Context::TypeMenu && press.ctrl).then(|| keymap::lookup(&store.state().workspace.labels, Context::Page, &press)).flatten()
            });
            if let Some(command) = command {
                if run(&store, command, &help) {
                    e.prevent_default();
                }
            }
        });
        move || drop(listener)
    });
}
