//! Embeds every `seeds/*.txt` file into the binary, byte for byte, sorted by file name.
//! Adding an article to the bundle is dropping a UTF-8 `.txt` file into `seeds/`.

use std::{env, fs, path::PathBuf};

fn main() {
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).join("seeds");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut seeds: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("seeds/ must exist")
        .map(|entry| entry.expect("readable seeds/ entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    seeds.sort();

    let mut out = String::from("/// `(id, text)` of each bundled article, from `seeds/*.txt`.\n");
    out.push_str("pub static SEEDS: &[(&str, &str)] = &[\n");
    for path in &seeds {
        println!("cargo:rerun-if-changed={}", path.display());
        let id = path.file_stem().unwrap().to_str().expect("seed file names are UTF-8");
        out.push_str(&format!("    ({id:?}, include_str!({:?})),\n", path.display().to_string()));
    }
    out.push_str("];\n");
    let dest = PathBuf::from(env::var("OUT_DIR").unwrap()).join("seeds.rs");
    fs::write(dest, out).expect("write seeds.rs");
}
