//! OAuth and OpenID Connect, the provider side: the authorization request
//! (state, nonce, PKCE S256), the code exchange and the identity it proves —
//! from a verified ID token (OpenID Connect, Google), or from GitHub's API.
//! Discovery documents and their keys are cached; a token signed by a key
//! we do not know makes them be fetched again once (key rotation).

use crate::accounts::oauth_github as github;
use crate::accounts::oauth_id_token::verify;
use crate::accounts::oauth_proof::{Failure, ProvedIdentity};
use crate::config::{ProviderConfig, ProviderKind};
use crate::domain::secret;
use openidconnect::core::{CoreClientAuthMethod, CoreIdToken, CoreProviderMetadata};
use openidconnect::{ClaimsVerificationError, IssuerUrl, SignatureVerificationError};
use rocket::tokio::sync::RwLock;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// Calls to a provider give up after this long.
const TIMEOUT: Duration = Duration::from_secs(10);

/// An authorization request, and what its callback will need.
pub struct Authorization {
    pub url: String,
    pub state: secret::NewSecret,
    pub nonce: String,
    pub verifier: String,
}

/// The providers' HTTP client and discovered metadata.
pub struct Providers {
    http: reqwest::Client,
    discovered: RwLock<HashMap<String, Arc<CoreProviderMetadata>>>,
}

impl Providers {
    pub fn new() -> Result<Providers, String> {
        // Never follow a redirect: a provider's endpoints answer directly.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .user_agent(concat!(
                "rocket-security-starter/",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
            .map_err(|e| format!("security.oauth: {e}"))?;
        Ok(Providers {
            http,
            discovered: RwLock::new(HashMap::new()),
        })
    }

    /// The issuer's discovery document (and keys), cached; `again` fetches
    /// it anew.
    async fn metadata(
        &self,
        issuer: &str,
        again: bool,
    ) -> Result<Arc<CoreProviderMetadata>, Failure> {
        if !again {
            if let Some(found) = self.discovered.read().await.get(issuer) {
                return Ok(found.clone());
            }
        }
        let url = IssuerUrl::new(issuer.to_owned()).map_err(Failure::unavailable)?;
        let metadata = CoreProviderMetadata::discover_async(url, &self.http)
            .await
            .map_err(|e| Failure::unavailable(describe(&e)))?;
        let metadata = Arc::new(metadata);
        self.discovered
            .write()
            .await
            .insert(issuer.to_owned(), metadata.clone());
        Ok(metadata)
    }

