//! The crate's import graph, read from the sources: no cycles between top-level modules, none
//! between files (a file may use what its own parent modules declare, as Rust modules do),
//! and the shell's layers point one way (components → hooks → services → store → core).
//!
//! Run it alone with `cargo test --test architecture`; a failure prints the cycle or the
//! import that goes the wrong way.

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

/// Every `.rs` file under `src/`, by module path (`formats::doccano`, `shell::store`; the
/// crate root is ``).
fn modules() -> BTreeMap<String, PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let mut out = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap().with_extension("");
        let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        match parts.last().map(String::as_str) {
            Some("lib") if parts.len() == 1 => parts.clear(),
            Some("main" | "worker_main") if parts.len() == 1 => continue, // binaries, not modules
            Some("mod") => {
                parts.pop();
            }
            _ => {}
        }
        // `state/tests.rs` and the like are `#[cfg(test)] mod tests;` of their parent.
        out.insert(parts.join("::"), file);
    }
    out
}

/// The source without comments (doc links name modules without importing them). A `//`
/// right after a `:` is a URL in a string, not a comment.
fn code(path: &Path) -> String {
    let strip = |l: &str| -> String {
        let mut from = 0;
        while let Some(i) = l[from..].find("//") {
            let at = from + i;
            if at == 0 || l.as_bytes()[at - 1] != b':' {
                return l[..at].to_owned();
            }
            from = at + 2;
        }
        l.to_owned()
    };
    fs::read_to_string(path).unwrap().lines().map(strip).collect::<Vec<_>>().join("\n")
}

/// Expands a use tree ("crate::{a::b, c::{self, d}}") into paths.
fn expand(tree: &str) -> Vec<String> {
    // Drop renames ("d as e") and whitespace.
    let mut tokens = tree.split_whitespace();
    let mut tree = String::new();
    while let Some(t) = tokens.next() {
        if t == "as" {
            let renamed = tokens.next().unwrap_or("");
            tree.push_str(renamed.trim_start_matches(|c: char| c.is_alphanumeric() || c == '_'));
        } else {
            tree.push_str(t);
        }
    }
    fn go(prefix: &str, tree: &str, out: &mut Vec<String>) {
        let Some(open) = tree.find('{') else {
            let path = tree;
            let full = if prefix.is_empty() {
                path.to_owned()
            } else if path == "self" {
                prefix.to_owned()
            } else {
                format!("{prefix}::{path}")
            };
            out.push(full);
            return;
        };
        let head = tree[..open].trim_end_matches("::");
        let prefix = if prefix.is_empty() {
            head.to_owned()
        } else if head.is_empty() {
            prefix.to_owned()
        } else {
            format!("{prefix}::{head}")
        };
        let inner = &tree[open + 1..tree.rfind('}').unwrap()];
        let (mut depth, mut start) = (0, 0);
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    if !inner[start..i].is_empty() {
                        go(&prefix, &inner[start..i], out);
                    }
                    start = i + 1;
                }
                _ => {}
            }
        }
        if !inner[start..].is_empty() {
            go(&prefix, &inner[start..], out);
        }
    }
    let mut out = Vec::new();
    go("", &tree, &mut out);
    out
}

