use super::*;

fn run(files: &[(&str, &str)], fields: &FieldMap) -> Result<Imported, CorpusError> {
    run_known(files, fields, &HashSet::new(), &HashSet::new())
}

fn run_known(files: &[(&str, &str)], fields: &FieldMap, hashes: &HashSet<String>, ids: &HashSet<String>) -> Result<Imported, CorpusError> {
    let sources: Vec<Source<'_>> = files.iter().map(|(name, text)| Source { name, bytes: text.as_bytes() }).collect();
    read(&sources, fields, hashes, ids, &mut |_| {})
}

fn refused(i: &Imported) -> Vec<String> {
    i.refused.iter().map(|r| r.to_string()).collect()
}

#[test]
fn json_lines_rows_arrive_and_bad_ones_are_refused_by_line() {
    let file = concat!(
        "{\"id\": 1, \"title\": \"First\", \"text\": \"Alpha 🙂 text\\r\\nline two\", \"date\": \"2024-03-05T10:00:00Z\", \"url\": \"https://x.test/1\", \"meta\": {\"lang\": \"en\"}}\n",
        "\n",
        "{\"text\": \"Beta text\"}\r\n",
        "not json at all\n",
        "[1, 2]\n",
        "{\"title\": \"no text\"}\n",
        "{\"text\": 42}\n",
        "{\"text\": \"   \"}\n",
        "{\"text\": \"Gamma\", \"title\": [\"x\"]}\n",
        "{\"id\": \"g-2\", \"text\": \"Gamma\"}",
    );
    let got = run(&[("corpus.jsonl", file)], &FieldMap::default()).unwrap();
    let ids: Vec<&str> = got.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, vec!["1".to_owned(), format!("user-{}", &sha256_hex("Beta text")[..12]), "g-2".to_owned()]);
    let first = &got.documents[0];
    assert_eq!(&*first.text, "Alpha 🙂 text\r\nline two", "the text is kept exactly as the JSON string says");
    assert_eq!(first.sha256, sha256_hex(&first.text));
    assert_eq!(first.header.title, "First");
    assert_eq!(first.header.date.as_deref(), Some("2024-03-05"));
    assert_eq!(first.header.url.as_deref(), Some("https://x.test/1"));
    assert_eq!(first.header.meta, Some(serde_json::json!({"lang": "en"})));
    assert_eq!(first.origin, Origin::User);
    assert_eq!(got.documents[1].header.title, "Beta text", "no title: the first words");
    assert_eq!(
        refused(&got),
        vec![
            "corpus.jsonl line 4: the line is not JSON (expected ident, column 2)",
            "corpus.jsonl line 5: the line is an array, not an object with a text field",
            "corpus.jsonl line 6: it has no “text” field",
            "corpus.jsonl line 7: “text” is a number, not text",
            "corpus.jsonl line 8: its text is empty",
            "corpus.jsonl line 9: “title” is an array, not text",
        ]
    );
    assert_eq!(got.summary(), "Imported 3 articles; 6 refused.");
}

#[test]
fn json_arrays_report_the_line_each_item_starts_on() {
    let file = "[\n  {\"text\": \"one\"},\n  {\"text\": \"two\",\n   \"title\": \"Two\"},\n  \"three\",\n  {\"body\": \"four\"}\n]\n";
    let got = run(&[("a.json", file)], &FieldMap::default()).unwrap();
    assert_eq!(got.documents.iter().map(|d| &*d.text).collect::<Vec<_>>(), vec!["one", "two"]);
    assert_eq!(refused(&got), vec!["a.json line 5: the item is a string, not an object with a text field", "a.json line 6: it has no “text” field"]);
    let broken = run(&[("b.json", "[{\"text\": \"x\"},\n{\"text\": ]")], &FieldMap::default()).unwrap();
    assert!(broken.documents.is_empty());
    assert_eq!(refused(&broken), vec!["b.json: it is not a JSON array (line 2, column 10: expected value)"]);
    // A .json file of one object per line is read as JSON Lines.
    let lines = run(&[("c.json", "{\"text\": \"x\"}\n{\"text\": \"y\"}\n")], &FieldMap::default()).unwrap();
    assert_eq!(lines.documents.len(), 2);
}

