//! The codes of medical aviation's records: an aircraft's state [`Registration`] (`UP-MI801`),
//! an [`AirfieldCode`] (ICAO `UACC`, or a local `KZ-H001`), an [`AirlineCode`]
//! (`KAZAVIASPAS`) and a [`ContractNumber`] (`17/2026`). Records reference each other by
//! these, byte for byte, so each arrives exact: no trimming, no case folding.

use std::fmt;

use crate::text::quote;

/// Longest airline code.
const MAX_AIRLINE_CODE_CHARS: usize = 32;
/// Longest contract number.
const MAX_CONTRACT_NUMBER_CHARS: usize = 32;

/// Why a text is not one of these codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AviationCodeError {
    /// Nothing was given.
    #[error("is required")]
    Empty,
    /// Not `UP-` and 4 or 5 capital letters or digits.
    #[error("{} is not an aircraft registration: expected UP- and 4 or 5 capital letters or digits, e.g. UP-MI801", quote(.0))]
    Registration(String),
    /// Neither an ICAO code nor a local `KZ-` code.
    #[error("{} is not an airfield code: expected 4 capital letters (ICAO, e.g. UACC) or KZ- and 4 capital letters or digits (e.g. KZ-H001)", quote(.0))]
    Airfield(String),
    /// Not capital letters, digits and underscores.
    #[error("{} is not an airline code: expected capital letters, digits and single underscores, at most 32, e.g. KAZAVIASPAS", quote(.0))]
    Airline(String),
    /// Not groups of capital letters and digits joined by `/` or `-`.
    #[error("{} is not a contract number: expected capital letters and digits joined by single / or -, at most 32, e.g. 17/2026", quote(.0))]
    Contract(String),
}

fn upper_or_digit(b: &u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}

/// Whether `text` is non-empty groups of capital letters and digits joined by single `separators`.
fn groups(text: &str, separators: &[char]) -> bool {
    text.split(separators).all(|group| !group.is_empty() && group.bytes().all(|b| upper_or_digit(&b)))
}

macro_rules! code_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// The code as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

code_type!(
    /// A Kazakhstan aircraft registration: `UP-` and 4 or 5 capital letters or digits.
    Registration
);
code_type!(
    /// An airfield's code: a 4-letter ICAO code (`UACC`; neighbours' airfields too), or a local
    /// code `KZ-` and 4 capital letters or digits for airstrips and helipads (`KZ-H001`).
    AirfieldCode
);
code_type!(
    /// An airline's short code (`KAZAVIASPAS`, `ORLAN_2000`): capital letters and digits in
    /// groups joined by single underscores. Airline operators' tokens are scoped by it.
    AirlineCode
);
code_type!(
    /// A contract number (`17/2026`, `NCCEM-4/2027`): capital letters and digits in groups
    /// joined by single `/` or `-`.
    ContractNumber
);

impl Registration {
    /// Checks the shape of a registration.
    pub fn parse(text: &str) -> Result<Registration, AviationCodeError> {
        if text.is_empty() {
            return Err(AviationCodeError::Empty);
        }
        match text.strip_prefix("UP-") {
            Some(mark) if (4..=5).contains(&mark.len()) && mark.bytes().all(|b| upper_or_digit(&b)) => {
                Ok(Registration(text.to_string()))
            }
            _ => Err(AviationCodeError::Registration(text.to_string())),
        }
    }
}

impl AirfieldCode {
    /// Checks the shape of an airfield code.
    pub fn parse(text: &str) -> Result<AirfieldCode, AviationCodeError> {
        if text.is_empty() {
            return Err(AviationCodeError::Empty);
        }
        let icao = text.len() == 4 && text.bytes().all(|b| b.is_ascii_uppercase());
        let local =
            text.strip_prefix("KZ-").is_some_and(|rest| rest.len() == 4 && rest.bytes().all(|b| upper_or_digit(&b)));
        if icao || local {
            Ok(AirfieldCode(text.to_string()))
        } else {
            Err(AviationCodeError::Airfield(text.to_string()))
        }
    }
}

impl AirlineCode {
    /// Checks the shape of an airline code.
    pub fn parse(text: &str) -> Result<AirlineCode, AviationCodeError> {
        if text.is_empty() {
            return Err(AviationCodeError::Empty);
        }
        let starts_with_letter = text.as_bytes()[0].is_ascii_uppercase();
        if text.len() <= MAX_AIRLINE_CODE_CHARS && starts_with_letter && groups(text, &['_']) {
            Ok(AirlineCode(text.to_string()))
        } else {
            Err(AviationCodeError::Airline(text.to_string()))
        }
    }
}

