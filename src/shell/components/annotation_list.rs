//! The side panel: the active set's spans in document order (label, type, text and
//! attribution), each of which can be chosen (scrolls to it) or deleted.

use yew::prelude::*;

use super::set_bar::SetBar;
use crate::{
    layout::{describe, slot},
    model::{
        caret::{self, Step},
        CharRange, OffsetIndex, SpanId,
    },
    shell::{
        services::clock::now,
        store::{use_store, Msg, Store},
    },
    state::Action,
};

/// Spans shown per page of the list.
const PAGE: usize = 12;

/// The list named "Annotations".
#[function_component]
pub fn AnnotationList() -> Html {
    let store = use_store();
    let store = &store;
    // Long sets are shown a page at a time, so the panel stays light with 10,000 spans; the
    // page follows the chosen span. It is worked out in the render that sees the chosen span
    // move, not by an effect after it: that would draw the list twice, the old page first.
    // (The page, and where the chosen span was when the page last followed it.)
    let page = use_mut_ref(|| (0usize, None::<usize>));
    let redraw = use_force_update();
    let focus_index = store.focused.and_then(|id| store.active_set().and_then(|s| s.spans().iter().position(|x| x.id == id)));
    {
        let mut page = page.borrow_mut();
        if page.1 != focus_index {
            page.1 = focus_index;
            if let Some(i) = focus_index {
                page.0 = i / PAGE;
            }
        }
    }
    let state = store.state();
    let ws = &state.workspace;
    let Some(set) = store.active_set() else {
        return html! {
            <section class="annotations" aria-labelledby="annotations-title">
                <h2 class="panel-title" id="annotations-title">{ "Annotations" }</h2>
                <SetBar />
                <p class="empty">{ "Select text in the article, then press a label button or its key." }</p>
                <ul aria-label="Annotations"></ul>
            </section>
        };
    };
    let Some(doc) = ws.document(&set.doc_id) else { return html! {} };
    let index = doc.index();
    let len = index.char_len();
    let text_of = |r: CharRange| CharRange::new(r.start(), r.end(), len).map(|r| index.slice(r).to_owned()).unwrap_or_default();

    let total = set.spans().len();
    let pages = total.div_ceil(PAGE).max(1);
    let current = page.borrow().0.min(pages - 1);
    let first = current * PAGE;
    // One component per span, so an edit redraws only the items whose text changed (the new
    // span's, the chosen one's), not the whole page.
    let items: Html = set
        .spans()
        .iter()
        .skip(first)
        .take(PAGE)
        .map(|span| {
            let links: Vec<(u64, String)> = set
                .relations()
                .iter()
                .filter(|r| r.from == span.id)
                .filter_map(|r| set.span(r.to).map(|to| (r.id, format!("{} → {}", r.kind, text_of(to.range)))))
                .collect();
            let focused = store.focused == Some(span.id);
            html! {
                <AnnotationItem key={span.id.to_string()} dispatch={store.dispatcher()} set={AttrValue::from(set.id.clone())} id={span.id}
                                slot={slot(&ws.labels, span)} what={AttrValue::from(describe(&ws.labels, span))} text={AttrValue::from(text_of(span.range))}
                                {links} {focused} editor={focused.then(|| (store.clone(), store.revision))} />
            }
        })
        .collect();
    let turn = |to: usize| {
        let (page, redraw) = (page.clone(), redraw.clone());
        Callback::from(move |_| {
            page.borrow_mut().0 = to;
            redraw.force_update();
        })
    };

    html! {
        <section class="annotations" aria-labelledby="annotations-title">
            <h2 class="panel-title" id="annotations-title">{ format!("Annotations ({})", set.spans().len()) }</h2>
            <SetBar />
            <ul aria-label="Annotations">{ items }</ul>
            if pages > 1 {
                <nav class="pager" aria-label="Annotation pages">
                    <button type="button" disabled={current == 0} onclick={turn(current.saturating_sub(1))}>{ "Previous" }</button>
                    <span>{ format!("{}–{} of {total}", first + 1, (first + PAGE).min(total)) }</span>
                    <button type="button" disabled={current + 1 >= pages} onclick={turn(current + 1)}>{ "Next" }</button>
                </nav>
            }
        </section>
    }
}

/// Props of [`AnnotationItem`].
#[derive(Properties, PartialEq)]
struct AnnotationItemProps {
    dispatch: UseReducerDispatcher<Store>,
    set: AttrValue,
    id: SpanId,
    /// The colour slot of its label or type.
    slot: usize,
    /// "Entity (Person)".
    what: AttrValue,
    /// The span's text.
    text: AttrValue,
    /// Its relations from it: (id, "speaker → text").
    links: Vec<(u64, String)>,
    focused: bool,
    /// The store and its revision, for the editor of the chosen span.
    editor: Option<(UseReducerHandle<Store>, u64)>,
}

