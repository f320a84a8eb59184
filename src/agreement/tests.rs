//! Figures computed by hand: identical sets, off-by-one boundaries, whitespace-only
//! differences, nested and overlapping spans where greedy matching goes wrong, label
//! confusions, relations, and empty sets.

use super::*;
use crate::{
    fixture,
    model::{CharRange, Origin, Relation, Span},
};

const T: &str = "2026-11-24T00:00:00Z";

/// A set on `doc` from (start, end, label, type) spans, ids 1.. in the order given.
pub(super) fn set(id: &str, doc: &Document, spans: &[(usize, usize, &str, Option<&str>)]) -> AnnotationSet {
    let mut s = AnnotationSet::new(id, id, id, doc, T);
    for (i, (start, end, label, ty)) in spans.iter().enumerate() {
        let range = CharRange::new(*start, *end, doc.char_len()).unwrap();
        s.insert_span(Span { id: i as u64 + 1, range, label: (*label).into(), entity_type: ty.map(Into::into), note: None, provenance: None }, doc.char_len())
            .unwrap();
    }
    s
}

fn doc(text: &str) -> Document {
    Document::new("d", text, Origin::User)
}

fn pair(d: &Document, a: &AnnotationSet, b: &AnnotationSet) -> Pair {
    compare(&LabelSet::default(), "A", "B", &[DocPair { doc: d, a, b }], DEFAULT_IOU)
}

fn v(f: &Figure) -> f64 {
    f.value().unwrap_or_else(|| panic!("undefined: {f:?}"))
}

fn close(x: f64, y: f64) {
    assert!((x - y).abs() < 1e-9, "{x} ≠ {y}");
}

// "Jane Roe said Acme will grow." Jane Roe 0..8, said 9..13, Acme 14..18.
const TEXT: &str = "Jane Roe said Acme will grow.";

#[test]
fn identical_sets_agree_on_everything() {
    let d = doc(TEXT);
    let a = set("a", &d, &[(0, 8, "entity", Some("person")), (14, 18, "entity", Some("organisation")), (14, 29, "claim", None)]);
    let p = pair(&d, &a, &a.clone());
    assert_eq!((p.exact_micro.tp, p.exact_micro.fp, p.exact_micro.fn_), (3, 0, 0));
    close(v(&p.exact_micro.f1), 1.0);
    close(v(&p.overlap_macro_f1), 1.0);
    for f in p.labels.values() {
        close(v(&f.alpha), 1.0);
        close(v(&f.kappa), 1.0);
    }
    assert!(p.disagreements.is_empty());
    assert_eq!(p.confusion["PERSON"]["PERSON"], 1);
}

#[test]
fn an_off_by_one_boundary_misses_exactly_but_matches_by_overlap() {
    let d = doc(TEXT);
    let a = set("a", &d, &[(0, 8, "entity", Some("person"))]);
    let b = set("b", &d, &[(0, 7, "entity", Some("person"))]);
    let p = pair(&d, &a, &b);
    let person = &p.labels["PERSON"];
    assert_eq!((person.exact.tp, person.exact.fp, person.exact.fn_), (0, 1, 1));
    close(v(&person.exact.f1), 0.0);
    assert_eq!((person.overlap.tp, person.overlap.fp, person.overlap.fn_), (1, 0, 0));
    assert_eq!(p.disagreements.len(), 1);
    assert_eq!(p.disagreements[0].kind, Difference::BoundaryDiffers);
    // Characters (no whitespace): 24; A codes 7 ("JaneRoe"), B 6: they differ on one.
    // κ: po = 23/24, pa = 7/24, pb = 6/24, pe = pa·pb + (1−pa)(1−pb).
    let (pa, pb) = (7.0 / 24.0, 6.0 / 24.0);
    let pe = pa * pb + (1.0 - pa) * (1.0 - pb);
    close(v(&person.kappa), (23.0 / 24.0 - pe) / (1.0 - pe));
    assert_eq!((p.boundary.tp, p.boundary.fp, p.boundary.fn_), (0, 1, 1));
}

#[test]
fn a_difference_of_whitespace_only_is_no_disagreement_for_alpha_and_kappa() {
    let d = doc(TEXT);
    let a = set("a", &d, &[(0, 9, "entity", Some("person"))]); // "Jane Roe "
    let b = set("b", &d, &[(0, 8, "entity", Some("person"))]);
    let p = pair(&d, &a, &b);
    let person = &p.labels["PERSON"];
    assert_eq!(person.exact.tp, 0);
    assert_eq!(person.overlap.tp, 1);
    close(v(&person.alpha), 1.0);
    close(v(&person.kappa), 1.0);
}

