//! The vocabulary calls are sorted by: the urgency [`Category`] (order ҚР ДСМ-225/2020), the
//! [`TeamKind`] of a ground team, and the [`HospitalProfile`] a patient is likely to need. Data
//! files spell them in snake_case (`"phc_mobile"`, `"stroke"`); categories are the numbers 1–4.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Urgency category of an emergency call. 1 is the most urgent. Which arrival norm each one
/// has is data (a response standard), not fixed here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Category {
    /// Immediate threat to life.
    One,
    /// Potential threat to life.
    Two,
    /// Potential threat to health.
    Three,
    /// Acute illness or chronic exacerbation without threat to life or health.
    Four,
}

/// Why a number is not a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0} is not an urgency category (1-4)")]
pub struct CategoryError(pub i64);

impl Category {
    /// Every category, most urgent first.
    pub const ALL: [Category; 4] = [Category::One, Category::Two, Category::Three, Category::Four];

    /// The category with this number (1–4).
    pub fn from_number(number: i64) -> Result<Category, CategoryError> {
        match number {
            1 => Ok(Category::One),
            2 => Ok(Category::Two),
            3 => Ok(Category::Three),
            4 => Ok(Category::Four),
            other => Err(CategoryError(other)),
        }
    }

    /// The category's number, 1–4 (also its value in the API's `UrgencyCategory`).
    pub fn number(self) -> u8 {
        match self {
            Category::One => 1,
            Category::Two => 2,
            Category::Three => 3,
            Category::Four => 4,
        }
    }
}

impl TryFrom<u8> for Category {
    type Error = CategoryError;

    fn try_from(number: u8) -> Result<Self, Self::Error> {
        Category::from_number(i64::from(number))
    }
}

impl From<Category> for u8 {
    fn from(category: Category) -> u8 {
        category.number()
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())
    }
}

/// Declares a snake_case-named enum with its API number, so data files, storage and the API
/// agree on one spelling and one number per value.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $number:literal, $text:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in API order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The snake_case name data files and storage use.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The value with this snake_case name.
            pub fn parse(text: &str) -> Option<$name> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The value's number in the API enum (never 0, which is UNSPECIFIED there).
            pub fn number(self) -> i32 {
                match self {
                    $($name::$variant => $number,)+
                }
            }

            /// The value with this API number, `None` for 0 and unknown numbers.
            pub fn from_number(number: i32) -> Option<$name> {
                match number {
                    $($number => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use named_enum;

named_enum! {
    /// The kind of a ground team; it decides which calls the team may take.
    TeamKind {
        /// EMS crew led by a physician.
        Physician = 1, "physician";
        /// EMS crew led by a feldsher (paramedic).
        Feldsher = 2, "feldsher";
        /// Specialised resuscitation (intensive care) crew.
        Resuscitation = 3, "resuscitation";
        /// Specialised paediatric crew.
        Paediatric = 4, "paediatric";
        /// Primary-care mobile team, for category-4 calls in its time window.
        PhcMobile = 5, "phc_mobile";
    }
}

named_enum! {
    /// A hospital capability a patient is likely to need; a hint for choosing the destination.
    HospitalProfile {
        /// Stroke centre.
        Stroke = 1, "stroke";
        /// Percutaneous coronary intervention (STEMI) centre.
        Pci = 2, "pci";
        /// Trauma centre.
        Trauma = 3, "trauma";
        /// Perinatal centre.
        Perinatal = 4, "perinatal";
        /// Paediatric hospital or department.
        Paediatric = 5, "paediatric";
        /// Burns centre.
        Burns = 6, "burns";
        /// Toxicology centre.
        Toxicology = 7, "toxicology";
    }
}

named_enum! {
    /// Biological sex as recorded on the patient's documents (and encoded in the IIN).
    Sex {
        /// Male.
        Male = 1, "male";
        /// Female.
        Female = 2, "female";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_are_the_numbers_one_to_four() {
        for (n, category) in (1..=4).zip(Category::ALL) {
            assert_eq!(Category::from_number(n), Ok(category));
            assert_eq!(i64::from(category.number()), n);
        }
        assert_eq!(Category::from_number(0).unwrap_err().to_string(), "0 is not an urgency category (1-4)");
        assert!(Category::from_number(5).is_err());
        assert!(Category::One < Category::Four, "more urgent sorts first");
        assert_eq!(serde_json::to_string(&Category::Two).unwrap(), "2");
        assert!(serde_json::from_str::<Category>("7").is_err());
    }

    #[test]
    fn names_and_numbers_round_trip() {
        for kind in TeamKind::ALL {
            assert_eq!(TeamKind::parse(kind.as_str()), Some(*kind));
            assert_eq!(TeamKind::from_number(kind.number()), Some(*kind));
            assert_eq!(serde_json::to_string(kind).unwrap(), format!("\"{kind}\""));
        }
        for profile in HospitalProfile::ALL {
            assert_eq!(HospitalProfile::parse(profile.as_str()), Some(*profile));
            assert_eq!(HospitalProfile::from_number(profile.number()), Some(*profile));
        }
        assert_eq!(TeamKind::from_number(0), None);
        assert_eq!(Sex::parse("female"), Some(Sex::Female));
    }
}
