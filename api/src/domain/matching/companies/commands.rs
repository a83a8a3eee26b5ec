//! Writes on companies: registration, updates by those who manage them, the self-assessment.

use super::super::{
    corporate_number,
    guide::{self, Assessment},
    scope::{Scope, scope_of},
    types::{SecurityAction, SmeSector, SupplyChainTarget},
};
use crate::domain::matching::permissions;
use crate::domain::{
    Actor, Caller, DomainError, DomainResult, Role,
    audit::{self, AuditEntry},
    begin_write,
    error::Violations,
    industry::Industry,
    prefecture::PrefectureCode,
    registry::types::{Email, Phone, parse_kana, parse_required_text},
};
use entities::company;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set};
use serde_json::json;
use std::collections::BTreeMap;

use super::{CompanyView, NOT_BY_THE_COMPANY, VERSIONED, manages};

/// A company as given; `None` leaves a field as it is when updating.
#[derive(Debug, Clone, Default)]
pub struct CompanyInput {
    pub corporate_number: Option<String>,
    pub name: Option<String>,
    pub name_kana: Option<String>,
    pub industry: Option<Industry>,
    /// Needed when the industry spans two sectors (I, M); otherwise derived.
    pub sme_sector: Option<SmeSector>,
    pub employees: Option<i32>,
    pub capital_yen: Option<i64>,
    pub prefecture: Option<String>,
    pub security_action: Option<SecurityAction>,
    pub supply_chain_target: Option<SupplyChainTarget>,
    pub otasuketai: Option<bool>,
    pub guide_step: Option<i16>,
    /// The support organization helping the company (registry staff and company users may
    /// set it; organization staff always register for their own).
    pub support_organization_id: Option<i64>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    /// `Some("")` clears it.
    pub contact_phone: Option<String>,
}

/// The sector the company falls in: named, or derived from its division.
fn sector(industry: Industry, named: Option<SmeSector>, v: &mut Violations) -> Option<SmeSector> {
    match (guide::sector_of(industry), named) {
        (Some(derived), None) => Some(derived),
        (Some(derived), Some(named)) if named == derived => Some(derived),
        (Some(derived), Some(_)) => {
            v.push(
                "sme_sector",
                format!(
                    "division {} is in sector {}",
                    industry.as_str(),
                    derived.as_str()
                ),
            );
            None
        }
        (None, Some(named)) if guide::sectors_for(industry).contains(&named) => Some(named),
        (None, _) => {
            let choices: Vec<&str> = guide::sectors_for(industry)
                .iter()
                .map(|s| s.as_str())
                .collect();
            v.push(
                "sme_sector",
                format!(
                    "division {} spans two sectors: name one of {}",
                    industry.as_str(),
                    choices.join(", ")
                ),
            );
            None
        }
    }
}

fn check_fields(input: &CompanyInput, v: &mut Violations) {
    if let Some(name) = &input.name {
        v.check("name", parse_required_text(name, 200));
    }
    if let Some(kana) = &input.name_kana {
        v.check("name_kana", parse_kana(kana));
    }
    if input
        .employees
        .is_some_and(|e| !(0..=10_000_000).contains(&e))
    {
        v.push("employees", "must be between 0 and 10,000,000");
    }
    if input
        .capital_yen
        .is_some_and(|c| !(0..=100_000_000_000_000).contains(&c))
    {
        v.push("capital_yen", "must be between 0 and 100 trillion yen");
    }
    if let Some(code) = &input.prefecture {
        v.check("prefecture", PrefectureCode::parse(code));
    }
    if input.guide_step.is_some_and(|s| !(1..=4).contains(&s)) {
        v.push("guide_step", "must be 1, 2, 3 or 4");
    }
    if let Some(name) = &input.contact_name {
        v.check("contact_name", parse_required_text(name, 200));
    }
    if let Some(email) = &input.contact_email {
        v.check("contact_email", Email::parse(email));
    }
    if let Some(phone) = input
        .contact_phone
        .as_deref()
        .filter(|p| !p.trim().is_empty())
    {
        v.check("contact_phone", Phone::parse(phone));
    }
}

