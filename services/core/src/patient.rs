//! What an [`Iin`] says about its holder: the birth date (digits 1–6, YYMMDD) and, in the 7th
//! digit, the century and sex (1/2 born in the 1800s, 3/4 in the 1900s, 5/6 in the 2000s; odd
//! male, even female). Also a patient's age in full years on a given day.
//!
//! These are extra methods on [`Iin`] (defined in `id_number`, which checks the checksum): the
//! checksum alone accepts numbers that encode no date, so [`Iin::birth`] may still refuse.

use chrono::{Datelike as _, NaiveDate};

use crate::category::Sex;
use crate::id_number::Iin;

/// Birth date and sex encoded in an IIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IinBirth {
    /// Date of birth.
    pub date: NaiveDate,
    /// Sex.
    pub sex: Sex,
}

/// Why an IIN with a valid checksum encodes no birth date. Messages never show the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IinBirthError {
    /// The 7th digit is not 1–6.
    #[error("iin 7th digit must be 1-6 (century and sex)")]
    BadCenturyDigit,
    /// Digits 1–6 are not a calendar date in the century the 7th digit names.
    #[error("iin digits 1-6 are not a valid birth date")]
    BadDate,
}

impl Iin {
    /// The holder's birth date and sex, read from the number.
    pub fn birth(&self) -> Result<IinBirth, IinBirthError> {
        let d = self.expose().as_bytes();
        let digit = |i: usize| u32::from(d[i] - b'0');
        let (century, sex) = match digit(6) {
            1 => (1800, Sex::Male),
            2 => (1800, Sex::Female),
            3 => (1900, Sex::Male),
            4 => (1900, Sex::Female),
            5 => (2000, Sex::Male),
            6 => (2000, Sex::Female),
            _ => return Err(IinBirthError::BadCenturyDigit),
        };
        let year = century + (digit(0) * 10 + digit(1)) as i32;
        let month = digit(2) * 10 + digit(3);
        let day = digit(4) * 10 + digit(5);
        let date = NaiveDate::from_ymd_opt(year, month, day).ok_or(IinBirthError::BadDate)?;
        Ok(IinBirth { date, sex })
    }
}

