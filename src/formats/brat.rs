//! brat standoff: for each set, `<set>.txt` with the document text exactly as it is and
//! `<set>.ann` with one line per annotation:
//! `T1<TAB>PERSON 0 8<TAB>Jane Roe`, `R1<TAB>speaker Arg1:T3 Arg2:T1`,
//! `#1<TAB>AnnotatorNotes T1<TAB>note`.
//!
//! Offsets count code points of the `.txt`. brat's own reader opens the `.txt` as bytes and
//! decodes it, so a CRLF counts as two characters there, as it does here and in Python with
//! `open(..., newline="")`; a reader that opens the file with universal newlines would count
//! one. A span that crosses a line break is written as fragments (`0 5;6 12`), as brat
//! requires, and its text field joins the fragments with a space. A line break is whatever
//! brat's reader splits the `.ann` at (it reads it with Python's `readlines()`): LF and CR,
//! but also U+000B, U+000C, U+001C–U+001E, U+0085, U+2028 and U+2029. A fragment cannot
//! hold one, so a span that starts or ends with one is written without it, and the report
//! names each span so shortened; a span of nothing but line breaks cannot be written at all,
//! and the report names it too.

use std::fmt::Write;

use super::{file_stem, plural, report_provenance, views, Export, ExportFile};
use crate::model::{AnnotationSet, CharRange, Workspace};

/// A `.txt` and an `.ann` per set.
pub fn export(ws: &Workspace, sets: &[&AnnotationSet], progress: &mut dyn FnMut(usize, usize)) -> Export {
    let mut report = Vec::new();
    let views = views(ws, sets, &mut report);
    let mut tick = super::Ticker::new(progress, &views);
    report_provenance(&views, "brat", &mut report);
    let mut files = Vec::new();
    let mut shortened: Vec<String> = Vec::new();
    let mut unwritable: Vec<String> = Vec::new();
    let mut lost_relations = 0usize;
    for v in &views {
        let stem = file_stem(&v.set.id);
        let mut ann = String::new();
        let mut notes = 0;
        let mut missing: Vec<u64> = Vec::new();
        for s in v.set.spans() {
            let tag = ws.labels.tag(&s.label, s.entity_type.as_deref());
            let fragments = line_fragments(v.index.slice(s.range), s.range);
            let describe = || format!("{stem}.ann T{} ({tag} {:?} at {}–{})", s.id, v.index.slice(s.range), s.range.start(), s.range.end());
            let (Some(first), Some(last)) = (fragments.first(), fragments.last()) else {
                unwritable.push(describe());
                missing.push(s.id);
                continue;
            };
            if first.0 != s.range.start() || last.1 != s.range.end() {
                shortened.push(format!("{} as {}–{}", describe(), first.0, last.1));
            }
            let offsets: Vec<String> = fragments.iter().map(|(a, b, _)| format!("{a} {b}")).collect();
            let texts: Vec<&str> = fragments.iter().map(|(_, _, t)| *t).collect();
            writeln!(ann, "T{}\t{} {}\t{}", s.id, tag, offsets.join(";"), texts.join(" ")).unwrap();
            if let Some(note) = &s.note {
                notes += 1;
                let note: String = note.chars().map(|c| if line_break(c) || c == '\t' { ' ' } else { c }).collect();
                writeln!(ann, "#{notes}\tAnnotatorNotes T{}\t{note}", s.id).unwrap();
            }
        }
        for r in v.set.relations() {
            if missing.contains(&r.from) || missing.contains(&r.to) {
                lost_relations += 1;
                continue;
            }
            writeln!(ann, "R{}\t{} Arg1:T{} Arg2:T{}", r.id, r.kind, r.from, r.to).unwrap();
        }
        files.push(ExportFile { name: format!("{stem}.txt"), media_type: "text/plain", content: v.doc.text.to_string() });
        files.push(ExportFile { name: format!("{stem}.ann"), media_type: "text/plain", content: ann });
        tick.wrote(v);
    }
    if !shortened.is_empty() {
        report.push(format!(
            "{} span{} shortened: a brat span cannot start or end with a line break, so it was written without it: {}",
            shortened.len(),
            plural(shortened.len()),
            shortened.join("; ")
        ));
    }
    if !unwritable.is_empty() {
        report.push(format!(
            "{} span{} dropped: they hold nothing but line breaks, which brat cannot annotate: {}",
            unwritable.len(),
            plural(unwritable.len()),
            unwritable.join("; ")
        ));
    }
    if lost_relations > 0 {
        report.push(format!("{lost_relations} relation{} dropped with the spans above", plural(lost_relations)));
    }
    Export { files, report }
}

/// What ends a line for brat's reader, which reads the `.ann` with `readlines()`: Python's
/// line boundaries, not only LF and CR.
fn line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Splits a span at line breaks into `(start, end, text)` fragments that hold no line break.
fn line_fragments(text: &str, range: CharRange) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut frag_start: Option<(usize, usize)> = None; // (code point, byte)
    let mut pos = range.start();
    for (byte, c) in text.char_indices() {
        let is_break = line_break(c);
        match (is_break, frag_start) {
            (true, Some((cs, bs))) => {
                out.push((cs, pos, &text[bs..byte]));
                frag_start = None;
            }
            (false, None) => frag_start = Some((pos, byte)),
            _ => {}
        }
        pos += 1;
    }
    if let Some((cs, bs)) = frag_start {
        out.push((cs, pos, &text[bs..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_skip_line_breaks() {
        let r = CharRange::new(10, 19, 100).unwrap();
        assert_eq!(line_fragments("ab\r\ncd\n\nx", r), vec![(10, 12, "ab"), (14, 16, "cd"), (18, 19, "x")]);
        let r = CharRange::new(0, 9, 100).unwrap();
        assert_eq!(line_fragments("ab\u{2028}cd\u{85}e\u{0c}f", r), vec![(0, 2, "ab"), (3, 5, "cd"), (6, 7, "e"), (8, 9, "f")]);
    }
}
