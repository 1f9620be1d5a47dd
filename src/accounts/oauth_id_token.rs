//! OAuth and OpenID Connect: the ID token's checks — signature (RS256 or
//! ES256 by a key of the provider's JWKS; never `none` or HMAC), `iss`,
//! `aud` and `azp`, `exp` and `iat` with leeway, `nonce` — and the identity
//! it proves. Tested here on the shapes Google sends.

use crate::accounts::oauth_proof::ProvedIdentity;
use crate::config::ProviderConfig;
use openidconnect::core::{
    CoreIdToken, CoreIdTokenVerifier, CoreJwsSigningAlgorithm, CoreProviderMetadata,
};
use openidconnect::{ClaimsVerificationError, ClientId, Nonce};

/// Clock skew allowed on `exp` and `iat`.
const LEEWAY_SECONDS: i64 = 60;

/// The ID token checked: signature (RS256 or ES256 by a key of the JWKS),
/// `iss`, `aud` (and `azp`), `exp` and `iat` with leeway, `nonce`.
pub fn verify(
    id_token: &CoreIdToken,
    metadata: &CoreProviderMetadata,
    provider: &ProviderConfig,
    nonce: &str,
) -> Result<ProvedIdentity, ClaimsVerificationError> {
    let leeway = chrono::Duration::seconds(LEEWAY_SECONDS);
    let client_id = ClientId::new(provider.client_id.clone());
    // A public-client verifier: no client secret, so no HMAC algorithm.
    let verifier = CoreIdTokenVerifier::new_public_client(
        client_id.clone(),
        metadata.issuer().clone(),
        metadata.jwks().clone(),
    )
    .set_allowed_algs([
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        CoreJwsSigningAlgorithm::EcdsaP256Sha256,
    ])
    .set_time_fn(move || chrono::Utc::now() - leeway)
    .set_issue_time_verifier_fn(move |iat| {
        if iat > chrono::Utc::now() + leeway {
            Err("issued in the future".into())
        } else {
            Ok(())
        }
    });
    let claims = id_token.claims(&verifier, &Nonce::new(nonce.to_owned()))?;
    if let Some(azp) = claims.authorized_party() {
        if azp != &client_id {
            return Err(ClaimsVerificationError::InvalidAudience(
                "azp is another client".into(),
            ));
        }
    }
    Ok(ProvedIdentity {
        subject: claims.subject().as_str().to_owned(),
        email: claims.email().map(|e| e.as_str().to_owned()),
        email_verified: claims.email().is_some() && claims.email_verified() == Some(true),
    })
}

#[cfg(test)]
mod tests {
    use crate::accounts::oauth_id_token::verify;
    use crate::config::oauth::GOOGLE_ISSUER;
    use crate::config::{ProviderConfig, ProviderKind};
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use openidconnect::core::{CoreIdToken, CoreJsonWebKeySet, CoreProviderMetadata};
    use p256::ecdsa::signature::Signer;
    use p256::ecdsa::{Signature, SigningKey};
    use serde_json::{json, Value};

    const CLIENT: &str = "1234987819200.apps.googleusercontent.com";