    /// The redirect to the provider: a new state, nonce and PKCE verifier.
    pub async fn authorize(
        &self,
        provider: &ProviderConfig,
        redirect_uri: &str,
    ) -> Result<Authorization, Failure> {
        let endpoint = match provider.issuer() {
            None => github::AUTHORIZE_URL.to_owned(),
            Some(issuer) => self
                .metadata(issuer, false)
                .await?
                .authorization_endpoint()
                .url()
                .to_string(),
        };
        let state = secret::generate();
        let nonce = secret::generate().token;
        let verifier = secret::generate().token;
        let challenge = secret::encode(&secret::hash(&verifier));
        let mut url = url::Url::parse(&endpoint).map_err(Failure::unavailable)?;
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("response_type", "code")
                .append_pair("client_id", &provider.client_id)
                .append_pair("redirect_uri", redirect_uri)
                .append_pair("scope", &provider.scope())
                .append_pair("state", &state.token)
                .append_pair("code_challenge", &challenge)
                .append_pair("code_challenge_method", "S256");
            if provider.kind != ProviderKind::Github {
                query.append_pair("nonce", &nonce);
            }
        }
        Ok(Authorization {
            url: url.to_string(),
            state,
            nonce,
            verifier,
        })
    }

    /// The callback's `code` exchanged, and the identity it proves.
    pub async fn identity(
        &self,
        provider: &ProviderConfig,
        redirect_uri: &str,
        code: &str,
        verifier: &str,
        nonce: &str,
    ) -> Result<ProvedIdentity, Failure> {
        let Some(issuer) = provider.issuer() else {
            let tokens = self
                .exchange(
                    provider,
                    github::TOKEN_URL,
                    false,
                    redirect_uri,
                    code,
                    verifier,
                )
                .await?;
            return github::identity(&self.http, &tokens.access_token).await;
        };
        let metadata = self.metadata(issuer, false).await?;
        let Some(token_url) = metadata.token_endpoint() else {
            return Err(Failure::unavailable("the provider has no token endpoint"));
        };
        // client_secret_basic unless the provider offers only _post.
        let post = metadata
            .token_endpoint_auth_methods_supported()
            .is_some_and(|methods| {
                methods.contains(&CoreClientAuthMethod::ClientSecretPost)
                    && !methods.contains(&CoreClientAuthMethod::ClientSecretBasic)
            });
        let tokens = self
            .exchange(
                provider,
                token_url.as_str(),
                post,
                redirect_uri,
                code,
                verifier,
            )
            .await?;
        let Some(raw) = tokens.id_token else {
            return Err(Failure::token("the token response has no id_token"));
        };
        let id_token: CoreIdToken = raw.parse().map_err(Failure::token)?;
        let proved = match verify(&id_token, &metadata, provider, nonce) {
            // A key we do not know: the provider may have rotated its keys.
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => {
                let metadata = self.metadata(issuer, true).await?;
                verify(&id_token, &metadata, provider, nonce)
            }
            other => other,
        }
        .map_err(Failure::token)?;
        if proved.email.is_some() {
            return Ok(proved);
        }
        match metadata.userinfo_endpoint() {
            Some(url) => {
                self.userinfo(url.as_str(), &tokens.access_token, proved)
                    .await
            }
            None => Ok(proved),
        }
    }

    /// The token endpoint's answer to the code (RFC 6749 §4.1.3, with the
    /// PKCE verifier).
    async fn exchange(
        &self,
        provider: &ProviderConfig,
        token_url: &str,
        post: bool,
        redirect_uri: &str,
        code: &str,
        verifier: &str,
    ) -> Result<Tokens, Failure> {
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier),
        ];
        let mut request = self
            .http
            .post(token_url)
            .header(reqwest::header::ACCEPT, "application/json");
        if post {
            form.push(("client_id", &provider.client_id));
            form.push(("client_secret", &provider.client_secret));
        } else {
            // RFC 6749 §2.3.1: both form-encoded before the Basic scheme.
            let user = form_encode(&provider.client_id);
            let password = form_encode(&provider.client_secret);
            request = request.basic_auth(user, Some(password));
        }
        let body = reqwest::Url::parse_with_params("http://x/", &form)
            .map_err(Failure::unavailable)?
            .query()
            .unwrap_or_default()
            .to_owned();
        let response = request
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(body)
            .send()
            .await
            .map_err(Failure::unavailable)?;
        let text = response.text().await.map_err(Failure::unavailable)?;
        let answer: TokenAnswer = serde_json::from_str(&text)
            .map_err(|_| Failure::token("the token endpoint's answer is not JSON"))?;
        match answer {
            TokenAnswer::Tokens(tokens) => Ok(tokens),
            TokenAnswer::Error {
                error,
                error_description,
            } => Err(Failure::new(&error, error_description.unwrap_or_default())),
        }
    }

    /// The userinfo endpoint's email, for an ID token that has none; its
    /// `sub` must be the token's.
    async fn userinfo(
        &self,
        url: &str,
        access_token: &str,
        proved: ProvedIdentity,
    ) -> Result<ProvedIdentity, Failure> {
        let response = self
            .http
            .get(url)
            .bearer_auth(access_token)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(Failure::unavailable)?;
        let text = response.text().await.map_err(Failure::unavailable)?;
        let info: UserInfo = serde_json::from_str(&text).map_err(Failure::token)?;
        if info.sub != proved.subject {
            return Err(Failure::token("userinfo names another subject"));
        }
        Ok(ProvedIdentity {
            email: info.email,
            email_verified: info.email_verified.is_some_and(|v| v.is_true()),
            ..proved
        })
    }
}

/// The full chain of an error, for the handshake message and the log.
fn describe(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn form_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[derive(Deserialize)]
#[serde(untagged)]
enum TokenAnswer {
    Tokens(Tokens),
    Error {
        error: String,
        error_description: Option<String>,
    },
}

#[derive(Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub id_token: Option<String>,
}

#[derive(Deserialize)]
struct UserInfo {
    sub: String,
    email: Option<String>,
    email_verified: Option<Verified>,
}

/// `email_verified` as a boolean, or the string some providers send.
#[derive(Deserialize)]
#[serde(untagged)]
enum Verified {
    Flag(bool),
    Text(String),
}

impl Verified {
    fn is_true(&self) -> bool {
        match self {
            Verified::Flag(flag) => *flag,
            Verified::Text(text) => text == "true",
        }
    }
}