fn text(value: &str) -> String {
    value.trim().to_owned()
}

/// Registers a company. A company user registers their own (the corporate number of their
/// token); organization staff register a company they support; registry staff, any.
pub async fn register(
    db: &DatabaseConnection,
    caller: &Caller,
    input: CompanyInput,
) -> DomainResult<CompanyView> {
    caller.actor.allow(&permissions::REGISTER_COMPANIES)?;
    let mut v = Violations::default();
    v.require_present(&[
        ("corporate_number", input.corporate_number.is_none()),
        ("name", input.name.is_none()),
        ("name_kana", input.name_kana.is_none()),
        ("industry", input.industry.is_none()),
        ("employees", input.employees.is_none()),
        ("capital_yen", input.capital_yen.is_none()),
        ("prefecture", input.prefecture.is_none()),
        ("contact_name", input.contact_name.is_none()),
        ("contact_email", input.contact_email.is_none()),
    ]);
    let number = input
        .corporate_number
        .as_deref()
        .and_then(|n| v.check("corporate_number", corporate_number::parse(n)));
    check_fields(&input, &mut v);
    let sector = input
        .industry
        .and_then(|i| sector(i, input.sme_sector, &mut v));
    v.into_result()?;
    let (Some(number), Some(industry), Some(sector)) = (number, input.industry, sector) else {
        return Err(DomainError::invalid("", "incomplete company"));
    };
    if let Actor::Principal(p) = &caller.actor
        && p.role == Role::SmeUser
        && p.company_id.as_deref() != Some(number.as_str())
    {
        return Err(DomainError::Forbidden(
            "a company user registers only the company their account belongs to",
        ));
    }
    let txn = begin_write(db).await?;
    let organization_id = organization_for(&txn, caller, input.support_organization_id).await?;
    let employees = input.employees.unwrap_or_default();
    let capital = input.capital_yen.unwrap_or_default();
    let now = caller.now();
    let row = company::ActiveModel {
        corporate_number: Set(number),
        name: Set(text(&input.name.unwrap_or_default())),
        name_kana: Set(text(&input.name_kana.unwrap_or_default())),
        industry: Set(industry),
        employees: Set(employees),
        capital_yen: Set(capital),
        prefecture_code: Set(input.prefecture.unwrap_or_default()),
        sme_sector: Set(sector),
        is_sme: Set(guide::is_sme(sector, capital, employees)),
        security_action: Set(input.security_action.unwrap_or(SecurityAction::None)),
        supply_chain_target: Set(input.supply_chain_target.unwrap_or(SupplyChainTarget::None)),
        otasuketai: Set(input.otasuketai.unwrap_or(false)),
        guide_step: Set(input.guide_step.unwrap_or(1)),
        support_organization_id: Set(organization_id),
        contact_name: Set(text(&input.contact_name.unwrap_or_default())),
        contact_email: Set(text(&input.contact_email.unwrap_or_default())),
        contact_phone: Set(input
            .contact_phone
            .map(|p| text(&p))
            .filter(|p| !p.is_empty())),
        assessment_answers: Set(None),
        recommended_step: Set(None),
        assessed_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| {
        DomainError::from_db_unique(
            err,
            "corporate_number",
            "a company with this corporate number is already registered",
        )
    })?;
    audit_company(&txn, caller, "company.register", &row).await?;
    txn.commit().await?;
    Ok(CompanyView { row, full: true })
}

