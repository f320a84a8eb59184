//! One article: its title, metadata and text exactly as loaded, with the active set's spans
//! drawn over it. The text is cut into segments at span boundaries ([`crate::layout`]);
//! each segment carries its start in code points (`data-s`), which is how a DOM selection
//! (UTF-16 offsets inside text nodes) becomes code points ([`crate::dom_offsets`]). The
//! keyboard moves a caret of its own, in code points ([`crate::model::caret`]), by the keys
//! of [`crate::keymap`].

use std::{cell::Cell, rc::Rc, sync::Arc};

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::prelude::*;

use crate::{
    dom_offsets::browser::{attr, dom_selection, px},
    find::Hit,
    keymap::{self, Command, Context},
    layout::{self, describe, slot, Block},
    model::{
        caret::{self, Step},
        CharRange, DocId, Document, OffsetIndex, Origin, SetId, Span, SpanId,
    },
    route::Route,
    shell::{
        hooks::shortcuts::press,
        services::clock::now,
        store::{Msg, Notice, Store},
    },
    state::Action,
    suggest::Suggestion,
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
    /// The set shown is in it: a set read from storage after the page started is not an
    /// edit, yet the article shows it.
    pub version: (u64, Option<SpanId>, Option<DocId>, u64, Option<SetId>),
    /// The caret as (anchor, head): the head's block is drawn even when scrolled away, and
    /// the caret keys move from it.
    pub caret: Option<(usize, usize)>,
    /// The find bar's hits in the whole article, highlighted in the blocks drawn.
    pub hits: Arc<[Hit]>,
    /// The hit the find bar went to: its block is drawn even when scrolled away.
    pub current_hit: Option<usize>,
    /// Bumped each time the find bar goes to a hit, to scroll to it.
    pub hit_reveal: u64,
    /// The open suggestions, drawn with a dashed outline and no fill.
    pub suggested: Arc<[Suggestion]>,
}

impl PartialEq for ArticleViewProps {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.doc, &other.doc)
            && self.version == other.version
            && self.caret == other.caret
            && Arc::ptr_eq(&self.hits, &other.hits)
            // No suggestions is the same whichever empty list says it.
            && (Arc::ptr_eq(&self.suggested, &other.suggested) || (self.suggested.is_empty() && other.suggested.is_empty()))
            && (self.current_hit, self.hit_reveal) == (other.current_hit, other.hit_reveal)
    }
}

