//! The docs health report: what parse + resolve made of a doc set, counted.
//!
//! Takes the [`Build`] of each version of the docs; gives per-version and total counts (pages, operations,
//! resolved type references, parsed JSON bodies, diagnostics by code...) and the targets the real
//! Graph corpus is held to. Counts are deterministic, so the JSON form can be snapshotted; timings are
//! kept apart for the same reason.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde::Serialize;

use crate::ir::{TypeTarget, Untestable};
use crate::Build;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub pages: u64,
    pub api_pages: u64,
    pub api_pages_with_http_request: u64,
    pub api_pages_with_operation: u64,
    /// Request lines (each `METHOD /path` of a page's `## HTTP request`): the requests of the
    /// client. The `operations_…` counts below are of request lines too.
    pub operations: u64,
    pub operations_with_status: u64,
    pub operations_needing_type: u64,
    pub operations_with_response_type: u64,
    pub type_refs: u64,
    pub type_refs_resolved: u64,
    pub json_bodies: u64,
    pub json_bodies_parsed: u64,
    pub examples: u64,
    /// Example pairs that become tests of the generated client (`generate --example-tests`).
    pub example_tests: u64,
    /// Example pairs that cannot, by reason (each a disagreement within the page).
    pub examples_untestable: BTreeMap<String, u64>,
    pub enums: u64,
    pub types: u64,
    pub panics: u64,
    pub diagnostics: BTreeMap<String, u64>,
}

impl Counts {
    pub fn of(build: &Build) -> Counts {
        let model = &build.model;
        let pages_with_operation: BTreeSet<&str> =
            model.operations.iter().map(|o| &*o.request_lines[0].source.file).collect();
        let mut counts = Counts {
            pages: build.pages.len() as u64,
            operations: model.call_count() as u64,
            type_refs: build.type_refs.type_refs,
            type_refs_resolved: build.type_refs.resolved,
            enums: model.enums.len() as u64,
            types: model.types.len() as u64,
            ..Counts::default()
        };
        for page in &build.pages {
            counts.panics += u64::from(page.panicked);
            counts.api_pages += u64::from(page.stats.api_page);
            if page.stats.api_page && page.stats.http_request_section {
                counts.api_pages_with_http_request += 1;
                counts.api_pages_with_operation += u64::from(pages_with_operation.contains(page.file.as_str()));
            }
            counts.json_bodies += u64::from(page.stats.json_bodies);
            counts.json_bodies_parsed += u64::from(page.stats.json_bodies_parsed);
        }
        for line in model.operations.iter().flat_map(|o| &o.request_lines) {
            // Each example belongs to exactly one request line (the one its URL matches).
            for example in line.examples.iter().filter(|e| e.request.is_some() && e.response.is_some()) {
                counts.examples += 1;
                match example.untestable {
                    None => counts.example_tests += 1,
                    Some(reason) => *counts.examples_untestable.entry(reason_key(reason)).or_default() += 1,
                }
            }
            let status = line.response.status;
            counts.operations_with_status += u64::from(status.is_some());
            let needs_type = !matches!(status, Some(204) | Some(300..=399));
            if needs_type {
                counts.operations_needing_type += 1;
                // A response documented to have no body has a known type too: none.
                let typed = line.response.empty
                    || line.response.type_ref.as_ref().is_some_and(|t| !matches!(t.target, TypeTarget::Unknown(_)));
                counts.operations_with_response_type += u64::from(typed);
            }
        }
        for diagnostic in &model.diagnostics {
            *counts.diagnostics.entry(diagnostic.code.clone()).or_default() += 1;
        }
        counts
    }