/// The support organization a new company is in the care of: an organization's staff
/// register for their own one only, a company user for none (the company cannot place
/// itself in an organization's care), staff for the one they name, which must exist.
async fn organization_for<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    named: Option<i64>,
) -> DomainResult<Option<i64>> {
    let organization_id = match scope_of(db, &caller.actor).await? {
        Scope::Organization(org) => {
            if named.is_some_and(|named| named != org) {
                return Err(DomainError::invalid(
                    "support_organization_id",
                    "organization staff register companies for their own organization only",
                ));
            }
            Some(org)
        }
        Scope::All => named,
        Scope::Company(_) | Scope::Nothing if caller.actor.role() == Some(Role::SmeUser) => {
            if named.is_some() {
                return Err(DomainError::invalid(
                    "support_organization_id",
                    NOT_BY_THE_COMPANY,
                ));
            }
            None
        }
        Scope::Company(_) | Scope::Nothing => named,
        Scope::Specialist(_) => None,
    };
    if caller.actor.role() == Some(Role::SupportOrgStaff) && organization_id.is_none() {
        return Err(DomainError::Forbidden(
            "this account's organization is not registered",
        ));
    }
    if let Some(org) = organization_id
        && entities::support_organization::Entity::find_by_id(org)
            .one(db)
            .await?
            .is_none()
    {
        return Err(DomainError::invalid(
            "support_organization_id",
            "no such support organization",
        ));
    }
    Ok(organization_id)
}

/// Reads a company the caller manages, inside a write; `field` is the input that named it.
async fn managed<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: i64,
    field: &'static str,
) -> DomainResult<(Scope, company::Model)> {
    caller.actor.allow(&permissions::MANAGE_COMPANY)?;
    let scope = scope_of(db, &caller.actor).await?;
    let row = company::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|row| manages(scope, row))
        .ok_or(DomainError::NotFound {
            entity: "company",
            field,
        })?;
    Ok((scope, row))
}

/// Changes a company it manages (the company itself, its organization, registry staff) if
/// it is still at `expected_version`. The corporate number never changes.
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    expected_version: i32,
    input: CompanyInput,
) -> DomainResult<CompanyView> {
    caller.actor.allow(&permissions::EDIT_COMPANY)?;
    let mut v = Violations::default();
    if input.corporate_number.is_some() {
        v.push(
            "corporate_number",
            "a company's corporate number never changes",
        );
    }
    check_fields(&input, &mut v);
    v.into_result()?;
    let txn = begin_write(db).await?;
    let (scope, row) = managed(&txn, caller, id, "id").await?;
    let mut v = Violations::default();
    let industry = input
        .industry
        .or(Some(row.industry))
        .unwrap_or(Industry::Unclassified);
    let named = input.sme_sector.or_else(|| {
        // Keep the stored choice when the division still spans two sectors.
        input
            .industry
            .is_none()
            .then_some(Some(row.sme_sector))
            .flatten()
    });
    let sector = sector(industry, named, &mut v);
    if input.support_organization_id.is_some() && matches!(scope, Scope::Organization(_)) {
        v.push(
            "support_organization_id",
            "organization staff cannot hand a company to another organization",
        );
    }
    if input.support_organization_id.is_some() && matches!(scope, Scope::Company(_)) {
        v.push("support_organization_id", NOT_BY_THE_COMPANY);
    }
    v.into_result()?;
    let sector = sector.unwrap_or(SmeSector::ManufacturingAndOthers);
    let changes = changes_of(&txn, &row, industry, sector, input).await?;
    let row = VERSIONED
        .save(&txn, (id, expected_version), changes, caller.now())
        .await?;
    audit_company(&txn, caller, "company.update", &row).await?;
    txn.commit().await?;
    Ok(CompanyView { row, full: true })
}