/// The element with role `article`.
#[function_component]
pub fn ArticleView(props: &ArticleViewProps) -> Html {
    let doc = &props.doc;
    let store = &props.store;
    let h = &doc.header;
    let meta: Vec<String> =
        [h.date.clone(), h.byline.as_ref().map(|b| format!("By {b}")), h.section.clone(), h.source.as_ref().map(|s| format!("Source: {s}"))]
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
            store.dispatch(Msg::Caret(dom_selection(&root, doc.char_len()), false));
        })
    };
    // The caret keys (the keymap's article context): arrows by cluster, Ctrl+arrows by word,
    // Home and End by paragraph; with Shift they extend the selection.
    let on_keydown = {
        let store = store.clone();
        let doc = doc.clone();
        let caret = props.caret;
        Callback::from(move |e: KeyboardEvent| {
            let Some(Command::Caret { step, forward, extend }) = keymap::lookup(&store.state().workspace.labels, Context::Article, &press(&e)) else {
                return; // plain Up and Down scroll the page as usual
            };
            e.prevent_default();
            let index = doc.index();
            let (anchor, head) = caret.unwrap_or((0, 0));
            let next = if extend {
                (anchor, caret::step(&index, head, step, forward))
            } else if anchor != head && step == Step::Cluster {
                // A plain arrow collapses a selection to the side it points to.
                let edge = if forward { anchor.max(head) } else { anchor.min(head) };
                (edge, edge)
            } else {
                let to = caret::step(&index, head, step, forward);
                (to, to)
            };
            store.dispatch(Msg::Caret(Some(next), true));
        })
    };

    // Scroll a newly focused span, or the hit the find bar went to, into view.
    {
        let focused = store.focused;
        let text_ref = text_ref.clone();
        let start = focused.and_then(|id| store.active_set().and_then(|s| s.span(id).map(|s| s.range.start())));
        use_effect_with((focused, store.reveal), move |_| {
            if let Some(start) = start {
                scroll_to(text_ref, start, false, SCROLL_FRAMES);
            }
        });
    }
    {
        let text_ref = text_ref.clone();
        let start = props.current_hit.and_then(|i| props.hits.get(i)).map(|h| h.range.start());
        use_effect_with(props.hit_reveal, move |_| {
            if let Some(start) = start {
                scroll_to(text_ref, start, true, SCROLL_FRAMES);
            }
        });
    }

    // The text as blocks (lines), each drawn by its own component, so an edit redraws only
    // the blocks it touches; a long article draws only the blocks near the viewport.
    let blocks = use_memo((doc.id.clone(), doc.sha256.clone()), |_| {
        let index = doc.index();
        layout::blocks(&index)
            .into_iter()
            .map(|b| (b, AttrValue::from(index.slice(CharRange::new(b.start, b.end, index.char_len()).expect("blocks are non-empty")).to_owned())))
            .collect::<Vec<_>>()
    });
    let long = doc.text.len() > VIRTUALIZE_ABOVE;
    let heights = use_mut_ref(Vec::<Option<f64>>::new);
    if heights.borrow().len() != blocks.len() {
        *heights.borrow_mut() = vec![None; blocks.len()];
    }
    // Before anything is measured, draw what estimated heights say fills a screen and a half,
    // so the first frame is not laid out twice.
    let band = use_state(|| {
        let screen = gloo::utils::window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(800.0);
        let (first, last) = layout::window(&block_tops(&vec![None; blocks.len()], &blocks), 0.0, screen * 1.5);
        (first, last.max(first + 1))
    });
    {
        // Follow the viewport: on scroll and resize (at most once a frame), work out which
        // blocks meet the screen, with a screen's margin, from measured or estimated heights.
        let (band, heights, text_ref, blocks) = (band.clone(), heights.clone(), text_ref.clone(), blocks.clone());
        use_effect_with((doc.id.clone(), long), move |(_, long)| {
            let listeners = long.then(|| {
                let queued = Rc::new(Cell::new(false));
                let update = Rc::new(move || {
                    queued.set(false);
                    let Some(root) = text_ref.cast::<Element>() else { return };
                    let tops = block_tops(&heights.borrow(), &blocks);
                    let screen = gloo::utils::window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(800.0);
                    let top = -root.get_bounding_client_rect().top();
                    // The screen plus a quarter above and below: enough to scroll into without a gap.
                    let next = layout::window(&tops, top - screen / 4.0, top + screen * 1.25);
                    if next != *band {
                        band.set(next);
                    }
                });
                let schedule = {
                    let update = update.clone();
                    let queued = Rc::new(Cell::new(false));
                    move |_: &Event| {
                        if !queued.replace(true) {
                            let (update, queued) = (update.clone(), queued.clone());
                            let _ = gloo::utils::window().request_animation_frame(
                                wasm_bindgen::closure::Closure::once_into_js(move || {
                                    queued.set(false);
                                    update();
                                })
                                .unchecked_ref(),
                            );
                        }
                    }
                };
                update();
                let window = gloo::utils::window();
                (EventListener::new(&window, "scroll", schedule.clone()), EventListener::new(&window, "resize", schedule))
            });
            move || drop(listeners)
        });
    }
    {
        // After drawing: measure the drawn blocks, and size the spacers that stand for the
        // others (through the CSSOM, which the Content-Security-Policy allows).
        let (heights, text_ref, blocks) = (heights.clone(), text_ref.clone(), blocks.clone());
        // In the next frame, where the browser lays the page out anyway: measuring now would
        // force that layout inside the key press that caused the change.
        use_effect(move || {
            next_frame(move || {
                if let Some(root) = text_ref.cast::<Element>() {
                    measure_and_size(&root, &mut heights.borrow_mut(), &blocks);
                }
            });
        });
    }

    let state = store.state();
    let labels = &state.workspace.labels;
    // This article's own set: the store's document changes only after this render.
    let set = state.workspace.active_set(&doc.id);
    let spans: &[Span] = set.map(|s| s.spans()).unwrap_or(&[]);
    let longest = spans.iter().map(|s| s.range.len()).max().unwrap_or(0);
    let focused_span = store.focused.and_then(|id| set.and_then(|s| s.span(id)));

    // Which blocks to draw: all of a short article; of a long one, the band near the
    // viewport plus the blocks holding the caret and the chosen span.
    let n = blocks.len();
    let block_of = |c: usize| blocks.partition_point(|(b, _)| b.end <= c).min(n.saturating_sub(1));
    let mut drawn: Vec<(usize, usize)> = if long {
        let mut r = vec![(band.0.min(n), band.1.min(n))];
        let hit = props.current_hit.and_then(|i| props.hits.get(i)).map(|h| h.range.start());
        for c in [props.caret.map(|(_, head)| head), focused_span.map(|s| s.range.start()), hit].into_iter().flatten() {
            let i = block_of(c);
            r.push((i, (i + 1).min(n)));
        }
        r
    } else {
        vec![(0, n)]
    };
    drawn.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (a, b) in drawn {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    let mut body: Vec<Html> = Vec::new();
    let mut at = 0usize;
    for (a, b) in merged {
        if a > at {
            body.push(spacer(at, a, &blocks));
        }
        for (i, (block, text)) in blocks.iter().enumerate().take(b).skip(a) {
            let inside: Vec<BlockSpan> = layout::overlapping(spans, longest, block.start, block.end)
                .map(|s| BlockSpan { id: s.id, start: s.range.start(), end: s.range.end(), slot: slot(labels, s), title: describe(labels, s).into() })
                .collect();
            let focused = focused_span.filter(|f| f.range.start() < block.end && f.range.end() > block.start).map(|f| f.id);
            // The hits in this block (hits are in order and do not overlap).
            let from = props.hits.partition_point(|h| h.range.end() <= block.start);
            let to = props.hits.partition_point(|h| h.range.start() < block.end);
            let hits: Vec<(usize, usize)> = props.hits[from..to.max(from)].iter().map(|h| (h.range.start(), h.range.end())).collect();
            let current = props.current_hit.filter(|c| (from..to).contains(c)).map(|c| c - from);
            let suggested: Vec<(usize, usize)> = props
                .suggested
                .iter()
                .filter(|s| s.range.start() < block.end && s.range.end() > block.start)
                .map(|s| (s.range.start(), s.range.end()))
                .collect();
            body.push(html! {
                <TextBlock key={i} index={i} start={block.start} end={block.end} text={text.clone()} spans={Rc::new(inside)} {focused}
                           hits={Rc::new(hits)} {current} suggested={Rc::new(suggested)} />
            });
        }
        at = b;
    }
    if at < n {
        body.push(spacer(at, n, &blocks));
    }

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
                { for body }
            </div>
            <p id="caret-help" class="visually-hidden">
                { "Move with the arrow keys; Shift+arrows select, Ctrl+Shift+arrows select by word, Shift+Home, Shift+End, Shift+Up and Shift+Down to the paragraph's edge." }
            </p>
            <span class="caret" aria-hidden="true"></span>
        </article>
    }
}

