//! Bringing a corpus in: many files at once (a folder, say), each a plain `.txt` article or a
//! file of many articles — JSON Lines (`.jsonl`, `.ndjson`), a JSON array (`.json`) or CSV
//! (`.csv`) — whose rows carry a text field. This is the shape Hugging Face datasets and
//! scrapers write: `text`, with optional `id`, `title`, `date`, `url` and `meta`. When the
//! names differ, [`FieldMap`] says which field is which; a file with none of the text field
//! asks for it ([`CorpusError::NeedFields`], listing the fields found).
//!
//! Pure and tested natively; it runs in the formats worker ([`super::job`]), which reports
//! [`Progress`] to the page as it goes. What it returns is what the page adds as one
//! undoable import:
//! - each text becomes a [`Document`], kept exactly as the file holds it (JSON strings
//!   decoded, CSV quotes undone, a `.txt` file's byte-order mark dropped);
//! - a text already in the workspace (by SHA-256) or earlier in the import is skipped and
//!   counted, not added twice;
//! - a row that cannot become an article is refused alone, with its file, line and why
//!   ([`Refused`]); the rest arrive. A file that cannot be read at all is refused the same
//!   way, by name.
//!
//! An article's id is the row's `id` when it has one that is free and fits in a URL
//! (letters, digits, `-`, `_`, `.`, at most 64), so `#/doc/437` opens row 437;
//! otherwise `user-` and the first 12 hex digits of its SHA-256, as for pasted text.

use std::{collections::HashSet, rc::Rc};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::csv;
use crate::model::{document::sha256_hex, Document, Origin};

/// Which field of a row is which. An empty name means "not in this file".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldMap {
    /// The article's text (required).
    pub text: String,
    /// A stable id.
    pub id: String,
    /// A title.
    pub title: String,
    /// A publication date; `YYYY-MM-DD` is kept (the date of a longer ISO 8601 time too).
    pub date: String,
    /// Where the article was found.
    pub url: String,
    /// Anything else, kept as JSON.
    pub meta: String,
}

impl Default for FieldMap {
    fn default() -> Self {
        FieldMap { text: "text".into(), id: "id".into(), title: "title".into(), date: "date".into(), url: "url".into(), meta: "meta".into() }
    }
}

/// A file to import.
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    /// Its name (a path inside a folder, for folders).
    pub name: &'a str,
    /// Its bytes.
    pub bytes: &'a [u8],
}

/// How far an import has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Bytes read so far, across all files.
    pub bytes_done: usize,
    /// Bytes in all files.
    pub bytes_total: usize,
    /// Articles taken so far.
    pub articles: usize,
}

/// A row (or a whole file) that was not imported, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// The file.
    pub file: String,
    /// The line the row starts on (from 1); `None` when the whole file was refused.
    pub line: Option<usize>,
    /// What is wrong.
    pub why: String,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{} line {line}: {}", self.file, self.why),
            None => write!(f, "{}: {}", self.file, self.why),
        }
    }
}

/// What an import brings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// The new articles, in file and row order.
    pub documents: Vec<Document>,
    /// Rows and files refused, in order.
    pub refused: Vec<Refused>,
    /// Texts already in the workspace.
    pub already_here: usize,
    /// Texts that came twice in this import (the first was taken).
    pub repeated: usize,
    /// Files left alone because they are not a kind this imports (a folder's images, say).
    pub ignored: Vec<String>,
    /// Dates that were not `YYYY-MM-DD` and were left out, with the first one's place.
    pub odd_dates: Option<(usize, String)>,
}

impl Imported {
    /// One line for the status area: what arrived and what did not.
    pub fn summary(&self) -> String {
        let n = self.documents.len();
        let mut parts = vec![format!("Imported {n} {}", if n == 1 { "article" } else { "articles" })];
        if self.already_here > 0 {
            parts.push(format!("{} already here", self.already_here));
        }
        if self.repeated > 0 {
            parts.push(format!("{} repeated in the import", self.repeated));
        }
        if !self.refused.is_empty() {
            parts.push(format!("{} refused", self.refused.len()));
        }
        if !self.ignored.is_empty() {
            parts.push(format!("{} other {} ignored", self.ignored.len(), if self.ignored.len() == 1 { "file" } else { "files" }));
        }
        let mut line = parts.join("; ") + ".";
        if let Some((count, first)) = &self.odd_dates {
            line.push_str(&format!(" {count} dates were not YYYY-MM-DD and were left out (first: {first})."));
        }
        line
    }
}

