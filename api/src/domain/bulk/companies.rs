//! Importing companies: one company per row, registered exactly as `registerCompany`
//! registers one (`matching::companies::register`), by the caller who uploaded the file.
//!
//! Columns (the header row names them, in any order; English names, so that one header
//! serves every spreadsheet):
//!
//! | column | required | value |
//! | --- | --- | --- |
//! | `corporate_number` | yes | 13 digits |
//! | `name` | yes | the company's name |
//! | `name_kana` | yes | its reading in katakana |
//! | `industry` | yes | the JSIC division letter, `A` … `T` |
//! | `sme_sector` | when the division spans two | `MANUFACTURING_AND_OTHERS`, `WHOLESALE`, `SERVICES`, `RETAIL` |
//! | `employees` | yes | a whole number |
//! | `capital_yen` | yes | a whole number of yen |
//! | `prefecture` | yes | the prefecture code, `01` … `47` |
//! | `security_action` | no | `NONE`, `ONE_STAR`, `TWO_STAR` |
//! | `supply_chain_target` | no | `NONE`, `STAR3`, `STAR4` |
//! | `otasuketai` | no | `true` or `false` (`1`/`0`) |
//! | `guide_step` | no | `1` … `4` |
//! | `support_organization_code` | no | the code of the support organization (organization staff: their own, or empty) |
//! | `contact_name` | yes | |
//! | `contact_email` | yes | |
//! | `contact_phone` | no | |
//!
//! An empty cell is a value not given.

use std::collections::HashMap;

use entities::support_organization;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::file::{Row, Sheet};
use crate::domain::{
    Caller, DomainError, DomainResult, FieldError,
    industry::Industry,
    matching::{
        companies::{self, CompanyInput},
        types::{SecurityAction, SmeSector, SupplyChainTarget},
    },
};

/// Every column a companies file may have, in the order of the table above.
pub const COLUMNS: &[&str] = &[
    "corporate_number",
    "name",
    "name_kana",
    "industry",
    "sme_sector",
    "employees",
    "capital_yen",
    "prefecture",
    "security_action",
    "supply_chain_target",
    "otasuketai",
    "guide_step",
    "support_organization_code",
    "contact_name",
    "contact_email",
    "contact_phone",
];

/// The columns a companies file must have.
pub const REQUIRED: &[&str] = &[
    "corporate_number",
    "name",
    "name_kana",
    "industry",
    "employees",
    "capital_yen",
    "prefecture",
    "contact_name",
    "contact_email",
];

/// What importing one row came to: applied, or the reasons it was not (each with its
/// column).
pub type Outcome<T = ()> = Result<T, Vec<FieldError>>;

/// Support organizations by code, read once per job.
#[derive(Debug, Default)]
pub struct Organizations(HashMap<String, Option<i64>>);

impl Organizations {
    async fn id_of<C: ConnectionTrait>(&mut self, db: &C, code: &str) -> DomainResult<Option<i64>> {
        if let Some(id) = self.0.get(code) {
            return Ok(*id);
        }
        let id = support_organization::Entity::find()
            .select_only()
            .column(support_organization::Column::Id)
            .filter(support_organization::Column::Code.eq(code))
            .into_tuple::<i64>()
            .one(db)
            .await?;
        self.0.insert(code.to_owned(), id);
        Ok(id)
    }
}

/// Registers the company of one row. A row the rules refuse is an outcome; only a
/// failure of the database is an error.
pub async fn import_row(
    db: &sea_orm::DatabaseConnection,
    caller: &Caller,
    sheet: &Sheet,
    row: &Row,
    organizations: &mut Organizations,
) -> DomainResult<Outcome> {
    let input = match parse(db, sheet, row, organizations).await? {
        Ok(input) => input,
        Err(errors) => return Ok(Err(errors)),
    };
    match companies::register(db, caller, input).await {
        Ok(_) => Ok(Ok(())),
        Err(DomainError::Invalid(errors)) => Ok(Err(errors.into_iter().map(column_of).collect())),
        Err(DomainError::Conflict(error)) => Ok(Err(vec![column_of(error)])),
        Err(DomainError::Forbidden(why)) => Ok(Err(vec![FieldError::new("", why)])),
        Err(DomainError::NotFound { field, .. }) => {
            Ok(Err(vec![column_of(FieldError::new(field, "not found"))]))
        }
        Err(other) => Err(other),
    }
}

/// A domain field named by the column that gives it.
fn column_of(mut error: FieldError) -> FieldError {
    if error.field.first().map(String::as_str) == Some("support_organization_id") {
        error.field = vec!["support_organization_code".to_owned()];
    }
    error
}

