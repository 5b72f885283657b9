//! What one API does beyond its operations: where its tokens come from, how it says a token was
//! refused, which header carries its request id. The generator reads these from the API's
//! description and the generated client hands them over; the runtime assumes no API's values.

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
}

impl Profile {
    /// An API with no token endpoint, no error codes and no request-id header known; requests
    /// carry `user_agent` (conventionally `crate-name/version`).
    pub const fn new(user_agent: &'static str) -> Self {
        Self {
            user_agent,
            token_url: None,
            grant_type: "client_credentials",
            invalid_token_codes: &[],
            request_id_header: None,
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
        let profile = Profile::new("test/1").invalid_token_codes(&[7]).request_id_header("x-request-id");
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
}
