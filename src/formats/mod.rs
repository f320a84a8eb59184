//! File formats: Spanwright's own versioned JSON, the training-data exports, and importers
//! for migrating from doccano and Label Studio.
//!
//! Every format counts offsets in Unicode code points and says so where it has room. Each
//! exporter returns the files it made and a report of what the format could not hold; each
//! importer returns what it took and, with the place and the reason, what it refused.
//! Wire types (the serde structs of each format) live beside their format, apart from the
//! model.

pub mod brat;
pub mod conll;
pub mod corpus;
pub mod csv;
pub mod doccano;
pub mod job;
pub mod jsonl;
pub mod labelstudio;
pub mod merge;
pub mod mirror;
pub mod native;
pub mod scope;
pub mod tar;
pub mod upload;
pub mod w3c;

use std::{collections::HashSet, fmt, str::FromStr};

use crate::model::{AnnotationSet, Document, LabelSet, OffsetIndex, Workspace};

/// What Spanwright writes as the offset unit wherever a format has a field for it.
pub const OFFSET_UNIT: &str = "codepoint";

/// A file an export made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    /// Suggested file name.
    pub name: String,
    /// MIME type.
    pub media_type: &'static str,
    /// The content.
    pub content: String,
}

/// The result of an export: its files, and what the format dropped or changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Export {
    /// The files.
    pub files: Vec<ExportFile>,
    /// One line per thing the format could not hold.
    pub report: Vec<String>,
}

/// A problem with one part of an input, and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where: a JSON path (`sets[0].spans[3].end`) or `line N` for line-based formats.
    pub path: String,
    /// What is wrong, with what was expected and what was found.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl Problem {
    /// A problem at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Problem { path: path.into(), message: message.into() }
    }
}

/// What an import produced: everything it could take, plus what it refused and notes about
/// what it changed (labels added, units converted).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// The label schema the file uses (the workspace's, extended by new tags).
    pub labels: LabelSet,
    /// Documents in the file.
    pub documents: Vec<Document>,
    /// Annotation sets in the file.
    pub sets: Vec<AnnotationSet>,
    /// Refused parts, each with its place.
    pub refused: Vec<Problem>,
    /// Things done to make the file fit, for the user to know.
    pub notes: Vec<String>,
}

impl Imported {
    /// Span count over all sets.
    pub fn span_count(&self) -> usize {
        self.sets.iter().map(|s| s.spans().len()).sum()
    }

    /// The import as a workspace of its own (for converting files without a browser).
    pub fn into_workspace(self) -> Workspace {
        let mut ws = Workspace::with_documents(self.documents);
        ws.labels = self.labels;
        for set in self.sets {
            if let Err(e) = ws.insert_set(usize::MAX, set) {
                unreachable!("importers build sets against their own documents and labels: {e}");
            }
        }
        ws
    }

    /// "2 documents, 3 sets, 41 spans, 5 relations".
    pub fn summary(&self) -> String {
        let relations: usize = self.sets.iter().map(|s| s.relations().len()).sum();
        format!(
            "{} document{}, {} set{}, {} span{}, {} relation{}",
            self.documents.len(),
            plural(self.documents.len()),
            self.sets.len(),
            plural(self.sets.len()),
            self.span_count(),
            plural(self.span_count()),
            relations,
            plural(relations)
        )
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A whole-file failure: nothing in the file could be taken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Not valid JSON.
    #[error("line {line}, column {column}: the file is not valid JSON: {message}")]
    Malformed {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// serde_json's description.
        message: String,
    },
    /// Valid JSON of the wrong shape.
    #[error("{0}")]
    Shape(Problem),
    /// Not a Spanwright file.
    #[error("this is not a Spanwright file: {0}")]
    NotSpanwright(String),
    /// A version this build does not know.
    #[error("format version {found} is not supported: this Spanwright reads version {supported}; use a newer Spanwright")]
    UnknownVersion {
        /// The file's version.
        found: String,
        /// What this build reads.
        supported: u32,
    },
    /// Everything in the file was refused.
    #[error("nothing in the file could be used:\n{}", .0.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    NothingUsable(Vec<Problem>),
}

impl ImportError {
    fn from_json(e: &serde_json::Error) -> Self {
        ImportError::Malformed { line: e.line(), column: e.column(), message: strip_position(&e.to_string()) }
    }
}

/// serde_json appends " at line L column C"; the error says that already.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// The export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Spanwright's own JSON (workspace or set).
    Native,
    /// JSON Lines for spaCy and Hugging Face datasets.
    Jsonl,
    /// doccano sequence labelling JSONL (entities and relations).
    Doccano,
    /// Label Studio JSON tasks.
    LabelStudio,
    /// brat standoff `.txt` + `.ann`.
    Brat,
    /// W3C Web Annotation JSON-LD.
    W3c,
    /// CoNLL-2003 IOB2, entities only.
    Conll,
}

