//! Recovery codes (Flask-Security's `mf_recovery_codes`): five one-time
//! codes, `xxxx-xxxx-xxxx` in hex, that complete a pending two-factor
//! sign-in when the second factor is lost. Sealed, not hashed, because the
//! user may view the unused ones again; each works once.

use crate::accounts::state::Security;
use crate::db::DbConn;
use crate::error::Error;
use crate::models::now;
use crate::models::recovery_code::{self, NewRecoveryCode};
use diesel_async::AsyncConnection;
use rand::RngCore;
use subtle::ConstantTimeEq;

const HOW_MANY: usize = 5;

fn new_code() -> String {
    let mut bytes = [0u8; 6];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}", &hex[0..4], &hex[4..8], &hex[8..12])
}

/// The user's unused codes, as they were handed out.
pub async fn unused(
    conn: &mut DbConn,
    security: &Security,
    user_id: i32,
) -> Result<Vec<String>, Error> {
    let rows = recovery_code::unused(conn, user_id).await?;
    rows.iter()
        .map(|row| {
            let plain = security.vault.open(&row.code)?;
            String::from_utf8(plain).map_err(|_| Error::Internal("unreadable code".into()))
        })
        .collect()
}

/// Five new codes; every earlier one dies.
pub async fn regenerate(
    conn: &mut DbConn,
    security: &Security,
    user_id: i32,
) -> Result<Vec<String>, Error> {
    let mut codes: Vec<String> = Vec::with_capacity(HOW_MANY);
    while codes.len() < HOW_MANY {
        let code = new_code();
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    let sealed = codes
        .iter()
        .map(|c| security.vault.seal(c.as_bytes()))
        .collect::<Result<Vec<_>, _>>()?;
    let at = now();
    let rows: Vec<NewRecoveryCode> = sealed
        .iter()
        .map(|code| NewRecoveryCode {
            user_id,
            code,
            created_at: at,
        })
        .collect();
    // All or nothing: a failure must not leave the user without codes.
    conn.transaction::<_, diesel::result::Error, _>(async |conn| {
        recovery_code::replace_all(conn, user_id, &rows).await
    })
    .await?;
    Ok(codes)
}

/// Uses up `code` if it is one of the user's unused codes.
pub async fn use_code(
    conn: &mut DbConn,
    security: &Security,
    user_id: i32,
    code: &str,
) -> Result<bool, Error> {
    let typed = code.trim().to_ascii_lowercase();
    if typed.len() != 14 {
        return Ok(false);
    }
    for row in recovery_code::unused(conn, user_id).await? {
        let plain = security.vault.open(&row.code)?;
        if bool::from(plain.ct_eq(typed.as_bytes())) {
            return Ok(recovery_code::use_up(conn, row.id, now()).await?);
        }
    }
    Ok(false)
}

/// Whether any unused code is left (the rescue options list them).
pub async fn any_left(conn: &mut DbConn, user_id: i32) -> Result<bool, Error> {
    Ok(!recovery_code::unused(conn, user_id).await?.is_empty())
}

/// Ends every code of the user (two-factor turned off).
pub async fn delete_all(conn: &mut DbConn, user_id: i32) -> Result<(), Error> {
    recovery_code::delete_all(conn, user_id).await?;
    Ok(())
}