/// One span in the list: choose, unlink, delete, and the editor when it is the chosen one.
#[function_component]
fn AnnotationItem(props: &AnnotationItemProps) -> Html {
    let (what, text, focused) = (&props.what, &props.text, props.focused);
    let choose = {
        let (dispatch, id) = (props.dispatch.clone(), props.id);
        Callback::from(move |_| dispatch.dispatch(Msg::Focus(Some(id))))
    };
    let delete = {
        let (dispatch, set_id, id) = (props.dispatch.clone(), props.set.to_string(), props.id);
        Callback::from(move |_| dispatch.dispatch(Msg::Do(Action::RemoveSpan { set: set_id.clone(), span: id }, now())))
    };
    let editor = match &props.editor {
        Some((store, version)) => html! { <SpanEditor store={store.clone()} span={props.id} version={*version} /> },
        None => html! {},
    };
    html! {
        <li class={classes!("annotation", focused.then_some("focused"))}>
            <button type="button" class="choose" aria-pressed={focused.to_string()} onclick={choose}>
                <span class={classes!("what", format!("sw-{}", props.slot))}>{ what.clone() }</span>
                <span class="span-text">{ format!("“{text}”") }</span>
                { for props.links.iter().map(|(_, l)| html! { <span class="link">{ l }</span> }) }
            </button>
            { for props.links.iter().map(|(rel, l)| {
                let (dispatch, set_id, rel) = (props.dispatch.clone(), props.set.to_string(), *rel);
                let remove = Callback::from(move |_| dispatch.dispatch(Msg::Do(Action::RemoveRelation { set: set_id.clone(), relation: rel }, now())));
                html! { <button type="button" class="unlink" onclick={remove} aria-label={format!("Remove link {l}")}>{ "Unlink" }</button> }
            }) }
            <button type="button" class="delete" onclick={delete}
                    aria-label={format!("Delete {what} “{text}”")}>{ "Delete" }</button>
            { editor }
        </li>
    }
}

/// Props of [`SpanEditor`].
#[derive(Properties, PartialEq, Clone)]
struct SpanEditorProps {
    store: UseReducerHandle<Store>,
    span: SpanId,
    /// The store's revision when the parent rendered (the handle reads live state).
    version: u64,
}

/// The chosen span's editor: its label and type, its boundaries and its note.
#[function_component]
fn SpanEditor(props: &SpanEditorProps) -> Html {
    let store = &props.store;
    let note_ref = use_node_ref();
    let state = store.state();
    let ws = &state.workspace;
    let (Some(set), id) = (store.active_set(), props.span) else { return html! {} };
    let (Some(span), Some(doc)) = (set.span(id), ws.document(&set.doc_id)) else { return html! {} };
    let set_id = set.id.clone();
    let current = match &span.entity_type {
        Some(t) => format!("{}/{t}", span.label),
        None => span.label.clone(),
    };
    let options: Vec<(String, String)> = ws
        .labels
        .labels
        .iter()
        .flat_map(|l| {
            if l.typed {
                ws.labels.entity_types.iter().map(|t| (format!("{}/{}", l.id, t.id), format!("{} ({})", l.name, t.name))).collect()
            } else {
                vec![(l.id.clone(), l.name.clone())]
            }
        })
        .collect();
    let relabel = {
        let (store, set_id) = (store.clone(), set_id.clone());
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let value = select.value();
            let (label, entity_type) = match value.split_once('/') {
                Some((l, t)) => (l.to_owned(), Some(t.to_owned())),
                None => (value, None),
            };
            store.dispatch(Msg::Do(Action::RelabelSpan { set: set_id.clone(), span: id, label, entity_type }, now()));
        })
    };
    // Each boundary moves by one grapheme cluster, so a span never cuts an emoji or a CRLF.
    let (start, end) = (span.range.start(), span.range.end());
    let text = doc.text.clone();
    let nudge = |label: &'static str, which_end: bool, forward: bool| {
        let (store, set_id, text) = (store.clone(), set_id.clone(), text.clone());
        let onclick = Callback::from(move |_| {
            let index = OffsetIndex::new(&text);
            let (s, e) =
                if which_end { (start, caret::step(&index, end, Step::Cluster, forward)) } else { (caret::step(&index, start, Step::Cluster, forward), end) };
            store.dispatch(Msg::Do(Action::ResizeSpan { set: set_id.clone(), span: id, start: s, end: e }, now()));
        });
        html! { <button type="button" {onclick}>{ label }</button> }
    };
    let to_selection = {
        let (store, set_id) = (store.clone(), set_id.clone());
        Callback::from(move |_| {
            if let Some(r) = store.selection {
                store.dispatch(Msg::Do(Action::ResizeSpan { set: set_id.clone(), span: id, start: r.start(), end: r.end() }, now()));
            }
        })
    };
    let save_note = {
        let (store, set_id, note_ref) = (store.clone(), set_id.clone(), note_ref.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(area) = note_ref.cast::<web_sys::HtmlTextAreaElement>() {
                store.dispatch(Msg::Do(Action::SetNote { set: set_id.clone(), span: id, note: Some(area.value()) }, now()));
            }
        })
    };
    html! {
        <div class="span-editor" role="group" aria-label="Edit annotation">
            <label>{ "Label " }
                <select onchange={relabel}>
                    { for options.iter().map(|(v, name)| html! { <option value={v.clone()} selected={*v == current}>{ name }</option> }) }
                </select>
            </label>
            <div role="group" aria-label="Boundaries" class="boundaries">
                { nudge("Start earlier", false, false) }
                { nudge("Start later", false, true) }
                { nudge("End earlier", true, false) }
                { nudge("End later", true, true) }
                <button type="button" onclick={to_selection} disabled={store.selection.is_none()}>{ "Use selection" }</button>
            </div>
            <form onsubmit={save_note} class="note">
                <label>{ "Note" }
                    <textarea ref={note_ref} rows="2" defaultvalue={span.note.clone().unwrap_or_default()} />
                </label>
                <button type="submit">{ "Save note" }</button>
            </form>
            if let Some(note) = &span.note {
                <p class="saved-note">{ format!("Note: {note}") }</p>
            }
        </div>
    }
}
