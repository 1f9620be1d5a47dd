//! Page rendering: the context every page's layout relies on (who is
//! signed in, the CSRF token, the flash message, the flows' URLs).

use crate::accounts::state::Security;
use crate::http::cookies::SessionJar;
use crate::http::guards::{self, Authenticated};
use crate::i18n::LanguageIdentifier;
use rocket::request::Request;
use rocket::serde::json::{json, Value};

/// The context every page's layout relies on. Every key is always present
/// (`null` when empty) so templates render in Handlebars' strict mode.
pub fn context(
    security: &Security,
    viewer: Option<&Authenticated>,
    csrf_token: String,
    flash: Option<Value>,
    lang: &LanguageIdentifier,
    extra: Value,
) -> Value {
    let config = &security.config;
    let mut context = json!({
        "title": "",
        "lang": lang.to_string(),
        "site_name": config.site_name,
        "csrf_token": csrf_token,
        "flash": flash,
        "current_user": viewer.map(|v| json!({
            "id": v.user.id,
            "email": v.user.email,
            "roles": v.roles,
            "is_admin": v.has_role("admin"),
        })),
        "security": {
            "registerable": config.registerable,
            "recoverable": config.recoverable,
            "changeable": config.changeable,
            "confirmable": config.confirmable,
            "passwordless": config.passwordless,
            "login_url": config.url("/login"),
            "logout_url": config.url("/logout"),
            "register_url": config.url("/register"),
            "reset_url": config.url("/reset"),
            "change_url": config.url("/change"),
            "confirm_url": config.url("/confirm"),
            "sessions_url": config.url("/sessions"),
            "verify_url": config.url("/verify"),
            "two_factor": config.two_factor,
            "tf_setup_url": config.url("/tf-setup"),
            "tf_validate_url": config.url("/tf-validate"),
            "tf_rescue_url": config.url("/tf-rescue"),
            "recovery_codes": config.recovery_codes,
            "mf_recovery_codes_url": config.url("/mf-recovery-codes"),
            "mf_recovery_url": config.url("/mf-recovery"),
            "change_email": config.change_email,
            "change_email_url": config.url("/change-email"),
            "username_enable": config.username_enable,
            "username_recovery": config.username_recovery,
            "recover_username_url": config.url("/recover-username"),
            "change_username": config.change_username,
            "change_username_url": config.url("/change-username"),
            "unified_signin": config.unified_signin,
            "us_signin_url": config.url("/us-signin"),
            "us_setup_url": config.url("/us-setup"),
            "us_verify_url": config.url("/us-verify"),
        },
    });
    // Passkeys' URLs (a second object: one json! of them all would pass
    // the macro's recursion limit).
    let passkeys = json!({
        "webauthn": config.webauthn.enabled,
        "wan_first": config.webauthn.enabled && config.webauthn.allow_as_first_factor,
        "wan_register_url": config.url("/wan-register"),
        "wan_delete_url": config.url("/wan-delete"),
        "wan_signin_url": config.url("/wan-signin"),
        "wan_verify_url": config.url("/wan-verify"),
        "oauth": config.oauth.enabled(),
        "oauth_providers": oauth_providers(config),
        "oauth_identities_url": config.url("/oauth-identities"),
    });
    if let (Some(flags), Value::Object(more)) = (context["security"].as_object_mut(), passkeys) {
        flags.extend(more);
    }
    if let (Some(base), Value::Object(extra)) = (context.as_object_mut(), extra) {
        base.extend(extra);
    }
    context
}

/// The configured providers as the pages show them: name, label and the
/// URLs of their flows.
fn oauth_providers(config: &crate::config::SecurityConfig) -> Value {
    let providers: Vec<Value> = config
        .oauth
        .providers
        .iter()
        .map(|(name, provider)| {
            json!({
                "name": name,
                "label": crate::accounts::oauth::display_name(name, provider),
                "start_url": config.url(&format!("/login/oauthstart/{name}")),
                "verify_url": config.url(&format!("/login/oauth-verify-start/{name}")),
                "link_url": config.url(&format!("/login/oauth-link-start/{name}")),
            })
        })
        .collect();
    Value::from(providers)
}

/// The layout's context from a request that went through no [`Ctx`] (error
/// pages): uses only what this request already computed.
pub fn base_context(req: &Request<'_>, extra: Value) -> Value {
    match req.rocket().state::<Security>() {
        Some(security) => {
            let viewer = guards::cached_viewer(req);
            let csrf = SessionJar::new(req, security).csrf_token();
            let lang = security.lang(req.headers().get_one("Accept-Language"));
            context(security, viewer.as_ref(), csrf, None, lang, extra)
        }
        None => extra,
    }
}

/// A `next` that stays on this site and fits a `Location` header (see
/// [`LocalPath`](crate::domain::LocalPath)).
pub fn safe_next(next: &str) -> Option<&str> {
    crate::domain::LocalPath::parse(next).map(|_| next)
}

// `{{{breakable email}}}`: the text HTML-escaped, with line-break chances
// after `@` and before each `.`, so a long address wraps at sensible points
// on a phone rather than mid-name. Triple braces: the helper escapes by
// itself.
rocket_dyn_templates::handlebars::handlebars_helper!(
    breakable: |text: str| {
        rocket_dyn_templates::handlebars::html_escape(text)
            .replace('@', "@<wbr>")
            .replace('.', "<wbr>.")
    }
);
