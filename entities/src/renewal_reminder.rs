//! `renewal_reminders`: the outbox of renewal reminders, one per cycle and kind.

use sea_orm::entity::prelude::*;

use crate::enums::renewal::ReminderKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "renewal_reminders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub cycle_id: i64,
    pub specialist_id: i64,
    /// `DAYS_365`, `DAYS_180`, `DAYS_90`, `DAYS_30` or `LAPSED`.
    pub kind: ReminderKind,
    pub application_due_on: Date,
    pub ends_on: Date,
    /// The date of the run that wrote it.
    pub written_on: Date,
    pub created_at: DateTimeUtc,
    pub delivered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
