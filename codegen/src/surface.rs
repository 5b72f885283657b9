//! The public API an [`Api`] generates, one line per public item, and its text form: the listing
//! committed beside the SDK (`sdk/api.txt`). It is read back from that file and compared with a
//! new one by [`diff`], so a description change can be judged by what it does to the crate's users.
//!
//! Lines, sorted (types are named as in the `types` module):
//!
//! ```text
//! operation users: GET /users -> UsersResponse, pages of UsersResponseUsers
//! param users.page_size: optional i32
//! struct UsersResponse [answer]
//! field UsersResponse.next_page_token: optional String
//! enum UserDeleteAction [request]
//! variant UserDeleteAction::Delete
//! union UserSettingsResponse [answer]
//! variant UserSettingsResponse::Basic(UserSettings)
//! alias Emails [request] = Vec<String>
//! event meeting.started: MeetingStarted
//! ```
//!
//! A type's role (`request`, `answer`, both, or `unused`) says where users meet it: they build
//! what they send and read what they get, which decides whether a change breaks them.

pub mod diff;

use crate::emit::{body_type, keeps_additional, output_type, rust_type};
use crate::ir::{Api, TypeKind, TypeRef};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Every public item of one generated SDK, sorted by [`Item::key`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Surface {
    pub items: Vec<Item>,
}

/// One line of the listing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Item {
    /// A client method: `Client::name(..)`, the `METHOD /path` it sends, what `send` returns, and
    /// the item type of `into_stream` for list operations.
    Operation { name: String, method: String, path: String, output: String, pages: Option<String> },
    /// A parameter of an operation (its body is the parameter `body`): required ones are arguments
    /// of the client method, optional ones setters of its request builder.
    Param { operation: String, name: String, required: bool, ty: String },
    /// A named type; an alias carries its target.
    Type { name: String, kind: Kind, role: Role, target: Option<String> },
    /// A struct field: optional ones are `Option`s and not arguments of `new`.
    Field { owner: String, name: String, required: bool, ty: String },
    /// A variant of an enum, or of a union with its payload.
    Variant { owner: String, name: String, payload: Option<String> },
    /// A webhook event and the type it decodes into.
    Event { name: String, ty: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Struct,
    Enum,
    Union,
    Alias,
}

/// Where a type appears: in what users send, in what they get back, both, or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Role {
    pub request: bool,
    pub answer: bool,
}

impl Surface {
    /// The public API generated from `api`.
    pub fn of(api: &Api) -> Surface {
        let runtime = quote!(runtime);
        let ty = |t: &TypeRef| compact(rust_type(t, &quote!(), &runtime).to_string());
        let roles = roles(api);
        let mut items = Vec::new();
        for op in &api.operations {
            items.push(Item::Operation {
                name: op.fn_name.clone(),
                method: op.method.as_str().to_owned(),
                path: op.path.clone(),
                output: compact(output_type(op, &quote!(), &runtime).to_string()),
                pages: op.pagination.as_ref().map(|p| ty(&p.item_ty)),
            });
            let params = op.params.iter().map(|p| (p.rust_name.clone(), p.required, ty(&p.ty)));
            let body = op
                .body
                .iter()
                .map(|b| ("body".to_owned(), b.required, compact(body_type(b, &quote!(), &runtime).to_string())));
            for (name, required, ty) in params.chain(body) {
                items.push(Item::Param { operation: op.fn_name.clone(), name, required, ty });
            }
        }
        for def in api.types.values() {
            let role = roles.get(&def.name).copied().unwrap_or_default();
            let owner = || def.name.clone();
            let (kind, target) = match &def.kind {
                TypeKind::Struct(s) => {
                    for f in &s.fields {
                        let mut t = ty(&f.ty);
                        if f.boxed {
                            t = format!("Box<{t}>");
                        }
                        let required = f.required && !f.nullable;
                        items.push(Item::Field { owner: owner(), name: f.rust_name.clone(), required, ty: t });
                    }
                    if let Some(value) = s.additional.as_ref().filter(|_| keeps_additional(s)) {
                        let map = TypeRef::Map(Box::new(value.clone()));
                        let name = "additional_properties".to_owned();
                        items.push(Item::Field { owner: owner(), name, required: true, ty: ty(&map) });
                    }
                    (Kind::Struct, None)
                }
                TypeKind::StringEnum(values) => {
                    let names = values.iter().map(|v| v.rust_name.clone());
                    items.extend(names.map(|name| Item::Variant { owner: owner(), name, payload: None }));
                    (Kind::Enum, None)
                }
                TypeKind::IntEnum(values) => {
                    let names = values.iter().map(|v| v.rust_name.clone());
                    items.extend(names.map(|name| Item::Variant { owner: owner(), name, payload: None }));
                    (Kind::Enum, None)
                }
                TypeKind::OneOf(one_of) => {
                    for v in &one_of.variants {
                        let payload = if v.boxed { format!("Box<{}>", ty(&v.ty)) } else { ty(&v.ty) };
                        items.push(Item::Variant { owner: owner(), name: v.rust_name.clone(), payload: Some(payload) });
                    }
                    (Kind::Union, None)
                }
                TypeKind::Alias(t) => (Kind::Alias, Some(ty(t))),
            };
            items.push(Item::Type { name: def.name.clone(), kind, role, target });
        }
        if let Some(webhooks) = &api.webhooks {
            // The enum over the events; its variants are the event lines.
            let role = Role { request: false, answer: true };
            items.push(Item::Type { name: webhooks.enum_name.clone(), kind: Kind::Union, role, target: None });
            let events = webhooks.events.iter();
            items.extend(events.map(|event| Item::Event { name: event.name.clone(), ty: ty(&event.ty) }));
        }
        Surface::from_items(items)
    }