/// Why an import did not run at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CorpusError {
    /// No row of a file has the text field: the user chooses which field is the text.
    #[error("{file} has no “{wanted}” field; choose which field holds the text (fields found: {})", fields.join(", "))]
    NeedFields {
        /// The file.
        file: String,
        /// The field looked for.
        wanted: String,
        /// The fields its rows have: a CSV header in its order; JSON fields by name, row by row.
        fields: Vec<String>,
    },
    /// No file in the import is one this reads.
    #[error("none of the files is a .txt, .jsonl, .ndjson, .json or .csv file ({0})")]
    NoCorpusFiles(String),
    /// The new articles' texts do not fit in the room the browser's storage has left.
    #[error(
        "its {articles} articles ({:.1} MB of text) do not fit in the room this browser gives this site's storage. Nothing already here was changed. Import fewer articles at a time, remove some first, or free space in the browser",
        *bytes as f64 / 1e6
    )]
    DoesNotFit {
        /// How many articles.
        articles: usize,
        /// Their texts' size in UTF-8 bytes.
        bytes: usize,
    },
}

/// How a file is read, from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Text,
    JsonLines,
    Json,
    Csv,
}

fn kind_of(name: &str) -> Option<Kind> {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    match ext.as_str() {
        "txt" => Some(Kind::Text),
        "jsonl" | "ndjson" => Some(Kind::JsonLines),
        "json" => Some(Kind::Json),
        "csv" => Some(Kind::Csv),
        _ => None,
    }
}

/// A row on its way to becoming an article.
struct Row {
    line: usize,
    fields: RowFields,
}

enum RowFields {
    Object(Map<String, Value>),
    /// The header, shared by every row of the file, and the row's values.
    Csv(Rc<[String]>, Vec<String>),
    Text(String),
}

/// Reads every file. `known_hashes` and `known_ids` are the workspace's, so texts already
/// there are skipped and ids already taken are not reused. `progress` is called now and then.
pub fn read(
    sources: &[Source<'_>],
    fields: &FieldMap,
    known_hashes: &HashSet<String>,
    known_ids: &HashSet<String>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Imported, CorpusError> {
    let readable: Vec<(Source<'_>, Kind)> = sources.iter().filter_map(|s| kind_of(s.name).map(|k| (*s, k))).collect();
    if readable.is_empty() {
        let names: Vec<&str> = sources.iter().take(5).map(|s| s.name).collect();
        let more = if sources.len() > 5 { format!(" and {} more", sources.len() - 5) } else { String::new() };
        return Err(CorpusError::NoCorpusFiles(format!("{}{more}", names.join(", "))));
    }
    let mut out = Imported { ignored: sources.iter().filter(|s| kind_of(s.name).is_none()).map(|s| s.name.to_owned()).collect(), ..Imported::default() };
    let bytes_total = readable.iter().map(|(s, _)| s.bytes.len()).sum();
    let mut taker = Taker { fields, known_hashes, ids: known_ids.clone(), seen: HashSet::new(), odd_dates: 0, first_odd: None };
    let mut bytes_done = 0;
    for (source, kind) in readable {
        let file = source.name;
        let text = match decode(source.bytes) {
            Ok(t) => t,
            Err(why) => {
                out.refused.push(Refused { file: file.to_owned(), line: None, why });
                bytes_done += source.bytes.len();
                continue;
            }
        };
        let rows = match kind {
            Kind::Text => Ok(vec![Ok(Row { line: 1, fields: RowFields::Text(text.to_owned()) })]),
            Kind::JsonLines => Ok(json_lines(text)),
            Kind::Json if text.trim_start().starts_with('[') => json_array(text),
            Kind::Json => Ok(json_lines(text)),
            Kind::Csv => csv_rows(text, fields),
        };
        let rows = match rows {
            Ok(rows) => rows,
            Err(FileProblem::Refused(why)) => {
                out.refused.push(Refused { file: file.to_owned(), line: None, why });
                bytes_done += source.bytes.len();
                continue;
            }
            Err(FileProblem::NeedFields(found)) => return Err(CorpusError::NeedFields { file: file.to_owned(), wanted: fields.text.clone(), fields: found }),
        };
        if kind != Kind::Csv && kind != Kind::Text {
            let objects = rows.iter().filter_map(|r| match r {
                Ok(Row { fields: RowFields::Object(o), .. }) => Some(o),
                _ => None,
            });
            let mut has_text = false;
            let mut found: Vec<String> = Vec::new();
            let mut any = false;
            for o in objects {
                any = true;
                if o.contains_key(&fields.text) {
                    has_text = true;
                    break;
                }
                for k in o.keys() {
                    if !found.contains(k) && found.len() < 50 {
                        found.push(k.clone());
                    }
                }
            }
            if any && !has_text {
                return Err(CorpusError::NeedFields { file: file.to_owned(), wanted: fields.text.clone(), fields: found });
            }
        }
        let n = rows.len().max(1);
        for (i, row) in rows.into_iter().enumerate() {
            match row.and_then(|row| taker.take(row).map_err(|e| (e.0, e.1))) {
                Ok(Taken::New(doc)) => out.documents.push(*doc),
                Ok(Taken::AlreadyHere) => out.already_here += 1,
                Ok(Taken::Repeated) => out.repeated += 1,
                Err((line, why)) => out.refused.push(Refused { file: file.to_owned(), line: Some(line), why }),
            }
            if i % 64 == 63 {
                progress(Progress { bytes_done: bytes_done + source.bytes.len() * (i + 1) / n, bytes_total, articles: out.documents.len() });
            }
        }
        bytes_done += source.bytes.len();
        progress(Progress { bytes_done, bytes_total, articles: out.documents.len() });
    }
    if taker.odd_dates > 0 {
        out.odd_dates = taker.first_odd.map(|first| (taker.odd_dates, first));
    }
    Ok(out)
}

/// A file's text: UTF-8, without a leading byte-order mark.
fn decode(bytes: &[u8]) -> Result<&str, String> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
        format!("it is not UTF-8 text (line {line}, byte {}); save it as UTF-8 and try again", e.valid_up_to())
    })
}

