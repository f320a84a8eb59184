//! Suggested spans, in code points, from three sources:
//!
//! - a **dictionary** built from the workspace's own annotations: each span text with the
//!   labels it received and how often ("Lavrov → Person (3×)");
//! - a **gazetteer** the user imports and exports as `text<TAB>LABEL[<TAB>TYPE]` lines;
//! - **quotation cues**: text between quotation marks (straight, curly, « », „ “) next to a
//!   speech verb ("said", "told", "according to", and the user's own), with the nearest
//!   person entity as the suggested speaker.
//!
//! Dictionary and gazetteer entries are matched together with the `aho-corasick` crate,
//! leftmost-longest at word boundaries, never splitting a character. Pure and native: the
//! shell is meant to run it in the formats worker, so the matcher's code stays out of the
//! page's module (nothing in the page calls it).

use std::{collections::HashMap, sync::Arc};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::model::{offsets::is_grapheme_boundary_at, AnnotationSet, CharRange, LabelId, LabelSet, OffsetIndex, Rejection, Workspace};

/// Where a suggestion comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// The workspace's own annotations.
    Dictionary,
    /// The user's gazetteer.
    Gazetteer,
    /// A quotation next to a speech verb.
    QuoteCue,
}

impl Source {
    /// How it is named to the user and in a span's provenance: `dictionary`, `gazetteer`,
    /// `quote cue`.
    pub fn name(self) -> &'static str {
        match self {
            Source::Dictionary => "dictionary",
            Source::Gazetteer => "gazetteer",
            Source::QuoteCue => "quote cue",
        }
    }
}

/// A span the annotator may accept or reject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// Where.
    pub range: CharRange,
    /// Label id.
    pub label: Arc<str>,
    /// Entity type id, for typed labels.
    pub entity_type: Option<Arc<str>>,
    /// Where it comes from.
    pub source: Source,
    /// Why, for people: "Lavrov → Person (3×)", "“…” said". Like the label and type, shared
    /// by every place the same entry is found, so a long article's thousands of suggestions
    /// copy no text, in the worker or on the page (which copies them after every edit).
    pub detail: Arc<str>,
    /// For a quote: the nearest person entity, as the suggested speaker.
    pub speaker: Option<CharRange>,
}

/// Every suggestion for a document, for the set `set` (its person entities are the
/// speakers of quotation cues): the dictionary of the whole workspace's annotations, then
/// quotation cues, in document order, still [`pending`] in the set.
pub fn for_document(ws: &Workspace, doc: &str, set: Option<&str>) -> Vec<Suggestion> {
    for_document_with(ws, doc, set, &[], &[])
}

/// [`for_document`] with the user's gazetteer entries and extra speech verbs as well. Where
/// the dictionary and the gazetteer suggest the same range and label, the dictionary's (with
/// its count) is the one kept.
pub fn for_document_with(ws: &Workspace, doc: &str, set: Option<&str>, gazetteer: &[Entry], extra_verbs: &[String]) -> Vec<Suggestion> {
    let dictionary = Matcher::new(dictionary(ws), Source::Dictionary, &ws.labels);
    let gazetteer = Matcher::new(gazetteer.to_vec(), Source::Gazetteer, &ws.labels);
    for_document_using(ws, doc, set, &dictionary, &gazetteer, extra_verbs)
}

/// [`for_document_with`] with the dictionary's and the gazetteer's matchers made already
/// (they can be kept between passes while their entries stay the same).
pub fn for_document_using(ws: &Workspace, doc: &str, set: Option<&str>, dictionary: &Matcher, gazetteer: &Matcher, extra_verbs: &[String]) -> Vec<Suggestion> {
    let Some(document) = ws.document(doc) else { return Vec::new() };
    let index = document.index();
    let set = set.and_then(|s| ws.set(s)).filter(|s| s.doc_id == doc);
    let mut out = dictionary.find(&index);
    out.extend(gazetteer.find(&index));
    if let Some(quote) = ws.labels.label("quote").map(|l| l.id.clone()) {
        let persons: Vec<CharRange> =
            set.map(|s| s.spans().iter().filter(|x| x.entity_type.as_deref() == Some("person")).map(|x| x.range).collect()).unwrap_or_default();
        out.extend(quote_cues(&index, &quote, extra_verbs, &persons));
    }
    // No two suggestions of one source share a range (one place per start, one quotation per
    // pair of marks), so this order is total and an unstable sort gives the stable one's.
    out.sort_unstable_by_key(|s| (s.range.start(), std::cmp::Reverse(s.range.end()), s.source));
    out.dedup_by(|later, first| later.range == first.range && later.label == first.label && later.entity_type == first.entity_type);
    pending(out, set)
}

