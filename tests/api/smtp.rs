//! Mail over real SMTP to a sink started by the test, and what a user sees
//! when mail cannot be sent.

use crate::helpers::*;
use rocket::http::Status;
use rocket::serde::json::json;
use rocket::tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use rocket::tokio::net::TcpListener;
use std::sync::{Arc, Mutex};

/// A minimal SMTP server on loopback that keeps every message it receives.
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let store = received.clone();
    rocket::tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let store = store.clone();
            rocket::tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.ok();
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 sink\r\n",
                        "DATA" => {
                            write.write_all(b"354 go ahead\r\n").await.ok();
                            let mut message = String::new();
                            while let Ok(Some(data)) = lines.next_line().await {
                                if data == "." {
                                    break;
                                }
                                message.push_str(&data);
                                message.push('\n');
                            }
                            store.lock().unwrap().push(message);
                            b"250 queued\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.ok();
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    write.write_all(reply).await.ok();
                }
            });
        }
    });
    (port, received)
}

/// Undoes quoted-printable soft line breaks and `=3D`.
fn unfold(message: &str) -> String {
    message.replace("=\n", "").replace("=3D", "=")
}

#[rocket::async_test]
async fn reset_instructions_travel_over_smtp_and_the_link_works() {
    let (port, received) = smtp_sink().await;
    let app = spawn_app_with(move |f| {
        f.merge(("mail.transport", "smtp"))
            .merge(("mail.smtp_url", format!("smtp://127.0.0.1:{port}")))
            .merge(("mail.from", "Starter <no-reply@example.com>"))
    })
    .await;
    let email = app.existing_user().await;
    let reply = app.post_json("/reset", json!({ "email": email })).await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);

    let messages = received.lock().unwrap().clone();
    let message = unfold(messages.last().expect("a message reached the SMTP server"));
    assert!(message.contains(&format!("To: {email}")), "{message}");
    assert!(message.contains("From: Starter <no-reply@example.com>"));
    assert!(message.contains("Subject: Password reset instructions"));
    assert!(
        message.contains("text/plain") && message.contains("text/html"),
        "both bodies"
    );
    let start = message.find("http://localhost/reset/").expect("the link");
    let link: String = message[start + "http://localhost".len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "/_-".contains(*c))
        .collect();
    let done = app
        .post_json(
            &link,
            json!({ "password": "a new passphrase", "password_confirm": "a new passphrase" }),
        )
        .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    assert_eq!(
        app.login(&email, "a new passphrase").await.status,
        Status::Ok
    );
}

#[rocket::async_test]
async fn when_mail_cannot_be_sent_the_user_is_told_and_nothing_is_lost() {
    let closed_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    // Without generic responses the reply may say what happened; with them
    // (below) a new address must answer like a taken one.
    let app = spawn_app_with(move |f| {
        f.merge(("security.confirmable", true))
            .merge(("security.generic_responses", false))
            .merge(("mail.transport", "smtp"))
            .merge(("mail.smtp_url", format!("smtp://127.0.0.1:{closed_port}")))
    })
    .await;
    let email = unique_email();
    let reply = app.register(&email, PASSWORD).await;
    assert_eq!(reply.status, Status::InternalServerError);
    assert_eq!(
        reply.errors(),
        vec!["We could not send the email just now. Please try again in a few minutes."]
    );
    assert!(
        !reply.body.contains("Connection refused"),
        "no internals leak"
    );
    let user = app.user(&email).await;
    assert!(
        user.confirmed_at.is_none(),
        "the account stands, unconfirmed"
    );

    // Asking again answers as always: saying the mail failed would say the
    // account exists. The failure is logged for the operator.
    let page = app.post_form("/confirm", &[("email", &email)]).await;
    page.assert_redirect_to("/confirm");
    let unknown = app
        .post_form("/confirm", &[("email", "nobody@example.com")])
        .await;
    unknown.assert_redirect_to("/confirm");

    // Once mail works again, asking again is all it takes.
    let (port, received) = smtp_sink().await;
    let fixed = app
        .relaunch_with(move |f| f.merge(("mail.smtp_url", format!("smtp://127.0.0.1:{port}"))))
        .await;
    let resent = post_json_as(&fixed, "/confirm", json!({ "email": email })).await;
    assert_eq!(resent.status, Status::Ok, "{}", resent.body);
    assert_eq!(received.lock().unwrap().len(), 1);
}

#[rocket::async_test]
async fn with_generic_responses_a_failed_welcome_mail_answers_like_any_registration() {
    let closed_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let app = spawn_app_with(move |f| {
        f.merge(("security.confirmable", true))
            .merge(("mail.transport", "smtp"))
            .merge(("mail.smtp_url", format!("smtp://127.0.0.1:{closed_port}")))
    })
    .await;
    let email = unique_email();
    let new = app.register(&email, PASSWORD).await;
    let taken = app.register(&email, PASSWORD).await;
    assert_eq!(new.status, Status::Ok, "{}", new.body);
    assert_eq!(taken.status, Status::Ok, "{}", taken.body);
    assert_eq!(keys(&new), keys(&taken));
    assert!(
        app.user(&email).await.confirmed_at.is_none(),
        "the account stands"
    );
}

fn keys(reply: &Reply) -> Vec<String> {
    let mut keys: Vec<String> = reply.json()["response"]
        .as_object()
        .expect("response")
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}
