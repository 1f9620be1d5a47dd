//! OAuth with GitHub, which is OAuth 2 without OpenID Connect: the subject
//! is the numeric `id` of `GET /user`, the email the entry of
//! `GET /user/emails` that is both primary and verified.

use crate::accounts::oauth_proof::{Failure, ProvedIdentity};
use serde::Deserialize;

pub const AUTHORIZE_URL: &str = "https://github.com/login/oauth/authorize";
pub const TOKEN_URL: &str = "https://github.com/login/oauth/access_token";
const API: &str = "https://api.github.com";

#[derive(Deserialize)]
struct GithubUser {
    id: u64,
}

#[derive(Deserialize)]
struct GithubEmail {
    email: String,
    primary: bool,
    verified: bool,
}

/// The identity behind GitHub's access token.
pub async fn identity(
    http: &reqwest::Client,
    access_token: &str,
) -> Result<ProvedIdentity, Failure> {
    let user = get(http, &format!("{API}/user"), access_token).await?;
    let emails = get(http, &format!("{API}/user/emails"), access_token).await?;
    parse(&user, &emails)
}

async fn get(http: &reqwest::Client, url: &str, access_token: &str) -> Result<String, Failure> {
    let response = http
        .get(url)
        .bearer_auth(access_token)
        .header(reqwest::header::ACCEPT, "application/vnd.github+json")
        .header("X-GitHub-Api-Version", "2022-11-28")
        .send()
        .await
        .map_err(|e| Failure::new("provider_unavailable", e.to_string()))?;
    if !response.status().is_success() {
        let status = response.status();
        return Err(Failure::new(
            "invalid_token",
            format!("GitHub answered {status}"),
        ));
    }
    response
        .text()
        .await
        .map_err(|e| Failure::new("provider_unavailable", e.to_string()))
}

/// `GET /user` and `GET /user/emails` read: no primary verified address
/// means an unverified one (the primary, if any).
pub fn parse(user: &str, emails: &str) -> Result<ProvedIdentity, Failure> {
    let bad = |what: &str| Failure::new("invalid_token", format!("GitHub's {what} did not parse"));
    let user: GithubUser = serde_json::from_str(user).map_err(|_| bad("user"))?;
    let emails: Vec<GithubEmail> = serde_json::from_str(emails).map_err(|_| bad("emails"))?;
    let verified = emails.iter().find(|e| e.primary && e.verified);
    let shown = verified.or_else(|| emails.iter().find(|e| e.primary));
    Ok(ProvedIdentity {
        subject: user.id.to_string(),
        email: shown.map(|e| e.email.clone()),
        email_verified: verified.is_some(),
    })
}

#[cfg(test)]
mod tests {
    use crate::accounts::oauth_github::parse;

    // Recorded from GitHub's REST API documentation examples.
    const USER: &str = r#"{"login":"octocat","id":583231,"node_id":"MDQ6VXNlcjE=",
        "avatar_url":"https://github.com/images/error/octocat_happy.gif","type":"User",
        "site_admin":false,"name":"monalisa octocat","email":"octocat@github.com"}"#;
    const EMAILS: &str = r#"[
        {"email":"old@example.com","verified":true,"primary":false,"visibility":null},
        {"email":"octocat@github.com","verified":true,"primary":true,"visibility":"public"}]"#;

    #[test]
    fn the_subject_is_the_id_and_the_email_the_primary_verified_one() {
        let proved = parse(USER, EMAILS).expect("parses");
        assert_eq!(proved.subject, "583231");
        assert_eq!(proved.email.as_deref(), Some("octocat@github.com"));
        assert!(proved.email_verified);
    }

    #[test]
    fn an_unverified_primary_is_not_verified_and_garbage_is_refused() {
        let unverified = r#"[{"email":"me@example.com","verified":false,"primary":true},
            {"email":"other@example.com","verified":true,"primary":false}]"#;
        let proved = parse(USER, unverified).expect("parses");
        assert_eq!(proved.email.as_deref(), Some("me@example.com"));
        assert!(!proved.email_verified);
        assert!(!parse(USER, "[]").expect("parses").email_verified);
        assert_eq!(parse("{}", EMAILS).unwrap_err().error, "invalid_token");
        assert_eq!(
            parse(USER, "{\"message\":\"Bad credentials\"}")
                .unwrap_err()
                .error,
            "invalid_token"
        );
    }
}
