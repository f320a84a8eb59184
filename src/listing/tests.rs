use super::*;
use crate::{
    model::{Document, Origin},
    state::{Action, State},
};

const T: &str = "2026-11-24T00:00:00Z";

/// Four articles: "Kosovo talks" (2 claims, done), "Budget vote" (1 quote), "Árvíztűrő
/// news" (undated, no set) and "alpha dam" (an empty set).
fn corpus() -> State {
    let doc = |id: &str, title: &str, date: Option<&str>, text: &str| {
        let mut d = Document::new(id, text, Origin::User);
        d.header.title = title.into();
        d.header.date = date.map(Into::into);
        d
    };
    let ws = Workspace::with_documents([
        doc("k", "Kosovo talks", Some("2020-06-12"), "Lavrov met VUCIC in Belgrade. The minister said yes."),
        doc("b", "Budget vote", Some("2021-01-02"), "The council approved the budget."),
        doc("h", "Árvíztűrő news", None, "Flood defences held in Győr."),
        doc("a", "alpha dam", Some("2019-05-05"), "A dam opened."),
    ]);
    let mut st = State::new(ws);
    let run = |st: &mut State, a: Action| {
        st.dispatch(a, T).unwrap();
    };
    run(&mut st, Action::CreateSet { id: "sk".into(), doc: "k".into(), name: "A".into(), annotator: String::new() });
    run(&mut st, Action::AddSpan { set: "sk".into(), start: 0, end: 6, label: "claim".into(), entity_type: None });
    run(&mut st, Action::AddSpan { set: "sk".into(), start: 30, end: 42, label: "claim".into(), entity_type: None });
    run(&mut st, Action::SetDone { set: "sk".into(), done: true });
    run(&mut st, Action::CreateSet { id: "sb".into(), doc: "b".into(), name: "A".into(), annotator: String::new() });
    run(&mut st, Action::AddSpan { set: "sb".into(), start: 4, end: 11, label: "quote".into(), entity_type: None });
    run(&mut st, Action::CreateSet { id: "sa".into(), doc: "a".into(), name: "A".into(), annotator: String::new() });
    st
}

fn ids(ws: &Workspace, entries: &[Entry], list: &[usize]) -> Vec<String> {
    list.iter().map(|&i| ws.documents()[entries[i].index].id.clone()).collect()
}

#[test]
fn status_and_counts_come_from_each_active_set() {
    let st = corpus();
    let e = entries(&st.workspace);
    let got: Vec<(Status, usize)> = e.iter().map(|e| (e.status, e.spans)).collect();
    assert_eq!(got, vec![(Status::Done, 2), (Status::InProgress, 1), (Status::NotStarted, 0), (Status::NotStarted, 0)]);
    assert_eq!(e[0].counts, vec![("claim".to_owned(), 2)]);
    // Another set on the same article, chosen, decides its status.
    let mut st = st;
    st.dispatch(Action::CreateSet { id: "sk2".into(), doc: "k".into(), name: "B".into(), annotator: String::new() }, T).unwrap();
    assert_eq!(entries(&st.workspace)[0].status, Status::NotStarted);
    st.dispatch(Action::SwitchSet { doc: "k".into(), set: "sk".into() }, T).unwrap();
    assert_eq!(entries(&st.workspace)[0].status, Status::Done);
}

#[test]
fn done_is_one_undoable_step_and_round_trips_through_spanwright_json() {
    let mut st = corpus();
    st.dispatch(Action::SetDone { set: "sb".into(), done: true }, T).unwrap();
    assert!(st.workspace.set("sb").unwrap().done);
    st.dispatch(Action::Undo, T).unwrap();
    assert!(!st.workspace.set("sb").unwrap().done);
    let json = crate::formats::native::save_workspace(&st.workspace);
    assert!(json.contains("\"done\": true"), "a done set says so");
    assert_eq!(json.matches("\"done\"").count(), 1, "sets not done say nothing, as files before it did");
    let back = crate::formats::native::load(&json, &[]).unwrap().into_workspace();
    assert_eq!(back.sets(), st.workspace.sets());
}

