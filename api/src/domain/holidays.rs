//! Japanese public holidays and business days.
//!
//! The rules of the National Holidays Act (国民の祝日に関する法律) as in force since 2020:
//! fixed days, the "Happy Monday" days, the equinox days by the astronomical formula valid
//! for 1980–2099, substitute holidays (振替休日: a holiday on a Sunday moves to the next day
//! that is not a holiday) and citizens' holidays (国民の休日: a day between two holidays).
//! The one-off moves of 2020 and 2021 (the Tokyo Olympics) are not modelled: business days
//! are counted forward from today. Business days are the weekdays that are not holidays.
//!
//! Written here rather than taken from a crate: `jpholiday` 0.2 needs a newer Rust than the
//! project's, and 0.1 predates the 2021 changes and is no longer kept.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// The `n`-th `weekday` of a month.
fn nth_weekday(year: i32, month: u32, n: u8, weekday: Weekday) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
}

/// Vernal (March) and autumnal (September) equinox days, valid for 1980–2099.
fn equinoxes(year: i32) -> (u32, u32) {
    let years = f64::from(year - 1980);
    let leap = (years / 4.0).floor();
    let day = |base: f64| (base + 0.242_194 * years - leap).floor() as u32;
    (day(20.8431), day(23.2488))
}

/// Whether `date` is a holiday named by the Act (not a substitute or citizens' holiday).
fn is_named_holiday(date: NaiveDate) -> bool {
    let (year, month, day) = (date.year(), date.month(), date.day());
    let monday = |n| nth_weekday(year, month, n, Weekday::Mon) == Some(date);
    let (spring, autumn) = equinoxes(year);
    match month {
        1 => day == 1 || monday(2),
        2 => day == 11 || day == 23,
        3 => day == spring,
        4 => day == 29,
        5 => (3..=5).contains(&day),
        7 => monday(3),
        8 => day == 11,
        9 => monday(3) || day == autumn,
        10 => monday(2),
        11 => day == 3 || day == 23,
        _ => false,
    }
}

/// Whether `date` is a public holiday in Japan.
pub fn is_public_holiday(date: NaiveDate) -> bool {
    if is_named_holiday(date) {
        return true;
    }
    // 振替休日: walk back over consecutive named holidays to find one on a Sunday.
    let mut day = date;
    while let Some(before) = day.pred_opt() {
        if !is_named_holiday(before) {
            break;
        }
        if before.weekday() == Weekday::Sun {
            return true;
        }
        day = before;
    }
    // 国民の休日: a day between two named holidays.
    matches!(
        (date.pred_opt(), date.succ_opt()),
        (Some(before), Some(after)) if is_named_holiday(before) && is_named_holiday(after)
    )
}

/// Whether `date` is a business day: a weekday that is not a public holiday.
pub fn is_business_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_public_holiday(date)
}

/// The `n`-th business day after `date` (`date` itself not counted).
pub fn add_business_days(date: NaiveDate, n: u32) -> NaiveDate {
    let mut day = date;
    let mut left = n;
    while left > 0 {
        match day.checked_add_days(Days::new(1)) {
            Some(next) => day = next,
            None => return NaiveDate::MAX,
        }
        if is_business_day(day) {
            left -= 1;
        }
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn holidays_of(year: i32) -> Vec<(u32, u32)> {
        d(year, 1, 1)
            .iter_days()
            .take_while(|day| day.year() == year)
            .filter(|day| is_public_holiday(*day))
            .map(|day| (day.month(), day.day()))
            .collect()
    }

    #[test]
    fn the_published_calendars_of_2025_to_2027() {
        // As published by the Cabinet Office (内閣府「国民の祝日について」).
        assert_eq!(
            holidays_of(2025),
            [
                (1, 1),
                (1, 13),
                (2, 11),
                (2, 23),
                (2, 24),
                (3, 20),
                (4, 29),
                (5, 3),
                (5, 4),
                (5, 5),
                (5, 6),
                (7, 21),
                (8, 11),
                (9, 15),
                (9, 23),
                (10, 13),
                (11, 3),
                (11, 23),
                (11, 24)
            ]
        );
        assert_eq!(
            holidays_of(2026),
            [
                (1, 1),
                (1, 12),
                (2, 11),
                (2, 23),
                (3, 20),
                (4, 29),
                (5, 3),
                (5, 4),
                (5, 5),
                (5, 6),
                (7, 20),
                (8, 11),
                (9, 21),
                (9, 22),
                (9, 23),
                (10, 12),
                (11, 3),
                (11, 23)
            ]
        );
        assert_eq!(
            holidays_of(2027),
            [
                (1, 1),
                (1, 11),
                (2, 11),
                (2, 23),
                (3, 21),
                (3, 22),
                (4, 29),
                (5, 3),
                (5, 4),
                (5, 5),
                (7, 19),
                (8, 11),
                (9, 20),
                (9, 23),
                (10, 11),
                (11, 3),
                (11, 23)
            ]
        );
    }

    #[test]
    fn business_days_skip_weekends_and_holidays() {
        // Thursday 2026-04-30 + 5: Fri 5/1, (weekend, 5/3–5/6 holidays), Thu 5/7, Fri 5/8,
        // Mon 5/11, Tue 5/12.
        assert_eq!(add_business_days(d(2026, 4, 30), 5), d(2026, 5, 12));
        // Friday 2026-11-20 + 5: (weekend, Mon 11/23 holiday) 11/24 … 11/27, 11/30.
        assert_eq!(add_business_days(d(2026, 11, 20), 5), d(2026, 11, 30));
        assert_eq!(add_business_days(d(2026, 11, 26), 0), d(2026, 11, 26));
        assert!(is_business_day(d(2026, 11, 26)));
        assert!(!is_business_day(d(2026, 11, 28)));
        assert!(!is_business_day(d(2026, 9, 22)));
    }
}