/// How many bytes of text make an article long enough to draw only what is near the
/// viewport. Shorter articles are drawn whole, so the browser's find-in-page sees all of it.
const VIRTUALIZE_ABOVE: usize = 30_000;
/// Height guesses before blocks are measured: pixels per code point and the least a line takes.
const PX_PER_CHAR: f64 = 0.45;
const LINE_PX: f64 = 27.0;

/// Each block's top, from measured heights or, for blocks never drawn, a guess from the
/// measured ones' pixels per character. One more entry than blocks: the total height.
fn block_tops(heights: &[Option<f64>], blocks: &[(Block, AttrValue)]) -> Vec<f64> {
    let (px, chars) = heights.iter().zip(blocks).filter_map(|(h, (b, _))| h.map(|h| (h, b.end - b.start))).fold((0.0, 0usize), |a, (h, c)| (a.0 + h, a.1 + c));
    let per_char = if chars > 200 { px / chars as f64 } else { PX_PER_CHAR };
    let mut tops = Vec::with_capacity(blocks.len() + 1);
    let mut y = 0.0;
    for (h, (b, _)) in heights.iter().zip(blocks) {
        tops.push(y);
        y += h.unwrap_or_else(|| (per_char * (b.end - b.start) as f64).max(LINE_PX));
    }
    tops.push(y);
    tops
}

