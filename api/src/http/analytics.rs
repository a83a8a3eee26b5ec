//! `/analytics/<series>.csv` and `/analytics/target-progress.svg`: the analysts' series for
//! spreadsheets, and the progress chart for people who would rather look than read. Same
//! bearer token and the same rules as the GraphQL queries; arguments as query parameters.

use axum::{
    extract::{Path, Query, State, rejection::QueryRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{Months, NaiveDate};
use serde::Deserialize;

use super::chart;
use super::{
    AppHttpState,
    errors::{domain_error, error_response},
    graphql::authenticate,
};
use crate::{
    domain::{
        Caller, DomainError,
        analytics::{
            breakdown::{self, Cell, Dimension},
            camp::{self as figures, YearProgress},
            registry::{self, Interval, Period},
            renewal::{self, RenewalRound},
            supply::{self, SupplyDemandCell},
        },
        camp::types::ProgramKind,
        scopes,
    },
    graphql::error::ErrorCode,
};

/// The files served, for the 404 that lists them.
pub const FILES: &[&str] = &[
    "specialist-series.csv",
    "specialist-breakdown.csv",
    "renewal-health.csv",
    "supply-demand.csv",
    "camp-graduates.csv",
    "target-progress.svg",
];

/// The query parameters the files take (each file reads the ones it needs).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Params {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    as_of: Option<NaiveDate>,
    interval: Option<String>,
    by: Option<String>,
    target: Option<u64>,
    rounds: Option<usize>,
    baseline_fiscal_year: Option<i32>,
    programs: Option<String>,
    /// Start the CSV with a byte-order mark, for spreadsheets that need one to read UTF-8.
    bom: Option<bool>,
}

fn bad_request(message: &str) -> Response {
    error_response(StatusCode::BAD_REQUEST, ErrorCode::BadUserInput, message)
}

fn required<T>(value: Option<T>, name: &str) -> Result<T, DomainError> {
    value.ok_or_else(|| DomainError::invalid(name, "is required"))
}

/// `GET /analytics/{file}`.
pub async fn get(
    State(state): State<AppHttpState>,
    Path(file): Path<String>,
    headers: HeaderMap,
    params: Result<Query<Params>, QueryRejection>,
) -> Response {
    let caller = match authenticate(&state, &headers, &format!("GET /analytics/{file}")).await {
        Ok(caller) => caller,
        Err(refused) => return refused,
    };
    // The files are the analytics queries' data: a system's token needs their scope.
    if let Err(refused) = caller.actor.allow_scope(&scopes::ANALYTICS_READ) {
        return domain_error(refused);
    }
    let Query(params) = match params {
        Ok(params) => params,
        Err(rejection) => return bad_request(&rejection.body_text()),
    };
    let rows = match file.as_str() {
        "target-progress.svg" => return target_progress_svg(&state, &caller, &params).await,
        "specialist-series.csv" => specialist_series(&state, &caller, &params).await,
        "specialist-breakdown.csv" => specialist_breakdown(&state, &caller, &params).await,
        "renewal-health.csv" => renewal_health(&state, &caller, &params).await,
        "supply-demand.csv" => supply_demand(&state, &caller, &params).await,
        "camp-graduates.csv" => camp_graduates(&state, &caller, &params).await,
        _ => {
            return error_response(
                StatusCode::NOT_FOUND,
                ErrorCode::NotFound,
                &format!("no such file; there are {}", FILES.join(", ")),
            );
        }
    };
    match rows {
        Ok(rows) => file_response(
            "text/csv; charset=utf-8",
            &file,
            write_csv(&rows, params.bom.unwrap_or(false)),
        ),
        Err(err) => domain_error(err),
    }
}

fn file_response(content_type: &'static str, file: &str, body: Vec<u8>) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&format!("inline; filename=\"{file}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// A header row and the rows under it.
type Rows = Vec<Vec<String>>;

fn write_csv(rows: &Rows, bom: bool) -> Vec<u8> {
    let mut out = if bom {
        "\u{feff}".as_bytes().to_vec()
    } else {
        Vec::new()
    };
    {
        // Writing to memory cannot fail.
        let mut writer = csv::Writer::from_writer(&mut out);
        for row in rows {
            let _ = writer.write_record(row);
        }
        let _ = writer.flush();
    }
    out
}

/// A column: its header and how each row's value is written.
type Column<'a, T> = (&'static str, &'a dyn Fn(&T) -> String);

/// A header row, then a row per item: each column's name stands next to its value.
fn table<T>(columns: &[Column<'_, T>], items: &[T]) -> Rows {
    let mut rows = vec![columns.iter().map(|(name, _)| (*name).to_owned()).collect()];
    rows.extend(
        items
            .iter()
            .map(|item| columns.iter().map(|(_, value)| value(item)).collect()),
    );
    rows
}

fn optional<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn interval(params: &Params) -> Result<Interval, DomainError> {
    match params.interval.as_deref().unwrap_or("MONTH") {
        "MONTH" => Ok(Interval::Month),
        "ROUND" => Ok(Interval::Round),
        _ => Err(DomainError::invalid("interval", "MONTH or ROUND")),
    }
}

async fn specialist_series(
    state: &AppHttpState,
    caller: &Caller,
    params: &Params,
) -> Result<Rows, DomainError> {
    let from = required(params.from, "from")?;
    let to = params.to.unwrap_or_else(|| caller.today());
    let periods = registry::series(&state.db, caller, from, to, interval(params)?).await?;
    Ok(table(
        &[
            ("startsOn", &|p: &Period| p.starts_on.to_string()),
            ("endsOn", &|p| p.ends_on.to_string()),
            ("activeAtEnd", &|p| p.active_at_end.to_string()),
            ("registrations", &|p| p.registrations.to_string()),
            ("renewals", &|p| p.renewals.to_string()),
            ("lapses", &|p| p.lapses.to_string()),
            ("deregistrations", &|p| p.deregistrations.to_string()),
            ("revocations", &|p| p.revocations.to_string()),
            ("suspensions", &|p| p.suspensions.to_string()),
            ("reinstatements", &|p| p.reinstatements.to_string()),
            ("endedWhileInactive", &|p| {
                p.ended_while_inactive.to_string()
            }),
            ("netFlow", &|p| p.net_flow().to_string()),
        ],
        &periods,
    ))
}

async fn specialist_breakdown(
    state: &AppHttpState,
    caller: &Caller,
    params: &Params,
) -> Result<Rows, DomainError> {
    let dimension = match required(params.by.as_deref(), "by")? {
        "PREFECTURE" => Dimension::Prefecture,
        "REGION" => Dimension::Region,
        "AGE_BAND" => Dimension::AgeBand,
        "INDUSTRY" => Dimension::Industry,
        _ => {
            return Err(DomainError::invalid(
                "by",
                "PREFECTURE, REGION, AGE_BAND or INDUSTRY",
            ));
        }
    };
    let as_of = params.as_of.unwrap_or_else(|| caller.today());
    let found = breakdown::breakdown(&state.db, caller, dimension, as_of).await?;
    let as_of = found.as_of.to_string();
    Ok(table(
        &[
            ("asOf", &|_: &Cell| as_of.clone()),
            ("key", &|c| c.key.clone()),
            ("label", &|c| c.label.clone()),
            ("value", &|c| optional(c.value)),
            ("suppressed", &|c| c.value.is_none().to_string()),
        ],
        &found.cells,
    ))
}

async fn renewal_health(
    state: &AppHttpState,
    caller: &Caller,
    params: &Params,
) -> Result<Rows, DomainError> {
    let from = required(params.from, "from")?;
    let to = params.to.unwrap_or_else(|| caller.today());
    let health = renewal::renewal_health(&state.db, caller, from, to).await?;
    Ok(table(
        &[
            ("startsOn", &|r: &RenewalRound| r.starts_on.to_string()),
            ("endsOn", &|r| r.ends_on.to_string()),
            ("renewed", &|r| r.renewed.to_string()),
            ("lapsed", &|r| r.lapsed.to_string()),
            ("lapseRate", &|r| optional(r.lapse_rate)),
            ("claimsFiled", &|r| r.claims_filed.to_string()),
            ("claimsApproved", &|r| r.claims_approved.to_string()),
            ("claimsRejected", &|r| r.claims_rejected.to_string()),
            ("feesSavedYen", &|r| r.fees_saved_yen.to_string()),
        ],
        &health.rounds,
    ))
}

async fn supply_demand(
    state: &AppHttpState,
    caller: &Caller,
    params: &Params,
) -> Result<Rows, DomainError> {
    let by = params.by.as_deref().unwrap_or("THEME");
    if by != "THEME" && by != "PREFECTURE" {
        return Err(DomainError::invalid("by", "THEME or PREFECTURE"));
    }
    let found = supply::supply_demand(&state.db, caller).await?;
    let cells = if by == "THEME" {
        found.by_theme
    } else {
        found.by_prefecture
    };
    let as_of = found.as_of.to_string();
    Ok(table(
        &[
            ("asOf", &|_: &SupplyDemandCell| as_of.clone()),
            ("key", &|c| c.key.clone()),
            ("label", &|c| c.label.clone()),
            ("supply", &|c| optional(c.supply)),
            ("supplySuppressed", &|c| c.supply.is_none().to_string()),
            ("demand", &|c| c.demand.to_string()),
        ],
        &cells,
    ))
}

async fn camp_graduates(
    state: &AppHttpState,
    caller: &Caller,
    params: &Params,
) -> Result<Rows, DomainError> {
    let baseline = required(params.baseline_fiscal_year, "baselineFiscalYear")?;
    let programs = params
        .programs
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            ProgramKind::parse(p).ok_or_else(|| {
                DomainError::invalid("programs", format!("{p} is not a camp program"))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let found = figures::camp_figures(&state.db, caller, baseline, &programs).await?;
    let target = found.target_graduates.to_string();
    Ok(table(
        &[
            ("fiscalYear", &|y: &YearProgress| y.fiscal_year.to_string()),
            ("graduates", &|y| y.graduates.to_string()),
            ("targetGraduates", &|_| target.clone()),
            ("shareOfTarget", &|y| y.share_of_target.to_string()),
        ],
        &found.years,
    ))
}

async fn target_progress_svg(state: &AppHttpState, caller: &Caller, params: &Params) -> Response {
    let by = match params.by.as_deref() {
        None => NaiveDate::from_ymd_opt(2030, 4, 1).unwrap_or_default(),
        Some(raw) => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Ok(day) => day,
            Err(_) => return bad_request("by: the target date, YYYY-MM-DD"),
        },
    };
    let today = caller.today();
    let from = params
        .from
        .unwrap_or_else(|| today.checked_sub_months(Months::new(120)).unwrap_or(today));
    let target = params.target.unwrap_or(50_000);
    let rounds = params.rounds.unwrap_or(6);
    let (points, progress) =
        match registry::progress_chart(&state.db, caller, from, target, by, rounds).await {
            Ok(both) => both,
            Err(err) => return domain_error(err),
        };
    match chart::target_progress(&points, &progress) {
        Ok(svg) => file_response("image/svg+xml", "target-progress.svg", svg.into_bytes()),
        Err(why) => {
            tracing::error!(error = %why, "chart not drawn");
            error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorCode::Internal,
                "internal error; the request id identifies it in our logs",
            )
        }
    }
}
