//! What may be attached to a request: the allowed [`ContentType`]s (PDF, JPEG, PNG, DICOM,
//! plain text), the size limit, file names, and a check that the bytes are what their declared
//! type says (a PDF starts `%PDF-`, a DICOM file carries `DICM` after its 128-byte preamble,
//! plain text is UTF-8), so a mislabelled file is refused rather than stored.

use std::fmt;

use crate::text::quote;

/// Largest piece of content in one stream message, both ways.
pub const MAX_CHUNK_BYTES: usize = 1 << 20;
/// The default size limit of one document: 20 MiB.
pub const DEFAULT_MAX_DOCUMENT_BYTES: u64 = 20 << 20;
/// Longest file name, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 255;

/// A content type Jedel can store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContentType {
    /// `application/pdf`.
    Pdf,
    /// `image/jpeg`.
    Jpeg,
    /// `image/png`.
    Png,
    /// `application/dicom` (DICOM Part 10 file).
    Dicom,
    /// `text/plain` (UTF-8).
    PlainText,
}

impl ContentType {
    /// Every type Jedel knows, the default allowed list.
    pub const ALL: [ContentType; 5] =
        [ContentType::Pdf, ContentType::Jpeg, ContentType::Png, ContentType::Dicom, ContentType::PlainText];

    /// The MIME type as stored and shown.
    pub fn mime(self) -> &'static str {
        match self {
            ContentType::Pdf => "application/pdf",
            ContentType::Jpeg => "image/jpeg",
            ContentType::Png => "image/png",
            ContentType::Dicom => "application/dicom",
            ContentType::PlainText => "text/plain",
        }
    }

    /// The type a MIME type names: case is ignored, and parameters (`; charset=utf-8`) too.
    pub fn from_mime(text: &str) -> Option<ContentType> {
        let essence = text.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        ContentType::ALL.into_iter().find(|t| t.mime() == essence)
    }

    /// Whether `content` looks like this type.
    pub fn matches(self, content: &[u8]) -> bool {
        match self {
            ContentType::Pdf => content.starts_with(b"%PDF-"),
            ContentType::Jpeg => content.starts_with(&[0xFF, 0xD8, 0xFF]),
            ContentType::Png => content.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]),
            ContentType::Dicom => content.get(128..132) == Some(b"DICM"),
            ContentType::PlainText => std::str::from_utf8(content).is_ok() && !content.contains(&0),
        }
    }

    /// What the content should be, for people.
    fn described(self) -> &'static str {
        match self {
            ContentType::Pdf => "a PDF document",
            ContentType::Jpeg => "a JPEG image",
            ContentType::Png => "a PNG image",
            ContentType::Dicom => "a DICOM file",
            ContentType::PlainText => "UTF-8 plain text",
        }
    }
}

impl fmt::Display for ContentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.mime())
    }
}

/// Why a document is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// Nothing was given.
    #[error("is required")]
    Empty,
    /// The content type is not on the allowed list.
    #[error("{} is not allowed; allowed: {allowed}", quote(.given))]
    TypeNotAllowed {
        /// What was given.
        given: String,
        /// The allowed MIME types, comma-separated.
        allowed: String,
    },
    /// The declared size is zero or negative.
    #[error("must be at least 1 byte")]
    NotPositive,
    /// The declared or received size is over the limit.
    #[error("{size} bytes is over the limit of {limit} bytes")]
    TooLarge {
        /// The size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A file name with a path, control characters, or too long.
    #[error("must be a plain file name of at most 255 characters, without / \\ or control characters")]
    BadFileName,
    /// The bytes are not what the content type says.
    #[error("the content is not {0}")]
    ContentMismatch(&'static str),
}

/// The deployment's rules for documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRules {
    /// Largest document, bytes.
    pub max_bytes: u64,
    /// Content types accepted.
    pub allowed: Vec<ContentType>,
}

impl Default for DocumentRules {
    fn default() -> Self {
        DocumentRules { max_bytes: DEFAULT_MAX_DOCUMENT_BYTES, allowed: ContentType::ALL.to_vec() }
    }
}

impl DocumentRules {
    /// The content type `text` names, if it is allowed.
    pub fn content_type(&self, text: &str) -> Result<ContentType, DocumentError> {
        if text.trim().is_empty() {
            return Err(DocumentError::Empty);
        }
        ContentType::from_mime(text).filter(|t| self.allowed.contains(t)).ok_or_else(|| DocumentError::TypeNotAllowed {
            given: text.to_string(),
            allowed: self.allowed.iter().map(|t| t.mime()).collect::<Vec<_>>().join(", "),
        })
    }