enum FileProblem {
    Refused(String),
    NeedFields(Vec<String>),
}

type RowResult = Result<Row, (usize, String)>;

fn json_lines(text: &str) -> Vec<RowResult> {
    text.split('\n')
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let line = i + 1;
            match serde_json::from_str::<Value>(l.trim_end_matches('\r')) {
                Ok(Value::Object(o)) => Ok(Row { line, fields: RowFields::Object(o) }),
                Ok(other) => Err((line, format!("the line is {}, not an object with a text field", kind_name(&other)))),
                Err(e) => Err((line, format!("the line is not JSON ({}, column {})", strip_at(&e.to_string()), e.column()))),
            }
        })
        .collect()
}

fn json_array(text: &str) -> Result<Vec<RowResult>, FileProblem> {
    let items: Vec<&serde_json::value::RawValue> = serde_json::from_str(text)
        .map_err(|e| FileProblem::Refused(format!("it is not a JSON array (line {}, column {}: {})", e.line(), e.column(), strip_at(&e.to_string()))))?;
    let base = text.as_ptr() as usize;
    let mut line = 1;
    let mut counted = 0;
    Ok(items
        .into_iter()
        .map(|raw| {
            // The line an item starts on, counted from where the last one started.
            let at = raw.get().as_ptr() as usize - base;
            line += text.as_bytes()[counted..at].iter().filter(|b| **b == b'\n').count();
            counted = at;
            match serde_json::from_str::<Value>(raw.get()) {
                Ok(Value::Object(o)) => Ok(Row { line, fields: RowFields::Object(o) }),
                Ok(other) => Err((line, format!("the item is {}, not an object with a text field", kind_name(&other)))),
                Err(e) => Err((line, format!("the item could not be read ({e})"))),
            }
        })
        .collect())
}

fn csv_rows(text: &str, fields: &FieldMap) -> Result<Vec<RowResult>, FileProblem> {
    let mut records = csv::records(text).into_iter();
    let header = match records.next() {
        None => return Err(FileProblem::Refused("it is empty".into())),
        Some(Err((line, why))) => return Err(FileProblem::Refused(format!("its header (line {line}) could not be read: {why}"))),
        Some(Ok((_, header))) => header.into_iter().map(|h| h.trim().to_owned()).collect::<Vec<_>>(),
    };
    if !header.contains(&fields.text) {
        return Err(FileProblem::NeedFields(header));
    }
    let header: Rc<[String]> = header.into();
    Ok(records
        .map(|r| match r {
            Ok((line, values)) if values.len() == header.len() => Ok(Row { line, fields: RowFields::Csv(header.clone(), values) }),
            Ok((line, values)) => Err((line, format!("the row has {} fields, the header has {}", values.len(), header.len()))),
            Err(e) => Err(e),
        })
        .collect())
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn strip_at(message: &str) -> &str {
    message.rfind(" at line ").map_or(message, |i| &message[..i])
}

enum Taken {
    New(Box<Document>),
    AlreadyHere,
    Repeated,
}

/// Turns rows into documents, remembering what it took.
struct Taker<'a> {
    fields: &'a FieldMap,
    known_hashes: &'a HashSet<String>,
    ids: HashSet<String>,
    seen: HashSet<String>,
    odd_dates: usize,
    first_odd: Option<String>,
}