impl Format {
    /// Every format, in menu order.
    pub const ALL: [Format; 7] = [Format::Native, Format::Jsonl, Format::Doccano, Format::LabelStudio, Format::Brat, Format::W3c, Format::Conll];

    /// The name used on the command line and in the UI.
    pub fn id(self) -> &'static str {
        match self {
            Format::Native => "spanwright",
            Format::Jsonl => "jsonl",
            Format::Doccano => "doccano",
            Format::LabelStudio => "labelstudio",
            Format::Brat => "brat",
            Format::W3c => "w3c",
            Format::Conll => "conll",
        }
    }

    /// What the user sees.
    pub fn title(self) -> &'static str {
        match self {
            Format::Native => "Spanwright JSON",
            Format::Jsonl => "JSON Lines (spaCy, Hugging Face)",
            Format::Doccano => "doccano JSONL",
            Format::LabelStudio => "Label Studio JSON",
            Format::Brat => "brat standoff",
            Format::W3c => "W3C Web Annotation",
            Format::Conll => "CoNLL-2003 IOB2",
        }
    }

    /// Exports `sets` of `ws`.
    pub fn export(self, ws: &Workspace, sets: &[&AnnotationSet]) -> Export {
        self.export_with(ws, sets, &mut |_, _| {})
    }

    /// Exports `sets` of `ws`, telling `progress(articles written, articles in all)` as it
    /// goes (an article is counted once its first set is written).
    pub fn export_with(self, ws: &Workspace, sets: &[&AnnotationSet], progress: &mut dyn FnMut(usize, usize)) -> Export {
        match self {
            Format::Native => native::export_sets(ws, sets, progress),
            Format::Jsonl => jsonl::export(ws, sets, progress),
            Format::Doccano => doccano::export(ws, sets, progress),
            Format::LabelStudio => labelstudio::export(ws, sets, progress),
            Format::Brat => brat::export(ws, sets, progress),
            Format::W3c => w3c::export(ws, sets, progress),
            Format::Conll => conll::export(ws, sets, progress),
        }
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Format::ALL.into_iter().find(|f| f.id() == s || (s == "native" && *f == Format::Native)).ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(|f| f.id()).collect();
            format!("unknown format “{s}”; expected one of {}", names.join(", "))
        })
    }
}

/// A set with its document and an offset index over the document's text.
pub(crate) struct SetView<'a> {
    pub set: &'a AnnotationSet,
    pub doc: &'a Document,
    pub index: OffsetIndex<'a>,
}

