//! `openapi.json` describes exactly the routes the app mounts.

use crate::helpers::*;
use rocket::http::Status;
use std::collections::BTreeSet;

#[rocket::async_test]
async fn the_openapi_description_matches_the_mounted_routes() {
    let app = spawn_app_with(|f| {
        f.merge(("security.confirmable", true))
            .merge(("security.passwordless", true))
            .merge(("security.two_factor", true))
            .merge(("security.totp_issuer", "Example"))
            .merge(("security.recovery_codes", true))
            .merge(("security.change_email", true))
            .merge(("security.username_enable", true))
            .merge(("security.username_recovery", true))
            .merge(("security.change_username", true))
            .merge(("security.unified_signin", true))
            .merge(("security.webauthn.enabled", true))
            .merge(("security.webauthn.rp_name", "Example"))
            .merge((
                "security.oauth.providers.corp",
                rocket::serde::json::json!({
                    "kind": "oidc",
                    "issuer": "https://id.example.com",
                    "client_id": "starter",
                    "client_secret": "starter-secret",
                }),
            ))
    })
    .await;
    let served = app.get("/openapi.json").await;
    assert_eq!(served.status, Status::Ok);
    let spec = served.json();
    assert_eq!(spec["openapi"], "3.0.3");

    let mounted: BTreeSet<(String, String)> = app
        .client
        .rocket()
        .routes()
        .filter(|route| !route.uri.path().starts_with("/static"))
        .map(|route| {
            // `/reset/<token>?<next>` is `/reset/{token}` in OpenAPI.
            let path = route
                .uri
                .path()
                .split('/')
                .map(
                    |segment| match segment.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
                        Some(name) => format!("{{{}}}", name.trim_end_matches("..")),
                        None => segment.to_owned(),
                    },
                )
                .collect::<Vec<_>>()
                .join("/");
            let path = if path.is_empty() {
                "/".to_owned()
            } else {
                path
            };
            (route.method.as_str().to_lowercase(), path)
        })
        .collect();
    let described: BTreeSet<(String, String)> = spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, operations)| {
            operations
                .as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.clone(), path.clone()))
        })
        .collect();
    let undescribed: Vec<_> = mounted.difference(&described).collect();
    let unmounted: Vec<_> = described.difference(&mounted).collect();
    assert!(
        undescribed.is_empty(),
        "mounted but not in openapi.json: {undescribed:?}"
    );
    assert!(
        unmounted.is_empty(),
        "in openapi.json but not mounted: {unmounted:?}"
    );

    // Every operation documents its errors with the envelope.
    for (method, path) in &described {
        let operation = &spec["paths"][path][method];
        let responses = operation["responses"].as_object().unwrap();
        assert!(
            // `/change-email/<token>` only ever redirects.
            responses.contains_key("200")
                || responses.contains_key("302")
                || responses.contains_key("405"),
            "{method} {path}"
        );
        if path.starts_with("/api/hello") || path == "/" || path == "/openapi.json" {
            continue;
        }
        assert_eq!(
            operation["responses"]["default"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ErrorEnvelope",
            "{method} {path}"
        );
    }
}
