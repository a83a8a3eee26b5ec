//! Breakdowns of the active count by prefecture, region, age band and employer industry,
//! with small cells suppressed.
//!
//! Breakdowns describe month ends only ([`published_on`]) and are computed once per month
//! end and stored, and cells are hidden by the rule of [`suppression`], applied to the
//! prefecture and region tables together, so that no hidden cell can be worked out from
//! the tables published for that date or any other, nor from two readings of one table.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use entities::{published_breakdown, specialist};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, sea_query::OnConflict,
};

pub use super::suppression::MIN_CELL;
use super::{
    registry::{active_on, check_not_future},
    require_reader,
    suppression::{self, Relation},
};
use crate::domain::{
    Caller, DomainError, DomainResult, begin_write,
    industry::Industry,
    prefecture::{PREFECTURES, Region},
};

/// What a breakdown splits by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    /// The 47 prefectures (JIS X 0401 code).
    Prefecture,
    /// The eight regions.
    Region,
    /// Age on the date: under 30, 30s, 40s, 50s, 60 and over.
    AgeBand,
    /// The employer's industry (JSIC major division), and "not given".
    Industry,
}

/// One cell: its key, label and count, or no count when suppressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub key: String,
    pub label: String,
    pub value: Option<u64>,
}

/// A breakdown of the active count on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breakdown {
    pub as_of: NaiveDate,
    pub total: u64,
    pub cells: Vec<Cell>,
}

/// A region's key and Japanese name.
pub fn region_key(region: Region) -> (&'static str, &'static str) {
    match region {
        Region::Hokkaido => ("HOKKAIDO", "北海道"),
        Region::Tohoku => ("TOHOKU", "東北"),
        Region::Kanto => ("KANTO", "関東"),
        Region::Chubu => ("CHUBU", "中部"),
        Region::Kinki => ("KINKI", "近畿"),
        Region::Chugoku => ("CHUGOKU", "中国"),
        Region::Shikoku => ("SHIKOKU", "四国"),
        Region::KyushuOkinawa => ("KYUSHU_OKINAWA", "九州・沖縄"),
    }
}

const AGE_BANDS: [(&str, &str); 5] = [
    ("UNDER_30", "30歳未満"),
    ("30_39", "30代"),
    ("40_49", "40代"),
    ("50_59", "50代"),
    ("60_AND_OVER", "60歳以上"),
];

/// The Japanese name of a JSIC major division.
fn industry_label(industry: Industry) -> &'static str {
    match industry {
        Industry::AgricultureAndForestry => "農業，林業",
        Industry::Fisheries => "漁業",
        Industry::Mining => "鉱業，採石業，砂利採取業",
        Industry::Construction => "建設業",
        Industry::Manufacturing => "製造業",
        Industry::Utilities => "電気・ガス・熱供給・水道業",
        Industry::InformationAndCommunications => "情報通信業",
        Industry::TransportAndPostal => "運輸業，郵便業",
        Industry::WholesaleAndRetail => "卸売業，小売業",
        Industry::FinanceAndInsurance => "金融業，保険業",
        Industry::RealEstateAndRental => "不動産業，物品賃貸業",
        Industry::ProfessionalAndTechnicalServices => "学術研究，専門・技術サービス業",
        Industry::AccommodationAndFood => "宿泊業，飲食サービス業",
        Industry::PersonalServicesAndAmusement => "生活関連サービス業，娯楽業",
        Industry::Education => "教育，学習支援業",
        Industry::MedicalAndWelfare => "医療，福祉",
        Industry::CompoundServices => "複合サービス事業",
        Industry::OtherServices => "サービス業（他に分類されないもの）",
        Industry::Government => "公務（他に分類されるものを除く）",
        Industry::Unclassified => "分類不能の産業",
    }
}

/// The key of the cell of specialists whose employer's industry is not recorded.
pub const NOT_GIVEN: &str = "NOT_GIVEN";

