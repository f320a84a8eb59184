//! The toolbar: a button per label (with its shortcut), the entity type picker, undo and
//! redo, and the file actions (Download JSON, Upload JSON, Export).

use yew::prelude::*;

use super::{
    files::{chosen_files, download_exports, download_workspace, open_picker, upload},
    store::{Msg, Store},
};
use crate::{formats::Format, state::Action};

/// The time now, ISO 8601, from the browser's clock.
pub fn now() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// A new set id from the clock.
pub fn new_set_id() -> String {
    format!("set-{}", js_sys::Date::now() as u64)
}

/// Sends the message for a label: typed labels open the type picker.
pub fn tag(store: &UseReducerHandle<Store>, label: &str) {
    let typed = store.state().workspace.labels.label(label).is_some_and(|l| l.typed);
    if typed {
        store.dispatch(Msg::PickType);
    } else {
        store.dispatch(Msg::Tag { label: label.to_owned(), entity_type: None, at: now(), new_set: new_set_id() });
    }
}

/// Props of [`Toolbar`].
#[derive(Properties, PartialEq, Clone)]
pub struct ToolbarProps {
    /// The store.
    pub store: UseReducerHandle<Store>,
}

/// The toolbar.
#[function_component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let store = &props.store;
    let state = store.state();
    let labels = &state.workspace.labels;
    let format = use_state(|| Format::Jsonl);
    let upload_ref = use_node_ref();

    let label_buttons: Html = labels
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let store = store.clone();
            let id = l.id.clone();
            let key = l.key.map(|k| k.to_string());
            html! {
                <button type="button" class={classes!("label-button", format!("slot-{i}"))}
                        aria-keyshortcuts={key.clone()}
                        onclick={Callback::from(move |_| tag(&store, &id))}>
                    { &l.name }
                    if let Some(k) = key { <kbd aria-hidden="true">{ k }</kbd> }
                </button>
            }
        })
        .collect();

    let undo = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Msg::Do(Action::Undo, now())))
    };
    let redo = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Msg::Do(Action::Redo, now())))
    };
    let download = {
        let store = store.clone();
        Callback::from(move |_| download_workspace(&store))
    };
    let open_upload = open_picker(&upload_ref);
    let on_file = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            if let Some(file) = chosen_files(&e).into_iter().next() {
                upload(store.clone(), file);
            }
        })
    };
    let on_format = {
        let format = format.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(f) = select.value().parse() {
                format.set(f);
            }
        })
    };
    let export = {
        let store = store.clone();
        let format = *format;
        Callback::from(move |_| download_exports(&store, format))
    };

    html! {
        <div class="toolbar" role="toolbar" aria-label="Annotate">
            <div class="group" role="group" aria-label="Labels">{ label_buttons }</div>
            <label class="snap">
                <input type="checkbox" checked={store.snap_to_words} onchange={
                    let store = store.clone();
                    Callback::from(move |e: Event| {
                        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                        store.dispatch(Msg::SnapToWords(input.checked()));
                    })
                } />
                { "Snap to words" }
            </label>
            <div class="group" role="group" aria-label="Links">
                <button type="button" aria-keyshortcuts="a" onclick={
                    let store = store.clone();
                    Callback::from(move |_| store.dispatch(Msg::Attribute))
                }>{ "Attribute" }<kbd aria-hidden="true">{ "a" }</kbd></button>
            </div>
            <div class="group" role="group" aria-label="History">
                <button type="button" onclick={undo} disabled={!store.state().can_undo()} aria-keyshortcuts="Control+Z">{ "Undo" }</button>
                <button type="button" onclick={redo} disabled={!store.state().can_redo()} aria-keyshortcuts="Control+Shift+Z Control+Y">{ "Redo" }</button>
            </div>
            <div class="group" role="group" aria-label="Files">
                <button type="button" onclick={download}>{ "Download JSON" }</button>
                <button type="button" onclick={open_upload}>{ "Upload JSON" }</button>
                <input type="file" class="hidden-input" accept=".json,application/json" ref={upload_ref}
                       onchange={on_file} tabindex="-1" aria-hidden="true" />
                <label class="export-format">
                    <span class="visually-hidden">{ "Export format" }</span>
                    <select onchange={on_format} aria-label="Export format">
                        { for Format::ALL.iter().map(|f| html! {
                            <option value={f.id()} selected={*f == *format}>{ f.title() }</option>
                        }) }
                    </select>
                </label>
                <button type="button" onclick={export}>{ "Export" }</button>
            </div>
        </div>
    }
}

/// Props of [`TypePicker`].
#[derive(Properties, PartialEq, Clone)]
pub struct TypePickerProps {
    /// The store.
    pub store: UseReducerHandle<Store>,
}