/// For how many frames a scroll to a piece of text is checked again: until it is on screen,
/// for at most this many (3 was too few on a loaded machine, where the blocks around a far
/// hit are still being measured).
const SCROLL_FRAMES: u32 = 12;

/// Scrolls the piece of text starting at code point `start` into view, in the next frame, and
/// again over the next `frames_left` frames: in a long article the blocks around it are
/// drawn, measured and resized over those frames, which moves it. A piece already on screen
/// is left where it is; `center` puts it mid-screen (a hit, clear of the bars at the top).
fn scroll_to(text_ref: NodeRef, start: usize, center: bool, frames_left: u32) {
    next_frame(move || {
        if let Some(root) = text_ref.cast::<Element>() {
            if let Ok(Some(el)) = root.query_selector(&format!("[data-s=\"{start}\"]")) {
                let r = el.get_bounding_client_rect();
                let screen = gloo::utils::window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
                let top = if center { screen / 4.0 } else { 0.0 };
                if r.top() >= top && r.bottom() <= screen {
                    return;
                }
                let opts = web_sys::ScrollIntoViewOptions::new();
                opts.set_block(if center { web_sys::ScrollLogicalPosition::Center } else { web_sys::ScrollLogicalPosition::Nearest });
                el.scroll_into_view_with_scroll_into_view_options(&opts);
            }
        }
        if frames_left > 0 {
            scroll_to(text_ref, start, center, frames_left - 1);
        }
    });
}

/// Runs `f` at the start of the next frame.
fn next_frame(f: impl FnOnce() + 'static) {
    let _ = gloo::utils::window().request_animation_frame(wasm_bindgen::closure::Closure::once_into_js(f).unchecked_ref());
}

/// A stand-in for blocks `[from, to)` that are not drawn; sized after drawing.
fn spacer(from: usize, to: usize, blocks: &[(Block, AttrValue)]) -> Html {
    html! { <div class="spacer" key={format!("gap-{from}")} data-b={blocks[from].0.start.to_string()} data-from={from.to_string()} data-to={to.to_string()} aria-hidden="true"></div> }
}

fn measure_and_size(root: &Element, heights: &mut [Option<f64>], blocks: &[(Block, AttrValue)]) {
    let Ok(drawn) = root.query_selector_all("[data-i]") else { return };
    for i in 0..drawn.length() {
        if let Some(el) = drawn.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            if let Some(slot) = attr(&el, "data-i").and_then(|i| heights.get_mut(i)) {
                *slot = Some(el.get_bounding_client_rect().height());
            }
        }
    }
    let Ok(spacers) = root.query_selector_all(".spacer") else { return };
    let tops = block_tops(heights, blocks);
    for i in 0..spacers.length() {
        let Some(el) = spacers.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) else { continue };
        if let (Some(from), Some(to)) = (attr(&el, "data-from"), attr(&el, "data-to")) {
            let _ = el.style().set_property("height", &px(tops[to.min(blocks.len())] - tops[from]));
        }
    }
}

/// A span as a block draws it.
#[derive(Clone, Debug, PartialEq)]
struct BlockSpan {
    id: SpanId,
    start: usize,
    end: usize,
    slot: usize,
    title: AttrValue,
}