impl ContractNumber {
    /// Checks the shape of a contract number.
    pub fn parse(text: &str) -> Result<ContractNumber, AviationCodeError> {
        if text.is_empty() {
            return Err(AviationCodeError::Empty);
        }
        if text.len() <= MAX_CONTRACT_NUMBER_CHARS && groups(text, &['/', '-']) {
            Ok(ContractNumber(text.to_string()))
        } else {
            Err(AviationCodeError::Contract(text.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_reference_codes_parse() {
        for good in ["UP-MI801", "UP-A2001", "UP-ANS01", "UP-CL801", "UP-H4501", "UP-A123"] {
            assert_eq!(Registration::parse(good).unwrap().as_str(), good);
        }
        for good in ["UACC", "UAAA", "KZ-H001", "KZ-AKTG", "UTTT"] {
            assert_eq!(AirfieldCode::parse(good).unwrap().to_string(), good);
        }
        for good in ["KAZAVIASPAS", "EAST_WING", "ORLAN_2000", "TARAZ_ZHANA_ALEM"] {
            assert!(AirlineCode::parse(good).is_ok(), "{good}");
        }
        for good in ["17/2026", "1/2026", "NCCEM-4/2027", "A1"] {
            assert!(ContractNumber::parse(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn misshapen_codes_are_refused_with_an_example() {
        for bad in ["", "UP-MI8", "UP-MI8012", "up-mi801", "RA-12345", "UP MI801", "UP-MI80-"] {
            assert!(Registration::parse(bad).is_err(), "{bad}");
        }
        for bad in ["UAC", "UACC1", "uacc", "KZ-H01", "KZ-h001", "KZ_H001", "UA1C"] {
            assert!(AirfieldCode::parse(bad).is_err(), "{bad}");
        }
        for bad in ["", "_EAST", "EAST__WING", "EAST_", "east_wing", "2000_ORLAN", "EAST-WING"] {
            assert!(AirlineCode::parse(bad).is_err(), "{bad}");
        }
        for bad in ["", "17//2026", "/2026", "17/", "17 2026", "17/2026a"] {
            assert!(ContractNumber::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Registration::parse("UP-1").unwrap_err().to_string(),
            "\"UP-1\" is not an aircraft registration: expected UP- and 4 or 5 capital letters or digits, e.g. UP-MI801"
        );
        assert_eq!(AirlineCode::parse("").unwrap_err().to_string(), "is required");
    }

    proptest! {
        #[test]
        fn registrations_are_exactly_up_and_four_or_five_marks(mark in "[A-Z0-9]{4,5}") {
            let text = format!("UP-{mark}");
            prop_assert_eq!(Registration::parse(&text).unwrap().to_string(), text);
        }

        #[test]
        fn a_registration_accepts_only_its_shape(text in "\\PC{0,10}") {
            let shaped = text.len() >= 7
                && text.len() <= 8
                && text.starts_with("UP-")
                && text[3..].bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            prop_assert_eq!(Registration::parse(&text).is_ok(), shaped);
        }

        #[test]
        fn local_and_icao_airfield_codes_parse(icao in "[A-Z]{4}", local in "[A-Z0-9]{4}") {
            prop_assert!(AirfieldCode::parse(&icao).is_ok());
            let local = format!("KZ-{local}");
            prop_assert!(AirfieldCode::parse(&local).is_ok());
        }

        #[test]
        fn airfield_codes_of_other_shapes_are_refused(text in "[A-Za-z0-9_-]{0,9}") {
            let icao = text.len() == 4 && text.bytes().all(|b| b.is_ascii_uppercase());
            let local = text.len() == 7
                && text.starts_with("KZ-")
                && text[3..].bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            prop_assert_eq!(AirfieldCode::parse(&text).is_ok(), icao || local);
        }

        #[test]
        fn airline_codes_are_underscore_joined_groups(groups in proptest::collection::vec("[A-Z][A-Z0-9]{0,5}", 1..4)) {
            let text = groups.join("_");
            prop_assert!(AirlineCode::parse(&text).is_ok());
            let lower = text.to_lowercase();
            prop_assert!(AirlineCode::parse(&lower).is_err());
        }

        #[test]
        fn contract_numbers_never_hold_empty_groups(text in "[0-9A-Z/ -]{0,12}") {
            let ok = ContractNumber::parse(&text).is_ok();
            let shaped = !text.is_empty()
                && !text.contains(' ')
                && text.split(['/', '-']).all(|g| !g.is_empty());
            prop_assert_eq!(ok, shaped);
        }
    }
}
