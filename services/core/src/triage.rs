//! The triage protocol: questions a call-taker asks, in Kazakh, Russian and English, and rules
//! that turn the answers into an urgency [`Category`] and a determinant code. A protocol is
//! data (`data/protocols/*.json`), checked whole when loaded: a broken file never runs.
//!
//! **Evaluation.** Rules are tried in order and the first whose conditions all hold fires; the
//! last rule has no conditions, so a complete set of answers always yields a category. While
//! answers are missing the protocol only concludes when the outcome can no longer change: a
//! rule fires once every rule before it is certainly false. A question that is not asked
//! (its `ask_when` is false) counts as answered with none of the listed answers. So "not
//! breathing" is category 1 at once, while "chest pain" waits until consciousness and
//! breathing are known, and partial answers never fall through to the category-4 fallback.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::category::{Category, HospitalProfile};
use crate::local_time::Micros;

/// The protocol in force in Kazakhstan, as shipped.
pub const KZ_TRIAGE_V1: &str = include_str!("../../../data/protocols/kz-triage-v1.json");

/// A text in the three working languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalizedText {
    /// Kazakh.
    pub kk: String,
    /// Russian.
    pub ru: String,
    /// English.
    pub en: String,
}

impl LocalizedText {
    fn is_complete(&self) -> bool {
        [&self.kk, &self.ru, &self.en].iter().all(|t| !t.trim().is_empty())
    }
}

/// Holds when a question was answered with one of the listed answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Question tested.
    pub question_id: String,
    /// Answers that satisfy the condition.
    pub answer_ids: Vec<String>,
}

/// A possible answer to a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// Identifier, unique within its question.
    pub id: String,
    /// The answer as shown to the call-taker.
    pub text: LocalizedText,
}

/// A question the call-taker asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Identifier, unique within the protocol.
    pub id: String,
    /// The question as read to the caller.
    pub text: LocalizedText,
    /// Guidance for the call-taker; all three languages empty when there is none.
    #[serde(default)]
    pub hint: LocalizedText,
    /// Possible answers; exactly one is chosen.
    pub answers: Vec<Answer>,
    /// Ask only when all these hold (about earlier questions); empty = always ask.
    #[serde(default)]
    pub ask_when: Vec<Condition>,
}

/// A rule mapping answers to a category and determinant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Determinant code recorded on the call when the rule fires, e.g. `STROKE_SIGNS`.
    pub determinant: String,
    /// Human name of the determinant.
    pub name: LocalizedText,
    /// Category the rule yields.
    pub category: Category,
    /// Conditions that must all hold; empty only for the last (fallback) rule.
    pub conditions: Vec<Condition>,
    /// Hospital profiles the condition usually needs.
    #[serde(default)]
    pub hospital_profiles: Vec<HospitalProfile>,
}

/// The protocol file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProtocolFile {
    version: String,
    title: LocalizedText,
    effective_at: String,
    questions: Vec<Question>,
    rules: Vec<Rule>,
}

/// A checked version of the triage protocol. Immutable: a change is a new version.
#[derive(Debug, Clone, PartialEq)]
pub struct Protocol {
    /// Version identifier, e.g. `kz-triage-v1`.
    pub version: String,
    /// Human title.
    pub title: LocalizedText,
    /// When this version came into force.
    pub effective_at: Micros,
    /// Questions in the order the call-taker asks them.
    pub questions: Vec<Question>,
    /// Rules in evaluation order.
    pub rules: Vec<Rule>,
}

/// Why a protocol file is refused: every problem found, each naming where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("triage protocol is invalid: {}", .0.join("; "))]
pub struct ProtocolError(pub Vec<String>);

/// One answer given to one question, as a call-taker records it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GivenAnswer {
    /// Question answered.
    pub question_id: String,
    /// Answer chosen.
    pub answer_id: String,
}

/// Why a given answer does not fit the protocol; `index` is its position in the list given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// No question with this id.
    #[error("question {question_id:?} is not in protocol {version}")]
    UnknownQuestion {
        /// Position in the answers given.
        index: usize,
        /// The id given.
        question_id: String,
        /// The protocol.
        version: String,
    },
    /// The question has no answer with this id.
    #[error("question {question_id:?} has no answer {answer_id:?}")]
    UnknownAnswer {
        /// Position in the answers given.
        index: usize,
        /// The question.
        question_id: String,
        /// The id given.
        answer_id: String,
    },
    /// The question was answered twice.
    #[error("question {question_id:?} is answered more than once")]
    Repeated {
        /// Position of the second answer.
        index: usize,
        /// The question.
        question_id: String,
    },
}