#[test]
fn csv_with_quotes_newlines_bom_and_a_short_row() {
    let file = "\u{feff}id,title,text,date\r\n7,\"Seven, a title\",\"He said \"\"no\"\".\r\nThen left.\",2020-01-02\r\n8,Short,only three\r\n9,,Nine,\r\n";
    let got = run(&[("news.csv", file)], &FieldMap::default()).unwrap();
    assert_eq!(got.documents.len(), 2);
    let seven = &got.documents[0];
    assert_eq!((seven.id.as_str(), seven.header.title.as_str(), &*seven.text), ("7", "Seven, a title", "He said \"no\".\r\nThen left."));
    assert_eq!(seven.header.date.as_deref(), Some("2020-01-02"));
    assert_eq!(got.documents[1].header.title, "Nine");
    assert_eq!(refused(&got), vec!["news.csv line 4: the row has 3 fields, the header has 4"]);
    let open = run(&[("o.csv", "text\n\"never closed\n")], &FieldMap::default()).unwrap();
    assert_eq!(refused(&open), vec!["o.csv line 2: a quoted field opened on line 2 is never closed"]);
}

#[test]
fn a_file_without_the_text_field_asks_which_field_it_is() {
    let jsonl = "{\"headline\": \"H\", \"body\": \"The body\", \"link\": \"https://x.test\"}\n{\"body\": \"Second\", \"extra\": 1}\n";
    assert_eq!(
        run(&[("scrape.jsonl", jsonl)], &FieldMap::default()),
        Err(CorpusError::NeedFields {
            file: "scrape.jsonl".into(),
            wanted: "text".into(),
            fields: vec!["body".into(), "headline".into(), "link".into(), "extra".into()]
        })
    );
    let csv = "headline,body\nH,B\n";
    let err = run(&[("s.csv", csv)], &FieldMap::default()).unwrap_err();
    assert_eq!(err.to_string(), "s.csv has no “text” field; choose which field holds the text (fields found: headline, body)");
    // With the fields named, the same files arrive.
    let map = FieldMap { text: "body".into(), title: "headline".into(), url: "link".into(), id: String::new(), date: String::new(), meta: String::new() };
    let got = run(&[("scrape.jsonl", jsonl), ("s.csv", csv)], &map).unwrap();
    let docs: Vec<(&str, &str, Option<&str>)> = got.documents.iter().map(|d| (&*d.text, d.header.title.as_str(), d.header.url.as_deref())).collect();
    assert_eq!(docs, vec![("The body", "H", Some("https://x.test")), ("Second", "Second", None), ("B", "H", None)]);
}

#[test]
fn texts_already_here_or_repeated_are_skipped_and_ids_never_clash() {
    let hashes: HashSet<String> = [sha256_hex("old text")].into();
    let ids: HashSet<String> = ["5".to_owned()].into();
    let file = "{\"id\": 5, \"text\": \"new five\"}\n{\"text\": \"old text\"}\n{\"id\": \"a\", \"text\": \"A\"}\n{\"id\": \"a\", \"text\": \"A2\"}\n{\"text\": \"A\"}\n{\"id\": \"has space\", \"text\": \"S\"}\n";
    let got = run_known(&[("x.jsonl", file)], &FieldMap::default(), &hashes, &ids).unwrap();
    let got_ids: Vec<String> = got.documents.iter().map(|d| d.id.clone()).collect();
    let user = |t: &str| format!("user-{}", &sha256_hex(t)[..12]);
    assert_eq!(got_ids, vec![user("new five"), "a".into(), user("A2"), user("S")]);
    assert_eq!((got.already_here, got.repeated), (1, 1));
    assert_eq!(got.summary(), "Imported 4 articles; 1 already here; 1 repeated in the import.");
}