/// The user's extra speech verbs from a comma-separated field: trimmed, empty ones dropped.
pub fn speech_verbs(field: &str) -> Vec<String> {
    field.split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect()
}

impl Source {
    /// The source named by [`Source::name`].
    pub fn from_name(name: &str) -> Option<Source> {
        [Source::Dictionary, Source::Gazetteer, Source::QuoteCue].into_iter().find(|s| s.name() == name)
    }
}

impl Suggestion {
    /// What rejecting it records in a set.
    pub fn rejection(&self) -> Rejection {
        Rejection {
            start: self.range.start(),
            end: self.range.end(),
            label: self.label.to_string(),
            entity_type: self.entity_type.as_deref().map(str::to_owned),
        }
    }
}

/// The suggestions still open in `set`: not rejected there, and not already a span of the
/// same range and label (accepted, or tagged by hand). Without a set, all of them.
pub fn pending(suggestions: Vec<Suggestion>, set: Option<&AnnotationSet>) -> Vec<Suggestion> {
    let Some(set) = set else { return suggestions };
    // The set's spans are in document order and its rejections in (start, end, label, type)
    // order, so each suggestion is found by binary search among them (a set may hold 10,000
    // spans), without copying its label.
    let spans = set.spans();
    let held = |s: &Suggestion| {
        let first = spans.partition_point(|x| x.range.start() < s.range.start());
        spans[first..].iter().take_while(|x| x.range.start() == s.range.start()).any(|x| x.range == s.range && *x.label == *s.label)
    };
    let rejected: Vec<(usize, usize, &str, Option<&str>)> = set.rejected.iter().map(|r| (r.start, r.end, r.label.as_str(), r.entity_type.as_deref())).collect();
    let is_rejected = |s: &Suggestion| rejected.binary_search(&(s.range.start(), s.range.end(), &*s.label, s.entity_type.as_deref())).is_ok();
    suggestions.into_iter().filter(|s| !held(s) && !is_rejected(s)).collect()
}

/// A text and the label it suggests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The text to find, exactly (case matters: "Bush" is not "bush").
    pub text: String,
    /// Label.
    pub label: LabelId,
    /// Entity type, for typed labels.
    pub entity_type: Option<LabelId>,
    /// How often the workspace's annotations gave the text this label (0 for a gazetteer's).
    pub count: usize,
}

/// Longest span text the dictionary takes, in code points: names and short phrases, not
/// whole quotes and claims.
pub const DICTIONARY_MAX_CHARS: usize = 60;

