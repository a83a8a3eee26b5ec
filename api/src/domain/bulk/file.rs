//! An uploaded file: its limits, its encoding and its rows.
//!
//! Japanese spreadsheets write CSV as UTF-8 (often with a byte-order mark) or as
//! Shift_JIS. A file names its encoding by the `charset` of its content type, or is read
//! as UTF-8 when it starts with a byte-order mark or is valid UTF-8, and as Shift_JIS
//! otherwise.

use encoding_rs::{Encoding, SHIFT_JIS, UTF_8};
use sha2::{Digest, Sha256};

use crate::domain::{DomainError, DomainResult};

/// The largest file accepted (20 MiB).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// The most data rows a file may hold.
pub const MAX_ROWS: usize = 50_000;

/// The encoding a file is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Utf8,
    ShiftJis,
}

impl Charset {
    /// The encoding a `charset` label names (`utf-8`, `shift_jis`, `sjis`, `windows-31j`, …),
    /// if it is one of the two read here.
    pub fn from_label(label: &str) -> Option<Charset> {
        let encoding = Encoding::for_label(label.trim().trim_matches('"').as_bytes())?;
        if encoding == UTF_8 {
            Some(Charset::Utf8)
        } else if encoding == SHIFT_JIS {
            Some(Charset::ShiftJis)
        } else {
            None
        }
    }
}

/// One data row: its number as a spreadsheet shows it (the header is row 1) and its cells,
/// in the header's order.
#[derive(Debug, Clone)]
pub struct Row {
    pub number: i32,
    pub cells: Vec<String>,
}

/// A file read: its header (column names, trimmed and in lower case) and its rows.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

impl Sheet {
    /// The index of a column, if the header has it.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

/// SHA-256 of the file as uploaded, in hexadecimal.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The file's text, in the encoding it declares or the one it is found to be in.
pub fn decode(bytes: &[u8], declared: Option<Charset>) -> DomainResult<String> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    let not_utf8 = || DomainError::invalid("file", "is not valid UTF-8");
    match declared {
        Some(Charset::Utf8) => {
            let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
            String::from_utf8(bytes.to_vec()).map_err(|_| not_utf8())
        }
        Some(Charset::ShiftJis) => shift_jis(bytes),
        None => match bytes.strip_prefix(BOM) {
            Some(rest) => String::from_utf8(rest.to_vec()).map_err(|_| not_utf8()),
            None => match std::str::from_utf8(bytes) {
                Ok(text) => Ok(text.to_owned()),
                Err(_) => shift_jis(bytes)
                    .map_err(|_| DomainError::invalid("file", "is neither UTF-8 nor Shift_JIS")),
            },
        },
    }
}

fn shift_jis(bytes: &[u8]) -> DomainResult<String> {
    let (text, had_errors) = SHIFT_JIS.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(DomainError::invalid("file", "is not valid Shift_JIS"));
    }
    Ok(text.into_owned())
}

/// The refusal of a file over [`MAX_FILE_BYTES`].
pub fn too_large() -> DomainError {
    DomainError::invalid("file", "is larger than 20 MiB: split it")
}

/// Reads CSV text: a header row naming columns from `known` (every one of `required`
/// present, none twice), then at most [`MAX_ROWS`] data rows. Empty lines are skipped; a
/// row with more or fewer cells than the header is kept with its cells as they are, for
/// the job to reject.
pub fn read(text: &str, known: &[&str], required: &[&str]) -> DomainResult<Sheet> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(record)) => record,
        Some(Err(err)) => return Err(DomainError::invalid("file", format!("row 1: {err}"))),
        None => {
            return Err(DomainError::invalid(
                "file",
                "is empty: it needs a header row",
            ));
        }
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    check_header(&header, known, required)?;
    let mut rows = Vec::new();
    // Rows are numbered as a spreadsheet shows them (the header is row 1; a cell with line
    // breaks is one row); an empty line is skipped and not numbered.
    for (index, record) in records.enumerate() {
        let number = i32::try_from(index + 2).unwrap_or(i32::MAX);
        let record =
            record.map_err(|err| DomainError::invalid("file", format!("row {number}: {err}")))?;
        if rows.len() == MAX_ROWS {
            return Err(DomainError::invalid(
                "file",
                format!("has more than {MAX_ROWS} data rows: split it"),
            ));
        }
        rows.push(Row {
            number,
            cells: record.iter().map(str::to_owned).collect(),
        });
    }
    Ok(Sheet { header, rows })
}

fn check_header(header: &[String], known: &[&str], required: &[&str]) -> DomainResult<()> {
    let mut problems = Vec::new();
    for (i, name) in header.iter().enumerate() {
        if !known.contains(&name.as_str()) {
            problems.push(format!(
                "column {} `{name}` is not one of {}",
                i + 1,
                known.join(", ")
            ));
        } else if header[..i].contains(name) {
            problems.push(format!("column `{name}` appears twice"));
        }
    }
    for name in required {
        if !header.iter().any(|h| h == name) {
            problems.push(format!("the header lacks the column `{name}`"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(DomainError::invalid("file", problems.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_or_valid_utf8_reads_as_utf8_and_anything_else_as_shift_jis() {
        assert_eq!(decode("名前\n".as_bytes(), None).unwrap(), "名前\n");
        assert_eq!(decode(b"\xEF\xBB\xBFname\n", None).unwrap(), "name\n");
        let (sjis, _, _) = SHIFT_JIS.encode("株式会社\n");
        assert_eq!(decode(&sjis, None).unwrap(), "株式会社\n");
        assert_eq!(
            decode(&sjis, Some(Charset::ShiftJis)).unwrap(),
            "株式会社\n"
        );
        assert!(decode(&sjis, Some(Charset::Utf8)).is_err());
        assert!(decode(b"\x82", None).is_err());
    }

    #[test]
    fn charset_labels_name_the_two_encodings_read() {
        assert_eq!(Charset::from_label("Shift_JIS"), Some(Charset::ShiftJis));
        assert_eq!(Charset::from_label("windows-31j"), Some(Charset::ShiftJis));
        assert_eq!(Charset::from_label("\"utf-8\""), Some(Charset::Utf8));
        assert_eq!(Charset::from_label("euc-jp"), None);
    }

    #[test]
    fn the_header_names_known_columns_once_and_every_required_one() {
        let known = ["a", "b", "c"];
        assert!(read("A, b\n1,2\n", &known, &["a"]).is_ok());
        assert!(read("a,d\n", &known, &["a"]).is_err());
        assert!(read("a,a\n", &known, &["a"]).is_err());
        assert!(read("b\n", &known, &["a"]).is_err());
        assert!(read("", &known, &["a"]).is_err());
        let sheet = read("a,b\n1,2\n\n\"x\ny\",3\n4\n", &known, &[]).unwrap();
        let numbers: Vec<i32> = sheet.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [2, 3, 4]);
        assert_eq!(sheet.rows[1].cells, ["x\ny", "3"]);
        assert_eq!(sheet.rows[2].cells, ["4"]);
    }
}
