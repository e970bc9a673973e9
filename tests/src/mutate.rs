//! Seed mutation for the fuzz targets (`tests/tests/fuzz.rs`): bolero supplies the random
//! edits, these apply them to real inputs (recorded bodies, fixture specs, challenges), so
//! most cases are almost-valid documents rather than noise.

/// Fragments worth splicing into JSON, YAML and header text: structure, edge numbers,
/// broken escapes, YAML anchors, and keys the models dispatch on.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "null",
    "true",
    "-0",
    "1e999",
    "-1e400",
    "18446744073709551616",
    "0.0000001",
    "\"\\ud800\"",
    "\"\\u0000\"",
    "\\",
    "{\"\":",
    "[[[[",
    "\"providerName\":",
    "\"eventTypeName\":",
    "\"instanceSize\":",
    "\"orgMembershipStatus\":",
    "\"type\":",
    "\"stateName\":",
    "&a ",
    "*a",
    "<<: ",
    "\n",
    "  ",
    "- ",
    "$ref: ",
    "'#/",
    "=\"",
    "nonce=",
    "algorithm=",
    "qop=",
    "stale=true",
    "\r\n",
];

/// One random edit: what to do, where (scaled to the length) and with what.
pub type Edit = (u8, u16, u8);

/// Apply `edits` to a copy of `seed`.
pub fn mutate(seed: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut out = seed.to_vec();
    for &(op, at, value) in edits {
        let pos = if out.is_empty() {
            0
        } else {
            usize::from(at) * out.len() / usize::from(u16::MAX).max(1)
        };
        let pos = pos.min(out.len());
        match op % 5 {
            0 if pos < out.len() => out[pos] = value,
            1 => out.insert(pos, value),
            2 if pos < out.len() => {
                out.remove(pos);
            }
            3 => {
                let token = TOKENS[usize::from(value) % TOKENS.len()].as_bytes();
                out.splice(pos..pos, token.iter().copied());
            }
            _ => {
                // Duplicate a slice: repeated keys, nested copies.
                let end = (pos + usize::from(value) % 64).min(out.len());
                let slice = out[pos..end].to_vec();
                out.splice(pos..pos, slice);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_stay_in_bounds() {
        for op in 0..5 {
            for at in [0, 1, u16::MAX / 2, u16::MAX] {
                mutate(b"", &[(op, at, 7)]);
                mutate(b"{\"a\":1}", &[(op, at, 200), (op, at, 3)]);
            }
        }
        assert_eq!(mutate(b"ab", &[(0, 0, b'x')]), b"xb");
    }
}