/// The dictionary of the workspace's own annotations: for each span text (up to
/// [`DICTIONARY_MAX_CHARS`]), the label and type it received most often, with the count.
/// Ties go to the label listed first in the schema. In text order.
pub fn dictionary(ws: &Workspace) -> Vec<Entry> {
    // Texts, labels and types borrowed from the workspace while counting (10,000 spans, a
    // few thousand texts); only the entries made at the end own theirs.
    type Labelled<'w> = (&'w str, Option<&'w str>);
    let mut seen: HashMap<&str, Vec<(Labelled<'_>, usize)>> = HashMap::new();
    for set in ws.sets() {
        let Some(doc) = ws.document(&set.doc_id) else { continue };
        let index = doc.index();
        for span in set.spans() {
            if span.range.len() > DICTIONARY_MAX_CHARS {
                continue;
            }
            let text = index.slice(span.range).trim();
            if text.is_empty() {
                continue;
            }
            let labelled = (span.label.as_str(), span.entity_type.as_deref());
            let counts = seen.entry(text).or_default();
            match counts.iter_mut().find(|(l, _)| *l == labelled) {
                Some((_, n)) => *n += 1,
                None => counts.push((labelled, 1)),
            }
        }
    }
    let rank = |label: &str| ws.labels.labels.iter().position(|l| l.id == label).unwrap_or(usize::MAX);
    let mut entries: Vec<Entry> = seen
        .into_iter()
        .filter_map(|(text, counts)| {
            // The most often given; among equals, the label listed first, and between types of
            // one label the last in text order (as when they were counted in ordered maps).
            let ((label, entity_type), count) =
                counts.into_iter().max_by(|((a, at), n), ((b, bt), m)| n.cmp(m).then(rank(b).cmp(&rank(a))).then((a, at).cmp(&(b, bt))))?;
            Some(Entry { text: text.to_owned(), label: label.to_owned(), entity_type: entity_type.map(str::to_owned), count })
        })
        .collect();
    entries.sort_unstable_by(|a, b| a.text.cmp(&b.text));
    entries
}

/// What an entry's label is called: the entity type's name, else the label's ("Person",
/// "Quote").
pub fn label_name(labels: &LabelSet, label: &str, entity_type: Option<&str>) -> String {
    entity_type
        .and_then(|t| labels.entity_type(t))
        .map(|t| t.name.clone())
        .or_else(|| labels.label(label).map(|l| l.name.clone()))
        .unwrap_or_else(|| label.to_owned())
}

/// Every place an entry's text occurs as whole words, leftmost-longest: where entries
/// overlap ("Ana" and "Ana Petrović"), the one starting first wins, then the longest. A
/// place whose edges would split a character (an accent, a skin tone) or continue a word
/// ("Ana" in "Anastasia") is not one.
pub fn match_entries(index: &OffsetIndex<'_>, entries: &[Entry], source: Source, labels: &LabelSet) -> Vec<Suggestion> {
    Matcher::new(entries.to_vec(), source, labels).find(index)
}

/// Entries of one source made ready to be found in any text ([`match_entries`]): the
/// multi-pattern automaton over their texts and each entry's detail. Building the automaton
/// is most of the cost of a pass with thousands of entries, so a matcher can be kept and
/// given new entries ([`Matcher::with_entries`]): the automaton is built again only when
/// their texts change, not when only their counts, labels or types do.
#[derive(Clone, Debug)]
pub struct Matcher {
    entries: Vec<Entry>,
    labels: LabelSet,
    source: Source,
    automaton: Option<AhoCorasick>,
    /// Each entry's label, type and detail, as its suggestions share them.
    shared: Vec<Shared>,
}

/// A label, entity type and detail shared by suggestions.
type Shared = (Arc<str>, Option<Arc<str>>, Arc<str>);

impl Matcher {
    /// A matcher of `entries` (those with empty text are left out), suggesting as `source`,
    /// named with `labels`.
    pub fn new(mut entries: Vec<Entry>, source: Source, labels: &LabelSet) -> Matcher {
        entries.retain(|e| !e.text.is_empty());
        // A contiguous NFA: thousands of names build in a few milliseconds, where a DFA takes
        // several times longer to build than to search 200,000 characters.
        let automaton = (!entries.is_empty())
            .then(|| {
                AhoCorasick::builder().match_kind(MatchKind::Standard).kind(Some(AhoCorasickKind::ContiguousNFA)).build(entries.iter().map(|e| e.text.as_str()))
            })
            .and_then(Result::ok);
        Matcher { shared: shared(&entries, labels), entries, labels: labels.clone(), source, automaton }
    }

    /// This matcher with `entries` and `labels` instead: what [`Matcher::new`] would make,
    /// keeping the automaton when the entries' texts are the same, in the same order.
    pub fn with_entries(self, mut entries: Vec<Entry>, labels: &LabelSet) -> Matcher {
        entries.retain(|e| !e.text.is_empty());
        if self.labels == *labels && self.entries == entries {
            return self;
        }
        if self.entries.iter().map(|e| &e.text).ne(entries.iter().map(|e| &e.text)) {
            return Matcher::new(entries, self.source, labels);
        }
        Matcher { shared: shared(&entries, labels), entries, labels: labels.clone(), ..self }
    }

    /// The labels it names its entries with.
    pub fn labels(&self) -> &LabelSet {
        &self.labels
    }

    /// Every place its entries occur in the indexed text, as [`match_entries`] says.
    pub fn find(&self, index: &OffsetIndex<'_>) -> Vec<Suggestion> {
        let Some(ac) = &self.automaton else { return Vec::new() };
        let text = index.text();
        // Every occurrence at word and character boundaries, each start once: the first of
        // its occurrences in (longest, earliest entry) order is the only one leftmost-longest
        // can take there. Sorted by one number each, the start in bytes then the longest first
        // (tens of thousands of them), with the entry.
        let key = |s: usize, e: usize| (s as u64) << 32 | u64::from(u32::MAX - u32::try_from(e - s).unwrap_or(u32::MAX));
        let mut found: Vec<(u64, u32)> = ac
            .find_overlapping_iter(text)
            .filter(|m| whole_words(text, m.start(), m.end()) && is_grapheme_boundary_at(text, m.start()) && is_grapheme_boundary_at(text, m.end()))
            .map(|m| (key(m.start(), m.end()), m.pattern().as_u32()))
            .collect();
        found.sort_unstable();
        found.dedup_by_key(|&mut (k, _)| k >> 32);
        let mut out = Vec::new();
        let mut after = 0usize;
        // Code points counted from the last place taken: the places come in text order, so
        // the text is walked once, not from a checkpoint per place.
        let (mut byte, mut char) = (0usize, 0usize);
        for (k, p) in found {
            let (s, p) = ((k >> 32) as usize, p as usize);
            let e = s + self.entries[p].text.len();
            if s < after {
                continue;
            }
            char += text[byte..s].chars().count();
            byte = s;
            let end = char + text[s..e].chars().count();
            let Ok(range) = CharRange::new(char, end, index.char_len()) else { continue };
            after = e;
            let (label, entity_type, detail) = self.shared[p].clone();
            out.push(Suggestion { range, label, entity_type, source: self.source, detail, speaker: None });
        }
        out
    }
}

/// Each entry's label, type and detail ("Lavrov → Person (3×)"), made once and shared by
/// every place it is found.
fn shared(entries: &[Entry], labels: &LabelSet) -> Vec<Shared> {
    let ids: Vec<Arc<str>> = labels.labels.iter().map(|l| l.id.as_str()).chain(labels.entity_types.iter().map(|t| t.id.as_str())).map(Arc::from).collect();
    let id = |s: &str| ids.iter().find(|x| ***x == *s).cloned().unwrap_or_else(|| Arc::from(s));
    entries
        .iter()
        .map(|entry| {
            let name = label_name(labels, &entry.label, entry.entity_type.as_deref());
            let detail = match entry.count {
                0 => format!("{} → {name}", entry.text),
                n => format!("{} → {name} ({n}×)", entry.text),
            };
            (id(&entry.label), entry.entity_type.as_deref().map(id), detail.into())
        })
        .collect()
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// True when bytes `[start, end)` of `text` do not continue a word on either side.
fn whole_words(text: &str, start: usize, end: usize) -> bool {
    let joins = |a: Option<char>, b: Option<char>| a.is_some_and(is_word) && b.is_some_and(is_word);
    !joins(text[..start].chars().next_back(), text[start..end].chars().next()) && !joins(text[..end].chars().next_back(), text[end..].chars().next())
}

/// A line of a gazetteer that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct GazetteerError {
    /// Line number, from 1.
    pub line: usize,
    /// What is wrong, for people.
    pub problem: String,
}

/// Reads a gazetteer: one `text<TAB>LABEL[<TAB>TYPE]` per line, LABEL and TYPE by id, name or
/// tag in any ASCII case ("entity", "Entity", "ENTITY"; "person", "PER"). Blank lines and
/// lines starting with `#` are skipped; a CRLF line end is one. Any bad line refuses the
/// whole file, with every bad line listed.
pub fn parse_gazetteer(input: &str, labels: &LabelSet) -> Result<Vec<Entry>, Vec<GazetteerError>> {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    for (i, raw) in input.trim_start_matches('\u{FEFF}').split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fail = |problem: String| errors.push(GazetteerError { line: i + 1, problem });
        let fields: Vec<&str> = line.split('\t').collect();
        if !(2..=3).contains(&fields.len()) {
            fail(format!("expected text<TAB>LABEL or text<TAB>LABEL<TAB>TYPE, found {} tab-separated fields", fields.len()));
            continue;
        }
        let text = fields[0].trim();
        if text.is_empty() {
            fail("the text before the first tab is empty".into());
            continue;
        }
        let wanted = fields[1].trim();
        let Some(label) = labels.labels.iter().find(|l| same(&l.id, wanted) || same(&l.name, wanted) || same(&l.tag, wanted)) else {
            let known: Vec<&str> = labels.labels.iter().map(|l| l.name.as_str()).collect();
            fail(format!("no label “{wanted}” (the labels are {})", known.join(", ")));
            continue;
        };
        let ty = fields.get(2).map(|t| t.trim()).filter(|t| !t.is_empty());
        let entity_type = match (label.typed, ty) {
            (false, None) => None,
            (false, Some(t)) => {
                fail(format!("{} takes no type, found “{t}”", label.name));
                continue;
            }
            (true, None) => {
                let known: Vec<&str> = labels.entity_types.iter().map(|t| t.name.as_str()).collect();
                fail(format!("{} needs a type in a third field ({})", label.name, known.join(", ")));
                continue;
            }
            (true, Some(t)) => match labels.entity_types.iter().find(|x| same(&x.id, t) || same(&x.name, t) || same(&x.tag, t)) {
                Some(x) => Some(x.id.clone()),
                None => {
                    let known: Vec<&str> = labels.entity_types.iter().map(|t| t.name.as_str()).collect();
                    fail(format!("no entity type “{t}” (the types are {})", known.join(", ")));
                    continue;
                }
            },
        };
        entries.push(Entry { text: text.to_owned(), label: label.id.clone(), entity_type, count: 0 });
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

/// Writes entries as a gazetteer ([`parse_gazetteer`] reads it back): label and type by
/// their ids.
pub fn gazetteer_text(entries: &[Entry]) -> String {
    let mut out = String::new();
    for e in entries {
        out.push_str(&e.text);
        out.push('\t');
        out.push_str(&e.label);
        if let Some(t) = &e.entity_type {
            out.push('\t');
            out.push_str(t);
        }
        out.push('\n');
    }
    out
}

/// The speech verbs every quotation cue knows; the user's own are added to them.
pub const SPEECH_VERBS: [&str; 12] =
    ["said", "says", "told", "added", "stressed", "according to", "asked", "explained", "warned", "noted", "insisted", "replied"];

/// How far from a quotation, in code points, a speech verb still cues it.
pub const CUE_REACH: usize = 40;

/// Quotations next to a speech verb, as suggestions of `quote` (the text between the marks,
/// without them or the spaces inside), each with the person entity nearest to it in its
/// paragraph (from `persons`) as the suggested speaker. Marks pair up as “ ”, „ “, « », and
/// straight " "; a quotation inside another is part of it, not one of its own. Verbs match
/// as whole words in any ASCII case, within [`CUE_REACH`] of either mark, in the same
/// paragraph.
pub fn quote_cues(index: &OffsetIndex<'_>, quote: &LabelId, extra_verbs: &[String], persons: &[CharRange]) -> Vec<Suggestion> {
    let quote: Arc<str> = Arc::from(quote.as_str());
    let chars: Vec<char> = index.text().chars().collect();
    let verbs: Vec<Vec<char>> = SPEECH_VERBS
        .iter()
        .map(|v| v.to_string())
        .chain(extra_verbs.iter().map(|v| v.trim().to_owned()))
        .filter(|v| !v.is_empty())
        .map(|v| v.chars().collect())
        .collect();
    let mut out = Vec::new();
    // Open quotations: (closing mark, where the opening mark is).
    let mut open: Vec<(char, usize)> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            open.clear();
            continue;
        }
        if open.last().is_some_and(|&(close, _)| close == c || (close == '“' && c == '”')) {
            let (_, at) = open.pop().expect("checked above");
            if open.is_empty() {
                quotation(index, &chars, at, i, &verbs, &quote, persons, &mut out);
            }
            continue;
        }
        let close = match c {
            '“' => '”',
            '„' => '“',
            '«' => '»',
            '"' => '"',
            _ => continue,
        };
        open.push((close, i));
    }
    out
}

