//! Layout of spans over text, for rendering: the text cut at every span boundary and line
//! break into segments, each knowing the spans that cover it, outermost first.
//!
//! Nested and overlapping spans cannot all be elements wrapping text, but every segment has
//! one set of covering spans, so the browser draws each segment once with one layer per span.

use crate::model::{LabelSet, OffsetIndex, Span, SpanId};

/// A piece of text between two boundaries, in code points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// First code point.
    pub start: usize,
    /// Code point after the last.
    pub end: usize,
    /// Covering spans, outermost (earliest start, then longest) first.
    pub spans: Vec<SpanId>,
}

/// Cuts `[start, end)` at every boundary of `spans` (id, start, end; in document order) that
/// falls inside it. Segments cover the range, in order; spans reaching outside are clipped.
pub fn segments_between(start: usize, end: usize, spans: &[(SpanId, usize, usize)]) -> Vec<Segment> {
    let mut cuts: Vec<usize> = Vec::with_capacity(spans.len() * 2 + 2);
    cuts.push(start);
    cuts.push(end);
    for &(_, s, e) in spans {
        cuts.extend([s, e].into_iter().filter(|&c| start < c && c < end));
    }
    cuts.sort_unstable();
    cuts.dedup();
    // Spans are in document order, so a sweep keeps the open ones, still outermost first.
    let mut open: Vec<(usize, SpanId)> = Vec::new(); // (end, id)
    let mut next = 0usize;
    let mut out = Vec::with_capacity(cuts.len());
    for w in cuts.windows(2) {
        let (from, to) = (w[0], w[1]);
        open.retain(|&(e, _)| e > from);
        while next < spans.len() && spans[next].1 <= from {
            if spans[next].2 > from {
                open.push((spans[next].2, spans[next].0));
            }
            next += 1;
        }
        out.push(Segment { start: from, end: to, spans: open.iter().map(|&(_, id)| id).collect() });
    }
    out
}

/// A piece of the article drawn as one unit: a line (with its line break), or a part of a
/// very long line. Changing a span redraws only the blocks it touches, and a long article
/// draws only the blocks near the viewport.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    /// First code point.
    pub start: usize,
    /// Code point after the last.
    pub end: usize,
}

/// The longest block, in code points, before a line is cut (at a space).
pub const MAX_BLOCK: usize = 2000;

/// Cuts the text into blocks after every line feed; lines longer than [`MAX_BLOCK`] are cut
/// after a space that is also a grapheme boundary, so no block splits a character.
pub fn blocks(index: &OffsetIndex<'_>) -> Vec<Block> {
    let text = index.text();
    let mut out = Vec::new();
    let (mut start, mut count) = (0usize, 0usize);
    let mut pos = 0usize;
    for c in text.chars() {
        pos += 1;
        count += 1;
        let long = count >= MAX_BLOCK && c == ' ' && index.is_grapheme_boundary(pos);
        if c == '\n' || long {
            out.push(Block { start, end: pos });
            start = pos;
            count = 0;
        }
    }
    if start < pos {
        out.push(Block { start, end: pos });
    }
    out
}

/// The spans of `spans` (in document order, none longer than `longest`) that overlap
/// `[start, end)`, found by binary search rather than by a scan of the whole set.
pub fn overlapping(spans: &[Span], longest: usize, start: usize, end: usize) -> impl Iterator<Item = &Span> {
    let from = spans.partition_point(|s| s.range.start() + longest <= start);
    let to = spans.partition_point(|s| s.range.start() < end);
    spans[from..to.max(from)].iter().filter(move |s| s.range.end() > start)
}

/// Keys for rows that show a changing list a page at a time: `previous` pairs each id shown
/// last time with its key, and each of `ids` keeps its key if it had one, or else takes the
/// lowest key no longer used. The keys are distinct. A list keyed this way redraws only the
/// rows whose item changed: one new item is one row, and a new page is every row changed in
/// place, never rows removed and made anew.
pub fn recycle_slots<T: PartialEq>(previous: &[(T, usize)], ids: &[T]) -> Vec<usize> {
    let kept: Vec<Option<usize>> = ids.iter().map(|id| previous.iter().find(|(was, _)| was == id).map(|&(_, key)| key)).collect();
    let mut free = (0..).filter(|key| !kept.contains(&Some(*key)));
    kept.iter().map(|k| k.unwrap_or_else(|| free.next().expect("keys never run out"))).collect()
}

/// The blocks `[first, last)` that meet the band `[from, to)` (pixels from the top of the
/// text), given each block's top in `tops` (one more entry than blocks: the last is the
/// total height).
pub fn window(tops: &[f64], from: f64, to: f64) -> (usize, usize) {
    let n = tops.len().saturating_sub(1);
    let first = tops[..n].partition_point(|&t| t < from).saturating_sub(1);
    let last = tops[..n].partition_point(|&t| t < to).max(first + 1).min(n);
    (first.min(n), last)
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
    describe_label(labels, &span.label, span.entity_type.as_deref())
}

