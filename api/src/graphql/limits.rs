//! Bounds on the work a document can ask for, checked before the schema sees it.
//!
//! Depth and complexity are counted by async-graphql while it validates a document, and
//! validation follows every fragment spread: a document of a few hundred bytes whose
//! fragments each spread the next twice expands to billions of fields, and validating it
//! pins a core for minutes. The checks here read the parsed document once, with the size
//! of each fragment computed once and reused wherever it is spread, so their own cost
//! grows with the text and never with the expansion. They also refuse what no client
//! needs and what the database cannot take: the same field under many aliases, control
//! characters in strings, and lists longer than any input takes.

use std::collections::{HashMap, HashSet};

use async_graphql::{
    Name, Positioned, Value,
    parser::types::{Directive, ExecutableDocument, FragmentDefinition, Selection, SelectionSet},
};

/// The most that brackets (`{`, `(`, `[`) may nest in a query's text. The schema's depth
/// limit is lower; this one guards the parser's own recursion.
pub const MAX_NESTING: usize = 64;
/// The most selections (fields, fragment spreads, inline fragments) an operation or
/// fragment may expand to, every spread counted as often as it is spread.
pub const MAX_EXPANDED_SELECTIONS: u64 = 2_000;
/// The most selections a whole document may expand to, its operations and fragments
/// together: validation visits every one of them, each fragment expanded.
pub const MAX_DOCUMENT_EXPANSION: u64 = 10_000;
/// The most operations one document may hold (only one of them runs).
pub const MAX_OPERATIONS: usize = 20;
/// The most names (aliases) under which one field that does work of its own may appear
/// in one selection set, its fragments included: a field of the operation's root, or one
/// that takes arguments. (Aliases of a plain value repeat a value already read; the
/// complexity limit counts them.)
pub const MAX_ALIASES: usize = 10;
/// The most items of any list in an argument or variable: a safety net above every
/// input's own, smaller limit (the largest, a training roster, takes 10,000 rows), and
/// well below the databases' limits on bound parameters.
pub const MAX_LIST_ITEMS: usize = 20_000;

/// The directives an operation may use: the schema defines no other executable ones.
pub const EXECUTABLE_DIRECTIVES: [&str; 2] = ["include", "skip"];

/// Why a document was refused, in a sentence for the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

/// Checks the raw text before it is parsed: brackets nest at most [`MAX_NESTING`] deep.
/// Strings and comments are skipped.
pub fn check_text(query: &str) -> Result<(), Refused> {
    let mut depth = 0usize;
    let mut chars = query.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' || c == '\r' {
                        break;
                    }
                }
            }
            '"' => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    if chars.peek() == Some(&'"') {
                        // A block string: it ends at the next unescaped `"""`, and a lone
                        // quote inside it ends nothing.
                        chars.next();
                        skip_block_string(&mut chars);
                    }
                    // Otherwise `""`, the empty string.
                } else {
                    while let Some(c) = chars.next() {
                        match c {
                            '\\' => {
                                chars.next();
                            }
                            '"' | '\n' | '\r' => break,
                            _ => {}
                        }
                    }
                }
            }
            '{' | '(' | '[' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(Refused(format!(
                        "the query nests brackets more than {MAX_NESTING} deep"
                    )));
                }
            }
            '}' | ')' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Skips to the end of a block string whose opening quotes were read.
fn skip_block_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    let mut quotes = 0;
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'"') => {
                // `\"""` is an escaped triple quote: skip its quotes.
                while chars.peek() == Some(&'"') {
                    chars.next();
                }
                quotes = 0;
            }
            '"' => {
                quotes += 1;
                if quotes == 3 {
                    return;
                }
            }
            _ => quotes = 0,
        }
    }
}