/// Every path a file names that starts with `crate::` or `super::`, made absolute.
fn paths(module: &str, code: &str) -> Vec<String> {
    let mut raw = Vec::new();
    // use statements, braces and all
    let mut rest = code;
    while let Some(i) = rest.find("use ") {
        let before_ok = i == 0 || !rest.as_bytes()[i - 1].is_ascii_alphanumeric() && rest.as_bytes()[i - 1] != b'_';
        let tail = &rest[i + 4..];
        match (before_ok, tail.find(';')) {
            (true, Some(end)) if tail.starts_with("crate") || tail.starts_with("super") || tail.starts_with("self") => {
                raw.extend(expand(&tail[..end]));
                rest = &tail[end..];
            }
            _ => rest = tail,
        }
    }
    // paths in code: crate::a::b, super::a::b, self::a::b
    for start in ["crate::", "super::", "self::"] {
        let mut at = 0;
        while let Some(i) = code[at..].find(start) {
            let i = at + i;
            let ok = i == 0 || !(code.as_bytes()[i - 1].is_ascii_alphanumeric() || code.as_bytes()[i - 1] == b'_' || code.as_bytes()[i - 1] == b':');
            let end = code[i..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':')).map_or(code.len(), |e| i + e);
            if ok {
                raw.push(code[i..end].trim_end_matches(':').to_owned());
            }
            at = end.max(i + 1);
        }
    }
    let parent = |m: &str| m.rsplit_once("::").map_or(String::new(), |(p, _)| p.to_owned());
    raw.into_iter()
        .map(|p| {
            let mut base = module.to_owned();
            let mut rest = p.as_str();
            if let Some(r) = rest.strip_prefix("crate") {
                base = String::new();
                rest = r.trim_start_matches("::");
            } else if let Some(r) = rest.strip_prefix("self") {
                rest = r.trim_start_matches("::");
            } else {
                // `super` from a file is its module's parent (for mod.rs and other files alike,
                // the module is the directory or the file).
                while let Some(r) = rest.strip_prefix("super") {
                    base = parent(&base);
                    rest = r.trim_start_matches("::");
                }
            }
            if base.is_empty() {
                rest.to_owned()
            } else if rest.is_empty() {
                base
            } else {
                format!("{base}::{rest}")
            }
        })
        .collect()
}

/// What each module re-exports with `pub use`: module → name → the absolute path it stands
/// for. Paths in a `pub use` may be relative to the module (`pub use a::A;` in `m/mod.rs`).
type Reexports = BTreeMap<String, BTreeMap<String, String>>;

fn reexports(modules: &BTreeMap<String, PathBuf>) -> Reexports {
    let mut out = Reexports::new();
    for (module, file) in modules {
        let code = code(file);
        let mut rest = code.as_str();
        while let Some(i) = rest.find("pub use ") {
            let tail = &rest[i + 8..];
            let Some(end) = tail.find(';') else { break };
            for p in expand(&tail[..end]) {
                let absolute = if p.starts_with("crate") || p.starts_with("super") || p.starts_with("self") {
                    paths(module, &format!("use {p};")).into_iter().next().unwrap_or_default()
                } else if module.is_empty() {
                    p.clone()
                } else {
                    format!("{module}::{p}")
                };
                let name = p.rsplit("::").next().unwrap_or_default().to_owned();
                out.entry(module.clone()).or_default().insert(name, absolute);
            }
            rest = &tail[end..];
        }
    }
    out
}

/// The module file a path lands in: its longest prefix that is a module, following the
/// re-exports of that module (`super::B` where the parent has `pub use b::B` lands in `b`).
fn resolve(path: &str, modules: &BTreeMap<String, PathBuf>, re: &Reexports) -> Option<String> {
    let mut path = path.to_owned();
    for _ in 0..8 {
        let parts: Vec<&str> = path.split("::").collect();
        let n = (1..=parts.len()).rev().find(|n| modules.contains_key(&parts[..*n].join("::")))?;
        let module = parts[..n].join("::");
        match parts.get(n).and_then(|name| re.get(&module)?.get(*name)) {
            Some(target) if *target != path => {
                let rest = parts[n + 1..].join("::");
                path = if rest.is_empty() { target.clone() } else { format!("{target}::{rest}") };
            }
            _ => return Some(module),
        }
    }
    None
}

