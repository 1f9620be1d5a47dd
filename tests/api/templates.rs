//! Templates: every shipped page and mail renders in Handlebars' strict mode
//! with the context its flow really gives it, and any of them can be
//! replaced through configuration.

use crate::helpers::*;
use app::i18n::LanguageIdentifier;
use app::mail::notifier::{MailContext, Notice, Notifier};
use rocket::http::Status;
use rocket::serde::json::json;
use std::path::Path;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[track_caller]
fn assert_page(reply: &Reply, title: &str) {
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    assert!(
        reply
            .body
            .contains(&format!("<title>{title} · Example</title>")),
        "{title}: {}",
        reply.body
    );
}

#[rocket::async_test]
async fn every_page_renders_with_its_real_context() {
    let app = spawn_app_with(|f| f.merge(("security.confirmable", true))).await;
    assert_page(&app.get("/").await, "Home");
    assert_page(&app.get("/login").await, "Sign in");
    assert_page(&app.get("/register").await, "Create an account");
    assert_page(&app.get("/reset").await, "Forgot your password?");
    assert_page(
        &app.get("/confirm").await,
        "Resend confirmation instructions",
    );
    let not_found = app.get("/nowhere").await;
    assert_eq!(not_found.status, Status::NotFound);
    assert!(not_found
        .body
        .contains("<title>Page not found · Example</title>"));

    let email = unique_email();
    app.register(&email, PASSWORD).await;
    app.get(&link_in(&app.last_mail_to(&email), "/confirm/"))
        .await;
    app.post_json("/reset", json!({ "email": email })).await;
    assert_page(
        &app.get(&link_in(&app.last_mail_to(&email), "/reset/"))
            .await,
        "Choose a new password",
    );
    assert_page(&app.get("/change").await, "Change password");
    assert_page(&app.get("/verify").await, "Confirm it is you");
    assert_page(&app.get("/account").await, "Your account");
    let forbidden = app.get("/admin").await;
    assert!(forbidden
        .body
        .contains("<title>Forbidden · Example</title>"));
    app.grant_role(&email, "admin").await;
    assert_page(&app.get("/admin").await, "Administration");

    let passwordless = spawn_app_with(|f| f.merge(("security.passwordless", true))).await;
    let page = passwordless.get("/login").await;
    assert_page(&page, "Sign in");
    assert!(page.body.contains("Email me a sign-in link"));
}

#[rocket::async_test]
async fn every_mail_renders_both_bodies_in_strict_mode() {
    let app = spawn_app().await;
    let notifier = app.client.rocket().state::<Notifier>().unwrap();
    for (notice, lang) in Notice::ALL
        .into_iter()
        .flat_map(|n| ["en", "fr"].map(|l| (n, l.parse::<LanguageIdentifier>().unwrap())))
    {
        for link in [Some("http://localhost/x/TOKEN".to_owned()), None] {
            let context = MailContext {
                email: "o'neil+tag@example.com".into(),
                link: link.clone(),
                site_url: "http://localhost".into(),
                within: Some("1 day".into()),
                code: Some("123456".into()),
                // The rescue mail names the account here.
                detail: Some("o'neil+tag@example.com".into()),
            };
            let mail = notifier
                .render(notice, &context, &lang)
                .unwrap_or_else(|e| panic!("{notice:?}: {e}"));
            assert!(!mail.subject.is_empty());
            assert!(
                !mail.subject.contains("EMAIL_SUBJECT") && !mail.text.contains("MAIL_"),
                "{notice:?} in {lang}: a key is shown as words"
            );
            assert!(
                mail.text.contains("o'neil+tag@example.com"),
                "{notice:?} text is not escaped: {}",
                mail.text
            );
            assert!(
                mail.html.contains("o&#x27;neil+tag@example.com"),
                "{notice:?} HTML is escaped: {}",
                mail.html
            );
            if link.is_some()
                && !matches!(
                    notice,
                    Notice::Welcome
                        | Notice::TwoFactorInstructions
                        | Notice::TwoFactorRescue
                        | Notice::TwoFactorNotice
                        | Notice::ChangeEmailNotice
                        | Notice::UsernameRecovery
                        | Notice::ChangeUsernameNotice
                )
            {
                assert!(mail.text.contains("http://localhost/x/TOKEN"), "{notice:?}");
                assert!(
                    mail.html.contains("href=\"http://localhost/x/TOKEN\""),
                    "{notice:?}"
                );
            }
        }
    }
}

#[rocket::async_test]
async fn a_page_template_can_be_replaced_by_configuration() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new("templates/pages"), dir.path());
    std::fs::create_dir_all(dir.path().join("custom")).unwrap();
    std::fs::write(
        dir.path().join("custom/login.html.hbs"),
        "{{#> layout}}<h1>Our own sign-in page</h1><input name=\"csrf_token\" value=\"{{csrf_token}}\">{{/layout}}",
    )
    .unwrap();
    let template_dir = dir.path().to_string_lossy().into_owned();
    let app = spawn_app_with(move |f| {
        f.merge(("template_dir", template_dir))
            .merge(("security.templates.login_user", "custom/login"))
    })
    .await;
    let page = app.get("/login").await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("Our own sign-in page"));
    assert!(page.body.contains("<nav"), "inside the shipped layout");
}

#[rocket::async_test]
async fn a_mail_template_can_be_replaced_by_configuration() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new("templates/mail"), dir.path());
    std::fs::create_dir_all(dir.path().join("custom")).unwrap();
    std::fs::write(
        dir.path().join("custom/reset.txt.hbs"),
        "Reset here: {{link}}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("custom/reset.html.hbs"),
        "<a href=\"{{link}}\">Reset here</a>\n",
    )
    .unwrap();
    let template_dir = dir.path().to_string_lossy().into_owned();
    let app = spawn_app_with(move |f| {
        f.merge(("mail.template_dir", template_dir))
            .merge(("security.templates.reset_instructions", "custom/reset"))
            .merge(("mail.subjects.reset_instructions", "Your reset link"))
    })
    .await;
    let email = app.existing_user().await;
    app.post_json("/reset", json!({ "email": email })).await;
    let mail = app.last_mail_to(&email);
    assert_eq!(mail.subject, "Your reset link");
    assert!(
        mail.text.starts_with("Reset here: http://localhost/reset/"),
        "{}",
        mail.text
    );
    link_in(&mail, "/reset/");
}

#[rocket::async_test]
async fn strict_mode_refuses_a_value_the_page_does_not_have() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new("templates/pages"), dir.path());
    std::fs::write(
        dir.path().join("security/login_user.html.hbs"),
        "{{#> layout}}{{no_such_value}}{{/layout}}",
    )
    .unwrap();
    let template_dir = dir.path().to_string_lossy().into_owned();
    let app = spawn_app_with(move |f| f.merge(("template_dir", template_dir))).await;
    let page = app.get("/login").await;
    assert_eq!(page.status, Status::InternalServerError);

    // And a missing mail template stops the launch rather than a sign-up.
    let mail_dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new("templates/mail"), mail_dir.path());
    std::fs::remove_file(mail_dir.path().join("security/email/welcome.txt.hbs")).unwrap();
    let dir_text = mail_dir.path().to_string_lossy().into_owned();
    let figment = test_figment(&tempfile::tempdir().unwrap())
        .await
        .merge(("mail.template_dir", dir_text));
    match rocket::local::asynchronous::Client::tracked(app::rocket_from(figment)).await {
        Ok(_) => panic!("launched without a mail template"),
        Err(error) => drop(error.kind().to_string()),
    }
}
