//! The Suggestions region above the article: *Suggest spans* switches suggestions on or off
//! in the set on screen (a switch kept with the set, one undo step), and while it is on they
//! are worked out in the formats worker ([`crate::suggest`]) and the open ones listed with
//! their source ("dictionary: Lavrov → Person (1×)"), one button each: `Tab` moves between
//! them, `Enter` accepts, `Backspace` rejects (the keys of [`crate::keymap`]'s suggestions
//! context), and *Accept all from …* takes a source whole. *Import gazetteer* reads
//! `text<TAB>LABEL[<TAB>TYPE]` lines (in the worker; a bad line changes nothing and is named
//! by number), *Download gazetteer* downloads what is kept, *Clear gazetteer* forgets it, and
//! *Extra speech verbs* adds comma-separated verbs to the quotation cues. Both are kept in
//! this browser's storage ([`crate::storage::Setting`]), not in the workspace.

use yew::prelude::*;

use crate::{
    formats::{job, native},
    keymap::{self, Command, Context},
    shell::{
        hooks::shortcuts::press,
        services::{
            clock::{new_set_id, now},
            files, storage, timing, worker,
        },
        store::{use_store, Msg, Notice},
    },
    storage::Setting,
    suggest::Source,
};

/// How many open suggestions the list shows at once: a long article with a large dictionary
/// has thousands, and a button each would freeze the page.
const SHOWN: usize = 100;

