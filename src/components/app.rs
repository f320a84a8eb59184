//! The top-level component: header, the "Articles" navigation, the toolbar, the article and
//! the Annotations panel. It owns the store, keeps the selected article in the URL (see
//! [`crate::route`]), saves after every change and handles the keyboard shortcuts.

use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::{
    annotation_list::AnnotationList,
    article_list::ArticleList,
    article_view::ArticleView,
    persist,
    recovery::{BackupReminder, Recovery},
    store::{Msg, Notice, Store},
    toolbar::{new_set_id, now, tag, SpeakerPicker, Toolbar, TypePicker},
};
use crate::{route::Route, state::Action};

fn current_route() -> Route {
    Route::parse(&gloo::utils::window().location().hash().unwrap_or_default())
}

/// Whether the save after the latest change worked.
#[derive(Clone, PartialEq)]
enum Saved {
    Yes,
    No(String),
    /// A change waits for its save (see `SAVE_DELAY_MS`).
    Pending,
    /// Another tab saved while this one held unsaved changes.
    Conflict,
}

/// How long after a change the workspace is saved; changes within it are saved together,
/// so a burst of edits costs one serialisation instead of one per key press.
const SAVE_DELAY_MS: u32 = 200;

/// The whole app.
#[function_component]
pub fn App() -> Html {
    let store = use_reducer(|| {
        let (ws, problem) = persist::load();
        Store::new(ws, problem.map(Notice::Problem))
    });
    let route = use_state(current_route);
    let saved = use_state(|| Saved::Yes);
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| route.set(current_route()));
            move || drop(listener)
        });
    }

    // The document on screen follows the route.
    let docs: Vec<_> = store.state().workspace.documents().to_vec();
    let selected = match &*route {
        Route::Home => docs.first().cloned().ok_or(None),
        Route::Doc(id) => docs.iter().find(|d| &d.id == id).cloned().ok_or(Some(id.clone())),
    };
    let selected_id = selected.as_ref().ok().map(|d| d.id.clone());
    {
        let store = store.clone();
        use_effect_with(selected_id.clone(), move |id| store.dispatch(Msg::Open(id.clone())));
    }

    // Save after every change, off the typing path: a change starts a short timer, and
    // changes within it are saved together. Hiding or leaving the page saves at once, so
    // nothing is lost on reload or tab close. Then say "Saved", or why not.
    let pending = use_mut_ref(|| false);
    let timer = use_mut_ref(|| None::<gloo::timers::callback::Timeout>);
    let flush: Rc<dyn Fn()> = {
        let (store, saved, pending) = (store.clone(), saved.clone(), pending.clone());
        Rc::new(move || {
            if std::mem::take(&mut *pending.borrow_mut()) {
                saved.set(match persist::save(&store.state().workspace) {
                    Ok(()) => Saved::Yes,
                    Err(persist::SaveError::Conflict) => Saved::Conflict,
                    Err(persist::SaveError::Failed(e)) => Saved::No(e),
                });
            }
        })
    };
    {
        let (store, saved, pending, timer, flush) = (store.clone(), saved.clone(), pending.clone(), timer.clone(), flush.clone());
        use_effect_with(store.revision, move |rev| {
            if *rev > 0 && *rev != store.adopted {
                *pending.borrow_mut() = true;
                saved.set(Saved::Pending);
                let flush = flush.clone();
                // Replacing the timer cancels the one before; its callback never runs.
                *timer.borrow_mut() = Some(gloo::timers::callback::Timeout::new(SAVE_DELAY_MS, move || flush()));
            }
        });
    }
    {
        let flush = flush.clone();
        use_effect_with((), move |_| {
            let window = gloo::utils::window();
            let on_hide = {
                let flush = flush.clone();
                EventListener::new(&gloo::utils::document(), "visibilitychange", move |_| {
                    if gloo::utils::document().visibility_state() == web_sys::VisibilityState::Hidden {
                        flush();
                    }
                })
            };
            let on_leave = EventListener::new(&window, "pagehide", move |_| flush());
            move || drop((on_hide, on_leave))
        });
    }

    // Another tab saved: take its work if this tab has nothing unsaved, else let the user
    // choose. Either way nothing is overwritten without a word.
    {
        let store = store.clone();
        let saved = saved.clone();
        let pending = pending.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "storage", move |e| {
                let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else { return };
                if e.key().as_deref() == Some(crate::storage::BACKUP_KEY) {
                    persist::forget_backup_marks();
                    return;
                }
                if e.key().is_some_and(|k| k != crate::storage::GENERATION_KEY) {
                    return;
                }
                if persist::unsaved() || *pending.borrow() {
                    saved.set(Saved::Conflict);
                    return;
                }
                match persist::reload() {
                    Ok(ws) => {
                        store.dispatch(Msg::Adopt(ws, "Brought in the changes saved in another tab.".into()));
                        saved.set(Saved::Yes);
                    }
                    Err(problem) => saved.set(Saved::No(problem)),
                }
            });
            move || drop(listener)
        });
    }

    // Draw a caret the keyboard moved.
    use_effect_with((store.caret, store.caret_from_keys), |(caret, keys)| {
        if let (Some((anchor, head)), true) = (caret, keys) {
            super::article_view::show_caret(*anchor, *head);
        }
    });

    // Keyboard shortcuts, unless the user is typing in a field.
    {
        let store = store.clone();
        use_effect_with((store.revision, store.focused, store.picking, store.attributing, store.selection), move |_| {
            // Not passive: handled shortcuts prevent the browser's own action.
            let options = gloo::events::EventListenerOptions::enable_prevent_default();
            let listener = EventListener::new_with_options(&gloo::utils::document(), "keydown", options, move |e| {
                let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
                let typing = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
                if typing {
                    return;
                }
                let key = e.key();
                let ctrl = e.ctrl_key() || e.meta_key();
                let handled = if ctrl && (key == "z" || key == "Z") {
                    let action = if e.shift_key() { Action::Redo } else { Action::Undo };
                    store.dispatch(Msg::Do(action, now()));
                    true
                } else if ctrl && key == "y" {
                    store.dispatch(Msg::Do(Action::Redo, now()));
                    true
                } else if ctrl || e.alt_key() {
                    false
                } else if store.picking.is_some() {
                    // Read what is needed, and let go of the state, before dispatching.
                    let (typed, ty) = {
                        let state = store.state();
                        let labels = &state.workspace.labels;
                        let typed = labels.labels.iter().find(|l| l.typed).map(|l| l.id.clone());
                        let ty = labels.entity_types.iter().find(|t| t.key.map(|k| k.to_string()) == Some(key.clone())).map(|t| t.id.clone());
                        (typed, ty)
                    };
                    match (typed, ty) {
                        (Some(label), Some(t)) => {
                            store.dispatch(Msg::Tag { label, entity_type: Some(t), at: now(), new_set: new_set_id() });
                            true
                        }
                        _ if key == "Escape" => {
                            store.dispatch(Msg::Cancel);
                            true
                        }
                        _ => false,
                    }
                } else if key == "Delete" || key == "Backspace" {
                    let set = store.active_set_id();
                    match (store.focused, set) {
                        (Some(span), Some(set)) => {
                            store.dispatch(Msg::Do(Action::RemoveSpan { set, span }, now()));
                            true
                        }
                        _ => false,
                    }
                } else if key == "a" && store.focused.is_some() {
                    store.dispatch(Msg::Attribute);
                    true
                } else if key == "Escape" {
                    store.dispatch(Msg::Cancel);
                    true
                } else {
                    let label = store.state().workspace.labels.labels.iter().find(|l| l.key.map(|k| k.to_string()) == Some(key.clone())).map(|l| l.id.clone());
                    match label {
                        Some(label) if store.selection.is_some() => {
                            tag(&store, &label);
                            true
                        }
                        _ => false,
                    }
                };
                if handled {
                    e.prevent_default();
                }
            });
            move || drop(listener)
        });
    }

    let take_other = {
        let (store, saved) = (store.clone(), saved.clone());
        Callback::from(move |_| match persist::reload() {
            Ok(ws) => {
                store.dispatch(Msg::Adopt(ws, "Loaded the work saved in the other tab.".into()));
                saved.set(Saved::Yes);
            }
            Err(problem) => saved.set(Saved::No(problem)),
        })
    };
    let status = match (&store.notice, &*saved) {
        (_, Saved::Conflict) => html! {
            <div class="status problem" role="alert">
                <p>{ "Another tab saved changes to this workspace while this tab had changes it could not save. Nothing was overwritten: use Download JSON to keep this tab's work, or load the other tab's." }</p>
                <button type="button" onclick={take_other}>{ "Load the other tab's work" }</button>
            </div>
        },
        (Some(Notice::Problem(p)), _) => html! { <p class="status problem" role="alert">{ p }</p> },
        (_, Saved::No(why)) => html! {
            <p class="status problem" role="alert">{ format!("Not saved: {why}. Your work is kept in this tab; use Download JSON to keep a copy.") }</p>
        },
        (Some(Notice::Info(i)), Saved::Yes) => html! { <p class="status" role="status">{ i }</p> },
        (None, Saved::Yes) => html! { <p class="status" role="status">{ if store.revision > 0 { "Saved" } else { "" } }</p> },
        (None, Saved::Pending) => html! { <p class="status" role="status">{ "Saving…" }</p> },
        (Some(Notice::Info(i)), Saved::Pending) => html! { <p class="status" role="status">{ i }</p> },
    };

    // What the keyboard caret is inside, for those who cannot hover.
    let at_caret: Option<String> = store.caret.filter(|_| store.caret_from_keys).and_then(|(_, head)| {
        let set = store.active_set()?;
        let state = store.state();
        let labels = &state.workspace.labels;
        let inside: Vec<String> =
            set.spans().iter().filter(|s| s.range.start() <= head && head < s.range.end()).map(|s| super::article_view::describe(labels, s)).collect();
        (!inside.is_empty()).then(|| format!("At the caret: {}", inside.join(" ⊃ ")))
    });

    let doc_list: Rc<Vec<_>> = Rc::new(store.state().workspace.documents().to_vec());
    html! {
        <>
            <header class="app-header">
                <h1>{ "Spanwright" }</h1>
                <p class="tagline">{ "Mark claims, quotes and entities in news text. Everything stays in this browser." }</p>
            </header>
            <Toolbar store={store.clone()} />
            if store.picking.is_some() {
                <TypePicker store={store.clone()} />
            }
            if store.attributing.is_some() {
                <SpeakerPicker store={store.clone()} />
            }
            { status }
            <Recovery />
            <BackupReminder store={store.clone()} generation={persist::generation()} />
            <p class="caret-info" aria-live="polite">{ at_caret.unwrap_or_default() }</p>
            <div class="layout">
                <ArticleList docs={doc_list} selected={selected_id.map(AttrValue::from)} store={store.clone()} />
                <main class="workspace">
                    { match selected {
                        Ok(doc) => html! { <ArticleView {doc} store={store.clone()} version={(store.revision, store.focused, store.doc.clone(), store.reveal)} caret={store.caret.map(|(_, head)| head)} /> },
                        Err(Some(id)) => html! {
                            <p class="notice" role="alert">{ format!("There is no article with the id “{id}”. Choose one from the list.") }</p>
                        },
                        Err(None) => html! { <p class="notice">{ "No articles yet." }</p> },
                    } }
                </main>
                <AnnotationList store={store.clone()} />
            </div>
        </>
    }
}
