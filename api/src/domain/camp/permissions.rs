//! Who may do what in the camps: every role check of its commands and queries names
//! one of these permissions, and `tests/permissions.rs` holds the whole table.

use crate::domain::actor::{CAMP_STAFF, INDIVIDUALS, Permission};

/// Only the applicant or camp staff withdraw an application.
pub const WITHDRAW_APPLICATION: Permission = Permission {
    name: "camp.withdraw_application",
    roles: super::applications::STAFF_OR_APPLICANT,
    refusal: "only the applicant or camp staff withdraw an application",
};

/// Only the applicant or camp staff record a guardian's consent.
pub const RECORD_GUARDIAN_CONSENT: Permission = Permission {
    name: "camp.record_guardian_consent",
    roles: super::applications::STAFF_OR_APPLICANT,
    refusal: "only the applicant or camp staff record a guardian's consent",
};

/// Only camp staff decide on applications.
pub const DECIDE_APPLICATIONS: Permission = Permission {
    name: "camp.decide_applications",
    roles: CAMP_STAFF,
    refusal: "only camp staff decide on applications",
};

/// Applications are seen by camp staff and their applicants.
pub const READ_APPLICATIONS: Permission = Permission {
    name: "camp.read_applications",
    roles: super::applications::STAFF_OR_APPLICANT,
    refusal: "applications are seen by camp staff and their applicants",
};

/// Only camp staff plan cohorts.
pub const PLAN_COHORTS: Permission = Permission {
    name: "camp.plan_cohorts",
    roles: CAMP_STAFF,
    refusal: "only camp staff plan cohorts",
};

/// Only camp staff change cohorts.
pub const CHANGE_COHORTS: Permission = Permission {
    name: "camp.change_cohorts",
    roles: CAMP_STAFF,
    refusal: "only camp staff change cohorts",
};

/// Only camp staff move cohorts on.
pub const ADVANCE_COHORTS: Permission = Permission {
    name: "camp.advance_cohorts",
    roles: CAMP_STAFF,
    refusal: "only camp staff move cohorts on",
};

/// Only people acting for themselves (PERSON or SPECIALIST tokens) do this.
pub const ACT_AS_ONESELF: Permission = Permission {
    name: "camp.act_as_oneself",
    roles: INDIVIDUALS,
    refusal: "only people acting for themselves (PERSON or SPECIALIST tokens) do this",
};

/// Only people acting for themselves (PERSON or SPECIALIST tokens) keep personal details.
pub const KEEP_OWN_DETAILS: Permission = Permission {
    name: "camp.keep_own_details",
    roles: INDIVIDUALS,
    refusal: "only people acting for themselves (PERSON or SPECIALIST tokens) keep personal details",
};

/// Only camp staff change camp programs.
pub const CHANGE_PROGRAMS: Permission = Permission {
    name: "camp.change_programs",
    roles: CAMP_STAFF,
    refusal: "only camp staff change camp programs",
};

/// Every permission of the camps.
pub const ALL: &[&Permission] = &[
    &WITHDRAW_APPLICATION,
    &RECORD_GUARDIAN_CONSENT,
    &DECIDE_APPLICATIONS,
    &READ_APPLICATIONS,
    &PLAN_COHORTS,
    &CHANGE_COHORTS,
    &ADVANCE_COHORTS,
    &ACT_AS_ONESELF,
    &KEEP_OWN_DETAILS,
    &CHANGE_PROGRAMS,
];
