//! Every export on one fixture that has what breaks other tools: an emoji before the spans,
//! CRLF line ends, nested and overlapping spans, a span across a line break, a note, and a
//! quote→speaker relation. Golden files pin each format (`UPDATE_GOLDEN=1 cargo test`
//! rewrites them); python3 checks `text[start:end] == span text` in every format with
//! offsets; importers give back what the exporters wrote, and never panic.

use std::{fs, path::PathBuf, process::Command};

use proptest::prelude::*;
use spanwright::{
    fixture,
    formats::{doccano, labelstudio, native, Format},
    model::{AnnotationSet, LabelSet, Workspace},
    state::{Action, State},
};

const MARKED: &str = "🙂 Update\r\n[claim:[entity/person:Jane Roe] said: \"[quote:[entity/organisation:Acme] will grow 🚀 fast.]\"]\r\n[claim:[entity/organisation:Acme Corp] denied it.]\r\n";

fn workspace() -> Workspace {
    let mut st = State::new(fixture::workspace(MARKED));
    let at = "2026-01-02T00:00:00Z";
    // Spans 1..=6 from the fixture: claim, Jane Roe, quote, Acme, claim, Acme Corp.
    st.dispatch(Action::AddRelation { set: "set".into(), kind: "speaker".into(), from: 3, to: 2 }, at).unwrap();
    st.dispatch(Action::AddRelation { set: "set".into(), kind: "claimant".into(), from: 1, to: 2 }, at).unwrap();
    st.dispatch(Action::SetNote { set: "set".into(), span: 2, note: Some("Spokesperson, \"Acme\"".into()) }, at).unwrap();
    // An overlapping claim that crosses the CRLF: "grow 🚀 fast.\"\r\nAcme Corp".
    let text: Vec<char> = st.workspace.document("doc").unwrap().text.chars().collect();
    let start = find(&text, "grow");
    let end = find(&text, "Acme Corp") + "Acme Corp".chars().count();
    st.dispatch(Action::AddSpan { set: "set".into(), start, end, label: "claim".into(), entity_type: None }, at).unwrap();
    st.workspace
}

fn find(hay: &[char], needle: &str) -> usize {
    let n: Vec<char> = needle.chars().collect();
    hay.windows(n.len()).position(|w| w == n.as_slice()).expect("needle in fixture")
}

