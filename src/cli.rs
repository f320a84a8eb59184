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