/// A quotation with its opening mark at `open` and closing mark at `close`: a suggestion
/// when a verb cues it.
#[allow(clippy::too_many_arguments)]
fn quotation(
    index: &OffsetIndex<'_>,
    chars: &[char],
    open: usize,
    close: usize,
    verbs: &[Vec<char>],
    quote: &Arc<str>,
    persons: &[CharRange],
    out: &mut Vec<Suggestion>,
) {
    let (mut start, mut end) = (open + 1, close);
    while start < end && chars[start].is_whitespace() {
        start += 1;
    }
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    if start == end || !index.is_grapheme_boundary(start) || !index.is_grapheme_boundary(end) {
        return;
    }
    // The paragraph around the quotation.
    let para_start = chars[..open].iter().rposition(|&c| c == '\n').map_or(0, |p| p + 1);
    let para_end = chars[close..].iter().position(|&c| c == '\n').map_or(chars.len(), |p| close + p);
    let before = (open.saturating_sub(CUE_REACH).max(para_start), open);
    let after = (close + 1, (close + 1 + CUE_REACH).min(para_end));
    let Some(verb) = verbs.iter().find(|v| [before, after].iter().any(|&(a, b)| has_word(&chars[a..b.max(a)], v))) else { return };
    let Ok(range) = CharRange::new(start, end, index.char_len()) else { return };
    // The nearest person in the paragraph, by the gap between it and the quotation.
    let gap = |p: &CharRange| if p.end() <= open { open - p.end() } else { p.start().saturating_sub(close) };
    let speaker = persons.iter().filter(|p| p.start() >= para_start && p.end() <= para_end && !p.overlaps(&range)).min_by_key(|p| gap(p)).copied();
    let verb: String = verb.iter().collect();
    let detail = match speaker {
        Some(p) => format!("quotation near “{verb}”, speaker {}", index.slice(p)),
        None => format!("quotation near “{verb}”"),
    }
    .into();
    out.push(Suggestion { range, label: quote.clone(), entity_type: None, source: Source::QuoteCue, detail, speaker });
}

