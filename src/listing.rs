//! The article list as data: each article's status and span counts in its active set, the
//! list filtered by words and sorted, the next article not done, and the corpus's totals.
//!
//! Pure, so the list's rules are tested natively and the page only draws what this returns.
//! Filtering folds ASCII case only (`A`–`Z`), which keeps Unicode's case tables out of the
//! page: "kosovo" finds "Kosovo", while a non-ASCII letter matches only as written. The
//! folded text of each article is made once and kept ([`Folded`]), so a key press in the
//! filter scans, and does not copy, the corpus; a query that extends the last one searches
//! only what the last one found. The list itself is kept too ([`Listing`]): an edit of an
//! article's spans remakes that article's entry, moves the totals by its difference and
//! leaves the rest, so adding a span costs the same in a corpus of 20 articles as in one of
//! 2,000.

use std::{
    cmp::Ordering,
    collections::{BTreeSet, HashMap},
    rc::Rc,
};

use crate::model::{AnnotationSet, LabelId, SetId, Workspace};

/// Where an article stands in its active set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// No spans yet, and not marked done.
    NotStarted,
    /// Spans, not marked done.
    InProgress,
    /// Marked done.
    Done,
}

impl Status {
    /// Every status, in the order the chart shows them.
    pub const ALL: [Status; 3] = [Status::NotStarted, Status::InProgress, Status::Done];

    /// How the list and the chart name it.
    pub fn name(self) -> &'static str {
        match self {
            Status::NotStarted => "not started",
            Status::InProgress => "in progress",
            Status::Done => "done",
        }
    }

    /// The status of an article whose active set is `set`.
    pub fn of(set: Option<&AnnotationSet>) -> Status {
        match set {
            Some(s) if s.done => Status::Done,
            Some(s) if !s.spans().is_empty() => Status::InProgress,
            _ => Status::NotStarted,
        }
    }
}

/// How the list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    /// As the articles were added.
    #[default]
    Added,
    /// By title, A to Z (ASCII case folded).
    Title,
    /// By date, newest first; undated last.
    Date,
    /// Not started, then in progress, then done.
    Status,
    /// By span count, most first.
    Count,
}

impl SortBy {
    /// Every order, as the sort menu lists them.
    pub const ALL: [SortBy; 5] = [SortBy::Added, SortBy::Title, SortBy::Date, SortBy::Status, SortBy::Count];

    /// Its id in the sort menu.
    pub fn id(self) -> &'static str {
        match self {
            SortBy::Added => "added",
            SortBy::Title => "title",
            SortBy::Date => "date",
            SortBy::Status => "status",
            SortBy::Count => "count",
        }
    }

    /// Its name in the sort menu.
    pub fn name(self) -> &'static str {
        match self {
            SortBy::Added => "Order added",
            SortBy::Title => "Title",
            SortBy::Date => "Date (newest first)",
            SortBy::Status => "Status",
            SortBy::Count => "Span count",
        }
    }

    /// The order with this id.
    pub fn from_id(id: &str) -> Option<SortBy> {
        SortBy::ALL.into_iter().find(|s| s.id() == id)
    }
}

/// One article in the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Its place among the workspace's documents.
    pub index: usize,
    /// Its status in its active set.
    pub status: Status,
    /// Spans in its active set.
    pub spans: usize,
    /// Spans by label in its active set, in label id order.
    pub counts: Vec<(LabelId, usize)>,
    /// Its active set, if it has one.
    pub set: Option<SetId>,
}

/// Every article's entry, in the workspace's order: one pass over the sets, not one search
/// per article.
pub fn entries(ws: &Workspace) -> Vec<Entry> {
    let mut first: HashMap<&str, &AnnotationSet> = HashMap::new();
    let mut by_id: HashMap<&str, &AnnotationSet> = HashMap::new();
    for s in ws.sets() {
        first.entry(s.doc_id.as_str()).or_insert(s);
        by_id.insert(s.id.as_str(), s);
    }
    ws.documents()
        .iter()
        .enumerate()
        .map(|(index, d)| {
            let chosen = ws.active.get(&d.id).and_then(|id| by_id.get(id.as_str())).filter(|s| s.doc_id == d.id);
            entry(index, chosen.or_else(|| first.get(d.id.as_str())).copied())
        })
        .collect()
}

fn entry(index: usize, set: Option<&AnnotationSet>) -> Entry {
    let counts = set.map(|s| s.counts().into_iter().map(|(l, n)| (l.to_owned(), n)).collect()).unwrap_or_default();
    Entry { index, status: Status::of(set), spans: set.map_or(0, |s| s.spans().len()), counts, set: set.map(|s| s.id.clone()) }
}