/// File-level import edges, without a file's uses of its own ancestors (a child may use what
/// its parent module declares) and without `#[cfg(test)]` modules named `tests`.
fn edges() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let re = reexports(&modules);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, file) in &modules {
        if module.ends_with("tests") {
            continue;
        }
        let mut code = code(file);
        // Leave out inline test modules: what tests use is not the module's dependency.
        if let Some(i) = code.find("#[cfg(test)]\nmod tests") {
            code.truncate(i);
        }
        for p in paths(module, &code) {
            let Some(target) = resolve(&p, &modules, &re) else { continue };
            let ancestor = target.is_empty() || module == &target || module.starts_with(&format!("{target}::"));
            let test_module = target.ends_with("tests");
            if !ancestor && !test_module {
                graph.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    graph
}

/// A cycle in `graph`, if there is one, as the path around it.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(n: &str, graph: &BTreeMap<String, BTreeSet<String>>, state: &mut BTreeMap<String, u8>, stack: &mut Vec<String>) -> Option<Vec<String>> {
        state.insert(n.to_owned(), 1);
        stack.push(n.to_owned());
        for m in graph.get(n).into_iter().flatten() {
            match state.get(m.as_str()).copied().unwrap_or(0) {
                1 => {
                    let from = stack.iter().position(|s| s == m).unwrap();
                    let mut c = stack[from..].to_vec();
                    c.push(m.clone());
                    return Some(c);
                }
                0 => {
                    if let Some(c) = visit(m, graph, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        if state.get(n.as_str()).copied().unwrap_or(0) == 0 {
            if let Some(c) = visit(n, graph, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

fn top(m: &str) -> String {
    m.split("::").next().unwrap_or("").to_owned()
}

#[test]
fn the_use_tree_parser_reads_nested_groups() {
    assert_eq!(expand("crate::{a::b, c::{self, d as e}}"), vec!["crate::a::b", "crate::c", "crate::c::d"]);
    assert_eq!(
        paths("formats::doccano", "use super::{plural, Export};\nuse crate::model::Span;"),
        vec!["formats::plural", "formats::Export", "model::Span", "model::Span", "formats"]
    );
    assert_eq!(paths("shell::components", "use super::store::Msg;"), vec!["shell::store::Msg", "shell::store::Msg"]);
    assert_eq!(paths("shell::components::app", "super::super::store::use_store()"), vec!["shell::store::use_store"]);
    // A child reaching a sibling through its parent's re-export is an edge to the sibling.
    let modules: BTreeMap<String, PathBuf> = ["m", "m::a", "m::b"].iter().map(|m| (m.to_string(), PathBuf::new())).collect();
    let re: Reexports =
        BTreeMap::from([("m".to_string(), BTreeMap::from([("A".to_string(), "m::a::A".to_string()), ("B".to_string(), "m::b::B".to_string())]))]);
    assert_eq!(resolve("m::B", &modules, &re).as_deref(), Some("m::b"));
    assert_eq!(resolve("m::a::x", &modules, &re).as_deref(), Some("m::a"));
    assert_eq!(paths("m::a", "self::x::y()").first().map(String::as_str), Some("m::a::x::y"));
    let graph: BTreeMap<String, BTreeSet<String>> =
        [("a", "b"), ("b", "c"), ("c", "a")].iter().map(|(x, y)| (x.to_string(), BTreeSet::from([y.to_string()]))).collect();
    assert_eq!(cycle(&graph), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
}

#[test]
fn no_file_imports_itself_round_a_cycle() {
    let graph = edges();
    assert!(graph.len() > 20, "the sources were read: {} files with imports", graph.len());
    if let Some(c) = cycle(&graph) {
        panic!("files import each other in a circle: {}", c.join(" → "));
    }
}

#[test]
fn no_top_level_module_imports_itself_round_a_cycle() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, tos) in edges() {
        for to in tos {
            if top(&from) != top(&to) && !from.is_empty() && !to.is_empty() {
                graph.entry(top(&from)).or_default().insert(top(&to));
            }
        }
    }
    if let Some(c) = cycle(&graph) {
        panic!("modules import each other in a circle: {}", c.join(" → "));
    }
    // The core never reaches into the shell.
    for (from, tos) in &graph {
        if !["shell", "worker", "cli"].contains(&from.as_str()) {
            assert!(!tos.contains("shell"), "{from} imports the shell");
        }
    }
}

#[test]
fn the_shell_layers_point_one_way() {
    let rank = |m: &str| -> Option<u8> {
        let rest = m.strip_prefix("shell::")?;
        Some(match rest.split("::").next()? {
            "store" => 0,
            "services" => 1,
            "hooks" => 2,
            "components" => 3,
            _ => return None,
        })
    };
    for (from, tos) in edges() {
        for to in tos {
            if let (Some(a), Some(b)) = (rank(&from), rank(&to)) {
                assert!(a >= b, "{from} imports {to}: the shell's layers go components → hooks → services → store");
            }
        }
    }
}
