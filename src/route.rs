//! The app's place, kept in the URL fragment (`#/doc/<id>`) so reload, bookmarks and
//! back/forward work on any static host without server-side routing.

/// Where the app is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// No article named: show the first one.
    Home,
    /// An article by id.
    Doc(String),
}

impl Route {
    /// Parses `location.hash` (with or without the leading `#`). Ids are percent-decoded.
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#');
        match path.strip_prefix("/doc/") {
            Some(id) if !id.is_empty() => Route::Doc(percent_decode(id)),
            _ => Route::Home,
        }
    }

    /// The fragment for this route, with the id percent-encoded.
    pub fn to_hash(&self) -> String {
        match self {
            Route::Home => "#/".to_owned(),
            Route::Doc(id) => format!("#/doc/{}", percent_encode(id)),
        }
    }
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_round_trips() {
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("#/"), Route::Home);
        assert_eq!(Route::parse("#/doc/"), Route::Home);
        assert_eq!(Route::parse("#/doc/002_9d1e"), Route::Doc("002_9d1e".into()));
        for id in ["plain", "user-é 🙂/#?", "a%b"] {
            let r = Route::Doc(id.into());
            assert_eq!(Route::parse(&r.to_hash()), r, "{id}");
        }
    }
}
