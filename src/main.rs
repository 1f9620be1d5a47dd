//! Serves the application (`cargo run`).

#[rocket::main]
async fn main() -> Result<(), rocket::Error> {
    app::rocket().launch().await.map(|_| ())
}
