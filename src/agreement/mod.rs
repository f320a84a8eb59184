//! How far annotators agree: figures for two or more annotation sets of the same documents,
//! pure and tested natively. The definitions (also in the README):
//!
//! - **Labels** are training tags ([`LabelSet::tag`]): an entity's type counts, so PERSON and
//!   ORG differ.
//! - **Exact**: a span of B matches one of A when start, end and label are equal. Precision,
//!   recall and F1 of B against A (F1 is the same both ways).
//! - **Overlap**: per label, spans are matched one to one so that the total overlap (in
//!   characters) is as large as it can be, an optimal assignment within each cluster of
//!   overlapping spans, never greedy (among equally large matchings, the one with more equal
//!   labels, then more equal boundaries); a matched pair counts when its IoU
//!   `|A∩B| / |A∪B|` is at least θ (default 0.5).
//! - **Boundary**: exact with labels ignored.
//! - **Confusion**: over the pairs of the overlap matching with labels ignored, A's label
//!   against B's; a span left unmatched is counted against "—".
//! - **Krippendorff's α** (nominal) and, for two sets, **Cohen's κ**, per label: every
//!   character that is not whitespace is a unit, every set a coder, coding 1 inside a span of
//!   that label and 0 outside.
//! - **Relations**: a link of B matches one of A when its two ends are matched by the overlap
//!   matching (same label) and the types agree.
//!
//! A figure that cannot be computed is [`Figure::Undefined`] with the reason, never NaN.
//! Nothing depends on the order spans are stored in.

pub mod adjudicate;
pub mod report;
pub mod view;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::model::{AnnotationSet, Document, LabelSet, SpanId};

/// A value, or why there is none.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Figure {
    /// The value.
    Value(f64),
    /// Why it is undefined.
    Undefined {
        /// In words.
        undefined: String,
    },
}

impl Figure {
    fn why(reason: &str) -> Figure {
        Figure::Undefined { undefined: reason.to_owned() }
    }

    /// The value, if defined.
    pub fn value(&self) -> Option<f64> {
        match self {
            Figure::Value(v) => Some(*v),
            Figure::Undefined { .. } => None,
        }
    }

    /// "0.857", or "—" for an undefined figure.
    pub fn show(&self) -> String {
        match self {
            Figure::Value(v) => format!("{v:.3}"),
            Figure::Undefined { .. } => "—".to_owned(),
        }
    }
}

/// True positives, false positives and false negatives of B against A, with their ratios.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prf {
    /// In both.
    pub tp: usize,
    /// Only in B.
    pub fp: usize,
    /// Only in A.
    #[serde(rename = "fn")]
    pub fn_: usize,
    /// tp / (tp + fp).
    pub precision: Figure,
    /// tp / (tp + fn).
    pub recall: Figure,
    /// 2tp / (2tp + fp + fn).
    pub f1: Figure,
}

impl Prf {
    /// The figures of these counts.
    pub fn new(tp: usize, fp: usize, fn_: usize) -> Prf {
        let ratio = |num: usize, den: usize, why: &str| if den == 0 { Figure::why(why) } else { Figure::Value(num as f64 / den as f64) };
        Prf {
            tp,
            fp,
            fn_,
            precision: ratio(tp, tp + fp, "B has no spans here"),
            recall: ratio(tp, tp + fn_, "A has no spans here"),
            f1: ratio(2 * tp, 2 * tp + fp + fn_, "no spans here in either set"),
        }
    }

    fn add(&self, o: &Prf) -> Prf {
        Prf::new(self.tp + o.tp, self.fp + o.fp, self.fn_ + o.fn_)
    }
}

/// A span as the figures see it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Unit {
    /// The document.
    pub doc: String,
    /// The set.
    pub set: String,
    /// The span's id in its set.
    pub span: SpanId,
    /// First code point.
    pub start: usize,
    /// Code point after the last.
    pub end: usize,
    /// Training tag.
    pub label: String,
}

/// How two sets differ at one place.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Difference {
    /// A has a span B has nothing matching.
    OnlyInA,
    /// B has a span A has nothing matching.
    OnlyInB,
    /// Same label, other boundaries.
    BoundaryDiffers,
    /// Same boundaries, other label.
    LabelDiffers,
    /// Overlapping, with other boundaries and another label.
    BoundaryAndLabelDiffer,
}

/// One disagreement, with the spans involved.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Disagreement {
    /// Where the first span involved starts (for opening the article there).
    pub at: usize,
    /// What kind.
    pub kind: Difference,
    /// A's span, if any.
    pub a: Option<Unit>,
    /// B's span, if any.
    pub b: Option<Unit>,
}