fn age_band(birth_year: i32, birth_month: i16, on: NaiveDate) -> usize {
    // Only the birth year and month are kept: the birthday counts from the month's start.
    let mut age = on.year() - birth_year;
    if (on.month() as i16) < birth_month {
        age -= 1;
    }
    match age {
        ..=29 => 0,
        30..=39 => 1,
        40..=49 => 2,
        50..=59 => 3,
        _ => 4,
    }
}

/// A specialist's id, prefecture, birth year and month, and employer's industry.
type Facts = (i64, String, i32, i16, Option<String>);

/// A counted cell before suppression: key, label, count.
pub type Counted = (String, String, u64);

/// The date a breakdown asked for on `asked` describes: the last day of a month, the
/// latest one on or before `asked` and before `today` (whose count is still changing).
/// Publishing breakdowns of month ends only means two nearby dates can never be compared
/// to reveal a cell hidden on one of them: they give the same table.
pub fn published_on(asked: NaiveDate, today: NaiveDate) -> NaiveDate {
    let latest = asked.min(today.pred_opt().unwrap_or(today));
    if latest.succ_opt().is_some_and(|next| next.day() == 1) {
        return latest;
    }
    latest
        .with_day(1)
        .and_then(|first| first.pred_opt())
        .unwrap_or(latest)
}

/// Cells with the hidden ones' counts taken out.
fn shown(cells: Vec<Counted>, hidden: &[bool]) -> Vec<Cell> {
    cells
        .into_iter()
        .zip(hidden)
        .map(|((key, label, n), hide)| Cell {
            key,
            label,
            value: (!hide).then_some(n),
        })
        .collect()
}

/// A breakdown whose cells add up to the national count and are tied to nothing else
/// (age bands, industries), suppressed.
pub fn flat(cells: Vec<Counted>) -> Vec<Cell> {
    let values: Vec<u64> = cells.iter().map(|(.., n)| *n).collect();
    let hidden = suppression::suppress(
        &values,
        &[Relation {
            parent: None,
            children: (0..values.len()).collect(),
        }],
    );
    shown(cells, &hidden)
}

/// The prefecture and the region breakdowns of the same people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Geography {
    /// The 47 prefectures in code order.
    pub prefectures: Vec<Cell>,
    /// The eight regions, north to south.
    pub regions: Vec<Cell>,
}

/// The prefecture and region breakdowns of `by_prefecture` (counts by JIS X 0401 code),
/// suppressed together so that a region's count never gives away a prefecture hidden in
/// the other table.
pub fn geography(by_prefecture: &HashMap<&str, u64>) -> Geography {
    let mut regions: Vec<Region> = Vec::new();
    for p in PREFECTURES.iter() {
        if !regions.contains(&p.region) {
            regions.push(p.region);
        }
    }
    let mut cells: Vec<Counted> = PREFECTURES
        .iter()
        .map(|p| {
            (
                p.code.to_owned(),
                p.name_ja.to_owned(),
                by_prefecture.get(p.code).copied().unwrap_or(0),
            )
        })
        .collect();
    let first_region = cells.len();
    for region in &regions {
        let (key, label) = region_key(*region);
        let count = PREFECTURES
            .iter()
            .zip(&cells)
            .filter(|(p, _)| p.region == *region)
            .map(|(_, (.., n))| n)
            .sum();
        cells.push((key.to_owned(), label.to_owned(), count));
    }
    let mut relations = vec![Relation {
        parent: None,
        children: (first_region..cells.len()).collect(),
    }];
    relations.extend(regions.iter().enumerate().map(|(r, region)| {
        Relation {
            parent: Some(first_region + r),
            children: PREFECTURES
                .iter()
                .enumerate()
                .filter(|(_, p)| p.region == *region)
                .map(|(i, _)| i)
                .collect(),
        }
    }));
    let values: Vec<u64> = cells.iter().map(|(.., n)| *n).collect();
    let hidden = suppression::suppress(&values, &relations);
    let mut prefectures = shown(cells, &hidden);
    let regions = prefectures.split_off(first_region);
    Geography {
        prefectures,
        regions,
    }
}

