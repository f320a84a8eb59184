//! The agreement report as the page shows it, made in the formats worker: a list of blocks of
//! plain strings (headings, tables, lists of disagreements, the two sets over the text). The
//! page only draws them, so the figures' types and their (de)serialisation stay out of the
//! page's module, and a corpus is laid out off the page's thread.
//!
//! Each block is a list of strings whose first names its kind:
//! - `["h", level, text]`: a heading;
//! - `["p", text]`: a paragraph;
//! - `["table", caption, columns, header…, cell…]`: a table, the first cell of each row its
//!   header; `["heat", …]` is the same, its cells shaded by value;
//! - `["list", label, (text, doc, set, span)…]`: disagreements, each with where it is (the
//!   place left empty when there is none);
//! - `["compare", label, (class, text)…]`: the article with both sets drawn over it, each
//!   stretch marked `agreed`, `only-a`, `only-b`, `differs` or `` (no span).
//!
//! An adjudication's conflicts are laid out the same way ([`conflicts`]).

use std::collections::HashMap;

use super::{
    adjudicate::{ConflictKind, Plan, Version},
    report::{PairReport, Report},
    Difference, Figure, Prf, Unit, NOTHING,
};
use crate::{
    layout::describe_label,
    model::{CharRange, Workspace},
};

/// What the view shows for sets and how far.
pub struct Options<'a> {
    /// How a set selector is shown ("Ana's set (Ana)").
    pub name_of: &'a dyn Fn(&str) -> String,
    /// Draw each pair's sets over the text (one document only).
    pub compare: Option<&'a str>,
}

