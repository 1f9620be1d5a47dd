//! `{{t "KEY"}}`: the catalog in Handlebars templates, pages and mails.
//! Arguments are the helper's hash (`{{t "PASSWORD_HINT" length=min_length}}`);
//! the language is the context's `lang` (the page's negotiated one).
//!
//! Our own helper, on the handlebars 5 that rocket_dyn_templates uses
//! (fluent-templates' helper targets handlebars 6).

use crate::i18n::catalog::Catalog;
use crate::i18n::message::Message;
use fluent_templates::LanguageIdentifier;
use rocket_dyn_templates::handlebars::{
    Context, Handlebars, Helper, HelperDef, RenderContext, RenderError, RenderErrorReason,
    ScopedJson,
};
use std::sync::Arc;

/// The helper, holding this rocket's catalog (its rewordings included).
pub struct TranslateHelper(pub Arc<Catalog>);

impl HelperDef for TranslateHelper {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let key = h
            .param(0)
            .and_then(|p| p.value().as_str())
            .ok_or_else(|| RenderErrorReason::ParamNotFoundForIndex("t", 0))?;
        let key = self
            .0
            .key(key)
            .ok_or_else(|| RenderErrorReason::Other(format!("t: no message {key}")))?;
        let lang = ctx
            .data()
            .get("lang")
            .and_then(|l| l.as_str())
            .and_then(|l| l.parse::<LanguageIdentifier>().ok());
        let lang = lang.as_ref().unwrap_or_else(|| self.0.default_lang());
        let mut message = Message::Key(key, Vec::new());
        for (name, value) in h.hash() {
            let text = match value.value() {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            message = message.with_owned_name(name, text);
        }
        Ok(ScopedJson::Derived(serde_json::Value::String(
            self.0.render(lang, &message),
        )))
    }
}
