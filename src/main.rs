//! The `leakguard` command: argument parsing and exit codes only; the work
//! happens in the library.

mod cli;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cli::run());
}
