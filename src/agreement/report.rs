//! The agreement report of a workspace: which sets are compared (by id, name or annotator),
//! over which documents, every pair's figures, the pairwise matrix and α over all the sets
//! together, with the report as CSV. The page and `spanwright agree` both build it here, so
//! they show the same figures.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{alpha_of, compare_with, matrix, ranges_of, units, DocPair, Figure, Pair, Prf, Solid};
use crate::model::{AnnotationSet, Document, Workspace};

/// Every pair's figures and what they were computed over.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// θ of the overlap agreement.
    pub iou: f64,
    /// The sets compared, as the user named them.
    pub sets: Vec<String>,
    /// Every pair, in the order of `sets`.
    pub pairs: Vec<PairReport>,
    /// Overlap micro F1 of every pair, both ways.
    pub matrix: BTreeMap<String, BTreeMap<String, Figure>>,
    /// Krippendorff's α of all the sets together, per label, over the documents that every
    /// set annotated.
    pub alpha: BTreeMap<String, Figure>,
    /// How many documents every set annotated (what `alpha` counts over).
    pub alpha_documents: usize,
}

/// One pair's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairReport {
    /// How many documents both sets annotated.
    pub documents: usize,
    /// The figures.
    #[serde(flatten)]
    pub pair: Pair,
}

/// Why there is no report.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// Fewer than two sets named.
    #[error("agreement needs two or more sets; {} named: {}", .0.len(), .0.join(", "))]
    TooFewSets(Vec<String>),
    /// No document to compare over.
    #[error("there is no document to compare over")]
    NoDocuments,
    /// No document has sets of two of those named.
    #[error("no document has sets for two of: {}", .0.join(", "))]
    NothingInCommon(Vec<String>),
}

/// Who a set belongs to, for comparing across documents: its annotator, or its name when the
/// annotator is not given.
pub fn owner(set: &AnnotationSet) -> &str {
    if set.annotator.trim().is_empty() {
        &set.name
    } else {
        &set.annotator
    }
}

/// The workspace's sets by document, in workspace order.
fn by_document(ws: &Workspace) -> std::collections::HashMap<&str, Vec<&AnnotationSet>> {
    let mut out: std::collections::HashMap<&str, Vec<&AnnotationSet>> = std::collections::HashMap::new();
    for s in ws.sets() {
        out.entry(s.doc_id.as_str()).or_default().push(s);
    }
    out
}

/// How a set is shown beside others: "Ana's set (Ana)", or its name alone when the annotator
/// is not given or is the name.
pub fn set_title(set: &AnnotationSet) -> String {
    if set.annotator.trim().is_empty() || set.annotator == set.name {
        set.name.clone()
    } else {
        format!("{} ({})", set.name, set.annotator)
    }
}

/// True when `selector` names `set`: its id, its name or its annotator.
pub fn names(selector: &str, set: &AnnotationSet) -> bool {
    set.id == selector || set.name == selector || set.annotator == selector
}

/// The owners of the sets of these documents, in first-seen order: what is compared when the
/// user names no sets.
pub fn owners(ws: &Workspace, docs: &[&Document]) -> Vec<String> {
    let by_doc = by_document(ws);
    let mut seen: Vec<String> = Vec::new();
    for d in docs {
        for s in by_doc.get(d.id.as_str()).into_iter().flatten() {
            if !seen.iter().any(|x| x == owner(s)) {
                seen.push(owner(s).to_owned());
            }
        }
    }
    seen
}

/// The report of the sets `selectors` name (ids, names or annotators) over `docs`, overlap
/// at IoU ≥ `iou`. On each document, a selector takes the first set it names.
pub fn report(ws: &Workspace, selectors: &[String], docs: &[&Document], iou: f64) -> Result<Report, ReportError> {
    report_with(ws, selectors, docs, iou, &mut |_, _| {})
}

