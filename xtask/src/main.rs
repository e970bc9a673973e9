//! Maintainer commands for the atlas-admin workspace (`cargo xtask <command>`).

mod bench;
mod cargo;
mod changelog;
mod ci;
mod diff;
mod fixtures;
mod fuzz;
mod generate;
mod history;
mod pr_body;
mod release;
mod replay;
mod scratch;
mod semver;
mod spec;
mod update_spec;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Generation allocates and frees millions of small token and syntax-tree nodes; mimalloc
/// does that faster than glibc's allocator (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Maintainer commands for atlas-admin")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the client crate from the OpenAPI document and write it to `generated/`.
    Generate(generate::Args),
    /// Regenerate in memory and fail if the committed `generated/` differs.
    Check(generate::Args),
    /// Decode every recorded response with the generated models; report failures and drift
    /// (`--recordings DIR [--json FILE] [--spec PATH] [--quiet]`).
    #[command(disable_help_flag = true)]
    Replay {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Measure generation, compile time, decode throughput and wire cost (BENCHMARKS.md).
    Bench(bench::Args),
    /// Run every check CI runs: fmt, clippy, tests, docs, feature builds.
    Ci(ci::Args),
    /// Compile every `spec/fixtures/*.yaml` output as a crate (all features, no warnings).
    Fixtures,
    /// What a new document changes for users of the crate, and the release it needs.
    Diff(diff::Args),
    /// Adopt a new upstream document: validate, pin, regenerate, write the changelog.
    UpdateSpec(update_spec::Args),
    /// Generate every document of the spec history and type-check each crate.
    History,
    /// Take "Unreleased" to a version: bump every crate, date the changelog, package,
    /// dry-run the publish, print the tag (`--dry-run` leaves the tree as it was).
    Release(release::Args),
    /// Run cargo-semver-checks between the crates generated from two documents.
    Semver(semver::Args),
    /// Run every fuzz target for `--minutes` each (stable; printed executions).
    Fuzz(fuzz::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate(args) => generate::run(&args, generate::Mode::Write),
        Command::Check(args) => generate::run(&args, generate::Mode::Check),
        Command::Ci(args) => ci::run(&args),
        Command::Fixtures => fixtures::run(),
        Command::History => history::run(),
        Command::UpdateSpec(args) => update_spec::run(&args),
        Command::Fuzz(args) => fuzz::run(&args),
        Command::Bench(args) => bench::run(&args),
        Command::Replay { args } => replay::run(&args),
        Command::Semver(args) => semver::run(&args),
        Command::Release(args) => release::run(&args),
        Command::Diff(args) => diff::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