#[derive(Properties, PartialEq)]
struct TextBlockProps {
    index: usize,
    start: usize,
    end: usize,
    text: AttrValue,
    spans: Rc<Vec<BlockSpan>>,
    focused: Option<SpanId>,
    /// The find bar's hits in this block, and which of them is the current one.
    hits: Rc<Vec<(usize, usize)>>,
    current: Option<usize>,
    /// The open suggestions that meet this block.
    suggested: Rc<Vec<(usize, usize)>>,
}

/// What covers a piece of a block: a span (index into the block's spans), a hit of the find
/// bar (index into its hits), or an open suggestion.
#[derive(Clone, Copy)]
enum Layer {
    Span(usize),
    Hit(usize),
    Suggested,
}

/// One block: its text cut at span boundaries. Text outside spans is bare text; each piece
/// inside spans is an element with one underline layer per span (outermost first, up to
/// four) and the innermost span's tint, named by its title ("Claim ⊃ Quote"). A piece inside
/// a hit of the find bar is an element of class `hit` (and `current`), one inside an open
/// suggestion of class `suggested`, spans or not.
///
/// Pieces are keyed by where they start: a new span cuts one piece into a few, and the
/// pieces after it keep their nodes instead of each being redrawn one place along.
#[function_component]
fn TextBlock(props: &TextBlockProps) -> Html {
    let index = OffsetIndex::new(&props.text);
    // Spans, hits and suggestions in document order (spans first among equals, keeping the
    // set's order), cut together: each piece knows everything covering it.
    let mut items: Vec<(usize, usize, Layer)> = props.spans.iter().enumerate().map(|(i, s)| (s.start, s.end, Layer::Span(i))).collect();
    items.extend(props.hits.iter().enumerate().map(|(i, &(s, e))| (s, e, Layer::Hit(i))));
    items.extend(props.suggested.iter().map(|&(s, e)| (s, e, Layer::Suggested)));
    items.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
    let cuts: Vec<(SpanId, usize, usize)> = items.iter().enumerate().map(|(i, &(s, e, _))| (i as SpanId, s, e)).collect();
    let body: Html = layout::segments_between(props.start, props.end, &cuts)
        .iter()
        .map(|seg| {
            let Ok(range) = CharRange::new(seg.start - props.start, seg.end - props.start, index.char_len()) else { return html! { <key={seg.start}></> } };
            let text = index.slice(range).to_owned();
            let layers = || seg.spans.iter().map(|&i| items[i as usize].2);
            let hit = layers().find_map(|l| if let Layer::Hit(h) = l { Some(h) } else { None });
            let suggested = layers().any(|l| matches!(l, Layer::Suggested));
            let spans: Vec<&BlockSpan> = layers().filter_map(|l| if let Layer::Span(j) = l { props.spans.get(j) } else { None }).collect();
            let mut class = classes!(hit.map(|h| classes!("hit", (Some(h) == props.current).then_some("current"))), suggested.then_some("suggested"));
            if spans.is_empty() {
                return match hit.is_some() || suggested {
                    true => html! { <span key={seg.start} data-s={seg.start.to_string()} {class}>{ text }</span> },
                    false => html! { <key={seg.start}>{ text }</> },
                };
            }
            class.push("seg");
            for (depth, span) in spans.iter().take(4).enumerate() {
                class.push(format!("o{}-{}", depth + 1, span.slot));
            }
            if let Some(inner) = spans.last() {
                class.push(format!("bg-{}", inner.slot));
            }
            if spans.iter().any(|s| Some(s.id) == props.focused) {
                class.push("focused");
            }
            let title = spans.iter().map(|s| s.title.as_str()).collect::<Vec<_>>().join(" ⊃ ");
            html! { <span key={seg.start} data-s={seg.start.to_string()} {class} {title}>{ text }</span> }
        })
        .collect();
    html! { <div data-i={props.index.to_string()} data-b={props.start.to_string()} data-e={props.end.to_string()}>{ body }</div> }
}
