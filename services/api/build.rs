//! Compiles every `.proto` under `proto/` with protox (pure Rust, no system `protoc`) and
//! generates prost messages and tonic clients and servers. The encoded descriptor set is
//! written next to the generated code for gRPC reflection.

use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../proto");
    let mut files = Vec::new();
    collect_protos(&proto_root, &mut files)?;
    files.sort();
    println!("cargo:rerun-if-changed={}", proto_root.display());

    let fds = protox::compile(&files, [&proto_root])?;
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR not set")?);
    std::fs::write(out_dir.join("jedel_descriptor.bin"), protox::prost::Message::encode_to_vec(&fds))?;

    tonic_prost_build::configure()
        // RPCs a service does not implement yet answer `Unimplemented` instead of failing
        // the build, so the API can be whole before every behaviour is.
        .generate_default_stubs(true)
        .compile_fds(fds)?;
    Ok(())
}

fn collect_protos(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_protos(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "proto") {
            println!("cargo:rerun-if-changed={}", path.display());
            out.push(path);
        }
    }
    Ok(())
}
