//! Calendar dates in Japan.
//!
//! Registration dates, cycles and deadlines are calendar dates in Japan (Asia/Tokyo, UTC+9
//! all year round: Japan has no daylight saving time). Instants are stored in UTC.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};

const JST_OFFSET_SECONDS: i32 = 9 * 3600;

/// Today's date in Japan at the instant `now`.
pub fn japan_date(now: DateTime<Utc>) -> NaiveDate {
    match FixedOffset::east_opt(JST_OFFSET_SECONDS) {
        Some(jst) => now.with_timezone(&jst).date_naive(),
        None => now.date_naive(),
    }
}

/// Today's date in Japan, by the system clock: for the command line. The domain takes the
/// date from the caller's clock.
pub fn japan_today() -> NaiveDate {
    super::Clock::System.today()
}

/// Registrations take effect on April 1 or October 1 only.
pub fn is_registration_round(date: NaiveDate) -> bool {
    date.day() == 1 && (date.month() == 4 || date.month() == 10)
}

/// The Japanese fiscal year (April to March) a date falls in.
pub fn fiscal_year(date: NaiveDate) -> i32 {
    if date.month() >= 4 {
        date.year()
    } else {
        date.year() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn japan_date_rolls_over_at_15_00_utc() {
        let before = Utc.with_ymd_and_hms(2026, 3, 31, 14, 59, 59).unwrap();
        let after = Utc.with_ymd_and_hms(2026, 3, 31, 15, 0, 0).unwrap();
        assert_eq!(
            japan_date(before),
            NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
        );
        assert_eq!(
            japan_date(after),
            NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()
        );
    }

    #[test]
    fn only_april_and_october_firsts_are_registration_rounds() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert!(is_registration_round(d(2024, 4, 1)));
        assert!(is_registration_round(d(2024, 10, 1)));
        assert!(!is_registration_round(d(2024, 4, 2)));
        assert!(!is_registration_round(d(2024, 1, 1)));
        assert!(!is_registration_round(d(2024, 9, 30)));
    }
}