/// [`report`], calling `progress(done, total)` as documents are compared (a document counts
/// once per pair of sets that annotated it).
pub fn report_with(ws: &Workspace, selectors: &[String], docs: &[&Document], iou: f64, progress: &mut dyn FnMut(usize, usize)) -> Result<Report, ReportError> {
    if selectors.len() < 2 {
        return Err(ReportError::TooFewSets(selectors.to_vec()));
    }
    if docs.is_empty() {
        return Err(ReportError::NoDocuments);
    }
    // Each document's sets, found once: a scan of every set per document and selector made a
    // corpus quadratic.
    let by_doc = by_document(ws);
    let find = |d: &Document, sel: &str| by_doc.get(d.id.as_str()).and_then(|sets| sets.iter().copied().find(|s| names(sel, s)));
    let mut all_pairs = Vec::new();
    for (i, a) in selectors.iter().enumerate() {
        for b in &selectors[i + 1..] {
            let dps: Vec<DocPair<'_>> = docs.iter().filter_map(|d| Some(DocPair { doc: d, a: find(d, a)?, b: find(d, b)? })).collect();
            all_pairs.push((a, b, dps));
        }
    }
    let total = all_pairs.iter().map(|(_, _, d)| d.len()).sum();
    let mut before = 0;
    let mut pairs = Vec::new();
    for (a, b, dps) in all_pairs {
        let pair = compare_with(&ws.labels, a, b, &dps, iou, &mut |n| progress(before + n, total));
        before += dps.len();
        pairs.push(PairReport { documents: dps.len(), pair });
    }
    if pairs.iter().all(|p| p.documents == 0) {
        return Err(ReportError::NothingInCommon(selectors.to_vec()));
    }
    // α of all the sets together, over the documents every one of them annotated: per
    // label, how many characters exactly k of the sets code as inside. For two sets that is
    // their pair's α, already counted.
    if selectors.len() == 2 {
        let alpha = pairs[0].pair.labels.iter().map(|(label, f)| (label.clone(), f.alpha.clone())).collect();
        let all: Vec<Pair> = vec![pairs[0].pair.clone()];
        return Ok(Report { iou, sets: selectors.to_vec(), matrix: matrix(&all), alpha_documents: pairs[0].documents, pairs, alpha });
    }
    let full: Vec<(&Document, Vec<&AnnotationSet>)> =
        docs.iter().filter_map(|d| Some((*d, selectors.iter().map(|s| find(d, s)).collect::<Option<Vec<_>>>()?))).collect();
    let mut hists: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let all_units: Vec<Vec<Vec<super::Unit>>> = full.iter().map(|(d, sets)| sets.iter().map(|s| units(&ws.labels, d, s)).collect()).collect();
    for label in all_units.iter().flatten().flatten().map(|u| u.label.clone()) {
        hists.entry(label).or_insert_with(|| vec![0; selectors.len() + 1]);
    }
    for ((d, _), per_set) in full.iter().zip(&all_units) {
        let solid = Solid::new(&d.text);
        for (label, hist) in hists.iter_mut() {
            let ranges: Vec<Vec<(usize, usize)>> = per_set.iter().map(|us| ranges_of(us, label)).collect();
            let coded = solid.coded(&ranges.iter().map(Vec::as_slice).collect::<Vec<_>>());
            hist.iter_mut().zip(coded).for_each(|(h, c)| *h += c);
        }
    }
    let alpha = hists.iter().map(|(label, hist)| (label.clone(), alpha_of(selectors.len(), hist))).collect();
    let all: Vec<Pair> = pairs.iter().map(|p| p.pair.clone()).collect();
    Ok(Report { iou, sets: selectors.to_vec(), matrix: matrix(&all), pairs, alpha, alpha_documents: full.len() })
}

