//! The enum over an API's events: one variant per event, chosen by the value of the body's tag
//! property, and `Unknown` keeping any other event as sent, so a new event never fails a
//! receiver. The events' own types are ordinary models, emitted with the others.

use super::{docs, rust_type};
use crate::ir::{Webhook, Webhooks};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn emit(webhooks: &Webhooks, runtime: &TokenStream) -> TokenStream {
    let name = format_ident!("{}", webhooks.enum_name);
    let tag = &webhooks.tag;
    let events = &webhooks.events;
    let variants: Vec<_> = events.iter().map(|e| format_ident!("{}", e.variant)).collect();
    let wires: Vec<&str> = events.iter().map(|e| e.name.as_str()).collect();
    let types = events.iter().map(|e| rust_type(&e.ty, &TokenStream::new(), runtime));
    let variant_docs = events.iter().map(variant_doc);
    let doc = docs::attrs([
        format!(
            "An event notification, told apart by its {} property. An event this SDK does not know \
             is kept whole in `Unknown`.",
            docs::code(tag)
        ),
        "Decode a request with the runtime's `WebhookVerifier`, which checks its signature first.".to_owned(),
    ]);
    let verifier = webhooks.signature.as_ref().map(|s| {
        let (signature, timestamp, version) = (&s.signature_header, &s.timestamp_header, &s.version);
        let validation = s.validation_event.as_ref().map(|event| quote!(.validation_event(#event)));
        quote! {
            /// How the API signs its notifications, from the description.
            pub const SIGNATURE: #runtime::WebhookScheme =
                #runtime::WebhookScheme::new(#signature, #timestamp, #version) #validation;

            /// A verifier of this API's notifications for the app whose secret token is `secret_token`.
            pub fn verifier(secret_token: impl AsRef<[u8]>) -> Result<#runtime::WebhookVerifier, #runtime::WebhookError> {
                #runtime::WebhookVerifier::new(Self::SIGNATURE, secret_token)
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #( #variant_docs #variants(#types), )*
            /// An event this SDK does not know (yet), kept as sent.
            Unknown(serde_json::Value),
        }

        impl #name {
            /// The property of a body that names its event.
            pub const TAG: &'static str = #tag;
            /// The names of the events this SDK knows, in the description's order.
            pub const NAMES: &'static [&'static str] = &[#(#wires),*];

            #verifier

            /// The event's name, as sent (empty for an unknown event without one).
            pub fn name(&self) -> &str {
                match self {
                    #( Self::#variants(_) => #wires, )*
                    Self::Unknown(value) => value.get(#tag).and_then(serde_json::Value::as_str).unwrap_or_default(),
                }
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #( Self::#variants(event) => event.serialize(serializer), )*
                    Self::Unknown(value) => value.serialize(serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                let event = value.get(#tag).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
                let known = |error: serde_json::Error| {
                    <D::Error as serde::de::Error>::custom(format_args!("event `{event}`: {error}"))
                };
                Ok(match event.as_str() {
                    #( #wires => Self::#variants(serde_json::from_value(value).map_err(known)?), )*
                    _ => Self::Unknown(value),
                })
            }
        }
    }
}

fn variant_doc(event: &Webhook) -> TokenStream {
    let mut first = docs::code(&event.name);
    if let Some(summary) = &event.summary {
        first = format!("{first}: {summary}");
    }
    let deprecated = event.deprecated.then(|| "**Deprecated** by the API description.".to_owned());
    docs::attrs([Some(first), deprecated].into_iter().flatten())
}