/// Checks a parsed document: the expanded size of every operation and fragment, aliases
/// per field, and every literal argument value.
pub fn check_document(document: &ExecutableDocument) -> Result<(), Refused> {
    let mut sizes = Sizes {
        fragments: &document.fragments,
        known: HashMap::new(),
        visiting: HashSet::new(),
    };
    let operations = document.operations.iter().count();
    if operations > MAX_OPERATIONS {
        return Err(Refused(format!(
            "the document holds {operations} operations; at most {MAX_OPERATIONS}"
        )));
    }
    // Validation expands every fragment and every operation: their sizes add up.
    let mut document_size = 0u64;
    let mut add = |size: u64| {
        document_size = document_size.saturating_add(size);
        if document_size > MAX_DOCUMENT_EXPANSION {
            Err(Refused(format!(
                "the document's operations and fragments expand to more than \
                 {MAX_DOCUMENT_EXPANSION} selections together"
            )))
        } else {
            Ok(())
        }
    };
    for (name, fragment) in &document.fragments {
        let size = sizes.fragment(name)?;
        if size > MAX_EXPANDED_SELECTIONS {
            return Err(too_large(&format!("fragment {name}")));
        }
        add(size)?;
        check_directives(&fragment.node.directives)?;
        check_values_in(&fragment.node.selection_set.node)?;
    }
    for (name, operation) in document.operations.iter() {
        let what = name.map_or_else(|| "the operation".to_owned(), |n| format!("operation {n}"));
        let size = sizes.set(&operation.node.selection_set.node)?;
        if size > MAX_EXPANDED_SELECTIONS {
            return Err(too_large(&what));
        }
        add(size)?;
    }
    // Every size is bounded now, so walking the expansions is cheap.
    for (_, operation) in document.operations.iter() {
        let set = &operation.node.selection_set.node;
        for variable in &operation.node.variable_definitions {
            // No directive applies to a variable definition in this schema.
            if let Some(directive) = variable.node.directives.first() {
                return Err(Refused(format!(
                    "unknown directive @{} on ${}: variable definitions take none",
                    directive.node.name.node, variable.node.name.node
                )));
            }
            if let Some(default) = &variable.node.default_value {
                check_value(&default.node, &variable.node.name.node)?;
            }
        }
        check_directives(&operation.node.directives)?;
        check_values_in(set)?;
        check_aliases(set, &document.fragments, true)?;
    }
    Ok(())
}

fn too_large(what: &str) -> Refused {
    Refused(format!(
        "{what} expands to more than {MAX_EXPANDED_SELECTIONS} selections; \
         spread each fragment fewer times"
    ))
}

/// Expanded sizes, each fragment's computed once.
struct Sizes<'a> {
    fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
    known: HashMap<&'a str, u64>,
    visiting: HashSet<&'a str>,
}

impl<'a> Sizes<'a> {
    fn fragment(&mut self, name: &'a Name) -> Result<u64, Refused> {
        if let Some(size) = self.known.get(name.as_str()) {
            return Ok(*size);
        }
        let Some(fragment) = self.fragments.get(name) else {
            // Unknown fragments are reported by validation.
            return Ok(0);
        };
        if !self.visiting.insert(name.as_str()) {
            return Err(Refused(format!("fragment {name} spreads itself")));
        }
        let size = self.set(&fragment.node.selection_set.node)?;
        self.visiting.remove(name.as_str());
        self.known.insert(name.as_str(), size);
        Ok(size)
    }

    fn set(&mut self, set: &'a SelectionSet) -> Result<u64, Refused> {
        let mut total = 0u64;
        for item in &set.items {
            let inner = match &item.node {
                Selection::Field(field) => self.set(&field.node.selection_set.node)?,
                Selection::InlineFragment(inline) => self.set(&inline.node.selection_set.node)?,
                Selection::FragmentSpread(spread) => {
                    self.fragment(&spread.node.fragment_name.node)?
                }
            };
            total = total.saturating_add(1).saturating_add(inner);
            if total > MAX_EXPANDED_SELECTIONS {
                // No need to add up the rest: the answer is already no.
                return Ok(total);
            }
        }
        Ok(total)
    }
}

