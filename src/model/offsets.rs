//! Offsets: the one unit of the model and the one place that converts to and from others.
//!
//! Every range in Spanwright is a [`CharRange`]: half-open, counted in Unicode scalar values
//! (what Python's `str` indexes, so `text[start:end]` gives the span text back). Browsers
//! give UTF-16 code units (DOM selections, JavaScript `.length`), Rust slices take UTF-8
//! bytes; an [`OffsetIndex`] converts between all three for one text and refuses offsets that
//! fall inside a character. [`clean_selection`] turns a raw selection into what the user meant:
//! no surrounding whitespace, whole grapheme clusters, optionally whole words.

use std::fmt;

use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

/// A half-open range `[start, end)` of Unicode scalar values, never empty or inverted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CharRange {
    start: usize,
    end: usize,
}

/// Why a range or offset was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OffsetError {
    /// `start >= end`.
    #[error("the range {start}..{end} is empty or inverted (start must be below end)")]
    Empty {
        /// Start as given.
        start: usize,
        /// End as given.
        end: usize,
    },
    /// Past the end of the text.
    #[error("offset {offset} is past the end of the text, which has {len} {unit}s")]
    OutOfBounds {
        /// The offset.
        offset: usize,
        /// The text's length in `unit`.
        len: usize,
        /// What was counted.
        unit: Unit,
    },
    /// Inside a character's encoding (a UTF-16 surrogate pair or a UTF-8 sequence).
    #[error("{unit} offset {offset} falls inside a character")]
    InsideCharacter {
        /// The offset.
        offset: usize,
        /// What was counted.
        unit: Unit,
    },
}

/// A unit of text offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Unicode scalar values (Python `str` indices). Spanwright's own unit.
    CodePoint,
    /// UTF-16 code units (JavaScript, DOM, doccano).
    Utf16,
    /// UTF-8 bytes (Rust `str` indices).
    Utf8,
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unit::CodePoint => "code point",
            Unit::Utf16 => "UTF-16 unit",
            Unit::Utf8 => "UTF-8 byte",
        })
    }
}

impl CharRange {
    /// A range within a text of `len` code points; empty, inverted and out-of-bounds ranges
    /// are refused.
    pub fn new(start: usize, end: usize, len: usize) -> Result<Self, OffsetError> {
        if start >= end {
            return Err(OffsetError::Empty { start, end });
        }
        if end > len {
            return Err(OffsetError::OutOfBounds { offset: end, len, unit: Unit::CodePoint });
        }
        Ok(CharRange { start, end })
    }

    /// First code point inside the range.
    pub fn start(&self) -> usize {
        self.start
    }

    /// First code point after the range.
    pub fn end(&self) -> usize {
        self.end
    }

