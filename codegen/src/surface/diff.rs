//! Two listings of one SDK compared: each difference a line, classified breaking or additive for
//! a user of the crate, and the version bump the whole change needs.
//!
//! Users call operations, build what they send (arguments, setters, `new`) and read what they get
//! back. So: anything removed or renamed, and any change of a type or of required-ness, is
//! breaking; a new required parameter, or a new required field of a type users send, is breaking;
//! anything else added is additive, including a required field of a type users only read, and an
//! enum or union variant (generated enums keep values they do not know in `Unknown`, so code that
//! reads them already handles more values than it names).

use super::{Item, Key, Role, Surface};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The differences between two listings, breaking ones first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub class: Class,
    /// What kind of item: `operation`, `param`, `type`, `field`, `variant`, `event`.
    pub item: &'static str,
    pub how: How,
    /// One line for people, naming the item as the listing does.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    Breaking,
    Additive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    Added,
    Removed,
    Renamed,
    Changed,
}

/// Compares the listing users have (`old`) with the one about to be written (`new`).
pub fn diff(old: &Surface, new: &Surface) -> Report {
    let (old_items, new_items) = (by_key(old), by_key(new));
    let (old_roles, new_roles) = (old.roles(), new.roles());
    let role = |owner: &str| {
        let (a, b) =
            (old_roles.get(owner).copied().unwrap_or_default(), new_roles.get(owner).copied().unwrap_or_default());
        Role { request: a.request || b.request, answer: a.answer || b.answer }
    };
    // An operation or type that comes or goes takes its members with it: only the owner is reported.
    let owners = |items: &BTreeMap<Key, &Item>, others: &BTreeMap<Key, &Item>| -> BTreeSet<(u8, String)> {
        let heads = items.keys().filter(|k| k.member == 0 && !others.contains_key(k));
        heads.map(|k| (k.group, k.owner.clone())).collect()
    };
    let (gone, came) = (owners(&old_items, &new_items), owners(&new_items, &old_items));
    let renames = renames(&old_items, &new_items);
    let renamed_from: BTreeSet<&str> = renames.iter().map(|(from, _, _)| from.as_str()).collect();
    let renamed_to: BTreeSet<&str> = renames.iter().map(|(_, to, _)| to.as_str()).collect();
    let mut changes: Vec<Change> = renames
        .iter()
        .map(|(from, to, endpoint)| Change {
            class: Class::Breaking,
            item: "operation",
            how: How::Renamed,
            text: format!("operation {from} renamed to {to} ({endpoint})"),
        })
        .collect();
    for (key, item) in &old_items {
        let owner_gone = key.member == 1 && gone.contains(&(key.group, key.owner.clone()));
        let renamed = key.group == 0 && renamed_from.contains(key.owner.as_str());
        match new_items.get(key) {
            None if owner_gone || renamed => {}
            None => changes.push(removed(item, role(&key.owner))),
            Some(now) if now != item => changes.extend(changed(item, now, role(&key.owner))),
            Some(_) => {}
        }
    }
    for (key, item) in &new_items {
        let owner_came = key.member == 1 && came.contains(&(key.group, key.owner.clone()));
        let renamed = key.group == 0 && renamed_to.contains(key.owner.as_str());
        if !old_items.contains_key(key) && !owner_came && !renamed {
            changes.push(added(item, role(&key.owner)));
        }
    }
    changes.sort_by_key(|c| c.class);
    Report { changes }
}

fn by_key(surface: &Surface) -> BTreeMap<Key, &Item> {
    surface.items.iter().map(|item| (item.key(), item)).collect()
}

/// An operation that went away while another with the same method and path came is a rename:
/// `(from, to, "METHOD /path")`.
fn renames(old: &BTreeMap<Key, &Item>, new: &BTreeMap<Key, &Item>) -> Vec<(String, String, String)> {
    let endpoints = |items: &BTreeMap<Key, &Item>, others: &BTreeMap<Key, &Item>| -> BTreeMap<String, String> {
        let only_here = items.iter().filter(|(k, _)| !others.contains_key(*k));
        let operations = only_here.filter_map(|(_, item)| match item {
            Item::Operation { name, method, path, .. } => Some((format!("{method} {path}"), name.clone())),
            _ => None,
        });
        operations.collect()
    };
    let (before, after) = (endpoints(old, new), endpoints(new, old));
    let pairs = before.into_iter().filter_map(|(endpoint, from)| Some((from, after.get(&endpoint)?.clone(), endpoint)));
    pairs.collect()
}

