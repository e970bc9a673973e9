//! trybuild compile tests live in `tests/compile.rs`; the cases in `cases/`.
