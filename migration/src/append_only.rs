//! Triggers that make a table append-only, whoever asks (the service's own role included):
//! every `UPDATE` and `DELETE` is refused, and on PostgreSQL `TRUNCATE` too. Correcting such
//! a table means appending to it.

use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

/// Makes `table` append-only; `what` names its rows in the refusal ("audit events").
pub async fn up(manager: &SchemaManager<'_>, table: &str, what: &str) -> Result<(), DbErr> {
    let db = manager.get_connection();
    match manager.get_database_backend() {
        DatabaseBackend::Postgres => {
            db.execute_unprepared(&format!(
                r#"
CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{what} are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER {table}_no_change
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
CREATE TRIGGER {table}_no_truncate
    BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only();
"#
            ))
            .await?;
        }
        _ => {
            for op in ["UPDATE", "DELETE"] {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {table}_no_{lower} BEFORE {op} ON {table} \
                     BEGIN SELECT RAISE(ABORT, '{what} are append-only: {op} refused'); END",
                    lower = op.to_lowercase()
                ))
                .await?;
            }
        }
    }
    Ok(())
}

/// Takes the triggers of [`up`] off `table` again.
pub async fn down(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let statements = match manager.get_database_backend() {
        DatabaseBackend::Postgres => vec![
            format!("DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}"),
            format!("DROP TRIGGER IF EXISTS {table}_no_change ON {table}"),
            format!("DROP FUNCTION IF EXISTS {table}_append_only()"),
        ],
        _ => vec![
            format!("DROP TRIGGER IF EXISTS {table}_no_update"),
            format!("DROP TRIGGER IF EXISTS {table}_no_delete"),
        ],
    };
    for statement in statements {
        db.execute_unprepared(&statement).await?;
    }
    Ok(())
}
