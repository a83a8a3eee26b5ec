//! Scalars of the schema: calendar dates, instants, year-months and amounts of yen.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{DateTime as ChronoDateTime, NaiveDate, SecondsFormat, Utc};

use crate::domain::registry::types::YearMonth as DomainYearMonth;

/// A calendar date in Japan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

/// A calendar date in Japan, ISO 8601 (`2026-04-01`). Registration dates, cycles and
/// deadlines are dates, not instants.
#[Scalar(
    name = "Date",
    specified_by_url = "https://www.rfc-editor.org/rfc/rfc3339#section-5.6"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| {
                    InputValueError::custom(format!("\"{s}\" is not a date (YYYY-MM-DD)"))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        // NaiveDate displays as ISO 8601 (YYYY-MM-DD).
        Value::String(self.0.to_string())
    }
}

/// An instant in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime(pub ChronoDateTime<Utc>);

/// An instant in UTC, RFC 3339 (`2026-11-26T01:10:00Z`).
#[Scalar(
    name = "DateTime",
    specified_by_url = "https://www.rfc-editor.org/rfc/rfc3339"
)]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => ChronoDateTime::parse_from_rfc3339(s)
                .map(|t| DateTime(t.with_timezone(&Utc)))
                .map_err(|_| {
                    InputValueError::custom(format!("\"{s}\" is not an RFC 3339 instant"))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339_opts(SecondsFormat::Secs, true))
    }
}

/// A year and month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearMonth(pub DomainYearMonth);

/// A year and month, `YYYY-MM` (`1988-07`).
#[Scalar(
    name = "YearMonth",
    specified_by_url = "https://www.rfc-editor.org/rfc/rfc3339#appendix-A"
)]
impl ScalarType for YearMonth {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => DomainYearMonth::parse(s)
                .map(YearMonth)
                .map_err(InputValueError::custom),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

/// An amount of yen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Yen(pub i64);

/// A whole amount of yen, as a JSON number. Unlike `Int` it is not limited to 32 bits
/// (a company's capital often exceeds 2,147,483,647); it stays within ±2^53 so that every
/// JSON client reads it exactly.
#[Scalar(name = "Yen")]
impl ScalarType for Yen {
    fn parse(value: Value) -> InputValueResult<Self> {
        const LIMIT: i64 = 1 << 53;
        match &value {
            Value::Number(n) => match n.as_i64() {
                Some(v) if (-LIMIT..=LIMIT).contains(&v) => Ok(Yen(v)),
                _ => Err(InputValueError::custom(format!(
                    "{n} is not a whole number of yen within ±2^53"
                ))),
            },
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::Number(self.0.into())
    }
}