/// The report as blocks of strings.
pub fn blocks(ws: &Workspace, report: &Report, opts: &Options<'_>) -> Vec<Vec<String>> {
    let name = opts.name_of;
    let mut out: Vec<Vec<String>> = Vec::new();
    if report.sets.len() > 2 {
        let mut heat = vec!["heat".to_owned(), "Overlap F1 of every pair of sets".to_owned(), (report.sets.len() + 1).to_string(), String::new()];
        heat.extend(report.sets.iter().map(|s| name(s)));
        for a in &report.sets {
            heat.push(name(a));
            for b in &report.sets {
                heat.push(if a == b { "—".to_owned() } else { report.matrix.get(a).and_then(|r| r.get(b)).map_or("—".to_owned(), Figure::show) });
            }
        }
        out.push(heat);
        let docs = report.alpha_documents;
        out.push(vec![
            "h".into(),
            "3".into(),
            format!("Krippendorff's α of all {} sets together ({docs} article{} every set annotated)", report.sets.len(), plural(docs)),
        ]);
        let mut table = vec!["table".to_owned(), "α of all sets, per label".to_owned(), "2".into(), "Label".into(), "α".into()];
        let mut notes = Vec::new();
        for (label, f) in &report.alpha {
            table.push(label.clone());
            table.push(show(f, &mut notes, &format!("{label} α")));
        }
        out.push(table);
        push_notes(&mut out, notes);
    }
    for p in &report.pairs {
        pair(ws, report, p, opts, &mut out);
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A figure as a cell; an undefined one is "—", its reason kept for the notes under the table.
fn show(f: &Figure, notes: &mut Vec<String>, what: &str) -> String {
    if let Figure::Undefined { undefined } = f {
        notes.push(format!("{what} is undefined: {undefined}."));
    }
    f.show()
}

fn push_notes(out: &mut Vec<Vec<String>>, notes: Vec<String>) {
    if !notes.is_empty() {
        out.push(vec!["p".into(), notes.join(" ")]);
    }
}

fn prf(p: &Prf, notes: &mut Vec<String>, what: &str) -> [String; 4] {
    [
        show(&p.precision, notes, &format!("{what} precision")),
        show(&p.recall, notes, &format!("{what} recall")),
        show(&p.f1, notes, &format!("{what} F1")),
        format!("{}/{}/{}", p.tp, p.fp, p.fn_),
    ]
}

fn pair(ws: &Workspace, report: &Report, p: &PairReport, opts: &Options<'_>, out: &mut Vec<Vec<String>>) {
    let (a, b) = ((opts.name_of)(&p.pair.a), (opts.name_of)(&p.pair.b));
    out.push(vec!["h".into(), "3".into(), format!("{a} and {b} ({} article{}, overlap at IoU ≥ {})", p.documents, plural(p.documents), report.iou)]);
    let head = ["Label", "Exact P", "Exact R", "Exact F1", "Exact tp/fp/fn", "Overlap P", "Overlap R", "Overlap F1", "Overlap tp/fp/fn", "α", "κ"];
    let mut t: Vec<String> = vec!["table".into(), format!("Agreement of {b} with {a}, per label"), head.len().to_string()];
    t.extend(head.iter().map(|h| (*h).to_owned()));
    let mut notes = Vec::new();
    for (label, f) in &p.pair.labels {
        t.push(label.clone());
        t.extend(prf(&f.exact, &mut notes, &format!("{label} exact")));
        t.extend(prf(&f.overlap, &mut notes, &format!("{label} overlap")));
        t.push(show(&f.alpha, &mut notes, &format!("{label} α")));
        t.push(show(&f.kappa, &mut notes, &format!("{label} κ")));
    }
    let blank = || String::new();
    t.push("All (micro)".into());
    t.extend(prf(&p.pair.exact_micro, &mut notes, "micro exact"));
    t.extend(prf(&p.pair.overlap_micro, &mut notes, "micro overlap"));
    t.extend([blank(), blank()]);
    t.push("Macro F1".into());
    t.extend([blank(), blank(), show(&p.pair.exact_macro_f1, &mut notes, "exact macro F1"), blank()]);
    t.extend([blank(), blank(), show(&p.pair.overlap_macro_f1, &mut notes, "overlap macro F1"), blank(), blank(), blank()]);
    for (row, figures) in [("Boundaries (labels ignored)", &p.pair.boundary), ("Relations", &p.pair.relations)] {
        t.push(row.into());
        t.extend(prf(figures, &mut notes, row));
        t.extend([blank(), blank(), blank(), blank(), blank(), blank()]);
    }
    out.push(t);
    push_notes(out, notes);

    // Confusion of matched labels.
    if !p.pair.confusion.is_empty() {
        let mut cols: Vec<&String> = p.pair.confusion.values().flat_map(|r| r.keys()).collect();
        cols.sort();
        cols.dedup();
        let mut t = vec![
            "table".to_owned(),
            format!("Labels of matched spans: rows are {a}'s, columns {b}'s ({NOTHING} = unmatched)"),
            (cols.len() + 1).to_string(),
            String::new(),
        ];
        t.extend(cols.iter().map(|c| (*c).clone()));
        for (la, row) in &p.pair.confusion {
            t.push(la.clone());
            t.extend(cols.iter().map(|c| row.get(*c).copied().unwrap_or(0).to_string()));
        }
        out.push(t);
    }

    // Every disagreement, each with where it is.
    out.push(vec!["h".into(), "4".into(), format!("Disagreements of {a} and {b}: {}", p.pair.disagreements.len())]);
    let mut texts = Texts::new(ws);
    let mut list = vec!["list".to_owned(), format!("Disagreements of {a} and {b}")];
    // The page lists the first ones; the downloaded report has them all.
    for d in p.pair.disagreements.iter().take(LISTED) {
        let what = match d.kind {
            Difference::OnlyInA => format!("Only in {a}"),
            Difference::OnlyInB => format!("Only in {b}"),
            Difference::BoundaryDiffers => "Boundary differs".to_owned(),
            Difference::LabelDiffers => "Label differs".to_owned(),
            Difference::BoundaryAndLabelDiffer => "Boundary and label differ".to_owned(),
        };
        let parts: Vec<String> = [(&d.a, &a), (&d.b, &b)]
            .into_iter()
            .filter_map(|(u, who)| u.as_ref().map(|u| format!("{who}: {} “{}” ({}–{})", u.label, texts.of(u), u.start, u.end)))
            .collect();
        list.push(format!("{what} — {}", parts.join("; ")));
        let place = d.a.as_ref().or(d.b.as_ref());
        list.push(place.map(|u| u.doc.clone()).unwrap_or_default());
        list.push(place.map(|u| u.set.clone()).unwrap_or_default());
        list.push(place.map(|u| u.span.to_string()).unwrap_or_default());
    }
    out.push(list);
    if p.pair.disagreements.len() > LISTED {
        out.push(vec!["p".into(), format!("… and {} more, in the downloaded report.", p.pair.disagreements.len() - LISTED)]);
    }

    if let Some(doc) = opts.compare {
        if let Some(block) = compare(ws, doc, p, &a, &b) {
            out.push(block);
        }
    }
}

/// Spans' texts, each document's index made once.
struct Texts<'w> {
    ws: &'w Workspace,
    docs: HashMap<String, Vec<char>>,
}

impl<'w> Texts<'w> {
    fn new(ws: &'w Workspace) -> Self {
        Texts { ws, docs: HashMap::new() }
    }

    fn of(&mut self, u: &Unit) -> String {
        let ws = self.ws;
        let chars = self.docs.entry(u.doc.clone()).or_insert_with(|| ws.document(&u.doc).map(|d| d.text.chars().collect()).unwrap_or_default());
        chars.get(u.start..u.end).map(|c| c.iter().collect()).unwrap_or_default()
    }
}

/// How a stretch of text is marked, by precedence (later wins).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Agreed = 0,
    OnlyA = 1,
    OnlyB = 2,
    Differs = 3,
}

