//! The workspace that `make test` feeds to the real consumers of every export (spaCy,
//! Hugging Face `datasets`, PyLD, a sequence-labelling reader), and one test per defect those
//! consumers found, each of which failed before its fix.
//!
//! The workspace has what breaks other tools: a byte-order mark, CRLF line ends, a span
//! ending in a CRLF, astral emoji, ZWJ sequences, flags, skin tones, combining accents, NBSP,
//! Arabic, nested and overlapping spans, spans across line breaks, notes with quotes, tabs and
//! newlines, U+2028, U+2029 and U+0085 (line ends to Python's `splitlines`), several sets per
//! document, and a first set with no entity types, notes, date or
//! relations (the row that makes `datasets` infer null types). It is kept as
//! `tests/consumers/workspace.spanwright.json`; `UPDATE_GOLDEN=1 cargo test` rewrites it.

use std::{fs, path::PathBuf};

use spanwright::{
    agreement::adjudicate::Decision,
    fixture,
    formats::{doccano, labelstudio, native, Format},
    model::{AnnotationSet, CharRange, Document, LabelSet, Origin, Provenance, Relation, Span, Workspace},
};

/// (document id, marked text, relations as (from text, to text, type), notes as (span text, note)).
type Doc = (&'static str, &'static str, &'static [(&'static str, &'static str, &'static str)], &'static [(&'static str, &'static str)]);

const DOCS: &[Doc] = &[
    // First: no date, no entities, no relations, no notes; a span that ends in a CRLF.
    ("bom-crlf", "\u{feff}Breaking news\r\n[claim:Officials said it is [quote:here.\r\n]]More later.\r\n", &[], &[]),
    (
        "emoji",
        " date 2026-03-01 By Desk\n[entity/person:Jane Roe] 👩‍👩‍👧 of [entity/organisation:Acme 🚀] said: \"[quote:We stay 😀 here.]\"\r\n\
         [claim:The 🇺🇦 flag flew over [entity/location:Kyiv] on Monday], [entity/person:Zoë 👩🏽‍🔬 Novak] told [entity/organisation:Reuters]: \
         «[quote:[claim:Aid 🚚 will arrive] by 🇪🇺 trucks]».\r\n[claim:Prices rose\r\nagain 📈], [entity:👍🏿 fans] said.\r\n",
        &[("We stay 😀 here.", "Jane Roe", "speaker"), ("Aid 🚚 will arrive by 🇪🇺 trucks", "Zoë 👩🏽‍🔬 Novak", "speaker"), ("Aid 🚚 will arrive", "Zoë 👩🏽‍🔬 Novak", "claimant")],
        &[("Jane Roe", "Spokesperson, \"Acme\"\tsince 2024\nformerly at Beta")],
    ),
    (
        "accents",
        " date 2025-11-30 Economy \"Rates\" Source: Agência\n[entity/person:Jose\u{301} Garci\u{301}a] of [entity/organisation:Banco\u{a0}Central] said \
         [quote:inflation will fall to 3\u{a0}%].\r\n[claim:[entity/location:Sa\u{303}o Paulo] grew 2\u{a0}% in 2025], according to [entity/person:Ana Lima].\n\
         A pro-[entity/location:Kyiv]ian crowd met [entity/person:Łukasz Żuk] of [entity/organisation:ÖBB] 🚆; [entity/person:Żuk] said [quote:«we [claim:won't stop]»].\n\
         [claim:[entity/organisation:Ñandú\u{a0}S.A.] lost €\u{a0}2\u{a0}bn] 🇪🇸🇵🇹 — [entity/person:François] (@[entity/person:fr_ançois]) disagreed.\n",
        &[
            ("inflation will fall to 3\u{a0}%", "Jose\u{301} Garci\u{301}a", "speaker"),
            ("Sa\u{303}o Paulo grew 2\u{a0}% in 2025", "Ana Lima", "claimant"),
            ("«we won't stop»", "Żuk", "speaker"),
            ("Ñandú\u{a0}S.A. lost €\u{a0}2\u{a0}bn", "François", "claimant"),
        ],
        &[("Banco\u{a0}Central", "central bank; name kept with its no-break space")],
    ),
    (
        "arabic",
        "[entity/person:محمد بن سلمان] قال إن [claim:الاقتصاد سينمو 🙂]. [entity/location:الرياض] — [entity/person:Ali ❤️] said \
         [quote:\"شكرا\"] twice.\u{2028}[claim:Then\u{85}more] came\u{2029}after.\n",
        &[("\"شكرا\"", "Ali ❤️", "speaker"), ("الاقتصاد سينمو 🙂", "محمد بن سلمان", "claimant")],
        &[],
    ),
];

