//! The auditor's attack on suppressed tables: every published sum is an equation, every
//! hidden cell an unknown of at least zero; a hidden cell is *disclosed* when the
//! equations leave it a single possible whole number. Each hidden cell's least and
//! greatest values come from a linear program (microlp), so no combination of published
//! sums is missed.

use std::collections::BTreeMap;

use microlp::{ComparisonOp, OptimizationDirection, Problem};

/// How far apart a hidden cell's least and greatest possible values must be: as wide as
/// the smallest count a cell may show.
pub const PROTECTION: f64 = 10.0;

/// A cell as an equation sees it: a published count, or an unknown named by its table and
/// key.
#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    Known(u64),
    Hidden(String),
}

/// Published tables, as the equations an auditor can write from them.
#[derive(Debug, Default)]
pub struct Auditor {
    /// Each equation: the terms that add up to `total` (a published number) or to another term.
    sums: Vec<(Vec<Term>, Term)>,
}

impl Auditor {
    /// Records that `parts` add up to `whole`.
    pub fn sum(&mut self, parts: Vec<Term>, whole: Term) {
        self.sums.push((parts, whole));
    }

    /// Every hidden cell the published sums narrow to less than [`PROTECTION`], with its
    /// least and greatest values.
    pub fn disclosed(&self) -> BTreeMap<String, (f64, f64)> {
        let mut names: Vec<&str> = Vec::new();
        for (parts, whole) in &self.sums {
            for term in parts.iter().chain(std::iter::once(whole)) {
                if let Term::Hidden(name) = term
                    && !names.contains(&name.as_str())
                {
                    names.push(name);
                }
            }
        }
        let mut found = BTreeMap::new();
        for (i, name) in names.iter().enumerate() {
            let least = self.extreme(&names, i, OptimizationDirection::Minimize);
            let most = self.extreme(&names, i, OptimizationDirection::Maximize);
            if most - least < PROTECTION - 1e-6 {
                found.insert((*name).to_owned(), (least, most));
            }
        }
        found
    }

    /// The least or greatest value the hidden cell `names[target]` can take.
    fn extreme(&self, names: &[&str], target: usize, direction: OptimizationDirection) -> f64 {
        let mut problem = Problem::new(direction);
        let vars: Vec<_> = (0..names.len())
            .map(|i| problem.add_var(if i == target { 1.0 } else { 0.0 }, (0.0, f64::INFINITY)))
            .collect();
        let index = |name: &str| names.iter().position(|n| *n == name).unwrap();
        for (parts, whole) in &self.sums {
            let mut terms: BTreeMap<usize, f64> = BTreeMap::new();
            let mut rhs = 0.0;
            for (term, sign) in parts
                .iter()
                .map(|t| (t, 1.0))
                .chain(std::iter::once((whole, -1.0)))
            {
                match term {
                    Term::Known(n) => rhs -= sign * *n as f64,
                    Term::Hidden(name) => *terms.entry(index(name)).or_default() += sign,
                }
            }
            if terms.is_empty() {
                assert!(
                    rhs.abs() < 1e-9,
                    "a published sum does not add up: {parts:?} = {whole:?}"
                );
                continue;
            }
            problem.add_constraint(
                terms
                    .into_iter()
                    .map(|(i, c)| (vars[i], c))
                    .collect::<Vec<_>>(),
                ComparisonOp::Eq,
                rhs,
            );
        }
        problem
            .solve()
            .unwrap_or_else(|e| panic!("the published tables admit no counts: {e:?}"))
            .objective()
    }
}

#[test]
fn the_auditor_finds_a_lone_hidden_cell_and_spares_a_pair() {
    let mut lone = Auditor::default();
    lone.sum(
        vec![Term::Known(40), Term::Hidden("a".into()), Term::Known(30)],
        Term::Known(75),
    );
    assert_eq!(lone.disclosed().len(), 1);

    let mut pair = Auditor::default();
    pair.sum(
        vec![
            Term::Known(40),
            Term::Hidden("a".into()),
            Term::Hidden("b".into()),
        ],
        Term::Known(75),
    );
    assert!(pair.disclosed().is_empty());

    // Two hidden cells that add up to nothing are both known to be zero.
    let mut zeros = Auditor::default();
    zeros.sum(
        vec![
            Term::Known(75),
            Term::Hidden("a".into()),
            Term::Hidden("b".into()),
        ],
        Term::Known(75),
    );
    assert_eq!(zeros.disclosed().len(), 2);
}
