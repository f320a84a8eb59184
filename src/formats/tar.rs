//! A tar archive (POSIX ustar) of an export's files, for exports of many files: brat writes
//! a `.txt` and an `.ann` per set, and a browser would otherwise save 4,000 files, one
//! prompt at a time, for a 2,000-article corpus. `tar -xf brat.tar` gives the folder brat's
//! `data/` directory wants.
//!
//! Only what an export needs: regular files, names of up to 100 bytes, no compression. The
//! archive of UTF-8 files is itself UTF-8 (headers are ASCII and NUL), so it travels as a
//! string like every other export.

use super::{plural, Export, ExportFile};

const BLOCK: usize = 512;

/// One tar archive named `name` holding every file of `export`, with a line in the report
/// saying so; an export of `most` files or fewer is left as it is.
pub fn bundle(mut export: Export, name: &str, most: usize) -> Export {
    if export.files.len() <= most {
        return export;
    }
    let n = export.files.len();
    let mut out = Vec::with_capacity(export.files.iter().map(|f| 2 * BLOCK + f.content.len()).sum::<usize>() + 2 * BLOCK);
    for (i, file) in export.files.iter().enumerate() {
        header(&mut out, &short_name(&file.name, i), file.content.len());
        out.extend_from_slice(file.content.as_bytes());
        out.resize(out.len().next_multiple_of(BLOCK), 0);
    }
    // The end of the archive: two empty blocks.
    out.resize(out.len() + 2 * BLOCK, 0);
    let content = String::from_utf8(out).expect("ASCII headers, NUL padding and UTF-8 files are UTF-8");
    export.files = vec![ExportFile { name: name.to_owned(), media_type: "application/x-tar", content }];
    export.report.push(format!("the {n} file{} are in one tar archive, {name} (tar -xf {name})", plural(n)));
    export
}

/// A name that fits ustar's 100 bytes: long ones keep their first 80 bytes (on a character
/// boundary), their number in the archive and their extension.
fn short_name(name: &str, i: usize) -> String {
    if name.len() <= 100 {
        return name.to_owned();
    }
    let ext = name.rfind('.').map_or("", |d| &name[d..]);
    let mut cut = 80;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{i}{}", &name[..cut], if ext.len() <= 10 { ext } else { "" })
}

/// A ustar header of a regular file.
fn header(out: &mut Vec<u8>, name: &str, size: usize) {
    let mut h = [0u8; BLOCK];
    let mut field = |at: usize, value: &[u8]| h[at..at + value.len()].copy_from_slice(value);
    field(0, name.as_bytes());
    field(100, b"0000644\0"); // mode
    field(108, b"0000000\0"); // owner
    field(116, b"0000000\0"); // group
    field(124, format!("{size:011o}\0").as_bytes());
    field(136, b"00000000000\0"); // modified: the epoch, so the same export gives the same bytes
    field(148, b"        "); // the checksum counts itself as spaces
    field(156, b"0"); // a regular file
    field(257, b"ustar\0");
    field(263, b"00");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    out.extend_from_slice(&h);
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The files of an archive, read as tar readers do: header by header, checksums checked.
    pub(crate) fn untar(archive: &[u8]) -> Vec<(String, String)> {
        let mut files = Vec::new();
        let mut at = 0;
        while at + BLOCK <= archive.len() && archive[at..at + BLOCK].iter().any(|&b| b != 0) {
            let h = &archive[at..at + BLOCK];
            let text = |from: usize, len: usize| String::from_utf8(h[from..from + len].iter().copied().take_while(|&b| b != 0).collect()).unwrap();
            let sum: u32 = h.iter().enumerate().map(|(i, &b)| if (148..156).contains(&i) { 32 } else { u32::from(b) }).sum();
            assert_eq!(u32::from_str_radix(text(148, 6).trim(), 8).unwrap(), sum, "checksum");
            assert_eq!(&h[257..263], b"ustar\0");
            let size = usize::from_str_radix(text(124, 11).trim(), 8).unwrap();
            let body = &archive[at + BLOCK..at + BLOCK + size];
            files.push((text(0, 100), String::from_utf8(body.to_vec()).unwrap()));
            at += BLOCK + size.next_multiple_of(BLOCK);
        }
        assert_eq!(archive.len(), at + 2 * BLOCK, "two empty blocks end it");
        files
    }

    fn export(files: &[(&str, &str)]) -> Export {
        Export {
            files: files.iter().map(|&(name, content)| ExportFile { name: name.to_owned(), media_type: "text/plain", content: content.to_owned() }).collect(),
            report: vec!["a note".to_owned()],
        }
    }

    #[test]
    fn many_files_become_one_archive_that_reads_back_byte_for_byte() {
        let long = format!("{}.ann", "s".repeat(120));
        let files = [("a.txt", "Ana 🙂 said\r\n"), ("a.ann", "T1\tPERSON 0 3\tAna\n"), ("empty.ann", ""), (long.as_str(), &"x".repeat(1000))];
        let out = bundle(export(&files), "brat.tar", 2);
        assert_eq!(out.files.len(), 1);
        assert_eq!((out.files[0].name.as_str(), out.files[0].media_type), ("brat.tar", "application/x-tar"));
        assert_eq!(out.report, ["a note", "the 4 files are in one tar archive, brat.tar (tar -xf brat.tar)"]);
        let back = untar(out.files[0].content.as_bytes());
        let names: Vec<&str> = back.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a.txt", "a.ann", "empty.ann", &format!("{}-3.ann", "s".repeat(80))]);
        for ((_, content), (_, want)) in back.iter().zip(files) {
            assert_eq!(content, want);
        }
    }

    #[test]
    fn python_reads_the_archive() {
        let files = [("a b.txt", "Ana 🙂 said\r\n"), ("a b.ann", "T1\tPERSON 0 3\tAna\n"), ("c.txt", "")];
        let out = bundle(export(&files), "brat.tar", 2);
        let path = std::env::temp_dir().join(format!("spanwright-tar-{}.tar", std::process::id()));
        std::fs::write(&path, out.files[0].content.as_bytes()).unwrap();
        let script = "import sys, tarfile\nwith tarfile.open(sys.argv[1]) as t:\n    for m in t.getmembers():\n        print(m.name, m.size, t.extractfile(m).read().decode('utf-8') == {'a b.txt': 'Ana 🙂 said\\r\\n', 'a b.ann': 'T1\\tPERSON 0 3\\tAna\\n', 'c.txt': ''}[m.name])";
        let run = std::process::Command::new("python3").arg("-c").arg(script).arg(&path).output().expect("python3 runs");
        std::fs::remove_file(&path).ok();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        assert_eq!(String::from_utf8(run.stdout).unwrap(), "a b.txt 15 True\na b.ann 18 True\nc.txt 0 True\n");
    }

    #[test]
    fn a_few_files_stay_as_they_are() {
        let files = [("a.txt", "x"), ("a.ann", "y")];
        assert_eq!(bundle(export(&files), "brat.tar", 2), export(&files));
    }
}
