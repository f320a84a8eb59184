use std::collections::BTreeMap;

use super::*;
use crate::{
    fixture, seeds,
    state::{Action, State},
};

const T: &str = "2026-11-24T00:00:00Z";

/// An object-store twin: record JSON by store and id, written only when no record clashes,
/// as the page's IndexedDB transaction does.
#[derive(Default)]
struct Db(BTreeMap<(&'static str, String), String>);

impl Db {
    fn write(&mut self, writes: &[Write]) -> Result<(), Vec<String>> {
        let current: Vec<Option<String>> = writes.iter().map(|w| self.0.get(&(w.store, w.id.clone())).and_then(|r| rev_of(r))).collect();
        let clash = clashes(writes, &current);
        if !clash.is_empty() {
            return Err(clash);
        }
        for w in writes {
            self.0.insert((w.store, w.id.clone()), w.json.clone());
        }
        Ok(())
    }

    fn all(&self, store: &str) -> Vec<String> {
        self.0.iter().filter(|((s, _), _)| *s == store).map(|(_, v)| v.clone()).collect()
    }

    fn read(&self, active: Option<&str>) -> Assembled {
        let index = self.0.get(&(META, INDEX_ID.to_owned())).map(String::as_str);
        assemble(index, &self.all(DOCUMENTS), &self.all(SETS), active, seeds::documents())
    }
}

/// A page: its state and ledger over a shared store.
fn saved(db: &mut Db, st: &mut State, ledger: &mut Ledger) -> Result<usize, Vec<String>> {
    let touched = st.take_touched();
    let writes = plan(&st.workspace, &touched, ledger);
    match db.write(&writes) {
        Ok(()) => {
            ledger.extend(writes.iter().map(|w| (w.id.clone(), w.rev.clone())));
            Ok(writes.len())
        }
        Err(clash) => {
            st.untake_touched(touched);
            Err(clash)
        }
    }
}

fn add(set: &str, start: usize, end: usize, label: &str) -> Action {
    Action::AddSpan { set: set.into(), start, end, label: label.into(), entity_type: None }
}

/// A workspace of `n` articles with a set each, saved whole.
fn corpus(n: usize) -> (Db, State, Ledger) {
    let mut ws = Workspace::with_documents(seeds::documents());
    for i in 0..n {
        let doc = Document::new(format!("a{i}"), format!("Article {i} says the minister met Acme."), crate::model::Origin::User);
        let set = crate::model::AnnotationSet::new(format!("s{i}"), "Ana", "Ana", &doc, T);
        ws.insert_document(usize::MAX, doc.into()).unwrap();
        ws.insert_set(usize::MAX, set).unwrap();
    }
    let mut db = Db::default();
    let writes = plan_all(&ws, &Ledger::new());
    db.write(&writes).unwrap();
    let ledger = writes.into_iter().map(|w| (w.id, w.rev)).collect();
    (db, State::new(ws), ledger)
}

#[test]
fn revisions_count_writes_and_digest_the_body() {
    let first = next_rev(None, "{\"a\":1}");
    assert!(first.starts_with("1-") && first.len() == 2 + 32, "{first}");
    assert_eq!(next_rev(Some(&first), "{\"a\":1}"), format!("2-{}", &first[2..]));
    assert_ne!(next_rev(Some("7-x"), "{\"a\":2}")[2..], first[2..]);
    assert!(next_rev(Some("7-x"), "").starts_with("8-"));
}

#[test]
fn records_read_back_as_the_workspace_they_were_written_from() {
    let mut ws = fixture::workspace("[quote:[entity/person:Ana] said] it 🙂 [claim:rose]");
    ws.insert_document(0, seeds::documents().remove(1).into()).unwrap();
    let mut db = Db::default();
    db.write(&plan_all(&ws, &Ledger::new())).unwrap();
    let back = db.read(Some(&encode_active(&ws)));
    assert!(back.kept.is_empty(), "{:?}", back.kept);
    let order = |w: &Workspace| w.documents().iter().map(|d| d.id.clone()).collect::<Vec<_>>();
    // The bundled article the workspace lacked comes last, as at any start.
    assert_eq!(order(&back.workspace)[..2], order(&ws)[..]);
    assert_eq!(back.workspace.sets(), ws.sets());
    assert_eq!(back.workspace.labels, ws.labels);
    assert_eq!(back.workspace.active, ws.active);
    assert_eq!(back.ledger.len(), 4, "two documents, one set, the index");
    // Records look the way CouchDB replication expects.
    let set: serde_json::Value = serde_json::from_str(&db.all(SETS)[0]).unwrap();
    assert_eq!(set["_id"], "set:set");
    assert!(set["_rev"].as_str().unwrap().starts_with("1-"));
    assert_eq!(set["body"]["spans"][0]["text"], "Ana said");
}

#[test]
fn an_edit_writes_its_set_alone_whatever_the_size_of_the_corpus() {
    for n in [20, 2_000] {
        let (mut db, mut st, mut ledger) = corpus(n);
        st.dispatch(add("s7", 0, 7, "claim"), T).unwrap();
        assert_eq!(saved(&mut db, &mut st, &mut ledger), Ok(1), "{n} articles");
        assert!(st.touched().is_empty());
        st.dispatch(Action::SetDone { set: "s7".into(), done: true }, T).unwrap();
        st.dispatch(Action::Undo, T).unwrap();
        st.dispatch(Action::SwitchSet { doc: "a3".into(), set: "s3".into() }, T).unwrap();
        assert_eq!(saved(&mut db, &mut st, &mut ledger), Ok(1), "undo writes the set again; the active set is not a record");
        assert_eq!(db.read(None).workspace.set("s7"), st.workspace.set("s7"));
    }
}

#[test]
fn removed_sets_and_articles_stay_as_tombstones_and_come_back_with_undo() {
    let (mut db, mut st, mut ledger) = corpus(3);
    st.dispatch(Action::RemoveDocument { doc: "a1".into() }, T).unwrap();
    st.dispatch(Action::DeleteSet { set: "s2".into() }, T).unwrap();
    // The article, its set, the other set and the index (the order changed).
    assert_eq!(saved(&mut db, &mut st, &mut ledger), Ok(4));
    let tomb: serde_json::Value = serde_json::from_str(&db.0[&(SETS, "set:s1".to_owned())]).unwrap();
    assert_eq!((tomb["_deleted"].as_bool(), tomb["_rev"].as_str().map(|r| &r[..2])), (Some(true), Some("2-")));
    let back = db.read(None);
    assert!(back.kept.is_empty());
    assert!(back.workspace.document("a1").is_none() && back.workspace.set("s1").is_none() && back.workspace.set("s2").is_none());
    assert!(back.ledger.contains_key("set:s1"), "a tombstone's revision is held, so writing the id again expects it");
    st.dispatch(Action::Undo, T).unwrap();
    st.dispatch(Action::Undo, T).unwrap();
    saved(&mut db, &mut st, &mut ledger).unwrap();
    let back = db.read(None);
    assert_eq!(back.workspace.sets(), st.workspace.sets());
    assert_eq!(back.workspace.documents().iter().map(|d| &d.id).collect::<Vec<_>>(), st.workspace.documents().iter().map(|d| &d.id).collect::<Vec<_>>());
}

#[test]
fn two_tabs_editing_different_articles_both_keep_their_work_and_a_clash_writes_nothing() {
    let (mut db, st, ledger) = corpus(4);
    let (mut a, mut la) = (st.clone(), ledger.clone());
    let (mut b, mut lb) = (st, ledger);
    a.dispatch(add("s1", 0, 7, "claim"), T).unwrap();
    b.dispatch(add("s2", 0, 7, "quote"), T).unwrap();
    saved(&mut db, &mut a, &mut la).unwrap();
    saved(&mut db, &mut b, &mut lb).unwrap();
    let back = db.read(None).workspace;
    assert_eq!(back.set("s1"), a.workspace.set("s1"));
    assert_eq!(back.set("s2"), b.workspace.set("s2"));

    // B brings in what A wrote, record by record.
    let arrived = vec![Arrived { store: SETS, raw: Some(db.0[&(SETS, "set:s1".to_owned())].clone()) }];
    let (ws, revs) = integrate(&b.workspace, &arrived).unwrap();
    assert_eq!(ws.set("s1"), a.workspace.set("s1"));
    assert_eq!(ws.set("s2"), b.workspace.set("s2"));
    assert_eq!(ws.sets().iter().map(|s| &s.id).collect::<Vec<_>>(), b.workspace.sets().iter().map(|s| &s.id).collect::<Vec<_>>(), "in place");
    b.integrate(ws);
    lb.extend(revs);

    // Both change s3: the second save is refused whole, and its edit waits.
    a.dispatch(add("s3", 0, 7, "claim"), T).unwrap();
    b.dispatch(add("s3", 8, 9, "quote"), T).unwrap();
    b.dispatch(add("s2", 8, 9, "claim"), T).unwrap();
    saved(&mut db, &mut a, &mut la).unwrap();
    assert_eq!(saved(&mut db, &mut b, &mut lb), Err(vec!["set:s3".to_owned()]));
    let back = db.read(None).workspace;
    assert_eq!(back.set("s3"), a.workspace.set("s3"), "A's work is intact");
    assert_ne!(back.set("s2"), b.workspace.set("s2"), "nothing of B's save was written");
    assert!(b.touched().sets.contains("s3"), "B's edit is still to save");
}

#[test]
fn another_tabs_new_articles_labels_and_removals_arrive() {
    let (mut db, st, ledger) = corpus(2);
    let (mut a, mut la) = (st.clone(), ledger);
    let mut labels = a.workspace.labels.clone();
    labels.labels.push(crate::model::Label { id: "event".into(), name: "Event".into(), tag: "EVENT".into(), typed: false, color: "#123456".into(), key: None });
    a.dispatch(Action::SetLabels { labels }, T).unwrap();
    let doc = Document::new("new", "New text here", crate::model::Origin::User);
    a.dispatch(Action::AddDocument { doc: doc.clone() }, T).unwrap();
    a.dispatch(Action::CreateSet { id: "n".into(), doc: "new".into(), name: "N".into(), annotator: "Ana".into() }, T).unwrap();
    a.dispatch(add("n", 0, 3, "event"), T).unwrap();
    a.dispatch(Action::DeleteSet { set: "s0".into() }, T).unwrap();
    let touched = a.touched().clone();
    saved(&mut db, &mut a, &mut la).unwrap();
    let arrived: Vec<Arrived> = touched
        .sets
        .iter()
        .map(|s| (SETS, set_record(s)))
        .chain(touched.documents.iter().map(|d| (DOCUMENTS, document_record(d))))
        .chain([(META, INDEX_ID.to_owned())])
        .map(|(store, id)| Arrived { store, raw: db.0.get(&(store, id)).cloned() })
        .collect();
    let (ws, _) = integrate(&st.workspace, &arrived).unwrap();
    assert_eq!(ws.labels, a.workspace.labels);
    assert_eq!(ws.set("n"), a.workspace.set("n"));
    assert!(ws.set("s0").is_none());
    assert_eq!(ws.documents().iter().map(|d| &d.id).collect::<Vec<_>>(), a.workspace.documents().iter().map(|d| &d.id).collect::<Vec<_>>());
    // A record this build cannot read is not taken in silently.
    let bad = vec![Arrived { store: SETS, raw: Some("{\"_id\":\"set:x\",\"_rev\":\"1-a\",\"body\":{\"id\":3}}".into()) }];
    assert!(integrate(&st.workspace, &bad).unwrap_err().starts_with("another tab saved a record this tab cannot read"));
}

#[test]
fn unreadable_records_are_kept_aside_and_the_rest_loads() {
    let (mut db, _, _) = corpus(3);
    let good_s0 = db.0[&(SETS, "set:s0".to_owned())].clone();
    db.0.insert((SETS, "set:s1".to_owned()), "{\"_id\":\"set:s1\",\"_rev\":\"2-ab\",\"body\":{\"id\":3}}".into());
    // A span whose text no longer matches its document: the set loads without it.
    let mut st = State::new(db.read(None).workspace);
    st.dispatch(add("s2", 0, 7, "claim"), T).unwrap();
    let body = native::set_body(&st.workspace, st.workspace.set("s2").unwrap()).unwrap().replace("\"text\":\"Article\"", "\"text\":\"Artikel\"");
    db.0.insert((SETS, "set:s2".to_owned()), format!("{{\"_id\":\"set:s2\",\"_rev\":\"2-cd\",\"type\":\"set\",\"body\":{body}}}"));
    db.0.insert((DOCUMENTS, "doc:zz".to_owned()), "{\"_id\":\"doc:zz\",\"_rev\":\"1-a\"}".into());
    db.0.insert((DOCUMENTS, "doc:zzz".to_owned()), "not json".into());
    let back = db.read(None);
    let kept: Vec<(&str, &str)> = back.kept.iter().map(|k| (k.store, k.id.as_str())).collect();
    assert_eq!(kept, vec![(DOCUMENTS, "doc:zz"), (DOCUMENTS, "documents record 7"), (SETS, "set:s1"), (SETS, "set:s2")]);
    assert_eq!(back.kept[0].why, "it has no \"body\"");
    assert!(back.kept[1].why.starts_with("it is not a record Spanwright can read"), "{}", back.kept[1].why);
    assert!(back.kept[2].why.starts_with("its annotation set cannot be read"), "{}", back.kept[2].why);
    assert!(back.kept[3].why.contains("does not match the document"), "{}", back.kept[3].why);
    assert_eq!(back.kept[2].raw, db.0[&(SETS, "set:s1".to_owned())], "kept untouched");
    assert!(back.workspace.set("s1").is_none());
    assert_eq!(back.workspace.set("s2").unwrap().spans().len(), 0);
    assert_eq!(db.0[&(SETS, "set:s0".to_owned())], good_s0);
    assert!(back.workspace.set("s0").is_some() && back.workspace.document("a2").is_some());
    assert_eq!(back.ledger.get("set:s1").map(String::as_str), Some("2-ab"), "saving over it expects what is there");

    // An index from a newer Spanwright: kept, and the articles still load.
    let index = db.0[&(META, INDEX_ID.to_owned())].replace("\"storage\":3", "\"storage\":4");
    db.0.insert((META, INDEX_ID.to_owned()), index);
    let back = db.read(None);
    assert!(back.kept.iter().any(|k| k.store == META && k.why.contains("newer Spanwright (storage version 4")), "{:?}", back.kept);
    assert!(back.workspace.document("a2").is_some());
}

#[test]
fn a_set_on_a_bundled_article_reads_back_without_its_documents_record() {
    // A first edit of a fresh start writes the new set alone: the bundled article has no
    // record (it ships with the app), nor is there an index yet.
    let mut st = State::new(Workspace::with_documents(seeds::documents()));
    let doc = st.workspace.documents()[0].id.clone();
    st.dispatch(Action::CreateSet { id: "n".into(), doc: doc.clone(), name: "N".into(), annotator: String::new() }, T).unwrap();
    st.dispatch(add("n", 0, 4, "claim"), T).unwrap();
    let (mut db, mut ledger) = (Db::default(), Ledger::new());
    assert_eq!(saved(&mut db, &mut st, &mut ledger), Ok(1));
    let back = db.read(Some(&encode_active(&st.workspace)));
    assert!(back.kept.is_empty(), "{:?}", back.kept);
    assert_eq!(back.workspace.sets(), st.workspace.sets());
    assert_eq!(back.workspace.active.get(&doc).map(String::as_str), Some("n"));
}

#[test]
fn a_journal_writes_what_did_not_commit_and_keeps_what_clashes() {
    let (mut db, mut st, ledger) = corpus(3);
    st.dispatch(add("s0", 0, 7, "claim"), T).unwrap();
    st.dispatch(add("s1", 0, 7, "claim"), T).unwrap();
    st.dispatch(add("s2", 0, 7, "claim"), T).unwrap();
    let touched = st.take_touched();
    let writes = plan(&st.workspace, &touched, &ledger);
    let journal = encode_journal(&writes);
    // s0's write committed before the page went away; another tab changed s2 since.
    db.write(&writes[..1]).unwrap();
    let mut other = State::new(db.read(None).workspace);
    let mut other_ledger = ledger.clone();
    other_ledger.insert("set:s0".into(), writes[0].rev.clone());
    other.dispatch(add("s2", 8, 9, "quote"), T).unwrap();
    saved(&mut db, &mut other, &mut other_ledger).unwrap();
    let (todo, done, clashed) = replay(&journal, |store, id| db.0.get(&(store, id.to_owned())).and_then(|r| rev_of(r))).unwrap();
    assert_eq!(
        (todo.iter().map(|w| w.id.as_str()).collect::<Vec<_>>(), done, clashed.iter().map(|w| w.id.as_str()).collect::<Vec<_>>()),
        (vec!["set:s1"], 1, vec!["set:s2"])
    );
    db.write(&todo).unwrap();
    // The same writes again (a tab's own save racing the replay of its journal): the records
    // already hold those revisions, which is no clash.
    db.write(&todo).unwrap();
    let back = db.read(None).workspace;
    assert_eq!(back.set("s1"), st.workspace.set("s1"));
    assert_eq!(back.set("s2"), other.workspace.set("s2"), "the other tab's later work is not written over");
    // A save in flight and a later edit of the same set: one write, of the later.
    let mut later = st.clone();
    later.dispatch(add("s1", 8, 9, "quote"), T).unwrap();
    let mut chained = ledger.clone();
    chained.extend(writes.iter().map(|w| (w.id.clone(), w.rev.clone())));
    let touched = later.take_touched();
    let second = plan(&later.workspace, &touched, &chained);
    let journal = encode_journal(&[writes[1].clone(), second[0].clone()]);
    let (mut db2, _, _) = corpus(3);
    let (todo, done, clashed) = replay(&journal, |store, id| db2.0.get(&(store, id.to_owned())).and_then(|r| rev_of(r))).unwrap();
    assert_eq!((todo.len(), done, clashed.len()), (1, 0, 0));
    assert_eq!(todo[0].expect, writes[1].expect);
    db2.write(&todo).unwrap();
    assert_eq!(db2.read(None).workspace.set("s1"), later.workspace.set("s1"));
    assert!(replay("{", |_, _| None).unwrap_err().starts_with("the journal of unsaved changes cannot be read"));
}

#[test]
fn a_page_started_with_one_article_reads_the_rest_page_by_page_into_the_same_workspace() {
    let (mut db, mut st, mut ledger) = corpus(7);
    // A second set on a2, shown there; the article order changed so it differs from the ids'.
    st.dispatch(Action::CreateSet { id: "t2".into(), doc: "a2".into(), name: "T".into(), annotator: String::new() }, T).unwrap();
    st.dispatch(add("t2", 0, 7, "claim"), T).unwrap();
    st.dispatch(Action::RemoveDocument { doc: "a5".into() }, T).unwrap();
    saved(&mut db, &mut st, &mut ledger).unwrap();
    let active = encode_active(&st.workspace);
    let whole = db.read(Some(&active));
    assert!(whole.kept.is_empty(), "{:?}", whole.kept);

    // The start: the index, article a4 and the set it shows.
    let index = db.0.get(&(META, INDEX_ID.to_owned())).cloned();
    let first = [db.0[&(DOCUMENTS, "doc:a4".to_owned())].clone()];
    let set = [db.0[&(SETS, "set:s4".to_owned())].clone()];
    let start = assemble(index.as_deref(), &first, &set, Some(&active), seeds::documents());
    assert!(start.kept.is_empty(), "{:?}", start.kept);
    let mut ws = start.workspace;
    let mut read = start.ledger;
    assert_eq!(ws.documents().len(), 1 + seeds::documents().len());

    // The rest, three records a page, the ones already read among them.
    let filler = Filler::new(index.as_deref(), Some(&active));
    for store in [DOCUMENTS, SETS] {
        for page in db.all(store).chunks(3) {
            let part = if store == DOCUMENTS { filler.documents(&ws, page) } else { filler.sets(&ws, page) };
            assert!(part.kept.is_empty(), "{:?}", part.kept);
            read.extend(part.ledger);
            for (id, rev) in part.held {
                read.entry(id).or_insert(rev);
            }
            ws.add_in_order(part.documents, part.sets, &filler.order, &filler.active);
        }
    }
    let ids = |w: &Workspace| w.documents().iter().map(|d| d.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&ws), ids(&whole.workspace), "the index's order");
    let by_id = |w: &Workspace| {
        let mut sets = w.sets().to_vec();
        sets.sort_by(|a, b| a.id.cmp(&b.id));
        sets
    };
    assert_eq!(by_id(&ws), by_id(&whole.workspace));
    assert_eq!(ws.sets(), whole.workspace.sets(), "in the order they were made");
    assert_eq!(ws.active, whole.workspace.active);
    assert_eq!(ws.active.get("a2").map(String::as_str), Some("t2"));
    assert!(ws.document("a5").is_none(), "a tombstone adds nothing");
    assert_eq!(read, whole.ledger, "every record's revision, as read");

    // A record another tab wrote after this page read its own copy keeps this page's
    // revision: a save of it then clashes instead of overwriting the other tab's work.
    let mut other = State::new(whole.workspace.clone());
    let mut other_ledger = whole.ledger.clone();
    other.dispatch(add("s4", 8, 15, "claim"), T).unwrap();
    saved(&mut db, &mut other, &mut other_ledger).unwrap();
    let part = filler.sets(&ws, &db.all(SETS));
    assert!(part.sets.is_empty() && !part.ledger.contains_key("set:s4"));
}

#[test]
fn a_large_save_planned_in_parts_writes_what_one_plan_writes() {
    let (_, st, ledger) = corpus(9);
    let touched = Touched {
        documents: st.workspace.documents().iter().map(|d| d.id.clone()).collect(),
        sets: st.workspace.sets().iter().map(|s| s.id.clone()).collect(),
        ..Touched::default()
    };
    let whole = plan(&st.workspace, &touched, &ledger);
    let parts = touched.parts(4, |_| 1);
    assert_eq!(parts.len(), 3 + 3, "11 documents and 9 sets, 4 a part");
    assert!(parts.iter().all(|p| p.documents.len() + p.sets.len() <= 4 && (p.documents.is_empty() || p.sets.is_empty()) && !p.labels && !p.active));
    // Weighed: a set that weighs more than a part is a part of its own, and every record is
    // in exactly one part.
    let heavy = st.workspace.sets()[0].id.clone();
    let weighed = touched.parts(4, |r| if matches!(r, crate::state::touched::Record::Set(s) if *s == heavy) { 10 } else { 1 });
    assert!(weighed.iter().any(|p| p.sets.len() == 1 && p.sets.contains(&heavy)));
    assert_eq!(weighed.iter().map(|p| p.documents.len() + p.sets.len()).sum::<usize>(), 20);
    let mut planned: Vec<Write> = parts.iter().flat_map(|p| plan_records(&st.workspace, p, &ledger)).collect();
    planned.extend(plan_index(&st.workspace, &touched, &ledger));
    let key = |w: &Write| (w.store, w.id.clone(), w.json.clone());
    assert_eq!(planned.iter().map(key).collect::<Vec<_>>(), whole.iter().map(key).collect::<Vec<_>>());
    assert_eq!(planned.iter().filter(|w| w.id == INDEX_ID).count(), 1);
}