    /// Number of code points.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Never true: empty ranges cannot be built. Present for API symmetry with `len`.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// True when the two ranges share at least one code point.
    pub fn overlaps(&self, other: &CharRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// True when `other` lies within `self`.
    pub fn contains(&self, other: &CharRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl fmt::Display for CharRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// How many code points lie between two checkpoints of an [`OffsetIndex`].
const STRIDE: usize = 64;

/// An [`OffsetIndex`] without its text, kept by a [`crate::model::Document`] so the index of a
/// long article is built once, not on every edit or render.
#[derive(Clone, Debug, Default)]
pub struct IndexParts {
    checkpoints: Vec<(u32, u32)>,
    chars: usize,
    utf16_len: usize,
}

/// Converts offsets between code points, UTF-16 units and UTF-8 bytes for one text.
///
/// Built in one pass; it keeps a checkpoint every 64 code points, so each conversion scans at
/// most 64 characters (a 200,000-character article costs about 25 KB of index).
#[derive(Clone, Debug)]
pub struct OffsetIndex<'t> {
    text: &'t str,
    /// `(byte, utf16)` offsets of code points 0, STRIDE, 2·STRIDE, …
    checkpoints: std::borrow::Cow<'t, [(u32, u32)]>,
    chars: usize,
    utf16_len: usize,
}

impl<'t> OffsetIndex<'t> {
    /// Indexes `text`.
    pub fn new(text: &'t str) -> Self {
        let mut checkpoints = Vec::with_capacity(text.len() / STRIDE + 1);
        let (mut chars, mut utf16) = (0usize, 0usize);
        for (byte, c) in text.char_indices() {
            if chars % STRIDE == 0 {
                checkpoints.push((byte as u32, utf16 as u32));
            }
            chars += 1;
            utf16 += c.len_utf16();
        }
        OffsetIndex { text, checkpoints: checkpoints.into(), chars, utf16_len: utf16 }
    }

    /// An index over `text` from the parts of one built before ([`OffsetIndex::parts`]),
    /// without scanning the text again.
    pub fn from_parts(text: &'t str, parts: &'t IndexParts) -> Self {
        OffsetIndex { text, checkpoints: std::borrow::Cow::Borrowed(&parts.checkpoints), chars: parts.chars, utf16_len: parts.utf16_len }
    }

    /// What the index knows, apart from the text, to keep for [`OffsetIndex::from_parts`].
    pub fn parts(&self) -> IndexParts {
        IndexParts { checkpoints: self.checkpoints.to_vec(), chars: self.chars, utf16_len: self.utf16_len }
    }

    /// The indexed text.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// Length in code points.
    pub fn char_len(&self) -> usize {
        self.chars
    }

    /// Length in UTF-16 units.
    pub fn utf16_len(&self) -> usize {
        self.utf16_len
    }

    /// The byte offset of code point `c` (`c` may equal the length).
    pub fn char_to_byte(&self, c: usize) -> Result<usize, OffsetError> {
        self.char_to(c).map(|(byte, _)| byte)
    }

    /// The UTF-16 offset of code point `c` (`c` may equal the length).
    pub fn char_to_utf16(&self, c: usize) -> Result<usize, OffsetError> {
        self.char_to(c).map(|(_, u)| u)
    }

    fn char_to(&self, c: usize) -> Result<(usize, usize), OffsetError> {
        if c > self.chars {
            return Err(OffsetError::OutOfBounds { offset: c, len: self.chars, unit: Unit::CodePoint });
        }
        if c == self.chars {
            return Ok((self.text.len(), self.utf16_len));
        }
        let (byte, utf16) = self.checkpoints[c / STRIDE];
        let (mut byte, mut utf16) = (byte as usize, utf16 as usize);
        // A stretch of STRIDE code points in STRIDE bytes is all ASCII: no need to walk it.
        let ascii_stretch = match self.checkpoints.get(c / STRIDE + 1) {
            Some(&(next, _)) => next as usize - byte == STRIDE,
            None => self.text.len() - byte == self.chars - c / STRIDE * STRIDE,
        };
        if ascii_stretch {
            return Ok((byte + c % STRIDE, utf16 + c % STRIDE));
        }
        for ch in self.text[byte..].chars().take(c % STRIDE) {
            byte += ch.len_utf8();
            utf16 += ch.len_utf16();
        }
        Ok((byte, utf16))
    }

    /// The code point at UTF-16 offset `u`; an offset between the halves of a surrogate pair
    /// is refused.
    pub fn utf16_to_char(&self, u: usize) -> Result<usize, OffsetError> {
        if u > self.utf16_len {
            return Err(OffsetError::OutOfBounds { offset: u, len: self.utf16_len, unit: Unit::Utf16 });
        }
        let block = self.checkpoints.partition_point(|&(_, cu)| cu as usize <= u).saturating_sub(1);
        self.scan_from(block, |_, cu| cu, u, Unit::Utf16)
    }

    /// The code point at byte offset `b`; an offset inside a UTF-8 sequence is refused.
    pub fn byte_to_char(&self, b: usize) -> Result<usize, OffsetError> {
        if b > self.text.len() {
            return Err(OffsetError::OutOfBounds { offset: b, len: self.text.len(), unit: Unit::Utf8 });
        }
        let block = self.checkpoints.partition_point(|&(cb, _)| cb as usize <= b).saturating_sub(1);
        self.scan_from(block, |cb, _| cb, b, Unit::Utf8)
    }

    /// Walks from checkpoint `block` until `pick(byte, utf16)` reaches `target`.
    fn scan_from(&self, block: usize, pick: impl Fn(usize, usize) -> usize, target: usize, unit: Unit) -> Result<usize, OffsetError> {
        let Some(&(byte, utf16)) = self.checkpoints.get(block) else {
            return Ok(0); // empty text, target 0
        };
        let (mut byte, mut utf16, mut c) = (byte as usize, utf16 as usize, block * STRIDE);
        for ch in self.text[byte..].chars() {
            let at = pick(byte, utf16);
            if at == target {
                return Ok(c);
            }
            if at > target {
                return Err(OffsetError::InsideCharacter { offset: target, unit });
            }
            byte += ch.len_utf8();
            utf16 += ch.len_utf16();
            c += 1;
        }
        match pick(byte, utf16) {
            at if at == target => Ok(c),
            _ => Err(OffsetError::InsideCharacter { offset: target, unit }),
        }
    }

    /// The text of a range.
    pub fn slice(&self, range: CharRange) -> &'t str {
        let start = self.char_to_byte(range.start).expect("range is within the text");
        let end = self.char_to_byte(range.end).expect("range is within the text");
        &self.text[start..end]
    }

    /// A range from UTF-16 offsets, as a DOM selection gives them.
    pub fn range_from_utf16(&self, start: usize, end: usize) -> Result<CharRange, OffsetError> {
        CharRange::new(self.utf16_to_char(start)?, self.utf16_to_char(end)?, self.chars)
    }

    /// Refuses a range whose ends fall inside a grapheme cluster (a CRLF, a flag, an emoji
    /// sequence, a letter and its accents), naming the whole cluster it would split.
    pub fn check_whole_clusters(&self, range: CharRange) -> Result<(), String> {
        for at in [range.start(), range.end()] {
            if self.is_grapheme_boundary(at) {
                continue;
            }
            let byte = self.char_to_byte(at).map_err(|e| e.to_string())?;
            let (from, to) = (grapheme_floor(self.text, byte), grapheme_ceil(self.text, byte));
            return Err(format!("offset {at} splits the character {:?} (a span must hold whole characters)", &self.text[from..to]));
        }
        Ok(())
    }

    /// True when code point `c` is a grapheme cluster boundary (0 and the end are).
    pub fn is_grapheme_boundary(&self, c: usize) -> bool {
        self.char_to_byte(c).is_ok_and(|byte| is_grapheme_boundary_at(self.text, byte))
    }
}

/// True when byte `byte` of `text` is a grapheme cluster boundary (0 and the end are; a
/// byte inside a character is not).
pub fn is_grapheme_boundary_at(text: &str, byte: usize) -> bool {
    if !text.is_char_boundary(byte) {
        return false;
    }
    // Between two ASCII characters the only non-boundary is CR LF (UAX #29 GB3); the rules
    // that join clusters all involve non-ASCII characters. This keeps checking 10,000 spans
    // of mostly ASCII text cheap.
    let bytes = text.as_bytes();
    if byte == 0 || byte == bytes.len() {
        return true;
    }
    let (prev, next) = (bytes[byte - 1], bytes[byte]);
    if prev.is_ascii() && next.is_ascii() {
        return !(prev == b'\r' && next == b'\n');
    }
    GraphemeCursor::new(byte, text.len(), true).is_boundary(text, 0).unwrap_or(true)
}

/// Options for [`clean_selection`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CleanOptions {
    /// Grow the range to whole words.
    pub snap_to_words: bool,
}

