//! The toolbar: a button per label (with its shortcut), Snap to words, Attribute, undo and
//! redo, the file actions (Download JSON, Upload JSON, Export) and the shortcuts list.

use yew::prelude::*;

use crate::{
    formats::Format,
    keymap::{self, Command, Context},
    shell::{
        services::{
            clock::{new_set_id, now},
            files::{chosen_files, download_exports, download_workspace, open_picker, upload},
        },
        store::{use_store, Msg},
    },
    state::Action,
};

/// Props of [`Toolbar`].
#[derive(Properties, PartialEq, Clone)]
pub struct ToolbarProps {
    /// Opens the "Keyboard shortcuts" dialog.
    pub on_help: Callback<()>,
    /// Opens or closes the "Agreement" region.
    pub on_agreement: Callback<()>,
    /// Whether the "Agreement" region is open.
    pub agreement_open: bool,
}

/// The toolbar.
#[function_component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let store = use_store();
    let format = use_state(|| Format::Jsonl);
    let upload_ref = use_node_ref();

    // Callbacks handed to plain elements are made per render: memoising them (use_callback)
    // saves nothing in Yew and cost 6 KB of wasm here. Callbacks passed to child components
    // are memoised where they are made (the App's).
    let send = |msg: fn() -> Msg| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(msg()))
    };
    let undo = send(|| Msg::Do(Action::Undo, now()));
    let redo = send(|| Msg::Do(Action::Redo, now()));
    let attribute = send(|| Msg::Attribute);
    let snap = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            store.dispatch(Msg::SnapToWords(input.checked()));
        })
    };
    let download = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| download_workspace(&store))
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
        let (store, format) = (store.clone(), *format);
        Callback::from(move |_: MouseEvent| download_exports(&store, format))
    };
    let help = props.on_help.reform(|_: MouseEvent| ());
    let agreement = props.on_agreement.reform(|_: MouseEvent| ());

    let state = store.state();
    let labels = &state.workspace.labels;
    let map = keymap::keymap(labels);
    let shortcut = |command: &Command| keymap::aria(&map, Context::Page, command);
    let label_buttons: Html = labels
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let (store, id) = (store.clone(), l.id.clone());
            let key = l.key.map(|k| k.to_string());
            html! {
                <button type="button" class={classes!("label-button", format!("slot-{i}"))}
                        aria-keyshortcuts={shortcut(&Command::Label(l.id.clone()))}
                        onclick={Callback::from(move |_: MouseEvent| store.dispatch(Msg::Label { label: id.clone(), at: now(), new_set: new_set_id() }))}>
                    { &l.name }
                    if let Some(k) = key { <kbd aria-hidden="true">{ k }</kbd> }
                </button>
            }
        })
        .collect();

    html! {
        <div class="toolbar" role="toolbar" aria-label="Annotate">
            <div class="group" role="group" aria-label="Labels">{ label_buttons }</div>
            <label class="snap">
                <input type="checkbox" checked={store.snap_to_words} onchange={snap} />
                { "Snap to words" }
            </label>
            <div class="group" role="group" aria-label="Links">
                <button type="button" aria-keyshortcuts={shortcut(&Command::Attribute)} onclick={attribute}>{ "Attribute" }<kbd aria-hidden="true">{ "a" }</kbd></button>
            </div>
            <div class="group" role="group" aria-label="History">
                <button type="button" onclick={undo} disabled={!state.can_undo()} aria-keyshortcuts={shortcut(&Command::Undo)}>{ "Undo" }</button>
                <button type="button" onclick={redo} disabled={!state.can_redo()} aria-keyshortcuts={shortcut(&Command::Redo)}>{ "Redo" }</button>
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
            <button type="button" onclick={agreement} aria-expanded={props.agreement_open.to_string()}>{ "Agreement" }</button>
            <button type="button" class="help-button" onclick={help} aria-keyshortcuts={shortcut(&Command::Help)} aria-haspopup="dialog">{ "Keyboard shortcuts" }</button>
        </div>
    }
}
