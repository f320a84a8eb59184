//! Readable test fixtures: `"The [claim:[entity/person:minister] said] it"` becomes the text
//! `"The minister said it"` and its spans, in code points. Brackets nest; `\[` and `\]` are
//! literal brackets. Used by the tests and the benchmark data generator.

use crate::model::{AnnotationSet, CharRange, Document, Origin, Span, Workspace};

/// A span as marked: `(start, end, label, entity type)` in code points.
pub type Marked = (usize, usize, String, Option<String>);

/// Parses marked-up text into plain text and spans (in the order their brackets open).
pub fn parse(marked: &str) -> (String, Vec<Marked>) {
    let mut text = String::new();
    let mut len = 0usize;
    let mut open: Vec<(usize, usize)> = Vec::new(); // (index into spans, start)
    let mut spans: Vec<Marked> = Vec::new();
    let mut chars = marked.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some('[') | Some(']')) => {
                text.push(chars.next().unwrap());
                len += 1;
            }
            '[' => {
                let mut head = String::new();
                for h in chars.by_ref() {
                    if h == ':' {
                        break;
                    }
                    head.push(h);
                }
                let (label, ty) = match head.split_once('/') {
                    Some((l, t)) => (l.to_owned(), Some(t.to_owned())),
                    None => (head, None),
                };
                open.push((spans.len(), len));
                spans.push((len, len, label, ty));
            }
            ']' => {
                let (i, _) = open.pop().expect("balanced brackets in fixture");
                spans[i].1 = len;
            }
            c => {
                text.push(c);
                len += 1;
            }
        }
    }
    assert!(open.is_empty(), "unclosed bracket in fixture");
    (text, spans)
}

/// A workspace with one document (id `doc`) and one set (id `set`) made from marked text.
pub fn workspace(marked: &str) -> Workspace {
    let (text, spans) = parse(marked);
    let doc = Document::new("doc", text, Origin::User);
    let len = doc.char_len();
    let mut set = AnnotationSet::new("set", "Fixture", "tester", &doc, "2026-01-01T00:00:00Z");
    for (i, (start, end, label, entity_type)) in spans.into_iter().enumerate() {
        let range = CharRange::new(start, end, len).expect("fixture span in bounds");
        set.insert_span(Span { id: i as u64 + 1, range, label, entity_type, note: None, provenance: None }, len).expect("fixture spans are unique");
    }
    let mut ws = Workspace::with_documents([doc]);
    ws.insert_set(0, set).expect("fixture set fits its document");
    ws
}

/// A small corpus for tests of what a scope takes and how the workspace reaches the formats
/// worker: four articles, "k" (an emoji and curly quotes) with two sets, "k1" (a person and
/// a claim) and "k2" (a person; the one chosen), "b" (a CRLF) with one ("b1", a quote), "h"
/// with none, and "z" with one ("z1", a location). Every set made at `at`.
pub fn corpus(at: &str) -> Workspace {
    let mut ws = Workspace::with_documents([
        Document::new("k", "Lavrov met Vucic in Belgrade. 🙂 The minister said “yes”.", Origin::User),
        Document::new("b", "The council approved the budget.\r\nCritics disagreed.", Origin::User),
        Document::new("h", "Flood defences held in Győr.", Origin::Bundled),
        Document::new("z", "Zagreb hosted the summit.", Origin::User),
    ]);
    // (set, document, name, annotator, spans as (start, end, label, entity type))
    type Spans<'a> = &'a [(usize, usize, &'a str, Option<&'a str>)];
    let sets: [(&str, &str, &str, &str, Spans<'_>); 4] = [
        ("k1", "k", "A", "ana", &[(0, 6, "entity", Some("person")), (32, 56, "claim", None)]),
        ("k2", "k", "B", "bo", &[(11, 16, "entity", Some("person"))]),
        ("b1", "b", "A", "ana", &[(4, 11, "quote", None)]),
        ("z1", "z", "A", "ana", &[(0, 6, "entity", Some("location"))]),
    ];
    for (id, doc, name, annotator, spans) in sets {
        let doc = ws.document(doc).expect("the corpus's own document").clone();
        let len = doc.char_len();
        let mut set = AnnotationSet::new(id, name, annotator, &doc, at);
        for (i, &(start, end, label, entity_type)) in spans.iter().enumerate() {
            let range = CharRange::new(start, end, len).expect("corpus span in bounds");
            let span = Span { id: i as u64 + 1, range, label: label.into(), entity_type: entity_type.map(Into::into), note: None, provenance: None };
            set.insert_span(span, len).expect("corpus spans are unique");
        }
        ws.insert_set(usize::MAX, set).expect("corpus sets fit their documents");
    }
    ws.active.insert("k".into(), "k2".into());
    ws
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_marks_and_escapes() {
        let (text, spans) = parse("🙂 [claim:The [entity/person:minister] said] \\[sic\\]");
        assert_eq!(text, "🙂 The minister said [sic]");
        assert_eq!(spans, vec![(2, 19, "claim".into(), None), (6, 14, "entity".into(), Some("person".into()))]);
    }
}