/// The consumers' workspace: the documents above, one set each, and a second annotator's set
/// on the emoji document that differs (a nested entity and an overlapping claim).
pub fn workspace() -> Workspace {
    let at = "2026-11-24T00:00:00Z";
    let mut documents = Vec::new();
    let mut sets = Vec::new();
    for (id, marked, relations, notes) in DOCS {
        let (text, spans) = fixture::parse(marked);
        let doc = Document::new(*id, text, Origin::User);
        let index = doc.index();
        let len = doc.char_len();
        let annotator = if *id == "bom-crlf" { "" } else { "Ana" };
        let mut set = AnnotationSet::new(format!("{id}-ana"), "Ana's set", annotator, &doc, at);
        for (i, (start, end, label, entity_type)) in spans.into_iter().enumerate() {
            let range = CharRange::new(start, end, len).unwrap();
            let note = notes.iter().find(|(t, _)| index.slice(range) == *t).map(|(_, n)| (*n).to_owned());
            // One span accepted from a suggestion.
            let provenance = (*id == "arabic" && i == 0)
                .then(|| Provenance::Suggested { source: "dictionary".into(), detail: format!("{} → Person (2×)", index.slice(range)) });
            set.insert_span(Span { id: i as u64 + 1, range, label, entity_type, note, provenance }, len).unwrap();
        }
        let find = |set: &AnnotationSet, t: &str| set.spans().iter().find(|s| index.slice(s.range) == t).unwrap_or_else(|| panic!("{t:?} in {id}")).id;
        for (from, to, kind) in *relations {
            let (from, to) = (find(&set, from), find(&set, to));
            let id = set.fresh_id();
            set.insert_relation(Relation { id, kind: (*kind).into(), from, to }).unwrap();
        }
        if *id == "emoji" {
            // Bo's set: fewer spans, one nested entity inside a quote, one overlapping claim.
            let mut bo = AnnotationSet::new("emoji-bo", "Bo's set", "Bo", &doc, at);
            let text: Vec<char> = doc.text.chars().collect();
            let pos = |t: &str| {
                let n: Vec<char> = t.chars().collect();
                text.windows(n.len()).position(|w| w == n.as_slice()).unwrap()
            };
            for (i, (t, label, ty)) in [
                ("Jane Roe", "entity", Some("person")),
                ("We stay 😀", "quote", None),
                ("😀", "entity", None),
                ("flag flew over Kyiv on Monday, Zoë", "claim", None),
            ]
            .into_iter()
            .enumerate()
            {
                let start = pos(t);
                let range = CharRange::new(start, start + t.chars().count(), len).unwrap();
                bo.insert_span(Span { id: i as u64 + 1, range, label: label.into(), entity_type: ty.map(Into::into), note: None, provenance: None }, len)
                    .unwrap();
            }
            bo.insert_relation(Relation { id: 5, kind: "speaker".into(), from: 2, to: 1 }).unwrap();
            // The gold set adjudicated from the two: nothing at the first conflict, then Bo's
            // version where Bo has one and Ana's elsewhere, so that the provenance of unanimous
            // and adjudicated spans is in the files.
            let plan = spanwright::agreement::adjudicate::plan(&[&set, &bo], 2, 0.5);
            let decisions = plan
                .conflicts
                .iter()
                .enumerate()
                .map(|(i, c)| (c.key.clone(), if i == 0 { Decision::Reject } else { Decision::Take(if c.versions[1].len() == 1 { 1 } else { 0 }) }))
                .collect();
            let (gold, left_out) = plan.gold_set(&decisions, &doc, "emoji-gold".into(), "Gold".into(), "Ada".into(), at);
            assert!(left_out.is_empty());
            sets.push(bo);
            sets.push(gold);
        }
        documents.push(doc);
        sets.push(set);
    }
    let mut ws = Workspace::with_documents(documents);
    for set in sets {
        ws.insert_set(usize::MAX, set).unwrap();
    }
    ws
}

