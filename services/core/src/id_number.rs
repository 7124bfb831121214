//! [`Bin`] and [`Iin`]: Kazakhstan's 12-digit business and individual identification
//! numbers, accepted only when their check digit is right. Both use the same checksum:
//! weights 1..11 over the first 11 digits, sum mod 11; if that is 10, weights
//! 3,4,5,6,7,8,9,10,11,1,2 and mod 11 again; 10 again makes the number invalid; otherwise
//! the result must equal the 12th digit.
//!
//! An IIN identifies a person, so neither its errors nor its `Debug` form show the number.

use std::fmt;

/// Why a string is not a valid BIN or IIN. The messages never contain the number itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    /// Nothing was given.
    #[error("{0} is required")]
    Empty(&'static str),
    /// Not exactly 12 ASCII digits.
    #[error("{0} must be 12 digits")]
    NotTwelveDigits(&'static str),
    /// The 12th digit is not the checksum of the first 11.
    #[error("{0} checksum does not match")]
    ChecksumMismatch(&'static str),
    /// The first 11 digits admit no check digit at all (both passes give 10).
    #[error("{0} has no valid check digit")]
    NoCheckDigit(&'static str),
}

const FIRST_WEIGHTS: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_WEIGHTS: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// The check digit of 11 digits, or `None` when both passes give 10.
pub fn check_digit(first_eleven: &[u8; 11]) -> Option<u8> {
    let pass =
        |weights: &[u32; 11]| first_eleven.iter().zip(weights).map(|(&d, &w)| u32::from(d) * w).sum::<u32>() % 11;
    match pass(&FIRST_WEIGHTS) {
        10 => match pass(&SECOND_WEIGHTS) {
            10 => None,
            digit => Some(digit as u8),
        },
        digit => Some(digit as u8),
    }
}

/// Checks the shape and checksum of a 12-digit number; `name` is what errors call it.
fn check(name: &'static str, text: &str) -> Result<(), IdNumberError> {
    if text.is_empty() {
        return Err(IdNumberError::Empty(name));
    }
    let bytes = text.as_bytes();
    if bytes.len() != 12 || !bytes.iter().all(u8::is_ascii_digit) {
        return Err(IdNumberError::NotTwelveDigits(name));
    }
    let mut first_eleven = [0u8; 11];
    for (digit, byte) in first_eleven.iter_mut().zip(bytes) {
        *digit = byte - b'0';
    }
    match check_digit(&first_eleven) {
        None => Err(IdNumberError::NoCheckDigit(name)),
        Some(digit) if digit == bytes[11] - b'0' => Ok(()),
        Some(_) => Err(IdNumberError::ChecksumMismatch(name)),
    }
}

/// A business identification number (БСН): 12 digits with a valid check digit. Airlines
/// and other organisations are identified by it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Bin(String);

impl Bin {
    /// Accepts exactly 12 ASCII digits whose last is the checksum of the others.
    pub fn parse(text: &str) -> Result<Bin, IdNumberError> {
        check("bin", text).map(|()| Bin(text.to_string()))
    }

    /// The 12 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Bin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An individual identification number (ЖСН): 12 digits with a valid check digit. It
/// identifies a patient, so it has no `Display`, and its `Debug` hides the digits: read it
/// with [`Iin::expose`] only where the number itself is needed (storage, the patient's record).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Iin(String);

impl Iin {
    /// Accepts exactly 12 ASCII digits whose last is the checksum of the others.
    pub fn parse(text: &str) -> Result<Iin, IdNumberError> {
        check("iin", text).map(|()| Iin(text.to_string()))
    }

    /// The 12 digits. Never log them.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Iin(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn digits(text: &str) -> [u8; 11] {
        let mut out = [0; 11];
        for (d, b) in out.iter_mut().zip(text.bytes()) {
            *d = b - b'0';
        }
        out
    }

    /// The checksum written out the long way, as the rule reads, to test against.
    #[allow(clippy::needless_range_loop)] // indexed on purpose: it mirrors the rule's wording
    fn reference_check_digit(first_eleven: &[u8; 11]) -> Option<u8> {
        let mut sum = 0u32;
        for i in 0..11 {
            sum += (i as u32 + 1) * u32::from(first_eleven[i]);
        }
        if sum % 11 != 10 {
            return Some((sum % 11) as u8);
        }
        let weights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
        let mut sum = 0u32;
        for i in 0..11 {
            sum += weights[i] * u32::from(first_eleven[i]);
        }
        if sum % 11 == 10 { None } else { Some((sum % 11) as u8) }
    }

    #[test]
    fn worked_examples() {
        // 1·1 + … + 11·1 = 296 ≡ 10, so the second weights: 377 ≡ 3.
        assert_eq!(check_digit(&digits("12345678901")), Some(3));
        assert!(Bin::parse("123456789013").is_ok());
        assert_eq!(Bin::parse("123456789012"), Err(IdNumberError::ChecksumMismatch("bin")));
        // A first-pass example: 9·1 + 1·4 + 1·6 + 3·7 + 1·11 = 51 ≡ 7.
        assert!(Iin::parse("900101300017").is_ok());
        // Both passes give 10: no 12th digit can make it valid.
        assert_eq!(check_digit(&digits("06870986119")), None);
        for last in 0..=9 {
            assert_eq!(Bin::parse(&format!("06870986119{last}")), Err(IdNumberError::NoCheckDigit("bin")));
        }
    }

    #[test]
    fn shapes_other_than_twelve_digits_are_refused() {
        assert_eq!(Bin::parse(""), Err(IdNumberError::Empty("bin")));
        for text in ["12345678901", "1234567890133", "12345678901a", " 23456789013", "１２３４５６７８９０１３"]
        {
            assert_eq!(Bin::parse(text), Err(IdNumberError::NotTwelveDigits("bin")), "{text}");
        }
        assert_eq!(Iin::parse("123").unwrap_err().to_string(), "iin must be 12 digits");
    }

    #[test]
    fn an_iin_never_shows_its_digits() {
        let iin = Iin::parse("900101300017").unwrap();
        assert_eq!(format!("{iin:?}"), "Iin(<redacted>)");
        assert_eq!(iin.expose(), "900101300017");
        let error = Iin::parse("900101300018").unwrap_err().to_string();
        assert!(!error.contains("9001"), "{error}");
    }

    proptest! {
        #[test]
        fn a_number_completed_with_its_check_digit_parses(first in "[0-9]{11}") {
            let computed = check_digit(&digits(&first));
            prop_assert_eq!(computed, reference_check_digit(&digits(&first)));
            if let Some(d) = computed {
                let full = format!("{first}{d}");
                prop_assert_eq!(Bin::parse(&full).unwrap().to_string(), full.clone());
                prop_assert_eq!(Iin::parse(&full).unwrap().expose().to_string(), full);
            }
        }

        #[test]
        fn exactly_one_last_digit_is_valid_unless_none_is(first in "[0-9]{11}") {
            let valid = (0..=9).filter(|d| Bin::parse(&format!("{first}{d}")).is_ok()).count();
            let expected = usize::from(check_digit(&digits(&first)).is_some());
            prop_assert_eq!(valid, expected);
        }

        #[test]
        fn a_changed_check_digit_is_caught(first in "[0-9]{11}", delta in 1u8..10) {
            if let Some(d) = check_digit(&digits(&first)) {
                let wrong = (d + delta) % 10;
                prop_assert_eq!(Iin::parse(&format!("{first}{wrong}")), Err(IdNumberError::ChecksumMismatch("iin")));
            }
        }

        #[test]
        fn anything_not_twelve_digits_is_refused(text in "\\PC{0,16}") {
            prop_assume!(!(text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())));
            prop_assert!(Bin::parse(&text).is_err());
        }
    }
}