fn sets(ws: &Workspace) -> Vec<&AnnotationSet> {
    ws.sets().iter().collect()
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

#[test]
fn exports_match_golden_files() {
    let ws = workspace();
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for format in Format::ALL {
        let export = format.export(&ws, &sets(&ws));
        let mut files = export.files.clone();
        files.push(spanwright::formats::ExportFile { name: "report.txt".into(), media_type: "text/plain", content: export.report.join("\n") + "\n" });
        for file in files {
            let path = golden_dir().join(format.id()).join(&file.name);
            if update {
                fs::create_dir_all(path.parent().unwrap()).unwrap();
                fs::write(&path, &file.content).unwrap();
            }
            let want = fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing golden file {}; run UPDATE_GOLDEN=1 cargo test", path.display()));
            assert_eq!(file.content, want, "{} differs from its golden file", path.display());
        }
    }
}

#[test]
fn reports_say_what_each_format_dropped() {
    let ws = workspace();
    let report = |f: Format| f.export(&ws, &sets(&ws)).report;
    assert!(report(Format::Native).is_empty());
    assert!(report(Format::Jsonl).is_empty());
    assert_eq!(report(Format::Doccano)[0], "1 span note dropped: doccano has no place for notes");
    assert!(report(Format::Doccano)[1].starts_with("offsets are UTF-16 code units, as doccano counts them"));
    assert!(report(Format::Doccano)[2].starts_with("5 of 7 spans overlap an earlier one: doccano drops them on import"));
    // CRLF counts as two characters in brat's reader too: nothing to report on this fixture.
    assert!(report(Format::Brat).is_empty(), "{:?}", report(Format::Brat));
    let conll = report(Format::Conll);
    assert_eq!(conll[0], "4 claim/quote spans dropped: CoNLL holds entities only");
    assert_eq!(conll[1], "2 relations dropped: CoNLL has no relations");
}

#[test]
fn python_slices_every_span_back() {
    let ws = workspace();
    let dir = std::env::temp_dir().join(format!("spanwright-py-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    for format in Format::ALL {
        let sub = dir.join(format.id());
        fs::create_dir_all(&sub).unwrap();
        for file in format.export(&ws, &sets(&ws)).files {
            fs::write(sub.join(&file.name), file.content).unwrap();
        }
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/check_offsets.py");
    let out = Command::new("python3").arg(&script).arg(&dir).output().expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "python check failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    // 7 spans in each of jsonl, doccano, labelstudio, brat, w3c, native; the rest is counted too.
    assert!(stdout.contains("checked 42 spans"), "{stdout}");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn doccano_and_label_studio_exports_import_back() {
    let ws = workspace();
    let original = ws.set("set").unwrap();
    let spans = |s: &AnnotationSet| -> Vec<(usize, usize, String, Option<String>)> {
        s.spans().iter().map(|x| (x.range.start(), x.range.end(), x.label.clone(), x.entity_type.clone())).collect()
    };
    let relations = |s: &AnnotationSet| -> Vec<(String, u64, u64)> { s.relations().iter().map(|r| (r.kind.clone(), r.from, r.to)).collect() };

    let d = doccano::import(&Format::Doccano.export(&ws, &sets(&ws)).files[0].content, &LabelSet::default(), "t").unwrap();
    assert!(d.refused.is_empty(), "{:?}", d.refused);
    assert_eq!(spans(&d.sets[0]), spans(original));
    assert_eq!(d.sets[0].relations().len(), 2);
    assert_eq!(d.documents[0].text, ws.document("doc").unwrap().text);

    let l = labelstudio::import(&Format::LabelStudio.export(&ws, &sets(&ws)).files[0].content, &LabelSet::default(), "t").unwrap();
    assert!(l.refused.is_empty() && l.notes.is_empty(), "{:?} {:?}", l.refused, l.notes);
    assert_eq!(spans(&l.sets[0]), spans(original));
    assert_eq!(l.sets[0].span(2).unwrap().note.as_deref(), Some("Spokesperson, \"Acme\""));
    assert_eq!(l.sets[0].id, "set");
    let relabelled: Vec<_> = relations(&l.sets[0]);
    assert_eq!(relabelled.len(), 2);
}

#[test]
fn doccano_utf16_offsets_are_converted() {
    // doccano's own export: UTF-16 units. "🙂 Jane" — Jane is units 3..7, code points 2..6.
    let line = r#"{"id": 7, "text": "🙂 Jane met Acme.", "label": [[3, 7, "PERSON"], [12, 16, "ORG"], [1, 3, "PERSON"]]}"#;
    let imp = doccano::import(line, &LabelSet::default(), "t").unwrap();
    let s = &imp.sets[0];
    let got: Vec<(usize, usize)> = s.spans().iter().map(|x| (x.range.start(), x.range.end())).collect();
    assert_eq!(got, vec![(2, 6), (11, 15)]);
    assert_eq!(imp.refused.len(), 1);
    assert_eq!(
        imp.refused[0].to_string(),
        "line 1, label[2]: offsets 1..3 (UTF-16 units, as doccano counts) do not fit the text: UTF-16 unit offset 1 falls inside a character"
    );
    assert_eq!(imp.notes, vec!["offsets were read as UTF-16 code units, as doccano counts them, and converted to code points"]);
}

#[test]
fn doccano_problems_name_the_line() {
    let input = "{\"text\": \"ok\", \"label\": [[0, 2, \"EVENT\"]]}\n{broken\n[1]\n{\"text\": \"abc\", \"entities\": [{\"id\": 1, \"label\": \"ORG\", \"start_offset\": -1, \"end_offset\": 2}], \"relations\": [{\"from_id\": 1, \"to_id\": 9, \"type\": \"x\"}]}\n";
    let imp = doccano::import(input, &LabelSet::default(), "t").unwrap();
    let problems: Vec<String> = imp.refused.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        vec![
            "line 2, column 2: not valid JSON: key must be a string",
            "line 3: expected an object with a \"text\" string",
            "line 4, entities[0]: expected non-negative integer offsets and a string label, found -1, 2, \"ORG\"",
            "line 4, relations[0]: relation between entities 1 and 9 left out with entity 1, refused above",
        ]
    );
    assert_eq!(imp.notes, vec!["added the label “EVENT”, which the workspace did not have"]);
    assert!(imp.labels.label("event").is_some());
}

#[test]
fn label_studio_legacy_utf16_offsets_are_detected_by_text() {
    let task = r#"[{"data": {"text": "🙂🙂 Jane"}, "annotations": [{"result": [
        {"id": "a", "type": "labels", "from_name": "l", "to_name": "text", "value": {"start": 5, "end": 9, "text": "Jane", "labels": ["PERSON"]}},
        {"id": "b", "type": "labels", "from_name": "l", "to_name": "text", "value": {"start": 0, "end": 2, "text": "xx", "labels": ["ORG"]}}
    ]}]}]"#;
    let imp = labelstudio::import(task, &LabelSet::default(), "t").unwrap();
    assert_eq!(imp.sets[0].spans()[0].range.start(), 3);
    assert_eq!(imp.notes, vec!["1 region offset matched the text only as UTF-16 units (older Label Studio) and were converted to code points"]);
    assert_eq!(imp.refused[0].to_string(), "[0].annotations[0].result[1]: value.text \"xx\" does not match the document, which has \"🙂🙂\" at 0..2");
}

