//! Spans, relations and annotation sets.
//!
//! An annotation set is one annotator's work on one document: its spans, kept in document
//! order (start ascending, longer first, then id), and typed relations between them. The set
//! keeps its own invariants: span ids and relation ids are unique, no two spans have the same
//! range and label, every span lies inside the document, and every relation joins two spans
//! of the set.

use serde::{Deserialize, Serialize};

use super::{labels::LabelId, offsets::CharRange, DocId, Document};

/// A span id, unique within its set.
pub type SpanId = u64;
/// A relation id, unique within its set.
pub type RelationId = u64;
/// An annotation set id, unique within a workspace.
pub type SetId = String;

/// A labelled range of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// Id within the set.
    pub id: SpanId,
    /// The range, in code points.
    pub range: CharRange,
    /// Label id.
    pub label: LabelId,
    /// Entity type id, for spans whose label takes types.
    pub entity_type: Option<LabelId>,
    /// The annotator's note.
    pub note: Option<String>,
    /// Where the span came from, when it was not simply tagged in its set.
    pub provenance: Option<Provenance>,
}

/// Where a span came from, when it was not simply tagged in its set: merged into a gold set
/// (how, and from which sets), or accepted from a suggestion (and which). Kept in Spanwright
/// JSON as `{"how": "majority", "votes": 2, "of": 3, "from": ["set-a", "set-b"]}` and the like.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "how", rename_all = "snake_case")]
pub enum Provenance {
    /// Every adjudicated set had exactly this span.
    Unanimous {
        /// The sets that had it.
        from: Vec<SetId>,
    },
    /// At least the required number of sets had exactly this span.
    Majority {
        /// How many sets had it.
        votes: usize,
        /// Of how many.
        of: usize,
        /// The sets that had it.
        from: Vec<SetId>,
    },
    /// Decided at a conflict: one set's version taken, or a version edited by hand.
    Adjudicated {
        /// True when edited by hand rather than taken from a set.
        edited: bool,
        /// The sets that had exactly this span (none when edited).
        from: Vec<SetId>,
    },
    /// Accepted from a suggestion.
    Suggested {
        /// What suggested it: `dictionary`, `gazetteer` or `quote cue`.
        source: String,
        /// Why, as shown to the user ("Lavrov → Person (3×)").
        detail: String,
    },
}

impl Provenance {
    /// The sets a gold span came from (none for a suggestion or a hand edit).
    pub fn from(&self) -> &[SetId] {
        match self {
            Provenance::Unanimous { from } | Provenance::Majority { from, .. } | Provenance::Adjudicated { from, .. } => from,
            Provenance::Suggested { .. } => &[],
        }
    }
}

/// A suggestion the annotator rejected in a set: the same range, label and type is not
/// suggested in that set again. Kept in Spanwright JSON as `rejected_suggestions`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Rejection {
    /// First code point.
    pub start: usize,
    /// Code point after the last.
    pub end: usize,
    /// Label id.
    pub label: LabelId,
    /// Entity type id, for typed labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_type: Option<LabelId>,
}

/// A typed, directed link between two spans: `from` is attributed to `to`, say.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    /// Id within the set.
    pub id: RelationId,
    /// Relation type id ("speaker").
    pub kind: LabelId,
    /// The quote or claim.
    pub from: SpanId,
    /// The entity.
    pub to: SpanId,
}

/// One annotator's spans and relations on one document.
///
/// Equality compares content, not the id counter: ids are never reused within a session
/// (undo does not give an id back), and a loaded set starts counting after its largest id.
#[derive(Clone, Debug)]
pub struct AnnotationSet {
    /// Stable id.
    pub id: SetId,
    /// Name shown to the user.
    pub name: String,
    /// Who made it.
    pub annotator: String,
    /// The document annotated.
    pub doc_id: DocId,
    /// SHA-256 of the document text the offsets count.
    pub doc_sha256: String,
    /// When the set was created (ISO 8601, from the caller's clock).
    pub created: String,
    /// When it last changed.
    pub updated: String,
    /// The suggestions rejected in this set, which are not suggested in it again.
    pub rejected: std::collections::BTreeSet<Rejection>,
    /// The annotator marked the document done in this set ("Mark done").
    pub done: bool,
    /// Suggestions are switched on in this set ("Suggest spans"), so they are worked out
    /// whenever it is on screen.
    pub suggestions: bool,
    spans: Vec<Span>,
    relations: Vec<Relation>,
    next_id: u64,
    /// Each span's start by id, so finding a span by id is a binary search, not a scan (a
    /// scan per span made loading 10,000 spans quadratic).
    starts: std::collections::BTreeMap<SpanId, usize>,
}