    /// A declared size, if it is within the limit.
    pub fn declared_size(&self, size: i64) -> Result<u64, DocumentError> {
        let size = u64::try_from(size).ok().filter(|s| *s > 0).ok_or(DocumentError::NotPositive)?;
        self.within_limit(size)
    }

    /// `size` if it is within the limit.
    pub fn within_limit(&self, size: u64) -> Result<u64, DocumentError> {
        if size > self.max_bytes { Err(DocumentError::TooLarge { size, limit: self.max_bytes }) } else { Ok(size) }
    }
}

/// A file name as shown to the downloader: trimmed, no directories, no control characters.
pub fn file_name(text: &str) -> Result<String, DocumentError> {
    let name = text.trim();
    if name.is_empty() {
        return Err(DocumentError::Empty);
    }
    let plain = name.chars().count() <= MAX_FILE_NAME_CHARS
        && name != "."
        && name != ".."
        && !name.chars().any(|c| c == '/' || c == '\\' || c.is_control());
    if plain { Ok(name.to_string()) } else { Err(DocumentError::BadFileName) }
}

/// Refuses `content` unless it looks like `content_type`.
pub fn check_content(content_type: ContentType, content: &[u8]) -> Result<(), DocumentError> {
    if content_type.matches(content) { Ok(()) } else { Err(DocumentError::ContentMismatch(content_type.described())) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_allowed_types_are_accepted() {
        let rules = DocumentRules::default();
        assert_eq!(rules.content_type("application/pdf"), Ok(ContentType::Pdf));
        assert_eq!(rules.content_type("Text/Plain; charset=utf-8"), Ok(ContentType::PlainText));
        assert_eq!(rules.content_type("application/dicom"), Ok(ContentType::Dicom));
        assert_eq!(rules.content_type(""), Err(DocumentError::Empty));
        assert_eq!(
            rules.content_type("application/zip").unwrap_err().to_string(),
            "\"application/zip\" is not allowed; allowed: application/pdf, image/jpeg, image/png, \
             application/dicom, text/plain"
        );
        let pdf_only = DocumentRules { allowed: vec![ContentType::Pdf], ..rules };
        assert!(pdf_only.content_type("image/png").is_err());
    }

    #[test]
    fn sizes_are_within_the_limit() {
        let rules = DocumentRules::default();
        assert_eq!(rules.declared_size(1), Ok(1));
        assert_eq!(rules.declared_size(20 << 20), Ok(20 << 20));
        assert_eq!(
            rules.declared_size((20 << 20) + 1),
            Err(DocumentError::TooLarge { size: (20 << 20) + 1, limit: 20 << 20 })
        );
        assert_eq!(rules.declared_size(0), Err(DocumentError::NotPositive));
        assert_eq!(rules.declared_size(-5), Err(DocumentError::NotPositive));
    }

    #[test]
    fn content_must_be_what_the_type_says() {
        assert!(check_content(ContentType::Pdf, b"%PDF-1.7\n...").is_ok());
        assert_eq!(
            check_content(ContentType::Pdf, b"GIF89a").unwrap_err().to_string(),
            "the content is not a PDF document"
        );
        assert!(check_content(ContentType::Png, &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]).is_ok());
        assert!(check_content(ContentType::Jpeg, &[0xFF, 0xD8, 0xFF, 0xE0]).is_ok());
        let mut dicom = vec![0u8; 128];
        dicom.extend_from_slice(b"DICM\x02\x00");
        assert!(check_content(ContentType::Dicom, &dicom).is_ok());
        assert!(check_content(ContentType::Dicom, b"DICM").is_err());
        assert!(check_content(ContentType::PlainText, "Қан қысымы 120/80".as_bytes()).is_ok());
        assert!(check_content(ContentType::PlainText, &[0xFF, 0xFE, 0]).is_err());
    }

    #[test]
    fn file_names_are_plain() {
        assert_eq!(file_name(" выписка.pdf "), Ok("выписка.pdf".to_string()));
        for bad in ["../etc/passwd", "a\\b.pdf", "a\nb", "..", &"x".repeat(256)] {
            assert_eq!(file_name(bad), Err(DocumentError::BadFileName), "{bad}");
        }
        assert_eq!(file_name(""), Err(DocumentError::Empty));
    }
}
