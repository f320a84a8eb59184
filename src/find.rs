//! Find in an article: every hit of a query in a document's text, as code-point ranges (the
//! model's unit), for the find bar and for "Tag all hits".
//!
//! Literal queries match case-insensitively unless asked not to, through [`fold`]: a
//! one-character-to-one-character folding of the Latin, Greek and Cyrillic letters news text
//! uses, of curly quotes to straight ones and of the no-break space to a space. It is
//! written out here rather than taken from `char::to_lowercase`, whose Unicode tables would
//! add about 28 KB to the page. Regular expressions go to `regex-lite` (see [`find`]).
//!
//! Hits never overlap: the search takes the leftmost hit and carries on after it, as a text
//! editor's find does. A hit that would split a character (a letter from its accent, an
//! emoji from its skin tone) is still found, so the count is honest, but is marked, and
//! "Tag all" skips it.

use crate::model::{CharRange, OffsetIndex};

/// How to match.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FindOptions {
    /// Match upper and lower case exactly (off: "lavrov" finds "Lavrov").
    pub match_case: bool,
    /// Only hits that are whole words: no letter or digit just before or just after.
    pub whole_words: bool,
    /// The query is a regular expression (regex-lite syntax).
    pub regex: bool,
}

/// One hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Where, in code points.
    pub range: CharRange,
    /// False when an end of the hit falls inside a character (a grapheme cluster), so a span
    /// there would split it.
    pub whole: bool,
}

/// Why a query cannot be searched for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FindError {
    /// The regular expression does not parse.
    #[error("Not a valid regular expression: {0}")]
    Regex(String),
}

/// Most hits reported; a query that matches more (a single letter in a long article) says
/// the search stopped there.
pub const MAX_HITS: usize = 100_000;

/// Every hit of `query` in the indexed text, in document order. An empty query finds nothing.
///
/// Regular expressions (`options.regex`) use the `regex-lite` crate: its syntax, with
/// case-insensitivity for ASCII letters only, and no folding of quotes; matches of nothing
/// (`a*` between letters) are not hits.
pub fn find(index: &OffsetIndex<'_>, query: &str, options: FindOptions) -> Result<Vec<Hit>, FindError> {
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let text = index.text();
    let mut hits = Vec::new();
    if options.regex {
        let re = regex_lite::RegexBuilder::new(query).case_insensitive(!options.match_case).build().map_err(|e| FindError::Regex(e.to_string()))?;
        // Byte offsets to code points, walking forward once (hits come in order).
        let (mut byte, mut chars) = (0usize, 0usize);
        let mut to_char = |b: usize| {
            chars += text[byte..b].chars().count();
            byte = b;
            chars
        };
        for m in re.find_iter(text) {
            if m.is_empty() {
                continue;
            }
            let (start, end) = (to_char(m.start()), to_char(m.end()));
            if !options.whole_words || whole_word(text, m.start(), m.end()) {
                hits.push(hit(index, start, end));
                if hits.len() == MAX_HITS {
                    break;
                }
            }
        }
        return Ok(hits);
    }
    let fold_with = |c: char| if options.match_case { fold_marks(c) } else { fold(c) };
    let needle: Vec<char> = query.chars().map(fold_with).collect();
    let hay: Vec<char> = text.chars().map(fold_with).collect();
    let m = needle.len();
    let first = needle[0];
    let mut i = 0;
    while i + m <= hay.len() {
        if hay[i] == first && hay[i..i + m] == needle[..] && (!options.whole_words || whole_word_at(&hay, i, i + m)) {
            hits.push(hit(index, i, i + m));
            if hits.len() == MAX_HITS {
                break;
            }
            i += m;
        } else {
            i += 1;
        }
    }
    Ok(hits)
}

fn hit(index: &OffsetIndex<'_>, start: usize, end: usize) -> Hit {
    let range = CharRange::new(start, end, index.char_len()).expect("a hit lies inside the text");
    Hit { range, whole: index.is_grapheme_boundary(start) && index.is_grapheme_boundary(end) }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// True when `a` and `b` are both letters or digits: a word goes on from one to the other.
fn joins(a: Option<char>, b: Option<char>) -> bool {
    a.is_some_and(is_word) && b.is_some_and(is_word)
}

/// True when `[start, end)` of `chars` does not continue a word on either side.
fn whole_word_at(chars: &[char], start: usize, end: usize) -> bool {
    let before = start.checked_sub(1).map(|i| chars[i]);
    let after = chars.get(end).copied();
    !joins(before, Some(chars[start])) && !joins(Some(chars[end - 1]), after)
}

/// [`whole_word_at`] over byte offsets of `text`.
fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let (first, last) = (text[start..end].chars().next(), text[..end].chars().next_back());
    !joins(before, first) && !joins(last, after)
}