/// Remakes, in place, the entries of the articles whose sets these edits changed (no article
/// added, removed or reordered, no set switched), and returns each changed article's
/// position with its entry as it was. The other entries are neither made again nor copied.
fn refresh(ws: &Workspace, entries: &mut [Entry], sets: &BTreeSet<SetId>) -> Vec<(usize, Entry)> {
    let mut docs: Vec<usize> = Vec::new();
    for id in sets {
        match ws.set(id) {
            Some(set) => docs.extend(ws.document_index(&set.doc_id)),
            // Removed: the article that showed it.
            None => docs.extend(entries.iter().filter(|e| e.set.as_ref() == Some(id)).map(|e| e.index)),
        }
    }
    docs.sort_unstable();
    docs.dedup();
    docs.into_iter()
        .map(|index| {
            let chosen = ws.active_set(&ws.documents()[index].id);
            (index, std::mem::replace(&mut entries[index], entry(index, chosen)))
        })
        .collect()
}

/// The article list as drawn: every article's entry (in workspace order), the positions
/// listed (filtered and sorted), and the corpus's totals. Kept between renders: an edit of
/// sets alone remakes only what it changed ([`Listing::refresh`]), so it costs the same at
/// any size of corpus; [`Listing::new`] is the whole pass, which it always agrees with.
#[derive(Debug, PartialEq, Eq)]
pub struct Listing {
    /// One per document, in workspace order.
    pub entries: Vec<Entry>,
    /// The positions in `entries` listed, filtered and sorted ([`order`]).
    pub order: Vec<usize>,
    /// The totals of all the entries ([`totals`]).
    pub totals: Totals,
}

impl Listing {
    /// The whole pass over `ws` (at `revision`), listed by `query` and `sort`.
    pub fn new(ws: &Workspace, revision: u64, query: &str, sort: SortBy, folded: &mut Folded) -> Listing {
        let entries = entries(ws);
        let order = order(ws, revision, &entries, query, sort, folded);
        let totals = totals(ws, &entries);
        Listing { entries, order, totals }
    }

    /// The same entries, listed by another filter or order.
    pub fn reorder(&mut self, ws: &Workspace, revision: u64, query: &str, sort: SortBy, folded: &mut Folded) {
        self.order = order(ws, revision, &self.entries, query, sort, folded);
    }

    /// After edits that changed only these sets (no article added, removed or reordered, no
    /// set switched, the labels as they were), with the list still in `sort`'s order: the
    /// changed articles' entries made again, the totals moved by their difference, and only
    /// those articles placed again in a list sorted by status or count. A filter matches
    /// titles and texts, which such edits leave alone, and the other orders do not look at
    /// entries, so the rest of the list stands.
    pub fn refresh(&mut self, ws: &Workspace, sets: &BTreeSet<SetId>, sort: SortBy) {
        let changed = refresh(ws, &mut self.entries, sets);
        // Labels outside the schema are listed after it in the order the whole pass meets
        // them, which a difference cannot keep: the whole pass then (the schema refuses such
        // spans, so it does not happen in practice).
        let schema = ws.labels.labels.len();
        let known = |e: &Entry| e.counts.iter().all(|(l, _)| self.totals.by_label[..schema].iter().any(|(k, _)| k == l));
        if self.totals.by_label.len() == schema && changed.iter().all(|(i, old)| known(old) && known(&self.entries[*i])) {
            for (i, old) in &changed {
                self.totals.count(old, false);
                self.totals.count(&self.entries[*i], true);
            }
        } else {
            self.totals = totals(ws, &self.entries);
        }
        if matches!(sort, SortBy::Status | SortBy::Count) {
            // The list is sorted by (key, position): the changed articles listed are taken
            // out, then each put back where its new key goes.
            let listed: Vec<usize> = changed.iter().map(|(i, _)| *i).filter(|i| self.order.contains(i)).collect();
            self.order.retain(|j| !listed.contains(j));
            for i in listed {
                let at = self.order.partition_point(|&j| compare(ws, &self.entries, sort, j, i).then(j.cmp(&i)).is_lt());
                self.order.insert(at, i);
            }
        }
    }
}

/// The words of a filter, ASCII-folded; an article matches when its title or text holds
/// every one.
pub fn words(query: &str) -> Vec<String> {
    query.split_whitespace().map(|w| w.to_ascii_lowercase()).collect()
}

/// Each article's title and text with ASCII letters folded to lower case, made on first use
/// and kept by text hash (an article's text never changes), plus the last filter's result.
#[derive(Debug, Default)]
pub struct Folded {
    texts: HashMap<String, Rc<str>>,
    /// The last filter's words, what they found, and the revision of the workspace then.
    last: Option<(Vec<String>, Vec<bool>, u64)>,
}

impl Folded {
    fn text(&mut self, ws: &Workspace, index: usize) -> Rc<str> {
        let doc = &ws.documents()[index];
        self.texts
            .entry(doc.sha256.clone())
            .or_insert_with(|| {
                let mut s = String::with_capacity(doc.header.title.len() + 1 + doc.text.len());
                s.push_str(&doc.header.title);
                // A separator no word can cross.
                s.push('\n');
                s.push_str(&doc.text);
                s.make_ascii_lowercase();
                s.into()
            })
            .clone()
    }