/// Age in full years on `today` of someone born on `birth_date`; `None` when `today` is before
/// the birth date. Someone born on 29 February turns a year older on 1 March in common years.
pub fn age_on(birth_date: NaiveDate, today: NaiveDate) -> Option<u32> {
    if today < birth_date {
        return None;
    }
    let mut years = today.year() - birth_date.year();
    if (today.month(), today.day()) < (birth_date.month(), birth_date.day()) {
        years -= 1;
    }
    Some(years as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id_number::check_digit;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// A valid IIN for a date and century/sex digit, with serial `serial` (4 digits) and
    /// the checksum computed; `None` when those digits admit no check digit.
    fn iin_for(birth: NaiveDate, century_sex: u8, serial: u16) -> Option<Iin> {
        let first = format!("{:02}{:02}{:02}{century_sex}{serial:04}", birth.year() % 100, birth.month(), birth.day());
        let mut digits = [0u8; 11];
        for (d, b) in digits.iter_mut().zip(first.bytes()) {
            *d = b - b'0';
        }
        let check = check_digit(&digits)?;
        Some(Iin::parse(&format!("{first}{check}")).unwrap())
    }

    #[test]
    fn worked_examples() {
        let iin = Iin::parse("900101300017").unwrap();
        assert_eq!(iin.birth(), Ok(IinBirth { date: date(1990, 1, 1), sex: Sex::Male }));
        let girl = iin_for(date(2015, 6, 30), 6, 1234).unwrap();
        assert_eq!(girl.birth(), Ok(IinBirth { date: date(2015, 6, 30), sex: Sex::Female }));
        let old = iin_for(date(1899, 12, 31), 1, 7).unwrap();
        assert_eq!(old.birth(), Ok(IinBirth { date: date(1899, 12, 31), sex: Sex::Male }));
    }

    #[test]
    fn numbers_that_encode_no_date_are_refused() {
        let with = |first: &str| {
            let mut digits = [0u8; 11];
            for (d, b) in digits.iter_mut().zip(first.bytes()) {
                *d = b - b'0';
            }
            check_digit(&digits).map(|c| Iin::parse(&format!("{first}{c}")).unwrap())
        };
        // Find serials whose checksum exists, for each broken shape.
        let find = |prefix: &str| (0..100).find_map(|s| with(&format!("{prefix}{s:04}"))).unwrap();
        assert_eq!(find("9001010").birth(), Err(IinBirthError::BadCenturyDigit));
        assert_eq!(find("9001017").birth(), Err(IinBirthError::BadCenturyDigit));
        assert_eq!(find("9013013").birth(), Err(IinBirthError::BadDate));
        assert_eq!(find("9002303").birth(), Err(IinBirthError::BadDate));
        // 29 February exists in 2000 (digit 5), not in 1900 (digit 3).
        assert!(find("0002295").birth().is_ok());
        assert_eq!(find("0002293").birth(), Err(IinBirthError::BadDate));
        assert!(!IinBirthError::BadDate.to_string().contains("0002"));
    }

    #[test]
    fn ages_count_full_years() {
        let born = date(1990, 6, 15);
        assert_eq!(age_on(born, date(2025, 6, 14)), Some(34));
        assert_eq!(age_on(born, date(2025, 6, 15)), Some(35));
        assert_eq!(age_on(born, born), Some(0));
        assert_eq!(age_on(born, date(1990, 6, 14)), None);
        let leap = date(2004, 2, 29);
        assert_eq!(age_on(leap, date(2005, 2, 28)), Some(0));
        assert_eq!(age_on(leap, date(2005, 3, 1)), Some(1));
        assert_eq!(age_on(leap, date(2008, 2, 29)), Some(4));
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (1800i32..2100, 1u32..=366)
            .prop_filter_map("a day of the year", |(y, ordinal)| NaiveDate::from_yo_opt(y, ordinal))
    }

    proptest! {
        #[test]
        fn birth_date_and_sex_round_trip_through_the_number(birth in any_date(), female in any::<bool>(), serial in 0u16..10_000) {
            let century = birth.year() / 100;
            let digit = match (century, female) {
                (18, false) => 1, (18, true) => 2,
                (19, false) => 3, (19, true) => 4,
                (_, false) => 5, (_, true) => 6,
            };
            if let Some(iin) = iin_for(birth, digit, serial) {
                let derived = iin.birth().unwrap();
                prop_assert_eq!(derived.date, birth);
                prop_assert_eq!(derived.sex, if female { Sex::Female } else { Sex::Male });
            }
        }

        #[test]
        fn every_valid_iin_yields_a_date_or_a_reason(first in "[0-9]{11}") {
            let mut digits = [0u8; 11];
            for (d, b) in digits.iter_mut().zip(first.bytes()) {
                *d = b - b'0';
            }
            if let Some(check) = check_digit(&digits) {
                let iin = Iin::parse(&format!("{first}{check}")).unwrap();
                match iin.birth() {
                    Ok(birth) => {
                        prop_assert!((1..=6).contains(&digits[6]));
                        prop_assert_eq!(birth.date.format("%y%m%d").to_string(), first[..6].to_string());
                        prop_assert_eq!(birth.sex == Sex::Female, digits[6] % 2 == 0);
                        prop_assert_eq!(birth.date.year() / 100, 17 + i32::from(digits[6]).div_euclid(2) + i32::from(digits[6] % 2));
                    }
                    Err(IinBirthError::BadCenturyDigit) => prop_assert!(!(1..=6).contains(&digits[6])),
                    Err(IinBirthError::BadDate) => prop_assert!((1..=6).contains(&digits[6])),
                }
            }
        }

        #[test]
        fn age_grows_by_one_on_each_birthday(birth in any_date(), years in 0i32..120) {
            if let Some(birthday) = birth.with_year(birth.year() + years) {
                prop_assert_eq!(age_on(birth, birthday), Some(years as u32));
                if let Some(eve) = birthday.pred_opt() && years > 0 {
                    prop_assert_eq!(age_on(birth, eve), Some(years as u32 - 1));
                }
            }
        }
    }
}