/// Folds a character for case-insensitive matching: upper-case letters of Basic Latin,
/// Latin-1, Latin Extended-A, Greek and Cyrillic to lower case, and [`fold_marks`]. One
/// character to one character, so offsets in the folded text are offsets in the text.
pub fn fold(c: char) -> char {
    let u = c as u32;
    let lower = match u {
        0x41..=0x5A => u + 0x20,
        // À–Þ but ×.
        0xC0..=0xDE if u != 0xD7 => u + 0x20,
        // Latin Extended-A: pairs, upper case first (Ā ā … Ķ ķ, then Ĺ ĺ … Ň ň, then Ŋ ŋ … Ž ž).
        0x100..=0x137 | 0x14A..=0x177 if u % 2 == 0 && u != 0x130 => u + 1, // not İ (i and a dot)
        0x139..=0x148 | 0x179..=0x17E if u % 2 == 1 => u + 1,
        0x178 => 0xFF,  // Ÿ
        0x386 => 0x3AC, // Ά
        0x388..=0x38A => u + 37,
        0x38C => 0x3CC, // Ό
        0x38E..=0x38F => u + 63,
        0x391..=0x3A1 | 0x3A3..=0x3AB => u + 0x20,
        0x3C2 => 0x3C3, // final sigma
        0x400..=0x40F => u + 0x50,
        0x410..=0x42F => u + 0x20,
        // Cyrillic pairs, upper case first (Ѡ ѡ … ҁ, Ҋ ҋ … ҿ, Ӑ ӑ … ӿ).
        0x460..=0x481 | 0x48A..=0x4BF | 0x4D0..=0x4FF if u % 2 == 0 => u + 1,
        _ => return fold_marks(c),
    };
    char::from_u32(lower).unwrap_or(c)
}