    fn add(&mut self, other: &Counts) {
        self.pages += other.pages;
        self.api_pages += other.api_pages;
        self.api_pages_with_http_request += other.api_pages_with_http_request;
        self.api_pages_with_operation += other.api_pages_with_operation;
        self.operations += other.operations;
        self.operations_with_status += other.operations_with_status;
        self.operations_needing_type += other.operations_needing_type;
        self.operations_with_response_type += other.operations_with_response_type;
        self.type_refs += other.type_refs;
        self.type_refs_resolved += other.type_refs_resolved;
        self.json_bodies += other.json_bodies;
        self.json_bodies_parsed += other.json_bodies_parsed;
        self.examples += other.examples;
        self.example_tests += other.example_tests;
        for (reason, count) in &other.examples_untestable {
            *self.examples_untestable.entry(reason.clone()).or_default() += count;
        }
        self.enums += other.enums;
        self.types += other.types;
        self.panics += other.panics;
        for (code, count) in &other.diagnostics {
            *self.diagnostics.entry(code.clone()).or_default() += count;
        }
    }
}

/// An [`Untestable`] as its JSON key, `url_matches_no_request_line`.
pub fn reason_key(reason: Untestable) -> String {
    serde_json::to_value(reason).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// The report as printed with `--json`: totals at the top level, each version under `versions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    #[serde(flatten)]
    pub total: Counts,
    pub versions: BTreeMap<String, Counts>,
    /// Pages docbind panicked on (it should be none), as `version/file`.
    pub panicked_pages: Vec<String>,
}

impl Report {
    pub fn new(builds: &[(String, &Build)]) -> Report {
        let mut report = Report::default();
        for (version, build) in builds {
            let counts = Counts::of(build);
            report.total.add(&counts);
            report.versions.insert(version.clone(), counts);
            report
                .panicked_pages
                .extend(build.pages.iter().filter(|p| p.panicked).map(|p| format!("{version}/{}", p.file)));
        }
        report
    }

    /// The targets the real Graph corpus must meet, each as (what, actual, required, met).
    pub fn targets(&self) -> Vec<Target> {
        let t = &self.total;
        vec![
            Target::at_most("panics", t.panics as f64, 0.0),
            Target::ratio(
                "api_pages_with_operation / api_pages_with_http_request",
                t.api_pages_with_operation,
                t.api_pages_with_http_request,
                0.995,
            ),
            Target::ratio("type_refs_resolved / type_refs", t.type_refs_resolved, t.type_refs, 0.995),
            Target::ratio("json_bodies_parsed / json_bodies", t.json_bodies_parsed, t.json_bodies, 0.99),
            Target::ratio("operations_with_status / operations", t.operations_with_status, t.operations, 0.99),
            Target::ratio(
                "operations_with_response_type / operations_needing_type",
                t.operations_with_response_type,
                t.operations_needing_type,
                0.97,
            ),
        ]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub name: &'static str,
    pub actual: f64,
    pub required: f64,
    pub met: bool,
    pub is_ratio: bool,
}

impl Target {
    fn ratio(name: &'static str, part: u64, whole: u64, required: f64) -> Target {
        let actual = if whole == 0 { 1.0 } else { part as f64 / whole as f64 };
        Target { name, actual, required, met: actual >= required, is_ratio: true }
    }

    fn at_most(name: &'static str, actual: f64, required: f64) -> Target {
        Target { name, actual, required, met: actual <= required, is_ratio: false }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verdict = if self.met { "ok  " } else { "MISS" };
        if self.is_ratio {
            write!(f, "{verdict} {:<58} {:>7.3}% (target ≥ {}%)", self.name, self.actual * 100.0, self.required * 100.0)
        } else {
            write!(f, "{verdict} {:<58} {:>8} (target ≤ {})", self.name, self.actual, self.required)
        }
    }
}

/// Time spent per stage, summed over pages (CPU time across threads for the per-page stages).
pub fn stage_times(build: &Build) -> [(&'static str, Duration); 3] {
    let parse = build.pages.iter().map(|p| p.parse_time).sum();
    let lower = build.pages.iter().map(|p| p.lower_time).sum();
    [("markdown + sections", parse), ("lower to IR", lower), ("resolve", build.resolve_time)]
}