#[test]
fn filter_by_words_in_title_or_text_folding_ascii_case() {
    let st = corpus();
    let ws = &st.workspace;
    let e = entries(ws);
    let mut f = Folded::default();
    let mut list = |q: &str, rev: u64| ids(ws, &e, &order(ws, rev, &e, q, SortBy::Added, &mut f));
    assert_eq!(list("", 1), vec!["k", "b", "h", "a"]);
    assert_eq!(list("kosovo", 1), vec!["k"], "title, any ASCII case");
    assert_eq!(list("vucic BELGRADE", 1), vec!["k"], "every word, in the text");
    assert_eq!(list("the", 1), vec!["k", "b"]);
    assert_eq!(list("the budget", 1), vec!["b"], "narrowed from the last result");
    assert_eq!(list("the", 1), vec!["k", "b"], "widened again");
    assert_eq!(list("győr", 1), vec!["h"], "non-ASCII as written");
    assert_eq!(list("GYőR", 1), vec!["h"], "ASCII letters fold around it");
    assert!(list("GYŐR", 1).is_empty(), "Ő is not ő");
    assert_eq!(list("Árvíztűrő", 1), vec!["h"]);
    assert!(list("árvíztűrő", 1).is_empty(), "no Unicode case tables: Á is not á");
    assert!(list("talks lavrov", 1) == vec!["k"], "title and text together");
    assert!(list("nothing-like-this", 1).is_empty());
}

#[test]
fn a_narrowed_filter_is_not_reused_after_the_workspace_changed() {
    let mut st = corpus();
    let mut f = Folded::default();
    let e = entries(&st.workspace);
    assert_eq!(ids(&st.workspace, &e, &order(&st.workspace, 1, &e, "dam", SortBy::Added, &mut f)), vec!["a"]);
    st.dispatch(Action::AddDocument { doc: Document::new("d2", "Another dam story", Origin::User) }, T).unwrap();
    let e = entries(&st.workspace);
    assert_eq!(ids(&st.workspace, &e, &order(&st.workspace, 2, &e, "dam story", SortBy::Added, &mut f)), vec!["d2"]);
}

#[test]
fn sorts_by_title_date_status_and_count() {
    let st = corpus();
    let ws = &st.workspace;
    let e = entries(ws);
    let mut f = Folded::default();
    let mut sorted = |s: SortBy| ids(ws, &e, &order(ws, 1, &e, "", s, &mut f));
    assert_eq!(sorted(SortBy::Title), vec!["a", "b", "k", "h"], "ASCII case folded; Á after ASCII");
    assert_eq!(sorted(SortBy::Date), vec!["b", "k", "a", "h"], "newest first, undated last");
    assert_eq!(sorted(SortBy::Status), vec!["h", "a", "b", "k"]);
    assert_eq!(sorted(SortBy::Count), vec!["k", "b", "h", "a"]);
    for s in SortBy::ALL {
        assert_eq!(SortBy::from_id(s.id()), Some(s));
    }
}

#[test]
fn next_not_done_follows_the_list_and_goes_round() {
    let st = corpus();
    let ws = &st.workspace;
    let e = entries(ws);
    let all = order(ws, 1, &e, "", SortBy::Added, &mut Folded::default());
    assert_eq!(next_not_done(ws, &e, &all, Some("k")).as_deref(), Some("b"));
    assert_eq!(next_not_done(ws, &e, &all, Some("b")).as_deref(), Some("h"));
    assert_eq!(next_not_done(ws, &e, &all, Some("a")).as_deref(), Some("b"), "round to the start, past the done one");
    assert_eq!(next_not_done(ws, &e, &all, None).as_deref(), Some("b"));
    let only_done = order(ws, 1, &e, "kosovo", SortBy::Added, &mut Folded::default());
    assert_eq!(next_not_done(ws, &e, &only_done, Some("k")), None);
    let one = order(ws, 1, &e, "budget", SortBy::Added, &mut Folded::default());
    assert_eq!(next_not_done(ws, &e, &one, Some("b")), None, "the article on screen is not the next one");
    assert_eq!(next_not_done(ws, &e, &one, Some("k")).as_deref(), Some("b"), "from an article not in the list");
}

#[test]
fn totals_count_articles_by_status_and_spans_by_label() {
    let st = corpus();
    let t = totals(&st.workspace, &entries(&st.workspace));
    assert_eq!(t.by_status, [2, 1, 1]);
    let labels: Vec<(&str, usize)> = t.by_label.iter().map(|(l, n)| (l.as_str(), *n)).collect();
    assert_eq!(labels, vec![("claim", 2), ("quote", 1), ("entity", 0)]);
}

