//! Table tests of the reducer: (state before, actions, state after), and undo/redo over every
//! kind of edit.

use super::*;
use crate::{fixture, model::Origin};

const T0: &str = "2026-01-01T00:00:00Z";
const T1: &str = "2026-01-02T00:00:00Z";

fn state(marked: &str) -> State {
    State::new(fixture::workspace(marked))
}

/// The set's spans as marked text, to compare states readably.
fn marked(state: &State, set: &str) -> Vec<String> {
    let set = state.workspace.set(set).unwrap();
    let doc = state.workspace.document(&set.doc_id).unwrap();
    let chars: Vec<char> = doc.text.chars().collect();
    set.spans()
        .iter()
        .map(|s| {
            let text: String = chars[s.range.start()..s.range.end()].iter().collect();
            match &s.entity_type {
                Some(t) => format!("{}/{}:{}", s.label, t, text),
                None => format!("{}:{}", s.label, text),
            }
        })
        .collect()
}

fn add(start: usize, end: usize, label: &str, ty: Option<&str>) -> Action {
    Action::AddSpan { set: "set".into(), start, end, label: label.into(), entity_type: ty.map(Into::into) }
}

#[test]
fn table_of_span_edits() {
    // (before, actions, spans after)
    let cases: Vec<(&str, Vec<Action>, Vec<&str>)> = vec![
        ("Jane Roe said it", vec![add(0, 8, "entity", Some("person"))], vec!["entity/person:Jane Roe"]),
        // Overlapping and nested spans are allowed.
        (
            "[claim:Jane said [quote:Acme will grow]]",
            vec![add(10, 14, "entity", Some("organisation"))],
            vec!["claim:Jane said Acme will grow", "quote:Acme will grow", "entity/organisation:Acme"],
        ),
        ("[quote:Acme] x", vec![Action::RemoveSpan { set: "set".into(), span: 1 }], vec![]),
        (
            "[quote:Acme] x",
            vec![Action::RelabelSpan { set: "set".into(), span: 1, label: "entity".into(), entity_type: Some("organisation".into()) }],
            vec!["entity/organisation:Acme"],
        ),
        ("[quote:Acme] grows", vec![Action::ResizeSpan { set: "set".into(), span: 1, start: 0, end: 10 }], vec!["quote:Acme grows"]),
        // Offsets count code points: the emoji is one.
        ("🙂 Jane", vec![add(2, 6, "entity", Some("person"))], vec!["entity/person:Jane"]),
    ];
    for (before, actions, after) in cases {
        let mut s = state(before);
        for a in actions {
            s.dispatch(a, T1).unwrap_or_else(|e| panic!("{before}: {e}"));
        }
        assert_eq!(marked(&s, "set"), after, "{before}");
        assert_eq!(s.workspace.set("set").unwrap().updated, T1);
    }
}

#[test]
fn refused_actions_change_nothing() {
    let cases: Vec<(&str, Action, &str)> = vec![
        ("[quote:Acme] x", add(0, 4, "quote", None), "there is already a “quote” span at 0..4"),
        ("Acme x", add(3, 3, "quote", None), "the range 3..3 is empty or inverted (start must be below end)"),
        ("Acme x", add(0, 99, "quote", None), "offset 99 is past the end of the text, which has 6 code points"),
        ("Acme x", add(0, 4, "nope", None), "there is no label “nope”"),
        ("Acme x", add(0, 4, "quote", Some("person")), "“Quote” spans take no entity type, but “person” was given"),
        ("Acme x", add(0, 4, "entity", Some("alien")), "there is no entity type “alien”"),
        ("Acme x", Action::RemoveSpan { set: "set".into(), span: 9 }, "there is no span 9"),
        ("Acme x", Action::RemoveSpan { set: "zzz".into(), span: 1 }, "there is no annotation set “zzz”"),
        (
            "[quote:Acme] [entity:x]",
            Action::AddRelation { set: "set".into(), kind: "speaker".into(), from: 1, to: 5 },
            "relation 3 points to span 5, which is not in the set",
        ),
        ("[quote:Acme] [entity:x]", Action::AddRelation { set: "set".into(), kind: "enemy".into(), from: 1, to: 2 }, "there is no relation type “enemy”"),
        ("x", Action::Undo, "nothing to undo"),
        ("x", Action::Redo, "nothing to redo"),
    ];
    for (before, action, message) in cases {
        let s = state(before);
        let err = reduce(&s, action, T1).unwrap_err();
        assert_eq!(err.to_string(), message, "{before}");
    }
}