impl AnswerError {
    /// Position of the offending answer in the list given.
    pub fn index(&self) -> usize {
        match self {
            AnswerError::UnknownQuestion { index, .. }
            | AnswerError::UnknownAnswer { index, .. }
            | AnswerError::Repeated { index, .. } => *index,
        }
    }

    /// Which field of the answer is at fault: `question_id` or `answer_id`.
    pub fn field(&self) -> &'static str {
        match self {
            AnswerError::UnknownAnswer { .. } => "answer_id",
            AnswerError::UnknownQuestion { .. } | AnswerError::Repeated { .. } => "question_id",
        }
    }
}

/// What the protocol concludes from a set of answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evaluation<'p> {
    /// A rule fired.
    Decided(&'p Rule),
    /// No rule can fire yet; these questions can be asked now, in protocol order.
    Undecided {
        /// The questions to ask next.
        next_questions: Vec<&'p Question>,
    },
}

impl<'p> Evaluation<'p> {
    /// The rule that fired, if any.
    pub fn rule(&self) -> Option<&'p Rule> {
        match self {
            Evaluation::Decided(rule) => Some(rule),
            Evaluation::Undecided { .. } => None,
        }
    }
}

/// Three-valued truth of a condition while answers are missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Truth {
    True,
    False,
    Unknown,
}

fn all(truths: impl IntoIterator<Item = Truth>) -> Truth {
    let mut result = Truth::True;
    for truth in truths {
        match truth {
            Truth::False => return Truth::False,
            Truth::Unknown => result = Truth::Unknown,
            Truth::True => {}
        }
    }
    result
}

/// Where a question stands given the answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuestionState<'a> {
    /// Asked and answered.
    Answered(&'a str),
    /// Not asked: its `ask_when` is false (any answer given is disregarded).
    Skipped,
    /// Not answered yet, and may still need asking.
    Pending {
        /// Whether its `ask_when` already holds, so it can be asked now.
        askable: bool,
    },
}

impl Protocol {
    /// Parses and checks a protocol file (JSON). Every problem is reported, not just the first.
    pub fn from_json(text: &str) -> Result<Protocol, ProtocolError> {
        let file: ProtocolFile =
            serde_json::from_str(text).map_err(|e| ProtocolError(vec![format!("not a protocol file: {e}")]))?;
        let effective_at = chrono::DateTime::parse_from_rfc3339(&file.effective_at)
            .map(|t| t.timestamp_micros())
            .map_err(|e| ProtocolError(vec![format!("effective_at {:?}: {e}", file.effective_at)]));
        let protocol = Protocol {
            version: file.version,
            title: file.title,
            effective_at: effective_at.as_ref().copied().unwrap_or_default(),
            questions: file.questions,
            rules: file.rules,
        };
        let mut problems = effective_at.err().map(|e| e.0).unwrap_or_default();
        problems.extend(protocol.problems());
        if problems.is_empty() { Ok(protocol) } else { Err(ProtocolError(problems)) }
    }

