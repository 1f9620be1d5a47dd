//! The Diesel schema, shared by SQLite and PostgreSQL (the migrations keep
//! the two in step).

diesel::table! {
    users (id) {
        id -> Integer,
        email -> Text,
        email_key -> Text,
        username -> Nullable<Text>,
        username_key -> Nullable<Text>,
        password_hash -> Text,
        active -> Bool,
        confirmed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
        current_login_at -> Nullable<Timestamp>,
        last_login_ip -> Nullable<Text>,
        current_login_ip -> Nullable<Text>,
        login_count -> Integer,
    }
}

diesel::table! {
    roles (id) {
        id -> Integer,
        name -> Text,
        description -> Nullable<Text>,
    }
}

diesel::table! {
    roles_users (user_id, role_id) {
        user_id -> Integer,
        role_id -> Integer,
    }
}

diesel::table! {
    user_tokens (id) {
        id -> Integer,
        user_id -> Integer,
        context -> Text,
        token_hash -> Binary,
        sent_to -> Nullable<Text>,
        created_at -> Timestamp,
        last_used_at -> Timestamp,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        primary_auth_at -> Nullable<Timestamp>,
        fresh_until -> Nullable<Timestamp>,
        data -> Nullable<Binary>,
    }
}

diesel::table! {
    two_factor (user_id) {
        user_id -> Integer,
        method -> Text,
        secret -> Nullable<Binary>,
        last_step -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> Integer,
        user_id -> Integer,
        code -> Binary,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    us_methods (user_id, method) {
        user_id -> Integer,
        method -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(two_factor -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(two_factor, users);

diesel::joinable!(roles_users -> users (user_id));
diesel::joinable!(roles_users -> roles (role_id));
diesel::joinable!(user_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(users, roles, roles_users, user_tokens);

diesel::table! {
    rate_limits (key) {
        key -> Text,
        window_start -> Timestamp,
        hits -> Integer,
    }
}

diesel::table! {
    security_events (id) {
        id -> Integer,
        user_id -> Nullable<Integer>,
        email -> Nullable<Text>,
        kind -> Text,
        ip -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(security_events -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(security_events, users);

diesel::table! {
    webauthn_users (user_id) {
        user_id -> Integer,
        user_handle -> Binary,
    }
}

diesel::table! {
    webauthn_credentials (id) {
        id -> Integer,
        user_id -> Integer,
        name -> Text,
        credential_id -> Binary,
        usage -> Text,
        credential -> Text,
        transports -> Text,
        sign_count -> BigInt,
        backup_eligible -> Bool,
        backup_state -> Bool,
        discoverable -> Nullable<Bool>,
        created_at -> Timestamp,
        last_used_at -> Timestamp,
    }
}

diesel::table! {
    wan_states (id) {
        id -> Integer,
        state_hash -> Binary,
        purpose -> Text,
        user_id -> Nullable<Integer>,
        pending_hash -> Nullable<Binary>,
        name -> Nullable<Text>,
        usage -> Nullable<Text>,
        remember -> Bool,
        ceremony -> Text,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    oauth_identities (id) {
        id -> Integer,
        user_id -> Integer,
        provider -> Text,
        subject -> Text,
        email -> Text,
        linked_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    oauth_states (id) {
        id -> Integer,
        state_hash -> Binary,
        browser_hash -> Binary,
        purpose -> Text,
        provider -> Text,
        nonce -> Text,
        verifier -> Text,
        next -> Nullable<Text>,
        user_id -> Nullable<Integer>,
        expires_at -> Timestamp,
    }
}