impl Report {
    /// The report as CSV (RFC 4180): one row per pair and label, then each pair's micro
    /// figures, boundaries and relations, then α of all sets. An undefined figure is an
    /// empty cell, with the reason in `note`.
    pub fn csv(&self) -> String {
        let mut out = String::from(
            "a,b,documents,label,exact_tp,exact_fp,exact_fn,exact_precision,exact_recall,exact_f1,\
             overlap_tp,overlap_fp,overlap_fn,overlap_precision,overlap_recall,overlap_f1,alpha,kappa,iou,note\r\n",
        );
        let fig = |f: &Figure, notes: &mut Vec<String>, name: &str| match f {
            Figure::Value(v) => format!("{v:.6}"),
            Figure::Undefined { undefined } => {
                notes.push(format!("{name}: {undefined}"));
                String::new()
            }
        };
        let prf = |p: &Prf, notes: &mut Vec<String>, name: &str| {
            let cells = [
                p.tp.to_string(),
                p.fp.to_string(),
                p.fn_.to_string(),
                fig(&p.precision, notes, &format!("{name} precision")),
                fig(&p.recall, notes, &format!("{name} recall")),
                fig(&p.f1, notes, &format!("{name} F1")),
            ];
            cells.join(",")
        };
        let empty_prf = ",,,,,";
        let mut row = |a: &str, b: &str, docs: usize, label: &str, exact: String, overlap: String, alpha: String, kappa: String, notes: Vec<String>| {
            let cells = [cell(a), cell(b), docs.to_string(), cell(label), exact, overlap, alpha, kappa, self.iou.to_string(), cell(&notes.join("; "))];
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        };
        for p in &self.pairs {
            let (a, b, n) = (&p.pair.a, &p.pair.b, p.documents);
            for (label, f) in &p.pair.labels {
                let mut notes = Vec::new();
                let (e, o) = (prf(&f.exact, &mut notes, "exact"), prf(&f.overlap, &mut notes, "overlap"));
                let (al, ka) = (fig(&f.alpha, &mut notes, "α"), fig(&f.kappa, &mut notes, "κ"));
                row(a, b, n, label, e, o, al, ka, notes);
            }
            let mut notes = Vec::new();
            let (e, o) = (prf(&p.pair.exact_micro, &mut notes, "exact"), prf(&p.pair.overlap_micro, &mut notes, "overlap"));
            row(a, b, n, "all (micro)", e, o, String::new(), String::new(), notes);
            let mut notes = Vec::new();
            let bd = prf(&p.pair.boundary, &mut notes, "boundary");
            row(a, b, n, "boundaries (labels ignored)", bd, empty_prf.into(), String::new(), String::new(), notes);
            let mut notes = Vec::new();
            let rel = prf(&p.pair.relations, &mut notes, "relations");
            row(a, b, n, "relations", rel, empty_prf.into(), String::new(), String::new(), notes);
        }
        let everyone = self.sets.join(" + ");
        for (label, f) in &self.alpha {
            let mut notes = Vec::new();
            let al = fig(f, &mut notes, "α");
            row(&everyone, "", self.alpha_documents, label, empty_prf.into(), empty_prf.into(), al, String::new(), notes);
        }
        out
    }
}

