//! brat standoff: for each set, `<set>.txt` with the document text exactly as it is and
//! `<set>.ann` with one line per annotation:
//! `T1<TAB>PERSON 0 8<TAB>Jane Roe`, `R1<TAB>speaker Arg1:T3 Arg2:T1`,
//! `#1<TAB>AnnotatorNotes T1<TAB>note`.
//!
//! Offsets count code points of the `.txt`, so Python reading it with `newline=""` slices the
//! span text back. A span that crosses a line break is written as fragments (`0 5;6 12`), as
//! brat requires, and its text field joins the fragments with a space. brat's own server reads
//! text with universal newlines, counting CRLF as one character (brat#853); the report says
//! so when a document has CRLF.

use std::fmt::Write;

use super::{file_stem, views, Export, ExportFile};
use crate::model::{AnnotationSet, CharRange, Workspace};

/// A `.txt` and an `.ann` per set.
pub fn export(ws: &Workspace, sets: &[&AnnotationSet]) -> Export {
    let mut report = Vec::new();
    let views = views(ws, sets, &mut report);
    let mut files = Vec::new();
    for v in &views {
        let stem = file_stem(&v.set.id);
        let mut ann = String::new();
        let mut notes = 0;
        for s in v.set.spans() {
            let tag = ws.labels.tag(&s.label, s.entity_type.as_deref());
            let fragments = line_fragments(v.index.slice(s.range), s.range);
            let offsets: Vec<String> = fragments.iter().map(|(a, b, _)| format!("{a} {b}")).collect();
            let texts: Vec<&str> = fragments.iter().map(|(_, _, t)| *t).collect();
            writeln!(ann, "T{}\t{} {}\t{}", s.id, tag, offsets.join(";"), texts.join(" ")).unwrap();
            if let Some(note) = &s.note {
                notes += 1;
                writeln!(ann, "#{notes}\tAnnotatorNotes T{}\t{}", s.id, note.replace(['\n', '\r', '\t'], " ")).unwrap();
            }
        }
        for r in v.set.relations() {
            writeln!(ann, "R{}\t{} Arg1:T{} Arg2:T{}", r.id, r.kind, r.from, r.to).unwrap();
        }
        files.push(ExportFile { name: format!("{stem}.txt"), media_type: "text/plain", content: v.doc.text.to_string() });
        files.push(ExportFile { name: format!("{stem}.ann"), media_type: "text/plain", content: ann });
        if v.doc.text.contains("\r\n") {
            report.push(format!(
                "{stem}.txt has CRLF line ends: offsets count each as two characters (Python open(..., newline=\"\")); brat's own server counts CRLF as one (brat#853)"
            ));
        }
    }
    Export { files, report }
}

/// Splits a span at line breaks into `(start, end, text)` fragments that hold no line break.
fn line_fragments(text: &str, range: CharRange) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut frag_start: Option<(usize, usize)> = None; // (code point, byte)
    let mut pos = range.start();
    for (byte, c) in text.char_indices() {
        let is_break = c == '\n' || c == '\r';
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
    }
}
