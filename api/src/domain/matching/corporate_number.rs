//! Corporate numbers (法人番号): 13 digits, the first a check digit over the other twelve.
//!
//! The National Tax Agency's formula: weights 1 and 2 alternate from the rightmost digit of
//! the twelve; the check digit is 9 − (Σ digit × weight mod 9).

/// The check digit of a 12-digit base number.
fn check_digit(base: &[u8]) -> u8 {
    let sum: u32 = base
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| u32::from(*d) * if i % 2 == 0 { 1 } else { 2 })
        .sum();
    // `sum % 9` is below 9, so the result fits a digit.
    (9 - sum % 9) as u8
}

/// Accepts a corporate number whose check digit holds; explains what is wrong otherwise.
pub fn parse(value: &str) -> Result<String, String> {
    if value.len() != 13 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err("must be 13 digits".to_owned());
    }
    let digits: Vec<u8> = value.bytes().map(|b| b - b'0').collect();
    if digits[0] != check_digit(&digits[1..]) {
        return Err("the check digit (the first digit) does not match the other twelve".to_owned());
    }
    Ok(value.to_owned())
}

/// A valid corporate number for a 12-digit base (for seeding and tests).
pub fn with_check_digit(base: u64) -> String {
    let base = format!("{:012}", base % 1_000_000_000_000);
    let digits: Vec<u8> = base.bytes().map(|b| b - b'0').collect();
    format!("{}{base}", check_digit(&digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_numbers_pass() {
        // The National Tax Agency's own number, and another whose digits check out.
        assert!(parse("7000012050002").is_ok());
        assert!(parse("2000012010019").is_ok());
    }

    #[test]
    fn a_wrong_check_digit_or_shape_fails() {
        assert!(parse("8000012050002").is_err());
        assert!(parse("700001205000").is_err());
        assert!(parse("70000120500021").is_err());
        assert!(parse("70000120500a2").is_err());
        assert!(parse("").is_err());
    }

    #[test]
    fn every_generated_number_passes_and_every_other_check_digit_fails() {
        for base in [0, 1, 12_050_002, 999_999_999_999, 123_456_789_012] {
            let number = with_check_digit(base);
            assert!(parse(&number).is_ok(), "{number}");
            for wrong in 0..10u8 {
                let mut other = number.clone().into_bytes();
                if other[0] == b'0' + wrong {
                    continue;
                }
                other[0] = b'0' + wrong;
                let other = String::from_utf8(other).unwrap();
                assert!(parse(&other).is_err(), "{other}");
            }
        }
    }
}