/// Why a change to a set was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SetError {
    /// Same range and label as an existing span.
    #[error("there is already a “{label}” span at {range}")]
    DuplicateSpan {
        /// The range.
        range: CharRange,
        /// The label.
        label: LabelId,
    },
    /// The span id is in use.
    #[error("span id {0} is already in use")]
    SpanIdTaken(SpanId),
    /// No span with this id.
    #[error("there is no span {0}")]
    NoSuchSpan(SpanId),
    /// The range is past the end of the document.
    #[error("the range {range} is past the end of the document ({len} characters)")]
    OutOfBounds {
        /// The range.
        range: CharRange,
        /// The document's length.
        len: usize,
    },
    /// The relation id is in use.
    #[error("relation id {0} is already in use")]
    RelationIdTaken(RelationId),
    /// No relation with this id.
    #[error("there is no relation {0}")]
    NoSuchRelation(RelationId),
    /// A relation names a span that is not in the set.
    #[error("relation {relation} points to span {span}, which is not in the set")]
    DanglingRelation {
        /// The relation.
        relation: RelationId,
        /// The missing span.
        span: SpanId,
    },
    /// A span related to itself.
    #[error("a span cannot be related to itself")]
    SelfRelation,
    /// The same relation exists.
    #[error("span {from} is already linked to span {to} as {kind}")]
    DuplicateRelation {
        /// Type.
        kind: LabelId,
        /// From span.
        from: SpanId,
        /// To span.
        to: SpanId,
    },
}

impl PartialEq for AnnotationSet {
    fn eq(&self, o: &Self) -> bool {
        (&self.id, &self.name, &self.annotator, &self.doc_id, &self.doc_sha256, &self.created, &self.updated, self.done, self.suggestions)
            == (&o.id, &o.name, &o.annotator, &o.doc_id, &o.doc_sha256, &o.created, &o.updated, o.done, o.suggestions)
            && self.spans == o.spans
            && self.relations == o.relations
            && self.rejected == o.rejected
    }
}

impl Eq for AnnotationSet {}

fn order_key(s: &Span) -> (usize, std::cmp::Reverse<usize>, SpanId) {
    (s.range.start(), std::cmp::Reverse(s.range.end()), s.id)
}

impl AnnotationSet {
    /// An empty set on `doc`.
    pub fn new(id: impl Into<SetId>, name: impl Into<String>, annotator: impl Into<String>, doc: &Document, at: &str) -> Self {
        AnnotationSet {
            id: id.into(),
            name: name.into(),
            annotator: annotator.into(),
            doc_id: doc.id.clone(),
            doc_sha256: doc.sha256.clone(),
            created: at.to_owned(),
            updated: at.to_owned(),
            rejected: Default::default(),
            done: false,
            suggestions: false,
            spans: Vec::new(),
            relations: Vec::new(),
            next_id: 1,
            starts: Default::default(),
        }
    }

    /// The spans in document order.
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// The relations, by id.
    pub fn relations(&self) -> &[Relation] {
        &self.relations
    }

    /// The span with this id.
    pub fn span(&self, id: SpanId) -> Option<&Span> {
        self.index_of(id).map(|i| &self.spans[i])
    }

    /// Where the span with this id is in [`AnnotationSet::spans`].
    fn index_of(&self, id: SpanId) -> Option<usize> {
        let start = *self.starts.get(&id)?;
        let first = self.spans.partition_point(|s| s.range.start() < start);
        self.spans[first..].iter().take_while(|s| s.range.start() == start).position(|s| s.id == id).map(|i| first + i)
    }

    /// The relation with this id.
    pub fn relation(&self, id: RelationId) -> Option<&Relation> {
        // Kept in id order (see insert_relation).
        self.relations.binary_search_by_key(&id, |r| r.id).ok().map(|i| &self.relations[i])
    }

    /// An id no span or relation of this set has used.
    pub fn fresh_id(&self) -> u64 {
        self.next_id
    }

    fn claim_id(&mut self, id: u64) {
        self.next_id = self.next_id.max(id + 1);
    }

