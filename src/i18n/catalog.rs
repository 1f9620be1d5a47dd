//! The catalog: the Fluent files of `locales/`, built into the binary, and
//! the operator's rewordings from `[default.security.messages]` on top.
//!
//! An override is a string (every language) or, under a language's table
//! (`[default.security.messages.fr]`), that language's. Its text may use
//! the message's arguments as Fluent does (`{ $email }`).

use crate::i18n::message::{Message, Msg};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_templates::{LanguageIdentifier, Loader};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // JSON clients and mail get the words without Unicode isolation
        // marks around each argument.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// `[default.security.messages]` as configured: key → text, or language →
/// (key → text).
pub type Overrides = BTreeMap<String, OverrideValue>;

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
pub enum OverrideValue {
    Text(String),
    Language(BTreeMap<String, String>),
}

/// The shipped languages and the overrides, read once at ignite.
pub struct Catalog {
    languages: Vec<LanguageIdentifier>,
    default: LanguageIdentifier,
    /// Per language (`None`: every language), the reworded messages.
    overrides: HashMap<Option<LanguageIdentifier>, FluentBundle<FluentResource>>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("languages", &self.languages)
            .field("default", &self.default)
            .finish_non_exhaustive()
    }
}

fn english() -> LanguageIdentifier {
    fluent_templates::langid!("en")
}

impl Catalog {
    /// Checks every override names a message of the catalog (and every
    /// table a shipped language); the error names the key.
    pub fn new(overrides: &Overrides, default_locale: &str) -> Result<Catalog, String> {
        let mut languages: Vec<LanguageIdentifier> = LOCALES.locales().cloned().collect();
        languages.sort_by_key(|l| l.to_string());
        let default = default_locale
            .parse::<LanguageIdentifier>()
            .ok()
            .filter(|l| languages.contains(l))
            .ok_or_else(|| {
                format!(
                    "security.default_locale: {default_locale:?} is not one of the shipped \
                     languages ({})",
                    languages
                        .iter()
                        .map(|l| l.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
        let mut texts: HashMap<Option<LanguageIdentifier>, Vec<(String, String)>> = HashMap::new();
        for (key, value) in overrides {
            match value {
                OverrideValue::Text(text) => {
                    known(key, &format!("security.messages.{key}"))?;
                    texts
                        .entry(None)
                        .or_default()
                        .push((key.clone(), text.clone()));
                }
                OverrideValue::Language(table) => {
                    let lang = key
                        .parse::<LanguageIdentifier>()
                        .ok()
                        .filter(|l| languages.contains(l))
                        .ok_or_else(|| {
                            format!("security.messages.{key}: no such message or language")
                        })?;
                    for (name, text) in table {
                        known(name, &format!("security.messages.{key}.{name}"))?;
                        let entry = texts.entry(Some(lang.clone())).or_default();
                        entry.push((name.clone(), text.clone()));
                    }
                }
            }
        }
        let mut bundles = HashMap::new();
        for (lang, entries) in texts {
            let mut bundle =
                FluentBundle::new_concurrent(vec![lang.clone().unwrap_or_else(english)]);
            bundle.set_use_isolating(false);
            for (key, text) in entries {
                let where_ = match &lang {
                    Some(lang) => format!("security.messages.{lang}.{key}"),
                    None => format!("security.messages.{key}"),
                };
                // One entry per resource, its lines indented as Fluent's
                // continuation lines.
                let source = format!("{key} = {}\n", text.replace('\n', "\n    "));
                let resource = FluentResource::try_new(source)
                    .map_err(|_| format!("{where_}: not valid Fluent text"))?;
                bundle
                    .add_resource(resource)
                    .map_err(|_| format!("{where_}: given twice"))?;
            }
            bundles.insert(lang, bundle);
        }
        Ok(Catalog {
            languages,
            default,
            overrides: bundles,
        })
    }

    /// The shipped languages, sorted.
    pub fn languages(&self) -> &[LanguageIdentifier] {
        &self.languages
    }

    /// The best shipped language for an `Accept-Language` header, else
    /// `security.default_locale`.
    pub fn negotiate(&self, accept_language: Option<&str>) -> &LanguageIdentifier {
        let mut wanted: Vec<(f32, &str)> = accept_language
            .unwrap_or("")
            .split(',')
            .filter_map(|item| {
                let mut parts = item.split(';');
                let tag = parts.next()?.trim();
                let q = parts
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                (!tag.is_empty() && q > 0.0).then_some((q, tag))
            })
            .collect();
        // Stable: equal weights keep the client's order.
        wanted.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
        for (_, tag) in wanted {
            let Ok(asked) = tag.parse::<LanguageIdentifier>() else {
                continue;
            };
            if let Some(found) = self.languages.iter().find(|l| l.language == asked.language) {
                return found;
            }
        }
        &self.default
    }

    /// `message` in `lang`: the override for that language, else the one
    /// for every language, else the catalog's (English when the language
    /// lacks it).
    pub fn render(&self, lang: &LanguageIdentifier, message: &Message) -> String {
        let (key, args) = match message {
            Message::Text(text) => return text.clone(),
            Message::Key(key, args) => (*key, args),
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(name.clone(), fluent_value(value));
        }
        for scope in [Some(lang.clone()), None] {
            let Some(bundle) = self.overrides.get(&scope) else {
                continue;
            };
            if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
                return text.into_owned();
            }
        }
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(name, value)| (name.clone(), fluent_value(value)))
            .collect();
        LOCALES
            .try_lookup_complete(lang, key, Some(&args))
            .unwrap_or_else(|| key.to_owned())
    }

    /// The catalog's own spelling of `key`, if it has that message.
    pub fn key(&self, key: &str) -> Option<&'static str> {
        keys().iter().find(|k| **k == key).copied()
    }

    /// `security.default_locale`.
    pub fn default_lang(&self) -> &LanguageIdentifier {
        &self.default
    }

    /// A translator for one reader.
    pub fn for_lang<'a>(&'a self, lang: &'a LanguageIdentifier) -> Translator<'a> {
        Translator {
            catalog: self,
            lang,
        }
    }
}

/// An argument as Fluent wants it: whole numbers as numbers, so that
/// plural forms (`[one]`, `*[other]`) can choose.
fn fluent_value(value: &str) -> FluentValue<'static> {
    match value.parse::<u64>() {
        Ok(number) if !value.starts_with('0') || value == "0" => FluentValue::from(number),
        _ => FluentValue::from(value.to_owned()),
    }
}

