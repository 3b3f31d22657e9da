//! docbind as a build step, the way `prost-build` is one: a [`Builder`] called from a crate's
//! `build.rs` writes one Rust file into `OUT_DIR`, tells Cargo which pages to watch, reports the
//! docs' problems as a few `cargo:warning` lines, and the crate `include!`s the file.
//!
//! ```no_run
//! // In build.rs's `main`:
//! let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
//! docbind::Builder::new()
//!     .docs("../graph-docs")
//!     .api_version("v1.0")
//!     .areas(["outlook", "users"])
//!     .module_path("crate::graph")
//!     .generate_to(&out)
//!     .unwrap();
//! // In src/lib.rs:  pub mod graph { include!(concat!(env!("OUT_DIR"), "/graph.rs")); }
//! ```
//!
//! Takes docs folders and settings; gives the file, written only when its content changed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit_mut::VisitMut;

use crate::diagnostics::{Diagnostic, Severity};
use crate::{Error, Input};

/// Settings for one generated file. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Builder {
    docs: Vec<PathBuf>,
    areas: Option<BTreeSet<String>>,
    example_tests: bool,
    api_version: Option<String>,
    module_path: String,
    fail_on: Option<Severity>,
    file_name: String,
    cargo: bool,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

/// What a build step produced.
#[derive(Debug)]
pub struct Generated {
    /// The file written (or left as it was).
    pub path: PathBuf,
    /// Whether its content changed.
    pub changed: bool,
    /// Every diagnostic of the docs.
    pub diagnostics: Vec<Diagnostic>,
}

impl Builder {
    /// No docs yet; every area; no example tests; the file `graph.rs`, included at the crate root.
    pub fn new() -> Self {
        Builder {
            docs: Vec::new(),
            areas: None,
            example_tests: false,
            api_version: None,
            module_path: "crate".to_string(),
            fail_on: None,
            file_name: "graph.rs".to_string(),
            cargo: true,
        }
    }

    /// A folder of pages (or one page) to read; call again for more.
    pub fn docs(mut self, path: impl Into<PathBuf>) -> Self {
        self.docs.push(path.into());
        self
    }

    /// Only these product areas (the features of a generated crate: `outlook`, `users`...). Items
    /// that no chosen area needs are compiled out; a chosen area's types keep every field.
    pub fn areas<I: IntoIterator<Item = S>, S: Into<String>>(mut self, areas: I) -> Self {
        self.areas = Some(areas.into_iter().map(Into::into).collect());
        self
    }

    /// Also emit the documented examples as tests (`#[cfg(test)]`; they need `docbind-runtime` with
    /// its `testing` feature and `tokio` among the dev-dependencies).
    pub fn example_tests(mut self, on: bool) -> Self {
        self.example_tests = on;
        self
    }

    /// Only the pages under this version's folder (`v1.0`, `beta`), for docs that hold both.
    pub fn api_version(mut self, version: &str) -> Self {
        self.api_version = Some(version.to_string());
        self
    }

    /// Where the file is included, as a path from the crate root (`crate::graph` for
    /// `pub mod graph { include!(…); }`); `crate` by default.
    pub fn module_path(mut self, path: &str) -> Self {
        self.module_path = path.trim_end_matches("::").to_string();
        self
    }

    /// Fail the build when the docs have a diagnostic of this severity or worse.
    pub fn fail_on(mut self, severity: Severity) -> Self {
        self.fail_on = Some(severity);
        self
    }

    /// The name of the file written into the output folder (`graph.rs` by default).
    pub fn file_name(mut self, name: &str) -> Self {
        self.file_name = name.to_string();
        self
    }

    /// Whether to print `cargo:` lines (on by default; off when not run by Cargo).
    pub fn cargo_output(mut self, on: bool) -> Self {
        self.cargo = on;
        self
    }