    /// Which articles match `words`, by workspace position; `revision` changes whenever the
    /// workspace does.
    pub fn matches(&mut self, ws: &Workspace, words: &[String], revision: u64) -> Vec<bool> {
        let n = ws.documents().len();
        if words.is_empty() {
            return vec![true; n];
        }
        // A query that only adds to the last one can only find fewer: start from those.
        let start = match &self.last {
            Some((last, found, rev)) if *rev == revision && found.len() == n && extends(words, last) => found.clone(),
            _ => vec![true; n],
        };
        let found: Vec<bool> = (0..n).map(|i| start[i] && self.holds(ws, i, words)).collect();
        self.last = Some((words.to_vec(), found.clone(), revision));
        found
    }

    fn holds(&mut self, ws: &Workspace, index: usize, words: &[String]) -> bool {
        let text = self.text(ws, index);
        words.iter().all(|w| text.contains(w.as_str()))
    }
}

/// True when every article matching `words` also matches `last`: each old word is inside
/// a new one.
fn extends(words: &[String], last: &[String]) -> bool {
    last.iter().all(|l| words.iter().any(|w| w.contains(l.as_str())))
}

/// The list: the entries whose articles match `query`, in the order `sort` asks, as
/// positions in `entries` (made from `ws` at `revision`).
pub fn order(ws: &Workspace, revision: u64, entries: &[Entry], query: &str, sort: SortBy, folded: &mut Folded) -> Vec<usize> {
    let found = folded.matches(ws, &words(query), revision);
    let mut out: Vec<usize> = (0..entries.len()).filter(|&i| found.get(entries[i].index).copied().unwrap_or(false)).collect();
    if sort != SortBy::Added {
        out.sort_by(|&a, &b| compare(ws, entries, sort, a, b));
    }
    out
}

/// How entries `a` and `b` (positions in `entries`) compare in `sort`'s order; ties keep
/// their positions' order (the sort is stable).
fn compare(ws: &Workspace, entries: &[Entry], sort: SortBy, a: usize, b: usize) -> Ordering {
    let docs = ws.documents();
    let title = |i: usize| docs[entries[i].index].header.title.as_str();
    let date = |i: usize| docs[entries[i].index].header.date.as_deref();
    match sort {
        SortBy::Added => Ordering::Equal,
        SortBy::Title => cmp_folded(title(a), title(b)),
        SortBy::Date => match (date(a), date(b)) {
            (Some(x), Some(y)) => y.cmp(x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
        SortBy::Status => entries[a].status.cmp(&entries[b].status),
        SortBy::Count => entries[b].spans.cmp(&entries[a].spans),
    }
}

fn cmp_folded(a: &str, b: &str) -> Ordering {
    a.bytes().map(|c| c.to_ascii_lowercase()).cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// The id of the first article after `current` in `list` (positions in `entries`) that is
/// not done, going round to the start; `None` when every listed article is done.
pub fn next_not_done(ws: &Workspace, entries: &[Entry], list: &[usize], current: Option<&str>) -> Option<String> {
    let docs = ws.documents();
    let here = current.and_then(|id| list.iter().position(|&i| docs[entries[i].index].id == id));
    let start = here.map_or(0, |p| p + 1);
    (0..list.len())
        .map(|k| list[(start + k) % list.len()])
        .find(|&i| entries[i].status != Status::Done && Some(docs[entries[i].index].id.as_str()) != current)
        .map(|i| docs[entries[i].index].id.clone())
}

/// The corpus at a glance: articles per status and spans per label, over active sets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Articles not started, in progress and done, in [`Status::ALL`] order.
    pub by_status: [usize; 3],
    /// Spans per label, in the schema's label order; labels with none included.
    pub by_label: Vec<(LabelId, usize)>,
}

/// The totals of the entries (all of them, or those listed).
pub fn totals(ws: &Workspace, entries: &[Entry]) -> Totals {
    let mut t = Totals { by_label: ws.labels.labels.iter().map(|l| (l.id.clone(), 0)).collect(), ..Totals::default() };
    for e in entries {
        t.count(e, true);
    }
    t
}

impl Totals {
    /// Counts `e` in (`add`) or takes it out of the totals; a label not yet counted is added
    /// at the end.
    fn count(&mut self, e: &Entry, add: bool) {
        let by = |n: usize, total: usize| if add { total + n } else { total - n };
        self.by_status[e.status as usize] = by(1, self.by_status[e.status as usize]);
        for (label, n) in &e.counts {
            match self.by_label.iter_mut().find(|(l, _)| l == label) {
                Some((_, total)) => *total = by(*n, *total),
                None => self.by_label.push((label.clone(), by(*n, 0))),
            }
        }
    }
}

#[cfg(test)]
mod tests;
