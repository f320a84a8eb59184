//! The annotation model: documents, labels, spans, relations, annotation sets and the
//! workspace that holds them. Plain Rust, no browser types, tested natively.

pub mod caret;
pub mod document;
pub mod labels;
pub mod offsets;
pub mod set;
pub mod workspace;

pub use document::{DocId, Document, Header, Origin, UserTextError};
pub use labels::{EntityType, Label, LabelId, LabelSet, RelationType};
pub use offsets::{CharRange, IndexParts, OffsetError, OffsetIndex, Unit};
pub use set::{AnnotationSet, Provenance, Relation, RelationId, SetError, SetId, Span, SpanId};
pub use workspace::{Workspace, WorkspaceError};