/// What the user meant by a raw selection: whitespace trimmed from both ends, the ends moved
/// out to grapheme cluster boundaries (a flag, a letter with its accents, a CRLF stay whole),
/// and, when asked, grown to whole words. `None` when nothing but whitespace was selected.
pub fn clean_selection(index: &OffsetIndex<'_>, raw: CharRange, options: CleanOptions) -> Option<CharRange> {
    let text = index.text();
    let mut start = index.char_to_byte(raw.start()).ok()?;
    let mut end = index.char_to_byte(raw.end()).ok()?;

    // Whole grapheme clusters first, so trimming never strands a combining mark.
    start = grapheme_floor(text, start);
    end = grapheme_ceil(text, end);
    if options.snap_to_words {
        (start, end) = snap_to_words(text, start, end);
        // Word boundaries can fall inside a cluster (a Prepend mark binds to what follows).
        start = grapheme_floor(text, start);
        end = grapheme_ceil(text, end);
    }
    // Trim last, by whole clusters: a space carrying a combining mark is one cluster, and a
    // "word" can begin with a tab that carries a mark (UAX #29 WB4).
    let inner = &text[start..end];
    let blank = |g: &str| g.chars().all(char::is_whitespace);
    let first = inner.grapheme_indices(true).find(|(_, g)| !blank(g))?.0;
    let (last, g) = inner.grapheme_indices(true).rev().find(|(_, g)| !blank(g))?;
    end = start + last + g.len();
    start += first;

    let c_start = index.byte_to_char(start).ok()?;
    let c_end = index.byte_to_char(end).ok()?;
    CharRange::new(c_start, c_end, index.char_len()).ok()
}

