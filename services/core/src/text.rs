//! Helpers for quoting user input inside error messages without letting a huge or
//! multi-line value flood the message.

/// The value quoted for an error message: at most 40 characters, with control characters
/// escaped.
pub(crate) fn quote(value: &str) -> String {
    const MAX: usize = 40;
    let mut shown: String = value.chars().take(MAX).collect();
    if value.chars().count() > MAX {
        shown.push('…');
    }
    format!("{:?}", shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_and_odd_values_are_shortened_and_escaped() {
        assert_eq!(quote("KZ-7"), "\"KZ-7\"");
        assert_eq!(quote("a\nb"), "\"a\\nb\"");
        assert_eq!(quote(&"x".repeat(100)).chars().count(), 40 + 3);
    }
}