/// The English catalog's source: every message has an English text, so
/// its keys are the catalog's keys.
const ENGLISH: &str = include_str!("../../locales/en/security.ftl");

/// The catalog's keys, read once from the English file.
fn keys() -> &'static [&'static str] {
    static KEYS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        message_keys(ENGLISH)
            .into_iter()
            .map(|key| &*Box::leak(key.into_boxed_str()))
            .collect()
    })
}

/// Whether the catalog has `key`; the error names where it was asked for.
fn known(key: &str, where_: &str) -> Result<(), String> {
    if keys().contains(&key) {
        Ok(())
    } else {
        Err(format!("{where_}: no such message"))
    }
}

/// The message keys a Fluent file defines (the lines `KEY = …`).
pub fn message_keys(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|line| !line.starts_with([' ', '#', '-', '\t']))
        .filter_map(|line| line.split_once('=').map(|(key, _)| key.trim().to_owned()))
        .filter(|key| !key.is_empty())
        .collect()
}

/// The catalog and the reader's language.
#[derive(Clone, Copy)]
pub struct Translator<'a> {
    pub catalog: &'a Catalog,
    pub lang: &'a LanguageIdentifier,
}

impl Translator<'_> {
    pub fn render(&self, message: &Message) -> String {
        self.catalog.render(self.lang, message)
    }

    pub fn text(&self, msg: Msg) -> String {
        self.render(&msg.into())
    }
}