    /// Sorts and deduplicates.
    pub fn from_items(mut items: Vec<Item>) -> Surface {
        items.sort_by_cached_key(Item::key);
        items.dedup();
        Surface { items }
    }

    /// Reads a listing written by [`Surface`]'s `Display`; errors name the line.
    pub fn parse(text: &str) -> Result<Surface, String> {
        let items = text
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(i, line)| Item::parse(line).ok_or_else(|| format!("line {}: not a listing line: {line}", i + 1)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Surface::from_items(items))
    }

    /// The role of each type, as the listing records it.
    pub fn roles(&self) -> BTreeMap<&str, Role> {
        let types = self.items.iter().filter_map(|item| match item {
            Item::Type { name, role, .. } => Some((name.as_str(), *role)),
            _ => None,
        });
        types.collect()
    }
}

impl fmt::Display for Surface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.items.iter().try_for_each(|item| writeln!(f, "{item}"))
    }
}

/// What an item is found by in two listings: kind and name, owner first, so an operation's
/// parameters and a type's fields sort beside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    pub group: u8,
    pub owner: String,
    /// 0 for the operation or type itself, 1 for its members.
    pub member: u8,
    pub name: String,
}

impl Item {
    pub fn key(&self) -> Key {
        let key = |group, owner: &str, member, name: &str| Key {
            group,
            owner: owner.to_owned(),
            member,
            name: name.to_owned(),
        };
        match self {
            Item::Operation { name, .. } => key(0, name, 0, ""),
            Item::Param { operation, name, .. } => key(0, operation, 1, name),
            Item::Type { name, .. } => key(1, name, 0, ""),
            Item::Field { owner, name, .. } | Item::Variant { owner, name, .. } => key(1, owner, 1, name),
            Item::Event { name, .. } => key(2, name, 0, ""),
        }
    }

    fn parse(line: &str) -> Option<Item> {
        let (word, rest) = line.split_once(' ')?;
        let required = |text: &str| match text.split_once(' ')? {
            ("required", ty) => Some((true, ty.to_owned())),
            ("optional", ty) => Some((false, ty.to_owned())),
            _ => None,
        };
        Some(match word {
            "operation" => {
                let (name, rest) = rest.split_once(": ")?;
                let (method, rest) = rest.split_once(' ')?;
                let (path, rest) = rest.split_once(" -> ")?;
                let (output, pages) = match rest.split_once(", pages of ") {
                    Some((output, item)) => (output, Some(item.to_owned())),
                    None => (rest, None),
                };
                Item::Operation {
                    name: name.into(),
                    method: method.into(),
                    path: path.into(),
                    output: output.into(),
                    pages,
                }
            }
            "param" => {
                let (place, rest) = rest.split_once(": ")?;
                let (operation, name) = place.split_once('.')?;
                let (required, ty) = required(rest)?;
                Item::Param { operation: operation.into(), name: name.into(), required, ty }
            }
            "field" => {
                let (place, rest) = rest.split_once(": ")?;
                let (owner, name) = place.split_once('.')?;
                let (required, ty) = required(rest)?;
                Item::Field { owner: owner.into(), name: name.into(), required, ty }
            }
            "variant" => {
                let (owner, rest) = rest.split_once("::")?;
                let (name, payload) = match rest.split_once('(') {
                    Some((name, payload)) => (name, Some(payload.strip_suffix(')')?.to_owned())),
                    None => (rest, None),
                };
                Item::Variant { owner: owner.into(), name: name.into(), payload }
            }
            "event" => {
                let (name, ty) = rest.split_once(": ")?;
                Item::Event { name: name.into(), ty: ty.into() }
            }
            _ => {
                let kind = Kind::ALL.into_iter().find(|k| k.word() == word)?;
                let (name, rest) = rest.split_once(" [")?;
                let (role, target) = rest.split_once(']')?;
                let target = match target.strip_prefix(" = ") {
                    Some(target) => Some(target.to_owned()),
                    None if target.is_empty() => None,
                    None => return None,
                };
                Item::Type { name: name.into(), kind, role: Role::parse(role)?, target }
            }
        })
    }
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let required = |r: bool| if r { "required" } else { "optional" };
        match self {
            Item::Operation { name, method, path, output, pages } => {
                write!(f, "operation {name}: {method} {path} -> {output}")?;
                pages.iter().try_for_each(|item| write!(f, ", pages of {item}"))
            }
            Item::Param { operation, name, required: r, ty } => {
                write!(f, "param {operation}.{name}: {} {ty}", required(*r))
            }
            Item::Type { name, kind, role, target } => {
                write!(f, "{} {name} [{role}]", kind.word())?;
                target.iter().try_for_each(|target| write!(f, " = {target}"))
            }
            Item::Field { owner, name, required: r, ty } => write!(f, "field {owner}.{name}: {} {ty}", required(*r)),
            Item::Variant { owner, name, payload: None } => write!(f, "variant {owner}::{name}"),
            Item::Variant { owner, name, payload: Some(payload) } => write!(f, "variant {owner}::{name}({payload})"),
            Item::Event { name, ty } => write!(f, "event {name}: {ty}"),
        }
    }
}

