//! The command-line converter: the same core as the app, for training pipelines.
//!
//! ```text
//! spanwright convert --to jsonl workspace.json -o train.jsonl
//! spanwright convert --from doccano --to spanwright export.jsonl -o workspace.json
//! spanwright convert --to brat workspace.json -o brat/
//! ```
//!
//! Exit codes: 0 done; 1 the input was refused, or partly refused without `--partial`;
//! 2 usage; 3 a file could not be read or written.

use std::{
    fs,
    io::{self, Read, Write},
    path::PathBuf,
    process::ExitCode,
};

use clap::{Parser, Subcommand, ValueEnum};

use crate::formats::{doccano, labelstudio, native, Format, ImportError, Imported};
use crate::model::{AnnotationSet, LabelSet, Workspace};

#[derive(Parser)]
#[command(name = "spanwright", version, about = "Convert Spanwright annotations into training data, and other tools' files into Spanwright's")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Convert a file to another format.
    Convert {
        /// Output format: spanwright, jsonl, doccano, labelstudio, brat, w3c, conll.
        #[arg(long, value_parser = parse_format)]
        to: Format,
        /// Input format.
        #[arg(long, value_enum, default_value_t = From::Spanwright)]
        from: From,
        /// Output file, or folder for brat. Standard output when absent (not for brat).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Convert what can be used even when parts of the input are refused.
        #[arg(long)]
        partial: bool,
        /// Input file; `-` for standard input.
        input: PathBuf,
    },
    /// Measure how far annotation sets agree: exact and overlap F1 per label, Krippendorff's
    /// α and Cohen's κ over characters, boundaries, label confusions, relations.
    Agree {
        /// A Spanwright JSON workspace.
        workspace: PathBuf,
        /// The sets to compare, by set id, set name or annotator (comma-separated); each
        /// names one set per document. Default: every annotator (or set name) in the file.
        #[arg(long, value_delimiter = ',')]
        sets: Vec<String>,
        /// Only this document.
        #[arg(long)]
        doc: Option<String>,
        /// The IoU at or above which overlapping spans count as a match.
        #[arg(long, default_value_t = crate::agreement::DEFAULT_IOU)]
        iou: f64,
        /// Print JSON instead of tables.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum From {
    /// A Spanwright JSON file (workspace or set).
    Spanwright,
    /// doccano JSONL (offsets in UTF-16 units, as doccano counts them).
    Doccano,
    /// Label Studio JSON tasks.
    Labelstudio,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

/// Runs the command line; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Convert { to, from, output, partial, input } => convert(to, from, output, partial, input),
        Command::Agree { workspace, sets, doc, iou, json } => agree(&workspace, sets, doc.as_deref(), iou, json),
    }
}

fn fail(code: u8, message: impl std::fmt::Display) -> ExitCode {
    eprintln!("spanwright: {message}");
    ExitCode::from(code)
}