    /// Adds a span, keeping document order. `doc_len` is the document's length in code points.
    pub fn insert_span(&mut self, span: Span, doc_len: usize) -> Result<(), SetError> {
        if span.range.end() > doc_len {
            return Err(SetError::OutOfBounds { range: span.range, len: doc_len });
        }
        if self.starts.contains_key(&span.id) {
            return Err(SetError::SpanIdTaken(span.id));
        }
        self.check_unique(&span, None)?;
        let at = self.spans.partition_point(|s| order_key(s) < order_key(&span));
        self.claim_id(span.id);
        self.starts.insert(span.id, span.range.start());
        self.spans.insert(at, span);
        Ok(())
    }

    fn check_unique(&self, span: &Span, except: Option<SpanId>) -> Result<(), SetError> {
        let first = self.spans.partition_point(|s| s.range.start() < span.range.start());
        let clash = self.spans[first..]
            .iter()
            .take_while(|s| s.range.start() == span.range.start())
            .any(|s| Some(s.id) != except && s.range == span.range && s.label == span.label);
        match clash {
            true => Err(SetError::DuplicateSpan { range: span.range, label: span.label.clone() }),
            false => Ok(()),
        }
    }

    /// Replaces the span with the same id (new range, label, type or note), returning the old
    /// one.
    pub fn replace_span(&mut self, span: Span, doc_len: usize) -> Result<Span, SetError> {
        if span.range.end() > doc_len {
            return Err(SetError::OutOfBounds { range: span.range, len: doc_len });
        }
        let at = self.index_of(span.id).ok_or(SetError::NoSuchSpan(span.id))?;
        self.check_unique(&span, Some(span.id))?;
        let old = self.spans.remove(at);
        let to = self.spans.partition_point(|s| order_key(s) < order_key(&span));
        self.starts.insert(span.id, span.range.start());
        self.spans.insert(to, span);
        Ok(old)
    }

    /// Removes a span and the relations that touch it, returning both.
    pub fn remove_span(&mut self, id: SpanId) -> Result<(Span, Vec<Relation>), SetError> {
        let at = self.index_of(id).ok_or(SetError::NoSuchSpan(id))?;
        let span = self.spans.remove(at);
        self.starts.remove(&id);
        let (gone, kept) = std::mem::take(&mut self.relations).into_iter().partition(|r| r.from == id || r.to == id);
        self.relations = kept;
        Ok((span, gone))
    }

    /// Adds a relation between two spans of the set.
    pub fn insert_relation(&mut self, relation: Relation) -> Result<(), SetError> {
        if self.relation(relation.id).is_some() {
            return Err(SetError::RelationIdTaken(relation.id));
        }
        if relation.from == relation.to {
            return Err(SetError::SelfRelation);
        }
        for span in [relation.from, relation.to] {
            if self.span(span).is_none() {
                return Err(SetError::DanglingRelation { relation: relation.id, span });
            }
        }
        if self.relations.iter().any(|r| r.from == relation.from && r.to == relation.to && r.kind == relation.kind) {
            return Err(SetError::DuplicateRelation { kind: relation.kind, from: relation.from, to: relation.to });
        }
        self.claim_id(relation.id);
        let at = self.relations.partition_point(|r| r.id < relation.id);
        self.relations.insert(at, relation);
        Ok(())
    }

    /// Removes a relation, returning it.
    pub fn remove_relation(&mut self, id: RelationId) -> Result<Relation, SetError> {
        let at = self.relations.binary_search_by_key(&id, |r| r.id).map_err(|_| SetError::NoSuchRelation(id))?;
        Ok(self.relations.remove(at))
    }

