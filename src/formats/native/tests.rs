//! Native format: save→load is identity, and every kind of bad input is refused with its
//! place and reason while the rest is taken.

use proptest::prelude::*;
use serde_json::{json, Value};

use super::*;
use crate::{
    fixture,
    model::Origin,
    state::{Action, State},
};

fn sample() -> Workspace {
    let mut st = State::new(fixture::workspace("🙂 Intro\r\n[claim:[entity/person:Jane Roe] said: \"[quote:[entity/organisation:Acme] will grow.]\"]\r\nEnd"));
    st.dispatch(Action::AddRelation { set: "set".into(), kind: "speaker".into(), from: 3, to: 2 }, "t").unwrap();
    st.dispatch(Action::SetNote { set: "set".into(), span: 2, note: Some("CEO".into()) }, "t").unwrap();
    st.workspace.active.insert("doc".into(), "set".into());
    st.workspace
}

#[test]
fn workspace_round_trips() {
    let ws = sample();
    let saved = save_workspace(&ws);
    let loaded = load(&saved, &[]).unwrap();
    assert!(loaded.imported.refused.is_empty(), "{:?}", loaded.imported.refused);
    assert_eq!(loaded.into_workspace(), ws);
}

#[test]
fn the_suggestions_switch_is_kept_with_its_set_and_old_files_load_without_it() {
    let mut st = State::new(sample());
    st.dispatch(Action::SetSuggestions { set: "set".into(), on: true }, "t2").unwrap();
    let ws = st.workspace;
    for saved in [save_workspace(&ws), save_workspace_compact(&ws), save_sets(&ws, &[ws.set("set").unwrap()]).0] {
        let v: Value = serde_json::from_str(&saved).unwrap();
        assert_eq!(v["sets"][0]["suggestions"], json!(true), "{saved}");
        let loaded = load(&saved, &[]).unwrap();
        assert!(loaded.imported.refused.is_empty(), "{:?}", loaded.imported.refused);
        assert!(loaded.imported.sets[0].suggestions);
    }
    assert_eq!(load(&save_workspace(&ws), &[]).unwrap().into_workspace(), ws);
    // Off, it is left out, as in files from before it, which load with it off.
    let plain = save_workspace(&sample());
    assert!(!plain.contains("\"suggestions\""), "{plain}");
    assert!(!load(&plain, &[]).unwrap().imported.sets[0].suggestions);
    // Not a boolean: the file is refused, with the place.
    let mut v: Value = serde_json::from_str(&plain).unwrap();
    v["sets"][0]["suggestions"] = json!("yes");
    let err = load(&v.to_string(), &[]).unwrap_err().to_string();
    assert!(err.ends_with("invalid type: string \"yes\", expected a boolean"), "{err}");
    #[cfg(feature = "json-paths")]
    assert!(err.starts_with("sets[0].suggestions: "), "{err}");
}

#[test]
fn set_file_carries_its_document() {
    let ws = sample();
    let (saved, report) = save_sets(&ws, &[ws.set("set").unwrap()]);
    assert!(report.is_empty());
    let v: Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(v["kind"], "set");
    assert_eq!(v["offset_unit"], "codepoint");
    assert_eq!(v["sets"][0]["spans"][1]["text"], "Jane Roe");
    let loaded = load(&saved, &[]).unwrap();
    assert_eq!(loaded.imported.sets[0], *ws.set("set").unwrap());
}

/// A change to a saved file's JSON.
type Edit = Box<dyn FnOnce(&mut Value)>;

/// Loads `sample()` after `edit` has changed its JSON; returns the error or the refusals.
fn refusals(edit: impl FnOnce(&mut Value)) -> Result<Vec<String>, String> {
    let mut v: Value = serde_json::from_str(&save_workspace(&sample())).unwrap();
    edit(&mut v);
    match load(&v.to_string(), &[]) {
        Ok(l) => Ok(l.imported.refused.iter().map(|p| p.to_string()).collect()),
        Err(e) => Err(e.to_string()),
    }
}

#[test]
fn whole_file_refusals_say_where_and_what() {
    #[allow(unused_mut)]
    let mut cases: Vec<(&str, &str)> = vec![
        ("{\"format\": \"spanwright\",\n \"version\": 1,", "line 2, column 14: the file is not valid JSON: EOF while parsing a value"),
        ("[1, 2]", "this is not a Spanwright file: expected a JSON object at the top, found an array"),
        ("{\"format\": \"doccano\"}", "this is not a Spanwright file: \"format\" is \"doccano\", expected \"spanwright\""),
        ("{\"data\": {\"text\": \"x\"}, \"annotations\": []}", "this is not a Spanwright file: it looks like a Label Studio task; import it as Label Studio"),
        ("{\"format\": \"spanwright\", \"version\": 2}", "format version 2 is not supported: this Spanwright reads version 1; use a newer Spanwright"),
        ("{\"format\": \"spanwright\", \"version\": \"1\"}", "format version \"1\" is not supported: this Spanwright reads version 1; use a newer Spanwright"),
    ];
    #[cfg(feature = "json-paths")]
    cases.extend([
        ("{\"format\": \"spanwright\"}", "version: missing field `version`"),
        ("{\"format\": \"spanwright\", \"version\": 1}", "the file: missing field `kind`"),
    ]);
    #[cfg(not(feature = "json-paths"))]
    cases.push(("{\"format\": \"spanwright\", \"version\": 1}", "line 1, column 38: missing field `kind`"));
    for (input, message) in cases {
        assert_eq!(load(input, &[]).unwrap_err().to_string(), message, "{input}");
    }
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(load(&deep, &[]).unwrap_err().to_string().contains("recursion limit exceeded"));
}

