//! What a successful call returns, decided once from an operation's success answers.

use crate::ir::{Response, Success, TypeRef};

/// The [`Success`] of an operation with these answers: a selected union when an answer names its
/// selector; else by the distinct success bodies, and whether some success status has none.
pub(crate) fn success(responses: &[Response]) -> Success {
    let successes: Vec<&Response> = responses.iter().filter(|r| r.is_success()).collect();
    if let Some((ty, selector)) = successes.iter().find_map(|r| Some((r.ty.as_ref()?, r.selector.as_ref()?))) {
        return Success::Selected(ty.clone(), selector.clone());
    }
    let mut bodies: Vec<&TypeRef> = successes.iter().filter_map(|r| r.ty.as_ref()).collect();
    bodies.dedup();
    let empty_allowed = successes.iter().any(|r| r.ty.is_none());
    match (bodies.as_slice(), empty_allowed) {
        ([], _) => Success::Nothing,
        ([TypeRef::Binary], _) if successes.iter().any(|r| r.ty.is_some() && !r.text) => Success::Bytes,
        ([TypeRef::Binary], _) => Success::Text,
        ([ty], false) => Success::One((*ty).clone()),
        ([ty], true) => Success::Maybe((*ty).clone()),
        _ => Success::AnyJson,
    }
}