#[test]
fn after_edits_of_sets_alone_the_list_is_remade_for_their_articles_only_and_agrees_with_a_whole_pass() {
    let mut st = corpus();
    assert_eq!(st.take_listed(), None, "a new workspace: everything");
    let mut f = Folded::default();
    let mut shown = Listing::new(&st.workspace, 0, "", SortBy::Added, &mut f);
    let edits = [
        vec![Action::AddSpan { set: "sb".into(), start: 16, end: 24, label: "claim".into(), entity_type: None }],
        vec![
            Action::SetDone { set: "sb".into(), done: true },
            Action::AddSpan { set: "sa".into(), start: 0, end: 5, label: "claim".into(), entity_type: None },
        ],
        vec![Action::DeleteSet { set: "sk".into() }],
        vec![Action::Undo],
    ];
    let mut refreshed = 0;
    for (rev, actions) in (1..).zip(edits) {
        for a in actions {
            st.dispatch(a, T).unwrap();
        }
        let changed = st.take_listed().unwrap();
        // A set added back (undo of a removal, say) may change which set an article shows:
        // the whole pass then.
        if changed.documents.is_empty() && !changed.labels && !changed.active {
            refreshed += 1;
            shown.refresh(&st.workspace, &changed.sets, SortBy::Added);
        } else {
            shown = Listing::new(&st.workspace, rev, "", SortBy::Added, &mut f);
        }
        assert_eq!(shown, Listing::new(&st.workspace, rev, "", SortBy::Added, &mut f));
    }
    assert_eq!(refreshed, 3, "edits of spans and status, and a removed set, refresh");
    // Switching sets, or a new set, asks for the whole pass.
    st.dispatch(Action::CreateSet { id: "sh".into(), doc: "h".into(), name: "A".into(), annotator: String::new() }, T).unwrap();
    assert!(st.take_listed().unwrap().active);
}

/// The list kept between edits (entries, order and totals each updated by what an edit
/// changed) is the list a whole pass makes, in every order and filtered or not.
#[test]
fn a_refreshed_list_sorted_filtered_and_totalled_agrees_with_a_whole_pass() {
    let span = |set: &str, start: usize, end: usize, label: &str| Action::AddSpan { set: set.into(), start, end, label: label.into(), entity_type: None };
    let edits: Vec<Vec<Action>> = vec![
        vec![span("sb", 16, 24, "claim"), span("sb", 25, 31, "quote")],
        vec![span("sa", 0, 5, "claim")],
        vec![Action::SetDone { set: "sa".into(), done: true }],
        vec![span("sa", 6, 12, "quote"), Action::SetDone { set: "sk".into(), done: false }],
        vec![Action::Undo],
        vec![Action::Undo],
        vec![Action::RemoveSpan { set: "sb".into(), span: 1 }],
        vec![span("sk", 7, 12, "claim"), span("sk", 13, 19, "quote"), span("sk", 20, 29, "claim")],
        vec![span("sk", 30, 36, "quote")],
        vec![Action::DeleteSet { set: "sb".into() }],
        vec![Action::Undo],
        vec![Action::SetDone { set: "sb".into(), done: true }, span("sa", 0, 2, "claim")],
    ];
    for sort in SortBy::ALL {
        for query in ["", "the", "dam"] {
            let mut st = corpus();
            st.take_listed();
            let (mut f, mut whole) = (Folded::default(), Folded::default());
            let mut kept = Listing::new(&st.workspace, 0, query, sort, &mut f);
            for (rev, actions) in (1..).zip(edits.clone()) {
                for a in actions {
                    st.dispatch(a, T).unwrap();
                }
                let changed = st.take_listed().unwrap();
                let made = Listing::new(&st.workspace, rev, query, sort, &mut whole);
                if changed.documents.is_empty() && !changed.labels && !changed.active {
                    kept.refresh(&st.workspace, &changed.sets, sort);
                    assert_eq!(kept, made, "{sort:?}, “{query}”, after edit {rev}");
                } else {
                    // A removed set: the store makes the whole list again.
                    assert_eq!(rev, 10, "edits of sets alone but the removal");
                    kept = made;
                }
            }
        }
    }
}
