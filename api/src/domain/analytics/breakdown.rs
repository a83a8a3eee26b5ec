//! Breakdowns of the active count by prefecture, region, age band and employer industry,
//! with small cells suppressed.
//!
//! A cell counting fewer than [`MIN_CELL`] people reads as suppressed. When only one cell
//! of a breakdown is suppressed, the smallest shown cell is suppressed too: the total minus
//! the shown cells then gives the sum of two or more hidden cells, never one of them.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use entities::specialist;
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};

use super::{
    registry::{active_on, check_not_future},
    require_reader,
};
use crate::domain::{
    Caller, DomainError, DomainResult,
    industry::Industry,
    prefecture::{PREFECTURES, Region},
};

/// The smallest count a cell may show.
pub const MIN_CELL: u64 = 10;

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

fn region_key(region: Region) -> (&'static str, &'static str) {
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

/// Applies the suppression rule to counted cells.
pub fn suppress(cells: Vec<(String, String, u64)>) -> Vec<Cell> {
    let mut hidden: Vec<bool> = cells.iter().map(|(_, _, n)| *n < MIN_CELL).collect();
    if hidden.iter().filter(|h| **h).count() == 1 {
        // A lone hidden cell is the total minus the others: hide the smallest other too.
        if let Some(i) = cells
            .iter()
            .enumerate()
            .filter(|(i, _)| !hidden[*i])
            .min_by_key(|(_, (_, _, n))| *n)
            .map(|(i, _)| i)
        {
            hidden[i] = true;
        }
    }
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

/// The active count on `as_of` split by `dimension`, small cells suppressed.
pub async fn breakdown<C: ConnectionTrait + Sync>(
    db: &C,
    caller: &Caller,
    dimension: Dimension,
    as_of: NaiveDate,
) -> DomainResult<Breakdown> {
    require_reader(caller)?;
    check_not_future("asOf", as_of)?;
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
    let cells: Vec<(String, String, u64)> = match dimension {
        Dimension::Prefecture => {
            let mut counts: HashMap<&str, u64> = HashMap::new();
            for (_, code, ..) in &facts {
                *counts.entry(code.as_str()).or_default() += 1;
            }
            PREFECTURES
                .iter()
                .map(|p| {
                    (
                        p.code.to_owned(),
                        p.name_ja.to_owned(),
                        counts.get(p.code).copied().unwrap_or(0),
                    )
                })
                .collect()
        }
        Dimension::Region => {
            let region_of: HashMap<&str, Region> =
                PREFECTURES.iter().map(|p| (p.code, p.region)).collect();
            let mut order: Vec<Region> = Vec::new();
            for p in PREFECTURES.iter() {
                if !order.contains(&p.region) {
                    order.push(p.region);
                }
            }
            let mut counts: HashMap<Region, u64> = HashMap::new();
            for (_, code, ..) in &facts {
                if let Some(region) = region_of.get(code.as_str()) {
                    *counts.entry(*region).or_default() += 1;
                }
            }
            order
                .into_iter()
                .map(|r| {
                    let (key, label) = region_key(r);
                    (
                        key.to_owned(),
                        label.to_owned(),
                        counts.get(&r).copied().unwrap_or(0),
                    )
                })
                .collect()
        }
        Dimension::AgeBand => {
            let mut counts = [0u64; 5];
            for (_, _, year, month, _) in &facts {
                counts[age_band(*year, *month, as_of)] += 1;
            }
            AGE_BANDS
                .iter()
                .zip(counts)
                .map(|((key, label), n)| ((*key).to_owned(), (*label).to_owned(), n))
                .collect()
        }
        Dimension::Industry => {
            let mut counts: HashMap<Option<Industry>, u64> = HashMap::new();
            for (.., industry) in &facts {
                *counts
                    .entry(industry.as_deref().and_then(Industry::parse))
                    .or_default() += 1;
            }
            Industry::ALL
                .iter()
                .map(|i| {
                    (
                        i.as_str().to_owned(),
                        industry_label(*i).to_owned(),
                        counts.get(&Some(*i)).copied().unwrap_or(0),
                    )
                })
                .chain(std::iter::once((
                    NOT_GIVEN.to_owned(),
                    "不明・勤務先なし".to_owned(),
                    counts.get(&None).copied().unwrap_or(0),
                )))
                .collect()
        }
    };
    Ok(Breakdown {
        as_of,
        total: facts.len() as u64,
        cells: suppress(cells),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(counts: &[u64]) -> Vec<(String, String, u64)> {
        counts
            .iter()
            .enumerate()
            .map(|(i, n)| (i.to_string(), i.to_string(), *n))
            .collect()
    }

    #[test]
    fn a_lone_small_cell_takes_the_smallest_other_with_it() {
        let out = suppress(cells(&[120, 3, 45, 30]));
        let values: Vec<Option<u64>> = out.iter().map(|c| c.value).collect();
        assert_eq!(values, [Some(120), None, Some(45), None]);
        // Total minus the shown cells is 33: the sum of two hidden cells, not one.
        let shown: u64 = values.iter().flatten().sum();
        assert_eq!(198 - shown, 33);
    }

    #[test]
    fn cells_under_ten_are_hidden_and_others_shown() {
        let out = suppress(cells(&[10, 9, 0, 11]));
        let values: Vec<Option<u64>> = out.iter().map(|c| c.value).collect();
        assert_eq!(values, [Some(10), None, None, Some(11)]);
        assert_eq!(
            suppress(cells(&[10, 20]))
                .iter()
                .map(|c| c.value)
                .collect::<Vec<_>>(),
            [Some(10), Some(20)]
        );
    }

    #[test]
    fn age_counts_from_the_birth_month() {
        let on = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        assert_eq!(age_band(1996, 4, on), 1); // 30 this month
        assert_eq!(age_band(1996, 5, on), 0); // 29 until May
        assert_eq!(age_band(1966, 1, on), 4);
    }
}
