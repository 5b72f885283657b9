//! Randomised robustness: `spec/zoom-users.yaml`, mutated hundreds of ways (text edits and
//! structural edits), must never make the generator panic: each mutant is generated or refused
//! with diagnostics. Bounded and reproducible: a fixed seed per run, `MUTATIONS=N` for more
//! (`MUTATION_SEED=S` to replay one failure).

use serde_json::Value;
use std::path::Path;

/// xorshift64*: enough randomness for picking edits, with no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Values a structural edit may put anywhere: wrong types, hostile names, broken references.
fn odd_value(rng: &mut Rng) -> Value {
    let choices = [
        Value::Null,
        Value::Bool(true),
        serde_json::json!(-1),
        serde_json::json!(1.5e300),
        serde_json::json!(""),
        serde_json::json!("self"),
        serde_json::json!("{id"),
        serde_json::json!("#/components/schemas/Nowhere"),
        serde_json::json!("https://example.com/x.json"),
        serde_json::json!([]),
        serde_json::json!([1, "a", null]),
        serde_json::json!({}),
        serde_json::json!({"$ref": "#/components/schemas/User"}),
        serde_json::json!({"$ref": 7}),
        serde_json::json!({"type": "object", "properties": {"type": {"type": "strin"}}}),
        serde_json::json!({"oneOf": []}),
        serde_json::json!({"allOf": [{"$ref": "#/components/schemas/CreatedUser"}, {"not": {}}]}),
        serde_json::json!({"type": ["string", "null"]}),
        serde_json::json!({"enum": [1, "1", true]}),
    ];
    choices[rng.below(choices.len())].clone()
}

/// Every container in the document, by its path of keys and indices.
fn containers(value: &Value) -> Vec<Vec<Value>> {
    let mut out = Vec::new();
    let mut stack = vec![(Vec::new(), value)];
    while let Some((path, node)) = stack.pop() {
        match node {
            Value::Object(map) => {
                for (k, v) in map {
                    let mut p = path.clone();
                    p.push(Value::String(k.clone()));
                    stack.push((p, v));
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(Value::from(i));
                    stack.push((p, v));
                }
            }
            _ => continue,
        }
        out.push(path);
    }
    out
}

fn at<'v>(value: &'v mut Value, path: &[Value]) -> &'v mut Value {
    path.iter().fold(value, |node, step| match step {
        Value::String(key) => &mut node[key.as_str()],
        _ => &mut node[step.as_u64().unwrap_or_default() as usize],
    })
}

/// One structural edit: remove, replace, rename or copy a part of the document.
fn mutate_value(doc: &mut Value, rng: &mut Rng) -> String {
    let places = containers(doc);
    let place = places[rng.below(places.len())].clone();
    let node = at(doc, &place);
    let shown = place.iter().map(|s| s.to_string().trim_matches('"').to_owned()).collect::<Vec<_>>().join("/");
    match node {
        Value::Object(map) if !map.is_empty() => {
            let key = map.keys().nth(rng.below(map.len())).cloned().unwrap_or_default();
            match rng.below(4) {
                0 => {
                    map.remove(&key);
                    format!("removed {shown}/{key}")
                }
                1 => {
                    map.insert(key.clone(), odd_value(rng));
                    format!("replaced {shown}/{key}")
                }
                2 => {
                    let value = map.remove(&key).unwrap_or(Value::Null);
                    let renamed = ["type", "$ref", "x-", "200", "Self", "", "get", "{id}"][rng.below(8)];
                    map.insert(format!("{renamed}{}", key.len() % 3), value);
                    format!("renamed {shown}/{key}")
                }
                _ => {
                    let copy = map[&key].clone();
                    map.insert(format!("{key}_copy"), copy);
                    format!("copied {shown}/{key}")
                }
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let i = rng.below(items.len());
            if rng.below(2) == 0 {
                items.remove(i);
                format!("removed {shown}/{i}")
            } else {
                items.push(items[i].clone());
                format!("duplicated {shown}/{i}")
            }
        }
        other => {
            *other = odd_value(rng);
            format!("replaced {shown}")
        }
    }
}

/// One text edit: lines deleted, duplicated, swapped or re-indented, bytes inserted, a cut.
fn mutate_text(text: &str, rng: &mut Rng) -> (String, String) {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let i = rng.below(lines.len());
    let j = rng.below(lines.len());
    let what = match rng.below(6) {
        0 => {
            lines.remove(i);
            format!("deleted line {i}")
        }
        1 => {
            lines.insert(i, lines[j].clone());
            format!("copied line {j} to {i}")
        }
        2 => {
            lines.swap(i, j);
            format!("swapped lines {i} and {j}")
        }
        3 => {
            lines[i] = format!("{}{}", " ".repeat(rng.below(5)), lines[i].trim_start());
            format!("re-indented line {i}")
        }
        4 => {
            let junk = ["{", "}", "[", "]", ":", "- ", "&a ", "*a", "'", "\"", "\t", "!!", "#", "?", "|", "%"];
            let at = rng.below(lines[i].len() + 1);
            let mut line = lines[i].clone();
            if line.is_char_boundary(at) {
                line.insert_str(at, junk[rng.below(junk.len())]);
            }
            lines[i] = line;
            format!("inserted a character into line {i}")
        }
        _ => {
            lines.truncate(i);
            format!("cut after line {i}")
        }
    };
    (lines.join("\n"), what)
}

#[test]
fn mutated_specs_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace");
    let spec = std::fs::read_to_string(root.join("spec/zoom-users.yaml")).expect("spec");
    let value: Value = serde_yaml::from_str(&spec).expect("spec is YAML");
    let count: u64 = std::env::var("MUTATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(150);
    let first: u64 = std::env::var("MUTATION_SEED").ok().and_then(|n| n.parse().ok()).unwrap_or(1);
    let options =
        codegen::Options { runtime_path: "crate::runtime".into(), source_name: "mutant.yaml".into(), doc_path: None };
    let (mut generated, mut refused) = (0, 0);
    for seed in first..first + count {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let (text, edits) = if seed % 3 == 0 {
            mutate_text(&spec, &mut rng)
        } else {
            let mut doc = value.clone();
            let edits: Vec<String> = (0..1 + rng.below(3)).map(|_| mutate_value(&mut doc, &mut rng)).collect();
            let text = if seed % 2 == 0 {
                serde_json::to_string_pretty(&doc).expect("JSON")
            } else {
                serde_yaml::to_string(&doc).expect("YAML")
            };
            (text, edits.join("; "))
        };
        let outcome = std::panic::catch_unwind(|| codegen::generate(&text, &options));
        match outcome {
            Err(_) => {
                panic!("seed {seed} ({edits}) made the generator panic; replay with MUTATION_SEED={seed} MUTATIONS=1")
            }
            Ok(Ok(_)) => generated += 1,
            Ok(Err(error)) => {
                assert!(!error.diagnostics.is_empty(), "seed {seed}: refused without a reason");
                refused += 1;
            }
        }
    }
    // Both outcomes occur, so the mutants are neither all harmless nor all broken at the start.
    assert!(generated > 0 && refused > 0, "{generated} generated, {refused} refused");
}
