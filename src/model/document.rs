//! Documents: an article's text exactly as loaded, its SHA-256, and what its first line says
//! about it (title, date, byline, source).
//!
//! The text is never rewritten: no newline or Unicode normalisation, nothing trimmed. Every
//! span offset counts this exact text, and the hash lets an annotation set notice when the
//! text it was made on has changed.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::offsets::{IndexParts, OffsetIndex};

/// A document's stable id: the seed's file stem for bundled articles, `user-…` for the
/// user's own.
pub type DocId = String;

/// Where a document came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Shipped in `seeds/`.
    #[default]
    Bundled,
    /// Pasted or opened by the user.
    User,
}

/// What the first line of an article says about it.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Header {
    /// A title: the quoted headline when the first line has one, else the body's first words.
    pub title: String,
    /// The publication date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// "By …" when the first line names an author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
    /// The agency or outlet after "Source:".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// A section name standing before the quoted headline ("Politics").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// Where the article was found, when an imported corpus said so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Anything else an imported corpus said about the article, kept as it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<serde_json::Value>,
}

/// An article: id, metadata and its exact text.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Document {
    /// Stable id.
    pub id: DocId,
    /// Title, date, byline, source.
    #[serde(flatten)]
    pub header: Header,
    /// Bundled or the user's own.
    #[serde(default)]
    pub origin: Origin,
    /// The text exactly as loaded. Shared, so cloning a workspace does not copy texts.
    pub text: Arc<str>,
    /// Lower-case hex SHA-256 of the UTF-8 text.
    pub sha256: String,
    /// The offset index of the text, built on first use (see [`Document::index`]).
    #[serde(skip)]
    pub index_cache: std::sync::OnceLock<IndexParts>,
}

impl PartialEq for Document {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.header == other.header && self.origin == other.origin && self.text == other.text && self.sha256 == other.sha256
    }
}

impl Eq for Document {}

impl Document {
    /// A document from its text, with metadata parsed from the first line.
    pub fn new(id: impl Into<DocId>, text: impl Into<Arc<str>>, origin: Origin) -> Self {
        let text = text.into();
        Document { id: id.into(), header: parse_header(&text), origin, sha256: sha256_hex(&text), text, index_cache: Default::default() }
    }

    /// The offset index of the text, built once and kept.
    pub fn index(&self) -> OffsetIndex<'_> {
        OffsetIndex::from_parts(&self.text, self.index_cache.get_or_init(|| OffsetIndex::new(&self.text).parts()))
    }

    /// Number of Unicode scalar values in the text: the bound of every span range.
    pub fn char_len(&self) -> usize {
        self.index().char_len()
    }
}

/// Why text a user brought cannot become an article.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UserTextError {
    /// Not UTF-8.
    #[error("it is not UTF-8 text (the first invalid byte is at offset {0}); save it as UTF-8 and try again")]
    NotUtf8(usize),
    /// Nothing but whitespace.
    #[error("there is no text in it")]
    Empty,
}

impl Document {
    /// An article from text the user pasted or opened, kept exactly as given except for a
    /// leading byte-order mark, which is an encoding marker and not part of the text. Its id
    /// comes from the text's hash (`user-` and 12 hex digits), so the same text added twice
    /// is found, not duplicated. A non-empty `title` replaces the one taken from the text.
    pub fn from_user_bytes(bytes: &[u8], title: &str) -> Result<Document, UserTextError> {
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        let text = std::str::from_utf8(bytes).map_err(|e| UserTextError::NotUtf8(e.valid_up_to()))?;
        if text.trim().is_empty() {
            return Err(UserTextError::Empty);
        }
        let sha = sha256_hex(text);
        let mut doc = Document::new(format!("user-{}", &sha[..12]), text, Origin::User);
        if !title.trim().is_empty() {
            doc.header.title = title.trim().to_owned();
        }
        Ok(doc)
    }
}

/// Lower-case hex SHA-256 of a string's UTF-8 bytes.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// How many words a title taken from the text keeps.
const TITLE_WORDS: usize = 12;

/// Parses a seed's first line, ` date YYYY-MM-DD REST`, where REST is either `By NAME` or
/// `SECTION "HEADLINE" … Source: AGENCY …`. Text without such a line still gets a title,
/// from its first words.
pub fn parse_header(text: &str) -> Header {
    let first_line = text.split('\n').next().unwrap_or("").trim_end_matches('\r');
    let Some((date, rest)) = dated_line(first_line) else {
        return Header { title: first_words(text), ..Header::default() };
    };
    let body = text.split_once('\n').map_or("", |(_, body)| body);
    let mut header = Header { date: Some(date.to_owned()), ..Header::default() };

    if let Some(name) = rest.strip_prefix("By ") {
        header.byline = Some(name.trim().to_owned()).filter(|s| !s.is_empty());
    } else if let Some((before, quoted, after)) = quoted(rest) {
        header.title = quoted.trim().to_owned();
        header.section = Some(before.trim().to_owned()).filter(|s| !s.is_empty());
        header.source = after.split_once("Source:").map(|(_, s)| source_name(s)).filter(|s| !s.is_empty());
    } else if !rest.is_empty() {
        header.title = first_words(rest);
    }
    if header.title.is_empty() {
        header.title = first_words(body);
    }
    if header.title.is_empty() {
        header.title = "Untitled".to_owned();
    }
    header
}