impl Kind {
    const ALL: [Kind; 4] = [Kind::Struct, Kind::Enum, Kind::Union, Kind::Alias];

    pub fn word(self) -> &'static str {
        match self {
            Kind::Struct => "struct",
            Kind::Enum => "enum",
            Kind::Union => "union",
            Kind::Alias => "alias",
        }
    }
}

impl Role {
    fn parse(text: &str) -> Option<Role> {
        Some(match text {
            "request" => Role { request: true, answer: false },
            "answer" => Role { request: false, answer: true },
            "request, answer" => Role { request: true, answer: true },
            "unused" => Role::default(),
            _ => return None,
        })
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match (self.request, self.answer) {
            (true, false) => "request",
            (false, true) => "answer",
            (true, true) => "request, answer",
            (false, false) => "unused",
        })
    }
}

/// Type text as people write it: `Vec < String >` -> `Vec<String>`.
fn compact(tokens: String) -> String {
    tokens.replace(' ', "").replace(',', ", ")
}

/// Every named type's role: reachable from a request (parameters, bodies), from a success answer
/// or an event.
fn roles(api: &Api) -> BTreeMap<String, Role> {
    let answers = api.operations.iter().flat_map(|op| op.responses.iter().filter(|r| r.is_success()));
    // Events are read like answers.
    let events = api.webhooks.iter().flat_map(|w| &w.events).map(|e| e.ty.clone());
    let sent = sent_types(api);
    let got = reachable(api, answers.filter_map(|r| r.ty.clone()).chain(events).collect());
    let role = |name: &String| Role { request: sent.contains(name), answer: got.contains(name) };
    api.types.keys().map(|name| (name.clone(), role(name))).collect()
}

/// Names of the types a request sends: those its parameters and bodies mention, directly or not.
pub(crate) fn sent_types(api: &Api) -> BTreeSet<String> {
    let sent =
        api.operations.iter().flat_map(|op| op.params.iter().map(|p| &p.ty).chain(op.body.iter().map(|b| &b.ty)));
    reachable(api, sent.cloned().collect())
}

/// Names of the types `starts` mention, directly or through fields, variants and aliases.
fn reachable(api: &Api, starts: Vec<TypeRef>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = starts;
    while let Some(ty) = todo.pop() {
        match ty {
            TypeRef::Array(inner) | TypeRef::Map(inner) => todo.push(*inner),
            TypeRef::Named(name) if seen.insert(name.clone()) => match api.types.get(&name).map(|d| &d.kind) {
                Some(TypeKind::Struct(s)) => {
                    todo.extend(s.fields.iter().map(|f| f.ty.clone()));
                    todo.extend(s.additional.clone());
                }
                Some(TypeKind::OneOf(one_of)) => todo.extend(one_of.variants.iter().map(|v| v.ty.clone())),
                Some(TypeKind::Alias(target)) => todo.push(target.clone()),
                _ => {}
            },
            _ => {}
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_kind_reads_back() {
        let listing = "\
operation users: GET /users -> UsersPage, pages of User
param users.page_size: optional i32
struct User [answer]
field User.email: required String
enum UserStatus [request, answer]
variant UserStatus::Active
union Settings [unused]
variant Settings::Basic(Box<BasicSettings>)
alias Emails [request] = Vec<String>
event user.created: UserCreated
";
        let surface = Surface::parse(listing).expect("reads");
        assert_eq!(surface.items.len(), 10);
        let mut sorted: Vec<&str> = listing.lines().collect();
        sorted.sort_by_key(|line| Item::parse(line).map(|item| item.key()));
        assert_eq!(surface.to_string(), sorted.join("\n") + "\n");
        assert!(Surface::parse("struct User [sometimes]\n").expect_err("no such role").starts_with("line 1:"));
    }
}