/// A label and entity type in words: "Entity (Person)", "Claim".
pub fn describe_label(labels: &LabelSet, label: &str, entity_type: Option<&str>) -> String {
    let label = labels.label(label).map_or(label, |l| l.name.as_str());
    match entity_type.and_then(|t| labels.entity_type(t)) {
        Some(t) => format!("{label} ({})", t.name),
        None => label.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn rows_keep_their_keys_and_new_items_take_the_keys_left() {
        let first: Vec<u64> = (1..=5).collect();
        let keys = recycle_slots(&[], &first);
        assert_eq!(keys, vec![0, 1, 2, 3, 4]);
        let previous: Vec<(u64, usize)> = first.iter().copied().zip(keys).collect();

        // A new item 9 between 2 and 3 pushes 5 off the page: 9 takes 5's key, the rest keep theirs.
        assert_eq!(recycle_slots(&previous, &[1, 2, 9, 3, 4]), vec![0, 1, 4, 2, 3]);
        // One deleted (2) and the next page's first (6) comes in: 6 takes 2's key.
        assert_eq!(recycle_slots(&previous, &[1, 3, 4, 5, 6]), vec![0, 2, 3, 4, 1]);
        // A new page: every key is reused, none is new.
        let mut turned = recycle_slots(&previous, &[11, 12, 13, 14, 15]);
        assert_eq!(turned, vec![0, 1, 2, 3, 4]);
        // A shorter page, and then a longer one: the keys stay distinct.
        assert_eq!(recycle_slots(&previous, &[4, 20]), vec![3, 0]);
        let longer = recycle_slots(&[(4, 3), (20, 0)], &[30, 4, 31, 20, 32, 33]);
        assert_eq!(longer, vec![1, 3, 2, 0, 4, 5]);
        turned.sort_unstable();
        turned.dedup();
        assert_eq!(turned.len(), 5);
    }

    #[test]
    fn nested_and_overlapping_spans_cut_the_text() {
        let mut ws = fixture::workspace("[claim:Jane said [quote:Acme [entity:will]] grow]");
        let set = ws.set_mut("set").unwrap();
        let len = 24;
        // An overlapping span across the quote's end: "will grow" at 15..24.
        set.insert_span(
            crate::model::Span {
                id: 9,
                range: crate::model::CharRange::new(15, 24, len).unwrap(),
                label: "claim".into(),
                entity_type: None,
                note: None,
                provenance: None,
            },
            len,
        )
        .unwrap();
        let all: Vec<(SpanId, usize, usize)> = ws.set("set").unwrap().spans().iter().map(|s| (s.id, s.range.start(), s.range.end())).collect();
        let segs = segments_between(0, len, &all);
        let got: Vec<(usize, usize, Vec<SpanId>)> = segs.into_iter().map(|s| (s.start, s.end, s.spans)).collect();
        assert_eq!(got, vec![(0, 10, vec![1]), (10, 15, vec![1, 2]), (15, 19, vec![1, 2, 9, 3]), (19, 24, vec![1, 9])]);
        assert_eq!(segments_between(0, 5, &[]), vec![Segment { start: 0, end: 5, spans: vec![] }]);
        // The same cut inside a window: spans reaching outside are clipped to it.
        let set = ws.set("set").unwrap();
        let inside: Vec<(usize, usize, Vec<SpanId>)> = segments_between(12, 20, &all).into_iter().map(|s| (s.start, s.end, s.spans)).collect();
        assert_eq!(inside, vec![(12, 15, vec![1, 2]), (15, 19, vec![1, 2, 9, 3]), (19, 20, vec![1, 9])]);
        let longest = set.spans().iter().map(|s| s.range.len()).max().unwrap();
        let ids: Vec<SpanId> = overlapping(set.spans(), longest, 19, 24).map(|s| s.id).collect();
        assert_eq!(ids, vec![1, 9]);
        let ids: Vec<SpanId> = overlapping(set.spans(), longest, 0, 10).map(|s| s.id).collect();
        assert_eq!(ids, vec![1]);
    }

    #[test]
    fn blocks_are_lines_and_long_lines_are_cut_at_spaces() {
        let text = "one\r\ntwo\n\nthree";
        let b: Vec<(usize, usize)> = blocks(&OffsetIndex::new(text)).into_iter().map(|b| (b.start, b.end)).collect();
        assert_eq!(b, vec![(0, 5), (5, 9), (9, 10), (10, 15)]);
        let long = "word ".repeat(1000); // 5000 code points, no line break
        let b = blocks(&OffsetIndex::new(&long));
        assert_eq!(b.len(), 3);
        assert!(b.iter().all(|b| b.end - b.start <= MAX_BLOCK + 5));
        assert_eq!(b.last().unwrap().end, 5000);
        assert!(blocks(&OffsetIndex::new("")).is_empty());
    }

    #[test]
    fn the_window_holds_the_blocks_in_the_band() {
        // Four blocks of 100 px.
        let tops = [0.0, 100.0, 200.0, 300.0, 400.0];
        assert_eq!(window(&tops, 0.0, 50.0), (0, 1));
        assert_eq!(window(&tops, 150.0, 250.0), (1, 3));
        assert_eq!(window(&tops, 350.0, 900.0), (3, 4));
        assert_eq!(window(&tops, -500.0, -10.0), (0, 1));
        assert_eq!(window(&[0.0], 0.0, 10.0), (0, 0));
    }
}
