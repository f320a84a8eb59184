//! The side panel: the active set's spans in document order (label, type, text and
//! attribution), each of which can be chosen (scrolls to it) or deleted.

use yew::prelude::*;

use super::{
    article_view::{describe, slot},
    store::{Msg, Store},
    toolbar::now,
};
use crate::{
    model::{CharRange, OffsetIndex},
    state::Action,
};

/// Props of [`AnnotationList`].
#[derive(Properties, PartialEq, Clone)]
pub struct AnnotationListProps {
    /// The store.
    pub store: UseReducerHandle<Store>,
}

/// The list named "Annotations".
#[function_component]
pub fn AnnotationList(props: &AnnotationListProps) -> Html {
    let store = &props.store;
    let ws = &store.state.workspace;
    let Some(set) = store.active_set() else {
        return html! {
            <section class="annotations" aria-labelledby="annotations-title">
                <h2 class="panel-title" id="annotations-title">{ "Annotations" }</h2>
                <p class="empty">{ "Select text in the article, then press a label button or its key." }</p>
                <ul aria-label="Annotations"></ul>
            </section>
        };
    };
    let Some(doc) = ws.document(&set.doc_id) else { return html! {} };
    let index = OffsetIndex::new(&doc.text);
    let len = index.char_len();
    let text_of = |r: CharRange| CharRange::new(r.start(), r.end(), len).map(|r| index.slice(r).to_owned()).unwrap_or_default();

    let items: Html = set
        .spans()
        .iter()
        .map(|span| {
            let text = text_of(span.range);
            let what = describe(&ws.labels, span);
            let links: Vec<(u64, String)> = set
                .relations()
                .iter()
                .filter(|r| r.from == span.id)
                .filter_map(|r| set.span(r.to).map(|to| (r.id, format!("{} → {}", r.kind, text_of(to.range)))))
                .collect();
            let choose = {
                let store = store.clone();
                let id = span.id;
                Callback::from(move |_| store.dispatch(Msg::Focus(Some(id))))
            };
            let delete = {
                let store = store.clone();
                let (set_id, id) = (set.id.clone(), span.id);
                Callback::from(move |_| store.dispatch(Msg::Do(Action::RemoveSpan { set: set_id.clone(), span: id }, now())))
            };
            let focused = store.focused == Some(span.id);
            html! {
                <li key={span.id.to_string()} class={classes!("annotation", focused.then_some("focused"))}>
                    <button type="button" class="choose" aria-pressed={focused.to_string()} onclick={choose}>
                        <span class={classes!("swatch", format!("bg-{}", slot(&ws.labels, span)))} aria-hidden="true"></span>
                        <span class="what">{ what.clone() }</span>
                        <span class="span-text">{ format!("“{text}”") }</span>
                        { for links.iter().map(|(_, l)| html! { <span class="link">{ l }</span> }) }
                    </button>
                    { for links.iter().map(|(rel, l)| {
                        let store = store.clone();
                        let (set_id, rel) = (set.id.clone(), *rel);
                        let remove = Callback::from(move |_| store.dispatch(Msg::Do(Action::RemoveRelation { set: set_id.clone(), relation: rel }, now())));
                        html! { <button type="button" class="unlink" onclick={remove} aria-label={format!("Remove link {l}")}>{ "Unlink" }</button> }
                    }) }
                    <button type="button" class="delete" onclick={delete}
                            aria-label={format!("Delete {what} “{text}”")}>{ "Delete" }</button>
                </li>
            }
        })
        .collect();

    html! {
        <section class="annotations" aria-labelledby="annotations-title">
            <h2 class="panel-title" id="annotations-title">{ format!("Annotations ({})", set.spans().len()) }</h2>
            <ul aria-label="Annotations">{ items }</ul>
        </section>
    }
}
