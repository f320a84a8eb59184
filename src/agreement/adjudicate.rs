//! Merging several annotators' sets of one document into a gold set: what enough of them
//! agree on is taken at once, and every other place becomes a conflict to decide.
//!
//! - A **version** is a span's (start, end, label, entity type). Versions that are equal in
//!   at least `k` of the `n` sets are **agreed**: unanimous when all `n` have it, majority
//!   otherwise. Each agreed span records which sets it came from.
//! - Every other span is gathered with the spans of the other sets it overlaps at IoU ≥ θ
//!   (transitively) into a **conflict**: per set, that set's versions there (none, one or
//!   more). Its kind says how the sets differ: boundaries, labels, both, or a span some sets
//!   lack.
//! - A **decision** on a conflict takes one set's version, rejects them all, or gives an
//!   edited version. Conflicts have stable keys made of their versions, so running the plan
//!   again after one set changed keeps the decisions on every conflict the change did not
//!   touch.
//!
//! Pure; the page's adjudication view and the gold set's provenance in the file formats
//! build on it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::iou;
use crate::model::{AnnotationSet, CharRange, Document, LabelId, Provenance, Relation, SetId, Span};

/// A span's place and label, as annotators differ on them.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Version {
    /// First code point.
    pub start: usize,
    /// Code point after the last.
    pub end: usize,
    /// Label id.
    pub label: LabelId,
    /// Entity type id, for typed labels.
    pub entity_type: Option<LabelId>,
}

/// A span of the gold set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GoldSpan {
    /// The span.
    pub version: Version,
    /// How it got in, and from which sets (those that had exactly this version).
    pub provenance: Provenance,
}

/// How the sets differ at a conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// Same label, other boundaries.
    Boundary,
    /// Same boundaries, other labels.
    Label,
    /// Other boundaries and other labels.
    BoundaryAndLabel,
    /// Some sets have a span here and the others none (too few to agree).
    Missing,
    /// Some sets link two spans and the others do not (too few to agree).
    Relation,
}

/// A link between two versions, as annotators differ on them.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Link {
    /// The quote or claim.
    pub from: Version,
    /// The speaker or claimant.
    pub to: Version,
    /// Relation type id.
    pub kind: LabelId,
}

/// A place the sets do not agree on enough.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// Stable key: the same versions give the same key, whatever else changed.
    pub key: String,
    /// Where it starts.
    pub at: usize,
    /// How the sets differ.
    pub kind: ConflictKind,
    /// Per set, in the order the sets were given: its versions here (none, one or more).
    /// For a relation conflict, the link's two ends for each set that has the link.
    pub versions: Vec<Vec<Version>>,
    /// The link, for a relation conflict.
    pub link: Option<Link>,
}

/// What to do at a conflict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Take set `i`'s versions here (1 … 9 on the keyboard take sets 0 … 8).
    Take(usize),
    /// Keep nothing here.
    Reject,
    /// Keep this version, edited by hand.
    Edit(Version),
}

/// The agreed spans and the conflicts of one document's sets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// The sets, in the order given.
    pub sets: Vec<SetId>,
    /// Taken at once.
    pub agreed: Vec<GoldSpan>,
    /// Links agreed by enough sets.
    pub agreed_links: Vec<Link>,
    /// To decide: the spans' conflicts in document order, then the links'.
    pub conflicts: Vec<Conflict>,
}

fn version_of(s: &Span) -> Version {
    Version { start: s.range.start(), end: s.range.end(), label: s.label.clone(), entity_type: s.entity_type.clone() }
}

/// The smallest `k` that is a majority of `n` sets: below it, two contradicting versions could
/// both be agreed (two sets saying ORG and two PERSON of four).
pub fn majority(n: usize) -> usize {
    n / 2 + 1
}