/// The figures of one label.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabelFigures {
    /// Exact agreement.
    pub exact: Prf,
    /// Overlap agreement.
    pub overlap: Prf,
    /// Krippendorff's α over characters.
    pub alpha: Figure,
    /// Cohen's κ over characters.
    pub kappa: Figure,
}

/// Everything two sets (or two annotators over several documents) agree and disagree on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    /// A's name.
    pub a: String,
    /// B's name.
    pub b: String,
    /// Per label, in label order.
    pub labels: BTreeMap<String, LabelFigures>,
    /// Exact agreement over all labels together.
    pub exact_micro: Prf,
    /// The mean of the labels' exact F1 (the defined ones).
    pub exact_macro_f1: Figure,
    /// Overlap agreement over all labels together.
    pub overlap_micro: Prf,
    /// The mean of the labels' overlap F1 (the defined ones).
    pub overlap_macro_f1: Figure,
    /// Exact boundaries, labels ignored.
    pub boundary: Prf,
    /// A's label → B's label → pairs; "—" where one side has nothing matched.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    /// Relation agreement.
    pub relations: Prf,
    /// Every disagreement, in document order.
    pub disagreements: Vec<Disagreement>,
}

/// The θ of overlap agreement, by default.
pub const DEFAULT_IOU: f64 = 0.5;

/// What "—" stands for in the confusion matrix.
pub const NOTHING: &str = "—";

/// One document's pair of sets (the same document for both).
pub struct DocPair<'a> {
    /// The document.
    pub doc: &'a Document,
    /// A's set.
    pub a: &'a AnnotationSet,
    /// B's set.
    pub b: &'a AnnotationSet,
}

/// A label's running counts: exact, overlap, and per document the characters A and B code.
type Tally = (Prf, Prf, [usize; 4]);

