//! A small CSV reader (RFC 4180) for corpus imports: comma-separated fields, fields in
//! double quotes with `""` for a quote inside and line ends inside, records ended by CRLF
//! or LF. Each record comes with the line it starts on, so a refused row is reported where
//! the user can find it.
//!
//! Written here rather than taken from the `csv` crate because corpus import needs only
//! this much (no type conversion, no other dialects), the line of each record, and recovery
//! after a bad record, and it keeps the formats worker small. Where RFC 4180 is silent or
//! strict it is lenient as spreadsheets are: blank lines are skipped, and a quote inside an
//! unquoted field (`5" screen`) is kept as written. A quoted field followed by anything but
//! a comma or a line end is an error for that record only; a quoted field left open runs to
//! the end of the input and is an error for the rest of it.

/// One record: the line it starts on (from 1) and its fields, or why it could not be read.
pub type Record = Result<(usize, Vec<String>), (usize, String)>;

/// The records of `input`, in order. A leading byte-order mark is not part of the first field.
pub fn records(input: &str) -> Vec<Record> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let bytes = input.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < bytes.len() {
        // Blank lines separate nothing.
        if bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n')) {
            i += if bytes[i] == b'\r' { 2 } else { 1 };
            line += 1;
            continue;
        }
        let start_line = line;
        match record(input, &mut i, &mut line) {
            Ok(fields) => out.push(Ok((start_line, fields))),
            Err(why) => {
                out.push(Err((start_line, why)));
                // Go on at the next line; an unterminated quote has consumed everything.
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                if i < bytes.len() {
                    i += 1;
                    line += 1;
                }
            }
        }
    }
    out
}

/// Reads one record starting at `*i`, leaving `*i` after its line end.
fn record(input: &str, i: &mut usize, line: &mut usize) -> Result<Vec<String>, String> {
    let bytes = input.as_bytes();
    let mut fields = Vec::new();
    loop {
        if bytes.get(*i) == Some(&b'"') {
            let opened = *line;
            *i += 1;
            let mut field = String::new();
            let mut from = *i;
            loop {
                match bytes.get(*i) {
                    None => return Err(format!("a quoted field opened on line {opened} is never closed")),
                    Some(b'"') if bytes.get(*i + 1) == Some(&b'"') => {
                        field.push_str(&input[from..=*i]);
                        *i += 2;
                        from = *i;
                    }
                    Some(b'"') => {
                        field.push_str(&input[from..*i]);
                        *i += 1;
                        break;
                    }
                    Some(b'\n') => {
                        *line += 1;
                        *i += 1;
                    }
                    Some(_) => *i += 1,
                }
            }
            fields.push(field);
            match bytes.get(*i) {
                Some(b',') => *i += 1,
                None => return Ok(fields),
                Some(b'\n') => {
                    *i += 1;
                    *line += 1;
                    return Ok(fields);
                }
                Some(b'\r') if bytes.get(*i + 1) == Some(&b'\n') => {
                    *i += 2;
                    *line += 1;
                    return Ok(fields);
                }
                Some(_) => {
                    let found: String = input[*i..].chars().take(10).take_while(|c| *c != '\n').collect();
                    return Err(format!("field {} has “{found}” after its closing quote; a quote inside a quoted field is written twice (\"\")", fields.len()));
                }
            }
        } else {
            let from = *i;
            while *i < bytes.len() && bytes[*i] != b',' && bytes[*i] != b'\n' {
                *i += 1;
            }
            let end = if *i > from && bytes[*i - 1] == b'\r' && bytes.get(*i) == Some(&b'\n') { *i - 1 } else { *i };
            fields.push(input[from..end].to_owned());
            match bytes.get(*i) {
                Some(b',') => *i += 1,
                Some(b'\n') => {
                    *i += 1;
                    *line += 1;
                    return Ok(fields);
                }
                _ => return Ok(fields),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> Vec<(usize, Vec<String>)> {
        records(input).into_iter().map(|r| r.unwrap()).collect()
    }

    fn r(line: usize, fields: &[&str]) -> (usize, Vec<String>) {
        (line, fields.iter().map(|f| f.to_string()).collect())
    }

    #[test]
    fn plain_quoted_and_empty_fields() {
        assert_eq!(ok("a,b,c\n1,,3\n"), vec![r(1, &["a", "b", "c"]), r(2, &["1", "", "3"])]);
        assert_eq!(ok("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n"), vec![r(1, &["a", "b"]), r(2, &["x, y", "say \"hi\""])]);
        assert_eq!(ok("a,\n"), vec![r(1, &["a", ""])]);
        assert_eq!(ok("\"\",x"), vec![r(1, &["", "x"])], "no line end at the end of the input");
    }

    #[test]
    fn line_ends_inside_quotes_are_kept_and_counted() {
        let recs = ok("id,text\n1,\"first line\r\nsecond 🙂\nthird\"\n2,next\n");
        assert_eq!(recs, vec![r(1, &["id", "text"]), r(2, &["1", "first line\r\nsecond 🙂\nthird"]), r(5, &["2", "next"])]);
    }

    #[test]
    fn bom_and_blank_lines() {
        assert_eq!(ok("\u{feff}text\n\nhello\r\n\r\nbye"), vec![r(1, &["text"]), r(3, &["hello"]), r(5, &["bye"])]);
    }

    #[test]
    fn a_quote_inside_an_unquoted_field_is_kept() {
        assert_eq!(ok("a 5\" screen,b\n"), vec![r(1, &["a 5\" screen", "b"])]);
    }

    #[test]
    fn bad_records_are_refused_alone_with_their_line() {
        let recs = records("a,b\n\"x\"y,2\n3,4\n");
        assert_eq!(recs[0], Ok(r(1, &["a", "b"])));
        assert_eq!(recs[1], Err((2, "field 1 has “y,2” after its closing quote; a quote inside a quoted field is written twice (\"\")".to_owned())));
        assert_eq!(recs[2], Ok(r(3, &["3", "4"])));
        let open = records("a\n\"never closed\nmore\n");
        assert_eq!(open.len(), 2);
        assert_eq!(open[1], Err((2, "a quoted field opened on line 2 is never closed".to_owned())));
    }

    #[test]
    fn a_lone_carriage_return_is_data() {
        assert_eq!(ok("a\rb,c\n"), vec![r(1, &["a\rb", "c"])]);
    }
}