/// Plans the merge of `sets` (all of one document): versions in at least `k` sets are agreed
/// (`k` is raised to a majority, and at most every set); the rest are grouped by overlap at
/// IoU ≥ `iou` into conflicts.
pub fn plan(sets: &[&AnnotationSet], k: usize, threshold: f64) -> Plan {
    let n = sets.len();
    let k = k.clamp(majority(n), n.max(1));
    // Which sets have each version.
    let mut holders: BTreeMap<Version, Vec<usize>> = BTreeMap::new();
    for (i, set) in sets.iter().enumerate() {
        for s in set.spans() {
            let h = holders.entry(version_of(s)).or_default();
            if h.last() != Some(&i) {
                h.push(i);
            }
        }
    }
    let mut agreed = Vec::new();
    let mut rest: Vec<(Version, Vec<usize>)> = Vec::new();
    for (v, h) in holders {
        if h.len() >= k {
            let from = h.iter().map(|i| sets[*i].id.clone()).collect();
            let provenance = if h.len() == n { Provenance::Unanimous { from } } else { Provenance::Majority { votes: h.len(), of: n, from } };
            agreed.push(GoldSpan { version: v, provenance });
        } else {
            rest.push((v, h));
        }
    }
    // Group the rest: versions that overlap at IoU ≥ θ, transitively (union-find), in
    // document order.
    let mut parent: Vec<usize> = (0..rest.len()).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        let mut y = x;
        while p[y] != r {
            let next = p[y];
            p[y] = r;
            y = next;
        }
        r
    }
    for i in 0..rest.len() {
        for j in i + 1..rest.len() {
            if rest[j].0.start >= rest[i].0.end {
                break; // sorted by start: nothing later overlaps i
            }
            if iou((rest[i].0.start, rest[i].0.end), (rest[j].0.start, rest[j].0.end)) >= threshold {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..rest.len() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    let mut conflicts: Vec<Conflict> = groups
        .into_values()
        .map(|members| {
            let mut versions: Vec<Vec<Version>> = vec![Vec::new(); n];
            for m in &members {
                for h in &rest[*m].1 {
                    versions[*h].push(rest[*m].0.clone());
                }
            }
            let all: Vec<&Version> = members.iter().map(|m| &rest[*m].0).collect();
            let same_bounds = all.windows(2).all(|w| (w[0].start, w[0].end) == (w[1].start, w[1].end));
            let same_label = all.windows(2).all(|w| (&w[0].label, &w[0].entity_type) == (&w[1].label, &w[1].entity_type));
            let kind = match (same_bounds, same_label) {
                _ if versions.iter().any(Vec::is_empty) && (all.len() == 1 || same_bounds && same_label) => ConflictKind::Missing,
                (true, false) => ConflictKind::Label,
                (false, true) => ConflictKind::Boundary,
                (false, false) => ConflictKind::BoundaryAndLabel,
                (true, true) => ConflictKind::Missing,
            };
            let key = versions
                .iter()
                .map(|vs| {
                    vs.iter().map(|v| format!("{}-{}-{}-{}", v.start, v.end, v.label, v.entity_type.as_deref().unwrap_or(""))).collect::<Vec<_>>().join("+")
                })
                .collect::<Vec<_>>()
                .join("|");
            Conflict { key, at: all.iter().map(|v| v.start).min().unwrap_or(0), kind, versions, link: None }
        })
        .collect();
    conflicts.sort_by(|a, b| (a.at, &a.key).cmp(&(b.at, &b.key)));
    // Links, by the versions of their two ends.
    let mut link_holders: BTreeMap<Link, Vec<usize>> = BTreeMap::new();
    for (i, set) in sets.iter().enumerate() {
        for r in set.relations() {
            let (Some(from), Some(to)) = (set.span(r.from), set.span(r.to)) else { continue };
            let h = link_holders.entry(Link { from: version_of(from), to: version_of(to), kind: r.kind.clone() }).or_default();
            if h.last() != Some(&i) {
                h.push(i);
            }
        }
    }
    let mut agreed_links = Vec::new();
    for (link, h) in link_holders {
        if h.len() >= k {
            agreed_links.push(link);
        } else {
            let versions = (0..n).map(|i| if h.contains(&i) { vec![link.from.clone(), link.to.clone()] } else { Vec::new() }).collect();
            let held: String = (0..n).map(|i| if h.contains(&i) { '1' } else { '0' }).collect();
            let key = format!(
                "link:{}-{}-{}>{}-{}-{}:{}:{held}",
                link.from.start, link.from.end, link.from.label, link.to.start, link.to.end, link.to.label, link.kind
            );
            conflicts.push(Conflict { key, at: link.from.start, kind: ConflictKind::Relation, versions, link: Some(link) });
        }
    }
    Plan { sets: sets.iter().map(|s| s.id.clone()).collect(), agreed, agreed_links, conflicts }
}

impl Plan {
    /// How many conflicts `decisions` settles ("12 of 40 conflicts").
    pub fn decided(&self, decisions: &BTreeMap<String, Decision>) -> usize {
        self.conflicts.iter().filter(|c| decisions.contains_key(&c.key)).count()
    }

    /// The gold spans: the agreed ones and, for each decided conflict, what was decided, in
    /// document order. Undecided conflicts give nothing yet. A duplicate version (taken twice)
    /// is kept once.
    pub fn gold(&self, decisions: &BTreeMap<String, Decision>) -> Vec<GoldSpan> {
        let mut out = self.agreed.clone();
        for c in self.conflicts.iter().filter(|c| c.link.is_none()) {
            match decisions.get(&c.key) {
                Some(Decision::Take(i)) => {
                    for v in c.versions.get(*i).into_iter().flatten() {
                        let from = c.versions.iter().enumerate().filter(|(_, vs)| vs.contains(v)).map(|(j, _)| self.sets[j].clone()).collect();
                        out.push(GoldSpan { version: v.clone(), provenance: Provenance::Adjudicated { edited: false, from } });
                    }
                }
                Some(Decision::Edit(v)) => out.push(GoldSpan { version: v.clone(), provenance: Provenance::Adjudicated { edited: true, from: Vec::new() } }),
                Some(Decision::Reject) | None => {}
            }
        }
        out.sort_by(|a, b| a.version.cmp(&b.version));
        out.dedup_by(|a, b| a.version == b.version);
        out
    }

    /// The gold links: those agreed and those taken at a relation conflict, whose two ends
    /// are both gold spans.
    pub fn gold_links(&self, decisions: &BTreeMap<String, Decision>, gold: &[GoldSpan]) -> Vec<Link> {
        let taken = self.conflicts.iter().filter_map(|c| match (decisions.get(&c.key), &c.link) {
            (Some(Decision::Take(i)), Some(link)) if c.versions.get(*i).is_some_and(|v| !v.is_empty()) => Some(link.clone()),
            _ => None,
        });
        let has = |v: &Version| gold.binary_search_by(|g| g.version.cmp(v)).is_ok();
        let mut links: Vec<Link> = self.agreed_links.iter().cloned().chain(taken).filter(|l| has(&l.from) && has(&l.to)).collect();
        links.sort();
        links.dedup();
        links
    }

    /// The gold set on `doc`: the gold spans, each with its provenance, and the gold links.
    /// Undecided conflicts are left out. Also returns the gold spans left out because the set
    /// already holds a span with the same range and label (another entity type of it).
    pub fn gold_set(
        &self,
        decisions: &BTreeMap<String, Decision>,
        doc: &Document,
        id: SetId,
        name: String,
        annotator: String,
        at: &str,
    ) -> (AnnotationSet, Vec<GoldSpan>) {
        let gold = self.gold(decisions);
        let len = doc.char_len();
        let mut set = AnnotationSet::new(id, name, annotator, doc, at);
        let mut ids: BTreeMap<&Version, u64> = BTreeMap::new();
        let mut left_out = Vec::new();
        for (i, g) in gold.iter().enumerate() {
            let id = i as u64 + 1;
            let span = CharRange::new(g.version.start, g.version.end, len).map(|range| Span {
                id,
                range,
                label: g.version.label.clone(),
                entity_type: g.version.entity_type.clone(),
                note: None,
                provenance: Some(g.provenance.clone()),
            });
            match span.map(|span| set.insert_span(span, len)) {
                Ok(Ok(())) => {
                    ids.insert(&g.version, id);
                }
                _ => left_out.push(g.clone()),
            }
        }
        for link in self.gold_links(decisions, &gold) {
            let (Some(from), Some(to)) = (ids.get(&link.from), ids.get(&link.to)) else { continue };
            let id = set.fresh_id();
            set.insert_relation(Relation { id, kind: link.kind, from: *from, to: *to }).expect("both ends are spans of the set");
        }
        (set, left_out)
    }
}

/// An adjudication under way: the conflicts' keys, the decisions taken (by key), the conflict
/// on screen and the history that undo walks back. Decisions are kept by key, also for
/// conflicts a new plan no longer has, so a conflict that comes back keeps its decision. It
/// knows conflicts by key only, so the page can run it while the plan is made elsewhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Adjudication {
    /// The conflicts' keys, in the plan's order.
    pub keys: Vec<String>,
    /// How many sets are merged (`Take` names one of them).
    pub sets: usize,
    /// The decisions taken, by conflict key.
    pub decisions: BTreeMap<String, Decision>,
    /// The conflict on screen (an index into `keys`).
    pub current: usize,
    /// Per decision taken: its conflict's key, the decision it replaced and the conflict that
    /// was on screen.
    history: Vec<(String, Option<Decision>, usize)>,
}

impl Adjudication {
    /// Starts on the conflicts `keys` of a plan of `sets` sets, with decisions already taken
    /// (kept from an earlier run), on the first undecided conflict.
    pub fn new(keys: Vec<String>, sets: usize, decisions: BTreeMap<String, Decision>) -> Self {
        let mut a = Adjudication { keys, sets, decisions, current: 0, history: Vec::new() };
        a.current = a.undecided_from(0).unwrap_or(0);
        a
    }

    /// Takes a new plan's keys (a set changed), keeping every decision and the conflict on
    /// screen when it is still there.
    pub fn replan(&mut self, keys: Vec<String>) {
        let key = self.key().map(str::to_owned);
        self.keys = keys;
        self.current = key.and_then(|k| self.keys.iter().position(|c| *c == k)).or_else(|| self.undecided_from(0)).unwrap_or(0);
    }

    /// The key of the conflict on screen.
    pub fn key(&self) -> Option<&str> {
        self.keys.get(self.current).map(String::as_str)
    }

    /// The decision on the conflict on screen.
    pub fn decision(&self) -> Option<&Decision> {
        self.decisions.get(self.key()?)
    }

    /// (decided, total): "12 of 40 conflicts".
    pub fn progress(&self) -> (usize, usize) {
        (self.keys.iter().filter(|k| self.decisions.contains_key(*k)).count(), self.keys.len())
    }

    /// Decides the conflict on screen and moves to the next undecided one (or stays, when
    /// none is left). False when there is no conflict, or when `Take` names a set not there.
    pub fn decide(&mut self, decision: Decision) -> bool {
        let Some(key) = self.key().map(str::to_owned) else { return false };
        if matches!(decision, Decision::Take(i) if i >= self.sets) {
            return false;
        }
        let before = self.decisions.insert(key.clone(), decision);
        self.history.push((key, before, self.current));
        if let Some(next) = self.undecided_from(self.current + 1) {
            self.current = next;
        }
        true
    }

    /// Undoes the last decision and shows its conflict again. False when there is none.
    pub fn undo(&mut self) -> bool {
        let Some((key, before, at)) = self.history.pop() else { return false };
        match before {
            Some(d) => self.decisions.insert(key.clone(), d),
            None => self.decisions.remove(&key),
        };
        // Back to that conflict, found by key: a replan since may have moved it.
        self.current = self.keys.iter().position(|k| *k == key).unwrap_or(at).min(self.keys.len().saturating_sub(1));
        true
    }

    /// True when there is a decision to undo.
    pub fn can_undo(&self) -> bool {
        !self.history.is_empty()
    }

    /// Shows the next conflict (decided or not), staying on the last.
    pub fn next(&mut self) {
        if self.current + 1 < self.keys.len() {
            self.current += 1;
        }
    }

    /// Shows the previous conflict, staying on the first.
    pub fn previous(&mut self) {
        self.current = self.current.saturating_sub(1);
    }

    /// The first undecided conflict at or after `from`, wrapping round to the start.
    fn undecided_from(&self, from: usize) -> Option<usize> {
        let n = self.keys.len();
        (0..n).map(|i| (from + i) % n).find(|&i| !self.decisions.contains_key(&self.keys[i]))
    }
}

impl Plan {
    /// The conflicts' keys, in order.
    pub fn keys(&self) -> Vec<String> {
        self.conflicts.iter().map(|c| c.key.clone()).collect()
    }
}

impl Decision {
    /// The decision in a few words a line can hold: `take 2`, `reject`,
    /// `edit 14 18 entity person`.
    pub fn encode(&self) -> String {
        match self {
            Decision::Take(i) => format!("take {i}"),
            Decision::Reject => "reject".to_owned(),
            Decision::Edit(v) => format!("edit {} {} {}{}", v.start, v.end, v.label, v.entity_type.as_deref().map(|t| format!(" {t}")).unwrap_or_default()),
        }
    }

    /// The decision [`Decision::encode`] wrote, if it reads.
    pub fn decode(s: &str) -> Option<Decision> {
        let mut w = s.split(' ');
        match w.next()? {
            "take" => w.next()?.parse().ok().map(Decision::Take),
            "reject" => Some(Decision::Reject),
            "edit" => {
                let (start, end) = (w.next()?.parse().ok()?, w.next()?.parse().ok()?);
                let label = w.next()?.to_owned();
                Some(Decision::Edit(Version { start, end, label, entity_type: w.next().map(str::to_owned) }))
            }
            _ => None,
        }
    }
}

/// Decisions as text, one `key<TAB>decision` line each (keys and label ids hold no tabs or
/// line breaks): how the browser keeps them and how they travel to the worker.
pub fn encode_decisions(decisions: &BTreeMap<String, Decision>) -> String {
    decisions.iter().map(|(k, d)| format!("{k}\t{}\n", d.encode())).collect()
}

/// The decisions [`encode_decisions`] wrote; lines that do not read are skipped.
pub fn decode_decisions(text: &str) -> BTreeMap<String, Decision> {
    text.lines().filter_map(|l| l.split_once('\t')).filter_map(|(k, d)| Some((k.to_owned(), Decision::decode(d)?))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        agreement::tests::set,
        model::{CharRange, Document, Origin, Relation, Span},
    };

    fn v(start: usize, end: usize, label: &str, ty: Option<&str>) -> Version {
        Version { start, end, label: label.into(), entity_type: ty.map(Into::into) }
    }

    // "Jane Roe said Acme will grow." Jane Roe 0..8, Acme 14..18, the claim 14..29.
    fn doc() -> Document {
        Document::new("d", "Jane Roe said Acme will grow.", Origin::User)
    }

    #[test]
    fn agreed_spans_are_merged_at_once_and_the_rest_are_conflicts_by_kind() {
        let d = doc();
        let a = set("a", &d, &[(0, 8, "entity", Some("person")), (14, 18, "entity", Some("organisation")), (14, 29, "claim", None)]);
        let b = set("b", &d, &[(0, 8, "entity", Some("person")), (14, 18, "entity", Some("person")), (14, 28, "claim", None)]);
        let c = set("c", &d, &[(0, 8, "entity", Some("person")), (14, 18, "entity", Some("organisation"))]);
        let p = plan(&[&a, &b, &c], 3, 0.5);
        assert_eq!(p.agreed.len(), 1);
        assert_eq!(p.agreed[0].provenance, Provenance::Unanimous { from: vec!["a".into(), "b".into(), "c".into()] });
        let kinds: Vec<ConflictKind> = p.conflicts.iter().map(|c| c.kind).collect();
        // Acme: ORG in a and c, PERSON in b (a label conflict); the claim: a and b differ at
        // the end, c has none.
        assert_eq!(kinds, vec![ConflictKind::Label, ConflictKind::Boundary]);
        assert_eq!(p.conflicts[0].versions[1], vec![v(14, 18, "entity", Some("person"))]);
        assert!(p.conflicts[1].versions[2].is_empty());

        // Two of three is enough at k = 2: Acme as ORG is a majority.
        let p = plan(&[&a, &b, &c], 2, 0.5);
        let org = p.agreed.iter().find(|g| g.version == v(14, 18, "entity", Some("organisation"))).unwrap();
        assert_eq!(org.provenance, Provenance::Majority { votes: 2, of: 3, from: vec!["a".into(), "c".into()] });
        // b's PERSON reading of Acme is left alone as a span only b has.
        assert!(p.conflicts.iter().any(|c| c.kind == ConflictKind::Missing && c.versions[1] == vec![v(14, 18, "entity", Some("person"))]));
    }

    #[test]
    fn decisions_make_the_gold_set_with_provenance_and_survive_a_rerun() {
        let d = doc();
        let a = set("a", &d, &[(0, 8, "entity", Some("person")), (14, 29, "claim", None)]);
        let mut b = set("b", &d, &[(0, 8, "entity", Some("person")), (14, 28, "claim", None), (9, 13, "quote", None)]);
        let p = plan(&[&a, &b], 2, 0.5);
        assert_eq!(p.conflicts.len(), 2, "{:?}", p.conflicts);
        let claim = p.conflicts.iter().find(|c| c.kind == ConflictKind::Boundary).unwrap().key.clone();
        let quote = p.conflicts.iter().find(|c| c.kind == ConflictKind::Missing).unwrap().key.clone();
        let mut decisions = BTreeMap::from([(claim.clone(), Decision::Take(0))]);
        assert_eq!(p.decided(&decisions), 1);
        let gold = p.gold(&decisions);
        assert_eq!(gold.iter().map(|g| g.version.clone()).collect::<Vec<_>>(), vec![v(0, 8, "entity", Some("person")), v(14, 29, "claim", None)]);
        assert_eq!(gold[1].provenance, Provenance::Adjudicated { edited: false, from: vec!["a".into()] });
        decisions.insert(quote.clone(), Decision::Reject);
        assert_eq!(p.gold(&decisions).len(), 2);
        decisions.insert(quote, Decision::Edit(v(9, 13, "claim", None)));
        let gold = p.gold(&decisions);
        assert!(gold.iter().any(|g| g.version == v(9, 13, "claim", None) && g.provenance == Provenance::Adjudicated { edited: true, from: vec![] }));

        // b changes its quote: the claim's conflict is untouched and keeps its decision; the
        // quote's is new and undecided.
        b.remove_span(3).unwrap();
        b.insert_span(Span { id: 9, range: CharRange::new(9, 12, 29).unwrap(), label: "quote".into(), entity_type: None, note: None, provenance: None }, 29)
            .unwrap();
        let again = plan(&[&a, &b], 2, 0.5);
        assert!(again.conflicts.iter().any(|c| c.key == claim));
        assert_eq!(again.decided(&decisions), 1);
    }

    #[test]
    fn links_are_agreed_or_conflicts_and_the_gold_set_carries_spans_links_and_provenance() {
        let d = doc();
        let mut a = set("a", &d, &[(0, 8, "entity", Some("person")), (14, 29, "claim", None)]);
        let mut b = set("b", &d, &[(0, 8, "entity", Some("person")), (14, 29, "claim", None), (9, 13, "quote", None)]);
        a.insert_relation(Relation { id: 10, kind: "claimant".into(), from: 2, to: 1 }).unwrap();
        b.insert_relation(Relation { id: 10, kind: "claimant".into(), from: 2, to: 1 }).unwrap();
        b.insert_relation(Relation { id: 11, kind: "speaker".into(), from: 3, to: 1 }).unwrap();
        let p = plan(&[&a, &b], 2, 0.5);
        assert_eq!(p.agreed_links.len(), 1);
        let kinds: Vec<ConflictKind> = p.conflicts.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, vec![ConflictKind::Missing, ConflictKind::Relation], "span conflicts first, then links");
        let (quote, link) = (p.conflicts[0].key.clone(), p.conflicts[1].key.clone());
        assert!(p.conflicts[1].versions[0].is_empty() && p.conflicts[1].versions[1].len() == 2);

        // Taking b's link without its quote: the link has no end in gold and is left out.
        let mut decisions = BTreeMap::from([(link.clone(), Decision::Take(1)), (quote.clone(), Decision::Reject)]);
        let (gold, left_out) = p.gold_set(&decisions, &d, "gold".into(), "Gold".into(), "Ada".into(), "t");
        assert!(left_out.is_empty());
        assert_eq!(gold.spans().len(), 2);
        assert_eq!(gold.relations().len(), 1, "only the agreed claimant link");
        assert_eq!(gold.spans()[0].provenance, Some(Provenance::Unanimous { from: vec!["a".into(), "b".into()] }));

        // Taking the quote too brings the speaker link.
        decisions.insert(quote, Decision::Take(1));
        let (gold, _) = p.gold_set(&decisions, &d, "gold".into(), "Gold".into(), "Ada".into(), "t");
        assert_eq!(gold.spans().len(), 3);
        let kinds: Vec<&str> = gold.relations().iter().map(|r| r.kind.as_str()).collect();
        assert_eq!(kinds, vec!["speaker", "claimant"], "in the order of the spans they link from");
        let quote = gold.spans().iter().find(|s| s.label == "quote").unwrap();
        assert_eq!(quote.provenance, Some(Provenance::Adjudicated { edited: false, from: vec!["b".into()] }));
        assert_eq!(gold.annotator, "Ada");

        // Rejecting the link keeps it out.
        decisions.insert(link, Decision::Reject);
        let (gold, _) = p.gold_set(&decisions, &d, "gold".into(), "Gold".into(), "Ada".into(), "t");
        assert_eq!(gold.relations().len(), 1);
    }

    #[test]
    fn a_gold_span_the_set_cannot_hold_beside_another_type_is_reported() {
        let d = doc();
        let a = set("a", &d, &[(14, 18, "entity", Some("organisation"))]);
        let b = set("b", &d, &[(14, 18, "entity", Some("person"))]);
        let c = set("c", &d, &[(14, 18, "entity", Some("organisation"))]);
        let p = plan(&[&a, &b, &c], 2, 0.5);
        let missing = p.conflicts[0].key.clone();
        let (gold, left_out) = p.gold_set(&BTreeMap::from([(missing, Decision::Take(1))]), &d, "g".into(), "G".into(), String::new(), "t");
        assert_eq!(gold.spans().len(), 1);
        assert_eq!(left_out.len(), 1);
        assert_eq!(left_out[0].version, v(14, 18, "entity", Some("person")));
    }

    #[test]
    fn an_adjudication_walks_the_conflicts_undoes_decisions_and_keeps_them_over_a_new_plan() {
        let d = doc();
        let a = set("a", &d, &[(0, 8, "entity", Some("person")), (14, 29, "claim", None), (14, 18, "entity", Some("organisation"))]);
        let mut b = set("b", &d, &[(0, 7, "entity", Some("person")), (14, 28, "claim", None), (14, 18, "entity", Some("person"))]);
        let mut adj = Adjudication::new(plan(&[&a, &b], 2, 0.5).keys(), 2, BTreeMap::new());
        assert_eq!(adj.progress(), (0, 3));
        assert_eq!(adj.current, 0);
        let first = adj.key().unwrap().to_owned();
        assert!(!adj.decide(Decision::Take(2)), "there is no third set");
        assert!(adj.decide(Decision::Take(1)));
        assert_eq!((adj.progress(), adj.current), ((1, 3), 1), "on to the next undecided");
        assert!(adj.decide(Decision::Reject));
        assert!(adj.decide(Decision::Take(0)));
        assert_eq!(adj.progress(), (3, 3));
        assert_eq!(adj.current, 2, "nothing left undecided: it stays");
        // Undo walks back, one decision at a time, to the conflict it was taken on.
        assert!(adj.undo());
        assert_eq!((adj.progress(), adj.current), ((2, 3), 2));
        adj.previous();
        adj.previous();
        adj.previous();
        assert_eq!(adj.current, 0);
        assert_eq!(adj.decision(), Some(&Decision::Take(1)));
        adj.next();
        assert_eq!(adj.decision(), Some(&Decision::Reject));
        // b changes where the first conflict was: that decision stays stored, the others
        // still apply, and the new conflict is undecided.
        b.remove_span(1).unwrap();
        adj.replan(plan(&[&a, &b], 2, 0.5).keys());
        assert!(adj.decisions.contains_key(&first));
        assert_eq!(adj.progress(), (1, 3));
        assert_eq!(adj.decision(), Some(&Decision::Reject), "the conflict on screen stays on screen");
        while adj.undo() {}
        assert_eq!(adj.progress(), (0, 3));
        assert!(!adj.can_undo());
    }

    #[test]
    fn undo_after_a_replan_goes_back_to_the_conflict_by_key() {
        let mut adj = Adjudication::new(vec!["k0".into(), "k1".into()], 2, BTreeMap::new());
        assert!(adj.decide(Decision::Take(0)));
        adj.replan(vec!["new".into(), "k0".into(), "k1".into()]);
        assert!(adj.undo());
        assert_eq!(adj.key(), Some("k0"), "not the conflict that took its place");
        assert!(adj.decisions.is_empty());
    }

    #[test]
    fn k_is_at_least_a_majority_so_contradicting_versions_are_never_both_agreed() {
        let d = doc();
        let org = |id| set(id, &d, &[(14, 18, "entity", Some("organisation"))]);
        let person = |id| set(id, &d, &[(14, 18, "entity", Some("person"))]);
        let (a, b, c, e) = (org("a"), org("b"), person("c"), person("e"));
        let p = plan(&[&a, &b, &c, &e], 2, 0.5);
        assert!(p.agreed.is_empty(), "2 of 4 is no majority: {:?}", p.agreed);
        assert_eq!(p.conflicts.len(), 1);
        assert_eq!(p.conflicts[0].kind, ConflictKind::Label);
        assert_eq!(majority(2), 2);
        assert_eq!(majority(3), 2);
    }

    #[test]
    fn decisions_travel_as_lines_of_text() {
        let decisions = BTreeMap::from([
            ("0-8-entity-person|0-7-entity-person".to_owned(), Decision::Take(1)),
            ("link:1-2-quote>3-4-entity:speaker:01".to_owned(), Decision::Reject),
            ("9-13-quote-|".to_owned(), Decision::Edit(v(9, 13, "entity", Some("person")))),
            ("x".to_owned(), Decision::Edit(v(1, 2, "claim", None))),
        ]);
        let text = encode_decisions(&decisions);
        assert_eq!(decode_decisions(&text), decisions);
        assert!(decode_decisions("k\ttake two\nbroken line\nk2\treject\n").len() == 1, "lines that do not read are skipped");
    }

    #[test]
    fn the_plan_does_not_depend_on_the_order_spans_were_added() {
        let d = doc();
        let a = set("a", &d, &[(14, 29, "claim", None), (0, 8, "entity", Some("person"))]);
        let b = set("b", &d, &[(0, 8, "entity", Some("person")), (14, 28, "claim", None)]);
        let a2 = set("a", &d, &[(0, 8, "entity", Some("person")), (14, 29, "claim", None)]);
        assert_eq!(plan(&[&a, &b], 2, 0.5), plan(&[&a2, &b], 2, 0.5));
    }

    #[test]
    fn a_lone_set_or_nothing_to_merge_plans_sensibly() {
        let d = doc();
        let a = set("a", &d, &[(0, 8, "entity", Some("person"))]);
        let p = plan(&[&a], 2, 0.5);
        assert_eq!(p.agreed.len(), 1, "k is at most the number of sets");
        let empty = set("e", &d, &[]);
        let p = plan(&[&empty, &empty.clone()], 2, 0.5);
        assert!(p.agreed.is_empty() && p.conflicts.is_empty());
    }
}