proptest! {
    #[test]
    fn importers_never_panic(input in ".{0,400}") {
        let labels = LabelSet::default();
        let _ = doccano::import(&input, &labels, "t");
        let _ = labelstudio::import(&input, &labels, "t");
        let _ = native::load(&input, &[]);
    }

    #[test]
    fn importers_never_panic_on_mutated_exports(at in 0usize..100_000, byte in any::<u8>(), which in 0usize..3) {
        let ws = workspace();
        let format = [Format::Doccano, Format::LabelStudio, Format::Native][which];
        let mut bytes = format.export(&ws, &sets(&ws)).files[0].content.clone().into_bytes();
        let i = at % bytes.len();
        bytes[i] = byte;
        if let Ok(s) = String::from_utf8(bytes) {
            let labels = LabelSet::default();
            let _ = doccano::import(&s, &labels, "t");
            let _ = labelstudio::import(&s, &labels, "t");
            let _ = native::load(&s, &[]);
        }
    }
}

#[test]
fn the_readme_gives_the_label_studio_config_the_export_writes() {
    let readme = fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let block = readme.split("<!-- label-studio-config -->\n```xml\n").nth(1).expect("README has the Label Studio config block");
    let block = &block[..block.find("```").unwrap()];
    let export = Format::LabelStudio.export(&workspace(), &sets(&workspace()));
    let config = export.files.iter().find(|f| f.name == "label-studio-config.xml").unwrap();
    assert_eq!(block, config.content, "README's Label Studio config differs from the export's (default labels)");
}

#[test]
fn an_old_codepoint_line_takes_the_only_reading_that_fits_and_names_relations_left_out() {
    // Code points 5..7 are past the end of "🙂🙂 ab" (5 code points); as UTF-16 units they are "ab",
    // a span added in doccano: the only reading that fits is taken.
    let line = r#"{"text":"🙂🙂 ab","entities":[{"id":1,"label":"CLAIM","start_offset":5,"end_offset":7}],"offset_unit":"codepoint"}"#;
    let imp = doccano::import(line, &LabelSet::default(), "t").unwrap();
    assert!(imp.refused.is_empty(), "{:?}", imp.refused);
    let s = &imp.sets[0].spans()[0];
    assert_eq!((s.range.start(), s.range.end()), (3, 5));
    // A relation to a span refused as a duplicate says that span was refused.
    let line = r#"{"text":"Acme grows","entities":[{"id":1,"label":"CLAIM","start_offset":0,"end_offset":4},{"id":2,"label":"CLAIM","start_offset":0,"end_offset":4},{"id":3,"label":"ORG","start_offset":5,"end_offset":10}],"relations":[{"id":9,"from_id":3,"to_id":2,"type":"x"}]}"#;
    let imp = doccano::import(line, &LabelSet::default(), "t").unwrap();
    let problems: Vec<String> = imp.refused.iter().map(|p| p.to_string()).collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[1], "line 1, relations[0]: relation between entities 3 and 2 left out with entity 2, refused above");
}
