//! Keyboard movement through an article's text: the caret steps by whole grapheme clusters
//! (an emoji, a letter with its accents or a CRLF is one step) or by UAX #29 words, in code
//! points, so the keyboard can select exactly what the mouse can.

use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

use super::OffsetIndex;

/// How far one key press moves the caret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// One grapheme cluster (arrow keys).
    Cluster,
    /// To the end of the next word, or the start of the previous one (Ctrl+arrows).
    Word,
    /// To the start or end of the paragraph (Home and End).
    Paragraph,
}

/// The caret position after moving from `pos` (a code point) by `step`, forward or back.
/// Stays within `0..=len`; a position inside a cluster first moves to the cluster's edge.
pub fn step(index: &OffsetIndex<'_>, pos: usize, step: Step, forward: bool) -> usize {
    let text = index.text();
    let Ok(byte) = index.char_to_byte(pos.min(index.char_len())) else { return pos };
    let to = match step {
        Step::Cluster => cluster(text, byte, forward),
        Step::Word => word(text, byte, forward),
        Step::Paragraph => paragraph(text, byte, forward),
    };
    index.byte_to_char(to).unwrap_or(pos)
}

fn cluster(text: &str, byte: usize, forward: bool) -> usize {
    let mut cursor = GraphemeCursor::new(byte, text.len(), true);
    let next = if forward { cursor.next_boundary(text, 0) } else { cursor.prev_boundary(text, 0) };
    next.ok().flatten().unwrap_or(if forward { text.len() } else { 0 })
}

fn paragraph(text: &str, byte: usize, forward: bool) -> usize {
    let breaks = ['\r', '\n'];
    if forward {
        let end = text[byte..].find(breaks).map_or(text.len(), |i| byte + i);
        if end > byte {
            return end;
        }
        // Already at the end: over the line breaks (blank lines too) to the next one's end.
        let next = text[byte..].find(|c| !breaks.contains(&c)).map_or(text.len(), |i| byte + i);
        text[next..].find(breaks).map_or(text.len(), |i| next + i)
    } else {
        let start = text[..byte].rfind('\n').map_or(0, |i| i + 1);
        if start < byte {
            return start;
        }
        let prev = text[..byte].trim_end_matches(breaks).len();
        text[..prev].rfind('\n').map_or(0, |i| i + 1)
    }
}

/// Word moves look at the paragraphs around the caret only, so they stay cheap in long
/// articles; a move that finds no word there continues into the next paragraph.
fn word(text: &str, mut byte: usize, forward: bool) -> usize {
    let is_word = |w: &str| w.chars().any(char::is_alphanumeric);
    loop {
        let para_start = text[..byte].rfind('\n').map_or(0, |i| i + 1);
        let para_end = text[byte..].find('\n').map_or(text.len(), |i| byte + i);
        let words = text[para_start..para_end].split_word_bound_indices().map(|(i, w)| (para_start + i, w));
        let found = if forward {
            words.filter(|(i, w)| is_word(w) && i + w.len() > byte).map(|(i, w)| i + w.len()).next()
        } else {
            words.filter(|(i, w)| is_word(w) && *i < byte).map(|(i, _)| i).next_back()
        };
        match found {
            Some(b) => return b,
            None if forward && para_end < text.len() => byte = para_end + 1,
            None if !forward && para_start > 0 => byte = para_start - 1,
            None => return if forward { text.len() } else { 0 },
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn walk(text: &str, from: usize, s: Step, forward: bool, times: usize) -> usize {
        let index = OffsetIndex::new(text);
        (0..times).fold(from, |p, _| step(&index, p, s, forward))
    }

    #[test]
    fn arrows_step_over_whole_clusters() {
        // "a", a family emoji of 5 code points, "e" + combining acute, CRLF, "b".
        let text = "a👩\u{200d}👩\u{200d}👧e\u{301}\r\nb";
        let stops: Vec<usize> = (1..=5).map(|n| walk(text, 0, Step::Cluster, true, n)).collect();
        assert_eq!(stops, [1, 6, 8, 10, 11]);
        assert_eq!(walk(text, 11, Step::Cluster, false, 2), 8);
        assert_eq!(walk(text, 0, Step::Cluster, false, 1), 0);
        assert_eq!(walk(text, 11, Step::Cluster, true, 1), 11);
    }

    #[test]
    fn ctrl_arrows_go_word_by_word() {
        let text = "Sergey Lavrov said, \"Kosovo.\"\nNext line";
        assert_eq!(walk(text, 0, Step::Word, true, 1), 6);
        assert_eq!(walk(text, 0, Step::Word, true, 2), 13);
        assert_eq!(walk(text, 0, Step::Word, true, 4), 27);
        // Past the paragraph's last word, on into the next paragraph.
        assert_eq!(walk(text, 27, Step::Word, true, 1), 34);
        assert_eq!(walk(text, 34, Step::Word, false, 1), 30);
        assert_eq!(walk(text, 30, Step::Word, false, 1), 21);
        assert_eq!(walk(text, 7, Step::Word, false, 1), 0);
        assert_eq!(walk(text, 35, Step::Word, true, 3), 39);
    }

    #[test]
    fn home_and_end_go_to_paragraph_edges() {
        let text = "one two\r\nthree\n\n\nfour";
        assert_eq!(walk(text, 2, Step::Paragraph, true, 1), 7);
        assert_eq!(walk(text, 7, Step::Paragraph, true, 1), 14);
        // Blank lines are skipped.
        assert_eq!(walk(text, 14, Step::Paragraph, true, 1), 21);
        assert_eq!(walk(text, 21, Step::Paragraph, true, 1), 21);
        assert_eq!(walk(text, 17, Step::Paragraph, false, 1), 9);
        assert_eq!(walk(text, 12, Step::Paragraph, false, 1), 9);
        assert_eq!(walk(text, 9, Step::Paragraph, false, 1), 0);
    }

    proptest! {
        #[test]
        fn every_step_lands_on_a_cluster_boundary_in_bounds(text in "\\PC{0,40}", from in 0usize..50, forward: bool, kind in 0..3u8) {
            let index = OffsetIndex::new(&text);
            let s = [Step::Cluster, Step::Word, Step::Paragraph][kind as usize];
            let from = from.min(index.char_len());
            let to = step(&index, from, s, forward);
            prop_assert!(to <= index.char_len());
            prop_assert!(index.is_grapheme_boundary(to) || s != Step::Cluster);
            if forward { prop_assert!(to >= from) } else { prop_assert!(to <= from) }
        }
    }
}
