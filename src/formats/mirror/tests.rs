use super::*;
use crate::{
    formats::scope::{select, Scope},
    state::{Action, State},
};

/// The fixture's four articles ("k" with two sets, "b" and "z" with one, "h" with none).
fn corpus() -> State {
    State::new(crate::fixture::corpus("2026-11-24T00:00:00.001Z"))
}

fn at(st: &mut State, time: &str, actions: Vec<Action>) {
    for a in actions {
        st.dispatch(a, time).unwrap();
    }
}

/// Hands over everything `scope` takes that the worker lacks, batch by batch as the page
/// does, and returns the batches.
fn hand_over(handed: &mut Handed, held: &mut Held, ws: &Workspace, scope: &Scope, budget: usize) -> Vec<Batch> {
    let sel = select(ws, scope);
    let mut batches = Vec::new();
    while let Some(b) = handed.next_batch(ws, &sel, budget) {
        let docs = b.documents.iter().map(|d| (d.id.clone(), d.meta.clone(), d.text.to_string(), d.sha256.clone())).collect();
        held.take(docs, &b.sets).unwrap();
        batches.push(b);
    }
    batches
}

/// The worker's workspace for `scope` equals the selection made here.
fn same_as_here(held: &mut Held, ws: &Workspace, scope: &Scope) {
    let sel = select(ws, scope);
    assert_eq!(held.workspace(&manifest(ws, &sel)).unwrap(), &sel.to_workspace(ws));
}

