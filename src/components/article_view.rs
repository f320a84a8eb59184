//! One article: its title, metadata and text exactly as loaded, with the active set's spans
//! drawn over it. The text is cut into segments at span boundaries ([`crate::layout`]);
//! each segment carries its start in code points (`data-s`), which is how a DOM selection
//! (UTF-16 offsets inside text nodes) becomes a code-point range, in [`selection_range`].

use std::sync::Arc;

use wasm_bindgen::JsCast;
use web_sys::{Element, Node};
use yew::prelude::*;

use super::store::{Msg, Store};
use crate::{
    layout::segments,
    model::{offsets::clean_selection, offsets::CleanOptions, CharRange, DocId, Document, LabelSet, OffsetIndex, Span, SpanId},
};

/// Props of [`ArticleView`].
#[derive(Properties, Clone)]
pub struct ArticleViewProps {
    /// The article.
    pub doc: Arc<Document>,
    /// The store, to read spans and send selections.
    pub store: UseReducerHandle<Store>,
    /// A snapshot of what the view reads from the store (revision, focused span, document
    /// on screen), taken when the parent rendered. The handle itself reads the live state,
    /// so it cannot tell old props from new.
    pub version: (u64, Option<SpanId>, Option<DocId>),
}

impl PartialEq for ArticleViewProps {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.doc, &other.doc) && self.version == other.version
    }
}

/// The colour slot of a span: its entity type's, else its label's (see `styles/main.css`).
pub fn slot(labels: &LabelSet, span: &Span) -> usize {
    let types = labels.labels.len();
    span.entity_type
        .as_deref()
        .and_then(|t| labels.entity_types.iter().position(|x| x.id == t))
        .map(|i| types + i)
        .or_else(|| labels.labels.iter().position(|l| l.id == span.label))
        .unwrap_or(0)
        % SLOTS
}

/// How many colour slots the stylesheet defines.
pub const SLOTS: usize = 14;

/// What a span is called on screen: "Entity (Person)", "Quote".
pub fn describe(labels: &LabelSet, span: &Span) -> String {
    let label = labels.label(&span.label).map_or(span.label.as_str(), |l| l.name.as_str());
    match span.entity_type.as_deref().and_then(|t| labels.entity_type(t)) {
        Some(t) => format!("{label} ({})", t.name),
        None => label.to_owned(),
    }
}

/// The element with role `article`.
#[function_component]
pub fn ArticleView(props: &ArticleViewProps) -> Html {
    let doc = &props.doc;
    let store = &props.store;
    let h = &doc.header;
    let meta: Vec<String> = [
        h.date.clone(),
        h.byline.as_ref().map(|b| format!("By {b}")),
        h.section.clone(),
        h.source.as_ref().map(|s| format!("Source: {s}")),
    ]
    .into_iter()
    .flatten()
    .collect();

    let text_ref = use_node_ref();
    let on_select = {
        let store = store.clone();
        let doc = doc.clone();
        let text_ref = text_ref.clone();
        Callback::from(move |_: Event| {
            let Some(root) = text_ref.cast::<Element>() else { return };
            let range = selection_range(&root, &doc);
            store.dispatch(Msg::Select(range));
        })
    };
    let on_mouseup = {
        let on_select = on_select.clone();
        Callback::from(move |e: MouseEvent| on_select.emit(e.into()))
    };
    let on_keyup = Callback::from(move |e: KeyboardEvent| {
        if e.shift_key() || e.key().starts_with("Arrow") {
            on_select.emit(e.into());
        }
    });

    // Scroll a newly focused span into view.
    {
        let focused = store.focused;
        let text_ref = text_ref.clone();
        let start = focused.and_then(|id| store.active_set().and_then(|s| s.span(id)).map(|s| s.range.start()));
        use_effect_with(focused, move |_| {
            if let (Some(start), Some(root)) = (start, text_ref.cast::<Element>()) {
                if let Ok(Some(el)) = root.query_selector(&format!("[data-s=\"{start}\"]")) {
                    let opts = web_sys::ScrollIntoViewOptions::new();
                    opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
                    el.scroll_into_view_with_scroll_into_view_options(&opts);
                }
            }
        });
    }

    let labels = &store.state.workspace.labels;
    let set = store.active_set();
    let index = OffsetIndex::new(&doc.text);
    let segs = segments(index.char_len(), set);
    let body: Html = segs
        .iter()
        .map(|seg| {
            let text = index.slice(CharRange::new(seg.start, seg.end, index.char_len()).expect("segments are non-empty"));
            if seg.spans.is_empty() {
                return html! { <span data-s={seg.start.to_string()}>{ text }</span> };
            }
            let spans: Vec<&Span> = seg.spans.iter().filter_map(|id| set.and_then(|s| s.span(*id))).collect();
            let mut class = classes!("seg");
            for (depth, span) in spans.iter().take(4).enumerate() {
                class.push(format!("o{}-{}", depth + 1, slot(labels, span)));
            }
            if let Some(inner) = spans.last() {
                class.push(format!("bg-{}", slot(labels, inner)));
            }
            if spans.iter().any(|s| Some(s.id) == store.focused) {
                class.push("focused");
            }
            let title = spans.iter().map(|s| describe(labels, s)).collect::<Vec<_>>().join(" ⊃ ");
            html! { <span data-s={seg.start.to_string()} {class} {title}>{ text }</span> }
        })
        .collect();

    html! {
        <article class="article" aria-labelledby="article-title">
            <header class="article-header">
                <h2 id="article-title">{ &h.title }</h2>
                if !meta.is_empty() {
                    <p class="article-meta">{ meta.join(" · ") }</p>
                }
            </header>
            <div class="article-text" ref={text_ref} onmouseup={on_mouseup} onkeyup={on_keyup}
                 tabindex="0" aria-label="Article text">
                { body }
            </div>
        </article>
    }
}

/// The window's selection inside `root` as a cleaned code-point range of `doc`, if any.
fn selection_range(root: &Element, doc: &Document) -> Option<CharRange> {
    let sel = gloo::utils::window().get_selection().ok()??;
    if sel.is_collapsed() || sel.range_count() == 0 {
        return None;
    }
    let a = point(root, &sel.anchor_node()?, sel.anchor_offset() as usize, doc)?;
    let b = point(root, &sel.focus_node()?, sel.focus_offset() as usize, doc)?;
    let index = OffsetIndex::new(&doc.text);
    let raw = CharRange::new(a.min(b), a.max(b), index.char_len()).ok()?;
    clean_selection(&index, raw, CleanOptions::default())
}

/// A DOM point (node, offset) as a code point of the document. Text-node offsets are UTF-16
/// units within one segment, whose start is in its `data-s`.
fn point(root: &Element, node: &Node, offset: usize, doc: &Document) -> Option<usize> {
    if !root.contains(Some(node)) {
        return None;
    }
    let seg_start = |el: &Element| el.get_attribute("data-s").and_then(|s| s.parse::<usize>().ok());
    if node.node_type() == Node::TEXT_NODE {
        let seg = node.parent_element()?;
        let start = seg_start(&seg)?;
        let text = node.text_content().unwrap_or_default();
        return OffsetIndex::new(&text).utf16_to_char(offset).ok().map(|c| start + c);
    }
    // An element point: the offset counts children.
    let el: &Element = node.dyn_ref()?;
    let children = el.children();
    match children.item(offset as u32) {
        Some(child) => seg_start(&child).or_else(|| seg_start(el)),
        None if el == root => Some(doc.char_len()),
        None => {
            let start = seg_start(el)?;
            Some(start + el.text_content().unwrap_or_default().chars().count())
        }
    }
}
