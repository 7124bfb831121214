//! The web console end to end: the real `jedel serve` on free ports (with a map tile URL the
//! browser routes to a generated PNG) serves the embedded app, and
//! `services/console/e2e/console.mjs` drives it in headless Chromium (Debian's, through
//! playwright-core) — a call created, categorised, assigned, given a destination, reassigned,
//! released, assigned again and closed with its outcome; a unit diverted (Redispatch) from a
//! category-3 call to a category-1 call, and the category-3 call cancelled; the situation
//! centre live and its period report; a medevac request given a document uploaded from the
//! browser (and downloaded back), walked to airline acceptance, with a behind-plan flight alert
//! and its flight followed from positions reported with `jedel ctl`; every view in Kazakh,
//! Russian and English — saving a screenshot of each view under
//! `target/console-screenshots/`. Without node, Chromium or `node_modules` the test skips with
//! a message, except under `CI=true`, where it fails.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::support::{Backend, Server, http_get};

/// The tile URL the console is served with; console.mjs answers it with a generated PNG.
const TILE_URL: &str = "http://tiles.jedel.test/{z}/{x}/{y}.png";

fn console_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../console")
}

fn missing_tools() -> Option<String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if std::process::Command::new("node").arg("--version").output().is_err() {
        return Some("node is not installed".into());
    }
    if !Path::new(&chromium).exists() {
        return Some(format!("{chromium} is missing (apt-get install chromium)"));
    }
    if !console_dir().join("node_modules/playwright-core").exists() {
        return Some("services/console/node_modules is missing (npm ci in services/console)".into());
    }
    None
}

#[tokio::test]
async fn the_console_takes_a_call_to_a_unit_and_a_medevac_request_to_the_airline_in_three_languages() {
    if let Some(missing) = missing_tools() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "console e2e cannot run under CI: {missing}");
        eprintln!("skipping the console e2e: {missing}");
        return;
    }
    let tiles = format!("--console-tile-url={TILE_URL}");
    let server = Server::start_with(Backend::Embedded, &[&tiles]).await.unwrap();
    let page = http_get(server.grpc.trim_start_matches("http://"), "/").await;
    assert!(page.contains("<div id=\"app\">"), "the console's page is served: {page}");

    let screenshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/console-screenshots");
    let started = Instant::now();
    let output = tokio::process::Command::new("node")
        .arg("e2e/console.mjs")
        .current_dir(console_dir())
        .env("JEDEL_URL", &server.grpc)
        .env("JEDEL_BIN", env!("CARGO_BIN_EXE_jedel"))
        .env("TILE_URL", TILE_URL)
        .env("SCREENSHOT_DIR", &screenshots)
        .output()
        .await
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}\n{stderr}\n(browser walk took {:.1} s)", started.elapsed().as_secs_f64());
    assert!(output.status.success(), "console e2e failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("console e2e: ok"));
    for view in [
        "login",
        "call-taker",
        "dispatcher",
        "dispatcher-en-route",
        "dispatcher-reassigned",
        "dispatcher-close",
        "dispatcher-closed",
        "dispatcher-redispatch",
        "situation-ru",
        "situation-report",
        "coordinator-kk",
        "medevac",
        "airline",
        "flight",
    ] {
        assert!(screenshots.join(format!("{view}.png")).exists(), "screenshot of {view}");
    }
}