fn all(ws: &Workspace) -> Vec<&AnnotationSet> {
    ws.sets().iter().collect()
}

fn file(ws: &Workspace, format: Format, name: &str) -> String {
    format.export(ws, &all(ws)).files.into_iter().find(|f| f.name == name).unwrap_or_else(|| panic!("{name}")).content
}

#[test]
fn the_consumers_workspace_file_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/consumers/workspace.spanwright.json");
    let content = native::save_workspace(&workspace());
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, &content).unwrap();
    }
    let kept = fs::read_to_string(&path).expect("tests/consumers/workspace.spanwright.json; run UPDATE_GOLDEN=1 cargo test");
    assert_eq!(content, kept, "the consumers' workspace changed: run UPDATE_GOLDEN=1 cargo test");
    // And it loads back, every span whole.
    let loaded = native::load(&kept, &[]).unwrap();
    assert!(loaded.imported.refused.is_empty(), "{:?}", loaded.imported.refused);
    // With every span's provenance (the gold set's and the accepted suggestion's).
    let provenance = |ws: &Workspace| ws.sets().iter().flat_map(|s| s.spans().iter().map(|x| x.provenance.clone())).collect::<Vec<_>>();
    let back = loaded.into_workspace();
    assert_eq!(provenance(&back), provenance(&workspace()));
    assert!(provenance(&back).iter().flatten().count() > 10);
}

/// Defect 1: rows left out empty keys, so `datasets` could not join shards or blocks.
#[test]
fn jsonl_rows_carry_every_key_in_a_fixed_order() {
    let ws = workspace();
    let content = file(&ws, Format::Jsonl, "spans.jsonl");
    let keys = |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    for line in content.lines() {
        // serde_json's map is ordered by key here; the writer's order is checked on the raw line.
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(keys(&row), ["id", "meta", "relations", "spans", "text"]);
        assert_eq!(keys(&row["meta"]), ["annotator", "date", "document_id", "offset_unit", "set_id", "set_name", "sha256", "title"]);
        for s in row["spans"].as_array().unwrap() {
            assert_eq!(keys(s), ["end", "entity_type", "id", "kind", "label", "note", "provenance", "start", "text"]);
            if !s["provenance"].is_null() {
                assert_eq!(keys(&s["provenance"]), ["detail", "edited", "from", "how", "of", "source", "votes"]);
            }
        }
        for r in row["relations"].as_array().unwrap() {
            assert_eq!(keys(r), ["child", "head", "id", "type"]);
        }
        assert!(line.starts_with("{\"id\":") && line.contains(",\"text\":") && line.contains(",\"meta\":{\"document_id\":"), "{line}");
        assert!(line.contains("\"kind\":") && !line.contains("\"entity_type\":\"\""), "empty values are null, not \"\"");
    }
    let first: serde_json::Value = serde_json::from_str(content.lines().next().unwrap()).unwrap();
    assert_eq!(first["meta"]["date"], serde_json::Value::Null);
    assert_eq!(first["spans"][0]["entity_type"], serde_json::Value::Null);
    assert_eq!(first["spans"][0]["note"], serde_json::Value::Null);
}

fn utf16_slice(text: &str, start: usize, end: usize) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[start..end]).unwrap()
}