fn added(item: &Item, role: Role) -> Change {
    let change = |class, item, text| Change { class, item, how: How::Added, text };
    match item {
        Item::Operation { name, method, path, .. } => {
            change(Class::Additive, "operation", format!("operation {name} added ({method} {path})"))
        }
        Item::Param { operation, name, required: true, ty } => {
            change(Class::Breaking, "param", format!("param {operation}.{name}: required parameter added ({ty})"))
        }
        Item::Param { operation, name, required: false, ty } => {
            change(Class::Additive, "param", format!("param {operation}.{name}: optional parameter added ({ty})"))
        }
        Item::Type { name, kind, .. } => change(Class::Additive, "type", format!("{} {name} added", kind.word())),
        Item::Field { owner, name, required, ty } => {
            let class = if *required && role.request { Class::Breaking } else { Class::Additive };
            let which = if *required { "required" } else { "optional" };
            change(class, "field", format!("{} {owner}.{name}: {which} field added ({ty})", field_label(role)))
        }
        Item::Variant { owner, name, .. } => {
            change(Class::Additive, "variant", format!("variant {owner}::{name} added"))
        }
        Item::Event { name, ty } => change(Class::Additive, "event", format!("event {name} added ({ty})")),
    }
}

fn removed(item: &Item, role: Role) -> Change {
    let change = |item, text| Change { class: Class::Breaking, item, how: How::Removed, text };
    match item {
        Item::Operation { name, method, path, .. } => {
            change("operation", format!("operation {name} removed ({method} {path})"))
        }
        Item::Param { operation, name, .. } => change("param", format!("param {operation}.{name} removed")),
        Item::Type { name, kind, .. } => change("type", format!("{} {name} removed", kind.word())),
        Item::Field { owner, name, .. } => change("field", format!("{} {owner}.{name} removed", field_label(role))),
        Item::Variant { owner, name, .. } => change("variant", format!("variant {owner}::{name} removed")),
        Item::Event { name, .. } => change("event", format!("event {name} removed")),
    }
}

/// The differences of one item present in both listings; only a list operation that starts
/// paging is additive.
fn changed(old: &Item, new: &Item, role: Role) -> Vec<Change> {
    let breaking = |item, text| Change { class: Class::Breaking, item, how: How::Changed, text };
    let required = |r: bool| if r { "now required" } else { "now optional" };
    let mut changes = Vec::new();
    match (old, new) {
        (
            Item::Operation { name, method, path, output, pages },
            Item::Operation { method: m, path: p, output: o, pages: pg, .. },
        ) => {
            if (method, path) != (m, p) {
                changes.push(breaking("operation", format!("operation {name}: sends {m} {p} (was {method} {path})")));
            }
            if output != o {
                changes.push(breaking("operation", format!("operation {name}: returns {o} (was {output})")));
            }
            match (pages, pg) {
                (None, Some(item)) => changes.push(Change {
                    class: Class::Additive,
                    item: "operation",
                    how: How::Changed,
                    text: format!("operation {name}: pages of {item} added"),
                }),
                (Some(_), None) => changes.push(breaking("operation", format!("operation {name}: paging removed"))),
                (Some(a), Some(b)) if a != b => {
                    changes.push(breaking("operation", format!("operation {name}: pages of {b} (was {a})")))
                }
                _ => {}
            }
        }
        (Item::Param { operation, name, required: r, ty }, Item::Param { required: r2, ty: t2, .. }) => {
            let place = format!("param {operation}.{name}");
            if r != r2 {
                changes.push(breaking("param", format!("{place}: {}", required(*r2))));
            }
            if ty != t2 {
                changes.push(breaking("param", format!("{place}: type {t2} (was {ty})")));
            }
        }
        (Item::Type { name, kind, target, .. }, Item::Type { kind: k2, target: t2, .. }) => {
            if kind != k2 {
                changes.push(breaking("type", format!("{} {name}: now {} {name}", kind.word(), k2.word())));
            } else if target != t2 {
                let text = |t: &Option<String>| t.clone().unwrap_or_default();
                changes.push(breaking("type", format!("alias {name} = {} (was {})", text(t2), text(target))));
            }
        }
        (Item::Field { owner, name, required: r, ty }, Item::Field { required: r2, ty: t2, .. }) => {
            let place = format!("{} {owner}.{name}", field_label(role));
            if r != r2 {
                changes.push(breaking("field", format!("{place}: {}", required(*r2))));
            }
            if ty != t2 {
                changes.push(breaking("field", format!("{place}: type {t2} (was {ty})")));
            }
        }
        (Item::Variant { owner, name, payload }, Item::Variant { payload: p2, .. }) => {
            let shown = |p: &Option<String>| p.clone().unwrap_or_else(|| "no payload".into());
            let text = format!("variant {owner}::{name}: holds {} (was {})", shown(p2), shown(payload));
            changes.push(breaking("variant", text));
        }
        (Item::Event { name, ty }, Item::Event { ty: t2, .. }) => {
            changes.push(breaking("event", format!("event {name}: decodes into {t2} (was {ty})")));
        }
        // Keys tell kinds apart, so two items of one key are of one kind.
        _ => {}
    }
    changes
}

/// Fields are named by who meets them: users build request fields and read answer fields.
fn field_label(role: Role) -> &'static str {
    match (role.request, role.answer) {
        (true, false) => "request field",
        (false, true) => "answer field",
        _ => "field",
    }
}

/// The version bump a change needs, following Cargo's rules: below 1.0 the minor number is the
/// breaking one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bump {
    pub class: Option<Class>,
    pub from: String,
    pub to: String,
}

