//! The `jedel` command. Parsing lives in `cli`, the work in the library; a bad flag or
//! environment value exits with a one-line message and code 64 (EX_USAGE).

use clap::Parser as _;

fn main() -> std::process::ExitCode {
    let cli = match jedel::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            let message = e.to_string();
            let first = message.lines().next().unwrap_or("invalid arguments").trim_start_matches("error: ");
            eprintln!("jedel: {first}");
            return std::process::ExitCode::from(64);
        }
        Err(e) => {
            // --help and --version.
            let _ = e.print();
            return std::process::ExitCode::SUCCESS;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("jedel: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(jedel::run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("jedel: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