    /// The generated file's text, and the docs' diagnostics.
    pub fn generate(&self) -> Result<(String, Vec<Diagnostic>), Error> {
        let mut input = Input::read(&self.docs)?;
        if let Some(version) = &self.api_version {
            let prefix = format!("{version}/");
            input.pages.retain(|file, _| file.starts_with(&prefix));
            if input.pages.is_empty() {
                return Err(Error::NoPages(self.docs.first().cloned().unwrap_or_default().join(version)));
            }
        }
        if self.cargo {
            for folder in &self.docs {
                println!("cargo:rerun-if-changed={}", folder.display());
            }
            // Include files too: a changed permissions table changes the client.
            for file in input.pages.keys().chain(input.includes.keys()) {
                for folder in self.docs.iter().filter(|f| f.join(file).is_file()) {
                    println!("cargo:rerun-if-changed={}", folder.join(file).display());
                }
            }
        }
        let settings = crate::emit::Settings {
            input_name: input.name.clone(),
            example_tests: self.example_tests,
            area_features: self.areas.is_some(),
            api_listing: false,
        };
        let (build, emitted) = crate::generate_sources(&input, &settings);
        let files = emitted.files;
        let text = one_file(&files, self.areas.as_ref(), &self.module_path);
        Ok((text, build.model.diagnostics))
    }

    /// Writes the file into `dir` (only if its content changed) and reports the docs' problems.
    pub fn generate_to(&self, dir: &Path) -> Result<Generated, Error> {
        let (text, diagnostics) = self.generate()?;
        let path = dir.join(&self.file_name);
        let changed = std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str());
        if changed {
            std::fs::write(&path, &text).map_err(|error| Error::Io { path: path.clone(), error })?;
        }
        if self.cargo {
            for line in warning_lines(&diagnostics) {
                println!("cargo:warning={line}");
            }
        }
        if let Some(limit) = self.fail_on {
            // Severities order from the worst: `Error < Warning < Note`.
            let failing = diagnostics.iter().filter(|d| d.severity <= limit).count();
            if failing > 0 {
                return Err(Error::Denied { count: failing });
            }
        }
        Ok(Generated { path, changed, diagnostics })
    }
}

/// At most three diagnostics, the worst first, and one line of counts by code.
fn warning_lines(diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut worst: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.severity < Severity::Note).collect();
    worst.sort_by_key(|d| d.severity);
    let mut lines: Vec<String> = worst
        .iter()
        .take(3)
        .map(|d| format!("docbind: {}:{}:{}: {} {}", d.file, d.line, d.column, d.code, d.message))
        .collect();
    if diagnostics.len() > lines.len() {
        let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
        for d in diagnostics {
            *by_code.entry(d.code.as_str()).or_default() += 1;
        }
        let counts: Vec<String> = by_code.iter().map(|(code, n)| format!("{code} {n}")).collect();
        lines.push(format!(
            "docbind: {} diagnostics in the docs ({}); `docbind report` lists them",
            diagnostics.len(),
            counts.join(", ")
        ));
    }
    lines
}

/// The emitted files as one, for `include!`: each `mod x;` of `lib.rs` becomes `mod x { … }` with
/// the file's contents; inner attributes become outer ones (an included file may have none);
/// `crate::` paths start at `module_path`; with `areas`, every `cfg` on features is decided.
fn one_file(files: &BTreeMap<String, String>, areas: Option<&BTreeSet<String>>, module_path: &str) -> String {
    let parse = |name: &str| -> syn::File {
        let text = files.get(name).map(String::as_str).unwrap_or_default();
        syn::parse_file(text).unwrap_or_else(|e| panic!("docbind emitted {name} that does not parse: {e}"))
    };
    let mut lib = parse("lib.rs");
    lib.attrs.clear();
    for item in &mut lib.items {
        if let syn::Item::Mod(module) = item {
            if module.content.is_none() {
                let mut file = parse(&format!("{}.rs", module.ident));
                for mut attr in file.attrs.drain(..) {
                    attr.style = syn::AttrStyle::Outer;
                    module.attrs.push(attr);
                }
                module.content = Some((Default::default(), file.items));
                module.semi = None;
            }
        }
    }
    if let Some(areas) = areas {
        DecideFeatures { on: areas }.visit_file_mut(&mut lib);
    }
    let text = prettyplease::unparse(&lib);
    // A decided-true `cfg` says nothing: prettyplease gives each attribute its own line.
    let text: String = text.lines().filter(|line| line.trim() != "#[cfg(all())]").map(|l| format!("{l}\n")).collect();
    let header = "// @generated by docbind. Do not edit: change the docs, and the build regenerates it.\n";
    let text = if module_path == "crate" { text } else { text.replace("crate::", &format!("{module_path}::")) };
    format!("{header}{text}")
}

