//! `spanwright convert`, run as a training pipeline would run it.

use std::{
    fs,
    io::Write,
    process::{Command, Output, Stdio},
};

fn golden(path: &str) -> String {
    format!("{}/tests/golden/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child =
        Command::new(env!("CARGO_BIN_EXE_spanwright")).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn converts_a_saved_set_to_every_single_file_format() {
    for (to, golden_file) in [
        ("jsonl", "jsonl/spans.jsonl"),
        ("doccano", "doccano/doccano.jsonl"),
        ("labelstudio", "labelstudio/label-studio.json"),
        ("w3c", "w3c/annotations.jsonld"),
        ("conll", "conll/entities.conll"),
    ] {
        let out = run(&["convert", "--to", to, &golden("spanwright/set.spanwright.json")], None);
        assert!(out.status.success(), "{to}: {}", stderr(&out));
        assert_eq!(String::from_utf8_lossy(&out.stdout), fs::read_to_string(golden(golden_file)).unwrap(), "{to}");
        assert!(stderr(&out).contains("converted 1 document, 1 set, 7 spans, 2 relations"), "{}", stderr(&out));
    }
}

#[test]
fn brat_writes_a_folder() {
    let dir = std::env::temp_dir().join(format!("spanwright-cli-brat-{}", std::process::id()));
    let out = run(&["convert", "--to", "brat", &golden("spanwright/set.spanwright.json"), "-o", dir.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(dir.join("set.ann")).unwrap(), fs::read_to_string(golden("brat/set.ann")).unwrap());
    assert_eq!(fs::read(dir.join("set.txt")).unwrap(), fs::read(golden("brat/set.txt")).unwrap());
    fs::remove_dir_all(dir).unwrap();
    let out = run(&["convert", "--to", "brat", &golden("spanwright/set.spanwright.json")], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("brat writes 2 files: name a folder with -o"));
}

#[test]
fn imports_doccano_from_standard_input() {
    let line = "{\"text\": \"🙂 Jane met Acme.\", \"label\": [[3, 7, \"PERSON\"], [12, 16, \"ORG\"]]}\n";
    let out = run(&["convert", "--from", "doccano", "--to", "jsonl", "-"], Some(line));
    assert!(out.status.success(), "{}", stderr(&out));
    let row: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(row["spans"][0]["text"], "Jane");
    assert_eq!(row["spans"][0]["start"], 2);
    assert!(stderr(&out).contains("note: offsets were read as UTF-16 code units"));
}

#[test]
fn refused_input_says_where_and_exits_1() {
    let mut v: serde_json::Value = serde_json::from_str(&fs::read_to_string(golden("spanwright/set.spanwright.json")).unwrap()).unwrap();
    v["sets"][0]["spans"][3]["text"] = "Acne".into();
    let input = v.to_string();
    let out = run(&["convert", "--to", "jsonl", "-"], Some(&input));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains("refused: -: sets[0].spans[3]: the span text \"Acne\" does not match the document, which has \"Acme\" at 26..30"), "{err}");
    assert!(err.contains("1 part(s) of - refused; nothing written (use --partial to convert the rest)"), "{err}");

    let out = run(&["convert", "--partial", "--to", "jsonl", "-"], Some(&input));
    assert!(out.status.success());
    let row: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(row["spans"].as_array().unwrap().len(), 6);

    let out = run(&["convert", "--to", "jsonl", "-"], Some("{\"format\": \"spanwright\", \"version\": 9}"));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("format version 9 is not supported"));

    let out = run(&["convert", "--to", "jsonl", "/nonexistent/file.json"], None);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("cannot read /nonexistent/file.json"));
}

#[test]
fn agree_prints_the_figures_of_two_annotators() {
    let ws = format!("{}/tests/consumers/workspace.spanwright.json", env!("CARGO_MANIFEST_DIR"));
    let out = run(&["agree", "--sets", "Ana,Bo", &ws], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.starts_with("Ana vs Bo (1 document, overlap at IoU ≥ 0.5)"), "{table}");
    assert!(table.contains("| PERSON | 1.000 | 0.500 | 0.667 |"), "{table}");

    let out = run(&["agree", "--json", "--iou", "0.9", "--sets", "Ana,Bo", &ws], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let person = &v["pairs"][0]["labels"]["PERSON"];
    assert_eq!((person["exact"]["tp"].as_u64(), person["exact"]["fp"].as_u64(), person["exact"]["fn"].as_u64()), (Some(1), Some(0), Some(1)));
    for key in ["precision", "recall", "f1"] {
        assert!(person["overlap"][key].is_number(), "{key}: {}", person["overlap"]);
    }
    assert!(person["alpha"].is_number() && person["kappa"].is_number());
    assert_eq!(v["iou"], 0.9);
    // An undefined figure says why instead of NaN.
    let loc = &v["pairs"][0]["labels"]["LOC"];
    assert_eq!(loc["exact"]["precision"]["undefined"], "B has no spans here");

    let out = run(&["agree", "--sets", "Ana", &ws], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("agreement needs two or more sets"));
    let out = run(&["agree", "--iou", "0", &ws], None);
    assert_eq!(out.status.code(), Some(2));
}
