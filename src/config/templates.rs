//! `[default.security.templates]`: which template each page and mail
//! renders.

use serde::Deserialize;

/// `[default.security.templates]`: the template each page and mail renders
/// (Flask-Security's names), so one can be replaced without touching code.
/// A mail template name stands for two files, `<name>.txt.hbs` and
/// `<name>.html.hbs`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TemplateNames {
    pub login_user: String,
    pub register_user: String,
    pub change_password: String,
    pub send_confirmation: String,
    pub forgot_password: String,
    pub reset_password: String,
    pub send_login: String,
    pub sessions: String,
    pub verify: String,
    pub two_factor_setup: String,
    pub two_factor_verify_code: String,
    pub mf_recovery_codes: String,
    pub mf_recovery: String,
    pub change_email: String,
    pub recover_username: String,
    pub change_username: String,
    pub us_signin: String,
    pub us_setup: String,
    pub us_verify: String,
    /// The passkeys page (`/wan-register`).
    pub wan_register: String,
    /// Signing in (and re-authenticating) with a passkey (`/wan-signin`).
    pub wan_signin: String,
    pub oauth_identities: String,
    pub welcome: String,
    pub welcome_existing: String,
    pub confirmation_instructions: String,
    pub reset_instructions: String,
    pub reset_notice: String,
    pub change_notice: String,
    pub login_instructions: String,
    pub two_factor_instructions: String,
    pub two_factor_rescue: String,
    pub two_factor_notice: String,
    pub change_email_instructions: String,
    pub change_email_notice: String,
    pub username_recovery: String,
    pub change_username_notice: String,
    pub us_instructions: String,
}

impl Default for TemplateNames {
    fn default() -> Self {
        let page = |name: &str| format!("security/{name}");
        let mail = |name: &str| format!("security/email/{name}");
        TemplateNames {
            login_user: page("login_user"),
            register_user: page("register_user"),
            change_password: page("change_password"),
            send_confirmation: page("send_confirmation"),
            forgot_password: page("forgot_password"),
            reset_password: page("reset_password"),
            send_login: page("send_login"),
            sessions: page("sessions"),
            verify: page("verify"),
            two_factor_setup: page("two_factor_setup"),
            two_factor_verify_code: page("two_factor_verify_code"),
            mf_recovery_codes: page("mf_recovery_codes"),
            mf_recovery: page("mf_recovery"),
            change_email: page("change_email"),
            recover_username: page("recover_username"),
            change_username: page("change_username"),
            us_signin: page("us_signin"),
            us_setup: page("us_setup"),
            us_verify: page("us_verify"),
            wan_register: page("wan_register"),
            wan_signin: page("wan_signin"),
            oauth_identities: page("oauth_identities"),
            welcome: mail("welcome"),
            welcome_existing: mail("welcome_existing"),
            confirmation_instructions: mail("confirmation_instructions"),
            reset_instructions: mail("reset_instructions"),
            reset_notice: mail("reset_notice"),
            change_notice: mail("change_notice"),
            login_instructions: mail("login_instructions"),
            two_factor_instructions: mail("two_factor_instructions"),
            two_factor_rescue: mail("two_factor_rescue"),
            two_factor_notice: mail("two_factor_notice"),
            change_email_instructions: mail("change_email_instructions"),
            change_email_notice: mail("change_email_notice"),
            username_recovery: mail("username_recovery"),
            change_username_notice: mail("change_username_notice"),
            us_instructions: mail("us_instructions"),
        }
    }
}
