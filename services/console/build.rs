//! Embeds the built console (`dist/`, committed) into the crate: writes `assets.rs` to
//! OUT_DIR with one `include_bytes!` per file, so running Jedel needs no JavaScript toolchain.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let dist = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("dist");
    println!("cargo::rerun-if-changed={}", dist.display());
    let mut files = Vec::new();
    if dist.is_dir() {
        collect(&dist, &mut files);
    }
    files.sort();
    let mut out =
        String::from("/// Every file of `dist/`: URL path and contents.\npub static ASSETS: &[(&str, &[u8])] = &[\n");
    for file in &files {
        println!("cargo::rerun-if-changed={}", file.display());
        let url = file.strip_prefix(&dist).unwrap().to_str().expect("asset names are UTF-8").replace('\\', "/");
        writeln!(out, "    (\"/{url}\", include_bytes!({:?})),", file.display().to_string()).unwrap();
    }
    out.push_str("];\n");
    let target = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("assets.rs");
    std::fs::write(target, out).unwrap();
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
