//! Which articles a download or an export takes: every article, or the articles the article
//! list shows with its filter applied. A scope takes its articles with every set on them (not
//! only the active ones), in the workspace's order, and the whole label schema comes along, so
//! a Spanwright file of a subset loads back through *Upload JSON* like any other.

use std::{collections::HashSet, sync::Arc};

use crate::model::{AnnotationSet, DocId, Document, SetId, Workspace};

/// The articles a job works on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    /// Every article.
    #[default]
    All,
    /// The articles listed when the choice was made (the filtered article list), by id.
    Listed(Vec<DocId>),
}

/// The documents and sets a scope takes, in the workspace's order.
#[derive(Debug)]
pub struct Selection<'a> {
    /// The documents.
    pub documents: Vec<&'a Arc<Document>>,
    /// Every set on those documents.
    pub sets: Vec<&'a AnnotationSet>,
}

/// The documents and sets of `ws` that `scope` takes. Listed ids no longer in the workspace
/// (an article removed since) are passed over.
pub fn select<'a>(ws: &'a Workspace, scope: &Scope) -> Selection<'a> {
    match scope {
        Scope::All => Selection { documents: ws.documents().iter().collect(), sets: ws.sets().iter().collect() },
        Scope::Listed(ids) => {
            let wanted: HashSet<&str> = ids.iter().map(String::as_str).collect();
            let documents: Vec<&Arc<Document>> = ws.documents().iter().filter(|d| wanted.contains(d.id.as_str())).collect();
            let taken: HashSet<&str> = documents.iter().map(|d| d.id.as_str()).collect();
            Selection { sets: ws.sets().iter().filter(|s| taken.contains(s.doc_id.as_str())).collect(), documents }
        }
    }
}

impl Selection<'_> {
    /// The workspace's chosen set of each selected document.
    pub fn active(&self, ws: &Workspace) -> std::collections::BTreeMap<DocId, SetId> {
        let taken: HashSet<&str> = self.documents.iter().map(|d| d.id.as_str()).collect();
        // Inserted one by one: collecting a map sorts first, which costs the page's module more.
        let mut active = std::collections::BTreeMap::new();
        for (doc, set) in ws.active.iter().filter(|(doc, _)| taken.contains(doc.as_str())) {
            active.insert(doc.clone(), set.clone());
        }
        active
    }

    /// A workspace of the selection alone: its documents (texts shared, not copied), its sets,
    /// the whole label schema and the selected documents' chosen sets.
    pub fn to_workspace(&self, ws: &Workspace) -> Workspace {
        let mut out = Workspace::default();
        out.labels = ws.labels.clone();
        out.active = self.active(ws);
        for d in &self.documents {
            out.insert_document(usize::MAX, Arc::clone(d)).expect("a workspace's document ids are unique");
        }
        for s in &self.sets {
            out.insert_set(usize::MAX, AnnotationSet::clone(s)).expect("a workspace's sets fit its documents and labels");
        }
        out
    }
}

impl Scope {
    /// How a menu names the scope: "All 2000 articles", "The 12 articles in the filtered list".
    pub fn title(&self, all: usize) -> String {
        match self {
            Scope::All => format!("All {all} article{}", plural(all)),
            Scope::Listed(ids) => listed_title(ids.len()),
        }
    }

    /// How a sentence names it: "all 2000 articles", "the 12 articles in the filtered list".
    pub fn phrase(&self, all: usize) -> String {
        let title = self.title(all);
        let mut chars = title.chars();
        chars.next().map(|c| c.to_ascii_lowercase().to_string() + chars.as_str()).unwrap_or_default()
    }
}

/// How a menu names a filtered list of `n` articles: "The 12 articles in the filtered list".
pub fn listed_title(n: usize) -> String {
    format!("The {n} article{} in the filtered list", plural(n))
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus() -> Workspace {
        crate::fixture::corpus("2026-11-24T00:00:00Z")
    }

    fn ids<'a>(sel: &Selection<'a>) -> (Vec<&'a str>, Vec<&'a str>) {
        (sel.documents.iter().map(|d| d.id.as_str()).collect(), sel.sets.iter().map(|s| s.id.as_str()).collect())
    }

    #[test]
    fn all_takes_every_document_and_set() {
        let ws = corpus();
        assert_eq!(ids(&select(&ws, &Scope::All)), (vec!["k", "b", "h", "z"], vec!["k1", "k2", "b1", "z1"]));
    }

    #[test]
    fn a_listed_scope_takes_its_documents_in_workspace_order_with_every_set_on_them() {
        let ws = corpus();
        // Listed sorted by title ("Flood…" first): the workspace's order is kept.
        let sel = select(&ws, &Scope::Listed(vec!["h".into(), "k".into()]));
        assert_eq!(ids(&sel), (vec!["k", "h"], vec!["k1", "k2"]));
        assert_eq!(sel.active(&ws).into_iter().collect::<Vec<_>>(), vec![("k".to_owned(), "k2".to_owned())]);
        // An article removed since the list was made is passed over; an empty list takes nothing.
        assert_eq!(ids(&select(&ws, &Scope::Listed(vec!["gone".into(), "b".into()]))), (vec!["b"], vec!["b1"]));
        assert_eq!(ids(&select(&ws, &Scope::Listed(Vec::new()))), (vec![], vec![]));
    }

    #[test]
    fn a_selection_as_a_workspace_keeps_the_labels_and_shares_the_texts() {
        let mut ws = corpus();
        ws.labels.labels[0].name = "Assertion".into();
        let sel = select(&ws, &Scope::Listed(vec!["k".into()]));
        let part = sel.to_workspace(&ws);
        assert_eq!(part.labels, ws.labels);
        assert_eq!(part.sets().iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["k1", "k2"]);
        assert_eq!(part.active.get("k").map(String::as_str), Some("k2"));
        assert!(Arc::ptr_eq(&part.documents()[0], &ws.documents()[0]));
    }

    #[test]
    fn scopes_are_named_with_their_counts() {
        assert_eq!(Scope::All.title(2000), "All 2000 articles");
        assert_eq!(Scope::All.phrase(1), "all 1 article");
        assert_eq!(Scope::Listed(vec!["a".into()]).title(9), "The 1 article in the filtered list");
        assert_eq!(Scope::Listed(vec!["a".into(), "b".into()]).phrase(9), "the 2 articles in the filtered list");
    }
}
