//! Doc comments for generated items.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes, one per line, paragraphs separated by an empty line.
pub fn attrs<I, S>(paragraphs: I) -> TokenStream
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let lines = lines(paragraphs);
    quote! { #( #[doc = #lines] )* }
}

/// The same as inner attributes (`#![doc = "..."]`), for a module's own docs.
pub fn inner_attrs<I, S>(paragraphs: I) -> TokenStream
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let lines = lines(paragraphs);
    quote! { #( #![doc = #lines] )* }
}

fn lines<I, S>(paragraphs: I) -> Vec<String>
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
    lines.into_iter().map(|l| if l.trim().is_empty() { String::new() } else { l }).collect()
}

/// Inline code in docs.
pub fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', "'"))
}

/// A JSON pointer for docs, with the middle of a very long one left out: an inline type nested
/// hundreds of levels deep would otherwise repeat its whole path in every type's docs.
pub fn shorten(pointer: &str) -> String {
    const KEEP: usize = 80;
    let chars: Vec<char> = pointer.chars().collect();
    if chars.len() <= 2 * KEEP {
        return pointer.to_owned();
    }
    let head: String = chars[..KEEP].iter().collect();
    let tail: String = chars[chars.len() - KEEP..].iter().collect();
    format!("{head}…{tail}")
}
