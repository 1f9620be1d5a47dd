//! What a person sees on the pages (issue "Words and pages"): error pages
//! know who is signed in, redirects say why, a reused confirmation link is
//! no error, a rate-limited page says how long to wait.

use crate::helpers::*;
use rocket::http::Status;

#[rocket::async_test]
async fn error_pages_show_the_signed_in_user() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let page = app.get("/no-such-page").await;
    assert_eq!(page.status, Status::NotFound);
    assert!(page.body.contains(&email), "the navigation names the user");
    assert!(!page.body.contains(">Sign in<"), "{}", page.body);
}

#[rocket::async_test]
async fn a_signed_in_visitor_of_register_goes_home_and_a_redirect_to_sign_in_says_why() {
    let app = spawn_app().await;
    let page = app.get("/account").await;
    assert_eq!(page.status, Status::Found);
    assert_eq!(page.location(), Some("/login?next=%2Faccount"));
    let login = app.get("/login?next=/account").await;
    assert!(
        login.body.contains("Please sign in to continue."),
        "{}",
        login.body
    );
    // Said once: the next page is quiet.
    assert!(!app
        .get("/login")
        .await
        .body
        .contains("Please sign in to continue."));

    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let register = app.get("/register").await;
    assert_eq!(register.status, Status::Found);
    assert_eq!(register.location(), Some("/"));
}

#[rocket::async_test]
async fn a_confirmed_owner_following_a_used_link_is_told_it_is_done() {
    let app = spawn_app_with(|f| f.merge(("security.confirmable", true))).await;
    let email = unique_email();
    app.register(&email, PASSWORD).await;
    let link = link_in(&app.last_mail_to(&email), "/confirm/");
    assert_eq!(app.get(&link).await.status, Status::Found);
    let again = app.get(&link).await;
    assert_eq!(again.status, Status::Found);
    assert_eq!(again.location(), Some("/"));
    let home = app.get("/").await;
    assert!(
        home.body.contains("Your email has already been confirmed."),
        "{}",
        home.body
    );
    assert!(!home.body.contains("flash-error"));
    // A stranger with a used link still gets the error.
    let stranger = app.second_browser().await;
    let reply = read(stranger.get(link).dispatch().await).await;
    assert_eq!(reply.location(), Some("/confirm"));
}

#[rocket::async_test]
async fn the_rate_limited_page_says_how_long_to_wait_and_offers_a_reset() {
    let app = spawn_app_with(|f| f.merge(("security.rate_limits.lockout_after", 2))).await;
    let email = app.existing_user().await;
    for _ in 0..2 {
        app.post_form("/login", &[("email", &email), ("password", "wrong guess")])
            .await;
    }
    let page = app
        .post_form("/login", &[("email", &email), ("password", "wrong guess")])
        .await;
    assert_eq!(page.status, Status::TooManyRequests);
    let wait: u64 = page.header("Retry-After").unwrap().parse().unwrap();
    assert!(wait > 0);
    assert!(page.body.contains("You can try again in"), "{}", page.body);
    assert!(page.body.contains("minutes") || page.body.contains("second"));
    assert!(page.body.contains("href=\"/reset\""), "{}", page.body);
}

#[rocket::async_test]
async fn the_header_names_the_site_and_offers_the_account_menu() {
    let app = spawn_app_with(|f| f.merge(("security.site_name", "Acme Widgets"))).await;
    let page = app.get("/login").await;
    assert!(
        page.body.contains("<title>Sign in · Acme Widgets</title>"),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("class=\"brand\" href=\"/\">Acme Widgets</a>"));
    assert!(page.body.contains("<html lang=\"en\">"));
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let home = app.get("/").await;
    for link in [
        "href=\"/account\">Account</a>",
        "href=\"/sessions\">Sessions</a>",
        "Sign out",
    ] {
        assert!(home.body.contains(link), "{link}: {}", home.body);
    }
}

#[rocket::async_test]
async fn no_page_focuses_a_field_on_load_and_a_refused_form_focuses_the_first_bad_one() {
    let app = spawn_app().await;
    for path in ["/login", "/register", "/reset"] {
        let page = app.get(path).await;
        assert!(
            !page.body.contains("autofocus"),
            "{path} opens a phone keyboard"
        );
        assert!(page.body.contains("src=\"/static/app.js\""), "{path}");
    }
    let script = app.get("/static/app.js").await;
    assert_eq!(script.status, Status::Ok);
    assert!(script.body.contains("aria-invalid"), "{}", script.body);
    let refused = app.post_form("/register", &[("email", "nope")]).await;
    assert!(refused.body.contains("aria-invalid=\"true\""));
}

#[rocket::async_test]
async fn the_sessions_page_names_browsers_in_words() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let csrf = app.csrf_token().await;
    let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    let reply = app
        .send(
            app.client
                .post("/login")
                .header(rocket::http::ContentType::JSON)
                .header(rocket::http::Header::new("X-CSRF-Token", csrf))
                .header(rocket::http::Header::new("User-Agent", firefox))
                .body(
                    rocket::serde::json::json!({ "email": email, "password": PASSWORD })
                        .to_string(),
                ),
        )
        .await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    let page = app.get("/sessions").await;
    assert!(page.body.contains("Firefox on Linux"), "{}", page.body);
    assert!(
        page.body.contains(&format!("title=\"{firefox}\"")),
        "the raw string on hover"
    );
    // JSON keeps the raw string.
    let json = app.get_json("/sessions").await;
    assert!(json.body.contains(firefox));
}

