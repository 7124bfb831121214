//! [`Icd10Code`]: a diagnosis code of the International Classification of Diseases, 10th
//! revision, as Kazakhstan's medical records write it: a category (a Latin capital letter and
//! two digits, `S06`) optionally followed by a dot and a subcategory of one or two digits
//! (`I21.0`, national extensions such as `O99.81`). Lower-case letters and surrounding spaces
//! are accepted and normalised; anything else is refused with what is wrong.
//!
//! The format is checked, not membership of the classification: a well-formed code that WHO
//! never assigned (`Q99.9` exists, `I99.8` does not) passes, as a record system's free entry
//! would. The chapter letter is kept, so reports can group by chapter.

use std::fmt;

use crate::text::quote;

/// Why a text is not an ICD-10 code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Icd10Error {
    /// Nothing was given.
    #[error("is required")]
    Empty,
    /// The shape is not a letter, two digits and an optional `.` with one or two digits.
    #[error("{} is not an ICD-10 code: expected a letter, two digits and optionally a dot and one or two digits, e.g. I21.0 or S06", quote(.0))]
    Malformed(String),
}

/// A well-formed ICD-10 code, upper case, e.g. `I21.0`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Icd10Code(String);

impl Icd10Code {
    /// Checks and normalises a code: trims it and upper-cases the letter.
    pub fn parse(text: &str) -> Result<Icd10Code, Icd10Error> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(Icd10Error::Empty);
        }
        let malformed = || Icd10Error::Malformed(text.to_string());
        let code = trimmed.to_ascii_uppercase();
        let bytes = code.as_bytes();
        let category = bytes.len() >= 3 && bytes[0].is_ascii_uppercase() && bytes[1..3].iter().all(u8::is_ascii_digit);
        if !category {
            return Err(malformed());
        }
        match &bytes[3..] {
            [] => {}
            [b'.', sub @ ..] if (1..=2).contains(&sub.len()) && sub.iter().all(u8::is_ascii_digit) => {}
            _ => return Err(malformed()),
        }
        Ok(Icd10Code(code))
    }

    /// The code as written, e.g. `I21.0`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The three-character category, e.g. `I21` for `I21.0`.
    pub fn category(&self) -> &str {
        &self.0[..3]
    }

    /// The chapter letter, e.g. `I` (diseases of the circulatory system).
    pub fn chapter_letter(&self) -> char {
        char::from(self.0.as_bytes()[0])
    }
}

impl fmt::Display for Icd10Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes_as_records_write_them_are_accepted() {
        for (text, code, category) in [
            ("I21.0", "I21.0", "I21"),
            ("S06", "S06", "S06"),
            ("s06.5", "S06.5", "S06"),
            (" O99.81 ", "O99.81", "O99"),
            ("U07.1", "U07.1", "U07"),
        ] {
            let parsed = Icd10Code::parse(text).unwrap();
            assert_eq!((parsed.as_str(), parsed.category()), (code, category), "{text}");
        }
        assert_eq!(Icd10Code::parse("I63.9").unwrap().chapter_letter(), 'I');
    }

    #[test]
    fn malformed_codes_say_what_is_expected() {
        for bad in ["I2", "I21.", "I21.012", "121.0", "I21-0", "II1.0", "I21.0 A", "Я21.0", "I21..0"] {
            assert!(matches!(Icd10Code::parse(bad), Err(Icd10Error::Malformed(_))), "{bad}");
        }
        assert_eq!(Icd10Code::parse("  "), Err(Icd10Error::Empty));
        assert_eq!(
            Icd10Code::parse("heart").unwrap_err().to_string(),
            "\"heart\" is not an ICD-10 code: expected a letter, two digits and optionally a dot and one or two \
             digits, e.g. I21.0 or S06"
        );
    }

    proptest! {
        #[test]
        fn every_well_formed_code_round_trips(letter in proptest::char::range('A', 'Z'), digits in 0u32..100, sub in proptest::option::of(0u32..100), two in any::<bool>()) {
            let sub = sub.map(|s| if two { format!(".{s:02}") } else { format!(".{}", s % 10) }).unwrap_or_default();
            let text = format!("{letter}{digits:02}{sub}");
            let code = Icd10Code::parse(&text.to_lowercase()).unwrap();
            prop_assert_eq!(code.as_str(), text.as_str());
            prop_assert_eq!(code.category(), &text[..3]);
        }

        #[test]
        fn acceptance_is_exactly_the_shape(text in "[A-Za-z0-9.]{0,8}") {
            let upper = text.to_ascii_uppercase();
            let b = upper.as_bytes();
            let shaped = b.len() >= 3
                && b[0].is_ascii_uppercase()
                && b[1].is_ascii_digit()
                && b[2].is_ascii_digit()
                && (b.len() == 3 || (b[3] == b'.' && (5..=6).contains(&b.len()) && b[4..].iter().all(u8::is_ascii_digit)));
            prop_assert_eq!(Icd10Code::parse(&text).is_ok(), shaped);
        }
    }
}