#[test]
fn alpha_and_kappa_by_hand() {
    // Four units; A codes 1 1 0 0, B codes 1 0 0 0.
    let (a, b) = ([true, true, false, false], [true, false, false, false]);
    // κ: po = 0.75, pe = 0.5·0.25 + 0.5·0.75 = 0.5, κ = 0.5.
    close(v(&kappa(&a, &b)), 0.5);
    // α: n = 8, n1 = 3, n0 = 5; one unit split, Do = 2·1/1/8 = 0.25, De = 2·5·3/(8·7).
    close(v(&alpha(&[&a, &b])), 1.0 - 0.25 / (30.0 / 56.0));
    // Three coders, complete data: α over all of them.
    let c = [true, true, true, false];
    let n1 = 6.0; // ones over 12 values
    let within = 2.0 * 1.0 + 1.0 * 2.0; // per unit ones·(m − ones): 3·0, 2·1, 1·2, 0·3
    let observed = 2.0 * within / 2.0 / 12.0;
    let expected = 2.0 * (12.0 - n1) * n1 / (12.0 * 11.0);
    close(v(&alpha(&[&a, &b, &c])), 1.0 - observed / expected);
}

#[test]
fn undefined_figures_say_why() {
    let d = doc(TEXT);
    let empty = set("a", &d, &[]);
    let p = pair(&d, &empty, &empty.clone());
    assert!(p.labels.is_empty());
    assert_eq!(p.exact_micro.f1, Figure::Undefined { undefined: "no spans here in either set".into() });
    assert_eq!(p.exact_macro_f1, Figure::Undefined { undefined: "no label has spans in either set".into() });
    assert!(matches!(kappa(&[false, false], &[false, false]), Figure::Undefined { .. }));
    assert_eq!(alpha(&[&[false, false], &[false, false]]), Figure::Undefined { undefined: "no spans of this label in any set".into() });
    // One side empty: precision undefined (B has nothing), recall 0, F1 0.
    let a = set("a", &d, &[(0, 8, "claim", None)]);
    let p = pair(&d, &a, &empty);
    assert_eq!(p.labels["CLAIM"].exact.precision, Figure::Undefined { undefined: "B has no spans here".into() });
    close(v(&p.labels["CLAIM"].exact.recall), 0.0);
    assert_eq!(p.disagreements[0].kind, Difference::OnlyInA);
    assert_eq!(p.confusion["CLAIM"][NOTHING], 1);
}

#[test]
fn matching_is_optimal_not_greedy_and_does_not_depend_on_order() {
    // A1 0..10, A2 8..30; B1 2..12 (overlaps A1 by 8, A2 by 4), B2 0..5 (A1 by 5).
    // Greedy takes A1–B1 (8) and leaves A2 alone: total 8. The optimum is A1–B2 + A2–B1 = 9.
    let d = doc(&"x".repeat(40));
    let a = set("a", &d, &[(0, 10, "claim", None), (8, 30, "claim", None)]);
    let b = set("b", &d, &[(2, 12, "claim", None), (0, 5, "claim", None)]);
    let ua = units(&LabelSet::default(), &d, &a);
    let ub = units(&LabelSet::default(), &d, &b);
    fn refs(u: &[Unit]) -> Vec<&Unit> {
        u.iter().collect()
    }
    let pairs = assign(&refs(&ua), &refs(&ub));
    let total: usize = pairs.iter().map(|(x, y)| overlap_of(x, y)).sum();
    assert_eq!((pairs.len(), total), (2, 9));
    let mut rev_a = refs(&ua);
    rev_a.reverse();
    let mut rev_b = refs(&ub);
    rev_b.reverse();
    let again: usize = assign(&rev_a, &rev_b).iter().map(|(x, y)| overlap_of(x, y)).sum();
    assert_eq!(again, 9);
    // Of the two pairs, A1–B2 has IoU 5/10 = 0.5 (counts), A2–B1 4/28 (does not).
    let p = pair(&d, &a, &b);
    assert_eq!((p.labels["CLAIM"].overlap.tp, p.labels["CLAIM"].overlap.fp, p.labels["CLAIM"].overlap.fn_), (1, 1, 1));
}

