//! Graph's date and time types. Each keeps the text it was read from, checked against its format
//! when decoded (a bad value is a decode error at its JSON path) and written back byte for byte,
//! so Graph's seven-digit fractions survive a round trip. Conversions to the `time` and `chrono`
//! crates come with the features of the same names.

#[allow(dead_code)] // The generator uses the parts the runtime does not.
mod grammar;

pub use grammar::{DateTimeParts, DurationParts};

/// A value that does not have its type's format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidDate {
    /// `"an RFC 3339 date and time"`, `"an ISO 8601 duration"`...
    pub expected: &'static str,
    pub text: String,
}

impl std::fmt::Display for InvalidDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} is not {}", self.text, self.expected)
    }
}

impl std::error::Error for InvalidDate {}

/// A type that is its checked text: `parse`, `as_str`, `FromStr`, `Display`, and serde as a string.
macro_rules! checked_text {
    ($(#[$doc:meta])* $name:ident, $expected:literal, $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// The value of `text`, if it has the type's format.
            pub fn parse(text: &str) -> Result<Self, InvalidDate> {
                let check: fn(&str) -> bool = $check;
                if check(text) {
                    Ok($name(text.to_string()))
                } else {
                    Err(InvalidDate { expected: $expected, text: text.to_string() })
                }
            }

            /// The text, exactly as received or given.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = InvalidDate;
            fn from_str(text: &str) -> Result<Self, InvalidDate> {
                $name::parse(text)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                $name::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

checked_text!(
    /// `Edm.DateTimeOffset`: an RFC 3339 date and time, such as `2021-03-04T05:06:07.1234567Z`.
    DateTimeOffset,
    "an RFC 3339 date and time",
    |text| grammar::date_time_offset(text).is_some()
);

checked_text!(
    /// `Edm.Date`: `YYYY-MM-DD`.
    Date,
    "a date (YYYY-MM-DD)",
    |text| grammar::date(text).is_some()
);

checked_text!(
    /// `Edm.TimeOfDay`: `HH:MM:SS` with an optional fraction, such as `08:30:00.0000000`.
    TimeOfDay,
    "a time of day (HH:MM:SS)",
    |text| grammar::time_of_day(text).is_some()
);

checked_text!(
    /// `Edm.Duration`: an ISO 8601 duration, such as `PT1H30M` or `P1D`.
    Duration,
    "an ISO 8601 duration",
    |text| grammar::duration(text).is_some()
);

impl DateTimeOffset {
    /// The fields as written (a value without an offset has `offset_minutes: None`).
    pub fn parts(&self) -> DateTimeParts {
        grammar::date_time_offset(&self.0).unwrap_or_default()
    }
}

impl Date {
    /// Year, month, day.
    pub fn parts(&self) -> (i32, u8, u8) {
        grammar::date(&self.0).unwrap_or_default()
    }
}

impl TimeOfDay {
    /// Hour, minute, second, nanosecond.
    pub fn parts(&self) -> (u8, u8, u8, u32) {
        grammar::time_of_day(&self.0).unwrap_or_default()
    }
}

impl Duration {
    pub fn parts(&self) -> DurationParts {
        grammar::duration(&self.0).unwrap_or_default()
    }

    /// The length as a `std::time::Duration`, when it has one: not for negative durations, nor for
    /// years and months, whose length depends on the calendar.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        let p = self.parts();
        if p.negative || p.years != 0 || p.months != 0 {
            return None;
        }
        let seconds = ((p.weeks * 7 + p.days) * 24 + p.hours)
            .checked_mul(3600)?
            .checked_add(p.minutes.checked_mul(60)?)?
            .checked_add(p.seconds)?;
        Some(std::time::Duration::new(seconds, p.nanoseconds))
    }
}

impl From<std::time::Duration> for Duration {
    fn from(length: std::time::Duration) -> Self {
        let nanos = length.subsec_nanos();
        let text = if nanos == 0 {
            format!("PT{}S", length.as_secs())
        } else {
            let fraction = format!("{nanos:09}");
            format!("PT{}.{}S", length.as_secs(), fraction.trim_end_matches('0'))
        };
        Duration(text)
    }
}

#[cfg(feature = "time")]
mod with_time {
    use super::*;

    impl DateTimeOffset {
        /// As a `time::OffsetDateTime` (UTC when the text has no offset).
        pub fn to_time(&self) -> Option<time::OffsetDateTime> {
            let p = self.parts();
            let month = time::Month::try_from(p.month).ok()?;
            let date = time::Date::from_calendar_date(p.year, month, p.day).ok()?;
            // A leap second reads as the last nanosecond of its minute.
            let (second, nanos) = if p.second == 60 { (59, 999_999_999) } else { (p.second, p.nanosecond) };
            let time = time::Time::from_hms_nano(p.hour, p.minute, second, nanos).ok()?;
            let offset = time::UtcOffset::from_whole_seconds(i32::from(p.offset_minutes.unwrap_or(0)) * 60).ok()?;
            Some(time::PrimitiveDateTime::new(date, time).assume_offset(offset))
        }
    }

    impl From<time::OffsetDateTime> for DateTimeOffset {
        fn from(value: time::OffsetDateTime) -> Self {
            let fraction = if value.nanosecond() == 0 { String::new() } else { format!(".{:09}", value.nanosecond()) };
            let (h, m, _) = value.offset().as_hms();
            let offset = if value.offset().is_utc() {
                "Z".to_string()
            } else {
                let sign = if value.offset().is_negative() { '-' } else { '+' };
                format!("{sign}{:02}:{:02}", h.unsigned_abs(), m.unsigned_abs())
            };
            DateTimeOffset(format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{fraction}{offset}",
                value.year(),
                u8::from(value.month()),
                value.day(),
                value.hour(),
                value.minute(),
                value.second()
            ))
        }
    }

    impl Date {
        pub fn to_time(&self) -> Option<time::Date> {
            let (year, month, day) = self.parts();
            time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
        }
    }

    impl From<time::Date> for Date {
        fn from(value: time::Date) -> Self {
            Date(format!("{:04}-{:02}-{:02}", value.year(), u8::from(value.month()), value.day()))
        }
    }

    impl TimeOfDay {
        pub fn to_time(&self) -> Option<time::Time> {
            let (hour, minute, second, nanos) = self.parts();
            time::Time::from_hms_nano(hour, minute, second.min(59), nanos).ok()
        }
    }

    impl From<time::Time> for TimeOfDay {
        fn from(value: time::Time) -> Self {
            let fraction = if value.nanosecond() == 0 { String::new() } else { format!(".{:09}", value.nanosecond()) };
            TimeOfDay(format!("{:02}:{:02}:{:02}{fraction}", value.hour(), value.minute(), value.second()))
        }
    }
}

#[cfg(feature = "chrono")]
mod with_chrono {
    use super::*;

    impl DateTimeOffset {
        /// As a `chrono::DateTime<FixedOffset>` (UTC when the text has no offset).
        pub fn to_chrono(&self) -> Option<chrono::DateTime<chrono::FixedOffset>> {
            let p = self.parts();
            let date = chrono::NaiveDate::from_ymd_opt(p.year, u32::from(p.month), u32::from(p.day))?;
            // chrono writes a leap second as nanoseconds past 1_000_000_000 in second 59.
            let (second, nanos) =
                if p.second == 60 { (59, 1_000_000_000 + p.nanosecond) } else { (p.second, p.nanosecond) };
            let time =
                chrono::NaiveTime::from_hms_nano_opt(u32::from(p.hour), u32::from(p.minute), u32::from(second), nanos)?;
            let offset = chrono::FixedOffset::east_opt(i32::from(p.offset_minutes.unwrap_or(0)) * 60)?;
            date.and_time(time).and_local_timezone(offset).single()
        }
    }

    impl<Tz: chrono::TimeZone> From<chrono::DateTime<Tz>> for DateTimeOffset
    where
        Tz::Offset: std::fmt::Display,
    {
        fn from(value: chrono::DateTime<Tz>) -> Self {
            DateTimeOffset(value.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
        }
    }

    impl Date {
        pub fn to_chrono(&self) -> Option<chrono::NaiveDate> {
            let (year, month, day) = self.parts();
            chrono::NaiveDate::from_ymd_opt(year, u32::from(month), u32::from(day))
        }
    }

    impl From<chrono::NaiveDate> for Date {
        fn from(value: chrono::NaiveDate) -> Self {
            Date(value.format("%Y-%m-%d").to_string())
        }
    }

    impl TimeOfDay {
        pub fn to_chrono(&self) -> Option<chrono::NaiveTime> {
            let (hour, minute, second, nanos) = self.parts();
            chrono::NaiveTime::from_hms_nano_opt(u32::from(hour), u32::from(minute), u32::from(second.min(59)), nanos)
        }
    }

    impl From<chrono::NaiveTime> for TimeOfDay {
        fn from(value: chrono::NaiveTime) -> Self {
            TimeOfDay(value.format("%H:%M:%S%.f").to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_their_text_and_bad_ones_are_decode_errors() {
        let text = "\"2021-03-04T05:06:07.1234567Z\"";
        let value: DateTimeOffset = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&value).unwrap(), text, "seven fraction digits survive");
        let error = serde_json::from_str::<DateTimeOffset>("\"not a date\"").unwrap_err();
        assert!(error.to_string().contains("not an RFC 3339 date and time"), "{error}");
        assert!(serde_json::from_str::<Date>("\"2021-02-30\"").is_err());
        assert_eq!(Duration::parse("PT1H30M").unwrap().to_std(), Some(std::time::Duration::from_secs(5400)));
        assert_eq!(Duration::parse("P1M").unwrap().to_std(), None, "a month has no fixed length");
        assert_eq!(Duration::from(std::time::Duration::from_millis(1500)).as_str(), "PT1.5S");
    }
}
