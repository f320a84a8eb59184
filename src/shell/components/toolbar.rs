//! The toolbar: a button per label (with its shortcut), Snap to words, Attribute, undo and
//! redo, the file actions (Download JSON, Upload JSON, Export, and which articles the download
//! and the exports take) and the shortcuts list. A long file job shows its progress under it.

use std::rc::Rc;

use yew::prelude::*;

use crate::{
    formats::{
        scope::{listed_title, Scope},
        Format,
    },
    keymap::{self, Command, Context},
    model::LabelSet,
    shell::{
        services::{
            clock::{new_set_id, now},
            files::{chosen_files, download_exports, download_workspace, open_picker, upload},
            worker::{Stage, Told},
        },
        store::{use_live_store, use_store, Msg, Store},
    },
    state::Action,
};

/// A file job under way: what it is ("Export", "Download", "Upload") and, once it says, how
/// far it has come.
type Job = Option<(&'static str, Option<(Stage, usize, usize)>)>;

/// Starts a file job unless one is under way: what to tell of its progress.
fn begin(job: &UseStateHandle<Job>, what: &'static str) -> Option<Told> {
    if job.is_some() {
        return None;
    }
    job.set(Some((what, None)));
    let job = job.clone();
    Some(Rc::new(move |stage, done, total| match stage {
        Stage::Ended => job.set(None),
        _ => job.set(Some((what, Some((stage, done, total))))),
    }))
}

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

/// The toolbar: what it draws is taken from the store here, and drawn by [`ToolbarView`]
/// only when it changes (an edit changes none of it but the history buttons).
#[function_component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let store = use_store();
    let state = store.state();
    html! {
        <ToolbarView labels={Rc::new(state.workspace.labels.clone())} snap={store.snap_to_words} can_undo={state.can_undo()} can_redo={state.can_redo()}
                     all={state.workspace.documents().len()} listed_count={store.listed_count()}
                     on_help={props.on_help.clone()} on_agreement={props.on_agreement.clone()} agreement_open={props.agreement_open} />
    }
}

/// What [`ToolbarView`] draws.
#[derive(Properties, PartialEq)]
struct ToolbarViewProps {
    labels: Rc<LabelSet>,
    /// Snap to words.
    snap: bool,
    can_undo: bool,
    can_redo: bool,
    /// How many articles there are, and how many the filtered list holds (when filtered).
    all: usize,
    listed_count: Option<usize>,
    on_help: Callback<()>,
    on_agreement: Callback<()>,
    agreement_open: bool,
}