/// True when `word` occurs in `hay` as whole words, in any ASCII case.
fn has_word(hay: &[char], word: &[char]) -> bool {
    let n = word.len();
    (0..hay.len().saturating_sub(n - 1).min(hay.len())).any(|i| {
        i + n <= hay.len()
            && hay[i..i + n].iter().zip(word).all(|(a, b)| a.eq_ignore_ascii_case(b))
            && !(i > 0 && is_word(hay[i - 1]))
            && !hay.get(i + n).is_some_and(|&c| is_word(c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{fixture, model::LabelSet};

    fn entry(text: &str, label: &str, ty: Option<&str>, count: usize) -> Entry {
        Entry { text: text.into(), label: label.into(), entity_type: ty.map(Into::into), count }
    }

    fn found(text: &str, entries: &[Entry]) -> Vec<(usize, usize, String)> {
        match_entries(&OffsetIndex::new(text), entries, Source::Dictionary, &LabelSet::default())
            .into_iter()
            .map(|s| (s.range.start(), s.range.end(), s.detail.to_string()))
            .collect()
    }

    #[test]
    fn the_dictionary_counts_the_labels_each_text_received() {
        let ws = fixture::workspace("[entity/person:Lavrov] met [entity/person:Lavrov] and [entity/location:Lavrov] in [entity/location:Kyiv]; [quote:Lavrov]");
        let dict = dictionary(&ws);
        assert_eq!(dict, vec![entry("Kyiv", "entity", Some("location"), 1), entry("Lavrov", "entity", Some("person"), 2)]);
        assert_eq!(found("Lavrov", &dict), vec![(0, 6, "Lavrov → Person (2×)".into())]);
    }

    #[test]
    fn entries_match_leftmost_longest_at_word_boundaries() {
        let entries = [
            entry("Ana", "entity", Some("person"), 3),
            entry("Ana Petrović", "entity", Some("person"), 1),
            entry("Petrović Group", "entity", Some("organisation"), 1),
        ];
        // Names inside longer names: the longer one; "Ana" inside "Anastasia" is not a word.
        let text = "Ana Petrović met Anastasia and Ana.";
        assert_eq!(found(text, &entries), vec![(0, 12, "Ana Petrović → Person (1×)".into()), (31, 34, "Ana → Person (3×)".into())]);
        // Overlapping names: the leftmost wins, and the shorter one still counts where the
        // longer one would end inside a word.
        let text = "Ana Petrović Group; Ana Petrovićeva";
        assert_eq!(found(text, &entries), vec![(0, 12, "Ana Petrović → Person (1×)".into()), (20, 23, "Ana → Person (3×)".into())]);
    }

    #[test]
    fn a_match_never_splits_a_character() {
        let entries = [entry("Jose", "entity", Some("person"), 1), entry("👍", "claim", None, 1)];
        // A combining accent after "Jose" makes it "José": no match. Emoji next to a name
        // leave it whole; the bare thumb inside a toned one is not a match.
        let text = "Jose\u{301} and Jose👍🏽 then 👍 ok";
        assert_eq!(found(text, &entries), vec![(10, 14, "Jose → Person (1×)".into()), (22, 23, "👍 → Claim (1×)".into())]);
    }

    #[test]
    fn a_gazetteer_reads_back_what_it_wrote_and_says_which_lines_are_wrong() {
        let labels = LabelSet::default();
        let input = "# names\r\nSergey Lavrov\tEntity\tPerson\r\n\r\nTanjug\tentity\tORG\nThe vote\tclaim\n";
        let entries = parse_gazetteer(input, &labels).unwrap();
        assert_eq!(
            entries,
            vec![entry("Sergey Lavrov", "entity", Some("person"), 0), entry("Tanjug", "entity", Some("organisation"), 0), entry("The vote", "claim", None, 0)]
        );
        assert_eq!(parse_gazetteer(&gazetteer_text(&entries), &labels).unwrap(), entries);
        let bad = "Lavrov\n\tentity\tperson\nKyiv\tplace\nRain\tentity\nVote\tclaim\tperson\nX\tentity\tplanet\nok\tquote";
        let errors = parse_gazetteer(bad, &labels).unwrap_err();
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            vec![
                "line 1: expected text<TAB>LABEL or text<TAB>LABEL<TAB>TYPE, found 1 tab-separated fields",
                "line 2: the text before the first tab is empty",
                "line 3: no label “place” (the labels are Claim, Quote, Entity)",
                "line 4: Entity needs a type in a third field (Person, Organisation, Location)",
                "line 5: Claim takes no type, found “person”",
                "line 6: no entity type “planet” (the types are Person, Organisation, Location)",
            ]
        );
    }

    fn cues(text: &str, persons: &[(usize, usize)], extra: &[&str]) -> Vec<(String, Option<String>)> {
        let index = OffsetIndex::new(text);
        let persons: Vec<CharRange> = persons.iter().map(|&(a, b)| CharRange::new(a, b, index.char_len()).unwrap()).collect();
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        quote_cues(&index, &"quote".to_string(), &extra, &persons)
            .into_iter()
            .map(|s| (index.slice(s.range).to_owned(), s.speaker.map(|p| index.slice(p).to_owned())))
            .collect()
    }

    #[test]
    fn quotations_next_to_a_speech_verb_are_quotes_with_the_nearest_person() {
        // Curly, straight, guillemets and German marks; the verb before or after.
        let text = "Lavrov said: “We will talk.” Then \"No deal\", Rubio told reporters. «Jamais», a dit Macron, according to AFP.\n„Nein“, stressed Scholz.";
        let persons = [(0, 6), (45, 50), (83, 89), (126, 132)];
        assert_eq!(
            cues(text, &persons, &[]),
            vec![
                ("We will talk.".into(), Some("Lavrov".into())),
                ("No deal".into(), Some("Rubio".into())),
                ("Jamais".into(), Some("Macron".into())),
                ("Nein".into(), Some("Scholz".into())),
            ]
        );
        // No verb near: no quote. A verb the user adds cues it.
        let text = "The sign read “Closed” all week.";
        assert_eq!(cues(text, &[], &[]), vec![]);
        assert_eq!(cues(text, &[], &["read"]), vec![("Closed".into(), None)]);
        // A speaker in another paragraph is not this quote's.
        assert_eq!(cues("Lavrov spoke.\n“Yes,” he said.", &[(0, 6)], &[]), vec![("Yes,".into(), None)]);
    }

    #[test]
    fn rejected_and_accepted_suggestions_are_no_longer_pending() {
        use crate::state::{Action, State};
        const T: &str = "2026-11-24T00:00:00Z";
        let mut st = State::new(fixture::workspace("Lavrov met Ana and Lavrov."));
        let index_text = st.workspace.document("doc").unwrap().text.clone();
        let index = OffsetIndex::new(&index_text);
        let entries = [entry("Lavrov", "entity", Some("person"), 2), entry("Ana", "entity", Some("person"), 1)];
        let all = match_entries(&index, &entries, Source::Dictionary, &LabelSet::default());
        assert_eq!(all.len(), 3);
        let open =
            |st: &State| -> Vec<(usize, usize)> { pending(all.clone(), st.workspace.set("set")).iter().map(|s| (s.range.start(), s.range.end())).collect() };
        // Accept the first, reject the second: only the third is left.
        let first = &all[0];
        let accept = Action::AcceptSuggestion {
            set: "set".into(),
            start: first.range.start(),
            end: first.range.end(),
            label: first.label.to_string(),
            entity_type: first.entity_type.as_deref().map(str::to_owned),
            source: first.source.name().into(),
            detail: first.detail.to_string(),
        };
        st.dispatch(accept, T).unwrap();
        st.dispatch(Action::RejectSuggestion { set: "set".into(), rejection: all[1].rejection() }, T).unwrap();
        assert_eq!(open(&st), vec![(19, 25)]);
        let span = &st.workspace.set("set").unwrap().spans()[0];
        assert_eq!(span.provenance, Some(crate::model::Provenance::Suggested { source: "dictionary".into(), detail: "Lavrov → Person (2×)".into() }));
        // Rejecting twice is refused; each is one undo step.
        assert!(st.dispatch(Action::RejectSuggestion { set: "set".into(), rejection: all[1].rejection() }, T).is_err());
        st.dispatch(Action::Undo, T).unwrap();
        assert_eq!(open(&st), vec![(11, 14), (19, 25)]);
        st.dispatch(Action::Undo, T).unwrap();
        assert_eq!(open(&st), vec![(0, 6), (11, 14), (19, 25)]);
        st.dispatch(Action::Redo, T).unwrap();
        st.dispatch(Action::Redo, T).unwrap();
        assert_eq!(open(&st), vec![(19, 25)]);
        // A rejection outside the document is refused.
        let far = Rejection { start: 20, end: 99, label: "entity".into(), entity_type: None };
        assert!(st.dispatch(Action::RejectSuggestion { set: "set".into(), rejection: far }, T).is_err());
    }

    #[test]
    fn rejections_are_saved_with_their_set_and_old_files_still_load() {
        use crate::formats::native;
        let mut ws = fixture::workspace("Lavrov met Ana.");
        let rejection = Rejection { start: 11, end: 14, label: "entity".into(), entity_type: Some("person".into()) };
        ws.set_mut("set").unwrap().rejected.insert(rejection.clone());
        let saved = native::save_workspace(&ws);
        assert!(saved.contains("\"rejected_suggestions\""), "{saved}");
        let back = native::load(&saved, &[]).unwrap().imported;
        assert_eq!(back.sets[0].rejected.iter().collect::<Vec<_>>(), vec![&rejection]);
        // Without rejections the field is left out, and a file without it loads.
        let plain = native::save_workspace(&fixture::workspace("Lavrov met Ana."));
        assert!(!plain.contains("rejected_suggestions"));
        assert!(native::load(&plain, &[]).unwrap().imported.sets[0].rejected.is_empty());
        // A rejection outside the text is refused with its place; the rest is taken.
        let bad = saved.replace("\"end\": 14", "\"end\": 140");
        let loaded = native::load(&bad, &[]).unwrap().imported;
        assert!(loaded.refused.iter().any(|p| p.to_string().contains("sets[0].rejected_suggestions[0]")), "{:?}", loaded.refused);
    }

    #[test]
    fn a_quotation_inside_another_is_part_of_it() {
        let text = "She said: “He told me ‘never’ and «non», then “maybe”.” Done.";
        assert_eq!(cues(text, &[], &[]), vec![("He told me ‘never’ and «non», then “maybe”.".into(), None)]);
        // An unclosed mark at a paragraph's end does not swallow the next paragraph.
        assert_eq!(cues("He said “oops\nShe said “fine”.", &[], &[]), vec![("fine".into(), None)]);
    }
}