/// The region named "Suggestions".
#[function_component]
pub fn SuggestionPanel() -> Html {
    let store = use_store();
    let list_ref = use_node_ref();
    // Where the keyboard goes after an accept or reject: the suggestion now at that place.
    let focus_at = use_mut_ref(|| None::<usize>);

    // Ask the worker whenever the session waits for an answer (suggestions switched on, the
    // set on screen changed, the settings changed).
    {
        let store = store.clone();
        let waiting = store.suggesting.as_ref().filter(|s| s.waiting).map(|s| (s.doc.clone(), s.set.clone(), s.asked));
        use_effect_with(waiting, move |waiting| {
            if let Some((doc, set, asked)) = waiting.clone() {
                let len = store.state().workspace.document(&doc).map_or(0, |d| d.char_len());
                let (gazetteer, verbs) = (storage::setting(Setting::Gazetteer), storage::setting(Setting::SpeechVerbs));
                let reply_store = store.clone();
                // Timed for `make bench`: from asking to the answer read (spanwright:suggest),
                // and the page's part, the answer read. The worker times its own part
                // (src/worker.rs). The dictionary spans the corpus: the job waits for stored
                // articles still being read, and the worker is handed what it lacks.
                let timing = timing::start("spanwright:suggest".to_owned());
                worker::suggest(&store, &doc, &set, &gazetteer, &verbs, move |reply| {
                    let read = |s: job::SuggestReply| timing::measure("spanwright:suggest:receive", || job::suggestions_from_reply(&s, len));
                    match reply.and_then(read) {
                        Ok(all) => {
                            timing.end();
                            reply_store.dispatch(Msg::Suggested { asked, all });
                        }
                        Err(e) => reply_store.dispatch(Msg::SuggestFailed { asked, why: e.to_string() }),
                    }
                });
            }
        });
    }
    // After the list changes, the keyboard goes to the suggestion at the place it left.
    {
        let (list_ref, focus_at) = (list_ref.clone(), focus_at.clone());
        let open = store.suggesting.as_ref().map(|s| s.open.clone());
        use_effect_with(open, move |_| {
            if let (Some(at), Some(list)) = (focus_at.borrow_mut().take(), list_ref.cast::<web_sys::Element>()) {
                focus_item(&list, at, true);
            }
        });
    }

    // The switch of the set on screen.
    let on = store.active_set().is_some_and(|s| s.suggestions);
    // The kept gazetteer, for its entry count and export (one entry a line, as kept).
    let gazetteer = use_state(|| storage::setting(Setting::Gazetteer));
    let on_import = {
        let (store, gazetteer) = (store.clone(), gazetteer.clone());
        Callback::from(move |e: Event| {
            let Some(file) = files::chosen_files(&e).into_iter().next() else { return };
            let name = file.name();
            let (store, gazetteer) = (store.clone(), gazetteer.clone());
            files::read_bytes(file, move |read| {
                let text = match read.and_then(|b| String::from_utf8(b).map_err(|_| "it is not UTF-8 text".to_owned())) {
                    Ok(text) => text,
                    Err(why) => return store.dispatch(Msg::Notice(Notice::Problem(format!("Gazetteer {name} was not imported, nothing changed: {why}")))),
                };
                let workspace = native::save_workspace_compact(&store.state().workspace);
                worker::gazetteer(workspace, &text, move |reply| {
                    let kept = reply.map_err(|e| e.to_string()).and_then(|(n, kept)| {
                        storage::remember_setting(Setting::Gazetteer, &kept).map(|_| (n, kept)).map_err(|e| format!("it could not be kept ({e})"))
                    });
                    match kept {
                        Ok((n, kept)) => {
                            gazetteer.set(kept);
                            store.dispatch(Msg::Resuggest(format!("Imported {n} gazetteer {} from {name}.", if n == 1 { "entry" } else { "entries" })));
                        }
                        Err(why) => store.dispatch(Msg::Notice(Notice::Problem(format!("{name}: {why}")))),
                    }
                });
            });
        })
    };
    let on_export = {
        let (store, gazetteer) = (store.clone(), gazetteer.clone());
        Callback::from(move |_: MouseEvent| {
            let done = match gazetteer.as_str() {
                "" => Err("there is no gazetteer to export; import one first".to_owned()),
                text => files::download("gazetteer.tsv", "text/tab-separated-values", text),
            };
            if let Err(why) = done {
                store.dispatch(Msg::Notice(Notice::Problem(format!("Download gazetteer: {why}"))));
            }
        })
    };
    let verbs = use_state(|| storage::setting(Setting::SpeechVerbs));
    let on_verbs = {
        let (store, verbs) = (store.clone(), verbs.clone());
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let value = input.value();
            if let Err(why) = storage::remember_setting(Setting::SpeechVerbs, &value) {
                store.dispatch(Msg::Notice(Notice::Problem(format!("The speech verbs could not be kept ({why}); they apply in this tab only."))));
            }
            verbs.set(value);
            store.dispatch(Msg::Resuggest(String::new()));
        })
    };
    // Forgets the kept gazetteer (nothing to undo: Download gazetteer keeps a copy first).
    let on_clear = {
        let (store, gazetteer) = (store.clone(), gazetteer.clone());
        Callback::from(move |_: MouseEvent| {
            let n = gazetteer.lines().count();
            if n == 0 {
                return store.dispatch(Msg::Notice(Notice::Info("There is no gazetteer to clear.".into())));
            }
            match storage::remember_setting(Setting::Gazetteer, "") {
                Ok(()) => {
                    gazetteer.set(String::new());
                    store.dispatch(Msg::Resuggest(format!("Cleared the gazetteer ({n} {}).", if n == 1 { "entry" } else { "entries" })));
                }
                Err(why) => store.dispatch(Msg::Notice(Notice::Problem(format!("The gazetteer could not be cleared ({why}); it is kept as it was.")))),
            }
        })
    };
    let entries = gazetteer.lines().count();
    let toggle = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Msg::SuggestOn { on: !on, at: now(), new_set: new_set_id() }))
    };
    let state = store.state();
    let map = keymap::keymap(&state.workspace.labels);
    let shortcut = |command: &Command| keymap::aria(&map, Context::Suggestions, command);
    let keys = [shortcut(&Command::Accept), shortcut(&Command::Reject)].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let body = match &store.suggesting {
        None => html! {},
        Some(sg) if sg.waiting => html! { <p class="suggestions-waiting">{ "Working out suggestions…" }</p> },
        Some(sg) if sg.failed => html! { <p>{ "The suggestions could not be worked out; the status line says why." }</p> },
        Some(sg) if sg.open.is_empty() => html! { <p>{ "No open suggestions in this set." }</p> },
        Some(sg) => {
            let doc = state.workspace.document(&sg.doc);
            let index = doc.map(|d| d.index());
            let all_buttons: Html = [Source::Dictionary, Source::Gazetteer, Source::QuoteCue]
                .into_iter()
                .filter_map(|source| {
                    let n = sg.open.iter().filter(|s| s.source == source).count();
                    let store = store.clone();
                    (n > 0).then(|| {
                        html! {
                            <button type="button" onclick={Callback::from(move |_: MouseEvent| store.dispatch(Msg::AcceptAll { source, at: now(), new_set: new_set_id() }))}>
                                { format!("Accept all from {} ({n})", source.name()) }
                            </button>
                        }
                    })
                })
                .collect();
            let items: Html = sg
                .open
                .iter()
                .take(SHOWN)
                .enumerate()
                .map(|(i, s)| {
                    let text = index.as_ref().map(|ix| ix.slice(s.range).to_owned()).unwrap_or_default();
                    let accept = {
                        let (store, focus_at) = (store.clone(), focus_at.clone());
                        Callback::from(move |_: MouseEvent| {
                            *focus_at.borrow_mut() = Some(i);
                            store.dispatch(Msg::Accept { index: i, at: now(), new_set: new_set_id() });
                        })
                    };
                    let reject = {
                        let (store, focus_at) = (store.clone(), focus_at.clone());
                        Callback::from(move |_: MouseEvent| {
                            *focus_at.borrow_mut() = Some(i);
                            store.dispatch(Msg::Reject { index: i, at: now(), new_set: new_set_id() });
                        })
                    };
                    let on_key = {
                        let (store, focus_at, list_ref) = (store.clone(), focus_at.clone(), list_ref.clone());
                        Callback::from(move |e: KeyboardEvent| {
                            let command = keymap::lookup(&store.state().workspace.labels, Context::Suggestions, &press(&e));
                            match command {
                                Some(Command::NextSuggestion { forward }) => {
                                    if let Some(list) = list_ref.cast::<web_sys::Element>() {
                                        let to = if forward { i + 1 } else { i.wrapping_sub(1) };
                                        if !focus_item(&list, to, false) {
                                            return; // past either end: Tab leaves the list as usual
                                        }
                                    }
                                }
                                Some(Command::Accept) => {
                                    *focus_at.borrow_mut() = Some(i);
                                    store.dispatch(Msg::Accept { index: i, at: now(), new_set: new_set_id() });
                                }
                                Some(Command::Reject) => {
                                    *focus_at.borrow_mut() = Some(i);
                                    store.dispatch(Msg::Reject { index: i, at: now(), new_set: new_set_id() });
                                }
                                _ => return,
                            }
                            // Handled here: not also the page's Backspace (delete the chosen span).
                            e.prevent_default();
                            e.stop_propagation();
                        })
                    };
                    html! {
                        <li key={format!("{}-{}-{}-{:?}", s.range.start(), s.range.end(), s.label, s.entity_type)}>
                            // Where it is, in code points, for scripts (make bench's session) as the
                            // dashed outline in the text is for people.
                            <button type="button" class="suggestion" onclick={accept} onkeydown={on_key} aria-keyshortcuts={keys.clone()}
                                    data-start={s.range.start().to_string()} data-end={s.range.end().to_string()}>
                                <q>{ text.clone() }</q>{ format!(" — {}: {}", s.source.name(), s.detail) }
                            </button>
                            <button type="button" class="reject" tabindex="-1" onclick={reject} aria-label={format!("Reject “{text}”")}>{ "Reject" }</button>
                        </li>
                    }
                })
                .collect();
            html! {
                <>
                    <div class="group">{ all_buttons }</div>
                    <ul class="suggestion-list" aria-label="Open suggestions" ref={list_ref.clone()}>{ items }</ul>
                    if sg.open.len() > SHOWN {
                        <p>{ format!("Showing the first {SHOWN} of {}; accepting or rejecting brings on the next.", sg.open.len()) }</p>
                    }
                </>
            }
        }
    };
    html! {
        <section class="suggestions" aria-labelledby="suggestions-title">
            <h3 id="suggestions-title">{ "Suggestions" }</h3>
            <button type="button" aria-pressed={if on { "true" } else { "false" }} onclick={toggle}>{ "Suggest spans" }</button>
            <div class="group suggestion-settings">
                <label>{ "Import gazetteer" }
                    <input type="file" accept=".tsv,.txt,text/plain,text/tab-separated-values" onchange={on_import} />
                </label>
                <button type="button" onclick={on_export}>{ "Download gazetteer" }</button>
                <button type="button" onclick={on_clear}>{ "Clear gazetteer" }</button>
                <span class="gazetteer-count">{ format!("Gazetteer: {entries} {}", if entries == 1 { "entry" } else { "entries" }) }</span>
                <label>{ "Extra speech verbs (comma-separated)" }
                    <input type="text" value={(*verbs).clone()} onchange={on_verbs} />
                </label>
            </div>
            { body }
        </section>
    }
}

/// Focuses the suggestion at `at` in the list (with `clamp`, the last one when the list is
/// shorter); false when there is none there.
fn focus_item(list: &web_sys::Element, at: usize, clamp: bool) -> bool {
    let Ok(items) = list.query_selector_all("button.suggestion") else { return false };
    let n = items.length() as usize;
    let at = if clamp && n > 0 { at.min(n - 1) } else { at };
    match items.item(at as u32).and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(n).ok()) {
        Some(el) => el.focus().is_ok(),
        None => false,
    }
}