#[test]
#[cfg(feature = "json-paths")]
fn type_errors_name_the_json_path() {
    let cases: Vec<(Edit, &str)> = vec![
        (
            Box::new(|v| v["sets"][0]["spans"][1]["start"] = json!("2")),
            "sets[0].spans[1].start: invalid type: string \"2\", expected a whole number, 0 or more",
        ),
        (Box::new(|v| v["sets"][0]["spans"][1]["end"] = json!(-4)), "sets[0].spans[1].end: invalid value: integer `-4`, expected a whole number, 0 or more"),
        (
            Box::new(|v| v["sets"][0]["spans"][0]["end"] = json!(1e300)),
            "sets[0].spans[0].end: invalid type: number `1e+300`, expected a whole number, 0 or more",
        ),
        (
            Box::new(|v| {
                v["documents"][0].as_object_mut().unwrap().remove("text");
            }),
            "documents[0]: missing field `text`",
        ),
        (Box::new(|v| v["kind"] = json!("everything")), "kind: unknown variant `everything`, expected `workspace` or `set`"),
    ];
    for (edit, message) in cases {
        assert_eq!(refusals(edit), Err(message.to_owned()));
    }
}

#[test]
fn bad_parts_are_refused_alone() {
    // The sample text is "🙂 Intro\r\nJane Roe said: \"Acme will grow.\"\r\nEnd" (46 code points);
    // spans[3] is the organisation "Acme" at 25..29, which no relation uses.
    let cases: Vec<(Edit, &str)> = vec![
        (Box::new(|v| v["sets"][0]["spans"][3]["end"] = json!(5000)), "sets[0].spans[3]: the range 25..5000 is past the end of the document (46 characters)"),
        (Box::new(|v| v["sets"][0]["spans"][3]["end"] = json!(25)), "sets[0].spans[3]: the range 25..25 is empty or inverted (start must be below end)"),
        (
            Box::new(|v| v["sets"][0]["spans"][3]["text"] = json!("Acne")),
            "sets[0].spans[3]: the span text \"Acne\" does not match the document, which has \"Acme\" at 25..29",
        ),
        (
            // Between \r and \n.
            Box::new(|v| {
                v["sets"][0]["spans"][3]["start"] = json!(8);
                v["sets"][0]["spans"][3]["end"] = json!(9);
                v["sets"][0]["spans"][3]["text"] = json!("\n");
            }),
            "sets[0].spans[3]: offset 8 splits the character \"\\r\\n\" (a span must hold whole characters)",
        ),
        (Box::new(|v| v["sets"][0]["spans"][3]["label"] = json!("rumour")), "sets[0].spans[3]: there is no label “rumour”"),
        (Box::new(|v| v["sets"][0]["spans"][3]["id"] = json!(2)), "sets[0].spans[3]: span id 2 is already in use"),
        (
            Box::new(|v| {
                let mut copy = v["sets"][0]["spans"][3].clone();
                copy["id"] = json!(99);
                v["sets"][0]["spans"].as_array_mut().unwrap().push(copy);
            }),
            "sets[0].spans[4]: there is already a “entity” span at 25..29",
        ),
        (Box::new(|v| v["sets"][0]["relations"][0]["to"] = json!(42)), "sets[0].relations[0]: relation 5 points to span 42, which is not in the set"),
        (Box::new(|v| v["sets"][0]["relations"][0]["type"] = json!("enemy")), "sets[0].relations[0]: there is no relation type “enemy”"),
    ];
    for (edit, message) in cases {
        assert_eq!(refusals(edit), Ok(vec![message.to_owned()]));
    }
    // Refusing a span refuses the relations that need it, each with its own place.
    assert_eq!(
        refusals(|v| v["sets"][0]["spans"][1]["end"] = json!(5000)),
        Ok(vec![
            "sets[0].spans[1]: the range 9..5000 is past the end of the document (46 characters)".to_owned(),
            "sets[0].relations[0]: relation 5 points to span 2, which was refused above".to_owned(),
        ])
    );
}

#[test]
fn changed_documents_and_sets_for_changed_text_are_refused() {
    let r = refusals(|v| v["documents"][0]["text"] = json!("Changed text"));
    assert_eq!(r.unwrap_err().lines().count(), 3, "document and its set refused, nothing usable");
    let r = refusals(|v| v["sets"][0]["document_sha256"] = json!("00")).unwrap();
    assert_eq!(r.len(), 1);
    assert!(r[0].starts_with("sets[0].document_sha256: set “Fixture” was made on a different text of document “doc” (SHA-256 "), "{r:?}");
}

