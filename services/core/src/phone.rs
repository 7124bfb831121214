//! [`PhoneNumber`]: a caller's number in E.164 form. Kazakhstan numbers arrive written every
//! way people write them (`8 701 234 56 78`, `+7 (701) 234-56-78`, `87012345678`) and are kept
//! as `+77012345678`; repeat calls are found by comparing the normalised form.
//!
//! A phone number is personal data: its `Debug` form hides the digits and errors never repeat
//! them.

use std::fmt;

/// Why a string is not a phone number Jedel accepts. Messages never contain the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneNumberError {
    /// Nothing was given.
    #[error("is required")]
    Empty,
    /// Characters other than digits, a leading `+`, spaces, dashes, dots and parentheses.
    #[error("may contain only digits, a leading +, spaces, dashes, dots and parentheses")]
    BadCharacters,
    /// A +7 (or 8…) number whose national part is not a Kazakhstan number (7xx xxx xx xx).
    #[error("is not a Kazakhstan number: expected +7 7xx xxx xx xx (or 8 7xx xxx xx xx)")]
    NotKazakhstan,
    /// Too short or too long for any number.
    #[error("must be a Kazakhstan number (+7 7xx xxx xx xx) or an international number with + and 8 to 15 digits")]
    BadLength,
}

/// A phone number in E.164 form: `+7` and ten digits starting with 7 for Kazakhstan numbers, or
/// `+` and 8–15 digits for a number of another country (not +7) written in international form.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Normalises and checks a number as typed or as telephony reports it:
    /// - `+7`, `8` or `7` followed by ten digits, or the ten digits alone, is a Kazakhstan
    ///   number when the ten digits start with 7 (mobile 70x/747/75x/76x/77x, landline 71x/72x);
    /// - `+` (or `00`) and another country code is kept as an international number;
    /// - spaces, dashes, dots and parentheses are ignored.
    pub fn parse(text: &str) -> Result<PhoneNumber, PhoneNumberError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(PhoneNumberError::Empty);
        }
        let mut digits = String::with_capacity(text.len());
        let mut plus = false;
        for (i, c) in text.char_indices() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => plus = true,
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(PhoneNumberError::BadCharacters),
            }
        }
        if !plus && let Some(rest) = digits.strip_prefix("00") {
            digits = rest.to_string();
            plus = true;
        }
        let national = match (plus, digits.len()) {
            (true, 11) if digits.starts_with('7') => Some(&digits[1..]),
            (true, _) if digits.starts_with('7') => return Err(PhoneNumberError::BadLength),
            (true, 8..=15) => return Ok(PhoneNumber(format!("+{digits}"))),
            (true, _) => return Err(PhoneNumberError::BadLength),
            (false, 11) if digits.starts_with('8') || digits.starts_with('7') => Some(&digits[1..]),
            (false, 10) => Some(digits.as_str()),
            (false, _) => None,
        };
        match national {
            Some(national) if national.starts_with('7') => Ok(PhoneNumber(format!("+7{national}"))),
            Some(_) => Err(PhoneNumberError::NotKazakhstan),
            None => Err(PhoneNumberError::BadLength),
        }
    }

    /// The E.164 form, e.g. `+77012345678`. Personal data: never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether this is a Kazakhstan number (+7 7xx…).
    pub fn is_kazakhstan(&self) -> bool {
        self.0.starts_with("+77")
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PhoneNumber(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_ways_people_write_a_kazakhstan_number_agree() {
        for text in [
            "+77012345678",
            "+7 701 234 56 78",
            "+7 (701) 234-56-78",
            "8 701 234 56 78",
            "8(701)2345678",
            "87012345678",
            "77012345678",
            "7012345678",
            "  8-701-234-56-78 ",
            "007 701 234 5678",
            "8.701.234.56.78",
        ] {
            let phone = PhoneNumber::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(phone.expose(), "+77012345678", "{text}");
            assert!(phone.is_kazakhstan());
        }
        // Landlines: Astana 7172, Almaty 727.
        assert_eq!(PhoneNumber::parse("8 (7172) 55-44-33").unwrap().expose(), "+77172554433");
        assert_eq!(PhoneNumber::parse("+7 727 258 00 00").unwrap().expose(), "+77272580000");
    }

    #[test]
    fn numbers_of_other_countries_keep_their_international_form() {
        let uzbek = PhoneNumber::parse("+998 90 123 45 67").unwrap();
        assert_eq!(uzbek.expose(), "+998901234567");
        assert!(!uzbek.is_kazakhstan());
        assert_eq!(PhoneNumber::parse("00996 555 123 456").unwrap().expose(), "+996555123456");
    }

    #[test]
    fn everything_else_is_refused_with_a_reason() {
        assert_eq!(PhoneNumber::parse(""), Err(PhoneNumberError::Empty));
        assert_eq!(PhoneNumber::parse("   "), Err(PhoneNumberError::Empty));
        assert_eq!(PhoneNumber::parse("+7 916 123 45 67"), Err(PhoneNumberError::NotKazakhstan));
        assert_eq!(PhoneNumber::parse("8 916 123 45 67"), Err(PhoneNumberError::NotKazakhstan));
        assert_eq!(PhoneNumber::parse("103"), Err(PhoneNumberError::BadLength));
        assert_eq!(PhoneNumber::parse("+7 701 234 56 789"), Err(PhoneNumberError::BadLength));
        assert_eq!(PhoneNumber::parse("+1234567"), Err(PhoneNumberError::BadLength));
        assert_eq!(PhoneNumber::parse("8 701 234 56 78 ext 5"), Err(PhoneNumberError::BadCharacters));
        assert_eq!(PhoneNumber::parse("7+7012345678"), Err(PhoneNumberError::BadCharacters));
        assert_eq!(PhoneNumber::parse("９９９"), Err(PhoneNumberError::BadCharacters));
    }

    #[test]
    fn a_phone_number_never_shows_its_digits() {
        let phone = PhoneNumber::parse("+77012345678").unwrap();
        assert_eq!(format!("{phone:?}"), "PhoneNumber(<redacted>)");
        let error = PhoneNumber::parse("8 916 123 45 67").unwrap_err().to_string();
        assert!(!error.contains("916"), "{error}");
    }

    proptest! {
        #[test]
        fn any_kazakhstan_number_normalises_the_same_whatever_the_prefix(rest in "7[0-9]{9}", sep in "[ -]?") {
            let expected = format!("+7{rest}");
            let spaced = format!("{}{sep}{}{sep}{}", &rest[..3], &rest[3..6], &rest[6..]);
            for text in [format!("+7{spaced}"), format!("8{sep}{spaced}"), format!("8 ({}) {}", &rest[..3], &rest[3..]), rest.clone()] {
                let phone = PhoneNumber::parse(&text).unwrap();
                prop_assert_eq!(phone.expose(), expected.as_str());
            }
        }

        #[test]
        fn a_normalised_number_parses_to_itself(text in "\\PC{0,20}") {
            if let Ok(phone) = PhoneNumber::parse(&text) {
                prop_assert_eq!(PhoneNumber::parse(phone.expose()).unwrap(), phone.clone());
                prop_assert!(phone.expose().starts_with('+'));
                prop_assert!(phone.expose()[1..].bytes().all(|b| b.is_ascii_digit()));
            }
        }
    }
}
