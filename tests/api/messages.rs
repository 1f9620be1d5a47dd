//! The message catalog (API-NEXT → Configuration, `[default.security.messages]`):
//! every key the code names exists, every language has every key, and an
//! operator's rewording replaces the catalog's words in replies.

use crate::helpers::*;
use rocket::figment::Figment;
use rocket::http::Status;
use rocket::serde::json::json;
use std::collections::BTreeSet;
use std::path::Path;

fn keys_of(path: &Path) -> BTreeSet<String> {
    let source = std::fs::read_to_string(path).unwrap();
    app::i18n::message_keys(&source).into_iter().collect()
}

fn rust_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

fn template_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            template_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "hbs") {
            found.push(path);
        }
    }
}

#[test]
fn every_key_the_code_names_is_in_every_language() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let english = keys_of(&root.join("locales/en/security.ftl"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut missing = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for piece in text.split("Msg(\"").skip(1) {
            let key: String = piece.chars().take_while(|c| *c != '"').collect();
            if !english.contains(&key) {
                missing.push(format!("{}: {key}", file.display()));
            }
        }
    }
    let mut templates = Vec::new();
    template_files(&root.join("templates"), &mut templates);
    for file in templates {
        let text = std::fs::read_to_string(&file).unwrap();
        for piece in text.split("{{t \"").skip(1) {
            let key: String = piece.chars().take_while(|c| *c != '"').collect();
            if !english.contains(&key) {
                missing.push(format!("{}: {key}", file.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keys missing from locales/en: {missing:?}"
    );
    for entry in std::fs::read_dir(root.join("locales")).unwrap() {
        let dir = entry.unwrap().path();
        let keys = keys_of(&dir.join("security.ftl"));
        let lacking: Vec<_> = english.difference(&keys).collect();
        let extra: Vec<_> = keys.difference(&english).collect();
        assert!(lacking.is_empty(), "{} lacks {lacking:?}", dir.display());
        assert!(
            extra.is_empty(),
            "{} has keys English lacks: {extra:?}",
            dir.display()
        );
    }
}

fn reworded(f: Figment) -> Figment {
    f.merge(("security.generic_responses", false))
        .merge((
            "security.messages.INVALID_PASSWORD",
            "That password is not right",
        ))
        .merge((
            "security.messages.EMAIL_ALREADY_ASSOCIATED",
            "Someone already signed up as { $email }",
        ))
        .merge((
            "security.messages.en.USER_DOES_NOT_EXIST",
            "No account by that name",
        ))
}

#[rocket::async_test]
async fn a_rewording_replaces_the_words_in_field_errors_and_envelopes() {
    let app = spawn_app_with(reworded).await;
    let email = app.existing_user().await;
    let wrong = app.login(&email, "not the password").await;
    assert_eq!(wrong.status, Status::BadRequest);
    assert_eq!(
        wrong.field_errors("password"),
        vec!["That password is not right"]
    );
    assert_eq!(wrong.errors(), vec!["That password is not right"]);

    // Arguments come through; a per-language table works too.
    let taken = app.register(&email, PASSWORD).await;
    assert_eq!(
        taken.field_errors("email"),
        vec![format!("Someone already signed up as {email}")]
    );
    let unknown = app.login("nobody@example.com", PASSWORD).await;
    assert_eq!(
        unknown.field_errors("email"),
        vec!["No account by that name"]
    );

    // Untouched messages keep the catalog's words, and pages show the new ones.
    let page = app
        .post_form(
            "/login",
            &[("email", &email), ("password", "not the password")],
        )
        .await;
    assert!(
        page.body.contains("That password is not right"),
        "{}",
        page.body
    );
    // Page labels come from the catalog too.
    let reworded_label = spawn_app_with(|f| {
        f.merge(("security.messages.LABEL_REMEMBER", "Keep me signed in"))
            .merge((
                "security.messages.HINT_PASSWORD_LENGTH",
                "{ $length } or more characters",
            ))
    })
    .await;
    let login = reworded_label.get("/login").await;
    assert!(login.body.contains("Keep me signed in"), "{}", login.body);
    let register = reworded_label.get("/register").await;
    assert!(
        register.body.contains("8 or more characters"),
        "{}",
        register.body
    );
    let missing = app.post_json("/login", json!({ "email": email })).await;
    assert_eq!(
        missing.field_errors("password"),
        vec!["Password not provided"]
    );
}

#[rocket::async_test]
async fn a_rewording_reaches_flashes_and_plain_errors() {
    let app = spawn_app_with(|f| {
        f.merge((
            "security.messages.PASSWORD_RESET_REQUEST",
            "Look in { $email }",
        ))
        .merge(("security.messages.UNAUTHENTICATED", "Sign in first"))
    })
    .await;
    let email = app.existing_user().await;
    let sent = app.post_form("/reset", &[("email", &email)]).await;
    assert_eq!(sent.status, Status::Found);
    let page = app.get("/login").await;
    assert!(
        page.body.contains(&format!("Look in {email}")),
        "{}",
        page.body
    );
    assert_eq!(
        app.get_json("/api/me").await.errors(),
        vec!["Sign in first"]
    );
}

#[rocket::async_test]
async fn an_unknown_key_or_language_refuses_to_launch_naming_it() {
    for (key, named) in [
        (
            "security.messages.INVALID_PASSWORDS",
            "security.messages.INVALID_PASSWORDS",
        ),
        (
            "security.messages.xx.INVALID_PASSWORD",
            "security.messages.xx",
        ),
        (
            "security.messages.en.NO_SUCH_THING",
            "security.messages.en.NO_SUCH_THING",
        ),
        (
            "security.messages.INVALID_PASSWORD",
            "security.messages.INVALID_PASSWORD",
        ),
    ] {
        let text = if key.ends_with(".INVALID_PASSWORD") && !key.contains(".xx.") {
            "{ $unclosed"
        } else {
            "anything"
        };
        let figment = Figment::new().merge((key, text));
        let config = app::config::SecurityConfig::from_figment(&figment).expect("config reads");
        let error = app::accounts::Security::new(config)
            .err()
            .unwrap_or_else(|| panic!("{key} launched"));
        assert!(error.contains(named), "{key}: {error}");
        let dir = tempfile::tempdir().unwrap();
        assert!(
            launch_fails(test_figment(&dir).await.merge((key, text))).await,
            "{key}"
        );
    }
    let figment = Figment::new().merge(("security.default_locale", "tlh"));
    let config = app::config::SecurityConfig::from_figment(&figment).unwrap();
    let error = app::accounts::Security::new(config).err().unwrap();
    assert!(error.contains("security.default_locale"), "{error}");
}

#[test]
fn the_flows_name_messages_by_key_not_in_words() {
    // The application's own code (`src/app`) may use either.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    for file in files
        .iter()
        .filter(|f| !f.starts_with(root.join("src/app")))
    {
        let text: String = std::fs::read_to_string(file)
            .unwrap()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        // `errors.add(field, "words")`
        let words: Vec<&str> = text
            .match_indices(".add(")
            .filter_map(|(at, _)| {
                let rest = &text[at + 5..];
                let field_end = rest.find(',')?;
                rest[field_end + 1..]
                    .starts_with('"')
                    .then(|| &rest[..field_end])
            })
            .collect();
        assert!(words.is_empty(), "{}: words for {words:?}", file.display());
        // `redirect_with(to, "info", "words")`
        for kind in ["error", "info", "success"] {
            let flash = format!("\"{kind}\",\"");
            assert!(
                !text.contains(&flash),
                "{}: a flash in words",
                file.display()
            );
        }
    }
}