/// Refuses a field that appears under more than [`MAX_ALIASES`] names in one selection
/// set, counting the fields its fragments and inline fragments bring in.
fn check_aliases<'a>(
    set: &'a SelectionSet,
    fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
    root: bool,
) -> Result<(), Refused> {
    let mut names: HashMap<&str, HashSet<&str>> = HashMap::new();
    let mut nested = Vec::new();
    let mut collector = Collector {
        fragments,
        root,
        names: &mut names,
        nested: &mut nested,
        spread: HashSet::new(),
    };
    collector.collect(set);
    for (field, keys) in names {
        if keys.len() > MAX_ALIASES {
            return Err(Refused(format!(
                "field {field} appears under {} names in one selection; at most {MAX_ALIASES}",
                keys.len()
            )));
        }
    }
    for set in nested {
        check_aliases(set, fragments, false)?;
    }
    Ok(())
}

/// Gathers the fields one selection set merges (name → response keys) that do work of
/// their own, and the selection sets of all its fields.
struct Collector<'a, 'b> {
    fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
    root: bool,
    names: &'b mut HashMap<&'a str, HashSet<&'a str>>,
    nested: &'b mut Vec<&'a SelectionSet>,
    /// Fragments already merged here: spread twice into one selection, one merges with
    /// itself.
    spread: HashSet<&'a str>,
}

impl<'a> Collector<'a, '_> {
    fn collect(&mut self, set: &'a SelectionSet) {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    if self.root || !field.arguments.is_empty() {
                        self.names
                            .entry(field.name.node.as_str())
                            .or_default()
                            .insert(field.response_key().node.as_str());
                    }
                    if !field.selection_set.node.items.is_empty() {
                        self.nested.push(&field.selection_set.node);
                    }
                }
                Selection::InlineFragment(inline) => self.collect(&inline.node.selection_set.node),
                Selection::FragmentSpread(fragment) => {
                    let name = &fragment.node.fragment_name.node;
                    if self.spread.insert(name.as_str())
                        && let Some(fragment) = self.fragments.get(name)
                    {
                        self.collect(&fragment.node.selection_set.node);
                    }
                }
            }
        }
    }
}

/// Refuses a directive the schema does not define, and one written twice in one place.
/// (Validation checks them too, but not everywhere: not on `__typename`.)
fn check_directives(directives: &[Positioned<Directive>]) -> Result<(), Refused> {
    for (i, directive) in directives.iter().enumerate() {
        let name = directive.node.name.node.as_str();
        if !EXECUTABLE_DIRECTIVES.contains(&name) {
            return Err(Refused(format!(
                "unknown directive @{name}: an operation may use @include and @skip"
            )));
        }
        if directives[..i]
            .iter()
            .any(|earlier| earlier.node.name.node == directive.node.name.node)
        {
            return Err(Refused(format!(
                "the directive @{name} is written twice in one place"
            )));
        }
        for (argument, value) in &directive.node.arguments {
            let Ok(literal) = value
                .node
                .clone()
                .into_const_with(|_| Ok::<_, std::convert::Infallible>(Value::Null));
            check_value(&literal, &argument.node)?;
        }
    }
    Ok(())
}

/// Checks every literal argument value and every directive written in a selection set.
fn check_values_in(set: &SelectionSet) -> Result<(), Refused> {
    for item in &set.items {
        let directives = match &item.node {
            Selection::Field(field) => &field.node.directives,
            Selection::InlineFragment(inline) => &inline.node.directives,
            Selection::FragmentSpread(spread) => &spread.node.directives,
        };
        check_directives(directives)?;
        match &item.node {
            Selection::Field(field) => {
                for (name, value) in &field.node.arguments {
                    // Variables are checked with the request's values.
                    let Ok(literal) = value
                        .node
                        .clone()
                        .into_const_with(|_| Ok::<_, std::convert::Infallible>(Value::Null));
                    check_value(&literal, &name.node)?;
                }
                check_values_in(&field.node.selection_set.node)?;
            }
            Selection::InlineFragment(inline) => {
                check_values_in(&inline.node.selection_set.node)?;
            }
            Selection::FragmentSpread(_) => {}
        }
    }
    Ok(())
}

