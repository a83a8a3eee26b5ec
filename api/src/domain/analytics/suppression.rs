//! Small-cell suppression that holds across tables sharing a total.
//!
//! Published tables are tied together by sums: the prefectures of a region add up to the
//! region, the regions to the nation, and every breakdown to the national count, which is
//! itself published. Hiding the small cells of each table on its own is not enough: a
//! region's count minus its shown prefectures gives a lone hidden one away. So the cells of
//! all related tables are suppressed together, as one set of cells and the [`Relation`]s
//! between them.
//!
//! The rule: a cell under [`MIN_CELL`] is hidden (primary suppression). Then, until
//! nothing changes, every relation that has a hidden member must have
//! - at least two hidden members (a lone one is the known sum minus the shown ones), and
//! - hidden children that add up to at least [`MIN_CELL`] (hidden cells that add up to
//!   little are all known to be little: two that add up to one person say where that
//!   person is).
//!
//! A relation that breaks either hides its smallest shown child, or its parent when every
//! child is hidden already (secondary suppression). With both conditions on every
//! relation of a hierarchy, each hidden cell can move by at least [`MIN_CELL`] while every
//! published sum stays true, so no hidden cell is pinned down to fewer than ten values by
//! the published ones; the disclosure test checks this by solving for every hidden cell's
//! least and greatest value as an auditor would.

/// The smallest count a cell may show.
pub const MIN_CELL: u64 = 10;

/// One published sum: `parent` (a cell index, or `None` for a total that is always
/// published, such as the national count) equals the sum of `children`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub parent: Option<usize>,
    pub children: Vec<usize>,
}

/// Which of `values` to hide, given the sums that tie them together.
pub fn suppress(values: &[u64], relations: &[Relation]) -> Vec<bool> {
    let mut hidden: Vec<bool> = values.iter().map(|n| *n < MIN_CELL).collect();
    loop {
        let mut changed = false;
        for relation in relations {
            if let Some(cell) = complement(values, &hidden, relation) {
                hidden[cell] = true;
                changed = true;
            }
        }
        if !changed {
            return hidden;
        }
    }
}

/// The cell `relation` needs hidden next, if it has a hidden member but gives one away.
fn complement(values: &[u64], hidden: &[bool], relation: &Relation) -> Option<usize> {
    let hidden_children = relation.children.iter().filter(|c| hidden[**c]);
    let hidden_sum: u64 = hidden_children.clone().map(|c| values[*c]).sum();
    let members = hidden_children.count() + usize::from(relation.parent.is_some_and(|p| hidden[p]));
    if members == 0 || (members >= 2 && hidden_sum >= MIN_CELL) {
        return None;
    }
    relation
        .children
        .iter()
        .copied()
        .filter(|c| !hidden[*c])
        .min_by_key(|c| (values[*c], *c))
        .or(relation.parent.filter(|p| !hidden[*p]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(n: usize) -> Vec<Relation> {
        vec![Relation {
            parent: None,
            children: (0..n).collect(),
        }]
    }

    #[test]
    fn a_lone_small_cell_takes_the_smallest_other_with_it() {
        let hidden = suppress(&[120, 3, 45, 30], &flat(4));
        assert_eq!(hidden, [false, true, false, true]);
    }

    #[test]
    fn cells_under_ten_are_hidden_and_large_ones_shown() {
        assert_eq!(
            suppress(&[10, 9, 4, 11], &flat(4)),
            [false, true, true, false]
        );
        assert_eq!(suppress(&[10, 20], &flat(2)), [false, false]);
    }

    #[test]
    fn hidden_cells_that_add_up_to_little_take_a_shown_one_with_them() {
        // Two empty cells hidden alone would both be known to be zero; a one and a zero,
        // that one person is in one of them.
        assert_eq!(
            suppress(&[0, 0, 40, 25], &flat(4)),
            [true, true, false, true]
        );
        assert_eq!(
            suppress(&[1, 0, 40, 25], &flat(4)),
            [true, true, false, true]
        );
        // Hidden cells that add up to ten or more are enough.
        assert_eq!(suppress(&[6, 5, 40], &flat(3)), [true, true, false]);
    }

    #[test]
    fn a_table_too_small_to_protect_hides_everything_it_can() {
        // Five people in all: every cell is small, and the total is published anyway.
        assert_eq!(suppress(&[2, 3, 0], &flat(3)), [true, true, true]);
        // A region of empty prefectures: hidden with its empty prefectures, and with the
        // other region, whose smaller prefecture then goes too.
        let relations = vec![
            Relation {
                parent: None,
                children: vec![2, 5],
            },
            Relation {
                parent: Some(2),
                children: vec![0, 1],
            },
            Relation {
                parent: Some(5),
                children: vec![3, 4],
            },
        ];
        let hidden = suppress(&[0, 0, 0, 30, 40, 70], &relations);
        assert_eq!(hidden, [true, true, true, true, false, true]);
    }

    #[test]
    fn a_lone_hidden_cell_within_a_shown_parent_takes_a_sibling() {
        // Cells 0–3 are the prefectures of region 4, cells 5 and 6 those of region 7; the
        // two regions add up to the national total.
        let relations = vec![
            Relation {
                parent: None,
                children: vec![4, 7],
            },
            Relation {
                parent: Some(4),
                children: vec![0, 1, 2, 3],
            },
            Relation {
                parent: Some(7),
                children: vec![5, 6],
            },
        ];
        let hidden = suppress(&[50, 5, 30, 20, 105, 40, 60, 100], &relations);
        // Prefecture 1 (5) is small; the region is shown, so prefecture 3 (20) goes too.
        assert_eq!(
            hidden,
            [false, true, false, true, false, false, false, false]
        );
    }

    #[test]
    fn a_region_of_one_prefecture_hides_with_it() {
        // Region 1 holds prefecture 0 alone; region 3 holds prefecture 2.
        let relations = vec![
            Relation {
                parent: None,
                children: vec![1, 3],
            },
            Relation {
                parent: Some(1),
                children: vec![0],
            },
            Relation {
                parent: Some(3),
                children: vec![2],
            },
        ];
        let hidden = suppress(&[7, 7, 90, 90], &relations);
        // The region equals its prefecture, and the nation minus the other region gives
        // it: all four are hidden.
        assert_eq!(hidden, [true, true, true, true]);
    }
}