/// Folds what differs only in typography, even when case matters: curly and low quotation
/// marks to straight ones, the no-break space to a space.
pub fn fold_marks(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' => '"',
        '\u{A0}' => ' ',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(text: &str, query: &str, options: FindOptions) -> Vec<(usize, usize, bool)> {
        find(&OffsetIndex::new(text), query, options).unwrap().into_iter().map(|h| (h.range.start(), h.range.end(), h.whole)).collect()
    }

    const PLAIN: FindOptions = FindOptions { match_case: false, whole_words: false, regex: false };
    const WORDS: FindOptions = FindOptions { whole_words: true, ..PLAIN };

    #[test]
    fn literal_hits_ignore_case_unless_asked() {
        let text = "Lavrov met LAVROV and lavrov.";
        assert_eq!(ranges(text, "lavrov", PLAIN), vec![(0, 6, true), (11, 17, true), (22, 28, true)]);
        assert_eq!(ranges(text, "Lavrov", FindOptions { match_case: true, ..PLAIN }), vec![(0, 6, true)]);
        assert_eq!(ranges(text, "", PLAIN), vec![]);
        assert_eq!(ranges(text, "Putin", PLAIN), vec![]);
        // Beyond ASCII: Latin-1, Latin Extended-A, Greek, Cyrillic.
        assert_eq!(ranges("ÉLYSÉE, Élysée", "élysée", PLAIN), vec![(0, 6, true), (8, 14, true)]);
        assert_eq!(ranges("ŁUKASZ Łukasz", "łukasz", PLAIN), vec![(0, 6, true), (7, 13, true)]);
        assert_eq!(ranges("ΑΘΉΝΑ Αθήνα", "αθήνα", PLAIN), vec![(0, 5, true), (6, 11, true)]);
        assert_eq!(ranges("МОСКВА Москва", "москва", PLAIN), vec![(0, 6, true), (7, 13, true)]);
    }

    #[test]
    fn folding_is_one_character_for_one_and_round_trips_case() {
        for c in ('\0'..='\u{04FF}').filter(|c| c.is_uppercase()) {
            let f = fold(c);
            // Where fold lowers a letter, it lowers it as Unicode does.
            if f != c {
                assert_eq!(c.to_lowercase().collect::<String>(), f.to_string(), "{c:?}");
                assert_eq!(c.len_utf8(), f.len_utf8());
            }
        }
        for c in ('\0'..='\u{04FF}').filter(|c| c.is_lowercase() && *c != 'ς') {
            assert_eq!(fold(c), c, "{c:?} is already folded");
        }
        assert_eq!(fold('×'), '×');
        assert_eq!(fold('ς'), 'σ');
    }

    #[test]
    fn hits_do_not_overlap_and_names_inside_longer_names_are_found_unless_whole_words() {
        // Overlapping: "ana" in "banana" is found once, then the search goes on after it.
        assert_eq!(ranges("banana", "ana", PLAIN), vec![(1, 4, true)]);
        assert_eq!(ranges("aaaa", "aa", PLAIN), vec![(0, 2, true), (2, 4, true)]);
        // A name inside a longer name.
        let text = "Ana Petrović met Anastasia and Ana.";
        assert_eq!(ranges(text, "Ana", PLAIN), vec![(0, 3, true), (17, 20, true), (31, 34, true)]);
        assert_eq!(ranges(text, "Ana", WORDS), vec![(0, 3, true), (31, 34, true)]);
        // Whole words look only at the hit's own edges: a hit that starts or ends with a
        // non-letter is whole there.
        assert_eq!(ranges("x-ray, x-rays", "x-ray", WORDS), vec![(0, 5, true)]);
        assert_eq!(ranges("(Lavrov)", "(lavrov)", WORDS), vec![(0, 8, true)]);
        assert_eq!(ranges("Lavrov_2 Lavrov", "lavrov", WORDS), vec![(9, 15, true)]);
    }

    #[test]
    fn a_hit_that_would_split_a_character_is_found_and_marked() {
        // An emoji and a skin tone: a hit next to them is whole; the bare emoji inside the
        // toned one is not.
        let text = "Ana👍🏽 said 👍 and Ana👍";
        let hits = ranges(text, "ana", PLAIN);
        assert_eq!(hits, vec![(0, 3, true), (17, 20, true)]);
        assert_eq!(ranges(text, "👍", PLAIN), vec![(3, 4, false), (11, 12, true), (20, 21, true)]);
        // A combining accent after the hit: "Jose" inside "José" (e + U+0301) splits the é.
        let text = "Jose\u{301} and Jose";
        assert_eq!(ranges(text, "jose", PLAIN), vec![(0, 4, false), (10, 14, true)]);
        // With whole words too (the mark is not a letter, the cluster rule still holds).
        assert_eq!(ranges(text, "jose", WORDS), vec![(0, 4, false), (10, 14, true)]);
        // A flag is one character of two code points.
        assert_eq!(ranges("🇺🇦🇺🇦", "🇦🇺", PLAIN), vec![(1, 3, false)]);
        // Offsets count code points after astral characters.
        assert_eq!(ranges("🙂🙂 Kyiv", "kyiv", PLAIN), vec![(3, 7, true)]);
    }

    #[test]
    fn curly_and_straight_quotes_match_each_other() {
        let text = "He said “no” and \"no\"; O’Brien and O'Brien.";
        assert_eq!(ranges(text, "\"no\"", PLAIN), vec![(8, 12, true), (17, 21, true)]);
        assert_eq!(ranges(text, "“no”", PLAIN), vec![(8, 12, true), (17, 21, true)]);
        assert_eq!(ranges(text, "o'brien", PLAIN), vec![(23, 30, true), (35, 42, true)]);
        assert_eq!(ranges(text, "O’Brien", FindOptions { match_case: true, ..PLAIN }), vec![(23, 30, true), (35, 42, true)]);
        assert_eq!(ranges("a\u{A0}b a b", "a b", PLAIN), vec![(0, 3, true), (4, 7, true)]);
    }

    #[test]
    fn regular_expressions_give_code_point_hits_and_clear_errors() {
        let re = FindOptions { regex: true, ..PLAIN };
        let text = "🙂 Lavrov, 12 May; lavrov, 3 June";
        assert_eq!(ranges(text, r"\d+ [A-Z][a-z]+", re), vec![(10, 16, true), (26, 32, true)]);
        assert_eq!(ranges(text, "LAVROV", re), vec![(2, 8, true), (18, 24, true)]);
        assert_eq!(ranges(text, "Lavrov", FindOptions { match_case: true, ..re }), vec![(2, 8, true)]);
        assert_eq!(ranges(text, "x*", re), vec![], "empty matches are not hits");
        assert_eq!(ranges("Ana Anastasia", "Ana\\w*", re).len(), 2);
        assert_eq!(ranges("Ana Anastasia", "Ana", FindOptions { whole_words: true, ..re }), vec![(0, 3, true)]);
        let err = find(&OffsetIndex::new(text), "(unclosed", re).unwrap_err();
        assert!(err.to_string().starts_with("Not a valid regular expression: "), "{err}");
    }

    #[test]
    fn every_hit_slices_to_its_query() {
        let text = "Ελλάδα, Ana, ÅSA; “Ana” — ana.\r\nANA";
        for h in find(&OffsetIndex::new(text), "ana", PLAIN).unwrap() {
            let index = OffsetIndex::new(text);
            let got: String = index.slice(h.range).chars().map(fold).collect();
            assert_eq!(got, "ana");
        }
        assert_eq!(find(&OffsetIndex::new(text), "ana", PLAIN).unwrap().len(), 4);
    }
}
