//! Languages (issue #15): English and French, chosen from `Accept-Language`
//! (else `security.default_locale`), for pages, mails and JSON errors; a
//! rewording in `Rocket.toml` applies to every language unless a language's
//! own table says otherwise.

use crate::helpers::*;
use rocket::http::{Accept, ContentType, Header, Status};
use rocket::serde::json::json;
use std::collections::BTreeSet;

fn french() -> Header<'static> {
    Header::new("Accept-Language", "fr-CA,fr;q=0.9,en;q=0.5")
}

async fn post_json_in(
    app: &TestApp,
    lang: &str,
    path: &str,
    body: rocket::serde::json::Value,
) -> Reply {
    let token = app.csrf_token().await;
    app.send(
        app.client
            .post(path.to_owned())
            .header(ContentType::JSON)
            .header(Header::new("X-CSRF-Token", token))
            .header(Header::new("Accept-Language", lang.to_owned()))
            .body(body.to_string()),
    )
    .await
}

#[rocket::async_test]
async fn accept_language_fr_gives_french_pages_json_errors_and_mails() {
    let app = spawn_app_with(|f| f.merge(("security.generic_responses", false))).await;
    let email = app.existing_user().await;

    let page = app.send(app.client.get("/login").header(french())).await;
    assert!(page.body.contains("<html lang=\"fr\">"), "{}", page.body);
    assert!(page.body.contains("<title>Connexion · Example</title>"));
    assert!(page.body.contains("Mot de passe oublié ?"));
    let english = app.get("/login").await;
    assert!(english.body.contains("<html lang=\"en\">"));
    assert!(english.body.contains("Forgot your password?"));

    // JSON errors, with their arguments.
    let wrong = post_json_in(
        &app,
        "fr",
        "/login",
        json!({ "email": email, "password": "nope nope" }),
    )
    .await;
    assert_eq!(wrong.status, Status::BadRequest);
    assert_eq!(
        wrong.field_errors("password"),
        vec!["Mot de passe incorrect"]
    );
    let taken = post_json_in(
        &app,
        "fr",
        "/register",
        json!({ "email": email, "password": PASSWORD }),
    )
    .await;
    assert_eq!(
        taken.field_errors("email"),
        vec![format!("{email} est déjà associée à un compte.")]
    );
    let anonymous = app
        .send(
            app.client
                .get("/api/me")
                .header(Accept::JSON)
                .header(french()),
        )
        .await;
    assert_eq!(
        anonymous.errors(),
        vec!["Vous devez vous connecter pour voir cette ressource."]
    );
    // A language we do not ship falls back to the default (English).
    let german = post_json_in(
        &app,
        "de-DE",
        "/login",
        json!({ "email": email, "password": "nope nope" }),
    )
    .await;
    assert_eq!(german.field_errors("password"), vec!["Invalid password"]);

    // Mail goes out in the language of the request that sent it.
    let sent = post_json_in(&app, "fr", "/reset", json!({ "email": email })).await;
    assert_eq!(sent.status, Status::Ok);
    let mail = app.last_mail_to(&email);
    assert_eq!(mail.subject, "Réinitialisation de votre mot de passe");
    assert!(
        mail.text.contains("Choisissez un nouveau mot de passe"),
        "{}",
        mail.text
    );
    assert!(mail.text.contains("valable 1 jour"), "{}", mail.text);
    assert!(
        mail.html.contains("Quelqu&#x27;un") || mail.html.contains("Quelqu’un"),
        "{}",
        mail.html
    );
    link_in(&mail, "/reset/");
    post_json_in(&app, "en", "/reset", json!({ "email": email })).await;
    assert_eq!(
        app.last_mail_to(&email).subject,
        "Password reset instructions"
    );
}

#[rocket::async_test]
async fn the_default_locale_serves_readers_who_ask_for_nothing() {
    let app = spawn_app_with(|f| f.merge(("security.default_locale", "fr"))).await;
    let page = app.get("/register").await;
    assert!(page.body.contains("<html lang=\"fr\">"));
    assert!(page.body.contains("Créer un compte"), "{}", page.body);
    let english = app
        .send(
            app.client
                .get("/register")
                .header(Header::new("Accept-Language", "en")),
        )
        .await;
    assert!(english.body.contains("Create an account"));
}

#[rocket::async_test]
async fn a_rewording_applies_to_every_language_and_a_language_table_to_its_own() {
    let app = spawn_app_with(|f| {
        f.merge(("security.generic_responses", false))
            .merge((
                "security.messages.INVALID_PASSWORD",
                "That is not the password",
            ))
            .merge((
                "security.messages.fr.USER_DOES_NOT_EXIST",
                "Personne de ce nom",
            ))
    })
    .await;
    let email = app.existing_user().await;
    for lang in ["en", "fr"] {
        let wrong = post_json_in(
            &app,
            lang,
            "/login",
            json!({ "email": email, "password": "nope nope" }),
        )
        .await;
        assert_eq!(
            wrong.field_errors("password"),
            vec!["That is not the password"],
            "{lang}"
        );
    }
    let unknown = json!({ "email": "nobody@example.com", "password": PASSWORD });
    let fr = post_json_in(&app, "fr", "/login", unknown.clone()).await;
    let en = post_json_in(&app, "en", "/login", unknown).await;
    assert_eq!(fr.field_errors("email"), vec!["Personne de ce nom"]);
    assert_eq!(
        en.field_errors("email"),
        vec!["Specified user does not exist"]
    );
}

/// The `{ $name }` arguments a Fluent entry uses.
fn arguments(source: &str) -> std::collections::BTreeMap<String, BTreeSet<String>> {
    let mut found = std::collections::BTreeMap::new();
    let mut current: Option<String> = None;
    for line in source.lines() {
        if !line.starts_with([' ', '\t', '#']) && line.contains(" = ") {
            current = line.split(" = ").next().map(|k| k.trim().to_owned());
        } else if line.trim().is_empty() || line.starts_with('#') {
            current = None;
        }
        if let Some(key) = &current {
            let entry: &mut BTreeSet<String> = found.entry(key.clone()).or_default();
            for piece in line.split('$').skip(1) {
                let name: String = piece
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                entry.insert(name);
            }
        }
    }
    found
}

#[test]
fn every_language_uses_the_arguments_english_passes() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let english =
        arguments(&std::fs::read_to_string(root.join("locales/en/security.ftl")).unwrap());
    for entry in std::fs::read_dir(root.join("locales")).unwrap() {
        let dir = entry.unwrap().path();
        let other = arguments(&std::fs::read_to_string(dir.join("security.ftl")).unwrap());
        for (key, names) in &other {
            let given = english.get(key).cloned().unwrap_or_default();
            assert!(
                names.is_subset(&given),
                "{}: {key} uses {names:?}, English passes {given:?}",
                dir.display()
            );
        }
    }
}
