//! A redirect target that stays on this site (Flask-Security's
//! `validate_redirect_url`): the `next` of sign-in and registration, and the
//! configured `post_*_view` paths.
//!
//! Parsing, not just checking: a [`LocalPath`] is an absolute path (with an
//! optional query) that Rocket can always put in a `Location` header, so a
//! redirect to one can neither leave the site nor fail with a 500.

use rocket::http::uri::Origin;
use rocket::http::RawStr;

/// Longer `next` values are refused: no real page needs one.
const MAX_LENGTH: usize = 2048;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalPath(String);

impl LocalPath {
    pub fn parse(text: &str) -> Option<LocalPath> {
        let printable_ascii = text.bytes().all(|b| b.is_ascii_graphic());
        let ok = printable_ascii
            && text.len() <= MAX_LENGTH
            && text.starts_with('/')
            && !looks_like_another_host(text)
            // Browsers, servers and proxies disagree about decoding, so a
            // path that decodes to another host's is refused too.
            && !RawStr::new(text)
                .percent_decode()
                .is_ok_and(|decoded| looks_like_another_host(&decoded))
            && Origin::parse(text).is_ok();
        ok.then(|| LocalPath(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// `//host`, `/\\host` and the like, which browsers read as another origin.
fn looks_like_another_host(path: &str) -> bool {
    path.starts_with("//") || path.contains('\\') || path.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use crate::domain::local_path::LocalPath;

    #[test]
    fn only_local_paths_that_fit_a_location_header_parse() {
        for good in ["/", "/account", "/a?b=c", "/a/b?next=%2Fc", "/%3Cscript%3E"] {
            assert_eq!(
                LocalPath::parse(good).map(LocalPath::into_string),
                Some(good.to_owned()),
                "{good:?}"
            );
        }
        for bad in [
            "",
            "http://evil.example",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil",
            "evil",
            "javascript:alert(1)",
            "/\tevil",
            " /x",
            "https:/evil.example",
            "/<script>",
            "/\"x",
            "/a b",
            "/\u{ff0f}\u{ff0f}evil.example",
            "/\u{2215}evil",
            "/%2F%2Fevil.example",
            "/%5Cevil.example",
            "/x#frag ment",
            "/a{b}",
        ] {
            assert_eq!(LocalPath::parse(bad), None, "{bad:?}");
        }
        assert!(LocalPath::parse(&format!("/{}", "a".repeat(3000))).is_none());
    }
}