/// A field's value as text: strings as they are, numbers written out; absent, null and
/// empty are `None`.
fn scalar(v: Option<&Value>, name: &str) -> Result<Option<String>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(format!("“{name}” is {}, not text", kind_name(other))),
    }
}

impl Taker<'_> {
    fn take(&mut self, row: Row) -> Result<Taken, (usize, String)> {
        let line = row.line;
        let f = self.fields;
        let err = |why: String| (line, why);
        let (text, id, title, date, url, meta) = match row.fields {
            RowFields::Text(text) => (text, None, None, None, None, None),
            RowFields::Object(mut o) => {
                let text = match o.remove(&f.text) {
                    Some(Value::String(s)) => s,
                    None | Some(Value::Null) => return Err(err(format!("it has no “{}” field", f.text))),
                    Some(other) => return Err(err(format!("“{}” is {}, not text", f.text, kind_name(&other)))),
                };
                let get = |o: &Map<String, Value>, name: &str| if name.is_empty() { Ok(None) } else { scalar(o.get(name), name) };
                let meta = if f.meta.is_empty() { None } else { o.get(&f.meta).filter(|v| !v.is_null()).cloned() };
                (text, get(&o, &f.id).map_err(err)?, get(&o, &f.title).map_err(err)?, get(&o, &f.date).map_err(err)?, get(&o, &f.url).map_err(err)?, meta)
            }
            RowFields::Csv(header, mut values) => {
                let at = |name: &str| if name.is_empty() { None } else { header.iter().position(|h| h == name) };
                let mut get = |name: &str| at(name).map(|i| std::mem::take(&mut values[i])).filter(|v| !v.trim().is_empty());
                let text = get(&f.text).unwrap_or_default();
                let (id, title, date, url) = (get(&f.id), get(&f.title), get(&f.date), get(&f.url));
                let meta = get(&f.meta).map(|m| serde_json::from_str(&m).unwrap_or(Value::String(m)));
                (text, id, title, date, url, meta)
            }
        };
        if text.trim().is_empty() {
            return Err(err("its text is empty".into()));
        }
        let sha = sha256_hex(&text);
        if self.known_hashes.contains(&sha) {
            return Ok(Taken::AlreadyHere);
        }
        if !self.seen.insert(sha.clone()) {
            return Ok(Taken::Repeated);
        }
        let id = id.map(|i| i.trim().to_owned()).filter(|i| fits_url(i) && !self.ids.contains(i)).unwrap_or_else(|| {
            let short = format!("user-{}", &sha[..12]);
            if self.ids.contains(&short) {
                format!("user-{sha}")
            } else {
                short
            }
        });
        self.ids.insert(id.clone());
        let header = crate::model::document::parse_header(&text);
        let mut doc = Document { id, header, origin: Origin::User, text: text.into(), sha256: sha, index_cache: Default::default() };
        if let Some(title) = title {
            doc.header.title = title.trim().to_owned();
        }
        if let Some(date) = date {
            match iso_date(&date) {
                Some(d) => doc.header.date = Some(d.to_owned()),
                None => {
                    self.odd_dates += 1;
                    self.first_odd.get_or_insert_with(|| format!("line {line}, “{}”", date.trim()));
                }
            }
        }
        doc.header.url = url.map(|u| u.trim().to_owned());
        doc.header.meta = meta;
        Ok(Taken::New(Box::new(doc)))
    }
}

/// An id that can stand in `#/doc/<id>` as it is.
fn fits_url(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

/// `YYYY-MM-DD` at the start of a date or an ISO 8601 time.
fn iso_date(s: &str) -> Option<&str> {
    let s = s.trim();
    let d = s.get(..10)?;
    let b = d.as_bytes();
    let shape = b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    let rest_ok = s.len() == 10 || s[10..].starts_with(['T', ' ', 't']);
    let month: u32 = d[5..7].parse().ok()?;
    let day: u32 = d[8..10].parse().ok()?;
    (shape && rest_ok && (1..=12).contains(&month) && (1..=31).contains(&day)).then_some(d)
}

#[cfg(test)]
mod tests;
