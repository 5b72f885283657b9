//! `runtime-bench --spec SPEC [options]`: what the SDK costs at run time, next to hand-written code.
//!
//! 1. Requests per second of `GET /users/me` through the SDK (`client.user("me").send()`) and
//!    through a hand-written `reqwest` + `serde_json` client doing the same (bearer token, status
//!    check, body decoded into plain structs), against a local server on 127.0.0.1 that answers
//!    the spec's user example. Same `reqwest` build, timeouts and concurrency; the two alternate
//!    round by round.
//! 2. Decode time of one 2,000-user list page, built from the spec's user example, into the SDK's
//!    `types::UserList` and with `serde_json::from_slice` into plain structs with the same fields
//!    (enums as their wire type: `String` or `i64`).
//!
//! Every loop is bounded in count and in time. Prints one JSON object on standard output. Besides
//! requests per second it reports the client thread's CPU time per request, a steadier figure on
//! a busy machine.

use bytes::Bytes;
use http_body_util::Full;
use serde::Deserialize;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: runtime-bench --spec SPEC [--requests N] [--concurrency C] [--rounds R] \
                     [--decode-reps K] [--decode-rounds D] [--users U] [--max-seconds S] [--only sdk|plain]";

struct Args {
    spec: String,
    requests: usize,
    concurrency: usize,
    rounds: usize,
    decode_reps: usize,
    decode_rounds: usize,
    users: usize,
    max_seconds: u64,
    /// `sdk` or `plain`: run one client only, to profile it (`perf record`); not used by the bench.
    only: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        spec: String::new(),
        requests: 20_000,
        concurrency: 8,
        rounds: 10,
        decode_reps: 20,
        decode_rounds: 10,
        users: 2_000,
        max_seconds: 30,
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let number = || value.parse::<usize>().map_err(|_| format!("{flag}: `{value}` is not a number"));
        match flag.as_str() {
            "--spec" => args.spec = value.clone(),
            "--requests" => args.requests = number()?,
            "--concurrency" => args.concurrency = number()?.max(1),
            "--rounds" => args.rounds = number()?.max(1),
            "--decode-reps" => args.decode_reps = number()?.max(1),
            "--decode-rounds" => args.decode_rounds = number()?.max(1),
            "--users" => args.users = number()?,
            "--max-seconds" => args.max_seconds = number()? as u64,
            "--only" if value == "sdk" || value == "plain" => args.only = Some(value.clone()),
            _ => return Err(format!("unknown option `{flag}`\n{USAGE}")),
        }
    }
    if args.spec.is_empty() {
        return Err(USAGE.to_owned());
    }
    Ok(args)
}

