//! Identifiers the engine keys its records by ([`UnitId`], [`CallId`], [`AssignmentId`],
//! [`RecommendationId`], [`HospitalId`]) and [`IdGenerator`], which mints assignment and
//! recommendation ids deterministically so a replay produces the same ids. Ids are shared
//! text (`Arc<str>`): events and indexes copy them often, and a copy is a counter bump.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::local_time::Micros;

/// Longest id the engine accepts, in bytes (a UUID is 36).
pub const MAX_ID_LEN: usize = 64;

/// Why a string is not an id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Nothing was given.
    #[error("is required")]
    Empty,
    /// Longer than [`MAX_ID_LEN`] bytes.
    #[error("is {0} bytes long, at most {MAX_ID_LEN} allowed")]
    TooLong(usize),
    /// Contains whitespace or control characters.
    #[error("contains whitespace or control characters")]
    BadCharacter,
}

fn check_id(text: &str) -> Result<(), IdError> {
    if text.is_empty() {
        return Err(IdError::Empty);
    }
    if text.len() > MAX_ID_LEN {
        return Err(IdError::TooLong(text.len()));
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(IdError::BadCharacter);
    }
    Ok(())
}

macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(Arc<str>);

        impl $name {
            /// Accepts 1 to [`MAX_ID_LEN`] bytes without whitespace or control characters.
            pub fn parse(text: &str) -> Result<$name, IdError> {
                check_id(text)?;
                Ok($name(Arc::from(text)))
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;

            fn try_from(text: String) -> Result<Self, Self::Error> {
                check_id(&text)?;
                Ok($name(Arc::from(text)))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0.to_string()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_id! {
    /// A ground unit: the Registry brigade id.
    UnitId
}
string_id! {
    /// An emergency call: the Intake call id.
    CallId
}
string_id! {
    /// One unit working one call, from assignment to its end.
    AssignmentId
}
string_id! {
    /// One answer of Recommend; Assign quotes it so a non-top choice is recognised.
    RecommendationId
}
string_id! {
    /// A receiving hospital: the Registry hospital id.
    HospitalId
}

/// Mints UUIDv7-shaped ids from the engine's clock and a counter: the same commands give the
/// same ids, so a replayed shift is comparable id for id. `node` keeps ids of engines that run
/// side by side (one per set of regions) apart; the counter is part of the engine's snapshot.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdGenerator {
    /// 12 bits told apart between engine instances.
    pub node: u16,
    /// Ids minted so far.
    pub counter: u64,
}

impl IdGenerator {
    /// The next id: milliseconds of `now` in the first 48 bits, version 7, the node in the
    /// 12 `rand_a` bits, RFC 4122 variant, and the counter in the 62 `rand_b` bits.
    pub fn next(&mut self, now: Micros) -> String {
        self.counter += 1;
        let ms = (now.max(0) / 1000) as u64 & 0xFFFF_FFFF_FFFF;
        let rand_a = u64::from(self.node & 0x0FFF);
        let rand_b = self.counter & 0x3FFF_FFFF_FFFF_FFFF;
        let hi = (ms << 16) | (0x7 << 12) | rand_a;
        let lo = (0b10 << 62) | rand_b;
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            hi >> 32,
            (hi >> 16) & 0xFFFF,
            hi & 0xFFFF,
            lo >> 48,
            lo & 0xFFFF_FFFF_FFFF
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked() {
        assert_eq!(UnitId::parse("AST-01-07").unwrap().as_str(), "AST-01-07");
        assert_eq!(UnitId::parse(""), Err(IdError::Empty));
        assert_eq!(CallId::parse("a b"), Err(IdError::BadCharacter));
        assert_eq!(CallId::parse(&"x".repeat(65)), Err(IdError::TooLong(65)));
        assert!(serde_json::from_str::<UnitId>("\"\"").is_err());
    }

    #[test]
    fn minted_ids_are_uuid_v7_shaped_and_deterministic() {
        let mut a = IdGenerator { node: 5, counter: 0 };
        let mut b = a.clone();
        let now = 1_763_800_000_000_000;
        let first = a.next(now);
        assert_eq!(first, b.next(now));
        assert_ne!(first, a.next(now));
        assert_eq!(first.len(), 36);
        assert_eq!(&first[14..15], "7");
        assert!(matches!(&first[19..20], "8" | "9" | "a" | "b"));
        assert!(first.starts_with(&format!("{:08x}", (now / 1000) as u64 >> 16)));
    }
}