/// Defect 3: the doccano file counted code points, which doccano does not.
#[test]
fn doccano_offsets_are_utf16_units_and_overlaps_are_reported() {
    let ws = workspace();
    let export = Format::Doccano.export(&ws, &all(&ws));
    for (line, set) in export.files[0].content.lines().zip(ws.sets()) {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(row["offset_unit"], "utf-16");
        let doc = ws.document(&set.doc_id).unwrap();
        let index = doc.index();
        for (e, s) in row["entities"].as_array().unwrap().iter().zip(set.spans()) {
            let got = utf16_slice(&doc.text, e["start_offset"].as_u64().unwrap() as usize, e["end_offset"].as_u64().unwrap() as usize);
            assert_eq!(got, index.slice(s.range));
        }
    }
    let overlaps = export.report.iter().find(|r| r.contains("overlap")).expect("overlaps reported");
    let dropped: usize = ws.sets().iter().map(|s| doccano::dropped_without_overlaps(s.spans().iter().map(|x| (x.range.start(), x.range.end())))).sum();
    assert!(dropped > 0);
    assert!(
        overlaps.starts_with(&format!("{dropped} of {} spans overlap an earlier one", ws.sets().iter().map(|s| s.spans().len()).sum::<usize>())),
        "{overlaps}"
    );
    assert!(export.report.iter().any(|r| r.contains("UTF-16 code units, as doccano counts them")));
}

/// Defect 2: a span added inside doccano (UTF-16 units) came back shifted, with no warning.
#[test]
fn a_span_added_in_doccano_lands_on_its_characters() {
    let ws = workspace();
    let content = file(&ws, Format::Doccano, "doccano.jsonl");
    let line = content.lines().find(|l| l.contains("\"id\":\"emoji-ana\"")).unwrap();
    let mut row: serde_json::Value = serde_json::from_str(line).unwrap();
    // What doccano gives back: the marker in the line, our spans, and one the annotator added
    // after several astral characters, at its UTF-16 offsets (as doccano's UI counts them).
    let text = row["text"].as_str().unwrap().to_owned();
    let units: Vec<u16> = text.encode_utf16().collect();
    let target: Vec<u16> = "here.".encode_utf16().collect();
    let start = units.windows(target.len()).position(|w| w == target.as_slice()).unwrap();
    row["entities"].as_array_mut().unwrap().push(serde_json::json!({"id": 999, "label": "CLAIM", "start_offset": start, "end_offset": start + target.len()}));
    let back = doccano::import(&serde_json::to_string(&row).unwrap(), &LabelSet::default(), "t").unwrap();
    assert!(back.refused.is_empty(), "{:?}", back.refused);
    let doc = &back.documents[0];
    let got: Vec<&str> = back.sets[0].spans().iter().map(|s| doc.index().slice(s.range)).collect();
    assert!(got.contains(&"here."), "{got:?}");
    let original: Vec<&str> = ws.set("emoji-ana").unwrap().spans().iter().map(|s| ws.document("emoji").unwrap().index().slice(s.range)).collect();
    for t in original {
        assert!(got.contains(&t), "{t:?} missing from {got:?}");
    }

    // A line from an older export says "codepoint": a span whose readings differ is refused.
    let mut old = row.clone();
    old["offset_unit"] = "codepoint".into();
    old["entities"] = serde_json::json!([{"id": 1, "label": "CLAIM", "start_offset": start, "end_offset": start + target.len()}]);
    old["relations"] = serde_json::json!([]);
    let imp = doccano::import(&serde_json::to_string(&old).unwrap(), &LabelSet::default(), "t").unwrap();
    assert!(imp.sets[0].spans().is_empty());
    let refused = imp.refused[0].to_string();
    assert!(refused.contains("cannot be placed for sure") && refused.contains("as UTF-16 units \"here.\""), "{refused}");
}

/// Found by `make interop`: doccano guesses the encoding of what it imports and took UTF-8
/// for Windows-1252; and U+2028 or U+0085 written raw cut a JSON line in two for Python's
/// `str.splitlines()`.
#[test]
fn doccano_files_are_ascii_and_json_lines_never_break_for_python() {
    let ws = workspace();
    let doccano_file = file(&ws, Format::Doccano, "doccano.jsonl");
    assert!(doccano_file.is_ascii(), "doccano.jsonl has a character beyond ASCII");
    let jsonl = file(&ws, Format::Jsonl, "spans.jsonl");
    assert!(!jsonl.contains(['\u{85}', '\u{2028}', '\u{2029}']));
    assert!(jsonl.contains("\\u2028") && jsonl.contains("\\u0085"), "the separators are there, escaped");
    for content in [&doccano_file, &jsonl] {
        assert_eq!(content.lines().count(), ws.sets().len());
        for line in content.lines() {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            let doc = ws.documents().iter().find(|d| *d.text == *row["text"].as_str().unwrap()).expect("the text decodes to the document's");
            assert!(!doc.text.is_empty());
        }
    }
}

