//! The annotation sets of the article on screen (one per annotator, say): switch between
//! them, mark the article done in one ("Mark done"), create, rename, duplicate, and delete
//! after a confirmation. Every edit goes through
//! the reducer, so undo brings a deleted set back.

use yew::prelude::*;

use crate::{
    shell::{
        services::{
            clock::{new_set_id, now},
            storage,
        },
        store::{use_store, Msg, Notice},
    },
    state::Action,
};

/// What the set bar is asking for, if anything.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Asking {
    Nothing,
    NewName,
    Rename,
    DuplicateName,
    ConfirmDelete,
}

/// The group named "Annotation sets".
#[function_component]
pub fn SetBar() -> Html {
    let store = use_store();
    let store = &store;
    let asking = use_state(|| Asking::Nothing);
    let name_ref = use_node_ref();
    let annotator_ref = use_node_ref();
    {
        // Put the focus in the name field as soon as it appears.
        let name_ref = name_ref.clone();
        use_effect_with(*asking, move |_| {
            if let Some(input) = name_ref.cast::<web_sys::HtmlInputElement>() {
                let _ = input.focus();
                input.select();
            }
        });
    }
    let Some(doc) = store.doc.clone() else { return html! {} };
    let state = store.state();
    let ws = &state.workspace;
    let sets: Vec<_> = ws.sets_of(&doc).collect();
    let active = ws.active_set(&doc);
    let active_id = active.map(|s| s.id.clone());
    let active_name = active.map(|s| s.name.clone()).unwrap_or_default();
    let active_annotator = active.map(|s| s.annotator.clone()).unwrap_or_default();
    let done = active.is_some_and(|s| s.done);
    let toggle_done = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Msg::MarkDone { done: !done, at: now(), new_set: new_set_id() }))
    };

    let switch = {
        let (store, doc) = (store.clone(), doc.clone());
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            store.dispatch(Msg::Do(Action::SwitchSet { doc: doc.clone(), set: select.value() }, now()));
        })
    };
    let ask = |what: Asking| {
        let asking = asking.clone();
        Callback::from(move |_| asking.set(what))
    };
    let submit = {
        let (store, asking, name_ref, annotator_ref, doc, active_id) =
            (store.clone(), asking.clone(), name_ref.clone(), annotator_ref.clone(), doc.clone(), active_id.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(input) = name_ref.cast::<web_sys::HtmlInputElement>() else { return };
            let name = input.value().trim().to_owned();
            if name.is_empty() {
                store.dispatch(Msg::Notice(Notice::Problem("A set needs a name.".into())));
                return;
            }
            let annotator = annotator_ref.cast::<web_sys::HtmlInputElement>().map(|i| i.value().trim().to_owned()).unwrap_or_default();
            // Each is one undo step: the set and who annotated it change together.
            let actions = match (*asking, active_id.clone()) {
                (Asking::NewName, _) => vec![Action::CreateSet { id: new_set_id(), doc: doc.clone(), name, annotator: annotator.clone() }],
                (Asking::Rename, Some(set)) => {
                    vec![Action::RenameSet { set: set.clone(), name }, Action::SetAnnotator { set, annotator: annotator.clone() }]
                }
                (Asking::DuplicateName, Some(set)) => {
                    let id = new_set_id();
                    vec![Action::DuplicateSet { set, id: id.clone(), name }, Action::SetAnnotator { set: id, annotator: annotator.clone() }]
                }
                _ => return,
            };
            store.dispatch(Msg::DoAll(actions, now()));
            if !annotator.is_empty() && annotator != store.annotator {
                // Sets made from now on in this browser are theirs.
                if let Err(e) = storage::remember_annotator(&annotator) {
                    store.dispatch(Msg::Notice(Notice::Problem(format!("Could not remember the annotator's name: {e}."))));
                }
                store.dispatch(Msg::Annotator(annotator));
            }
            asking.set(Asking::Nothing);
        })
    };
    let delete = {
        let (store, asking, active_id) = (store.clone(), asking.clone(), active_id.clone());
        Callback::from(move |_| {
            if let Some(set) = active_id.clone() {
                store.dispatch(Msg::Do(Action::DeleteSet { set }, now()));
            }
            asking.set(Asking::Nothing);
        })
    };
    let cancel = ask(Asking::Nothing);
    let on_key = {
        let asking = asking.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                asking.set(Asking::Nothing);
            }
        })
    };
    let who = match *asking {
        Asking::Rename => active_annotator.clone(),
        _ if !store.annotator.is_empty() => store.annotator.clone(),
        _ => active_annotator.clone(),
    };
    let (prompt, default) = match *asking {
        Asking::NewName => ("Name of the new set", format!("Annotations {}", sets.len() + 1)),
        Asking::Rename => ("New name of the set", active_name.clone()),
        Asking::DuplicateName => ("Name of the copy", format!("{active_name} (copy)")),
        _ => ("", String::new()),
    };
    let span_count = active.map_or(0, |s| s.spans().len());

    html! {
        <div class="sets" role="group" aria-label="Annotation sets" onkeydown={on_key}>
            if !sets.is_empty() {
                <label>{ "Set " }
                    <select onchange={switch}>
                        { for sets.iter().map(|s| html! {
                            <option value={s.id.clone()} selected={Some(&s.id) == active_id.as_ref()}>
                                { format!("{} ({}{})", s.name, s.spans().len(), if s.done { ", done" } else { "" }) }
                            </option>
                        }) }
                    </select>
                </label>
            }
            <div class="set-actions">
                <button type="button" class="mark-done" aria-pressed={done.to_string()} onclick={toggle_done}>{ "Mark done" }</button>
                <button type="button" onclick={ask(Asking::NewName)}>{ "New set" }</button>
                if active.is_some() {
                    <button type="button" onclick={ask(Asking::Rename)}>{ "Rename set" }</button>
                    <button type="button" onclick={ask(Asking::DuplicateName)}>{ "Duplicate set" }</button>
                    <button type="button" onclick={ask(Asking::ConfirmDelete)}>{ "Delete set" }</button>
                }
            </div>
            if matches!(*asking, Asking::NewName | Asking::Rename | Asking::DuplicateName) {
                <form class="set-name" onsubmit={submit}>
                    <label>{ prompt }<input ref={name_ref} type="text" value={default} /></label>
                    <label>{ "Annotator" }<input ref={annotator_ref} type="text" value={who} placeholder="your name" /></label>
                    <button type="submit">{ "Save" }</button>
                    <button type="button" onclick={cancel.clone()}>{ "Cancel" }</button>
                </form>
            }
            if *asking == Asking::ConfirmDelete {
                <div class="confirm" role="alertdialog" aria-label="Delete set" aria-describedby="delete-set-why">
                    <p id="delete-set-why">{ format!("Delete “{active_name}” and its {span_count} annotations? Undo brings it back.") }</p>
                    <button type="button" onclick={delete}>{ format!("Delete “{active_name}”") }</button>
                    <button type="button" onclick={cancel}>{ "Keep it" }</button>
                </div>
            }
        </div>
    }
}
