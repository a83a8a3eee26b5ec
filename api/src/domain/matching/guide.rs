//! The SME Basic Act's lines, and the 4-step practical guide's self-assessment.

use std::collections::BTreeMap;

use super::types::SmeSector;
use crate::domain::industry::Industry;

/// The sector a JSIC division falls in under the SME Basic Act, when the division decides
/// it alone. Wholesale and retail (I) and accommodation and food (M) span two sectors, and
/// the company must say which.
pub fn sector_of(industry: Industry) -> Option<SmeSector> {
    use Industry::*;
    match industry {
        WholesaleAndRetail | AccommodationAndFood => None,
        InformationAndCommunications
        | RealEstateAndRental
        | ProfessionalAndTechnicalServices
        | PersonalServicesAndAmusement
        | Education
        | MedicalAndWelfare
        | CompoundServices
        | OtherServices => Some(SmeSector::Services),
        _ => Some(SmeSector::ManufacturingAndOthers),
    }
}

/// The sectors a company of this division may name.
pub fn sectors_for(industry: Industry) -> &'static [SmeSector] {
    match industry {
        Industry::WholesaleAndRetail => &[SmeSector::Wholesale, SmeSector::Retail],
        Industry::AccommodationAndFood => &[SmeSector::Services, SmeSector::Retail],
        _ => &[],
    }
}

/// The capital (yen) and regular-employee lines of a sector.
pub fn lines(sector: SmeSector) -> (i64, i32) {
    match sector {
        SmeSector::ManufacturingAndOthers => (300_000_000, 300),
        SmeSector::Wholesale => (100_000_000, 100),
        SmeSector::Services => (50_000_000, 100),
        SmeSector::Retail => (50_000_000, 50),
    }
}

/// Whether a company is an SME: its capital *or* its employees at or below the line.
pub fn is_sme(sector: SmeSector, capital_yen: i64, employees: i32) -> bool {
    let (capital_line, employee_line) = lines(sector);
    capital_yen <= capital_line || employees <= employee_line
}

/// One yes/no question of the self-assessment: "no" makes its task one to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    pub code: &'static str,
    /// The guide's step (1–4) it belongs to.
    pub step: i16,
    pub text_ja: &'static str,
    pub text_en: &'static str,
    /// What to do when the answer is no.
    pub task: &'static str,
}

macro_rules! questions {
    ($(($code:literal, $step:literal, $ja:literal, $en:literal, $task:literal)),* $(,)?) => {
        /// The self-assessment, step by step.
        pub const QUESTIONS: &[Question] = &[
            $(Question { code: $code, step: $step, text_ja: $ja, text_en: $en, task: $task }),*
        ];
    };
}

questions![
    (
        "S1_UPDATES",
        1,
        "OSやソフトウェアを最新の状態にしている",
        "Operating systems and software are kept up to date",
        "Turn on automatic updates for every PC, phone and piece of software."
    ),
    (
        "S1_ANTIVIRUS",
        1,
        "ウイルス対策ソフトを導入し定義ファイルを最新にしている",
        "Anti-malware runs everywhere with current definitions",
        "Install anti-malware on every device and keep it updated."
    ),
    (
        "S1_PASSWORDS",
        1,
        "パスワードを強化し使い回していない",
        "Passwords are strong and not reused or shared",
        "Use long, unique passwords and turn on multi-factor authentication."
    ),
    (
        "S1_SHARING",
        1,
        "共有設定を見直している",
        "Sharing settings of cloud services and devices are reviewed",
        "Review who can see shared folders, cloud files and devices."
    ),
    (
        "S1_THREATS",
        1,
        "脅威や攻撃の手口を知っている",
        "Staff know current threats and scams",
        "Tell staff about current scams (phishing, fake invoices) and how to report them."
    ),
    (
        "S1_PERSON_IN_CHARGE",
        1,
        "担当者を決め、相談先を確保している",
        "One person is in charge, with outside help identified",
        "Name one person in charge of security and find outside help (e.g. a registered specialist)."
    ),
    (
        "S2_POLICY",
        2,
        "情報セキュリティ基本方針を定め周知している",
        "A basic security policy is written and shared",
        "Write the basic security policy and share it with all staff."
    ),
    (
        "S2_SELF_CHECK",
        2,
        "5分でできる自社診断を実施した",
        "The 25-question self-check has been done",
        "Run the 25-question self-check and note the weak points."
    ),
    (
        "S2_ASSETS",
        2,
        "守るべき情報資産を洗い出している",
        "The information assets to protect are listed",
        "List the information you hold, where it is and who may use it."
    ),
    (
        "S2_INCIDENT_CONTACTS",
        2,
        "事故発生時の連絡先を決めている",
        "Whom to call in an incident is decided",
        "Decide whom to call in an incident, inside and outside the company."
    ),
    (
        "S3_STRUCTURE",
        3,
        "管理体制（役割・会議）を整備している",
        "A management structure for security is set",
        "Set roles and a regular meeting for security, reporting to management."
    ),
    (
        "S3_BUDGET",
        3,
        "セキュリティ予算を確保している",
        "A security budget is planned",
        "Plan a yearly security budget for tools, services and training."
    ),
    (
        "S3_RULES",
        3,
        "規程・手順書を整備している",
        "Rules and procedures are written",
        "Write the rules and procedures that put the policy into practice."
    ),
    (
        "S3_TRAINING",
        3,
        "従業員教育を定期的に行っている",
        "Staff are trained regularly",
        "Train staff at least yearly and after incidents."
    ),
    (
        "S4_REVIEW",
        4,
        "対策を定期的に見直し改善している",
        "Measures are reviewed and improved at least yearly",
        "Review the measures every year and plan improvements."
    ),
    (
        "S4_AUDIT",
        4,
        "内部または外部の監査を受けている",
        "Internal or external audits are done",
        "Have the measures audited, internally or by an outside party."
    ),
    (
        "S4_SUPPLIERS",
        4,
        "取引先・委託先の対策を確認している",
        "Suppliers' and contractors' security is checked",
        "Check suppliers' and contractors' security, e.g. against the ★3 requirements."
    ),
];