/// The row as the input `register` takes; the cells that are not values of their column
/// (a word where a number belongs) as the reasons it is refused.
async fn parse<C: ConnectionTrait>(
    db: &C,
    sheet: &Sheet,
    row: &Row,
    organizations: &mut Organizations,
) -> DomainResult<Outcome<CompanyInput>> {
    if row.cells.len() != sheet.header.len() {
        return Ok(Err(vec![FieldError::new(
            "",
            format!(
                "has {} cells where the header has {} columns",
                row.cells.len(),
                sheet.header.len()
            ),
        )]));
    }
    let cell = |name: &str| cell(sheet, row, name);
    let mut input = CompanyInput {
        corporate_number: cell("corporate_number"),
        name: cell("name"),
        name_kana: cell("name_kana"),
        prefecture: cell("prefecture"),
        contact_name: cell("contact_name"),
        contact_email: cell("contact_email"),
        contact_phone: cell("contact_phone"),
        ..CompanyInput::default()
    };
    let mut errors = Vec::new();
    typed_cells(sheet, row, &mut input, &mut errors);
    if let Some(code) = cell("support_organization_code") {
        match organizations.id_of(db, &code).await? {
            Some(id) => input.support_organization_id = Some(id),
            None => errors.push(FieldError::new(
                "support_organization_code",
                format!("no support organization has the code `{code}`"),
            )),
        }
    }
    Ok(if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    })
}

/// The trimmed cell of a column, `None` when the header lacks it or it is empty.
fn cell(sheet: &Sheet, row: &Row, name: &str) -> Option<String> {
    sheet
        .column(name)
        .and_then(|i| row.cells.get(i))
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Reads the cells that are not text (divisions, sectors, numbers, yes or no) into
/// `input`, and why a cell is not a value of its column into `errors`.
fn typed_cells(sheet: &Sheet, row: &Row, input: &mut CompanyInput, errors: &mut Vec<FieldError>) {
    let mut parsed = |name: &str, parse: &dyn Fn(&str) -> Option<Value>, expected: &str| {
        let value = cell(sheet, row, name)?;
        let found = parse(&value);
        if found.is_none() {
            errors.push(FieldError::new(
                name,
                format!("`{value}` is not {expected}"),
            ));
        }
        found
    };
    let values = [
        parsed(
            "industry",
            &|v| Industry::parse(&v.to_uppercase()).map(Value::Industry),
            "a JSIC division letter (A to T)",
        ),
        parsed(
            "sme_sector",
            &|v| SmeSector::parse(&v.to_uppercase()).map(Value::Sector),
            "one of MANUFACTURING_AND_OTHERS, WHOLESALE, SERVICES, RETAIL",
        ),
        parsed(
            "security_action",
            &|v| SecurityAction::parse(&v.to_uppercase()).map(Value::Action),
            "one of NONE, ONE_STAR, TWO_STAR",
        ),
        parsed(
            "supply_chain_target",
            &|v| SupplyChainTarget::parse(&v.to_uppercase()).map(Value::Target),
            "one of NONE, STAR3, STAR4",
        ),
        parsed("otasuketai", &boolean, "true or false"),
    ];
    let employees = parsed("employees", &int, "a whole number");
    let capital_yen = parsed("capital_yen", &int, "a whole number of yen");
    let guide_step = parsed("guide_step", &int, "1, 2, 3 or 4");
    for value in values.into_iter().flatten() {
        match value {
            Value::Industry(i) => input.industry = Some(i),
            Value::Sector(s) => input.sme_sector = Some(s),
            Value::Action(a) => input.security_action = Some(a),
            Value::Target(t) => input.supply_chain_target = Some(t),
            Value::Bool(b) => input.otasuketai = Some(b),
            Value::Int(_) => {}
        }
    }
    let int_of = |value: Option<Value>| match value {
        Some(Value::Int(n)) => Some(n),
        _ => None,
    };
    input.capital_yen = int_of(capital_yen);
    input.employees = int_of(employees).and_then(|n| narrow("employees", n, errors));
    input.guide_step = int_of(guide_step).and_then(|n| narrow("guide_step", n, errors));
}

/// A parsed cell.
enum Value {
    Industry(Industry),
    Sector(SmeSector),
    Action(SecurityAction),
    Target(SupplyChainTarget),
    Bool(bool),
    Int(i64),
}

fn int(value: &str) -> Option<Value> {
    value.replace(',', "").parse().ok().map(Value::Int)
}

fn boolean(value: &str) -> Option<Value> {
    match value.to_lowercase().as_str() {
        "true" | "1" => Some(Value::Bool(true)),
        "false" | "0" => Some(Value::Bool(false)),
        _ => None,
    }
}

/// A whole number in the range of the field's type, or the reason it is not.
fn narrow<T: TryFrom<i64>>(name: &str, n: i64, errors: &mut Vec<FieldError>) -> Option<T> {
    let narrowed = T::try_from(n).ok();
    if narrowed.is_none() {
        errors.push(FieldError::new(name, format!("{n} is out of range")));
    }
    narrowed
}
