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
