//! The account settings hub (`/account`): every part of the account the
//! enabled features manage — email, username, password, two-factor and its
//! recovery codes, passkeys, sign-in methods, sessions — with its state and the page
//! that changes it. Yours to rearrange; each row is one `<li>` of
//! `templates/pages/account.html.hbs`.

use crate::accounts::{recovery_codes, sessions, two_factor, unified_signin, webauthn};
use crate::db::Connection;
use crate::error::Error;
use crate::http::ctx::Ctx;
use crate::http::guards::CurrentUser;
use crate::http::reply::Reply;
use crate::i18n::Msg;
use crate::models::{for_people, rfc3339};
use rocket::get;
use rocket::serde::json::{json, Value};

/// The signed-in user's account hub.
#[get("/account")]
pub async fn account(
    ctx: Ctx<'_>,
    current: CurrentUser,
    mut db: Connection,
) -> Result<Reply, Error> {
    let user = &current.user;
    let config = &ctx.security.config;
    let mut account = profile(&current);
    account["current_login"] = json!(user.current_login_at.map(for_people));
    account["last_login"] = json!(user.last_login_at.map(for_people));
    if config.two_factor {
        let method = two_factor::active_method(&mut db, user.id).await?;
        account["two_factor"] = json!(method.map(|m| m.as_str()));
        if method.is_some() && config.recovery_codes {
            let left = recovery_codes::unused(&mut db, ctx.security, user.id).await?;
            account["recovery_codes_left"] = json!(left.len());
        }
    }
    if config.webauthn.enabled {
        let keys = webauthn::list(&mut db, user.id, false).await?;
        account["passkeys"] = json!(keys.len());
    }
    if config.oauth.enabled() {
        let linked = crate::accounts::oauth::identities(&mut db, user.id).await?;
        // A provider since removed from the configuration shows its name.
        let names: Vec<String> = linked
            .iter()
            .map(|i| match config.oauth.providers.get(&i.provider) {
                Some(provider) => crate::accounts::oauth::display_name(&i.provider, provider),
                None => i.provider.clone(),
            })
            .collect();
        account["oauth"] = json!(names);
        account["oauth_count"] = json!(names.len());
    }
    if config.unified_signin {
        let methods = unified_signin::active_methods(&mut db, config, user).await?;
        let methods: Vec<_> = methods.iter().map(|m| m.as_str()).collect();
        account["us_methods"] = json!(methods);
    }
    // Counted as the sessions page shows them: a session and its
    // remember-me token are one device.
    let rows = sessions::list_sign_ins(&mut db, user.id).await?;
    let (_, taken) = sessions::pair_devices(&rows);
    account["sign_ins"] = json!(taken.iter().filter(|t| !**t).count());
    Ok(ctx.page(
        "account",
        json!({ "title": ctx.tr().text(Msg("TITLE_ACCOUNT")), "account": account }),
    ))
}

/// The account as `/api/me` shows it.
pub(super) fn profile(current: &CurrentUser) -> Value {
    let user = &current.user;
    json!({
        "id": user.id,
        "email": user.email,
        "username": user.username,
        "roles": current.roles,
        "confirmed_at": user.confirmed_at.map(rfc3339),
        "login_count": user.login_count,
        "current_login_at": user.current_login_at.map(rfc3339),
        "last_login_at": user.last_login_at.map(rfc3339),
        "current_login_ip": user.current_login_ip,
        "last_login_ip": user.last_login_ip,
    })
}