const CLASSES: [&str; 4] = ["agreed", "only-a", "only-b", "differs"];

/// The document with both sets drawn over it, as (class, text) stretches.
fn compare(ws: &Workspace, doc: &str, p: &PairReport, a: &str, b: &str) -> Option<Vec<String>> {
    let d = ws.document(doc)?;
    let find = |sel: &str| ws.sets_of(doc).find(|s| super::report::names(sel, s));
    let (set_a, set_b) = (find(&p.pair.a)?, find(&p.pair.b)?);
    let mut marks: HashMap<(bool, u64), Mark> = HashMap::new();
    for dis in &p.pair.disagreements {
        let m = match dis.kind {
            Difference::OnlyInA => Mark::OnlyA,
            Difference::OnlyInB => Mark::OnlyB,
            _ => Mark::Differs,
        };
        if let Some(u) = &dis.a {
            marks.insert((true, u.span), m);
        }
        if let Some(u) = &dis.b {
            marks.insert((false, u.span), m);
        }
    }
    let mut events: Vec<(usize, i32, Mark)> = Vec::new();
    for (is_a, set) in [(true, set_a), (false, set_b)] {
        for s in set.spans() {
            let m = marks.get(&(is_a, s.id)).copied().unwrap_or(Mark::Agreed);
            events.push((s.range.start(), 1, m));
            events.push((s.range.end(), -1, m));
        }
    }
    events.sort_by_key(|e| (e.0, e.1));
    let index = d.index();
    let len = index.char_len();
    let mut out = vec!["compare".to_owned(), format!("{a} and {b} over the text")];
    let mut open = [0i32; 4];
    let mut pos = 0;
    let flush = |from: usize, to: usize, open: &[i32; 4], out: &mut Vec<String>| {
        if from < to {
            let top = [Mark::Differs, Mark::OnlyB, Mark::OnlyA, Mark::Agreed].into_iter().find(|m| open[*m as usize] > 0);
            out.push(top.map_or("", |m| CLASSES[m as usize]).to_owned());
            out.push(CharRange::new(from, to, len).map(|r| index.slice(r).to_owned()).unwrap_or_default());
        }
    };
    for (at, delta, m) in events {
        let at = at.min(len);
        flush(pos, at, &open, &mut out);
        pos = pos.max(at);
        open[m as usize] += delta;
    }
    flush(pos, len, &open, &mut out);
    Some(out)
}

