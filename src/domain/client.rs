//! Where a request comes from, as login tracking, the sessions page and the
//! rate limits see it.

/// The client's address and user agent (filled in by the HTTP layer).
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    /// The peer address, or Rocket's `ip_header` when the operator set one.
    pub ip: Option<String>,
    /// At most 512 characters of `User-Agent`.
    pub user_agent: Option<String>,
}

/// A user agent in a person's words: the browser and the system it runs
/// on, as far as the `User-Agent` string tells (`("Firefox", Some("Linux"))`).
/// `None` when the browser is not one we know; the page then shows the raw
/// string. Proper names, so no catalog entry of their own.
pub fn device(user_agent: &str) -> Option<(&'static str, Option<&'static str>)> {
    let has = |needle: &str| user_agent.contains(needle);
    // Order matters: Edge and Opera also say Chrome, Chrome also says Safari.
    let browser = if has("Edg/") || has("EdgA/") || has("EdgiOS/") {
        "Edge"
    } else if has("OPR/") || has("Opera") {
        "Opera"
    } else if has("Firefox/") || has("FxiOS/") {
        "Firefox"
    } else if has("Chrome/") || has("CriOS/") || has("Chromium/") {
        "Chrome"
    } else if has("Safari/") && has("Version/") {
        "Safari"
    } else if user_agent.starts_with("curl/") {
        "curl"
    } else {
        return None;
    };
    // iOS and Android before macOS and Linux, which they also claim.
    let system = if has("iPhone") || has("iPad") || has("iPod") {
        Some("iOS")
    } else if has("Android") {
        Some("Android")
    } else if has("Windows") {
        Some("Windows")
    } else if has("CrOS") {
        Some("ChromeOS")
    } else if has("Macintosh") || has("Mac OS X") {
        Some("macOS")
    } else if has("Linux") {
        Some("Linux")
    } else {
        None
    };
    Some((browser, system))
}

#[cfg(test)]
mod tests {
    use crate::domain::client::device;

    #[test]
    fn common_browsers_get_their_names() {
        for (ua, want) in [
            ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", ("Firefox", Some("Linux"))),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0", ("Edge", Some("Windows"))),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", ("Safari", Some("macOS"))),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", ("Safari", Some("iOS"))),
            ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36", ("Chrome", Some("Android"))),
            ("curl/8.5.0", ("curl", None)),
        ] {
            assert_eq!(device(ua), Some(want), "{ua}");
        }
        assert_eq!(device("SomeBot/1.0"), None);
    }
}
