//! One article: its title, metadata and text exactly as loaded, with the active set's spans
//! drawn over it. The text is cut into segments at span boundaries ([`crate::layout`]);
//! each segment carries its start in code points (`data-s`), which is how a DOM selection
//! (UTF-16 offsets inside text nodes) becomes code points, in [`dom_selection`]. The keyboard
//! moves a caret of its own, in code points ([`crate::model::caret`]), drawn by [`show_caret`].

use std::sync::Arc;

use wasm_bindgen::JsCast;
use web_sys::{Element, Node};
use yew::prelude::*;

use super::{
    store::{Msg, Notice, Store},
    toolbar::now,
};
use crate::{
    layout::segments,
    model::{
        caret::{self, Step},
        CharRange, DocId, Document, LabelSet, OffsetIndex, Origin, Span, SpanId,
    },
    route::Route,
    state::Action,
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

    let remove = {
        let (store, id, title) = (store.clone(), doc.id.clone(), h.title.clone());
        Callback::from(move |_| {
            store.dispatch(Msg::Do(Action::RemoveDocument { doc: id.clone() }, now()));
            store.dispatch(Msg::Notice(Notice::Info(format!("Removed “{title}” and its annotations. Undo brings them back."))));
            let _ = gloo::utils::window().location().set_hash(&Route::Home.to_hash());
        })
    };
    let text_ref = use_node_ref();
    let on_mouseup = {
        let store = store.clone();
        let doc = doc.clone();
        let text_ref = text_ref.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(root) = text_ref.cast::<Element>() else { return };
            store.dispatch(Msg::Caret(dom_selection(&root, &doc), false));
        })
    };
    // The caret keys: arrows by cluster, Ctrl+arrows by word, Home and End by paragraph;
    // with Shift they extend the selection.
    let on_keydown = {
        let store = store.clone();
        let doc = doc.clone();
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            let (unit, forward) = match key.as_str() {
                "ArrowRight" => (Step::Cluster, true),
                "ArrowLeft" => (Step::Cluster, false),
                "Home" | "ArrowUp" => (Step::Paragraph, false),
                "End" | "ArrowDown" => (Step::Paragraph, true),
                _ => return,
            };
            if (key == "ArrowUp" || key == "ArrowDown") && !e.shift_key() {
                return; // plain Up and Down scroll the page as usual
            }
            let unit = if (e.ctrl_key() || e.alt_key()) && unit == Step::Cluster { Step::Word } else { unit };
            e.prevent_default();
            let index = OffsetIndex::new(&doc.text);
            let (anchor, head) = store.caret.unwrap_or((0, 0));
            let next = if e.shift_key() {
                (anchor, caret::step(&index, head, unit, forward))
            } else if anchor != head && unit == Step::Cluster {
                // A plain arrow collapses a selection to the side it points to.
                let edge = if forward { anchor.max(head) } else { anchor.min(head) };
                (edge, edge)
            } else {
                let to = caret::step(&index, head, unit, forward);
                (to, to)
            };
            store.dispatch(Msg::Caret(Some(next), true));
        })
    };

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
    // This article's own set: the store's document changes only after this render.
    let set = store.state.workspace.active_set(&doc.id);
    let index = OffsetIndex::new(&doc.text);
    let segs = segments(index.char_len(), set);
    let body: Html = segs
        .iter()
        .map(|seg| {
            let Ok(range) = CharRange::new(seg.start, seg.end, index.char_len()) else { return html! {} };
            let text = index.slice(range);
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
                if doc.origin == Origin::User {
                    <button type="button" class="remove-article" onclick={remove}>{ "Remove article" }</button>
                }
            </header>
            <div class="article-text" ref={text_ref} onmouseup={on_mouseup} onkeydown={on_keydown}
                 tabindex="0" aria-label="Article text"
                 aria-describedby="caret-help">
                { body }
            </div>
            <p id="caret-help" class="visually-hidden">
                { "Move with the arrow keys; Shift+arrows select, Ctrl+Shift+arrows select by word, Shift+Home, Shift+End, Shift+Up and Shift+Down to the paragraph's edge." }
            </p>
            <span class="caret" aria-hidden="true"></span>
        </article>
    }
}

/// The window's selection inside `root` as raw (anchor, head) code points of `doc`, collapsed
/// or not; `None` when the selection is elsewhere.
fn dom_selection(root: &Element, doc: &Document) -> Option<(usize, usize)> {
    let sel = gloo::utils::window().get_selection().ok()??;
    if sel.range_count() == 0 {
        return None;
    }
    let a = point(root, &sel.anchor_node()?, sel.anchor_offset() as usize, doc)?;
    let b = point(root, &sel.focus_node()?, sel.focus_offset() as usize, doc)?;
    Some((a, b))
}

/// Draws a caret moved by keyboard into the page: the window's selection from `anchor` to
/// `head`, and the caret mark at `head`, scrolled into view.
pub fn show_caret(anchor: usize, head: usize) {
    let document = gloo::utils::document();
    let Some(root) = document.query_selector(".article-text").ok().flatten() else { return };
    let (Some(a), Some(h)) = (dom_point(&root, anchor), dom_point(&root, head)) else { return };
    if let Ok(Some(sel)) = gloo::utils::window().get_selection() {
        let _ = sel.set_base_and_extent(&a.0, a.1, &h.0, h.1);
    }
    let mark = document.query_selector(".article .caret").ok().flatten().and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok());
    let (Some(mark), Some(article)) = (mark, root.parent_element()) else { return };
    let Ok(range) = document.create_range() else { return };
    if range.set_start(&h.0, h.1).is_err() {
        return;
    }
    range.collapse_with_to_start(true);
    let r = range.get_bounding_client_rect();
    let base = article.get_bounding_client_rect();
    // CSSOM, not a style attribute, so a strict Content-Security-Policy allows it.
    let style = mark.style();
    let _ = style.set_property("left", &format!("{}px", r.left() - base.left()));
    let _ = style.set_property("top", &format!("{}px", r.top() - base.top()));
    let _ = style.set_property("height", &format!("{}px", r.height().max(16.0)));
    let _ = mark.class_list().add_1("placed");
    let opts = web_sys::ScrollIntoViewOptions::new();
    opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
    mark.scroll_into_view_with_scroll_into_view_options(&opts);
}

/// A code point of the article as a DOM point: the text node of the segment holding it and
/// the UTF-16 offset inside that node.
fn dom_point(root: &Element, c: usize) -> Option<(Node, u32)> {
    let segs = root.query_selector_all("[data-s]").ok()?;
    let start_of = |i: u32| segs.item(i).and_then(|n| n.dyn_into::<Element>().ok()).and_then(|e| e.get_attribute("data-s")?.parse::<usize>().ok());
    // The last segment starting at or before `c`, by binary search over document order.
    let (mut lo, mut hi) = (0u32, segs.length());
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if start_of(mid)? <= c { lo = mid } else { hi = mid }
    }
    let seg = segs.item(lo)?;
    let text = seg.first_child()?;
    let offset: usize = text.text_content()?.chars().take(c.saturating_sub(start_of(lo)?)).map(char::len_utf16).sum();
    Some((text, offset as u32))
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
