//! States and kinds stored as text: one declaration gives the variants, their stored names,
//! `ALL`, `as_str`, `parse`, and a sea-orm active enum, so a column holding one reads as
//! the enum itself. A stored value that is not one of the names fails the read (an
//! internal error, logged) instead of becoming some plausible default; the database
//! refuses such values in the first place (migration `m20261202_000013_stored_states`).

/// `ALL`, `as_str` and `parse` of an enum whose values have names: for the stored enums
/// here and for the service's own named values that are not stored as such.
#[macro_export]
macro_rules! named_values {
    ($name:ident { $($variant:ident = $text:literal),+ }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(value: &str) -> Option<Self> {
                match value {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

/// Declares an enum stored as its upper-snake-case name.
macro_rules! stored_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            sea_orm::EnumIter,
            sea_orm::DeriveActiveEnum,
            serde::Serialize,
            serde::Deserialize,
        )]
        #[sea_orm(rs_type = "String", db_type = "Text")]
        pub enum $name {
            $($(#[$vmeta])* #[sea_orm(string_value = $text)] #[serde(rename = $text)] $variant),+
        }

        $crate::named_values!($name { $($variant = $text),+ });

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use stored_enum;
