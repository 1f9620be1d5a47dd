//! OAuth and OpenID Connect: what a provider's callback ends in — the
//! identity it proves, or why the flow failed.

/// Why a flow failed, as `OAUTH_HANDSHAKE_ERROR` names it: the provider's
/// own error code, or ours (`invalid_state`, `invalid_token`,
/// `provider_unavailable`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub error: String,
    pub description: String,
}

impl Failure {
    /// Both cut to a length a flash message can carry: either may be a
    /// provider's words.
    pub fn new(error: &str, description: impl Into<String>) -> Failure {
        Failure {
            error: bounded(error),
            description: bounded(&description.into()),
        }
    }

    pub fn unavailable(e: impl std::fmt::Display) -> Failure {
        Failure::new("provider_unavailable", e.to_string())
    }

    pub fn token(e: impl std::fmt::Display) -> Failure {
        Failure::new("invalid_token", e.to_string())
    }
}

fn bounded(text: &str) -> String {
    text.chars().take(200).collect()
}

/// What the provider vouches for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvedIdentity {
    pub subject: String,
    pub email: Option<String>,
    /// The provider says the email is its owner's.
    pub email_verified: bool,
}
