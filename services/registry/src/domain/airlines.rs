//! Airlines NCCEM contracts aircraft from, with the medical-aviation certificate each holds.

use chrono::NaiveDate;
use jedel_core::Bin;
use jedel_core::aviation::AirlineCode;
use jedel_core::calendar::{Period, format_date};

use super::{MAX_NAME_CHARS, Problems, Reference, optional_text, required_text, word_enum};

/// Longest certificate number.
const MAX_CERTIFICATE_CHARS: usize = 64;

word_enum!(
    /// Whether NCCEM may task an airline.
    AirlineStatus, "an airline status" {
        /// May be tasked.
        Active = 1, "active";
        /// Barred from tasking for now.
        Suspended = 2, "suspended";
    }
);

/// An airline's writable fields as they arrive, not yet checked. The certificate is three
/// fields, all empty when the airline holds none.
#[derive(Debug, Clone)]
pub struct AirlineInput<'a> {
    /// Airline code.
    pub code: &'a str,
    /// Legal name.
    pub name: &'a str,
    /// Business identification number.
    pub bin: &'a str,
    /// Certificate number; empty when none.
    pub certificate_number: &'a str,
    /// First day of the certificate, `None` when not given, or why it could not be read.
    pub certificate_issued: Result<Option<NaiveDate>, String>,
    /// Last day of the certificate, `None` when not given, or why it could not be read.
    pub certificate_expires: Result<Option<NaiveDate>, String>,
    /// Status, or why it could not be read.
    pub status: Result<AirlineStatus, String>,
}

/// A medical-aviation certificate, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct CertificateFields {
    /// Number as printed.
    pub number: String,
    /// First and last day of validity.
    pub validity: Period,
}

/// An airline's writable fields, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct AirlineFields {
    /// Airline code.
    pub code: AirlineCode,
    /// Legal name.
    pub name: String,
    /// Business identification number.
    pub bin: Bin,
    /// Current certificate, if any.
    pub certificate: Option<CertificateFields>,
    /// Status.
    pub status: AirlineStatus,
}

impl AirlineFields {
    /// Checks every field, recording each problem; `None` when there was any.
    pub fn parse(input: &AirlineInput<'_>, problems: &mut Problems) -> Option<AirlineFields> {
        let code = problems.check("code", AirlineCode::parse(input.code));
        let name = problems.check("name", required_text(input.name, MAX_NAME_CHARS));
        let bin = problems.check("bin", Bin::parse(input.bin));
        let certificate = certificate(input, problems);
        let status = problems.check("status", input.status.clone());
        Some(AirlineFields { code: code?, name: name?, bin: bin?, certificate: certificate?, status: status? })
    }
}

/// The certificate: none when all three fields are empty, else all three, in order.
fn certificate(input: &AirlineInput<'_>, problems: &mut Problems) -> Option<Option<CertificateFields>> {
    let number = problems.check("certificate_number", optional_text(input.certificate_number, MAX_CERTIFICATE_CHARS));
    let issued = problems.check("certificate_issued", input.certificate_issued.clone());
    let expires = problems.check("certificate_expires", input.certificate_expires.clone());
    let (number, issued, expires) = (number?, issued?, expires?);
    if number.is_empty() && issued.is_none() && expires.is_none() {
        return Some(None);
    }
    const WITH_OTHERS: &str = "is required with the other certificate fields";
    if number.is_empty() {
        problems.add("certificate_number", WITH_OTHERS);
    }
    if issued.is_none() {
        problems.add("certificate_issued", WITH_OTHERS);
    }
    let Some(expires) = expires else {
        problems.add("certificate_expires", WITH_OTHERS);
        return None;
    };
    let issued = issued?;
    match Period::new(issued, expires) {
        Ok(validity) if !number.is_empty() => Some(Some(CertificateFields { number, validity })),
        Ok(_) => None,
        Err(_) => {
            let message = format!("{} is before certificate_issued {}", format_date(expires), format_date(issued));
            problems.add("certificate_expires", message);
            None
        }
    }
}

/// What an airline references: nothing.
pub fn airline_references(_input: &AirlineInput<'_>) -> Vec<(&'static str, Reference)> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jedel_core::calendar::parse_date;

    fn good<'a>() -> AirlineInput<'a> {
        AirlineInput {
            code: "KAZAVIASPAS",
            name: "Kazaviaspas JSC",
            bin: "081140707705",
            certificate_number: "KZ-MA-2411",
            certificate_issued: Ok(Some(parse_date("2024-03-15").unwrap())),
            certificate_expires: Ok(Some(parse_date("2027-03-14").unwrap())),
            status: Ok(AirlineStatus::Active),
        }
    }

    fn columns(input: &AirlineInput<'_>) -> Vec<&'static str> {
        let mut problems = Problems::new();
        assert!(AirlineFields::parse(input, &mut problems).is_none());
        problems.into_vec().into_iter().map(|(c, _)| c).collect()
    }

    #[test]
    fn an_airline_has_a_whole_certificate_or_none() {
        let mut problems = Problems::new();
        let fields = AirlineFields::parse(&good(), &mut problems).unwrap();
        assert_eq!(fields.certificate.unwrap().validity.last(), parse_date("2027-03-14").unwrap());
        let none = AirlineInput {
            certificate_number: "",
            certificate_issued: Ok(None),
            certificate_expires: Ok(None),
            ..good()
        };
        assert_eq!(AirlineFields::parse(&none, &mut problems).unwrap().certificate, None);
        assert_eq!(columns(&AirlineInput { certificate_expires: Ok(None), ..good() }), ["certificate_expires"]);
        assert_eq!(
            columns(&AirlineInput { certificate_number: "", certificate_issued: Ok(None), ..good() }),
            ["certificate_number", "certificate_issued"]
        );
    }

    #[test]
    fn bin_and_dates_are_checked() {
        let reversed = AirlineInput {
            bin: "081140707706",
            certificate_issued: Ok(Some(parse_date("2027-03-15").unwrap())),
            ..good()
        };
        let mut problems = Problems::new();
        assert!(AirlineFields::parse(&reversed, &mut problems).is_none());
        assert_eq!(
            problems.into_vec(),
            [
                ("bin", "bin checksum does not match".to_string()),
                ("certificate_expires", "2027-03-14 is before certificate_issued 2027-03-15".to_string()),
            ]
        );
    }
}