    /// Everything wrong with the protocol's structure.
    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.version.trim().is_empty() {
            problems.push("version is empty".to_string());
        }
        if !self.title.is_complete() {
            problems.push("title needs kk, ru and en".to_string());
        }
        if self.questions.is_empty() {
            problems.push("there are no questions".to_string());
        }
        let mut seen: HashMap<&str, &Question> = HashMap::new();
        for question in &self.questions {
            let at = format!("question {:?}", question.id);
            if question.id.trim().is_empty() {
                problems.push("a question has an empty id".to_string());
            }
            if !question.text.is_complete() {
                problems.push(format!("{at}: text needs kk, ru and en"));
            }
            if question.hint != LocalizedText::default() && !question.hint.is_complete() {
                problems.push(format!("{at}: hint needs kk, ru and en (or none)"));
            }
            if question.answers.len() < 2 {
                problems.push(format!("{at}: needs at least two answers"));
            }
            let mut answer_ids = HashSet::new();
            for answer in &question.answers {
                if answer.id.trim().is_empty() || !answer_ids.insert(answer.id.as_str()) {
                    problems.push(format!("{at}: answer id {:?} is empty or repeated", answer.id));
                }
                if !answer.text.is_complete() {
                    problems.push(format!("{at}: answer {:?} text needs kk, ru and en", answer.id));
                }
            }
            // ask_when may only look back, so the questions can be asked in order.
            check_conditions(&question.ask_when, &seen, &format!("{at} ask_when"), &mut problems);
            if seen.insert(question.id.as_str(), question).is_some() {
                problems.push(format!("{at}: id is repeated"));
            }
        }
        if self.rules.is_empty() {
            problems.push("there are no rules".to_string());
        }
        let mut determinants = HashSet::new();
        for (i, rule) in self.rules.iter().enumerate() {
            let at = format!("rule {:?}", rule.determinant);
            let well_formed = !rule.determinant.is_empty()
                && rule.determinant.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
            if !well_formed {
                problems.push(format!("{at}: determinant must be UPPER_SNAKE_CASE"));
            }
            if !determinants.insert(rule.determinant.as_str()) {
                problems.push(format!("{at}: determinant is repeated"));
            }
            if !rule.name.is_complete() {
                problems.push(format!("{at}: name needs kk, ru and en"));
            }
            let last = i + 1 == self.rules.len();
            match (last, rule.conditions.is_empty()) {
                (true, false) => problems.push(format!("{at}: the last rule must have no conditions (the fallback)")),
                (false, true) => problems.push(format!("{at}: only the last rule may have no conditions")),
                _ => {}
            }
            check_conditions(&rule.conditions, &seen, &format!("{at} conditions"), &mut problems);
        }
        problems
    }

    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The rule with this determinant.
    pub fn rule(&self, determinant: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.determinant == determinant)
    }

    /// Checks answers against the protocol: each names a question and one of its answers,
    /// and no question is answered twice. Returns every problem.
    pub fn check_answers(&self, answers: &[GivenAnswer]) -> Result<(), Vec<AnswerError>> {
        let mut errors = Vec::new();
        let mut answered = HashSet::new();
        for (index, given) in answers.iter().enumerate() {
            let Some(question) = self.question(&given.question_id) else {
                errors.push(AnswerError::UnknownQuestion {
                    index,
                    question_id: given.question_id.clone(),
                    version: self.version.clone(),
                });
                continue;
            };
            if !question.answers.iter().any(|a| a.id == given.answer_id) {
                errors.push(AnswerError::UnknownAnswer {
                    index,
                    question_id: given.question_id.clone(),
                    answer_id: given.answer_id.clone(),
                });
            }
            if !answered.insert(given.question_id.as_str()) {
                errors.push(AnswerError::Repeated { index, question_id: given.question_id.clone() });
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// Runs the protocol over answers (checked with [`Protocol::check_answers`]; answers to
    /// unknown questions are ignored).
    pub fn evaluate(&self, answers: &[GivenAnswer]) -> Evaluation<'_> {
        let given: HashMap<&str, &str> =
            answers.iter().map(|a| (a.question_id.as_str(), a.answer_id.as_str())).collect();
        let states = self.question_states(&given);
        for rule in &self.rules {
            match all(rule.conditions.iter().map(|c| condition_truth(c, &states))) {
                Truth::True => return Evaluation::Decided(rule),
                Truth::False => continue,
                Truth::Unknown => break,
            }
        }
        let next_questions = self
            .questions
            .iter()
            .filter(|q| matches!(states.get(q.id.as_str()), Some(QuestionState::Pending { askable: true })))
            .collect();
        Evaluation::Undecided { next_questions }
    }

    /// The state of every question, in order (ask_when only looks back, so one pass does).
    fn question_states<'a>(&'a self, given: &HashMap<&str, &'a str>) -> HashMap<&'a str, QuestionState<'a>> {
        let mut states = HashMap::new();
        for question in &self.questions {
            let ask = all(question.ask_when.iter().map(|c| condition_truth(c, &states)));
            let state = match (ask, given.get(question.id.as_str())) {
                (Truth::False, _) => QuestionState::Skipped,
                (_, Some(answer)) => QuestionState::Answered(answer),
                (truth, None) => QuestionState::Pending { askable: truth == Truth::True },
            };
            states.insert(question.id.as_str(), state);
        }
        states
    }
}