impl Report {
    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.class == Class::Breaking).count()
    }

    /// The bump from `version` (`MAJOR.MINOR.PATCH`) this report needs.
    pub fn bump(&self, version: &str) -> Result<Bump, String> {
        let [major, minor, patch] = numbers(version)?;
        let class = self.changes.iter().map(|c| c.class).min();
        let to = match (class, major) {
            (None, _) => [major, minor, patch],
            (Some(Class::Breaking), 0) => [0, minor + 1, 0],
            (Some(Class::Breaking), _) => [major + 1, 0, 0],
            (Some(Class::Additive), 0) => [0, minor, patch + 1],
            (Some(Class::Additive), _) => [major, minor + 1, 0],
        };
        let to = to.map(|n| n.to_string()).join(".");
        Ok(Bump { class, from: version.to_owned(), to })
    }

    /// The report for people: one line per change, then the bump.
    pub fn render(&self, bump: &Bump) -> String {
        let mut text = String::new();
        if !self.changes.is_empty() {
            let (all, breaking) = (self.changes.len(), self.breaking());
            let changes = if all == 1 { "change" } else { "changes" };
            text.push_str(&format!("public API: {all} {changes}, {breaking} breaking, {} additive\n", all - breaking));
        }
        for change in &self.changes {
            text.push_str(&format!("  {change}\n"));
        }
        text.push_str(&format!("{bump}\n"));
        text
    }

    /// The report for machines.
    pub fn to_json(&self, bump: &Bump) -> serde_json::Value {
        let changes = self.changes.iter().map(
            |c| serde_json::json!({ "class": c.class.word(), "item": c.item, "how": c.how.word(), "text": c.text }),
        );
        serde_json::json!({
            "changes": changes.collect::<Vec<_>>(),
            "breaking": self.breaking(),
            "additive": self.changes.len() - self.breaking(),
            "bump": { "class": bump.class.map_or("none", Class::word), "from": bump.from, "to": bump.to },
        })
    }
}

/// `MAJOR.MINOR.PATCH` as numbers, which compare as versions do.
pub fn numbers(version: &str) -> Result<[u64; 3], String> {
    let numbers: Vec<u64> = version.split('.').map(str::parse).collect::<Result<_, _>>().unwrap_or_default();
    numbers.try_into().map_err(|_| format!("`{version}` is not a MAJOR.MINOR.PATCH version"))
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:<9} {}", self.class.word(), self.text)
    }
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.class {
            None => f.write_str("semver: no public API change, no bump needed"),
            Some(class) => write!(f, "semver: {} change, {} -> {}", class.word(), self.from, self.to),
        }
    }
}

impl Class {
    pub fn word(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Additive => "additive",
        }
    }
}

impl How {
    pub fn word(self) -> &'static str {
        match self {
            How::Added => "added",
            How::Removed => "removed",
            How::Renamed => "renamed",
            How::Changed => "changed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(old: &str, new: &str) -> Report {
        diff(&Surface::parse(old).expect("old listing"), &Surface::parse(new).expect("new listing"))
    }

    #[test]
    fn events_come_and_go() {
        let old = "event meeting.started: MeetingStarted\nevent user.created: UserCreated\n";
        let new = "event meeting.ended: MeetingEnded\nevent user.created: UserCreatedEvent\n";
        let texts: Vec<String> = report(old, new).changes.iter().map(ToString::to_string).collect();
        assert_eq!(
            texts,
            [
                "breaking  event meeting.started removed",
                "breaking  event user.created: decodes into UserCreatedEvent (was UserCreated)",
                "additive  event meeting.ended added (MeetingEnded)",
            ]
        );
    }

    #[test]
    fn bumps_follow_cargo_rules_on_both_sides_of_1_0() {
        let breaking = report("operation a: GET /a -> ()\n", "");
        let additive = report("", "operation a: GET /a -> ()\n");
        let none = report("", "");
        let to = |r: &Report, v: &str| r.bump(v).expect("a version").to;
        assert_eq!([to(&breaking, "0.3.2"), to(&additive, "0.3.2"), to(&none, "0.3.2")], ["0.4.0", "0.3.3", "0.3.2"]);
        assert_eq!([to(&breaking, "1.3.2"), to(&additive, "1.3.2"), to(&none, "1.3.2")], ["2.0.0", "1.4.0", "1.3.2"]);
        assert!(none.bump("1.0").is_err());
    }

    #[test]
    fn machines_get_each_change_and_the_bump() {
        let r = report("", "operation a: GET /a -> ()\nparam a.b: optional String\n");
        let json = r.to_json(&r.bump("0.1.0").expect("a version"));
        assert_eq!(json["changes"][0]["how"], "added");
        assert_eq!(json["changes"].as_array().map(Vec::len), Some(1), "the parameter goes with its operation");
        assert_eq!(json["bump"], serde_json::json!({ "class": "additive", "from": "0.1.0", "to": "0.1.1" }));
    }
}