#[test]
fn undo_and_redo_every_kind_of_edit() {
    let base = state("[quote:Acme will grow], said [entity/person:Jane Roe].");
    let doc = Document::new("other", "Other text", Origin::User);
    let scripts: Vec<Vec<Action>> = vec![
        vec![add(0, 4, "entity", Some("organisation"))],
        vec![Action::RemoveSpan { set: "set".into(), span: 1 }],
        vec![Action::RelabelSpan { set: "set".into(), span: 1, label: "claim".into(), entity_type: None }],
        vec![Action::ResizeSpan { set: "set".into(), span: 2, start: 20, end: 28 }],
        vec![Action::SetNote { set: "set".into(), span: 2, note: Some("speaker".into()) }],
        vec![Action::AddRelation { set: "set".into(), kind: "speaker".into(), from: 1, to: 2 }],
        vec![Action::AddRelation { set: "set".into(), kind: "speaker".into(), from: 1, to: 2 }, Action::RemoveSpan { set: "set".into(), span: 2 }],
        vec![Action::CreateSet { id: "b".into(), doc: "doc".into(), name: "B".into(), annotator: "me".into() }],
        vec![Action::RenameSet { set: "set".into(), name: "Renamed".into() }],
        vec![Action::DuplicateSet { set: "set".into(), id: "copy".into(), name: "Copy".into() }],
        vec![Action::DeleteSet { set: "set".into() }],
        vec![Action::AddDocument { doc: doc.clone() }],
        vec![Action::RemoveDocument { doc: "doc".into() }],
        vec![Action::Import { documents: vec![doc.clone()], sets: vec![AnnotationSet::new("imp", "I", "x", &doc, T0)], labels: None }],
    ];
    for script in scripts {
        let mut s = base.clone();
        for a in &script {
            s.dispatch(a.clone(), T1).unwrap_or_else(|e| panic!("{a:?}: {e}"));
        }
        let after = s.workspace.clone();
        assert_ne!(after, base.workspace, "{script:?} changed nothing");
        for _ in &script {
            s.dispatch(Action::Undo, T1).unwrap();
        }
        assert_eq!(without_times(&s.workspace), without_times(&base.workspace), "undo of {script:?}");
        for _ in &script {
            s.dispatch(Action::Redo, T1).unwrap();
        }
        assert_eq!(without_times(&s.workspace), without_times(&after), "redo of {script:?}");
    }
}

fn without_times(ws: &Workspace) -> Workspace {
    let mut ws = ws.clone();
    let ids: Vec<String> = ws.sets().iter().map(|s| s.id.clone()).collect();
    for id in ids {
        ws.set_mut(&id).unwrap().updated = String::new();
    }
    ws.active.clear();
    ws
}

#[test]
fn a_new_edit_clears_redo_and_failed_batches_roll_back() {
    let mut s = state("Acme will grow");
    s.dispatch(add(0, 4, "quote", None), T1).unwrap();
    s.dispatch(Action::Undo, T1).unwrap();
    assert!(s.can_redo());
    s.dispatch(add(5, 9, "quote", None), T1).unwrap();
    assert!(!s.can_redo());

    // An import whose second set clashes leaves nothing behind.
    let before = s.clone();
    let doc = Document::new("new", "New text", Origin::User);
    let clash = AnnotationSet::new("set", "dup id", "x", &doc, T0);
    let err = s.dispatch(Action::Import { documents: vec![doc], sets: vec![clash], labels: None }, T1).unwrap_err();
    assert_eq!(err.to_string(), "there is already an annotation set with the id “set”");
    assert_eq!(s, before);
}

#[test]
fn created_sets_become_active_and_switching_is_not_an_edit() {
    let mut s = state("Acme");
    s.dispatch(Action::CreateSet { id: "b".into(), doc: "doc".into(), name: "B".into(), annotator: "me".into() }, T1).unwrap();
    assert_eq!(s.workspace.active_set("doc").unwrap().id, "b");
    s.dispatch(Action::SwitchSet { doc: "doc".into(), set: "set".into() }, T1).unwrap();
    assert_eq!(s.workspace.active_set("doc").unwrap().id, "set");
    s.dispatch(Action::Undo, T1).unwrap();
    assert!(s.workspace.set("b").is_none());
    assert!(s.dispatch(Action::SwitchSet { doc: "doc".into(), set: "nope".into() }, T1).is_err());
}