fn condition_truth(condition: &Condition, states: &HashMap<&str, QuestionState<'_>>) -> Truth {
    match states.get(condition.question_id.as_str()) {
        Some(QuestionState::Answered(answer)) => {
            if condition.answer_ids.iter().any(|a| a == answer) {
                Truth::True
            } else {
                Truth::False
            }
        }
        Some(QuestionState::Skipped) => Truth::False,
        Some(QuestionState::Pending { .. }) => Truth::Unknown,
        // Checked at load: conditions only name known questions.
        None => Truth::False,
    }
}

fn check_conditions(
    conditions: &[Condition],
    questions: &HashMap<&str, &Question>,
    at: &str,
    problems: &mut Vec<String>,
) {
    let mut tested = HashSet::new();
    for condition in conditions {
        let Some(question) = questions.get(condition.question_id.as_str()) else {
            problems.push(format!("{at}: question {:?} is not defined before it", condition.question_id));
            continue;
        };
        if !tested.insert(condition.question_id.as_str()) {
            problems.push(format!("{at}: question {:?} is tested twice", condition.question_id));
        }
        if condition.answer_ids.is_empty() {
            problems.push(format!("{at}: condition on {:?} lists no answers", condition.question_id));
        }
        for answer in &condition.answer_ids {
            if !question.answers.iter().any(|a| &a.id == answer) {
                problems.push(format!("{at}: question {:?} has no answer {answer:?}", condition.question_id));
            }
        }
    }
}

/// The protocol versions a deployment knows, for looking one up by version or by date.
#[derive(Debug, Clone)]
pub struct Protocols {
    versions: Vec<Protocol>,
}

impl Protocols {
    /// The versions given, which must have distinct version strings (and at least one).
    pub fn new(versions: Vec<Protocol>) -> Result<Protocols, ProtocolError> {
        let mut seen = HashSet::new();
        let mut problems = Vec::new();
        if versions.is_empty() {
            problems.push("no protocol version".to_string());
        }
        for protocol in &versions {
            if !seen.insert(protocol.version.clone()) {
                problems.push(format!("protocol version {:?} is repeated", protocol.version));
            }
        }
        if problems.is_empty() { Ok(Protocols { versions }) } else { Err(ProtocolError(problems)) }
    }

    /// The protocols shipped with Jedel.
    pub fn builtin() -> Result<Protocols, ProtocolError> {
        Protocols::new(vec![Protocol::from_json(KZ_TRIAGE_V1)?])
    }

    /// The version with this identifier.
    pub fn get(&self, version: &str) -> Option<&Protocol> {
        self.versions.iter().find(|p| p.version == version)
    }