fn main() -> std::process::ExitCode {
    match parse_args().and_then(run) {
        Ok(report) => {
            println!("{report}");
            std::process::ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<Value, String> {
    let text = std::fs::read_to_string(&args.spec).map_err(|e| format!("cannot read {}: {e}", args.spec))?;
    let spec: Value = serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", args.spec))?;
    let user = user_example(&spec)?;
    let user_bytes = Bytes::from(serde_json::to_vec(&user).map_err(|e| e.to_string())?);
    let page = list_page(&spec, &user, args.users)?;

    let http = http_rounds(&args, user_bytes.clone())?;
    let decode = decode_rounds(&args, &page)?;
    Ok(json!({ "http": http, "decode": decode }))
}

// ---------------------------------------------------------------------------------------------
// Inputs from the spec

fn user_example(spec: &Value) -> Result<Value, String> {
    spec.pointer("/paths/~1users~1{userId}/get/responses/200/content/application~1json/example")
        .cloned()
        .filter(Value::is_object)
        .ok_or_else(|| "the spec has no example for GET /users/{userId} 200".to_owned())
}

/// A list page of `count` users: the user example cut to `UserListItem`'s properties, with ids,
/// emails and meeting ids made distinct.
fn list_page(spec: &Value, user: &Value, count: usize) -> Result<Vec<u8>, String> {
    let properties = spec
        .pointer("/components/schemas/UserListItem/properties")
        .and_then(Value::as_object)
        .ok_or_else(|| "the spec has no components/schemas/UserListItem".to_owned())?;
    let template: serde_json::Map<String, Value> = user
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(key, _)| properties.contains_key(key.as_str()))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    let users: Vec<Value> = (0..count)
        .map(|i| {
            let mut user = template.clone();
            user.insert("id".into(), json!(format!("u{i:06}dsdsdCfp8uQ")));
            user.insert("email".into(), json!(format!("user{i}@example.com")));
            user.insert("pmi".into(), json!(1_000_000_000u64 + i as u64));
            Value::Object(user)
        })
        .collect();
    let page = json!({
        "next_page_token": "IAfJX3jsOLW7w3dokmFl84zOa0MAVGyMEB2",
        "page_count": 1,
        "page_number": 1,
        "page_size": count,
        "total_records": count,
        "users": users,
    });
    serde_json::to_vec(&page).map_err(|e| e.to_string())
}

// ---------------------------------------------------------------------------------------------
// The hand-written side: plain structs with the SDK types' fields

#[allow(dead_code)] // Fields are decoded, not read: decoding is what is measured.
#[derive(Deserialize)]
struct PlainUser {
    id: Option<String>,
    email: Option<String>,
    #[serde(rename = "type")]
    type_: i64,
    first_name: Option<String>,
    last_name: Option<String>,
    display_name: Option<String>,
    account_id: Option<String>,
    account_number: Option<i64>,
    cms_user_id: Option<String>,
    cluster: Option<String>,
    company: Option<String>,
    cost_center: Option<String>,
    created_at: Option<String>,
    user_created_at: Option<String>,
    custom_attributes: Option<Vec<PlainCustomAttribute>>,
    dept: Option<String>,
    employee_unique_id: Option<String>,
    group_ids: Option<Vec<String>>,
    division_ids: Option<Vec<String>>,
    host_key: Option<String>,
    im_group_ids: Option<Vec<String>>,
    jid: Option<String>,
    job_title: Option<String>,
    language: Option<String>,
    last_client_version: Option<String>,
    last_login_time: Option<String>,
    location: Option<String>,
    login_types: Option<Vec<i64>>,
    manager: Option<String>,
    personal_meeting_url: Option<String>,
    phone_country: Option<String>,
    phone_number: Option<String>,
    phone_numbers: Option<Vec<PlainPhoneNumber>>,
    pic_url: Option<String>,
    plan_united_type: Option<String>,
    pmi: Option<i64>,
    pronouns: Option<String>,
    pronouns_option: Option<i64>,
    role_id: Option<String>,
    role_name: Option<String>,
    status: Option<String>,
    timezone: Option<String>,
    use_pmi: Option<bool>,
    vanity_url: Option<String>,
    verified: Option<i64>,
    zoom_one_type: Option<i64>,
    license_info_list: Option<Vec<PlainLicenseInfo>>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct PlainCustomAttribute {
    key: Option<String>,
    name: Option<String>,
    value: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct PlainPhoneNumber {
    code: Option<String>,
    country: Option<String>,
    label: Option<String>,
    number: Option<String>,
    verified: Option<bool>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct PlainLicenseInfo {
    license_type: Option<String>,
    license_option: Option<i64>,
    subscription_id: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct PlainUserList {
    next_page_token: Option<String>,
    page_count: Option<i64>,
    page_number: Option<i64>,
    page_size: Option<i64>,
    total_records: Option<i64>,
    users: Option<Vec<PlainUserListItem>>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct PlainUserListItem {
    id: Option<String>,
    email: String,
    #[serde(rename = "type")]
    type_: i64,
    first_name: Option<String>,
    last_name: Option<String>,
    display_name: Option<String>,
    status: Option<String>,
    user_created_at: Option<String>,
    created_at: Option<String>,
    custom_attributes: Option<Vec<PlainCustomAttribute>>,
    dept: Option<String>,
    employee_unique_id: Option<String>,
    group_ids: Option<Vec<String>>,
    division_ids: Option<Vec<String>>,
    host_key: Option<String>,
    im_group_ids: Option<Vec<String>>,
    last_client_version: Option<String>,
    last_login_time: Option<String>,
    plan_united_type: Option<String>,
    pmi: Option<i64>,
    role_id: Option<String>,
    timezone: Option<String>,
    verified: Option<i64>,
    license_info_list: Option<Vec<PlainLicenseInfo>>,
}

// ---------------------------------------------------------------------------------------------
// Requests per second

const TOKEN: &str = "bench-token";
const TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone, Copy, PartialEq)]
enum Contender {
    Sdk,
    Plain,
}

#[derive(Clone)]
enum Caller {
    Sdk(zoom_users_sdk::Client),
    Plain { http: reqwest::Client, url: String },
}

impl Caller {
    async fn call(&self) -> Result<(), String> {
        match self {
            Caller::Sdk(client) => {
                let user = client.user("me").send().await.map_err(|e| e.to_string())?;
                std::hint::black_box(user);
            }
            Caller::Plain { http, url } => {
                let answer = http.get(url).bearer_auth(TOKEN).send().await.map_err(|e| e.to_string())?;
                let answer = answer.error_for_status().map_err(|e| e.to_string())?;
                let body = answer.bytes().await.map_err(|e| e.to_string())?;
                let user: PlainUser = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
                std::hint::black_box(user);
            }
        }
        Ok(())
    }
}

fn http_rounds(args: &Args, user: Bytes) -> Result<Value, String> {
    let server = start_server(user.clone())?;
    let base = format!("http://{server}");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let sdk = zoom_users_sdk::Client::builder()
            .base_url(&base)
            .bearer_token(TOKEN)
            .timeout(TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .build()
            .map_err(|e| e.to_string())?;
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent("plain-client/0.1")
            .build()
            .map_err(|e| e.to_string())?;
        let callers: Vec<(Contender, Caller)> = [
            (Contender::Sdk, Caller::Sdk(sdk)),
            (Contender::Plain, Caller::Plain { http, url: format!("{base}/users/me") }),
        ]
        .into_iter()
        .filter(|(contender, _)| match args.only.as_deref() {
            Some("sdk") => *contender == Contender::Sdk,
            Some("plain") => *contender == Contender::Plain,
            _ => true,
        })
        .collect();
        // Warm-up: connections opened, allocator and caches warm; not counted.
        for (_, caller) in &callers {
            load(caller, args.concurrency, (args.requests / 10).clamp(100, 2_000), args.max_seconds).await?;
        }
        let mut sdk_rps = Vec::new();
        let mut plain_rps = Vec::new();
        let mut sdk_cpu = Vec::new();
        let mut plain_cpu = Vec::new();
        for round in 0..args.rounds {
            let order: Vec<&(Contender, Caller)> =
                if round % 2 == 0 { callers.iter().collect() } else { callers.iter().rev().collect() };
            for (contender, caller) in order {
                let cpu_before = thread_cpu();
                let (done, elapsed) = load(caller, args.concurrency, args.requests, args.max_seconds).await?;
                let rps = done as f64 / elapsed.as_secs_f64();
                // The client's own CPU per request: all of it runs on this thread.
                let cpu = cpu_before.zip(thread_cpu()).map(|(a, b)| (b - a).as_nanos() as f64 / done.max(1) as f64);
                let (rps_list, cpu_list) = match contender {
                    Contender::Sdk => (&mut sdk_rps, &mut sdk_cpu),
                    Contender::Plain => (&mut plain_rps, &mut plain_cpu),
                };
                rps_list.push(rps);
                cpu_list.extend(cpu);
            }
        }
        Ok::<Value, String>(json!({
            "requests_per_round": args.requests,
            "concurrency": args.concurrency,
            "rounds": args.rounds,
            "body_bytes": user.len(),
            "sdk_rps": sdk_rps,
            "plain_rps": plain_rps,
            "sdk_cpu_ns_per_request": sdk_cpu,
            "plain_cpu_ns_per_request": plain_cpu,
        }))
    })
}

/// CPU time (user and system) of the calling thread so far, where the system tells it.
#[cfg(target_os = "linux")]
fn thread_cpu() -> Option<Duration> {
    // SAFETY: a zeroed rusage is a valid value for getrusage to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pointer is valid for the call.
    if unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut usage) } != 0 {
        return None;
    }
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1_000);
    Some(time(usage.ru_utime) + time(usage.ru_stime))
}

#[cfg(not(target_os = "linux"))]
fn thread_cpu() -> Option<Duration> {
    None
}

/// Sends up to `requests` requests from `concurrency` workers, stopping at `max_seconds`.
/// Returns how many completed and how long it took; any failed request fails the run.
async fn load(
    caller: &Caller,
    concurrency: usize,
    requests: usize,
    max_seconds: u64,
) -> Result<(usize, Duration), String> {
    let issued = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(max_seconds);
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let caller = caller.clone();
        let issued = issued.clone();
        workers.spawn(async move {
            let mut done = 0usize;
            while issued.fetch_add(1, Ordering::Relaxed) < requests && Instant::now() < deadline {
                caller.call().await?;
                done += 1;
            }
            Ok::<usize, String>(done)
        });
    }
    let mut done = 0;
    while let Some(result) = workers.join_next().await {
        done += result.map_err(|e| e.to_string())??;
    }
    Ok((done, started.elapsed()))
}