#[test]
fn nested_spans_match_within_their_label() {
    // A: a claim holding a quote holding an entity; B: the same with the quote one shorter.
    let (text, _) = fixture::parse("[claim:He said \"[quote:[entity/organisation:Acme] will grow]\"]");
    let d = doc(&text);
    // "He said \"Acme will grow\"": the claim is 0..24, the quote 9..23, Acme 9..13.
    let a = set("a", &d, &[(0, 24, "claim", None), (9, 23, "quote", None), (9, 13, "entity", Some("organisation"))]);
    let b = set("b", &d, &[(0, 24, "claim", None), (9, 22, "quote", None), (9, 13, "entity", Some("organisation"))]);
    let p = pair(&d, &a, &b);
    assert_eq!(p.exact_micro.tp, 2);
    assert_eq!(p.overlap_micro.tp, 3);
    assert_eq!(p.disagreements.len(), 1);
    assert_eq!(p.disagreements[0].kind, Difference::BoundaryDiffers);
    assert_eq!(p.disagreements[0].a.as_ref().unwrap().label, "QUOTE");
    // Macro F1 is the mean over CLAIM, ORG, QUOTE: exact 1, 1, 0.
    close(v(&p.exact_macro_f1), 2.0 / 3.0);
}

#[test]
fn labels_that_differ_are_confused_and_listed() {
    let d = doc(TEXT);
    let a = set("a", &d, &[(14, 18, "entity", Some("organisation"))]);
    let b = set("b", &d, &[(14, 18, "entity", Some("person"))]);
    let p = pair(&d, &a, &b);
    assert_eq!(p.confusion["ORG"]["PERSON"], 1);
    assert_eq!(p.disagreements[0].kind, Difference::LabelDiffers);
    assert_eq!((p.boundary.tp, p.boundary.fp, p.boundary.fn_), (1, 0, 0));
    assert_eq!(p.exact_micro.tp, 0);
}

#[test]
fn relations_agree_when_both_ends_match_and_types_agree() {
    let d = doc(TEXT);
    let mut a = set("a", &d, &[(0, 8, "entity", Some("person")), (14, 29, "quote", None)]);
    let mut b = set("b", &d, &[(0, 8, "entity", Some("person")), (14, 28, "quote", None)]);
    a.insert_relation(Relation { id: 10, kind: "speaker".into(), from: 2, to: 1 }).unwrap();
    b.insert_relation(Relation { id: 10, kind: "speaker".into(), from: 2, to: 1 }).unwrap();
    let p = pair(&d, &a, &b);
    assert_eq!((p.relations.tp, p.relations.fp, p.relations.fn_), (1, 0, 0));
    // Another type does not agree.
    let mut c = set("c", &d, &[(0, 8, "entity", Some("person")), (14, 28, "quote", None)]);
    c.insert_relation(Relation { id: 10, kind: "claimant".into(), from: 2, to: 1 }).unwrap();
    let p = pair(&d, &a, &c);
    assert_eq!((p.relations.tp, p.relations.fp, p.relations.fn_), (0, 1, 1));
}

#[test]
fn three_sets_give_a_symmetric_matrix() {
    let d = doc(TEXT);
    let a = set("a", &d, &[(0, 8, "claim", None)]);
    let b = set("b", &d, &[(0, 8, "claim", None)]);
    let c = set("c", &d, &[(14, 18, "claim", None)]);
    let pairs = vec![
        compare(&LabelSet::default(), "a", "b", &[DocPair { doc: &d, a: &a, b: &b }], DEFAULT_IOU),
        compare(&LabelSet::default(), "a", "c", &[DocPair { doc: &d, a: &a, b: &c }], DEFAULT_IOU),
        compare(&LabelSet::default(), "b", "c", &[DocPair { doc: &d, a: &b, b: &c }], DEFAULT_IOU),
    ];
    let m = matrix(&pairs);
    close(v(&m["a"]["b"]), 1.0);
    close(v(&m["c"]["a"]), 0.0);
    assert_eq!(m["b"]["c"], m["c"]["b"]);
}

#[test]
fn a_tie_in_overlap_is_broken_by_equal_labels_then_equal_boundaries() {
    // A's claim (5, 25) and A's quote (3, 15) each overlap B's quote (5, 15) by 10
    // characters: the equal label must win, leaving the claim only in A and the quote's
    // boundary differing, not the quote only in A and the claim's label differing.
    let d = doc("0123456789abcdefghijklmnopqrst");
    let a = set("a", &d, &[(5, 25, "claim", None), (3, 15, "quote", None)]);
    let b = set("b", &d, &[(5, 15, "quote", None)]);
    let p = pair(&d, &a, &b);
    let kinds: Vec<Difference> = p.disagreements.iter().map(|x| x.kind.clone()).collect();
    assert_eq!(kinds, vec![Difference::BoundaryDiffers, Difference::OnlyInA], "{:?}", p.disagreements);
    assert_eq!(p.confusion["QUOTE"]["QUOTE"], 1);
    assert_eq!(p.confusion["CLAIM"][NOTHING], 1);
}