    /// The version in force at `at`: the latest one effective by then, or the earliest one
    /// when none was yet.
    pub fn in_force(&self, at: Micros) -> &Protocol {
        let effective = self.versions.iter().filter(|p| p.effective_at <= at).max_by_key(|p| p.effective_at);
        // `new` refuses an empty list, so a minimum always exists.
        effective.or_else(|| self.versions.iter().min_by_key(|p| p.effective_at)).unwrap_or(&self.versions[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn protocol() -> Protocol {
        Protocol::from_json(KZ_TRIAGE_V1).unwrap()
    }

    fn answers(pairs: &[(&str, &str)]) -> Vec<GivenAnswer> {
        pairs.iter().map(|(q, a)| GivenAnswer { question_id: q.to_string(), answer_id: a.to_string() }).collect()
    }

    /// The answers of a conscious adult, breathing normally, without signs of shock, whose
    /// main problem is `problem`, plus `more`.
    fn awake(problem: &str, more: &[(&'static str, &'static str)]) -> Vec<(&'static str, String)> {
        let mut list = vec![
            ("conscious", "yes".to_string()),
            ("breathing", "normal".to_string()),
            ("shock_signs", "no".to_string()),
            ("main_problem", problem.to_string()),
        ];
        list.extend(more.iter().map(|(q, a)| (*q, a.to_string())));
        list
    }

    /// Every determinant with a path of answers that reaches it. A rule added to the file
    /// without a path here fails `every_rule_has_a_tested_path`.
    /// A determinant, its category, and answers that reach it.
    type Path = (&'static str, u8, Vec<(&'static str, String)>);

    fn paths() -> Vec<Path> {
        let own = |pairs: &[(&'static str, &str)]| pairs.iter().map(|(q, a)| (*q, a.to_string())).collect::<Vec<_>>();
        vec![
            ("CARDIAC_ARREST", 1, own(&[("breathing", "not_breathing")])),
            ("CARDIAC_ARREST", 1, own(&[("conscious", "no"), ("breathing", "not_breathing")])),
            ("UNCONSCIOUS", 1, own(&[("conscious", "no"), ("breathing", "normal")])),
            ("UNCONSCIOUS", 1, own(&[("conscious", "no"), ("breathing", "unknown")])),
            (
                "RESPIRATORY_DISTRESS",
                1,
                own(&[("breathing", "difficult"), ("conscious", "yes"), ("breathing_severity", "severe")]),
            ),
            ("SHOCK", 1, own(&[("conscious", "yes"), ("breathing", "normal"), ("shock_signs", "yes")])),
            ("CONVULSIONS_ONGOING", 1, awake("convulsions", &[("seizure_state", "ongoing")])),
            ("ANAPHYLAXIS", 1, awake("allergic_reaction", &[("allergy_signs", "severe")])),
            ("MAJOR_TRAUMA", 1, awake("trauma", &[("trauma_kind", "major_mechanism")])),
            ("MULTIPLE_INJURIES", 1, awake("trauma", &[("trauma_kind", "multiple_injuries")])),
            ("MULTIPLE_CASUALTIES", 1, awake("trauma", &[("trauma_kind", "multiple_casualties")])),
            ("BURNS_MAJOR", 1, awake("burns", &[("burn_extent", "major")])),
            ("BLEEDING_SEVERE", 1, awake("bleeding", &[("bleeding_severity", "severe")])),
            ("OBSTETRIC_EMERGENCY", 1, awake("pregnancy", &[("pregnancy_problem", "birth_imminent")])),
            ("OBSTETRIC_EMERGENCY", 1, awake("pregnancy", &[("pregnancy_problem", "heavy_bleeding")])),
            ("OBSTETRIC_EMERGENCY", 1, awake("pregnancy", &[("pregnancy_problem", "seizures_headache")])),
            ("CHEST_PAIN_CARDIAC", 2, awake("chest_pain", &[("chest_pain_danger", "yes")])),
            ("STROKE_SIGNS", 2, awake("stroke_signs", &[("stroke_onset", "within_24h")])),
            ("STROKE_SIGNS", 2, awake("stroke_signs", &[("stroke_onset", "unknown")])),
            ("CONVULSIONS_FIRST", 2, awake("convulsions", &[("seizure_state", "stopped_first")])),
            (
                "BREATHING_DIFFICULTY",
                2,
                own(&[
                    ("conscious", "yes"),
                    ("breathing", "difficult"),
                    ("breathing_severity", "moderate"),
                    ("shock_signs", "no"),
                    ("main_problem", "breathing_problem"),
                ]),
            ),
            ("BLEEDING_INTERNAL", 2, awake("bleeding", &[("bleeding_severity", "internal")])),
            ("OBSTETRIC_LABOUR", 2, awake("pregnancy", &[("pregnancy_problem", "labour")])),
            ("POISONING_DANGEROUS", 2, awake("poisoning", &[("poisoning_danger", "yes")])),
            ("INFANT_FEVER", 2, awake("fever", &[("age_group", "infant"), ("fever_danger", "no")])),
            ("INFANT_FEVER", 2, awake("fever", &[("age_group", "infant")])),
            ("FEVER_DANGER_SIGNS", 2, awake("fever", &[("age_group", "adult"), ("fever_danger", "yes")])),
            ("PSYCHIATRIC_CRISIS", 2, awake("psychiatric", &[("psych_danger", "yes")])),
            ("ABDOMINAL_PAIN_SEVERE", 2, awake("abdominal_pain", &[("abdominal_danger", "yes")])),
            (
                "CONSCIOUSNESS_UNKNOWN",
                2,
                own(&[("conscious", "unknown"), ("breathing", "unknown"), ("main_problem", "other")]),
            ),
            ("CHEST_PAIN", 3, awake("chest_pain", &[("chest_pain_danger", "no")])),
            ("STROKE_SIGNS_LATE", 3, awake("stroke_signs", &[("stroke_onset", "over_24h")])),
            ("CONVULSIONS_KNOWN_EPILEPSY", 3, awake("convulsions", &[("seizure_state", "stopped_known_epilepsy")])),
            ("BREATHING_PROBLEM", 3, awake("breathing_problem", &[])),
            ("MINOR_TRAUMA", 3, awake("trauma", &[("trauma_kind", "isolated")])),
            ("BURNS_MINOR", 3, awake("burns", &[("burn_extent", "minor")])),
            ("BLEEDING_CONTROLLED", 3, awake("bleeding", &[("bleeding_severity", "controlled")])),
            ("PREGNANCY_PROBLEM", 3, awake("pregnancy", &[("pregnancy_problem", "other")])),
            ("POISONING", 3, awake("poisoning", &[("poisoning_danger", "no")])),
            ("ALLERGIC_REACTION", 3, awake("allergic_reaction", &[("allergy_signs", "mild")])),
            ("PSYCHIATRIC", 3, awake("psychiatric", &[("psych_danger", "no")])),
            ("ABDOMINAL_PAIN", 3, awake("abdominal_pain", &[("abdominal_danger", "no")])),
            ("CHILD_FEVER", 3, awake("fever", &[("age_group", "child"), ("fever_danger", "no")])),
            ("CHRONIC_EXACERBATION", 4, awake("chronic_illness", &[])),
            ("FEVER", 4, awake("fever", &[("age_group", "adult"), ("fever_danger", "no")])),
            ("ACUTE_ILLNESS_NO_THREAT", 4, awake("other", &[])),
        ]
    }

    #[test]
    fn the_shipped_protocol_loads() {
        let protocol = Protocols::builtin().expect("data/protocols/kz-triage-v1.json is a valid protocol");
        let p = protocol.in_force(0);
        assert_eq!(p.version, "kz-triage-v1");
        assert_eq!(p.rules.last().unwrap().determinant, "ACUTE_ILLNESS_NO_THREAT");
        assert!(p.rules.iter().any(|r| r.category == Category::One));
    }

    #[test]
    fn every_protocol_path_reaches_its_category() {
        let protocol = protocol();
        for (determinant, category, path) in paths() {
            let given: Vec<_> = path.iter().map(|(q, a)| (*q, a.as_str())).collect();
            let given = answers(&given);
            protocol.check_answers(&given).unwrap_or_else(|e| panic!("{determinant}: {e:?}"));
            let rule =
                protocol.evaluate(&given).rule().cloned().unwrap_or_else(|| panic!("{determinant} decides: {path:?}"));
            assert_eq!(rule.determinant, determinant, "{path:?}");
            assert_eq!(rule.category.number(), category, "{determinant}");
            // The same answers in another order conclude the same.
            let mut reversed = given.clone();
            reversed.reverse();
            assert_eq!(protocol.evaluate(&reversed).rule().map(|r| &r.determinant), Some(&rule.determinant));
        }
    }

    #[test]
    fn every_rule_has_a_tested_path_and_every_category_is_reachable() {
        let protocol = protocol();
        let tested: HashSet<&str> = paths().iter().map(|(d, _, _)| *d).collect();
        for rule in &protocol.rules {
            assert!(tested.contains(rule.determinant.as_str()), "no test path reaches {}", rule.determinant);
        }
        let categories: HashSet<u8> = paths().iter().map(|(_, c, _)| *c).collect();
        assert_eq!(categories, HashSet::from([1, 2, 3, 4]));
    }

    #[test]
    fn the_conditions_the_norms_name_are_covered() {
        let protocol = protocol();
        for (determinant, category, profile) in [
            ("CARDIAC_ARREST", Category::One, None),
            ("UNCONSCIOUS", Category::One, None),
            ("SHOCK", Category::One, None),
            ("CONVULSIONS_ONGOING", Category::One, None),
            ("MAJOR_TRAUMA", Category::One, Some(HospitalProfile::Trauma)),
            ("MULTIPLE_INJURIES", Category::One, Some(HospitalProfile::Trauma)),
            ("BURNS_MAJOR", Category::One, Some(HospitalProfile::Burns)),
            ("BLEEDING_SEVERE", Category::One, None),
            ("OBSTETRIC_EMERGENCY", Category::One, Some(HospitalProfile::Perinatal)),
            ("ANAPHYLAXIS", Category::One, None),
            ("CHEST_PAIN_CARDIAC", Category::Two, Some(HospitalProfile::Pci)),
            ("STROKE_SIGNS", Category::Two, Some(HospitalProfile::Stroke)),
            ("POISONING_DANGEROUS", Category::Two, Some(HospitalProfile::Toxicology)),
            ("INFANT_FEVER", Category::Two, Some(HospitalProfile::Paediatric)),
            ("PSYCHIATRIC_CRISIS", Category::Two, None),
            ("CHRONIC_EXACERBATION", Category::Four, None),
        ] {
            let rule = protocol.rule(determinant).unwrap_or_else(|| panic!("{determinant} is in the protocol"));
            assert_eq!(rule.category, category, "{determinant}");
            if let Some(profile) = profile {
                assert!(rule.hospital_profiles.contains(&profile), "{determinant} suggests {profile}");
            }
        }
    }

    #[test]
    fn partial_answers_wait_rather_than_fall_through() {
        let protocol = protocol();
        // Nothing answered: ask the questions that are always asked.
        let Evaluation::Undecided { next_questions } = protocol.evaluate(&[]) else { panic!("undecided") };
        let ids: Vec<&str> = next_questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, ["conscious", "breathing", "main_problem"]);
        // Chest pain alone decides nothing: an earlier, more urgent rule may still fire.
        let Evaluation::Undecided { next_questions } = protocol.evaluate(&answers(&[("main_problem", "chest_pain")]))
        else {
            panic!("undecided")
        };
        let ids: Vec<&str> = next_questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, ["conscious", "breathing", "chest_pain_danger"]);
        // A conscious patient must be asked about shock before anything milder is concluded.
        let partial = answers(&[("conscious", "yes"), ("breathing", "normal"), ("main_problem", "other")]);
        let Evaluation::Undecided { next_questions } = protocol.evaluate(&partial) else { panic!("undecided") };
        assert_eq!(next_questions.iter().map(|q| q.id.as_str()).collect::<Vec<_>>(), ["shock_signs"]);
    }

    #[test]
    fn answers_to_questions_not_asked_are_disregarded() {
        let protocol = protocol();
        // breathing_severity is asked only for difficult breathing.
        let mut given = answers(&awake("other", &[]).iter().map(|(q, a)| (*q, a.as_str())).collect::<Vec<_>>());
        given.push(GivenAnswer { question_id: "breathing_severity".into(), answer_id: "severe".into() });
        assert_eq!(protocol.evaluate(&given).rule().unwrap().determinant, "ACUTE_ILLNESS_NO_THREAT");
    }

    #[test]
    fn bad_answers_are_reported_each_with_its_position() {
        let protocol = protocol();
        let given = answers(&[("conscious", "yes"), ("pulse", "fast"), ("breathing", "wheezy"), ("conscious", "no")]);
        let errors = protocol.check_answers(&given).unwrap_err();
        let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.index(), e.field())).collect();
        assert_eq!(found, [(1, "question_id"), (2, "answer_id"), (3, "question_id")]);
        assert_eq!(errors[2].to_string(), "question \"conscious\" is answered more than once");
    }

