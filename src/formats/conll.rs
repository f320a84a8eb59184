//! CoNLL-2003 with IOB2 tags, for entity recognition: `-DOCSTART- -X- O O`, a blank line,
//! then one token per line (`token _ _ TAG`, the tag last) with a blank line between
//! sentences, for each set.
//!
//! The format has no offsets, no overlaps and no relations, so the export says what it
//! dropped: claims and quotes (it holds entities only), entities overlapping an earlier one
//! (the first in document order wins, so an outer entity beats a nested one), and relations.
//! Tokens are Unicode words and punctuation (UAX #29); a segment of nothing but whitespace or
//! invisible format characters (a byte-order mark, a zero-width space or joiner) is not a
//! token. An entity whose edge falls inside a token tags the whole token, and the report
//! counts those. Every sentence starts afresh (`B-`), so an entity that crosses a sentence
//! break is written as two, and the report counts those too.

use std::fmt::Write;

use unicode_segmentation::UnicodeSegmentation;

use super::{report_notes, report_provenance, report_relations, views, Export, ExportFile};
use crate::model::{AnnotationSet, Span, Workspace};

/// One CoNLL document per set.
pub fn export(ws: &Workspace, sets: &[&AnnotationSet], progress: &mut dyn FnMut(usize, usize)) -> Export {
    let mut report = Vec::new();
    let views = views(ws, sets, &mut report);
    let mut tick = super::Ticker::new(progress, &views);
    let (mut not_entities, mut overlapping, mut misaligned, mut split) = (0usize, 0usize, 0usize, 0usize);
    let mut out = String::new();
    for v in &views {
        // Entities that survive: typed labels only, first in document order wins overlaps.
        let mut kept: Vec<&Span> = Vec::new();
        for s in v.set.spans() {
            let typed = ws.labels.label(&s.label).is_some_and(|l| l.typed);
            if !typed {
                not_entities += 1;
            } else if kept.last().is_some_and(|k| k.range.overlaps(&s.range)) {
                overlapping += 1;
            } else {
                kept.push(s);
            }
        }
        out.push_str("-DOCSTART- -X- O O\n\n");
        // Tokens with code-point offsets; sentences by UAX #29, which keeps a closing quote
        // with its sentence and breaks at line ends.
        let text = &*v.doc.text;
        let mut tokens: Vec<(usize, usize, &str, bool)> = Vec::new(); // start, end, text, sentence break before
        let mut cp = 0usize;
        for sentence in text.split_sentence_bounds() {
            let mut first_in_sentence = true;
            for word in sentence.split_word_bounds() {
                let n = word.chars().count();
                if !word.chars().all(invisible) {
                    tokens.push((cp, cp + n, word, first_in_sentence));
                    first_in_sentence = false;
                }
                cp += n;
            }
        }
        let mut k = 0usize;
        let mut inside: Option<u64> = None;
        let mut first = true;
        for (start, end, word, brk) in tokens {
            if brk && !first {
                out.push('\n');
                if let Some(s) = kept.get(k) {
                    if inside == Some(s.id) && s.range.end() > start {
                        split += 1;
                    }
                }
                inside = None;
            }
            first = false;
            while k < kept.len() && kept[k].range.end() <= start {
                k += 1;
            }
            let tag = match kept.get(k) {
                Some(s) if s.range.start() < end => {
                    if s.range.start() > start || s.range.end() < end {
                        misaligned += 1;
                    }
                    let t = ws.labels.tag(&s.label, s.entity_type.as_deref());
                    let prefix = if inside == Some(s.id) { "I" } else { "B" };
                    inside = Some(s.id);
                    format!("{prefix}-{t}")
                }
                _ => {
                    inside = None;
                    "O".to_owned()
                }
            };
            writeln!(out, "{} _ _ {tag}", word.replace(char::is_whitespace, "_")).unwrap();
        }
        out.push('\n');
        tick.wrote(v);
    }
    if not_entities > 0 {
        report.push(format!("{not_entities} claim/quote span{} dropped: CoNLL holds entities only", if not_entities == 1 { "" } else { "s" }));
    }
    if overlapping > 0 {
        report.push(format!(
            "{overlapping} entit{} dropped: CoNLL cannot hold overlapping or nested entities (the first in document order was kept)",
            if overlapping == 1 { "y" } else { "ies" }
        ));
    }
    if misaligned > 0 {
        report.push(format!(
            "{misaligned} token{} only partly inside an entity {} tagged whole",
            if misaligned == 1 { "" } else { "s" },
            if misaligned == 1 { "was" } else { "were" }
        ));
    }
    if split > 0 {
        report.push(format!("{split} entit{} crossing a sentence break were written as one entity per sentence", if split == 1 { "y" } else { "ies" }));
    }
    report_relations(&views, "CoNLL", &mut report);
    report_notes(&views, "CoNLL", &mut report);
    report_provenance(&views, "CoNLL", &mut report);
    Export { files: vec![ExportFile { name: "entities.conll".into(), media_type: "text/plain", content: out }], report }
}

/// Whitespace, or a format character that shows nothing: not a token on its own.
fn invisible(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{00ad}')
}