#[test]
fn a_set_for_changed_text_is_refused() {
    let mut s = state("Acme");
    let changed = Document::new("doc", "Acme!", Origin::User);
    let set = AnnotationSet::new("new", "N", "x", &changed, T0);
    let err = s.dispatch(Action::Import { documents: vec![], sets: vec![set], labels: None }, T1).unwrap_err();
    assert_eq!(err.to_string(), "annotation set “new” was made on a different text of document “doc” (its SHA-256 differs)");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum Step {
        Add(usize, usize, usize),
        Remove(usize),
        Resize(usize, usize, usize),
        Relabel(usize, usize),
        Link(usize, usize),
        Undo,
        Redo,
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (0usize..60, 0usize..60, 0usize..3).prop_map(|(a, b, l)| Step::Add(a, b, l)),
            (0usize..20).prop_map(Step::Remove),
            (0usize..20, 0usize..60, 0usize..60).prop_map(|(i, a, b)| Step::Resize(i, a, b)),
            (0usize..20, 0usize..3).prop_map(|(i, l)| Step::Relabel(i, l)),
            (0usize..20, 0usize..20).prop_map(|(a, b)| Step::Link(a, b)),
            Just(Step::Undo),
            Just(Step::Redo),
        ]
    }

    const LABELS: [(&str, Option<&str>); 3] = [("claim", None), ("quote", None), ("entity", Some("person"))];

    proptest! {
        /// Whatever the user does, spans stay in bounds, ordered and unique, relations join
        /// existing spans, and undoing everything gives back the start.
        #[test]
        fn invariants_hold_and_undo_restores(steps in prop::collection::vec(step(), 0..60)) {
            let start = state("🙂 Jane Roe said: \"Acme will grow.\"\r\nNext line é here.");
            let mut s = start.clone();
            let len = s.workspace.document("doc").unwrap().char_len();
            let mut done = 0usize;
            for st in steps {
                let ids: Vec<u64> = s.workspace.set("set").unwrap().spans().iter().map(|x| x.id).collect();
                let pick = |i: usize| ids.get(i % ids.len().max(1)).copied().unwrap_or(0);
                let set = || "set".to_owned();
                let action = match st {
                    Step::Add(a, b, l) => add(a.min(b), a.max(b) + 1, LABELS[l].0, LABELS[l].1),
                    Step::Remove(i) => Action::RemoveSpan { set: set(), span: pick(i) },
                    Step::Resize(i, a, b) => Action::ResizeSpan { set: set(), span: pick(i), start: a.min(b), end: a.max(b) + 1 },
                    Step::Relabel(i, l) => Action::RelabelSpan { set: set(), span: pick(i), label: LABELS[l].0.into(), entity_type: LABELS[l].1.map(Into::into) },
                    Step::Link(a, b) => Action::AddRelation { set: set(), kind: "speaker".into(), from: pick(a), to: pick(b) },
                    Step::Undo => Action::Undo,
                    Step::Redo => Action::Redo,
                };
                let is_undo = matches!(action, Action::Undo);
                let is_redo = matches!(action, Action::Redo);
                let before = s.clone();
                match s.dispatch(action, T1) {
                    Ok(_) if is_undo => done -= 1,
                    Ok(_) if is_redo => done += 1,
                    Ok(_) => done = done.min(UNDO_LIMIT) + 1,
                    Err(_) => prop_assert_eq!(&s, &before, "a refused action changed the state"),
                }
                let set = s.workspace.set("set").unwrap();
                let spans = set.spans();
                for w in spans.windows(2) {
                    prop_assert!((w[0].range.start(), std::cmp::Reverse(w[0].range.end())) <= (w[1].range.start(), std::cmp::Reverse(w[1].range.end())));
                }
                for x in spans {
                    prop_assert!(x.range.end() <= len);
                    prop_assert_eq!(spans.iter().filter(|y| y.range == x.range && y.label == x.label).count(), 1);
                }
                for r in set.relations() {
                    prop_assert!(set.span(r.from).is_some() && set.span(r.to).is_some());
                }
            }
            for _ in 0..done {
                s.dispatch(Action::Undo, T1).unwrap();
            }
            prop_assert_eq!(without_times(&s.workspace), without_times(&start.workspace));
        }
    }
}

#[test]
fn imported_sets_become_active() {
    let mut s = state("Acme");
    let doc = s.workspace.document("doc").unwrap().clone();
    let set = AnnotationSet::new("up", "Uploaded", "x", &doc, T0);
    s.dispatch(Action::Import { documents: vec![], sets: vec![set], labels: None }, T1).unwrap();
    assert_eq!(s.workspace.active_set("doc").unwrap().id, "up");
}
