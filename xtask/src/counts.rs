//! Parsing test counts out of the runners' output: cargo's libtest (also used
//! by wasm-bindgen-test-runner) and Node's TAP reporter.

/// Passed and failed test counts.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) passed: u64,
    pub(crate) failed: u64,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.passed += o.passed;
        self.failed += o.failed;
    }
}

/// The number right before `word` in `s` (`"3 passed"` → 3).
fn number_before(s: &str, word: &str) -> Option<u64> {
    let i = s.find(word)?;
    s[..i]
        .trim_end()
        .rsplit([' ', ';', '.'])
        .next()?
        .parse()
        .ok()
}

/// Sums every libtest line `test result: ok. N passed; M failed; ...`.
pub(crate) fn parse_cargo(output: &str) -> Counts {
    let mut c = Counts::default();
    for line in output.lines() {
        if let Some(i) = line.find("test result:") {
            let rest = &line[i..];
            c.passed += number_before(rest, " passed").unwrap_or(0);
            c.failed += number_before(rest, " failed").unwrap_or(0);
        }
    }
    c
}

/// Reads Node's TAP summary lines `# pass N` and `# fail N`.
pub(crate) fn parse_node(output: &str) -> Counts {
    let mut c = Counts::default();
    for line in output.lines() {
        let t = line.trim();
        if let Some(n) = t.strip_prefix("# pass ") {
            c.passed += n.trim().parse().unwrap_or(0);
        } else if let Some(n) = t.strip_prefix("# fail ") {
            c.failed += n.trim().parse().unwrap_or(0);
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_cargo_results_over_binaries() {
        let out = "running 3 tests\n\
            test a ... ok\n\
            test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\
            \n\
            test result: FAILED. 5 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out\n\
            test result: ok. 0 passed; 0 failed; 0 ignored";
        assert_eq!(
            parse_cargo(out),
            Counts {
                passed: 8,
                failed: 2
            }
        );
    }

    #[test]
    fn cargo_output_without_results_counts_nothing() {
        assert_eq!(
            parse_cargo("error[E0425]: cannot find value"),
            Counts::default()
        );
    }

    #[test]
    fn reads_node_tap_summary() {
        let out = "TAP version 13\nok 1 - mounts\n1..12\n# tests 12\n# suites 0\n# pass 11\n# fail 1\n# cancelled 0\n";
        assert_eq!(
            parse_node(out),
            Counts {
                passed: 11,
                failed: 1
            }
        );
    }

    #[test]
    fn ignores_indented_subtest_noise() {
        assert_eq!(
            parse_node("# passed something\n# fail x"),
            Counts::default()
        );
    }
}
