#![allow(dead_code)] // the sign-in tests use the assertions
//! A software authenticator for the passkey tests: one P-256 key, its
//! credential id and counter, answering creation and request options the
//! way a browser would hand them to the server (the `credential` JSON
//! string). Every field a test may want to get wrong is a knob.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use rand::RngCore;
use rocket::serde::json::{json, Value};
use sha2::{Digest, Sha256};

pub struct SoftKey {
    key: SigningKey,
    pub credential_id: Vec<u8>,
    pub counter: u32,
    /// The user handle the key was created for (sent back at sign-in).
    pub user_handle: Option<Vec<u8>>,
    /// The origin the "browser" puts in clientDataJSON.
    pub origin: String,
    /// User verification (the UV flag).
    pub verified: bool,
}

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn unb64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).unwrap()
}

/// Minimal CBOR: what attestation objects and COSE keys need.
fn cbor_head(major: u8, n: u64, out: &mut Vec<u8>) {
    let m = major << 5;
    match n {
        0..=23 => out.push(m | n as u8),
        24..=0xff => out.extend([m | 24, n as u8]),
        0x100..=0xffff => {
            out.push(m | 25);
            out.extend((n as u16).to_be_bytes());
        }
        _ => {
            out.push(m | 26);
            out.extend((n as u32).to_be_bytes());
        }
    }
}

fn cbor_int(n: i64, out: &mut Vec<u8>) {
    if n >= 0 {
        cbor_head(0, n as u64, out)
    } else {
        cbor_head(1, (-1 - n) as u64, out)
    }
}

fn cbor_bytes(b: &[u8], out: &mut Vec<u8>) {
    cbor_head(2, b.len() as u64, out);
    out.extend(b);
}

fn cbor_text(t: &str, out: &mut Vec<u8>) {
    cbor_head(3, t.len() as u64, out);
    out.extend(t.as_bytes());
}

impl SoftKey {
    pub fn new(origin: &str) -> SoftKey {
        let key = loop {
            let mut secret = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut secret);
            if let Ok(key) = SigningKey::from_slice(&secret) {
                break key;
            }
        };
        let mut credential_id = vec![0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut credential_id);
        SoftKey {
            key,
            credential_id,
            counter: 0,
            user_handle: None,
            origin: origin.to_owned(),
            verified: true,
        }
    }

    fn cose_key(&self) -> Vec<u8> {
        let point = self.key.verifying_key().to_sec1_point(false);
        let bytes = point.as_bytes();
        let (x, y) = (&bytes[1..33], &bytes[33..65]);
        let mut out = Vec::new();
        cbor_head(5, 5, &mut out);
        cbor_int(1, &mut out);
        cbor_int(2, &mut out); // kty: EC2
        cbor_int(3, &mut out);
        cbor_int(-7, &mut out); // alg: ES256
        cbor_int(-1, &mut out);
        cbor_int(1, &mut out); // crv: P-256
        cbor_int(-2, &mut out);
        cbor_bytes(x, &mut out);
        cbor_int(-3, &mut out);
        cbor_bytes(y, &mut out);
        out
    }

    fn flags(&self, attested: bool) -> u8 {
        let mut flags = 0x01; // user present
        if self.verified {
            flags |= 0x04;
        }
        if attested {
            flags |= 0x40;
        }
        flags
    }

    fn client_data(&self, kind: &str, options: &Value) -> Vec<u8> {
        json!({
            "type": kind,
            "challenge": options["challenge"],
            "origin": self.origin,
            "crossOrigin": false,
        })
        .to_string()
        .into_bytes()
    }

    /// The answer to `credential_options` of `/wan-register`.
    pub fn register(&mut self, options: &Value) -> String {
        let rp_id = options["rp"]["id"].as_str().unwrap();
        self.user_handle = options["user"]["id"].as_str().map(unb64);
        let mut auth_data = Sha256::digest(rp_id.as_bytes()).to_vec();
        auth_data.push(self.flags(true));
        auth_data.extend(self.counter.to_be_bytes());
        auth_data.extend([0u8; 16]); // AAGUID
        auth_data.extend((self.credential_id.len() as u16).to_be_bytes());
        auth_data.extend(&self.credential_id);
        auth_data.extend(self.cose_key());
        let mut attestation = Vec::new();
        cbor_head(5, 3, &mut attestation);
        cbor_text("fmt", &mut attestation);
        cbor_text("none", &mut attestation);
        cbor_text("attStmt", &mut attestation);
        cbor_head(5, 0, &mut attestation);
        cbor_text("authData", &mut attestation);
        cbor_bytes(&auth_data, &mut attestation);
        json!({
            "id": b64(&self.credential_id),
            "rawId": b64(&self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(&self.client_data("webauthn.create", options)),
                "attestationObject": b64(&attestation),
                "transports": ["internal", "hybrid"],
            },
            "authenticatorAttachment": "platform",
            "clientExtensionResults": { "credProps": { "rk": true } },
        })
        .to_string()
    }

    /// The answer to `credential_options` of `/wan-signin` or `/wan-verify`;
    /// the counter goes up by one first (unless a test set it).
    pub fn assert(&mut self, options: &Value) -> String {
        self.counter += 1;
        self.assert_as_is(options)
    }

    /// An assertion with the counter as it stands.
    pub fn assert_as_is(&self, options: &Value) -> String {
        let rp_id = options["rpId"].as_str().unwrap();
        let mut auth_data = Sha256::digest(rp_id.as_bytes()).to_vec();
        auth_data.push(self.flags(false));
        auth_data.extend(self.counter.to_be_bytes());
        let client_data = self.client_data("webauthn.get", options);
        let mut signed = auth_data.clone();
        signed.extend(Sha256::digest(&client_data));
        let signature: Signature = self.key.sign(&signed);
        json!({
            "id": b64(&self.credential_id),
            "rawId": b64(&self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(&client_data),
                "authenticatorData": b64(&auth_data),
                "signature": b64(signature.to_der().as_bytes()),
                "userHandle": self.user_handle.as_deref().map(b64),
            },
            "clientExtensionResults": {},
        })
        .to_string()
    }
}
