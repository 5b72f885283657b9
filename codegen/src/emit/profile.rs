//! The API's conventions as the runtime's `Profile` (the client's `PROFILE`), and its rate-limit
//! plans as an enum the client builder takes.

use super::docs;
use crate::ir::Profile;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// `Client::PROFILE`: the user agent is the generated crate's own name and version.
pub(super) fn constant(profile: &Profile) -> TokenStream {
    let token_endpoint = profile.token_url.as_ref().map(|url| {
        let grant = profile.grant_type.as_deref().unwrap_or("client_credentials");
        quote!(.token_endpoint(#url, #grant))
    });
    let codes = profile.invalid_token_codes.iter().map(|&code| Literal::i64_unsuffixed(code));
    let codes = (!profile.invalid_token_codes.is_empty()).then(|| quote!(.invalid_token_codes(&[#(#codes),*])));
    let request_id = profile.request_id_header.as_ref().map(|name| quote!(.request_id_header(#name)));
    let error_fields = roles(&profile.error_fields, &[("code", "code"), ("message", "message"), ("errors", "errors")])
        .map(|fields| quote!(.error_fields(runtime::ErrorFields { #fields })));
    let limit_roles = [("category", "category"), ("type", "kind"), ("limit", "limit"), ("remaining", "remaining")];
    let rate_limit_headers = roles(&profile.rate_limit_headers, &limit_roles)
        .map(|headers| quote!(.rate_limit_headers(runtime::RateLimitHeaders { #headers })));
    quote! {
        /// What the description says about the API beyond its operations: its token endpoint,
        /// its error body, the error codes that mean a token was refused, the headers carrying a
        /// request's id and its rate limit.
        pub const PROFILE: runtime::Profile =
            runtime::Profile::new(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
                #token_endpoint #error_fields #codes #request_id #rate_limit_headers;
    }
}

/// The fields of a runtime struct of optional names, one per `(role, field)`, from the names the
/// description gives by role; `None` when it gives none.
fn roles(given: &[(String, String)], roles: &[(&str, &str)]) -> Option<TokenStream> {
    if given.is_empty() {
        return None;
    }
    let fields = roles.iter().map(|(role, field)| {
        let field = format_ident!("{}", field);
        match given.iter().find(|(r, _)| r == role) {
            Some((_, name)) => quote!(#field: Some(#name),),
            None => quote!(#field: None,),
        }
    });
    Some(quote!(#(#fields)*))
}

/// `Plan`, one variant per plan, which `ClientBuilder::rate_limit` takes; nothing when the
/// description lists no plans.
pub(super) fn plans(profile: &Profile) -> Option<TokenStream> {
    if profile.rate_plans.is_empty() {
        return None;
    }
    let variants = profile.rate_plans.iter().map(|plan| {
        let ident = format_ident!("{}", plan.variant);
        let doc = docs::attrs(&plan.description);
        quote!(#doc #ident)
    });
    let arms = profile.rate_plans.iter().map(|plan| {
        let ident = format_ident!("{}", plan.variant);
        let limits = plan.intervals.iter().map(|(label, nanos)| {
            let nanos = Literal::u64_unsuffixed(*nanos);
            quote!((#label, std::time::Duration::from_nanos(#nanos)))
        });
        // A const, so the table is static: a function call in it is never promoted.
        quote!(Plan::#ident => {
            const LIMITS: runtime::RateLimits = runtime::RateLimits::new(&[#(#limits),*]);
            LIMITS
        })
    });
    Some(quote! {
        /// The account plans whose published rate limits the client can pace requests to
        /// (`Client::builder().rate_limit(Plan::..)`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Plan {
            #(#variants,)*
        }

        impl From<Plan> for runtime::RateLimits {
            fn from(plan: Plan) -> Self {
                match plan {
                    #(#arms,)*
                }
            }
        }
    })
}
