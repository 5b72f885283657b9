//! The API's conventions beyond its operations (`ir::Profile`): the OAuth 2 client-credentials
//! scheme's token endpoint, with `x-grant-type` and `x-invalid-token-codes` on it, and the
//! document's `x-request-id-header`, `x-error-fields`, `x-rate-limit-headers` and
//! `x-rate-limit-plans`; and how it signs its event notifications, `x-webhook-signature` (see
//! `spec/README.md`).

use super::Lowerer;
use crate::diagnostics::join;
use crate::ir::{Profile, RatePlan, WebhookSignature};
use crate::names;
use openapiv3::{ReferenceOr, SecurityScheme};
use serde_json::Value;

impl Lowerer<'_> {
    pub(super) fn profile(&mut self) -> Profile {
        let mut profile = Profile::default();
        let schemes = self.doc.components.iter().flat_map(|c| &c.security_schemes);
        for (key, scheme) in schemes {
            let ReferenceOr::Item(SecurityScheme::OAuth2 { flows, extensions, .. }) = scheme else { continue };
            let Some(flow) = &flows.client_credentials else { continue };
            if profile.token_url.is_some() {
                continue;
            }
            let at = join("#/components/securitySchemes", &[key]);
            profile.token_url = Some(flow.token_url.clone());
            match extensions.get("x-grant-type") {
                None => {}
                Some(Value::String(grant)) if !grant.is_empty() => profile.grant_type = Some(grant.clone()),
                Some(_) => self.error(format!("{at}/x-grant-type"), "x-grant-type must be a grant type's name"),
            }
            match extensions.get("x-invalid-token-codes") {
                None => {}
                Some(Value::Array(codes)) if codes.iter().all(Value::is_i64) => {
                    profile.invalid_token_codes = codes.iter().filter_map(Value::as_i64).collect();
                }
                Some(_) => self.error(
                    format!("{at}/x-invalid-token-codes"),
                    "x-invalid-token-codes must be a list of the API's integer error codes",
                ),
            }
        }
        let extensions = &self.doc.extensions;
        match extensions.get("x-request-id-header") {
            None => {}
            Some(Value::String(name)) if is_header_name(name) => profile.request_id_header = Some(name.to_lowercase()),
            Some(_) => self.error("#/x-request-id-header", "x-request-id-header must be an HTTP header name"),
        }
        profile.error_fields = self.roles("x-error-fields", &["code", "message", "errors"], |name| {
            (!name.is_empty()).then(|| name.to_owned())
        });
        profile.rate_limit_headers =
            self.roles("x-rate-limit-headers", &["category", "type", "limit", "remaining"], |name| {
                is_header_name(name).then(|| name.to_lowercase())
            });
        if let Some(plans) = extensions.get("x-rate-limit-plans") {
            profile.rate_plans = self.rate_plans(plans);
        }
        profile
    }

    /// An extension mapping each of `roles` to a name (`{code: error_code}`), each name checked by
    /// `check`; absent, none.
    fn roles(
        &mut self,
        extension: &str,
        roles: &[&str],
        check: impl Fn(&str) -> Option<String>,
    ) -> Vec<(String, String)> {
        let at = format!("#/{extension}");
        let Some(value) = self.doc.extensions.get(extension) else { return Vec::new() };
        let Some(map) = value.as_object() else {
            self.error(at, format!("{extension} must map some of {} to names", roles.join(", ")));
            return Vec::new();
        };
        let mut found = Vec::new();
        for (role, name) in map {
            let at = join(&at, &[role]);
            match (roles.contains(&role.as_str()), name.as_str().and_then(&check)) {
                (false, _) => self.error(at, format!("`{role}` is not one of {}", roles.join(", "))),
                (true, None) => self.error(at, format!("`{name}` is not a name {extension} can use")),
                (true, Some(name)) => found.push((role.clone(), name)),
            }
        }
        found
    }

    /// `{Plan: {description, limits: {label: "N/s" | "N/min"}}}`, each mistake reported where it is.
    fn rate_plans(&mut self, plans: &Value) -> Vec<RatePlan> {
        let at = "#/x-rate-limit-plans";
        let Some(plans) = plans.as_object() else {
            self.error(at, "x-rate-limit-plans must map each plan's name to its limits");
            return Vec::new();
        };
        let mut scope = names::Scope::default();
        let mut lowered = Vec::new();
        for (name, plan) in plans {
            let at = join(at, &[name]);
            let Some(limits) = plan.get("limits").and_then(Value::as_object) else {
                self.error(at, "a plan needs `limits`: each rate-limit label and its rate (`10/s`, `20/min`)");
                continue;
            };
            let mut intervals = Vec::new();
            for (label, rate) in limits {
                match rate.as_str().and_then(interval_nanos) {
                    Some(nanos) => intervals.push((label.clone(), nanos)),
                    None => self.error(
                        join(&format!("{at}/limits"), &[label]),
                        format!("`{rate}` is not a rate: write requests per second or minute, as `10/s` or `20/min`"),
                    ),
                }
            }
            lowered.push(RatePlan {
                variant: scope.claim(&names::type_name(name)),
                description: plan.get("description").and_then(Value::as_str).map(str::to_owned),
                intervals,
            });
        }
        lowered
    }

    /// `{signature-header, timestamp-header, version, validation-event}`.
    pub(super) fn webhook_signature(&mut self) -> Option<WebhookSignature> {
        let at = "#/x-webhook-signature";
        let spec = self.doc.extensions.get("x-webhook-signature")?;
        let text = |key: &str| spec.get(key).and_then(Value::as_str).filter(|v| !v.is_empty());
        let header = |key: &str| text(key).filter(|v| is_header_name(v)).map(str::to_lowercase);
        match (header("signature-header"), header("timestamp-header"), text("version")) {
            (Some(signature_header), Some(timestamp_header), Some(version)) => Some(WebhookSignature {
                signature_header,
                timestamp_header,
                version: version.to_owned(),
                validation_event: text("validation-event").map(str::to_owned),
            }),
            _ => {
                self.error(
                    at,
                    "x-webhook-signature needs `signature-header` and `timestamp-header` (header names) and \
                     `version` (the text before `=` in the signature)",
                );
                None
            }
        }
    }
}

/// `N/s` or `N/min` (N a positive whole number) -> the spacing between two requests, in nanoseconds.
fn interval_nanos(rate: &str) -> Option<u64> {
    let (count, unit) = rate.split_once('/')?;
    let count: u64 = count.trim().parse().ok().filter(|&n| n > 0)?;
    let period: u64 = match unit.trim() {
        "s" => 1_000_000_000,
        "min" => 60_000_000_000,
        _ => return None,
    };
    Some(period / count)
}

fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_become_intervals() {
        assert_eq!(interval_nanos("4/s"), Some(250_000_000));
        assert_eq!(interval_nanos("30/s"), Some(33_333_333));
        assert_eq!(interval_nanos("20/min"), Some(3_000_000_000));
        for bad in ["0/s", "4", "4/h", "-1/s", "x/s", ""] {
            assert_eq!(interval_nanos(bad), None, "{bad:?}");
        }
    }
}