/// The figures of B against A over these documents (one pair of sets each), overlap at IoU
/// ≥ `iou`.
pub fn compare(labels: &LabelSet, a: &str, b: &str, docs: &[DocPair<'_>], iou: f64) -> Pair {
    compare_with(labels, a, b, docs, iou, &mut |_| {})
}

/// [`compare`], calling `done` after each document.
pub fn compare_with(labels: &LabelSet, a: &str, b: &str, docs: &[DocPair<'_>], iou: f64, done: &mut dyn FnMut(usize)) -> Pair {
    let mut per_label: BTreeMap<String, Tally> = BTreeMap::new();
    let mut boundary = Prf::new(0, 0, 0);
    let mut relations = Prf::new(0, 0, 0);
    let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut disagreements = Vec::new();
    // Every label either set uses anywhere, so each document codes each label (α and κ
    // count a document where a label is absent as all "outside").
    let all_units: Vec<(Vec<Unit>, Vec<Unit>)> = docs.iter().map(|dp| (units(labels, dp.doc, dp.a), units(labels, dp.doc, dp.b))).collect();
    for (ua, ub) in &all_units {
        for u in ua.iter().chain(ub) {
            per_label.entry(u.label.clone()).or_insert_with(|| (Prf::new(0, 0, 0), Prf::new(0, 0, 0), [0; 4]));
        }
    }
    for (n, (dp, (ua, ub))) in docs.iter().zip(all_units).enumerate() {
        done(n + 1);
        let all_labels: BTreeSet<&String> = ua.iter().chain(&ub).map(|u| &u.label).collect();
        // Matches of the overlap agreement, by label, as (A span, B span).
        let mut matched: BTreeSet<(SpanId, SpanId)> = BTreeSet::new();
        for label in all_labels {
            let la: Vec<&Unit> = ua.iter().filter(|u| &u.label == label).collect();
            let lb: Vec<&Unit> = ub.iter().filter(|u| &u.label == label).collect();
            let entry = per_label.entry(label.clone()).or_insert_with(|| (Prf::new(0, 0, 0), Prf::new(0, 0, 0), [0; 4]));
            entry.0 = entry.0.add(&exact(&la, &lb));
            let pairs = assign(&la, &lb);
            let hits = pairs.iter().filter(|(x, y)| iou_of(x, y) >= iou).count();
            entry.1 = entry.1.add(&Prf::new(hits, lb.len() - hits, la.len() - hits));
            matched.extend(pairs.iter().filter(|(x, y)| iou_of(x, y) >= iou).map(|(x, y)| (x.span, y.span)));
        }
        // Characters coded per label, for α and κ: how many non-whitespace characters both
        // sets, only A, only B and neither code as inside a span of the label.
        let solid = Solid::new(&dp.doc.text);
        for (label, entry) in per_label.iter_mut() {
            let (ra, rb) = (ranges_of(&ua, label), ranges_of(&ub, label));
            let hist = solid.coded(&[&ra, &rb]);
            let both = hist[2];
            let only_a = solid.count(&ra) - both;
            let only_b = solid.count(&rb) - both;
            for (n, add) in entry.2.iter_mut().zip([both, only_a, only_b, hist[0]]) {
                *n += add;
            }
        }
        // Boundaries, labels ignored.
        let ranges = |us: &[Unit]| us.iter().map(|u| (u.start, u.end)).collect::<Vec<_>>();
        let (ra, rb) = (ranges(&ua), ranges(&ub));
        let same = multiset_common(&ra, &rb);
        boundary = boundary.add(&Prf::new(same, rb.len() - same, ra.len() - same));
        // Confusion and disagreements, over the overlap matching with labels ignored.
        let all_a: Vec<&Unit> = ua.iter().collect();
        let all_b: Vec<&Unit> = ub.iter().collect();
        let pairs: Vec<(&Unit, &Unit)> = assign(&all_a, &all_b).into_iter().filter(|(x, y)| iou_of(x, y) >= iou).collect();
        let exact_pairs: BTreeSet<(SpanId, SpanId)> =
            pairs.iter().filter(|(x, y)| x.start == y.start && x.end == y.end && x.label == y.label).map(|(x, y)| (x.span, y.span)).collect();
        for (x, y) in &pairs {
            *confusion.entry(x.label.clone()).or_default().entry(y.label.clone()).or_default() += 1;
            if exact_pairs.contains(&(x.span, y.span)) {
                continue;
            }
            let kind = match (x.start == y.start && x.end == y.end, x.label == y.label) {
                (true, false) => Difference::LabelDiffers,
                (false, true) => Difference::BoundaryDiffers,
                _ => Difference::BoundaryAndLabelDiffer,
            };
            disagreements.push(Disagreement { at: x.start.min(y.start), kind, a: Some((*x).clone()), b: Some((*y).clone()) });
        }
        let paired_a: BTreeSet<SpanId> = pairs.iter().map(|(x, _)| x.span).collect();
        let paired_b: BTreeSet<SpanId> = pairs.iter().map(|(_, y)| y.span).collect();
        for x in ua.iter().filter(|u| !paired_a.contains(&u.span)) {
            *confusion.entry(x.label.clone()).or_default().entry(NOTHING.into()).or_default() += 1;
            disagreements.push(Disagreement { at: x.start, kind: Difference::OnlyInA, a: Some(x.clone()), b: None });
        }
        for y in ub.iter().filter(|u| !paired_b.contains(&u.span)) {
            *confusion.entry(NOTHING.into()).or_default().entry(y.label.clone()).or_default() += 1;
            disagreements.push(Disagreement { at: y.start, kind: Difference::OnlyInB, a: None, b: Some(y.clone()) });
        }
        // Relations whose two ends are matched (same label) and whose types agree.
        // B's span → the A span it is matched to (one each: the matching is one to one).
        let partner: std::collections::HashMap<SpanId, SpanId> = matched.iter().map(|(x, y)| (*y, *x)).collect();
        let mut a_links: std::collections::HashMap<(SpanId, SpanId, &str), usize> = std::collections::HashMap::new();
        for r in dp.a.relations() {
            *a_links.entry((r.from, r.to, r.kind.as_str())).or_default() += 1;
        }
        let mut tp = 0;
        for r in dp.b.relations() {
            let (Some(from), Some(to)) = (partner.get(&r.from), partner.get(&r.to)) else { continue };
            if let Some(n) = a_links.get_mut(&(*from, *to, r.kind.as_str())).filter(|n| **n > 0) {
                *n -= 1;
                tp += 1;
            }
        }
        let (na, nb) = (dp.a.relations().len(), dp.b.relations().len());
        relations = relations.add(&Prf::new(tp, nb - tp, na - tp));
    }
    disagreements.sort();
    let mut exact_micro = Prf::new(0, 0, 0);
    let mut overlap_micro = Prf::new(0, 0, 0);
    let mut figures = BTreeMap::new();
    for (label, (ex, ov, [both, only_a, only_b, neither])) in per_label {
        exact_micro = exact_micro.add(&ex);
        overlap_micro = overlap_micro.add(&ov);
        let alpha = alpha_of(2, &[neither, only_a + only_b, both]);
        figures.insert(label, LabelFigures { exact: ex, overlap: ov, alpha, kappa: kappa_of(both, only_a, only_b, neither) });
    }
    let macro_f1 = |pick: fn(&LabelFigures) -> &Prf| {
        let fs: Vec<f64> = figures.values().filter_map(|f| pick(f).f1.value()).collect();
        if fs.is_empty() {
            Figure::why("no label has spans in either set")
        } else {
            Figure::Value(fs.iter().sum::<f64>() / fs.len() as f64)
        }
    };
    Pair {
        a: a.to_owned(),
        b: b.to_owned(),
        exact_macro_f1: macro_f1(|f| &f.exact),
        overlap_macro_f1: macro_f1(|f| &f.overlap),
        labels: figures,
        exact_micro,
        overlap_micro,
        boundary,
        confusion,
        relations,
        disagreements,
    }
}

fn units(labels: &LabelSet, doc: &Document, set: &AnnotationSet) -> Vec<Unit> {
    set.spans()
        .iter()
        .map(|s| Unit {
            doc: doc.id.clone(),
            set: set.id.clone(),
            span: s.id,
            start: s.range.start(),
            end: s.range.end(),
            label: labels.tag(&s.label, s.entity_type.as_deref()),
        })
        .collect()
}

/// Exact matches of B against A (one label): equal (start, end) counted as a multiset.
fn exact(a: &[&Unit], b: &[&Unit]) -> Prf {
    let ra: Vec<(usize, usize)> = a.iter().map(|u| (u.start, u.end)).collect();
    let rb: Vec<(usize, usize)> = b.iter().map(|u| (u.start, u.end)).collect();
    let same = multiset_common(&ra, &rb);
    Prf::new(same, b.len() - same, a.len() - same)
}

fn multiset_common(a: &[(usize, usize)], b: &[(usize, usize)]) -> usize {
    let mut count: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for r in a {
        *count.entry(*r).or_default() += 1;
    }
    b.iter()
        .filter(|r| match count.get_mut(r) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        })
        .count()
}

fn overlap_of(x: &Unit, y: &Unit) -> usize {
    x.end.min(y.end).saturating_sub(x.start.max(y.start))
}

/// Intersection over union, in characters.
pub fn iou_of(x: &Unit, y: &Unit) -> f64 {
    iou((x.start, x.end), (y.start, y.end))
}

/// Intersection over union of two half-open ranges; 0 when they do not overlap.
pub fn iou(a: (usize, usize), b: (usize, usize)) -> f64 {
    let inter = a.1.min(b.1).saturating_sub(a.0.max(b.0));
    // Overlapping ranges: their union runs from the first start to the last end.
    if inter == 0 {
        0.0
    } else {
        inter as f64 / (a.1.max(b.1) - a.0.min(b.0)) as f64
    }
}

/// A one-to-one matching of A's and B's spans that maximises the total overlap: spans that
/// overlap nothing are left out, and each cluster of overlapping spans is solved exactly
/// (Hungarian algorithm), so the result does not depend on the order of the spans.
///
/// Identical spans (same start, end and label) are paired first: some optimal matching
/// always pairs them (for x = y, |x∩y'| + |x'∩x| ≤ |x| + |x'∩y'|, so swapping partners to
/// pair them never loses overlap, and they carry the largest tie-break), and taking them out
/// leaves the Hungarian algorithm the small clusters where the sets differ.
fn assign<'u>(a: &[&'u Unit], b: &[&'u Unit]) -> Vec<(&'u Unit, &'u Unit)> {
    let key = |u: &Unit| (u.start, u.end, u.label.clone());
    let mut a_sorted: Vec<&'u Unit> = a.to_vec();
    let mut b_sorted: Vec<&'u Unit> = b.to_vec();
    a_sorted.sort_by_key(|u| (key(u), u.span));
    b_sorted.sort_by_key(|u| (key(u), u.span));
    let mut out = Vec::new();
    let (mut rest_a, mut rest_b) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < a_sorted.len() && j < b_sorted.len() {
        match key(a_sorted[i]).cmp(&key(b_sorted[j])) {
            std::cmp::Ordering::Equal => {
                out.push((a_sorted[i], b_sorted[j]));
                (i, j) = (i + 1, j + 1);
            }
            std::cmp::Ordering::Less => {
                rest_a.push(a_sorted[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                rest_b.push(b_sorted[j]);
                j += 1;
            }
        }
    }
    rest_a.extend_from_slice(&a_sorted[i..]);
    rest_b.extend_from_slice(&b_sorted[j..]);
    let (a, b) = (rest_a.as_slice(), rest_b.as_slice());
    // Clusters: connected runs of overlapping intervals over both sides.
    let mut all: Vec<(usize, usize, bool, usize)> = a.iter().enumerate().map(|(i, u)| (u.start, u.end, false, i)).collect();
    all.extend(b.iter().enumerate().map(|(i, u)| (u.start, u.end, true, i)));
    all.sort_unstable();
    let mut cluster: Vec<(bool, usize)> = Vec::new();
    let mut reach = 0usize;
    let flush = |cluster: &mut Vec<(bool, usize)>, out: &mut Vec<(&'u Unit, &'u Unit)>| {
        let ca: Vec<&'u Unit> = cluster.iter().filter(|(side, _)| !side).map(|(_, i)| a[*i]).collect();
        let cb: Vec<&'u Unit> = cluster.iter().filter(|(side, _)| *side).map(|(_, i)| b[*i]).collect();
        if !ca.is_empty() && !cb.is_empty() {
            // Total overlap first; among matchings with the same total, the one with more
            // equal labels, then more equal boundaries (a tie-break worth less, summed over
            // the whole cluster, than one character of overlap).
            let scale = 4 * (ca.len().min(cb.len()) as i64 + 1);
            let weight = |x: &Unit, y: &Unit| {
                let overlap = overlap_of(x, y) as i64;
                if overlap == 0 {
                    return 0;
                }
                overlap * scale + 2 * i64::from(x.label == y.label) + i64::from(x.start == y.start && x.end == y.end)
            };
            let weights: Vec<Vec<i64>> = ca.iter().map(|x| cb.iter().map(|y| weight(x, y)).collect()).collect();
            for (i, j) in hungarian_max(&weights) {
                if weights[i][j] > 0 {
                    out.push((ca[i], cb[j]));
                }
            }
        }
        cluster.clear();
    };
    for (start, end, side, i) in all {
        if !cluster.is_empty() && start >= reach {
            flush(&mut cluster, &mut out);
        }
        reach = if cluster.is_empty() { end } else { reach.max(end) };
        cluster.push((side, i));
    }
    flush(&mut cluster, &mut out);
    out
}

/// A maximum-weight assignment of rows to columns (rectangular, non-negative weights), as
/// (row, column) pairs: the Hungarian algorithm on costs `max - w`, padded to a square.
fn hungarian_max(w: &[Vec<i64>]) -> Vec<(usize, usize)> {
    let rows = w.len();
    let cols = w.first().map_or(0, Vec::len);
    let n = rows.max(cols);
    let top = w.iter().flatten().copied().max().unwrap_or(0);
    let cost = |i: usize, j: usize| if i < rows && j < cols { top - w[i][j] } else { top };
    // Potentials u, v and the matching p (column → row), 1-based with a virtual column 0.
    let (mut u, mut v, mut p, mut way) = (vec![0i64; n + 1], vec![0i64; n + 1], vec![0usize; n + 1], vec![0usize; n + 1]);
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![i64::MAX; n + 1];
        let mut used = vec![false; n + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = i64::MAX;
            let mut j1 = 0;
            for j in 1..=n {
                if !used[j] {
                    let cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=n {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    (1..=n).filter(|&j| p[j] != 0 && p[j] <= rows && j <= cols).map(|j| (p[j] - 1, j - 1)).collect()
}

/// The half-open ranges of `units` with this label, in any order.
fn ranges_of(units: &[Unit], label: &str) -> Vec<(usize, usize)> {
    units.iter().filter(|u| u.label == label).map(|u| (u.start, u.end)).collect()
}

/// A document's characters that count as units for α and κ (all but whitespace), by
/// position: `before[i]` is how many of them come before code point `i`.
pub(crate) struct Solid {
    before: Vec<u32>,
}

impl Solid {
    /// Counts the text's non-whitespace characters once.
    pub(crate) fn new(text: &str) -> Self {
        let mut before = Vec::with_capacity(text.len() + 1);
        let mut n = 0u32;
        before.push(0);
        for c in text.chars() {
            n += u32::from(!c.is_whitespace());
            before.push(n);
        }
        Solid { before }
    }

    fn between(&self, start: usize, end: usize) -> usize {
        let at = |i: usize| self.before[i.min(self.before.len() - 1)];
        (at(end) - at(start)) as usize
    }

    /// How many units lie inside at least one of `ranges`.
    fn count(&self, ranges: &[(usize, usize)]) -> usize {
        self.coded(&[ranges])[1]
    }

    /// For coders each coding 1 inside their ranges: how many units exactly k of them code 1,
    /// for k = 0 … coders. A sweep over the ranges' ends, not over the characters.
    pub(crate) fn coded(&self, coders: &[&[(usize, usize)]]) -> Vec<usize> {
        let mut events: Vec<(usize, i32, usize)> = Vec::new();
        for (c, ranges) in coders.iter().enumerate() {
            for &(s, e) in *ranges {
                events.push((s, 1, c));
                events.push((e, -1, c));
            }
        }
        events.sort_unstable();
        let mut depth = vec![0i32; coders.len()];
        let mut hist = vec![0usize; coders.len() + 1];
        let mut pos = 0;
        let inside = |depth: &[i32]| depth.iter().filter(|d| **d > 0).count();
        for (at, delta, c) in events {
            hist[inside(&depth)] += self.between(pos, at);
            pos = at;
            depth[c] += delta;
        }
        hist[0] += self.between(pos, self.before.len() - 1);
        hist
    }
}

/// Krippendorff's α, nominal, for binary codes: `hist[k]` units were coded 1 by exactly k of
/// the `coders` coders (and 0 by the others), every coder coding every unit.
pub fn alpha_of(coders: usize, hist: &[usize]) -> Figure {
    let units: usize = hist.iter().sum();
    if coders < 2 || units == 0 {
        return Figure::why("fewer than two sets, or no characters to code");
    }
    let m = coders as f64;
    let (mut n1, mut within) = (0f64, 0f64);
    for (ones, count) in hist.iter().enumerate() {
        let (ones, count) = (ones as f64, *count as f64);
        n1 += ones * count;
        within += ones * (m - ones) * count;
    }
    let n = m * units as f64;
    let n0 = n - n1;
    if n1 == 0.0 || n0 == 0.0 {
        return Figure::why(if n1 == 0.0 { "no spans of this label in any set" } else { "every character is inside a span of this label in every set" });
    }
    let observed = 2.0 * within / (m - 1.0) / n;
    let expected = 2.0 * n0 * n1 / (n * (n - 1.0));
    Figure::Value(1.0 - observed / expected)
}

/// Cohen's κ for two coders' binary codes, from how many units both, only the first, only
/// the second and neither coded 1.
pub fn kappa_of(both: usize, only_a: usize, only_b: usize, neither: usize) -> Figure {
    let n = (both + only_a + only_b + neither) as f64;
    if n == 0.0 {
        return Figure::why("no characters to code");
    }
    let agree = (both + neither) as f64 / n;
    let pa = (both + only_a) as f64 / n;
    let pb = (both + only_b) as f64 / n;
    let chance = pa * pb + (1.0 - pa) * (1.0 - pb);
    if chance >= 1.0 {
        return Figure::why("both sets code every character the same way (no spans of this label, or only this label), so chance agreement is 1");
    }
    Figure::Value((agree - chance) / (1.0 - chance))
}

/// Krippendorff's α, nominal, for coders that all coded every unit (binary codes).
pub fn alpha(coders: &[&[bool]]) -> Figure {
    let units = coders.first().map_or(0, |c| c.len());
    let mut hist = vec![0usize; coders.len() + 1];
    for u in 0..units {
        hist[coders.iter().filter(|c| c[u]).count()] += 1;
    }
    alpha_of(coders.len(), &hist)
}

/// Cohen's κ for two coders (binary codes of the same units).
pub fn kappa(a: &[bool], b: &[bool]) -> Figure {
    let count = |x: bool, y: bool| a.iter().zip(b).filter(|(p, q)| **p == x && **q == y).count();
    kappa_of(count(true, true), count(true, false), count(false, true), count(false, false))
}

/// For three or more sets: every pair's overlap micro F1, A's name → B's name → F1.
pub fn matrix(pairs: &[Pair]) -> BTreeMap<String, BTreeMap<String, Figure>> {
    let mut out: BTreeMap<String, BTreeMap<String, Figure>> = BTreeMap::new();
    for p in pairs {
        out.entry(p.a.clone()).or_default().insert(p.b.clone(), p.overlap_micro.f1.clone());
        out.entry(p.b.clone()).or_default().insert(p.a.clone(), p.overlap_micro.f1.clone());
    }
    out
}

#[cfg(test)]
mod tests;
