//! The label schema: span labels (claim, quote, entity, and the user's own), entity types
//! (person, organisation, location, and the user's own) and relation types (speaker,
//! claimant, and the user's own). Each label and type has a colour, a shortcut key and the
//! tag that training exports write.

use serde::{Deserialize, Serialize};

/// A label or type id: short, lower-case, stable (`"claim"`, `"person"`).
pub type LabelId = String;

/// A span label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// Stable id.
    pub id: LabelId,
    /// What the user sees ("Claim").
    pub name: String,
    /// The label training exports write ("CLAIM").
    pub tag: String,
    /// CSS colour, `#rrggbb`.
    pub color: String,
    /// Keyboard shortcut.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<char>,
    /// Spans with this label take an entity type.
    #[serde(default)]
    pub typed: bool,
}

/// An entity type (person, organisation, …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityType {
    /// Stable id.
    pub id: LabelId,
    /// What the user sees ("Person").
    pub name: String,
    /// The label training exports write for entities of this type ("PERSON").
    pub tag: String,
    /// CSS colour, `#rrggbb`.
    pub color: String,
    /// Key in the type picker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<char>,
}

/// A relation type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationType {
    /// Stable id, also what exports write ("speaker").
    pub id: LabelId,
    /// What the user sees ("Speaker").
    pub name: String,
}

/// Labels, entity types and relation types of a workspace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelSet {
    /// Span labels.
    pub labels: Vec<Label>,
    /// Entity types.
    pub entity_types: Vec<EntityType>,
    /// Relation types.
    pub relation_types: Vec<RelationType>,
}

/// Why a label could not be added.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LabelError {
    /// The id is taken.
    #[error("there is already a label or type with the id “{0}”")]
    Taken(String),
    /// The id is not lower-case letters, digits, `-` and `_`.
    #[error("“{0}” is not a usable id: use lower-case letters, digits, - and _")]
    BadId(String),
    /// The shortcut is used by another label.
    #[error("the key “{key}” is already the shortcut of “{by}”")]
    KeyTaken {
        /// The key.
        key: char,
        /// Who has it.
        by: String,
    },
}

impl Default for LabelSet {
    fn default() -> Self {
        let label = |id: &str, name: &str, tag: &str, color: &str, key: char, typed: bool| Label {
            id: id.into(),
            name: name.into(),
            tag: tag.into(),
            color: color.into(),
            key: Some(key),
            typed,
        };
        let ty = |id: &str, name: &str, tag: &str, color: &str, key: char| EntityType {
            id: id.into(),
            name: name.into(),
            tag: tag.into(),
            color: color.into(),
            key: Some(key),
        };
        let rel = |id: &str, name: &str| RelationType { id: id.into(), name: name.into() };
        LabelSet {
            labels: vec![
                label("claim", "Claim", "CLAIM", "#c2410c", 'c', false),
                label("quote", "Quote", "QUOTE", "#7c3aed", 'q', false),
                label("entity", "Entity", "ENTITY", "#0f766e", 'e', true),
            ],
            entity_types: vec![
                ty("person", "Person", "PERSON", "#1d4ed8", 'p'),
                ty("organisation", "Organisation", "ORG", "#b45309", 'o'),
                ty("location", "Location", "LOC", "#15803d", 'l'),
            ],
            relation_types: vec![rel("speaker", "Speaker"), rel("claimant", "Claimant")],
        }
    }
}

/// True for ids made of lower-case ASCII letters, digits, `-` and `_`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Which relation attributes a span of which label: a quote to its speaker, a claim to its
/// claimant. Taken only where the workspace has both the label and the relation type.
pub const ATTRIBUTIONS: [(&str, &str); 2] = [("quote", "speaker"), ("claim", "claimant")];

impl LabelSet {
    /// The relation type that attributes spans of `label` (a quote's speaker, a claim's
    /// claimant), if spans of that label can be attributed in this schema.
    pub fn attribution(&self, label: &str) -> Option<&RelationType> {
        let (_, kind) = ATTRIBUTIONS.iter().find(|(l, _)| *l == label)?;
        self.label(label)?;
        self.relation_type(kind)
    }

    /// This schema plus whatever `other` has that it lacks (by id), keeping everything here
    /// as it is; an added label whose key is taken comes without a key.
    pub fn merged_with(&self, other: &LabelSet) -> LabelSet {
        let mut out = self.clone();
        for l in &other.labels {
            if out.label(&l.id).is_none() && out.add_label(l.clone()).is_err() {
                // Only the key can clash: the id was checked absent.
                out.add_label(Label { key: None, ..l.clone() }).ok();
            }
        }
        for t in &other.entity_types {
            if out.entity_type(&t.id).is_none() && out.add_entity_type(t.clone()).is_err() {
                out.add_entity_type(EntityType { key: None, ..t.clone() }).ok();
            }
        }
        for r in &other.relation_types {
            if out.relation_type(&r.id).is_none() {
                out.add_relation_type(r.clone()).ok();
            }
        }
        out
    }