/// Rewrites each `cfg` made only of Cargo features into `cfg(all())` (on) or `cfg(any())` (off).
struct DecideFeatures<'a> {
    on: &'a BTreeSet<String>,
}

impl DecideFeatures<'_> {
    /// The value of a predicate of features, `any`, `all` and `not`; `None` for anything else.
    fn decide(&self, meta: &syn::Meta) -> Option<bool> {
        use syn::punctuated::Punctuated;
        match meta {
            syn::Meta::NameValue(pair) if pair.path.is_ident("feature") => match &pair.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(name), .. }) => Some(self.on.contains(&name.value())),
                _ => None,
            },
            syn::Meta::List(list) => {
                let inner = list.parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated).ok()?;
                let values: Option<Vec<bool>> = inner.iter().map(|m| self.decide(m)).collect();
                let values = values?;
                if list.path.is_ident("any") {
                    Some(values.iter().any(|v| *v))
                } else if list.path.is_ident("all") {
                    Some(values.iter().all(|v| *v))
                } else if list.path.is_ident("not") && values.len() == 1 {
                    Some(!values[0])
                } else {
                    None
                }
            }
            _ => None,
        }
    }
}

impl VisitMut for DecideFeatures<'_> {
    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        let syn::Meta::List(list) = &attr.meta else { return };
        if !list.path.is_ident("cfg") {
            return;
        }
        let Ok(predicate) = list.parse_args::<syn::Meta>() else { return };
        if let Some(on) = self.decide(&predicate) {
            let decided: syn::Attribute =
                if on { syn::parse_quote!(#[cfg(all())]) } else { syn::parse_quote!(#[cfg(any())]) };
            *attr = decided;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_become_inline_and_features_are_decided() {
        let files: BTreeMap<String, String> = [
            ("lib.rs", "//! Crate docs.\n#![cfg_attr(docsrs, feature(doc_cfg))]\npub mod graph;\n#[rustfmt::skip]\nmod root;\npub use root::*;\n"),
            (
                "graph.rs",
                "//! Types.\n#[cfg(feature = \"outlook\")]\npub struct Message;\n#[cfg(feature = \"teams\")]\npub struct Chat;\n\
                 #[cfg(any(feature = \"teams\", feature = \"outlook\"))]\npub struct Shared;\n#[cfg(test)]\nmod tests {}\n",
            ),
            ("root.rs", "pub fn me() -> crate::graph::Shared { crate::graph::Shared }\n"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let on: BTreeSet<String> = ["outlook".to_string()].into();
        let text = one_file(&files, Some(&on), "crate::client");
        assert!(!text.contains("#!["), "no inner attributes in an included file:\n{text}");
        assert!(text.contains("/// Types.\npub mod graph {"), "{text}");
        assert!(text.contains("pub struct Message;") && !text.contains("feature"), "{text}");
        assert!(text.contains("#[cfg(any())]\n    pub struct Chat;"), "{text}");
        assert!(text.contains("#[cfg(test)]"), "other cfgs stay:\n{text}");
        assert!(text.contains("crate::client::graph::Shared"), "{text}");
        syn::parse_file(&text).expect("the file parses");
    }
}
