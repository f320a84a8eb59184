//! The side panel: the active set's spans in document order (label, type, text and
//! attribution), each of which can be chosen (scrolls to it) or deleted.

use yew::prelude::*;

use super::set_bar::SetBar;
use crate::{
    layout::{self, describe, slot},
    model::{
        caret::{self, Step},
        CharRange, OffsetIndex, Span, SpanId,
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
    let slots = use_mut_ref(Vec::<(SpanId, usize)>::new);
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
    // One component per row, so an edit redraws only the rows whose span changed. Rows are
    // keyed by a slot of the page that stays with its span while the span is on the page; a
    // span coming onto the page takes a slot another left. So a new span redraws one row
    // (and moves it into place), and turning the page (which follows the chosen span, so
    // most new spans turn it) changes the rows' text instead of making twelve new ones.
    let shown: Vec<&Span> = set.spans().iter().skip(first).take(PAGE).collect();
    let keys = {
        let mut slots = slots.borrow_mut();
        let ids: Vec<SpanId> = shown.iter().map(|s| s.id).collect();
        let keys = layout::recycle_slots(&slots, &ids);
        *slots = ids.into_iter().zip(keys.iter().copied()).collect();
        keys
    };
    let items: Html = shown
        .iter()
        .zip(keys)
        .map(|(span, key)| {
            let links: Vec<(u64, String)> = set
                .relations()
                .iter()
                .filter(|r| r.from == span.id)
                .filter_map(|r| set.span(r.to).map(|to| (r.id, format!("{} → {}", r.kind, text_of(to.range)))))
                .collect();
            let focused = store.focused == Some(span.id);
            html! {
                <AnnotationItem {key} dispatch={store.dispatcher()} set={AttrValue::from(set.id.clone())} id={span.id}
                                slot={slot(&ws.labels, span)} what={AttrValue::from(describe(&ws.labels, span))} text={AttrValue::from(text_of(span.range))}
                                {links} {focused} />
            }
        })
        .collect();
    // The chosen span's editor, one for the panel: choosing another span changes what it
    // shows rather than making a new one, and the rows above it keep their place.
    let editor = store.focused.filter(|id| set.span(*id).is_some()).map(|id| {
        html! { <SpanEditor store={store.clone()} span={id} version={store.revision} /> }
    });
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
            // One node whether or not a span is chosen: Yew matches unkeyed children from the
            // end, so a child that comes and goes at the end would redraw all the others.
            { editor.unwrap_or_default() }
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
}

/// One span in the list: choose, unlink, delete.
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
    html! {
        <li class={classes!("annotation", focused.then_some("focused"))}>
            <button type="button" class="choose" aria-pressed={focused.to_string()} onclick={choose}>
                <span class={classes!("what", format!("sw-{}", props.slot))}>{ what.clone() }</span>
                <span class="span-text">{ format!("“{text}”") }</span>
                // The links and their buttons are one node each (a list), so linking a span
                // does not shift the nodes Yew matches from the end.
                { props.links.iter().map(|(_, l)| html! { <span class="link">{ l }</span> }).collect::<Html>() }
            </button>
            { props.links.iter().map(|(rel, l)| {
                let (dispatch, set_id, rel) = (props.dispatch.clone(), props.set.to_string(), *rel);
                let remove = Callback::from(move |_| dispatch.dispatch(Msg::Do(Action::RemoveRelation { set: set_id.clone(), relation: rel }, now())));
                html! { <button type="button" class="unlink" onclick={remove} aria-label={format!("Remove link {l}")}>{ "Unlink" }</button> }
            }).collect::<Html>() }
            <button type="button" class="delete" onclick={delete}
                    aria-label={format!("Delete {what} “{text}”")}>{ "Delete" }</button>
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

/// The chosen span's editor: which span it is, its label and type, its boundaries and its
/// note. It stays mounted while the chosen span changes, so the label menu and the note are
/// set to the span shown after each render: a menu the user has changed no longer follows
/// its `selected` attributes, and a textarea they typed in no longer follows its default.
#[function_component]
fn SpanEditor(props: &SpanEditorProps) -> Html {
    let store = &props.store;
    let note_ref = use_node_ref();
    let label_ref = use_node_ref();
    let state = store.state();
    let ws = &state.workspace;
    let set = store.active_set();
    let span = set.as_deref().and_then(|set| set.span(props.span));
    let current = span.map(|span| match &span.entity_type {
        Some(t) => format!("{}/{t}", span.label),
        None => span.label.clone(),
    });
    let note = span.and_then(|span| span.note.clone());
    {
        // Apart, so a relabel does not wipe a note being typed.
        let label_ref = label_ref.clone();
        use_effect_with((props.span, current.clone()), move |(_, current)| {
            if let (Some(select), Some(current)) = (label_ref.cast::<web_sys::HtmlSelectElement>(), current) {
                select.set_value(current);
            }
        });
        let note_ref = note_ref.clone();
        use_effect_with((props.span, note.clone()), move |(_, note)| {
            if let Some(area) = note_ref.cast::<web_sys::HtmlTextAreaElement>() {
                area.set_value(note.as_deref().unwrap_or_default());
            }
        });
    }
    let (Some(set), Some(span), Some(current)) = (set.as_deref(), span, current) else { return html! {} };
    let Some(doc) = ws.document(&set.doc_id) else { return html! {} };
    let id = props.span;
    let set_id = set.id.clone();
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
    let shown = doc.index().slice(span.range).to_owned();
    html! {
        <div class="span-editor" role="group" aria-label="Edit annotation">
            <p class="editing">{ format!("{} “{shown}”", describe(&ws.labels, span)) }</p>
            <label>{ "Label " }
                <select ref={label_ref} onchange={relabel}>
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
                    <textarea ref={note_ref} rows="2" defaultvalue={note.clone().unwrap_or_default()} />
                </label>
                <button type="submit">{ "Save note" }</button>
            </form>
            if let Some(note) = &note {
                <p class="saved-note">{ format!("Note: {note}") }</p>
            }
        </div>
    }
}