    /// Google's discovery document as recorded (its JWKS is ours here).
    const DISCOVERY: &str = r#"{
      "issuer": "https://accounts.google.com",
      "authorization_endpoint": "https://accounts.google.com/o/oauth2/v2/auth",
      "device_authorization_endpoint": "https://oauth2.googleapis.com/device/code",
      "token_endpoint": "https://oauth2.googleapis.com/token",
      "userinfo_endpoint": "https://openidconnect.googleapis.com/v1/userinfo",
      "revocation_endpoint": "https://oauth2.googleapis.com/revoke",
      "jwks_uri": "https://www.googleapis.com/oauth2/v3/certs",
      "response_types_supported": ["code", "token", "id_token", "code token",
        "code id_token", "token id_token", "code token id_token", "none"],
      "subject_types_supported": ["public"],
      "id_token_signing_alg_values_supported": ["RS256"],
      "scopes_supported": ["openid", "email", "profile"],
      "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
      "claims_supported": ["aud", "email", "email_verified", "exp", "family_name",
        "given_name", "iat", "iss", "name", "picture", "sub"],
      "code_challenge_methods_supported": ["plain", "S256"],
      "grant_types_supported": ["authorization_code", "refresh_token",
        "urn:ietf:params:oauth:grant-type:device_code",
        "urn:ietf:params:oauth:grant-type:jwt-bearer"]
    }"#;

    fn google() -> ProviderConfig {
        ProviderConfig {
            kind: ProviderKind::Google,
            issuer: None,
            client_id: CLIENT.into(),
            client_secret: "secret".into(),
            scopes: None,
            label: None,
        }
    }

    fn key() -> SigningKey {
        SigningKey::from_slice(&[7u8; 32]).expect("the test's own data")
    }

    fn metadata() -> CoreProviderMetadata {
        let point = key().verifying_key().to_sec1_point(false);
        let bytes = point.as_bytes();
        let jwks: CoreJsonWebKeySet = serde_json::from_value(json!({"keys": [{
            "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": "g1",
            "x": URL_SAFE_NO_PAD.encode(&bytes[1..33]),
            "y": URL_SAFE_NO_PAD.encode(&bytes[33..65]),
        }]}))
        .expect("the test's own data");
        let metadata: CoreProviderMetadata =
            serde_json::from_str(DISCOVERY).expect("the test's own data");
        metadata.set_jwks(jwks)
    }

    fn signed(claims: &Value) -> CoreIdToken {
        let header = json!({"alg": "ES256", "kid": "g1", "typ": "JWT"});
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature: Signature = key().sign(input.as_bytes());
        let jwt = format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()));
        jwt.parse().expect("the test's own data")
    }

    /// An ID token as Google's documentation shows one.
    fn google_claims() -> Value {
        let now = chrono::Utc::now().timestamp();
        json!({
            "iss": "https://accounts.google.com",
            "azp": CLIENT,
            "aud": CLIENT,
            "sub": "10769150350006150715113082367",
            "at_hash": "HK6E_P6Dh8Y93mRNtsDB1Q",
            "hd": "example.com",
            "email": "jsmith@example.com",
            "email_verified": "true",
            "name": "J Smith",
            "picture": "https://lh3.googleusercontent.com/a/photo.jpg",
            "iat": now,
            "exp": now + 3600,
            "nonce": "0394852-3190485-2490358",
        })
    }

    #[test]
    fn the_recorded_discovery_document_is_googles_issuer() {
        let metadata = metadata();
        assert_eq!(metadata.issuer().as_str(), GOOGLE_ISSUER);
        assert_eq!(
            metadata
                .token_endpoint()
                .expect("the test's own data")
                .as_str(),
            "https://oauth2.googleapis.com/token"
        );
    }

    #[test]
    fn a_google_id_token_proves_its_subject_and_verified_email() {
        let proved = verify(
            &signed(&google_claims()),
            &metadata(),
            &google(),
            "0394852-3190485-2490358",
        )
        .expect("the test's own data");
        assert_eq!(proved.subject, "10769150350006150715113082367");
        assert_eq!(proved.email.as_deref(), Some("jsmith@example.com"));
        assert!(proved.email_verified, "the string \"true\" Google sends");

        let mut unverified = google_claims();
        unverified["email_verified"] = json!(false);
        let proved = verify(
            &signed(&unverified),
            &metadata(),
            &google(),
            "0394852-3190485-2490358",
        )
        .expect("the test's own data");
        assert!(!proved.email_verified);
    }

    #[test]
    fn a_google_id_token_for_another_client_or_flow_is_refused() {
        let nonce = "0394852-3190485-2490358";
        let mut other_party = google_claims();
        other_party["aud"] = json!([CLIENT, "other.apps.googleusercontent.com"]);
        other_party["azp"] = json!("other.apps.googleusercontent.com");
        let mut other_issuer = google_claims();
        other_issuer["iss"] = json!("https://accounts.example.com");
        let mut expired = google_claims();
        expired["exp"] = json!(chrono::Utc::now().timestamp() - 120);
        for (case, claims) in [
            ("azp", other_party),
            ("iss", other_issuer),
            ("exp", expired),
        ] {
            let checked = verify(&signed(&claims), &metadata(), &google(), nonce);
            assert!(checked.is_err(), "{case}");
        }
        let checked = verify(&signed(&google_claims()), &metadata(), &google(), "other");
        assert!(checked.is_err(), "nonce");
    }
}
