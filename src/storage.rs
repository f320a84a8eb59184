//! What is saved in the browser, and how it is read back. The browser calls live in the
//! shell (`components::persist`); this part is pure and tested natively.
//!
//! The workspace is saved as Spanwright JSON under [`KEY`]. Restoring never loses data: if
//! the saved text cannot be read, the shell copies it to a key of its own before anything is
//! written, and the app starts from the bundled articles and says so.

use crate::{
    formats::native,
    model::{Document, Workspace},
};

/// Where the workspace is saved.
pub const KEY: &str = "spanwright.workspace";
/// Where saved text that could not be read is kept aside, untouched.
pub const UNREADABLE_KEY: &str = "spanwright.workspace.unreadable";

/// The workspace to start from, and what went wrong on the way, if anything.
#[derive(Debug)]
pub struct Restored {
    /// The workspace.
    pub workspace: Workspace,
    /// A message for the user when the saved state was unreadable or partly refused.
    pub problem: Option<String>,
    /// True when the saved text must be kept aside before the app saves over it.
    pub keep_aside: bool,
}

/// Rebuilds the workspace from what was saved (if anything) and the bundled articles, which
/// are always present.
pub fn restore(saved: Option<&str>, bundled: Vec<Document>) -> Restored {
    let Some(saved) = saved else {
        return Restored { workspace: Workspace::with_documents(bundled), problem: None, keep_aside: false };
    };
    match native::load(saved, &[]) {
        Ok(loaded) => {
            let refused = loaded.imported.refused.clone();
            let mut ws = loaded.into_workspace();
            for doc in bundled {
                if ws.document(&doc.id).is_none() {
                    let index = ws.documents().len();
                    ws.insert_document(index, doc.into()).expect("id checked absent");
                }
            }
            let problem = (!refused.is_empty()).then(|| {
                let list: Vec<String> = refused.iter().take(5).map(|p| p.to_string()).collect();
                format!(
                    "Some saved annotations could not be read and were left out ({}); the saved copy was kept aside and can be downloaded. {}",
                    refused.len(),
                    list.join("; ")
                )
            });
            Restored { workspace: ws, keep_aside: problem.is_some(), problem }
        }
        Err(e) => Restored {
            workspace: Workspace::with_documents(bundled),
            problem: Some(format!("Your saved work could not be read ({e}). It was kept aside, untouched, and can be downloaded.")),
            keep_aside: true,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{fixture, seeds};

    #[test]
    fn nothing_saved_starts_from_the_seeds() {
        let r = restore(None, seeds::documents());
        assert_eq!(r.workspace.documents().len(), 2);
        assert!(r.problem.is_none());
    }

    #[test]
    fn saved_work_comes_back_with_the_seeds() {
        let ws = fixture::workspace("[quote:Acme] x");
        let r = restore(Some(&native::save_workspace(&ws)), seeds::documents());
        assert_eq!(r.workspace.documents().len(), 3);
        assert_eq!(r.workspace.set("set"), ws.set("set"));
        assert!(!r.keep_aside);
    }

    #[test]
    fn unreadable_saves_are_kept_aside_and_explained() {
        let r = restore(Some("{\"format\": \"spanwright\", \"version\": 7}"), seeds::documents());
        assert!(r.keep_aside);
        assert_eq!(r.workspace.documents().len(), 2);
        assert!(r.problem.unwrap().contains("format version 7 is not supported"));
    }
}