/// Defect 4: brat shortened a span that ends in a CRLF and said nothing.
#[test]
fn brat_reports_a_span_shortened_at_a_line_break() {
    let ws = workspace();
    let export = Format::Brat.export(&ws, &all(&ws));
    let ann = &export.files.iter().find(|f| f.name == "bom-crlf-ana.ann").unwrap().content;
    assert!(ann.contains("\tQUOTE 37 42\there.\n"), "{ann}");
    let line = export.report.iter().find(|r| r.contains("shortened")).expect("reported");
    assert!(line.starts_with("2 spans shortened: a brat span cannot start or end with a line break"), "{line}");
    assert!(line.contains("bom-crlf-ana.ann T2 (QUOTE \"here.\\r\\n\" at 37–44) as 37–42"), "{line}");
    assert!(!export.report.iter().any(|r| r.contains("CRLF as one")), "brat's reader counts CRLF as two: {:?}", export.report);
}

/// Defect 5: a link's direction rested on the order of two targets; creators were "".
#[test]
fn w3c_links_keep_their_direction_and_creators_are_agents() {
    let ws = workspace();
    let c: serde_json::Value = serde_json::from_str(&file(&ws, Format::W3c, "annotations.jsonld")).unwrap();
    let items = c["first"]["items"].as_array().unwrap();
    let links: Vec<&serde_json::Value> = items.iter().filter(|i| i["motivation"] == "linking").collect();
    let relations: usize = ws.sets().iter().map(|s| s.relations().len()).sum();
    assert_eq!(links.len(), relations);
    for set in ws.sets() {
        for r in set.relations() {
            let link = links.iter().find(|l| l["id"] == format!("urn:spanwright:set:{}:relation:{}", set.id, r.id)).unwrap();
            assert_eq!(link["target"], format!("urn:spanwright:set:{}:span:{}", set.id, r.from));
            assert_eq!(link["body"][1]["source"], format!("urn:spanwright:set:{}:span:{}", set.id, r.to));
            assert_eq!(link["body"][1]["purpose"], "linking");
            assert_eq!(link["body"][0]["value"], r.kind.as_str());
        }
    }
    for item in items {
        match item.get("creator") {
            None => assert!(item["id"].as_str().unwrap().contains(":bom-crlf-ana:"), "{item}"),
            Some(creator) => {
                assert_eq!(creator["type"], "Person");
                assert!(!creator["name"].as_str().unwrap().is_empty());
            }
        }
    }
}

/// Defect 6: the byte-order mark became a token.
#[test]
fn conll_writes_no_token_for_a_byte_order_mark() {
    let ws = workspace();
    let conll = file(&ws, Format::Conll, "entities.conll");
    assert!(!conll.contains('\u{feff}'), "a BOM token in {conll}");
    assert!(conll.contains("-DOCSTART- -X- O O\n\nBreaking _ _ O\n"), "{conll}");
    // Every I- follows a B- or I- of its type (IOB2), sentence by sentence.
    let mut prev = "O".to_owned();
    for line in conll.lines() {
        let tag = line.rsplit(' ').next().unwrap_or("O").to_owned();
        if let Some(t) = tag.strip_prefix("I-") {
            assert!(prev == format!("B-{t}") || prev == format!("I-{t}"), "{line} after {prev}");
        }
        prev = if line.is_empty() { "O".into() } else { tag };
    }
}

