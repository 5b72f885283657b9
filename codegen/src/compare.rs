//! Two descriptions of one API, compared operation by operation: which operations only one has,
//! and where a shared operation's parameters or body differ. The loaders meet in the IR, so this
//! compares any two inputs (an OpenAPI document and a Postman collection, or two versions of one).
//!
//! Operations are matched by method and path template with the parameter names left out
//! (`/users/{userId}` matches `/users/{id}`); parameters by name and location.

use crate::ir::{Api, BodyKind, Method, Operation, ParamLocation};
use std::fmt;

/// One difference between the left and the right description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub method: Method,
    /// The path as the left description writes it (the right one's, for right-only operations).
    pub path: String,
    pub kind: DifferenceKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DifferenceKind {
    OperationOnlyLeft,
    OperationOnlyRight,
    ParamOnlyLeft {
        name: String,
        location: ParamLocation,
    },
    ParamOnlyRight {
        name: String,
        location: ParamLocation,
    },
    /// A parameter of the same name in another place (query on one side, header on the other).
    ParamLocation {
        name: String,
        left: ParamLocation,
        right: ParamLocation,
    },
    /// Required on one side, optional on the other.
    ParamRequired {
        name: String,
        location: ParamLocation,
        left: bool,
        right: bool,
    },
    /// The request body: absent on one side, or sent as another kind.
    Body {
        left: Option<BodyKind>,
        right: Option<BodyKind>,
    },
}

/// Every difference, left operations first in their order, then the right-only ones.
pub fn operations(left: &Api, right: &Api) -> Vec<Difference> {
    let mut differences = Vec::new();
    let mut matched = vec![false; right.operations.len()];
    for op in &left.operations {
        let key = match_key(op);
        let counterpart =
            right.operations.iter().enumerate().find(|(i, other)| !matched[*i] && match_key(other) == key);
        let difference = |kind| Difference { method: op.method, path: op.path.clone(), kind };
        match counterpart {
            Some((i, other)) => {
                matched[i] = true;
                differences.extend(compare_operation(op, other).into_iter().map(difference));
            }
            None => differences.push(difference(DifferenceKind::OperationOnlyLeft)),
        }
    }
    for (op, _) in right.operations.iter().zip(&matched).filter(|(_, matched)| !**matched) {
        differences.push(Difference {
            method: op.method,
            path: op.path.clone(),
            kind: DifferenceKind::OperationOnlyRight,
        });
    }
    differences
}

/// How many operations the two descriptions share.
pub fn matched(left: &Api, right: &Api) -> usize {
    let all = left.operations.len() + right.operations.len();
    let unmatched = operations(left, right)
        .iter()
        .filter(|d| matches!(d.kind, DifferenceKind::OperationOnlyLeft | DifferenceKind::OperationOnlyRight))
        .count();
    (all - unmatched) / 2
}

/// Method and path with every `{name}` made `{}`.
fn match_key(op: &Operation) -> (Method, String) {
    let mut path = String::with_capacity(op.path.len());
    let mut in_name = false;
    for c in op.path.chars() {
        match c {
            '{' => {
                in_name = true;
                path.push('{');
            }
            '}' => {
                in_name = false;
                path.push('}');
            }
            _ if in_name => {}
            _ => path.push(c),
        }
    }
    (op.method, path.trim_end_matches('/').to_owned())
}

fn compare_operation(left: &Operation, right: &Operation) -> Vec<DifferenceKind> {
    let mut kinds = Vec::new();
    for param in &left.params {
        match right.params.iter().find(|p| p.name == param.name && p.location == param.location) {
            Some(other) if other.required != param.required => kinds.push(DifferenceKind::ParamRequired {
                name: param.name.clone(),
                location: param.location,
                left: param.required,
                right: other.required,
            }),
            Some(_) => {}
            None => match right.params.iter().find(|p| p.name == param.name) {
                Some(other) => kinds.push(DifferenceKind::ParamLocation {
                    name: param.name.clone(),
                    left: param.location,
                    right: other.location,
                }),
                None => {
                    kinds.push(DifferenceKind::ParamOnlyLeft { name: param.name.clone(), location: param.location })
                }
            },
        }
    }
    for param in &right.params {
        if !left.params.iter().any(|p| p.name == param.name) {
            kinds.push(DifferenceKind::ParamOnlyRight { name: param.name.clone(), location: param.location });
        }
    }
    let (left_body, right_body) = (left.body.as_ref().map(|b| b.kind), right.body.as_ref().map(|b| b.kind));
    if left_body != right_body {
        kinds.push(DifferenceKind::Body { left: left_body, right: right_body });
    }
    kinds
}

