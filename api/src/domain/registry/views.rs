//! What a caller may see of a specialist: the public registry rules of DOMAIN.md.
//!
//! Always public: registration number, registration date, exam passed, status of a listed
//! registration. Public only with the person's consent: names, kana, birth year-month,
//! employer, prefecture. Everything else (contact details, consents, history, version) is
//! for registry staff and the person themself.

use chrono::{DateTime, NaiveDate, Utc};
use entities::specialist;

use super::types::{ExamSeason, SpecialistStatus, YearMonth};
use crate::domain::{
    Actor, Role,
    industry::Industry,
    prefecture::{Prefecture, PrefectureCode},
};

/// How much of a record the caller sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Registry staff, or the specialist themself.
    Full,
    /// Everyone else: the public registry.
    Public,
}

/// Whether `actor` may see `row` at all, and how much of it.
pub fn access_for(actor: &Actor, row: &specialist::Model) -> Option<Access> {
    if actor.is_registry_staff()
        || actor.own_registration_number() == Some(row.registration_number.as_str())
    {
        return Some(Access::Full);
    }
    if actor.role() == Some(Role::Analyst) {
        // Analysts work with aggregates only and never see a person.
        return None;
    }
    (row.status == SpecialistStatus::Active).then_some(Access::Public)
}

/// Which fields a specialist agreed to publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Disclosure {
    pub name: bool,
    pub kana: bool,
    pub birth_year_month: bool,
    pub employer: bool,
    pub prefecture: bool,
}

/// A specialist as one caller may see them. Withheld fields read as `None`.
#[derive(Debug, Clone)]
pub struct SpecialistView {
    row: specialist::Model,
    access: Access,
}

impl SpecialistView {
    pub fn new(row: specialist::Model, access: Access) -> Self {
        Self { row, access }
    }

    /// `None` when the caller may not see the record at all.
    pub fn for_actor(actor: &Actor, row: specialist::Model) -> Option<Self> {
        access_for(actor, &row).map(|access| Self::new(row, access))
    }

    pub fn id(&self) -> i64 {
        self.row.id
    }

    pub fn is_full(&self) -> bool {
        self.access == Access::Full
    }

    fn shown<T>(&self, consented: bool, value: T) -> Option<T> {
        (self.is_full() || consented).then_some(value)
    }

    fn private<T>(&self, value: T) -> Option<T> {
        self.is_full().then_some(value)
    }

    pub fn registration_number(&self) -> &str {
        &self.row.registration_number
    }

    pub fn registered_on(&self) -> NaiveDate {
        self.row.registered_on
    }

    pub fn exam_year(&self) -> i32 {
        self.row.exam_year
    }

    pub fn exam_season(&self) -> ExamSeason {
        self.row.exam_season
    }

    pub fn status(&self) -> SpecialistStatus {
        self.row.status
    }

    pub fn status_since(&self) -> NaiveDate {
        self.row.status_since
    }

    pub fn family_name(&self) -> Option<&str> {
        self.shown(self.row.disclose_name, self.row.family_name.as_str())
    }

    pub fn given_name(&self) -> Option<&str> {
        self.shown(self.row.disclose_name, self.row.given_name.as_str())
    }

    pub fn family_name_kana(&self) -> Option<&str> {
        self.shown(self.row.disclose_kana, self.row.family_name_kana.as_str())
    }

    pub fn given_name_kana(&self) -> Option<&str> {
        self.shown(self.row.disclose_kana, self.row.given_name_kana.as_str())
    }

    pub fn birth_year_month(&self) -> Option<YearMonth> {
        let value = YearMonth {
            year: self.row.birth_year,
            month: u32::try_from(self.row.birth_month).unwrap_or(1),
        };
        self.shown(self.row.disclose_birth_year_month, value)
    }

    pub fn employer(&self) -> Option<&str> {
        self.shown(self.row.disclose_employer, self.row.employer.as_deref())
            .flatten()
    }

    /// The employer's industry, shown with the employer.
    pub fn employer_industry(&self) -> Option<Industry> {
        self.shown(self.row.disclose_employer, self.row.employer_industry)
            .flatten()
    }

    pub fn prefecture(&self) -> Option<&'static Prefecture> {
        let prefecture = PrefectureCode::parse(&self.row.prefecture_code).ok()?;
        self.shown(self.row.disclose_prefecture, prefecture.prefecture())
    }

    pub fn email(&self) -> Option<&str> {
        self.private(self.row.email.as_str())
    }

    pub fn phone(&self) -> Option<&str> {
        self.private(self.row.phone.as_deref()).flatten()
    }

    pub fn disclosure(&self) -> Option<Disclosure> {
        self.private(Disclosure {
            name: self.row.disclose_name,
            kana: self.row.disclose_kana,
            birth_year_month: self.row.disclose_birth_year_month,
            employer: self.row.disclose_employer,
            prefecture: self.row.disclose_prefecture,
        })
    }

    pub fn version(&self) -> Option<i32> {
        self.private(self.row.version)
    }

    pub fn created_at(&self) -> Option<DateTime<Utc>> {
        self.private(self.row.created_at)
    }

    pub fn updated_at(&self) -> Option<DateTime<Utc>> {
        self.private(self.row.updated_at)
    }
}
