//! Where the DOM and the model meet: the browser counts offsets inside text nodes in UTF-16
//! units, the model counts code points. Every conversion between the two is here; the pure
//! part is tested natively on adversarial text, and [`browser`] (wasm32 only) applies it to
//! the article's DOM, whose blocks carry their start in code points (`data-b`) and whose
//! segments carry theirs (`data-s`).

#[cfg(target_arch = "wasm32")]
pub mod browser;

/// The code point at UTF-16 unit `units` of `text`; `None` past the end or between the
/// halves of a surrogate pair (the browser never gives such an offset for a selection, but
/// a stale one might).
pub fn char_at_utf16(text: &str, units: usize) -> Option<usize> {
    let mut u = 0;
    for (c, ch) in text.chars().enumerate() {
        if u == units {
            return Some(c);
        }
        if u > units {
            return None;
        }
        u += ch.len_utf16();
    }
    (u == units).then(|| text.chars().count())
}

/// The UTF-16 unit of code point `chars` of `text`; `None` past the end.
pub fn utf16_at_char(text: &str, chars: usize) -> Option<usize> {
    let mut it = text.chars();
    let mut u = 0;
    for _ in 0..chars {
        u += it.next()?.len_utf16();
    }
    Some(u)
}

/// A DOM point inside a text node, as a code point of the document: the node's text starts
/// at code point `start` (its segment's `data-s`, or its block's `data-b` plus the text of
/// the nodes before it), and the point is `units` UTF-16 units into it.
pub fn text_point(start: usize, text: &str, units: usize) -> Option<usize> {
    Some(start + char_at_utf16(text, units)?)
}

/// Where code point `c` of the document falls among the text of a block's children (the
/// block starts at `block_start`): the child's index and the UTF-16 offset inside it. A
/// point at a boundary between two children is put at the end of the first, as a caret
/// after a word sits. `None` when `c` is outside the block.
pub fn locate<'a>(c: usize, block_start: usize, children: impl IntoIterator<Item = &'a str>) -> Option<(usize, usize)> {
    let mut acc = block_start;
    if c < acc {
        return None;
    }
    for (i, text) in children.into_iter().enumerate() {
        let len = text.chars().count();
        if c <= acc + len {
            return Some((i, utf16_at_char(text, c - acc)?));
        }
        acc += len;
    }
    None
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Text that breaks naive offsets: astral emoji, ZWJ sequences, flags, skin tones,
    /// combining accents, CRLF, NBSP, right-to-left script, a BOM.
    const HOSTILE: &str = "\u{feff}🙂 Zoë 👩🏽‍🔬 Jose\u{301}\r\n🇺🇦 محمد\u{a0}سلمان 😀";

    #[test]
    fn offsets_convert_both_ways_on_hostile_text() {
        let n = HOSTILE.chars().count();
        for c in 0..=n {
            let u = utf16_at_char(HOSTILE, c).unwrap();
            assert_eq!(char_at_utf16(HOSTILE, u), Some(c), "code point {c}");
        }
        assert_eq!(utf16_at_char(HOSTILE, n + 1), None);
        assert_eq!(utf16_at_char(HOSTILE, n), Some(HOSTILE.encode_utf16().count()));
        // Inside the surrogate pair of 🙂 (units 1 and 2 are its halves).
        assert_eq!(char_at_utf16(HOSTILE, 2), None);
        assert_eq!(char_at_utf16(HOSTILE, 3), Some(2));
        assert_eq!(char_at_utf16(HOSTILE, 10_000), None);
    }

    #[test]
    fn a_point_in_a_segment_counts_from_its_start() {
        // A segment "😀 here" starting at code point 40: "here" is 3 UTF-16 units in.
        assert_eq!(text_point(40, "😀 here", 3), Some(42));
        assert_eq!(text_point(40, "😀 here", 1), None);
        assert_eq!(text_point(40, "", 0), Some(40));
    }

    #[test]
    fn code_points_are_found_among_a_blocks_children() {
        let children = ["Jane ", "🙂 Roe", "\r\n", "said"];
        assert_eq!(locate(10, 10, children), Some((0, 0)));
        assert_eq!(locate(15, 10, children), Some((0, 5)), "a boundary belongs to the end of the first child");
        assert_eq!(locate(16, 10, children), Some((1, 2)), "after 🙂, two UTF-16 units in");
        assert_eq!(locate(20, 10, children), Some((1, 6)));
        assert_eq!(locate(21, 10, children), Some((2, 1)), "between CR and LF");
        assert_eq!(locate(26, 10, children), Some((3, 4)));
        assert_eq!(locate(27, 10, children), None);
        assert_eq!(locate(9, 10, children), None);
    }

    proptest! {
        #[test]
        fn round_trips_on_any_text(text in "\\PC{0,40}", pick in 0usize..64) {
            let n = text.chars().count();
            let c = pick % (n + 1);
            let u = utf16_at_char(&text, c).unwrap();
            prop_assert_eq!(char_at_utf16(&text, u), Some(c));
            // Split the text into children anywhere: locating c gives a point that converts back.
            let chars: Vec<char> = text.chars().collect();
            let cut = pick % (n + 1);
            let (a, b): (String, String) = (chars[..cut].iter().collect(), chars[cut..].iter().collect());
            let (i, units) = locate(100 + c, 100, [a.as_str(), b.as_str()]).unwrap();
            let start = if i == 0 { 100 } else { 100 + cut };
            prop_assert_eq!(text_point(start, [a.as_str(), b.as_str()][i], units), Some(100 + c));
        }
    }
}
