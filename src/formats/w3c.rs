//! W3C Web Annotation (JSON-LD): an `AnnotationCollection` whose first page holds one
//! annotation per span and one `linking` annotation per relation.
//!
//! A span's target has a `TextQuoteSelector` (exact text with up to 32 characters of prefix
//! and suffix) and a `TextPositionSelector` (code points, as the model requires); its body
//! tags it with the training label and carries the note as a `commenting` body. The set's
//! annotator, when it has one, is the `creator` (a `Person` with a `name`; `creator` is an
//! IRI-valued term, so a bare name would read as a relative IRI in RDF).
//!
//! A relation is an annotation with motivation `linking` whose `target` is the span it goes
//! from (the quote, say) and whose bodies are the relation type (a `tagging` TextualBody) and
//! a `SpecificResource` with purpose `linking` whose `source` is the span it goes to (the
//! speaker). Direction rests on `target` versus `body`, two different properties, because
//! JSON-LD expansion does not keep the order of a plain array such as two targets.

use serde::Serialize;

use super::{report_provenance, views, Export, ExportFile};
use crate::model::{AnnotationSet, CharRange, Workspace};

const CONTEXT: usize = 32;

// Typed records, serialised as they are written: 10,000 spans as a tree of JSON values
// took about 100 MB and 90 ms in the browser. Fields are in alphabetical order, the order
// the files have always had.

#[derive(Serialize)]
struct Collection<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    first: Page<'a>,
    label: &'static str,
    total: usize,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Page<'a> {
    items: Vec<Item<'a>>,
    #[serde(rename = "startIndex")]
    start_index: usize,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Item<'a> {
    Span(SpanAnnotation<'a>),
    Link(LinkAnnotation<'a>),
}

#[derive(Serialize)]
struct SpanAnnotation<'a> {
    body: Vec<Body<'a>>,
    created: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    creator: Option<Agent<'a>>,
    id: String,
    modified: &'a str,
    motivation: &'static str,
    target: Target<'a>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Agent<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct LinkAnnotation<'a> {
    body: (Body<'a>, LinkedSpan),
    #[serde(skip_serializing_if = "Option::is_none")]
    creator: Option<Agent<'a>>,
    id: String,
    motivation: &'static str,
    target: String,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// The span a relation goes to.
#[derive(Serialize)]
struct LinkedSpan {
    purpose: &'static str,
    source: String,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Body<'a> {
    purpose: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    value: std::borrow::Cow<'a, str>,
}

#[derive(Serialize)]
struct Target<'a> {
    selector: (QuoteSelector<'a>, PositionSelector),
    source: String,
}

#[derive(Serialize)]
struct QuoteSelector<'a> {
    exact: &'a str,
    prefix: &'a str,
    suffix: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct PositionSelector {
    end: usize,
    start: usize,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// One collection for all sets.
pub fn export(ws: &Workspace, sets: &[&AnnotationSet], progress: &mut dyn FnMut(usize, usize)) -> Export {
    let mut report = Vec::new();
    let views = views(ws, sets, &mut report);
    let mut tick = super::Ticker::new(progress, &views);
    report_provenance(&views, "the W3C Web Annotation export", &mut report);
    let mut items: Vec<Item<'_>> = Vec::new();
    for v in &views {
        let id = |span: u64| format!("urn:spanwright:set:{}:span:{span}", v.set.id);
        let len = v.index.char_len();
        let creator = || (!v.set.annotator.is_empty()).then_some(Agent { name: &v.set.annotator, kind: "Person" });
        for s in v.set.spans() {
            // Context of about 32 characters, grown to whole grapheme clusters (never half a CRLF).
            let mut from = s.range.start().saturating_sub(CONTEXT);
            while from > 0 && !v.index.is_grapheme_boundary(from) {
                from -= 1;
            }
            let mut to = (s.range.end() + CONTEXT).min(len);
            while to < len && !v.index.is_grapheme_boundary(to) {
                to += 1;
            }
            let prefix = CharRange::new(from, s.range.start(), len).map(|r| v.index.slice(r)).unwrap_or("");
            let suffix = CharRange::new(s.range.end(), to, len).map(|r| v.index.slice(r)).unwrap_or("");
            let mut body = vec![Body { purpose: "tagging", kind: "TextualBody", value: ws.labels.tag(&s.label, s.entity_type.as_deref()).into() }];
            if let Some(note) = &s.note {
                body.push(Body { purpose: "commenting", kind: "TextualBody", value: note.as_str().into() });
            }
            items.push(Item::Span(SpanAnnotation {
                body,
                created: &v.set.created,
                creator: creator(),
                id: id(s.id),
                modified: &v.set.updated,
                motivation: "tagging",
                target: Target {
                    selector: (
                        QuoteSelector { exact: v.index.slice(s.range), prefix, suffix, kind: "TextQuoteSelector" },
                        PositionSelector { end: s.range.end(), start: s.range.start(), kind: "TextPositionSelector" },
                    ),
                    source: format!("urn:spanwright:document:{}", v.doc.id),
                },
                kind: "Annotation",
            }));
        }
        for r in v.set.relations() {
            items.push(Item::Link(LinkAnnotation {
                body: (
                    Body { purpose: "tagging", kind: "TextualBody", value: r.kind.as_str().into() },
                    LinkedSpan { purpose: "linking", source: id(r.to), kind: "SpecificResource" },
                ),
                creator: creator(),
                id: format!("urn:spanwright:set:{}:relation:{}", v.set.id, r.id),
                motivation: "linking",
                target: id(r.from),
                kind: "Annotation",
            }));
        }
        tick.wrote(v);
    }
    let collection = Collection {
        context: "http://www.w3.org/ns/anno.jsonld",
        label: "Spanwright annotations",
        total: items.len(),
        first: Page { items, start_index: 0, kind: "AnnotationPage" },
        kind: "AnnotationCollection",
    };
    let content = serde_json::to_string_pretty(&collection).expect("serialisable");
    Export { files: vec![ExportFile { name: "annotations.jsonld".into(), media_type: "application/ld+json", content }], report }
}