    /// The label with this id.
    pub fn label(&self, id: &str) -> Option<&Label> {
        self.labels.iter().find(|l| l.id == id)
    }

    /// The entity type with this id.
    pub fn entity_type(&self, id: &str) -> Option<&EntityType> {
        self.entity_types.iter().find(|t| t.id == id)
    }

    /// The relation type with this id.
    pub fn relation_type(&self, id: &str) -> Option<&RelationType> {
        self.relation_types.iter().find(|t| t.id == id)
    }

    /// The training tag of a span: its entity type's tag for typed spans, else its label's.
    pub fn tag(&self, label: &str, entity_type: Option<&str>) -> String {
        entity_type
            .and_then(|t| self.entity_type(t))
            .map(|t| t.tag.clone())
            .or_else(|| self.label(label).map(|l| l.tag.clone()))
            .unwrap_or_else(|| label.to_ascii_uppercase())
    }

    /// The label or entity type whose tag this is, as `(label, entity_type)`.
    pub fn from_tag(&self, tag: &str) -> Option<(LabelId, Option<LabelId>)> {
        if let Some(t) = self.entity_types.iter().find(|t| t.tag.eq_ignore_ascii_case(tag) || t.id == tag) {
            let typed = self.labels.iter().find(|l| l.typed)?;
            return Some((typed.id.clone(), Some(t.id.clone())));
        }
        self.labels.iter().find(|l| l.tag.eq_ignore_ascii_case(tag) || l.id == tag).map(|l| (l.id.clone(), None))
    }

    fn check_new(&self, id: &str, key: Option<char>, among_types: bool) -> Result<(), LabelError> {
        if !is_valid_id(id) {
            return Err(LabelError::BadId(id.to_owned()));
        }
        if self.label(id).is_some() || self.entity_type(id).is_some() || self.relation_type(id).is_some() {
            return Err(LabelError::Taken(id.to_owned()));
        }
        let clash = match among_types {
            false => self.labels.iter().find(|l| key.is_some() && l.key == key).map(|l| l.name.clone()),
            true => self.entity_types.iter().find(|t| key.is_some() && t.key == key).map(|t| t.name.clone()),
        };
        match (key, clash) {
            (Some(key), Some(by)) => Err(LabelError::KeyTaken { key, by }),
            _ => Ok(()),
        }
    }

    /// Adds a span label.
    pub fn add_label(&mut self, label: Label) -> Result<(), LabelError> {
        self.check_new(&label.id, label.key, false)?;
        self.labels.push(label);
        Ok(())
    }

    /// Adds an entity type.
    pub fn add_entity_type(&mut self, ty: EntityType) -> Result<(), LabelError> {
        self.check_new(&ty.id, ty.key, true)?;
        self.entity_types.push(ty);
        Ok(())
    }

    /// Adds a relation type.
    pub fn add_relation_type(&mut self, ty: RelationType) -> Result<(), LabelError> {
        self.check_new(&ty.id, None, false)?;
        self.relation_types.push(ty);
        Ok(())
    }

    /// A colour for the n-th label the user adds, from a palette readable in both themes.
    pub fn palette_color(n: usize) -> &'static str {
        const PALETTE: [&str; 8] = ["#be185d", "#4d7c0f", "#0369a1", "#a16207", "#6d28d9", "#047857", "#b91c1c", "#4338ca"];
        PALETTE[n % PALETTE.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_tags() {
        let s = LabelSet::default();
        assert_eq!(s.tag("entity", Some("organisation")), "ORG");
        assert_eq!(s.tag("entity", None), "ENTITY");
        assert_eq!(s.tag("claim", None), "CLAIM");
        assert_eq!(s.from_tag("PERSON"), Some(("entity".into(), Some("person".into()))));
        assert_eq!(s.from_tag("quote"), Some(("quote".into(), None)));
        assert_eq!(s.from_tag("EVENT"), None);
    }

    #[test]
    fn adding_labels_checks_ids_and_keys() {
        let mut s = LabelSet::default();
        let mut event = Label { id: "event".into(), name: "Event".into(), tag: "EVENT".into(), color: "#123456".into(), key: Some('c'), typed: false };
        assert_eq!(s.add_label(event.clone()), Err(LabelError::KeyTaken { key: 'c', by: "Claim".into() }));
        event.key = Some('v');
        assert_eq!(s.add_label(event.clone()), Ok(()));
        assert_eq!(s.add_label(event.clone()), Err(LabelError::Taken("event".into())));
        event.id = "Bad Id".into();
        assert_eq!(s.add_label(event), Err(LabelError::BadId("Bad Id".into())));
        let ty = EntityType { id: "product".into(), name: "Product".into(), tag: "PRODUCT".into(), color: "#000000".into(), key: Some('x') };
        assert_eq!(s.add_entity_type(ty), Ok(()));
        assert_eq!(s.from_tag("PRODUCT"), Some(("entity".into(), Some("product".into()))));
    }
}
