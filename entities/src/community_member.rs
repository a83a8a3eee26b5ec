//! `community_members`: alumni who joined the community, their profile and who may see
//! each of its fields (0 public, 1 alumni, 2 staff).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "community_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: i64,
    pub display_name: String,
    pub affiliation: Option<String>,
    pub bio: String,
    /// JSON array of interests; also one row each in `member_interests`.
    pub interests: Json,
    pub open_to_mentoring: bool,
    pub link: Option<String>,
    pub display_name_visibility: i16,
    pub affiliation_visibility: i16,
    pub prefecture_visibility: i16,
    pub bio_visibility: i16,
    pub interests_visibility: i16,
    pub mentoring_visibility: i16,
    pub cohorts_visibility: i16,
    pub link_visibility: i16,
    pub email_visibility: i16,
    pub activities_visibility: i16,
    pub specialist_visibility: i16,
    pub joined_at: DateTimeUtc,
    /// When the member left; a member who left is never listed.
    pub left_at: Option<DateTimeUtc>,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
