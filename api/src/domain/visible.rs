//! What a caller may see, as one SQL condition that every list starts from.
//!
//! A scope is often an `OR` ("listed rows, or my own"); a filter added to that group by
//! mistake joins the `OR` and widens it. [`Visible`] holds the scope as one term of an
//! `AND` and offers only [`Visible::and`], so whatever a list adds after it can only narrow.

use sea_orm::Condition;

/// The rows a caller may see, narrowed by every filter added to it.
#[derive(Debug, Clone)]
#[must_use]
pub struct Visible(Condition);

impl Visible {
    /// Everything: registry staff and the service itself.
    pub fn everything() -> Self {
        Self(Condition::all())
    }

    /// Nothing at all, whatever is added later.
    pub fn nothing() -> Self {
        Self(Condition::all().add(sea_orm::sea_query::Expr::cust("1 = 0")))
    }

    /// The rows `scope` selects, whatever its shape.
    pub fn within(scope: Condition) -> Self {
        Self(Condition::all().add(scope))
    }

    /// Narrows to the rows that also meet `filter`.
    pub fn and(self, filter: impl Into<Condition>) -> Self {
        Self(self.0.add(filter))
    }

    /// Narrows when `filter` is `Some`.
    pub fn and_some(self, filter: Option<impl Into<Condition>>) -> Self {
        match filter {
            Some(filter) => self.and(filter),
            None => self,
        }
    }

    /// The condition to hand to a query.
    pub fn into_condition(self) -> Condition {
        self.0
    }
}

impl From<Visible> for Condition {
    fn from(visible: Visible) -> Self {
        visible.0
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryTrait};

    use super::*;

    #[test]
    fn a_filter_added_to_an_either_or_scope_narrows_it() {
        use entities::specialist::{Column, Entity};
        let scope = Condition::any()
            .add(Column::Status.eq("ACTIVE"))
            .add(Column::RegistrationNumber.eq("000001"));
        let visible = Visible::within(scope).and(Column::Status.is_in(["LAPSED"]));
        let sql = Entity::find()
            .filter(visible.into_condition())
            .build(sea_orm::DatabaseBackend::Sqlite)
            .to_string();
        assert!(
            sql.contains(r#"("specialists"."status" = 'ACTIVE' OR "specialists"."registration_number" = '000001') AND "specialists"."status" IN ('LAPSED')"#),
            "{sql}"
        );
    }
}
