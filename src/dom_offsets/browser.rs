//! The article's DOM and code points: a selection's (node, UTF-16 offset) points become code
//! points of the document, and code points become DOM points to draw a caret. The arithmetic
//! is the parent module's, tested natively; this part walks the DOM.

use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

use super::{locate, text_point};

/// The window's selection inside `root` as raw (anchor, head) code points of a document of
/// `len` code points, collapsed or not; `None` when the selection is elsewhere.
pub fn dom_selection(root: &Element, len: usize) -> Option<(usize, usize)> {
    let sel = gloo::utils::window().get_selection().ok()??;
    if sel.range_count() == 0 {
        return None;
    }
    let a = point(root, &sel.anchor_node()?, sel.anchor_offset() as usize, len)?;
    let b = point(root, &sel.focus_node()?, sel.focus_offset() as usize, len)?;
    Some((a, b))
}

/// Draws a caret moved by keyboard into the page: the window's selection from `anchor` to
/// `head`, and the caret mark at `head`, scrolled into view. Does nothing when the blocks
/// holding them are not drawn.
pub fn show_caret(anchor: usize, head: usize) {
    let document = gloo::utils::document();
    let Some(root) = document.query_selector(".article-text").ok().flatten() else { return };
    let (Some(a), Some(h)) = (dom_point(&root, anchor), dom_point(&root, head)) else { return };
    if let Ok(Some(sel)) = gloo::utils::window().get_selection() {
        // Fails only for nodes outside the document; these were just found in it.
        sel.set_base_and_extent(&a.0, a.1, &h.0, h.1).ok();
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
    // CSSOM, not a style attribute, so a strict Content-Security-Policy allows it. Setting a
    // known property on an element's own style cannot fail.
    let style = mark.style();
    style.set_property("left", &px(r.left() - base.left())).ok();
    style.set_property("top", &px(r.top() - base.top())).ok();
    style.set_property("height", &px(r.height().max(16.0))).ok();
    mark.class_list().add_1("placed").ok();
    let opts = web_sys::ScrollIntoViewOptions::new();
    opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
    mark.scroll_into_view_with_scroll_into_view_options(&opts);
}

/// A code point of the article as a DOM point: the text node holding it (a bare text node
/// of its block, or a segment's) and the UTF-16 offset inside that node. `None` when the
/// block holding it is not drawn.
pub fn dom_point(root: &Element, c: usize) -> Option<(Node, u32)> {
    let blocks = root.query_selector_all("[data-i]").ok()?;
    let start_of = |i: u32| blocks.item(i).and_then(|n| n.dyn_into::<Element>().ok()).and_then(|e| attr(&e, "data-b"));
    // The last drawn block starting at or before `c`, by binary search over document order.
    let (mut lo, mut hi) = (0u32, blocks.length());
    if hi == 0 {
        return None;
    }
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if start_of(mid)? <= c {
            lo = mid
        } else {
            hi = mid
        }
    }
    let block: Element = blocks.item(lo)?.dyn_into().ok()?;
    let (start, end) = (attr(&block, "data-b")?, attr(&block, "data-e")?);
    if c > end {
        return None;
    }
    let children = block.child_nodes();
    let texts: Vec<String> = (0..children.length()).map(|i| children.item(i).and_then(|n| n.text_content()).unwrap_or_default()).collect();
    let (i, units) = locate(c, start, texts.iter().map(String::as_str))?;
    let child = children.item(i as u32)?;
    let node = if child.node_type() == Node::TEXT_NODE { child } else { child.first_child()? };
    Some((node, units as u32))
}

/// A CSS length in whole pixels. Whole, so no float formatting (and its tables) is in the
/// page's module; half a pixel is not seen.
pub fn px(v: f64) -> String {
    format!("{}px", v.round() as i64)
}

/// A numeric `data-*` attribute of the article's DOM (`data-b`, `data-s`, `data-i`…).
pub fn attr(el: &Element, name: &str) -> Option<usize> {
    el.get_attribute(name).and_then(|s| s.parse().ok())
}

/// Code points of the text of the nodes before `node` among its siblings.
fn before(node: &Node) -> usize {
    let mut n = 0;
    let mut prev = node.previous_sibling();
    while let Some(p) = prev {
        n += p.text_content().unwrap_or_default().chars().count();
        prev = p.previous_sibling();
    }
    n
}

/// A DOM point (node, offset) as a code point of the document. Text-node offsets are UTF-16
/// units; a segment carries its start in `data-s`, a block its start in `data-b` (spacers
/// carry the start of the first block they stand for).
fn point(root: &Element, node: &Node, offset: usize, len: usize) -> Option<usize> {
    if !root.contains(Some(node)) {
        return None;
    }
    if node.node_type() == Node::TEXT_NODE {
        let parent = node.parent_element()?;
        let text = node.text_content().unwrap_or_default();
        let start = match attr(&parent, "data-s") {
            Some(start) => start,
            None => attr(&parent, "data-b")? + before(node),
        };
        return text_point(start, &text, offset);
    }
    // An element point: the offset counts child nodes.
    let el: &Element = node.dyn_ref()?;
    let children = el.child_nodes();
    if el == root {
        return match children.item(offset as u32).and_then(|c| c.dyn_into::<Element>().ok()) {
            Some(child) => attr(&child, "data-b"),
            None => Some(len),
        };
    }
    let start = attr(el, "data-s").or_else(|| attr(el, "data-b"))?;
    let upto: usize = (0..offset as u32).filter_map(|i| children.item(i)).map(|c| c.text_content().unwrap_or_default().chars().count()).sum();
    Some(start + upto)
}