/// `(date, rest)` when the line is ` date YYYY-MM-DD rest`.
fn dated_line(line: &str) -> Option<(&str, &str)> {
    let rest = line.trim_start().strip_prefix("date ")?.trim_start();
    let date = rest.get(..10)?;
    let bytes = date.as_bytes();
    let shape_ok = bytes.iter().enumerate().all(|(i, b)| match i {
        4 | 7 => *b == b'-',
        _ => b.is_ascii_digit(),
    });
    let after = &rest[10..];
    (shape_ok && (after.is_empty() || after.starts_with(char::is_whitespace))).then(|| (date, after.trim()))
}

/// The text before, inside and after the first pair of straight or curly double quotes.
fn quoted(s: &str) -> Option<(&str, &str, &str)> {
    let open = s.find(['"', '“'])?;
    let open_len = s[open..].chars().next()?.len_utf8();
    let inner = &s[open + open_len..];
    let close = inner.find(['"', '”'])?;
    let close_len = inner[close..].chars().next()?.len_utf8();
    Some((&s[..open], &inner[..close], &inner[close + close_len..]))
}

/// The name after "Source:": its words up to a weekday, a number or a separator.
fn source_name(s: &str) -> String {
    const STOP: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    s.split_whitespace()
        .take_while(|w| {
            let w = w.trim_end_matches(',');
            !STOP.contains(&w) && !w.chars().any(|c| c.is_ascii_digit()) && w != "|"
        })
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches([',', '.', ';'])
        .to_owned()
}

/// The first words of a text, with an ellipsis when there were more.
pub fn first_words(text: &str) -> String {
    let mut words = text.split_whitespace();
    let title: Vec<&str> = words.by_ref().take(TITLE_WORDS).collect();
    let mut title = title.join(" ");
    if words.next().is_some() {
        title.push('…');
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_kept_exactly_with_an_id_from_its_hash() {
        let doc = Document::from_user_bytes("\u{feff}Line one\r\nLine 👍 two\r\n".as_bytes(), "").unwrap();
        assert_eq!(&*doc.text, "Line one\r\nLine 👍 two\r\n");
        assert_eq!(doc.origin, Origin::User);
        assert_eq!(doc.id, format!("user-{}", &sha256_hex(&doc.text)[..12]));
        assert_eq!(doc.header.title, "Line one Line 👍 two");
        let titled = Document::from_user_bytes(b"Some text", "  My title ").unwrap();
        assert_eq!(titled.header.title, "My title");
        assert_eq!(Document::from_user_bytes(b"ok \xff rest", ""), Err(UserTextError::NotUtf8(3)));
        assert_eq!(Document::from_user_bytes(b" \n\t", ""), Err(UserTextError::Empty));
    }

    #[test]
    fn byline_header_takes_title_from_body() {
        let h = parse_header(" date 2020-06-18 By Talha Ozturk\n\nBELGRADE, Serbia (AA) – Russian foreign minister in the Serbian capital on Thursday said");
        assert_eq!(h.date.as_deref(), Some("2020-06-18"));
        assert_eq!(h.byline.as_deref(), Some("Talha Ozturk"));
        assert_eq!(h.title, "BELGRADE, Serbia (AA) – Russian foreign minister in the Serbian capital on…");
        assert_eq!(h.source, None);
    }

    #[test]
    fn quoted_headline_with_section_and_source() {
        let h = parse_header(" date 2020-06-12 Politics \"Kosovo and Metohija one of the key topics\" Russian Ambassador said. Source: Tanjug Friday, June 12, 2020 | 23:26 Tweet\n\nBody");
        assert_eq!(h.title, "Kosovo and Metohija one of the key topics");
        assert_eq!(h.section.as_deref(), Some("Politics"));
        assert_eq!(h.source.as_deref(), Some("Tanjug"));
        assert_eq!(h.date.as_deref(), Some("2020-06-12"));
    }

    #[test]
    fn multiword_source_stops_at_separator() {
        let h = parse_header("date 2021-01-02 \"Head\" x Source: Anadolu Agency | 10:00\r\nBody");
        assert_eq!(h.source.as_deref(), Some("Anadolu Agency"));
    }

    #[test]
    fn text_without_header_gets_first_words() {
        let h = parse_header("Short note.\r\nSecond line");
        assert_eq!(h.title, "Short note. Second line");
        assert_eq!(h.date, None);
        assert_eq!(parse_header("").title, "");
    }

    #[test]
    fn malformed_dates_are_not_headers() {
        for line in ["date 2020-6-18 x", "date 20200618xx", "dated 2020-06-18", "date 2020-06-18x"] {
            assert_eq!(parse_header(line).date, None, "{line}");
        }
    }

    #[test]
    fn document_keeps_text_and_hashes_it() {
        let text = "\u{feff} date 2020-01-01 By A\r\n🙂 x";
        let d = Document::new("d1", text, Origin::User);
        assert_eq!(&*d.text, text);
        assert_eq!(d.char_len(), text.chars().count());
        assert_eq!(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