    /// Span counts by label id, for progress displays.
    pub fn counts(&self) -> std::collections::BTreeMap<&str, usize> {
        // A few labels, many spans: a short list beats a map lookup per span.
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for s in &self.spans {
            match counts.iter_mut().find(|(l, _)| *l == s.label) {
                Some((_, n)) => *n += 1,
                None => counts.push((&s.label, 1)),
            }
        }
        counts.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    pub(crate) fn span(id: SpanId, start: usize, end: usize, label: &str) -> Span {
        Span { id, range: CharRange::new(start, end, 100).unwrap(), label: label.into(), entity_type: None, note: None, provenance: None }
    }

    fn set() -> AnnotationSet {
        let doc = Document::new("d", "x".repeat(50), Origin::User);
        AnnotationSet::new("s", "Set", "me", &doc, "2026-01-01T00:00:00Z")
    }

    #[test]
    fn spans_keep_document_order_and_refuse_duplicates() {
        let mut s = set();
        s.insert_span(span(1, 5, 9, "quote"), 50).unwrap();
        s.insert_span(span(2, 0, 20, "claim"), 50).unwrap();
        s.insert_span(span(3, 5, 9, "entity"), 50).unwrap();
        s.insert_span(span(4, 5, 12, "entity"), 50).unwrap();
        let order: Vec<SpanId> = s.spans().iter().map(|s| s.id).collect();
        assert_eq!(order, [2, 4, 1, 3]);
        assert_eq!(s.insert_span(span(9, 5, 9, "quote"), 50), Err(SetError::DuplicateSpan { range: CharRange::new(5, 9, 50).unwrap(), label: "quote".into() }));
        assert_eq!(s.insert_span(span(1, 30, 31, "quote"), 50), Err(SetError::SpanIdTaken(1)));
        assert!(matches!(s.insert_span(span(7, 30, 60, "quote"), 50), Err(SetError::OutOfBounds { .. })));
        assert_eq!(s.fresh_id(), 5);
    }

    #[test]
    fn removing_a_span_takes_its_relations() {
        let mut s = set();
        s.insert_span(span(1, 0, 5, "quote"), 50).unwrap();
        s.insert_span(span(2, 10, 15, "entity"), 50).unwrap();
        s.insert_relation(Relation { id: 3, kind: "speaker".into(), from: 1, to: 2 }).unwrap();
        assert_eq!(
            s.insert_relation(Relation { id: 4, kind: "speaker".into(), from: 1, to: 2 }).unwrap_err(),
            SetError::DuplicateRelation { kind: "speaker".into(), from: 1, to: 2 }
        );
        assert_eq!(
            s.insert_relation(Relation { id: 4, kind: "speaker".into(), from: 1, to: 9 }).unwrap_err(),
            SetError::DanglingRelation { relation: 4, span: 9 }
        );
        assert_eq!(s.insert_relation(Relation { id: 4, kind: "x".into(), from: 1, to: 1 }).unwrap_err(), SetError::SelfRelation);
        let (gone, rels) = s.remove_span(2).unwrap();
        assert_eq!(gone.id, 2);
        assert_eq!(rels.len(), 1);
        assert!(s.relations().is_empty());
    }

    #[test]
    fn replace_moves_and_checks() {
        let mut s = set();
        s.insert_span(span(1, 0, 5, "quote"), 50).unwrap();
        s.insert_span(span(2, 10, 15, "quote"), 50).unwrap();
        let old = s.replace_span(span(1, 20, 25, "quote"), 50).unwrap();
        assert_eq!(old.range.start(), 0);
        assert_eq!(s.spans()[0].id, 2);
        assert!(matches!(s.replace_span(span(1, 10, 15, "quote"), 50), Err(SetError::DuplicateSpan { .. })));
        assert_eq!(s.replace_span(span(8, 10, 15, "quote"), 50), Err(SetError::NoSuchSpan(8)));
    }

    #[test]
    fn spans_are_found_by_id_whatever_their_order() {
        let mut s = set();
        // Ids out of document order, several spans starting at one place.
        for (id, start, end) in [(7, 30, 35), (3, 0, 5), (9, 0, 9), (1, 12, 14), (4, 0, 2)] {
            s.insert_span(span(id, start, end, "quote"), 50).unwrap();
        }
        assert_eq!(s.insert_span(span(9, 40, 45, "quote"), 50), Err(SetError::SpanIdTaken(9)));
        for id in [7, 3, 9, 1, 4] {
            assert_eq!(s.span(id).map(|x| x.id), Some(id));
        }
        s.replace_span(span(3, 31, 33, "quote"), 50).unwrap();
        s.remove_span(9).unwrap();
        assert_eq!(s.span(3).map(|x| x.range.start()), Some(31));
        assert!(s.span(9).is_none());
        assert_eq!(s.span(4).map(|x| x.range.end()), Some(2));
        s.insert_span(span(9, 1, 3, "quote"), 50).unwrap();
        assert_eq!(s.span(9).map(|x| x.range.start()), Some(1));
    }
}
