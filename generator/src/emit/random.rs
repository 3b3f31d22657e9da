//! Random names and gates for the tests that check text written in prettyplease's layout against
//! prettyplease's own.

use proc_macro2::TokenStream;

/// A small deterministic generator, so that a failure can be replayed.
pub(crate) struct Lcg(pub u64);

impl Lcg {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }

    /// A snake-case name of up to `max` letters.
    pub fn name(&mut self, max: usize) -> String {
        let len = 1 + self.below(max);
        let name: String = (0..len)
            .map(|n| if n > 0 && self.below(6) == 0 { '_' } else { (b'a' + self.below(26) as u8) as char })
            .collect();
        // As the names table does: a keyword gets a trailing `_`.
        if crate::names::is_keyword(&name) {
            name + "_"
        } else {
            name
        }
    }
}

/// Doc text: none, up to `max` words, or lines with the characters a doc line cannot hold.
pub(super) fn doc(rng: &mut Lcg, max: usize) -> String {
    let words: Vec<String> = (0..rng.below(max)).map(|_| rng.name(12)).collect();
    match rng.below(6) {
        0 => String::new(),
        1 => format!("{}\n\n  Indented \r\n\t{}\u{7}.", words.join(" "), words.len()),
        _ => words.join(" "),
    }
}

/// A type name as the names table makes them: camel case, no `_`.
pub(super) fn type_name(rng: &mut Lcg, max: usize) -> String {
    let word = rng.name(max).replace('_', "");
    let mut chars = word.chars();
    chars.next().map(|c| c.to_ascii_uppercase()).into_iter().chain(chars).collect()
}

/// Fails with a unified diff unless `text` is prettyplease's `reference`.
pub(super) fn assert_laid_out_as(reference: &str, text: &str) {
    let diff = similar::TextDiff::from_lines(reference, text).unified_diff().header("prettyplease", "text").to_string();
    assert!(text == reference, "{diff}");
}

/// Fails unless `text` is prettyplease's layout of `tokens` and `api` the listing of the tokens'
/// items under `module`, in any order.
pub(super) fn assert_written_as(tokens: TokenStream, module: &str, text: &str, mut api: Vec<String>) {
    let mut expected_api = Vec::new();
    for item in syn::parse2::<syn::File>(tokens.clone()).expect("the tokens parse").items {
        crate::api::item_lines(module, &item, &mut expected_api);
    }
    assert_laid_out_as(&super::layout::format_tokens(tokens), text);
    api.sort();
    expected_api.sort();
    assert_eq!(api, expected_api);
}

/// Whether a line of code in `text` (not a doc comment or an attribute) passes the margin, as a
/// name with nothing to break makes it: the tests count these so that they check the case.
pub(super) fn passes_margin(text: &str) -> bool {
    text.lines().any(|line| {
        let code = line.trim_start();
        line.len() > super::model_impl::MARGIN && !code.starts_with("///") && !code.starts_with("#[")
    })
}
