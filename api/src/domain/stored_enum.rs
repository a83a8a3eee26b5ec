//! Named values that are not stored states (those are `entities::enums`): one declaration
//! gives the variants, their names, `ALL`, `as_str` and `parse`.

/// Declares an enum named by upper-snake-case names.
macro_rules! stored_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        entities::named_values!($name { $($variant = $text),+ });
    };
}

pub(crate) use stored_enum;
