//! Every file of the hostile-upload corpus (`tests/hostile/`) is refused with the message
//! the user must see, and nothing panics. The browser test uploads the same files.
//! `HOSTILE_PRINT=1 cargo test --test hostile -- --nocapture` prints the messages as JSON.
//! The messages name JSON paths, so this needs the default `json-paths` feature.
#![cfg(feature = "json-paths")]

use std::{collections::BTreeMap, fs, path::Path};

use serde_json::Value;
use spanwright::{formats::upload, model::Workspace, seeds};

fn bytes_of(case: &Value, dir: &Path) -> Vec<u8> {
    match case["generated"].as_u64() {
        // A valid JSON array of numbers, 50 MB long: refused for its size alone.
        Some(n) => {
            let mut v = b"[".to_vec();
            while v.len() < n as usize - 2 {
                v.extend_from_slice(b"1234567890,");
            }
            v.extend_from_slice(b"0]");
            v
        }
        None => fs::read(dir.join("files").join(case["file"].as_str().unwrap())).unwrap(),
    }
}

#[test]
fn every_hostile_file_is_refused_with_its_message() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let cases: Vec<Value> = serde_json::from_str(&fs::read_to_string(dir.join("cases.json")).unwrap()).unwrap();
    assert!(cases.len() >= 50, "the corpus must hold at least 50 files");
    let ws = Workspace::with_documents(seeds::documents());
    let mut actual = BTreeMap::new();
    let mut wrong = Vec::new();
    for case in &cases {
        let name = case["file"].as_str().unwrap();
        let got = match upload::read(name, &bytes_of(case, &dir), &ws, "2026-01-01T00:00:00Z") {
            Ok(up) => format!("ACCEPTED: {}", up.summary),
            Err(message) => message.to_string(),
        };
        if case["message"].as_str() != Some(got.as_str()) {
            wrong.push(format!("{name}\n  expected: {}\n  got:      {got}", case["message"]));
        }
        actual.insert(name.to_owned(), got);
    }
    if std::env::var_os("HOSTILE_PRINT").is_some() {
        println!("{}", serde_json::to_string_pretty(&actual).unwrap());
    }
    assert!(wrong.is_empty(), "{} of {} messages differ:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn corpus() -> Vec<Vec<u8>> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
        let mut files: Vec<Vec<u8>> = fs::read_dir(dir.join("hostile/files")).unwrap().map(|e| fs::read(e.unwrap().path()).unwrap()).collect();
        for good in ["golden/spanwright/set.spanwright.json", "golden/doccano/doccano.jsonl", "golden/labelstudio/label-studio.json"] {
            files.push(fs::read(dir.join(good)).unwrap());
        }
        files
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Any file, any bytes: the upload reader answers, it never panics.
        #[test]
        fn uploads_never_panic(pick in any::<prop::sample::Index>(), edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 0..8)) {
            let files = corpus();
            let mut bytes = files[pick.index(files.len())].clone();
            for (at, byte, how) in edits {
                let i = at.index(bytes.len() + 1);
                match how {
                    0 if i < bytes.len() => bytes[i] = byte,
                    1 => bytes.insert(i, byte),
                    _ if i < bytes.len() => { bytes.remove(i); }
                    _ => {}
                }
            }
            let ws = Workspace::with_documents(seeds::documents());
            let _ = upload::read("fuzz.json", &bytes, &ws, "2026-01-01T00:00:00Z");
        }

        #[test]
        fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            let ws = Workspace::default();
            let _ = upload::read("random.json", &bytes, &ws, "2026-01-01T00:00:00Z");
        }
    }
}
