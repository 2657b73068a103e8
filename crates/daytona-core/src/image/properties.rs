//! Property tests of what an `Image` makes from user input: shell quoting, paths, globs.

use proptest::prelude::*;

use super::glob::{expand, is_glob};
use super::path::{basename, dirname, is_absolute, join, normalize};
use super::quote::{quote, quote_all};
use crate::testing::MemFiles;

/// Path-like strings: segments of dots, names, separators (both kinds) and non-ASCII.
fn path_like() -> impl Strategy<Value = String> {
    proptest::collection::vec(prop_oneof![Just(".."), Just("."), Just(""), Just("a"), Just("é"), Just("C:"), Just("b c"), Just("\\")], 0..8)
        .prop_map(|segs| segs.join("/"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// What `sh` reads back from a quoted word is the word itself.
    #[test]
    fn a_quoted_word_is_read_back_by_sh_as_itself(word in "[ -~\u{e9}\u{3000}\t\n]{0,24}") {
        let out = std::process::Command::new("sh").arg("-c").arg(format!("printf %s {}", quote(&word))).output().unwrap();
        prop_assert_eq!(String::from_utf8_lossy(&out.stdout), word);
    }

    #[test]
    fn quoting_any_text_never_panics(words in proptest::collection::vec(".{0,40}", 0..6)) {
        let _ = quote_all(&words);
    }

    /// Normalizing is idempotent, keeps an absolute path absolute, and never panics.
    #[test]
    fn paths_normalize_once_for_all(p in prop_oneof![path_like(), ".{0,30}"]) {
        let n = normalize(&p);
        prop_assert_eq!(normalize(&n), n.clone());
        prop_assert!(!is_absolute(&p) || is_absolute(&n), "{:?} became {:?}", p, n);
        let _ = (dirname(&p), basename(&p), join(&p, &p));
    }

    /// Expanding any pattern over a small tree never panics, and only names what is there.
    #[test]
    fn glob_expansion_never_panics_and_finds_only_real_files(pattern in prop_oneof!["[a-c*?/{},\\[\\]!.]{0,16}", ".{0,16}"]) {
        let tree = MemFiles([("a", None), ("a/b", Some(vec![1])), ("a/c.txt", Some(vec![2])), ("c", Some(vec![3]))]
            .into_iter().map(|(k, v)| (k.to_string(), v)).collect());
        let _ = is_glob(&pattern);
        if let Ok(found) = expand(&tree, &pattern) {
            for f in found {
                prop_assert!(tree.0.contains_key(f.trim_start_matches("./")), "{} is not in the tree", f);
            }
        }
    }
}