/// The `<li id="…">` of the account hub, as text.
fn hub_row<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("<li id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no {id} in {page}"));
    let rest = &page[start..];
    &rest[..rest.find("</li>").unwrap()]
}

#[rocket::async_test]
async fn the_account_hub_shows_each_part_with_its_state_and_action() {
    let app = crate::recovery_codes::app_with_codes().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let page = app.get("/account").await.body;
    let address = hub_row(&page, "hub-email");
    assert!(address.contains("@<wbr>"), "breaks after the @: {address}");
    assert!(address.replace("<wbr>", "").contains(&email));
    assert!(hub_row(&page, "hub-password").contains("href=\"/change\""));
    let two_factor = hub_row(&page, "hub-two-factor");
    assert!(two_factor.contains("badge off"), "{two_factor}");
    assert!(two_factor.contains("Set up"));
    assert!(
        !page.contains("hub-recovery-codes"),
        "no codes without two-factor"
    );
    let sessions = app.get_json("/sessions").await.json()["response"]["sessions"]
        .as_array()
        .unwrap()
        .len();
    let active = format!("{sessions} active sign-in");
    assert!(hub_row(&page, "hub-sessions").contains(&active), "{page}");

    let app = crate::recovery_codes::app_with_codes().await;
    let email = crate::recovery_codes::user_with_authenticator(&app).await;
    let page = app.get("/account").await.body;
    let two_factor = hub_row(&page, "hub-two-factor");
    assert!(two_factor.contains("badge on"), "{two_factor}");
    assert!(two_factor.contains("codes from an authenticator app"));
    assert!(hub_row(&page, "hub-recovery-codes").contains("No unused codes left"));
    app.post_json("/mf-recovery-codes", rocket::serde::json::json!({}))
        .await;
    let page = app.get("/account").await.body;
    assert!(hub_row(&page, "hub-recovery-codes").contains("5 unused codes left"));
    let french = app
        .send(
            app.client
                .get("/account")
                .header(rocket::http::Header::new("Accept-Language", "fr")),
        )
        .await
        .body;
    assert!(hub_row(&french, "hub-recovery-codes").contains("5 codes inutilisés"));
    assert!(french.replace("<wbr>", "").contains(&email));
}

#[rocket::async_test]
async fn a_session_and_its_remember_me_token_are_one_device_ended_together() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let signed_in = app
        .post_json(
            "/login",
            rocket::serde::json::json!({ "email": email, "password": PASSWORD, "remember": true }),
        )
        .await;
    assert_eq!(signed_in.status, Status::Ok);
    let json = app.get_json("/sessions").await.json();
    let rows = json["response"]["sessions"].as_array().unwrap().len();
    // JSON lists the session and the remember-me token apart; the page
    // shows them as one row (and a row of headers).
    let page = app.get("/sessions").await.body;
    assert_eq!(page.matches("<tr>").count(), rows, "{page}");
    assert!(page.contains("Session, remembered"), "{page}");
    assert!(page.contains("name=\"also\""));
    assert!(page.contains("class=\"cards\""), "cards on phones");

    // Ending the device from another browser ends both rows.
    let other = app.second_browser().await;
    let token = csrf_of(&other).await;
    let login = other
        .post("/login")
        .header(rocket::http::ContentType::JSON)
        .header(rocket::http::Header::new("X-CSRF-Token", token))
        .body(rocket::serde::json::json!({ "email": email, "password": PASSWORD }).to_string())
        .dispatch()
        .await;
    assert_eq!(login.status(), Status::Ok);
    let first: Vec<rocket::serde::json::Value> = json["response"]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] != "api")
        .cloned()
        .collect();
    let session = first.iter().find(|s| s["kind"] == "session").unwrap();
    let remember = first.iter().find(|s| s["kind"] == "remember").unwrap();
    let token = csrf_of(&other).await;
    let ended = other
        .post(format!("/sessions/{}/revoke", session["id"]))
        .header(rocket::http::ContentType::Form)
        .body(format!("csrf_token={token}&also={}", remember["id"]))
        .dispatch()
        .await;
    assert_eq!(ended.status(), Status::Found);
    let left = get_json_as(&other, "/sessions", None).await.json();
    let kinds: Vec<_> = left["response"]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].clone())
        .collect();
    assert!(
        !kinds.contains(&session["id"]) && !kinds.contains(&remember["id"]),
        "{left}"
    );
    // (The identity cache may answer for up to a second.)
    let me = within_a_second(|| app.get_json("/api/me"), Status::Unauthorized).await;
    assert_eq!(me.status, Status::Unauthorized);
}

#[rocket::async_test]
async fn after_registering_with_confirmation_the_home_page_says_check_your_inbox() {
    let app = spawn_app_with(|f| f.merge(("security.confirmable", true))).await;
    let email = unique_email();
    let reply = app.register_form(&email).await;
    assert_eq!(reply.status, Status::Found);
    let home = app.get(reply.location().unwrap()).await.body;
    assert!(home.contains("Check your inbox"), "{home}");
    assert!(home.contains(&format!("name=\"email\" value=\"{email}\"")));
    assert_eq!(app.mails_to(&email).len(), 1);
    let resent = app.post_form("/confirm", &[("email", &email)]).await;
    assert_eq!(resent.status, Status::Found);
    assert_eq!(app.mails_to(&email).len(), 2);
    // Shown once: the next visit is the plain home page.
    assert!(!app.get("/").await.body.contains("Check your inbox"));
}
