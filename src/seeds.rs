//! The articles bundled with the app, embedded byte for byte from `seeds/` at build time
//! (see `build.rs`), so a static `dist/` needs no requests to show them.

use crate::model::{Document, Origin};

include!(concat!(env!("OUT_DIR"), "/seeds.rs"));

/// The bundled articles as documents, in file-name order.
pub fn documents() -> Vec<Document> {
    SEEDS.iter().map(|(id, text)| Document::new(*id, *text, Origin::Bundled)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_are_embedded_byte_for_byte() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        assert_eq!(SEEDS.len(), 2);
        for (id, text) in SEEDS {
            let on_disk = std::fs::read(dir.join(format!("{id}.txt"))).unwrap();
            assert_eq!(text.as_bytes(), &on_disk[..], "{id}");
        }
    }

    #[test]
    fn seed_titles_and_dates_parse() {
        let docs = documents();
        assert_eq!(docs[0].header.date.as_deref(), Some("2020-06-18"));
        assert_eq!(docs[0].header.byline.as_deref(), Some("Talha Ozturk"));
        assert_eq!(docs[1].header.title, "Kosovo and Metohija one of the key topics during Lavrov's visit to Serbia");
        assert_eq!(docs[1].header.source.as_deref(), Some("Tanjug"));
    }
}
