//! Merging an uploaded file into the workspace without overwriting anything.
//!
//! A document already present with the same text is reused; one with the same id but other
//! text is added under a new id. A set identical to one present is skipped; a set whose id
//! is taken by a different set is added as a copy with a new id and "(uploaded)" in its name.
//! Every such decision is reported to the user. The plan is a [`Merge`]; the state applies
//! it as one undoable import.

use super::Imported;
use crate::{model::Workspace, state::merge::Merge};

/// Plans the merge of `imported` into `ws`.
pub fn plan(ws: &Workspace, imported: Imported) -> Merge {
    let mut out = Merge { labels: ws.labels.clone(), ..Merge::default() };
    for l in imported.labels.labels {
        if out.labels.label(&l.id).is_none() {
            let name = l.name.clone();
            if out.labels.add_label(l).is_ok() {
                out.messages.push(format!("Added the label “{name}”."));
            }
        }
    }
    for t in imported.labels.entity_types {
        if out.labels.entity_type(&t.id).is_none() {
            let _ = out.labels.add_entity_type(t);
        }
    }
    for r in imported.labels.relation_types {
        if out.labels.relation_type(&r.id).is_none() {
            let _ = out.labels.add_relation_type(r);
        }
    }
    let mut renamed_docs: Vec<(String, String)> = Vec::new();
    for mut doc in imported.documents {
        match ws.document(&doc.id) {
            Some(existing) if existing.sha256 == doc.sha256 => {}
            Some(_) => {
                let new_id = unique(|id| ws.document(id).is_some(), &format!("{}-uploaded", doc.id));
                out.messages
                    .push(format!("The article “{}” differs from the one here with the same id; it was added as a separate article.", doc.header.title));
                renamed_docs.push((doc.id.clone(), new_id.clone()));
                doc.id = new_id;
                out.documents.push(doc);
            }
            None => out.documents.push(doc),
        }
    }
    for mut set in imported.sets {
        if let Some((_, new_id)) = renamed_docs.iter().find(|(old, _)| *old == set.doc_id) {
            set.doc_id = new_id.clone();
        }
        match ws.set(&set.id) {
            Some(existing) if *existing == set => {
                out.messages.push(format!("The set “{}” is already here, unchanged; skipped.", set.name));
            }
            Some(existing) => {
                let taken = |id: &str| ws.set(id).is_some() || out.sets.iter().any(|s| s.id == id);
                let new_id = unique(taken, &format!("{}-uploaded", set.id));
                out.messages.push(format!(
                    "A different set “{}” is already here; the uploaded one was added as “{} (uploaded)”, and the one here was kept.",
                    existing.name, set.name
                ));
                set.id = new_id;
                set.name = format!("{} (uploaded)", set.name);
                out.sets.push(set);
            }
            None => out.sets.push(set),
        }
    }
    out
}

fn unique(taken: impl Fn(&str) -> bool, base: &str) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    (2..).map(|n| format!("{base}-{n}")).find(|id| !taken(id)).expect("some id is free")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        fixture,
        formats::native,
        state::{Action, State},
    };

    #[test]
    fn identical_sets_are_skipped_and_different_ones_kept_apart() {
        let ws = fixture::workspace("[quote:Acme] grows");
        let file = native::load(&native::save_workspace(&ws), &[]).unwrap().imported;
        let m = plan(&ws, file.clone());
        assert!(m.sets.is_empty() && m.documents.is_empty());
        assert_eq!(m.messages, vec!["The set “Fixture” is already here, unchanged; skipped."]);

        let mut st = State::new(ws.clone());
        st.dispatch(Action::AddSpan { set: "set".into(), start: 5, end: 10, label: "claim".into(), entity_type: None }, "t").unwrap();
        let m = plan(&st.workspace, file);
        assert_eq!(m.sets.len(), 1);
        assert_eq!(m.sets[0].id, "set-uploaded");
        assert_eq!(m.sets[0].name, "Fixture (uploaded)");
        assert!(m.messages[0].contains("the one here was kept"));
    }
}
