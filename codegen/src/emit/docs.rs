//! Doc comments for generated items.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes, one per line, paragraphs separated by an empty line.
pub fn attrs<I, S>(paragraphs: I) -> TokenStream
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut lines: Vec<String> = Vec::new();
    for paragraph in paragraphs {
        let paragraph = paragraph.as_ref().trim();
        if paragraph.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(paragraph.lines().map(|l| format!(" {}", l.trim_end())));
    }
    let lines = lines.iter().map(|l| if l.trim().is_empty() { "" } else { l.as_str() });
    quote! { #( #[doc = #lines] )* }
}

/// Inline code in docs.
pub fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', "'"))
}