/// The changes an update makes to `row`: the fields the input names, and whether the
/// company is an SME by its sector, capital and employees after them.
async fn changes_of<C: ConnectionTrait>(
    db: &C,
    row: &company::Model,
    industry: Industry,
    sector: SmeSector,
    input: CompanyInput,
) -> DomainResult<company::ActiveModel> {
    let employees = input.employees.unwrap_or(row.employees);
    let capital = input.capital_yen.unwrap_or(row.capital_yen);
    let mut changes = company::ActiveModel {
        industry: Set(industry),
        sme_sector: Set(sector),
        employees: Set(employees),
        capital_yen: Set(capital),
        is_sme: Set(guide::is_sme(sector, capital, employees)),
        ..Default::default()
    };
    if let Some(name) = input.name {
        changes.name = Set(text(&name));
    }
    if let Some(kana) = input.name_kana {
        changes.name_kana = Set(text(&kana));
    }
    if let Some(code) = input.prefecture {
        changes.prefecture_code = Set(code);
    }
    if let Some(action) = input.security_action {
        changes.security_action = Set(action);
    }
    if let Some(target) = input.supply_chain_target {
        changes.supply_chain_target = Set(target);
    }
    if let Some(otasuketai) = input.otasuketai {
        changes.otasuketai = Set(otasuketai);
    }
    if let Some(step) = input.guide_step {
        changes.guide_step = Set(step);
    }
    if let Some(org) = input.support_organization_id {
        if entities::support_organization::Entity::find_by_id(org)
            .one(db)
            .await?
            .is_none()
        {
            return Err(DomainError::invalid(
                "support_organization_id",
                "no such support organization",
            ));
        }
        changes.support_organization_id = Set(Some(org));
    }
    if let Some(name) = input.contact_name {
        changes.contact_name = Set(text(&name));
    }
    if let Some(email) = input.contact_email {
        changes.contact_email = Set(text(&email));
    }
    if let Some(phone) = input.contact_phone {
        changes.contact_phone = Set(Some(text(&phone)).filter(|p| !p.is_empty()));
    }
    Ok(changes)
}

/// Records a self-assessment of a company the caller manages: answers by question code
/// (unknown codes are refused). Returns the company and what the answers yield.
pub async fn assess(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    answers: BTreeMap<String, bool>,
    adopt_step: bool,
) -> DomainResult<(CompanyView, Assessment)> {
    caller.actor.allow(&permissions::ASSESS_COMPANY)?;
    let mut v = Violations::default();
    for code in answers.keys() {
        if guide::question(code).is_none() {
            v.push(
                "answers",
                format!("{code} is not a self-assessment question"),
            );
        }
    }
    v.into_result()?;
    let txn = begin_write(db).await?;
    let (_, row) = managed(&txn, caller, id, "company_id").await?;
    let assessment = guide::assess(&answers);
    let mut changes = company::ActiveModel {
        assessment_answers: Set(Some(json!(answers))),
        recommended_step: Set(Some(assessment.recommended_step)),
        assessed_at: Set(Some(caller.now())),
        ..Default::default()
    };
    if adopt_step {
        changes.guide_step = Set(assessment.recommended_step);
    }
    let row = VERSIONED
        .save(&txn, (id, row.version), changes, caller.now())
        .await?;
    audit_company(&txn, caller, "company.assess", &row).await?;
    txn.commit().await?;
    Ok((CompanyView { row, full: true }, assessment))
}

/// Makes the step its latest self-assessment recommends the company's guide step (a
/// company the caller manages, at `expected_version`).
pub async fn adopt_step(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    expected_version: i32,
) -> DomainResult<CompanyView> {
    caller.actor.allow(&permissions::ASSESS_COMPANY)?;
    let txn = begin_write(db).await?;
    let (_, row) = managed(&txn, caller, id, "company_id").await?;
    let Some(step) = row.recommended_step else {
        return Err(DomainError::invalid(
            "company_id",
            "has no self-assessment yet: assessCompany first",
        ));
    };
    let changes = company::ActiveModel {
        guide_step: Set(step),
        ..Default::default()
    };
    let row = VERSIONED
        .save(&txn, (id, expected_version), changes, caller.now())
        .await?;
    audit_company(&txn, caller, "company.adopt_step", &row).await?;
    txn.commit().await?;
    Ok(CompanyView { row, full: true })
}

async fn audit_company<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    action: &str,
    row: &company::Model,
) -> DomainResult<()> {
    audit::record(
        db,
        caller,
        AuditEntry {
            action,
            target_type: "Company",
            target_id: row.corporate_number.clone(),
            details: json!({ "isSme": row.is_sme, "guideStep": row.guide_step }),
        },
    )
    .await
}
