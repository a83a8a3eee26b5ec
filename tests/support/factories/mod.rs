//! Fixtures: registrations with sensible defaults and one line per override, here since
//! every area starts from a specialist; each later area's own in `factories::<area>`.

pub mod active_list;
pub mod camp;
pub mod community;
pub mod matching;
pub mod renewal;

use chrono::{Datelike, NaiveDate};
use kakehashi::domain::{
    Caller,
    industry::Industry,
    registry::{
        commands::{self, NewSpecialist, StatusChangeRequest},
        types::{ExamSeason, SpecialistStatus},
        views::Disclosure,
    },
};
use sea_orm::DatabaseConnection;

use crate::support::TestApp;

/// The registration round (April 1 or October 1) before the latest one on or before today
/// in Japan: six to twelve months ago, so a registration from it is in its first cycle
/// (which ends three years later) and the 180 days after it are all in the past.
pub fn recent_round() -> NaiveDate {
    let today = kakehashi::domain::calendar::japan_today();
    let (year, month) = match today.month() {
        1..=3 => (today.year() - 1, 4),
        4..=9 => (today.year() - 1, 10),
        _ => (today.year(), 4),
    };
    NaiveDate::from_ymd_opt(year, month, 1).expect("a round's day")
}

/// The day `days` (at most 180) after [`recent_round`], as the API writes it.
pub fn after_round(days: u64) -> String {
    (recent_round() + chrono::Days::new(days)).to_string()
}

/// A registration that passes every rule: override what the test is about.
pub fn specialist(registration_number: &str) -> NewSpecialist {
    NewSpecialist {
        registration_number: registration_number.into(),
        family_name: "山田".into(),
        given_name: "花子".into(),
        family_name_kana: "ヤマダ".into(),
        given_name_kana: "ハナコ".into(),
        birth_year_month: "1988-07".into(),
        email: format!("riss{registration_number}@example.jp"),
        phone: Some("03-1234-5678".into()),
        prefecture: "13".into(),
        employer: Some("株式会社みなと情報システム".into()),
        employer_industry: Some(Industry::InformationAndCommunications),
        exam_year: recent_round().year() - 1,
        exam_season: ExamSeason::Autumn,
        registered_on: recent_round(),
        disclosure: Disclosure::default(),
    }
}

/// Consent to publish every optional field.
pub fn all_disclosed() -> Disclosure {
    Disclosure {
        name: true,
        kana: true,
        birth_year_month: true,
        employer: true,
        prefecture: true,
    }
}

/// Registers `new` through the domain, as the service itself; returns its id.
pub async fn register(db: &DatabaseConnection, new: NewSpecialist) -> i64 {
    register_by(db, &Caller::system(), new).await
}

/// Registers `new` through the domain as `caller` (with its clock: an app's
/// [`crate::support::TestApp::system`] on a calendar); returns its id.
pub async fn register_by(db: &DatabaseConnection, caller: &Caller, new: NewSpecialist) -> i64 {
    commands::register(db, caller, new)
        .await
        .expect("register fixture")
        .id()
}

/// Registers `number` on `on` (having passed the exam the year before), with every
/// optional field disclosed, as of the app's clock; returns its id.
pub async fn register_on(app: &TestApp, number: &str, on: NaiveDate) -> i64 {
    register_by(
        &app.db,
        &app.system(),
        NewSpecialist {
            registered_on: on,
            exam_year: on.year() - 1,
            disclosure: all_disclosed(),
            ..specialist(number)
        },
    )
    .await
}

/// Moves a registration to `status` as of `on`.
pub async fn set_status(db: &DatabaseConnection, id: i64, status: SpecialistStatus, on: NaiveDate) {
    commands::change_status(
        db,
        &Caller::system(),
        StatusChangeRequest {
            id,
            status,
            effective_on: on,
            reason: "fixture".into(),
            expected_version: None,
        },
    )
    .await
    .expect("status fixture");
}

/// Registers `n` specialists numbered from 1, alternating prefectures 13 and 27.
pub async fn register_many(db: &DatabaseConnection, n: u32) {
    for i in 1..=n {
        let number = format!("{i:06}");
        register(
            db,
            NewSpecialist {
                prefecture: if i % 2 == 0 { "27".into() } else { "13".into() },
                disclosure: all_disclosed(),
                ..specialist(&number)
            },
        )
        .await;
    }
}