/// What a self-assessment yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// The first step with something left to do (4 when everything is done).
    pub recommended_step: i16,
    /// The tasks of that step still to do, in the guide's order.
    pub next_tasks: Vec<&'static Question>,
}

/// Assesses answers by question code: unanswered questions count as not done.
pub fn assess(answers: &BTreeMap<String, bool>) -> Assessment {
    let open = |q: &&Question| !answers.get(q.code).copied().unwrap_or(false);
    for step in 1..=4 {
        let tasks: Vec<&'static Question> = QUESTIONS
            .iter()
            .filter(|q| q.step == step)
            .filter(open)
            .collect();
        if !tasks.is_empty() {
            return Assessment {
                recommended_step: step,
                next_tasks: tasks,
            };
        }
    }
    Assessment {
        recommended_step: 4,
        next_tasks: Vec::new(),
    }
}

/// The question of a code.
pub fn question(code: &str) -> Option<&'static Question> {
    QUESTIONS.iter().find(|q| q.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sme_lines_follow_the_act() {
        use SmeSector::*;
        // Either line suffices.
        assert!(is_sme(ManufacturingAndOthers, 300_000_000, 5_000));
        assert!(is_sme(ManufacturingAndOthers, 10_000_000_000, 300));
        assert!(!is_sme(ManufacturingAndOthers, 300_000_001, 301));
        assert!(is_sme(Wholesale, 100_000_000, 1_000));
        assert!(!is_sme(Wholesale, 100_000_001, 101));
        assert!(is_sme(Services, 1_000_000_000, 100));
        assert!(!is_sme(Services, 50_000_001, 101));
        assert!(is_sme(Retail, 50_000_000, 1_000));
        assert!(!is_sme(Retail, 50_000_001, 51));
    }

    #[test]
    fn divisions_spanning_two_sectors_need_a_choice() {
        assert_eq!(sector_of(Industry::WholesaleAndRetail), None);
        assert_eq!(sector_of(Industry::AccommodationAndFood), None);
        assert_eq!(
            sector_of(Industry::Manufacturing),
            Some(SmeSector::ManufacturingAndOthers)
        );
        assert_eq!(
            sector_of(Industry::OtherServices),
            Some(SmeSector::Services)
        );
        for industry in Industry::ALL {
            assert_eq!(
                sector_of(*industry).is_none(),
                !sectors_for(*industry).is_empty()
            );
        }
    }

    #[test]
    fn the_first_step_with_open_tasks_is_recommended() {
        let mut answers = BTreeMap::new();
        let first = assess(&answers);
        assert_eq!(first.recommended_step, 1);
        assert_eq!(first.next_tasks.len(), 6);
        for q in QUESTIONS.iter().filter(|q| q.step == 1) {
            answers.insert(q.code.to_owned(), true);
        }
        answers.insert("S2_POLICY".to_owned(), true);
        let second = assess(&answers);
        assert_eq!(second.recommended_step, 2);
        assert_eq!(
            second.next_tasks.iter().map(|q| q.code).collect::<Vec<_>>(),
            ["S2_SELF_CHECK", "S2_ASSETS", "S2_INCIDENT_CONTACTS"]
        );
        for q in QUESTIONS {
            answers.insert(q.code.to_owned(), true);
        }
        let done = assess(&answers);
        assert_eq!((done.recommended_step, done.next_tasks.len()), (4, 0));
    }
}