/// Defect 7: Label Studio's JSON-MIN export was refused, and no config came with ours.
#[test]
fn label_studio_json_min_is_read_and_the_config_comes_with_the_export() {
    let ws = workspace();
    let export = Format::LabelStudio.export(&ws, &all(&ws));
    let config = &export.files.iter().find(|f| f.name == "label-studio-config.xml").expect("config file").content;
    assert!(config.contains("<Labels name=\"label\" toName=\"text\">") && config.contains("<Text name=\"text\" value=\"$text\"/>"));
    for tag in ["CLAIM", "QUOTE", "ENTITY", "PERSON", "ORG", "LOC"] {
        assert!(config.contains(&format!("<Label value=\"{tag}\"/>")), "{tag}");
    }
    assert!(config.contains("<Relation value=\"speaker\"/>") && config.contains("<Relation value=\"claimant\"/>"));

    // A JSON-MIN row as Label Studio 1.x writes it: data fields flattened, regions under the
    // control's name, annotator as an email.
    let min = r#"[{"text": "🙂 Jane met Acme.", "id": 3, "label": [{"start": 2, "end": 6, "text": "Jane", "labels": ["PERSON"]},
        {"start": 11, "end": 15, "text": "Acme", "labels": ["ORG"]}], "annotator": "ana@example.org", "annotation_id": 7,
        "created_at": "2026-11-24T10:00:00.000000Z", "updated_at": "2026-11-24T10:01:00.000000Z", "lead_time": 4.2}]"#;
    let imp = labelstudio::import(min, &LabelSet::default(), "t").unwrap();
    assert!(imp.refused.is_empty(), "{:?}", imp.refused);
    let set = &imp.sets[0];
    let index = imp.documents[0].index();
    let got: Vec<(&str, Option<&str>)> = set.spans().iter().map(|s| (index.slice(s.range), s.entity_type.as_deref())).collect();
    assert_eq!(got, vec![("Jane", Some("person")), ("Acme", Some("organisation"))]);
    assert_eq!(set.annotator, "ana@example.org");
    assert!(imp.notes.iter().any(|n| n.contains("JSON-MIN") && n.contains("no relations")), "{:?}", imp.notes);
}

/// doccano and Label Studio give back every span and relation of this workspace too.
#[test]
fn doccano_and_label_studio_round_trip_the_consumers_workspace() {
    let ws = workspace();
    let texts = |docs: &[Document], s: &AnnotationSet| -> Vec<(String, String, Option<String>)> {
        let doc = docs.iter().find(|d| d.id == s.doc_id).unwrap();
        let mut v: Vec<_> = s.spans().iter().map(|x| (doc.index().slice(x.range).to_owned(), x.label.clone(), x.entity_type.clone())).collect();
        v.sort();
        v
    };
    let ours: Vec<Document> = ws.documents().iter().map(|d| (**d).clone()).collect();
    for (format, name) in [(Format::Doccano, "doccano.jsonl"), (Format::LabelStudio, "label-studio.json")] {
        let content = file(&ws, format, name);
        let back = if format == Format::Doccano {
            doccano::import(&content, &LabelSet::default(), "t")
        } else {
            labelstudio::import(&content, &LabelSet::default(), "t")
        }
        .unwrap();
        assert!(back.refused.is_empty(), "{name}: {:?}", back.refused);
        assert_eq!(back.sets.len(), ws.sets().len(), "{name}");
        for set in ws.sets() {
            let other = back
                .sets
                .iter()
                .find(|b| texts(&back.documents, b) == texts(&ours, set))
                .unwrap_or_else(|| panic!("{name}: set {} did not come back whole", set.id));
            assert_eq!(other.relations().len(), set.relations().len(), "{name}: {}", set.id);
            // Ids, names and annotators come back from our own files, so a round trip lands on
            // the same article and set (doccano keeps our line's keys and writes them back).
            assert_eq!((&other.id, &other.doc_id, &other.name, &other.annotator), (&set.id, &set.doc_id, &set.name, &set.annotator), "{name}");
        }
    }
}

/// Formats with no field for a span's provenance say so; the two that keep it do not.
#[test]
fn formats_without_a_place_for_provenance_report_it() {
    let ws = workspace();
    let with = ws.sets().iter().flat_map(|s| s.spans()).filter(|s| s.provenance.is_some()).count();
    for format in Format::ALL {
        let report = format.export(&ws, &all(&ws)).report.join("\n");
        let said = report.contains(&format!("{with} spans' provenance"));
        assert_eq!(said, !matches!(format, Format::Native | Format::Jsonl), "{}: {report}", format.id());
    }
}
