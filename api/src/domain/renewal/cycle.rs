//! The calendar of a renewal cycle.
//!
//! A registration is valid for three years from its registration or last renewal date; the
//! renewal application is due 60 days before the cycle ends. Periods counted in years
//! follow the Civil Code (民法 第143条): a period ends on the day before the corresponding
//! day of the last year, or, when that month has no corresponding day (a cycle starting on
//! February 29), on the last day of that month. Dates are calendar dates in Japan.

use chrono::{Datelike, Days, Months, NaiveDate};

/// Length of a cycle in years: a registration must be renewed every three years.
pub const CYCLE_YEARS: u32 = 3;
/// The renewal application is due this many days before the cycle ends.
pub const APPLICATION_DAYS_BEFORE_END: u64 = 60;

/// The dates of one renewal cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CycleDates {
    /// First day of the cycle.
    pub starts_on: NaiveDate,
    /// Last day of the cycle (inclusive).
    pub ends_on: NaiveDate,
    /// Last day to apply for renewal.
    pub application_due_on: NaiveDate,
}

/// The last day of a period of `years` years starting on `start` (Civil Code art. 143).
/// `None` only beyond the calendar's range.
pub fn period_end(start: NaiveDate, years: u32) -> Option<NaiveDate> {
    let year = start.year().checked_add(i32::try_from(years).ok()?)?;
    match NaiveDate::from_ymd_opt(year, start.month(), start.day()) {
        // The corresponding day exists: the period ends the day before it.
        Some(corresponding) => corresponding.checked_sub_days(Days::new(1)),
        // No corresponding day (February 29 in a common year): the month's last day.
        None => NaiveDate::from_ymd_opt(year, start.month(), 1)?
            .checked_add_months(Months::new(1))?
            .checked_sub_days(Days::new(1)),
    }
}

impl CycleDates {
    /// The cycle that starts on `starts_on`; `None` only beyond the calendar's range.
    pub fn starting(starts_on: NaiveDate) -> Option<Self> {
        let ends_on = period_end(starts_on, CYCLE_YEARS)?;
        let application_due_on =
            ends_on.checked_sub_days(Days::new(APPLICATION_DAYS_BEFORE_END))?;
        Some(Self {
            starts_on,
            ends_on,
            application_due_on,
        })
    }

    /// The cycle that follows this one when it is renewed.
    pub fn next(&self) -> Option<Self> {
        Self::starting(self.ends_on.checked_add_days(Days::new(1))?)
    }

    /// Whether `date` falls within the cycle.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.starts_on <= date && date <= self.ends_on
    }

    /// Which year of the cycle (1, 2 or 3) `date` falls in, or `None` outside it. Year `k`
    /// runs from the start's anniversary `k − 1` to the day before anniversary `k`.
    pub fn year_of(&self, date: NaiveDate) -> Option<u32> {
        if !self.contains(date) {
            return None;
        }
        (1..=CYCLE_YEARS).find(|&k| period_end(self.starts_on, k).is_some_and(|end| date <= end))
    }

    /// Days from `today` to the end of the cycle (negative once it has ended).
    pub fn days_left(&self, today: NaiveDate) -> i64 {
        (self.ends_on - today).num_days()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Every start date from 2016 (the first registrations) to 2060.
    fn all_starts() -> impl Iterator<Item = NaiveDate> {
        d(2016, 1, 1)
            .iter_days()
            .take_while(|day| *day <= d(2060, 12, 31))
    }

    #[test]
    fn a_round_cycle_ends_on_the_eve_of_the_third_anniversary() {
        let april = CycleDates::starting(d(2023, 4, 1)).unwrap();
        assert_eq!(april.ends_on, d(2026, 3, 31));
        assert_eq!(april.application_due_on, d(2026, 1, 30));
        let october = CycleDates::starting(d(2023, 10, 1)).unwrap();
        assert_eq!(october.ends_on, d(2026, 9, 30));
        assert_eq!(october.application_due_on, d(2026, 8, 1));
    }

    #[test]
    fn month_ends_and_leap_days() {
        // The corresponding day exists: the day before it.
        assert_eq!(
            CycleDates::starting(d(2023, 1, 31)).unwrap().ends_on,
            d(2026, 1, 30)
        );
        assert_eq!(
            CycleDates::starting(d(2021, 3, 1)).unwrap().ends_on,
            d(2024, 2, 29)
        );
        assert_eq!(
            CycleDates::starting(d(2022, 3, 1)).unwrap().ends_on,
            d(2025, 2, 28)
        );
        // February 29 has no corresponding day three years on: the month's last day.
        assert_eq!(
            CycleDates::starting(d(2024, 2, 29)).unwrap().ends_on,
            d(2027, 2, 28)
        );
        // A four-year period reaches February 29 again (the day before it), except across
        // a century that is not a leap year (the month's last day).
        assert_eq!(period_end(d(2020, 2, 29), 4), Some(d(2024, 2, 28)));
        assert_eq!(period_end(d(2096, 2, 29), 4), Some(d(2100, 2, 28)));
    }

    #[test]
    fn every_start_date_gives_a_three_year_cycle() {
        for start in all_starts() {
            let cycle = CycleDates::starting(start).unwrap();
            let days = (cycle.ends_on - start).num_days() + 1;
            // 3 × 365 days, plus the leap days inside; a February 29 start loses its
            // missing anniversary day.
            assert!((1095..=1097).contains(&days), "{start}: {days} days");
            assert_eq!(cycle.year_of(start), Some(1), "{start}");
            assert_eq!(cycle.year_of(cycle.ends_on), Some(3), "{start}");
            assert_eq!(
                (cycle.ends_on - cycle.application_due_on).num_days(),
                60,
                "{start}"
            );
            assert!(!cycle.contains(start.pred_opt().unwrap()));
            assert!(!cycle.contains(cycle.ends_on.succ_opt().unwrap()));
        }
    }

    #[test]
    fn renewed_cycles_follow_each_other_without_gap_or_overlap() {
        for start in all_starts() {
            let cycle = CycleDates::starting(start).unwrap();
            let next = cycle.next().unwrap();
            assert_eq!(next.starts_on, cycle.ends_on.succ_opt().unwrap(), "{start}");
        }
        // Registration rounds stay on April 1 and October 1 through renewals.
        let mut cycle = CycleDates::starting(d(2017, 10, 1)).unwrap();
        for _ in 0..10 {
            cycle = cycle.next().unwrap();
            assert_eq!((cycle.starts_on.month(), cycle.starts_on.day()), (10, 1));
        }
    }

    #[test]
    fn cycle_years_split_the_cycle_at_each_anniversary() {
        for start in all_starts().step_by(7) {
            let cycle = CycleDates::starting(start).unwrap();
            let mut previous = 1;
            for day in start.iter_days().take_while(|day| *day <= cycle.ends_on) {
                let year = cycle.year_of(day).unwrap();
                assert!(year == previous || year == previous + 1, "{start}: {day}");
                if year == previous + 1 {
                    // A new cycle year starts on an anniversary (or, for February 29, on
                    // March 1).
                    let anniversary = period_end(start, previous).unwrap().succ_opt().unwrap();
                    assert_eq!(day, anniversary, "{start}");
                }
                previous = year;
            }
            assert_eq!(previous, 3);
        }
    }
}