#[test]
fn a_set_may_refer_to_a_known_document() {
    let ws = sample();
    let (saved, _) = save_sets(&ws, &[ws.set("set").unwrap()]);
    let mut v: Value = serde_json::from_str(&saved).unwrap();
    v["documents"] = json!([]);
    let doc = ws.document("doc").unwrap();
    let loaded = load(&v.to_string(), &[doc]).unwrap();
    assert_eq!(loaded.imported.sets.len(), 1);
    assert!(loaded.imported.documents.is_empty());
    let err = load(&v.to_string(), &[]).unwrap_err().to_string();
    assert!(err.contains("refers to document “doc”, which is neither in the file nor in the workspace"), "{err}");
}

fn arb_workspace() -> impl Strategy<Value = Workspace> {
    let text =
        prop::collection::vec(prop::sample::select(vec!["a", "Jane ", "🙂", "\r\n", "e\u{301}", "👩\u{200d}💻", "ש", " "]), 1..40).prop_map(|v| v.concat());
    (text, prop::collection::vec((0usize..1000, 0usize..1000, 0usize..3, any::<bool>()), 0..20), any::<(bool, bool)>()).prop_map(|(text, raw, (done, on))| {
        let doc = Document::new("d", text, Origin::User);
        let text = doc.text.clone();
        let index = OffsetIndex::new(&text);
        let len = index.char_len();
        let mut st = State::new(Workspace::with_documents([doc]));
        st.dispatch(Action::CreateSet { id: "s".into(), doc: "d".into(), name: "S".into(), annotator: "a".into() }, "t").unwrap();
        st.dispatch(Action::SetDone { set: "s".into(), done }, "t").unwrap();
        st.dispatch(Action::SetSuggestions { set: "s".into(), on }, "t").unwrap();
        for (a, b, l, note) in raw {
            let (start, end) = (a % len, b % len + 1);
            let (Ok(s), Ok(e)) = (CharRange::new(start, end, len).map(|_| start), Ok::<_, ()>(end)) else { continue };
            if !index.is_grapheme_boundary(s) || !index.is_grapheme_boundary(e) {
                continue;
            }
            let (label, ty) = [("claim", None), ("quote", None), ("entity", Some("person"))][l];
            if let Ok(Some(id)) = st.dispatch(Action::AddSpan { set: "s".into(), start: s, end: e, label: label.into(), entity_type: ty.map(Into::into) }, "t")
            {
                if note {
                    st.dispatch(Action::SetNote { set: "s".into(), span: id, note: Some(format!("n{id} \"q\"")) }, "t").unwrap();
                }
            }
        }
        let ids: Vec<u64> = st.workspace.set("s").unwrap().spans().iter().map(|s| s.id).collect();
        for pair in ids.windows(2) {
            let _ = st.dispatch(Action::AddRelation { set: "s".into(), kind: "speaker".into(), from: pair[0], to: pair[1] }, "t");
        }
        st.workspace
    })
}

proptest! {
    #[test]
    fn save_then_load_is_identity(ws in arb_workspace()) {
        let loaded = load(&save_workspace(&ws), &[]).unwrap();
        prop_assert!(loaded.imported.refused.is_empty());
        prop_assert_eq!(loaded.into_workspace(), ws);
    }

    #[test]
    fn loading_never_panics(input in ".{0,300}") {
        let _ = load(&input, &[]);
    }

    #[test]
    fn loading_mutated_files_never_panics(ws in arb_workspace(), at in 0usize..5000, byte in any::<u8>()) {
        let mut saved = save_workspace(&ws).into_bytes();
        let i = at % saved.len();
        saved[i] = byte;
        if let Ok(s) = String::from_utf8(saved) {
            let _ = load(&s, &[]);
        }
    }
}

#[test]
#[cfg(not(feature = "json-paths"))]
fn without_json_paths_type_errors_name_the_line_and_column() {
    let edit: Edit = Box::new(|v| v["sets"][0]["spans"][1]["start"] = json!("2"));
    let message = refusals(edit).unwrap_err();
    assert!(message.starts_with("line "), "{message}");
    assert!(message.ends_with("invalid type: string \"2\", expected a whole number, 0 or more"), "{message}");
}

#[test]
fn a_provenance_that_is_unknown_or_incomplete_refuses_its_span_with_the_place() {
    let ws = crate::fixture::workspace("[claim:Acme will grow] said Jane");
    let good = save_workspace(&ws);
    for (bad, why) in [
        (r#""provenance":{"how":"guessed"},"#, "unknown provenance “guessed”"),
        (r#""provenance":{"how":"majority","from":["a"]},"#, "a “majority” provenance needs “votes”"),
    ] {
        let file = good.replacen(r#""text": "Acme will grow""#, &format!(r#"{bad}"text": "Acme will grow""#), 1);
        assert_ne!(file, good);
        let loaded = load(&file, &[]).unwrap();
        let p = &loaded.imported.refused[0];
        assert!(p.to_string().contains(why) && p.to_string().contains("sets[0].spans[0]"), "{p}");
    }
}
