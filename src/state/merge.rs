//! What merging an uploaded file adds to the workspace: planned by
//! [`crate::formats::merge::plan`], applied as one undoable [`super::Action::Import`].

use crate::model::{AnnotationSet, Document, LabelSet};

/// What to add, and what the user should be told.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Merge {
    /// The workspace labels plus any the file brings.
    pub labels: LabelSet,
    /// New documents.
    pub documents: Vec<Document>,
    /// New sets.
    pub sets: Vec<AnnotationSet>,
    /// One line per decision.
    pub messages: Vec<String>,
}