/// The toolbar's buttons; its handlers act on the live store.
#[function_component]
fn ToolbarView(props: &ToolbarViewProps) -> Html {
    let store = use_live_store();
    let format = use_state(|| Format::Jsonl);
    let upload_ref = use_node_ref();
    // Whether the download and the exports take the filtered list (when there is one).
    let listed = use_state(|| false);
    let job = use_state(|| None as Job);
    // The list's articles are taken at the click.
    let scope = |store: &Store, listed: bool| match store.listed_documents() {
        Some(ids) if listed => Scope::Listed(ids),
        _ => Scope::All,
    };

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
        let (store, job, listed) = (store.clone(), job.clone(), *listed);
        Callback::from(move |_: MouseEvent| {
            if let Some(told) = begin(&job, "Download") {
                download_workspace(&store, scope(&store, listed), told);
            }
        })
    };
    let open_upload = {
        // No file is chosen while another file job runs: it would have to wait unseen.
        let (open, job) = (open_picker(&upload_ref), job.clone());
        Callback::from(move |e: MouseEvent| {
            if job.is_none() {
                open.emit(e);
            }
        })
    };
    let on_file = {
        let (store, job) = (store.clone(), job.clone());
        Callback::from(move |e: Event| {
            if let Some(file) = chosen_files(&e).into_iter().next() {
                if let Some(told) = begin(&job, "Upload") {
                    upload(store.clone(), file, told);
                }
            }
        })
    };
    let on_scope = {
        let listed = listed.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            listed.set(select.value() == "listed");
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
        let (store, format, job, listed) = (store.clone(), *format, job.clone(), *listed);
        Callback::from(move |_: MouseEvent| {
            if let Some(told) = begin(&job, "Export") {
                download_exports(&store, format, scope(&store, listed), told);
            }
        })
    };
    let help = props.on_help.reform(|_: MouseEvent| ());
    let agreement = props.on_agreement.reform(|_: MouseEvent| ());

    let labels = &*props.labels;
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

    // The choice of articles: the filtered list is offered while a filter is typed.
    let (all, listed_count) = (props.all, props.listed_count);
    let listed_now = *listed && listed_count.is_some();
    let listed_title = match listed_count {
        Some(n) => listed_title(n),
        None => "The articles in the filtered list (type a filter first)".to_owned(),
    };
    let busy = job.is_some();
    let progress = match &*job {
        Some((what, Some((stage, done, total)))) => {
            let words = match (stage, *what) {
                (Stage::Handing, _) => format!("{what}: {done} of {total} articles handed to the formats worker"),
                (Stage::Adding, _) => format!("{what}: adding what was checked, part {done} of {total}"),
                (_, "Upload") => format!("Upload: {done} of {total} documents and sets checked"),
                _ => format!("{what}: {done} of {total} articles written"),
            };
            html! {
                <div class="job-progress">
                    <progress aria-label={format!("{what} progress")} max={total.max(&1).to_string()} value={done.to_string()} />
                    <span>{ words }</span>
                </div>
            }
        }
        // An upload says nothing while the file is read and parsed: say that it is under way.
        Some(("Upload", None)) => html! {
            <div class="job-progress">
                <progress aria-label="Upload progress" />
                <span>{ "Upload: reading the file…" }</span>
            </div>
        },
        _ => html! {},
    };

    html! {
        <>
        <div class="toolbar" role="toolbar" aria-label="Annotate">
            <div class="group" role="group" aria-label="Labels">{ label_buttons }</div>
            <label class="snap">
                <input type="checkbox" checked={props.snap} onchange={snap} />
                { "Snap to words" }
            </label>
            <div class="group" role="group" aria-label="Links">
                <button type="button" aria-keyshortcuts={shortcut(&Command::Attribute)} onclick={attribute}>{ "Attribute" }<kbd aria-hidden="true">{ "a" }</kbd></button>
            </div>
            <div class="group" role="group" aria-label="History">
                <button type="button" onclick={undo} disabled={!props.can_undo} aria-keyshortcuts={shortcut(&Command::Undo)}>{ "Undo" }</button>
                <button type="button" onclick={redo} disabled={!props.can_redo} aria-keyshortcuts={shortcut(&Command::Redo)}>{ "Redo" }</button>
            </div>
            <div class="group" role="group" aria-label="Files">
                <select onchange={on_scope} aria-label="Articles to download and export">
                    <option value="all" selected={!listed_now}>{ Scope::All.title(all) }</option>
                    <option value="listed" selected={listed_now} disabled={listed_count.is_none()}>{ listed_title }</option>
                </select>
                <button type="button" onclick={download} aria-disabled={busy.to_string()}>{ "Download JSON" }</button>
                <button type="button" onclick={open_upload} aria-disabled={busy.to_string()}>{ "Upload JSON" }</button>
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
                <button type="button" onclick={export} aria-disabled={busy.to_string()}>{ "Export" }</button>
            </div>
            <button type="button" onclick={agreement} aria-expanded={props.agreement_open.to_string()}>{ "Agreement" }</button>
            <button type="button" class="help-button" onclick={help} aria-keyshortcuts={shortcut(&Command::Help)} aria-haspopup="dialog">{ "Keyboard shortcuts" }</button>
        </div>
        { progress }
        </>
    }
}