/// One CSV cell: quoted when it holds a comma, a quote or a line break.
fn cell(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        agreement::tests::set,
        model::{Document, Origin},
    };

    fn ws_of(sets: Vec<AnnotationSet>, docs: Vec<Document>) -> Workspace {
        let mut ws = Workspace::default();
        for d in docs {
            ws.insert_document(usize::MAX, std::sync::Arc::new(d)).unwrap();
        }
        for s in sets {
            ws.insert_set(usize::MAX, s).unwrap();
        }
        ws
    }

    #[test]
    fn three_annotators_give_every_pair_a_matrix_and_alpha_over_all_three() {
        let d = Document::new("d", "Jane Roe said Acme will grow.", Origin::User);
        let mut a = set("a", &d, &[(0, 8, "entity", Some("person")), (14, 18, "entity", Some("organisation"))]);
        let mut b = set("b", &d, &[(0, 8, "entity", Some("person")), (14, 18, "entity", Some("person"))]);
        let mut c = set("c", &d, &[(0, 8, "entity", Some("person"))]);
        for (s, who) in [(&mut a, "Ann"), (&mut b, "Bo"), (&mut c, "Cy")] {
            s.annotator = who.into();
        }
        let ws = ws_of(vec![a, b, c], vec![d]);
        let docs: Vec<&Document> = ws.documents().iter().map(|d| &**d).collect();
        assert_eq!(owners(&ws, &docs), vec!["Ann", "Bo", "Cy"]);
        let r = report(&ws, &owners(&ws, &docs), &docs, 0.5).unwrap();
        assert_eq!(r.pairs.len(), 3);
        assert_eq!((r.pairs[0].pair.a.as_str(), r.pairs[0].pair.b.as_str()), ("Ann", "Bo"));
        // Ann and Bo: Jane Roe matches, Acme does not (ORG vs PERSON): overlap F1 = 2/4.
        assert_eq!(r.matrix["Ann"]["Bo"], Figure::Value(0.5));
        assert_eq!(r.matrix["Bo"]["Ann"], Figure::Value(0.5));
        // PERSON over all three: the 7 letters of "Jane Roe" coded 1 by all; "Acme" (4
        // letters) 1 by Bo only; 13 other characters coded 0 by all. n = 3 × 24 = 72,
        // n1 = 21 + 4 = 25, n0 = 47; disagreement within units: 4 units × (1 × 2) = 8.
        // Do = 2·8 / (2 · 72) = 1/9; De = 2·47·25 / (72·71); α = 1 − Do/De.
        let de = 2.0 * 47.0 * 25.0 / (72.0 * 71.0);
        let want = 1.0 - (1.0 / 9.0) / de;
        assert!((r.alpha["PERSON"].value().unwrap() - want).abs() < 1e-12, "{:?} vs {want}", r.alpha["PERSON"]);
        assert_eq!(r.alpha_documents, 1);
        let mut seen = Vec::new();
        let again = report_with(&ws, &owners(&ws, &docs), &docs, 0.5, &mut |done, total| seen.push((done, total))).unwrap();
        assert_eq!(again, r);
        assert_eq!(seen, vec![(1, 3), (2, 3), (3, 3)], "one document per pair of sets");
        let csv = r.csv();
        assert!(csv.starts_with("a,b,documents,label,exact_tp"));
        assert!(csv.contains("\r\nAnn,Bo,1,PERSON,1,1,0,0.500000,1.000000,0.666667,1,1,0,"), "{csv}");
        assert!(csv.contains("Ann + Bo + Cy,,1,PERSON,"), "{csv}");
        // Undefined figures are empty cells with the reason in the note, never NaN.
        assert!(!csv.contains("NaN"));
        assert!(csv.contains("exact precision: B has no spans here"), "{csv}");
    }

    #[test]
    fn too_few_sets_or_nothing_in_common_is_said_plainly() {
        let d = Document::new("d", "Text.", Origin::User);
        let e = Document::new("e", "Other.", Origin::User);
        let a = set("a", &d, &[(0, 4, "claim", None)]);
        let b = set("b", &e, &[(0, 5, "claim", None)]);
        let ws = ws_of(vec![a, b], vec![d, e]);
        let docs: Vec<&Document> = ws.documents().iter().map(|d| &**d).collect();
        assert_eq!(report(&ws, &["a".into()], &docs, 0.5), Err(ReportError::TooFewSets(vec!["a".into()])));
        let err = report(&ws, &["a".into(), "b".into()], &docs, 0.5).unwrap_err();
        assert_eq!(err.to_string(), "no document has sets for two of: a, b");
        assert_eq!(report(&ws, &["a".into(), "b".into()], &[], 0.5), Err(ReportError::NoDocuments));
    }

    #[test]
    fn csv_cells_with_commas_and_quotes_are_quoted() {
        assert_eq!(cell("Roe, \"J\""), "\"Roe, \"\"J\"\"\"");
        assert_eq!(cell("plain"), "plain");
    }
}
