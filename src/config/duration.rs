//! Durations written for people in the configuration (`"5 days"`, `"2s"`).

use crate::i18n::{Msg, Translator};
use serde::{de, Deserialize, Deserializer};
use std::fmt;

/// A duration written for people: `"5 days"`, `"1h"`, `"90 minutes"`,
/// `"2s"`, or a number of seconds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct HumanDuration(pub time::Duration);

impl HumanDuration {
    /// As a `std` duration (a negative one is zero).
    pub fn as_std(&self) -> std::time::Duration {
        self.0.try_into().unwrap_or_default()
    }

    pub const fn days(n: i64) -> Self {
        HumanDuration(time::Duration::days(n))
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let number: i64 = number
            .parse()
            .map_err(|_| format!("{text:?} is not a duration such as \"5 days\" or \"2s\""))?;
        if matches!(unit.trim(), "ms" | "millis" | "milliseconds") {
            return (0..=60_000)
                .contains(&number)
                .then(|| HumanDuration(time::Duration::milliseconds(number)))
                .ok_or_else(|| format!("{text:?} must be at most 60000 ms"));
        }
        let seconds_per_unit = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "s" | "sec" | "secs" | "second" | "seconds" => 1,
            "m" | "min" | "mins" | "minute" | "minutes" => 60,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
            "d" | "day" | "days" => 86_400,
            "w" | "week" | "weeks" => 7 * 86_400,
            other => return Err(format!("unknown duration unit {other:?} in {text:?}")),
        };
        number
            .checked_mul(seconds_per_unit)
            .filter(|s| *s > 0 && *s <= 100 * 365 * 86_400)
            .map(|s| HumanDuration(time::Duration::seconds(s)))
            .ok_or_else(|| format!("{text:?} must be between 1 second and 100 years"))
    }

    /// The duration as a number of its largest whole unit: `(5, "day")`,
    /// `(2, "hour")`, `(1500, "ms")`.
    pub fn parts(&self) -> (i64, &'static str) {
        if self.0.subsec_milliseconds() != 0 {
            return (self.0.whole_milliseconds() as i64, "ms");
        }
        let secs = self.0.whole_seconds();
        if secs % 86_400 == 0 {
            (secs / 86_400, "day")
        } else if secs % 3600 == 0 {
            (secs / 3600, "hour")
        } else if secs % 60 == 0 {
            (secs / 60, "minute")
        } else {
            (secs, "second")
        }
    }

    /// "5 days", "2 hours", "1 minute": for logs and config errors, in
    /// English (people read [`HumanDuration::words`]).
    pub fn describe(&self) -> String {
        match self.parts() {
            (n, "ms") => format!("{n} ms"),
            (n, unit) => format!("{n} {unit}{}", if n == 1 { "" } else { "s" }),
        }
    }

    /// The duration in the reader's language (the catalog's `DURATION`).
    pub fn words(&self, t: &Translator<'_>) -> String {
        let (count, unit) = self.parts();
        t.render(&Msg("DURATION").with("count", count).with("unit", unit))
    }
}

impl fmt::Debug for HumanDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

impl<'de> Deserialize<'de> for HumanDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = HumanDuration;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration such as \"5 days\", \"1h\" or a number of seconds")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<HumanDuration, E> {
                HumanDuration::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<HumanDuration, E> {
                HumanDuration::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<HumanDuration, E> {
                HumanDuration::parse(&v.to_string()).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A duration that may also be zero or negative (`"0s"`, `"-1s"`): the
/// freshness settings, where zero means "no grace" and a negative value
/// "no check".
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SignedDuration(pub time::Duration);

impl SignedDuration {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (negative, magnitude) = match text.strip_prefix('-') {
            Some(rest) => (true, rest.trim()),
            None => (false, text),
        };
        let digits = magnitude
            .find(|c: char| !c.is_ascii_digit())
            .map_or(magnitude, |end| &magnitude[..end]);
        let duration = if !digits.is_empty() && digits.bytes().all(|b| b == b'0') {
            // "0s", "0 minutes": check the unit by parsing a one.
            HumanDuration::parse(&magnitude.replacen(digits, "1", 1))?;
            time::Duration::ZERO
        } else {
            HumanDuration::parse(magnitude)?.0
        };
        Ok(SignedDuration(if negative { -duration } else { duration }))
    }

    pub fn is_negative(&self) -> bool {
        self.0.is_negative()
    }
}

impl fmt::Debug for SignedDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}s", self.0.whole_seconds())
    }
}

impl<'de> Deserialize<'de> for SignedDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = SignedDuration;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration such as \"24h\", \"0s\" or \"-1s\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SignedDuration, E> {
                SignedDuration::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<SignedDuration, E> {
                SignedDuration::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<SignedDuration, E> {
                SignedDuration::parse(&v.to_string()).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use crate::config::duration::{HumanDuration, SignedDuration};

    #[test]
    fn signed_durations_allow_zero_and_negative() {
        let secs = |t: &str| SignedDuration::parse(t).expect(t).0.whole_seconds();
        assert_eq!(secs("24h"), 86_400);
        assert_eq!(secs("0s"), 0);
        assert_eq!(secs("0"), 0);
        assert_eq!(secs("-1s"), -1);
        assert_eq!(secs("- 2 minutes"), -120);
        for bad in ["", "-", "0 fortnights", "soon", "--1s"] {
            assert!(SignedDuration::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn durations_read_like_the_docs() {
        assert_eq!(
            HumanDuration::parse("5 days").expect("test value"),
            HumanDuration::days(5)
        );
        assert_eq!(
            HumanDuration::parse("1h")
                .expect("test value")
                .0
                .whole_seconds(),
            3600
        );
        assert_eq!(
            HumanDuration::parse("2s")
                .expect("test value")
                .0
                .whole_seconds(),
            2
        );
        assert_eq!(
            HumanDuration::parse("90 minutes")
                .expect("test value")
                .0
                .whole_minutes(),
            90
        );
        assert_eq!(
            HumanDuration::parse("30")
                .expect("test value")
                .0
                .whole_seconds(),
            30
        );
        assert_eq!(
            HumanDuration::parse("250ms")
                .expect("test value")
                .0
                .whole_milliseconds(),
            250
        );
        assert_eq!(
            HumanDuration::parse("1500ms")
                .expect("test value")
                .describe(),
            "1500 ms"
        );
        for bad in [
            "",
            "days",
            "5 fortnights",
            "-1s",
            "0s",
            "99999999999999 days",
        ] {
            assert!(HumanDuration::parse(bad).is_err(), "{bad:?} parsed");
        }
        assert_eq!(HumanDuration::days(1).describe(), "1 day");
        assert_eq!(
            HumanDuration::parse("2s").expect("test value").describe(),
            "2 seconds"
        );
    }
}
