//! Values of the Active List.

use chrono::{Days, NaiveDate};

pub use entities::enums::active_list::{EntryStatus, FeePolicy, ThemeCategory};

/// Entries not confirmed for this many days are stale: flagged for staff, ranked lower.
pub const STALE_AFTER_DAYS: u64 = 365;

/// The most SMEs an entry takes on at once.
pub const MAX_CAPACITY: i16 = 20;

/// The earliest confirmation date that is not stale on `today`.
pub fn fresh_since(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_days(Days::new(STALE_AFTER_DAYS))
        .unwrap_or(today)
}

/// Whether an entry confirmed on `confirmed_on` is stale on `today`.
pub fn is_stale(confirmed_on: NaiveDate, today: NaiveDate) -> bool {
    confirmed_on < fresh_since(today)
}

/// A language: an ISO 639-1 code, two lowercase letters (`ja`, `en`).
pub fn parse_language(value: &str) -> Result<String, String> {
    let code = value.trim().to_ascii_lowercase();
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase()) {
        Ok(code)
    } else {
        Err(format!(
            "\"{value}\" is not an ISO 639-1 language code (two letters, e.g. ja, en)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staleness_is_twelve_months_without_confirmation() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert!(!is_stale(
            NaiveDate::from_ymd_opt(2025, 11, 26).unwrap(),
            today
        ));
        assert!(is_stale(
            NaiveDate::from_ymd_opt(2025, 11, 25).unwrap(),
            today
        ));
    }

    #[test]
    fn languages_are_two_letter_codes() {
        assert_eq!(parse_language("JA").unwrap(), "ja");
        assert!(parse_language("jpn").is_err());
        assert!(parse_language("j1").is_err());
    }
}