/// An adjudication's conflicts as the page shows them: a first block
/// `["summary", text, set names…]`, then per conflict
/// `["conflict", key, title, before, place, after, start, end, label, editable, version…]`:
/// the text around the conflict with the place itself apart, the first version's start, end
/// and label (`entity/person`) to begin a hand edit from, `1` when a hand edit applies (not
/// for links), and each set's version in words.
pub fn conflicts(ws: &Workspace, doc: &str, plan: &Plan, k: usize) -> Vec<Vec<String>> {
    let Some(d) = ws.document(doc) else { return Vec::new() };
    let labels = &ws.labels;
    let index = d.index();
    let len = index.char_len();
    let slice = |a: usize, b: usize| CharRange::new(a, b.min(len), len).map(|r| index.slice(r).to_owned()).unwrap_or_default();
    let version = |v: &Version| format!("{} “{}” ({}–{})", describe_label(labels, &v.label, v.entity_type.as_deref()), slice(v.start, v.end), v.start, v.end);
    // Named as the Agreement region names them, so two sets of one name stay apart.
    let names: Vec<String> = plan.sets.iter().map(|id| ws.set(id).map_or_else(|| id.clone(), super::report::set_title)).collect();
    let mut summary = vec![
        "summary".to_owned(),
        format!(
            "{} span{} that at least {k} of the {} sets have {} taken at once, and {} link{}; {} conflict{} to decide.",
            plan.agreed.len(),
            plural(plan.agreed.len()),
            plan.sets.len(),
            if plan.agreed.len() == 1 { "is" } else { "are" },
            plan.agreed_links.len(),
            plural(plan.agreed_links.len()),
            plan.conflicts.len(),
            plural(plan.conflicts.len())
        ),
    ];
    summary.extend(names);
    let mut out = vec![summary];
    for c in &plan.conflicts {
        let all = c.versions.iter().flatten();
        let start = all.clone().map(|v| v.start).min().unwrap_or(c.at);
        let end = all.map(|v| v.end).max().unwrap_or(c.at);
        let (from, to) = (start.saturating_sub(60), (end + 60).min(len));
        let kind = match c.kind {
            ConflictKind::Boundary => "boundaries differ",
            ConflictKind::Label => "labels differ",
            ConflictKind::BoundaryAndLabel => "boundaries and labels differ",
            ConflictKind::Missing => "a span only some sets have",
            ConflictKind::Relation => "a link only some sets have",
        };
        let first = c.versions.iter().flatten().next();
        let mut block = vec![
            "conflict".to_owned(),
            c.key.clone(),
            kind.to_owned(),
            format!("{}{}", if from > 0 { "…" } else { "" }, slice(from, start)),
            slice(start, end),
            format!("{}{}", slice(end, to), if to < len { "…" } else { "" }),
            first.map_or(0, |v| v.start).to_string(),
            first.map_or(0, |v| v.end).to_string(),
            first.map(|v| format!("{}{}", v.label, v.entity_type.as_deref().map(|t| format!("/{t}")).unwrap_or_default())).unwrap_or_default(),
            if c.link.is_none() { "1" } else { "" }.to_owned(),
        ];
        for vs in &c.versions {
            block.push(match (&c.link, vs.is_empty()) {
                (Some(_), true) => "no link here".to_owned(),
                (Some(l), false) => {
                    let kind = labels.relation_type(&l.kind).map_or(l.kind.as_str(), |r| r.name.as_str());
                    format!("links {} → {} ({kind})", version(&l.from), version(&l.to))
                }
                (None, true) => "nothing here".to_owned(),
                (None, false) => vs.iter().map(&version).collect::<Vec<_>>().join("; "),
            });
        }
        out.push(block);
    }
    out
}

/// How many disagreements of a pair the page lists; the downloaded report has them all.
pub const LISTED: usize = 500;

