//! What happens to a file the user uploads, from its bytes to a merge plan or one message
//! that says what is wrong and where. The browser shell only reads the bytes and shows the
//! result; every rule is here, tested natively against the hostile-file corpus in
//! `tests/hostile/`.
//!
//! Rules:
//! - at most [`MAX_BYTES`] (checked before reading, so a 50 MB file never fills memory);
//! - UTF-8 only; a leading byte-order mark is dropped, as Windows editors add one;
//! - the format is recognised from the content: Spanwright JSON, doccano JSONL, or Label
//!   Studio tasks;
//! - **all or nothing**: if any part of the file is refused, nothing is added and every
//!   problem is listed with its place. A half-applied upload would leave the user to find
//!   out which annotations made it; the command-line converter has `--partial` for those
//!   who want the rest anyway.

use std::collections::HashMap;

use serde::de::IgnoredAny;

use super::{doccano, labelstudio, merge, native, ImportError, Imported, Problem};
use crate::{
    model::{Document, Workspace},
    state::merge::Merge,
};

/// The largest upload: far above a 200,000-character article with 10,000 spans (about
/// 2 MB of JSON), far below what would stall a tab.
pub const MAX_BYTES: u64 = 32_000_000;

/// How many problems a message lists before "and N more".
const LISTED: usize = 5;

/// Why an upload was refused, and which file: the message the user sees is its `Display`,
/// "Upload of x.json failed, nothing was changed: …".
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Upload of {file} failed, nothing was changed: {kind}")]
pub struct UploadError {
    /// The file's name.
    pub file: String,
    /// What is wrong with it.
    pub kind: UploadErrorKind,
}

/// What is wrong with an uploaded file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UploadErrorKind {
    /// Over [`MAX_BYTES`].
    #[error("the file is {size}, larger than the {max} an upload may be; split it, or convert it with the command-line tool")]
    TooLarge {
        /// Its size, for people ("50.0 MB").
        size: String,
        /// The limit, for people.
        max: String,
    },
    /// UTF-16 text (a byte-order mark says so).
    #[error("it is UTF-16 text; save it as UTF-8 and try again")]
    Utf16,
    /// Not UTF-8.
    #[error("it is not UTF-8 text (the first invalid byte is at offset {0}); save it as UTF-8 and try again")]
    NotUtf8(usize),
    /// Nothing in it.
    #[error("the file is empty")]
    Empty,
    /// Read, and refused: the problems, each with its place.
    #[error("{0}")]
    Refused(String),
}

/// A file that can be merged, and what to tell the user.
#[derive(Debug)]
pub struct Upload {
    /// What to add.
    pub merge: Merge,
    /// "Uploaded x.json (Spanwright JSON): 1 document, 1 set, 3 spans, 0 relations."
    pub summary: String,
}

/// Refuses a file by its size alone, before it is read.
pub fn check_size(name: &str, len: u64) -> Result<(), UploadError> {
    if len > MAX_BYTES {
        return Err(failed(name, UploadErrorKind::TooLarge { size: megabytes(len), max: megabytes(MAX_BYTES) }));
    }
    Ok(())
}

/// Reads an uploaded file against the workspace; the error's `Display` is the whole message
/// for the user.
pub fn read(name: &str, bytes: &[u8], ws: &Workspace, at: &str) -> Result<Upload, UploadError> {
    read_with(name, bytes, ws, at, &mut |_, _| {})
}

/// [`read`], telling `progress(checked, in all)` as a Spanwright file's documents and sets are
/// checked (the longest part of reading a large one).
pub fn read_with(name: &str, bytes: &[u8], ws: &Workspace, at: &str, progress: &mut dyn FnMut(usize, usize)) -> Result<Upload, UploadError> {
    check_size(name, bytes.len() as u64)?;
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(failed(name, UploadErrorKind::Utf16));
    }
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| failed(name, UploadErrorKind::NotUtf8(e.valid_up_to())))?;
    let (format, result) = match detect(text) {
        Detected::Empty => return Err(failed(name, UploadErrorKind::Empty)),
        Detected::LabelStudio => ("Label Studio", labelstudio::import(text, &ws.labels, at)),
        Detected::Doccano => ("doccano", doccano::import(text, &ws.labels, at)),
        Detected::Native => {
            let known: Vec<&Document> = ws.documents().iter().map(|d| &**d).collect();
            ("Spanwright JSON", native::load_with(text, &known, progress).map(|l| l.imported))
        }
    };
    let imported: Imported = match result {
        Ok(i) => i,
        Err(ImportError::NothingUsable(problems)) => return Err(failed(name, UploadErrorKind::Refused(list(&problems)))),
        Err(e) => return Err(failed(name, UploadErrorKind::Refused(e.to_string()))),
    };
    if !imported.refused.is_empty() {
        return Err(failed(name, UploadErrorKind::Refused(list(&imported.refused))));
    }
    let mut summary = format!("Uploaded {name} ({format}): {}.", imported.summary());
    for note in &imported.notes {
        summary.push_str(&format!(" Note: {note}."));
    }
    Ok(Upload { merge: merge::plan(ws, imported), summary })
}

enum Detected {
    Empty,
    Native,
    Doccano,
    LabelStudio,
}

/// Label Studio exports an array of tasks; doccano writes one object per line, each with a
/// "text" and no "format"; anything else is read as Spanwright JSON, whose errors then say
/// what is wrong.
fn detect(text: &str) -> Detected {
    let body = text.trim_start();
    match body.chars().next() {
        None => Detected::Empty,
        Some('[') => Detected::LabelStudio,
        Some('{') => {
            // Only the first line's keys: a compact Spanwright file is one line of megabytes,
            // skipped over here, not built into a tree.
            let first = body.lines().next().unwrap_or_default();
            match serde_json::from_str::<HashMap<String, IgnoredAny>>(first) {
                Ok(o) if o.contains_key("text") && !o.contains_key("format") => Detected::Doccano,
                Ok(o) if (o.contains_key("data") || o.contains_key("annotations")) && !o.contains_key("format") => Detected::LabelStudio,
                _ => Detected::Native,
            }
        }
        Some(_) => Detected::Native,
    }
}

fn failed(name: &str, kind: UploadErrorKind) -> UploadError {
    UploadError { file: name.to_owned(), kind }
}

fn list(problems: &[Problem]) -> String {
    match problems {
        [one] => one.to_string(),
        _ => {
            let shown: Vec<String> = problems.iter().take(LISTED).map(Problem::to_string).collect();
            let more = problems.len().saturating_sub(LISTED);
            let tail = if more > 0 { format!("; and {more} more") } else { String::new() };
            format!("{} problems: {}{tail}", problems.len(), shown.join("; "))
        }
    }
}

fn megabytes(n: u64) -> String {
    format!("{:.1} MB", n as f64 / 1_000_000.0)
}
