//! Fixtures: registrations with sensible defaults and one line per override, here since
//! every area starts from a specialist; each later area's own in `factories::<area>`.

pub mod active_list;
pub mod camp;

use chrono::NaiveDate;
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
        exam_year: 2019,
        exam_season: ExamSeason::Autumn,
        registered_on: NaiveDate::from_ymd_opt(2020, 4, 1).expect("date"),
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
    commands::register(db, &Caller::system(), new)
        .await
        .expect("register fixture")
        .id()
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
