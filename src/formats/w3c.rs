//! W3C Web Annotation (JSON-LD): an `AnnotationCollection` whose first page holds one
//! annotation per span and one `linking` annotation per relation.
//!
//! A span's target has a `TextQuoteSelector` (exact text with up to 32 characters of prefix
//! and suffix) and a `TextPositionSelector` (code points, as the model requires); its body
//! tags it with the training label and carries the note as a `commenting` body. A relation is
//! an annotation with motivation `linking`, the relation type as its body, and the two span
//! annotations as its targets, from first.

use serde_json::{json, Value};

use super::{views, Export, ExportFile};
use crate::model::{AnnotationSet, CharRange, Workspace};

const CONTEXT: usize = 32;

/// One collection for all sets.
pub fn export(ws: &Workspace, sets: &[&AnnotationSet]) -> Export {
    let mut report = Vec::new();
    let views = views(ws, sets, &mut report);
    let mut items: Vec<Value> = Vec::new();
    for v in &views {
        let source = format!("urn:spanwright:document:{}", v.doc.id);
        let id = |span: u64| format!("urn:spanwright:set:{}:span:{span}", v.set.id);
        let len = v.index.char_len();
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
            let mut body = vec![json!({
                "type": "TextualBody",
                "purpose": "tagging",
                "value": ws.labels.tag(&s.label, s.entity_type.as_deref()),
            })];
            if let Some(note) = &s.note {
                body.push(json!({ "type": "TextualBody", "purpose": "commenting", "value": note }));
            }
            items.push(json!({
                "id": id(s.id),
                "type": "Annotation",
                "motivation": "tagging",
                "creator": v.set.annotator,
                "created": v.set.created,
                "modified": v.set.updated,
                "body": body,
                "target": {
                    "source": source,
                    "selector": [
                        { "type": "TextQuoteSelector", "exact": v.index.slice(s.range), "prefix": prefix, "suffix": suffix },
                        { "type": "TextPositionSelector", "start": s.range.start(), "end": s.range.end() },
                    ],
                },
            }));
        }
        for r in v.set.relations() {
            items.push(json!({
                "id": format!("urn:spanwright:set:{}:relation:{}", v.set.id, r.id),
                "type": "Annotation",
                "motivation": "linking",
                "body": { "type": "TextualBody", "purpose": "tagging", "value": r.kind },
                "target": [id(r.from), id(r.to)],
            }));
        }
    }
    let total = items.len();
    let collection = json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "label": "Spanwright annotations",
        "total": total,
        "first": { "type": "AnnotationPage", "startIndex": 0, "items": items },
    });
    let content = serde_json::to_string_pretty(&collection).expect("serialisable");
    Export { files: vec![ExportFile { name: "annotations.jsonld".into(), media_type: "application/ld+json", content }], report }
}