#[test]
fn a_folder_of_text_files_with_strays_and_a_bad_file() {
    let sources = [
        Source { name: "folder/a.txt", bytes: "\u{feff}First article\r\nbody".as_bytes() },
        Source { name: "folder/B.TXT", bytes: b"Second article" },
        Source { name: "folder/latin1.txt", bytes: b"caf\xe9" },
        Source { name: "folder/photo.jpg", bytes: b"\xff\xd8" },
        Source { name: "folder/empty.txt", bytes: b" \n" },
    ];
    let got = read(&sources, &FieldMap::default(), &HashSet::new(), &HashSet::new(), &mut |_| {}).unwrap();
    assert_eq!(got.documents.iter().map(|d| &*d.text).collect::<Vec<_>>(), vec!["First article\r\nbody", "Second article"]);
    assert_eq!(
        refused(&got),
        vec!["folder/latin1.txt: it is not UTF-8 text (line 1, byte 3); save it as UTF-8 and try again", "folder/empty.txt line 1: its text is empty"]
    );
    assert_eq!(got.ignored, vec!["folder/photo.jpg"]);
    assert_eq!(got.summary(), "Imported 2 articles; 2 refused; 1 other file ignored.");
    let none = read(&sources[3..4], &FieldMap::default(), &HashSet::new(), &HashSet::new(), &mut |_| {});
    assert_eq!(none.unwrap_err().to_string(), "none of the files is a .txt, .jsonl, .ndjson, .json or .csv file (folder/photo.jpg)");
}

#[test]
fn dates_that_are_not_iso_are_left_out_and_counted() {
    let file = "{\"text\": \"a\", \"date\": \"March 5\"}\n{\"text\": \"b\", \"date\": \"2024-13-01\"}\n{\"text\": \"c\", \"date\": \"2024-02-29 08:00\"}\n";
    let got = run(&[("d.jsonl", file)], &FieldMap::default()).unwrap();
    let dates: Vec<Option<&str>> = got.documents.iter().map(|d| d.header.date.as_deref()).collect();
    assert_eq!(dates, vec![None, None, Some("2024-02-29")]);
    assert_eq!(got.summary(), "Imported 3 articles. 2 dates were not YYYY-MM-DD and were left out (first: line 1, “March 5”).");
}

#[test]
fn progress_rises_to_the_total() {
    let file: String = (0..300).map(|i| format!("{{\"text\": \"article {i}\"}}\n")).collect();
    let sources = [Source { name: "p.jsonl", bytes: file.as_bytes() }, Source { name: "q.txt", bytes: b"one more" }];
    let mut seen = Vec::new();
    let got = read(&sources, &FieldMap::default(), &HashSet::new(), &HashSet::new(), &mut |p| seen.push(p)).unwrap();
    assert_eq!(got.documents.len(), 301);
    assert!(seen.len() >= 5, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].bytes_done <= w[1].bytes_done && w[0].articles <= w[1].articles), "{seen:?}");
    let last = seen.last().unwrap();
    assert_eq!((last.bytes_done, last.bytes_total, last.articles), (file.len() + 8, file.len() + 8, 301));
}

#[test]
fn imported_documents_round_trip_through_spanwright_json() {
    let got = run(&[("m.jsonl", "{\"id\": \"m1\", \"text\": \"Meta\", \"url\": \"u\", \"meta\": {\"k\": [1, \"two\"]}}\n")], &FieldMap::default()).unwrap();
    let ws = crate::model::Workspace::with_documents(got.documents.clone());
    let back = crate::formats::native::load(&crate::formats::native::save_workspace(&ws), &[]).unwrap().into_workspace();
    assert_eq!(back.documents()[0].as_ref(), &got.documents[0]);
}
