//! What one API does beyond its operations: where its tokens come from, the fields of its error
//! body, how it says a token was refused, which headers carry its request id and rate limits. The
//! generator reads these from the API's description and the generated client hands them over; the
//! runtime assumes no API's values.

/// One API's conventions, as a generated client passes them to [`ClientBuilder::new`](super::ClientBuilder::new).
///
/// Built in a `const` with [`Profile::new`] and the setters, so a generated SDK holds it in a
/// `static`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    pub(crate) user_agent: &'static str,
    pub(crate) token_url: Option<&'static str>,
    pub(crate) grant_type: &'static str,
    pub(crate) invalid_token_codes: &'static [i64],
    pub(crate) request_id_header: Option<&'static str>,
    pub(crate) error_fields: ErrorFields,
    pub(crate) rate_limit_headers: RateLimitHeaders,
}

/// The fields of an API's JSON error body that [`ApiError`](super::ApiError) reads; a field not
/// named is not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorFields {
    /// The API's error code: an integer, or an integer in text.
    pub code: Option<&'static str>,
    /// The text saying what went wrong.
    pub message: Option<&'static str>,
    /// A list of `{"field": .., "message": ..}` naming each invalid field.
    pub errors: Option<&'static str>,
}

impl ErrorFields {
    /// No field known.
    pub const NONE: Self = Self { code: None, message: None, errors: None };
}

/// The answer headers that say which rate limit a 429 hit, read into
/// [`RateLimitInfo`](super::RateLimitInfo); a header not named is not read. `Retry-After` is
/// HTTP's own and always read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitHeaders {
    /// The limit's category or label.
    pub category: Option<&'static str>,
    /// The kind of limit (per second, daily...).
    pub kind: Option<&'static str>,
    /// How many requests the limit allows.
    pub limit: Option<&'static str>,
    /// How many requests are left.
    pub remaining: Option<&'static str>,
}

impl RateLimitHeaders {
    /// No header known.
    pub const NONE: Self = Self { category: None, kind: None, limit: None, remaining: None };
}

impl Profile {
    /// An API with no token endpoint, error body, error codes or headers of its own known;
    /// requests carry `user_agent` (conventionally `crate-name/version`).
    pub const fn new(user_agent: &'static str) -> Self {
        Self {
            user_agent,
            token_url: None,
            grant_type: "client_credentials",
            invalid_token_codes: &[],
            request_id_header: None,
            error_fields: ErrorFields::NONE,
            rate_limit_headers: RateLimitHeaders::NONE,
        }
    }

    /// The OAuth 2 token endpoint, and the `grant_type` its client-credentials requests send
    /// (`client_credentials` unless the API names another).
    pub const fn token_endpoint(mut self, url: &'static str, grant_type: &'static str) -> Self {
        self.token_url = Some(url);
        self.grant_type = grant_type;
        self
    }

    /// The API's error codes that mean "the access token is invalid or expired" on a 401: such an
    /// answer, or a 401 with no code, makes the client fetch a new token and try once more.
    pub const fn invalid_token_codes(mut self, codes: &'static [i64]) -> Self {
        self.invalid_token_codes = codes;
        self
    }

    /// The answer header carrying the server's id for the request, kept in
    /// [`ApiError::request_id`](super::ApiError::request_id).
    pub const fn request_id_header(mut self, name: &'static str) -> Self {
        self.request_id_header = Some(name);
        self
    }

    /// The fields of the API's JSON error body.
    pub const fn error_fields(mut self, fields: ErrorFields) -> Self {
        self.error_fields = fields;
        self
    }

    /// The answer headers that describe a rate limit.
    pub const fn rate_limit_headers(mut self, headers: RateLimitHeaders) -> Self {
        self.rate_limit_headers = headers;
        self
    }

    /// Whether a 401 with this error code says the access token was refused.
    pub(crate) fn refuses_token(&self, code: Option<i64>) -> bool {
        code.is_none_or(|code| self.invalid_token_codes.contains(&code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::api_error;
    use reqwest::header::HeaderMap;

    #[test]
    fn a_refused_token_and_the_request_id_are_read_by_the_apis_own_conventions() {
        let profile = Profile::new("test/1")
            .error_fields(ErrorFields { code: Some("code"), ..ErrorFields::NONE })
            .invalid_token_codes(&[7])
            .request_id_header("x-request-id");
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", "abc".parse().expect("a header value"));
        let error = |status, body: &str| api_error(status, &headers, body.as_bytes(), &profile);
        assert!(error(401, r#"{"code": 7}"#).token_refused);
        assert!(error(401, "{}").token_refused, "a 401 without a code");
        assert!(!error(401, r#"{"code": 124}"#).token_refused, "another API's code means nothing here");
        assert!(!error(403, r#"{"code": 7}"#).token_refused, "only a 401");
        assert_eq!(error(500, "").request_id.as_deref(), Some("abc"));
        let other = api_error(500, &headers, b"", &Profile::new("test/1"));
        assert_eq!(other.request_id, None, "no header named, none kept");
    }

    #[test]
    fn the_error_body_and_rate_limit_headers_are_read_by_the_names_the_api_gives() {
        let mut headers = HeaderMap::new();
        for (name, value) in [("x-limit-label", "Light"), ("x-limit-left", "0"), ("x-ratelimit-remaining", "5")] {
            headers.insert(name, value.parse().expect("a header value"));
        }
        let body = br#"{"error_code": "42", "detail": "slow down", "problems": [{"field": "a", "message": "bad"}], "code": 7}"#;
        let profile = Profile::new("test/1")
            .error_fields(ErrorFields { code: Some("error_code"), message: Some("detail"), errors: Some("problems") })
            .rate_limit_headers(RateLimitHeaders {
                category: Some("x-limit-label"),
                remaining: Some("x-limit-left"),
                ..RateLimitHeaders::NONE
            });
        let error = api_error(429, &headers, body, &profile);
        assert_eq!((error.code, error.message.as_deref()), (Some(42), Some("slow down")));
        assert_eq!((error.errors[0].field.as_str(), error.errors[0].message.as_str()), ("a", "bad"));
        assert_eq!((error.rate_limit.category.as_deref(), error.rate_limit.remaining), (Some("Light"), Some(0)));
        assert_eq!((error.rate_limit.kind.as_deref(), error.rate_limit.limit), (None, None));

        let unknown = api_error(429, &headers, body, &Profile::new("test/1"));
        assert_eq!((unknown.code, unknown.message, unknown.errors.len()), (None, None, 0), "no field named, none read");
        assert_eq!(unknown.rate_limit.remaining, None, "a header another API uses means nothing here");
        assert!(unknown.body_excerpt.contains("slow down"), "the body stays readable");
    }
}