fn convert(to: Format, from: From, output: Option<PathBuf>, partial: bool, input: PathBuf) -> ExitCode {
    let name = input.display().to_string();
    let bytes = if name == "-" {
        let mut buf = Vec::new();
        io::stdin().read_to_end(&mut buf).map(|_| buf)
    } else {
        fs::read(&input)
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => return fail(3, format!("cannot read {name}: {e}")),
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => return fail(1, format!("{name}: not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to())),
    };
    let at = "1970-01-01T00:00:00Z";
    let loaded: Result<(Imported, Option<Workspace>), ImportError> = match from {
        From::Spanwright => native::load(&text, &[]).map(|l| {
            let imported = l.imported.clone();
            (imported, Some(l.into_workspace()))
        }),
        From::Doccano => doccano::import(&text, &LabelSet::default(), at).map(|i| (i, None)),
        From::Labelstudio => labelstudio::import(&text, &LabelSet::default(), at).map(|i| (i, None)),
    };
    let (imported, ws) = match loaded {
        Ok(x) => x,
        Err(e) => return fail(1, format!("{name}: {e}")),
    };
    for note in &imported.notes {
        eprintln!("note: {note}");
    }
    for problem in &imported.refused {
        eprintln!("refused: {name}: {problem}");
    }
    if !imported.refused.is_empty() && !partial {
        return fail(1, format!("{} part(s) of {name} refused; nothing written (use --partial to convert the rest)", imported.refused.len()));
    }
    let summary = imported.summary();
    let ws = ws.unwrap_or_else(|| imported.into_workspace());
    let sets: Vec<&AnnotationSet> = ws.sets().iter().collect();
    let export = if to == Format::Native {
        let content = native::save_workspace(&ws);
        crate::formats::Export {
            files: vec![crate::formats::ExportFile { name: "workspace.spanwright.json".into(), media_type: "application/json", content }],
            report: vec![],
        }
    } else {
        to.export(&ws, &sets)
    };
    for line in &export.report {
        eprintln!("note: {line}");
    }
    // Label Studio's tasks come with the labeling config that imports them: the tasks go
    // where a single file would, the config beside them (only with -o).
    let companions = usize::from(to == Format::LabelStudio);
    let main_files = export.files.len() - companions;
    let written = match (&output, main_files) {
        (None, 1) => {
            if companions > 0 {
                eprintln!("note: {} not written to standard output; give -o to have it", export.files[1].name);
            }
            io::stdout().write_all(export.files[0].content.as_bytes()).map(|_| "standard output".to_owned())
        }
        (None, _) => return fail(2, format!("{} writes {} files: name a folder with -o", to.id(), export.files.len())),
        (Some(path), 1) if !path.is_dir() => {
            let beside = path.parent().map(PathBuf::from).unwrap_or_default();
            fs::write(path, &export.files[0].content).and_then(|_| export.files[1..].iter().try_for_each(|f| fs::write(beside.join(&f.name), &f.content))).map(
                |_| {
                    let extra: Vec<String> = export.files[1..].iter().map(|f| beside.join(&f.name).display().to_string()).collect();
                    if extra.is_empty() {
                        path.display().to_string()
                    } else {
                        format!("{} (and {})", path.display(), extra.join(", "))
                    }
                },
            )
        }
        (Some(dir), _) => fs::create_dir_all(dir)
            .and_then(|_| export.files.iter().try_for_each(|f| fs::write(dir.join(&f.name), &f.content)))
            .map(|_| format!("{} ({} file{})", dir.display(), export.files.len(), if export.files.len() == 1 { "" } else { "s" })),
    };
    match written {
        Ok(place) => {
            eprintln!("converted {summary} to {} in {place}", to.title());
            ExitCode::SUCCESS
        }
        Err(e) => fail(3, format!("cannot write the output: {e}")),
    }
}

fn agree(path: &PathBuf, selectors: Vec<String>, only: Option<&str>, iou: f64, json: bool) -> ExitCode {
    use crate::agreement::report::{owners, report, ReportError};
    if !(0.0..=1.0).contains(&iou) || iou == 0.0 {
        return fail(2, format!("--iou {iou}: give a number above 0 and at most 1"));
    }
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return fail(3, format!("cannot read {}: {e}", path.display())),
    };
    let ws = match native::load(&text, &[]) {
        Ok(l) if l.imported.refused.is_empty() => l.into_workspace(),
        Ok(l) => return fail(1, format!("{}: {} part(s) refused: {}", path.display(), l.imported.refused.len(), l.imported.refused[0])),
        Err(e) => return fail(1, format!("{}: {e}", path.display())),
    };
    let docs: Vec<&crate::model::Document> = ws.documents().iter().map(|d| &**d).filter(|d| only.is_none_or(|o| o == d.id)).collect();
    if docs.is_empty() {
        return fail(1, format!("{}: no document “{}”", path.display(), only.unwrap_or("")));
    }
    let selectors = if selectors.is_empty() { owners(&ws, &docs) } else { selectors };
    let report = match report(&ws, &selectors, &docs, iou) {
        Ok(r) => r,
        Err(e @ ReportError::TooFewSets(_)) => return fail(2, format!("{}: {e}", path.display())),
        Err(e) => return fail(1, format!("{}: {e}", path.display())),
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&report).expect("serialisable"));
        return ExitCode::SUCCESS;
    }
    let pairs: Vec<(&crate::agreement::Pair, usize)> = report.pairs.iter().map(|p| (&p.pair, p.documents)).collect();
    for (p, n) in pairs {
        println!("{} vs {} ({n} document{}, overlap at IoU ≥ {iou})\n", p.a, p.b, if n == 1 { "" } else { "s" });
        println!("| label | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 | α | κ | counts (exact / overlap tp-fp-fn) |");
        println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        let row = |name: &str, e: &crate::agreement::Prf, o: &crate::agreement::Prf, alpha: String, kappa: String| {
            println!(
                "| {name} | {} | {} | {} | {} | {} | {} | {alpha} | {kappa} | {}-{}-{} / {}-{}-{} |",
                e.precision.show(),
                e.recall.show(),
                e.f1.show(),
                o.precision.show(),
                o.recall.show(),
                o.f1.show(),
                e.tp,
                e.fp,
                e.fn_,
                o.tp,
                o.fp,
                o.fn_
            )
        };
        for (label, f) in &p.labels {
            row(label, &f.exact, &f.overlap, f.alpha.show(), f.kappa.show());
        }
        row("all (micro)", &p.exact_micro, &p.overlap_micro, String::new(), String::new());
        println!("\nmacro F1: exact {}, overlap {}", p.exact_macro_f1.show(), p.overlap_macro_f1.show());
        println!("boundaries (labels ignored): F1 {} ({}-{}-{})", p.boundary.f1.show(), p.boundary.tp, p.boundary.fp, p.boundary.fn_);
        println!("relations: F1 {} ({}-{}-{})", p.relations.f1.show(), p.relations.tp, p.relations.fp, p.relations.fn_);
        let mut kinds: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
        for d in &p.disagreements {
            *kinds.entry(format!("{:?}", d.kind)).or_default() += 1;
        }
        println!("disagreements: {} {:?}", p.disagreements.len(), kinds);
        for (label, f) in &p.labels {
            for (name, fig) in [("α", &f.alpha), ("κ", &f.kappa)] {
                if let crate::agreement::Figure::Undefined { undefined } = fig {
                    println!("  {label} {name} undefined: {undefined}");
                }
            }
        }
        println!();
    }
    if selectors.len() > 2 {
        println!("overlap F1, every pair:\n");
        let m = &report.matrix;
        println!("| | {} |", selectors.join(" | "));
        println!("|{}", " --- |".repeat(selectors.len() + 1));
        for a in &selectors {
            let cells: Vec<String> =
                selectors.iter().map(|b| if a == b { "1".into() } else { m.get(a).and_then(|r| r.get(b)).map_or("—".into(), |f| f.show()) }).collect();
            println!("| {a} | {} |", cells.join(" | "));
        }
        println!("\nKrippendorff's α of all {} sets together, over the {} document(s) every one annotated:", selectors.len(), report.alpha_documents);
        for (label, f) in &report.alpha {
            match f {
                crate::agreement::Figure::Undefined { undefined } => println!("  {label}: — ({undefined})"),
                _ => println!("  {label}: {}", f.show()),
            }
        }
    }
    ExitCode::SUCCESS
}