    fn broken(edit: impl FnOnce(&mut serde_json::Value)) -> ProtocolError {
        let mut json: serde_json::Value = serde_json::from_str(KZ_TRIAGE_V1).unwrap();
        edit(&mut json);
        Protocol::from_json(&json.to_string()).unwrap_err()
    }

    #[test]
    fn a_broken_protocol_is_refused_with_the_reason() {
        assert!(Protocol::from_json("{").unwrap_err().to_string().contains("not a protocol file"));
        type Edit = Box<dyn FnOnce(&mut serde_json::Value)>;
        let cases: Vec<(Edit, &str)> = vec![
            (Box::new(|j| drop(j["rules"].as_array_mut().unwrap().pop())), "the last rule must have no conditions"),
            (
                Box::new(|j| j["rules"][3]["conditions"] = serde_json::json!([])),
                "only the last rule may have no conditions",
            ),
            (Box::new(|j| j["rules"][2]["category"] = serde_json::json!(5)), "not a protocol file"),
            (
                Box::new(|j| j["rules"][1]["determinant"] = serde_json::json!("CARDIAC_ARREST")),
                "determinant is repeated",
            ),
            (Box::new(|j| j["rules"][1]["determinant"] = serde_json::json!("unconscious")), "UPPER_SNAKE_CASE"),
            (
                Box::new(|j| j["rules"][0]["conditions"][0]["answer_ids"] = serde_json::json!(["maybe"])),
                "has no answer \"maybe\"",
            ),
            (
                Box::new(|j| j["rules"][0]["conditions"][0]["question_id"] = serde_json::json!("pulse")),
                "\"pulse\" is not defined",
            ),
            (Box::new(|j| j["questions"][0]["text"]["kk"] = serde_json::json!("")), "text needs kk, ru and en"),
            (Box::new(|j| j["rules"][0]["name"]["ru"] = serde_json::json!(" ")), "name needs kk, ru and en"),
            (Box::new(|j| j["questions"][1]["id"] = serde_json::json!("conscious")), "id is repeated"),
            (
                Box::new(|j| {
                    j["questions"][0]["ask_when"] =
                        serde_json::json!([{"question_id": "main_problem", "answer_ids": ["other"]}])
                }),
                "is not defined before it",
            ),
            (Box::new(|j| j["effective_at"] = serde_json::json!("yesterday")), "effective_at"),
            (Box::new(|j| j["questions"][0]["colour"] = serde_json::json!("red")), "unknown field"),
        ];
        for (edit, expected) in cases {
            let error = broken(edit).to_string();
            assert!(error.contains(expected), "{expected:?} in {error}");
        }
    }