/// The blocks as HTML for the page, every text escaped: the page puts it in as it is, so the
/// report's layout code stays in the worker. Disagreements are buttons carrying their place
/// (`data-doc`, `data-set`, `data-span`); a heat map's cells are shaded by class (no inline
/// styles, for a strict Content-Security-Policy); the two sets over the text sit in a
/// `details` element, closed.
pub fn to_html(blocks: &[Vec<String>]) -> String {
    let mut out = String::new();
    for b in blocks {
        let at = |i: usize| b.get(i).map_or("", String::as_str);
        match at(0) {
            "h" => {
                let level = if at(1) == "4" { "h4" } else { "h3" };
                out.push_str(&format!("<{level}>{}</{level}>", esc(at(2))));
            }
            "p" => out.push_str(&format!("<p class=\"agreement-notes\">{}</p>", esc(at(1)))),
            kind @ ("table" | "heat") => {
                let cols: usize = at(2).parse().unwrap_or(1).max(1);
                let cells = b.get(3..).unwrap_or_default();
                out.push_str(&format!("<table class=\"{}\"><caption>{}</caption><thead><tr>", if kind == "heat" { "heat-map" } else { "figures" }, esc(at(1))));
                for c in cells.iter().take(cols) {
                    out.push_str(&format!("<th scope=\"col\">{}</th>", esc(c)));
                }
                out.push_str("</tr></thead><tbody>");
                for row in cells.chunks(cols).skip(1) {
                    out.push_str(&format!("<tr><th scope=\"row\">{}</th>", esc(&row[0])));
                    for c in &row[1..] {
                        match c.parse::<f64>().ok().filter(|_| kind == "heat") {
                            Some(v) => out.push_str(&format!("<td class=\"heat heat-{}\">{}</td>", (v.clamp(0.0, 1.0) * 10.0).round() as u8, esc(c))),
                            None => out.push_str(&format!("<td>{}</td>", esc(c))),
                        }
                    }
                    out.push_str("</tr>");
                }
                out.push_str("</tbody></table>");
            }
            "list" => {
                let items = b.get(2..).unwrap_or_default();
                if items.is_empty() {
                    continue;
                }
                out.push_str(&format!("<ol class=\"disagreements\" aria-label=\"{}\">", esc(at(1))));
                for item in items.chunks(4) {
                    let at = |i: usize| item.get(i).map_or("", String::as_str);
                    let (doc, set, span) = (at(1), at(2), at(3));
                    out.push_str(&format!(
                        "<li><button type=\"button\" class=\"link\" data-doc=\"{}\" data-set=\"{}\" data-span=\"{}\">{}</button></li>",
                        esc(doc),
                        esc(set),
                        esc(span),
                        esc(&item[0])
                    ));
                }
                out.push_str("</ol>");
            }
            "compare" => {
                out.push_str(&format!(
                    "<details class=\"compare\"><summary>Show {0}</summary><ul class=\"legend\"><li><mark class=\"cmp-agreed\">agreed</mark></li>\
                     <li><mark class=\"cmp-only-a\">only in the first set</mark></li><li><mark class=\"cmp-only-b\">only in the second set</mark></li>\
                     <li><mark class=\"cmp-differs\">boundary or label differs</mark></li></ul><div class=\"compare-text\" role=\"region\" aria-label=\"{0}\" tabindex=\"0\">",
                    esc(at(1))
                ));
                for s in b.get(2..).unwrap_or_default().chunks(2) {
                    let text = esc(s.get(1).map_or("", String::as_str));
                    match s[0].as_str() {
                        "" => out.push_str(&text),
                        class => out.push_str(&format!("<mark class=\"cmp-{}\">{text}</mark>", esc(class))),
                    }
                }
                out.push_str("</div></details>");
            }
            _ => {}
        }
    }
    out
}

