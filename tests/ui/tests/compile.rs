//! Compile tests: typed calls that must compile, and misuse that must not.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("cases/pass/*.rs");
    t.compile_fail("cases/fail/*.rs");
}
