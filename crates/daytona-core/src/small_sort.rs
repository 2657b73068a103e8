//! Sorting for the few short lists the SDK orders (a signed request's query, `pip install`'s
//! packages). `slice::sort` compiles some 4 KB of wasm per element type and order, and these
//! lists hold a handful of items: a binary insertion sort is as fast for them and tiny.

/// Sorts `v` stably by `less`.
pub(crate) fn sort_by<T>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    for i in 1..v.len() {
        let at = v[..i].partition_point(|x| !less(&v[i], x));
        // Swaps, not `rotate_right`: the same moves for a few items, in far less code.
        for j in (at..i).rev() {
            v.swap(j, j + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably() {
        let mut v = [(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e'), (0, 'f')];
        sort_by(&mut v, |a, b| a.0 < b.0);
        assert_eq!(v, [(0, 'f'), (1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        let mut empty: [u8; 0] = [];
        sort_by(&mut empty, |a, b| a < b);
        let mut words = ["b", "a", "c", "a"];
        sort_by(&mut words, |a, b| a < b);
        assert_eq!(words, ["a", "a", "b", "c"]);
    }
}