impl Dimension {
    /// Every dimension, in the order they are published.
    pub const ALL: [Dimension; 4] = [
        Dimension::Prefecture,
        Dimension::Region,
        Dimension::AgeBand,
        Dimension::Industry,
    ];

    /// The name a published table is stored under.
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Prefecture => "PREFECTURE",
            Dimension::Region => "REGION",
            Dimension::AgeBand => "AGE_BAND",
            Dimension::Industry => "INDUSTRY",
        }
    }
}

/// The active count at the month end [`published_on`] gives for `asked`, split by
/// `dimension`, small cells suppressed. The breakdowns of a month end are computed once,
/// all four together, the first time any is asked for, and stored; every later reading
/// returns them as published, whatever has changed in people's details since.
pub async fn breakdown(
    db: &DatabaseConnection,
    caller: &Caller,
    dimension: Dimension,
    asked: NaiveDate,
) -> DomainResult<Breakdown> {
    require_reader(caller)?;
    check_not_future("as_of", asked, caller.today())?;
    let as_of = published_on(asked, caller.today());
    if let Some(published) = read_published(db, dimension, as_of).await? {
        return Ok(published);
    }
    let tables = compute(db, as_of).await?;
    let now = caller.now();
    let rows: Vec<published_breakdown::ActiveModel> = tables
        .iter()
        .flat_map(|(dimension, table)| {
            table.cells.iter().enumerate().map(move |(position, cell)| {
                published_breakdown::ActiveModel {
                    as_of: Set(as_of),
                    dimension: Set(dimension.as_str().to_owned()),
                    position: Set(position as i32),
                    key: Set(cell.key.clone()),
                    label: Set(cell.label.clone()),
                    value: Set(cell.value.map(|n| n as i64)),
                    total: Set(table.total as i64),
                    published_at: Set(now),
                }
            })
        })
        .collect();
    // One statement: when two readers publish at once, one's rows all win, and the other's
    // are all skipped.
    let txn = begin_write(db).await?;
    published_breakdown::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([
                published_breakdown::Column::AsOf,
                published_breakdown::Column::Dimension,
                published_breakdown::Column::Position,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    txn.commit().await?;
    read_published(db, dimension, as_of)
        .await?
        .ok_or_else(|| DomainError::Db(DbErr::Custom(format!("breakdown of {as_of} not stored"))))
}

/// The breakdown of `as_of` by `dimension` as published, if it has been.
async fn read_published<C: ConnectionTrait>(
    db: &C,
    dimension: Dimension,
    as_of: NaiveDate,
) -> DomainResult<Option<Breakdown>> {
    let rows = published_breakdown::Entity::find()
        .filter(published_breakdown::Column::AsOf.eq(as_of))
        .filter(published_breakdown::Column::Dimension.eq(dimension.as_str()))
        .order_by_asc(published_breakdown::Column::Position)
        .all(db)
        .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    Ok(Some(Breakdown {
        as_of,
        total: first.total as u64,
        cells: rows
            .iter()
            .map(|row| Cell {
                key: row.key.clone(),
                label: row.label.clone(),
                value: row.value.map(|n| n as u64),
            })
            .collect(),
    }))
}

/// Every breakdown of the active count at the end of `as_of`, from the people's details
/// as they are now.
async fn compute<C: ConnectionTrait + Sync>(
    db: &C,
    as_of: NaiveDate,
) -> DomainResult<Vec<(Dimension, Breakdown)>> {
    // Every specialist's facts in one read (cheaper than asking for the active ones by
    // id), alongside the histories that say who is active.
    let read_facts = async {
        Ok::<_, DomainError>(
            specialist::Entity::find()
                .select_only()
                .columns([
                    specialist::Column::Id,
                    specialist::Column::PrefectureCode,
                    specialist::Column::BirthYear,
                    specialist::Column::BirthMonth,
                    specialist::Column::EmployerIndustry,
                ])
                .into_tuple::<Facts>()
                .all(db)
                .await?,
        )
    };
    let (active, facts) = tokio::try_join!(active_on(db, as_of), read_facts)?;
    let active: HashSet<i64> = active.into_iter().collect();
    let facts: Vec<Facts> = facts
        .into_iter()
        .filter(|(id, ..)| active.contains(id))
        .collect();
    let total = facts.len() as u64;
    let table = |cells| Breakdown {
        as_of,
        total,
        cells,
    };
    let mut by_prefecture: HashMap<&str, u64> = HashMap::new();
    for (_, code, ..) in &facts {
        *by_prefecture.entry(code.as_str()).or_default() += 1;
    }
    let geography = geography(&by_prefecture);
    let mut ages = [0u64; 5];
    for (_, _, year, month, _) in &facts {
        ages[age_band(*year, *month, as_of)] += 1;
    }
    let age_bands = flat(
        AGE_BANDS
            .iter()
            .zip(ages)
            .map(|((key, label), n)| ((*key).to_owned(), (*label).to_owned(), n))
            .collect(),
    );
    let mut by_industry: HashMap<Option<Industry>, u64> = HashMap::new();
    for (.., industry) in &facts {
        *by_industry
            .entry(industry.as_deref().and_then(Industry::parse))
            .or_default() += 1;
    }
    let industries = flat(
        Industry::ALL
            .iter()
            .map(|i| {
                (
                    i.as_str().to_owned(),
                    industry_label(*i).to_owned(),
                    by_industry.get(&Some(*i)).copied().unwrap_or(0),
                )
            })
            .chain(std::iter::once((
                NOT_GIVEN.to_owned(),
                "不明・勤務先なし".to_owned(),
                by_industry.get(&None).copied().unwrap_or(0),
            )))
            .collect(),
    );
    Ok(vec![
        (Dimension::Prefecture, table(geography.prefectures)),
        (Dimension::Region, table(geography.regions)),
        (Dimension::AgeBand, table(age_bands)),
        (Dimension::Industry, table(industries)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn breakdowns_describe_the_last_month_end_before_today() {
        let today = day(2026, 12, 2);
        assert_eq!(published_on(day(2026, 12, 2), today), day(2026, 11, 30));
        assert_eq!(published_on(day(2026, 11, 30), today), day(2026, 11, 30));
        assert_eq!(published_on(day(2026, 11, 29), today), day(2026, 10, 31));
        assert_eq!(published_on(day(2024, 3, 15), today), day(2024, 2, 29));
        // Today's count is still changing, even on a month's last day.
        assert_eq!(
            published_on(day(2026, 11, 30), day(2026, 11, 30)),
            day(2026, 10, 31)
        );
    }

    #[test]
    fn a_prefecture_hidden_alone_in_its_region_takes_a_neighbour_with_it() {
        // Every prefecture counts 50 but Aomori (02), with 3: Tōhoku's count is shown, so
        // another Tōhoku prefecture must be hidden too, or Tōhoku minus the shown ones
        // would give Aomori away.
        let counts: HashMap<&str, u64> = PREFECTURES
            .iter()
            .map(|p| (p.code, if p.code == "02" { 3 } else { 50 }))
            .collect();
        let tables = geography(&counts);
        let hidden: Vec<&str> = tables
            .prefectures
            .iter()
            .filter(|c| c.value.is_none())
            .map(|c| c.key.as_str())
            .collect();
        assert_eq!(hidden, ["02", "03"]);
        assert!(
            tables.regions.iter().all(|c| c.value.is_some()),
            "{tables:?}"
        );
    }

    #[test]
    fn age_counts_from_the_birth_month() {
        let on = day(2026, 4, 1);
        assert_eq!(age_band(1996, 4, on), 1); // 30 this month
        assert_eq!(age_band(1996, 5, on), 0); // 29 until May
        assert_eq!(age_band(1966, 1, on), 4);
    }
}
