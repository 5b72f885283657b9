//! The public-API change report: one fixture pair per kind of change under `fixtures/changes/`
//! (`old.*`, `new.*` and the expected `report.txt`, OpenAPI and Postman alike), and edits of the
//! real spec. `UPDATE_CHANGE_REPORTS=1 cargo test -p sdk-tests --test change_report` rewrites the
//! expected reports, to be reviewed like any diff.

use codegen::surface::{diff, Surface};
use sdk_tests::workspace_root as root;
use std::fs;
use std::path::Path;

/// The version the fixtures' bumps start from, the SDK's own.
const VERSION: &str = "0.1.0";

fn surface(text: &str, name: &str) -> Surface {
    let api = codegen::load::load(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    Surface::of(&api)
}

fn report(old: &str, new: &str) -> String {
    let report = diff::diff(&surface(old, "old"), &surface(new, "new"));
    report.render(&report.bump(VERSION).expect("a version"))
}

/// The one file of `dir` whose name starts with `stem.`.
fn read_one(dir: &Path, stem: &str) -> String {
    let mut found = fs::read_dir(dir).expect("readable").map(|e| e.expect("entry").path());
    let path = found
        .find(|p| p.file_stem().is_some_and(|s| s == stem) && p.extension().is_some_and(|e| e != "txt"))
        .unwrap_or_else(|| panic!("{}: no {stem}.yaml or {stem}.json", dir.display()));
    fs::read_to_string(path).expect("readable")
}

#[test]
fn every_fixture_pair_gives_its_report() {
    let dirs = sdk_tests::sorted_files("tests/fixtures/changes");
    assert!(dirs.len() >= 29, "a pair per kind of change");
    let update = std::env::var_os("UPDATE_CHANGE_REPORTS").is_some();
    let mut wrong = Vec::new();
    for dir in dirs {
        let got = report(&read_one(&dir, "old"), &read_one(&dir, "new"));
        let expected_path = dir.join("report.txt");
        if update {
            fs::write(&expected_path, &got).expect("writable");
            continue;
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            wrong.push(format!("{}:\n--- expected\n{expected}--- got\n{got}", dir.display()));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_change_kind_has_a_fixture() {
    let reports: String = sdk_tests::sorted_files("tests/fixtures/changes")
        .iter()
        .map(|dir| fs::read_to_string(dir.join("report.txt")).expect("each pair has its report"))
        .collect();
    for line in [
        "additive  operation delete_pet added",
        "breaking  operation get_pet removed",
        "breaking  operation get_pet renamed to show_pet",
        "breaking  operation get_pet: returns PetPage (was Pet)",
        "breaking  param list_pets.owner: required parameter added",
        "additive  param list_pets.sort: optional parameter added",
        "breaking  param list_pets.limit removed",
        "breaking  param list_pets.limit: type i32 (was i64)",
        "breaking  param list_pets.limit: now required",
        "additive  answer field Pet.nickname: optional field added",
        "additive  answer field Pet.born: required field added",
        "breaking  answer field Pet.tag removed",
        "breaking  answer field Pet.name: now optional",
        "breaking  answer field Pet.id: type String (was i64)",
        "breaking  request field NewPet.tag: now required",
        "additive  request field NewPet.nickname: optional field added",
        "breaking  request field NewPet.owner: required field added",
        "breaking  request field NewPet.tag removed",
        "additive  variant PetStatus::Pending added",
        "breaking  variant PetStatus::Sold removed",
        "additive  struct Owner added",
        "breaking  enum PetStatus removed",
        "additive  event order.cancelled added (OrderCancelledEvent)",
        "breaking  event order.shipped removed",
        "semver: breaking change, 0.1.0 -> 0.2.0",
        "semver: additive change, 0.1.0 -> 0.1.1",
    ] {
        assert!(reports.contains(line), "no fixture reports `{line}`");
    }
    let postman = fs::read_dir(root().join("tests/fixtures/changes")).expect("readable");
    let postman = postman.filter(|e| e.as_ref().is_ok_and(|e| e.path().join("new.json").exists())).count();
    assert!(postman >= 4, "Postman pairs too");
}

#[test]
fn a_listing_reads_back_as_it_was_written() {
    let spec = fs::read_to_string(root().join("spec/zoom-users.yaml")).expect("the spec is readable");
    let listing = surface(&spec, "spec").to_string();
    assert_eq!(Surface::parse(&listing).expect("reads back").to_string(), listing);
    assert_eq!(
        fs::read_to_string(root().join("sdk/api.txt")).expect("sdk/api.txt is committed"),
        listing,
        "sdk/api.txt is stale: run `cargo xtask codegen`"
    );
}

/// Replaces the one place `old` is in `text`.
fn replace_once(text: &str, old: &str, new: &str) -> String {
    assert_eq!(text.matches(old).count(), 1, "the spec still has exactly one `{old}`");
    text.replacen(old, new, 1)
}

#[test]
fn edits_of_the_real_spec_are_reported_and_bumped() {
    let spec = fs::read_to_string(root().join("spec/zoom-users.yaml")).expect("the spec is readable");

    // An answer field goes away: `CreatedUser.id`.
    let created = "      description: The user `userCreate` made.\n      properties:\n";
    let edited = replace_once(&spec, &format!("{created}        id:\n          type: string\n"), created);
    // A new required parameter on `GET /users/email`, which had only `email`.
    let edited = replace_once(
        &edited,
        "      parameters:\n      - name: email\n",
        "      parameters:\n      - {name: domain, in: query, required: true, schema: {type: string}}\n      - name: email\n",
    );
    // A new value of `UserStatus`, the `status` filter of `GET /users`.
    let edited = replace_once(
        &edited,
        "      enum: [active, inactive, pending]\n",
        "      enum: [active, inactive, pending, suspended]\n",
    );
    // A new operation.
    let edited = replace_once(
        &edited,
        "\n  /users/email:\n",
        "\n  /users/summary:\n    get:\n      operationId: userSummary\n      summary: Count users\n      \
         responses:\n        '204':\n          description: Nothing to say.\n  /users/email:\n",
    );

    let got = report(&spec, &edited);
    let lines: Vec<&str> = got.lines().collect();
    assert_eq!(
        lines,
        [
            "public API: 4 changes, 2 breaking, 2 additive",
            "  breaking  answer field CreatedUser.id removed",
            "  breaking  param user_email_check.domain: required parameter added (String)",
            "  additive  operation user_summary added (GET /users/summary)",
            "  additive  variant UserStatus::Suspended added",
            "semver: breaking change, 0.1.0 -> 0.2.0",
        ],
        "{got}"
    );
    assert_eq!(report(&spec, &spec), "semver: no public API change, no bump needed\n");
}
