//! [`RegionCode`]: the ISO 3166-2:KZ code of a region (`KZ-71` is Astana), the key every
//! record that belongs to a region carries.

use std::fmt;
use std::str::FromStr;

use crate::text::quote;

/// An ISO 3166-2:KZ region code: `KZ-` and two digits. Which codes exist is data (the
/// registry's regions); this type only guarantees the shape.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RegionCode(String);

/// Why a string is not a region code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionCodeError {
    /// Nothing was given.
    #[error("is required")]
    Empty,
    /// Something was given, but not `KZ-NN`.
    #[error("{} is not a region code: expected KZ- and two digits, e.g. KZ-71", quote(.0))]
    Malformed(String),
}

impl RegionCode {
    /// Checks that `code` is `KZ-` followed by exactly two ASCII digits. No trimming and no
    /// case folding: a code is compared byte for byte everywhere else, so it must arrive exact.
    pub fn parse(code: &str) -> Result<RegionCode, RegionCodeError> {
        if code.is_empty() {
            return Err(RegionCodeError::Empty);
        }
        match code.as_bytes() {
            [b'K', b'Z', b'-', a, b] if a.is_ascii_digit() && b.is_ascii_digit() => Ok(RegionCode(code.to_string())),
            _ => Err(RegionCodeError::Malformed(code.to_string())),
        }
    }

    /// The code as text, e.g. `KZ-71`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for RegionCode {
    type Err = RegionCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RegionCode::parse(s)
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for RegionCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<RegionCode> for String {
    fn from(code: RegionCode) -> String {
        code.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_twenty_regions_of_kazakhstan_parse() {
        for code in [
            "KZ-10", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-33", "KZ-35", "KZ-39", "KZ-43", "KZ-47",
            "KZ-55", "KZ-59", "KZ-61", "KZ-62", "KZ-63", "KZ-71", "KZ-75", "KZ-79",
        ] {
            assert_eq!(RegionCode::parse(code).unwrap().as_str(), code);
        }
    }

    #[test]
    fn near_misses_are_refused_with_a_reason() {
        for code in ["kz-71", "KZ71", "KZ-7", "KZ-711", " KZ-71", "KZ-71 ", "KZ-7a", "RU-71", "KZ-٧١"] {
            assert_eq!(RegionCode::parse(code), Err(RegionCodeError::Malformed(code.to_string())), "{code}");
        }
        assert_eq!(RegionCode::parse(""), Err(RegionCodeError::Empty));
        assert_eq!(
            RegionCode::parse("KZ-7").unwrap_err().to_string(),
            "\"KZ-7\" is not a region code: expected KZ- and two digits, e.g. KZ-71"
        );
    }

    proptest! {
        #[test]
        fn every_kz_and_two_digits_round_trips(n in 0u8..100) {
            let text = format!("KZ-{n:02}");
            let code = RegionCode::parse(&text).unwrap();
            prop_assert_eq!(code.to_string(), text.clone());
            prop_assert_eq!(text.parse::<RegionCode>().unwrap(), code);
        }

        #[test]
        fn anything_else_is_refused(s in "\\PC{0,8}") {
            let well_formed = s.len() == 5 && s.starts_with("KZ-") && s[3..].bytes().all(|b| b.is_ascii_digit());
            prop_assert_eq!(RegionCode::parse(&s).is_ok(), well_formed);
        }

        #[test]
        fn codes_order_as_their_text(a in 0u8..100, b in 0u8..100) {
            let (ca, cb) = (RegionCode::parse(&format!("KZ-{a:02}")).unwrap(), RegionCode::parse(&format!("KZ-{b:02}")).unwrap());
            prop_assert_eq!(ca.cmp(&cb), a.cmp(&b));
        }
    }
}