/// The entity type menu shown after "Entity": a button per type with its key.
#[function_component]
pub fn TypePicker(props: &TypePickerProps) -> Html {
    let store = &props.store;
    let menu_ref = use_focus_first();
    let state = store.state();
    let labels = &state.workspace.labels;
    let Some(typed) = labels.labels.iter().find(|l| l.typed).map(|l| l.id.clone()) else {
        return html! {};
    };
    let items: Html = labels
        .entity_types
        .iter()
        .map(|t| {
            let store = store.clone();
            let (typed, ty) = (typed.clone(), t.id.clone());
            let key = t.key.map(|k| k.to_string());
            html! {
                <button type="button" role="menuitem" aria-keyshortcuts={key.clone()}
                        onclick={Callback::from(move |_| store.dispatch(Msg::Tag { label: typed.clone(), entity_type: Some(ty.clone()), at: now(), new_set: new_set_id() }))}>
                    { &t.name }
                    if let Some(k) = key { <kbd aria-hidden="true">{ k }</kbd> }
                </button>
            }
        })
        .collect();
    html! {
        <div class="picker" role="menu" aria-label="Entity type" ref={menu_ref}>
            <span class="picker-title">{ "Entity type:" }</span>
            { items }
            { cancel_item(store) }
        </div>
    }
}

/// How many entities the speaker menu offers.
const SPEAKER_CHOICES: usize = 12;

/// Props of [`SpeakerPicker`].
#[derive(Properties, PartialEq, Clone)]
pub struct SpeakerPickerProps {
    /// The store.
    pub store: UseReducerHandle<Store>,
}

/// The menu of the document's entities, to attribute the chosen quote or claim to one.
#[function_component]
pub fn SpeakerPicker(props: &SpeakerPickerProps) -> Html {
    let store = &props.store;
    let menu_ref = use_focus_first();
    let (Some(set), Some(from)) = (store.active_set(), store.attributing) else { return html! {} };
    let Some(from_span) = set.span(from) else { return html! {} };
    let kind = if from_span.label == "claim" { "claimant" } else { "speaker" };
    let state = store.state();
    let ws = &state.workspace;
    let Some(doc) = ws.document(&set.doc_id) else { return html! {} };
    let index = doc.index();
    // The entities nearest the quote or claim (a speaker is named close by), so the menu
    // stays short in a long article.
    let mut entities: Vec<&crate::model::Span> = set.spans().iter().filter(|s| ws.labels.label(&s.label).is_some_and(|l| l.typed)).collect();
    let distance = |s: &crate::model::Span| s.range.start().abs_diff(from_span.range.start());
    entities.sort_by_key(|s| distance(s));
    entities.truncate(SPEAKER_CHOICES);
    entities.sort_by_key(|s| s.range.start());
    let items: Html = entities
        .iter()
        .map(|e| {
            let store = store.clone();
            let (set_id, to) = (set.id.clone(), e.id);
            let name = format!("{}: {}", super::article_view::describe(&ws.labels, e), index.slice(e.range));
            let pick = Callback::from(move |_| store.dispatch(Msg::Do(Action::AddRelation { set: set_id.clone(), kind: kind.to_owned(), from, to }, now())));
            html! { <button type="button" role="menuitem" onclick={pick}>{ name }</button> }
        })
        .collect();
    html! {
        <div class="picker" role="menu" aria-label={if kind == "speaker" { "Speaker" } else { "Claimant" }} ref={menu_ref}>
            <span class="picker-title">{ format!("Attribute “{}” to:", index.slice(from_span.range)) }</span>
            if entities.is_empty() {
                <span>{ "no entities in this set yet: tag the speaker as an entity first." }</span>
            }
            { items }
            { cancel_item(store) }
        </div>
    }
}

/// A menu's ref whose first button takes the focus when the menu opens, so a picker works
/// from the keyboard at once.
#[hook]
fn use_focus_first() -> NodeRef {
    let menu_ref = use_node_ref();
    {
        let menu_ref = menu_ref.clone();
        use_effect_with((), move |_| {
            let first = menu_ref.cast::<web_sys::Element>().and_then(|m| m.query_selector("button").ok().flatten());
            if let Some(b) = first.and_then(|f| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(f).ok()) {
                let _ = b.focus();
            }
        });
    }
    menu_ref
}

/// The "Cancel" item that closes a picker (Escape does the same).
fn cancel_item(store: &UseReducerHandle<Store>) -> Html {
    let store = store.clone();
    let cancel = Callback::from(move |_| store.dispatch(Msg::Cancel));
    html! { <button type="button" role="menuitem" onclick={cancel} aria-keyshortcuts="Escape">{ "Cancel" }</button> }
}