/// An HTTP/1.1 server on 127.0.0.1 (a port the system picks), on a thread of its own, answering
/// `GET /users/me` with the user example and anything else with 404. It lives as long as the process.
fn start_server(user: Bytes) -> Result<SocketAddr, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    std::thread::spawn(move || {
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("a bound listener converts");
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let _ = stream.set_nodelay(true);
                let user = user.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                        let user = user.clone();
                        async move {
                            let found = request.uri().path() == "/users/me";
                            let response = hyper::Response::builder()
                                .status(if found { 200 } else { 404 })
                                .header("content-type", "application/json")
                                .body(Full::new(if found { user } else { Bytes::new() }))
                                .expect("a fixed response is valid");
                            Ok::<_, std::convert::Infallible>(response)
                        }
                    });
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
                });
            }
        });
    });
    Ok(address)
}

// ---------------------------------------------------------------------------------------------
// Decoding one list page

fn decode_rounds(args: &Args, page: &[u8]) -> Result<Value, String> {
    // Both decoders must see the same users, or the comparison means nothing.
    let sdk: zoom_users_sdk::types::UserList = serde_json::from_slice(page).map_err(|e| format!("SDK decode: {e}"))?;
    let plain: PlainUserList = serde_json::from_slice(page).map_err(|e| format!("plain decode: {e}"))?;
    let count = sdk.users.as_ref().map_or(0, Vec::len);
    if count != args.users || plain.users.as_ref().map_or(0, Vec::len) != count {
        return Err(format!("expected {} users in the page, the SDK decoded {count}", args.users));
    }

    let deadline = Instant::now() + Duration::from_secs(args.max_seconds);
    let mut sdk_ns = Vec::new();
    let mut plain_ns = Vec::new();
    for round in 0..args.decode_rounds {
        let order =
            if round % 2 == 0 { [Contender::Sdk, Contender::Plain] } else { [Contender::Plain, Contender::Sdk] };
        for contender in order {
            let started = Instant::now();
            for _ in 0..args.decode_reps {
                match contender {
                    Contender::Sdk => {
                        let page: zoom_users_sdk::types::UserList =
                            serde_json::from_slice(std::hint::black_box(page)).map_err(|e| e.to_string())?;
                        std::hint::black_box(page);
                    }
                    Contender::Plain => {
                        let page: PlainUserList =
                            serde_json::from_slice(std::hint::black_box(page)).map_err(|e| e.to_string())?;
                        std::hint::black_box(page);
                    }
                }
            }
            let per_decode = started.elapsed().as_nanos() as f64 / args.decode_reps as f64;
            match contender {
                Contender::Sdk => sdk_ns.push(per_decode),
                Contender::Plain => plain_ns.push(per_decode),
            }
        }
        if Instant::now() > deadline {
            break;
        }
    }
    Ok(json!({
        "users": count,
        "bytes": page.len(),
        "reps_per_round": args.decode_reps,
        "sdk_ns": sdk_ns,
        "plain_ns": plain_ns,
    }))
}