/// Pairs each set with its document; sets whose document is missing are reported.
pub(crate) fn views<'a>(ws: &'a Workspace, sets: &[&'a AnnotationSet], report: &mut Vec<String>) -> Vec<SetView<'a>> {
    sets.iter()
        .filter_map(|set| match ws.document(&set.doc_id) {
            Some(doc) => Some(SetView { set, doc, index: doc.index() }),
            None => {
                report.push(format!("set “{}” skipped: its document “{}” is not in the workspace", set.name, set.doc_id));
                None
            }
        })
        .collect()
}

/// Counts the articles an export has written for a progress bar: `tell(done, total)` each
/// time the first set of another document is written.
pub(crate) struct Ticker<'t, 'v> {
    tell: &'t mut dyn FnMut(usize, usize),
    seen: HashSet<&'v str>,
    total: usize,
}

impl<'t, 'v> Ticker<'t, 'v> {
    /// A ticker over these views' documents.
    pub(crate) fn new(tell: &'t mut dyn FnMut(usize, usize), views: &[SetView<'v>]) -> Self {
        let total = views.iter().map(|v| v.doc.id.as_str()).collect::<HashSet<_>>().len();
        Ticker { tell, seen: HashSet::new(), total }
    }

    /// Notes that `view`'s set is written.
    pub(crate) fn wrote(&mut self, view: &SetView<'v>) {
        if self.seen.insert(view.doc.id.as_str()) {
            (self.tell)(self.seen.len(), self.total);
        }
    }
}

/// Which characters a JSON line writes as `\uXXXX` escapes beyond those JSON requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Escape {
    /// U+0085, U+2028 and U+2029, which are valid in JSON strings but which Python's
    /// `str.splitlines()` takes for line ends, cutting a JSON line in two.
    LineSeparators,
    /// Every character beyond ASCII, so the file is ASCII: doccano guesses the encoding of
    /// what it imports (chardet), and takes UTF-8 with a few emoji for Windows-1252.
    NonAscii,
}

/// Serialises `value` as one compact JSON line with the extra escapes of `escape`.
pub(crate) fn json_line<T: serde::Serialize>(value: &T, escape: Escape) -> String {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Escaping(escape));
    value.serialize(&mut ser).expect("serialisable");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// serde_json's compact formatter, escaping more (see [`Escape`]).
struct Escaping(Escape);

impl serde_json::ser::Formatter for Escaping {
    fn write_string_fragment<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, fragment: &str) -> std::io::Result<()> {
        // Most fragments need nothing: U+0085, U+2028 and U+2029 all start with byte C2 or
        // E2 in UTF-8, and an ASCII check is a fast scan.
        let clean = match self.0 {
            Escape::LineSeparators => !fragment.bytes().any(|b| b == 0xc2 || b == 0xe2),
            Escape::NonAscii => fragment.is_ascii(),
        };
        if clean {
            return writer.write_all(fragment.as_bytes());
        }
        let escaped = |c: char| match self.0 {
            Escape::LineSeparators => matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}'),
            Escape::NonAscii => !c.is_ascii(),
        };
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if escaped(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{u:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

/// A file-name-safe version of an id.
pub(crate) fn file_stem(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

/// Notes dropped by a format without a place for them, as a report line.
/// Says how many spans' provenance (where a gold or accepted span came from) a format has
/// no place for.
pub(crate) fn report_provenance(views: &[SetView<'_>], format: &str, report: &mut Vec<String>) {
    let n = views.iter().flat_map(|v| v.set.spans()).filter(|s| s.provenance.is_some()).count();
    if n > 0 {
        report.push(format!(
            "{n} span{}' provenance (where a gold or accepted span came from) dropped: {format} has no place for it; Spanwright JSON and JSON Lines keep it",
            plural(n)
        ));
    }
}

pub(crate) fn report_notes(views: &[SetView<'_>], format: &str, report: &mut Vec<String>) {
    let notes = views.iter().flat_map(|v| v.set.spans()).filter(|s| s.note.is_some()).count();
    if notes > 0 {
        report.push(format!("{notes} span note{} dropped: {format} has no place for notes", plural(notes)));
    }
}

/// Relations dropped by a format without them, as a report line.
pub(crate) fn report_relations(views: &[SetView<'_>], format: &str, report: &mut Vec<String>) {
    let n: usize = views.iter().map(|v| v.set.relations().len()).sum();
    if n > 0 {
        report.push(format!("{n} relation{} dropped: {format} has no relations", plural(n)));
    }
}