/// Refuses control characters in a string and over-long lists, anywhere in `value`;
/// `at` names the argument or variable for the message.
pub fn check_value(value: &Value, at: &str) -> Result<(), Refused> {
    match value {
        Value::String(text) => check_string(text, at),
        Value::List(items) => {
            if items.len() > MAX_LIST_ITEMS {
                return Err(Refused(format!(
                    "{at} holds {} items; a list takes at most {MAX_LIST_ITEMS}",
                    items.len()
                )));
            }
            items.iter().try_for_each(|item| check_value(item, at))
        }
        Value::Object(fields) => fields
            .iter()
            .try_for_each(|(name, value)| check_value(value, &format!("{at}.{name}"))),
        _ => Ok(()),
    }
}

/// Refuses control characters other than tab, line feed and carriage return: no form
/// field holds them, and PostgreSQL refuses NUL in text.
pub fn check_string(text: &str, at: &str) -> Result<(), Refused> {
    match text
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        Some(c) => Err(Refused(format!(
            "{at} contains the control character U+{:04X}",
            u32::from(c)
        ))),
        None => Ok(()),
    }
}

/// Checks every variable of a request.
pub fn check_variables(variables: &async_graphql::Variables) -> Result<(), Refused> {
    variables
        .iter()
        .try_for_each(|(name, value)| check_value(value, &format!("${name}")))
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;

    use super::*;

    fn bomb(levels: usize) -> String {
        let mut query = String::from("query { ...F1 }\n");
        for i in 1..levels {
            query.push_str(&format!(
                "fragment F{i} on Query {{ viewer {{ role }} ...F{next} ...F{next} }}\n",
                next = i + 1
            ));
        }
        query.push_str(&format!(
            "fragment F{levels} on Query {{ viewer {{ role }} }}\n"
        ));
        query
    }

    #[test]
    fn a_fragment_bomb_is_refused_without_expanding_it() {
        let document = parse_query(bomb(60)).unwrap();
        let started = std::time::Instant::now();
        let refused = check_document(&document).unwrap_err();
        assert!(refused.0.contains("expands to more than"), "{refused:?}");
        // Linear in the text: far below a millisecond per level even in a debug build.
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn a_few_levels_of_fragments_pass() {
        let document = parse_query(bomb(5)).unwrap();
        assert_eq!(check_document(&document), Ok(()));
    }

    #[test]
    fn a_fragment_that_spreads_itself_is_refused() {
        let document =
            parse_query("query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }")
                .unwrap();
        assert!(check_document(&document).is_err());
    }

    #[test]
    fn aliases_are_counted_through_fragments() {
        let mut query = String::from("query { ");
        for i in 0..(MAX_ALIASES + 1) {
            query.push_str(&format!("...F{i} "));
        }
        query.push('}');
        for i in 0..(MAX_ALIASES + 1) {
            query.push_str(&format!(
                " fragment F{i} on Query {{ a{i}: viewer {{ role }} }}"
            ));
        }
        let refused = check_document(&parse_query(&query).unwrap()).unwrap_err();
        assert!(refused.0.contains("field viewer"), "{refused:?}");
        let fine = "query { a: viewer { role } b: viewer { role } viewer { role } }";
        assert_eq!(check_document(&parse_query(fine).unwrap()), Ok(()));
        // Aliases of a plain value below the root are left to the complexity limit.
        let plain: String = (0..50).map(|i| format!("r{i}: role ")).collect();
        let plain = format!("query {{ viewer {{ {plain} }} }}");
        assert_eq!(check_document(&parse_query(&plain).unwrap()), Ok(()));
        // A nested field with arguments counts.
        let nested: String = (0..11)
            .map(|i| format!("n{i}: nodes(ids: [\"{i}\"]) {{ id }} "))
            .collect();
        let nested = format!(
            "query {{ viewer {{ role }} a: node(id: \"x\") {{ id }} ... on Query {{ {nested} }} }}"
        );
        assert!(check_document(&parse_query(&nested).unwrap()).is_err());
    }

    #[test]
    fn control_characters_and_long_lists_in_literals_are_refused() {
        let nul = r#"query { specialists(filter: { nameContains: "a\u0000b" }) { totalCount } }"#;
        let refused = check_document(&parse_query(nul).unwrap()).unwrap_err();
        assert!(refused.0.contains("U+0000"), "{refused:?}");
        let ids = vec!["\"x\""; MAX_LIST_ITEMS + 1].join(",");
        let long = format!("query {{ nodes(ids: [{ids}]) {{ id }} }}");
        assert!(check_document(&parse_query(long).unwrap()).is_err());
        let text =
            "query { specialists(filter: { nameContains: \"tab\\tand\\nline\" }) { totalCount } }";
        assert_eq!(check_document(&parse_query(text).unwrap()), Ok(()));
    }

    #[test]
    fn a_block_string_hides_no_brackets() {
        let deep = format!(
            "{{ f(a: \"\"\" \" \\\"\"\" \"\"\", b: {}{}) }}",
            "[".repeat(MAX_NESTING + 1),
            "]".repeat(MAX_NESTING + 1)
        );
        assert!(check_text(&deep).is_err(), "{deep}");
        let fine = "{ f(a: \"\"\" {{{{ [[[[ \" \"\"\", b: \"\") }";
        assert_eq!(check_text(fine), Ok(()));
    }

    #[test]
    fn a_fragment_spread_by_many_operations_is_counted_for_each() {
        let fields: String = (0..1_000).map(|i| format!("r{i}: role ")).collect();
        let mut query = format!("fragment F on Query {{ viewer {{ {fields} }} }}\n");
        for i in 0..15 {
            query.push_str(&format!("query Q{i} {{ ...F }}\n"));
        }
        let refused = check_document(&parse_query(&query).unwrap()).unwrap_err();
        assert!(refused.0.contains("together"), "{refused:?}");
        let many: String = (0..=MAX_OPERATIONS)
            .map(|i| format!("query Q{i} {{ viewer {{ role }} }}\n"))
            .collect();
        assert!(check_document(&parse_query(&many).unwrap()).is_err());
    }

    #[test]
    fn unknown_and_repeated_directives_are_refused_everywhere() {
        for query in [
            "{ __typename @a }",
            "{ __typename @skip(if: false) @skip(if: false) }",
            "query @cached { viewer { role } }",
            "{ ...F @a } fragment F on Query { __typename }",
            "{ ... @a { __typename } }",
            "{ ...F } fragment F on Query @a { __typename }",
            "query($a: Int @a) { __typename }",
        ] {
            let document = parse_query(query).unwrap();
            assert!(check_document(&document).is_err(), "{query}");
        }
        let fine = parse_query(
            "query($s: Boolean!) { __typename @skip(if: $s) @include(if: true) viewer { role } }",
        )
        .unwrap();
        assert_eq!(check_document(&fine), Ok(()));
    }

    #[test]
    fn deep_brackets_are_refused_before_parsing() {
        let deep = format!(
            "{}{}",
            "{a".repeat(MAX_NESTING + 1),
            "}".repeat(MAX_NESTING + 1)
        );
        assert!(check_text(&deep).is_err());
        let quoted = format!("{{ a(s: \"{}\") }}", "{".repeat(500));
        assert_eq!(check_text(&quoted), Ok(()));
    }
}
