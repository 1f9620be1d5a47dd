//! Unified sign-in (placeholder while being written).