fn handed_sets(b: &Batch) -> Vec<String> {
    if b.sets.is_empty() {
        return Vec::new();
    }
    let file: serde_json::Value = serde_json::from_str(&b.sets).unwrap();
    assert_eq!(file["documents"].as_array().map(Vec::len), Some(0), "a batch's sets carry no documents");
    file["sets"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn the_worker_builds_the_workspace_the_page_has_from_its_batches() {
    let st = corpus();
    let (mut handed, mut held) = (Handed::default(), Held::default());
    let sel = select(&st.workspace, &Scope::All);
    assert_eq!(handed.pending_articles(&sel), 4);
    // A budget of one byte: one article per batch, each whole (its document and its sets).
    let batches = hand_over(&mut handed, &mut held, &st.workspace, &Scope::All, 1);
    let got: Vec<(Vec<&str>, Vec<String>, usize)> =
        batches.iter().map(|b| (b.documents.iter().map(|d| d.id.as_str()).collect(), handed_sets(b), b.articles)).collect();
    let expected = vec![
        (vec!["k"], vec!["k1".to_owned(), "k2".to_owned()], 1),
        (vec!["b"], vec!["b1".to_owned()], 1),
        (vec!["h"], vec![], 1),
        (vec!["z"], vec!["z1".to_owned()], 1),
    ];
    assert_eq!(got, expected);
    same_as_here(&mut held, &st.workspace, &Scope::All);
    // With room for all, one batch; and nothing to hand over once the worker holds it all.
    let (mut handed, mut held) = (Handed::default(), Held::default());
    assert_eq!(hand_over(&mut handed, &mut held, &st.workspace, &Scope::All, 1 << 20).len(), 1);
    assert!(handed.next_batch(&st.workspace, &sel, 1 << 20).is_none());
    assert_eq!(handed.pending_articles(&sel), 0);
    same_as_here(&mut held, &st.workspace, &Scope::All);
}

#[test]
fn only_what_changed_is_handed_over_again_edits_and_undo_alike() {
    let mut st = corpus();
    let (mut handed, mut held) = (Handed::default(), Held::default());
    hand_over(&mut handed, &mut held, &st.workspace, &Scope::All, 1 << 20);

    // A relabelled span keeps the counts: the clock's stamp tells it apart.
    at(&mut st, "2026-11-24T00:00:00.002Z", vec![Action::RelabelSpan { set: "k1".into(), span: 2, label: "quote".into(), entity_type: None }]);
    let batches = hand_over(&mut handed, &mut held, &st.workspace, &Scope::All, 1 << 20);
    assert_eq!(batches.len(), 1);
    assert!(batches[0].documents.is_empty(), "texts are not handed over again");
    assert_eq!((handed_sets(&batches[0]), batches[0].articles), (vec!["k1".to_owned()], 1));
    same_as_here(&mut held, &st.workspace, &Scope::All);

    for (time, action) in [
        ("2026-11-24T00:00:00.003Z", Action::Undo),
        ("2026-11-24T00:00:00.004Z", Action::Redo),
        ("2026-11-24T00:00:00.005Z", Action::SetDone { set: "b1".into(), done: true }),
        ("2026-11-24T00:00:00.006Z", Action::RenameSet { set: "k2".into(), name: "Bo's".into() }),
        ("2026-11-24T00:00:00.007Z", Action::SwitchSet { doc: "k".into(), set: "k1".into() }),
        ("2026-11-24T00:00:00.008Z", Action::DeleteSet { set: "b1".into() }),
    ] {
        at(&mut st, time, vec![action.clone()]);
        hand_over(&mut handed, &mut held, &st.workspace, &Scope::All, 1 << 20);
        same_as_here(&mut held, &st.workspace, &Scope::All);
    }
    // Choosing another set changes no set: only the manifest says so.
    assert!(handed.next_batch(&st.workspace, &select(&st.workspace, &Scope::All), 1 << 20).is_none());
}

#[test]
fn a_subset_is_handed_over_alone_and_the_rest_only_when_asked_for() {
    let st = corpus();
    let (mut handed, mut held) = (Handed::default(), Held::default());
    let listed = Scope::Listed(vec!["b".into()]);
    let batches = hand_over(&mut handed, &mut held, &st.workspace, &listed, 1 << 20);
    assert_eq!(batches[0].documents.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["b"]);
    assert_eq!(handed_sets(&batches[0]), ["b1"]);
    same_as_here(&mut held, &st.workspace, &listed);
    // The worker lacks the rest: a job over everything before it is handed over is refused.
    let all = select(&st.workspace, &Scope::All);
    assert_eq!(held.workspace(&manifest(&st.workspace, &all)).unwrap_err(), LOST);
    let rest = hand_over(&mut handed, &mut held, &st.workspace, &Scope::All, 1 << 20);
    assert_eq!(rest.iter().map(|b| b.articles).sum::<usize>(), 3, "k, h and z, not b again");
    same_as_here(&mut held, &st.workspace, &Scope::All);
    same_as_here(&mut held, &st.workspace, &listed);
}

#[test]
fn a_document_put_back_with_another_title_is_handed_over_again() {
    let mut st = corpus();
    let (mut handed, mut held) = (Handed::default(), Held::default());
    hand_over(&mut handed, &mut held, &st.workspace, &Scope::All, 1 << 20);
    let mut again = Document::clone(st.workspace.document("h").unwrap());
    again.header.title = "Floods".into();
    at(&mut st, "2026-11-24T00:00:01Z", vec![Action::RemoveDocument { doc: "h".into() }, Action::AddDocument { doc: again }]);
    let batches = hand_over(&mut handed, &mut held, &st.workspace, &Scope::All, 1 << 20);
    assert_eq!(batches[0].documents.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["h"]);
    same_as_here(&mut held, &st.workspace, &Scope::All);
    assert_eq!(held.workspace(&manifest(&st.workspace, &select(&st.workspace, &Scope::All))).unwrap().document("h").unwrap().header.title, "Floods");
    // The same document as another copy (loaded again from storage, say) is not.
    let copy: Vec<Document> = st.workspace.documents().iter().map(|d| Document::clone(d)).collect();
    let reloaded = Workspace::with_documents(copy);
    assert!(handed.next_batch(&reloaded, &select(&reloaded, &Scope::All), 1 << 20).is_none());
}

#[test]
fn a_new_worker_or_a_damaged_batch_leads_to_handing_everything_over_again() {
    let st = corpus();
    let (mut handed, mut held) = (Handed::default(), Held::default());
    hand_over(&mut handed, &mut held, &st.workspace, &Scope::All, 1 << 20);
    let m = manifest(&st.workspace, &select(&st.workspace, &Scope::All));
    // A worker started anew holds nothing: its job says so, and the page starts over.
    let mut fresh = Held::default();
    assert_eq!(fresh.workspace(&m).unwrap_err(), LOST);
    handed.clear();
    hand_over(&mut handed, &mut fresh, &st.workspace, &Scope::All, 1 << 20);
    same_as_here(&mut fresh, &st.workspace, &Scope::All);
    // A batch that does not read drops what was held.
    assert!(fresh.take(Vec::new(), "{\"format\": \"spanwright\"").is_err());
    assert_eq!(fresh.workspace(&m).unwrap_err(), LOST);
    assert!(fresh.take(vec![("x".into(), "not json".into(), "t".into(), "s".into())], "").unwrap_err().contains("damaged"));
}

#[test]
fn a_workspace_built_once_is_kept_until_something_changes() {
    let mut st = corpus();
    let (mut handed, mut held) = (Handed::default(), Held::default());
    hand_over(&mut handed, &mut held, &st.workspace, &Scope::All, 1 << 20);
    let m = manifest(&st.workspace, &select(&st.workspace, &Scope::All));
    let first: *const Workspace = held.workspace(&m).unwrap();
    assert!(std::ptr::eq(first, held.workspace(&m).unwrap()), "the same manifest with nothing new held is not built again");
    at(&mut st, "2026-11-24T00:00:02Z", vec![Action::RemoveSpan { set: "k2".into(), span: 1 }]);
    hand_over(&mut handed, &mut held, &st.workspace, &Scope::All, 1 << 20);
    same_as_here(&mut held, &st.workspace, &Scope::All);
    assert!(held.workspace(&m).unwrap().set("k2").unwrap().spans().is_empty(), "the same manifest after a batch is built again");
}