    #[test]
    fn the_version_in_force_follows_effective_dates() {
        let v1 = protocol();
        let mut v2 = v1.clone();
        v2.version = "kz-triage-v2".into();
        v2.effective_at = v1.effective_at + 1_000;
        let set = Protocols::new(vec![v1.clone(), v2]).unwrap();
        assert_eq!(set.in_force(v1.effective_at - 1).version, "kz-triage-v1");
        assert_eq!(set.in_force(v1.effective_at + 999).version, "kz-triage-v1");
        assert_eq!(set.in_force(v1.effective_at + 1_000).version, "kz-triage-v2");
        assert!(set.get("kz-triage-v2").is_some());
        assert!(Protocols::new(vec![v1.clone(), v1]).is_err());
    }

    /// Answers a call-taker could give: walk the protocol, answering the first askable
    /// question with the answer `choices` picks, until it decides.
    fn walk(protocol: &Protocol, choices: &[usize]) -> (Vec<GivenAnswer>, String) {
        let mut given = Vec::new();
        for choice in choices.iter().cycle() {
            match protocol.evaluate(&given) {
                Evaluation::Decided(rule) => return (given, rule.determinant.clone()),
                Evaluation::Undecided { next_questions } => {
                    let question = next_questions[0];
                    let answer = &question.answers[choice % question.answers.len()];
                    given.push(GivenAnswer { question_id: question.id.clone(), answer_id: answer.id.clone() });
                }
            }
        }
        unreachable!("the cycle never ends")
    }

    proptest! {
        #[test]
        fn any_call_taker_walk_ends_in_a_category(choices in proptest::collection::vec(0usize..16, 1..20)) {
            let protocol = protocol();
            let (given, determinant) = walk(&protocol, &choices);
            prop_assert!(given.len() <= protocol.questions.len());
            prop_assert!(protocol.check_answers(&given).is_ok());
            // Answering the remaining questions, whatever the answers, never changes a decided
            // result: a decision waits until nothing left unanswered could change it.
            let rule = protocol.rule(&determinant).unwrap();
            let mut completed = given.clone();
            for (i, question) in protocol.questions.iter().enumerate() {
                if !completed.iter().any(|g| g.question_id == question.id) {
                    let answer = &question.answers[choices[i % choices.len()] % question.answers.len()];
                    completed.push(GivenAnswer { question_id: question.id.clone(), answer_id: answer.id.clone() });
                }
            }
            prop_assert_eq!(protocol.evaluate(&completed).rule(), Some(rule));
        }
    }
}
