//! Layout of spans over text, for rendering: the text cut at every span boundary and line
//! break into segments, each knowing the spans that cover it, outermost first.
//!
//! Nested and overlapping spans cannot all be elements wrapping text, but every segment has
//! one set of covering spans, so the browser draws each segment once with one layer per span.

use crate::model::{AnnotationSet, SpanId};

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

/// Cuts `[0, len)` at every span boundary. Segments cover the whole text, in order.
pub fn segments(len: usize, set: Option<&AnnotationSet>) -> Vec<Segment> {
    let spans = set.map(|s| s.spans()).unwrap_or(&[]);
    let mut cuts: Vec<usize> = Vec::with_capacity(spans.len() * 2 + 2);
    cuts.push(0);
    cuts.push(len);
    for s in spans {
        cuts.push(s.range.start());
        cuts.push(s.range.end());
    }
    cuts.sort_unstable();
    cuts.dedup();
    // Spans are in document order, so a sweep keeps the open ones, still outermost first.
    let mut open: Vec<(usize, SpanId)> = Vec::new(); // (end, id)
    let mut next = 0usize;
    let mut out = Vec::with_capacity(cuts.len());
    for w in cuts.windows(2) {
        let (start, end) = (w[0], w[1]);
        open.retain(|&(e, _)| e > start);
        while next < spans.len() && spans[next].range.start() <= start {
            if spans[next].range.end() > start {
                open.push((spans[next].range.end(), spans[next].id));
            }
            next += 1;
        }
        out.push(Segment { start, end, spans: open.iter().map(|&(_, id)| id).collect() });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn nested_and_overlapping_spans_cut_the_text() {
        let mut ws = fixture::workspace("[claim:Jane said [quote:Acme [entity:will]] grow]");
        let set = ws.set_mut("set").unwrap();
        let len = 24;
        // An overlapping span across the quote's end: "will grow" at 15..24.
        set.insert_span(
            crate::model::Span { id: 9, range: crate::model::CharRange::new(15, 24, len).unwrap(), label: "claim".into(), entity_type: None, note: None },
            len,
        )
        .unwrap();
        let segs = segments(len, ws.set("set"));
        let got: Vec<(usize, usize, Vec<SpanId>)> = segs.into_iter().map(|s| (s.start, s.end, s.spans)).collect();
        assert_eq!(
            got,
            vec![(0, 10, vec![1]), (10, 15, vec![1, 2]), (15, 19, vec![1, 2, 9, 3]), (19, 24, vec![1, 9])]
        );
        assert_eq!(segments(5, None), vec![Segment { start: 0, end: 5, spans: vec![] }]);
    }
}