fn grapheme_floor(text: &str, byte: usize) -> usize {
    let mut cursor = GraphemeCursor::new(byte, text.len(), true);
    if cursor.is_boundary(text, 0).unwrap_or(true) {
        return byte;
    }
    cursor.prev_boundary(text, 0).ok().flatten().unwrap_or(0)
}

fn grapheme_ceil(text: &str, byte: usize) -> usize {
    let mut cursor = GraphemeCursor::new(byte, text.len(), true);
    if cursor.is_boundary(text, 0).unwrap_or(true) {
        return byte;
    }
    cursor.next_boundary(text, 0).ok().flatten().unwrap_or(text.len())
}

/// Grows `[start, end)` (bytes) to the word boundaries around it, looking only at the
/// paragraph that holds each end so long articles stay cheap.
fn snap_to_words(text: &str, start: usize, end: usize) -> (usize, usize) {
    let para_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let para_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let mut new_start = start;
    let mut new_end = end;
    for (i, word) in text[para_start..para_end].split_word_bound_indices() {
        let (w_start, w_end) = (para_start + i, para_start + i + word.len());
        let is_word = word.chars().any(char::is_alphanumeric);
        if is_word && w_start < start && start < w_end {
            new_start = w_start;
        }
        if is_word && w_start < end && end < w_end {
            new_end = w_end;
        }
    }
    (new_start, new_end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reference(text: &str) -> Vec<(usize, usize)> {
        // (byte, utf16) for every code point offset 0..=len, counted the slow way.
        let mut out = vec![(0, 0)];
        let (mut b, mut u) = (0, 0);
        for c in text.chars() {
            b += c.len_utf8();
            u += c.len_utf16();
            out.push((b, u));
        }
        out
    }

    #[test]
    fn the_formats_doc_example() {
        // In "🙂 Jane", J is code point 2, UTF-16 unit 3, UTF-8 byte 5.
        let idx = OffsetIndex::new("🙂 Jane");
        assert_eq!(idx.char_to_utf16(2), Ok(3));
        assert_eq!(idx.char_to_byte(2), Ok(5));
        assert_eq!(idx.utf16_to_char(3), Ok(2));
        assert_eq!(idx.byte_to_char(5), Ok(2));
        assert_eq!(idx.utf16_to_char(1), Err(OffsetError::InsideCharacter { offset: 1, unit: Unit::Utf16 }));
        assert_eq!(idx.byte_to_char(2), Err(OffsetError::InsideCharacter { offset: 2, unit: Unit::Utf8 }));
        assert!(matches!(idx.utf16_to_char(99), Err(OffsetError::OutOfBounds { .. })));
    }

    #[test]
    fn ranges_refuse_empty_inverted_and_out_of_bounds() {
        assert!(CharRange::new(3, 3, 10).is_err());
        assert!(CharRange::new(4, 3, 10).is_err());
        assert!(CharRange::new(3, 11, 10).is_err());
        let r = CharRange::new(0, 10, 10).unwrap();
        assert_eq!((r.start(), r.end(), r.len()), (0, 10, 10));
        assert!(r.contains(&CharRange::new(2, 4, 10).unwrap()));
        assert!(!CharRange::new(0, 2, 10).unwrap().overlaps(&CharRange::new(2, 4, 10).unwrap()));
    }

    fn clean(text: &str, start: usize, end: usize, snap: bool) -> Option<String> {
        let idx = OffsetIndex::new(text);
        let raw = CharRange::new(start, end, idx.char_len()).unwrap();
        clean_selection(&idx, raw, CleanOptions { snap_to_words: snap }).map(|r| idx.slice(r).to_owned())
    }

    #[test]
    fn selection_cleanup_table() {
        let cases: &[(&str, usize, usize, bool, Option<&str>)] = &[
            ("  Jane Roe  said", 0, 12, false, Some("Jane Roe")),
            ("a \r\n b", 1, 5, false, None),
            // A combining acute accent stays with its e.
            ("cafe\u{301} ok", 0, 4, false, Some("cafe\u{301}")),
            ("cafe\u{301} ok", 4, 5, false, Some("e\u{301}")),
            // A ZWJ family emoji is one cluster.
            ("x 👨\u{200d}👩\u{200d}👧 y", 3, 4, false, Some("👨\u{200d}👩\u{200d}👧")),
            // A flag is two regional indicators.
            ("🇷🇸 Serbia", 0, 1, false, Some("🇷🇸")),
            // Word snapping grows partial words, not whole ones.
            ("The minister said it", 6, 10, true, Some("minister")),
            ("The minister said it", 4, 15, true, Some("minister said")),
            ("The minister said it", 4, 12, true, Some("minister")),
            ("Jane Roe, 42, said", 6, 11, true, Some("Roe, 42")),
            // Across line breaks, with NBSP and right-to-left text.
            ("one\r\ntwo\u{a0}", 2, 9, false, Some("e\r\ntwo")),
            ("قال الوزير", 0, 3, true, Some("قال")),
        ];
        for &(text, s, e, snap, want) in cases {
            assert_eq!(clean(text, s, e, snap).as_deref(), want, "{text:?} {s}..{e} snap={snap}");
        }
    }

    fn any_text() -> impl Strategy<Value = String> {
        // Mixes ASCII, CRLF, NBSP, BOM, combining marks, ZWJ emoji, astral and RTL characters.
        let pieces = prop::sample::select(vec![
            "a",
            "Z",
            " ",
            "\r\n",
            "\n",
            "\u{a0}",
            "\u{feff}",
            "e\u{301}",
            "🙂",
            "👩\u{200d}💻",
            "🇷🇸",
            "שלום",
            "مرحبا",
            "ß",
            "中文",
            "\t",
            "𝔘",
            ".",
            // ASCII runs around the checkpoint stride, for its all-ASCII shortcut.
            "The minister said on Thursday that talks would resume next week.",
            "The minister said on Thursday that talks would resume next week",
            "The minister said on Thursday that talks would resume next wee",
        ]);
        prop::collection::vec(prop_oneof![pieces.prop_map(str::to_owned), any::<String>()], 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn conversions_agree_with_reference(text in any_text()) {
            let idx = OffsetIndex::new(&text);
            let table = reference(&text);
            prop_assert_eq!(idx.char_len(), table.len() - 1);
            for (c, &(b, u)) in table.iter().enumerate() {
                prop_assert_eq!(idx.char_to_byte(c), Ok(b));
                prop_assert_eq!(idx.char_to_utf16(c), Ok(u));
                prop_assert_eq!(idx.byte_to_char(b), Ok(c));
                prop_assert_eq!(idx.utf16_to_char(u), Ok(c));
            }
            // Every other byte and UTF-16 offset is inside a character.
            for b in 0..=text.len() {
                prop_assert_eq!(idx.byte_to_char(b).is_ok(), text.is_char_boundary(b));
            }
            let units: Vec<u16> = text.encode_utf16().collect();
            for u in 0..=units.len() {
                let inside = u < units.len() && (0xDC00..0xE000).contains(&units[u]);
                prop_assert_eq!(idx.utf16_to_char(u).is_err(), inside);
            }
        }

        #[test]
        fn cleaned_selections_stay_in_bounds_and_whole(text in any_text(), a in 0usize..200, b in 0usize..200) {
            let idx = OffsetIndex::new(&text);
            let len = idx.char_len();
            prop_assume!(len > 0);
            let s = a % len;
            let e = s + 1 + b % (len - s);
            for snap in [false, true] {
                let raw = CharRange::new(s, e, len).unwrap();
                if let Some(r) = clean_selection(&idx, raw, CleanOptions { snap_to_words: snap }) {
                    prop_assert!(r.end() <= len);
                    prop_assert!(idx.is_grapheme_boundary(r.start()) && idx.is_grapheme_boundary(r.end()));
                    let slice = idx.slice(r);
                    let first = slice.graphemes(true).next().unwrap();
                    let last = slice.graphemes(true).next_back().unwrap();
                    prop_assert!(!first.chars().all(char::is_whitespace) && !last.chars().all(char::is_whitespace));
                }
            }
        }
    }
}