/// Text for HTML: `&`, `<`, `>`, `"` and `'` escaped.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        agreement::{report::report, tests::set},
        model::{Document, Origin},
    };

    #[test]
    fn the_view_lays_out_figures_disagreements_and_both_sets_over_the_text() {
        let d = Document::new("d", "Jane Roe said Acme will grow.", Origin::User);
        let a = set("a", &d, &[(0, 8, "entity", Some("person")), (14, 18, "entity", Some("organisation")), (14, 28, "claim", None)]);
        let b = set("b", &d, &[(0, 8, "entity", Some("person")), (14, 18, "entity", Some("person"))]);
        let mut ws = Workspace::with_documents([d]);
        ws.insert_set(usize::MAX, a).unwrap();
        ws.insert_set(usize::MAX, b).unwrap();
        let docs: Vec<&Document> = ws.documents().iter().map(|d| &**d).collect();
        let r = report(&ws, &["a".into(), "b".into()], &docs, 0.5).unwrap();
        let name_of = |s: &str| format!("Set {s}");
        let blocks = blocks(&ws, &r, &Options { name_of: &name_of, compare: Some("d") });
        let kinds: Vec<&str> = blocks.iter().map(|b| b[0].as_str()).collect();
        assert_eq!(kinds, vec!["h", "table", "p", "table", "h", "list", "compare"]);
        assert_eq!(blocks[0][2], "Set a and Set b (1 article, overlap at IoU ≥ 0.5)");
        // A table: caption, the number of columns, then header and rows of that many cells.
        let t = &blocks[1];
        let cols: usize = t[2].parse().unwrap();
        assert_eq!((t.len() - 3) % cols, 0);
        assert!(t.contains(&"PERSON".to_owned()));
        // Undefined figures are "—" with the reason said under the table.
        assert!(blocks[2][1].contains("CLAIM exact precision is undefined: B has no spans here."), "{:?}", blocks[2]);
        // Disagreements: the claim only in a, Acme's label differs; each with where it is.
        let list = &blocks[5];
        assert_eq!(list.len(), 2 + 2 * 4);
        assert_eq!(list[2..6], ["Only in Set a — Set a: CLAIM “Acme will grow” (14–28)", "d", "a", "3"]);
        assert_eq!(list[6..10], ["Label differs — Set a: ORG “Acme” (14–18); Set b: PERSON “Acme” (14–18)", "d", "a", "2"]);
        // Over the text: Jane Roe agreed, Acme differs (over the claim only in a), the rest
        // of the claim only in a, the rest unmarked; the stretches put the text back whole.
        let c = &blocks[6];
        let stretches: Vec<(&str, &str)> = c[2..].chunks(2).map(|p| (p[0].as_str(), p[1].as_str())).collect();
        assert_eq!(stretches, vec![("agreed", "Jane Roe"), ("", " said "), ("differs", "Acme"), ("only-a", " will grow"), ("", ".")]);
    }

    #[test]
    fn the_html_escapes_every_text_and_carries_each_disagreements_place() {
        let blocks = vec![
            vec!["h".into(), "3".into(), "<Ana> & \"Bo\"".into()],
            vec!["heat".into(), "F1".into(), "2".into(), "".into(), "B".into(), "A".into(), "0.42".into()],
            vec!["list".into(), "Disagreements".into(), "Only in <b>".into(), "d".into(), "s\"x".into(), "3".into()],
            vec!["compare".into(), "A and B".into(), "".into(), "<script>".into(), "only-a".into(), "x".into()],
        ];
        let html = to_html(&blocks);
        assert!(html.starts_with("<h3>&lt;Ana&gt; &amp; &quot;Bo&quot;</h3>"), "{html}");
        assert!(html.contains("<td class=\"heat heat-4\">0.42</td>"));
        assert!(html.contains("data-doc=\"d\" data-set=\"s&quot;x\" data-span=\"3\">Only in &lt;b&gt;</button>"));
        assert!(html.contains("&lt;script&gt;<mark class=\"cmp-only-a\">x</mark>"));
        assert!(!html.contains("<script>") && !html.contains("style="));
    }

    #[test]
    fn the_page_lists_the_first_disagreements_and_says_how_many_more() {
        let d = Document::new("d", "word ".repeat(LISTED + 3), Origin::User);
        let spans: Vec<(usize, usize, &str, Option<&str>)> = (0..LISTED + 3).map(|i| (i * 5, i * 5 + 4, "claim", None)).collect();
        let mut ws = Workspace::with_documents([d.clone()]);
        ws.insert_set(usize::MAX, set("a", &d, &spans)).unwrap();
        ws.insert_set(usize::MAX, set("b", &d, &[])).unwrap();
        let docs: Vec<&Document> = ws.documents().iter().map(|d| &**d).collect();
        let r = report(&ws, &["a".into(), "b".into()], &docs, 0.5).unwrap();
        let name_of = |s: &str| s.to_owned();
        let blocks = blocks(&ws, &r, &Options { name_of: &name_of, compare: None });
        let list = blocks.iter().find(|b| b[0] == "list").unwrap();
        assert_eq!((list.len() - 2) / 4, LISTED);
        assert!(to_html(&blocks).contains("<p class=\"agreement-notes\">… and 3 more, in the downloaded report.</p>"));
        assert_eq!(r.pairs[0].pair.disagreements.len(), LISTED + 3, "the report keeps them all");
    }

    #[test]
    fn three_sets_get_a_heat_map_and_alpha_of_all() {
        let d = Document::new("d", "Jane Roe said Acme will grow.", Origin::User);
        let mut ws = Workspace::with_documents([d.clone()]);
        for id in ["a", "b", "c"] {
            ws.insert_set(usize::MAX, set(id, &d, &[(0, 8, "entity", Some("person"))])).unwrap();
        }
        let docs: Vec<&Document> = ws.documents().iter().map(|d| &**d).collect();
        let r = report(&ws, &["a".into(), "b".into(), "c".into()], &docs, 0.5).unwrap();
        let name_of = |s: &str| s.to_uppercase();
        let blocks = blocks(&ws, &r, &Options { name_of: &name_of, compare: None });
        assert_eq!(blocks[0][..4], ["heat", "Overlap F1 of every pair of sets", "4", ""]);
        assert_eq!(blocks[0][4..7], ["A", "B", "C"]);
        assert_eq!(blocks[0][7..11], ["A", "—", "1.000", "1.000"]);
        assert!(blocks.iter().any(|b| b[0] == "table" && b[1] == "α of all sets, per label" && b.contains(&"1.000".to_owned())));
        assert!(!blocks.iter().any(|b| b[0] == "compare"));
    }
}