fn location(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

fn body(kind: Option<BodyKind>) -> &'static str {
    match kind {
        None => "no body",
        Some(BodyKind::Json) => "a JSON body",
        Some(BodyKind::Multipart) => "a multipart body",
        Some(BodyKind::FormUrlEncoded) => "a urlencoded body",
        Some(BodyKind::Raw) => "a body of bytes",
        Some(BodyKind::Text) => "a text body",
    }
}

impl Difference {
    /// The difference in words, naming the two sides (`openapi`, `postman`).
    pub fn describe(&self, left: &str, right: &str) -> String {
        let what = match &self.kind {
            DifferenceKind::OperationOnlyLeft => format!("only in {left}"),
            DifferenceKind::OperationOnlyRight => format!("only in {right}"),
            DifferenceKind::ParamOnlyLeft { name, location: at } => {
                format!("{} parameter `{name}` only in {left}", location(*at))
            }
            DifferenceKind::ParamOnlyRight { name, location: at } => {
                format!("{} parameter `{name}` only in {right}", location(*at))
            }
            DifferenceKind::ParamLocation { name, left: l, right: r } => {
                format!(
                    "parameter `{name}` is a {} parameter in {left}, a {} parameter in {right}",
                    location(*l),
                    location(*r)
                )
            }
            DifferenceKind::ParamRequired { name, location: at, left: l, right: r } => {
                let word = |required: bool| if required { "required" } else { "optional" };
                format!("{} parameter `{name}` is {} in {left}, {} in {right}", location(*at), word(*l), word(*r))
            }
            DifferenceKind::Body { left: l, right: r } => format!("{} in {left}, {} in {right}", body(*l), body(*r)),
        };
        format!("{} {}: {what}", self.method.as_str(), self.path)
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe("left", "right"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Body, Param, TypeRef};

    fn op(method: Method, path: &str, params: &[(&str, ParamLocation, bool)], body: Option<BodyKind>) -> Operation {
        Operation {
            id: path.into(),
            fn_name: "f".into(),
            builder_name: "B".into(),
            method,
            path: path.into(),
            summary: None,
            description: None,
            tags: Vec::new(),
            deprecated: false,
            params: params
                .iter()
                .map(|(name, location, required)| Param {
                    name: (*name).into(),
                    rust_name: (*name).into(),
                    location: *location,
                    required: *required,
                    ty: TypeRef::String,
                    description: None,
                    deprecated: false,
                    default: None,
                    style: crate::ir::ParamStyle::default_for(*location),
                    explode: *location == ParamLocation::Query,
                })
                .collect(),
            body: body.map(|kind| Body {
                kind,
                media_type: String::new(),
                ty: TypeRef::Any,
                required: true,
                description: None,
                file_rules: Vec::new(),
                selector: None,
            }),
            responses: Vec::new(),
            success: crate::ir::Success::Nothing,
            scopes: Vec::new(),
            rate_limit: None,
            pagination: None,
            server: None,
            sensitive: false,
            pointer: "#".into(),
        }
    }

    fn api(operations: Vec<Operation>) -> Api {
        Api {
            title: "t".into(),
            version: "1".into(),
            description: None,
            base_url: None,
            operations,
            types: Default::default(),
            warnings: Vec::new(),
            webhooks: None,
            profile: Default::default(),
        }
    }

    #[test]
    fn operations_match_by_method_and_path_shape() {
        use ParamLocation::{Header, Path, Query};
        let left = api(vec![
            op(Method::Get, "/users/{userId}", &[("userId", Path, true), ("page", Query, false)], None),
            op(Method::Post, "/users", &[("X-Id", Header, false)], Some(BodyKind::Json)),
            op(Method::Delete, "/users/{userId}", &[("userId", Path, true)], None),
        ]);
        let right = api(vec![
            op(Method::Get, "/users/{id}", &[("id", Path, true), ("page", Query, true)], None),
            op(Method::Post, "/users/", &[("X-Id", Query, false)], Some(BodyKind::Multipart)),
            op(Method::Get, "/groups", &[], None),
        ]);
        let described: Vec<String> =
            operations(&left, &right).iter().map(|d| d.describe("openapi", "postman")).collect();
        assert_eq!(
            described,
            [
                "GET /users/{userId}: path parameter `userId` only in openapi",
                "GET /users/{userId}: query parameter `page` is optional in openapi, required in postman",
                "GET /users/{userId}: path parameter `id` only in postman",
                "POST /users: parameter `X-Id` is a header parameter in openapi, a query parameter in postman",
                "POST /users: a JSON body in openapi, a multipart body in postman",
                "DELETE /users/{userId}: only in openapi",
                "GET /groups: only in postman",
            ]
        );
        assert_eq!(matched(&left, &right), 2);
        assert!(operations(&left, &left).is_empty());
    }
}
